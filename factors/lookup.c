/*
 * lookup: the in-memory factor index of a calculation run, and exact unit
 * conversion through a set's `conversions` (see factors.h).
 *
 * factor_db_load() loads the chosen sets once and builds, per (activity,
 * region, method, tariff), a timeline: disjoint day ranges in order, each
 * holding the factor that wins there (the first set in priority order that
 * covers the day). A lookup is then one hash of the activity key and, for
 * each step of the region chain, a scan of that key's few groups and one
 * binary search; no SQL per row.
 */
#include "factors/factors_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/strmap.h"

struct span {
	int32_t from, to; /* inclusive days */
	const struct factor *f;
};

struct timeline {
	struct span *v;
	size_t n;
	const char *region;       /* the group: region, method and tariff */
	size_t rlen;
	int market;
	const char *tariff;       /* NULL for none */
	const char *network;      /* a district-heat network's, NULL for none */
};

/* The timelines of one activity key (a handful: regions x methods). */
struct activity_groups {
	size_t *tl;
	size_t n;
};

struct factor_db {
	struct factor_set **sets; /* in priority order */
	size_t nsets;
	struct strmap *idx;       /* group key -> timeline index (build only) */
	struct timeline *tl;
	size_t ntl;
	struct strmap *byact;     /* activity -> index in acts */
	struct activity_groups *acts;
	size_t nacts;
};

#define KEY_MAX 512

/* "activity\x1fregion\x1fm\x1ftariff\x1fnetwork": the grouping of SPEC 6,
 * and a network's factors apart from the region's. */
static int
group_key(char *buf, size_t n, const char *activity, size_t alen,
	  const char *region, size_t rlen, int market, const char *tariff,
	  const char *network)
{
	int w = snprintf(buf, n, "%.*s\x1f%.*s\x1f%d\x1f%s\x1f%s", (int)alen, activity,
			 (int)rlen, region, market ? 1 : 0,
			 market && tariff ? tariff : "", network ? network : "");
	return w < 0 || (size_t)w >= n ? -1 : w;
}

void
factor_db_free(struct factor_db *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->nsets; i++)
		factor_set_free(db->sets[i]);
	free(db->sets);
	for (i = 0; i < db->ntl; i++)
		free(db->tl[i].v);
	free(db->tl);
	for (i = 0; i < db->nacts; i++)
		free(db->acts[i].tl);
	free(db->acts);
	strmap_free(db->idx);
	strmap_free(db->byact);
	free(db);
}

size_t
factor_db_nsets(const struct factor_db *db)
{
	return db->nsets;
}

const struct factor_set *
factor_db_set(const struct factor_db *db, size_t i)
{
	return i < db->nsets ? db->sets[i] : NULL;
}

/* ---- building the index ------------------------------------------------- */

struct entry {
	size_t group;
	size_t prio;
	const struct factor *f;
};

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	return (a->f->valid_from > b->f->valid_from) - (a->f->valid_from < b->f->valid_from);
}

static int
i64_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Resolve one group's entries (sorted by priority, then start) into a
 * timeline of disjoint spans. */
static int
build_timeline(const struct entry *e, size_t m, struct timeline *t)
{
	int64_t *b = malloc(2 * m * sizeof *b);
	size_t *seg = malloc((m + 1) * sizeof *seg); /* start of each priority run */
	size_t nb = 0, ns = 0, i, k, u = 0;

	t->v = malloc(2 * m * sizeof *t->v);
	t->n = 0;
	if (!b || !seg || !t->v) {
		free(b);
		free(seg);
		return -1;
	}
	for (i = 0; i < m; i++) {
		b[nb++] = e[i].f->valid_from;
		b[nb++] = (int64_t)e[i].f->valid_to + 1;
		if (i == 0 || e[i].prio != e[i - 1].prio)
			seg[ns++] = i;
	}
	seg[ns] = m;
	qsort(b, nb, sizeof *b, i64_cmp);
	for (i = 0; i < nb; i++)
		if (u == 0 || b[i] != b[u - 1])
			b[u++] = b[i];
	for (k = 0; k + 1 < u; k++) {
		int64_t day = b[k];
		const struct factor *win = NULL;
		size_t s;
		for (s = 0; s < ns && !win; s++) {
			size_t lo = seg[s], hi = seg[s + 1];
			/* last entry of this run with valid_from <= day */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (e[mid].f->valid_from <= day)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > seg[s] && e[lo - 1].f->valid_to >= day)
				win = e[lo - 1].f;
		}
		if (!win)
			continue;
		if (t->n && t->v[t->n - 1].f == win && t->v[t->n - 1].to + 1 == day) {
			t->v[t->n - 1].to = (int32_t)(b[k + 1] - 1);
		} else {
			t->v[t->n].from = (int32_t)day;
			t->v[t->n].to = (int32_t)(b[k + 1] - 1);
			t->v[t->n].f = win;
			t->n++;
		}
	}
	free(b);
	free(seg);
	return 0;
}

/* Add timeline `tl` to the list of its activity. */
static int
index_activity(struct factor_db *db, const char *activity, size_t tl)
{
	size_t len = strlen(activity);
	struct activity_groups *a;
	size_t *v;
	int64_t k;

	if (!strmap_get(db->byact, activity, len, &k)) {
		struct activity_groups *na = realloc(db->acts, (db->nacts + 1) * sizeof *na);
		if (!na)
			return -1;
		db->acts = na;
		k = (int64_t)db->nacts;
		db->acts[db->nacts].tl = NULL;
		db->acts[db->nacts].n = 0;
		db->nacts++;
		if (strmap_put(db->byact, activity, len, k))
			return -1;
	}
	a = &db->acts[k];
	if (!(v = realloc(a->tl, (a->n + 1) * sizeof *v)))
		return -1;
	a->tl = v;
	a->tl[a->n++] = tl;
	return 0;
}

static int
build_index(struct factor_db *db, struct err *e)
{
	struct entry *ent;
	size_t total = 0, n = 0, i, j, start;
	char key[KEY_MAX];

	for (i = 0; i < db->nsets; i++)
		total += db->sets[i]->nf;
	if (!(db->idx = strmap_new()) || !(db->byact = strmap_new()))
		return err_setf(e, ERR_IO, "out of memory");
	ent = malloc((total ? total : 1) * sizeof *ent);
	if (!ent)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < db->nsets; i++) {
		for (j = 0; j < db->sets[i]->nf; j++) {
			const struct factor *f = &db->sets[i]->f[j];
			int64_t g;
			int w = group_key(key, sizeof key, f->activity, strlen(f->activity),
					  f->region, strlen(f->region), f->market, f->tariff,
					  f->network);
			if (w < 0)
				continue;
			if (!strmap_get(db->idx, key, (size_t)w, &g)) {
				g = (int64_t)db->ntl++;
				if (strmap_put(db->idx, key, (size_t)w, g)) {
					free(ent);
					return err_setf(e, ERR_IO, "out of memory");
				}
			}
			ent[n].group = (size_t)g;
			ent[n].prio = i;
			ent[n].f = f;
			n++;
		}
	}
	db->tl = calloc(db->ntl ? db->ntl : 1, sizeof *db->tl);
	if (!db->tl) {
		free(ent);
		return err_setf(e, ERR_IO, "out of memory");
	}
	qsort(ent, n, sizeof *ent, entry_cmp);
	for (start = 0; start < n; start = i) {
		struct timeline *t = &db->tl[ent[start].group];
		const struct factor *f = ent[start].f;
		for (i = start; i < n && ent[i].group == ent[start].group; i++)
			;
		if (build_timeline(ent + start, i - start, t)) {
			free(ent);
			return err_setf(e, ERR_IO, "out of memory");
		}
		t->region = f->region;
		t->rlen = strlen(f->region);
		t->market = f->market;
		t->tariff = f->market ? f->tariff : NULL;
		t->network = f->network;
		if (index_activity(db, f->activity, ent[start].group)) {
			free(ent);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	free(ent);
	strmap_free(db->idx);
	db->idx = NULL;
	return 0;
}

/* ---- loading ---------------------------------------------------------------- */

struct cand {
	char *name, *version, *published;
};

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int r = strcmp(b->published ? b->published : "", a->published ? a->published : "");

	return r ? r : strcmp(a->name, b->name);
}

static int
db_add(struct factor_db *db, struct factor_set *s, struct err *e)
{
	struct factor_set **v = realloc(db->sets, (db->nsets + 1) * sizeof *v);

	if (!v) {
		factor_set_free(s);
		return err_setf(e, ERR_IO, "out of memory");
	}
	db->sets = v;
	db->sets[db->nsets++] = s;
	return 0;
}

/* Every registered set, newest version of each, newest published first. */
static int
load_default(struct ledger *l, struct factor_db *db, struct err *e)
{
	struct factor_set_info *v;
	struct cand *c;
	size_t n, i, nc = 0;
	int rc = 0;

	if (factors_list(l, &v, &n, e))
		return -1;
	c = calloc(n ? n : 1, sizeof *c);
	if (!c) {
		factors_list_free(v, n);
		return err_setf(e, ERR_IO, "out of memory");
	}
	/* factors_list gives each name's newest version first */
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i].name, v[i - 1].name) == 0)
			continue;
		c[nc].name = v[i].name;
		c[nc].version = v[i].version;
		c[nc].published = v[i].published;
		nc++;
	}
	qsort(c, nc, sizeof *c, cand_cmp);
	for (i = 0; i < nc && rc == 0; i++) {
		struct factor_set *s;
		if ((rc = factors_load(l, c[i].name, c[i].version, &s, e)) == 0)
			rc = db_add(db, s, e);
	}
	free(c);
	factors_list_free(v, n);
	return rc;
}

static int
load_refs(struct ledger *l, const struct factor_ref *refs, size_t n,
	  struct factor_db *db, struct err *e)
{
	size_t k, i;

	for (k = 0; k < n; k++) {
		struct factor_set *s;
		if (factors_load(l, refs[k].name, refs[k].version, &s, e))
			return -1;
		for (i = 0; i < db->nsets; i++)
			if (strcmp(db->sets[i]->name, s->name) == 0 &&
			    strcmp(db->sets[i]->version, s->version) == 0) {
				err_setf(e, ERR_USAGE, "factor set '%s@%s' is named twice",
					 s->name, s->version);
				factor_set_free(s);
				return -1;
			}
		if (db_add(db, s, e))
			return -1;
	}
	return 0;
}

int
factor_db_load(struct ledger *l, const struct factor_ref *refs, size_t n,
	       struct factor_db **out, struct err *e)
{
	struct factor_db *db = calloc(1, sizeof *db);
	int rc;

	*out = NULL;
	if (!db)
		return err_setf(e, ERR_IO, "out of memory");
	rc = n ? load_refs(l, refs, n, db, e) : load_default(l, db, e);
	if (rc == 0 && db->nsets == 0)
		rc = err_setf(e, ERR_DATA, "no factor sets are registered (import one "
			      "with 'co2ledger factors import FILE.json')");
	if (rc == 0)
		rc = build_index(db, e);
	if (rc) {
		factor_db_free(db);
		return -1;
	}
	*out = db;
	return 0;
}

/* ---- lookup --------------------------------------------------------------------- */

static const struct activity_groups *
groups_of(const struct factor_db *db, const char *activity, size_t alen)
{
	int64_t k;

	if (!strmap_get(db->byact, activity, alen, &k))
		return NULL;
	return &db->acts[k];
}

static const struct timeline *
timeline_of(const struct factor_db *db, const struct activity_groups *a,
	    const char *region, size_t rlen, int market, const char *tariff)
{
	size_t i;

	if (!market)
		tariff = NULL;
	for (i = 0; i < a->n; i++) {
		const struct timeline *t = &db->tl[a->tl[i]];
		if (t->network || t->market != market || t->rlen != rlen ||
		    memcmp(t->region, region, rlen) != 0)
			continue;
		if (tariff ? t->tariff && strcmp(t->tariff, tariff) == 0 : !t->tariff)
			return t;
	}
	return NULL;
}

/* The span covering `day`, or (previous 1) the last one ending before it,
 * or (previous 2) the first one starting after it. */
static const struct factor *
timeline_find(const struct timeline *t, int32_t day, int previous)
{
	size_t lo = 0, hi = t->n;

	/* first span with to >= day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].to < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (previous == 2) {
		if (lo < t->n && t->v[lo].from <= day)
			lo++; /* the span covering the day: the next one starts after it */
		return lo < t->n ? t->v[lo].f : NULL;
	}
	if (previous)
		return lo > 0 ? t->v[lo - 1].f : NULL;
	return lo < t->n && t->v[lo].from <= day ? t->v[lo].f : NULL;
}

static const struct factor *
find_one(const struct factor_db *db, const char *activity, size_t alen,
	 const char *region, int32_t day, int market, const char *tariff,
	 int previous)
{
	const struct activity_groups *a = groups_of(db, activity, alen);
	const char *chain[3];
	size_t clen[3], nc = 0, i;

	if (!a)
		return NULL;
	if (!region || !*region || strcmp(region, "*") == 0) {
		chain[nc] = "*";
		clen[nc++] = 1;
	} else {
		const char *dash = strchr(region, '-');
		chain[nc] = region;
		clen[nc++] = strlen(region);
		if (dash) {
			chain[nc] = region;
			clen[nc++] = (size_t)(dash - region);
		}
		chain[nc] = "*";
		clen[nc++] = 1;
	}
	for (i = 0; i < nc; i++) {
		const struct timeline *t = timeline_of(db, a, chain[i], clen[i], market,
						       tariff);
		const struct factor *f = t ? timeline_find(t, day, previous) : NULL;
		if (f)
			return f;
	}
	return NULL;
}

static const struct factor *
find(const struct factor_db *db, const char *activity, const char *region,
     int32_t day, int market, const char *tariff, int previous)
{
	static const char CPV[] = "procurement.cpv.";
	size_t alen, n;
	const struct factor *f;

	if (!db || !activity)
		return NULL;
	alen = strlen(activity);
	if (strncmp(activity, CPV, sizeof CPV - 1) == 0 && alen > sizeof CPV - 1 + 2) {
		/* the longest CPV prefix with a factor, down to the division */
		for (n = alen; n >= sizeof CPV - 1 + 2; n--)
			if ((f = find_one(db, activity, n, region, day, market, tariff,
					  previous)))
				return f;
		return NULL;
	}
	f = find_one(db, activity, alen, region, day, market, tariff, previous);
	if (!f && strcmp(activity, "fleet.electricity") == 0)
		f = find_one(db, "energy.electricity", 18, region, day, market, tariff,
			     previous);
	return f;
}

const struct factor *
factor_db_find(const struct factor_db *db, const char *activity,
	       const char *region, int32_t day, int market, const char *tariff)
{
	return find(db, activity, region, day, market, tariff, 0);
}

const struct factor *
factor_db_find_previous(const struct factor_db *db, const char *activity,
			const char *region, int32_t day, int market,
			const char *tariff)
{
	return find(db, activity, region, day, market, tariff, 1);
}

const struct factor *
factor_db_find_next(const struct factor_db *db, const char *activity,
		    const char *region, int32_t day, int market,
		    const char *tariff)
{
	return find(db, activity, region, day, market, tariff, 2);
}

const struct factor *
factor_db_find_network(const struct factor_db *db, const char *activity,
		       const char *network, int32_t day)
{
	const struct activity_groups *a;
	size_t i;

	if (!db || !activity || !network ||
	    !(a = groups_of(db, activity, strlen(activity))))
		return NULL;
	for (i = 0; i < a->n; i++) {
		const struct timeline *t = &db->tl[a->tl[i]];
		const struct factor *f;
		if (t->network && !t->market && strcmp(t->network, network) == 0 &&
		    (f = timeline_find(t, day, 0)))
			return f;
	}
	return NULL;
}

/* ---- conversions ---------------------------------------------------------------- */

#define NGROUPS 10 /* dimension * 2 + gross */

static int
ugroup(const struct unit_info *u)
{
	return (int)u->dim * 2 + (u->gross ? 1 : 0);
}

static void
ratio_text(struct ratio r, char *buf, size_t n)
{
	if (r.den == 1)
		snprintf(buf, n, "x%lld", (long long)r.num);
	else
		snprintf(buf, n, "x%lld/%lld", (long long)r.num, (long long)r.den);
}

/* Add a step to the path; a path that does not fit ends in "..." (said,
 * not cut silently). */
static void
path_add(char *path, size_t pathlen, const char *fmt, const char *unit,
	 const char *how)
{
	size_t used = path ? strlen(path) : 0;
	int w;

	if (!path || used + 1 >= pathlen)
		return;
	w = snprintf(path + used, pathlen - used, fmt, unit, how);
	if (w >= 0 && (size_t)w >= pathlen - used && pathlen >= 4)
		memcpy(path + pathlen - 4, "...", 4);
}

int
factor_set_convert(const struct factor_set *s, const char *activity,
		   const struct unit_info *from, const struct unit_info *to,
		   struct ratio *out, char *path, size_t pathlen, struct err *e)
{
	int prev_g[NGROUPS], seen[NGROUPS] = {0}, queue[NGROUPS];
	size_t via[NGROUPS];
	int fwd[NGROUPS];
	int qh = 0, qt = 0, g, steps[NGROUPS], nsteps = 0, i;
	struct ratio r = {1, 1}, t;
	const struct unit_info *cur = from;
	char how[64];
	size_t k, nact = 0;

	if (path && pathlen)
		snprintf(path, pathlen, "%s", from ? from->name : "?");
	if (!from || !to)
		return err_setf(e, ERR_DATA, "unknown unit");
	if (from == to) {
		*out = r;
		return 0;
	}
	if (units_scale(from, to, &t) == 0) {
		ratio_text(t, how, sizeof how);
		path_add(path, pathlen, " -> %s (%s)", to->name, how);
		*out = t;
		return 0;
	}
	/* breadth first over dimension/basis groups: fewest conversions win;
	 * among equals, the conversion listed first in the set */
	seen[ugroup(from)] = 1;
	queue[qt++] = ugroup(from);
	while (qh < qt && !seen[ugroup(to)]) {
		int cg = queue[qh++];
		for (k = 0; k < s->nconv; k++) {
			const struct factor_conversion *c = &s->conv[k];
			int d;
			if (strcmp(c->activity, activity) != 0)
				continue;
			for (d = 1; d >= 0; d--) {
				const struct unit_info *a = d ? c->from : c->to;
				const struct unit_info *b = d ? c->to : c->from;
				if (ugroup(a) != cg || seen[ugroup(b)])
					continue;
				seen[ugroup(b)] = 1;
				prev_g[ugroup(b)] = cg;
				via[ugroup(b)] = k;
				fwd[ugroup(b)] = d;
				queue[qt++] = ugroup(b);
			}
		}
	}
	if (!seen[ugroup(to)]) {
		struct strbuf have = STRBUF_INIT;
		for (k = 0; k < s->nconv; k++) {
			const struct factor_conversion *c = &s->conv[k];
			if (strcmp(c->activity, activity) != 0)
				continue;
			nact++;
			strbuf_addf(&have, "%s%s -> %s", have.len ? ", " : "",
				    c->from->name, c->to->name);
		}
		if (nact == 0)
			err_setf(e, ERR_DATA, "cannot convert %s to %s for %s: the set "
				 "'%s@%s' has no conversion (add one to its "
				 "\"conversions\")", from->name, to->name, activity,
				 s->name, s->version);
		else
			err_setf(e, ERR_DATA, "cannot convert %s to %s for %s: the set "
				 "'%s@%s' has no conversion that leads there (it has %s; "
				 "add one to its \"conversions\")", from->name, to->name,
				 activity, s->name, s->version, strbuf_str(&have));
		strbuf_release(&have);
		return -1;
	}
	for (g = ugroup(to); g != ugroup(from); g = prev_g[g])
		steps[nsteps++] = g;
	for (i = nsteps - 1; i >= 0; i--) {
		const struct factor_conversion *c = &s->conv[via[steps[i]]];
		int d = fwd[steps[i]];
		const struct unit_info *in = d ? c->from : c->to;
		const struct unit_info *outu = d ? c->to : c->from;
		if (cur != in) {
			if (units_scale(cur, in, &t) || ratio_mul(r, t, &r))
				goto overflow;
			ratio_text(t, how, sizeof how);
			path_add(path, pathlen, " -> %s (%s)", in->name, how);
		}
		if (d) {
			if (ratio_mul(r, c->ratio, &r))
				goto overflow;
			snprintf(how, sizeof how, "%s", c->factor);
		} else {
			if (ratio_div(r, c->ratio, &r))
				goto overflow;
			snprintf(how, sizeof how, "1/%s", c->factor);
		}
		path_add(path, pathlen, " -> %s (%s)", outu->name, how);
		cur = outu;
	}
	if (cur != to) {
		if (units_scale(cur, to, &t) || ratio_mul(r, t, &r))
			goto overflow;
		ratio_text(t, how, sizeof how);
		path_add(path, pathlen, " -> %s (%s)", to->name, how);
	}
	*out = r;
	return 0;
overflow:
	return err_setf(e, ERR_DATA, "converting %s to %s for %s with the set "
			"'%s@%s' does not fit exact arithmetic (the ratio overflows)",
			from->name, to->name, activity, s->name, s->version);
}
