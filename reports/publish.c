/*
 * publish: published runs, the list of runs, and whether a run's inputs
 * were superseded or corrected since (see report.h, "published runs").
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "engine/calc.h"
#include "base/date.h"
#include "reports/completeness.h"
#include "reports/report_int.h"

static const char SQL_PUB_GET[] =
	"SELECT label, published_at FROM run_publish WHERE run_id = ?1";
static const char SQL_PUB_ADD[] =
	"INSERT INTO run_publish(run_id, label, published_at) VALUES (?1, ?2, ?3)";
static const char SQL_RUN_YEAR[] = "SELECT year, results_sha256 FROM run WHERE id = ?1";
static const char SQL_RUNS[] =
	"SELECT r.id, r.year, r.gwp, r.region, r.fallback, r.factor_sets, r.batches, "
	"r.rows_used, r.created_at, r.results_sha256, p.label, p.published_at, "
	"(SELECT json_extract(a.payload, '$.user') FROM audit a WHERE a.action = 'run' "
	"AND json_extract(a.payload, '$.run') = r.id) "
	"FROM run r LEFT JOIN run_publish p ON p.run_id = r.id ORDER BY r.id";
static const char SQL_SUCC[] =
	"SELECT status, superseded_by, file FROM batch WHERE id = ?1";

static const char *
text(struct db_stmt *st, int i)
{
	const unsigned char *s = db_column_text(st, i);
	return s ? (const char *)s : NULL;
}

int
report_run_published(struct ledger *l, int64_t run_id, char *label, size_t n,
		     char at[21], int *yes, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_PUB_GET, e);
	int rc;

	*yes = 0;
	if (!st)
		return -1;
	db_bind_int64(st, 1, run_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*yes = 1;
		snprintf(label, n, "%s", text(st, 0) ? text(st, 0) : "");
		snprintf(at, 21, "%s", text(st, 1) ? text(st, 1) : "");
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
						    : ledger_fail(l, rc, "reading runs", e);
}

int
report_run_publish(struct ledger *l, int64_t run_id, const char *label,
		   struct err *e)
{
	struct db_stmt *st;
	char old[REPORT_LABEL_MAX + 1], at[21], now[21];
	int yes, rc, year = 0;
	char results[65] = "";

	if (!label || !*label)
		return err_setf(e, ERR_USAGE, "publishing a run needs --label TEXT");
	if (strlen(label) > REPORT_LABEL_MAX)
		return err_setf(e, ERR_USAGE, "the label is too long (%zu bytes; at most "
				"%d, e.g. 'Bilanz 2024, Senatsbeschluss')", strlen(label),
				REPORT_LABEL_MAX);
	if (ledger_begin(l, e))
		return -1;
	if (!(st = ledger_stmt(l, SQL_RUN_YEAR, e)))
		goto fail;
	db_bind_int64(st, 1, run_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		year = db_column_int(st, 0);
		snprintf(results, sizeof results, "%s", text(st, 1) ? text(st, 1) : "");
	}
	db_reset(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			err_setf(e, ERR_DATA, "no calculation run %lld (store one with "
				 "'co2ledger calc')", (long long)run_id);
		else
			ledger_fail(l, rc, "reading runs", e);
		goto fail;
	}
	if (report_run_published(l, run_id, old, sizeof old, at, &yes, e))
		goto fail;
	if (yes) {
		err_setf(e, ERR_DATA, "run %lld was published as '%s' on %s; a published "
			 "run is frozen (publish a new run instead)", (long long)run_id,
			 old, at);
		goto fail;
	}
	date_now_iso(now);
	if (!(st = ledger_stmt(l, SQL_PUB_ADD, e)))
		goto fail;
	db_bind_int64(st, 1, run_id);
	db_bind_text(st, 2, label, -1, DB_TRANSIENT);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	if (ledger_step_done(l, st, "publishing the run", e))
		goto fail;
	if (audit_append_json(l, "run.publish",
			      json_pack("{s:I, s:i, s:s, s:s}", "run", (json_int_t)run_id,
					"year", year, "label", label, "results_sha256",
					results), e) ||
	    ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

int
report_runs_each(struct ledger *l, report_run_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_RUNS, e);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_run_entry r;
		r.id = db_column_int64(st, 0);
		r.year = db_column_int(st, 1);
		r.gwp = text(st, 2);
		r.region = text(st, 3);
		r.fallback = text(st, 4);
		r.factor_sets = text(st, 5);
		r.batches = text(st, 6);
		r.rows_used = (long)db_column_int64(st, 7);
		r.created_at = text(st, 8);
		r.results_sha256 = text(st, 9);
		r.label = text(st, 10);
		r.published_at = text(st, 11);
		r.user = text(st, 12);
		if (fn(ctx, &r, e)) {
			db_reset(st);
			return -1;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "reading runs", e);
}

void
report_outdated_free(struct report_outdated *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->n; i++)
		free(o->v[i].file);
	free(o->v);
	report_free(o->now);
	memset(o, 0, sizeof *o);
}

/* The active batch that replaces `id` (following superseded_by); 0 when it
 * was removed without a successor. */
static int
successor(struct ledger *l, int64_t id, int64_t *out, char **file, struct err *e)
{
	int hops;

	*out = id;
	*file = NULL;
	for (hops = 0; hops < 10000; hops++) {
		struct db_stmt *st = ledger_stmt(l, SQL_SUCC, e);
		int rc, active;
		int64_t next;
		if (!st)
			return -1;
		db_bind_int64(st, 1, *out);
		rc = db_step(st);
		if (rc != DB_ROW) {
			db_reset(st);
			if (rc == DB_DONE) {
				*out = 0;
				return 0;
			}
			return ledger_fail(l, rc, "reading batches", e);
		}
		active = text(st, 0) && strcmp(text(st, 0), "active") == 0;
		next = db_column_int64(st, 1);
		if (!*file && text(st, 2) && !(*file = strdup(text(st, 2)))) {
			db_reset(st);
			return err_setf(e, ERR_IO, "out of memory");
		}
		db_reset(st);
		if (active)
			return 0;
		if (!next) {
			*out = 0;
			return 0;
		}
		*out = next;
	}
	return err_setf(e, ERR_DATA, "batch %lld: the chain of superseding batches "
			"does not end", (long long)id);
}

int
report_outdated_check(struct ledger *l, const struct report_model *m,
		      struct report_outdated *out, struct err *e)
{
	const struct report_run *r = &m->run;
	struct calc_params p = {0};
	struct calc_summary sum;
	struct errlist *errs = NULL;
	int64_t *ids = NULL, prev = 0;
	size_t i, n = 0;
	struct report_model *tmp = NULL;
	struct err ce;

	memset(out, 0, sizeof *out);
	if (report_run_published(l, r->id, out->label, sizeof out->label,
				 out->published_at, &out->published, e))
		return -1;
	if (!(out->v = calloc(m->nbatch_ids + 1, sizeof *out->v)) ||
	    !(ids = calloc(m->nbatch_ids + 1, sizeof *ids)))
		goto oom;
	for (i = 0; i < m->nbatch_ids; i++) {
		int64_t s;
		char *file;
		if (successor(l, m->batch_ids[i], &s, &file, e))
			goto fail;
		if (s != m->batch_ids[i]) {
			out->v[out->n].old_id = m->batch_ids[i];
			out->v[out->n].new_id = s;
			out->v[out->n].file = file;
			out->n++;
		} else {
			free(file);
		}
		if (s)
			ids[n++] = s;
	}
	if (!out->n) {
		free(ids);
		return 0;
	}
	/* the same run over the batches that replace the superseded ones */
	report_run_params(&p, m, r->year, ids, n);
	if (!(errs = errlist_new()))
		goto oom;
	err_clear(&ce);
	if (n == 0 || calc_run(l, &p, &sum, errs, &ce)) {
		if (n && ce.kind != ERR_DATA) {
			*e = ce;
			goto fail;
		}
		snprintf(out->why, sizeof out->why, "%s", n ? ce.text
			 : "every input file was removed");
	} else if (report_build(l, sum.run_id, 0, NULL, &tmp, e) ||
		   report_previous_run(l, tmp, &prev, out->why, sizeof out->why, e) ||
		   report_build(l, sum.run_id, prev, m->org, &out->now, e)) {
		goto fail;
	}
	if (out->now) /* a missing previous year is no reason here */
		out->why[0] = '\0';
	report_completeness_copy(out->now, m);
	report_free(tmp);
	errlist_free(errs);
	free(ids);
	return 0;
oom:
	err_setf(e, ERR_IO, "out of memory");
fail:
	report_free(tmp);
	errlist_free(errs);
	free(ids);
	report_outdated_free(out);
	return -1;
}
