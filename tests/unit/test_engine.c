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

#include "store/audit.h"
#include "base/date.h"
#include "base/err.h"
#include "store/ledger.h"
#include "base/num.h"
#include "org/org.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/strmap.h"
#include "base/csv.h"
#include "store/rowhash.h"

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

	int64_t t;

	/* the clock is pinned by the caller; the module ignores the environment */
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	assert_int_equal(date_parse_epoch("1767225600", &t), 0);
	date_pin_clock(t);
	date_now_iso(buf);
	assert_string_equal(buf, "2026-01-01T00:00:00Z");
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(date_parse_epoch("", &t), -1);
	assert_int_equal(date_parse_epoch("-1", &t), -1);
	assert_int_equal(date_parse_epoch("12x", &t), -1);
	assert_int_equal(date_parse_epoch("99999999999999999999", &t), -1);
	date_pin_clock(-1);
	date_now_iso(buf);
	assert_string_not_equal(buf, "2026-01-01T00:00:00Z");
	date_pin_clock(t);
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
	{
		/* a 4,000-character path stays whole; a longer one keeps its file
		 * name; a long message shows that it was cut */
		static char path[6001], word[2001];
		memset(path, 'd', sizeof path - 1);
		path[4000] = '\0';
		memcpy(path + 3989, "/energy.csv", 11);
		err_set(&e, ERR_DATA, path, 1, 1, "x");
		assert_string_equal(e.file, path);
		memset(path, 'd', sizeof path - 1);
		memcpy(path + sizeof path - 12, "/energy.csv", 12);
		err_set(&e, ERR_DATA, path, 1, 1, "x");
		assert_int_equal(strlen(e.file), ERR_FILE_MAX - 1);
		assert_memory_equal(e.file, "...", 3);
		assert_string_equal(e.file + strlen(e.file) - 11, "/energy.csv");
		memset(word, 'w', sizeof word - 1);
		err_setf(&e, ERR_DATA, "cannot open '%s'", word);
		assert_int_equal(strlen(e.text), ERR_TEXT_MAX - 1);
		assert_string_equal(e.text + ERR_TEXT_MAX - 4, "...");
	}
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
test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT, small;
	static char big[5000];
	char *s;
	size_t n;
	int i;

	assert_string_equal(strbuf_str(&sb), "");
	assert_int_equal(strbuf_adds(&sb, "energie"), 0);
	assert_int_equal(strbuf_addch(&sb, '-'), 0);
	assert_int_equal(strbuf_addf(&sb, "%d.%s", 2024, "csv"), 0);
	assert_string_equal(sb.buf, "energie-2024.csv");
	assert_int_equal(sb.len, 16);
	/* grows past any fixed buffer: a 4,000-character path */
	memset(big, 'p', 4000);
	strbuf_reset(&sb);
	for (i = 0; i < 4; i++)
		assert_int_equal(strbuf_add(&sb, big, 1000), 0);
	assert_int_equal(strbuf_addf(&sb, "/%s", "rejects.csv"), 0);
	assert_int_equal(sb.len, 4012);
	assert_string_equal(sb.buf + 4000, "/rejects.csv");
	strbuf_setlen(&sb, 3);
	assert_string_equal(sb.buf, "ppp");
	s = strbuf_detach(&sb, &n);
	assert_int_equal(n, 3);
	assert_string_equal(s, "ppp");
	free(s);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	/* the maximum: a refused add adds nothing and marks the buffer */
	strbuf_init(&small, 8);
	assert_int_equal(strbuf_adds(&small, "12345678"), 0);
	assert_int_equal(strbuf_failed(&small), 0);
	assert_int_equal(strbuf_addch(&small, '9'), -1);
	assert_int_equal(strbuf_addf(&small, "%s", "x"), -1);
	assert_int_equal(strbuf_failed(&small), 1);
	assert_string_equal(small.buf, "12345678");
	strbuf_reset(&small);
	assert_int_equal(strbuf_failed(&small), 0);
	assert_int_equal(strbuf_adds(&small, big), -1);
	assert_string_equal(strbuf_str(&small), "");
	strbuf_release(&small);
	strbuf_release(&small);
	strbuf_release(NULL);
	s = strbuf_detach(&small, NULL);
	assert_string_equal(s, "");
	free(s);
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
	struct db_stmt *st;
	long n;

	/* opening without create fails with advice */
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), -1);
	assert_non_null(strstr(e.text, "co2ledger init"));
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	st = ledger_stmt(l, "PRAGMA user_version", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), LEDGER_SCHEMA_VERSION);
	db_reset(st);
	st = ledger_stmt(l, "PRAGMA journal_mode", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_column_text(st, 0), "wal");
	db_reset(st);
	st = ledger_stmt(l, "PRAGMA foreign_keys", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);

	assert_int_equal(ledger_begin(l, &e), 0);
	assert_int_equal(audit_append(l, "test.one", "{\"a\":1}", &e), 0);
	assert_int_equal(audit_append(l, "test.two", "{\"b\":2}", &e), 0);
	assert_int_equal(ledger_commit(l, &e), 0);
	assert_int_equal(audit_verify(l, &n, &e), 0);
	assert_int_equal(n, 3); /* ledger.init, then the two */
	/* the first entry carries a random ledger id; every payload the user */
	st = ledger_stmt(l, "SELECT action, payload FROM audit ORDER BY id", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_column_text(st, 0), "ledger.init");
	assert_non_null(strstr((const char *)db_column_text(st, 1), "\"ledger\":\""));
	assert_int_equal(db_step(st), DB_ROW);
	assert_non_null(strstr((const char *)db_column_text(st, 1), "\"a\":1"));
	assert_non_null(strstr((const char *)db_column_text(st, 1), "\"user\":\""));
	db_reset(st);
	{
		long entries;
		char head[65], first[65];
		int found;
		assert_int_equal(audit_head(l, &entries, head, first, &e), 0);
		assert_int_equal(entries, 3);
		assert_int_equal(audit_has(l, 3, head, &found, &e), 0);
		assert_int_equal(found, 1);
		assert_int_equal(audit_has(l, 2, head, &found, &e), 0);
		assert_int_equal(found, -1);
		assert_int_equal(audit_has(l, 4, head, &found, &e), 0);
		assert_int_equal(found, 0);
	}
	/* the log refuses updates and deletes */
	assert_int_equal(ledger_exec(l, "UPDATE audit SET payload = '{}' WHERE id = 2", &e), -1);
	assert_non_null(strstr(e.text, "append-only"));
	assert_int_equal(ledger_exec(l, "DELETE FROM audit", &e), -1);
	/* tampering past the triggers is detected */
	assert_int_equal(ledger_exec(l, "DROP TRIGGER audit_no_update; "
				     "UPDATE audit SET payload = '{\"a\":2}' WHERE id = 2", &e), 0);
	assert_int_equal(audit_verify(l, &n, &e), -1);
	assert_non_null(strstr(e.text, "entry 2"));
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
	struct db_stmt *st;

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
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 0);
	db_reset(st);
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
	assert_int_equal(n, 3); /* ledger.init and two imports */
	errlist_free(errs);
	ledger_close(l);
}

/* The canonical row form of docs/methodology.md, byte for byte, and a
 * digest that changes in exactly the field that changed. */
static void
test_rowhash(void **state)
{
	struct rowhash_val v[ROWHASH_NFIELDS];
	unsigned char d1[ROWHASH_DIGEST], d2[ROWHASH_DIGEST];
	const char *want = "i14;s4:NORDs18:energy.electricityi19723;i20088;"
			   "i100000000000;s3:kWhi0;NNs14:1ESY0000000001NNN\n";
	struct sha256 s;
	char got[65], exp[65], buf[16];
	int i;

	(void)state;
	memset(v, 0, sizeof v);
	v[0] = (struct rowhash_val){ROWHASH_INT, 14, NULL, 0};
	v[1] = (struct rowhash_val){ROWHASH_TEXT, 0, "NORD", 4};
	v[2] = (struct rowhash_val){ROWHASH_TEXT, 0, "energy.electricity", 18};
	v[3] = (struct rowhash_val){ROWHASH_INT, 19723, NULL, 0};
	v[4] = (struct rowhash_val){ROWHASH_INT, 20088, NULL, 0};
	v[5] = (struct rowhash_val){ROWHASH_INT, 100000000000LL, NULL, 0};
	v[6] = (struct rowhash_val){ROWHASH_TEXT, 0, "kWh", 3};
	v[7] = (struct rowhash_val){ROWHASH_INT, 0, NULL, 0};
	v[10] = (struct rowhash_val){ROWHASH_TEXT, 0, "1ESY0000000001", 14};
	sha256_init(&s);
	rowhash_row(&s, v, d1);
	sha256_final_hex(&s, got);
	sha256_hex(want, strlen(want), exp);
	assert_string_equal(got, exp);
	/* NULL and the empty text differ; so do an integer and its text */
	v[5] = (struct rowhash_val){ROWHASH_INT, 100000000001LL, NULL, 0};
	rowhash_row(NULL, v, d2);
	for (i = 0; i < ROWHASH_NFIELDS; i++)
		assert_int_equal(memcmp(d1 + 2 * i, d2 + 2 * i, 2) != 0, i == 5);
	assert_string_equal(rowhash_field[5], "quantity");
	assert_string_equal(rowhash_show(&v[6], buf, sizeof buf), "'kWh'");
	assert_string_equal(rowhash_show(&v[8], buf, sizeof buf), "NULL");
}

/* A scratch ledger is read-only: TEMP copies of the run tables take the
 * runs, and the audit log gets nothing. */
static void
test_ledger_scratch(void **state)
{
	struct ledger *l;
	struct err e;
	struct db_stmt *st;
	long n;

	(void)state;
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	assert_int_equal(audit_append(l, "test.one", "{}", &e), 0);
	ledger_close(l);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_SCRATCH, &e), 0);
	assert_int_equal(ledger_is_scratch(l), 1);
	assert_int_equal(ledger_begin(l, &e), 0);
	assert_int_equal(ledger_exec(l, "INSERT INTO run(year, gwp, region, fallback, "
				     "factor_sets, batches, inputs_sha256, results_sha256, "
				     "rows_used, rows_excluded, rows_extrapolated, created_at) "
				     "VALUES (2024, 'AR5', 'DE-BE', 'strict', '[]', '[]', '', '', "
				     "0, 0, 0, '')", &e), 0);
	assert_int_equal(audit_append(l, "run", "{}", &e), 0);
	assert_int_equal(ledger_commit(l, &e), 0);
	st = ledger_stmt(l, "SELECT count(*) FROM run", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
	/* the stored tables cannot be written */
	assert_int_equal(ledger_exec(l, "INSERT INTO main.activity_key(key) VALUES ('x')", &e), -1);
	ledger_close(l);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_READONLY, &e), 0);
	st = ledger_stmt(l, "SELECT count(*) FROM run", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 0);
	db_reset(st);
	assert_int_equal(audit_verify(l, &n, &e), 0);
	assert_int_equal(n, 2);
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
	struct db_stmt *st;

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

	/* a version 4 ledger (without the column and the additions of versions
	 * 6 to 10) migrates to the current version */
	assert_int_equal(ledger_open(&l, dbpath, 0, &e), 0);
	assert_int_equal(ledger_exec(l, "ALTER TABLE org_unit DROP COLUMN weather_station; "
				     "ALTER TABLE run DROP COLUMN lens; "
				     "ALTER TABLE org_unit DROP COLUMN heat_network; "
				     "ALTER TABLE org_unit DROP COLUMN number; "
				     "ALTER TABLE run_total DROP COLUMN energy_ukwh; "
				     "ALTER TABLE run_total DROP COLUMN energy_rows; "
				     "DROP TABLE target_set; "
				     "DROP TABLE degree_day_set; "
				     "PRAGMA user_version = 4", &e), 0);
	ledger_close(l);
	assert_int_equal(ledger_open(&l, dbpath, LEDGER_CREATE, &e), 0);
	st = ledger_stmt(l, "SELECT count(*) FROM pragma_table_info('org_unit') "
			 "WHERE name = 'number'", &e);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
	st = ledger_stmt(l, "SELECT count(*) FROM pragma_table_info('org_unit') "
			 "WHERE name = 'heat_network'", &e);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
	st = ledger_stmt(l, "SELECT count(*) FROM pragma_table_info('run') "
			 "WHERE name = 'lens'", &e);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
	st = ledger_stmt(l, "PRAGMA user_version", &e);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), LEDGER_SCHEMA_VERSION);
	db_reset(st);
	/* 9 -> 10 added the weather station */
	st = ledger_stmt(l, "SELECT count(*) FROM pragma_table_info('org_unit') "
			 "WHERE name = 'weather_station'", &e);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
	/* 7 -> 8 created the degree-day register */
	st = ledger_stmt(l, "SELECT count(*) FROM sqlite_master WHERE name = "
			 "'degree_day_set'", &e);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int(st, 0), 1);
	db_reset(st);
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
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test_setup_teardown(test_ledger_and_audit, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_ledger_file_too_large, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_org, setup_db, teardown_db),
		cmocka_unit_test(test_rowhash),
		cmocka_unit_test_setup_teardown(test_ledger_scratch, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_org_number, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
