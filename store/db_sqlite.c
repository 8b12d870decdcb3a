/*
 * db_sqlite: the SQLite backend of db.h, the embedded default. Everything
 * particular to SQLite lives here: the open flags (one thread per
 * connection, so no per-call mutex), read-only and immutable opening
 * through a file: URI, the busy timeout, extended result codes and their
 * mapping to DB_* codes, the operating-system errno behind an I/O error,
 * and the bulk append as multi-row INSERTs.
 */
#include "store/db_int.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000
/* Rows per multi-row INSERT of a bulk append: one statement per BULK_ROWS
 * rows saves SQLite most of its per-statement work (a third of the insert
 * time of the activity rows, docs/performance.md); the last rows go one
 * by one. Fewer when the columns times the rows would pass SQLite's limit
 * of parameters. */
#define BULK_ROWS 64

struct sq_conn {
	struct db base;
	sqlite3 *db;
	/* a failure of this file rather than of SQLite (out of memory, a
	 * bulk column out of range): its code and message, reported by
	 * errcode/errmsg until the next failure */
	int own;
	char own_msg[96];
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
};

/* One value of a row waiting in a bulk append (its type apart, in
 * sq_bulk.ty); text and blobs live in the bulk's buffer, at an offset (the
 * buffer may move as it grows). */
struct sq_val {
	int n;        /* bytes of text or blob */
	int64_t i;    /* the integer, or the offset into buf */
};

struct sq_bulk {
	struct db_bulk base;
	sqlite3_stmt *one;  /* INSERT of one row */
	sqlite3_stmt *many; /* INSERT of `per` rows */
	unsigned ncols;
	int per, n;         /* rows per `many`, rows waiting */
	struct sq_val *v;   /* per * ncols values, row after row */
	unsigned char *ty;  /* their types (enum db_type); a value not set is NULL */
	struct sq_val *row; /* the values of the row being set: v + n * ncols */
	unsigned char *rty; /* and their types */
	char *buf;          /* text and blobs of the waiting rows */
	size_t used, cap;
	int failed;         /* a flush failed: the rest is refused */
};

static const struct db_ops sq_ops;

/* SQLite's (extended) result code as a DB_* code. */
static int
map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_FULL:
		return DB_FULL;
	case SQLITE_IOERR:
		return DB_IOERR;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return DB_CORRUPT;
	case SQLITE_CANTOPEN:
		return DB_CANTOPEN;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_READONLY:
		return DB_READONLY;
	case SQLITE_AUTH:
		return DB_DENIED;
	default:
		return DB_ERROR;
	}
}

static int
own_fail(struct sq_conn *c, int code, const char *msg)
{
	c->own = code;
	snprintf(c->own_msg, sizeof c->own_msg, "%s", msg);
	return code;
}

/* A failure reported by SQLite on c: it replaces one of ours. */
static int
sq_fail(struct sq_conn *c, int rc)
{
	c->own = 0;
	return map_rc(rc);
}

/* ---- opening ------------------------------------------------------------ */

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

/* Read only is also read only where nothing may be written, not even the
 * WAL index: a file this process cannot change (or DB_OPEN_IMMUTABLE) is
 * opened immutable. */
int
db_sqlite_open(struct db **out, const char *path, int flags, char *msg, size_t n)
{
	struct sq_conn *c;
	sqlite3 *h = NULL;
	int oflags, rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof *c))) {
		if (msg && n)
			snprintf(msg, n, "out of memory");
		return DB_ERROR;
	}
	oflags = (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	/* A connection is only ever used by the thread that opened it, so
	 * SQLite's per-call mutex is pure cost: about a tenth of a full scan
	 * of the activity rows (docs/performance.md). */
	oflags |= SQLITE_OPEN_NOMUTEX;
	if (flags & DB_OPEN_READONLY) {
		char *uri = file_uri(path, (flags & DB_OPEN_IMMUTABLE) || unwritable(path));
		if (!uri) {
			free(c);
			if (msg && n)
				snprintf(msg, n, "out of memory");
			return DB_ERROR;
		}
		rc = sqlite3_open_v2(uri, &h, oflags | SQLITE_OPEN_URI, NULL);
		free(uri);
	} else {
		rc = sqlite3_open_v2(path, &h, oflags, NULL);
	}
	if (rc != SQLITE_OK) {
		/* the errno behind an I/O failure outlives the handle in errno,
		 * where the caller looks for it */
		int sys = h ? sqlite3_system_errno(h) : 0;
		if (msg && n)
			snprintf(msg, n, "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		free(c);
		if (sys)
			errno = sys;
		return map_rc(rc);
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	c->base.ops = &sq_ops;
	c->base.backend = DB_SQLITE;
	c->db = h;
	*out = &c->base;
	return DB_OK;
}

static void
sq_close(struct db *db)
{
	struct sq_conn *c = (struct sq_conn *)db;

	sqlite3_close(c->db);
	free(c);
}

/* ---- connection --------------------------------------------------------- */

static const char *
sq_errmsg(struct db *db)
{
	struct sq_conn *c = (struct sq_conn *)db;

	return c->own ? c->own_msg : sqlite3_errmsg(c->db);
}

static int
sq_errcode(struct db *db)
{
	struct sq_conn *c = (struct sq_conn *)db;

	return c->own ? c->own : map_rc(sqlite3_extended_errcode(c->db));
}

static int
sq_syserr(struct db *db)
{
	return sqlite3_system_errno(((struct sq_conn *)db)->db);
}

static int
sq_exec(struct db *db, const char *sql)
{
	struct sq_conn *c = (struct sq_conn *)db;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? DB_OK : sq_fail(c, rc);
}

/* BEGIN IMMEDIATE: the write lock at once, so a concurrent writer waits
 * (up to the busy timeout) instead of failing half way. */
static int
sq_begin_write(struct db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

static int
sq_begin_read(struct db *db)
{
	return sq_exec(db, "BEGIN");
}

static int
sq_commit(struct db *db)
{
	return sq_exec(db, "COMMIT");
}

static void
sq_rollback(struct db *db)
{
	struct sq_conn *c = (struct sq_conn *)db;

	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(((struct sq_conn *)db)->db);
}

static int64_t
sq_changes(struct db *db)
{
	return sqlite3_changes64(((struct sq_conn *)db)->db);
}

/* ---- statements --------------------------------------------------------- */

#define SQ(st) (((struct sq_stmt *)(st))->st)

static int
sq_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out)
{
	struct sq_conn *c = (struct sq_conn *)db;
	struct sq_stmt *s;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v3(c->db, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0,
				&st, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc);
	if (!st)
		return own_fail(c, DB_ERROR, "no SQL statement to prepare");
	if (!(s = malloc(sizeof *s))) {
		sqlite3_finalize(st);
		return own_fail(c, DB_ERROR, "out of memory");
	}
	s->base.db = db;
	s->st = st;
	*out = &s->base;
	return DB_OK;
}

static int
sq_step(struct db_stmt *st)
{
	int rc = sqlite3_step(SQ(st));

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc; /* DB_ROW, DB_DONE */
	return sq_fail((struct sq_conn *)st->db, rc);
}

static int
sq_reset(struct db_stmt *st)
{
	return map_rc(sqlite3_reset(SQ(st)));
}

static void
sq_clear_bindings(struct db_stmt *st)
{
	sqlite3_clear_bindings(SQ(st));
}

static void
sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(SQ(st));
	free(st);
}

static int
sq_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	return map_rc(sqlite3_bind_int64(SQ(st), i, v));
}

static int
sq_bind_double(struct db_stmt *st, int i, double v)
{
	return map_rc(sqlite3_bind_double(SQ(st), i, v));
}

static int
sq_bind_text(struct db_stmt *st, int i, const char *s, int n, int lifetime)
{
	return map_rc(sqlite3_bind_text(SQ(st), i, s, n,
					lifetime == DB_STATIC ? SQLITE_STATIC
							      : SQLITE_TRANSIENT));
}

static int
sq_bind_blob(struct db_stmt *st, int i, const void *p, int n, int lifetime)
{
	return map_rc(sqlite3_bind_blob(SQ(st), i, p, n,
					lifetime == DB_STATIC ? SQLITE_STATIC
							      : SQLITE_TRANSIENT));
}

static int
sq_bind_null(struct db_stmt *st, int i)
{
	return map_rc(sqlite3_bind_null(SQ(st), i));
}

static int
sq_column_count(struct db_stmt *st)
{
	return sqlite3_column_count(SQ(st));
}

/* SQLite's fundamental types have the numbers of enum db_type. */
static int
sq_column_type(struct db_stmt *st, int i)
{
	return sqlite3_column_type(SQ(st), i);
}

static int64_t
sq_column_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(SQ(st), i);
}

static double
sq_column_double(struct db_stmt *st, int i)
{
	return sqlite3_column_double(SQ(st), i);
}

static const unsigned char *
sq_column_text(struct db_stmt *st, int i)
{
	return sqlite3_column_text(SQ(st), i);
}

static const void *
sq_column_blob(struct db_stmt *st, int i)
{
	return sqlite3_column_blob(SQ(st), i);
}

static int
sq_column_bytes(struct db_stmt *st, int i)
{
	return sqlite3_column_bytes(SQ(st), i);
}

/* ---- bulk append: multi-row INSERTs -------------------------------------- */

/* "INSERT INTO table(c1, ...) VALUES (?,...),(?,...)" with `rows` rows;
 * NULL when out of memory. The caller frees. */
static char *
insert_sql(const char *table, const char *const *cols, int ncols, int rows)
{
	size_t n = strlen(table) + 40 + (size_t)rows * (2 * (size_t)ncols + 2);
	char *s, *p;
	int i, r;

	for (i = 0; i < ncols; i++)
		n += strlen(cols[i]) + 2;
	if (!(s = malloc(n)))
		return NULL;
	p = s + sprintf(s, "INSERT INTO %s(", table);
	for (i = 0; i < ncols; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", cols[i]);
	p += sprintf(p, ") VALUES ");
	for (r = 0; r < rows; r++) {
		*p++ = r ? ',' : '(';
		if (r)
			*p++ = '(';
		for (i = 0; i < ncols; i++) {
			*p++ = i ? ',' : '?';
			if (i)
				*p++ = '?';
		}
		*p++ = ')';
	}
	*p = '\0';
	return s;
}

static void
bulk_free(struct sq_bulk *b)
{
	sqlite3_finalize(b->one);
	sqlite3_finalize(b->many);
	free(b->v);
	free(b->ty);
	free(b->buf);
	free(b);
}

static int
sq_bulk_begin(struct db *db, const char *table, const char *const *cols, int ncols,
	      struct db_bulk **out)
{
	struct sq_conn *c = (struct sq_conn *)db;
	struct sq_bulk *b;
	char *sql;
	int rc, k, limit = sqlite3_limit(c->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);

	if (ncols < 1 || ncols > limit)
		return own_fail(c, DB_ERROR, "bulk append: bad number of columns");
	if (!(b = calloc(1, sizeof *b)))
		return own_fail(c, DB_ERROR, "out of memory");
	b->base.db = db;
	b->ncols = (unsigned)ncols;
	b->per = limit / ncols < BULK_ROWS ? limit / ncols : BULK_ROWS;
	if (!(b->v = malloc(sizeof *b->v * (size_t)(b->per * ncols))) ||
	    !(b->ty = malloc((size_t)(b->per * ncols)))) {
		bulk_free(b);
		return own_fail(c, DB_ERROR, "out of memory");
	}
	for (k = 0; k < 2; k++) {
		sqlite3_stmt **st = k ? &b->many : &b->one;
		if (!(sql = insert_sql(table, cols, ncols, k ? b->per : 1))) {
			bulk_free(b);
			return own_fail(c, DB_ERROR, "out of memory");
		}
		rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			bulk_free(b);
			return sq_fail(c, rc);
		}
	}
	memset(b->ty, DB_NULL, (size_t)ncols);
	b->row = b->v;
	b->rty = b->ty;
	*out = &b->base;
	return DB_OK;
}

/* 1 when value i (from 1) is out of range, with the connection's error. */
static int
bad_col(struct sq_bulk *b, int i)
{
	if ((unsigned)i - 1u < b->ncols)
		return 0;
	own_fail((struct sq_conn *)b->base.db, DB_ERROR,
		 "bulk append: column number out of range");
	return 1;
}

static int
sq_bulk_int64(struct db_bulk *bb, int i, int64_t v)
{
	struct sq_bulk *b = (struct sq_bulk *)bb;

	if (bad_col(b, i))
		return DB_ERROR;
	b->rty[i - 1] = DB_INTEGER;
	b->row[i - 1].i = v;
	return DB_OK;
}

static int
bulk_bytes(struct sq_bulk *b, int i, int type, const void *p, int n)
{
	struct sq_val *x;

	if (bad_col(b, i))
		return DB_ERROR;
	x = &b->row[i - 1];
	if (n < 0)
		n = type == DB_TEXT ? (int)strlen(p) : 0;
	if (b->cap - b->used < (size_t)n) {
		size_t cap = b->cap ? b->cap : 4096;
		char *q;
		while (cap - b->used < (size_t)n)
			cap *= 2;
		if (!(q = realloc(b->buf, cap)))
			return own_fail((struct sq_conn *)b->base.db, DB_ERROR, "out of memory");
		b->buf = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->buf + b->used, p, (size_t)n);
	b->rty[i - 1] = (unsigned char)type;
	x->i = (int64_t)b->used;
	x->n = n;
	b->used += (size_t)n;
	return DB_OK;
}

static int
sq_bulk_text(struct db_bulk *b, int i, const char *s, int n)
{
	if (!s)
		return db_bulk_null(b, i);
	return bulk_bytes((struct sq_bulk *)b, i, DB_TEXT, s, n);
}

static int
sq_bulk_blob(struct db_bulk *b, int i, const void *p, int n)
{
	if (!p)
		return db_bulk_null(b, i);
	return bulk_bytes((struct sq_bulk *)b, i, DB_BLOB, p, n);
}

static int
sq_bulk_null(struct db_bulk *bb, int i)
{
	struct sq_bulk *b = (struct sq_bulk *)bb;

	if (bad_col(b, i))
		return DB_ERROR;
	b->rty[i - 1] = DB_NULL;
	return DB_OK;
}

/* Bind rows [from, to) of the waiting rows to st (its parameters from 1)
 * and step it once. */
static int
bulk_insert(struct sq_bulk *b, sqlite3_stmt *st, int from, int to)
{
	const struct sq_val *x = b->v + from * (int)b->ncols;
	const unsigned char *ty = b->ty + from * (int)b->ncols;
	int k, nv = (to - from) * (int)b->ncols, rc;

	for (k = 0; k < nv; k++, x++) {
		switch (ty[k]) {
		case DB_INTEGER:
			sqlite3_bind_int64(st, k + 1, x->i);
			break;
		case DB_TEXT:
			sqlite3_bind_text(st, k + 1, b->buf + x->i, x->n, SQLITE_STATIC);
			break;
		case DB_BLOB:
			sqlite3_bind_blob(st, k + 1, b->buf + x->i, x->n, SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_null(st, k + 1);
		}
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		b->failed = sq_fail((struct sq_conn *)b->base.db, rc);
		return b->failed;
	}
	return DB_OK;
}

static int
sq_bulk_row(struct db_bulk *bb)
{
	struct sq_bulk *b = (struct sq_bulk *)bb;
	int rc = DB_OK;

	if (b->failed)
		return b->failed;
	if (++b->n == b->per) {
		rc = bulk_insert(b, b->many, 0, b->per);
		b->n = 0;
		b->used = 0;
		b->row = b->v;
		b->rty = b->ty;
	} else {
		b->row += b->ncols;
		b->rty += b->ncols;
	}
	memset(b->rty, DB_NULL, b->ncols);
	return rc;
}

static int
sq_bulk_end(struct db_bulk *bb)
{
	struct sq_bulk *b = (struct sq_bulk *)bb;
	int r, rc = b->failed;

	for (r = 0; r < b->n && !rc; r++)
		rc = bulk_insert(b, b->one, r, r + 1);
	bulk_free(b);
	return rc;
}

static const struct db_ops sq_ops = {
	.close = sq_close,
	.errmsg = sq_errmsg,
	.errcode = sq_errcode,
	.syserr = sq_syserr,
	.exec = sq_exec,
	.begin_write = sq_begin_write,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.changes = sq_changes,
	.prepare = sq_prepare,
	.step = sq_step,
	.reset = sq_reset,
	.clear_bindings = sq_clear_bindings,
	.finalize = sq_finalize,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.column_count = sq_column_count,
	.column_type = sq_column_type,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_bytes = sq_column_bytes,
	.bulk_begin = sq_bulk_begin,
	.bulk_int64 = sq_bulk_int64,
	.bulk_text = sq_bulk_text,
	.bulk_blob = sq_bulk_blob,
	.bulk_null = sq_bulk_null,
	.bulk_row = sq_bulk_row,
	.bulk_end = sq_bulk_end,
};
