/*
 * calc_reg: the factor registry behind the core's ops: a run's factor sets
 * loaded from the ledger, their factors listed per activity, and the
 * callbacks the core asks (calc_int.h).
 */
#include "engine/calc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/strbuf.h"
#include "base/strmap.h"

/* The copy of f in a shifted registry (f itself when not shifted). */
static const struct factor *
reg_copy(const struct calc_reg *r, const struct factor *f)
{
	int64_t v;

	if (!f || !r->shift)
		return f;
	if (!strmap_get(r->copy_of, (const char *)&f, sizeof f, &v))
		return f;
	return &r->shifted[v];
}

/* Day d moved by `years` to the same month and day; 29 February becomes
 * the 28th (`up` 0) or 1 March (`up` 1) in a common year. Open bounds and
 * days outside 1..9999 stay. */
static int32_t
shift_day(int32_t d, int years, int up)
{
	int y, m, dd;

	if (!years || d <= date_year_start(1) || d >= date_year_end(9999))
		return d;
	date_to_ymd(d, &y, &m, &dd);
	y += years;
	if (y < 1 || y > 9999)
		return d;
	if (m == 2 && dd == 29 && !date_is_leap(y)) {
		if (up)
			m = 3, dd = 1;
		else
			dd = 28;
	}
	return date_from_ymd(y, m, dd);
}

static const struct factor *
reg_find(void *ctx, const char *activity, int32_t day, int market,
	 const char *tariff)
{
	struct calc_reg *r = ctx;

	return reg_copy(r, factor_db_find(r->db, activity, r->region,
					  shift_day(day, r->shift, 0), market, tariff));
}

static const struct factor *
reg_find_previous(void *ctx, const char *activity, int32_t day, int market,
		  const char *tariff)
{
	struct calc_reg *r = ctx;

	return reg_copy(r, factor_db_find_previous(r->db, activity, r->region,
						   shift_day(day, r->shift, 0),
						   market, tariff));
}

static const struct factor *
reg_find_next(void *ctx, const char *activity, int32_t day, int market,
	      const char *tariff)
{
	struct calc_reg *r = ctx;

	return reg_copy(r, factor_db_find_next(r->db, activity, r->region,
					       shift_day(day, r->shift, 0), market,
					       tariff));
}

static const struct factor *
reg_find_network(void *ctx, const char *activity, const char *network,
		 int32_t day)
{
	struct calc_reg *r = ctx;

	return reg_copy(r, factor_db_find_network(r->db, activity, network,
						  shift_day(day, r->shift, 0)));
}

static void
reg_each(void *ctx, const char *activity,
	 void (*fn)(void *arg, const struct factor *f), void *arg)
{
	struct calc_reg *r = ctx;
	int64_t v;
	size_t i;

	if (!strmap_get(r->byact, activity, strlen(activity), &v))
		return;
	for (i = 0; i < r->lists[v].n; i++)
		fn(arg, reg_copy(r, r->lists[v].v[i]));
}

static int
reg_convert(void *ctx, const struct factor *f, const struct unit_info *from,
	    struct ratio *out, char *path, size_t pathlen)
{
	struct err e;

	(void)ctx;
	err_clear(&e);
	if (factor_set_convert(f->set, f->activity, from, f->unit, out, path,
			       pathlen, &e))
		return -1;
	if (from == f->unit)
		path[0] = '\0';
	return 0;
}

/* Final energy: kWh on the net calorific basis, through the factor's own
 * set first, then the run's sets in priority order. */
static int
reg_energy(void *ctx, const struct factor *f, const struct unit_info *from,
	   struct ratio *out, char *path, size_t pathlen)
{
	struct calc_reg *r = ctx;
	const struct unit_info *kwh = units_find("kWh", 3);
	size_t i, n = factor_db_nsets(r->db);
	struct err e;

	err_clear(&e);
	if (!kwh || !from)
		return -1;
	if (units_scale(from, kwh, out) == 0) {
		path[0] = '\0';
		return 0;
	}
	if (factor_set_convert(f->set, f->activity, from, kwh, out, path, pathlen,
			       &e) == 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct factor_set *s = factor_db_set(r->db, i);
		if (s == f->set)
			continue;
		err_clear(&e);
		if (factor_set_convert(s, f->activity, from, kwh, out, path, pathlen,
				       &e) == 0) {
			size_t w = strlen(path);
			snprintf(path + w, pathlen - w, " [%s]", r->labels[i]);
			return 0;
		}
	}
	return -1;
}

static const struct unit_info *
reg_unit(const char *name)
{
	return units_find(name, strlen(name));
}

static int
reg_price_index(void *ctx, const struct factor_set *s, int year,
		struct ratio *out)
{
	(void)ctx;
	return factor_set_price_index(s, year, out);
}

static const char *
reg_label(void *ctx, const struct factor_set *s)
{
	struct calc_reg *r = ctx;
	size_t i, n = factor_db_nsets(r->db);

	for (i = 0; i < n; i++)
		if (factor_db_set(r->db, i) == s)
			return r->labels[i];
	return "?";
}

void
calc_reg_free(struct calc_reg *r)
{
	size_t i, n;

	if (!r)
		return;
	for (i = 0; i < r->nlists; i++)
		free(r->lists[i].v);
	free(r->lists);
	if (r->labels) {
		n = factor_db_nsets(r->db);
		for (i = 0; i < n; i++)
			free(r->labels[i]);
	}
	free(r->labels);
	free(r->sets_label);
	free(r->shifted);
	strmap_free(r->copy_of);
	strmap_free(r->byact);
	factor_db_free(r->db);
	free(r);
}

int
calc_reg_load(struct ledger *l, const struct factor_ref *refs, size_t nrefs,
	      const char *region, struct calc_reg **out, struct err *e)
{
	struct calc_reg *r = calloc(1, sizeof *r);
	size_t i, j, ns;

	if (!r)
		return err_setf(e, ERR_IO, "out of memory");
	r->region = region;
	if (factor_db_load(l, refs, nrefs, &r->db, e)) {
		free(r);
		return -1;
	}
	ns = factor_db_nsets(r->db);
	if (!(r->byact = strmap_new()) ||
	    !(r->labels = calloc(ns ? ns : 1, sizeof *r->labels)))
		goto oom;
	for (i = 0; i < ns; i++) {
		const struct factor_set *s = factor_db_set(r->db, i);
		size_t n = strlen(factor_set_name(s)) + strlen(factor_set_version(s)) + 2;
		if (!(r->labels[i] = malloc(n)))
			goto oom;
		snprintf(r->labels[i], n, "%s@%s", factor_set_name(s),
			 factor_set_version(s));
		for (j = 0; j < factor_set_count(s); j++) {
			const struct factor *f = factor_set_at(s, j);
			int64_t v;
			struct calc_flist *fl;
			if (!strmap_get(r->byact, f->activity, strlen(f->activity), &v)) {
				struct calc_flist *nl = realloc(r->lists,
							   (r->nlists + 1) * sizeof *nl);
				if (!nl)
					goto oom;
				r->lists = nl;
				memset(&nl[r->nlists], 0, sizeof *nl);
				v = (int64_t)r->nlists++;
				if (strmap_put(r->byact, f->activity, strlen(f->activity), v))
					goto oom;
			}
			fl = &r->lists[v];
			if (fl->n == fl->cap) {
				size_t nc = fl->cap ? fl->cap * 2 : 4;
				const struct factor **nv = realloc(fl->v, nc * sizeof *nv);
				if (!nv)
					goto oom;
				fl->v = nv;
				fl->cap = nc;
			}
			fl->v[fl->n++] = f;
		}
	}
	{
		struct strbuf sb = STRBUF_INIT;
		for (i = 0; i < ns; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", r->labels[i]);
		if (ns == 0)
			strbuf_adds(&sb, "(none)");
		if (strbuf_failed(&sb) || !(r->sets_label = strbuf_detach(&sb, NULL))) {
			strbuf_release(&sb);
			goto oom;
		}
	}
	r->ops.ctx = r;
	r->ops.find = reg_find;
	r->ops.find_previous = reg_find_previous;
	r->ops.find_next = reg_find_next;
	r->ops.find_network = reg_find_network;
	r->ops.each_factor = reg_each;
	r->ops.convert = reg_convert;
	r->ops.energy = reg_energy;
	r->ops.scale = units_scale;
	r->ops.unit = reg_unit;
	r->ops.price_index = reg_price_index;
	r->ops.set_label = reg_label;
	r->ops.sets_label = r->sets_label;
	*out = r;
	return 0;
oom:
	calc_reg_free(r);
	return err_setf(e, ERR_IO, "out of memory");
}


int
calc_reg_shift(struct calc_reg *r, int by, struct err *e)
{
	size_t i, j, n = 0, k = 0;

	if (!by)
		return 0;
	for (i = 0; i < r->nlists; i++)
		n += r->lists[i].n;
	if (!(r->shifted = calloc(n ? n : 1, sizeof *r->shifted)) ||
	    !(r->copy_of = strmap_new()))
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < r->nlists; i++)
		for (j = 0; j < r->lists[i].n; j++) {
			const struct factor *f = r->lists[i].v[j];
			r->shifted[k] = *f;
			r->shifted[k].valid_from = shift_day(f->valid_from, -by, 1);
			r->shifted[k].valid_to = shift_day(f->valid_to, -by, 0);
			if (strmap_put(r->copy_of, (const char *)&f, sizeof f, (int64_t)k))
				return err_setf(e, ERR_IO, "out of memory");
			k++;
		}
	r->shift = by;
	return 0;
}
