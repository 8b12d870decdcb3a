/*
 * verify: re-running a published report against the ledger at hand
 * (report.h, report_verify). The file's own numbers against its
 * results_sha256; the ledger's integrity as `audit check` does
 * (engine/integrity.h) and the audit head the report was published with;
 * the organisation tree and statistics (org_sha256); the report's batches
 * and factor sets found by their hashes; a run restricted to exactly those
 * batches calculated with the report's parameters, its balance rebuilt and
 * compared figure by figure; and whether its inputs changed since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calc.h"
#include "engine/integrity.h"
#include "reports/completeness.h"
#include "reports/report_int.h"
#include "store/audit.h"

struct notes {
	report_note_fn *fn;
	void *ctx;
};

static void
on_integrity(void *ctx, int problem, const char *text)
{
	struct notes *n = ctx;

	report_say(n->fn, n->ctx, "%s%s", problem ? "ledger altered: " : "note: ", text);
}

/* The audit head the report was published with must still be in the log:
 * a shorter log or another entry at that place means entries were deleted
 * or rewritten. A ledger whose first entry differs is another ledger (an
 * auditor's own): then the head cannot be checked, which is said. */
static int
check_head(struct ledger *l, const struct report_file_info *in, report_note_fn *fn,
	   void *ctx, int *bad, struct err *e)
{
	char head[65], first[65];
	long entries;
	int found;

	*bad = 0;
	if (!in->audit_head) {
		fn(ctx, "note: the report records no audit head (written by an older "
		   "co2ledger): deleted audit entries cannot be detected");
		return 0;
	}
	if (audit_head(l, &entries, head, first, e))
		return -1;
	if (strcmp(first, in->audit_first) != 0) {
		report_say(fn, ctx, "note: this is another ledger than the one the report "
			   "was published from (its audit log starts with another "
			   "entry), so the report's audit head (%ld entries) is not "
			   "checked here", in->audit_entries);
		return 0;
	}
	if (entries < in->audit_entries) {
		*bad = 1;
		report_say(fn, ctx, "audit log too short: the report was published with "
			   "%ld audit entries, this ledger has %ld: entries were deleted",
			   in->audit_entries, entries);
		return 0;
	}
	if (audit_has(l, in->audit_entries, in->audit_head, &found, e))
		return -1;
	if (found != 1) {
		*bad = 1;
		report_say(fn, ctx, "audit log rewritten: entry %ld is not the head the "
			   "report was published with", in->audit_entries);
	}
	return 0;
}

/* Calculate the report's run over `ids` in memory and compare. */
static int
recompute(struct ledger *l, const struct report_file *rf, const int64_t *ids,
	  size_t nids, report_note_fn *note, report_diff_fn *diff, void *ctx,
	  struct errlist *errs, struct report_verify *r, struct err *e)
{
	const struct report_file_info *in = report_file_info(rf);
	struct calc_params p;
	struct calc_summary sum;
	struct report_model *m = NULL;
	char why[600];
	int rc = -1;

	report_params(&p, in->year, in->factors, in->nsets, in->gwp, in->region,
		      in->fallback, in->lens, ids, nids);
	if (calc_run(l, &p, &sum, errs, e) ||
	    report_build_with_previous(l, sum.run_id, in->org, &m, NULL, why, sizeof why, e) ||
	    report_disclose(l, m, e))
		goto out;
	/* ranks and changes the report left out for incomplete units */
	report_completeness_apply_file(m, rf);
	r->matched = report_file_compare(rf, m, diff, ctx, &r->differences);
	/* the report is right for its inputs; say when they changed since */
	rc = report_outdated_notice(l, m, "the report", note, ctx, &r->outdated, e);
out:
	report_free(m);
	return rc;
}

int
report_verify(struct ledger *l, const struct report_file *rf, report_note_fn *note,
	      report_diff_fn *diff, void *ctx, struct errlist *errs,
	      struct report_verify *r, struct err *e)
{
	const struct report_file_info *in = report_file_info(rf);
	struct notes n = {note, ctx};
	struct integrity_result ir;
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	/* 1. the file's own numbers against its results_sha256 */
	if (!in->results_sha256 || strcmp(in->results_sha256, in->actual_sha256) != 0) {
		r->altered = 1;
		report_say(note, ctx, "the report file was altered: its numbers hash to "
			   "%s, its provenance says results_sha256 %s", in->actual_sha256,
			   in->results_sha256 ? in->results_sha256 : "(none)");
	}
	/* 2. the ledger: row hashes, audit chain, audit entries both ways, the
	 * head the report was published with, the tree and statistics */
	if (integrity_check(l, on_integrity, &n, &ir, e) ||
	    check_head(l, in, note, ctx, &r->head_lost, e))
		goto out;
	r->ledger_altered = ir.problems != 0;
	r->audit_entries = ir.entries;
	r->rows = ir.rows;
	if (in->org_sha256) {
		char org[65];
		if (org_sha256(l, in->year, org, e))
			goto out;
		if ((r->org_differs = strcmp(org, in->org_sha256) != 0))
			report_say(note, ctx, "organisation differs: the tree and the "
				   "statistics for %d hash to %s here, org_sha256 %s in "
				   "the report", in->year, org, in->org_sha256);
	}
	/* 3. the inputs; 4. re-run (in memory) and compare */
	if (report_file_resolve(l, rf, &ids, &nids, note, ctx, &r->missing, e) ||
	    (!r->missing && recompute(l, rf, ids, nids, note, diff, ctx, errs, r, e)))
		goto out;
	r->batches = nids;
	r->ok = !r->altered && !r->missing && !r->differences && !r->ledger_altered &&
		!r->head_lost && !r->org_differs;
	rc = 0;
out:
	free(ids);
	return rc;
}

/* ---- what `verify` shows ---- */

struct findings {
	struct report_emit *em;
	json_t *diffs;   /* [{path, report, recomputed}] */
	json_t *notes;   /* missing inputs, alteration, audit */
	int json;
	int year;
};

static void
on_note(void *ctx, const char *text)
{
	struct findings *f = ctx;

	json_array_append_new(f->notes, json_string(text));
	if (!f->json)
		report_emitf(f->em, "%s\n", text);
}

/* "243977" -> "243,977"; other text as it is. */
static const char *
grouped(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s);

	if (len == 0 || strspn(s, "0123456789") != len)
		snprintf(buf, n, "%s", s);
	else
		report_grouped(s, buf, n);
	return buf;
}

static void
on_diff(void *ctx, const char *path, const char *reported, const char *recomputed)
{
	static const char *const STAT[][2] = {{"population", "population"},
		{"employees", "employees"}, {"floor_area_m2", "floor area (m2)"}};
	struct findings *f = ctx;
	const char *dot = strrchr(path, '.');
	size_t k;

	json_array_append_new(f->diffs, json_pack("{s:s, s:s, s:s}", "path", path,
						  "report", reported,
						  "recomputed", recomputed));
	if (f->json)
		return;
	/* a changed statistic, named as such: units[CODE].population */
	for (k = 0; dot && strncmp(path, "units[", 6) == 0 && k < 3; k++)
		if (strcmp(dot + 1, STAT[k][0]) == 0) {
			char a[64], b[64];
			report_emitf(f->em, "differs: %s of %.*s %d: report %s, ledger %s\n",
				     STAT[k][1], (int)(dot - 1 - (path + 6)), path + 6, f->year,
				     grouped(reported, a, sizeof a),
				     grouped(recomputed, b, sizeof b));
			return;
		}
	report_emitf(f->em, "differs: %s: report %s, recomputed %s\n", path, reported,
		     recomputed);
}

int
report_verify_show(struct ledger *l, const struct report_file *rf, const char *path,
		   int json, report_note_fn *fn, void *ctx, struct errlist *errs,
		   struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	const struct report_file_info *in = report_file_info(rf);
	struct findings fd = {&em, json_array(), json_array(), json, in->year};
	struct report_verify r;
	int rc = -1;

	if (report_verify(l, rf, on_note, on_diff, &fd, errs, &r, e))
		goto fail;
	if (json) {
		json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:b, s:b, s:I, s:b, s:b, s:O, s:O}",
				      "report", path, "ok", r.ok,
				      "matched", (json_int_t)r.matched,
				      "differences", (json_int_t)r.differences,
				      "altered", r.altered,
				      "audit_intact", !r.ledger_altered && !r.head_lost,
				      "audit_entries", (json_int_t)r.audit_entries,
				      "organisation_matches", !r.org_differs,
				      "outdated", r.outdated, "difference_list", fd.diffs,
				      "problems", fd.notes);
		report_emit_json(&em, o, JSON_INDENT(2));
		report_emitf(&em, "\n");
		json_decref(o);
	}
	if (r.ok) {
		if (!json)
			report_emitf(&em, "%s: verified: %ld numbers match (recomputed in "
				     "memory from %zu batch%s, %ld rows matching their row "
				     "hashes, and %zu factor set%s); audit log intact (%ld "
				     "entries)\n", path, r.matched, r.batches,
				     r.batches == 1 ? "" : "es", r.rows, in->nsets,
				     in->nsets == 1 ? "" : "s", r.audit_entries);
		rc = 0;
		goto out;
	}
	if (!json && !r.missing)
		report_emitf(&em, "%ld numbers match, %ld differ\n", r.matched,
			     r.differences);
	err_set(e, ERR_DATA, path, 0, 0, "verification failed: %s%s%s%s%s%s",
		r.altered ? "the file was altered; " : "",
		r.missing ? "inputs are missing or differ; " : "",
		r.differences ? "numbers differ; " : "",
		r.ledger_altered ? "the ledger was altered; " : "",
		r.head_lost ? "the audit log lost entries since publication; " : "",
		r.org_differs ? "the organisation or its statistics changed; " : "");
	/* drop the trailing "; " */
	e->text[strlen(e->text) - 2] = '\0';
	rc = 1;
fail:
	/* what the report asks for is data here, not the command line */
	if (e->kind == ERR_USAGE)
		e->kind = ERR_DATA;
	if (!e->file[0])
		snprintf(e->file, sizeof e->file, "%s", path);
out:
	report_emit_end(&em);
	json_decref(fd.diffs);
	json_decref(fd.notes);
	return rc;
}
