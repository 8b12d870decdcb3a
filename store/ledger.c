/*
 * ledger: SQLite connection, schema, migrations and statement cache (see
 * ledger.h).
 */
#include "store/ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char ledger_schema_sql[]; /* generated from store/schema.sql */

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
	int scratch;
};

/* Migrations from version N to N+1, in order; index 0 migrates 1 -> 2. */
static const char *const migrations[] = {
	/* 1 -> 2: the double-counting guard's batch columns */
	"ALTER TABLE batch ADD COLUMN allow_overlap INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE batch ADD COLUMN overlap_rows INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE batch ADD COLUMN rows_digest TEXT;"
	"CREATE INDEX batch_digest ON batch(rows_digest);",
	/* 2 -> 3: row-level hashes of the imported rows (docs/methodology.md) */
	"ALTER TABLE batch ADD COLUMN rows_sha256 TEXT;"
	"ALTER TABLE activity ADD COLUMN row_digest BLOB;"
	"CREATE TABLE correction (batch_id INTEGER PRIMARY KEY REFERENCES batch(id), "
	"base_id INTEGER NOT NULL REFERENCES batch(id), line INTEGER NOT NULL, "
	"action TEXT NOT NULL CHECK (action IN ('void','set')), field TEXT, "
	"old_value TEXT, new_value TEXT, reason TEXT NOT NULL, at TEXT NOT NULL);"
	"CREATE TABLE run_publish (run_id INTEGER PRIMARY KEY REFERENCES run(id), "
	"label TEXT NOT NULL, published_at TEXT NOT NULL);",
	NULL, /* 3 -> 4 */
	/* 4 -> 5: the official number of a unit (org.csv column 'number') */
	"ALTER TABLE org_unit ADD COLUMN number TEXT;",
	/* 5 -> 6: final energy per run total (NULL for runs stored before) and
	 * the target register */
	"ALTER TABLE run_total ADD COLUMN energy_ukwh INTEGER;"
	"ALTER TABLE run_total ADD COLUMN energy_rows INTEGER;"
	"CREATE TABLE target_set (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	"version TEXT NOT NULL, sha256 TEXT NOT NULL, published TEXT NOT NULL, "
	"targets INTEGER NOT NULL, content TEXT NOT NULL, imported_at TEXT NOT NULL, "
	"UNIQUE (name, version));",
	/* 6 -> 7: the accounting lens of a run (ghg-protocol or bisko) */
	"ALTER TABLE run ADD COLUMN lens TEXT NOT NULL DEFAULT 'ghg-protocol';",
	/* 7 -> 8: the degree-day register (weather correction of heat) */
	"CREATE TABLE degree_day_set (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	"version TEXT NOT NULL, sha256 TEXT NOT NULL, published TEXT NOT NULL, "
	"stations INTEGER NOT NULL, content TEXT NOT NULL, imported_at TEXT NOT NULL, "
	"UNIQUE (name, version));",
	/* 8 -> 9: the district-heat network of a unit (org.csv 'heat_network') */
	"ALTER TABLE org_unit ADD COLUMN heat_network TEXT;",
	/* 9 -> 10: a unit's weather station (org.csv 'weather_station') */
	"ALTER TABLE org_unit ADD COLUMN weather_station TEXT;",
};

/* LEDGER_SCRATCH: runs calculated now go to TEMP tables that shadow the
 * stored ones. `run` is copied (one small row per run, so new ids follow the
 * stored ones); `run_total` becomes a view over the stored rows and those
 * of the runs calculated now, so opening copies no aggregates. TEMP objects
 * cannot have foreign keys on main tables, hence none here. */
#define RUN_TOTAL_COLS "run_id, org_id, sector, carrier, quality, extrapolated, " \
	"rows, scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg, "       \
	"upstream_mg, biogenic_co2_mg, market_fallback_mg, energy_ukwh, energy_rows"
static const char SCRATCH_SQL[] =
	"CREATE TEMP TABLE run (id INTEGER PRIMARY KEY, year INTEGER NOT NULL, "
	"gwp TEXT NOT NULL, region TEXT NOT NULL, fallback TEXT NOT NULL, "
	"factor_sets TEXT NOT NULL, batches TEXT NOT NULL, inputs_sha256 TEXT NOT NULL, "
	"results_sha256 TEXT NOT NULL, rows_used INTEGER NOT NULL, "
	"rows_excluded INTEGER NOT NULL, rows_extrapolated INTEGER NOT NULL, "
	"created_at TEXT NOT NULL, lens TEXT NOT NULL DEFAULT 'ghg-protocol');"
	"INSERT INTO temp.run SELECT id, year, gwp, region, fallback, factor_sets, "
	"batches, inputs_sha256, results_sha256, rows_used, rows_excluded, "
	"rows_extrapolated, created_at, lens FROM main.run;"
	"CREATE TEMP TABLE scratch_run_total (run_id INTEGER NOT NULL, "
	"org_id INTEGER NOT NULL, sector TEXT NOT NULL, carrier TEXT NOT NULL, "
	"quality INTEGER NOT NULL, extrapolated INTEGER NOT NULL, rows INTEGER NOT NULL, "
	"scope1_mg INTEGER NOT NULL, scope2_location_mg INTEGER NOT NULL, "
	"scope2_market_mg INTEGER NOT NULL, scope3_mg INTEGER NOT NULL, "
	"upstream_mg INTEGER NOT NULL, biogenic_co2_mg INTEGER NOT NULL, "
	"market_fallback_mg INTEGER NOT NULL, energy_ukwh INTEGER, energy_rows INTEGER, "
	"PRIMARY KEY (run_id, org_id, sector, carrier, quality, extrapolated)) WITHOUT ROWID;"
	"CREATE TEMP VIEW run_total AS SELECT " RUN_TOTAL_COLS " FROM main.run_total "
	"UNION ALL SELECT " RUN_TOTAL_COLS " FROM temp.scratch_run_total;"
	"CREATE TEMP TRIGGER scratch_run_total_insert INSTEAD OF INSERT ON run_total "
	"BEGIN INSERT INTO scratch_run_total VALUES (NEW.run_id, NEW.org_id, "
	"NEW.sector, NEW.carrier, NEW.quality, NEW.extrapolated, NEW.rows, "
	"NEW.scope1_mg, NEW.scope2_location_mg, NEW.scope2_market_mg, NEW.scope3_mg, "
	"NEW.upstream_mg, NEW.biogenic_co2_mg, NEW.market_fallback_mg, "
	"NEW.energy_ukwh, NEW.energy_rows); END;";
#undef RUN_TOTAL_COLS

/* "file:PATH" with the characters a URI reserves escaped; the caller frees. */
static char *
file_uri(const char *path, int immutable)
{
	size_t n = strlen(path), i, k = 0;
	char *u = malloc(3 * n + 40);

	if (!u)
		return NULL;
	k += (size_t)sprintf(u, "file:");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];
		if (ch == '%' || ch == '?' || ch == '#' || ch < 0x21 || ch >= 0x7f)
			k += (size_t)sprintf(u + k, "%%%02X", ch);
		else
			u[k++] = (char)ch;
	}
	sprintf(u + k, "?mode=ro%s", immutable ? "&immutable=1" : "");
	return u;
}

/* 1 when this process cannot write the file or the directory that holds it
 * (SQLite would need the directory for its -shm and -wal files). */
static int
unwritable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int r;

	if (access(path, W_OK) != 0)
		return 1;
	if (!slash)
		return access(".", W_OK) != 0;
	if (!(dir = strndup(path, slash == path ? 1 : (size_t)(slash - path))))
		return 0;
	r = access(dir, W_OK) != 0;
	free(dir);
	return r;
}

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
	if (flags & LEDGER_SCRATCH)
		flags |= LEDGER_READONLY;
	oflags = (flags & LEDGER_READONLY) ? SQLITE_OPEN_READONLY
					   : SQLITE_OPEN_READWRITE;
	if (flags & LEDGER_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	/* A connection is only ever used by the thread that opened it, so
	 * SQLite's per-call mutex is pure cost: about a tenth of a full scan
	 * of the activity rows (docs/performance.md). */
	oflags |= SQLITE_OPEN_NOMUTEX;
	if (flags & LEDGER_READONLY) {
		/* read only also where nothing may be written, not even the
		 * WAL index: a file nobody can change is opened immutable */
		char *uri = file_uri(path, unwritable(path));
		if (!uri) {
			ledger_close(l);
			return err_setf(e, ERR_IO, "out of memory");
		}
		rc = sqlite3_open_v2(uri, &l->db, oflags | SQLITE_OPEN_URI, NULL);
		free(uri);
	} else {
		rc = sqlite3_open_v2(path, &l->db, oflags, NULL);
	}
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
	/* a new, empty ledger gets 16 KiB pages before WAL fixes the page
	 * size: fewer pages per row written and read (docs/performance.md);
	 * an existing ledger keeps its page size */
	if ((flags & LEDGER_CREATE) && !(flags & LEDGER_READONLY) &&
	    ledger_exec(l, "PRAGMA page_size = 16384", e))
		goto fail;
	if (!(flags & LEDGER_READONLY) &&
	    ledger_exec(l, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", e))
		goto fail;
	/* 2 MiB of page cache: every command streams (import appends, calc,
	 * the completeness check and the reports scan once in id order), so a
	 * larger cache only costs page faults and memory (docs/performance.md) */
	if (ledger_exec(l, "PRAGMA cache_size = -2048; PRAGMA temp_store = MEMORY", e))
		goto fail;
	if (migrate(l, flags & LEDGER_READONLY, e))
		goto fail;
	if (flags & LEDGER_SCRATCH) {
		if (ledger_exec(l, SCRATCH_SQL, e))
			goto fail;
		l->scratch = 1;
	}
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

int
ledger_is_scratch(const struct ledger *l)
{
	return l->scratch;
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
