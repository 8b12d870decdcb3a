/*
 * calc_core: the rules of a calculation run applied to one activity row,
 * with exact integer arithmetic and no SQL (see calc_int.h, and
 * docs/methodology.md for the rules in prose).
 *
 * A row's period [day_start, day_end] (inclusive) is clamped to the run's
 * year and walked through the resolver's intervals: each interval is one
 * part with its own factors. Each part and bucket is
 *     mg = round_half_away(q * coef.num * days / (coef.den * days_total))
 * where q is the quantity in micro-units and coef the exact kg per row unit
 * (factor value, GWP, conversion, deflation as one reduced ratio), so
 * micro-units times kg give milligrams directly.
 */
#include "engine/calc_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/activity.h"
#include "base/date.h"
#include "base/num.h"
#include "base/strbuf.h"

typedef __int128 i128;

struct q {
	i128 num, den; /* den > 0, reduced */
};

/* One piece of the run's year on which the lookups give the same answer. */
struct interval {
	int32_t from, to;          /* inclusive */
	const struct factor *loc;  /* NULL: uncovered */
	const struct factor *mkt;  /* market factor (tariff or residual) */
	enum calc_market_source msrc; /* TARIFF, RESIDUAL or LOCATION */
	int extrap;
	int net;                   /* loc is the row's network's factor */
};

enum key_kind { KEY_ENERGY, KEY_FLEET, KEY_PROCUREMENT };

#define MAX_CANDS 8

/* Factor resolution for one (activity key, tariff) over the run year. */
struct resolver {
	char *key, *tariff;
	char *network;         /* the rows' district-heat network, NULL: none */
	char *cand[MAX_CANDS]; /* keys to try, most specific first */
	size_t ncand;
	int eligible;          /* location and market results differ */
	int excluded;          /* CPV division 09 */
	int fuel;              /* energy.* and fleet fuels: has a final energy */
	unsigned cat;
	size_t n;
	struct interval *iv;
	char *coverage;        /* for the strict error message, NULL until needed */
	int32_t cov_from;      /* with coverage: first day of a location factor, */
	int32_t cov_to;        /* last day; from > to when there is none */
};

/* Coefficients of one plan on one interval. */
struct coef {
	int state;             /* 0 not built, 1 ready, -1 data error */
	struct q loc, up, bio, mkt;
	int has_up, has_bio;
	enum calc_market_source msrc;
	struct ratio conv, mconv, defl;
	char path[160];
	enum calc_energy energy;
	struct ratio econv;    /* row unit -> kWh (Hi), when energy is YES */
	char epath[160];
	char *errtext;         /* when state -1 */
};

struct calc_plan {
	int64_t key_id;
	uint64_t unitpack;     /* unit bytes when the unit fits 8, else 0 */
	char *unit, *tariff;
	char *network;         /* as the resolver's */
	int has_sf;
	int64_t sf;
	const struct unit_info *u;
	struct resolver *rs;
	struct coef *coef;     /* rs->n entries */
	char *errtext;         /* the plan itself is unusable */
};

struct calc_core {
	int year;
	int32_t y0, y1;
	const struct gwp *gwp;
	int previous;
	int bisko;             /* the BISKO lens */
	const char *region;
	const struct calc_ops *ops;
	struct strmap *keys;   /* key_id (8 bytes) -> index in keytext */
	char **keytext;
	size_t nkeys, capkeys;
	struct strmap *rsmap;  /* "key\0tariff" -> index in rs */
	struct resolver **rs;
	size_t nrs, caprs;
	struct strmap *planmap;
	struct calc_plan **plans;
	size_t nplans, capplans;
	struct calc_plan *last;
	struct pcache {        /* direct-mapped cache in front of planmap */
		int64_t key_id;
		uint64_t unit;     /* the unit's bytes, zero-padded */
		struct calc_plan *p;
	} pc[256];
	struct strmap *catmap; /* "sector\0carrier" -> index */
	char **sector, **carrier;
	size_t ncat, capcat;
	const struct factor **netf; /* network factors used, each once */
	size_t nnetf, capnetf;
};

static int
grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	if (!(q = realloc(*p, n * size)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static char *
dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- exact arithmetic ---- */

static void
q_reduce(struct q *x)
{
	i128 g = num_gcd(x->num, x->den);

	if (g > 1) {
		x->num /= g;
		x->den /= g;
	}
}

/* x *= n/d (d > 0), reducing crosswise first; -1 on overflow. */
static int
q_mul(struct q *x, i128 n, i128 d)
{
	i128 g1 = num_gcd(x->num, d), g2 = num_gcd(n, x->den), a, b;

	if (g1 > 1) {
		x->num /= g1;
		d /= g1;
	}
	if (g2 > 1) {
		n /= g2;
		x->den /= g2;
	}
	if (__builtin_mul_overflow(x->num, n, &a) ||
	    __builtin_mul_overflow(x->den, d, &b))
		return -1;
	x->num = a;
	x->den = b;
	q_reduce(x);
	return 0;
}

static int64_t
rdiv_check(i128 n, i128 d, int *ovf)
{
	i128 qt = n / d, r = n % d;

	if (r < 0)
		r = -r;
	if (r >= d - r)
		qt += n < 0 ? -1 : 1;
	if (qt > INT64_MAX || qt < INT64_MIN) {
		*ovf = 1;
		return 0;
	}
	return (int64_t)qt;
}

static int
mg_wide(int64_t q, i128 num, i128 den, int32_t days, int32_t days_total,
	int64_t *out)
{
	i128 n, d;
	int ovf = 0;

	if (days == days_total) {
		if (__builtin_mul_overflow((i128)q, num, &n))
			goto reduce;
		*out = rdiv_check(n, den, &ovf);
		return ovf ? -1 : 0;
	}
	if (!__builtin_mul_overflow((i128)q, num, &n) &&
	    !__builtin_mul_overflow(n, (i128)days, &n) &&
	    !__builtin_mul_overflow(den, (i128)days_total, &d)) {
		*out = rdiv_check(n, d, &ovf);
		return ovf ? -1 : 0;
	}
reduce:
	/* Same value, smaller terms: cancel common factors crosswise. */
	{
		i128 a = q, b = num, c = days, x = den, y = days_total, g;
		g = num_gcd(a, x); if (g > 1) { a /= g; x /= g; }
		g = num_gcd(a, y); if (g > 1) { a /= g; y /= g; }
		g = num_gcd(b, y); if (g > 1) { b /= g; y /= g; }
		g = num_gcd(c, x); if (g > 1) { c /= g; x /= g; }
		g = num_gcd(c, y); if (g > 1) { c /= g; y /= g; }
		if (__builtin_mul_overflow(a, b, &n) ||
		    __builtin_mul_overflow(n, c, &n) ||
		    __builtin_mul_overflow(x, y, &d))
			return -1;
		*out = rdiv_check(n, d, &ovf);
		return ovf ? -1 : 0;
	}
}

int
calc_mg(int64_t q, i128 num, i128 den, int32_t days, int32_t days_total,
	int64_t *out)
{
	int64_t n, d, qt, r;

	/* Most parts fit 64 bits, where division is much cheaper; the result
	 * is the same either way. */
	if (num <= INT64_MAX && num >= -INT64_MAX && den <= INT64_MAX &&
	    !__builtin_mul_overflow(q, (int64_t)num, &n) &&
	    (days == days_total
		     ? (d = (int64_t)den, 1)
		     : !__builtin_mul_overflow(n, (int64_t)days, &n) &&
			       !__builtin_mul_overflow((int64_t)den,
						       (int64_t)days_total, &d))) {
		qt = n / d;
		r = n % d;
		if (r < 0)
			r = -r;
		if (r >= d - r)
			qt += n < 0 ? -1 : 1;
		*out = qt;
		return 0;
	}
	return mg_wide(q, num, den, days, days_total, out);
}

int
calc_totals_add(struct calc_totals *a, const struct calc_totals *b)
{
	int o = 0;

	o |= __builtin_add_overflow(a->scope1_mg, b->scope1_mg, &a->scope1_mg);
	o |= __builtin_add_overflow(a->scope2_location_mg, b->scope2_location_mg,
				    &a->scope2_location_mg);
	o |= __builtin_add_overflow(a->scope2_market_mg, b->scope2_market_mg,
				    &a->scope2_market_mg);
	o |= __builtin_add_overflow(a->scope3_mg, b->scope3_mg, &a->scope3_mg);
	o |= __builtin_add_overflow(a->upstream_mg, b->upstream_mg, &a->upstream_mg);
	o |= __builtin_add_overflow(a->biogenic_co2_mg, b->biogenic_co2_mg,
				    &a->biogenic_co2_mg);
	o |= __builtin_add_overflow(a->market_fallback_mg, b->market_fallback_mg,
				    &a->market_fallback_mg);
	o |= __builtin_add_overflow(a->energy_ukwh, b->energy_ukwh, &a->energy_ukwh);
	return o ? -1 : 0;
}

int64_t
calc_total_location(const struct calc_totals *t)
{
	return t->scope1_mg + t->scope2_location_mg + t->scope3_mg;
}

int64_t
calc_total_market(const struct calc_totals *t)
{
	return t->scope1_mg + t->scope2_market_mg + t->scope3_mg;
}

/* ---- core life cycle ---- */

struct calc_core *
calc_core_new(int year, const struct gwp *gwp, int fallback_previous,
	      const char *region, const struct calc_ops *ops)
{
	struct calc_core *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->year = year;
	c->y0 = date_year_start(year);
	c->y1 = date_year_end(year);
	c->gwp = gwp;
	c->previous = fallback_previous;
	c->region = region;
	c->ops = ops;
	c->keys = strmap_new();
	c->rsmap = strmap_new();
	c->planmap = strmap_new();
	c->catmap = strmap_new();
	if (!c->keys || !c->rsmap || !c->planmap || !c->catmap) {
		calc_core_free(c);
		return NULL;
	}
	return c;
}

void
calc_core_set_bisko(struct calc_core *c, int on)
{
	c->bisko = on;
}

static void
plan_free(struct calc_plan *p)
{
	size_t i;

	if (!p)
		return;
	if (p->coef)
		for (i = 0; i < p->rs->n; i++)
			free(p->coef[i].errtext);
	free(p->coef);
	free(p->unit);
	free(p->tariff);
	free(p->network);
	free(p->errtext);
	free(p);
}

void
calc_core_free(struct calc_core *c)
{
	size_t i, j;

	if (!c)
		return;
	for (i = 0; i < c->nplans; i++)
		plan_free(c->plans[i]);
	free(c->plans);
	for (i = 0; i < c->nrs; i++) {
		struct resolver *r = c->rs[i];
		for (j = 0; j < r->ncand; j++)
			free(r->cand[j]);
		free(r->key);
		free(r->tariff);
		free(r->network);
		free(r->iv);
		free(r->coverage);
		free(r);
	}
	free(c->rs);
	for (i = 0; i < c->nkeys; i++)
		free(c->keytext[i]);
	free(c->keytext);
	for (i = 0; i < c->ncat; i++) {
		free(c->sector[i]);
		free(c->carrier[i]);
	}
	free(c->sector);
	free(c->carrier);
	strmap_free(c->keys);
	strmap_free(c->rsmap);
	strmap_free(c->planmap);
	strmap_free(c->catmap);
	free(c->netf);
	free(c);
}

const struct factor *const *
calc_core_network_factors(const struct calc_core *c, size_t *n)
{
	*n = c->nnetf;
	return c->netf;
}

int
calc_core_key(struct calc_core *c, int64_t key_id, const char *key)
{
	char *t;

	if (grow(&c->keytext, &c->capkeys, c->nkeys + 1, sizeof *c->keytext) ||
	    !(t = dup(key)))
		return -1;
	if (strmap_put(c->keys, (const char *)&key_id, sizeof key_id,
		       (int64_t)c->nkeys)) {
		free(t);
		return -1;
	}
	c->keytext[c->nkeys++] = t;
	return 0;
}

const char *
calc_core_key_text(const struct calc_core *c, int64_t key_id)
{
	int64_t v;

	if (strmap_get(c->keys, (const char *)&key_id, sizeof key_id, &v))
		return c->keytext[v];
	return "?";
}

void
calc_core_category(const struct calc_core *c, unsigned cat, const char **sector,
		   const char **carrier)
{
	*sector = c->sector[cat];
	*carrier = c->carrier[cat];
}

static int
category(struct calc_core *c, const char *sector, const char *carrier,
	 unsigned *out)
{
	char sbuf[256], *buf = sbuf;   /* "sector\0carrier"; longer ones on the heap */
	size_t ns = strlen(sector), nc = strlen(carrier);
	int64_t v;
	int rc = -1;

	if (ns + nc + 1 >= sizeof sbuf && !(buf = malloc(ns + nc + 2)))
		return -1;
	memcpy(buf, sector, ns);
	buf[ns] = '\0';
	memcpy(buf + ns + 1, carrier, nc);
	if (strmap_get(c->catmap, buf, ns + 1 + nc, &v)) {
		*out = (unsigned)v;
		rc = 0;
		goto out;
	}
	if (grow(&c->sector, &c->capcat, c->ncat + 1, sizeof *c->sector))
		goto out;
	{
		size_t cap = c->capcat;
		char **cr = realloc(c->carrier, cap * sizeof *cr);
		if (!cr)
			goto out;
		c->carrier = cr;
	}
	c->sector[c->ncat] = dup(sector);
	c->carrier[c->ncat] = dup(carrier);
	if (!c->sector[c->ncat] || !c->carrier[c->ncat] ||
	    strmap_put(c->catmap, buf, ns + 1 + nc, (int64_t)c->ncat)) {
		free(c->sector[c->ncat]);
		free(c->carrier[c->ncat]);
		goto out;
	}
	*out = (unsigned)c->ncat++;
	rc = 0;
out:
	if (buf != sbuf)
		free(buf);
	return rc;
}

int
calc_core_category_id(struct calc_core *c, const char *sector,
		      const char *carrier, unsigned *out)
{
	return category(c, sector, carrier, out);
}

/* ---- resolvers ---- */

struct bp {
	int32_t *v;
	size_t n, cap;
	int32_t y0, y1;
	int oom;
};

static void
bp_add(struct bp *b, int32_t d)
{
	if (d <= b->y0 || d > b->y1)
		return;
	if (grow(&b->v, &b->cap, b->n + 1, sizeof *b->v)) {
		b->oom = 1;
		return;
	}
	b->v[b->n++] = d;
}

static void
bp_factor(void *arg, const struct factor *f)
{
	struct bp *b = arg;

	bp_add(b, f->valid_from);
	if (f->valid_to < INT32_MAX)
		bp_add(b, f->valid_to + 1);
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Sector, carrier, candidates and flags from the key. */
static int
classify(struct calc_core *c, struct resolver *r, struct err *e)
{
	const char *k = r->key;
	char cpv[8];                /* "cpv." and two digits */
	const char *sector, *carrier;
	size_t i, n;

	if ((strncmp(k, "energy.", 7) == 0 && k[7]) ||
	    (strncmp(k, "fleet.", 6) == 0 && k[6])) {
		/* the catalogue's sector and market rule; a fleet key it does
		 * not know (a distance class) is fleet, an energy key heat */
		const struct activity *a = activity_by_key(k, strlen(k));
		int energy = k[0] == 'e';
		sector = a ? a->sector : energy ? "buildings.heat" : "fleet";
		carrier = k + (energy ? 7 : 6);
		/* BISKO: the national mix for all electricity, tariffs
		 * and supplier factors ignored */
		r->eligible = a && a->market && !c->bisko;
		r->cand[r->ncand++] = dup(k);
		r->fuel = energy || strncmp(k + 6, "distance.", 9) != 0;
		if (a && a->also)
			r->cand[r->ncand++] = dup(a->also);
	} else if (strncmp(k, "procurement.cpv.", 16) == 0 &&
		   (n = strlen(k + 16)) >= 2 && n <= 8 && is_digits(k + 16, n)) {
		sector = "procurement";
		snprintf(cpv, sizeof cpv, "cpv.%.2s", k + 16);
		carrier = cpv;
		/* BISKO: procurement is outside the balance */
		r->excluded = c->bisko || (k[16] == '0' && k[17] == '9');
		for (i = n; i >= 2; i--) {
			char buf[32];
			snprintf(buf, sizeof buf, "procurement.cpv.%.*s", (int)i, k + 16);
			r->cand[r->ncand++] = dup(buf);
		}
	} else {
		return err_setf(e, ERR_DATA,
				"unknown activity key '%s' (expected energy.CARRIER, "
				"fleet.FUEL, fleet.distance.CLASS or "
				"procurement.cpv.DIGITS)", k);
	}
	for (i = 0; i < r->ncand; i++)
		if (!r->cand[i])
			return err_setf(e, ERR_IO, "out of memory");
	if (category(c, sector, carrier, &r->cat))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

static void
resolve_at(struct calc_core *c, struct resolver *r, int32_t d,
	   struct interval *iv)
{
	const struct calc_ops *o = c->ops;
	size_t i;

	iv->loc = iv->mkt = NULL;
	iv->extrap = 0;
	iv->net = 0;
	iv->msrc = CALC_MKT_SAME;
	/* a unit on a district-heat network: its network's factor when one
	 * covers the day, else the regional default below */
	for (i = 0; r->network && o->find_network && i < r->ncand && !iv->loc; i++)
		iv->loc = o->find_network(o->ctx, r->cand[i], r->network, d);
	if (iv->loc) {
		/* it is the location factor and the supplier-specific one: the
		 * market-based result differs only by a tariff's market factor
		 * (or the row's supplier factor, build_coef) */
		iv->net = 1;
		if (r->eligible && r->tariff &&
		    (iv->mkt = o->find(o->ctx, iv->loc->activity, d, 1, r->tariff)))
			iv->msrc = CALC_MKT_TARIFF;
		return;
	}
	for (i = 0; i < r->ncand && !iv->loc; i++)
		iv->loc = o->find(o->ctx, r->cand[i], d, 0, NULL);
	if (!iv->loc && c->previous) {
		for (i = 0; i < r->ncand && !iv->loc; i++)
			iv->loc = o->find_previous(o->ctx, r->cand[i], d, 0, NULL);
		if (c->previous == CALC_FALLBACK_NEAREST && o->find_next)
			for (i = 0; i < r->ncand && !iv->loc; i++)
				iv->loc = o->find_next(o->ctx, r->cand[i], d, 0, NULL);
		iv->extrap = iv->loc != NULL;
	}
	if (!iv->loc || !r->eligible || iv->loc->scope != 2)
		return;
	if (r->tariff && (iv->mkt = o->find(o->ctx, iv->loc->activity, d, 1,
					    r->tariff))) {
		iv->msrc = CALC_MKT_TARIFF;
	} else if ((iv->mkt = o->find(o->ctx, iv->loc->activity, d, 1, NULL))) {
		iv->msrc = CALC_MKT_RESIDUAL;
	} else {
		iv->msrc = CALC_MKT_LOCATION;
	}
}

static int
build_resolver(struct calc_core *c, struct resolver *r, struct err *e)
{
	struct bp b = {NULL, 0, 0, c->y0, c->y1, 0};
	size_t i, j, n;

	if (classify(c, r, e))
		return -1;
	if (r->excluded) {
		r->n = 0;
		return 0;
	}
	for (i = 0; i < r->ncand; i++)
		c->ops->each_factor(c->ops->ctx, r->cand[i], bp_factor, &b);
	if (b.oom) {
		free(b.v);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (b.n)
		qsort(b.v, b.n, sizeof *b.v, cmp_i32);
	for (i = j = 0; i < b.n; i++)
		if (j == 0 || b.v[j - 1] != b.v[i])
			b.v[j++] = b.v[i];
	n = j;
	if (!(r->iv = calloc(n + 1, sizeof *r->iv))) {
		free(b.v);
		return err_setf(e, ERR_IO, "out of memory");
	}
	r->n = 0;
	for (i = 0; i <= n; i++) {
		struct interval iv;
		iv.from = i == 0 ? c->y0 : b.v[i - 1];
		iv.to = i == n ? c->y1 : b.v[i] - 1;
		resolve_at(c, r, iv.from, &iv);
		/* Join neighbours with the same answer, so that a bound of an
		 * unrelated factor never splits a row (and its rounding). */
		if (r->n && r->iv[r->n - 1].loc == iv.loc &&
		    r->iv[r->n - 1].mkt == iv.mkt &&
		    r->iv[r->n - 1].net == iv.net &&
		    r->iv[r->n - 1].msrc == iv.msrc &&
		    r->iv[r->n - 1].extrap == iv.extrap)
			r->iv[r->n - 1].to = iv.to;
		else
			r->iv[r->n++] = iv;
	}
	free(b.v);
	return 0;
}

static struct resolver *
resolver_get(struct calc_core *c, const char *key, const char *tariff,
	     const char *network, struct err *e)
{
	char buf[512];
	size_t nk = strlen(key), nt = tariff ? strlen(tariff) : 0;
	size_t nn = network ? strlen(network) : 0, w;
	int64_t v;
	struct resolver *r;

	if (nk + nt + nn + 4 > sizeof buf) {
		err_setf(e, ERR_DATA, "activity key, tariff or network too long");
		return NULL;
	}
	memcpy(buf, key, nk);
	buf[nk] = '\0';
	buf[nk + 1] = tariff ? 1 : 0;
	memcpy(buf + nk + 2, tariff ? tariff : "", nt);
	w = nk + 2 + nt;
	if (network) { /* a row without a network keeps the key it had */
		buf[w++] = '\0';
		buf[w++] = 1;
		memcpy(buf + w, network, nn);
		w += nn;
	}
	if (strmap_get(c->rsmap, buf, w, &v))
		return c->rs[v];
	if (grow(&c->rs, &c->caprs, c->nrs + 1, sizeof *c->rs) ||
	    !(r = calloc(1, sizeof *r))) {
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	r->key = dup(key);
	r->tariff = tariff ? dup(tariff) : NULL;
	r->network = network ? dup(network) : NULL;
	c->rs[c->nrs++] = r;
	if (!r->key || (tariff && !r->tariff) || (network && !r->network)) {
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	if (build_resolver(c, r, e))
		return NULL;
	if (strmap_put(c->rsmap, buf, w, (int64_t)(c->nrs - 1))) {
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	return r;
}

/* ---- plans ---- */

static int
same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

struct calc_plan *
calc_core_plan(struct calc_core *c, const struct calc_in *r, struct err *e)
{
	struct calc_plan *p = c->last;
	struct pcache *pc;
	uint64_t up = 0, tp = 0; /* unit and tariff bytes, for the cache */
	char buf[512];
	size_t nu, nt, nn, w;
	int64_t v;

	nu = strlen(r->unit);
	if (nu <= 8)
		memcpy(&up, r->unit, nu);
	if (r->tariff) {
		size_t n = strlen(r->tariff);
		memcpy(&tp, r->tariff, n < 8 ? n : 8);
		tp |= 1;
	}
	pc = &c->pc[((uint64_t)r->key_id * 0x9E3779B97F4A7C15ULL ^
		     up * 0xC2B2AE3D27D4EB4FULL ^ tp * 0x165667B19E3779F9ULL) >> 56];
	if (up && pc->p && pc->key_id == r->key_id && pc->unit == up)
		p = pc->p;
	if (p && p->key_id == r->key_id && p->has_sf == r->has_supplier_factor &&
	    (!p->has_sf || p->sf == r->supplier_factor) &&
	    (up ? p->unitpack == up : same_str(p->unit, r->unit)) &&
	    same_str(p->tariff, r->tariff) && same_str(p->network, r->network))
		goto found;
	nt = r->tariff ? strlen(r->tariff) : 0;
	nn = r->network ? strlen(r->network) : 0;
	if (nu + nt + nn + 32 > sizeof buf) {
		err_setf(e, ERR_DATA, "unit, tariff or network too long");
		return NULL;
	}
	memcpy(buf, &r->key_id, 8);
	buf[8] = (char)(r->has_supplier_factor ? 1 : 0);
	v = r->has_supplier_factor ? r->supplier_factor : 0;
	memcpy(buf + 9, &v, 8);
	w = 17;
	memcpy(buf + w, r->unit, nu + 1);
	w += nu + 1;
	buf[w++] = r->tariff ? 1 : 0;
	memcpy(buf + w, r->tariff ? r->tariff : "", nt);
	w += nt;
	if (r->network) {
		buf[w++] = '\0';
		buf[w++] = 1;
		memcpy(buf + w, r->network, nn);
		w += nn;
	}
	if (strmap_get(c->planmap, buf, w, &v)) {
		p = c->plans[v];
		goto found;
	}
	if (grow(&c->plans, &c->capplans, c->nplans + 1, sizeof *c->plans) ||
	    !(p = calloc(1, sizeof *p))) {
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	p->key_id = r->key_id;
	p->has_sf = r->has_supplier_factor;
	p->sf = r->has_supplier_factor ? r->supplier_factor : 0;
	p->unit = dup(r->unit);
	p->unitpack = up;
	p->tariff = r->tariff ? dup(r->tariff) : NULL;
	p->network = r->network ? dup(r->network) : NULL;
	if (!p->unit || (r->tariff && !p->tariff) || (r->network && !p->network) ||
	    strmap_put(c->planmap, buf, w, (int64_t)c->nplans)) {
		plan_free(p);
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	c->plans[c->nplans++] = p;
	{
		struct err pe;
		const char *key = NULL;
		err_clear(&pe);
		if (strmap_get(c->keys, (const char *)&r->key_id, 8, &v))
			key = c->keytext[v];
		if (!key) {
			err_setf(&pe, ERR_DATA, "unknown activity key id %lld",
				 (long long)r->key_id);
		} else if (!(p->u = c->ops->unit(r->unit))) {
			err_setf(&pe, ERR_DATA, "unknown unit '%s'", r->unit);
		} else if ((p->rs = resolver_get(c, key, r->tariff, r->network, &pe))) {
			if (p->rs->n && !(p->coef = calloc(p->rs->n, sizeof *p->coef)))
				err_setf(&pe, ERR_IO, "out of memory");
		}
		if (pe.kind != ERR_NONE) {
			if (pe.kind == ERR_IO) {
				*e = pe;
				return NULL;
			}
			p->errtext = dup(pe.text);
			p->rs = NULL;
			if (!p->errtext) {
				err_setf(e, ERR_IO, "out of memory");
				return NULL;
			}
		}
	}
found:
	c->last = p;
	if (up) {
		pc->key_id = r->key_id;
		pc->unit = up;
		pc->p = p;
	}
	if (p->errtext) {
		err_setf(e, ERR_DATA, "%s", p->errtext);
		return NULL;
	}
	return p;
}

/* The factor's value in kg per its unit, GWP applied, exactly. */
static void
factor_value(const struct calc_core *c, const struct factor *f, struct q *out)
{
	if (f->has_gases) {
		out->num = (i128)f->co2 * 10 +
			   (i128)f->ch4_fossil * c->gwp->ch4_fossil_x10 +
			   (i128)f->ch4_biogenic * c->gwp->ch4_biogenic_x10 +
			   (i128)f->n2o * c->gwp->n2o_x10;
		out->den = (i128)10000000000000LL; /* 10 * 10^12 */
	} else {
		out->num = f->co2e;
		out->den = (i128)1000000000000LL;
	}
	q_reduce(out);
}

static int
coef_fail(struct coef *cf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
coef_fail(struct coef *cf, const char *fmt, ...)
{
	char buf[ERR_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cf->state = -1;
	cf->errtext = dup(buf);
	return -1;
}

/* Deflation of f's values to the run year's prices, when f has a price year. */
static int
deflation(struct calc_core *c, const struct factor *f, struct ratio *out,
	  struct coef *cf)
{
	const struct calc_ops *o = c->ops;
	struct ratio a, b;

	out->num = out->den = 1;
	if (!f->price_year)
		return 0;
	if (o->price_index(o->ctx, f->set, f->price_year, &a))
		return coef_fail(cf, "no price index for %d in factor set %s "
				 "(factor '%s' is in prices of %d)", f->price_year,
				 o->set_label(o->ctx, f->set), f->id, f->price_year);
	if (o->price_index(o->ctx, f->set, c->year, &b) || b.num == 0)
		return coef_fail(cf, "no price index for %d in factor set %s "
				 "(needed to deflate factor '%s' to prices of %d)",
				 c->year, o->set_label(o->ctx, f->set), f->id,
				 f->price_year);
	/* index[price_year] / index[year] = (a.num/a.den) / (b.num/b.den) */
	{
		struct q x = {(i128)a.num * b.den, (i128)a.den * b.num};
		if (x.den < 0) {
			x.num = -x.num;
			x.den = -x.den;
		}
		q_reduce(&x);
		if (x.num > INT64_MAX || x.den > INT64_MAX || x.num < INT64_MIN)
			return coef_fail(cf, "price index ratio too large");
		out->num = (int64_t)x.num;
		out->den = (int64_t)x.den;
	}
	return 0;
}

/* kg per row unit of factor f: value x conversion x deflation. */
static int
coef_of(int64_t value_num, const struct q *value, struct ratio conv,
	struct ratio defl, struct q *out)
{
	struct q x;

	if (value) {
		x = *value;
	} else {
		x.num = value_num;
		x.den = (i128)1000000000000LL;
		q_reduce(&x);
	}
	if (q_mul(&x, conv.num, conv.den) || q_mul(&x, defl.num, defl.den))
		return -1;
	*out = x;
	return 0;
}

/* Remember network factor f as used (once). */
static int
note_network(struct calc_core *c, const struct factor *f)
{
	size_t i;

	for (i = 0; i < c->nnetf; i++)
		if (c->netf[i] == f)
			return 0;
	if (grow(&c->netf, &c->capnetf, c->nnetf + 1, sizeof *c->netf))
		return -1;
	c->netf[c->nnetf++] = f;
	return 0;
}

static int
build_coef(struct calc_core *c, struct calc_plan *p, size_t k)
{
	const struct calc_ops *o = c->ops;
	const struct interval *iv = &p->rs->iv[k];
	const struct factor *f = iv->loc;
	struct coef *cf = &p->coef[k];
	struct q v;
	char mpath[160];

	cf->path[0] = '\0';
	if (o->convert(o->ctx, f, p->u, &cf->conv, cf->path, sizeof cf->path))
		return coef_fail(cf, "cannot convert '%s' to '%s' for %s (factor "
				 "'%s' of %s; the set has no conversion between them)",
				 p->u->name, f->unit->name, f->activity, f->id,
				 o->set_label(o->ctx, f->set));
	if (deflation(c, f, &cf->defl, cf))
		return -1;
	factor_value(c, f, &v);
	if (coef_of(0, &v, cf->conv, cf->defl, &cf->loc))
		goto overflow;
	cf->has_up = f->has_upstream && f->upstream_co2e != 0;
	if (cf->has_up &&
	    coef_of(f->upstream_co2e, NULL, cf->conv, cf->defl, &cf->up))
		goto overflow;
	cf->has_bio = f->biogenic_co2 != 0;
	if (cf->has_bio &&
	    coef_of(f->biogenic_co2, NULL, cf->conv, cf->defl, &cf->bio))
		goto overflow;
	cf->energy = CALC_ENERGY_NONE;
	cf->epath[0] = '\0';
	if (p->rs->fuel) {
		cf->energy = CALC_ENERGY_NO_CONVERSION;
		if (o->energy && o->energy(o->ctx, f, p->u, &cf->econv, cf->epath,
					   sizeof cf->epath) == 0)
			cf->energy = CALC_ENERGY_YES;
	}
	cf->msrc = iv->msrc;
	cf->mconv = cf->conv;
	cf->mkt = cf->loc;
	if (iv->net && note_network(c, f))
		return coef_fail(cf, "out of memory");
	/* on a network, a supplier factor of the row still gives the
	 * market-based result (GHG Protocol only: BISKO is never eligible) */
	if (iv->msrc == CALC_MKT_SAME &&
	    !(iv->net && p->has_sf && p->rs->eligible))
		goto done;
	if (p->has_sf) {
		const struct unit_info *kwh = o->unit("kWh");
		struct q x;
		cf->msrc = CALC_MKT_SUPPLIER;
		if (!kwh || o->scale(p->u, kwh, &cf->mconv))
			return coef_fail(cf, "cannot apply the supplier factor to "
					 "'%s' (it is per kWh)", p->u->name);
		x.num = p->sf;
		x.den = 1000000000; /* nano-kg -> kg */
		q_reduce(&x);
		if (q_mul(&x, cf->mconv.num, cf->mconv.den))
			goto overflow;
		cf->mkt = x;
	} else if (iv->mkt) {
		struct ratio mdefl;
		if (o->convert(o->ctx, iv->mkt, p->u, &cf->mconv, mpath, sizeof mpath))
			return coef_fail(cf, "cannot convert '%s' to '%s' for %s "
					 "(market factor '%s' of %s; the set has no "
					 "conversion between them)", p->u->name,
					 iv->mkt->unit->name, iv->mkt->activity,
					 iv->mkt->id, o->set_label(o->ctx, iv->mkt->set));
		if (deflation(c, iv->mkt, &mdefl, cf))
			return -1;
		factor_value(c, iv->mkt, &v);
		if (coef_of(0, &v, cf->mconv, mdefl, &cf->mkt))
			goto overflow;
	}
done:
	cf->state = 1;
	return 0;
overflow:
	return coef_fail(cf, "the factor '%s' of %s with this unit gives numbers "
			 "too large to compute exactly", f->id,
			 o->set_label(o->ctx, f->set));
}

/* ---- rows ---- */

struct cov {
	const struct calc_core *c;
	int32_t from, to;
};

/* 1 when `region` is on the run's region chain (DE-BE -> DE -> *). */
static int
on_chain(const char *run, const char *region)
{
	const char *dash = strchr(run, '-');

	return strcmp(region, "*") == 0 || strcmp(region, run) == 0 ||
	       (dash && strlen(region) == (size_t)(dash - run) &&
		strncmp(region, run, (size_t)(dash - run)) == 0);
}

static void
coverage_fn(void *arg, const struct factor *f)
{
	struct cov *cv = arg;

	if (f->market || !on_chain(cv->c->region, f->region))
		return;
	if (cv->from > f->valid_from)
		cv->from = f->valid_from;
	if (cv->to < f->valid_to)
		cv->to = f->valid_to;
}

static void
coverage(struct calc_core *c, struct resolver *r)
{
	struct cov cv = {c, INT32_MAX, INT32_MIN};
	const char *sets = c->ops->sets_label;
	int one = strchr(sets, ',') == NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (r->coverage)
		return;
	for (i = 0; i < r->ncand; i++)
		c->ops->each_factor(c->ops->ctx, r->cand[i], coverage_fn, &cv);
	r->cov_from = cv.from;
	r->cov_to = cv.to;
	if (cv.from > cv.to) {
		strbuf_addf(&sb, "the set%s %s %s no location factor for it in this "
			    "region", one ? "" : "s", sets, one ? "has" : "have");
	} else {
		char a[11], b[11];
		date_format(cv.from, a);
		date_format(cv.to, b);
		strbuf_addf(&sb, "the set%s %s cover%s it from %s to %s", one ? "" : "s",
			    sets, one ? "s" : "", a, b);
	}
	/* out of memory: the message goes without it */
	r->coverage = strbuf_failed(&sb) ? NULL : strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
}

int
calc_core_row(struct calc_core *c, struct calc_plan *p, const struct calc_in *r,
	      struct calc_result *out, struct calc_part *parts, struct err *e)
{
	const struct resolver *rs = p->rs;
	int32_t s, en, dt;
	size_t k = 0, np = 0;
	int64_t q = r->quantity;

	memset(out, 0, sizeof *out);
	out->cat = rs->cat;
	if (r->day_end < r->day_start)
		return err_setf(e, ERR_DATA, "the period ends before it starts");
	s = r->day_start > c->y0 ? r->day_start : c->y0;
	en = r->day_end < c->y1 ? r->day_end : c->y1;
	if (s > en) {
		out->outside = 1;
		return 0;
	}
	if (rs->excluded) {
		out->excluded = 1;
		return 0;
	}
	dt = r->day_end - r->day_start + 1;
	while (rs->iv[k].to < s)
		k++;
	while (s <= en) {
		const struct interval *iv = &rs->iv[k];
		struct coef *cf = &p->coef[k];
		struct calc_totals t = {0};
		int32_t end = en < iv->to ? en : iv->to, days = end - s + 1;
		int64_t L, M, x;

		if (!iv->loc) {
			char d[11];
			coverage(c, p->rs);
			date_format(s, d);
			if (c->previous == CALC_FALLBACK_NEAREST)
				return err_setf(e, ERR_DATA,
						"no emission factor for '%s' in %s on %s, "
						"nor an earlier or later one (%s; add a "
						"factor set)", rs->key, c->region, d,
						rs->coverage);
			if (c->previous)
				return err_setf(e, ERR_DATA,
						"no emission factor for '%s' in %s on %s, "
						"nor an earlier one (%s; add a factor set%s)",
						rs->key, c->region, d,
						rs->coverage ? rs->coverage : "?",
						s < rs->cov_from && rs->cov_from <= rs->cov_to
						? " or run with --factor-fallback nearest" : "");
			if (s < rs->cov_from && rs->cov_from <= rs->cov_to)
				return err_setf(e, ERR_DATA,
						"no emission factor for '%s' in %s on %s (%s; "
						"none starts earlier: add a factor set or run "
						"with --factor-fallback nearest)", rs->key,
						c->region, d, rs->coverage ? rs->coverage : "?");
			return err_setf(e, ERR_DATA,
					"no emission factor for '%s' in %s on %s (%s; "
					"add a factor set or run with --factor-fallback "
					"previous)", rs->key, c->region, d,
					rs->coverage ? rs->coverage : "?");
		}
		if (cf->state == 0)
			build_coef(c, p, k);
		if (cf->state < 0)
			return err_setf(e, ERR_DATA, "%s",
					cf->errtext ? cf->errtext : "out of memory");
		if (np == CALC_MAX_PARTS)
			return err_setf(e, ERR_DATA, "the period needs more than %d "
					"parts (factor changes) in one year",
					CALC_MAX_PARTS);
		if (calc_mg(q, cf->loc.num, cf->loc.den, days, dt, &L))
			goto overflow;
		switch (iv->loc->scope) {
		case 1: t.scope1_mg = L; break;
		case 3: t.scope3_mg = L; break;
		default:
			t.scope2_location_mg = L;
			if (cf->msrc == CALC_MKT_SAME || cf->msrc == CALC_MKT_LOCATION) {
				M = L;
			} else if (calc_mg(q, cf->mkt.num, cf->mkt.den, days, dt, &M)) {
				goto overflow;
			}
			t.scope2_market_mg = M;
			if (cf->msrc == CALC_MKT_LOCATION)
				t.market_fallback_mg = M;
			break;
		}
		if (cf->has_up) {
			if (calc_mg(q, cf->up.num, cf->up.den, days, dt, &x) ||
			    __builtin_add_overflow(t.scope3_mg, x, &t.scope3_mg))
				goto overflow;
			t.upstream_mg = x;
		}
		if (cf->has_bio) {
			if (calc_mg(q, cf->bio.num, cf->bio.den, days, dt, &x))
				goto overflow;
			t.biogenic_co2_mg = x;
		}
		if (cf->energy == CALC_ENERGY_YES &&
		    calc_mg(q, cf->econv.num, cf->econv.den, days, dt, &t.energy_ukwh))
			goto overflow;
		if (np == 0 || out->energy == CALC_ENERGY_YES)
			out->energy = cf->energy;
		if (calc_totals_add(&out->mg, &t))
			goto overflow;
		if (iv->extrap)
			out->extrapolated = 1;
		if (parts) {
			struct calc_part *pt = &parts[np];
			pt->day_from = s;
			pt->day_to = end;
			pt->days = days;
			pt->days_total = dt;
			pt->factor = iv->loc;
			pt->market = cf->msrc == CALC_MKT_TARIFF ||
						     cf->msrc == CALC_MKT_RESIDUAL
					     ? iv->mkt
					     : NULL;
			pt->market_source = cf->msrc;
			pt->extrapolated = iv->extrap;
			pt->conversion = cf->conv;
			snprintf(pt->conversion_path, sizeof pt->conversion_path, "%s",
				 cf->path);
			pt->deflation = cf->defl;
			pt->market_conversion = cf->mconv;
			pt->energy = cf->energy;
			pt->energy_conversion = cf->energy == CALC_ENERGY_YES
							? cf->econv
							: (struct ratio){0, 1};
			snprintf(pt->energy_path, sizeof pt->energy_path, "%s",
				 cf->energy == CALC_ENERGY_YES ? cf->epath : "");
			pt->mg = t;
		}
		np++;
		s = end + 1;
		k++;
	}
	out->nparts = np;
	return 0;
overflow:
	return err_setf(e, ERR_DATA, "the result is too large to compute exactly");
}
