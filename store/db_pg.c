/*
 * db_pg: the PostgreSQL backend of db.h over libpq (docs/postgresql.md).
 *
 * Statements: '?' and '?N' become $N (pg_sql.c) and the statement is
 * prepared once under a name of its own (s_N), parameter types left to the
 * server. Parameters go as text (integers and doubles printed), blobs as
 * binary bytea; results come back as text and are parsed on reading.
 *
 * Queries stream: a SELECT (or WITH ... SELECT, VALUES) is prepared as
 * DECLARE c_N NO SCROLL CURSOR WITH HOLD FOR <query> and read with FETCH
 * 2000, so a client holds at most one batch of rows, and other statements
 * of the connection run freely between two db_step() calls. A cursor needs
 * a transaction: when none is open, the first query opens an implicit one
 * (READ COMMITTED) that commits when its last cursor closes; statements
 * that write while it is open run under a savepoint each, so a failed one
 * takes back only itself, as in SQLite's autocommit. WITH HOLD keeps a
 * cursor alive when the caller commits in the middle of reading it (the
 * server keeps the rest of its rows); a rollback ends the cursors of the
 * rolled-back transaction, and stepping such a query reports it.
 *
 * Other statements run at their first db_step(): DB_DONE, or DB_ROW for
 * each row of a RETURNING clause.
 *
 * Writing: db_begin_write() is BEGIN ISOLATION LEVEL READ COMMITTED plus
 * pg_advisory_xact_lock() on the ledger's write key, one writer at a time
 * as in SQLite; a second writer waits up to lock_timeout (10 s, set at
 * open) and then gets DB_BUSY. db_begin_read() is REPEATABLE READ READ
 * ONLY, one snapshot for a whole report.
 *
 * Bulk appends use COPY ... FROM STDIN in the text format; rows are
 * gathered into a buffer of BULK_BUF bytes and each full buffer is one
 * COPY (sent in 64 KiB pieces), so the connection is free between two
 * db_bulk_row() calls and memory stays bounded.
 */
#include "store/db_int.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "store/pg_sql.h"

#define FETCH_ROWS 2000
#define BULK_BUF   (256 * 1024)
#define COPY_PIECE (64 * 1024)
/* The key of the ledger's write lock (pg_advisory_xact_lock): "co2ledg". */
#define WRITE_KEY  "27985072853280615"

/* type oids (pg_type.h is a server header) */
enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_NAME = 19, OID_INT8 = 20, OID_INT2 = 21,
	OID_INT4 = 23, OID_TEXT = 25, OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
	OID_BPCHAR = 1042, OID_VARCHAR = 1043, OID_NUMERIC = 1700,
};

enum txn { TXN_NONE, TXN_IMPLICIT, TXN_READ, TXN_WRITE };
enum st_state { ST_READY, ST_CURSOR, ST_ROWS, ST_DONE, ST_DEAD };

struct pg_stmt;

struct pg_conn {
	struct db base;
	PGconn *pc;
	int code;                 /* DB_* of the last failure, DB_OK after success */
	struct strbuf msg;        /* its message */
	enum txn txn;
	unsigned long txn_serial; /* counts transactions, to tell a cursor's own */
	int implicit_cursors;     /* open cursors declared in the implicit transaction */
	int readonly;             /* opened with DB_OPEN_READONLY */
	int64_t changes;
	unsigned long next_id;    /* numbers s_N and c_N */
	struct pg_stmt *stmts;    /* every statement not yet finalized */
	char **dealloc;           /* prepared names to drop once the transaction allows */
	size_t ndealloc;
};

struct pg_param {
	char *val;  /* owned; NULL for NULL */
	int len;
	int binary; /* a blob */
};

struct pg_col {
	unsigned char *buf; /* a decoded bytea, owned */
	size_t len, cap;
	int ready;          /* buf holds this row's value */
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_stmt *next, *prev;
	char name[32];      /* s_N */
	char cursor[32];    /* c_N, for a query */
	char *sql;          /* translated text, owned (for column_count before a step) */
	int query;          /* rows come through the cursor */
	int nparams;
	struct pg_param *par;
	enum st_state state;
	int cursor_open;
	unsigned long serial;  /* transaction that declared the cursor */
	int implicit;          /* counted in implicit_cursors */
	PGresult *res;         /* the current batch or the statement's result */
	int row, nrows;
	int last_batch;        /* the fetch returned fewer than FETCH_ROWS */
	struct pg_col *cols;
	int ncols;
};

struct pg_bulk {
	struct db_bulk base;
	char *copy_sql;    /* COPY table (cols) FROM STDIN */
	int ncols;
	struct strbuf *field; /* escaped values of the row being built */
	int *set;
	struct strbuf buf; /* rows not yet sent */
	int failed;        /* the DB_* code of a failure; later rows are refused */
};

static const struct db_ops pg_ops;

static struct pg_conn *
C(struct db *db)
{
	return (struct pg_conn *)db;
}

static struct pg_stmt *
S(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* ---- errors ---- */

static int
set_err(struct pg_conn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
set_err(struct pg_conn *c, int code, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&c->msg);
	va_start(ap, fmt);
	strbuf_vaddf(&c->msg, fmt, ap);
	va_end(ap);
	c->code = code;
	return code;
}

static int
code_of_state(const char *st)
{
	if (!st || strlen(st) != 5)
		return DB_ERROR;
	if (strncmp(st, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(st, "42501") == 0)
		return DB_DENIED;
	if (strcmp(st, "53100") == 0)
		return DB_FULL;
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "28", 2) == 0 || strcmp(st, "3D000") == 0 ||
	    strcmp(st, "57P01") == 0)
		return DB_CANTOPEN;
	if (strcmp(st, "25006") == 0)
		return DB_READONLY;
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
		return DB_BUSY;
	if (strcmp(st, "58030") == 0)
		return DB_IOERR;
	if (strcmp(st, "XX001") == 0 || strcmp(st, "XX002") == 0)
		return DB_CORRUPT;
	return DB_ERROR;
}

/* Record the failure of `res` (or of the connection when res is NULL) and
 * return its DB_* code. */
static int
res_err(struct pg_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	int code;

	if (!prim) {
		const char *m = PQerrorMessage(c->pc);
		size_t len = strlen(m);

		while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
			len--;
		code = PQstatus(c->pc) == CONNECTION_BAD ? DB_CANTOPEN : DB_ERROR;
		if (state)
			code = code_of_state(state);
		return set_err(c, code, "%.*s", (int)len, len ? m : "unknown PostgreSQL failure");
	}
	code = code_of_state(state);
	set_err(c, code, "%s", prim);
	if (detail)
		strbuf_addf(&c->msg, " (%s)", detail);
	if (hint)
		strbuf_addf(&c->msg, "; %s", hint);
	if (state)
		strbuf_addf(&c->msg, " [SQLSTATE %s]", state);
	return code;
}

static void
ok(struct pg_conn *c)
{
	c->code = DB_OK;
	strbuf_reset(&c->msg);
}

/* Run one simple command; 0 or a DB_* failure recorded on c. */
static int
run(struct pg_conn *c, const char *sql)
{
	PGresult *res = PQexec(c->pc, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		rc = res_err(c, res);
	PQclear(res);
	return rc;
}

/* ---- connection ---- */

static void
msg_out(char *msg, size_t n, const char *text)
{
	if (msg && n)
		snprintf(msg, n, "%s", text);
}

/* DEALLOCATE the names left by statements finalized while the
 * transaction could not run commands. */
static void
flush_dealloc(struct pg_conn *c)
{
	size_t i;

	if (PQtransactionStatus(c->pc) == PQTRANS_INERROR)
		return;
	for (i = 0; i < c->ndealloc; i++) {
		char sql[64];

		snprintf(sql, sizeof sql, "DEALLOCATE %s", c->dealloc[i]);
		PQclear(PQexec(c->pc, sql));
		free(c->dealloc[i]);
	}
	c->ndealloc = 0;
}

static int
check_database(struct pg_conn *c, char *msg, size_t n)
{
	PGresult *res;
	const char *enc = PQparameterStatus(c->pc, "server_encoding");
	const char *coll, *ctype;
	int rc = 0;

	if (PQserverVersion(c->pc) < 110000) {
		snprintf(msg, n, "PostgreSQL %d.%d is too old: co2ledger needs 11 or later",
			 PQserverVersion(c->pc) / 10000, PQserverVersion(c->pc) / 100 % 100);
		return DB_CANTOPEN;
	}
	if (!enc || strcmp(enc, "UTF8") != 0) {
		snprintf(msg, n, "database '%s' is encoded in %s: co2ledger needs UTF8 "
			 "(CREATE DATABASE ... ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0)",
			 PQdb(c->pc), enc ? enc : "an unknown encoding");
		return DB_CANTOPEN;
	}
	res = PQexec(c->pc, "SELECT datcollate, datctype FROM pg_database "
			    "WHERE datname = current_database()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		rc = res_err(c, res);
		snprintf(msg, n, "%s", strbuf_str(&c->msg));
		PQclear(res);
		return rc ? rc : DB_CANTOPEN;
	}
	coll = PQgetvalue(res, 0, 0);
	ctype = PQgetvalue(res, 0, 1);
	if ((strcmp(coll, "C") != 0 && strcmp(coll, "POSIX") != 0)) {
		snprintf(msg, n, "database '%s' sorts text by the locale '%s' (ctype '%s'); "
			 "co2ledger needs bytewise order, the same as SQLite: create the database "
			 "with CREATE DATABASE %s ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
			 "TEMPLATE template0 (or createdb --locale=C -E UTF8 -T template0)",
			 PQdb(c->pc), coll, ctype, PQdb(c->pc));
		rc = DB_CANTOPEN;
	}
	PQclear(res);
	return rc;
}

/* The server's notices (NOTICE: ... skipping) are not printed: modules
 * never print. */
static void
quiet(void *arg, const char *message)
{
}

int
db_pg_open(struct db **out, const char *url, int flags, char *msg, size_t n)
{
	struct pg_conn *c;
	int rc;

	*out = NULL;
	if (msg && n)
		msg[0] = '\0';
	c = calloc(1, sizeof *c);
	if (!c) {
		msg_out(msg, n, "out of memory");
		return DB_ERROR;
	}
	c->base.ops = &pg_ops;
	c->base.backend = DB_POSTGRES;
	strbuf_init(&c->msg, 4096);
	c->readonly = (flags & DB_OPEN_READONLY) != 0;
	c->pc = PQconnectdb(url);
	if (!c->pc || PQstatus(c->pc) != CONNECTION_OK) {
		char tmp[1024];
		const char *m = c->pc ? PQerrorMessage(c->pc) : "out of memory";
		size_t len = strlen(m);

		while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
			len--;
		snprintf(tmp, sizeof tmp, "cannot connect to PostgreSQL: %.*s", (int)len, m);
		/* libpq's hint sits on a second, indented line: one line here */
		for (char *p = tmp; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		msg_out(msg, n, tmp);
		PQfinish(c->pc);
		strbuf_release(&c->msg);
		free(c);
		return DB_CANTOPEN;
	}
	PQsetNoticeProcessor(c->pc, quiet, NULL);
	if (PQsetClientEncoding(c->pc, "UTF8") != 0) {
		msg_out(msg, n, "cannot set the client encoding to UTF8");
		rc = DB_CANTOPEN;
		goto fail;
	}
	if ((rc = run(c, "SET TIME ZONE 'UTC'; SET bytea_output = 'hex'; "
			 "SET lock_timeout = '10s'; SET extra_float_digits = 1; "
			 "SET standard_conforming_strings = on; SET client_min_messages = warning")) != 0) {
		msg_out(msg, n, strbuf_str(&c->msg));
		goto fail;
	}
	if (c->readonly && (rc = run(c, "SET default_transaction_read_only = on")) != 0) {
		msg_out(msg, n, strbuf_str(&c->msg));
		goto fail;
	}
	{
		char tmp[1024];

		tmp[0] = '\0';
		if ((rc = check_database(c, tmp, sizeof tmp)) != 0) {
			msg_out(msg, n, tmp);
			goto fail;
		}
	}
	ok(c);
	*out = &c->base;
	return DB_OK;
fail:
	PQfinish(c->pc);
	strbuf_release(&c->msg);
	free(c);
	return rc ? rc : DB_CANTOPEN;
}

static void
pg_close(struct db *db)
{
	struct pg_conn *c = C(db);
	size_t i;

	for (i = 0; i < c->ndealloc; i++)
		free(c->dealloc[i]);
	free(c->dealloc);
	PQfinish(c->pc); /* an open transaction is rolled back by the server */
	strbuf_release(&c->msg);
	free(c);
}

static const char *
pg_errmsg(struct db *db)
{
	struct pg_conn *c = C(db);

	return c->code ? strbuf_str(&c->msg) : "not an error";
}

static int
pg_errcode(struct db *db)
{
	return C(db)->code;
}

static int
pg_syserr(struct db *db)
{
	return 0; /* the server's I/O errors are its own */
}

/* ---- transactions ---- */

/* The transaction ended (commit or rollback): held cursors of committed
 * transactions stay; cursors declared in a rolled-back one are gone. */
static void
txn_ended(struct pg_conn *c, int committed)
{
	struct pg_stmt *s;

	for (s = c->stmts; s; s = s->next) {
		if (s->cursor_open && !committed && s->serial == c->txn_serial) {
			s->cursor_open = 0;
			s->state = ST_DEAD;
		}
		s->implicit = 0;
	}
	c->implicit_cursors = 0;
	c->txn = TXN_NONE;
	c->txn_serial++;
	flush_dealloc(c);
}

/* Keep the tracked state in step with the server's, for transactions
 * opened or closed through db_exec(). */
static void
sync_txn(struct pg_conn *c)
{
	PGTransactionStatusType ts = PQtransactionStatus(c->pc);

	if (ts == PQTRANS_IDLE && c->txn != TXN_NONE)
		txn_ended(c, 1);
	else if ((ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) && c->txn == TXN_NONE)
		c->txn = TXN_WRITE;
}

static int
open_implicit(struct pg_conn *c)
{
	int rc = run(c, "BEGIN ISOLATION LEVEL READ COMMITTED");

	if (rc == 0)
		c->txn = TXN_IMPLICIT;
	return rc;
}

/* Commit the implicit transaction once no cursor of it is open. */
static void
close_implicit(struct pg_conn *c)
{
	if (c->txn != TXN_IMPLICIT || c->implicit_cursors > 0)
		return;
	if (PQtransactionStatus(c->pc) == PQTRANS_INERROR)
		PQclear(PQexec(c->pc, "ROLLBACK"));
	else
		PQclear(PQexec(c->pc, "COMMIT"));
	txn_ended(c, 1);
}

static int
pg_begin_write(struct db *db)
{
	struct pg_conn *c = C(db);
	int rc;

	if (c->readonly)
		return set_err(c, DB_READONLY, "the ledger was opened read-only");
	if (c->txn == TXN_READ || c->txn == TXN_WRITE)
		return set_err(c, DB_ERROR, "cannot start a transaction within a transaction");
	if (c->txn == TXN_NONE) {
		if ((rc = run(c, "BEGIN ISOLATION LEVEL READ COMMITTED")) != 0)
			return rc;
	}
	/* an implicit transaction (a query being read) becomes this one */
	c->txn = TXN_WRITE;
	if ((rc = run(c, "SELECT pg_advisory_xact_lock(" WRITE_KEY ")")) != 0) {
		int code = rc;
		struct strbuf keep = STRBUF_INIT;

		strbuf_adds(&keep, strbuf_str(&c->msg));
		PQclear(PQexec(c->pc, "ROLLBACK"));
		txn_ended(c, 0);
		if (code == DB_BUSY)
			set_err(c, DB_BUSY, "another co2ledger is writing to this ledger (%s); "
				"try again when it has finished", strbuf_str(&keep));
		else
			set_err(c, code, "%s", strbuf_str(&keep));
		strbuf_release(&keep);
		return code;
	}
	ok(c);
	return DB_OK;
}

static int
pg_begin_read(struct db *db)
{
	struct pg_conn *c = C(db);
	int rc;

	if (c->txn == TXN_READ || c->txn == TXN_WRITE)
		return set_err(c, DB_ERROR, "cannot start a transaction within a transaction");
	if (c->txn == TXN_IMPLICIT) { /* already in one: it becomes explicit */
		c->txn = TXN_READ;
		ok(c);
		return DB_OK;
	}
	if ((rc = run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) != 0)
		return rc;
	c->txn = TXN_READ;
	ok(c);
	return DB_OK;
}

static int
pg_commit(struct db *db)
{
	struct pg_conn *c = C(db);
	PGresult *res;
	int rc = 0;

	if (c->txn != TXN_READ && c->txn != TXN_WRITE)
		return set_err(c, DB_ERROR, "cannot commit: no transaction is active");
	if (PQtransactionStatus(c->pc) == PQTRANS_INERROR) {
		PQclear(PQexec(c->pc, "ROLLBACK"));
		txn_ended(c, 0);
		return set_err(c, DB_ERROR, "cannot commit: a statement of the transaction "
			       "failed, so it was rolled back");
	}
	res = PQexec(c->pc, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = res_err(c, res);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = set_err(c, DB_ERROR, "the transaction was rolled back instead of committed");
	PQclear(res);
	if (PQtransactionStatus(c->pc) != PQTRANS_IDLE)
		PQclear(PQexec(c->pc, "ROLLBACK"));
	txn_ended(c, rc == 0);
	if (rc == 0)
		ok(c);
	return rc;
}

static void
pg_rollback(struct db *db)
{
	struct pg_conn *c = C(db);

	if (c->txn != TXN_READ && c->txn != TXN_WRITE)
		return;
	PQclear(PQexec(c->pc, "ROLLBACK"));
	txn_ended(c, 0);
}

static int
pg_in_transaction(struct db *db)
{
	struct pg_conn *c = C(db);

	return c->txn == TXN_READ || c->txn == TXN_WRITE;
}

static int64_t
pg_changes(struct db *db)
{
	return C(db)->changes;
}

/* Run a statement that writes while the implicit transaction is open:
 * under a savepoint, so its failure leaves the transaction (and the
 * cursor being read) usable. `exec` runs it and returns the PGresult. */
static int
savepoint(struct pg_conn *c, int begin, int failed)
{
	if (c->txn != TXN_IMPLICIT)
		return 0;
	if (begin)
		return run(c, "SAVEPOINT co2_stmt");
	if (failed)
		PQclear(PQexec(c->pc, "ROLLBACK TO SAVEPOINT co2_stmt"));
	PQclear(PQexec(c->pc, "RELEASE SAVEPOINT co2_stmt"));
	return 0;
}

static int
pg_exec(struct db *db, const char *sql)
{
	struct pg_conn *c = C(db);
	PGresult *res;
	ExecStatusType s;
	int rc = 0;

	if ((rc = savepoint(c, 1, 0)) != 0)
		return rc;
	res = PQexec(c->pc, sql);
	s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		rc = res_err(c, res);
	PQclear(res);
	savepoint(c, 0, rc != 0);
	if (c->txn != TXN_IMPLICIT)
		sync_txn(c);
	if (rc == 0)
		ok(c);
	return rc;
}

/* ---- statements ---- */

static void
free_params(struct pg_stmt *s)
{
	int i;

	for (i = 0; i < s->nparams; i++) {
		free(s->par[i].val);
		s->par[i].val = NULL;
		s->par[i].len = 0;
		s->par[i].binary = 0;
	}
}

static int
pg_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out)
{
	struct pg_conn *c = C(db);
	struct strbuf text = STRBUF_INIT;
	struct pg_stmt *s;
	char m[256];
	int np, rc = 0;
	PGresult *res;

	*out = NULL;
	if (pg_sql_placeholders(sql, &text, &np, m, sizeof m)) {
		strbuf_release(&text);
		return set_err(c, DB_ERROR, "%s", m);
	}
	s = calloc(1, sizeof *s);
	if (!s || (np > 0 && !(s->par = calloc((size_t)np, sizeof *s->par)))) {
		free(s);
		strbuf_release(&text);
		return set_err(c, DB_ERROR, "out of memory");
	}
	s->base.db = db;
	s->nparams = np;
	s->query = pg_sql_is_query(strbuf_str(&text));
	s->sql = strbuf_detach(&text, NULL);
	if (!s->sql) {
		free(s->par);
		free(s);
		return set_err(c, DB_ERROR, "out of memory");
	}
	c->next_id++;
	snprintf(s->name, sizeof s->name, "s_%lu", c->next_id);
	snprintf(s->cursor, sizeof s->cursor, "c_%lu", c->next_id);
	if (s->query) {
		struct strbuf decl = STRBUF_INIT;

		strbuf_addf(&decl, "DECLARE %s NO SCROLL CURSOR WITH HOLD FOR %s", s->cursor, s->sql);
		if (strbuf_failed(&decl)) {
			strbuf_release(&decl);
			rc = set_err(c, DB_ERROR, "the statement is too long");
			goto fail;
		}
		res = PQprepare(c->pc, s->name, decl.buf, 0, NULL);
		strbuf_release(&decl);
	} else {
		res = PQprepare(c->pc, s->name, s->sql, 0, NULL);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = res_err(c, res);
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	s->state = ST_READY;
	s->row = -1;
	s->next = c->stmts;
	if (c->stmts)
		c->stmts->prev = s;
	c->stmts = s;
	ok(c);
	*out = &s->base;
	return DB_OK;
fail:
	free(s->sql);
	free(s->par);
	free(s);
	return rc;
}

static void
clear_result(struct pg_stmt *s)
{
	int i;

	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (i = 0; i < s->ncols; i++)
		s->cols[i].ready = 0;
}

/* Size the column cache for the current result. */
static int
fit_cols(struct pg_stmt *s)
{
	int n = s->res ? PQnfields(s->res) : 0;

	if (n > s->ncols) {
		struct pg_col *nc = realloc(s->cols, (size_t)n * sizeof *nc);

		if (!nc)
			return -1;
		memset(nc + s->ncols, 0, (size_t)(n - s->ncols) * sizeof *nc);
		s->cols = nc;
		s->ncols = n;
	}
	return 0;
}

static void
close_cursor(struct pg_stmt *s)
{
	struct pg_conn *c = C(s->base.db);

	if (!s->cursor_open)
		return;
	if (PQtransactionStatus(c->pc) != PQTRANS_INERROR) {
		char sql[64];

		snprintf(sql, sizeof sql, "CLOSE %s", s->cursor);
		PQclear(PQexec(c->pc, sql));
	}
	s->cursor_open = 0;
	if (s->implicit) {
		s->implicit = 0;
		c->implicit_cursors--;
		close_implicit(c);
	}
}

static int
fetch(struct pg_stmt *s)
{
	struct pg_conn *c = C(s->base.db);
	char sql[64];

	int rc;

	clear_result(s);
	/* in the implicit transaction a failing query (a division by zero
	 * in its 5000th row) must not take back the writes made meanwhile nor
	 * end the other queries: each fetch under a savepoint */
	if ((rc = savepoint(c, 1, 0)) != 0)
		return rc;
	snprintf(sql, sizeof sql, "FETCH %d FROM %s", FETCH_ROWS, s->cursor);
	s->res = PQexec(c->pc, sql);
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		rc = res_err(c, s->res);
		savepoint(c, 0, 1);
		clear_result(s);
		s->state = ST_DEAD;
		close_cursor(s);
		return rc;
	}
	savepoint(c, 0, 0);
	if (fit_cols(s)) {
		clear_result(s);
		return set_err(c, DB_ERROR, "out of memory");
	}
	s->nrows = PQntuples(s->res);
	s->last_batch = s->nrows < FETCH_ROWS;
	s->row = -1;
	return 0;
}

static int
execute(struct pg_stmt *s)
{
	struct pg_conn *c = C(s->base.db);
	const char **vals = NULL;
	int *lens = NULL, *fmts = NULL, i, rc = 0;
	PGresult *res;
	ExecStatusType st;

	if (s->nparams > 0) {
		vals = calloc((size_t)s->nparams, sizeof *vals);
		lens = calloc((size_t)s->nparams, sizeof *lens);
		fmts = calloc((size_t)s->nparams, sizeof *fmts);
		if (!vals || !lens || !fmts) {
			rc = set_err(c, DB_ERROR, "out of memory");
			goto out;
		}
		for (i = 0; i < s->nparams; i++) {
			vals[i] = s->par[i].val;
			lens[i] = s->par[i].len;
			fmts[i] = s->par[i].binary;
		}
	}
	if (s->query) {
		/* in an implicit transaction, a failure to open this query must not
		 * end the others nor take back the writes made meanwhile */
		int guard = c->txn == TXN_IMPLICIT;

		if (c->txn == TXN_NONE && (rc = open_implicit(c)) != 0)
			goto out;
		if (guard && (rc = savepoint(c, 1, 0)) != 0)
			goto out;
		res = PQexecPrepared(c->pc, s->name, s->nparams, vals, lens, fmts, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = res_err(c, res);
			PQclear(res);
			if (guard)
				savepoint(c, 0, 1);
			close_implicit(c);
			goto out;
		}
		PQclear(res);
		if (guard)
			savepoint(c, 0, 0);
		s->cursor_open = 1;
		s->serial = c->txn_serial;
		if (c->txn == TXN_IMPLICIT) {
			s->implicit = 1;
			c->implicit_cursors++;
		}
		s->state = ST_CURSOR;
		rc = fetch(s);
		goto out;
	}
	if ((rc = savepoint(c, 1, 0)) != 0)
		goto out;
	res = PQexecPrepared(c->pc, s->name, s->nparams, vals, lens, fmts, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = res_err(c, res);
		PQclear(res);
		savepoint(c, 0, 1);
		if (c->txn != TXN_IMPLICIT)
			sync_txn(c);
		goto out;
	}
	savepoint(c, 0, 0);
	if (*PQcmdTuples(res))
		c->changes = strtoll(PQcmdTuples(res), NULL, 10);
	if (c->txn != TXN_IMPLICIT)
		sync_txn(c);
	s->res = res;
	if (fit_cols(s)) {
		clear_result(s);
		rc = set_err(c, DB_ERROR, "out of memory");
		goto out;
	}
	s->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	s->row = -1;
	s->state = ST_ROWS;
out:
	free(vals);
	free(lens);
	free(fmts);
	return rc;
}

static int pg_reset(struct db_stmt *st);

static int
pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	struct pg_conn *c = C(st->db);
	int rc, i;

	if (s->state == ST_DEAD)
		return set_err(c, DB_ERROR, "this query failed, or the transaction it was read in "
			       "was rolled back; reset the statement to run it again");
	if (s->state == ST_DONE) /* as SQLite: stepping a finished statement runs it again */
		pg_reset(st);
	if (s->state == ST_READY) {
		if ((rc = execute(s)) != 0)
			return rc;
	} else {
		for (i = 0; i < s->ncols; i++)
			s->cols[i].ready = 0;
	}
	for (;;) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			ok(c);
			return DB_ROW;
		}
		if (s->state == ST_CURSOR && !s->last_batch) {
			if ((rc = fetch(s)) != 0)
				return rc;
			continue;
		}
		break;
	}
	close_cursor(s);
	clear_result(s);
	s->state = ST_DONE;
	ok(c);
	return DB_DONE;
}

static int
pg_reset(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);

	close_cursor(s);
	clear_result(s);
	s->state = ST_READY;
	return DB_OK;
}

static void
pg_clear_bindings(struct db_stmt *st)
{
	free_params(S(st));
}

static void
pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	struct pg_conn *c = C(st->db);
	char sql[64];

	pg_reset(st);
	if (PQtransactionStatus(c->pc) == PQTRANS_INERROR) {
		char **nd = realloc(c->dealloc, (c->ndealloc + 1) * sizeof *nd);
		char *name = strdup(s->name);

		if (nd)
			c->dealloc = nd;
		if (nd && name)
			c->dealloc[c->ndealloc++] = name;
		else
			free(name);
	} else {
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(c->pc, sql));
	}
	if (s->prev)
		s->prev->next = s->next;
	else
		c->stmts = s->next;
	if (s->next)
		s->next->prev = s->prev;
	free_params(s);
	free(s->par);
	for (int i = 0; i < s->ncols; i++)
		free(s->cols[i].buf);
	free(s->cols);
	free(s->sql);
	free(s);
}

/* ---- bindings ---- */

static struct pg_param *
param(struct pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams) {
		set_err(C(s->base.db), DB_ERROR, "parameter %d out of range (the statement has %d)",
			i, s->nparams);
		return NULL;
	}
	free(s->par[i - 1].val);
	s->par[i - 1].val = NULL;
	s->par[i - 1].len = 0;
	s->par[i - 1].binary = 0;
	return &s->par[i - 1];
}

static int
set_param(struct pg_stmt *s, int i, const void *p, size_t len, int binary)
{
	struct pg_param *pp = param(s, i);

	if (!pp)
		return DB_ERROR;
	if (len > INT32_MAX - 1)
		return set_err(C(s->base.db), DB_ERROR, "parameter %d is too long", i);
	pp->val = malloc(len + 1);
	if (!pp->val)
		return set_err(C(s->base.db), DB_ERROR, "out of memory");
	memcpy(pp->val, p, len);
	pp->val[len] = '\0';
	pp->len = (int)len;
	pp->binary = binary;
	return DB_OK;
}

static int
pg_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	char b[32];
	int len = snprintf(b, sizeof b, "%" PRId64, v);

	return set_param(S(st), i, b, (size_t)len, 0);
}

static int
pg_bind_double(struct db_stmt *st, int i, double v)
{
	char b[64];
	int len;

	if (isnan(v))
		len = snprintf(b, sizeof b, "NaN");
	else if (isinf(v))
		len = snprintf(b, sizeof b, "%sInfinity", v < 0 ? "-" : "");
	else
		len = snprintf(b, sizeof b, "%.17g", v);
	return set_param(S(st), i, b, (size_t)len, 0);
}

static int
pg_bind_text(struct db_stmt *st, int i, const char *s, int n, int lifetime)
{
	size_t len = n < 0 ? strlen(s) : (size_t)n;

	if (memchr(s, '\0', len))
		return set_err(C(st->db), DB_ERROR, "parameter %d: text with a NUL byte cannot "
			       "be stored in PostgreSQL", i);
	return set_param(S(st), i, s, len, 0);
}

static int
pg_bind_blob(struct db_stmt *st, int i, const void *p, int n, int lifetime)
{
	return set_param(S(st), i, n > 0 ? p : "", n > 0 ? (size_t)n : 0, 1);
}

static int
pg_bind_null(struct db_stmt *st, int i)
{
	return param(S(st), i) ? DB_OK : DB_ERROR;
}

/* ---- columns ---- */

static int
pg_column_count(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	struct pg_conn *c = C(st->db);
	PGresult *res;
	int n = 0;

	if (s->res)
		return PQnfields(s->res);
	/* before a step: ask the server about the statement itself */
	res = PQprepare(c->pc, "", s->sql, 0, NULL);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		res = PQdescribePrepared(c->pc, "");
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			n = PQnfields(res);
	}
	PQclear(res);
	return n;
}

static int
valid_col(struct pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

/* 1 when the numeric text has no fraction (digits after '.' all zero). */
static int
integral(const char *v)
{
	const char *dot = strchr(v, '.');

	if (!dot)
		return strpbrk(v, "eEN") == NULL; /* NaN, Infinity, exponents are not */
	for (dot++; *dot; dot++)
		if (*dot != '0')
			return 0;
	return 1;
}

static int
pg_column_type(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return DB_NULL;
	switch (PQftype(s->res, i)) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_BOOL: case OID_OID:
		return DB_INTEGER;
	case OID_NUMERIC:
		return integral(PQgetvalue(s->res, s->row, i)) ? DB_INTEGER : DB_FLOAT;
	case OID_FLOAT4: case OID_FLOAT8:
		return DB_FLOAT;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int64_t
pg_column_int64(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	struct pg_conn *c = C(st->db);
	const char *v;
	char *end;
	long long x;
	unsigned t;

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	t = PQftype(s->res, i);
	if (t == OID_BOOL)
		return v[0] == 't';
	if (t == OID_FLOAT4 || t == OID_FLOAT8) { /* as SQLite: towards zero */
		double d = strtod(v, NULL);

		if (d != d)
			return 0;
		if (d >= 9223372036854775807.0)
			return INT64_MAX;
		if (d <= -9223372036854775808.0)
			return INT64_MIN;
		return (int64_t)d;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (t == OID_INT2 || t == OID_INT4 || t == OID_INT8 || t == OID_NUMERIC || t == OID_OID) {
		if (errno == ERANGE || end == v ||
		    (*end && !(t == OID_NUMERIC && *end == '.' && integral(end)))) {
			set_err(c, DB_ERROR, "column %d: '%s' is not a 64-bit integer "
				"(a sum read as an integer must be whole: CAST(... AS BIGINT))", i, v);
			return 0;
		}
		return x;
	}
	/* text: the leading integer, as SQLite reads it */
	return errno == ERANGE ? (x < 0 ? INT64_MIN : INT64_MAX) : x;
}

static double
pg_column_double(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return 0.0;
	if (PQftype(s->res, i) == OID_BOOL)
		return PQgetvalue(s->res, s->row, i)[0] == 't';
	return strtod(PQgetvalue(s->res, s->row, i), NULL);
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The bytes of a bytea column of this row, decoded from its hex text
 * ("\x0a1b..."), NUL-terminated; NULL when out of memory or malformed. */
static struct pg_col *
blob_col(struct pg_stmt *s, int i)
{
	struct pg_col *col = &s->cols[i];
	const char *v = PQgetvalue(s->res, s->row, i);
	size_t len = (size_t)PQgetlength(s->res, s->row, i), k;

	if (col->ready)
		return col;
	if (len < 2 || v[0] != '\\' || v[1] != 'x' || len % 2) {
		set_err(C(s->base.db), DB_ERROR, "column %d: bytea not in hex form", i);
		return NULL;
	}
	len = (len - 2) / 2;
	if (len + 1 > col->cap) {
		unsigned char *nb = realloc(col->buf, len + 1);

		if (!nb) {
			set_err(C(s->base.db), DB_ERROR, "out of memory");
			return NULL;
		}
		col->buf = nb;
		col->cap = len + 1;
	}
	for (k = 0; k < len; k++) {
		int hi = hexval(v[2 + 2 * k]), lo = hexval(v[3 + 2 * k]);

		if (hi < 0 || lo < 0) {
			set_err(C(s->base.db), DB_ERROR, "column %d: bytea not in hex form", i);
			return NULL;
		}
		col->buf[k] = (unsigned char)(hi << 4 | lo);
	}
	col->buf[len] = '\0';
	col->len = len;
	col->ready = 1;
	return col;
}

static const unsigned char *
pg_column_text(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	if (PQftype(s->res, i) == OID_BYTEA) {
		struct pg_col *col = blob_col(s, i);

		return col ? col->buf : NULL;
	}
	return (const unsigned char *)PQgetvalue(s->res, s->row, i);
}

static const void *
pg_column_blob(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	struct pg_col *col;

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	if (PQftype(s->res, i) != OID_BYTEA)
		return PQgetvalue(s->res, s->row, i);
	col = blob_col(s, i);
	return col && col->len ? col->buf : NULL;
}

static int
pg_column_bytes(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	struct pg_col *col;

	if (!valid_col(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	if (PQftype(s->res, i) != OID_BYTEA)
		return PQgetlength(s->res, s->row, i);
	col = blob_col(s, i);
	return col ? (int)col->len : 0;
}

/* ---- bulk: COPY FROM STDIN ---- */

static int
is_name(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int
pg_bulk_begin(struct db *db, const char *table, const char *const *cols, int ncols,
	      struct db_bulk **out)
{
	struct pg_conn *c = C(db);
	struct pg_bulk *b;
	struct strbuf sql = STRBUF_INIT;
	int i;

	*out = NULL;
	if (!is_name(table) || ncols < 1)
		return set_err(c, DB_ERROR, "bulk: '%s' is not a table name or no columns given",
			       table ? table : "");
	strbuf_addf(&sql, "COPY %s (", table);
	for (i = 0; i < ncols; i++) {
		if (!is_name(cols[i])) {
			strbuf_release(&sql);
			return set_err(c, DB_ERROR, "bulk: '%s' is not a column name",
				       cols[i] ? cols[i] : "");
		}
		strbuf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
	}
	strbuf_adds(&sql, ") FROM STDIN");
	b = calloc(1, sizeof *b);
	if (!b || strbuf_failed(&sql) || !(b->field = calloc((size_t)ncols, sizeof *b->field)) ||
	    !(b->set = calloc((size_t)ncols, sizeof *b->set))) {
		if (b)
			free(b->field);
		free(b);
		strbuf_release(&sql);
		return set_err(c, DB_ERROR, "out of memory");
	}
	b->base.db = db;
	b->ncols = ncols;
	b->copy_sql = strbuf_detach(&sql, NULL);
	for (i = 0; i < ncols; i++)
		strbuf_init(&b->field[i], 0);
	strbuf_init(&b->buf, 0);
	*out = &b->base;
	ok(c);
	return DB_OK;
}

static struct strbuf *
bulk_field(struct pg_bulk *b, int i)
{
	if (i < 1 || i > b->ncols) {
		set_err(C(b->base.db), DB_ERROR, "bulk: value %d out of range (%d columns)", i,
			b->ncols);
		return NULL;
	}
	strbuf_reset(&b->field[i - 1]);
	b->set[i - 1] = 1;
	return &b->field[i - 1];
}

static int
bulk_done(struct pg_bulk *b, struct strbuf *f)
{
	if (strbuf_failed(f)) {
		b->failed = DB_ERROR;
		return set_err(C(b->base.db), DB_ERROR, "bulk: a value is too long or out of memory");
	}
	return DB_OK;
}

static int
pg_bulk_int64(struct db_bulk *bb, int i, int64_t v)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct strbuf *f = bulk_field(b, i);

	if (!f)
		return DB_ERROR;
	strbuf_addf(f, "%" PRId64, v);
	return bulk_done(b, f);
}

static int
pg_bulk_text(struct db_bulk *bb, int i, const char *s, int n)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct strbuf *f = bulk_field(b, i);
	size_t len = n < 0 ? strlen(s) : (size_t)n, k;

	if (!f)
		return DB_ERROR;
	for (k = 0; k < len; k++) {
		switch (s[k]) {
		case '\\': strbuf_add(f, "\\\\", 2); break;
		case '\t': strbuf_add(f, "\\t", 2); break;
		case '\n': strbuf_add(f, "\\n", 2); break;
		case '\r': strbuf_add(f, "\\r", 2); break;
		case '\0':
			b->failed = DB_ERROR;
			return set_err(C(b->base.db), DB_ERROR, "bulk: text with a NUL byte "
				       "cannot be stored in PostgreSQL");
		default: strbuf_addch(f, s[k]);
		}
	}
	return bulk_done(b, f);
}

static int
pg_bulk_blob(struct db_bulk *bb, int i, const void *p, int n)
{
	static const char hex[] = "0123456789abcdef";
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct strbuf *f = bulk_field(b, i);
	const unsigned char *u = p;
	int k;

	if (!f)
		return DB_ERROR;
	strbuf_add(f, "\\\\x", 3); /* the bytea text \x..., its backslash escaped for COPY */
	for (k = 0; k < n; k++) {
		strbuf_addch(f, hex[u[k] >> 4]);
		strbuf_addch(f, hex[u[k] & 15]);
	}
	return bulk_done(b, f);
}

static int
pg_bulk_null(struct db_bulk *bb, int i)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct strbuf *f = bulk_field(b, i);

	if (!f)
		return DB_ERROR;
	b->set[i - 1] = 0;
	return DB_OK;
}

/* Send the gathered rows as one COPY. */
static int
bulk_flush(struct pg_bulk *b)
{
	struct pg_conn *c = C(b->base.db);
	PGresult *res;
	size_t off;
	int rc = 0;

	if (b->buf.len == 0)
		return 0;
	if ((rc = savepoint(c, 1, 0)) != 0)
		return rc;
	res = PQexec(c->pc, b->copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = res_err(c, res);
		PQclear(res);
		savepoint(c, 0, 1);
		return rc;
	}
	PQclear(res);
	for (off = 0; off < b->buf.len; off += COPY_PIECE) {
		size_t k = b->buf.len - off < COPY_PIECE ? b->buf.len - off : COPY_PIECE;

		if (PQputCopyData(c->pc, b->buf.buf + off, (int)k) != 1) {
			PQputCopyEnd(c->pc, "co2ledger could not send the rows");
			rc = DB_ERROR;
			break;
		}
	}
	if (rc == 0 && PQputCopyEnd(c->pc, NULL) != 1)
		rc = DB_ERROR;
	while ((res = PQgetResult(c->pc)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = res_err(c, res);
		} else if (rc == 0) {
			c->changes = strtoll(PQcmdTuples(res), NULL, 10);
		}
		PQclear(res);
	}
	if (rc == DB_ERROR && c->code == DB_OK)
		res_err(c, NULL);
	savepoint(c, 0, rc != 0);
	strbuf_reset(&b->buf);
	return rc;
}

static int
pg_bulk_row(struct db_bulk *bb)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct pg_conn *c = C(b->base.db);
	int i, rc;

	if (b->failed)
		return set_err(c, b->failed, "bulk: an earlier value or row failed");
	for (i = 0; i < b->ncols; i++) {
		if (i)
			strbuf_addch(&b->buf, '\t');
		if (b->set[i])
			strbuf_add(&b->buf, b->field[i].buf ? b->field[i].buf : "", b->field[i].len);
		else
			strbuf_add(&b->buf, "\\N", 2);
		b->set[i] = 0;
		strbuf_reset(&b->field[i]);
	}
	strbuf_addch(&b->buf, '\n');
	if (strbuf_failed(&b->buf)) {
		b->failed = DB_ERROR;
		return set_err(c, DB_ERROR, "bulk: out of memory");
	}
	if (b->buf.len >= BULK_BUF && (rc = bulk_flush(b)) != 0) {
		b->failed = rc;
		return rc;
	}
	ok(c);
	return DB_OK;
}

static int
pg_bulk_end(struct db_bulk *bb)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	struct pg_conn *c = C(b->base.db);
	int rc = b->failed ? b->failed : bulk_flush(b), i;

	for (i = 0; i < b->ncols; i++)
		strbuf_release(&b->field[i]);
	free(b->field);
	free(b->set);
	strbuf_release(&b->buf);
	free(b->copy_sql);
	free(b);
	if (rc == 0)
		ok(c);
	return rc;
}

/* ---- schema and rights (db.h: PostgreSQL only) ---- */

extern const char ledger_pg_roles_sql[];

static struct pg_conn *
pg_only(struct db *db, char *msg, size_t n)
{
	if (!db || db->backend != DB_POSTGRES) {
		msg_out(msg, n, "not a PostgreSQL ledger");
		return NULL;
	}
	return C(db);
}

/* Run `sql` in a transaction of its own, or inside the caller's. */
static int
in_txn(struct pg_conn *c, int (*fn)(struct pg_conn *, const void *, char *, size_t),
       const void *arg, char *msg, size_t n)
{
	int own = !pg_in_transaction(&c->base), rc;

	if (c->txn == TXN_IMPLICIT) {
		msg_out(msg, n, "a query is still being read on this connection");
		return set_err(c, DB_ERROR, "a query is still being read on this connection");
	}
	if (own && (rc = pg_begin_write(&c->base)) != 0) {
		msg_out(msg, n, strbuf_str(&c->msg));
		return rc;
	}
	rc = fn(c, arg, msg, n);
	if (rc == 0 && own && (rc = pg_commit(&c->base)) != 0)
		msg_out(msg, n, strbuf_str(&c->msg));
	if (rc && own)
		pg_rollback(&c->base);
	if (rc && c->code == DB_OK)
		set_err(c, rc, "%s", msg && n ? msg : "failed");
	return rc;
}

static int
apply_schema(struct pg_conn *c, const void *arg, char *msg, size_t n)
{
	struct pg_ddl d;
	size_t i;
	int rc;

	if (pg_ddl_translate(arg, &d, msg, n))
		return DB_ERROR;
	rc = run(c, "CREATE TABLE IF NOT EXISTS ledger_meta (\n"
		    "  key   TEXT PRIMARY KEY,\n"
		    "  value TEXT NOT NULL\n)");
	for (i = 0; rc == 0 && i < d.n; i++) {
		if ((rc = run(c, d.stmt[i])) != 0)
			snprintf(msg, n, "%s, in: %.200s", strbuf_str(&c->msg), d.stmt[i]);
	}
	if (rc && i == 0)
		msg_out(msg, n, strbuf_str(&c->msg));
	pg_ddl_release(&d);
	return rc;
}

int
db_pg_schema(struct db *db, const char *sqlite_ddl, char *msg, size_t n)
{
	struct pg_conn *c = pg_only(db, msg, n);

	if (!c)
		return DB_ERROR;
	return in_txn(c, apply_schema, sqlite_ddl, msg, n);
}

static int
apply_roles(struct pg_conn *c, const void *arg, char *msg, size_t n)
{
	int rc = run(c, ledger_pg_roles_sql);

	if (rc)
		msg_out(msg, n, strbuf_str(&c->msg));
	return rc;
}

int
db_pg_init_roles(struct db *db, char *msg, size_t n)
{
	struct pg_conn *c = pg_only(db, msg, n);

	if (!c)
		return DB_ERROR;
	return in_txn(c, apply_roles, NULL, msg, n);
}

int
db_pg_schema_version(struct db *db, int *version)
{
	struct pg_conn *c = C(db);
	PGresult *res;
	int rc = 0;

	*version = 0;
	if (db->backend != DB_POSTGRES)
		return DB_ERROR;
	/* a database without ledger_meta is empty as far as co2ledger knows */
	res = PQexec(c->pc, "SELECT to_regclass('ledger_meta') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = res_err(c, res);
		PQclear(res);
		return rc;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		PQclear(res);
		ok(c);
		return DB_OK;
	}
	PQclear(res);
	res = PQexec(c->pc, "SELECT value FROM ledger_meta WHERE key = 'schema_version'");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = res_err(c, res);
	} else if (PQntuples(res) == 1) {
		const char *v = PQgetvalue(res, 0, 0);
		char *end;
		long x = strtol(v, &end, 10);

		if (*end || x < 0 || x > 1000000)
			rc = set_err(c, DB_CORRUPT, "ledger_meta: schema_version '%s' is not a version", v);
		else
			*version = (int)x;
	}
	PQclear(res);
	if (rc == 0)
		ok(c);
	return rc;
}

int
db_pg_set_schema_version(struct db *db, int version)
{
	struct pg_conn *c = C(db);
	const char *vals[1];
	char v[16];
	PGresult *res;
	int rc = 0;

	if (db->backend != DB_POSTGRES)
		return DB_ERROR;
	snprintf(v, sizeof v, "%d", version);
	vals[0] = v;
	res = PQexecParams(c->pc, "INSERT INTO ledger_meta (key, value) VALUES ('schema_version', $1) "
			   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			   1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = res_err(c, res);
	PQclear(res);
	if (rc == 0)
		ok(c);
	return rc;
}

static const struct db_ops pg_ops = {
	.close = pg_close,
	.errmsg = pg_errmsg,
	.errcode = pg_errcode,
	.syserr = pg_syserr,
	.exec = pg_exec,
	.begin_write = pg_begin_write,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.changes = pg_changes,
	.prepare = pg_prepare,
	.step = pg_step,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.column_count = pg_column_count,
	.column_type = pg_column_type,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.bulk_begin = pg_bulk_begin,
	.bulk_int64 = pg_bulk_int64,
	.bulk_text = pg_bulk_text,
	.bulk_blob = pg_bulk_blob,
	.bulk_null = pg_bulk_null,
	.bulk_row = pg_bulk_row,
	.bulk_end = pg_bulk_end,
};
