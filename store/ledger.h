/*
 * ledger: the database that holds a co2ledger's whole state, through the
 * storage interface store/db.h (an SQLite file, or a PostgreSQL database).
 *
 * ledger_open() opens (and with LEDGER_CREATE creates) the database, turns on
 * WAL and foreign keys (SQLite), applies the compiled-in schema and
 * forward-only migrations, and refuses a database written by a newer
 * co2ledger. Modules reach SQL only through prepared statements from
 * ledger_stmt(), which caches one statement per SQL text for the life of the
 * ledger. Transactions are explicit; ledger_begin() takes the write lock at
 * once (db_begin_write) so that a concurrent writer waits (up to the busy
 * timeout) instead of failing half way. The connection and the statements
 * belong to this module: callers never finalize them.
 */
#ifndef CO2_LEDGER_H
#define CO2_LEDGER_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

#define LEDGER_SCHEMA_VERSION 10

enum {
	LEDGER_CREATE = 1,   /* create the file if missing */
	LEDGER_READONLY = 2, /* open for reading only */
	/* Read only, and calculation runs go to in-memory copies of the run
	 * tables (see ledger_scratch()): verify, report and compare compute
	 * without storing anything, also on a read-only file. */
	LEDGER_SCRATCH = 4,
};

struct ledger;

/* Open the ledger at `path` (a file, or a postgresql:// URI: db_is_url()).
 * On success *out owns the connection; close it
 * with ledger_close(). */
int ledger_open(struct ledger **out, const char *path, int flags, struct err *e);
void ledger_close(struct ledger *l);

/* 1 when the ledger was opened with LEDGER_SCRATCH: the tables run and
 * run_total are then in-memory copies (TEMP tables shadowing the stored
 * ones), runs calculated are dropped at ledger_close(), and audit_append()
 * records nothing (nothing is changed). The database file itself is opened
 * read-only; a file or directory this process cannot write is opened as
 * immutable (SQLite's immutable=1), so a chmod 444 copy in a read-only
 * directory works too. */
int ledger_is_scratch(const struct ledger *l);

/* A statement over the runs stored in the ledger, "id, results_sha256" in
 * id order: in a LEDGER_SCRATCH ledger not those calculated in memory (the
 * integrity check compares the audit chain with what is stored). The
 * ledger owns it; NULL with *e. */
struct db_stmt *ledger_stored_runs(struct ledger *l, struct err *e);

/* The path the ledger was opened with. */
const char *ledger_path(const struct ledger *l);

/* A reset, ready-to-bind prepared statement for `sql`, cached by the SQL
 * text's address (pass string literals or other static strings). The ledger
 * owns it. NULL with *e filled when the SQL does not compile. */
struct db_stmt *ledger_stmt(struct ledger *l, const char *sql, struct err *e);

/* Run SQL without results (schema work, pragmas): not for data statements. */
int ledger_exec(struct ledger *l, const char *sql, struct err *e);

/* Foreign-key checks of this connection on (1) or off (0), outside a
 * transaction: an importer that guarantees the keys by construction turns
 * them off for speed. SQLite: PRAGMA foreign_keys; PostgreSQL keeps
 * checking (nothing to do). */
int ledger_foreign_keys(struct ledger *l, int on, struct err *e);

int ledger_begin(struct ledger *l, struct err *e);  /* db_begin_write */
int ledger_commit(struct ledger *l, struct err *e);
void ledger_rollback(struct ledger *l);            /* never fails visibly */

/* Turn a DB_* failure code and the connection's last error into *e (busy
 * becomes ERR_BUSY with a message that says another co2ledger is using the
 * database). */
int ledger_fail(struct ledger *l, int rc, const char *what, struct err *e);

/* Step a statement that returns no rows; reset it afterwards. */
int ledger_step_done(struct ledger *l, struct db_stmt *st, const char *what,
		     struct err *e);

/* Step an INSERT ... RETURNING id: *id is the new row's id; the statement
 * is reset afterwards. */
int ledger_step_id(struct ledger *l, struct db_stmt *st, const char *what,
		   int64_t *id, struct err *e);

/* Bind helpers: text may be NULL (binds NULL). Text is copied (TRANSIENT). */
void ledger_bind_text(struct db_stmt *st, int i, const char *s);

/* The connection, for the few places that need it directly (bulk
 * loading, the transaction state). The ledger still owns it. */
struct db *ledger_db(struct ledger *l);

#endif
