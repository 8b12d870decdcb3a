/*
 * ledger: the connection (store/db.h), schema, migrations and statement
 * cache (see ledger.h). What differs between the backends is chosen here by
 * db_backend(): SQLite's pragmas (foreign keys, page size, WAL, cache), its
 * schema version (PRAGMA user_version) and the LEDGER_SCRATCH shadow
 * tables. Where the PostgreSQL side is not written yet, a function named
 * pg_*_not_yet() says so as an error.
 */
#include "store/ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char ledger_schema_sql[]; /* generated from store/schema.sql */

#define STMT_CACHE 128

struct stmt_slot {
	const char *sql;
	struct db_stmt *st;
};

struct ledger {
	struct db *db;
	char *path;
	char *name; /* the path for messages: a URI's password left out */
	struct stmt_slot cache[STMT_CACHE];
	int ncache;
	int scratch;
};

/* Migrations from version N to N+1, in order; index 0 migrates 1 -> 2.
 * Data for every backend: plain CREATE TABLE / ALTER TABLE ... ADD COLUMN /
 * CREATE INDEX in the dialect of store/schema.sql (its column types are
 * translated for PostgreSQL as the schema's are); none is SQLite-only. */
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

/* The ledger's failure as *e: code rc (DB_*), the backend's message msg
 * and the errno behind an I/O failure. */
static int
fail_with(struct ledger *l, int rc, int sys, const char *msg, const char *what,
	  struct err *e)
{
	const char *name = l ? l->name : NULL;

	if (rc != DB_IOERR && rc != DB_FULL)
		sys = 0;
	if (rc == DB_BUSY)
		return err_set(e, ERR_BUSY, name, 0, 0,
			       "database is busy: another co2ledger is writing to it "
			       "(wait for it to finish and run the command again)");
	if (rc == DB_FULL || sys == ENOSPC)
		return err_set(e, ERR_IO, name, 0, 0,
			       "%s: disk full (free some space; nothing was changed)",
			       what);
	if (sys == EFBIG)
		return err_set(e, ERR_IO, name, 0, 0,
			       "%s: file too large for the file system or the "
			       "file size limit (ulimit -f; nothing was changed)", what);
	if (rc == DB_CORRUPT)
		return err_set(e, ERR_IO, name, 0, 0,
			       "%s: not a co2ledger database or damaged (%s)", what, msg);
	return err_set(e, ERR_IO, name, 0, 0, "%s: %s", what, msg);
}

int
ledger_fail(struct ledger *l, int rc, const char *what, struct err *e)
{
	/* The OS error behind an I/O error: SQLite reports a write that failed
	 * with ENOSPC as a full disk, but one past the file size limit (EFBIG)
	 * only as an I/O error, and on COMMIT it does not record the system
	 * error, so errno (still that of the failed write) is the fallback. */
	int sys = errno;

	if (l && l->db && db_syserr(l->db))
		sys = db_syserr(l->db);
	return fail_with(l, rc, sys, l && l->db ? db_errmsg(l->db) : "unknown error",
			 what, e);
}

/* An error for what the PostgreSQL backend cannot do yet. */
static int
pg_not_yet(struct ledger *l, const char *what, struct err *e)
{
	return err_set(e, ERR_IO, l->name, 0, 0, "%s: not yet supported on PostgreSQL",
		       what);
}

int
ledger_exec(struct ledger *l, const char *sql, struct err *e)
{
	int rc = db_exec(l->db, sql);
	return rc == DB_OK ? 0 : ledger_fail(l, rc, "database", e);
}

int
ledger_foreign_keys(struct ledger *l, int on, struct err *e)
{
	if (db_backend(l->db) != DB_SQLITE)
		return 0; /* PostgreSQL: always checked */
	return ledger_exec(l, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", e);
}

/* The schema version: SQLite keeps it in the file header (user_version). */
static int
pg_schema_version_not_yet(struct ledger *l, struct err *e)
{
	return pg_not_yet(l, "the schema version", e);
}

static int
user_version(struct ledger *l, int *v, struct err *e)
{
	struct db_stmt *st;
	int rc;

	if (db_backend(l->db) != DB_SQLITE)
		return pg_schema_version_not_yet(l, e);
	if (!(st = ledger_stmt(l, "PRAGMA user_version", e)))
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return ledger_fail(l, rc, "reading the schema version", e);
	}
	*v = db_column_int(st, 0);
	db_reset(st);
	return 0;
}

static int
set_user_version(struct ledger *l, int v, struct err *e)
{
	char sql[64];

	if (db_backend(l->db) != DB_SQLITE)
		return pg_schema_version_not_yet(l, e);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return ledger_exec(l, sql, e);
}

static int
migrate(struct ledger *l, int readonly, struct err *e)
{
	int v, target = LEDGER_SCHEMA_VERSION;

	if (user_version(l, &v, e))
		return -1;
	if (v > target)
		return err_set(e, ERR_IO, l->name, 0, 0,
			       "database schema version %d is newer than this "
			       "co2ledger supports (%d): use a newer co2ledger",
			       v, target);
	if (v == target)
		return 0;
	if (readonly)
		return err_set(e, ERR_IO, l->name, 0, 0,
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
	if (set_user_version(l, target, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

/* SQLite's settings of a connection (see the comments); PostgreSQL needs
 * none of them. */
static int
sqlite_setup(struct ledger *l, int flags, struct err *e)
{
	if (ledger_exec(l, "PRAGMA foreign_keys = ON", e))
		return -1;
	/* a new, empty ledger gets 16 KiB pages before WAL fixes the page
	 * size: fewer pages per row written and read (docs/performance.md);
	 * an existing ledger keeps its page size */
	if ((flags & LEDGER_CREATE) && !(flags & LEDGER_READONLY) &&
	    ledger_exec(l, "PRAGMA page_size = 16384", e))
		return -1;
	if (!(flags & LEDGER_READONLY) &&
	    ledger_exec(l, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", e))
		return -1;
	/* 2 MiB of page cache: every command streams (import appends, calc,
	 * the completeness check and the reports scan once in id order), so a
	 * larger cache only costs page faults and memory (docs/performance.md) */
	return ledger_exec(l, "PRAGMA cache_size = -2048; PRAGMA temp_store = MEMORY", e);
}

/* LEDGER_SCRATCH on PostgreSQL: the shadow tables above are SQLite's. */
static int
pg_scratch_not_yet(struct ledger *l, struct err *e)
{
	return pg_not_yet(l, "calculating without storing (verify, report, compare "
			  "on a read-only ledger)", e);
}

/* `target` for messages: a URI's password becomes "***". */
static char *
display_name(const char *target)
{
	const char *p, *at, *colon, *end;
	char *s;

	if (!db_is_url(target))
		return strdup(target);
	p = strstr(target, "://") + 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (!colon)
		return strdup(target);
	if (!(s = malloc(strlen(target) + 4)))
		return NULL;
	sprintf(s, "%.*s***%s", (int)(colon + 1 - target), target, at);
	return s;
}

int
ledger_open(struct ledger **out, const char *path, int flags, struct err *e)
{
	struct ledger *l;
	char msg[256];
	int dflags = 0, rc;

	*out = NULL;
	l = calloc(1, sizeof *l);
	if (!l || !(l->path = strdup(path)) || !(l->name = display_name(path))) {
		if (l)
			free(l->path);
		free(l);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (flags & LEDGER_SCRATCH)
		flags |= LEDGER_READONLY;
	if (flags & LEDGER_READONLY)
		dflags |= DB_OPEN_READONLY;
	if (flags & LEDGER_CREATE)
		dflags |= DB_OPEN_CREATE;
	rc = db_open(&l->db, path, dflags, msg, sizeof msg);
	if (rc != DB_OK) {
		if (!(flags & LEDGER_CREATE) && rc == DB_CANTOPEN && !db_is_url(path))
			err_set(e, ERR_IO, l->name, 0, 0,
				"cannot open the database (run 'co2ledger init' "
				"first, or give --db PATH)");
		else
			fail_with(l, rc, errno, msg, "opening the database", e);
		ledger_close(l);
		return -1;
	}
	if (db_backend(l->db) == DB_SQLITE && sqlite_setup(l, flags, e))
		goto fail;
	if (migrate(l, flags & LEDGER_READONLY, e))
		goto fail;
	if (flags & LEDGER_SCRATCH) {
		if (db_backend(l->db) != DB_SQLITE) {
			pg_scratch_not_yet(l, e);
			goto fail;
		}
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
		db_finalize(l->cache[i].st);
	db_close(l->db);
	free(l->path);
	free(l->name);
	free(l);
}

int
ledger_is_scratch(const struct ledger *l)
{
	return l->scratch;
}

/* SQLite names the stored table past the TEMP shadow as main.run. */
static const char SQL_STORED_RUNS_SQLITE[] =
	"SELECT id, results_sha256 FROM main.run ORDER BY id";
static const char SQL_STORED_RUNS[] = "SELECT id, results_sha256 FROM run ORDER BY id";

struct db_stmt *
ledger_stored_runs(struct ledger *l, struct err *e)
{
	return ledger_stmt(l, db_backend(l->db) == DB_SQLITE ? SQL_STORED_RUNS_SQLITE
							      : SQL_STORED_RUNS, e);
}

const char *
ledger_path(const struct ledger *l)
{
	return l->path;
}

struct db *
ledger_db(struct ledger *l)
{
	return l->db;
}

struct db_stmt *
ledger_stmt(struct ledger *l, const char *sql, struct err *e)
{
	struct db_stmt *st;
	int i, rc;

	for (i = 0; i < l->ncache; i++)
		if (l->cache[i].sql == sql) {
			db_reset(l->cache[i].st);
			db_clear_bindings(l->cache[i].st);
			return l->cache[i].st;
		}
	rc = db_prepare(l->db, sql, 1, &st);
	if (rc != DB_OK) {
		ledger_fail(l, rc, "preparing a statement", e);
		return NULL;
	}
	if (l->ncache == STMT_CACHE) { /* full: recycle the oldest slot */
		db_finalize(l->cache[0].st);
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
	int rc = db_begin_write(l->db);
	return rc == DB_OK ? 0 : ledger_fail(l, rc, "database", e);
}

int
ledger_commit(struct ledger *l, struct err *e)
{
	int rc = db_commit(l->db);
	return rc == DB_OK ? 0 : ledger_fail(l, rc, "database", e);
}

void
ledger_rollback(struct ledger *l)
{
	db_rollback(l->db);
}

int
ledger_step_done(struct ledger *l, struct db_stmt *st, const char *what,
		 struct err *e)
{
	int rc = db_step(st);

	db_reset(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return ledger_fail(l, rc, what, e);
	return 0;
}

int
ledger_step_id(struct ledger *l, struct db_stmt *st, const char *what,
	       int64_t *id, struct err *e)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		rc = db_step(st);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc == DB_ROW ? DB_ERROR : rc, what, e);
	return 0;
}

void
ledger_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (s)
		db_bind_text(st, i, s, -1, DB_TRANSIENT);
	else
		db_bind_null(st, i);
}
