/*
 * Unit tests for the engine's foundation: exact decimals, dates, SHA-256,
 * error records, the ledger (schema, migrations, statements) and the audit
 * chain, and the organisation import and tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine/audit.h"
#include "engine/date.h"
#include "engine/err.h"
#include "engine/ledger.h"
#include "engine/num.h"
#include "engine/org.h"
#include "engine/sha256.h"
#include "engine/strmap.h"
#include "importers/csv.h"

static void
test_num_parse(void **state)
{
	int64_t v;

	/* German export: 1.234,56 kWh = 1234560000 micro-kWh */
	assert_int_equal(num_parse("1.234,56", 8, ',', '.', 6, &v), NUM_OK);
	assert_int_equal(v, 1234560000LL);
	assert_int_equal(num_parse(" 12.345.678,9 ", 14, ',', '.', 1, &v), NUM_OK);
	assert_int_equal(v, 123456789LL);
	assert_int_equal(num_parse("0.0000036", 9, '.', 0, 12, &v), NUM_OK);
	assert_int_equal(v, 3600000LL); /* 3.6e-6 at scale 1e-12 */
	assert_int_equal(num_parse("-5", 2, '.', 0, 0, &v), NUM_OK);
	assert_int_equal(v, -5);
	/* a thousands group must have three digits */
	assert_int_equal(num_parse("1.23,4", 6, ',', '.', 3, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("1.2345", 6, ',', '.', 3, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("nan", 3, '.', 0, 6, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("inf", 3, '.', 0, 6, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("1e5", 3, '.', 0, 6, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("", 0, '.', 0, 6, &v), NUM_SYNTAX);
	assert_int_equal(num_parse("99999999999999", 14, '.', 0, 6, &v), NUM_RANGE);
	assert_int_equal(num_parse("1.0000001", 9, '.', 0, 6, &v), NUM_PRECISION);
	assert_int_equal(num_parse("1.5000000", 9, '.', 0, 6, &v), NUM_OK);
	assert_int_equal(v, 1500000);
}

static void
test_num_format(void **state)
{
	char buf[64];

	/* 4709.2 kg = 4709200000 mg; kg with 3 decimals */
	num_format(4709200000LL, 6, 3, buf, sizeof buf);
	assert_string_equal(buf, "4709.200");
	/* half away from zero at the gram: 1.0005 kg -> 1.001, -1.0005 -> -1.001 */
	num_format(1000500LL, 6, 3, buf, sizeof buf);
	assert_string_equal(buf, "1.001");
	num_format(-1000500LL, 6, 3, buf, sizeof buf);
	assert_string_equal(buf, "-1.001");
	num_format(1000499LL, 6, 3, buf, sizeof buf);
	assert_string_equal(buf, "1.000");
	num_format(42, 0, 0, buf, sizeof buf);
	assert_string_equal(buf, "42");
	assert_int_equal(num_round_shift(15, 1), 2);
	assert_int_equal(num_round_shift(-15, 1), -2);
	assert_int_equal(num_round_shift(14, 1), 1);
}

static void
test_dates(void **state)
{
	int32_t a, b;
	int y, m, d;
	char buf[11];

	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_parse_iso("2024-02-29", 10, &a), 0);
	assert_int_equal(date_parse_iso("2023-02-29", 10, &b), -1);
	assert_int_equal(date_parse_iso("2024-13-01", 10, &b), -1);
	assert_int_equal(date_parse_iso("2024-04-31", 10, &b), -1);
	assert_int_equal(date_parse_iso("2024-4-30", 9, &b), -1);
	date_to_ymd(a, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	/* methodology example 4: 2023-11-01..2024-02-29 inclusive is 121 days:
	 * 61 in 2023 and 60 in 2024 */
	assert_int_equal(date_from_ymd(2024, 2, 29) - date_from_ymd(2023, 11, 1) + 1, 121);
	assert_int_equal(date_year_end(2023) - date_from_ymd(2023, 11, 1) + 1, 61);
	assert_int_equal(date_year_end(2024) - date_year_start(2024) + 1, 366);
	assert_int_equal(date_year_end(2100) - date_year_start(2100) + 1, 365);
	assert_true(date_valid(2000, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	date_format(date_from_ymd(1999, 12, 31), buf);
	assert_string_equal(buf, "1999-12-31");
	date_format(-1, buf);
	assert_string_equal(buf, "1969-12-31");
}

static void
test_now_pinned(void **state)
{
	char buf[21];

	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	date_now_iso(buf);
	assert_string_equal(buf, "2026-01-01T00:00:00Z");
}

static void
sha256_vectors(void)
{
	char hex[65];
	struct sha256 s;
	char million[1001];
	int i;

	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a' in uneven pieces */
	memset(million, 'a', sizeof million);
	sha256_init(&s);
	for (i = 0; i < 1000; i++)
		sha256_update(&s, million, i % 2 ? 999 : 1001);
	sha256_final_hex(&s, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The FIPS 180-4 vectors on the portable code and, where the CPU has them,
 * the SHA instructions; then both paths on every length from 0 to 300 bytes
 * of varied data, fed in one piece and in pieces of 7. */
static void
test_sha256(void **state)
{
	unsigned char data[300];
	char a[65], b[65];
	struct sha256 s;
	int was = sha256_accelerated(-1);
	size_t n, i;

	sha256_accelerated(0);
	assert_int_equal(sha256_accelerated(-1), 0);
	sha256_vectors();
	sha256_accelerated(1);
	sha256_vectors();
	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + (i >> 3) * 17);
	for (n = 0; n <= sizeof data; n++) {
		sha256_accelerated(0);
		sha256_hex(data, n, a);
		sha256_accelerated(1);
		sha256_init(&s);
		for (i = 0; i < n; i += 7)
			sha256_update(&s, data + i, n - i < 7 ? n - i : 7);
		sha256_final_hex(&s, b);
		assert_string_equal(a, b);
		sha256_hex(data, n, b);
		assert_string_equal(a, b);
	}
	sha256_accelerated(was);
}

static void
test_err(void **state)
{
	struct err e;
	char buf[600];
	struct errlist *l = errlist_new();
	int i;

	assert_int_equal(err_set(&e, ERR_DATA, "energy.csv", 14, 7,
				 "unknown unit '%s' (expected kWh, MWh, GJ, ...)", "kwhh"),
			 -1);
	assert_string_equal(err_format(&e, buf, sizeof buf),
			    "energy.csv:14:7: error: unknown unit 'kwhh' (expected kWh, MWh, GJ, ...)");
	err_setf(&e, ERR_IO, "disk full");
	assert_string_equal(err_format(&e, buf, sizeof buf), "error: disk full");
	for (i = 0; i < 150; i++)
		errlist_addf(l, ERR_DATA, "f", 150 - i, 1, "row %d", i);
	assert_int_equal(l->n, ERRLIST_KEEP);
	assert_int_equal(l->total, 150);
	errlist_sort(l);
	assert_int_equal(l->items[0].line, 51);
	assert_int_equal(l->items[99].line, 150);
	errlist_free(l);
}

static void
test_strmap(void **state)
{
	struct strmap *m = strmap_new();
	char key[32];
	int64_t v;
	int i;

	for (i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(strmap_put(m, key, (size_t)n, i), 0);
	}
	assert_int_equal(strmap_count(m), 10000);
	assert_true(strmap_get(m, "k4711", 5, &v));
	assert_int_equal(v, 4711);
	assert_false(strmap_get(m, "k10000", 6, &v));
	strmap_put(m, "k1", 2, -7);
	assert_true(strmap_get(m, "k1", 2, &v));
	assert_int_equal(v, -7);
	assert_int_equal(strmap_count(m), 10000);
	strmap_free(m);
}

static char dbpath[64];

static int
setup_db(void **state)
{
	snprintf(dbpath, sizeof dbpath, "/tmp/co2ledger-test-%ld.db", (long)getpid());
	unlink(dbpath);
	return 0;
}

static int
teardown_db(void **state)
{
	char p[80];

	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	return 0;
}

static void
test_ledger_and_audit(void **state)
{
	struct ledger *l;
	struct err e;
	sqlite3_stmt *st;
	long n;

	/* opening without create fails with advice */
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), -1);
	assert_non_null(strstr(e.text, "co2ledger init"));
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	st = ledger_stmt(l, "PRAGMA user_version", &e);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), LEDGER_SCHEMA_VERSION);
	sqlite3_reset(st);
	st = ledger_stmt(l, "PRAGMA journal_mode", &e);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_reset(st);
	st = ledger_stmt(l, "PRAGMA foreign_keys", &e);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_reset(st);

	assert_int_equal(ledger_begin(l, &e), 0);
	assert_int_equal(audit_append(l, "test.one", "{\"a\":1}", &e), 0);
	assert_int_equal(audit_append(l, "test.two", "{\"b\":2}", &e), 0);
	assert_int_equal(ledger_commit(l, &e), 0);
	assert_int_equal(audit_verify(l, &n, &e), 0);
	assert_int_equal(n, 2);
	/* the log refuses updates and deletes */
	assert_int_equal(ledger_exec(l, "UPDATE audit SET payload = '{}' WHERE id = 1", &e), -1);
	assert_non_null(strstr(e.text, "append-only"));
	assert_int_equal(ledger_exec(l, "DELETE FROM audit", &e), -1);
	/* tampering past the triggers is detected */
	assert_int_equal(ledger_exec(l, "DROP TRIGGER audit_no_update; "
				     "UPDATE audit SET payload = '{\"a\":2}' WHERE id = 1", &e), 0);
	assert_int_equal(audit_verify(l, &n, &e), -1);
	assert_non_null(strstr(e.text, "entry 1"));
	ledger_close(l);

	/* a database from a newer co2ledger is refused */
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), 0);
	assert_int_equal(ledger_exec(l, "PRAGMA user_version = 99", &e), 0);
	ledger_close(l);
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), -1);
	assert_non_null(strstr(e.text, "newer"));
}

static int
import_str(struct ledger *l, const char *text, struct errlist *errs,
	   struct org_import_stats *s)
{
	struct csv *csv;
	struct err e;
	int rc;

	assert_int_equal(csv_open_mem(&csv, text, strlen(text), "org.csv", NULL, &e), 0);
	rc = org_import_csv(l, csv, s, errs, &e);
	csv_close(csv);
	return rc;
}

/* A write past the file size limit (as on a full disk) is a clear error, not
 * "disk I/O error", and the ledger is unchanged afterwards. */
static void
test_ledger_file_too_large(void **state)
{
	struct ledger *l;
	struct err e;
	struct rlimit old, lim;
	void (*xfsz)(int);
	sqlite3_stmt *st;

	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(ledger_exec(l, "CREATE TABLE t (x BLOB)", &e), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 1 << 20; /* 1 MiB: the blob below needs 4 */
	xfsz = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(ledger_begin(l, &e), 0);
	/* the insert spills to the WAL or the commit writes it: either fails */
	if (ledger_exec(l, "INSERT INTO t VALUES (zeroblob(4000000))", &e) == 0)
		assert_int_equal(ledger_commit(l, &e), -1);
	ledger_rollback(l);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, xfsz);
	assert_int_equal(e.kind, ERR_IO);
	assert_non_null(strstr(e.text, "file too large"));
	assert_null(strstr(e.text, "disk I/O error"));
	st = ledger_stmt(l, "SELECT count(*) FROM t", &e);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_reset(st);
	ledger_close(l);
}

static void
test_org(void **state)
{
	struct ledger *l;
	struct err e;
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct org_tree *t;
	struct org_stat st;
	char sug[128];
	const struct org_unit *u;
	long n;

	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(import_str(l,
		"code,name,parent,kind,year,population\n"
		"RS,Rathaus Spandau,SPANDAU,site,,\n" /* parent defined later */
		"BE,Land Berlin,,state,,\n"
		"SPANDAU,Spandau,BE,district,2023,257091\n"
		"SENFIN,Finanzen,BE,department,,\n"
		"KITA,Kita,RS,site,,\n", errs, &s), 0);
	assert_int_equal(s.units_new, 5);
	assert_int_equal(s.stats_rows, 1);
	assert_int_equal(org_tree_load(l, &t, &e), 0);
	assert_int_equal(org_tree_count(t), 5);
	/* display order: depth first, children by code */
	assert_string_equal(org_tree_at(t, 0)->code, "BE");
	assert_string_equal(org_tree_at(t, 1)->code, "SENFIN");
	assert_string_equal(org_tree_at(t, 2)->code, "SPANDAU");
	assert_string_equal(org_tree_at(t, 3)->code, "RS");
	assert_string_equal(org_tree_at(t, 4)->code, "KITA");
	/* reporting units: the district for sites below it, a department as itself */
	u = org_tree_at(t, 4);
	assert_string_equal(org_tree_at(t, u->report)->code, "SPANDAU");
	assert_int_equal(u->depth, 3);
	u = org_tree_at(t, 1);
	assert_string_equal(org_tree_at(t, u->report)->code, "SENFIN");
	assert_int_equal(org_tree_at(t, 0)->report, ORG_NONE);
	org_tree_suggest(t, "SPANDUA", 7, sug, sizeof sug);
	assert_string_equal(sug, "'SPANDAU'");
	assert_int_equal(org_stat_get(l, org_tree_at(t, 2)->id, 2023, &st, &e), 0);
	assert_true(st.has_population);
	assert_int_equal(st.population, 257091);
	assert_false(st.has_employees);
	org_tree_free(t);

	/* a broken file changes nothing and reports every problem */
	assert_int_equal(import_str(l,
		"code,name,parent,kind\n"
		"SPANDAU,Spandau neu,BE,district\n"
		"X,X,NOPE,site\n"
		"A,A,B,site\n"
		"B,B,A,site\n", errs, &s), -1);
	assert_int_equal(errs->total, 3);
	assert_int_equal(errs->items[0].line, 3);
	assert_int_equal(errs->items[0].column, 5);
	assert_int_equal(org_tree_load(l, &t, &e), 0);
	assert_string_equal(org_tree_at(t, 2)->name, "Spandau");
	org_tree_free(t);

	/* re-import updates without duplicating */
	errs->n = errs->total = 0;
	assert_int_equal(import_str(l,
		"code,name,parent,kind,year,population\n"
		"SPANDAU,Bezirk Spandau,BE,district,2023,257100\n", errs, &s), 0);
	assert_int_equal(s.units_new, 0);
	assert_int_equal(s.units_updated, 1);
	assert_int_equal(org_stat_get(l, 3, 2023, &st, &e), 0);
	assert_int_equal(audit_verify(l, &n, &e), 0);
	assert_int_equal(n, 2);
	errlist_free(errs);
	ledger_close(l);
}

/* The official number orders siblings (numerically, "2" before "10"), units
 * without one follow by code; it is checked, kept consistent across a
 * unit's rows, kept by a file without the column, and an older ledger gains
 * the column by migration 4 -> 5. */
static void
test_org_number(void **state)
{
	struct ledger *l;
	struct err e;
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct org_tree *t;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(import_str(l,
		"code,name,parent,kind,year,number\n"
		"BE,Land Berlin,,state,,11\n"
		"AAA,Senat,BE,department,,\n"
		"REINICKENDORF,Reinickendorf,BE,district,2023,12\n"
		"REINICKENDORF,Reinickendorf,BE,district,2024,12\n"
		"MITTE,Mitte,BE,district,2023,01\n"
		"SPANDAU,Spandau,BE,district,,5\n"
		"ZZZ,Senat Z,BE,department,,\n", errs, &s), 0);
	assert_int_equal(org_tree_load(l, &t, &e), 0);
	assert_string_equal(org_tree_at(t, 0)->code, "BE");
	assert_string_equal(org_tree_at(t, 0)->number, "11");
	assert_string_equal(org_tree_at(t, 1)->code, "MITTE");
	assert_string_equal(org_tree_at(t, 1)->number, "01");
	assert_string_equal(org_tree_at(t, 2)->code, "SPANDAU");
	assert_string_equal(org_tree_at(t, 3)->code, "REINICKENDORF");
	assert_string_equal(org_tree_at(t, 4)->code, "AAA");
	assert_null(org_tree_at(t, 4)->number);
	assert_string_equal(org_tree_at(t, 5)->code, "ZZZ");
	org_tree_free(t);

	/* not digits; two numbers for one unit */
	assert_int_equal(import_str(l,
		"code,name,parent,kind,year,number\n"
		"MITTE,Mitte,BE,district,2023,1a\n"
		"SPANDAU,Spandau,BE,district,2023,05\n"
		"SPANDAU,Spandau,BE,district,2024,06\n", errs, &s), -1);
	assert_int_equal(errs->total, 2);
	assert_non_null(strstr(errs->items[0].text, "number '1a' is not an official number"));
	assert_int_equal(errs->items[0].column, 30);
	assert_non_null(strstr(errs->items[1].text, "appears again with number '06'"));
	errs->n = errs->total = 0;

	/* a file without the column keeps the numbers */
	assert_int_equal(import_str(l,
		"code,name,parent,kind\n"
		"MITTE,Bezirk Mitte,BE,district\n", errs, &s), 0);
	assert_int_equal(org_tree_load(l, &t, &e), 0);
	assert_string_equal(org_tree_at(t, 1)->name, "Bezirk Mitte");
	assert_string_equal(org_tree_at(t, 1)->number, "01");
	org_tree_free(t);
	ledger_close(l);

	/* a version 4 ledger without the column migrates to 5 */
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), 0);
	assert_int_equal(ledger_exec(l, "ALTER TABLE org_unit DROP COLUMN number; "
				     "PRAGMA user_version = 4", &e), 0);
	ledger_close(l);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	st = ledger_stmt(l, "SELECT count(*) FROM pragma_table_info('org_unit') "
			 "WHERE name = 'number'", &e);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_reset(st);
	st = ledger_stmt(l, "PRAGMA user_version", &e);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 5);
	sqlite3_reset(st);
	assert_int_equal(org_tree_load(l, &t, &e), 0);
	assert_string_equal(org_tree_at(t, 1)->code, "AAA"); /* numbers gone: code order */
	org_tree_free(t);
	errlist_free(errs);
	ledger_close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_parse),
		cmocka_unit_test(test_num_format),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_now_pinned),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test_setup_teardown(test_ledger_and_audit, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_ledger_file_too_large, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_org, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_org_number, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
