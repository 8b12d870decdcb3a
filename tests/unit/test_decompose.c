/*
 * Unit tests for the decomposition of a change (engine/decompose.h) on a
 * hand-computed fixture: two years, three rows each, a factor-set edition
 * with a lower electricity factor, a GWP change and a meter whose rows move
 * from district A to district B. Every expected figure is worked out by hand
 * next to the fixture; the effects must add up to the change exactly.
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

#include "engine/calc.h"
#include "engine/decompose.h"
#include "factors/factors.h"
#include "store/ledger.h"

static char dbpath[64];

/* Edition 1: electricity 0.400 (2023) and 0.300 (2024) kg/kWh; edition 2
 * revises 2024 to 0.250. Gas in gases: CO2 0.2 + fossil CH4 0.001, so
 * 0.228 kg CO2e/kWh with AR5 (CH4 28) and 0.2298 with AR6 (CH4 29.8). */
#define SET(VER, EL24)                                                              \
	"{\"format\": \"co2ledger-factors/1\", \"name\": \"fx\", \"version\": \"" VER \
	"\", \"published\": \"2025-0" VER "-01\", \"description\": \"decomposition "   \
	"fixture\", \"license\": \"CC0-1.0\", \"source\": \"hand-made\", "             \
	"\"factors\": ["                                                               \
	"{\"id\": \"el-2023\", \"activity\": \"energy.electricity\", \"region\": "     \
	"\"DE\", \"unit\": \"kWh\", \"valid_from\": \"2023-01-01\", \"valid_to\": "    \
	"\"2023-12-31\", \"scope\": 2, \"co2e\": 0.4, \"citation\": \"test\"},"        \
	"{\"id\": \"el-2024\", \"activity\": \"energy.electricity\", \"region\": "     \
	"\"DE\", \"unit\": \"kWh\", \"valid_from\": \"2024-01-01\", \"valid_to\": "    \
	"\"2024-12-31\", \"scope\": 2, \"co2e\": " EL24 ", \"citation\": \"test\"},"   \
	"{\"id\": \"gas\", \"activity\": \"energy.natural_gas\", \"region\": \"DE\", " \
	"\"unit\": \"kWh\", \"valid_from\": \"2020-01-01\", \"valid_to\": "            \
	"\"2030-12-31\", \"scope\": 1, \"gases\": {\"co2\": 0.2, \"ch4_fossil\": "     \
	"0.001}, \"citation\": \"test\"}]}"

/* Days: 2022-12-01 = 19327, 2023-01-01 = 19358, 2023-12-31 = 19722,
 * 2024-01-01 = 19723, 2024-12-31 = 20088.
 * 2023: A-S meter M1 10,000 kWh 2022-12-01..2023-12-31 (365 of 396 days in
 *       2023); A meter M2 5,000 kWh; B-S gas meter G1 20,000 kWh.
 * 2024: A-S M1 9,000 kWh; M2 6,000 kWh now booked on B-S (moved to B);
 *       B-S G1 22,000.7 kWh. */
static const char FIXTURE[] =
	"INSERT INTO org_unit(id, code, name, kind, parent_id) VALUES"
	" (1, 'ST', 'State', 'state', NULL), (2, 'A', 'Alpha', 'district', 1),"
	" (3, 'A-S', 'Alpha school', 'site', 2), (4, 'B', 'Beta', 'district', 1),"
	" (5, 'B-S', 'Beta hall', 'site', 4);"
	"INSERT INTO batch(id, kind, file, sha256, rows_total, rows_loaded, imported_at)"
	" VALUES (1, 'energy', 'e.csv', 'e0', 6, 6, '2026-01-01T00:00:00Z');"
	"INSERT INTO activity_key(id, key) VALUES (1, 'energy.electricity'),"
	" (2, 'energy.natural_gas');"
	"INSERT INTO activity(id, batch_id, line, org_id, key_id, day_start, day_end,"
	" quantity, unit, quality, ident) VALUES"
	" (1, 1, 2, 3, 1, 19327, 19722, 10000000000, 'kWh', 0, 'M1'),"
	" (2, 1, 3, 2, 1, 19358, 19722, 5000000000, 'kWh', 0, 'M2'),"
	" (3, 1, 4, 5, 2, 19358, 19722, 20000000000, 'kWh', 0, 'G1'),"
	" (4, 1, 5, 3, 1, 19723, 20088, 9000000000, 'kWh', 0, 'M1'),"
	" (5, 1, 6, 5, 1, 19723, 20088, 6000000000, 'kWh', 0, 'M2'),"
	" (6, 1, 7, 5, 2, 19723, 20088, 22000700000, 'kWh', 0, 'G1');";

static void
register_set(struct ledger *l, const char *json)
{
	struct factor_set *s = NULL;
	enum factor_import_result res;
	struct err e;

	err_clear(&e);
	if (factor_set_parse(json, strlen(json), "fx.json", &s, NULL, &e))
		fail_msg("%s", e.text);
	assert_int_equal(factors_register(l, s, &res, &e), 0);
	factor_set_free(s);
}

static int64_t
run(struct ledger *l, int year, const char *sets, const char *gwp)
{
	struct calc_params p;
	struct calc_summary sum;
	struct errlist *errs = errlist_new();
	struct factor_ref *refs = NULL;
	struct err e;

	memset(&p, 0, sizeof p);
	err_clear(&e);
	if (sets && factor_refs_parse(sets, &refs, &p.nfactors, &e))
		fail_msg("%s", e.text);
	p.year = year;
	p.factors = refs;
	p.gwp = gwp;
	if (calc_run(l, &p, &sum, errs, &e))
		fail_msg("%s", e.text);
	errlist_free(errs);
	free(refs);
	return sum.run_id;
}

static const struct decomp_line *
line(const struct decomp *d, const char *code, const char *sector)
{
	size_t i;

	for (i = 0; i < decomp_count(d); i++) {
		const struct decomp_line *ln = decomp_at(d, i);
		if (((!code && !ln->code) || (code && ln->code && strcmp(code, ln->code) == 0)) &&
		    ((!sector && !ln->sector) ||
		     (sector && ln->sector && strcmp(sector, ln->sector) == 0)))
			return ln;
	}
	fail_msg("no line %s %s", code ? code : "(all)", sector ? sector : "(all)");
	return NULL;
}

/* base, method, factors, structure, activity, current; in mg */
static void
check(const struct decomp_line *ln, int64_t base, int64_t method,
      int64_t factors, int64_t structure, int64_t activity, int64_t current)
{
	int lens;

	for (lens = 0; lens < DECOMP_NLENSES; lens++) {
		int64_t sum = 0;
		int k;
		assert_int_equal(ln->t[DECOMP_BASE][lens], base);
		assert_int_equal(decomp_effect_mg(ln, DECOMP_E_METHOD, lens), method);
		assert_int_equal(decomp_effect_mg(ln, DECOMP_E_FACTORS, lens), factors);
		assert_int_equal(decomp_effect_mg(ln, DECOMP_E_STRUCTURE, lens), structure);
		assert_int_equal(decomp_effect_mg(ln, DECOMP_E_ACTIVITY, lens), activity);
		assert_int_equal(ln->t[DECOMP_CURRENT][lens], current);
		for (k = 0; k < DECOMP_NEFFECTS; k++)
			sum += decomp_effect_mg(ln, (enum decomp_effect)k, lens);
		assert_int_equal(sum, current - base);
		assert_int_equal(decomp_change_mg(ln, lens), current - base);
	}
}

static void
test_hand_computed(void **state)
{
	struct ledger *l;
	struct decomp *d = NULL;
	struct err e;
	int64_t r23, r24;
	char p[96];

	(void)state;
	snprintf(dbpath, sizeof dbpath, "/tmp/co2ledger-decomp-%ld.db", (long)getpid());
	unlink(dbpath);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(ledger_exec(l, FIXTURE, &e), 0);
	register_set(l, SET("1", "0.3"));
	register_set(l, SET("2", "0.25"));
	r23 = run(l, 2023, "fx@1", "AR5");
	r24 = run(l, 2024, "fx@2", "AR6");
	if (decomp_runs(l, r23, r24, &d, &e))
		fail_msg("%s", e.text);
	assert_int_equal(decomp_get_info(d)->base_year, 2023);
	assert_int_equal(decomp_get_info(d)->year, 2024);

	/* A electricity. T0: M1 10,000 x 365/396 x 0.4 = 3,686.868686.. ->
	 * 3,686.868687 kg; M2 5,000 x 0.4 = 2,000 -> 5,686.868687. T1 the same
	 * (no gases). T2: M1 x 0.25 = 2,304.292929..; M2 1,250 -> 3,554.292929:
	 * factors -2,132.575758. T3: M2 left for B: 2,304.292929, structure
	 * -1,250. T4: M1 9,000 x 0.25 = 2,250: activity -54.292929. */
	check(line(d, "A", "buildings.electricity"), 5686868687, 0, -2132575758,
	      -1250000000, -54292929, 2250000000);
	check(line(d, "A", NULL), 5686868687, 0, -2132575758, -1250000000,
	      -54292929, 2250000000);
	assert_int_equal(line(d, "A", NULL)->moved_out, 1);
	/* B electricity: nothing in 2023; T3 brings M2 at the new factors
	 * (1,250), T4 is M2 6,000 x 0.25 = 1,500: activity +250. */
	check(line(d, "B", "buildings.electricity"), 0, 0, 0, 1250000000,
	      250000000, 1500000000);
	assert_int_equal(line(d, "B", NULL)->moved_in, 1);
	/* B heat: 20,000 x 0.228 = 4,560 (AR5); AR6 0.2298: 4,596, method +36;
	 * 2024: 22,000.7 x 0.2298 = 5,055.76086, activity +459.76086. */
	check(line(d, "B", "buildings.heat"), 4560000000, 36000000, 0, 0,
	      459760860, 5055760860);
	/* All units: 10,246.868687 -> 8,805.76086; the move cancels out. */
	check(line(d, NULL, NULL), 10246868687, 36000000, -2132575758, 0,
	      655467931, 8805760860);
	decomp_free(d);

	/* The other way round the effects change sign and still add up. */
	if (decomp_runs(l, r24, r23, &d, &e))
		fail_msg("%s", e.text);
	{
		const struct decomp_line *t = line(d, NULL, NULL);
		int64_t sum = 0;
		int k;
		for (k = 0; k < DECOMP_NEFFECTS; k++)
			sum += decomp_effect_mg(t, (enum decomp_effect)k, DECOMP_LOCATION);
		assert_int_equal(sum, 10246868687 - 8805760860);
		assert_int_equal(t->t[DECOMP_BASE][0], 8805760860);
		/* AR5 on the 2024 rows: 22,000.7 x 0.228 = 5,016.1596 */
		assert_int_equal(decomp_effect_mg(t, DECOMP_E_METHOD, DECOMP_LOCATION),
				 5016159600 - 5055760860);
	}
	decomp_free(d);
	assert_int_equal(decomp_runs(l, r23, 99, &d, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	assert_null(d);

	ledger_close(l);
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_computed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
