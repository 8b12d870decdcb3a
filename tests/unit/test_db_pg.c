/*
 * Unit tests for the PostgreSQL backend of db.h (store/db_pg.c) and the
 * rights per organisation subtree (store/pg_roles.sql), against a
 * throwaway cluster: run through `sh tests/pg/cluster.sh run`, which sets
 * CO2LEDGER_PG_URL to its superuser's URL (`make check` does). Every
 * statement goes through db_*(), as the modules' will.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "store/db.h"
#include "store/pg_sql.h"

extern const char ledger_schema_sql[];

static char host[1024], port[32], superuser[128];

/* The URL of database `name` as `user`, on the test cluster. */
static const char *
url(const char *name, const char *user)
{
	static char buf[2048];

	snprintf(buf, sizeof buf, "postgresql:///%s?host=%s&port=%s&user=%s", name, host, port,
		 user ? user : superuser);
	return buf;
}

static void
param_of(const char *u, const char *key, char *out, size_t n)
{
	const char *p = strstr(u, key), *e;

	assert_non_null(p);
	p += strlen(key);
	e = strchr(p, '&');
	if (!e)
		e = p + strlen(p);
	assert_true((size_t)(e - p) < n);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
}

static struct db *
open_as(const char *name, const char *user)
{
	struct db *db;
	char msg[1024];
	int rc = db_open(&db, url(name, user), 0, msg, sizeof msg);

	if (rc != DB_OK)
		fail_msg("open %s as %s: %s", name, user ? user : superuser, msg);
	assert_int_equal(db_backend(db), DB_POSTGRES);
	return db;
}

static void
ok_exec(struct db *db, const char *sql)
{
	int rc = db_exec(db, sql);

	if (rc != DB_OK)
		fail_msg("%s: %s", sql, db_errmsg(db));
}

/* The single integer a query returns. */
static int64_t
q1(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int64_t v;

	if (db_prepare(db, sql, 0, &st) != DB_OK)
		fail_msg("%s: %s", sql, db_errmsg(db));
	if (db_step(st) != DB_ROW)
		fail_msg("%s: %s", sql, db_errmsg(db));
	v = db_column_int64(st, 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	return v;
}

/* Run one statement with an integer parameter to its end: the DB_* code
 * (DB_DONE on success) and, in *changes, the rows it changed. */
static int
run1(struct db *db, const char *sql, int64_t p, int64_t *changes)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, 0, &st);

	if (rc != DB_OK)
		return rc;
	if (strchr(sql, '?'))
		assert_int_equal(db_bind_int64(st, 1, p), DB_OK);
	while ((rc = db_step(st)) == DB_ROW)
		;
	if (changes)
		*changes = db_changes(db);
	db_finalize(st);
	return rc;
}

static void
create_db(const char *name, const char *owner, const char *locale)
{
	struct db *admin = open_as("postgres", NULL);
	char sql[512];

	snprintf(sql, sizeof sql, "CREATE DATABASE %s%s%s TEMPLATE template0 ENCODING 'UTF8' "
		 "LC_COLLATE '%s' LC_CTYPE '%s'", name, owner ? " OWNER " : "", owner ? owner : "",
		 locale, locale);
	ok_exec(admin, sql);
	db_close(admin);
}

static int
setup(void **state)
{
	const char *u = getenv("CO2LEDGER_PG_URL");

	if (!u || !*u) {
		fprintf(stderr, "test_db_pg: CO2LEDGER_PG_URL is not set: run it through "
			"sh tests/pg/cluster.sh run %s\n", "build/tests/test_db_pg");
		return -1;
	}
	param_of(u, "host=", host, sizeof host);
	param_of(u, "port=", port, sizeof port);
	param_of(u, "user=", superuser, sizeof superuser);
	return 0;
}

/* ---- opening ---- */

static void
test_open(void **state)
{
	struct db *db;
	char msg[1024];
	char bad[2100];

	/* no server on that port */
	snprintf(bad, sizeof bad, "postgresql:///postgres?host=%s&port=1&user=%s", host, superuser);
	assert_int_equal(db_open(&db, bad, 0, msg, sizeof msg), DB_CANTOPEN);
	assert_null(db);
	assert_non_null(strstr(msg, "cannot connect to PostgreSQL"));
	/* no such database */
	assert_int_equal(db_open(&db, url("nosuchdb", NULL), 0, msg, sizeof msg), DB_CANTOPEN);
	assert_non_null(strstr(msg, "nosuchdb"));
	/* a database that sorts text by a locale, not bytewise, is refused with the fix */
	create_db("co2_utf8", NULL, "C.UTF-8");
	assert_int_equal(db_open(&db, url("co2_utf8", NULL), 0, msg, sizeof msg), DB_CANTOPEN);
	assert_null(db);
	assert_non_null(strstr(msg, "sorts text by the locale 'C.UTF-8'"));
	assert_non_null(strstr(msg, "LC_COLLATE 'C'"));
	/* the cluster's own database is C: fine, in UTC */
	db = open_as("postgres", NULL);
	{
		struct db_stmt *st;

		assert_int_equal(db_prepare(db, "SELECT current_setting('TimeZone')", 0, &st), DB_OK);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal((const char *)db_column_text(st, 0), "UTC");
		db_finalize(st);
	}
	db_close(db);
}

/* ---- statements, types, placeholders ---- */

static void
test_placeholders(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char msg[128];
	int np;

	assert_int_equal(pg_sql_placeholders("SELECT ?, '?''?', \"a?\", ?3, ? -- ?\n/* ? */",
					     &sb, &np, msg, sizeof msg), 0);
	assert_string_equal(strbuf_str(&sb), "SELECT $1, '?''?', \"a?\", $3, $4 -- ?\n/* ? */");
	assert_int_equal(np, 4);
	strbuf_reset(&sb);
	assert_int_equal(pg_sql_placeholders("SELECT ?0", &sb, &np, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "out of range"));
	strbuf_reset(&sb);
	assert_int_equal(pg_sql_placeholders("SELECT ?70000", &sb, &np, msg, sizeof msg), -1);
	strbuf_release(&sb);
	assert_true(pg_sql_is_query("  select 1"));
	assert_true(pg_sql_is_query("(SELECT 1) UNION SELECT 2"));
	assert_true(pg_sql_is_query("WITH a AS (SELECT 1), b(x) AS (SELECT 2) SELECT * FROM a, b"));
	assert_true(pg_sql_is_query("VALUES (1)"));
	assert_false(pg_sql_is_query("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a"));
	assert_false(pg_sql_is_query("INSERT INTO t VALUES (1) RETURNING id"));
	assert_false(pg_sql_is_query("UPDATE t SET a = (SELECT 1)"));
	assert_false(pg_sql_is_query(""));
}

static void
test_types(void **state)
{
	static const unsigned char blob[] = {0, 1, 0xff, '\\', 'x', '\n', 0};
	const char *text = "Tempelhof-Schöneberg \\ 'quoted' \"q\" ?";
	struct db *db;
	struct db_stmt *st;
	int64_t id, changes;

	create_db("co2_types", NULL, "C");
	db = open_as("co2_types", NULL);
	ok_exec(db, "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
		    "i BIGINT, d DOUBLE PRECISION, s TEXT UNIQUE, b BYTEA, n BIGINT)");
	assert_int_equal(db_prepare(db, "INSERT INTO t (i, d, s, b, n) VALUES (?, ?2, ?, ?, ?) "
				    "RETURNING id", 1, &st), DB_OK);
	assert_int_equal(db_bind_int64(st, 1, INT64_MIN), DB_OK);
	assert_int_equal(db_bind_double(st, 2, 0.1), DB_OK);
	assert_int_equal(db_bind_text(st, 3, text, -1, DB_STATIC), DB_OK);
	assert_int_equal(db_bind_blob(st, 4, blob, (int)sizeof blob, DB_TRANSIENT), DB_OK);
	assert_int_equal(db_bind_null(st, 5), DB_OK);
	assert_int_equal(db_bind_int64(st, 6, 1), DB_ERROR); /* only 5 parameters */
	assert_int_equal(db_step(st), DB_ROW);
	id = db_column_int64(st, 0);
	assert_true(id >= 1);
	assert_int_equal(db_column_type(st, 0), DB_INTEGER);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(db), 1);
	/* again with the bindings kept: the UNIQUE text is a constraint failure */
	assert_int_equal(db_reset(st), DB_OK);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(db), "duplicate key"));
	assert_int_equal(db_errcode(db), DB_CONSTRAINT);
	db_reset(st);
	assert_int_equal(db_bind_int64(st, 1, INT64_MAX), DB_OK);
	assert_int_equal(db_bind_text(st, 3, "zweite Zeile", 5, DB_TRANSIENT), DB_OK); /* "zweit" */
	assert_int_equal(db_step(st), DB_ROW);
	db_finalize(st);

	assert_int_equal(db_prepare(db, "SELECT i, d, s, b, n, id FROM t ORDER BY id", 0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_count(st), 6);
	assert_int_equal(db_column_type(st, 0), DB_INTEGER);
	assert_true(db_column_int64(st, 0) == INT64_MIN);
	assert_int_equal(db_column_type(st, 1), DB_FLOAT);
	assert_true(db_column_double(st, 1) == 0.1); /* exact round trip */
	assert_int_equal(db_column_type(st, 2), DB_TEXT);
	assert_string_equal((const char *)db_column_text(st, 2), text);
	assert_int_equal(db_column_bytes(st, 2), (int)strlen(text));
	assert_int_equal(db_column_type(st, 3), DB_BLOB);
	assert_int_equal(db_column_bytes(st, 3), (int)sizeof blob);
	assert_memory_equal(db_column_blob(st, 3), blob, sizeof blob);
	assert_int_equal(db_column_type(st, 4), DB_NULL);
	assert_null(db_column_text(st, 4));
	assert_int_equal(db_column_int64(st, 4), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_column_int64(st, 0) == INT64_MAX);
	assert_string_equal((const char *)db_column_text(st, 2), "zweit");
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);

	/* a SUM over BIGINT is numeric in PostgreSQL: read whole, a fraction refused */
	assert_true(q1(db, "SELECT SUM(i / 2) FROM t") == INT64_MIN / 2 + INT64_MAX / 2);
	assert_int_equal(db_prepare(db, "SELECT SUM(x) FROM (VALUES (9223372036854775807), "
				    "(9223372036854775807)) v(x)", 0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_type(st, 0), DB_INTEGER);
	db_column_int64(st, 0); /* 2^64 - 2 does not fit */
	assert_int_equal(db_errcode(db), DB_ERROR);
	assert_non_null(strstr(db_errmsg(db), "not a 64-bit integer"));
	db_finalize(st);
	assert_int_equal(db_prepare(db, "SELECT 1.5::numeric, 2.000::numeric, CAST(SUM(n) AS BIGINT) "
				    "FROM t", 0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_type(st, 0), DB_FLOAT);
	assert_int_equal(db_column_int64(st, 0), 0);
	assert_int_equal(db_errcode(db), DB_ERROR);
	assert_int_equal(db_column_type(st, 1), DB_INTEGER);
	assert_int_equal(db_column_int64(st, 1), 2);
	assert_int_equal(db_column_type(st, 2), DB_NULL);
	db_finalize(st);

	/* a query with parameters, through its cursor; its columns known before a step */
	assert_int_equal(db_prepare(db, "SELECT s, ?2 FROM t WHERE i = ?1 AND s <> '?'", 0, &st),
			 DB_OK);
	assert_int_equal(db_column_count(st), 2);
	assert_int_equal(db_bind_int64(st, 1, INT64_MAX), DB_OK);
	assert_int_equal(db_bind_text(st, 2, "zwei", -1, DB_STATIC), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_column_text(st, 0), "zweit");
	assert_string_equal((const char *)db_column_text(st, 1), "zwei");
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_bind_int64(st, 1, 42), DB_OK);
	db_reset(st);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);

	assert_int_equal(run1(db, "UPDATE t SET n = ? WHERE id > 0", 7, &changes), DB_DONE);
	assert_int_equal(changes, 2);
	/* text with a NUL cannot be stored: said so, not cut */
	assert_int_equal(db_prepare(db, "SELECT ?", 0, &st), DB_OK);
	assert_int_equal(db_bind_text(st, 1, "a\0b", 3, DB_TRANSIENT), DB_ERROR);
	assert_non_null(strstr(db_errmsg(db), "NUL"));
	db_finalize(st);
	/* a syntax error is reported at prepare */
	assert_int_equal(db_prepare(db, "SELEC 1", 0, &st), DB_ERROR);
	assert_null(st);
	assert_non_null(strstr(db_errmsg(db), "syntax error"));
	db_close(db);
}

/* ---- streaming ---- */

static void
fill(struct db *db, const char *table, int rows)
{
	static const char *const cols[] = {"k", "v"};
	struct db_bulk *b;
	int i;

	assert_int_equal(db_bulk_begin(db, table, cols, 2, &b), DB_OK);
	for (i = 1; i <= rows; i++) {
		char v[32];

		snprintf(v, sizeof v, "row\t%d\n", i);
		assert_int_equal(db_bulk_int64(b, 1, i), DB_OK);
		assert_int_equal(db_bulk_text(b, 2, v, -1), DB_OK);
		assert_int_equal(db_bulk_row(b), DB_OK);
	}
	assert_int_equal(db_bulk_end(b), DB_OK);
}

static void
test_streaming(void **state)
{
	struct db *db, *other;
	struct db_stmt *q, *ins;
	int64_t n = 0, sum = 0;
	int rc;

	create_db("co2_stream", NULL, "C");
	db = open_as("co2_stream", NULL);
	ok_exec(db, "CREATE TABLE src (k BIGINT PRIMARY KEY, v TEXT); "
		    "CREATE TABLE dst (k BIGINT PRIMARY KEY)");
	fill(db, "src", 10000);
	assert_int_equal(q1(db, "SELECT count(*) FROM src"), 10000);

	/* read through a cursor and insert with another statement between steps;
	 * a failing insert (a duplicate) takes back only itself */
	assert_int_equal(db_prepare(db, "SELECT k, v FROM src ORDER BY k", 0, &q), DB_OK);
	assert_int_equal(db_prepare(db, "INSERT INTO dst (k) VALUES (?)", 1, &ins), DB_OK);
	while ((rc = db_step(q)) == DB_ROW) {
		int64_t k = db_column_int64(q, 0);
		char want[32];

		snprintf(want, sizeof want, "row\t%lld\n", (long long)k);
		assert_string_equal((const char *)db_column_text(q, 1), want);
		n++;
		sum += k;
		if (n == 1) { /* the rows come through a cursor, not in one result */
			struct db_stmt *bad;

			assert_int_equal(q1(db, "SELECT count(*) FROM pg_cursors "
					     "WHERE statement LIKE '%FROM src ORDER BY k'"), 1);
			/* a second query that fails leaves this one readable */
			assert_int_equal(db_prepare(db, "SELECT 1 / (k - k) FROM src", 0, &bad),
					 DB_OK);
			assert_int_equal(db_step(bad), DB_ERROR);
			assert_non_null(strstr(db_errmsg(db), "division by zero"));
			assert_int_equal(db_step(bad), DB_ERROR);
			db_finalize(bad);
		}
		assert_int_equal(db_bind_int64(ins, 1, k % 5000 + 1), DB_OK);
		assert_int_equal(db_step(ins), k <= 5000 ? DB_DONE : DB_CONSTRAINT);
		db_reset(ins);
	}
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, 10000);
	assert_int_equal(sum, 10000LL * 10001 / 2);
	assert_false(db_in_transaction(db));
	/* the cursor is closed and the implicit transaction committed: another
	 * connection sees the 5000 rows */
	assert_int_equal(q1(db, "SELECT count(*) FROM pg_cursors "
			     "WHERE statement LIKE '%FROM src ORDER BY k'"), 0);
	other = open_as("co2_stream", NULL);
	assert_int_equal(q1(other, "SELECT count(*) FROM dst"), 5000);

	/* a write transaction begun while a query is read (its implicit
	 * transaction becomes the write transaction); the query goes on after
	 * the commit */
	db_reset(q);
	assert_int_equal(db_step(q), DB_ROW);
	assert_false(db_in_transaction(db));
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_true(db_in_transaction(db));
	ok_exec(db, "INSERT INTO dst VALUES (-1)");
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(q1(other, "SELECT count(*) FROM dst WHERE k = -1"), 1);
	for (n = 1; (rc = db_step(q)) == DB_ROW; n++)
		;
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, 10000);
	assert_false(db_in_transaction(db));

	/* a commit in the middle of reading keeps the query (WITH HOLD) */
	assert_int_equal(db_begin_write(db), DB_OK);
	db_reset(q);
	for (n = 0; n < 3000; n++)
		assert_int_equal(db_step(q), DB_ROW);
	assert_int_equal(db_commit(db), DB_OK);
	while ((rc = db_step(q)) == DB_ROW)
		n++;
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(n, 10000);

	/* a rollback ends a query of its transaction: said so */
	assert_int_equal(db_begin_write(db), DB_OK);
	db_reset(q);
	assert_int_equal(db_step(q), DB_ROW);
	db_rollback(db);
	assert_int_equal(db_step(q), DB_ERROR);
	assert_non_null(strstr(db_errmsg(db), "rolled back"));
	db_reset(q);
	assert_int_equal(db_step(q), DB_ROW);
	db_finalize(q);
	db_finalize(ins);
	assert_false(db_in_transaction(db));
	db_close(other);
	db_close(db);
}

/* ---- bulk ---- */

static void
test_bulk(void **state)
{
	static const char *const cols[] = {"k", "t", "b", "n"};
	static const unsigned char blob[] = {0, '\t', '\\', 0xfe};
	const char *nasty = "a\tb\nc\\d\r\\N e";
	struct db *db;
	struct db_bulk *b;
	struct db_stmt *st;
	int i;

	create_db("co2_bulk", NULL, "C");
	db = open_as("co2_bulk", NULL);
	ok_exec(db, "CREATE TABLE r (k BIGINT PRIMARY KEY, t TEXT, b BYTEA, n BIGINT)");
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_begin(db, "r", cols, 4, &b), DB_OK);
	/* 60,000 rows: several COPYs of 256 KiB; a query runs between two rows */
	for (i = 1; i <= 60000; i++) {
		assert_int_equal(db_bulk_int64(b, 1, i), DB_OK);
		assert_int_equal(db_bulk_text(b, 2, nasty, -1), DB_OK);
		assert_int_equal(db_bulk_blob(b, 3, blob, (int)sizeof blob), DB_OK);
		if (i % 2)
			assert_int_equal(db_bulk_int64(b, 4, -i), DB_OK);
		else
			assert_int_equal(db_bulk_null(b, 4), DB_OK);
		assert_int_equal(db_bulk_row(b), DB_OK);
		if (i == 30000)
			assert_true(q1(db, "SELECT count(*) FROM r") > 0);
	}
	assert_int_equal(db_bulk_end(b), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(q1(db, "SELECT count(*) FROM r"), 60000);
	assert_int_equal(q1(db, "SELECT count(*) FROM r WHERE n IS NULL"), 30000);
	assert_int_equal(db_prepare(db, "SELECT t, b, n FROM r WHERE k = 59999", 0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_column_text(st, 0), nasty);
	assert_int_equal(db_column_bytes(st, 1), (int)sizeof blob);
	assert_memory_equal(db_column_blob(st, 1), blob, sizeof blob);
	assert_int_equal(db_column_int64(st, 2), -59999);
	db_finalize(st);

	/* a duplicate key fails the COPY: DB_CONSTRAINT, and the transaction rolls back */
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_begin(db, "r", cols, 1, &b), DB_OK);
	assert_int_equal(db_bulk_int64(b, 1, 70000), DB_OK);
	assert_int_equal(db_bulk_row(b), DB_OK);
	assert_int_equal(db_bulk_int64(b, 1, 1), DB_OK);
	assert_int_equal(db_bulk_row(b), DB_OK);
	assert_int_equal(db_bulk_end(b), DB_CONSTRAINT);
	assert_int_equal(db_commit(db), DB_ERROR); /* the failure rolled it back */
	assert_false(db_in_transaction(db));
	assert_int_equal(q1(db, "SELECT count(*) FROM r WHERE k = 70000"), 0);
	/* names are checked: no SQL through a table name */
	assert_int_equal(db_bulk_begin(db, "r; DROP TABLE r", cols, 1, &b), DB_ERROR);
	db_close(db);
}

/* ---- transactions ---- */

static void
test_transactions(void **state)
{
	struct db *a, *b, *ro;
	char msg[512];

	create_db("co2_txn", NULL, "C");
	a = open_as("co2_txn", NULL);
	b = open_as("co2_txn", NULL);
	ok_exec(a, "CREATE TABLE t (k BIGINT)");

	/* one writer at a time: the second waits lock_timeout, then DB_BUSY */
	ok_exec(b, "SET lock_timeout = '200ms'");
	assert_int_equal(db_begin_write(a), DB_OK);
	assert_true(db_in_transaction(a));
	assert_int_equal(db_begin_write(a), DB_ERROR); /* not nested */
	assert_int_equal(db_begin_write(b), DB_BUSY);
	assert_non_null(strstr(db_errmsg(b), "another co2ledger is writing"));
	assert_false(db_in_transaction(b));
	ok_exec(a, "INSERT INTO t VALUES (1)");
	assert_int_equal(db_commit(a), DB_OK);
	assert_int_equal(db_begin_write(b), DB_OK);
	db_rollback(b);

	/* a read transaction is one snapshot */
	assert_int_equal(db_begin_read(a), DB_OK);
	assert_int_equal(q1(a, "SELECT count(*) FROM t"), 1);
	ok_exec(b, "INSERT INTO t VALUES (2)");
	assert_int_equal(q1(a, "SELECT count(*) FROM t"), 1);
	assert_int_equal(db_exec(a, "INSERT INTO t VALUES (3)"), DB_READONLY);
	db_rollback(a);
	assert_int_equal(q1(a, "SELECT count(*) FROM t"), 2);

	/* a failed statement fails the transaction: commit says so */
	assert_int_equal(db_begin_write(a), DB_OK);
	ok_exec(a, "INSERT INTO t VALUES (4)");
	assert_int_equal(db_exec(a, "INSERT INTO nosuch VALUES (1)"), DB_ERROR);
	assert_int_equal(db_commit(a), DB_ERROR);
	assert_non_null(strstr(db_errmsg(a), "rolled back"));
	assert_int_equal(q1(a, "SELECT count(*) FROM t"), 2);
	assert_int_equal(db_commit(a), DB_ERROR); /* none open */

	/* read-only connection */
	assert_int_equal(db_open(&ro, url("co2_txn", NULL), DB_OPEN_READONLY, msg, sizeof msg), DB_OK);
	assert_int_equal(db_exec(ro, "INSERT INTO t VALUES (5)"), DB_READONLY);
	assert_int_equal(db_begin_write(ro), DB_READONLY);
	assert_int_equal(q1(ro, "SELECT count(*) FROM t"), 2);
	db_close(ro);
	db_close(a);
	db_close(b);
}

/* ---- schema ---- */

static void
test_schema(void **state)
{
	struct pg_ddl d;
	struct db *db;
	char msg[1024];
	int v = -1;
	int64_t id;

	/* the translation itself */
	assert_int_equal(pg_ddl_translate("CREATE TABLE x (id INTEGER PRIMARY KEY AUTOINCREMENT, "
					  "r REAL, b BLOB, p INTEGER PRIMARY KEY REFERENCES y(id), "
					  "CHECK (r == 1.5)) WITHOUT ROWID; PRAGMA foo = 1;",
					  &d, msg, sizeof msg), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.stmt[0], "CREATE TABLE x (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
			    "PRIMARY KEY, r DOUBLE PRECISION, b BYTEA, p BIGINT PRIMARY KEY "
			    "REFERENCES y(id), CHECK (r = 1.5))");
	pg_ddl_release(&d);
	assert_int_equal(pg_ddl_translate("ALTER TABLE run ADD COLUMN lens TEXT NOT NULL DEFAULT 'x';"
					  "ALTER TABLE run ADD n INTEGER", &d, msg, sizeof msg), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.stmt[0], "ALTER TABLE run ADD COLUMN lens TEXT NOT NULL DEFAULT 'x'");
	assert_string_equal(d.stmt[1], "ALTER TABLE run ADD n BIGINT");
	pg_ddl_release(&d);
	assert_int_equal(pg_ddl_translate("CREATE TRIGGER t AFTER INSERT ON a BEGIN "
					  "UPDATE b SET n = n + 1; END;", &d, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "only a body SELECT RAISE(ABORT, 'message')"));
	assert_int_equal(pg_ddl_translate("CREATE TABLE y (a TEXT COLLATE NOCASE)", &d, msg,
					  sizeof msg), -1);
	assert_non_null(strstr(msg, "COLLATE"));
	assert_int_equal(pg_ddl_translate("CREATE TABLE y (a)", &d, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "without a type"));

	/* the current store/schema.sql creates cleanly */
	create_db("co2_schema", NULL, "C");
	db = open_as("co2_schema", NULL);
	assert_int_equal(db_pg_schema_version(db, &v), DB_OK);
	assert_int_equal(v, 0);
	if (db_pg_schema(db, ledger_schema_sql, msg, sizeof msg) != DB_OK)
		fail_msg("schema: %s", msg);
	assert_int_equal(db_pg_schema_version(db, &v), DB_OK);
	assert_int_equal(v, 0);
	assert_int_equal(db_pg_set_schema_version(db, 6), DB_OK);
	assert_int_equal(db_pg_set_schema_version(db, 7), DB_OK);
	assert_int_equal(db_pg_schema_version(db, &v), DB_OK);
	assert_int_equal(v, 7);
	assert_true(q1(db, "SELECT count(*) FROM information_schema.tables "
			   "WHERE table_schema = 'public'") >= 14);
	/* an INTEGER PRIMARY KEY numbers its rows */
	id = q1(db, "INSERT INTO org_unit (code, name, kind) VALUES ('BE', 'Berlin', 'state') "
		    "RETURNING id");
	assert_int_equal(id, 1);
	assert_int_equal(q1(db, "INSERT INTO org_unit (code, name, kind, parent_id) "
				"VALUES ('MI', 'Mitte', 'district', 1) RETURNING id"), 2);
	assert_int_equal(db_exec(db, "INSERT INTO org_unit (code, name, kind) "
				     "VALUES ('X', 'x', 'planet')"), DB_CONSTRAINT);
	/* the audit triggers of schema.sql, translated */
	ok_exec(db, "INSERT INTO audit (at, action, payload, prev_sha256, sha256) "
		    "VALUES ('t', 'ledger.init', '{}', '', 'x')");
	assert_int_equal(db_exec(db, "UPDATE audit SET action = 'x'"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(db), "the audit log is append-only"));
	assert_int_equal(db_exec(db, "DELETE FROM audit"), DB_CONSTRAINT);
	/* a second time: the statement that fails is named */
	assert_int_equal(db_pg_schema(db, ledger_schema_sql, msg, sizeof msg), DB_ERROR);
	assert_non_null(strstr(msg, "already exists"));
	assert_non_null(strstr(msg, "CREATE TABLE org_unit"));
	db_close(db);
}

/* ---- rights per organisation subtree ---- */

static int64_t
insert_id(struct db *db, const char *sql)
{
	return q1(db, sql);
}

static void
test_rights(void **state)
{
	struct db *admin, *owner, *spandau, *mitte, *auditor, *pub1, *pub2;
	char msg[1024], sql[512];
	int64_t be, mi, sp, rh, key, b1, b2, run, ch;
	struct db_stmt *st;

	admin = open_as("postgres", NULL);
	ok_exec(admin, "CREATE ROLE co2_owner LOGIN CREATEROLE");
	db_close(admin);
	create_db("co2_rights", "co2_owner", "C");
	owner = open_as("co2_rights", "co2_owner");
	if (db_pg_schema(owner, ledger_schema_sql, msg, sizeof msg) != DB_OK)
		fail_msg("schema: %s", msg);
	if (db_pg_init_roles(owner, msg, sizeof msg) != DB_OK)
		fail_msg("roles: %s", msg);
	/* init can run again on the same ledger */
	if (db_pg_init_roles(owner, msg, sizeof msg) != DB_OK)
		fail_msg("roles again: %s", msg);

	admin = open_as("co2_rights", NULL);
	ok_exec(admin, "CREATE ROLE spandau LOGIN IN ROLE co2_officer; "
		       "CREATE ROLE mitte LOGIN IN ROLE co2_officer; "
		       "CREATE ROLE pruefer LOGIN IN ROLE co2_auditor; "
		       "CREATE ROLE pub1 LOGIN IN ROLE co2_publisher; "
		       "CREATE ROLE pub2 LOGIN IN ROLE co2_publisher");

	/* the ledger's owner: the tree, a batch with rows of Mitte, Spandau and
	 * a site of Spandau, a run with totals, the officers' subtrees */
	be = insert_id(owner, "INSERT INTO org_unit (code, name, kind) "
			      "VALUES ('BERLIN', 'Berlin', 'state') RETURNING id");
	snprintf(sql, sizeof sql, "INSERT INTO org_unit (code, name, kind, parent_id) "
		 "VALUES ('MITTE', 'Mitte', 'district', %lld) RETURNING id", (long long)be);
	mi = insert_id(owner, sql);
	snprintf(sql, sizeof sql, "INSERT INTO org_unit (code, name, kind, parent_id) "
		 "VALUES ('SPANDAU', 'Spandau', 'district', %lld) RETURNING id", (long long)be);
	sp = insert_id(owner, sql);
	snprintf(sql, sizeof sql, "INSERT INTO org_unit (code, name, kind, parent_id) "
		 "VALUES ('SPANDAU-RH', 'Rathaus Spandau', 'site', %lld) RETURNING id",
		 (long long)sp);
	rh = insert_id(owner, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM org_unit WHERE id = %lld AND "
		 "path::text = 'u%lld.u%lld.u%lld'", (long long)rh, (long long)be, (long long)sp,
		 (long long)rh);
	assert_int_equal(q1(owner, sql), 1);
	key = insert_id(owner, "INSERT INTO activity_key (key) VALUES ('energy.electricity') "
			       "RETURNING id");
	b1 = insert_id(owner, "INSERT INTO batch (kind, file, sha256, imported_at) "
			      "VALUES ('energy', 'berlin.csv', 'aa', 't') RETURNING id");
	snprintf(sql, sizeof sql,
		 "INSERT INTO activity (batch_id, line, org_id, key_id, day_start, day_end, "
		 "quantity, unit, quality) VALUES (%lld, 2, %lld, %lld, 0, 0, 100, 'kWh', 0), "
		 "(%lld, 3, %lld, %lld, 0, 0, 200, 'kWh', 0), (%lld, 4, %lld, %lld, 0, 0, 300, 'kWh', 0)",
		 (long long)b1, (long long)mi, (long long)key, (long long)b1, (long long)sp,
		 (long long)key, (long long)b1, (long long)rh, (long long)key);
	ok_exec(owner, sql);
	run = insert_id(owner, "INSERT INTO run (year, gwp, region, fallback, factor_sets, batches, "
			       "inputs_sha256, results_sha256, rows_used, rows_excluded, "
			       "rows_extrapolated, created_at) VALUES (2024, 'AR6', 'DE', 'error', "
			       "'[]', '[]', 'i', 'r', 3, 0, 0, 't') RETURNING id");
	snprintf(sql, sizeof sql,
		 "INSERT INTO run_total (run_id, org_id, sector, carrier, quality, extrapolated, "
		 "rows, scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg, upstream_mg, "
		 "biogenic_co2_mg, market_fallback_mg) VALUES "
		 "(%lld, %lld, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 1, 1, 0, 0, 0, 0), "
		 "(%lld, %lld, 'buildings.electricity', 'electricity', 0, 0, 2, 0, 2, 2, 0, 0, 0, 0)",
		 (long long)run, (long long)mi, (long long)run, (long long)sp);
	ok_exec(owner, sql);
	snprintf(sql, sizeof sql, "INSERT INTO org_access (login, org_id) VALUES "
		 "('spandau', %lld), ('mitte', %lld)", (long long)sp, (long long)mi);
	ok_exec(owner, sql);

	/* Spandau's officer sees Spandau and its site, nothing of Mitte */
	spandau = open_as("co2_rights", "spandau");
	assert_int_equal(q1(spandau, "SELECT count(*) FROM activity"), 2);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM activity WHERE org_id = %lld", (long long)mi);
	assert_int_equal(q1(spandau, sql), 0);
	assert_int_equal(q1(spandau, "SELECT count(*) FROM run_total"), 1);
	assert_int_equal(q1(spandau, "SELECT COALESCE(SUM(quantity), 0) FROM activity"), 500);
	/* ... and cannot write Mitte's rows: not insert, not change, not move a row there */
	b2 = insert_id(spandau, "INSERT INTO batch (kind, file, sha256, imported_at) "
				"VALUES ('energy', 'spandau.csv', 'bb', 't') RETURNING id");
	snprintf(sql, sizeof sql,
		 "INSERT INTO activity (batch_id, line, org_id, key_id, day_start, day_end, "
		 "quantity, unit, quality) VALUES (%lld, 2, %lld, %lld, 0, 0, 999, 'kWh', 0)",
		 (long long)b2, (long long)mi, (long long)key);
	assert_int_equal(db_exec(spandau, sql), DB_DENIED);
	assert_non_null(strstr(db_errmsg(spandau), "row-level security"));
	snprintf(sql, sizeof sql,
		 "INSERT INTO activity (batch_id, line, org_id, key_id, day_start, day_end, "
		 "quantity, unit, quality) VALUES (%lld, 2, %lld, %lld, 0, 0, 50, 'kWh', 0)",
		 (long long)b2, (long long)rh, (long long)key);
	ok_exec(spandau, sql); /* its own site: fine */
	snprintf(sql, sizeof sql, "UPDATE activity SET quantity = 0 WHERE org_id = %lld", (long long)mi);
	assert_int_equal(run1(spandau, sql, 0, &ch), DB_DONE);
	assert_int_equal(ch, 0);
	snprintf(sql, sizeof sql, "UPDATE activity SET org_id = %lld WHERE org_id = %lld",
		 (long long)mi, (long long)sp);
	assert_int_equal(run1(spandau, sql, 0, &ch), DB_DENIED);
	assert_int_equal(db_exec(spandau, "DELETE FROM activity"), DB_DENIED);
	snprintf(sql, sizeof sql,
		 "INSERT INTO run_total (run_id, org_id, sector, carrier, quality, extrapolated, "
		 "rows, scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg, upstream_mg, "
		 "biogenic_co2_mg, market_fallback_mg) VALUES "
		 "(%lld, %lld, 'fleet', 'diesel', 0, 0, 1, 9, 0, 0, 0, 0, 0, 0)",
		 (long long)run, (long long)mi);
	assert_int_equal(db_exec(spandau, sql), DB_DENIED);
	/* nor widen its own rights */
	snprintf(sql, sizeof sql, "INSERT INTO org_access VALUES ('spandau', %lld)", (long long)mi);
	assert_int_equal(db_exec(spandau, sql), DB_DENIED);
	snprintf(sql, sizeof sql, "UPDATE org_unit SET parent_id = %lld WHERE id = %lld",
		 (long long)sp, (long long)mi);
	assert_int_equal(db_exec(spandau, sql), DB_DENIED);
	assert_int_equal(q1(spandau, "SELECT count(*) FROM org_access"), 1);

	/* Mitte's officer: the shared batch (it has Mitte's row), not Spandau's own */
	mitte = open_as("co2_rights", "mitte");
	assert_int_equal(q1(mitte, "SELECT count(*) FROM activity"), 1);
	assert_int_equal(q1(mitte, "SELECT SUM(quantity) FROM activity"), 100);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM batch WHERE id IN (%lld, %lld)",
		 (long long)b1, (long long)b2);
	assert_int_equal(q1(mitte, sql), 1);
	assert_int_equal(q1(spandau, sql), 2);
	/* Mitte's officer cannot supersede Spandau's batch */
	snprintf(sql, sizeof sql, "UPDATE batch SET status = 'superseded' WHERE id = %lld",
		 (long long)b2);
	assert_int_equal(run1(mitte, sql, 0, &ch), DB_DONE);
	assert_int_equal(ch, 0);

	/* the auditor reads everything and writes nothing */
	auditor = open_as("co2_rights", "pruefer");
	assert_int_equal(q1(auditor, "SELECT count(*) FROM activity"), 4);
	assert_int_equal(q1(auditor, "SELECT count(*) FROM run_total"), 2);
	assert_int_equal(db_exec(auditor, "INSERT INTO activity_key (key) VALUES ('x')"), DB_DENIED);
	assert_int_equal(db_exec(auditor, "UPDATE run_total SET rows = 0"), DB_DENIED);
	assert_int_equal(db_exec(auditor, "DELETE FROM batch"), DB_DENIED);
	assert_int_equal(db_exec(auditor, "INSERT INTO audit (at, action, payload, prev_sha256, "
					  "sha256) VALUES ('t', 'x', '{}', '', 'y')"), DB_DENIED);

	/* the audit log records the database user, which the client cannot set */
	ok_exec(owner, "INSERT INTO audit (at, action, payload, prev_sha256, sha256) "
		       "VALUES ('t', 'ledger.init', '{}', '', 'a1')");
	ok_exec(spandau, "INSERT INTO audit (at, action, payload, prev_sha256, sha256, db_user) "
			 "VALUES ('t', 'batch.import', '{}', 'a1', 'a2', 'mitte')");
	assert_int_equal(q1(auditor, "SELECT count(*) FROM audit WHERE sha256 = 'a1' AND "
				     "db_user = 'co2_owner'"), 1);
	assert_int_equal(q1(auditor, "SELECT count(*) FROM audit WHERE sha256 = 'a2' AND "
				     "db_user = 'spandau'"), 1);
	/* ... and is append-only for everyone, its owner included */
	pub1 = open_as("co2_rights", "pub1");
	pub2 = open_as("co2_rights", "pub2");
	{
		struct db *all[] = {owner, spandau, auditor, pub1};
		size_t i;

		for (i = 0; i < sizeof all / sizeof all[0]; i++) {
			assert_int_equal(db_exec(all[i], "UPDATE audit SET payload = '{\"x\":1}'"),
					 DB_DENIED);
			assert_int_equal(db_exec(all[i], "DELETE FROM audit"), DB_DENIED);
			assert_int_equal(db_exec(all[i], "TRUNCATE audit"), DB_DENIED);
		}
	}
	/* an owner that grants itself the right back still meets the triggers,
	 * as does the superuser */
	ok_exec(owner, "GRANT UPDATE, DELETE, TRUNCATE ON audit TO co2_owner");
	assert_int_equal(db_exec(owner, "UPDATE audit SET payload = '{}'"), DB_CONSTRAINT);
	assert_int_equal(db_exec(owner, "DELETE FROM audit"), DB_CONSTRAINT);
	assert_int_equal(db_exec(owner, "TRUNCATE audit"), DB_CONSTRAINT);
	assert_int_equal(db_exec(admin, "UPDATE audit SET payload = '{}'"), DB_CONSTRAINT);
	assert_int_equal(db_exec(admin, "TRUNCATE audit"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(admin), "append-only"));
	assert_int_equal(q1(auditor, "SELECT count(*) FROM audit"), 2);

	/* publishing takes two publishers */
	snprintf(sql, sizeof sql, "INSERT INTO run_publish (run_id, label, published_at) "
		 "VALUES (%lld, 'Bilanz 2024', 't')", (long long)run);
	assert_int_equal(db_exec(spandau, sql), DB_DENIED);
	ok_exec(pub1, sql);
	assert_int_equal(db_exec(pub1, "INSERT INTO run_publish (run_id, label, published_at, "
				       "published_by) VALUES (999, 'x', 't', 'pub2')"), DB_DENIED);
	assert_int_equal(run1(pub1, "UPDATE run_publish SET confirmed_by = 'pub1', confirmed_at = 't'",
			      0, &ch), DB_DONE);
	assert_int_equal(ch, 0); /* not by the one who marked it */
	assert_int_equal(db_exec(pub2, "UPDATE run_publish SET label = 'y'"), DB_DENIED);
	assert_int_equal(run1(pub2, "UPDATE run_publish SET confirmed_by = 'pub1', confirmed_at = 't'",
			      0, &ch), DB_CONSTRAINT); /* in the marker's name */
	assert_int_equal(run1(pub2, "UPDATE run_publish SET confirmed_by = 'mitte', confirmed_at = 't'",
			      0, &ch), DB_DENIED); /* in someone else's name */
	assert_int_equal(run1(pub2, "UPDATE run_publish SET confirmed_by = current_user, "
				    "confirmed_at = 't'", 0, &ch), DB_DONE);
	assert_int_equal(ch, 1);
	assert_int_equal(run1(pub2, "UPDATE run_publish SET confirmed_by = current_user, "
				    "confirmed_at = 'u'", 0, &ch), DB_DONE);
	assert_int_equal(ch, 0); /* once */
	assert_int_equal(db_prepare(auditor, "SELECT published_by, confirmed_by FROM run_publish",
				    0, &st), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_column_text(st, 0), "pub1");
	assert_string_equal((const char *)db_column_text(st, 1), "pub2");
	db_finalize(st);
	print_message("rights: spandau sees 2 of 4 activity rows, 1 of 2 run totals, "
		      "is refused Mitte's rows; the auditor reads 4 and writes none; "
		      "the audit log refuses UPDATE/DELETE/TRUNCATE to all\n");

	db_close(pub1);
	db_close(pub2);
	db_close(auditor);
	db_close(mitte);
	db_close(spandau);
	db_close(admin);
	db_close(owner);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_rights),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
