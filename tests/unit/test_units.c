/*
 * Unit tests for the unit table, exact scaling, ratio arithmetic and the GWP
 * sets. Expected values are worked by hand next to each assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/units.h"

static const struct unit_info *
U(const char *name)
{
	const struct unit_info *u = units_find(name, strlen(name));
	assert_non_null(u);
	return u;
}

static void
assert_scale(const char *from, const char *to, int64_t num, int64_t den)
{
	struct ratio r;

	assert_int_equal(units_scale(U(from), U(to), &r), 0);
	assert_int_equal(r.num, num);
	assert_int_equal(r.den, den);
}

static void
test_table(void **state)
{
	const char *names[] = {"Wh", "kWh", "MWh", "GWh", "MJ", "GJ", "TJ", "kWh_Hs",
			       "MWh_Hs", "l", "m3", "g", "kg", "t", "km", "EUR"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_string_equal(U(names[i])->name, names[i]);
		assert_non_null(strstr(units_all(), names[i]));
	}
	assert_null(units_find("kwh", 3));     /* case-sensitive */
	assert_null(units_find("kWh ", 4));
	assert_null(units_find("m³", strlen("m³")));
	assert_null(units_find(NULL, 0));
	assert_non_null(units_find("kWhX", 3)); /* length, not NUL, ends the name */
	assert_int_equal(U("kWh_Hs")->gross, 1);
	assert_int_equal(U("MWh_Hs")->gross, 1);
	assert_int_equal(U("MJ")->gross, 0);
	assert_int_equal(U("m3")->dim, DIM_VOLUME);
	assert_int_equal(U("EUR")->dim, DIM_MONEY);
}

static void
test_scale(void **state)
{
	struct ratio r;

	assert_scale("MWh", "kWh", 1000, 1);
	assert_scale("kWh", "MWh", 1, 1000);
	assert_scale("Wh", "kWh", 1, 1000);
	assert_scale("GWh", "Wh", 1000000000, 1);
	assert_scale("MJ", "kWh", 5, 18);        /* 1 kWh = 3.6 MJ */
	assert_scale("kWh", "MJ", 18, 5);        /* 3.6 */
	assert_scale("GJ", "kWh", 2500, 9);      /* 277.77... */
	assert_scale("TJ", "MWh", 2500, 9);      /* 2500000/9 kWh / 1000 */
	assert_scale("GJ", "MJ", 1000, 1);       /* (2500/9) / (5/18) = 1000 */
	assert_scale("MWh_Hs", "kWh_Hs", 1000, 1);
	assert_scale("m3", "l", 1000, 1);
	assert_scale("g", "t", 1, 1000000);
	assert_scale("km", "km", 1, 1);
	/* Hs and Hi, and different dimensions, never scale here. */
	assert_int_equal(units_scale(U("kWh_Hs"), U("kWh"), &r), -1);
	assert_int_equal(units_scale(U("MWh"), U("MWh_Hs"), &r), -1);
	assert_int_equal(units_scale(U("m3"), U("kWh"), &r), -1);
	assert_int_equal(units_scale(U("kg"), U("l"), &r), -1);
	assert_int_equal(units_scale(U("EUR"), U("km"), &r), -1);
	assert_int_equal(units_scale(NULL, U("km"), &r), -1);
}

static void
test_ratio(void **state)
{
	struct ratio r;

	/* 5/18 * 18/5 = 1 */
	assert_int_equal(ratio_mul((struct ratio){5, 18}, (struct ratio){18, 5}, &r), 0);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 1);
	/* 10.4 * 0.903 = 104/10 * 903/1000 = 93912/10000 = 11739/1250 */
	assert_int_equal(ratio_mul((struct ratio){104, 10}, (struct ratio){903, 1000}, &r), 0);
	assert_int_equal(r.num, 11739);
	assert_int_equal(r.den, 1250);
	/* cross-reduction keeps exact results that would overflow naively:
	 * (10^12/3) * (3/10^12) = 1 */
	assert_int_equal(ratio_mul((struct ratio){1000000000000LL, 3},
				   (struct ratio){3, 1000000000000LL}, &r), 0);
	assert_int_equal(r.num, 1);
	assert_int_equal(r.den, 1);
	/* zero reduces to 0/1 */
	assert_int_equal(ratio_mul((struct ratio){0, 7}, (struct ratio){3, 5}, &r), 0);
	assert_int_equal(r.num, 0);
	assert_int_equal(r.den, 1);
	/* overflow is refused, not wrapped: 2^62 * 4 */
	assert_int_equal(ratio_mul((struct ratio){INT64_C(1) << 62, 1}, (struct ratio){4, 1}, &r), -1);
	assert_int_equal(ratio_mul((struct ratio){1, INT64_C(1) << 62}, (struct ratio){1, 7}, &r), -1);
	/* invalid denominators */
	assert_int_equal(ratio_mul((struct ratio){1, 0}, (struct ratio){1, 1}, &r), -1);
	/* division: (2500/9) / (5/18) = 1000 */
	assert_int_equal(ratio_div((struct ratio){2500, 9}, (struct ratio){5, 18}, &r), 0);
	assert_int_equal(r.num, 1000);
	assert_int_equal(r.den, 1);
	assert_int_equal(ratio_div((struct ratio){1, 1}, (struct ratio){0, 1}, &r), -1);
	/* a negative divisor keeps den > 0: 1 / (-2/3) = -3/2 */
	assert_int_equal(ratio_div((struct ratio){1, 1}, (struct ratio){-2, 3}, &r), 0);
	assert_int_equal(r.num, -3);
	assert_int_equal(r.den, 2);
}

static void
test_gwp(void **state)
{
	const struct gwp *ar4 = gwp_find("AR4"), *ar5 = gwp_find("ar5"), *ar6 = gwp_find("Ar6");
	int64_t x;

	assert_non_null(ar4);
	assert_non_null(ar5);
	assert_non_null(ar6);
	assert_null(gwp_find("AR3"));
	assert_null(gwp_find(NULL));
	assert_int_equal(ar4->ch4_fossil_x10, 250);
	assert_int_equal(ar4->n2o_x10, 2980);
	assert_int_equal(ar5->ch4_fossil_x10, 280);
	assert_int_equal(ar5->n2o_x10, 2650);
	assert_int_equal(ar6->ch4_fossil_x10, 298);
	assert_int_equal(ar6->ch4_biogenic_x10, 270);
	assert_int_equal(ar6->n2o_x10, 2730);
	/* methodology example 10: 1000 kg fossil CH4 + 10 kg N2O */
	/* AR4: 1000*25 + 10*298 = 25000 + 2980 = 27980 kg */
	assert_int_equal(gwp_co2e_x10(ar4, 0, 1000, 0, 10, &x), 0);
	assert_int_equal(x, 279800);
	/* AR5: 1000*28 + 10*265 = 28000 + 2650 = 30650 kg */
	assert_int_equal(gwp_co2e_x10(ar5, 0, 1000, 0, 10, &x), 0);
	assert_int_equal(x, 306500);
	/* AR6: 1000*29.8 + 10*273 = 29800 + 2730 = 32530 kg */
	assert_int_equal(gwp_co2e_x10(ar6, 0, 1000, 0, 10, &x), 0);
	assert_int_equal(x, 325300);
	/* AR6 with non-fossil CH4: 1000*27.0 + 2730 = 29730 kg */
	assert_int_equal(gwp_co2e_x10(ar6, 0, 0, 1000, 10, &x), 0);
	assert_int_equal(x, 297300);
	/* CO2 counts once: 5 kg CO2 = 50 tenths */
	assert_int_equal(gwp_co2e_x10(ar5, 5, 0, 0, 0, &x), 0);
	assert_int_equal(x, 50);
	/* overflow is refused */
	assert_int_equal(gwp_co2e_x10(ar5, 0, INT64_MAX / 100, 0, 0, &x), -1);
	assert_int_equal(gwp_co2e_x10(ar5, INT64_MAX / 10, 0, 0, 1, &x), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_gwp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
