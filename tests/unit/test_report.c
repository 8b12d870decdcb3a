/*
 * Unit tests for the report model: roll-up to the reporting units, ratio of
 * sums with the statistics rule, nulls, rank ties, change against the
 * previous year, quality shares and rounding. Runs and their totals are
 * written into a scratch ledger with SQL, so the arithmetic is checked
 * independently of the calculation engine; expected values are worked out
 * by hand next to each assertion.
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
#include "store/ledger.h"
#include "factors/factors.h"
#include "importers/import.h"
#include "reports/report_int.h"
#include "factors/degreedays.h"

static char dbpath[64];

/* State ST; districts A (pop 1000, emp 10, 500 m2), B (no own figures,
 * site B-1 with pop 3000 and 250.5 m2), C (pop 2000) and D (pop 1000);
 * department DEP (emp 40, no population); site A-1 under A. */
static const char FIXTURE[] =
	"INSERT INTO org_unit(id, code, name, kind, parent_id) VALUES"
	" (1, 'ST', 'State', 'state', NULL),"
	" (2, 'A', 'Alpha', 'district', 1),"
	" (3, 'A-1', 'Alpha school', 'site', 2),"
	" (4, 'B', 'Beta', 'district', 1),"
	" (5, 'B-1', 'Beta hall', 'site', 4),"
	" (6, 'C', 'Gamma', 'district', 1),"
	" (7, 'D', 'Delta', 'district', 1),"
	" (8, 'DEP', 'Department', 'department', 1),"
	" (9, 'E', 'Epsilon', 'district', 1);"
	"INSERT INTO org_stat(org_id, year, population, employees, floor_area_m2) VALUES"
	" (2, 2024, 1000, 10, 500), (5, 2024, 3000, NULL, 250.5),"
	" (6, 2024, 2000, NULL, NULL), (7, 2024, 1000, NULL, NULL),"
	" (8, 2024, NULL, 40, NULL), (3, 2024, 99999, 99, 99),"
	" (9, 2024, 500, NULL, NULL);"
	"INSERT INTO run(id, year, gwp, region, fallback, factor_sets, batches,"
	" inputs_sha256, results_sha256, rows_used, rows_excluded, rows_extrapolated,"
	" created_at) VALUES"
	" (1, 2024, 'AR5', 'DE-BE', 'strict', '[{\"name\":\"s\",\"version\":\"1\","
	"\"sha256\":\"00\"}]', '[{\"id\":7,\"kind\":\"energy\",\"file\":\"e.csv\","
	"\"sha256\":\"11\",\"rows\":5}]', 'in', 'res', 5, 0, 1, 'now'),"
	" (2, 2023, 'AR5', 'DE-BE', 'strict', '[]', '[]', 'in', 'res', 3, 0, 0, 'now'),"
	" (3, 2023, 'AR5', 'DE-BE', 'strict', '[]', '[]', 'in', 'res', 0, 0, 0, 'now');"
	/* run 1, mg: A-1 electricity 1,000,000 loc (scope 2) with 200,000 upstream,
	 * market 100,000; A diesel 500,000 scope 1 estimated; B-1 gas 4,000,500
	 * scope 1 extrapolated, calculated; C electricity 1,000,000 (scope 2);
	 * D electricity 500,000; DEP paper 300,000 scope 3; ST itself 7,000 */
	"INSERT INTO run_total(run_id, org_id, sector, carrier, quality, extrapolated,"
	" rows, scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg,"
	" upstream_mg, biogenic_co2_mg, market_fallback_mg) VALUES"
	" (1, 3, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 1000000, 100000, 200000, 200000, 0, 0),"
	" (1, 2, 'fleet', 'diesel', 2, 0, 1, 500000, 0, 0, 0, 0, 0, 0),"
	" (1, 5, 'buildings.heat', 'natural_gas', 1, 1, 1, 4000500, 0, 0, 0, 0, 1234, 0),"
	" (1, 6, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 1000000, 1000000, 0, 0, 0, 0),"
	" (1, 7, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 500000, 500000, 0, 0, 0, 0),"
	" (1, 8, 'procurement', 'cpv.30', 2, 0, 1, 0, 0, 0, 300000, 0, 0, 0),"
	" (1, 1, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 7000, 7000, 0, 0, 0, 0),"
	/* run 2 (2023): A-1 1,500,000 and A's fleet (one row of 0 mg, so 2023
	 * covers both of A's sectors); C 0 rows; B-1 3,000,000 */
	" (2, 3, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 1500000, 1500000, 0, 0, 0, 0),"
	" (2, 2, 'fleet', 'diesel', 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),"
	" (2, 5, 'buildings.heat', 'natural_gas', 0, 0, 1, 3000000, 0, 0, 0, 0, 0, 0);";

static struct ledger *
open_fixture(void)
{
	struct ledger *l;
	struct err e;

	snprintf(dbpath, sizeof dbpath, "/tmp/co2ledger-report-%ld.db", (long)getpid());
	unlink(dbpath);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(ledger_exec(l, FIXTURE, &e), 0);
	return l;
}

static void
close_fixture(struct ledger *l)
{
	char p[80];

	ledger_close(l);
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

static const struct report_unit *
unit(const struct report_model *m, const char *code)
{
	size_t i;

	for (i = 0; i < report_unit_count(m); i++)
		if (strcmp(report_unit_at(m, i)->code, code) == 0)
			return report_unit_at(m, i);
	fail_msg("no unit %s", code);
	return NULL;
}

static void
test_rollup_and_ratios(void **state)
{
	struct ledger *l = open_fixture();
	struct report_model *m;
	const struct report_unit *a, *b, *c, *dep;
	const struct report_figures *t;
	struct err e;
	int64_t g;

	assert_int_equal(report_build(l, 1, 2, NULL, &m, &e), 0);
	/* reporting units: A, B, C, D, DEP, E in display order (code order) */
	assert_int_equal(report_unit_count(m), 6);
	assert_string_equal(report_unit_at(m, 0)->code, "A");
	assert_string_equal(report_unit_at(m, 4)->code, "DEP");
	a = unit(m, "A");
	b = unit(m, "B");
	c = unit(m, "C");
	dep = unit(m, "DEP");
	/* A = its site A-1 (1,000,000 + 200,000) + its own diesel 500,000 */
	assert_int_equal(report_total_location(&a->f), 1700000);
	/* market: 500,000 + 100,000 + 200,000 */
	assert_int_equal(report_total_market(&a->f), 800000);
	assert_int_equal(a->f.sector[0].location_mg, 1200000); /* electricity incl. upstream */
	assert_int_equal(a->f.sector[0].market_mg, 300000);
	/* A's own statistics win over its site's: 1,700,000 mg / 1000 people
	 * = 1.7 g = 0.002 kg after rounding half away from zero */
	assert_true(report_per_g(&a->f, REPORT_PER_CAPITA, &g));
	assert_int_equal(g, 2);
	/* per employee: 1,700,000 mg / 10 = 170 g */
	assert_true(report_per_g(&a->f, REPORT_PER_EMPLOYEE, &g));
	assert_int_equal(g, 170);
	/* per m2: 1,700,000 mg / 500 m2 = 3.4 g -> 3 g */
	assert_true(report_per_g(&a->f, REPORT_PER_M2, &g));
	assert_int_equal(g, 3);
	/* B has no own figures: its site's 3000 people and 250.5 m2;
	 * 4,000,500 mg / 3000 = 1333.5 mg = 1.3335 g -> 1 g per person;
	 * per m2: 4,000,500 / 250,500 (milli-m2) = 15.97 g -> 16 g */
	assert_int_equal(b->f.stat[REPORT_PER_CAPITA], 3000);
	assert_true(report_per_g(&b->f, REPORT_PER_CAPITA, &g));
	assert_int_equal(g, 1);
	assert_true(report_per_g(&b->f, REPORT_PER_M2, &g));
	assert_int_equal(g, 16);
	assert_false(report_per_g(&b->f, REPORT_PER_EMPLOYEE, &g));
	/* DEP: no population anywhere below it: null, no rank */
	assert_false(report_per_g(&dep->f, REPORT_PER_CAPITA, &g));
	assert_int_equal(dep->f.rank, 0);
	/* the state's statistics: A 1000 + B (site) 3000 + C 2000 + D 1000 +
	 * E 500 = 7500 people, not A-1's 99999; employees A 10 + DEP 40 = 50 */
	t = report_totals(m);
	assert_int_equal(t->stat[REPORT_PER_CAPITA], 7500);
	assert_int_equal(t->stat[REPORT_PER_EMPLOYEE], 50);
	/* totals include ST's own 7,000: 1,700,000 + 4,000,500 + 1,000,000 +
	 * 500,000 + 300,000 + 7,000 = 7,507,500 mg; per capita 7,507,500 /
	 * 7500 = 1001 mg = 1.001 g -> 1 g (ratio of sums, not mean of ratios) */
	assert_int_equal(report_total_location(t), 7507500);
	assert_true(report_per_g(t, REPORT_PER_CAPITA, &g));
	assert_int_equal(g, 1);
	assert_int_equal(t->biogenic_co2_mg, 1234);
	/* rank per capita: A 0.0017 kg -> 2 g, B 1 g, C 1,000,000/2000 = 500 mg
	 * = 0.5 g -> 1 g (half away from zero), D 500,000/1000 = 0.5 g -> 1 g.
	 * B, C, D tie at 1 g: rank 1; A: rank 4 */
	assert_int_equal(unit(m, "B")->f.rank, 1);
	assert_int_equal(c->f.rank, 1);
	assert_int_equal(unit(m, "D")->f.rank, 1);
	assert_int_equal(a->f.rank, 4);
	/* E has people but not one activity row: 0 kg, no rank */
	assert_true(report_per_g(&unit(m, "E")->f, REPORT_PER_CAPITA, &g));
	assert_int_equal(g, 0);
	assert_int_equal(unit(m, "E")->f.rank, 0);
	report_free(m);
	close_fixture(l);
}

static void
test_previous_and_quality(void **state)
{
	struct ledger *l = open_fixture();
	struct report_model *m;
	struct err e;
	int64_t x;
	json_t *fig, *q;

	assert_int_equal(report_build(l, 1, 2, NULL, &m, &e), 0);
	/* A: 1,700,000 now, 1,500,000 before: +13.333..% -> 13.33 */
	assert_true(report_change_x100(&unit(m, "A")->f, &x));
	assert_int_equal(x, 1333);
	/* B: 4,000,500 against 3,000,000: +33.35 % */
	assert_true(report_change_x100(&unit(m, "B")->f, &x));
	assert_int_equal(x, 3335);
	/* C: no rows in 2023 although the year has data elsewhere: 2023 does not
	 * cover C's sectors, so it is no baseline for C: previous and change null */
	assert_false(unit(m, "C")->f.has_previous);
	assert_int_equal(unit(m, "C")->f.previous_location_mg, 0);
	assert_false(report_change_x100(&unit(m, "C")->f, &x));
	/* quality shares of 7,507,500: measured = 1,200,000 + 1,000,000 +
	 * 500,000 + 7,000 = 2,707,000 -> 36.0573 % -> 36.06; calculated
	 * 4,000,500 -> 53.2867 -> 53.29; estimated 800,000 -> 10.6560 -> 10.66;
	 * extrapolated 4,000,500 -> 53.29 */
	fig = report_json_figures(m);
	q = json_object_get(fig, "quality");
	assert_true(json_real_value(json_object_get(q, "measured_pct")) == 36.06);
	assert_true(json_real_value(json_object_get(q, "calculated_pct")) == 53.29);
	assert_true(json_real_value(json_object_get(q, "estimated_pct")) == 10.66);
	assert_true(json_real_value(json_object_get(q, "extrapolated_pct")) == 53.29);
	json_decref(fig);
	report_free(m);

	/* run 3 has no rows: no previous year at all, every change null */
	assert_int_equal(report_build(l, 1, 3, NULL, &m, &e), 0);
	assert_false(unit(m, "A")->f.has_previous);
	assert_false(report_totals(m)->has_previous);
	fig = report_json_figures(m);
	assert_true(json_is_null(json_object_get(json_object_get(fig, "totals"),
						 "previous_total_location_kg")));
	json_decref(fig);
	report_free(m);
	close_fixture(l);
}

static void
test_selection(void **state)
{
	struct ledger *l = open_fixture();
	struct report_model *m;
	struct err e;

	assert_int_equal(report_build(l, 1, 0, "C", &m, &e), 0);
	assert_int_equal(report_unit_count(m), 1);
	assert_int_equal(report_total_location(report_totals(m)), 1000000);
	/* the rank stays the rank among all districts */
	assert_int_equal(report_unit_at(m, 0)->f.rank, 1);
	report_free(m);
	/* a site is not reported on its own */
	assert_int_equal(report_build(l, 1, 0, "A-1", &m, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_non_null(strstr(e.text, "belongs to 'A'"));
	assert_int_equal(report_build(l, 1, 0, "X", &m, &e), -1);
	assert_int_equal(report_build(l, 99, 0, NULL, &m, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	/* the state's code means everything */
	assert_int_equal(report_build(l, 1, 0, "ST", &m, &e), 0);
	assert_int_equal(report_unit_count(m), 6);
	assert_string_equal(report_factor_spec(m), "s@1");
	report_free(m);
	close_fixture(l);
}

static void
test_arithmetic(void **state)
{
	struct report_figures f[4], *pf[4];
	const struct report_figures *cf[4];
	int rank[4], consider[4] = {1, 1, 1, 0};
	int64_t x, g;
	char *s;
	json_t *v;
	int i;

	memset(f, 0, sizeof f);
	/* half away from zero: 25 / 1000 pct of ... */
	assert_true(report_pct_x100(1, 8, &x)); /* 12.5 % */
	assert_int_equal(x, 1250);
	assert_true(report_pct_x100(1, 3, &x)); /* 33.333 -> 33.33 */
	assert_int_equal(x, 3333);
	assert_true(report_pct_x100(2, 3, &x)); /* 66.667 -> 66.67 */
	assert_int_equal(x, 6667);
	assert_true(report_pct_x100(-1, 80000, &x)); /* -0.00125 % -> -0.00 */
	assert_int_equal(x, 0);
	assert_true(report_pct_x100(-1, 40000, &x)); /* -0.0025 % -> -0.0025 -> -0.00 */
	assert_int_equal(x, 0);
	assert_true(report_pct_x100(-1, 20000, &x)); /* -0.005 % -> -0.01 */
	assert_int_equal(x, -1);
	assert_false(report_pct_x100(5, 0, &x));
	/* change: 90 against 120 = -25 % */
	f[0].scope1_mg = 90;
	f[0].has_previous = 1;
	f[0].previous_location_mg = 120;
	assert_true(report_change_x100(&f[0], &x));
	assert_int_equal(x, -2500);
	f[0].previous_location_mg = 0;
	assert_false(report_change_x100(&f[0], &x));
	/* per capita: 1500 mg / 1 person = 1.5 g -> 2 g; negative -1500 -> -2 */
	f[1].scope3_mg = 1500;
	f[1].has_stat[REPORT_PER_CAPITA] = 1;
	f[1].stat[REPORT_PER_CAPITA] = 1;
	assert_true(report_per_g(&f[1], REPORT_PER_CAPITA, &g));
	assert_int_equal(g, 2);
	f[1].scope3_mg = -1500;
	assert_true(report_per_g(&f[1], REPORT_PER_CAPITA, &g));
	assert_int_equal(g, -2);
	/* a statistic of 0 is as good as none */
	f[1].stat[REPORT_PER_CAPITA] = 0;
	assert_false(report_per_g(&f[1], REPORT_PER_CAPITA, &g));
	/* ranks: 3 g, 1 g, 3 g, (not considered) 0 g -> 2, 1, 2, 0 */
	for (i = 0; i < 4; i++) {
		memset(&f[i], 0, sizeof f[i]);
		f[i].has_stat[REPORT_PER_CAPITA] = 1;
		f[i].stat[REPORT_PER_CAPITA] = 1;
		pf[i] = &f[i];
		cf[i] = pf[i];
	}
	f[0].scope1_mg = 3000;
	f[1].scope1_mg = 1000;
	f[2].scope1_mg = 3000;
	report_rank(cf, consider, 4, REPORT_PER_CAPITA, rank);
	assert_int_equal(rank[0], 2);
	assert_int_equal(rank[1], 1);
	assert_int_equal(rank[2], 2);
	assert_int_equal(rank[3], 0);
	/* kg rounded to grams, printed exactly by the writer's flags:
	 * 123,456,789,012,345,678 mg = 123,456,789,012.345678 kg -> .346 */
	v = report_json_kg(INT64_C(123456789012345678));
	s = json_dumps(v, JSON_ENCODE_ANY | REPORT_JSON_FLAGS);
	assert_string_equal(s, "123456789012.346");
	free(s);
	json_decref(v);
	v = report_json_kg(-1500); /* -1.5 g -> -2 g */
	s = json_dumps(v, JSON_ENCODE_ANY | REPORT_JSON_FLAGS);
	assert_string_equal(s, "-0.002");
	free(s);
	json_decref(v);
	v = report_json_kg(499); /* 0.499 g -> 0 */
	s = json_dumps(v, JSON_ENCODE_ANY | REPORT_JSON_FLAGS);
	assert_string_equal(s, "0.0");
	free(s);
	json_decref(v);
}

/* A whole file as a NUL-terminated buffer. */
static char *
read_all(const char *path)
{
	FILE *f;
	char *buf;
	long n;

	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A file of the source tree. */
static char *
slurp(const char *rel)
{
	const char *root = getenv("CO2LEDGER_SRCDIR");
	char path[512];

	snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
	return read_all(path);
}

/* The activity sheet past its row limit: the rows that fit, then a note
 * that the CSV export has every line; the autofilter covers the rows. The
 * limit is lowered to 3 lines (the e2e fixture has 9 for 2024). */
/* Remove every ` s="N"` attribute, in place. */
static void
strip_styles(char *x)
{
	char *w = x, *r = x;

	while (*r) {
		if (strncmp(r, " s=\"", 4) == 0) {
			char *q = strchr(r + 4, '"');
			if (q) {
				r = q + 1;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

static void
test_xlsx_row_limit(void **state)
{
	static const char ORG[] =
		"INSERT INTO org_unit(id, code, name, kind, parent_id) VALUES"
		" (1, 'ST', 'Freistadt', 'state', NULL),"
		" (2, 'NORD', 'Nord', 'district', 1),"
		" (3, 'NORD-GS1', 'Grundschule Nord 1', 'site', 2),"
		" (4, 'SUED', 'Süd', 'district', 1),"
		" (5, 'SUED-RH', 'Rathaus Süd', 'site', 4),"
		" (6, 'WEST', 'West', 'district', 1),"
		" (7, 'SENFIN', 'Senatsverwaltung für Finanzen', 'department', 1);";
	struct ledger *l;
	struct factor_set *fs;
	enum factor_import_result res;
	struct calc_params p = {.year = 2024};
	struct calc_summary sum;
	struct report_model *m;
	struct report_out o = {.lang = REPORT_EN, .generated = "2026-01-01T00:00:00Z", .xlsx_max_rows = 3};
	char *json = slurp("tests/cases/report-json/factors.json");
	static const char *const FILES[3] = {"energie.csv", "tankkarten.csv",
					     "beschaffung.csv"};
	struct errlist *errs = errlist_new();
	int k;
	char xlsx[96], cmd[256], *sheet;
	long lines;
	struct err e;

	snprintf(dbpath, sizeof dbpath, "/tmp/co2ledger-report-%ld.db", (long)getpid());
	unlink(dbpath);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(ledger_exec(l, ORG, &e), 0);
	assert_int_equal(factor_set_parse(json, strlen(json), "factors.json", &fs, NULL, &e), 0);
	assert_int_equal(factors_register(l, fs, &res, &e), 0);
	factor_set_free(fs);
	for (k = 0; k < 3; k++) {
		char rel[128], *data;
		struct import_opts io = {.kind = (enum import_kind)k};
		struct import_result ir;
		snprintf(rel, sizeof rel, "tests/cases/report-json/%s", FILES[k]);
		data = slurp(rel);
		assert_int_equal(import_mem(l, data, strlen(data), FILES[k], &io, &ir,
					    errs, NULL, &e), 0);
		free(data);
	}
	errlist_free(errs);
	assert_int_equal(calc_run(l, &p, &sum, NULL, &e), 0);
	assert_int_equal(report_build(l, sum.run_id, 0, NULL, &m, &e), 0);
	snprintf(xlsx, sizeof xlsx, "/tmp/co2ledger-report-%ld.xlsx", (long)getpid());
	assert_int_equal(report_write_xlsx(l, m, &o, xlsx, &lines, &e), 0);
	/* the 9 lines of 2024 (8 in the balance, 1 excluded) */
	assert_int_equal(lines, 9);
	snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet6.xml > %s.xml", xlsx, xlsx);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s.xml", xlsx);
	sheet = read_all(cmd);
	unlink(cmd);
	/* rows 2..4 hold lines, row 5 the note, nothing after it */
	assert_non_null(strstr(sheet, "<row r=\"4\""));
	assert_non_null(strstr(sheet, "The sheet ends here: it shows 3 of 9 lines. All "
			    "lines are in the CSV export (activities.csv)."));
	assert_non_null(strstr(sheet, "<row r=\"5\""));
	assert_null(strstr(sheet, "<row r=\"6\""));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:Z4\"/>"));
	free(sheet);
	/* --xlsx-lines 0: the header, the note in row 2, and still every factor
	 * used on the factors sheet (sheet7) */
	o.xlsx_max_rows = -1;
	assert_int_equal(report_write_xlsx(l, m, &o, xlsx, &lines, &e), 0);
	assert_int_equal(lines, 9);
	snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet6.xml > %s.xml", xlsx, xlsx);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s.xml", xlsx);
	sheet = read_all(cmd);
	unlink(cmd);
	assert_non_null(strstr(sheet, "<row r=\"2\""));
	assert_null(strstr(sheet, "<row r=\"3\""));
	assert_non_null(strstr(sheet, "it shows 0 of 9 lines"));
	free(sheet);
	{
		char *all, *none;
		snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet7.xml > %s.xml", xlsx, xlsx);
		assert_int_equal(system(cmd), 0);
		snprintf(cmd, sizeof cmd, "%s.xml", xlsx);
		none = read_all(cmd);
		o.xlsx_max_rows = 0;
		assert_int_equal(report_write_xlsx(l, m, &o, xlsx, &lines, &e), 0);
		snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet7.xml > %s.xml", xlsx, xlsx);
		assert_int_equal(system(cmd), 0);
		snprintf(cmd, sizeof cmd, "%s.xml", xlsx);
		all = read_all(cmd);
		unlink(cmd);
		/* the same factors either way (style numbers may differ: formats
		 * are numbered in the order the workbook first uses them) */
		strip_styles(none);
		strip_styles(all);
		assert_string_equal(none, all);
		free(none);
		free(all);
	}
	unlink(xlsx);
	report_free(m);
	free(json);
	close_fixture(l);
}

/* The target arithmetic by hand (docs/targets.md): micro-units (grams). */
static void
test_goal_path_and_required(void **state)
{
	const int y1[] = {2030};
	const int64_t zero[] = {0};
	const int y3[] = {2030, 2040, 2045};
	int64_t v3[3];

	(void)state;
	/* 50 t in 2022, 0 t in 2030: 2024 is 2/8 of the way, 37.5 t */
	assert_true(report_goal_path(2022, 50000000, y1, zero, 1, 2024) == 37500000);
	/* 100 t in 2019, 0 in 2030: 2024 = 100 x 6/11 = 54.5454545 t -> 54,545,455 g */
	assert_true(report_goal_path(2019, 100000000, y1, zero, 1, 2024) == 54545455);
	/* before the base: the base; after the last milestone: the last value */
	assert_true(report_goal_path(2019, 100000000, y1, zero, 1, 2018) == 100000000);
	assert_true(report_goal_path(2019, 100000000, y1, zero, 1, 2031) == 0);
	/* 1990 base 1,000 t, -70 % 2030, -90 % 2040, -95 % 2045 */
	v3[0] = report_goal_of_base(1000000000, 70000000);
	v3[1] = report_goal_of_base(1000000000, 90000000);
	v3[2] = report_goal_of_base(1000000000, 95000000);
	assert_true(v3[0] == 300000000 && v3[1] == 100000000 && v3[2] == 50000000);
	assert_true(report_goal_path(1990, 1000000000, y3, v3, 3, 2024) == 405000000);
	assert_true(report_goal_path(1990, 1000000000, y3, v3, 3, 2035) == 200000000);
	assert_true(report_goal_path(1990, 1000000000, y3, v3, 3, 2044) == 60000000);
	assert_true(report_goal_path(1990, 1000000000, y3, v3, 3, 2050) == 50000000);
	/* Berlin: 29.26 Mt less 70 % = 8.778 Mt */
	assert_true(report_goal_of_base(29260000000000LL, 70000000) == 8778000000000LL);
	/* required average reduction: 32 t in 2024 to 0 t in 2030 = 5.333333 t
	 * a year; halves away from zero; nothing when the year is reached */
	assert_true(report_goal_required(32000000, 0, 2024, 2030) == 5333333);
	assert_true(report_goal_required(5, 0, 2028, 2030) == 3);
	assert_true(report_goal_required(-5, 0, 2028, 2030) == -3);
	assert_true(report_goal_required(32000000, 0, 2030, 2030) == 0);
}

/* Amounts, shares and dates as readers of each language write them. */
static void
test_localised_forms(void **state)
{
	char buf[64];

	(void)state;
	report_fmt_t(REPORT_DE, 16986156779000LL, buf, sizeof buf);
	assert_string_equal(buf, "16.986,2");
	report_fmt_t(REPORT_EN, 16986156779000LL, buf, sizeof buf);
	assert_string_equal(buf, "16,986.2");
	report_fmt_t(REPORT_DE, -1234567890123456LL, buf, sizeof buf);
	assert_string_equal(buf, "-1.234.567,9");
	report_fmt_t(REPORT_EN, 37822356000LL, buf, sizeof buf);
	assert_string_equal(buf, "37.8");
	report_fmt_t(REPORT_DE, 0, buf, sizeof buf);
	assert_string_equal(buf, "0,0");
	report_fmt_pct(REPORT_DE, 5399, buf, sizeof buf);
	assert_string_equal(buf, "54,0");
	report_fmt_generated(REPORT_DE, "2026-12-05T07:55:14Z", buf, sizeof buf);
	assert_string_equal(buf, "05.12.2026, 07:55 UTC");
	report_fmt_generated(REPORT_EN, "2026-12-05T07:55:14Z", buf, sizeof buf);
	assert_string_equal(buf, "5 December 2026, 07:55 UTC");
	report_fmt_generated(REPORT_EN, "garbage", buf, sizeof buf);
	assert_string_equal(buf, "garbage");
	assert_string_equal(report_tr_unit(REPORT_DE, "kWh_Hs"), "kWh (Hs)");
	assert_string_equal(report_tr_unit(REPORT_DE, "m3"), "m³");
	assert_string_equal(report_tr_unit(REPORT_DE, "kWh"), "kWh");
	assert_string_equal(report_tr_status(REPORT_DE, "final"), "endgültig");
	assert_string_equal(report_tr_status(REPORT_DE, "preliminary"), "vorläufig");
	assert_string_equal(report_tr_status(REPORT_EN, "estimate"), "estimate");
	assert_string_equal(report_tr_method(REPORT_DE, 1), "marktbasiert");
	assert_string_equal(report_tr_method(REPORT_EN, 0), "location-based");
	assert_string_equal(report_tr_fallback(REPORT_DE, "strict"),
			    "streng (nur gültige Faktoren)");
}

/* BISKO data-quality grades, by hand: 1000 MWh A (electricity), 800 MWh A
 * (gas), 200 MWh C (heating oil), 1000 MWh B (transport):
 * (1000 x 1 + 800 x 1 + 200 x 0.25 + 1000 x 0.5) / 3000 = 2350 / 3000
 * = 78.3333 % -> 78.333 (thousandths of a percent: 78333). */
static void
test_grades(void **state)
{
	const int64_t MWH = 1000000000LL; /* micro-kWh per MWh */
	int64_t kwh[REPORT_NGRADES] = {1800 * MWH, 1000 * MWH, 200 * MWH, 0};
	int64_t pct = -1;

	(void)state;
	assert_int_equal(report_grade_of(0), 0); /* measured: A */
	assert_int_equal(report_grade_of(1), 1); /* calculated: B */
	assert_int_equal(report_grade_of(2), 2); /* estimated: C */
	assert_int_equal(report_grade_score(kwh, &pct), 1);
	assert_int_equal(pct, 78333);
	/* D weighs 0: 1000 MWh A + 1000 MWh D = 50 % */
	{
		int64_t k2[REPORT_NGRADES] = {1000 * MWH, 0, 0, 1000 * MWH};
		assert_int_equal(report_grade_score(k2, &pct), 1);
		assert_int_equal(pct, 50000);
	}
	/* rounding half away from zero: 1 A + 2 C = 1.5 / 3 = 50 %; 1 B + 2 D:
	 * 0.5 / 3 = 16.6667 % -> 16667 */
	{
		int64_t k3[REPORT_NGRADES] = {0, 1, 0, 2};
		assert_int_equal(report_grade_score(k3, &pct), 1);
		assert_int_equal(pct, 16667);
	}
	/* no energy: nothing to weigh */
	{
		int64_t k4[REPORT_NGRADES] = {0, 0, 0, 0};
		pct = 7;
		assert_int_equal(report_grade_score(k4, &pct), 0);
		assert_int_equal(pct, 7);
	}
}

/* The hot-water split of the weather correction (docs/degree-days.md),
 * hand-computed: 100,000 kWh at 15 % is 15,000 kWh hot water and 85,000
 * kWh space heating, corrected with 3,666.8 / 3,200 Kd to 112,399.375 kWh;
 * 1 micro-kWh at 50 % rounds half away from zero to 1 hot water, 0 space. */
static void
test_weather_split(void **state)
{
	int64_t sp, hw, out;

	(void)state;
	assert_int_equal(report_weather_split(100000000000LL, 150000, &sp, &hw), 0);
	assert_int_equal(hw, 15000000000LL);
	assert_int_equal(sp, 85000000000LL);
	assert_int_equal(degreedays_correct(sp, hw, 3666800000LL, 3200000000LL, &out), 0);
	assert_int_equal(out, 112399375000LL);
	assert_int_equal(report_weather_split(1, 500000, &sp, &hw), 0);
	assert_int_equal(hw, 1);
	assert_int_equal(sp, 0);
	assert_int_equal(report_weather_split(100000000000LL, 0, &sp, &hw), 0);
	assert_int_equal(hw, 0);
	assert_int_equal(sp, 100000000000LL);
	assert_int_equal(report_weather_split(1, 1000001, &sp, &hw), -1);
	assert_int_equal(report_weather_split(-1, 0, &sp, &hw), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rollup_and_ratios),
		cmocka_unit_test(test_goal_path_and_required),
		cmocka_unit_test(test_previous_and_quality),
		cmocka_unit_test(test_weather_split),
		cmocka_unit_test(test_grades),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_xlsx_row_limit),
		cmocka_unit_test(test_localised_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
