/*
 * db: the one interface to the SQL database behind a ledger. Two
 * implementations, chosen once at db_open() from the target's form:
 *   - SQLite (store/db_sqlite.c): a file path, the embedded default;
 *   - PostgreSQL (store/db_pg.c): "postgresql://..." or "postgres://..."
 *     (a libpq connection URI), for a shared installation.
 * No other module includes sqlite3.h or libpq-fe.h.
 *
 * SQL given to db_prepare()/db_exec() is written in the common dialect of
 * both: '?' placeholders (the PostgreSQL side numbers them $1, $2, ...),
 * INSERT ... RETURNING id instead of a last-insert-rowid call, CAST(SUM(x)
 * AS BIGINT) where an integer sum is read, no SQLite-only functions. What
 * cannot be common (schema DDL, pragmas, temporary shadow tables) is chosen
 * in store/ by db_backend(), never with #ifdef.
 *
 * Results: integers are 64-bit; text is UTF-8 and compared bytewise (the
 * PostgreSQL side uses the "C" collation), so ORDER BY gives the same order
 * on both. A statement streams its rows: memory does not grow with the
 * number of rows a query returns, and other statements of the same
 * connection may run between two db_step() calls of a query (the PostgreSQL
 * side fetches through a cursor in batches).
 *
 * Ownership: db_open() gives the caller a connection to db_close(); a
 * statement from db_prepare() belongs to the caller until db_finalize() and
 * must be finalized before its connection is closed. Text and blobs read
 * with db_column_*() stay valid until the next db_step(), db_reset() or
 * db_finalize() of that statement.
 */
#ifndef CO2_DB_H
#define CO2_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_backend { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Result codes: 0 is success; db_step() returns DB_ROW or DB_DONE on
 * success. The others are failures, mapped from either backend. */
enum {
	DB_OK = 0,
	DB_ERROR = 1,      /* SQL error, anything not listed below */
	DB_BUSY = 5,       /* another writer holds the lock / serialization failure */
	DB_CONSTRAINT = 19,/* a UNIQUE, CHECK, NOT NULL or foreign key violated */
	DB_FULL = 13,      /* disk full */
	DB_IOERR = 10,     /* an I/O error (db_syserr() may tell the errno) */
	DB_CORRUPT = 11,   /* not a database or damaged */
	DB_CANTOPEN = 14,  /* file missing / server unreachable / login refused */
	DB_READONLY = 8,   /* writing to a read-only connection */
	DB_DENIED = 23,    /* refused by the database's rights (PostgreSQL roles, RLS) */
	DB_ROW = 100,
	DB_DONE = 101,
};

/* Column types as db_column_type() reports them. */
enum db_type { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* Lifetime of bound text and blobs: DB_STATIC when the caller keeps the
 * bytes unchanged until the statement is stepped to its end, reset or
 * rebound; DB_TRANSIENT to have them copied now. */
enum { DB_STATIC = 0, DB_TRANSIENT = 1 };

/* db_open() flags */
enum {
	DB_OPEN_CREATE = 1,    /* SQLite: create the file if missing */
	DB_OPEN_READONLY = 2,  /* no writes; SQLite: opened as a read-only URI */
	DB_OPEN_IMMUTABLE = 4, /* SQLite: the file cannot change (immutable=1) */
};

/* 1 when `target` names a PostgreSQL database (a postgresql:// or
 * postgres:// URI), 0 for a file path. */
int db_is_url(const char *target);

/* Open. On failure returns a DB_* code, *out is NULL and, when msg is
 * not NULL, a message is written to msg (n bytes, always terminated). */
int db_open(struct db **out, const char *target, int flags, char *msg, size_t n);
void db_close(struct db *db); /* NULL is fine */

enum db_backend db_backend(const struct db *db);

/* The last failure of this connection: its message (owned by the
 * connection, valid until the next call on it), the DB_* code, and the
 * operating-system errno behind an I/O failure (0 when none). */
const char *db_errmsg(struct db *db);
int db_errcode(struct db *db);
int db_syserr(struct db *db);

/* Run one or more statements without results (DDL, SET, pragmas). */
int db_exec(struct db *db, const char *sql);

/* Transactions. db_begin_write() starts a transaction that takes the
 * write lock at once (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN with the
 * ledger's advisory write lock or SERIALIZABLE, see db_pg.c), waiting up to
 * the busy timeout before returning DB_BUSY. */
int db_begin_write(struct db *db);
int db_begin_read(struct db *db);  /* a consistent snapshot for reading */
int db_commit(struct db *db);
void db_rollback(struct db *db);   /* no-op outside a transaction */
int db_in_transaction(struct db *db);

/* Rows changed by the last INSERT/UPDATE/DELETE stepped to its end. */
int64_t db_changes(struct db *db);

/* Statements. db_prepare() compiles `sql` (one statement); `persistent`
 * hints that it will be reused many times. */
int db_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out);
int db_step(struct db_stmt *st);     /* DB_ROW, DB_DONE or a failure code */
int db_reset(struct db_stmt *st);    /* ready to step again; bindings kept */
void db_clear_bindings(struct db_stmt *st);
void db_finalize(struct db_stmt *st); /* NULL is fine */
struct db *db_stmt_db(struct db_stmt *st);

/* Parameters are numbered from 1. */
int db_bind_int64(struct db_stmt *st, int i, int64_t v);
int db_bind_int(struct db_stmt *st, int i, int v);
int db_bind_double(struct db_stmt *st, int i, double v);
int db_bind_text(struct db_stmt *st, int i, const char *s, int n, int lifetime); /* n < 0: up to NUL */
int db_bind_blob(struct db_stmt *st, int i, const void *p, int n, int lifetime);
int db_bind_null(struct db_stmt *st, int i);

/* Columns of the current row, numbered from 0. */
int db_column_count(struct db_stmt *st);
int db_column_type(struct db_stmt *st, int i);
int64_t db_column_int64(struct db_stmt *st, int i);
int db_column_int(struct db_stmt *st, int i);
double db_column_double(struct db_stmt *st, int i);
const unsigned char *db_column_text(struct db_stmt *st, int i); /* NULL for NULL */
const void *db_column_blob(struct db_stmt *st, int i);
int db_column_bytes(struct db_stmt *st, int i);

/* Bulk append of many rows to one table: SQLite a prepared INSERT per
 * row, PostgreSQL COPY ... FROM STDIN. Values are set like bindings
 * (numbered from 1, in the order of `cols`), then db_bulk_row() sends the
 * row. db_bulk_end() finishes (commit is the caller's, inside its write
 * transaction); a failure anywhere leaves the transaction to roll back. */
struct db_bulk;
int db_bulk_begin(struct db *db, const char *table, const char *const *cols,
		  int ncols, struct db_bulk **out);
int db_bulk_int64(struct db_bulk *b, int i, int64_t v);
int db_bulk_text(struct db_bulk *b, int i, const char *s, int n);  /* copied */
int db_bulk_blob(struct db_bulk *b, int i, const void *p, int n);  /* copied */
int db_bulk_null(struct db_bulk *b, int i);
int db_bulk_row(struct db_bulk *b);
int db_bulk_end(struct db_bulk *b); /* frees b also on failure */

/* PostgreSQL only (store/db_pg.c; docs/postgresql.md). On an SQLite
 * connection each returns DB_ERROR. */

/* Create the ledger's tables on an empty PostgreSQL database from the
 * SQLite DDL `sqlite_ddl` (store/schema.sql, or a migration), translated
 * at run time, and the table ledger_meta(key, value) that keeps the schema
 * version there (SQLite keeps PRAGMA user_version). Runs in a transaction
 * of its own unless one is open. On failure msg names the statement. */
int db_pg_schema(struct db *db, const char *sqlite_ddl, char *msg, size_t n);
/* The schema version in ledger_meta: 0 when the database has none yet. */
int db_pg_schema_version(struct db *db, int *version /* OUT */);
int db_pg_set_schema_version(struct db *db, int version);
/* Rights per organisation subtree (store/pg_roles.sql), run by `init`
 * after db_pg_schema() as the role that is to own the ledger: the group
 * roles co2_officer, co2_publisher and co2_auditor, org_unit.path (ltree),
 * the mapping org_access(login, org_id), row-level security on activity,
 * batch, run_total and run_publish, an append-only audit table that
 * records the database user. */
int db_pg_init_roles(struct db *db, char *msg, size_t n);

#endif
