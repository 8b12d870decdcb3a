/*
 * Unit tests for the storage interface (store/db.h) on its SQLite backend:
 * the choice of backend by the target's form, statements and their
 * values, INSERT ... RETURNING, transactions, the mapping of failures to
 * DB_* codes, and the bulk append (whole batches of rows, the remainder,
 * NULLs, text and blobs copied at the call).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"

static char dir[64];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/co2-db-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return chdir(dir);
}

static int
teardown(void **state)
{
	char cmd[128];

	if (chdir("/") != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct db *
open_new(const char *path)
{
	struct db *db;
	char msg[128];

	assert_int_equal(db_open(&db, path, DB_OPEN_CREATE, msg, sizeof msg), DB_OK);
	assert_int_equal(db_backend(db), DB_SQLITE);
	return db;
}

static void
test_url(void **state)
{
	struct db *db = (struct db *)1;
	char msg[256];

	assert_true(db_is_url("postgresql://u@h/db"));
	assert_true(db_is_url("postgres://h/db"));
	assert_false(db_is_url("postgresql.db"));
	assert_false(db_is_url("./postgres://x"));
	assert_false(db_is_url("ledger.db"));
	/* a URL goes to the PostgreSQL backend: no server behind this
	 * socket folder, refused at open with what to check */
	assert_int_equal(db_open(&db, "postgresql://u:pw@/db?host=/nonexistent-co2ledger",
				 0, msg, sizeof msg), DB_CANTOPEN);
	assert_null(db);
	assert_non_null(strstr(msg, "PostgreSQL"));
	db_close(NULL);
}

static void
test_statements(void **state)
{
	struct db *db = open_new("t.db");
	struct db_stmt *st;
	char text[8] = "abc";
	int64_t id = 0;

	assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, "
				 "n INTEGER, x REAL, s TEXT UNIQUE, b BLOB)"), DB_OK);
	assert_int_equal(db_prepare(db, "INSERT INTO t(n, x, s, b) VALUES (?1, ?2, ?3, ?4) "
				    "RETURNING id", 1, &st), DB_OK);
	assert_ptr_equal(db_stmt_db(st), db);
	assert_int_equal(db_bind_int64(st, 1, INT64_C(9007199254740993)), DB_OK);
	assert_int_equal(db_bind_double(st, 2, 2.5), DB_OK);
	assert_int_equal(db_bind_text(st, 3, text, -1, DB_TRANSIENT), DB_OK);
	memcpy(text, "xyz", 3); /* copied at the bind */
	assert_int_equal(db_bind_blob(st, 4, "\0\1\2", 3, DB_STATIC), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	id = db_column_int64(st, 0);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(id, 1);
	assert_int_equal(db_changes(db), 1);
	/* the second row: the RETURNING id follows */
	assert_int_equal(db_reset(st), DB_OK);
	db_clear_bindings(st);
	assert_int_equal(db_bind_text(st, 3, "second", 3, DB_STATIC), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 2);
	assert_int_equal(db_step(st), DB_DONE);
	/* the same row again: a UNIQUE violation */
	assert_int_equal(db_reset(st), DB_OK);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_int_equal(db_reset(st), DB_CONSTRAINT);
	assert_int_equal(db_errcode(db), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(db), "UNIQUE"));
	db_finalize(st);

	assert_int_equal(db_prepare(db, "SELECT id, n, x, s, b FROM t ORDER BY id", 0, &st),
			 DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_count(st), 5);
	assert_int_equal(db_column_type(st, 1), DB_INTEGER);
	assert_true(db_column_int64(st, 1) == INT64_C(9007199254740993));
	assert_int_equal(db_column_type(st, 2), DB_FLOAT);
	assert_true(db_column_double(st, 2) == 2.5);
	assert_int_equal(db_column_type(st, 3), DB_TEXT);
	assert_string_equal((const char *)db_column_text(st, 3), "abc");
	assert_int_equal(db_column_type(st, 4), DB_BLOB);
	assert_int_equal(db_column_bytes(st, 4), 3);
	assert_memory_equal(db_column_blob(st, 4), "\0\1\2", 3);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_type(st, 1), DB_NULL);
	assert_null(db_column_text(st, 1));
	assert_string_equal((const char *)db_column_text(st, 3), "sec");
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	db_finalize(NULL);

	/* SQL that does not compile */
	assert_int_equal(db_prepare(db, "SELEC 1", 0, &st), DB_ERROR);
	assert_null(st);
	assert_non_null(strstr(db_errmsg(db), "syntax error"));
	db_close(db);
}

static void
test_transactions(void **state)
{
	struct db *a = open_new("t.db"), *b;
	char msg[128];

	assert_int_equal(db_exec(a, "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER)"),
			 DB_OK);
	assert_false(db_in_transaction(a));
	assert_int_equal(db_begin_write(a), DB_OK);
	assert_true(db_in_transaction(a));
	assert_int_equal(db_exec(a, "INSERT INTO t VALUES (1)"), DB_OK);
	db_rollback(a);
	assert_false(db_in_transaction(a));
	db_rollback(a); /* outside a transaction: nothing */

	/* a second writer waits for the busy timeout, then DB_BUSY */
	assert_int_equal(db_open(&b, "t.db", 0, msg, sizeof msg), DB_OK);
	assert_int_equal(db_begin_write(a), DB_OK);
	assert_int_equal(db_exec(b, "PRAGMA busy_timeout = 10"), DB_OK);
	assert_int_equal(db_begin_write(b), DB_BUSY);
	assert_int_equal(db_errcode(b), DB_BUSY);
	/* a reader still sees the last commit */
	assert_int_equal(db_begin_read(b), DB_OK);
	assert_int_equal(db_commit(b), DB_OK);
	assert_int_equal(db_commit(a), DB_OK);
	db_close(b);

	/* read only: writing is DB_READONLY */
	assert_int_equal(db_open(&b, "t.db", DB_OPEN_READONLY, msg, sizeof msg), DB_OK);
	assert_int_equal(db_exec(b, "INSERT INTO t VALUES (2)"), DB_READONLY);
	db_close(b);
	db_close(a);

	/* missing without DB_OPEN_CREATE; a file that is not a database */
	assert_int_equal(db_open(&b, "missing.db", 0, msg, sizeof msg), DB_CANTOPEN);
	assert_null(b);
	assert_string_equal(msg, "unable to open database file");
	{
		FILE *f = fopen("junk.db", "w");
		assert_non_null(f);
		for (int i = 0; i < 200; i++)
			fputs("this is not a database at all. ", f);
		fclose(f);
	}
	assert_int_equal(db_open(&b, "junk.db", 0, msg, sizeof msg), DB_OK);
	assert_int_equal(db_exec(b, "SELECT * FROM sqlite_master"), DB_CORRUPT);
	assert_int_equal(db_errcode(b), DB_CORRUPT);
	db_close(b);
}

/* n rows through the bulk append into t(a, s, b, z): a = i, s = "r<i>" (NULL
 * for every 7th), b = 2 bytes of i, z never set (NULL). */
static void
bulk_rows(struct db *db, int n)
{
	static const char *const cols[] = {"a", "s", "b", "z"};
	struct db_bulk *bk;
	char buf[32];
	int i;

	assert_int_equal(db_bulk_begin(db, "t", cols, 4, &bk), DB_OK);
	for (i = 0; i < n; i++) {
		unsigned char two[2] = {(unsigned char)(i >> 8), (unsigned char)i};
		assert_int_equal(db_bulk_int64(bk, 1, i), DB_OK);
		snprintf(buf, sizeof buf, "r%d", i);
		if (i % 7)
			assert_int_equal(db_bulk_text(bk, 2, buf, -1), DB_OK);
		memset(buf, 'X', sizeof buf); /* copied at the call */
		assert_int_equal(db_bulk_blob(bk, 3, two, 2), DB_OK);
		assert_int_equal(db_bulk_row(bk), DB_OK);
	}
	/* a column out of range is refused */
	assert_int_equal(db_bulk_int64(bk, 5, 1), DB_ERROR);
	assert_int_equal(db_bulk_end(bk), DB_OK);
}

static void
check_rows(struct db *db, int n)
{
	struct db_stmt *st;
	char buf[32];
	int i = 0;

	assert_int_equal(db_prepare(db, "SELECT a, s, b, z FROM t ORDER BY rowid", 0, &st),
			 DB_OK);
	while (db_step(st) == DB_ROW) {
		const unsigned char *b = db_column_blob(st, 2);
		assert_int_equal(db_column_int64(st, 0), i);
		snprintf(buf, sizeof buf, "r%d", i);
		if (i % 7)
			assert_string_equal((const char *)db_column_text(st, 1), buf);
		else
			assert_int_equal(db_column_type(st, 1), DB_NULL);
		assert_int_equal(db_column_bytes(st, 2), 2);
		assert_int_equal(b[0], (unsigned char)(i >> 8));
		assert_int_equal(b[1], (unsigned char)i);
		assert_int_equal(db_column_type(st, 3), DB_NULL);
		i++;
	}
	db_finalize(st);
	assert_int_equal(i, n);
}

static void
test_bulk(void **state)
{
	struct db *db = open_new("t.db");
	static const int counts[] = {0, 1, 63, 64, 65, 200, 1000};
	size_t k;

	for (k = 0; k < sizeof counts / sizeof counts[0]; k++) {
		assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS t; CREATE TABLE t "
					 "(a INTEGER NOT NULL, s TEXT, b BLOB, z TEXT)"), DB_OK);
		assert_int_equal(db_begin_write(db), DB_OK);
		bulk_rows(db, counts[k]);
		assert_int_equal(db_commit(db), DB_OK);
		check_rows(db, counts[k]);
	}
	db_close(db);
}

static void
test_bulk_failure(void **state)
{
	static const char *const cols[] = {"a"};
	struct db *db = open_new("t.db");
	struct db_bulk *bk;
	int i, rc = DB_OK;

	assert_int_equal(db_exec(db, "CREATE TABLE t (a INTEGER NOT NULL)"), DB_OK);
	/* a table that does not exist */
	assert_int_equal(db_bulk_begin(db, "nope", cols, 1, &bk), DB_ERROR);
	assert_null(bk);
	assert_non_null(strstr(db_errmsg(db), "no such table"));
	/* a NULL in a NOT NULL column: the batch that holds it fails, and the
	 * rest is refused */
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_begin(db, "t", cols, 1, &bk), DB_OK);
	for (i = 0; i < 300 && rc == DB_OK; i++) {
		if (i != 10)
			db_bulk_int64(bk, 1, i);
		rc = db_bulk_row(bk);
	}
	assert_int_equal(rc, DB_CONSTRAINT);
	assert_int_equal(db_bulk_row(bk), DB_CONSTRAINT);
	assert_int_equal(db_bulk_end(bk), DB_CONSTRAINT);
	db_rollback(db);
	assert_int_equal(db_bulk_end(NULL), DB_OK);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test_setup_teardown(test_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
