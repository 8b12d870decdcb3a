/*
 * batches: the import batches as `batch list` and `batch show` show them
 * (report.h, report_batch_list, report_batch_show), text or JSON, line by
 * line to the caller; a batch's rows stream one line at a time.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"
#include "importers/correct.h"
#include "importers/import.h"
#include "reports/report_int.h"

#define emitf report_emitf

static json_t *
batch_json(const struct import_batch *b)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:s?, "
			 "s:b, s:I}",
			 "id", (json_int_t)b->id, "kind", b->kind, "file", b->file,
			 "sha256", b->sha256, "profile", b->profile,
			 "rows_total", (json_int_t)b->rows_total,
			 "rows_loaded", (json_int_t)b->rows_loaded,
			 "rows_rejected", (json_int_t)b->rows_rejected,
			 "imported_at", b->imported_at, "status", b->status,
			 "superseded_by", b->superseded_by ? json_integer(b->superseded_by)
							  : json_null(),
			 "superseded_at", b->superseded_at[0] ? b->superseded_at : NULL,
			 "allow_overlap", b->allow_overlap,
			 "overlap_rows", (json_int_t)b->overlap_rows);
}

struct list {
	struct report_emit *em;
	json_t *arr;
};

static int
list_one(void *ctx, const struct import_batch *b)
{
	struct list *li = ctx;
	struct report_emit *em = li->em;

	if (li->arr) {
		json_array_append_new(li->arr, batch_json(b));
		return 0;
	}
	emitf(em, "%5lld  %-11s  %-10s  %8ld  %8ld  %s  %s", (long long)b->id, b->kind,
	       b->status, b->rows_loaded, b->rows_rejected, b->imported_at,
	       b->file);
	if (b->allow_overlap)
		emitf(em, "  (--allow-overlap: %ld overlapping row%s)", b->overlap_rows,
		       b->overlap_rows == 1 ? "" : "s");
	emitf(em, "\n");
	return 0;
}

/* An exact decimal without trailing zeros. */
static void
decimal(int64_t v, int scale, char *buf, size_t n)
{
	size_t len;

	num_format(v, scale, scale, buf, n);
	len = strlen(buf);
	while (len && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '.')
		buf[--len] = '\0';
}

struct show {
	struct report_emit *em;
	int json;
	long n;
};

static int
show_row(void *ctx, const struct import_row *r)
{
	struct show *s = ctx;
	struct report_emit *em = s->em;
	char a[11], b[11], q[32], sf[32];

	date_format(r->day_start, a);
	date_format(r->day_end, b);
	decimal(r->quantity, 6, q, sizeof q);
	if (r->has_supplier_factor)
		decimal(r->supplier_factor, 9, sf, sizeof sf);
	if (s->json) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, "
				      "s:s?, s:s?, s:s?, s:s?}",
				      "line", (json_int_t)r->line, "org", r->org,
				      "activity", r->key, "start", a, "end", b,
				      "quantity", q, "unit", r->unit,
				      "quality", import_quality_name(r->quality),
				      "tariff", r->tariff,
				      "supplier_factor", r->has_supplier_factor ? sf : NULL,
				      "ident", r->ident, "site", r->site,
				      "supplier", r->supplier, "description", r->description);
		emitf(em, "%s    ", s->n ? ",\n" : "");
		report_emit_json(em, o, JSON_COMPACT);
		json_decref(o);
	} else {
		emitf(em, "%6ld  %-16s  %-28s  %s  %s  %14s %-6s  %-10s", r->line,
		       r->org, r->key, a, b, q, r->unit,
		       import_quality_name(r->quality));
		if (r->ident)
			emitf(em, "  %s", r->ident);
		if (r->tariff)
			emitf(em, "  tariff=%s", r->tariff);
		if (r->has_supplier_factor)
			emitf(em, "  supplier_factor=%s", sf);
		if (r->supplier)
			emitf(em, "  %s", r->supplier);
		if (r->description)
			emitf(em, "  \"%s\"", r->description);
		emitf(em, "\n");
	}
	s->n++;
	return 0;
}

int
report_batch_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		  struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct list li = {&em, json ? json_array() : NULL};
	int rc;

	if (!json)
		emitf(&em, "%5s  %-11s  %-10s  %8s  %8s  %-20s  %s\n", "id", "kind",
		      "status", "rows", "rejected", "imported", "file");
	if (!(rc = import_batch_each(l, list_one, &li, e)) && json) {
		json_t *o = json_pack("{s:O}", "batches", li.arr);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	}
	json_decref(li.arr);
	report_emit_end(&em);
	return rc;
}

int
report_batch_show(struct ledger *l, int64_t id, int json, report_note_fn *fn,
		  void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct show s = {&em, json, 0};
	struct import_batch b;
	int rc;

	if (import_batch_get(l, id, &b, e))
		return -1;
	if (json) {
		json_t *o = batch_json(&b);
		emitf(&em, "{\n  \"batch\": ");
		report_emit_json(&em, o, JSON_COMPACT);
		emitf(&em, ",\n  \"rows\": [\n");
		json_decref(o);
		rc = import_batch_rows(l, id, show_row, &s, e);
		emitf(&em, "%s  ]\n}\n", s.n ? "\n" : "");
		report_emit_end(&em);
		return rc;
	}
	emitf(&em, "batch %lld: %s, %s, %ld rows loaded, %ld rejected of %ld\n"
	      "file %s (sha256 %s), profile %s, imported %s\n", (long long)b.id, b.kind,
	      b.status, b.rows_loaded, b.rows_rejected, b.rows_total, b.file, b.sha256,
	      b.profile, b.imported_at);
	if (b.allow_overlap)
		emitf(&em, "imported with --allow-overlap: %ld row%s repeat%s or overlap%s "
		      "rows counted before\n", b.overlap_rows, b.overlap_rows == 1 ? "" : "s",
		      b.overlap_rows == 1 ? "s" : "", b.overlap_rows == 1 ? "s" : "");
	if (b.superseded_at[0])
		emitf(&em, "superseded %s%s%.0lld\n", b.superseded_at,
		      b.superseded_by ? " by batch " : "", (long long)b.superseded_by);
	rc = import_batch_rows(l, id, show_row, &s, e);
	report_emit_end(&em);
	return rc;
}

struct diffout {
	struct report_emit *em;
	json_t *arr;
	const char *file;
};

static int
diff_one(void *ctx, long line, const char *field, const char *a, const char *b,
	 struct err *e)
{
	struct diffout *d = ctx;

	(void)e;
	if (d->arr) {
		json_array_append_new(d->arr, json_pack("{s:I, s:s?, s:s?, s:s?}", "line",
							(json_int_t)line, "field", field,
							"a", a, "b", b));
		return 0;
	}
	if (!field)
		emitf(d->em, "%s:%ld: only in %s: %s\n", d->file, line, a ? "A" : "B",
		      a ? a : b);
	else
		emitf(d->em, "%s:%ld: %s: %s -> %s\n", d->file, line, field, a, b);
	return 0;
}

int
report_batch_diff(struct ledger *l, int64_t a, int64_t b, int json,
		  report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct diffout d = {&em, NULL, NULL};
	struct import_batch ba, bb;
	long n;
	int rc = -1;

	if (import_batch_get(l, a, &ba, e) || import_batch_get(l, b, &bb, e))
		return -1;
	d.file = bb.file;
	if (json)
		d.arr = json_array();
	else
		emitf(&em, "batch %lld (%s, sha256 %.16s...) -> batch %lld (%s, sha256 "
		      "%.16s...)\n", (long long)a, ba.file, ba.sha256, (long long)b,
		      bb.file, bb.sha256);
	if (correct_diff(l, a, b, diff_one, &d, &n, e))
		goto out;
	if (d.arr) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:O}", "a", (json_int_t)a, "b",
				      (json_int_t)b, "differences", (json_int_t)n,
				      "rows", d.arr);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	} else {
		emitf(&em, "%ld difference%s\n", n, n == 1 ? "" : "s");
	}
	rc = 0;
out:
	report_emit_end(&em);
	json_decref(d.arr);
	return rc;
}

void
report_import_show(const char *file, const char *kind, const struct import_opts *o,
		   const struct import_result *res, int json, report_note_fn *fn,
		   void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};

	if (json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:s, s:s?, s:I}",
				      "batch", (json_int_t)res->batch,
				      "rows", (json_int_t)res->rows_loaded,
				      "rows_total", (json_int_t)res->rows_total,
				      "rejected", (json_int_t)res->rows_rejected,
				      "warnings", (json_int_t)res->warnings,
				      "dry_run", o->dry_run, "profile", res->profile,
				      "sha256", res->sha256,
				      "rejects", res->rejects,
				      "overlap_rows", (json_int_t)res->overlap_rows);
		report_emit_json(&em, j, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(j);
	} else if (o->dry_run) {
		emitf(&em, "dry run: %s would be batch %lld: %ld row%s valid, %ld rejected, "
		      "%ld warning%s (profile %s); nothing was written\n", file,
		      (long long)res->batch, res->rows_loaded, res->rows_loaded == 1 ? "" : "s",
		      res->rows_rejected, res->warnings, res->warnings == 1 ? "" : "s",
		      res->profile);
	} else {
		emitf(&em, "batch %lld: %s, %ld row%s loaded, %ld rejected, %ld warning%s "
		      "(%s, profile %s)\n", (long long)res->batch, kind, res->rows_loaded,
		      res->rows_loaded == 1 ? "" : "s", res->rows_rejected, res->warnings,
		      res->warnings == 1 ? "" : "s", file, res->profile);
		if (o->replace)
			emitf(&em, "batch %lld is superseded by batch %lld\n",
			      (long long)o->replace, (long long)res->batch);
		if (o->allow_overlap)
			emitf(&em, "batch %lld holds %ld row%s that repeat%s or overlap%s "
			      "rows counted before (--allow-overlap)\n", (long long)res->batch,
			      res->overlap_rows, res->overlap_rows == 1 ? "" : "s",
			      res->overlap_rows == 1 ? "s" : "", res->overlap_rows == 1 ? "s" : "");
	}
	report_emit_end(&em);
}

void
report_correct_show(const struct correct_opts *o, const struct correct_result *r,
		    int json, report_note_fn *fn, void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};

	if (json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s?, s:s, s:s}", "batch",
				      (json_int_t)r->batch, "corrects", (json_int_t)o->batch,
				      "line", (json_int_t)o->line, "action",
				      o->void_row ? "void" : "set", "old", r->old_value,
				      "new", o->void_row ? NULL : r->new_value,
				      "reason", o->reason, "rows_sha256", r->rows_sha256);
		report_emit_json(&em, j, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(j);
	} else {
		if (o->void_row)
			emitf(&em, "%s:%ld voided (quantity was %s)", r->file, o->line,
			      r->old_value);
		else
			emitf(&em, "%s:%ld %s: %s -> %s", r->file, o->line, o->field,
			      r->old_value, r->new_value);
		emitf(&em, ": batch %lld (%ld rows) supersedes batch %lld, whose rows stay "
		      "as imported\n", (long long)r->batch, r->rows, (long long)o->batch);
	}
	report_emit_end(&em);
}
