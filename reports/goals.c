/*
 * goals: progress toward the registered targets (factors/targets.h) in one
 * year: per target and for its unit (and each district below it when the
 * target says per_district), the base, the current value, the value of
 * the linear path for the year, the gap, the average reduction per year
 * still needed to reach the next milestone, and whether the unit is on
 * track. Every figure is exact: micro-units of the target's metric (grams
 * for tonnes, Wh for MWh), rounded half away from zero once.
 *
 * The base and current years are calculated in memory with the default
 * method (every registered factor set, newest version, AR5) and the
 * caller's fallback policy (strict unless asked), like report without
 * --run; the ledger must be a scratch ledger.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calc.h"
#include "factors/targets.h"
#include "base/num.h"
#include "reports/report_int.h"

typedef __int128 i128;

struct year_model {
	int year;
	int state;      /* 0 not tried, 1 built, -1 cannot be calculated */
	char why[600];
	struct report_model *m;
	long rows;
};

struct report_goals {
	int year;
	int fallback;   /* CALC_FALLBACK_* of every year calculated */
	struct target_set **sets;
	size_t nsets;
	struct report_goal *v;
	size_t n, cap;
	struct year_model *ym;
	size_t nym, capym;
};

static int64_t
rdiv(i128 num, i128 den)
{
	i128 q, r;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	q = num / den;
	r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return (int64_t)q;
}

int64_t
report_goal_path(int base_year, int64_t base, const int *years,
		 const int64_t *values, size_t n, int year)
{
	int ya = base_year;
	int64_t va = base;
	size_t i;

	if (year <= base_year)
		return base;
	for (i = 0; i < n; i++) {
		if (year <= years[i])
			return va + rdiv((i128)(values[i] - va) * (year - ya), years[i] - ya);
		ya = years[i];
		va = values[i];
	}
	return va;
}

int64_t
report_goal_required(int64_t current, int64_t target, int year, int target_year)
{
	if (target_year <= year)
		return 0;
	return rdiv((i128)current - target, target_year - year);
}

int64_t
report_goal_of_base(int64_t base, int64_t reduction_pct)
{
	return rdiv((i128)base * (100000000 - reduction_pct), 100000000);
}

static struct year_model *
year_model(struct ledger *l, struct report_goals *g, int year, struct err *e)
{
	struct year_model *y;
	size_t i;

	for (i = 0; i < g->nym; i++)
		if (g->ym[i].year == year)
			return &g->ym[i];
	if (g->nym == g->capym) {
		size_t nc = g->capym ? 2 * g->capym : 8;
		struct year_model *p = realloc(g->ym, nc * sizeof *p);
		if (!p) {
			err_setf(e, ERR_IO, "out of memory");
			return NULL;
		}
		g->ym = p;
		g->capym = nc;
	}
	y = &g->ym[g->nym++];
	memset(y, 0, sizeof *y);
	y->year = year;
	{
		struct calc_params p = {.year = year, .fallback_previous = g->fallback};
		struct calc_summary s;
		struct errlist *errs = errlist_new();
		struct err ce;
		err_clear(&ce);
		if (!errs) {
			err_setf(e, ERR_IO, "out of memory");
			return NULL;
		}
		if (calc_run(l, &p, &s, errs, &ce)) {
			if (ce.kind == ERR_IO) {
				*e = ce;
				errlist_free(errs);
				return NULL;
			}
			y->state = -1;
			snprintf(y->why, sizeof y->why, "%d cannot be calculated: %s", year,
				 errs->n ? errs->items[0].text : ce.text);
			errlist_free(errs);
			return y;
		}
		errlist_free(errs);
		if (report_build(l, s.run_id, 0, NULL, &y->m, e))
			return NULL;
		y->rows = s.rows_used;
		y->state = 1;
		if (!s.rows_used) {
			y->state = -1;
			snprintf(y->why, sizeof y->why, "no data for %d in the ledger", year);
		}
	}
	return y;
}

/* The figures of `code` in m: the state (whole tree) or a reporting unit. */
static const struct report_figures *
figures_of(const struct report_model *m, const char *code, const char **name)
{
	size_t i;

	if (m->state_code && strcmp(m->state_code, code) == 0) {
		*name = m->state_name;
		return &m->all;
	}
	for (i = 0; i < m->nunits; i++)
		if (strcmp(m->units[i].code, code) == 0) {
			*name = m->units[i].name;
			return &m->units[i].f;
		}
	return NULL;
}

/* The target's metric of `f` in micro-units (g or Wh); -1 with why. */
static int
measure(const struct target *t, const struct report_model *m,
	const struct report_figures *f, int64_t *out, const char **why)
{
	int64_t sum = 0;
	int i, use[REPORT_NSECTORS] = {0};
	size_t k;

	for (k = 0; k < t->nsectors; k++)
		for (i = 0; i < REPORT_NSECTORS; i++)
			if (strcmp(t->sectors[k], report_sector_key(i)) == 0)
				use[i] = 1;
	for (i = 0; i < REPORT_NSECTORS; i++)
		if (!t->nsectors)
			use[i] = 1;
	switch (t->metric) {
	case TARGET_T_CO2E:
		for (i = 0; i < REPORT_NSECTORS; i++)
			if (use[i])
				sum += strcmp(t->lens, "market") == 0 ? f->sector[i].market_mg
								       : f->sector[i].location_mg;
		*out = num_round_shift(sum, 3); /* mg -> g */
		return 0;
	case TARGET_MWH_FINAL:
		if (!report_energy_known(m)) {
			*why = "the run has no final energy stored";
			return -1;
		}
		for (i = 0; i < REPORT_NSECTORS; i++)
			if (use[i])
				sum += f->sector_energy[i].ukwh;
		*out = num_round_shift(sum, 3); /* micro-kWh -> Wh (micro-MWh) */
		return 0;
	case TARGET_T_CO2:
		*why = "a territorial CO2 balance is not in the ledger (it holds the "
		       "administration's inventory)";
		return -1;
	default:
		*why = "the ledger has no vehicle register";
		return -1;
	}
}

static int
add_row(struct report_goals *g, const struct report_goal *r, struct err *e)
{
	if (g->n == g->cap) {
		size_t nc = g->cap ? 2 * g->cap : 16;
		struct report_goal *p = realloc(g->v, nc * sizeof *p);
		if (!p)
			return err_setf(e, ERR_IO, "out of memory");
		g->v = p;
		g->cap = nc;
	}
	g->v[g->n] = *r;
	/* the reason is copied: it may point into r or a year's buffer;
	 * the pointer is set once the array no longer moves */
	snprintf(g->v[g->n].whybuf, sizeof g->v[g->n].whybuf, "%s", r->why ? r->why : "");
	g->v[g->n++].why = NULL;
	return 0;
}

static int
one(struct ledger *l, struct report_goals *g, const struct target_set *s,
    const struct target *t, const char *code, int district, struct err *e)
{
	struct report_goal r;
	struct year_model *cy, *by = NULL;
	const struct report_figures *f;
	int years[32];
	int64_t values[32];
	size_t i, n = t->nmilestones < 32 ? t->nmilestones : 32;

	memset(&r, 0, sizeof r);
	r.set_name = targets_name(s);
	r.set_version = targets_version(s);
	r.target = t;
	r.code = code;
	r.name = code;
	r.year = g->year;
	r.base_year = t->base_year;
	if (!(cy = year_model(l, g, g->year, e)))
		return -1;
	/* base */
	if (!t->base_computed) {
		if (district) {
			r.why = "the base value is given for the target's unit only";
			return add_row(g, &r, e);
		}
		r.has_base = 1;
		r.base = t->base_value;
	} else {
		const char *why = NULL;
		if (!(by = year_model(l, g, t->base_year, e)))
			return -1;
		if (by->state < 0) {
			snprintf(r.whybuf, sizeof r.whybuf, "base year: %s", by->why);
			r.why = r.whybuf;
			return add_row(g, &r, e);
		}
		if (!(f = figures_of(by->m, code, &r.name))) {
			r.why = "the unit is not a district or the state in the base year";
			return add_row(g, &r, e);
		}
		if (measure(t, by->m, f, &r.base, &why)) {
			r.why = why;
			return add_row(g, &r, e);
		}
		r.has_base = r.base > 0;
		if (!r.has_base) {
			r.why = "the base is 0";
			return add_row(g, &r, e);
		}
	}
	/* milestones as values */
	for (i = 0; i < n; i++) {
		const struct target_milestone *ms = &t->milestones[i];
		years[i] = ms->year;
		if (ms->has_value && district && ms->value != 0) {
			r.why = "absolute milestones apply to the target's unit only";
			return add_row(g, &r, e);
		}
		values[i] = ms->has_value ? ms->value : report_goal_of_base(r.base, ms->reduction_pct);
	}
	r.path = report_goal_path(r.base_year, r.base, years, values, n, g->year);
	r.has_path = g->year >= r.base_year;
	for (i = 0; i < n && years[i] <= g->year; i++)
		;
	r.next_year = years[i < n ? i : n - 1];
	r.next_value = values[i < n ? i : n - 1];
	/* current */
	if (cy->state < 0) {
		snprintf(r.whybuf, sizeof r.whybuf, "%s", cy->why);
		r.why = r.whybuf;
		return add_row(g, &r, e);
	}
	{
		const char *why = NULL, *nm = NULL;
		if (!(f = figures_of(cy->m, code, &nm))) {
			r.why = "the unit is not a district or the state";
			return add_row(g, &r, e);
		}
		if (nm)
			r.name = nm;
		if (measure(t, cy->m, f, &r.current, &why)) {
			r.why = why;
			return add_row(g, &r, e);
		}
	}
	r.has_current = 1;
	if (r.has_path) {
		r.gap = r.current - r.path;
		report_pct_x100(r.gap, r.base, &r.gap_pct_x100);
		r.on_track = r.current <= r.path;
	}
	if (r.next_year > g->year) {
		r.has_required = 1;
		r.required = report_goal_required(r.current, r.next_value, g->year, r.next_year);
		report_pct_x100(r.required, r.current, &r.required_pct_x100);
	}
	return add_row(g, &r, e);
}

struct lister {
	struct ledger *l;
	struct report_goals *g;
};

static int
load_one(void *ctx, const char *name, const char *version, const char *published,
	 const char *sha256, long ntargets, const char *imported_at, struct err *e)
{
	struct lister *x = ctx;
	struct target_set *s;
	size_t i;

	(void)version, (void)published, (void)sha256, (void)ntargets, (void)imported_at;
	for (i = 0; i < x->g->nsets; i++) /* the newest version of each name */
		if (strcmp(targets_name(x->g->sets[i]), name) == 0)
			return 0;
	if (targets_load(x->l, name, NULL, &s, e))
		return -1;
	{
		struct target_set **p = realloc(x->g->sets, (x->g->nsets + 1) * sizeof *p);
		if (!p) {
			targets_free(s);
			return err_setf(e, ERR_IO, "out of memory");
		}
		x->g->sets = p;
		p[x->g->nsets++] = s;
	}
	return 0;
}

int
report_goals_build(struct ledger *l, int year, int fallback,
		   struct report_goals **out, struct err *e)
{
	struct report_goals *g = calloc(1, sizeof *g);
	struct lister x = {l, g};
	size_t i, k;

	*out = NULL;
	if (!g)
		return err_setf(e, ERR_IO, "out of memory");
	g->year = year;
	g->fallback = fallback;
	if (targets_list(l, load_one, &x, e))
		goto fail;
	for (i = 0; i < g->nsets; i++) {
		for (k = 0; k < targets_count(g->sets[i]); k++) {
			const struct target *t = targets_at(g->sets[i], k);
			struct year_model *cy;
			if (one(l, g, g->sets[i], t, t->unit, 0, e))
				goto fail;
			if (!t->per_district)
				continue;
			if (!(cy = year_model(l, g, year, e)))
				goto fail;
			if (cy->state < 0)
				continue;
			{
				size_t u, top = org_tree_find(cy->m->tree, t->unit, strlen(t->unit));
				for (u = 0; u < cy->m->nunits; u++) {
					const struct report_unit *ru = &cy->m->units[u];
					size_t ti = org_tree_find(cy->m->tree, ru->code,
								  strlen(ru->code));
					int under = 0;
					while (ti != (size_t)-1 && !under) {
						under = ti == top;
						ti = org_tree_at(cy->m->tree, ti)->parent;
					}
					if (ru->kind != ORG_DISTRICT || !under ||
					    strcmp(ru->code, t->unit) == 0)
						continue;
					if (one(l, g, g->sets[i], t, ru->code, 1, e))
						goto fail;
				}
			}
		}
	}
	for (i = 0; i < g->n; i++)
		g->v[i].why = g->v[i].whybuf[0] ? g->v[i].whybuf : NULL;
	*out = g;
	return 0;
fail:
	report_goals_free(g);
	return -1;
}

void
report_goals_free(struct report_goals *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->nsets; i++)
		targets_free(g->sets[i]);
	free(g->sets);
	for (i = 0; i < g->nym; i++)
		report_free(g->ym[i].m);
	free(g->ym);
	free(g->v);
	free(g);
}

size_t
report_goals_count(const struct report_goals *g)
{
	return g ? g->n : 0;
}

const struct report_goal *
report_goals_at(const struct report_goals *g, size_t i)
{
	return i < g->n ? &g->v[i] : NULL;
}

size_t
report_goals_nsets(const struct report_goals *g)
{
	return g ? g->nsets : 0;
}

/* ---- JSON ---- */

static json_t *
micro_or_null(int has, int64_t v)
{
	return has ? json_real((double)num_round_shift(v, 3) / 1000.0) : json_null();
}

json_t *
report_goals_json(const struct report_goals *g)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < g->n; i++) {
		const struct report_goal *r = &g->v[i];
		const struct target *t = r->target;
		int cmp = r->has_current && r->has_path && r->has_base;
		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, "
			"s:o, s:i, s:o, s:o, s:o, s:o, s:o}",
			"target", t->id, "title", t->title, "set",
			r->set_name, "set_version", r->set_version,
			"metric", target_metric_name(t->metric), "lens", t->lens,
			"unit", r->code, "source", t->citation,
			"base_year", r->base_year, "base", micro_or_null(r->has_base, r->base),
			"current", micro_or_null(r->has_current, r->current),
			"path", micro_or_null(r->has_path && r->has_base, r->path),
			"gap", micro_or_null(cmp, r->gap),
			"gap_pct", cmp ? json_real((double)r->gap_pct_x100 / 100.0) : json_null(),
			"next_year", r->next_year,
			"next_value", micro_or_null(r->has_base, r->next_value),
			"required_per_year", micro_or_null(r->has_required && r->has_base,
							   r->required),
			"required_pct_per_year", r->has_required && r->has_base
				? json_real((double)r->required_pct_x100 / 100.0) : json_null(),
			"on_track", cmp ? json_boolean(r->on_track) : json_null(),
			"not_computed", r->why ? json_string(r->why) : json_null()));
	}
	return a;
}

void *
report_goals_json_value(const struct report_goals *g)
{
	return report_goals_json(g);
}

/* ---- the reasons in German ---- */

/* Each fixed reason above with its German wording. */
static const struct {
	const char *en, *de;
} WHY_DE[] = {
	{"the run has no final energy stored",
	 "der Berechnungslauf hat keine Endenergie gespeichert"},
	{"a territorial CO2 balance is not in the ledger (it holds the "
	 "administration's inventory)",
	 "eine territoriale CO2-Bilanz ist nicht im Ledger (es enthält die Bilanz "
	 "der Verwaltung)"},
	{"the ledger has no vehicle register", "das Ledger hat kein Fahrzeugregister"},
	{"the base value is given for the target's unit only",
	 "der Basiswert gilt nur für die Einheit des Ziels"},
	{"the unit is not a district or the state in the base year",
	 "die Einheit ist im Basisjahr kein Bezirk und nicht das Land"},
	{"the base is 0", "die Basis ist 0"},
	{"absolute milestones apply to the target's unit only",
	 "absolute Meilensteine gelten nur für die Einheit des Ziels"},
	{"the unit is not a district or the state", "die Einheit ist kein Bezirk und nicht das Land"},
};

static void
why_de(const char *en, struct strbuf *sb)
{
	size_t i;
	int year, k = 0;

	if (strncmp(en, "base year: ", 11) == 0) {
		strbuf_adds(sb, "Basisjahr: ");
		why_de(en + 11, sb);
		return;
	}
	if (sscanf(en, "no data for %d in the ledger%n", &year, &k) == 1 && k &&
	    en[k] == '\0') {
		strbuf_addf(sb, "keine Daten für %d im Ledger", year);
		return;
	}
	k = 0;
	if (sscanf(en, "%d cannot be calculated: %n", &year, &k) == 1 && k) {
		/* the engine's message stays as it is: it names rows and files */
		strbuf_addf(sb, "%d kann nicht berechnet werden: %s", year, en + k);
		return;
	}
	for (i = 0; i < sizeof WHY_DE / sizeof WHY_DE[0]; i++)
		if (strcmp(en, WHY_DE[i].en) == 0) {
			strbuf_adds(sb, WHY_DE[i].de);
			return;
		}
	strbuf_adds(sb, en);
}

const char *
report_goal_why(const struct report_goal *r, enum report_lang lang, struct strbuf *sb)
{
	if (!r->why)
		return NULL;
	if (lang != REPORT_DE)
		return r->why;
	strbuf_reset(sb);
	why_de(r->why, sb);
	return strbuf_failed(sb) || !sb->buf ? r->why : sb->buf;
}
