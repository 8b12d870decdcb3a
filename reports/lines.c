/*
 * lines: every activity line of a report, recomputed by calc_each_row()
 * and turned into the text and numbers that the activity sheet and
 * activities.csv show (org, source file:line, period, quantity, factor,
 * citation, kg), filtered to the report's selection. Also collects the
 * factors the lines used, for the factor sheet. Streaming: one line at a
 * time in buffers reused from line to line (they grow to the longest line,
 * never cut it); only the (few) distinct factors are kept.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calc.h"
#include "base/date.h"
#include "base/num.h"
#include "base/strbuf.h"
#include "base/strmap.h"
#include "reports/lines.h"

/* The texts of a line, each in its own buffer of the walk. */
enum { T_SOURCE, T_FACTOR_ID, T_FACTOR_SET, T_FACTOR_VALUE, T_MARKET,
       T_CONVERSION, T_CITATION, T_N };

/* What a line shows of a factor, worked out once per factor and run. */
struct fcache {
	const struct factor *f;
	char set[160];   /* NAME@VERSION: a set's name and version have at most
			  * 64 characters each (factors/parse.c) */
	char value[48];  /* kg CO2e per unit, exact */
	double number;
};

#define FCACHE 256

struct walk {
	const struct report_model *m;
	struct report_factors *fs;
	const struct report_out *o;
	long seen, total;
	long lines, text_lines; /* lines passed to fn; how many get their text */
	report_line_fn *fn;
	void *ctx;
	const struct gwp *gwp;
	struct report_line line;
	struct strbuf text[T_N]; /* the line's texts */
	struct fcache cache[FCACHE];
};

/* A factor's CO2e per unit in pico-kg with the run's GWP. */
static int64_t
factor_co2e(const struct factor *f, const struct gwp *g)
{
	__int128 v;

	if (!f->has_gases || !g)
		return f->co2e;
	v = (__int128)f->co2 * 10 + (__int128)f->ch4_fossil * g->ch4_fossil_x10 +
	    (__int128)f->ch4_biogenic * g->ch4_biogenic_x10 +
	    (__int128)f->n2o * g->n2o_x10;
	return (int64_t)(v / 10);
}

/* A decimal of `scale` with trailing zeros removed. */
void
report_decimal(int64_t v, int scale, char *buf, size_t n)
{
	size_t len;

	if (n >= 24)
		report_fmt_scaled(v, scale, scale, buf);
	else
		num_format(v, scale, scale, buf, n);
	if (!strchr(buf, '.'))
		return;
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
}

/* Add `s` to the list in sb, `sep` between items. */
static void
append(struct strbuf *sb, const char *sep, const char *s)
{
	if (sb->len)
		strbuf_adds(sb, sep);
	strbuf_adds(sb, s);
}

int
report_fmt_scaled(int64_t v, int scale, int decimals, char *buf)
{
	int64_t r = num_round_shift(v, scale - decimals);
	uint64_t a = r < 0 ? -(uint64_t)r : (uint64_t)r;
	char tmp[24];
	int n = 0, len = 0, k;

	do {
		tmp[n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a);
	while (n <= decimals)
		tmp[n++] = '0';
	if (r < 0)
		buf[len++] = '-';
	for (k = n - 1; k >= 0; k--) {
		buf[len++] = tmp[k];
		if (k == decimals && decimals > 0)
			buf[len++] = '.';
	}
	buf[len] = '\0';
	return len;
}

/* "YYYY-MM-DD" without printf. */
static void
fmt_date(int32_t days, char out[11])
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	out[0] = (char)('0' + (y / 1000) % 10);
	out[1] = (char)('0' + (y / 100) % 10);
	out[2] = (char)('0' + (y / 10) % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}


static int
remember(struct report_factors *fs, const struct factor *f, const struct gwp *g,
	 struct err *e)
{
	char key[512];   /* NAME@VERSION, 0x1f, id: at most 64 + 1 + 64 + 1 + 128 */
	int64_t v;
	struct report_factor *x;
	int len = snprintf(key, sizeof key, "%s@%s\037%s", factor_set_name(f->set),
			   factor_set_version(f->set), f->id);

	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof key)
		len = (int)sizeof key - 1;
	if (strmap_get(fs->seen, key, (size_t)len, &v))
		return 0;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? 2 * fs->cap : 32;
		struct report_factor *p = realloc(fs->v, cap * sizeof *p);
		if (!p)
			return err_setf(e, ERR_IO, "out of memory");
		fs->v = p;
		fs->cap = cap;
	}
	x = &fs->v[fs->n];
	memset(x, 0, sizeof *x);
	snprintf(x->set, sizeof x->set, "%s@%s", factor_set_name(f->set),
		 factor_set_version(f->set));
	x->id = strdup(f->id);
	x->activity = strdup(f->activity);
	x->region = strdup(f->region);
	x->unit = strdup(f->unit ? f->unit->name : "");
	x->citation = strdup(f->citation ? f->citation : "");
	x->status = strdup(f->status ? f->status : "");
	if (!x->id || !x->activity || !x->region || !x->unit || !x->citation ||
	    !x->status || strmap_put(fs->seen, key, (size_t)len, (int64_t)fs->n)) {
		report_factor_clear(x);
		return err_setf(e, ERR_IO, "out of memory");
	}
	x->co2e = factor_co2e(f, g);
	x->has_upstream = f->has_upstream;
	x->upstream = f->upstream_co2e;
	x->valid_from = f->valid_from;
	x->valid_to = f->valid_to;
	x->market = f->market;
	x->scope = f->scope;
	x->order = fs->n;
	fs->n++;
	return 0;
}

/* The cached form of factor f; a miss also records f as used. */
static const struct fcache *
cached(struct walk *w, const struct factor *f, struct err *e)
{
	struct fcache *c = &w->cache[((uintptr_t)f >> 4) % FCACHE];

	if (c->f == f)
		return c;
	if (w->fs && remember(w->fs, f, w->gwp, e))
		return NULL;
	c->f = f;
	snprintf(c->set, sizeof c->set, "%s@%s", factor_set_name(f->set),
		 factor_set_version(f->set));
	report_decimal(factor_co2e(f, w->gwp), FACTOR_SCALE, c->value, sizeof c->value);
	c->number = (double)factor_co2e(f, w->gwp) / 1e12;
	return c;
}

static int
on_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct walk *w = ctx;
	struct report_line *ln = &w->line;
	const struct report_model *m = w->m;
	size_t t = org_tree_find(m->tree, r->org_code, strlen(r->org_code));
	const struct org_unit *u = t == ORG_NONE ? NULL : org_tree_at(m->tree, t);
	const struct org_unit *ru = u && u->report != ORG_NONE
		? org_tree_at(m->tree, u->report) : NULL;
	const struct factor *first = NULL;
	size_t i, j;

	if ((++w->seen & 0xFFFF) == 0 && w->o && w->o->progress)
		w->o->progress(w->o->progress_ctx, w->seen, w->total);

	if (m->sel != (size_t)-1 &&
	    (!u || u->report == ORG_NONE || m->tree_slot[u->report] != m->sel))
		return 0;
	if (w->text_lines >= 0 && ++w->lines > w->text_lines) {
		/* past what is shown: only the factors used are still needed */
		for (i = 0; i < r->nparts; i++)
			if ((r->parts[i].market && !cached(w, r->parts[i].market, e)) ||
			    (r->parts[i].factor && !cached(w, r->parts[i].factor, e)))
				return -1;
		ln->row = r;
		return w->fn(w->ctx, ln, e);
	}
	for (i = 0; i < T_N; i++)
		strbuf_reset(&w->text[i]);
	ln->ndistinct = 0;
	ln->market_source = CALC_MKT_SAME;
	ln->row = r;
	ln->reporting_unit = ru ? ru->code : (u ? u->code : "");
	strbuf_addf(&w->text[T_SOURCE], "%s:%ld", r->file, (long)r->line);
	fmt_date(r->day_start, ln->start);
	fmt_date(r->day_end, ln->end);
	report_decimal(r->quantity, 6, ln->quantity, sizeof ln->quantity);
	ln->quantity_value = (double)r->quantity / 1e6;
	ln->days_in = 0;
	ln->days_total = (long)r->day_end - r->day_start + 1;
	for (i = 0; i < r->nparts; i++)
		ln->days_in += r->parts[i].days;
	for (i = 0; i < r->nparts; i++) {
		const struct calc_part *p = &r->parts[i];
		const struct fcache *c;
		int seen = 0;
		if (p->market && !cached(w, p->market, e))
			return -1;
		if (!p->factor)
			continue;
		if (!(c = cached(w, p->factor, e)))
			return -1;
		for (j = 0; j < i; j++)
			if (r->parts[j].factor == p->factor)
				seen = 1;
		if (seen)
			continue;
		if (!first) {
			first = p->factor;
			ln->market_source = p->market_source;
			ln->factor_number = c->number;
		}
		ln->ndistinct++;
		struct strbuf *tx = w->text;
		append(&tx[T_FACTOR_ID], " + ", p->factor->id);
		if (!strstr(strbuf_str(&tx[T_FACTOR_SET]), c->set))
			append(&tx[T_FACTOR_SET], " + ", c->set);
		if (p->factor->citation &&
		    !strstr(strbuf_str(&tx[T_CITATION]), p->factor->citation))
			append(&tx[T_CITATION], " | ", p->factor->citation);
		append(&tx[T_FACTOR_VALUE], " + ", c->value);
		if (p->market_source == CALC_MKT_TARIFF || p->market_source == CALC_MKT_RESIDUAL)
			append(&tx[T_MARKET], " + ", p->market ? p->market->id : "?");
		else if (p->market_source == CALC_MKT_SUPPLIER)
			append(&tx[T_MARKET], " + ", "supplier");
		else if (p->market_source == CALC_MKT_LOCATION)
			append(&tx[T_MARKET], " + ", "location_fallback");
		if (p->conversion_path[0] && !tx[T_CONVERSION].len)
			append(&tx[T_CONVERSION], "", p->conversion_path);
	}
	for (i = 0; i < T_N; i++)
		if (strbuf_failed(&w->text[i]))
			return err_setf(e, ERR_IO, "%s:%ld: the activity line's text "
					"is too long or out of memory", r->file,
					(long)r->line);
	ln->source = strbuf_str(&w->text[T_SOURCE]);
	ln->factor_id = strbuf_str(&w->text[T_FACTOR_ID]);
	ln->factor_set = strbuf_str(&w->text[T_FACTOR_SET]);
	ln->factor_value = strbuf_str(&w->text[T_FACTOR_VALUE]);
	ln->market = strbuf_str(&w->text[T_MARKET]);
	ln->conversion = strbuf_str(&w->text[T_CONVERSION]);
	ln->citation = strbuf_str(&w->text[T_CITATION]);
	ln->factor_unit = first && first->unit ? first->unit->name : "";
	ln->kg_location_mg = calc_total_location(&r->mg);
	ln->kg_market_mg = calc_total_market(&r->mg);
	return w->fn(w->ctx, ln, e);
}

int
report_each_line(struct ledger *l, const struct report_model *m,
		 const struct report_out *o, struct report_factors *fs,
		 long text_lines, report_line_fn *fn, void *ctx, struct err *e)
{
	struct walk *w = calloc(1, sizeof *w);
	size_t i;
	int rc;

	if (!w)
		return err_setf(e, ERR_IO, "out of memory");
	w->m = m;
	w->fs = fs;
	w->o = o;
	w->total = m->run.rows_used + m->run.rows_excluded;
	w->text_lines = text_lines;
	w->fn = fn;
	w->ctx = ctx;
	w->gwp = gwp_find(m->run.gwp);
	w->line.source = w->line.factor_id = w->line.factor_set = "";
	w->line.factor_value = w->line.market = w->line.conversion = "";
	w->line.citation = "";
	rc = calc_each_row(l, m->run.id, 0, on_row, w, e);
	if (!rc && o && o->progress)
		o->progress(o->progress_ctx, w->seen, w->total);
	for (i = 0; i < T_N; i++)
		strbuf_release(&w->text[i]);
	free(w);
	return rc;
}

void
report_factor_clear(struct report_factor *x)
{
	free(x->id);
	free(x->activity);
	free(x->region);
	free(x->unit);
	free(x->citation);
	free(x->status);
	memset(x, 0, sizeof *x);
}

int
report_factors_init(struct report_factors *fs, struct err *e)
{
	memset(fs, 0, sizeof *fs);
	if (!(fs->seen = strmap_new()))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

void
report_factors_release(struct report_factors *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		report_factor_clear(&fs->v[i]);
	free(fs->v);
	strmap_free(fs->seen);
	memset(fs, 0, sizeof *fs);
}

static int
cmp_factor(const void *a, const void *b)
{
	const struct report_factor *x = a, *y = b;
	int c = strcmp(x->set, y->set);

	return c ? c : strcmp(x->id, y->id);
}

void
report_factors_sort(struct report_factors *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof *fs->v, cmp_factor);
}
