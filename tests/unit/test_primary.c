/*
 * Unit tests for the primary-energy factors (factors/primary.h): the cited
 * values of GEG Anlage 4 and the rounding of final energy x factor.
 * Expected values are worked by hand next to each assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "factors/primary.h"

static const struct primary_factor *
F(const char *carrier)
{
	return primary_lookup(primary_set_default(), carrier);
}

static int64_t
apply(const char *carrier, int64_t ukwh)
{
	int64_t out = -12345;

	assert_non_null(F(carrier));
	assert_int_equal(primary_apply(F(carrier), ukwh, &out), 0);
	return out;
}

static void
test_values(void **state)
{
	const struct primary_set *s = primary_set_default();
	size_t i;

	(void)state;
	assert_string_equal(s->name, "geg-anlage4");
	/* GEG Anlage 4: Strom netzbezogen 1,8; Erdgas, Heizöl, Flüssiggas,
	 * Biogas 1,1; Holz 0,2 */
	assert_int_equal(F("electricity")->factor.num, 9);
	assert_int_equal(F("electricity")->factor.den, 5);
	assert_int_equal(F("natural_gas")->factor.num, 11);
	assert_int_equal(F("natural_gas")->factor.den, 10);
	assert_int_equal(F("heating_oil")->factor.num, 11);
	assert_int_equal(F("lpg")->factor.num, 11);
	assert_int_equal(F("biogas")->factor.num, 11);
	assert_int_equal(F("wood_pellets")->factor.num, 1);
	assert_int_equal(F("wood_pellets")->factor.den, 5);
	/* no default: certified per network, or not in Anlage 4 */
	assert_null(F("district_heating"));
	assert_null(F("diesel"));
	assert_null(F("petrol"));
	assert_null(primary_lookup(s, NULL));
	/* every value cites its row and is read in the law text */
	for (i = 0; i < s->nfactors; i++) {
		assert_non_null(strstr(s->factors[i].row, "GEG Anlage 4"));
		assert_non_null(strstr(s->factors[i].notes, "[V]"));
	}
}

static void
test_apply(void **state)
{
	int64_t out;

	(void)state;
	/* 132,000 kWh electricity x 1.8 = 237,600 kWh */
	assert_int_equal(apply("electricity", 132000000000), 237600000000);
	/* 19,999.4 kWh gas x 1.1 = 21,999.34 kWh */
	assert_int_equal(apply("natural_gas", 19999400000), 21999340000);
	/* 5 micro-kWh x 1.1 = 5.5 -> 6 (half away from zero), -5 -> -6 */
	assert_int_equal(apply("natural_gas", 5), 6);
	assert_int_equal(apply("natural_gas", -5), -6);
	/* 4 x 1.1 = 4.4 -> 4; 3 x 1.8 = 5.4 -> 5; 7 x 0.2 = 1.4 -> 1;
	 * 8 x 0.2 = 1.6 -> 2; -8 x 0.2 = -1.6 -> -2 */
	assert_int_equal(apply("natural_gas", 4), 4);
	assert_int_equal(apply("electricity", 3), 5);
	assert_int_equal(apply("wood_pellets", 7), 1);
	assert_int_equal(apply("wood_pellets", 8), 2);
	assert_int_equal(apply("wood_pellets", -8), -2);
	/* large values: (2^63 - 2) x 1.1 does not fit and is refused;
	 * 5e18 x 0.2 = 1e18 exactly */
	assert_int_equal(primary_apply(F("natural_gas"), INT64_MAX - 1, &out), -1);
	assert_int_equal(apply("wood_pellets", 5000000000000000000), 1000000000000000000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
