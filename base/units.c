/*
 * units: the canonical unit table, exact rational scaling within one
 * dimension and calorific basis, and the GWP100 sets (see units.h).
 *
 * Every unit is an exact rational multiple of its dimension's base unit
 * (kWh, l, kg, km, EUR), so scaling never goes through binary fractions:
 * 1 MJ = 5/18 kWh because 1 kWh = 3.6 MJ exactly. Ratios are reduced and
 * multiplied with overflow checks, so a result is either exact or refused.
 */
#include "base/num.h"
#include "base/units.h"

#include <string.h>
#include <strings.h>

static const struct unit_info UNITS[] = {
	{"Wh", DIM_ENERGY, 0, {1, 1000}},
	{"kWh", DIM_ENERGY, 0, {1, 1}},
	{"MWh", DIM_ENERGY, 0, {1000, 1}},
	{"GWh", DIM_ENERGY, 0, {1000000, 1}},
	{"MJ", DIM_ENERGY, 0, {5, 18}},          /* 1 kWh = 3.6 MJ */
	{"GJ", DIM_ENERGY, 0, {2500, 9}},        /* 1000 * 5/18 */
	{"TJ", DIM_ENERGY, 0, {2500000, 9}},     /* 1000000 * 5/18 */
	{"kWh_Hs", DIM_ENERGY, 1, {1, 1}},
	{"MWh_Hs", DIM_ENERGY, 1, {1000, 1}},
	{"l", DIM_VOLUME, 0, {1, 1}},
	{"m3", DIM_VOLUME, 0, {1000, 1}},
	{"g", DIM_MASS, 0, {1, 1000}},
	{"kg", DIM_MASS, 0, {1, 1}},
	{"t", DIM_MASS, 0, {1000, 1}},
	{"km", DIM_DISTANCE, 0, {1, 1}},
	{"EUR", DIM_MONEY, 0, {1, 1}},
};

#define NUNITS (sizeof UNITS / sizeof UNITS[0])

const struct unit_info *
units_find(const char *name, size_t len)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < NUNITS; i++)
		if (strlen(UNITS[i].name) == len && memcmp(UNITS[i].name, name, len) == 0)
			return &UNITS[i];
	return NULL;
}

const char *
units_all(void)
{
	return "Wh, kWh, MWh, GWh, MJ, GJ, TJ, kWh_Hs, MWh_Hs, l, m3, g, kg, t, "
	       "km, EUR";
}

int
ratio_mul(struct ratio a, struct ratio b, struct ratio *out)
{
	int64_t g1, g2, num, den;

	if (a.den <= 0 || b.den <= 0 || a.num == INT64_MIN || b.num == INT64_MIN)
		return -1;
	/* Cross-reduce first so that exact results fit whenever they can. */
	g1 = (int64_t)num_gcd(a.num, b.den);
	g2 = (int64_t)num_gcd(b.num, a.den);
	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	if (__builtin_mul_overflow(a.num / g1, b.num / g2, &num) ||
	    __builtin_mul_overflow(a.den / g2, b.den / g1, &den))
		return -1;
	if (num == 0)
		den = 1;
	else {
		int64_t g = (int64_t)num_gcd(num, den);
		num /= g;
		den /= g;
	}
	out->num = num;
	out->den = den;
	return 0;
}

int
ratio_div(struct ratio a, struct ratio b, struct ratio *out)
{
	struct ratio inv;

	if (b.num == 0 || b.num == INT64_MIN)
		return -1;
	inv.num = b.num < 0 ? -b.den : b.den;
	inv.den = b.num < 0 ? -b.num : b.num;
	return ratio_mul(a, inv, out);
}

int
units_scale(const struct unit_info *from, const struct unit_info *to,
	    struct ratio *out)
{
	if (!from || !to || from->dim != to->dim || from->gross != to->gross)
		return -1;
	/* 1 from = from.base base units = from.base / to.base `to`. */
	return ratio_div(from->base, to->base, out);
}

static const struct gwp GWPS[] = {
	{"AR4", 250, 250, 2980},
	{"AR5", 280, 280, 2650},
	{"AR6", 298, 270, 2730},
};

const struct gwp *
gwp_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof GWPS / sizeof GWPS[0]; i++)
		if (strcasecmp(GWPS[i].name, name) == 0)
			return &GWPS[i];
	return NULL;
}

int
gwp_co2e_x10(const struct gwp *g, int64_t co2, int64_t ch4_fossil,
	     int64_t ch4_biogenic, int64_t n2o, int64_t *out_x10)
{
	int64_t a, b, c, d, s;

	if (!g || __builtin_mul_overflow(co2, 10, &a) ||
	    __builtin_mul_overflow(ch4_fossil, (int64_t)g->ch4_fossil_x10, &b) ||
	    __builtin_mul_overflow(ch4_biogenic, (int64_t)g->ch4_biogenic_x10, &c) ||
	    __builtin_mul_overflow(n2o, (int64_t)g->n2o_x10, &d) ||
	    __builtin_add_overflow(a, b, &s) || __builtin_add_overflow(s, c, &s) ||
	    __builtin_add_overflow(s, d, &s))
		return -1;
	*out_x10 = s;
	return 0;
}
