/*
 * db_int: how store/db.c dispatches the db.h calls to a backend. Only
 * store/db.c, store/db_sqlite.c and store/db_pg.c include this header.
 *
 * Each backend allocates its own connection, statement and bulk structures
 * with the matching base struct as their FIRST member, so db.c can read
 * the ops table from any of them:
 *     struct pg_conn { struct db base; PGconn *pc; ... };
 *     struct pg_stmt { struct db_stmt base; ... };
 * db.c's db_open() calls db_pg_open() for a URL (db_is_url()), else
 * db_sqlite_open(); every other db_*() function is one call through ops.
 */
#ifndef CO2_DB_INT_H
#define CO2_DB_INT_H

#include "store/db.h"

struct db_ops {
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*errcode)(struct db *db);
	int (*syserr)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	int (*begin_write)(struct db *db);
	int (*begin_read)(struct db *db);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*in_transaction)(struct db *db);
	int64_t (*changes)(struct db *db);

	int (*prepare)(struct db *db, const char *sql, int persistent, struct db_stmt **out);
	int (*step)(struct db_stmt *st);
	int (*reset)(struct db_stmt *st);
	void (*clear_bindings)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int (*bind_int64)(struct db_stmt *st, int i, int64_t v);
	int (*bind_double)(struct db_stmt *st, int i, double v);
	int (*bind_text)(struct db_stmt *st, int i, const char *s, int n, int lifetime);
	int (*bind_blob)(struct db_stmt *st, int i, const void *p, int n, int lifetime);
	int (*bind_null)(struct db_stmt *st, int i);
	int (*column_count)(struct db_stmt *st);
	int (*column_type)(struct db_stmt *st, int i);
	int64_t (*column_int64)(struct db_stmt *st, int i);
	double (*column_double)(struct db_stmt *st, int i);
	const unsigned char *(*column_text)(struct db_stmt *st, int i);
	const void *(*column_blob)(struct db_stmt *st, int i);
	int (*column_bytes)(struct db_stmt *st, int i);

	int (*bulk_begin)(struct db *db, const char *table, const char *const *cols,
			  int ncols, struct db_bulk **out);
	int (*bulk_int64)(struct db_bulk *b, int i, int64_t v);
	int (*bulk_text)(struct db_bulk *b, int i, const char *s, int n);
	int (*bulk_blob)(struct db_bulk *b, int i, const void *p, int n);
	int (*bulk_null)(struct db_bulk *b, int i);
	int (*bulk_row)(struct db_bulk *b);
	int (*bulk_end)(struct db_bulk *b);
};

struct db {
	const struct db_ops *ops;
	enum db_backend backend;
};
struct db_stmt {
	struct db *db;
};
struct db_bulk {
	struct db *db;
};

/* Backend constructors; same contract as db_open(). */
int db_sqlite_open(struct db **out, const char *path, int flags, char *msg, size_t n);
int db_pg_open(struct db **out, const char *url, int flags, char *msg, size_t n);

#endif
