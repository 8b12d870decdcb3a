/*
 * units: the unit table, exact scaling within a dimension, and GWP sets.
 *
 * Units are canonical names (SPEC §5): energy Wh kWh MWh GWh MJ GJ TJ (net
 * calorific basis, Hi) and kWh_Hs MWh_Hs (gross basis, Hs), volume l m3, mass
 * g kg t, distance km, money EUR. Within one dimension and basis a unit is an
 * exact rational multiple of the base (kWh, l, kg, km, EUR): 1 MJ = 5/18 kWh.
 * Hs and Hi, and different dimensions, are never converted here: only a
 * factor set's `conversions` may bridge them.
 */
#ifndef CO2_UNITS_H
#define CO2_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum unit_dim { DIM_ENERGY, DIM_VOLUME, DIM_MASS, DIM_DISTANCE, DIM_MONEY };

struct ratio {
	int64_t num, den; /* den > 0, reduced */
};

struct unit_info {
	const char *name;  /* canonical: "kWh", "kWh_Hs", "m3", ... */
	enum unit_dim dim;
	int gross;         /* 1 for the _Hs units */
	struct ratio base; /* 1 unit = base.num/base.den of the base unit */
};

/* The unit with this canonical name (exact, case-sensitive), or NULL. */
const struct unit_info *units_find(const char *name, size_t len);
/* Comma-separated list of every canonical unit, for error messages. */
const char *units_all(void);

/* The exact ratio r so that 1 `from` = r `to`, when both are in the same
 * dimension and basis; returns -1 when they are not (then a factor set's
 * conversions are needed). */
int units_scale(const struct unit_info *from, const struct unit_info *to,
		struct ratio *out /* OUT */);

/* Multiply two ratios, reducing; -1 on overflow. */
int ratio_mul(struct ratio a, struct ratio b, struct ratio *out /* OUT */);
/* Divide a by b (b != 0), reducing; -1 on overflow or division by zero. */
int ratio_div(struct ratio a, struct ratio b, struct ratio *out /* OUT */);

/* GWP100 sets, in tenths so that 29.8 stays exact. */
struct gwp {
	const char *name;    /* "AR4", "AR5", "AR6" */
	int ch4_fossil_x10;  /* AR4 250, AR5 280, AR6 298 */
	int ch4_biogenic_x10;/* AR4 250, AR5 280, AR6 270 */
	int n2o_x10;         /* AR4 2980, AR5 2650, AR6 2730 */
};

/* The set with this name (case-insensitive), or NULL. */
const struct gwp *gwp_find(const char *name);

/* CO2e of gas amounts given in one common scale (e.g. pico-kg), in tenths
 * of that scale so the result is exact: co2*10 + ch4_fossil*ch4_fossil_x10
 * + ch4_biogenic*ch4_biogenic_x10 + n2o*n2o_x10. 1000 kg fossil CH4 and
 * 10 kg N2O under AR6 give 1000*298 + 10*2730 = 325300 tenths = 32530 kg.
 * -1 on overflow. */
int gwp_co2e_x10(const struct gwp *g, int64_t co2, int64_t ch4_fossil,
		 int64_t ch4_biogenic, int64_t n2o, int64_t *out_x10 /* OUT */);

#endif
