/*
 * outdated: the notice report, compare and verify give when a run's input
 * batches were superseded, removed or corrected since it was calculated:
 * which batches, which rows differ, and which figures would change by how
 * much (reports/report.h, importers/correct.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/correct.h"
#include "reports/report.h"

struct out {
	cli_line_fn *fn;
	void *ctx;
	const char *file;
	long shown;
};

#define MAX_LINES 50 /* rows and figures listed each; the rest is counted */

static int
row_line(void *ctx, long line, const char *field, const char *a, const char *b,
	 struct err *e)
{
	struct out *o = ctx;
	char text[900];

	(void)e;
	if (o->shown++ >= MAX_LINES)
		return 0;
	if (!field)
		snprintf(text, sizeof text, "  %s:%ld: %s %s", o->file, line,
			 a ? "no longer there:" : "new:", a ? a : b);
	else
		snprintf(text, sizeof text, "  %s:%ld: %s %s -> %s", o->file, line, field,
			 a, b);
	o->fn(o->ctx, text);
	return 0;
}

static void
figure_line(void *ctx, const char *path, const char *was, const char *now)
{
	struct out *o = ctx;
	char text[900], delta[64] = "";
	char *ea, *eb;
	double x = strtod(was, &ea), y = strtod(now, &eb);

	if (o->shown++ >= MAX_LINES)
		return;
	if (*was && *now && !*ea && !*eb)
		snprintf(delta, sizeof delta, " (%+.3f)", y - x);
	snprintf(text, sizeof text, "  %s: %s -> %s%s", path, was, now, delta);
	o->fn(o->ctx, text);
}

int
cli_outdated(struct ledger *l, const struct report_model *m, const char *subject,
	     cli_line_fn *fn, void *ctx, int *outdated, struct err *e)
{
	struct report_outdated od;
	struct out o = {fn, ctx, NULL, 0};
	char text[900];
	size_t i;
	long n;

	*outdated = 0;
	if (report_outdated_check(l, m, &od, e))
		return -1;
	if (!od.n) {
		report_outdated_free(&od);
		return 0;
	}
	*outdated = 1;
	if (subject)
		snprintf(text, sizeof text, "outdated: %s uses input files that were "
			 "changed since:", subject);
	else if (od.published)
		snprintf(text, sizeof text, "outdated: run %lld, published as '%s' on %s, "
			 "uses input files that were changed since:",
			 (long long)report_run_info(m)->id, od.label, od.published_at);
	else
		snprintf(text, sizeof text, "outdated: run %lld uses input files that "
			 "were changed since:", (long long)report_run_info(m)->id);
	fn(ctx, text);
	for (i = 0; i < od.n; i++) {
		const struct report_successor *s = &od.v[i];
		if (!s->new_id) {
			snprintf(text, sizeof text, "batch %lld (%s) was removed",
				 (long long)s->old_id, s->file ? s->file : "?");
			fn(ctx, text);
			continue;
		}
		snprintf(text, sizeof text, "batch %lld (%s) is superseded by batch %lld; "
			 "rows that differ:", (long long)s->old_id, s->file ? s->file : "?",
			 (long long)s->new_id);
		fn(ctx, text);
		o.file = s->file ? s->file : "?";
		o.shown = 0;
		if (correct_diff(l, s->old_id, s->new_id, row_line, &o, &n, e)) {
			report_outdated_free(&od);
			return -1;
		}
		if (n > MAX_LINES) {
			snprintf(text, sizeof text, "  ... and %ld more", n - MAX_LINES);
			fn(ctx, text);
		}
	}
	if (od.now) {
		fn(ctx, "figures that would change:");
		o.shown = 0;
		report_model_compare(m, od.now, figure_line, &o, &n);
		if (n > MAX_LINES) {
			snprintf(text, sizeof text, "  ... and %ld more", n - MAX_LINES);
			fn(ctx, text);
		}
		if (!n)
			fn(ctx, "  none");
	} else {
		snprintf(text, sizeof text, "the figures cannot be recalculated: %s", od.why);
		fn(ctx, text);
	}
	report_outdated_free(&od);
	return 0;
}
