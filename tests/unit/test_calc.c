/*
 * Unit tests for the calculation core (engine/calc_core.c): every rule of a
 * run on hand-built factors behind a small fake registry, with the expected
 * milligrams computed by hand next to each number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/calc_int.h"
#include "base/date.h"
#include "store/ledger.h"

/* ---- a fake registry ---- */

static const struct unit_info U_KWH = {"kWh", DIM_ENERGY, 0, {1, 1}};
static const struct unit_info U_MWH = {"MWh", DIM_ENERGY, 0, {1000, 1}};
static const struct unit_info U_KWH_HS = {"kWh_Hs", DIM_ENERGY, 1, {1, 1}};
static const struct unit_info U_L = {"l", DIM_VOLUME, 0, {1, 1}};
static const struct unit_info U_M3 = {"m3", DIM_VOLUME, 0, {1000, 1}};
static const struct unit_info U_KG = {"kg", DIM_MASS, 0, {1, 1}};
static const struct unit_info U_T = {"t", DIM_MASS, 0, {1000, 1}};
static const struct unit_info U_EUR = {"EUR", DIM_MONEY, 0, {1, 1}};
static const struct unit_info U_KM_FAKE = {"km", DIM_DISTANCE, 0, {1, 1}};

static const struct unit_info *const UNITS[] = {&U_KWH, &U_MWH, &U_KWH_HS, &U_L,
						&U_M3, &U_KG, &U_T, &U_EUR, &U_KM_FAKE};

static const struct gwp AR4 = {"AR4", 250, 250, 2980};
static const struct gwp AR5 = {"AR5", 280, 280, 2650};
static const struct gwp AR6 = {"AR6", 298, 270, 2730};

struct conv {
	const char *activity;
	const struct unit_info *from, *to;
	struct ratio r;
};

struct fset {
	const char *label;
	const struct conv *conv;
	size_t nconv;
	int years[4];
	struct ratio index[4];
};

#define SET(s) ((const struct factor_set *)(const void *)(s))
#define FSET(f) ((const struct fset *)(const void *)(f)->set)

struct fake {
	const struct factor *f;
	size_t n;
};

static int
fake_scale(const struct unit_info *from, const struct unit_info *to,
	   struct ratio *out)
{
	if (from->dim != to->dim || from->gross != to->gross)
		return -1;
	out->num = from->base.num * to->base.den;
	out->den = from->base.den * to->base.num;
	return 0;
}

static int
region_rank(const char *r)
{
	return strcmp(r, "DE-BE") == 0 ? 0 : strcmp(r, "DE") == 0 ? 1 : 2;
}

/* Most specific region first, then the first in array (priority) order. */
static const struct factor *
fake_pick(void *ctx, const char *activity, int32_t day, int market,
	  const char *tariff, int previous)
{
	const struct fake *fk = ctx;
	const struct factor *best = NULL;
	size_t i;

	for (i = 0; i < fk->n; i++) {
		const struct factor *f = &fk->f[i];
		if (strcmp(f->activity, activity) || f->market != market || f->network)
			continue;
		if (tariff ? !f->tariff || strcmp(f->tariff, tariff) : f->tariff != NULL)
			continue;
		if (previous == 2 ? f->valid_from <= day
		    : previous ? f->valid_to >= day
			       : (day < f->valid_from || day > f->valid_to))
			continue;
		if (!best || region_rank(f->region) < region_rank(best->region) ||
		    (previous == 1 && f->valid_to > best->valid_to) ||
		    (previous == 2 && f->valid_from < best->valid_from))
			best = f;
	}
	return best;
}

static const struct factor *
fake_find(void *ctx, const char *a, int32_t d, int m, const char *t)
{
	return fake_pick(ctx, a, d, m, t, 0);
}

static const struct factor *
fake_find_prev(void *ctx, const char *a, int32_t d, int m, const char *t)
{
	return fake_pick(ctx, a, d, m, t, 1);
}

static const struct factor *
fake_find_next(void *ctx, const char *a, int32_t d, int m, const char *t)
{
	return fake_pick(ctx, a, d, m, t, 2);
}

/* The first factor of `network` covering the day (priority order). */
static const struct factor *
fake_find_network(void *ctx, const char *a, const char *network, int32_t d)
{
	const struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->n; i++) {
		const struct factor *f = &fk->f[i];
		if (f->network && strcmp(f->network, network) == 0 &&
		    strcmp(f->activity, a) == 0 && d >= f->valid_from && d <= f->valid_to)
			return f;
	}
	return NULL;
}

static void
fake_each(void *ctx, const char *activity,
	  void (*fn)(void *arg, const struct factor *f), void *arg)
{
	const struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->n; i++)
		if (strcmp(fk->f[i].activity, activity) == 0)
			fn(arg, &fk->f[i]);
}

static int
fake_convert(void *ctx, const struct factor *f, const struct unit_info *from,
	     struct ratio *out, char *path, size_t n)
{
	const struct fset *s = FSET(f);
	struct ratio a, b, c;
	size_t i, j;

	path[0] = '\0';
	if (fake_scale(from, f->unit, out) == 0)
		return 0;
	for (i = 0; i < s->nconv; i++) {
		const struct conv *c1 = &s->conv[i];
		if (strcmp(c1->activity, f->activity) || fake_scale(from, c1->from, &a))
			continue;
		if (fake_scale(c1->to, f->unit, &b) == 0) {
			out->num = a.num * c1->r.num * b.num;
			out->den = a.den * c1->r.den * b.den;
			snprintf(path, n, "%s -> %s", from->name, f->unit->name);
			return 0;
		}
		for (j = 0; j < s->nconv; j++) {
			const struct conv *c2 = &s->conv[j];
			if (strcmp(c2->activity, f->activity) ||
			    fake_scale(c1->to, c2->from, &b) ||
			    fake_scale(c2->to, f->unit, &c))
				continue;
			out->num = a.num * c1->r.num * b.num * c2->r.num * c.num;
			out->den = a.den * c1->r.den * b.den * c2->r.den * c.den;
			snprintf(path, n, "%s -> %s -> %s", from->name, c1->to->name,
				 f->unit->name);
			return 0;
		}
	}
	return -1;
}

static const struct unit_info *
fake_unit(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof UNITS / sizeof *UNITS; i++)
		if (strcmp(UNITS[i]->name, name) == 0)
			return UNITS[i];
	return NULL;
}

static int
fake_index(void *ctx, const struct factor_set *fs, int year, struct ratio *out)
{
	const struct fset *s = (const struct fset *)(const void *)fs;
	int i;

	for (i = 0; i < 4; i++)
		if (s->years[i] == year) {
			*out = s->index[i];
			return 0;
		}
	return -1;
}

static const char *
fake_label(void *ctx, const struct factor_set *fs)
{
	return ((const struct fset *)(const void *)fs)->label;
}

/* ---- fixtures ---- */

static const struct conv GAS_CONV[] = {
	/* natural gas: 1 m3 = 10.4 kWh_Hs; 1 kWh_Hs = 0.9024 kWh (Hi) */
	{"energy.natural_gas", &U_M3, &U_KWH_HS, {104, 10}},
	{"energy.natural_gas", &U_KWH_HS, &U_KWH, {9024, 10000}},
};
static const struct fset SET_A = {"test@1", GAS_CONV, 2,
				  /* price index 2022 = 110.2, 2024 = 119.3 */
				  {2022, 2024, 0, 0}, {{1102, 10}, {1193, 10}}};

#define D(y, m, d) date_from_ymd(y, m, d)
#define PICO(kg_e12) ((int64_t)(kg_e12))

static struct factor
fac(const char *id, const char *activity, const char *region,
    const struct unit_info *u, int32_t from, int32_t to, int scope, int64_t co2e)
{
	struct factor f;

	memset(&f, 0, sizeof f);
	f.id = id;
	f.activity = activity;
	f.region = region;
	f.unit = u;
	f.valid_from = from;
	f.valid_to = to;
	f.scope = scope;
	f.co2e = co2e;
	f.citation = "test";
	f.set = SET(&SET_A);
	return f;
}

struct env {
	struct fake fk;
	struct calc_ops ops;
	struct calc_core *core;
};

static void
env_init(struct env *v, const struct factor *f, size_t n, int year,
	 const struct gwp *g, int previous)
{
	static const char *const keys[] = {
		"energy.electricity", "energy.natural_gas", "energy.district_heating",
		"fleet.electricity", "fleet.diesel", "procurement.cpv.30192000",
		"procurement.cpv.30200000", "procurement.cpv.09134100",
		"energy.wood_pellets", "energy.refrigerant", "bogus.key",
		"fleet.distance.van",
	};
	size_t i;

	memset(v, 0, sizeof *v);
	v->fk.f = f;
	v->fk.n = n;
	v->ops.ctx = &v->fk;
	v->ops.find = fake_find;
	v->ops.find_previous = fake_find_prev;
	v->ops.find_next = fake_find_next;
	v->ops.find_network = fake_find_network;
	v->ops.each_factor = fake_each;
	v->ops.convert = fake_convert;
	v->ops.scale = fake_scale;
	v->ops.unit = fake_unit;
	v->ops.price_index = fake_index;
	v->ops.set_label = fake_label;
	v->ops.sets_label = "test@1";
	assert_non_null(v->core = calc_core_new(year, g, previous, "DE-BE", &v->ops));
	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		assert_int_equal(calc_core_key(v->core, (int64_t)i + 1, keys[i]), 0);
}

enum { K_EL = 1, K_GAS, K_DH, K_FLEET_EL, K_DIESEL, K_CPV_3019, K_CPV_3020,
       K_CPV_09, K_PELLETS, K_REFRIG, K_BOGUS, K_VAN };

static struct calc_in
row(int64_t key, int32_t from, int32_t to, int64_t qty_micro, const char *unit)
{
	struct calc_in r;
	static int64_t next = 1;

	memset(&r, 0, sizeof r);
	r.id = next++;
	r.batch_id = 1;
	r.line = 2;
	r.org_id = 1;
	r.key_id = key;
	r.day_start = from;
	r.day_end = to;
	r.quantity = qty_micro;
	r.unit = unit;
	return r;
}

/* Compute one row; returns the status and fills res/parts/e. */
static int
eval(struct env *v, const struct calc_in *r, struct calc_result *res,
     struct calc_part *parts, struct err *e)
{
	struct calc_plan *p;

	err_clear(e);
	if (!(p = calc_core_plan(v->core, r, e)))
		return -1;
	return calc_core_row(v->core, p, r, res, parts, e);
}

#define KG(x) ((int64_t)(x) * 1000000) /* whole kg in mg */

/* ---- tests ---- */

static void
test_rounding(void **state)
{
	int64_t m;

	/* 1 * 1/2 = 0.5 -> 1 (half away from zero); -0.5 -> -1 */
	assert_int_equal(calc_mg(1, 1, 2, 1, 1, &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(calc_mg(-1, 1, 2, 1, 1, &m), 0);
	assert_int_equal(m, -1);
	/* 1/3 -> 0; 2/3 -> 1; 5 * 1/1 * 1/2 days = 2.5 -> 3 */
	assert_int_equal(calc_mg(1, 1, 3, 1, 1, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(calc_mg(2, 1, 3, 1, 1, &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(calc_mg(5, 1, 1, 1, 2, &m), 0);
	assert_int_equal(m, 3);
	/* 9e18 * 1e20 overflows 128 bits; cancelling q against den gives
	 * 9e18 * 1 exactly */
	{
		__int128 e20 = (__int128)100000000000LL * 1000000000LL;
		assert_int_equal(calc_mg(9000000000000000000LL, e20, e20, 1, 1, &m), 0);
		assert_true(m == 9000000000000000000LL);
		/* a result beyond 64 bits is an error, never a wrong number */
		assert_int_equal(calc_mg(INT64_MAX, 2, 1, 1, 1, &m), -1);
	}
}

/* The reference: the formula in 128 bits, rounded half away from zero. */
static int64_t
ref_mg(int64_t q, int64_t num, int64_t den, int32_t days, int32_t dt)
{
	__int128 n = (__int128)q * num * days, d = (__int128)den * dt, r, t;

	t = n / d;
	r = n % d;
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		t += n < 0 ? -1 : 1;
	return (int64_t)t;
}

static void
test_rounding_paths_agree(void **state)
{
	/* the 64-bit fast path and the 128-bit path give the reference value
	 * for random terms, small and large, positive and negative */
	uint64_t x = 88172645463325252ULL;
	int i;

	for (i = 0; i < 200000; i++) {
		int64_t q, num, den, m;
		int32_t dt, days;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		q = (int64_t)(x >> (i % 2 ? 20 : 1)) * (i % 3 ? 1 : -1);
		num = (int64_t)((x >> 11) % (i % 5 ? 1000000ULL : 1000000000000000ULL));
		den = 1 + (int64_t)((x >> 23) % (i % 7 ? 10000ULL : 100000000000000ULL));
		dt = 1 + (int32_t)((x >> 3) % 400);
		days = 1 + (int32_t)((x >> 9) % (uint64_t)dt);
		if ((__int128)q * num * days > ((__int128)1 << 120) ||
		    (__int128)q * num * days < -((__int128)1 << 120))
			continue;
		if (calc_mg(q, num, den, days, dt, &m) == 0)
			assert_true(m == ref_mg(q, num, den, days, dt));
		else /* only when the result leaves 64 bits */
			assert_true((__int128)q * num * days / ((__int128)den * dt) >
					    INT64_MAX - 1 ||
				    (__int128)q * num * days / ((__int128)den * dt) <
					    INT64_MIN + 1);
	}
}

static void
test_new_year_and_leap_day(void **state)
{
	/* methodology.md example 4: 24,200 kWh 2023-11-01..2024-02-29, 121 days
	 * (61 in 2023, 60 in 2024 with 29 February) */
	struct factor f[] = {
		fac("el-2023", "energy.electricity", "DE", &U_KWH, D(2023, 1, 1),
		    D(2023, 12, 31), 2, PICO(386000000000)), /* 0.386 */
		fac("el-2024", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)), /* 0.363 */
	};
	struct calc_in r = row(K_EL, D(2023, 11, 1), D(2024, 2, 29),
			       24200LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	env_init(&v, f, 2, 2023, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	/* 2023: 24,200 * 61/121 = 12,200 kWh * 0.386 = 4,709.200 kg */
	assert_int_equal(res.nparts, 1);
	assert_int_equal(parts[0].days, 61);
	assert_int_equal(parts[0].days_total, 121);
	assert_string_equal(parts[0].factor->id, "el-2023");
	assert_true(res.mg.scope2_location_mg == 4709200000LL);
	/* no market factor: the market figure is the location one, flagged */
	assert_true(res.mg.scope2_market_mg == 4709200000LL);
	assert_true(res.mg.market_fallback_mg == 4709200000LL);
	assert_int_equal(parts[0].market_source, CALC_MKT_LOCATION);
	calc_core_free(v.core);

	env_init(&v, f, 2, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	/* 2024: 24,200 * 60/121 = 12,000 kWh * 0.363 = 4,356.000 kg */
	assert_int_equal(res.nparts, 1);
	assert_int_equal(parts[0].days, 60);
	assert_int_equal(parts[0].day_from, D(2024, 1, 1));
	assert_int_equal(parts[0].day_to, D(2024, 2, 29));
	assert_true(res.mg.scope2_location_mg == 4356000000LL);
	calc_core_free(v.core);

	/* outside: a 2022 run sees nothing of this row */
	env_init(&v, f, 2, 2022, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.outside, 1);
	calc_core_free(v.core);
}

static void
test_validity_split_and_priority(void **state)
{
	/* Higher-priority (first) factor from 1 July, the other all year.
	 * Row: all of 2024 (366 days), 36,600 kWh, i.e. 100 kWh a day.
	 * Jan..Jun = 182 days -> 18,200 kWh * 0.4 = 7,280 kg
	 * Jul..Dec = 184 days -> 18,400 kWh * 0.2 = 3,680 kg; total 10,960 kg */
	struct factor f[] = {
		fac("h2", "energy.electricity", "DE", &U_KWH, D(2024, 7, 1),
		    D(2024, 12, 31), 2, PICO(200000000000)),
		fac("all", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(400000000000)),
		/* an unrelated bound (another region's factor) must not split */
		fac("by", "energy.electricity", "DE-BY", &U_KWH, D(2024, 3, 1),
		    D(2024, 3, 31), 2, PICO(100000000000)),
	};
	struct calc_in r = row(K_EL, D(2024, 1, 1), D(2024, 12, 31),
			       36600LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	env_init(&v, f, 3, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.nparts, 2);
	assert_int_equal(parts[0].days, 182);
	assert_string_equal(parts[0].factor->id, "all");
	assert_int_equal(parts[1].days, 184);
	assert_string_equal(parts[1].factor->id, "h2");
	assert_true(parts[0].mg.scope2_location_mg == KG(7280));
	assert_true(parts[1].mg.scope2_location_mg == KG(3680));
	assert_true(res.mg.scope2_location_mg == KG(10960));
	calc_core_free(v.core);

	/* leap day inside one factor: 2024-02-01..2024-03-31 = 29 + 31 = 60
	 * days; run 2024 takes all 60: 6,000 kWh * 0.4 = 2,400 kg */
	{
		struct calc_in r2 = row(K_EL, D(2024, 2, 1), D(2024, 3, 31),
					6000LL * 1000000, "kWh");
		env_init(&v, f + 1, 1, 2024, &AR5, 0);
		assert_int_equal(eval(&v, &r2, &res, parts, &e), 0);
		assert_int_equal(parts[0].days_total, 60);
		assert_true(res.mg.scope2_location_mg == KG(2400));
		calc_core_free(v.core);
	}
}

static void
test_hs_hi_and_m3(void **state)
{
	/* gas factor 0.201 kg CO2 per kWh (Hi), scope 1 */
	struct factor f[] = {
		fac("gas", "energy.natural_gas", "DE", &U_KWH, D(1990, 1, 1),
		    D(9999, 12, 31), 1, PICO(201000000000)),
	};
	struct calc_in hs = row(K_GAS, D(2024, 1, 1), D(2024, 12, 31),
				45000LL * 1000000, "kWh_Hs");
	struct calc_in m3 = row(K_GAS, D(2024, 3, 1), D(2024, 3, 31),
				1000LL * 1000000, "m3");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	env_init(&v, f, 1, 2024, &AR5, 0);
	/* example 3: 45,000 kWh_Hs * 0.9024 = 40,608 kWh * 0.201 = 8,162.208 kg */
	assert_int_equal(eval(&v, &hs, &res, parts, &e), 0);
	assert_true(res.mg.scope1_mg == 8162208000LL);
	assert_true(parts[0].conversion.num * 10000 == parts[0].conversion.den * 9024);
	/* never the unconverted 45,000 * 0.201 = 9,045 kg */
	assert_true(res.mg.scope1_mg != KG(9045));
	assert_int_equal(res.mg.scope2_location_mg, 0);
	/* 1,000 m3 * 10.4 kWh_Hs/m3 * 0.9024 = 9,384.96 kWh * 0.201
	 * = 1,886.37696 kg = 1,886,376,960 mg */
	assert_int_equal(eval(&v, &m3, &res, parts, &e), 0);
	assert_true(res.mg.scope1_mg == 1886376960LL);
	assert_string_equal(parts[0].conversion_path, "m3 -> kWh_Hs -> kWh");
	calc_core_free(v.core);
}

/* Final energy: the fake registry converts to kWh through the factor's set,
 * as reg_energy() does through the factor's own set first. */
static int
fake_energy(void *ctx, const struct factor *f, const struct unit_info *from,
	    struct ratio *out, char *path, size_t n)
{
	struct factor k = *f;

	(void)ctx;
	k.unit = &U_KWH;
	return fake_convert(ctx, &k, from, out, path, n);
}

static const struct conv FUEL_CONV[] = {
	/* Directive 2009/33/EC: diesel 36 MJ/l = 10 kWh/l */
	{"fleet.diesel", &U_L, &U_KWH, {10, 1}},
};
static const struct fset SET_FUEL = {"fuel@1", FUEL_CONV, 1, {0}, {{0, 1}}};

static void
test_final_energy(void **state)
{
	struct factor f[] = {
		fac("gas", "energy.natural_gas", "DE", &U_KWH, D(1990, 1, 1),
		    D(9999, 12, 31), 1, PICO(201000000000)),
		fac("el", "energy.electricity", "DE", &U_KWH, D(1990, 1, 1),
		    D(9999, 12, 31), 2, PICO(363000000000)),
		/* DESNZ 2024 diesel (average biofuel blend) 2.51279 kg/l */
		fac("diesel", "fleet.diesel", "DE", &U_L, D(1990, 1, 1),
		    D(9999, 12, 31), 1, PICO(2512790000000)),
		fac("van", "fleet.distance.van", "DE", &U_KM_FAKE, D(1990, 1, 1),
		    D(9999, 12, 31), 3, PICO(250000000000)),
		fac("office", "procurement.cpv.30192000", "DE", &U_EUR, D(1990, 1, 1),
		    D(9999, 12, 31), 3, PICO(265000000000)),
	};
	struct calc_in hs = row(K_GAS, D(2024, 1, 1), D(2024, 12, 31),
				45000LL * 1000000, "kWh_Hs");
	struct calc_in m3 = row(K_GAS, D(2024, 3, 1), D(2024, 3, 31),
				1000LL * 1000000, "m3");
	struct calc_in el = row(K_EL, D(2023, 11, 1), D(2024, 2, 29),
				24200LL * 1000000, "kWh");
	struct calc_in mwh = row(K_EL, D(2024, 1, 1), D(2024, 1, 31), 1500, "MWh");
	struct calc_in diesel = row(K_DIESEL, D(2024, 5, 2), D(2024, 5, 2),
				    15000LL * 1000000, "l");
	struct calc_in van = row(K_VAN, D(2024, 5, 2), D(2024, 5, 2),
				 100LL * 1000000, "km");
	struct calc_in cpv = row(K_CPV_3019, D(2024, 5, 2), D(2024, 5, 2),
				 1000LL * 1000000, "EUR");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	f[2].set = SET(&SET_FUEL);
	env_init(&v, f, 5, 2024, &AR5, 0);
	v.ops.energy = fake_energy;
	/* gas billed on Hs: 45,000 kWh_Hs * 0.9024 = 40,608 kWh (Hi) */
	assert_int_equal(eval(&v, &hs, &res, parts, &e), 0);
	assert_int_equal(res.energy, CALC_ENERGY_YES);
	assert_true(res.mg.energy_ukwh == 40608LL * 1000000);
	assert_true(res.mg.scope1_mg == 8162208000LL); /* unchanged: 8,162.208 kg */
	assert_int_equal(parts[0].energy, CALC_ENERGY_YES);
	assert_string_equal(parts[0].energy_path, "kWh_Hs -> kWh");
	/* 1,000 m3 * 10.4 * 0.9024 = 9,384.96 kWh */
	assert_int_equal(eval(&v, &m3, &res, parts, &e), 0);
	assert_true(res.mg.energy_ukwh == 9384960000LL);
	/* pro rata like the emissions: 24,200 kWh over 121 days, 60 in 2024
	 * = 12,000 kWh (methodology example 4) */
	assert_int_equal(eval(&v, &el, &res, parts, &e), 0);
	assert_true(res.mg.energy_ukwh == 12000LL * 1000000);
	assert_true(res.mg.scope2_location_mg == KG(4356)); /* 12,000 * 0.363 */
	/* 0.0015 MWh = 1.5 kWh, a plain scaling without a path */
	assert_int_equal(eval(&v, &mwh, &res, parts, &e), 0);
	assert_true(res.mg.energy_ukwh == 1500000);
	assert_string_equal(parts[0].energy_path, "");
	/* litres with the set's conversion: 15,000 l * 10 kWh/l = 150,000 kWh,
	 * shown next to 37,691.85 kg (methodology examples 2a and 2c) */
	assert_int_equal(eval(&v, &diesel, &res, parts, &e), 0);
	assert_int_equal(res.energy, CALC_ENERGY_YES);
	assert_true(res.mg.energy_ukwh == 150000LL * 1000000);
	assert_true(res.mg.scope1_mg == 37691850000LL);
	/* distance and spend: no energy by nature, emissions as before */
	assert_int_equal(eval(&v, &van, &res, parts, &e), 0);
	assert_int_equal(res.energy, CALC_ENERGY_NONE);
	assert_true(res.mg.energy_ukwh == 0);
	assert_true(res.mg.scope3_mg == KG(25));
	assert_int_equal(eval(&v, &cpv, &res, parts, &e), 0);
	assert_int_equal(res.energy, CALC_ENERGY_NONE);
	calc_core_free(v.core);

	/* the same diesel without a conversion in its set: no energy, said so;
	 * the emissions do not depend on it */
	f[2].set = SET(&SET_A);
	env_init(&v, f, 5, 2024, &AR5, 0);
	v.ops.energy = fake_energy;
	assert_int_equal(eval(&v, &diesel, &res, parts, &e), 0);
	assert_int_equal(res.energy, CALC_ENERGY_NO_CONVERSION);
	assert_true(res.mg.energy_ukwh == 0);
	assert_true(res.mg.scope1_mg == 37691850000LL);
	calc_core_free(v.core);
}

static void
test_impossible_conversion(void **state)
{
	struct factor f[] = {
		fac("el", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)),
	};
	struct calc_in r = row(K_EL, D(2024, 5, 1), D(2024, 5, 31), 1000000, "l");
	struct calc_in u = row(K_EL, D(2024, 5, 1), D(2024, 5, 31), 1000000, "furlong");
	struct calc_in b = row(K_BOGUS, D(2024, 5, 1), D(2024, 5, 31), 1000000, "kWh");
	struct calc_result res;
	struct env v;
	struct err e;

	env_init(&v, f, 1, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	assert_non_null(strstr(e.text, "cannot convert 'l' to 'kWh' for "
				       "energy.electricity"));
	assert_int_equal(eval(&v, &u, &res, NULL, &e), -1);
	assert_string_equal(e.text, "unknown unit 'furlong'");
	assert_int_equal(eval(&v, &b, &res, NULL, &e), -1);
	assert_non_null(strstr(e.text, "unknown activity key 'bogus.key'"));
	calc_core_free(v.core);
}

static void
test_gwp_sets(void **state)
{
	/* example 10: per t of a test mix, 1,000 kg fossil CH4 + 10 kg N2O;
	 * quantity 1 t.  AR4 1000*25 + 10*298 = 27,980; AR5 28,000 + 2,650 =
	 * 30,650; AR6 29,800 + 2,730 = 32,530 kg CO2e */
	struct factor f[] = {
		fac("mix", "energy.refrigerant", "*", &U_T, D(2000, 1, 1),
		    D(2099, 12, 31), 1, 0),
	};
	const struct gwp *g[] = {&AR4, &AR5, &AR6};
	const int64_t want[] = {KG(27980), KG(30650), KG(32530)};
	struct calc_in r = row(K_REFRIG, D(2024, 6, 1), D(2024, 6, 1), 1000000, "t");
	struct calc_result res;
	struct env v;
	struct err e;
	int i;

	f[0].has_gases = 1;
	f[0].ch4_fossil = 1000LL * 1000000000000LL; /* 1,000 kg in pico-kg */
	f[0].n2o = 10LL * 1000000000000LL;          /* 10 kg */
	for (i = 0; i < 3; i++) {
		env_init(&v, f, 1, 2024, g[i], 0);
		assert_int_equal(eval(&v, &r, &res, NULL, &e), 0);
		assert_true(res.mg.scope1_mg == want[i]);
		calc_core_free(v.core);
	}
	/* AR6 with non-fossil CH4: 1000 * 27.0 + 2,730 = 29,730 kg */
	f[0].ch4_biogenic = f[0].ch4_fossil;
	f[0].ch4_fossil = 0;
	env_init(&v, f, 1, 2024, &AR6, 0);
	assert_int_equal(eval(&v, &r, &res, NULL, &e), 0);
	assert_true(res.mg.scope1_mg == KG(29730));
	calc_core_free(v.core);
	/* and a fractional GWP stays exact: 1 kg fossil CH4 (AR6 29.8) on a
	 * quantity of 0.000001 t: 29.8 g * ... = 29.8 mg -> 30 mg */
	f[0].ch4_fossil = 1000000000000LL; /* 1 kg/t */
	f[0].ch4_biogenic = 0;
	f[0].n2o = 0;
	r.quantity = 1000; /* 0.001 t */
	env_init(&v, f, 1, 2024, &AR6, 0);
	assert_int_equal(eval(&v, &r, &res, NULL, &e), 0);
	/* 0.001 t * 1 kg/t * 29.8 = 0.0298 kg = 29,800 mg */
	assert_true(res.mg.scope1_mg == 29800);
	calc_core_free(v.core);
}

static void
test_biogenic_and_upstream(void **state)
{
	/* pellets per kg: ch4_biogenic 0.001, n2o 0.0001, biogenic_co2 1.6;
	 * 1,000 kg, AR5: 1000 * (0.001*28 + 0.0001*265) = 54.5 kg scope 1;
	 * biogenic 1,600 kg outside the scopes */
	struct factor f[] = {
		fac("pel", "energy.wood_pellets", "DE", &U_KG, D(2000, 1, 1),
		    D(2099, 12, 31), 1, 0),
		fac("el", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)),
	};
	struct calc_in p = row(K_PELLETS, D(2024, 2, 1), D(2024, 2, 1),
			       1000LL * 1000000, "kg");
	/* 10,000 kWh: location 0.363 -> 3,630 kg scope 2; upstream 0.047 ->
	 * 470 kg scope 3 (category 3) */
	struct calc_in el = row(K_EL, D(2024, 1, 1), D(2024, 12, 31),
				10000LL * 1000000, "kWh");
	struct calc_result res;
	struct env v;
	struct err e;

	f[0].has_gases = 1;
	f[0].ch4_biogenic = 1000000000;   /* 0.001 kg */
	f[0].n2o = 100000000;             /* 0.0001 kg */
	f[0].biogenic_co2 = 1600000000000; /* 1.6 kg */
	f[1].has_upstream = 1;
	f[1].upstream_co2e = 47000000000; /* 0.047 */
	env_init(&v, f, 2, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &p, &res, NULL, &e), 0);
	assert_true(res.mg.scope1_mg == 54500000LL);
	assert_true(res.mg.biogenic_co2_mg == KG(1600));
	assert_int_equal(res.mg.scope3_mg, 0);
	assert_int_equal(eval(&v, &el, &res, NULL, &e), 0);
	assert_true(res.mg.scope2_location_mg == KG(3630));
	assert_true(res.mg.scope3_mg == KG(470));
	assert_true(res.mg.upstream_mg == KG(470));
	assert_int_equal(res.mg.biogenic_co2_mg, 0);
	calc_core_free(v.core);
}

static void
test_market_hierarchy(void **state)
{
	/* 10,000 kWh in 2024; location 0.363 (3,630 kg); green tariff 0.0;
	 * residual mix 0.5 (5,000 kg); supplier 0.120 (1,200 kg) */
	struct factor f[] = {
		fac("loc", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)),
		fac("green", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, 0),
		fac("resid", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(500000000000)),
		fac("dh", "energy.district_heating", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(280000000000)),
		fac("gas", "energy.natural_gas", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 1, PICO(201000000000)),
	};
	struct calc_in r = row(K_EL, D(2024, 1, 1), D(2024, 12, 31),
			       10000LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	f[1].market = 1;
	f[1].tariff = "green";
	f[2].market = 1;
	env_init(&v, f, 5, 2024, &AR5, 0);
	/* green tariff: market 0 kg, location unchanged */
	r.tariff = "green";
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope2_location_mg == KG(3630));
	assert_int_equal(res.mg.scope2_market_mg, 0);
	assert_int_equal(parts[0].market_source, CALC_MKT_TARIFF);
	assert_string_equal(parts[0].market->id, "green");
	/* an unknown tariff and no tariff: the residual mix, 5,000 kg */
	r.tariff = "blue";
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope2_market_mg == KG(5000));
	assert_int_equal(parts[0].market_source, CALC_MKT_RESIDUAL);
	r.tariff = NULL;
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope2_market_mg == KG(5000));
	assert_int_equal(res.mg.market_fallback_mg, 0);
	/* the supplier's own factor wins over the tariff: 10 MWh * 0.120 =
	 * 1,200 kg (the row in MWh, the supplier factor per kWh) */
	r.tariff = "green";
	r.unit = "MWh";
	r.quantity = 10LL * 1000000;
	r.has_supplier_factor = 1;
	r.supplier_factor = 120000000; /* 0.120 kg in nano-kg */
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope2_location_mg == KG(3630));
	assert_true(res.mg.scope2_market_mg == KG(1200));
	assert_int_equal(parts[0].market_source, CALC_MKT_SUPPLIER);
	/* district heating without any market factor: location, flagged:
	 * 1,000 kWh * 0.280 = 280 kg */
	{
		struct calc_in dh = row(K_DH, D(2024, 1, 1), D(2024, 1, 31),
					1000LL * 1000000, "kWh");
		assert_int_equal(eval(&v, &dh, &res, parts, &e), 0);
		assert_true(res.mg.scope2_market_mg == KG(280));
		assert_true(res.mg.market_fallback_mg == KG(280));
		assert_int_equal(parts[0].market_source, CALC_MKT_LOCATION);
	}
	/* gas (scope 1): no market result of its own */
	{
		struct calc_in g = row(K_GAS, D(2024, 1, 1), D(2024, 1, 31),
				       1000LL * 1000000, "kWh");
		g.tariff = "green";
		assert_int_equal(eval(&v, &g, &res, parts, &e), 0);
		assert_true(res.mg.scope1_mg == KG(201));
		assert_int_equal(res.mg.scope2_market_mg, 0);
		assert_int_equal(parts[0].market_source, CALC_MKT_SAME);
	}
	calc_core_free(v.core);
}

static void
test_fleet_electricity_fallback(void **state)
{
	/* 1,000 kWh charged, no fleet.electricity factor: energy.electricity
	 * 0.363 -> 363 kg, but booked as fleet / electricity */
	struct factor f[] = {
		fac("el", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)),
	};
	struct calc_in r = row(K_FLEET_EL, D(2024, 4, 1), D(2024, 4, 1),
			       1000LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;
	const char *sector, *carrier;

	env_init(&v, f, 1, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope2_location_mg == KG(363));
	assert_string_equal(parts[0].factor->id, "el");
	calc_core_category(v.core, res.cat, &sector, &carrier);
	assert_string_equal(sector, "fleet");
	assert_string_equal(carrier, "electricity");
	calc_core_free(v.core);
}

static void
test_cpv_prefix_and_division_09(void **state)
{
	/* cpv.30 0.5 kg/EUR, cpv.3019 0.3 kg/EUR */
	struct factor f[] = {
		fac("d30", "procurement.cpv.30", "*", &U_EUR, D(2000, 1, 1),
		    D(2099, 12, 31), 3, PICO(500000000000)),
		fac("g3019", "procurement.cpv.3019", "*", &U_EUR, D(2000, 1, 1),
		    D(2099, 12, 31), 3, PICO(300000000000)),
		fac("d09", "procurement.cpv.09", "*", &U_EUR, D(2000, 1, 1),
		    D(2099, 12, 31), 3, PICO(900000000000)),
	};
	struct calc_in a = row(K_CPV_3019, D(2024, 3, 5), D(2024, 3, 5),
			       1000LL * 1000000, "EUR");
	struct calc_in b = row(K_CPV_3020, D(2024, 3, 5), D(2024, 3, 5),
			       1000LL * 1000000, "EUR");
	struct calc_in c = row(K_CPV_09, D(2024, 3, 5), D(2024, 3, 5),
			       1000LL * 1000000, "EUR");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;
	const char *sector, *carrier;

	env_init(&v, f, 3, 2024, &AR5, 0);
	/* 30192000: the longest named prefix 3019 -> 1,000 * 0.3 = 300 kg */
	assert_int_equal(eval(&v, &a, &res, parts, &e), 0);
	assert_string_equal(parts[0].factor->id, "g3019");
	assert_true(res.mg.scope3_mg == KG(300));
	calc_core_category(v.core, res.cat, &sector, &carrier);
	assert_string_equal(sector, "procurement");
	assert_string_equal(carrier, "cpv.30");
	/* 30200000: only the division -> 500 kg */
	assert_int_equal(eval(&v, &b, &res, parts, &e), 0);
	assert_string_equal(parts[0].factor->id, "d30");
	assert_true(res.mg.scope3_mg == KG(500));
	/* 09134100: excluded, zero, even though a factor exists */
	assert_int_equal(eval(&v, &c, &res, parts, &e), 0);
	assert_int_equal(res.excluded, 1);
	assert_int_equal(res.nparts, 0);
	assert_int_equal(res.mg.scope3_mg, 0);
	calc_core_category(v.core, res.cat, &sector, &carrier);
	assert_string_equal(carrier, "cpv.09");
	calc_core_free(v.core);
}

static void
test_deflation(void **state)
{
	/* example 5 route: 12,500 EUR in 2024 on a factor of 0.279045 kg per
	 * EUR of 2022, index 2022 110.2, 2024 119.3:
	 * 12,500 * 110.2/119.3 * 0.279045 = 3,843,844,875,000/1,193 mg
	 * = 3,221,999,056.999... mg -> 3,221,999,057 mg (3,221.999 kg) */
	struct factor f[] = {
		fac("off", "procurement.cpv.3019", "*", &U_EUR, D(2000, 1, 1),
		    D(2099, 12, 31), 3, PICO(279045000000)),
	};
	struct calc_in r = row(K_CPV_3019, D(2024, 9, 1), D(2024, 9, 1),
			       12500LL * 1000000, "EUR");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	f[0].price_year = 2022;
	env_init(&v, f, 1, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_true(res.mg.scope3_mg == 3221999057LL);
	/* 110.2/119.3 = 1102/1193 */
	assert_int_equal(parts[0].deflation.num, 1102);
	assert_int_equal(parts[0].deflation.den, 1193);
	calc_core_free(v.core);
	/* a 2023 row: the set has no index for 2023 -> a data error naming it */
	r.day_start = r.day_end = D(2023, 9, 1);
	env_init(&v, f, 1, 2023, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), -1);
	assert_non_null(strstr(e.text, "no price index for 2023 in factor set "
				       "test@1"));
	calc_core_free(v.core);
}

static void
test_strict_and_previous(void **state)
{
	struct factor f[] = {
		fac("el-2024", "energy.electricity", "DE", &U_KWH, D(2024, 1, 1),
		    D(2024, 12, 31), 2, PICO(363000000000)),
	};
	/* 2024-12-01..2025-01-31: 62 days, 6,200 kWh, 31 in 2025 */
	struct calc_in r = row(K_EL, D(2024, 12, 1), D(2025, 1, 31),
			       6200LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res;
	struct env v;
	struct err e;

	env_init(&v, f, 1, 2025, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	assert_string_equal(e.text,
			    "no emission factor for 'energy.electricity' in DE-BE on "
			    "2025-01-01 (the set test@1 covers it from 2024-01-01 to "
			    "2024-12-31; add a factor set or run with "
			    "--factor-fallback previous)");
	calc_core_free(v.core);
	/* previous: 3,100 kWh * 0.363 = 1,125.3 kg, flagged */
	env_init(&v, f, 1, 2025, &AR5, 1);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.extrapolated, 1);
	assert_int_equal(parts[0].extrapolated, 1);
	assert_int_equal(parts[0].days, 31);
	assert_true(res.mg.scope2_location_mg == 1125300000LL);
	calc_core_free(v.core);
	/* previous, but nothing earlier either: a row in 2023 */
	{
		struct calc_in r0 = row(K_EL, D(2023, 5, 1), D(2023, 5, 31),
					1000000, "kWh");
		env_init(&v, f, 1, 2023, &AR5, 1);
		assert_int_equal(eval(&v, &r0, &res, parts, &e), -1);
		assert_string_equal(e.text,
				    "no emission factor for 'energy.electricity' in "
				    "DE-BE on 2023-05-01, nor an earlier one (the set "
				    "test@1 covers it from 2024-01-01 to 2024-12-31; "
				    "add a factor set or run with --factor-fallback "
				    "nearest)");
		calc_core_free(v.core);
		/* strict offers 'nearest' there, as 'previous' cannot help */
		env_init(&v, f, 1, 2023, &AR5, 0);
		assert_int_equal(eval(&v, &r0, &res, parts, &e), -1);
		assert_string_equal(e.text,
				    "no emission factor for 'energy.electricity' in "
				    "DE-BE on 2023-05-01 (the set test@1 covers it "
				    "from 2024-01-01 to 2024-12-31; none starts "
				    "earlier: add a factor set or run with "
				    "--factor-fallback nearest)");
		calc_core_free(v.core);
		/* nearest: the 2024 factor, 1 kWh x 0.363 = 0.363 kg, flagged */
		env_init(&v, f, 1, 2023, &AR5, CALC_FALLBACK_NEAREST);
		assert_int_equal(eval(&v, &r0, &res, parts, &e), 0);
		assert_int_equal(res.extrapolated, 1);
		assert_int_equal(parts[0].extrapolated, 1);
		assert_ptr_equal(parts[0].factor, &f[0]);
		assert_true(res.mg.scope2_location_mg == 363000LL);
		calc_core_free(v.core);
	}
	/* the same row in 2024 is covered, not extrapolated: 3,100 kWh ->
	 * 1,125.3 kg */
	env_init(&v, f, 1, 2024, &AR5, 1);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.extrapolated, 0);
	assert_true(res.mg.scope2_location_mg == 1125300000LL);
	calc_core_free(v.core);
}

static void
test_parts_and_totals_agree(void **state)
{
	/* a row spread over twelve monthly factors: 366 days of 1 kWh with
	 * factor 0.001 * month number; the parts sum to the row total */
	struct factor f[12];
	struct calc_in r = row(K_EL, D(2024, 1, 1), D(2024, 12, 31),
			       366LL * 1000000, "kWh");
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_result res, res2;
	struct env v;
	struct err e;
	int64_t sum = 0, want = 0;
	const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int m;
	size_t i;

	for (m = 1; m <= 12; m++) {
		f[m - 1] = fac("m", "energy.electricity", "DE", &U_KWH, D(2024, m, 1),
			       m == 12 ? D(2024, 12, 31) : D(2024, m + 1, 1) - 1, 2,
			       (int64_t)m * 1000000000);
		/* month m: mdays kWh * 0.001 m kg = mdays * m * 1000 mg */
		want += (int64_t)mdays[m - 1] * m * 1000;
	}
	env_init(&v, f, 12, 2024, &AR5, 0);
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.nparts, 12);
	for (i = 0; i < res.nparts; i++)
		sum += parts[i].mg.scope2_location_mg;
	assert_true(sum == res.mg.scope2_location_mg);
	assert_true(sum == want);
	/* without parts the arithmetic is the same */
	assert_int_equal(eval(&v, &r, &res2, NULL, &e), 0);
	assert_memory_equal(&res.mg, &res2.mg, sizeof res.mg);
	calc_core_free(v.core);
}


/* ---- runs over a ledger ---- */

/* A fixture set as JSON, like a published file: electricity by year with a
 * residual mix and a green tariff, gas with Hs/Hi, diesel, spend per EUR. */
static const char GRID_JSON[] =
	"{\"format\": \"co2ledger-factors/1\", \"name\": \"fx\", \"version\": \"1\","
	" \"published\": \"2025-01-01\", \"description\": \"test\","
	" \"license\": \"CC0-1.0\", \"source\": \"test\","
	" \"price_index\": {\"2022\": 110.2, \"2023\": 116.7, \"2024\": 119.3},"
	" \"conversions\": [{\"activity\": \"energy.natural_gas\", \"from\": \"kWh_Hs\","
	"   \"to\": \"kWh\", \"factor\": 0.9024}],"
	" \"factors\": ["
	"  {\"id\": \"el23\", \"activity\": \"energy.electricity\", \"region\": \"DE\","
	"   \"unit\": \"kWh\", \"valid_from\": \"2023-01-01\", \"valid_to\": \"2023-12-31\","
	"   \"scope\": 2, \"co2e\": 0.386, \"upstream_co2e\": 0.05, \"citation\": \"t\"},"
	"  {\"id\": \"el24\", \"activity\": \"energy.electricity\", \"region\": \"DE\","
	"   \"unit\": \"kWh\", \"valid_from\": \"2024-01-01\", \"valid_to\": \"2024-12-31\","
	"   \"scope\": 2, \"co2e\": 0.363, \"citation\": \"t\"},"
	"  {\"id\": \"res\", \"activity\": \"energy.electricity\", \"region\": \"DE\","
	"   \"unit\": \"kWh\", \"valid_from\": \"2024-03-01\", \"valid_to\": \"2024-12-31\","
	"   \"method\": \"market\", \"scope\": 2, \"co2e\": 0.5, \"citation\": \"t\"},"
	"  {\"id\": \"grn\", \"activity\": \"energy.electricity\", \"region\": \"DE\","
	"   \"unit\": \"kWh\", \"valid_from\": \"2020-01-01\", \"valid_to\": \"2030-12-31\","
	"   \"method\": \"market\", \"tariff\": \"green\", \"scope\": 2, \"co2e\": 0,"
	"   \"citation\": \"t\"},"
	"  {\"id\": \"gas\", \"activity\": \"energy.natural_gas\", \"region\": \"*\","
	"   \"unit\": \"kWh\", \"valid_from\": \"2000-01-01\", \"valid_to\": \"2099-12-31\","
	"   \"scope\": 1, \"gases\": {\"co2\": 0.2, \"ch4_fossil\": 0.0000036,"
	"   \"n2o\": 0.0000036}, \"upstream_co2e\": 0.03, \"citation\": \"t\"},"
	"  {\"id\": \"die\", \"activity\": \"fleet.diesel\", \"region\": \"*\","
	"   \"unit\": \"l\", \"valid_from\": \"2000-01-01\", \"valid_to\": \"2099-12-31\","
	"   \"scope\": 1, \"co2e\": 2.51279, \"citation\": \"t\"},"
	"  {\"id\": \"c30\", \"activity\": \"procurement.cpv.30\", \"region\": \"*\","
	"   \"unit\": \"EUR\", \"valid_from\": \"2000-01-01\", \"valid_to\": \"2099-12-31\","
	"   \"scope\": 3, \"category\": 1, \"co2e\": 0.5, \"price_year\": 2022,"
	"   \"citation\": \"t\"}"
	" ]}";

static const char *const LKEYS[] = {"energy.electricity", "energy.natural_gas",
				    "fleet.diesel", "procurement.cpv.30192000",
				    "procurement.cpv.09134100", "fleet.electricity"};
static const char *const LUNITS[] = {"kWh", "kWh_Hs", "l", "EUR", "EUR", "MWh"};

struct tdb {
	char dir[64], path[128];
	struct ledger *l;
};

static void
sql(struct ledger *l, const char *q)
{
	if (db_exec(ledger_db(l), q) != DB_OK)
		fail_msg("sql: %s: %s", q, db_errmsg(ledger_db(l)));
}

static void
tdb_open(struct tdb *t)
{
	struct factor_set *fs;
	enum factor_import_result r;
	struct errlist *errs = errlist_new();
	struct err e;
	size_t i;
	char q[200];

	snprintf(t->dir, sizeof t->dir, "/tmp/co2-calc-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	if (ledger_open(&t->l, t->path, LEDGER_CREATE, &e))
		fail_msg("ledger_open: %s", e.text);
	if (factor_set_parse(GRID_JSON, strlen(GRID_JSON), "fx.json", &fs, errs, &e))
		fail_msg("parse: %s / %s", e.text, errs->n ? errs->items[0].text : "");
	if (factors_register(t->l, fs, &r, &e))
		fail_msg("register: %s", e.text);
	factor_set_free(fs);
	errlist_free(errs);
	sql(t->l, "INSERT INTO org_unit(id, code, name, kind, parent_id) VALUES "
		  "(1, 'BE', 'Berlin', 'state', NULL), (2, 'MITTE', 'Mitte', "
		  "'district', 1), (3, 'M-RH', 'Rathaus', 'site', 2), (4, 'SPANDAU', "
		  "'Spandau', 'district', 1), (5, 'SENFIN', 'Finanzen', 'department', 1)");
	sql(t->l, "INSERT INTO batch(id, kind, file, sha256, imported_at) VALUES "
		  "(1, 'energy', 'a.csv', 'aaaa', 'x'), (2, 'fleet', 'b.csv', 'bbbb', 'x'), "
		  "(3, 'energy', 'old.csv', 'cccc', 'x')");
	sql(t->l, "UPDATE batch SET status = 'superseded' WHERE id = 3");
	for (i = 0; i < sizeof LKEYS / sizeof *LKEYS; i++) {
		snprintf(q, sizeof q, "INSERT INTO activity_key(id, key) VALUES (%zu, '%s')",
			 i + 1, LKEYS[i]);
		sql(t->l, q);
	}
}

static void
tdb_close(struct tdb *t)
{
	char p[160];

	ledger_close(t->l);
	snprintf(p, sizeof p, "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->path);
	unlink(p);
	unlink(t->path);
	rmdir(t->dir);
}

#define NROWS 600

struct grow {
	int batch, line, org, key, d0, len, quality;
	long long qty;
	const char *tariff;
	long long sf; /* -1: none */
};

/* Deterministic pseudo-random rows: periods from 2023-10 on, some crossing
 * New Year and the 1 March residual-mix start, every key and unit. */
static void
gen_rows(struct grow *g)
{
	uint32_t x = 12345;
	int i;

	for (i = 0; i < NROWS; i++) {
		x = x * 1103515245u + 12345u;
		g[i].batch = i % 7 == 6 ? 3 : 1 + (int)(x >> 8) % 2;
		g[i].line = 2 + i;
		g[i].org = 2 + (int)((x >> 12) % 4);
		g[i].key = 1 + (int)((x >> 16) % 6);
		g[i].d0 = date_from_ymd(2023, 10, 1) + (int)((x >> 4) % 500);
		g[i].len = g[i].key >= 4 && g[i].key <= 5 ? 0 : (int)((x >> 20) % 120);
		g[i].quality = (int)((x >> 24) % 3);
		g[i].qty = 1 + (long long)((x >> 3) % 100000000) * 1234;
		g[i].tariff = (x >> 28) % 4 == 0 ? "green" : NULL;
		g[i].sf = (x >> 29) % 5 == 0 ? 120000000 : -1;
	}
}

static void
insert_rows(struct ledger *l, const struct grow *g, const int *order)
{
	char q[400];
	int i;

	sql(l, "BEGIN");
	for (i = 0; i < NROWS; i++) {
		const struct grow *r = &g[order[i]];
		char sf[32];
		if (r->sf < 0)
			snprintf(sf, sizeof sf, "NULL");
		else
			snprintf(sf, sizeof sf, "%lld", r->sf);
		snprintf(q, sizeof q,
			 "INSERT INTO activity(batch_id, line, org_id, key_id, day_start, "
			 "day_end, quantity, unit, quality, tariff, supplier_factor) VALUES "
			 "(%d, %d, %d, %d, %d, %d, %lld, '%s', %d, %s%s%s, %s)",
			 r->batch, r->line, r->org, r->key, r->d0, r->d0 + r->len, r->qty,
			 LUNITS[r->key - 1], r->quality, r->tariff ? "'" : "",
			 r->tariff ? r->tariff : "NULL", r->tariff ? "'" : "", sf);
		sql(l, q);
	}
	sql(l, "COMMIT");
}

struct rowsum {
	struct calc_totals t;
	long rows, excluded;
	int64_t last_id;
	int ordered;
};

static int
sum_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct rowsum *s = ctx;
	size_t i;
	struct calc_totals parts = {0};

	if (r->activity_id <= s->last_id)
		s->ordered = 0;
	s->last_id = r->activity_id;
	if (r->excluded) {
		s->excluded++;
		return 0;
	}
	for (i = 0; i < r->nparts; i++)
		assert_int_equal(calc_totals_add(&parts, &r->parts[i].mg), 0);
	assert_memory_equal(&parts, &r->mg, sizeof parts);
	s->rows++;
	return calc_totals_add(&s->t, &r->mg);
}

static void
run_ok(struct ledger *l, const struct calc_params *p, struct calc_summary *s)
{
	struct errlist *errs = errlist_new();
	struct err e;

	err_clear(&e);
	if (calc_run(l, p, s, errs, &e))
		fail_msg("calc_run: %s (%zu errors, first: %s)", e.text, errs->total,
			 errs->n ? errs->items[0].text : "");
	errlist_free(errs);
}

static void
test_run_shuffle_threads_and_rows(void **state)
{
	static struct grow g[NROWS];
	int order[NROWS], i;
	struct tdb a, b;
	struct calc_params p;
	struct calc_summary sa, sb, sc;
	struct rowsum rs = {{0}, 0, 0, 0, 1};
	struct err e;
	uint32_t x = 99;

	gen_rows(g);
	for (i = 0; i < NROWS; i++)
		order[i] = i;
	tdb_open(&a);
	insert_rows(a.l, g, order);
	/* the same rows in another order (Fisher-Yates) */
	for (i = NROWS - 1; i > 0; i--) {
		int j, t;
		x = x * 1103515245u + 12345u;
		j = (int)((x >> 8) % (uint32_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	tdb_open(&b);
	insert_rows(b.l, g, order);
	memset(&p, 0, sizeof p);
	p.year = 2024;
	p.threads = 1;
	run_ok(a.l, &p, &sa);
	run_ok(b.l, &p, &sb);
	p.threads = 3;
	run_ok(b.l, &p, &sc);
	assert_int_equal(sa.threads, 1);
	assert_int_equal(sc.threads, 3);
	/* the number is the caller's: the engine reads no environment, and
	 * below 200,000 rows it chooses one thread */
	p.threads = 0;
	setenv("CO2LEDGER_CALC_THREADS", "3", 1);
	run_ok(b.l, &p, &sb);
	unsetenv("CO2LEDGER_CALC_THREADS");
	assert_int_equal(sb.threads, 1);
	/* shuffling and threads change no number and neither hash */
	assert_memory_equal(&sa.totals, &sb.totals, sizeof sa.totals);
	assert_memory_equal(&sa.totals, &sc.totals, sizeof sa.totals);
	assert_string_equal(sa.results_sha256, sb.results_sha256);
	assert_string_equal(sa.results_sha256, sc.results_sha256);
	assert_string_equal(sa.inputs_sha256, sb.inputs_sha256);
	assert_int_equal(sa.rows_used, sc.rows_used);
	assert_int_equal(sa.rows_excluded, sc.rows_excluded);
	assert_true(sa.rows_used > 100);
	assert_true(sa.rows_excluded > 0);
	assert_true(sa.totals.scope2_market_mg != sa.totals.scope2_location_mg);
	/* the rows recomputed one by one add up to the stored run, in id order */
	assert_int_equal(calc_each_row(b.l, sc.run_id, 0, sum_row, &rs, &e), 0);
	assert_int_equal(rs.ordered, 1);
	assert_int_equal(rs.rows, sc.rows_used);
	assert_int_equal(rs.excluded, sc.rows_excluded);
	assert_memory_equal(&rs.t, &sc.totals, sizeof rs.t);
	/* and the stored run_total rows sum to the same */
	{
		struct db_stmt *st;
		assert_int_equal(db_prepare(ledger_db(b.l),
			"SELECT sum(scope1_mg), sum(scope2_location_mg), "
			"sum(scope2_market_mg), sum(scope3_mg), sum(rows) FROM run_total "
			"WHERE run_id = ?1", 0, &st), DB_OK);
		db_bind_int64(st, 1, sc.run_id);
		assert_int_equal(db_step(st), DB_ROW);
		assert_true(db_column_int64(st, 0) == sc.totals.scope1_mg);
		assert_true(db_column_int64(st, 1) == sc.totals.scope2_location_mg);
		assert_true(db_column_int64(st, 2) == sc.totals.scope2_market_mg);
		assert_true(db_column_int64(st, 3) == sc.totals.scope3_mg);
		assert_int_equal(db_column_int64(st, 4), sc.rows_used);
		db_finalize(st);
	}
	tdb_close(&a);
	tdb_close(&b);
}

static void
test_run_stores_and_fails_whole(void **state)
{
	struct tdb t;
	struct calc_params p;
	struct calc_summary s;
	struct calc_run_info ri;
	struct errlist *errs = errlist_new();
	struct err e;
	struct db_stmt *st;

	tdb_open(&t);
	/* a.csv:2: 24,200 kWh 2023-11-01..2024-02-29 (example 4); a.csv:3:
	 * 45,000 kWh_Hs gas in 2024 (per gas, AR5); b.csv:2: 15,000 l diesel */
	sql(t.l, "INSERT INTO activity(batch_id, line, org_id, key_id, day_start, "
		 "day_end, quantity, unit, quality) VALUES "
		 "(1, 2, 3, 1, 19662, 19782, 24200000000, 'kWh', 0), "
		 "(1, 3, 3, 2, 19723, 20088, 45000000000, 'kWh_Hs', 0), "
		 "(2, 2, 4, 3, 19900, 19900, 15000000000, 'l', 0)");
	memset(&p, 0, sizeof p);
	p.year = 2024;
	assert_int_equal(calc_run(t.l, &p, &s, errs, &e), 0);
	/* electricity 12,000 kWh x 0.363 = 4,356 kg; market: residual mix only
	 * from 1 March, so the location value, flagged */
	assert_true(s.totals.scope2_location_mg == KG(4356));
	assert_true(s.totals.market_fallback_mg == KG(4356));
	/* gas: 40,608 kWh x (0.2 + 0.0000036 x 28 + 0.0000036 x 265)
	 * = 40,608 x 0.2010548 = 8,164.4333184 kg -> 8,164,433,318 mg;
	 * upstream 40,608 x 0.03 = 1,218.24 kg; diesel 37,691.85 kg */
	assert_true(s.totals.scope1_mg == 8164433318LL + 37691850000LL);
	assert_true(s.totals.upstream_mg == 1218240000LL);
	assert_true(s.totals.scope3_mg == 1218240000LL);
	assert_int_equal(s.rows_used, 3);
	assert_int_equal(calc_run_info(t.l, s.run_id, &ri, &e), 0);
	assert_string_equal(ri.gwp, "AR5");
	assert_string_equal(ri.region, "DE-BE");
	assert_string_equal(ri.fallback, "strict");
	assert_string_equal(ri.results_sha256, s.results_sha256);
	/* the audit log has the run */
	assert_int_equal(db_prepare(ledger_db(t.l),
		"SELECT count(*) FROM audit WHERE action = 'run'", 0, &st),
		DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_finalize(st);
	/* 2025: the electricity row has no factor; strict stores nothing */
	sql(t.l, "INSERT INTO activity(batch_id, line, org_id, key_id, day_start, "
		 "day_end, quantity, unit, quality) VALUES "
		 "(1, 4, 3, 1, 20089, 20119, 1000000, 'kWh', 0), "
		 "(1, 5, 3, 1, 20100, 20100, 1000000, 'l', 0)");
	p.year = 2025;
	/* with two threads the errors still come in row order */
	p.threads = 2;
	assert_int_equal(calc_run(t.l, &p, &s, errs, &e), -1);
	p.threads = 0;
	assert_int_equal(e.kind, ERR_DATA);
	assert_int_equal(errs->total, 2);
	assert_string_equal(errs->items[0].file, "a.csv");
	assert_int_equal(errs->items[0].line, 4);
	assert_non_null(strstr(errs->items[0].text, "no emission factor for "
				"'energy.electricity' in DE-BE on 2025-01-01"));
	assert_int_equal(errs->items[1].line, 5);
	assert_non_null(strstr(errs->items[1].text, "no emission factor"));
	assert_int_equal(db_prepare(ledger_db(t.l),
		"SELECT count(*) FROM run", 0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_finalize(st);
	/* previous: 1 kWh x 0.363 = 0.363 kg = 363,000 mg, extrapolated; the
	 * litre row still cannot be converted to kWh */
	errs->n = errs->total = 0;
	p.fallback_previous = 1;
	assert_int_equal(calc_run(t.l, &p, &s, errs, &e), -1);
	assert_int_equal(errs->total, 1);
	assert_non_null(strstr(errs->items[0].text, "cannot convert 'l' to 'kWh' for "
				"energy.electricity"));
	sql(t.l, "DELETE FROM activity WHERE line = 5");
	errs->n = errs->total = 0;
	assert_int_equal(calc_run(t.l, &p, &s, errs, &e), 0);
	assert_int_equal(s.rows_extrapolated, 1);
	assert_true(s.totals.scope2_location_mg == 363000);
	errlist_free(errs);
	tdb_close(&t);
}

/* District heat of a unit on a network: the network's factor where one
 * covers the day, else the regional default; the network's factor is also
 * the market-based one (not a fallback) unless the row has a supplier
 * factor; a unit on no network never gets a network factor. */
static void
test_district_heat_network(void **state)
{
	struct factor f[3];
	struct env v;
	struct calc_in r;
	struct calc_result res;
	struct calc_part parts[CALC_MAX_PARTS];
	struct err e;
	const struct factor *const *used;
	size_t n;

	(void)state;
	f[0] = fac("dh-de", "energy.district_heating", "DE", &U_KWH, D(2020, 1, 1),
		   D(2030, 12, 31), 2, PICO(280000000000));
	f[1] = fac("dh-n1", "energy.district_heating", "DE-BE", &U_KWH, D(2024, 1, 1),
		   D(2024, 6, 30), 2, PICO(150000000000));
	f[1].network = "n1";
	f[1].allocation = "carnot";
	/* another network's factor, of every day: never taken for n1 */
	f[2] = fac("dh-n2", "energy.district_heating", "DE-BE", &U_KWH, D(2020, 1, 1),
		   D(2030, 12, 31), 2, PICO(10000000000));
	f[2].network = "n2";
	f[2].allocation = "finnish";
	env_init(&v, f, 3, 2024, gwp_find("AR5"), 0);

	/* 1,000 kWh of 2024 on n1: 182/366 x 150 = 74.590163934 kg (n1),
	 * 184/366 x 280 = 140.765027322 kg (the default, flagged in market) */
	r = row(K_DH, D(2024, 1, 1), D(2024, 12, 31), 1000000000, "kWh");
	r.network = "n1";
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.nparts, 2);
	assert_ptr_equal(parts[0].factor, &f[1]);
	assert_int_equal(parts[0].mg.scope2_location_mg, 74590164);
	assert_int_equal(parts[0].mg.scope2_market_mg, 74590164);
	assert_int_equal(parts[0].market_source, CALC_MKT_SAME);
	assert_ptr_equal(parts[1].factor, &f[0]);
	assert_int_equal(parts[1].mg.scope2_location_mg, 140765027);
	assert_int_equal(parts[1].mg.market_fallback_mg, 140765027);
	used = calc_core_network_factors(v.core, &n);
	assert_int_equal(n, 1);
	assert_ptr_equal(used[0], &f[1]);

	/* the same row on no network: the default all year, 280 kg */
	r.network = NULL;
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(res.nparts, 1);
	assert_ptr_equal(parts[0].factor, &f[0]);
	assert_int_equal(res.mg.scope2_location_mg, KG(280));

	/* on n1 with a supplier factor of 0.1 kg/kWh: the market-based
	 * result of the network part is the supplier's, 182/366 x 100 kg */
	r = row(K_DH, D(2024, 1, 1), D(2024, 12, 31), 1000000000, "kWh");
	r.network = "n1";
	r.has_supplier_factor = 1;
	r.supplier_factor = 100000000; /* nano-kg per kWh */
	assert_int_equal(eval(&v, &r, &res, parts, &e), 0);
	assert_int_equal(parts[0].market_source, CALC_MKT_SUPPLIER);
	assert_int_equal(parts[0].mg.scope2_location_mg, 74590164);
	assert_int_equal(parts[0].mg.scope2_market_mg, 49726776);
	calc_core_free(v.core);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_rounding_paths_agree),
		cmocka_unit_test(test_new_year_and_leap_day),
		cmocka_unit_test(test_validity_split_and_priority),
		cmocka_unit_test(test_hs_hi_and_m3),
		cmocka_unit_test(test_final_energy),
		cmocka_unit_test(test_impossible_conversion),
		cmocka_unit_test(test_gwp_sets),
		cmocka_unit_test(test_biogenic_and_upstream),
		cmocka_unit_test(test_market_hierarchy),
		cmocka_unit_test(test_fleet_electricity_fallback),
		cmocka_unit_test(test_cpv_prefix_and_division_09),
		cmocka_unit_test(test_deflation),
		cmocka_unit_test(test_strict_and_previous),
		cmocka_unit_test(test_parts_and_totals_agree),
		cmocka_unit_test(test_district_heat_network),
		cmocka_unit_test(test_run_shuffle_threads_and_rows),
		cmocka_unit_test(test_run_stores_and_fails_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
