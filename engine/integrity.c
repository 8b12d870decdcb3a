/*
 * integrity: recompute the audit chain, the row hashes and the audit log's
 * coverage of the tables (see integrity.h).
 */
#include "engine/integrity.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "org/org.h"
#include "store/rowhash.h"
#include "base/sha256.h"
#include "base/strbuf.h"

struct ck {
	integrity_note_fn *fn;
	void *ctx;
	struct integrity_result *r;
	json_t *batch_imp;   /* "id" -> payload of batch.import */
	json_t *batch_rm;    /* "id" -> payload of batch.remove */
	json_t *sets;        /* "name@version" -> payload of factors.import */
	json_t *runs;        /* "id" -> payload of run */
	json_t *pubs;        /* "id" -> payload of run.publish */
	json_t *org_last;    /* payload of the last org.import, or NULL */
	long org_entry;
};

static void note(struct ck *c, int problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
note(struct ck *c, int problem, const char *fmt, ...)
{
	struct strbuf text = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	if (problem && c->r)
		c->r->problems++;
	if (c->fn)
		c->fn(c->ctx, problem, strbuf_failed(&text) ? "(a note too long to show)"
							: strbuf_str(&text));
	strbuf_release(&text);
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}


/* ---- the audit log against the tables ---- */

static int
collect(void *ctx, const struct audit_entry *a, struct err *e)
{
	struct ck *c = ctx;
	json_t *p = json_loads(a->payload, 0, NULL), *dst = NULL;
	struct strbuf key = STRBUF_INIT; /* name@version: whole, so no two meet */

	if (!json_is_object(p)) {
		note(c, 1, "audit entry %ld (%s): its payload is not a JSON object",
		     a->id, a->action);
		json_decref(p);
		return 0;
	}
	json_object_set_new(p, "_entry", json_integer(a->id));
	if (strcmp(a->action, "batch.import") == 0 || strcmp(a->action, "batch.remove") == 0 ||
	    strcmp(a->action, "batch.correct") == 0) {
		/* a correction creates its batch as an import does */
		dst = a->action[6] == 'r' ? c->batch_rm : c->batch_imp;
		strbuf_addf(&key, "%lld",
			    (long long)json_integer_value(json_object_get(p, "batch")));
	} else if (strcmp(a->action, "factors.import") == 0) {
		dst = c->sets;
		strbuf_addf(&key, "%s@%s", jstr(p, "name"), jstr(p, "version"));
	} else if (strcmp(a->action, "run") == 0 || strcmp(a->action, "run.publish") == 0) {
		dst = a->action[3] ? c->pubs : c->runs;
		strbuf_addf(&key, "%lld",
			    (long long)json_integer_value(json_object_get(p, "run")));
	} else if (strcmp(a->action, "org.import") == 0) {
		json_decref(c->org_last);
		c->org_last = p;
		c->org_entry = a->id;
		return 0;
	}
	if (strbuf_failed(&key)) {
		json_decref(p);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (dst && !json_object_get(dst, strbuf_str(&key))) {
		json_object_set_new(dst, strbuf_str(&key), p);
		strbuf_release(&key);
		return 0;
	}
	if (dst)
		note(c, 1, "audit entry %ld (%s) repeats the entry for %s", a->id,
		     a->action, strbuf_str(&key));
	strbuf_release(&key);
	json_decref(p);
	return 0;
}

static const char SQL_BATCHES[] =
	"SELECT id, kind, file, sha256, rows_loaded, status, rows_sha256 FROM batch "
	"ORDER BY id";
static const char SQL_SETS[] =
	"SELECT name, version, sha256 FROM factor_set ORDER BY id";
static const char SQL_UNITS[] = "SELECT count(*) FROM org_unit";
static const char SQL_PUBS[] = "SELECT run_id, label FROM run_publish ORDER BY run_id";

static const char *
text(struct db_stmt *st, int i)
{
	const unsigned char *s = db_column_text(st, i);
	return s ? (const char *)s : "";
}

static int
check_batches(struct ledger *l, struct ck *c, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_BATCHES, e);
	json_t *seen = json_object();
	const char *key;
	json_t *v;
	int rc;

	if (!st || !seen) {
		json_decref(seen);
		return st ? err_setf(e, ERR_IO, "out of memory") : -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		const char *file = text(st, 2), *stored_rows = text(st, 6);
		long loaded = (long)db_column_int64(st, 4);
		int superseded = strcmp(text(st, 5), "superseded") == 0;
		char k[32], hex[65];
		long rows, bad;
		json_t *p;

		snprintf(k, sizeof k, "%lld", id);
		json_object_set_new(seen, k, json_true());
		p = json_object_get(c->batch_imp, k);
		if (!p) {
			note(c, 1, "batch %lld (%s) has no audit entry: it was added to "
			     "the database directly", id, file);
		} else {
			if (strcmp(jstr(p, "sha256"), text(st, 3)) || strcmp(jstr(p, "file"), file) ||
			    strcmp(jstr(p, "kind"), text(st, 1)) ||
			    json_integer_value(json_object_get(p, "rows_loaded")) != loaded)
				note(c, 1, "batch %lld (%s): file, kind, sha256 or row count "
				     "differ from its audit entry %lld (%s, %s, sha256 %s, %lld "
				     "rows)", id, file,
				     (long long)json_integer_value(json_object_get(p, "_entry")),
				     jstr(p, "file"), jstr(p, "kind"), jstr(p, "sha256"),
				     (long long)json_integer_value(json_object_get(p, "rows_loaded")));
			if (json_object_get(p, "rows_sha256") &&
			    strcmp(jstr(p, "rows_sha256"), stored_rows) != 0)
				note(c, 1, "batch %lld (%s): rows_sha256 %s differs from its "
				     "audit entry %lld (%s)", id, file,
				     stored_rows[0] ? stored_rows : "(none)",
				     (long long)json_integer_value(json_object_get(p, "_entry")),
				     jstr(p, "rows_sha256"));
		}
		if (superseded && !json_object_get(c->batch_rm, k))
			note(c, 1, "batch %lld (%s) is superseded without an audit entry "
			     "for its removal", id, file);
		if (!superseded && json_object_get(c->batch_rm, k))
			note(c, 1, "batch %lld (%s) is active although audit entry %lld "
			     "removed it", id, file,
			     (long long)json_integer_value(json_object_get(
				     json_object_get(c->batch_rm, k), "_entry")));
		/* the rows */
		{
			char *fcopy = strdup(file);
			/* a batch from before schema 3 has neither a rows hash
			 * nor row digests, and its audit entry none either */
			int covered = stored_rows[0] ||
				      (p && json_object_get(p, "rows_sha256"));
			int r = fcopy ? rowhash_batch(l, id, fcopy, covered, c->fn,
							     c->ctx, hex, &rows, &bad, e)
				      : err_setf(e, ERR_IO, "out of memory");
			free(fcopy);
			if (r) {
				db_reset(st);
				json_decref(seen);
				return -1;
			}
		}
		c->r->problems += bad;
		if (stored_rows[0]) {
			c->r->batches++;
			c->r->rows += rows;
		}
		if (rows != loaded)
			note(c, 1, "batch %lld (%s) has %ld rows in the ledger, %ld were "
			     "imported: rows were %s after import", id, file, rows, loaded,
			     rows < loaded ? "deleted" : "added");
		if (!stored_rows[0]) {
			c->r->uncovered++;
			if (superseded)
				note(c, 0, "batch %lld (%s, superseded) was imported before "
				     "row hashes existed: its rows are not covered", id, file);
			else
				note(c, 0, "batch %lld (%s) was imported before row hashes "
				     "existed: its rows are not covered (import the file "
				     "again with --replace %lld to cover them)", id, file, id);
		} else if (strcmp(hex, stored_rows) != 0 && !bad && rows == loaded) {
			note(c, 1, "batch %lld (%s): its rows hash to %s, rows_sha256 "
			     "says %s: rows and their digests were both changed, the row "
			     "cannot be named", id, file, hex, stored_rows);
		}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(seen);
		return ledger_fail(l, rc, "reading batches", e);
	}
	json_object_foreach(c->batch_imp, key, v)
		if (!json_object_get(seen, key))
			note(c, 1, "audit entry %lld (batch.import) names batch %s (%s), "
			     "which is not in the ledger: it was deleted",
			     (long long)json_integer_value(json_object_get(v, "_entry")),
			     key, jstr(v, "file"));
	json_decref(seen);
	return 0;
}

static int
check_sets(struct ledger *l, struct ck *c, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_SETS, e);
	json_t *seen = json_object();
	struct strbuf kb = STRBUF_INIT; /* name@version, whole */
	const char *key;
	json_t *v;
	int rc;

	if (!st || !seen) {
		json_decref(seen);
		return st ? err_setf(e, ERR_IO, "out of memory") : -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *p;
		const char *k;
		strbuf_reset(&kb);
		strbuf_addf(&kb, "%s@%s", text(st, 0), text(st, 1));
		k = strbuf_str(&kb);
		json_object_set_new(seen, k, json_true());
		if (!(p = json_object_get(c->sets, k)))
			note(c, 1, "factor set %s has no audit entry: it was added to "
			     "the database directly", k);
		else if (strcmp(jstr(p, "sha256"), text(st, 2)) != 0)
			note(c, 1, "factor set %s: sha256 %s differs from its audit "
			     "entry %lld (%s)", k, text(st, 2),
			     (long long)json_integer_value(json_object_get(p, "_entry")),
			     jstr(p, "sha256"));
	}
	db_reset(st);
	strbuf_release(&kb);
	if (rc != DB_DONE) {
		json_decref(seen);
		return ledger_fail(l, rc, "reading factor sets", e);
	}
	json_object_foreach(c->sets, key, v)
		if (!json_object_get(seen, key))
			note(c, 1, "audit entry %lld (factors.import) names factor set %s, "
			     "which is not in the ledger: it was deleted",
			     (long long)json_integer_value(json_object_get(v, "_entry")), key);
	json_decref(seen);
	return 0;
}

static int
check_runs(struct ledger *l, struct ck *c, struct err *e)
{
	struct db_stmt *st = ledger_stored_runs(l, e);
	json_t *seen = json_object();
	const char *key;
	json_t *v;
	int rc;

	if (!st || !seen) {
		json_decref(seen);
		return st ? err_setf(e, ERR_IO, "out of memory") : -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		char k[32];
		json_t *p;
		snprintf(k, sizeof k, "%lld", (long long)db_column_int64(st, 0));
		json_object_set_new(seen, k, json_true());
		if (!(p = json_object_get(c->runs, k)))
			note(c, 1, "run %s has no audit entry: it was added to the "
			     "database directly", k);
		else if (strcmp(jstr(p, "results_sha256"), text(st, 1)) != 0)
			note(c, 1, "run %s: results_sha256 %s differs from its audit "
			     "entry %lld (%s)", k, text(st, 1),
			     (long long)json_integer_value(json_object_get(p, "_entry")),
			     jstr(p, "results_sha256"));
	}
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(seen);
		return ledger_fail(l, rc, "reading runs", e);
	}
	json_object_foreach(c->runs, key, v)
		if (!json_object_get(seen, key))
			note(c, 1, "audit entry %lld (run) names run %s, which is not in "
			     "the ledger: it was deleted",
			     (long long)json_integer_value(json_object_get(v, "_entry")), key);
	json_object_clear(seen);
	if (!(st = ledger_stmt(l, SQL_PUBS, e))) {
		json_decref(seen);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		char k[32];
		json_t *p;
		snprintf(k, sizeof k, "%lld", (long long)db_column_int64(st, 0));
		json_object_set_new(seen, k, json_true());
		if (!(p = json_object_get(c->pubs, k)))
			note(c, 1, "run %s is marked published ('%s') without an audit "
			     "entry", k, text(st, 1));
		else if (strcmp(jstr(p, "label"), text(st, 1)) != 0)
			note(c, 1, "run %s: publication label '%s' differs from its audit "
			     "entry %lld ('%s')", k, text(st, 1),
			     (long long)json_integer_value(json_object_get(p, "_entry")),
			     jstr(p, "label"));
	}
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(seen);
		return ledger_fail(l, rc, "reading published runs", e);
	}
	json_object_foreach(c->pubs, key, v)
		if (!json_object_get(seen, key))
			note(c, 1, "audit entry %lld (run.publish) publishes run %s, which "
			     "is not marked published in the ledger",
			     (long long)json_integer_value(json_object_get(v, "_entry")), key);
	json_decref(seen);
	return 0;
}

static int
check_org(struct ledger *l, struct ck *c, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_UNITS, e);
	long long units = 0;
	char hex[65];
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		units = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return ledger_fail(l, rc, "reading the units", e);
	if (units && !c->org_last) {
		note(c, 1, "the ledger has %lld organisation units but no org.import "
		     "audit entry: they were added to the database directly", units);
		return 0;
	}
	if (!c->org_last || !json_object_get(c->org_last, "org_sha256"))
		return 0;
	if (org_sha256(l, 0, hex, e))
		return -1;
	if (strcmp(hex, jstr(c->org_last, "org_sha256")) != 0)
		note(c, 1, "the organisation tree or its statistics were changed "
		     "after the last org import (audit entry %ld): they hash to %s, "
		     "the entry says %s", c->org_entry, hex, jstr(c->org_last, "org_sha256"));
	return 0;
}

int
integrity_check(struct ledger *l, integrity_note_fn *fn, void *ctx,
		struct integrity_result *out, struct err *e)
{
	struct ck c = {fn, ctx, out, json_object(), json_object(), json_object(),
		       json_object(), json_object(), NULL, 0};
	struct err ae;
	int rc = -1, tx = 0;

	memset(out, 0, sizeof *out);
	if (!c.batch_imp || !c.batch_rm || !c.sets || !c.runs || !c.pubs) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	/* one snapshot: a command writing meanwhile must not look like a table
	 * and its audit log that disagree */
	if (!db_in_transaction(ledger_db(l))) {
		if (ledger_exec(l, "BEGIN", e))
			goto out;
		tx = 1;
	}
	err_clear(&ae);
	if (audit_verify(l, &out->entries, &ae)) {
		if (ae.kind != ERR_DATA) {
			*e = ae;
			goto out;
		}
		note(&c, 1, "%s", ae.text);
	} else {
		out->chain_ok = 1;
	}
	if (audit_head(l, &out->entries, out->head, NULL, e) ||
	    audit_each(l, collect, &c, e) || check_batches(l, &c, e) ||
	    check_sets(l, &c, e) || check_runs(l, &c, e) || check_org(l, &c, e))
		goto out;
	rc = 0;
out:
	if (tx && ledger_exec(l, rc ? "ROLLBACK" : "COMMIT", rc ? &ae : e))
		rc = -1;
	json_decref(c.batch_imp);
	json_decref(c.batch_rm);
	json_decref(c.sets);
	json_decref(c.runs);
	json_decref(c.pubs);
	json_decref(c.org_last);
	return rc;
}
