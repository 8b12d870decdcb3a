/*
 * diff: what changed between two versions of a factor set (factors.h,
 * factor_set_diff): factors added, removed and changed, keyed by factor id,
 * field by field with the relative change of each value, and the
 * conversions and price index entries that differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/strmap.h"
#include "factors/factors.h"

/* Append one change; the texts are copied (NULL stays NULL: "none"). */
static int
add_change(struct factor_changed *c, const char *field, const char *from,
	   const char *to)
{
	struct factor_change *x, *nv;

	if (!(nv = realloc(c->changes, (c->nchanges + 1) * sizeof *nv)))
		return -1;
	c->changes = nv;
	x = &nv[c->nchanges];
	memset(x, 0, sizeof *x);
	x->field = field;
	x->from = from ? strdup(from) : NULL;
	x->to = to ? strdup(to) : NULL;
	c->nchanges++;
	return (from && !x->from) || (to && !x->to) ? -1 : 0;
}

static int
str_change(struct factor_changed *c, const char *field, const char *a, const char *b)
{
	if ((!a && !b) || (a && b && strcmp(a, b) == 0))
		return 0;
	return add_change(c, field, a, b);
}

static int
int_change(struct factor_changed *c, const char *field, int a, int b)
{
	char sa[16], sb[16];

	if (a == b)
		return 0;
	snprintf(sa, sizeof sa, "%d", a);
	snprintf(sb, sizeof sb, "%d", b);
	return str_change(c, field, a ? sa : NULL, b ? sb : NULL);
}

static int
num_change(struct factor_changed *c, const char *field, int has_a, int64_t a,
	   int has_b, int64_t b)
{
	char ta[48], tb[48];
	struct factor_change *x;

	if (has_a == has_b && a == b)
		return 0;
	if (has_a)
		factors_format_value(a, ta, sizeof ta);
	if (has_b)
		factors_format_value(b, tb, sizeof tb);
	if (add_change(c, field, has_a ? ta : NULL, has_b ? tb : NULL))
		return -1;
	x = &c->changes[c->nchanges - 1];
	x->numeric = has_a && has_b;
	if (has_a && has_b && a != 0) {
		x->has_pct = 1;
		x->pct = (double)(b - a) / (double)a * 100.0;
	}
	return 0;
}

const char *
factor_method_name(const struct factor *f)
{
	return f->market ? "market" : "location";
}

/* Every field of a and b that differs, in a fixed order. */
static int
diff_factor(const struct factor *a, const struct factor *b, struct factor_changed *c)
{
	char va[32], vb[32], fa[11], ta[11], fb[11], tb[11];
	static const char *const GAS[] = {"gases.co2", "gases.ch4_fossil",
					  "gases.ch4_biogenic", "gases.n2o",
					  "gases.biogenic_co2"};
	const int64_t ga[] = {a->co2, a->ch4_fossil, a->ch4_biogenic, a->n2o,
			      a->biogenic_co2};
	const int64_t gb[] = {b->co2, b->ch4_fossil, b->ch4_biogenic, b->n2o,
			      b->biogenic_co2};
	int rc = 0, k;

	date_format(a->valid_from, fa);
	date_format(a->valid_to, ta);
	date_format(b->valid_from, fb);
	date_format(b->valid_to, tb);
	snprintf(va, sizeof va, "%s..%s", fa, ta);
	snprintf(vb, sizeof vb, "%s..%s", fb, tb);
	rc |= str_change(c, "activity", a->activity, b->activity);
	rc |= str_change(c, "region", a->region, b->region);
	rc |= str_change(c, "unit", a->unit->name, b->unit->name);
	rc |= str_change(c, "validity", va, vb);
	rc |= str_change(c, "method", factor_method_name(a), factor_method_name(b));
	rc |= str_change(c, "tariff", a->tariff, b->tariff);
	rc |= int_change(c, "scope", a->scope, b->scope);
	rc |= int_change(c, "category", a->category, b->category);
	if (!a->has_gases || !b->has_gases)
		rc |= num_change(c, "co2e", !a->has_gases, a->co2e, !b->has_gases, b->co2e);
	for (k = 0; k < 5 && (a->has_gases || b->has_gases); k++)
		rc |= num_change(c, GAS[k], a->has_gases && ga[k], ga[k],
				 b->has_gases && gb[k], gb[k]);
	rc |= num_change(c, "upstream_co2e", a->has_upstream, a->upstream_co2e,
			 b->has_upstream, b->upstream_co2e);
	rc |= int_change(c, "price_year", a->price_year, b->price_year);
	rc |= str_change(c, "status", a->status, b->status);
	rc |= str_change(c, "boundary", a->boundary, b->boundary);
	rc |= str_change(c, "network", a->network, b->network);
	rc |= str_change(c, "allocation", a->allocation, b->allocation);
	rc |= str_change(c, "citation", a->citation, b->citation);
	rc |= str_change(c, "notes", a->notes, b->notes);
	return rc;
}

static void
changed_release(struct factor_changed *c)
{
	size_t j;

	for (j = 0; j < c->nchanges; j++) {
		free(c->changes[j].from);
		free(c->changes[j].to);
	}
	free(c->changes);
}

static struct strmap *
index_ids(const struct factor_set *s)
{
	struct strmap *m = strmap_new();
	size_t i;

	for (i = 0; m && i < factor_set_count(s); i++) {
		const char *id = factor_set_at(s, i)->id;
		if (strmap_put(m, id, strlen(id), (int64_t)i)) {
			strmap_free(m);
			return NULL;
		}
	}
	return m;
}

static int
push(void **v, size_t *n, size_t size, const void *item)
{
	char *nv = realloc(*v, (*n + 1) * size);

	if (!nv)
		return -1;
	memcpy(nv + *n * size, item, size);
	*v = nv;
	(*n)++;
	return 0;
}

/* Conversions (by activity, from, to) and price index entries (by year) of
 * b that a lacks or has with another value, then those only in a. */
static int
diff_tables(const struct factor_set *a, const struct factor_set *b, struct factor_diff *d)
{
	size_t na = factor_set_nconversions(a), nb = factor_set_nconversions(b), i, j;

	for (i = 0; i < nb + na; i++) {
		int from_b = i < nb;
		const struct factor_set *other = from_b ? a : b;
		const struct factor_conversion *x, *y = NULL;
		struct factor_conversion_change ch;
		x = from_b ? factor_set_conversion_at(b, i) : factor_set_conversion_at(a, i - nb);
		for (j = 0; j < factor_set_nconversions(other); j++) {
			const struct factor_conversion *z = factor_set_conversion_at(other, j);
			if (strcmp(z->activity, x->activity) == 0 && z->from == x->from &&
			    z->to == x->to)
				y = z;
		}
		if (y && (!from_b || strcmp(y->factor, x->factor) == 0))
			continue;
		ch.activity = x->activity;
		ch.from = x->from;
		ch.to = x->to;
		ch.factor_from = from_b ? (y ? y->factor : NULL) : x->factor;
		ch.factor_to = from_b ? x->factor : NULL;
		if (push((void **)&d->conversions, &d->nconversions, sizeof ch, &ch))
			return -1;
	}
	na = factor_set_nprices(a);
	nb = factor_set_nprices(b);
	for (i = 0; i < nb + na; i++) {
		int from_b = i < nb;
		const struct factor_set *other = from_b ? a : b;
		const struct factor_price *x, *y = NULL;
		struct factor_price_change ch;
		x = from_b ? factor_set_price_at(b, i) : factor_set_price_at(a, i - nb);
		for (j = 0; j < factor_set_nprices(other); j++)
			if (factor_set_price_at(other, j)->year == x->year)
				y = factor_set_price_at(other, j);
		if (y && (!from_b || strcmp(y->text, x->text) == 0))
			continue;
		ch.year = x->year;
		ch.from = from_b ? (y ? y->text : NULL) : x->text;
		ch.to = from_b ? x->text : NULL;
		if (push((void **)&d->prices, &d->nprices, sizeof ch, &ch))
			return -1;
	}
	return 0;
}

int
factor_set_diff(const struct factor_set *a, const struct factor_set *b,
		struct factor_diff **out, struct err *e)
{
	struct factor_diff *d = calloc(1, sizeof *d);
	struct strmap *ia = index_ids(a), *ib = index_ids(b);
	size_t i;
	int64_t k;
	int rc = -1;

	*out = NULL;
	if (!d || !ia || !ib)
		goto out;
	d->a = a;
	d->b = b;
	for (i = 0; i < factor_set_count(b); i++) {
		const struct factor *fb = factor_set_at(b, i);
		struct factor_changed c = {0};
		if (!strmap_get(ia, fb->id, strlen(fb->id), &k)) {
			if (push((void **)&d->added, &d->nadded, sizeof fb, &fb))
				goto out;
			continue;
		}
		c.a = factor_set_at(a, (size_t)k);
		c.b = fb;
		if (diff_factor(c.a, fb, &c) ||
		    (c.nchanges && push((void **)&d->changed, &d->nchanged, sizeof c, &c))) {
			changed_release(&c);
			goto out;
		}
		if (!c.nchanges)
			d->unchanged++;
	}
	for (i = 0; i < factor_set_count(a); i++) {
		const struct factor *fa = factor_set_at(a, i);
		if (!strmap_get(ib, fa->id, strlen(fa->id), &k) &&
		    push((void **)&d->removed, &d->nremoved, sizeof fa, &fa))
			goto out;
	}
	if (diff_tables(a, b, d))
		goto out;
	*out = d;
	d = NULL;
	rc = 0;
out:
	if (rc)
		err_setf(e, ERR_IO, "out of memory");
	factor_diff_free(d);
	strmap_free(ia);
	strmap_free(ib);
	return rc;
}

void
factor_diff_free(struct factor_diff *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nchanged; i++)
		changed_release(&d->changed[i]);
	free(d->changed);
	free(d->added);
	free(d->removed);
	free(d->conversions);
	free(d->prices);
	free(d);
}
