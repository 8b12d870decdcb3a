/*
 * ledger: SQLite connection, schema, migrations and statement cache (see
 * ledger.h).
 */
#include "engine/ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char ledger_schema_sql[]; /* generated from engine/schema.sql */

#define STMT_CACHE 128

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct ledger {
	sqlite3 *db;
	char *path;
	struct stmt_slot cache[STMT_CACHE];
	int ncache;
};

/* Migrations from version N to N+1, in order; index 0 migrates 1 -> 2. */
static const char *const migrations[] = {
	NULL,
	NULL,
	NULL,
	/* 4 -> 5: the official number of a unit (org.csv column 'number') */
	"ALTER TABLE org_unit ADD COLUMN number TEXT;",
};

int
ledger_fail(struct ledger *l, int rc, const char *what, struct err *e)
{
	const char *msg = l && l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);
	int base = rc & 0xff;
	/* The OS error behind an I/O error: SQLite reports a write that failed
	 * with ENOSPC as SQLITE_FULL, but one past the file size limit (EFBIG)
	 * only as SQLITE_IOERR_WRITE, and on COMMIT it does not record the
	 * system error, so errno (still that of the failed write) is the
	 * fallback. */
	int sys = errno;

	if (base != SQLITE_IOERR && base != SQLITE_FULL)
		sys = 0;
	else if (l && l->db && sqlite3_system_errno(l->db))
		sys = sqlite3_system_errno(l->db);

	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return err_set(e, ERR_BUSY, l ? l->path : NULL, 0, 0,
			       "database is busy: another co2ledger is writing to it "
			       "(wait for it to finish and run the command again)");
	if (base == SQLITE_FULL || sys == ENOSPC)
		return err_set(e, ERR_IO, l ? l->path : NULL, 0, 0,
			       "%s: disk full (free some space; nothing was changed)",
			       what);
	if (sys == EFBIG)
		return err_set(e, ERR_IO, l ? l->path : NULL, 0, 0,
			       "%s: file too large for the file system or the "
			       "file size limit (ulimit -f; nothing was changed)", what);
	if (base == SQLITE_NOTADB || base == SQLITE_CORRUPT)
		return err_set(e, ERR_IO, l ? l->path : NULL, 0, 0,
			       "%s: not a co2ledger database or damaged (%s)", what, msg);
	return err_set(e, ERR_IO, l ? l->path : NULL, 0, 0, "%s: %s", what, msg);
}

int
ledger_exec(struct ledger *l, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : ledger_fail(l, rc, "database", e);
}

static int
user_version(struct ledger *l, int *v, struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(l, "PRAGMA user_version", e);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return ledger_fail(l, rc, "reading the schema version", e);
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int
migrate(struct ledger *l, int readonly, struct err *e)
{
	char sql[64];
	int v, target = LEDGER_SCHEMA_VERSION;

	if (user_version(l, &v, e))
		return -1;
	if (v > target)
		return err_set(e, ERR_IO, l->path, 0, 0,
			       "database schema version %d is newer than this "
			       "co2ledger supports (%d): use a newer co2ledger",
			       v, target);
	if (v == target)
		return 0;
	if (readonly)
		return err_set(e, ERR_IO, l->path, 0, 0,
			       "database has schema version %d, needs %d: run "
			       "'co2ledger init' to migrate it",
			       v, target);
	if (ledger_begin(l, e))
		return -1;
	if (user_version(l, &v, e))
		goto fail;
	if (v == 0) {
		if (ledger_exec(l, ledger_schema_sql, e))
			goto fail;
		v = target;
	}
	for (; v < target; v++)
		if (migrations[v - 1] && ledger_exec(l, migrations[v - 1], e))
			goto fail;
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
	if (ledger_exec(l, sql, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

int
ledger_open(struct ledger **out, const char *path, int flags, struct err *e)
{
	struct ledger *l;
	int oflags, rc;

	*out = NULL;
	l = calloc(1, sizeof *l);
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return err_setf(e, ERR_IO, "out of memory");
	}
	oflags = (flags & LEDGER_READONLY) ? SQLITE_OPEN_READONLY
					   : SQLITE_OPEN_READWRITE;
	if (flags & LEDGER_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	/* A connection is only ever used by the thread that opened it, so
	 * SQLite's per-call mutex is pure cost: about a tenth of a full scan
	 * of the activity rows (docs/performance.md). */
	oflags |= SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(path, &l->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (!(flags & LEDGER_CREATE) && (rc & 0xff) == SQLITE_CANTOPEN)
			err_set(e, ERR_IO, path, 0, 0,
				"cannot open the database (run 'co2ledger init' "
				"first, or give --db PATH)");
		else
			ledger_fail(l, rc, "opening the database", e);
		ledger_close(l);
		return -1;
	}
	sqlite3_extended_result_codes(l->db, 1);
	sqlite3_busy_timeout(l->db, 10000);
	if (ledger_exec(l, "PRAGMA foreign_keys = ON", e))
		goto fail;
	if (!(flags & LEDGER_READONLY) &&
	    ledger_exec(l, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", e))
		goto fail;
	if (ledger_exec(l, "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY", e))
		goto fail;
	if (migrate(l, flags & LEDGER_READONLY, e))
		goto fail;
	*out = l;
	return 0;
fail:
	ledger_close(l);
	return -1;
}

void
ledger_close(struct ledger *l)
{
	int i;

	if (!l)
		return;
	for (i = 0; i < l->ncache; i++)
		sqlite3_finalize(l->cache[i].st);
	sqlite3_close(l->db);
	free(l->path);
	free(l);
}

const char *
ledger_path(const struct ledger *l)
{
	return l->path;
}

sqlite3 *
ledger_db(struct ledger *l)
{
	return l->db;
}

sqlite3_stmt *
ledger_stmt(struct ledger *l, const char *sql, struct err *e)
{
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; i < l->ncache; i++)
		if (l->cache[i].sql == sql) {
			sqlite3_reset(l->cache[i].st);
			sqlite3_clear_bindings(l->cache[i].st);
			return l->cache[i].st;
		}
	rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		ledger_fail(l, rc, "preparing a statement", e);
		return NULL;
	}
	if (l->ncache == STMT_CACHE) { /* full: recycle the oldest slot */
		sqlite3_finalize(l->cache[0].st);
		memmove(l->cache, l->cache + 1, sizeof l->cache[0] * (STMT_CACHE - 1));
		l->ncache--;
	}
	l->cache[l->ncache].sql = sql;
	l->cache[l->ncache].st = st;
	l->ncache++;
	return st;
}

int
ledger_begin(struct ledger *l, struct err *e)
{
	return ledger_exec(l, "BEGIN IMMEDIATE", e);
}

int
ledger_commit(struct ledger *l, struct err *e)
{
	return ledger_exec(l, "COMMIT", e);
}

void
ledger_rollback(struct ledger *l)
{
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

int
ledger_step_done(struct ledger *l, sqlite3_stmt *st, const char *what,
		 struct err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ledger_fail(l, rc, what, e);
	return 0;
}

void
ledger_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}
