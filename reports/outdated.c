/*
 * outdated: the notice report, compare and verify give when a run's input
 * batches were superseded, removed or corrected since it was calculated
 * (report.h, report_outdated_notice): which batches, which rows differ, and
 * which figures would change by how much (importers/correct.h); and the
 * same comparison between two stored runs (report_runs_diff).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "importers/correct.h"
#include "reports/report_int.h"

struct out {
	report_note_fn *fn;
	void *ctx;
	const char *file;
	long shown, max;
	const char *gone, *added; /* row only in the first, only in the second */
};

#define MAX_LINES 50 /* rows and figures listed each; the rest is counted */

void
report_say(report_note_fn *fn, void *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fn(ctx, sb.buf && !sb.failed ? sb.buf : "(out of memory)");
	strbuf_release(&sb);
}

static void
emit_lines(struct report_emit *em, int all)
{
	char *start = em->sb.buf, *nl;

	if (!start)
		return;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		em->fn(em->ctx, start);
		start = nl + 1;
	}
	if (all && *start)
		em->fn(em->ctx, start);
	if (all || !*start) {
		strbuf_reset(&em->sb);
	} else if (start != em->sb.buf) {
		size_t rest = strlen(start);
		memmove(em->sb.buf, start, rest + 1);
		strbuf_setlen(&em->sb, rest);
	}
}

void
report_emitf(struct report_emit *em, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&em->sb, fmt, ap);
	va_end(ap);
	if (em->sb.failed) {
		em->fn(em->ctx, "(out of memory)");
		strbuf_reset(&em->sb);
		em->sb.failed = 0;
		return;
	}
	if (strchr(em->sb.buf, '\n'))
		emit_lines(em, 0);
}

void
report_emit_json(struct report_emit *em, const json_t *v, size_t flags)
{
	char *t = json_dumps(v, flags | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));

	report_emitf(em, "%s", t ? t : "null");
	free(t);
}

void
report_emit_end(struct report_emit *em)
{
	emit_lines(em, 1);
	strbuf_release(&em->sb);
}

char *
report_esc(const char *s)
{
	size_t n = text_escape(s, TEXT_ESC_TERMINAL, NULL, 0) + 1;
	char *p = malloc(n);

	if (p)
		text_escape(s, TEXT_ESC_TERMINAL, p, n);
	return p;
}

void
report_emit_col(struct report_emit *em, const char *s, int width)
{
	char *esc = report_esc(s);
	const char *p;
	int n = 0;

	s = esc ? esc : "(out of memory)";
	p = s;
	while (*p && n < width) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		n++;
	}
	report_emitf(em, "%.*s%*s", (int)(p - s), s, width - n, "");
	free(esc);
}

#define say(o, ...) report_say((o)->fn, (o)->ctx, __VA_ARGS__)

static int
row_line(void *ctx, long line, const char *field, const char *a, const char *b,
	 struct err *e)
{
	struct out *o = ctx;

	(void)e;
	if (o->shown++ >= o->max)
		return 0;
	if (!field)
		say(o, "  %s:%ld: %s %s", o->file, line, a ? o->gone : o->added, a ? a : b);
	else
		say(o, "  %s:%ld: %s %s -> %s", o->file, line, field, a, b);
	return 0;
}

static void
figure_line(void *ctx, const char *path, const char *was, const char *now)
{
	struct out *o = ctx;
	char delta[64] = "";
	char *ea, *eb;
	double x = strtod(was, &ea), y = strtod(now, &eb);

	if (o->shown++ >= o->max)
		return;
	if (*was && *now && !*ea && !*eb)
		snprintf(delta, sizeof delta, " (%+.3f)", y - x);
	say(o, "  %s: %s -> %s%s", path, was, now, delta);
}

int
report_outdated_notice(struct ledger *l, const struct report_model *m,
		       const char *subject, report_note_fn *fn, void *ctx,
		       int *outdated, struct err *e)
{
	struct report_outdated od;
	struct out o = {fn, ctx, NULL, 0, MAX_LINES, "no longer there:", "new:"};
	long long id = (long long)report_run_info(m)->id;
	size_t i;
	long n;
	int rc = -1;

	*outdated = 0;
	if (report_outdated_check(l, m, &od, e))
		return -1;
	if (!od.n) {
		report_outdated_free(&od);
		return 0;
	}
	*outdated = 1;
	if (subject)
		say(&o, "outdated: %s uses input files that were changed since:", subject);
	else if (od.published)
		say(&o, "outdated: run %lld, published as '%s' on %s, uses input files "
		    "that were changed since:", id, od.label, od.published_at);
	else
		say(&o, "outdated: run %lld uses input files that were changed since:", id);
	for (i = 0; i < od.n; i++) {
		const struct report_successor *s = &od.v[i];
		o.file = s->file ? s->file : "?";
		if (!s->new_id) {
			say(&o, "batch %lld (%s) was removed", (long long)s->old_id, o.file);
			continue;
		}
		say(&o, "batch %lld (%s) is superseded by batch %lld; rows that differ:",
		    (long long)s->old_id, o.file, (long long)s->new_id);
		o.shown = 0;
		if (correct_diff(l, s->old_id, s->new_id, row_line, &o, &n, e))
			goto out;
		if (n > MAX_LINES)
			say(&o, "  ... and %ld more", n - MAX_LINES);
	}
	if (od.now) {
		fn(ctx, "figures that would change:");
		o.shown = 0;
		report_model_compare(m, od.now, figure_line, &o, &n);
		if (n > MAX_LINES)
			say(&o, "  ... and %ld more", n - MAX_LINES);
		if (!n)
			fn(ctx, "  none");
	} else {
		say(&o, "the figures cannot be recalculated: %s", od.why);
	}
	rc = 0;
out:
	report_outdated_free(&od);
	return rc;
}

/* The model of a stored run with its previous year (calculated in memory
 * when needed). */
static int
run_model(struct ledger *l, int64_t id, struct report_model **m, struct err *e)
{
	char why[600];

	return report_build_with_previous(l, id, NULL, m, NULL, why, sizeof why, e);
}

static const char *
jstr_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long
jid(json_t *o)
{
	return (long long)json_integer_value(json_object_get(o, "id"));
}

/* The batches of run a (x) against those of run b: the same file (sha256),
 * another version of it (file and kind), or only in a. */
static int
diff_inputs(struct ledger *l, json_t *ba, json_t *bb, long long ida, long long idb,
	    struct out *o, long *n, struct err *e)
{
	size_t i, j;
	json_t *x, *y;
	long rows;

	json_array_foreach(ba, i, x) {
		const char *sha = jstr_of(x, "sha256"), *file = jstr_of(x, "file");
		const char *kind = jstr_of(x, "kind");
		json_t *same = NULL, *name = NULL;
		json_array_foreach(bb, j, y) {
			const char *s2 = jstr_of(y, "sha256"), *f2 = jstr_of(y, "file");
			const char *k2 = jstr_of(y, "kind");
			if (sha && s2 && strcmp(sha, s2) == 0)
				same = y;
			else if (file && f2 && kind && k2 && !strcmp(file, f2) && !strcmp(kind, k2))
				name = y;
		}
		if (same)
			continue;
		(*n)++;
		if (!name) {
			say(o, "  only in run %lld: batch %lld (%s)", ida, jid(x), file);
			continue;
		}
		say(o, "  %s: batch %lld -> batch %lld, rows that differ:", file, jid(x),
		    jid(name));
		o->file = file;
		if (correct_diff(l, jid(x), jid(name), row_line, o, &rows, e))
			return -1;
	}
	json_array_foreach(bb, j, y) {
		const char *s2 = jstr_of(y, "sha256"), *f2 = jstr_of(y, "file");
		int found = 0;
		json_array_foreach(ba, i, x) {
			const char *sha = jstr_of(x, "sha256"), *file = jstr_of(x, "file");
			if ((sha && s2 && !strcmp(sha, s2)) || (file && f2 && !strcmp(file, f2)))
				found = 1;
		}
		if (!found) {
			(*n)++;
			say(o, "  only in run %lld: batch %lld (%s)", idb, jid(y), f2);
		}
	}
	return 0;
}

int
report_runs_diff(struct ledger *l, int64_t a, int64_t b, report_note_fn *fn, void *ctx,
		 struct err *e)
{
	struct report_model *ma = NULL, *mb = NULL;
	struct out o = {fn, ctx, NULL, 0, LONG_MAX, "only in A:", "only in B:"};
	json_t *ba = NULL, *bb = NULL;
	long n = 0;
	int rc = -1;

	if (run_model(l, a, &ma, e) || run_model(l, b, &mb, e))
		goto out;
	ba = json_loads(report_run_info(ma)->batches, 0, NULL);
	bb = json_loads(report_run_info(mb)->batches, 0, NULL);
	say(&o, "run %lld -> run %lld", (long long)a, (long long)b);
	fn(ctx, "input files:");
	if (diff_inputs(l, ba, bb, (long long)a, (long long)b, &o, &n, e))
		goto out;
	if (!n)
		fn(ctx, "  the same");
	fn(ctx, "figures:");
	report_model_compare(ma, mb, figure_line, &o, &n);
	if (!n)
		fn(ctx, "  the same");
	rc = 0;
out:
	json_decref(ba);
	json_decref(bb);
	report_free(ma);
	report_free(mb);
	return rc;
}
