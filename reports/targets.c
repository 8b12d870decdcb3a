/*
 * targets: what `targets list`, `targets show` and `targets progress` show
 * (report.h): the registered target-set versions, the targets of one
 * version, and the progress of a year per target and unit, as text (or, for
 * the progress, JSON) lines for the caller.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "base/strbuf.h"
#include "engine/calc.h"
#include "factors/targets.h"
#include "reports/report_int.h"

#define emitf report_emitf

/* "70 %" or "0 t" from micro-units; `unit` "t", "MWh" or "%". */
static void
amount(int64_t micro, const char *unit, char *buf, size_t n)
{
	char x[48];

	num_format(micro, 6, strcmp(unit, "%") == 0 ? 2 : 3, x, sizeof x);
	snprintf(buf, n, "%s %s", x, unit);
}

static const char *
metric_unit(enum target_metric m)
{
	return m == TARGET_MWH_FINAL ? "MWh" : m == TARGET_SHARE_CO2_FREE_VEHICLES ? "%"
									    : "t";
}

static int
list_one(void *ctx, const char *name, const char *version, const char *published,
	 const char *sha256, long ntargets, const char *imported_at, struct err *e)
{
	(void)e, (void)imported_at;
	emitf(ctx, "%-24s %-12s %-10s %7ld  %.16s\n", name, version, published, ntargets,
	      sha256);
	return 0;
}

int
report_targets_list(struct ledger *l, report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	int rc;

	emitf(&em, "%-24s %-12s %-10s %7s  %s\n", "name", "version", "published",
	      "targets", "sha256");
	rc = targets_list(l, list_one, &em, e);
	report_emit_end(&em);
	return rc;
}

static void
show(struct report_emit *em, const struct target_set *s)
{
	size_t i, k;
	char a[64];

	emitf(em, "target set %s@%s, published %s, sha256 %s\n", targets_name(s),
	      targets_version(s), targets_published(s), targets_sha256(s));
	for (i = 0; i < targets_count(s); i++) {
		const struct target *t = targets_at(s, i);
		const char *u = metric_unit(t->metric);
		emitf(em, "\n%s: %s\n", t->id, t->title);
		emitf(em, "  metric %s, lens %s, unit %s%s", target_metric_name(t->metric),
		      t->lens, t->unit, t->per_district ? " and each district" : "");
		for (k = 0; k < t->nsectors; k++)
			emitf(em, "%s%s", k ? ", " : "; sectors ", t->sectors[k]);
		emitf(em, "\n");
		if (t->base_computed) {
			emitf(em, "  base %d: computed from the ledger\n", t->base_year);
		} else {
			amount(t->base_value, u, a, sizeof a);
			emitf(em, "  base %d: %s\n", t->base_year, a);
		}
		for (k = 0; k < t->nmilestones; k++) {
			const struct target_milestone *m = &t->milestones[k];
			if (m->has_value)
				amount(m->value, u, a, sizeof a);
			else
				amount(m->reduction_pct, "%", a, sizeof a);
			emitf(em, "  %d: %s%s\n", m->year, m->has_value ? "" : "-", a);
		}
		emitf(em, "  source: %s%s%s\n", t->citation, t->url ? " " : "",
		      t->url ? t->url : "");
		if (t->notes)
			emitf(em, "  notes: %s\n", t->notes);
	}
}

int
report_targets_show(struct ledger *l, const char *spec, report_note_fn *fn, void *ctx,
		    struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	const char *at = strchr(spec, '@');
	struct target_set *s = NULL;
	char *name = strndup(spec, at ? (size_t)(at - spec) : strlen(spec));
	int rc;

	if (!name)
		return err_setf(e, ERR_IO, "out of memory");
	rc = targets_load(l, name, at ? at + 1 : NULL, &s, e);
	if (!rc)
		show(&em, s);
	report_emit_end(&em);
	targets_free(s);
	free(name);
	return rc;
}

static void
goal_line(struct report_emit *em, const struct report_goal *r)
{
	const char *u = metric_unit(r->target->metric);
	char b[64], cu[64], p[64], gp[64], nx[64], rq[64], pc[32];

	emitf(em, "  %-14s", r->code);
	if (r->why && !r->has_current) {
		if (r->has_base) {
			amount(r->base, u, b, sizeof b);
			emitf(em, " base %d %s, ", r->base_year, b);
			if (r->has_path) {
				amount(r->path, u, p, sizeof p);
				emitf(em, "path %s, ", p);
			}
			emitf(em, "no current value: ");
		}
		emitf(em, "%s\n", r->why);
		return;
	}
	amount(r->base, u, b, sizeof b);
	amount(r->current, u, cu, sizeof cu);
	amount(r->path, u, p, sizeof p);
	amount(r->gap, u, gp, sizeof gp);
	num_format(r->gap_pct_x100, 2, 2, pc, sizeof pc);
	amount(r->next_value, u, nx, sizeof nx);
	emitf(em, " base %d %s, current %s, path %s, gap %s (%s %% of base), %s\n",
	      r->base_year, b, cu, p, gp, pc, r->on_track ? "on track" : "off track");
	if (r->has_required) {
		amount(r->required, u, rq, sizeof rq);
		num_format(r->required_pct_x100, 2, 2, pc, sizeof pc);
		emitf(em, "  %-14s to reach %s by %d: reduce by %s a year (%s %% of now)\n",
		      "", nx, r->next_year, rq, pc);
	}
}

int
report_goals_show(struct ledger *l, int year, int fallback, int json,
		  report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct report_goals *g = NULL;
	size_t i, n;

	if (report_goals_build(l, year, fallback, &g, e))
		return -1;
	if (!report_goals_nsets(g)) {
		report_goals_free(g);
		return err_setf(e, ERR_DATA, "no target set is registered (import one: "
				"'co2ledger targets import targets/data/berlin.json')");
	}
	n = report_goals_count(g);
	if (json) {
		json_t *a = report_goals_json_value(g);
		report_emit_json(&em, a, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(a);
	} else {
		emitf(&em, "progress %d toward the registered targets (path: linear from "
		      "the base through the milestones%s%s)\n", year,
		      fallback ? "; factor fallback " : "",
		      fallback ? calc_fallback_name(fallback) : "");
	}
	for (i = 0; i < n && !json; i++) {
		const struct report_goal *r = report_goals_at(g, i);
		if (i == 0 || r->target != report_goals_at(g, i - 1)->target)
			emitf(&em, "\n%s (%s@%s): %s\n", r->target->id, r->set_name,
			      r->set_version, r->target->title);
		goal_line(&em, r);
	}
	report_emit_end(&em);
	report_goals_free(g);
	return 0;
}
