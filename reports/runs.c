/*
 * runs: finding the calculation runs a report needs. The newest run of a
 * year (compare), the run of the year before over the same inputs and
 * parameters (the change against the previous year; reused when it exists,
 * calculated otherwise), and the batches and factor sets a published report
 * names, looked up by their hashes in the ledger at hand (verify).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "engine/calc.h"
#include "base/strbuf.h"
#include "reports/report_int.h"

#define NOTE_REFUSED "(a note too long to show)"

static const char SQL_LATEST[] = "SELECT max(id) FROM run WHERE year = ?1";
static const char SQL_SAME[] =
	"SELECT max(id) FROM run WHERE year = ?1 AND gwp = ?2 AND region = ?3 "
	"AND fallback = ?4 AND factor_sets = ?5 AND batches = ?6 AND lens = ?7";
static const char SQL_BATCH_SHA[] =
	"SELECT id, rows_sha256 FROM batch WHERE sha256 = ?1 "
	"ORDER BY status = 'active' DESC, id DESC LIMIT 1";
static const char SQL_BATCH_NAME[] =
	"SELECT id, sha256 FROM batch WHERE file = ?1 AND kind = ?2 "
	"ORDER BY status = 'active' DESC, id DESC LIMIT 1";
static const char SQL_SET_SHA[] =
	"SELECT sha256 FROM factor_set WHERE name = ?1 AND version = ?2";

int
report_latest_run(struct ledger *l, int year, int64_t *run_id, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_LATEST, e);
	int rc;

	*run_id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, year);
	rc = db_step(st);
	if (rc == DB_ROW)
		*run_id = db_column_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : ledger_fail(l, rc, "reading runs", e);
}

int
report_same_method_run(struct ledger *l, const struct report_model *m, int year,
		       int64_t *run_id, struct err *e)
{
	const struct report_run *r = &m->run;
	struct db_stmt *st = ledger_stmt(l, SQL_SAME, e);
	int rc;

	*run_id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, year);
	ledger_bind_text(st, 2, r->gwp);
	ledger_bind_text(st, 3, r->region);
	ledger_bind_text(st, 4, r->fallback);
	ledger_bind_text(st, 5, r->factor_sets);
	ledger_bind_text(st, 6, r->batches);
	ledger_bind_text(st, 7, r->lens);
	rc = db_step(st);
	if (rc == DB_ROW)
		*run_id = db_column_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : ledger_fail(l, rc, "reading runs", e);
}

int
report_previous_run(struct ledger *l, const struct report_model *m,
		    int64_t *prev_id, char *why, size_t whylen, struct err *e)
{
	const struct report_run *r = &m->run;
	struct calc_params p = {0};
	struct calc_summary sum;
	struct errlist *errs;
	struct err ce;

	if (whylen)
		why[0] = '\0';
	if (report_same_method_run(l, m, r->year - 1, prev_id, e))
		return -1;
	if (*prev_id > 0)
		return 0;
	if (m->nbatch_ids == 0) {
		snprintf(why, whylen, "the run has no input files");
		return 0;
	}
	report_run_params(&p, m, r->year - 1, m->batch_ids, m->nbatch_ids);
	if (!(errs = errlist_new()))
		return err_setf(e, ERR_IO, "out of memory");
	err_clear(&ce);
	if (calc_run(l, &p, &sum, errs, &ce)) {
		errlist_free(errs);
		if (ce.kind != ERR_DATA) {
			*e = ce;
			return -1;
		}
		snprintf(why, whylen, "%d cannot be calculated with the same factor "
			 "sets: %s", r->year - 1, ce.text);
		return 0;
	}
	errlist_free(errs);
	*prev_id = sum.run_id;
	return 0;
}

static const char SQL_SAME_GHG[] =
	"SELECT max(id) FROM run WHERE year = ?1 AND gwp = ?2 AND region = ?3 "
	"AND fallback = ?4 AND factor_sets = ?5 AND batches = ?6 "
	"AND lens = 'ghg-protocol'";
static const char SQL_SUMS[] =
	"SELECT CAST(COALESCE(sum(scope1_mg), 0) AS BIGINT), "
	"CAST(COALESCE(sum(scope2_location_mg), 0) AS BIGINT), "
	"CAST(COALESCE(sum(scope2_market_mg), 0) AS BIGINT), "
	"CAST(COALESCE(sum(scope3_mg), 0) AS BIGINT), "
	"CAST(COALESCE(sum(upstream_mg), 0) AS BIGINT), "
	"CAST(COALESCE(sum(CASE WHEN sector = 'procurement' "
	"THEN scope1_mg + scope2_location_mg + scope3_mg ELSE 0 END), 0) AS BIGINT) "
	"FROM run_total WHERE run_id = ?1";

int
report_ghg_sums(struct ledger *l, const struct report_model *m,
		struct report_lens_sums *out, struct err *e)
{
	const struct report_run *r = &m->run;
	struct db_stmt *st = ledger_stmt(l, SQL_SAME_GHG, e);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->year);
	ledger_bind_text(st, 2, r->gwp);
	ledger_bind_text(st, 3, r->region);
	ledger_bind_text(st, 4, r->fallback);
	ledger_bind_text(st, 5, r->factor_sets);
	ledger_bind_text(st, 6, r->batches);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->run_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return ledger_fail(l, rc, "reading runs", e);
	if (out->run_id <= 0) {
		struct calc_params p;
		struct calc_summary sum;
		struct errlist *errs = errlist_new();
		if (!errs)
			return err_setf(e, ERR_IO, "out of memory");
		report_run_params(&p, m, r->year, m->batch_ids, m->nbatch_ids);
		p.lens = CALC_LENS_GHG;
		rc = calc_run(l, &p, &sum, errs, e);
		errlist_free(errs);
		if (rc)
			return -1;
		out->run_id = sum.run_id;
		out->calculated = 1;
	}
	if (!(st = ledger_stmt(l, SQL_SUMS, e)))
		return -1;
	db_bind_int64(st, 1, out->run_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->scope1_mg = db_column_int64(st, 0);
		out->scope2_location_mg = db_column_int64(st, 1);
		out->scope2_market_mg = db_column_int64(st, 2);
		out->scope3_mg = db_column_int64(st, 3);
		out->upstream_mg = db_column_int64(st, 4);
		out->procurement_mg = db_column_int64(st, 5);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : ledger_fail(l, rc, "reading the run totals", e);
}

int
report_file_resolve(struct ledger *l, const struct report_file *f,
		    int64_t **ids, size_t *nids, report_note_fn *fn, void *ctx,
		    long *missing, struct err *e)
{
	const struct report_file_info *in = report_file_info(f);
	struct strbuf text = STRBUF_INIT;
	size_t i;
	int rc;

	*ids = calloc(in->nbatches + 1, sizeof **ids);
	*nids = 0;
	*missing = 0;
	if (!*ids)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < in->nbatches; i++) {
		const char *file, *sha, *kind;
		struct db_stmt *st = ledger_stmt(l, SQL_BATCH_SHA, e);
		if (!st)
			goto fail;
		report_file_batch(f, i, &file, &sha, &kind);
		ledger_bind_text(st, 1, sha);
		rc = db_step(st);
		if (rc == DB_ROW) {
			const char *rows = report_file_batch_rows(f, i);
			const char *have = (const char *)db_column_text(st, 1);
			(*ids)[(*nids)++] = db_column_int64(st, 0);
			if (rows && (!have || strcmp(rows, have) != 0)) {
				fn(ctx, strbuf_setf(&text, NOTE_REFUSED, "batch %lld (%s) has "
					"the report's file but other rows: rows_sha256 %s "
					"here, %s in the report",
					(long long)db_column_int64(st, 0), file,
					have ? have : "(none)", rows));
				(*missing)++;
			}
		}
		db_reset(st);
		if (rc == DB_DONE) {
			struct db_stmt *sn = ledger_stmt(l, SQL_BATCH_NAME, e);
			const char *note;
			if (!sn)
				goto fail;
			ledger_bind_text(sn, 1, file);
			ledger_bind_text(sn, 2, kind);
			if (db_step(sn) == DB_ROW)
				note = strbuf_setf(&text, NOTE_REFUSED, "changed batch: %s "
					"file '%s' (sha256 %s) is not in this ledger, but "
					"batch %lld of that name has sha256 %s: the file "
					"differs from the published one (import the published "
					"file; 'batch diff' then lists the rows that differ)",
					kind ? kind : "?", file, sha,
					(long long)db_column_int64(sn, 0),
					(const char *)db_column_text(sn, 1));
			else
				note = strbuf_setf(&text, NOTE_REFUSED, "missing batch: %s "
					"file '%s' (sha256 %s) is not in this ledger (import "
					"it)", kind ? kind : "?", file, sha);
			db_reset(sn);
			fn(ctx, note);
			(*missing)++;
		} else if (rc != DB_ROW) {
			ledger_fail(l, rc, "reading batches", e);
			goto fail;
		}
	}
	for (i = 0; i < in->nsets; i++) {
		const char *name, *version, *sha;
		struct db_stmt *st = ledger_stmt(l, SQL_SET_SHA, e);
		if (!st)
			goto fail;
		report_file_set(f, i, &name, &version, &sha);
		ledger_bind_text(st, 1, name);
		ledger_bind_text(st, 2, version);
		rc = db_step(st);
		if (rc == DB_DONE) {
			fn(ctx, strbuf_setf(&text, NOTE_REFUSED, "missing factor set: "
				"%s@%s (sha256 %s) is not registered (factors import it)",
				name, version, sha));
			(*missing)++;
		} else if (rc == DB_ROW) {
			const char *have = (const char *)db_column_text(st, 0);
			if (!have || strcmp(have, sha) != 0) {
				fn(ctx, strbuf_setf(&text, NOTE_REFUSED, "factor set %s@%s "
					"differs: sha256 %s here, %s in the report", name,
					version, have ? have : "?", sha));
				(*missing)++;
			}
		} else {
			db_reset(st);
			ledger_fail(l, rc, "reading factor sets", e);
			goto fail;
		}
		db_reset(st);
	}
	strbuf_release(&text);
	return 0;
fail:
	strbuf_release(&text);
	free(*ids);
	*ids = NULL;
	*nids = 0;
	return -1;
}

void
report_params(struct calc_params *p, int year, const struct factor_ref *refs,
	      size_t nrefs, const char *gwp, const char *region, const char *fallback,
	      const char *lens, const int64_t *ids, size_t nids)
{
	memset(p, 0, sizeof *p);
	p->year = year;
	p->factors = refs;
	p->nfactors = nrefs;
	p->gwp = gwp;
	p->region = region;
	p->fallback_previous = calc_fallback_parse(fallback) > 0 ? calc_fallback_parse(fallback) : 0;
	p->lens = lens && strcmp(lens, "bisko") == 0 ? CALC_LENS_BISKO : CALC_LENS_GHG;
	p->batches = ids;
	p->nbatches = nids;
}

void
report_run_params(struct calc_params *p, const struct report_model *m, int year,
		  const int64_t *ids, size_t nids)
{
	report_params(p, year, m->factor_refs, m->nfactor_refs, m->run.gwp,
		      m->run.region, m->run.fallback, m->run.lens, ids, nids);
}

int
report_build_with_previous(struct ledger *l, int64_t run_id, const char *org,
			   struct report_model **out, int64_t *prev_id, char *why,
			   size_t whylen, struct err *e)
{
	struct report_model *m = NULL;
	int64_t prev = 0;

	*out = NULL;
	if (report_build(l, run_id, 0, NULL, &m, e) ||
	    report_previous_run(l, m, &prev, why, whylen, e)) {
		report_free(m);
		return -1;
	}
	report_free(m);
	if (prev_id)
		*prev_id = prev;
	return report_build(l, run_id, prev, org, out, e);
}

int
report_year_run(struct ledger *l, int year, int64_t *run_id, int *calculated,
		struct errlist *errs, struct err *e)
{
	struct calc_params p = {.year = year};
	struct calc_summary sum;

	*calculated = 0;
	if (report_latest_run(l, year, run_id, e))
		return -1;
	if (*run_id > 0)
		return 0;
	if (calc_run(l, &p, &sum, errs, e))
		return -1;
	*run_id = sum.run_id;
	*calculated = 1;
	return 0;
}

/* ---- the list of runs, a calculation's summary ---- */

struct runs_list {
	struct report_emit *em;
	json_t *arr;
};

static int
run_line(void *ctx, const struct report_run_entry *r, struct err *e)
{
	struct runs_list *li = ctx;
	json_t *arr = li->arr;

	(void)e;
	if (arr) {
		json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?}",
				      "id", (json_int_t)r->id, "year", r->year, "gwp", r->gwp,
				      "region", r->region, "fallback", r->fallback,
				      "rows_used", (json_int_t)r->rows_used, "created_at",
				      r->created_at, "user", r->user, "results_sha256",
				      r->results_sha256);
		json_object_set_new(o, "factor_sets", json_loads(r->factor_sets ? r->factor_sets
									: "[]", 0, NULL));
		json_object_set_new(o, "batches", json_loads(r->batches ? r->batches : "[]",
							     0, NULL));
		json_object_set_new(o, "published", r->label
			? json_pack("{s:s, s:s?}", "label", r->label, "at", r->published_at)
			: json_null());
		json_array_append_new(arr, o);
		return 0;
	}
	report_emitf(li->em, "%5lld  %4d  %-4s  %-8s  %9ld  %-20s  %-10s  %s\n",
		     (long long)r->id,
	       r->year, r->gwp ? r->gwp : "", r->fallback ? r->fallback : "",
	       r->rows_used, r->created_at ? r->created_at : "",
	       r->user ? r->user : "-", r->label ? r->label : "");
	return 0;
}

int
report_runs_list(struct ledger *l, int json, report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct runs_list li = {&em, json ? json_array() : NULL};
	int rc;

	if (!json)
		report_emitf(&em, "%5s  %4s  %-4s  %-8s  %9s  %-20s  %-10s  %s\n", "run",
			     "year", "gwp", "fallback", "rows", "created", "user",
			     "published");
	if (!(rc = report_runs_each(l, run_line, &li, e)) && json) {
		report_emit_json(&em, li.arr, JSON_INDENT(2));
		report_emitf(&em, "\n");
	}
	json_decref(li.arr);
	report_emit_end(&em);
	return rc;
}

static const char *
kg3(int64_t mg, char *buf, size_t n)
{
	num_format(mg, 6, 3, buf, n);
	return buf;
}

static void
summary_text(struct report_emit *em, const struct calc_summary *s,
	     const struct calc_params *p)
{
	const struct calc_totals *t = &s->totals;
	char a[40];
	int64_t loc = calc_total_location(t), mkt = calc_total_market(t);

	report_emitf(em, "run %lld\n", (long long)s->run_id);
	report_emitf(em, "year %d, GWP %s, region %s, fallback %s\n", p->year,
	       p->gwp ? p->gwp : "AR5", p->region ? p->region : "DE-BE",
	       calc_fallback_name(p->fallback_previous));
	if (p->lens == CALC_LENS_BISKO)
		report_emitf(em, "lens bisko\n");
	report_emitf(em, "rows: %ld used, %ld excluded (%s), %ld extrapolated, %ld outside "
	       "the year\n", s->rows_used, s->rows_excluded,
	       p->lens == CALC_LENS_BISKO ? "procurement" : "CPV 09",
	       s->rows_extrapolated, s->rows_outside);
	report_emitf(em, "overlapping rows: %ld%s\n", s->rows_overlap,
	       s->rows_overlap ? " (loaded with --allow-overlap: counted twice?)" : "");
	report_emitf(em, "  %-32s %18s kg\n", "scope 1", kg3(t->scope1_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "scope 2 location-based",
	       kg3(t->scope2_location_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "scope 2 market-based",
	       kg3(t->scope2_market_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "scope 3", kg3(t->scope3_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "  of which upstream (cat. 3)",
	       kg3(t->upstream_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "total location-based", kg3(loc, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "total market-based", kg3(mkt, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "biogenic CO2 (outside scopes)",
	       kg3(t->biogenic_co2_mg, a, sizeof a));
	report_emitf(em, "  %-32s %18s kg\n", "market from location factors",
	       kg3(t->market_fallback_mg, a, sizeof a));
	report_emitf(em, "inputs_sha256  %s\nresults_sha256 %s\n", s->inputs_sha256,
	       s->results_sha256);
}

static void
summary_json(struct report_emit *em, const struct calc_summary *s,
	     const struct calc_params *p)
{
	json_t *tot = report_totals_json(&s->totals);
	json_t *o;

	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:s}", "run",
		      (json_int_t)s->run_id, "rows_used", (json_int_t)s->rows_used,
		      "rows_excluded", (json_int_t)s->rows_excluded,
		      "rows_extrapolated", (json_int_t)s->rows_extrapolated,
		      "rows_outside", (json_int_t)s->rows_outside,
		      "rows_overlap", (json_int_t)s->rows_overlap, "totals", tot,
		      "inputs_sha256", s->inputs_sha256, "results_sha256",
		      s->results_sha256);
	json_object_set_new(o, "lens", json_string(calc_lens_name(p->lens)));
	report_emit_json(em, o, JSON_INDENT(2));
	report_emitf(em, "\n");
	json_decref(o);
}

void
report_calc_summary_show(const struct calc_summary *s, const struct calc_params *p,
			 int json, report_note_fn *fn, void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};

	if (json)
		summary_json(&em, s, p);
	else
		summary_text(&em, s, p);
	report_emit_end(&em);
}
