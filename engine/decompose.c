/*
 * decompose: the exact split of a change into method, factor, structure and
 * activity effects by sequential substitution (see decompose.h).
 *
 * Four recomputations of rows feed it: the base run (T0), the base rows
 * with the run's method (T1), with the run's method and factors (T2), and
 * the run itself (T4). Each row adds its location and market totals to the
 * cell (reporting unit, sector) of its org unit; the T2 and T4 passes also
 * add them to the row's stream, from which T3 is built at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#include "engine/decompose.h"
#include "engine/calc.h"
#include "base/strmap.h"
#include "org/org.h"

#define NSECTORS 5
static const char *const SECTOR[NSECTORS] = {
	"buildings.electricity", "buildings.heat", "fleet", "procurement", "other"
};

struct cell {
	int64_t t[DECOMP_NSTEPS][DECOMP_NLENSES];
	long moved_in, moved_out, units_added, units_removed;
	int used;
};

struct stream {
	size_t org[2];     /* first row's org unit per year, ORG_NONE when none */
	int sector;
	int64_t e[2][DECOMP_NLENSES]; /* T2 (base rows), T4 (new rows) */
};

struct decomp {
	struct decomp_info info;
	struct org_tree *tree;
	size_t nunits;
	struct cell *cells;       /* [nunits][NSECTORS] by reporting unit */
	unsigned char *has[2];    /* [nunits]: org unit has rows in base / run */
	unsigned char *gone;      /* [nunits]: counted as added or removed */
	struct strmap *smap;      /* stream key -> index */
	struct stream *st;
	size_t nst, capst;
	char *key;                /* key buffer */
	size_t keycap;
	struct decomp_line *lines;
	size_t nlines;
};

/* One pass over rows. */
struct pass {
	struct decomp *d;
	int step;                 /* enum decomp_step */
	int side;                 /* 0 base rows, 1 new rows; -1: no streams */
	struct ledger *l;
};


static int
sector_index(const char *s)
{
	int i;

	for (i = 0; i < NSECTORS - 1; i++)
		if (strcmp(s, SECTOR[i]) == 0)
			return i;
	return NSECTORS - 1;
}

static size_t
report_unit(const struct decomp *d, size_t oi)
{
	const struct org_unit *u = org_tree_at(d->tree, oi);

	return u->report == ORG_NONE ? oi : u->report;
}

static int
add(int64_t *a, int64_t b, struct err *e)
{
	if (__builtin_add_overflow(*a, b, a))
		return err_setf(e, ERR_DATA, "a total of the decomposition "
				"overflows 64-bit milligrams");
	return 0;
}

static int
add_lens(int64_t t[DECOMP_NLENSES], const int64_t v[DECOMP_NLENSES],
	 struct err *e)
{
	return add(&t[0], v[0], e) || add(&t[1], v[1], e) ? -1 : 0;
}

static int
stream_get(struct decomp *d, const char *a, const char *b, const char *c,
	   size_t *out, struct err *e)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c), n = la + lb + lc + 2;
	int64_t v;

	if (n > d->keycap) {
		char *k = realloc(d->key, n);
		if (!k)
			return err_setf(e, ERR_IO, "out of memory");
		d->key = k;
		d->keycap = n;
	}
	memcpy(d->key, a, la);
	d->key[la] = '\x1f';
	memcpy(d->key + la + 1, b, lb);
	d->key[la + 1 + lb] = '\x1f';
	memcpy(d->key + la + lb + 2, c, lc);
	if (strmap_get(d->smap, d->key, n, &v)) {
		*out = (size_t)v;
		return 0;
	}
	if (d->nst == d->capst) {
		size_t nc = d->capst ? d->capst * 2 : 64;
		struct stream *ns = realloc(d->st, nc * sizeof *ns);
		if (!ns)
			return err_setf(e, ERR_IO, "out of memory");
		d->st = ns;
		d->capst = nc;
	}
	memset(&d->st[d->nst], 0, sizeof d->st[d->nst]);
	d->st[d->nst].org[0] = d->st[d->nst].org[1] = ORG_NONE;
	if (strmap_put(d->smap, d->key, n, (int64_t)d->nst))
		return err_setf(e, ERR_IO, "out of memory");
	*out = d->nst++;
	return 0;
}

static int
on_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct pass *p = ctx;
	struct decomp *d = p->d;
	int64_t v[DECOMP_NLENSES];
	size_t oi, ru;
	int sec;
	struct cell *c;

	if (r->excluded)
		return 0;
	oi = org_tree_find(d->tree, r->org_code, strlen(r->org_code));
	if (oi == ORG_NONE)
		return err_setf(e, ERR_DATA, "%s:%ld: unit '%s' is not in the "
				"organisation tree", r->file, r->line, r->org_code);
	ru = report_unit(d, oi);
	sec = sector_index(r->sector);
	v[DECOMP_LOCATION] = r->mg.scope1_mg + r->mg.scope2_location_mg +
			     r->mg.scope3_mg;
	v[DECOMP_MARKET] = r->mg.scope1_mg + r->mg.scope2_market_mg +
			   r->mg.scope3_mg;
	c = &d->cells[ru * NSECTORS + (size_t)sec];
	c->used = 1;
	if (add_lens(c->t[p->step], v, e))
		return -1;
	if (p->side >= 0) {
		const char *id = r->ident;
		size_t si;
		if (id ? stream_get(d, "M", r->activity, id, &si, e)
		       : stream_get(d, "U", r->org_code, r->activity, &si, e))
			return -1;
		d->has[p->side][oi] = 1;
		if (d->st[si].org[p->side] == ORG_NONE)
			d->st[si].org[p->side] = oi;
		d->st[si].sector = sec;
		if (add_lens(d->st[si].e[p->side], v, e))
			return -1;
	}
	return 0;
}

static int
run_pass(struct ledger *l, struct decomp *d, int step, int side,
	 const struct calc_mix *mix, int64_t run, struct err *e)
{
	struct pass p;
	int status;

	memset(&p, 0, sizeof p);
	p.d = d;
	p.step = step;
	p.side = side;
	p.l = l;
	status = mix ? calc_each_row_mix(l, mix, on_row, &p, e)
		     : calc_each_row(l, run, 0, on_row, &p, e);
	return status;
}

static const char SQL_BASE_TOTALS[] =
	"SELECT org_id, sector, CAST(sum(scope1_mg) AS BIGINT), "
	"CAST(sum(scope2_location_mg) AS BIGINT), CAST(sum(scope2_market_mg) AS BIGINT), "
	"CAST(sum(scope3_mg) AS BIGINT) FROM run_total WHERE run_id = ?1 "
	"GROUP BY org_id, sector";

/* T0 is the base run as it was stored: its totals per unit and sector
 * (run_total, the sums of the very row results a recomputation would give),
 * read instead of recomputing every base row. */
static int
base_totals(struct ledger *l, struct decomp *d, int64_t base_run, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_BASE_TOTALS, e);
	int rc, status = 0;

	if (!st)
		return -1;
	db_bind_int64(st, 1, base_run);
	while ((rc = db_step(st)) == DB_ROW) {
		size_t oi = org_tree_by_id(d->tree, db_column_int64(st, 0));
		const char *sector = (const char *)db_column_text(st, 1);
		int64_t v[DECOMP_NLENSES], s1 = db_column_int64(st, 2),
			s3 = db_column_int64(st, 5);
		struct cell *c;
		if (oi == ORG_NONE) {
			status = err_setf(e, ERR_DATA, "run %lld: a unit of its totals is no "
					  "longer in the organisation tree", (long long)base_run);
			break;
		}
		if (__builtin_add_overflow(s1, s3, &v[DECOMP_LOCATION]) ||
		    __builtin_add_overflow(v[DECOMP_LOCATION], db_column_int64(st, 3),
					   &v[DECOMP_LOCATION]) ||
		    __builtin_add_overflow(s1, s3, &v[DECOMP_MARKET]) ||
		    __builtin_add_overflow(v[DECOMP_MARKET], db_column_int64(st, 4),
					   &v[DECOMP_MARKET])) {
			status = err_setf(e, ERR_DATA, "a total of the decomposition "
					  "overflows 64-bit milligrams");
			break;
		}
		c = &d->cells[report_unit(d, oi) * NSECTORS +
			      (size_t)sector_index(sector ? sector : "")];
		c->used = 1;
		if ((status = add_lens(c->t[DECOMP_BASE], v, e)) != 0)
			break;
	}
	db_reset(st);
	if (status)
		return -1;
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "reading the run's totals", e);
}

/* T3 from the streams. */
static int
structure(struct decomp *d, struct err *e)
{
	size_t i;

	for (i = 0; i < d->nst; i++) {
		const struct stream *s = &d->st[i];
		size_t a = s->org[0], b = s->org[1];
		struct cell *c;
		if (a != ORG_NONE && b != ORG_NONE) {
			size_t ra = report_unit(d, a), rb = report_unit(d, b);
			c = &d->cells[rb * NSECTORS + (size_t)s->sector];
			if (add_lens(c->t[DECOMP_STRUCTURE], s->e[0], e))
				return -1;
			if (ra != rb) {
				c->moved_in++;
				d->cells[ra * NSECTORS + (size_t)s->sector].moved_out++;
			}
		} else if (a != ORG_NONE) {
			c = &d->cells[report_unit(d, a) * NSECTORS + (size_t)s->sector];
			if (d->has[1][a]) {
				if (add_lens(c->t[DECOMP_STRUCTURE], s->e[0], e))
					return -1;
			} else if (!(d->gone[a] & 1)) {
				d->gone[a] |= 1;
				c->units_removed++;
			}
		} else if (b != ORG_NONE && !d->has[0][b]) {
			c = &d->cells[report_unit(d, b) * NSECTORS + (size_t)s->sector];
			if (add_lens(c->t[DECOMP_STRUCTURE], s->e[1], e))
				return -1;
			if (!(d->gone[b] & 2)) {
				d->gone[b] |= 2;
				c->units_added++;
			}
		}
	}
	return 0;
}

static int
line_add(struct decomp_line *ln, const struct cell *c, struct err *e)
{
	int k;

	for (k = 0; k < DECOMP_NSTEPS; k++)
		if (add_lens(ln->t[k], c->t[k], e))
			return -1;
	ln->moved_in += c->moved_in;
	ln->moved_out += c->moved_out;
	ln->units_added += c->units_added;
	ln->units_removed += c->units_removed;
	return 0;
}

static int
line_zero(const struct decomp_line *ln)
{
	int k;

	for (k = 0; k < DECOMP_NSTEPS; k++)
		if (ln->t[k][0] || ln->t[k][1])
			return 0;
	return !ln->moved_in && !ln->moved_out && !ln->units_added &&
	       !ln->units_removed;
}

static int
build_lines(struct decomp *d, struct err *e)
{
	size_t i, n = d->nunits, cap = (n + 1) * (NSECTORS + 1), k = 0;
	int s;

	if (!(d->lines = calloc(cap, sizeof *d->lines)))
		return err_setf(e, ERR_IO, "out of memory");
	/* all units, then all units per sector */
	for (s = -1; s < NSECTORS; s++) {
		struct decomp_line *ln = &d->lines[k];
		ln->sector = s < 0 ? NULL : SECTOR[s];
		for (i = 0; i < n; i++) {
			size_t from = s < 0 ? 0 : (size_t)s, to = s < 0 ? NSECTORS : (size_t)s + 1, j;
			for (j = from; j < to; j++)
				if (line_add(ln, &d->cells[i * NSECTORS + j], e))
					return -1;
		}
		if (s < 0 || !line_zero(ln))
			k++;
		else
			memset(ln, 0, sizeof *ln);
	}
	for (i = 0; i < n; i++) {
		const struct org_unit *u = org_tree_at(d->tree, i);
		int any = 0;
		for (s = 0; s < NSECTORS; s++)
			any |= d->cells[i * NSECTORS + (size_t)s].used;
		if (!any)
			continue;
		for (s = -1; s < NSECTORS; s++) {
			struct decomp_line *ln = &d->lines[k];
			size_t from = s < 0 ? 0 : (size_t)s, to = s < 0 ? NSECTORS : (size_t)s + 1, j;
			ln->code = u->code;
			ln->name = u->name;
			ln->sector = s < 0 ? NULL : SECTOR[s];
			for (j = from; j < to; j++)
				if (line_add(ln, &d->cells[i * NSECTORS + j], e))
					return -1;
			if (s < 0 || !line_zero(ln))
				k++;
			else
				memset(ln, 0, sizeof *ln);
		}
	}
	d->nlines = k;
	return 0;
}

int
decomp_runs(struct ledger *l, int64_t base_run, int64_t run,
	    struct decomp **out, struct err *e)
{
	struct decomp *d = calloc(1, sizeof *d);
	struct calc_run_info a, b;
	struct calc_mix mix;

	*out = NULL;
	if (!d)
		return err_setf(e, ERR_IO, "out of memory");
	if (calc_run_info(l, base_run, &a, e) || calc_run_info(l, run, &b, e))
		goto fail;
	d->info.base_run = base_run;
	d->info.run = run;
	d->info.base_year = a.year;
	d->info.year = b.year;
	snprintf(d->info.base_gwp, sizeof d->info.base_gwp, "%s", a.gwp);
	snprintf(d->info.gwp, sizeof d->info.gwp, "%s", b.gwp);
	if (org_tree_load(l, &d->tree, e))
		goto fail;
	d->nunits = org_tree_count(d->tree);
	if (!(d->cells = calloc(d->nunits ? d->nunits * NSECTORS : 1, sizeof *d->cells)) ||
	    !(d->has[0] = calloc(d->nunits ? d->nunits : 1, 1)) ||
	    !(d->has[1] = calloc(d->nunits ? d->nunits : 1, 1)) ||
	    !(d->gone = calloc(d->nunits ? d->nunits : 1, 1)) ||
	    !(d->smap = strmap_new())) {
		err_setf(e, ERR_IO, "out of memory");
		goto fail;
	}
	if (base_totals(l, d, base_run, e))
		goto fail;
	mix.rows_run = base_run;
	mix.method_run = run;
	mix.factors_run = base_run;
	mix.factor_year = 0;
	if (strcmp(a.gwp, b.gwp) == 0 && strcmp(a.region, b.region) == 0 &&
	    strcmp(a.fallback, b.fallback) == 0) {
		/* the same method: T1 is T0, without recomputing */
		size_t i;
		for (i = 0; i < d->nunits * NSECTORS; i++)
			memcpy(d->cells[i].t[DECOMP_METHOD], d->cells[i].t[DECOMP_BASE],
			       sizeof d->cells[i].t[DECOMP_BASE]);
	} else if (run_pass(l, d, DECOMP_METHOD, -1, &mix, 0, e)) {
		goto fail;
	}
	mix.factors_run = run;
	mix.factor_year = b.year;
	if (run_pass(l, d, DECOMP_FACTORS, 0, &mix, 0, e))
		goto fail;
	if (run_pass(l, d, DECOMP_CURRENT, 1, NULL, run, e) ||
	    structure(d, e) || build_lines(d, e))
		goto fail;
	*out = d;
	return 0;
fail:
	decomp_free(d);
	return -1;
}

void
decomp_free(struct decomp *d)
{
	if (!d)
		return;
	org_tree_free(d->tree);
	free(d->cells);
	free(d->has[0]);
	free(d->has[1]);
	free(d->gone);
	strmap_free(d->smap);
	free(d->st);
	free(d->key);
	free(d->lines);
	free(d);
}

const struct decomp_info *
decomp_get_info(const struct decomp *d)
{
	return &d->info;
}

size_t
decomp_count(const struct decomp *d)
{
	return d->nlines;
}

const struct decomp_line *
decomp_at(const struct decomp *d, size_t i)
{
	return i < d->nlines ? &d->lines[i] : NULL;
}

int64_t
decomp_effect_mg(const struct decomp_line *l, enum decomp_effect k,
		 enum decomp_lens lens)
{
	return l->t[k + 1][lens] - l->t[k][lens];
}

int64_t
decomp_change_mg(const struct decomp_line *l, enum decomp_lens lens)
{
	return l->t[DECOMP_CURRENT][lens] - l->t[DECOMP_BASE][lens];
}

const char *
decomp_effect_name(enum decomp_effect k)
{
	static const char *const N[DECOMP_NEFFECTS] = {"method", "factors",
		"structure", "activity"};

	return (unsigned)k < DECOMP_NEFFECTS ? N[k] : "?";
}
