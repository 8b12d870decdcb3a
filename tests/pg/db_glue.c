/*
 * The db.h front (db_open() and one call through the ops table per
 * function) for tests/unit/test_db_pg.c in a tree that has the PostgreSQL
 * backend but not store/db.c yet: the Makefile links this file only when
 * store/db.c is missing, and store/db.c replaces it. db_open() here knows
 * only URLs.
 */
#include "store/db_int.h"

#include <stdio.h>
#include <string.h>

int
db_is_url(const char *target)
{
	return target && (strncmp(target, "postgresql://", 13) == 0 ||
			  strncmp(target, "postgres://", 11) == 0);
}

int
db_open(struct db **out, const char *target, int flags, char *msg, size_t n)
{
	*out = NULL;
	if (db_is_url(target))
		return db_pg_open(out, target, flags, msg, n);
	if (msg && n)
		snprintf(msg, n, "this test build opens PostgreSQL URLs only");
	return DB_CANTOPEN;
}

void db_close(struct db *db) { if (db) db->ops->close(db); }
enum db_backend db_backend(const struct db *db) { return db->backend; }
const char *db_errmsg(struct db *db) { return db->ops->errmsg(db); }
int db_errcode(struct db *db) { return db->ops->errcode(db); }
int db_syserr(struct db *db) { return db->ops->syserr(db); }
int db_exec(struct db *db, const char *sql) { return db->ops->exec(db, sql); }
int db_begin_write(struct db *db) { return db->ops->begin_write(db); }
int db_begin_read(struct db *db) { return db->ops->begin_read(db); }
int db_commit(struct db *db) { return db->ops->commit(db); }
void db_rollback(struct db *db) { db->ops->rollback(db); }
int db_in_transaction(struct db *db) { return db->ops->in_transaction(db); }
int64_t db_changes(struct db *db) { return db->ops->changes(db); }

int
db_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out)
{
	return db->ops->prepare(db, sql, persistent, out);
}

int db_step(struct db_stmt *st) { return st->db->ops->step(st); }
int db_reset(struct db_stmt *st) { return st->db->ops->reset(st); }
void db_clear_bindings(struct db_stmt *st) { st->db->ops->clear_bindings(st); }
void db_finalize(struct db_stmt *st) { if (st) st->db->ops->finalize(st); }
struct db *db_stmt_db(struct db_stmt *st) { return st->db; }
int db_bind_int64(struct db_stmt *st, int i, int64_t v) { return st->db->ops->bind_int64(st, i, v); }
int db_bind_int(struct db_stmt *st, int i, int v) { return st->db->ops->bind_int64(st, i, v); }
int db_bind_double(struct db_stmt *st, int i, double v) { return st->db->ops->bind_double(st, i, v); }

int
db_bind_text(struct db_stmt *st, int i, const char *s, int n, int lifetime)
{
	return st->db->ops->bind_text(st, i, s, n, lifetime);
}

int
db_bind_blob(struct db_stmt *st, int i, const void *p, int n, int lifetime)
{
	return st->db->ops->bind_blob(st, i, p, n, lifetime);
}

int db_bind_null(struct db_stmt *st, int i) { return st->db->ops->bind_null(st, i); }
int db_column_count(struct db_stmt *st) { return st->db->ops->column_count(st); }
int db_column_type(struct db_stmt *st, int i) { return st->db->ops->column_type(st, i); }
int64_t db_column_int64(struct db_stmt *st, int i) { return st->db->ops->column_int64(st, i); }
int db_column_int(struct db_stmt *st, int i) { return (int)st->db->ops->column_int64(st, i); }
double db_column_double(struct db_stmt *st, int i) { return st->db->ops->column_double(st, i); }
const unsigned char *db_column_text(struct db_stmt *st, int i) { return st->db->ops->column_text(st, i); }
const void *db_column_blob(struct db_stmt *st, int i) { return st->db->ops->column_blob(st, i); }
int db_column_bytes(struct db_stmt *st, int i) { return st->db->ops->column_bytes(st, i); }

int
db_bulk_begin(struct db *db, const char *table, const char *const *cols, int ncols,
	      struct db_bulk **out)
{
	return db->ops->bulk_begin(db, table, cols, ncols, out);
}

int db_bulk_int64(struct db_bulk *b, int i, int64_t v) { return b->db->ops->bulk_int64(b, i, v); }
int db_bulk_text(struct db_bulk *b, int i, const char *s, int n) { return b->db->ops->bulk_text(b, i, s, n); }
int db_bulk_blob(struct db_bulk *b, int i, const void *p, int n) { return b->db->ops->bulk_blob(b, i, p, n); }
int db_bulk_null(struct db_bulk *b, int i) { return b->db->ops->bulk_null(b, i); }
int db_bulk_row(struct db_bulk *b) { return b->db->ops->bulk_row(b); }
int db_bulk_end(struct db_bulk *b) { return b->db->ops->bulk_end(b); }
