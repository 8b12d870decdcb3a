/*
 * import_guard: the double-counting guard. Rows of this file and of the
 * other active batches of its kind are remembered in compact, capped forms;
 * a row that repeats or overlaps one of them is a row error (or, with
 * allow_overlap, a warning), naming both places.
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "importers/import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/date.h"
#include "base/strmap.h"

/* ---- double counting ---------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t
h_int(uint64_t h, uint64_t v)
{
	return mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

static uint64_t
h_str(uint64_t h, const char *s, size_t n)
{
	uint64_t f = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		f = (f ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h_int(h_int(h, n), f);
}

static uint64_t
row_fp(const struct rowid *r)
{
	uint64_t h = 0x5eed;

	h = h_int(h, (uint64_t)r->org_id);
	h = h_int(h, (uint64_t)r->key_id);
	h = h_int(h, (uint64_t)(uint32_t)r->s);
	h = h_int(h, (uint64_t)(uint32_t)r->e);
	h = h_int(h, (uint64_t)r->qty);
	h = h_str(h, r->unit, r->unit ? strlen(r->unit) : 0);
	h = h_str(h, r->ident, r->ident ? r->ident_n : 0);
	h = h_str(h, r->site, r->site ? r->site_n : 0);
	h = h_str(h, r->supplier, r->supplier ? r->supplier_n : 0);
	h = h_str(h, r->description, r->description ? r->description_n : 0);
	return h ? h : 1;
}

/* Which rows are checked by period (meters, vehicles with a period) and
 * which by fingerprint (no meter, dated fleet rows, procurement). */
static int
by_period(enum import_kind k, const char *ident, int32_t s, int32_t e)
{
	if (k == IMPORT_ENERGY)
		return ident != NULL;
	return k == IMPORT_FLEET && s != e;
}

static uint32_t
line32(long line)
{
	return line < 0 ? 0 : line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

static struct recent *
ident_rec(struct imp *im, const char *ident, size_t n, int64_t key, int create)
{
	char k[IDENT_MAX + 24];
	int64_t idx;

	if (n > IDENT_MAX)
		return NULL;
	memcpy(k, &key, sizeof key);
	memcpy(k + sizeof key, ident, n);
	if (strmap_get(im->idents, k, sizeof key + n, &idx))
		return &im->rec[idx];
	if (!create)
		return NULL;
	if (im->nrec >= IDENTS_MAX) {
		im->idents_full = 1;
		return NULL;
	}
	if (im->nrec == im->caprec) {
		size_t cap = im->caprec ? im->caprec * 2 : 256;
		struct recent *p = realloc(im->rec, cap * sizeof *p);
		if (!p) {
			im->guard_oom = 1;
			return NULL;
		}
		im->rec = p;
		im->caprec = cap;
	}
	idx = (int64_t)im->nrec;
	if (strmap_put(im->idents, k, sizeof key + n, idx)) {
		im->guard_oom = 1;
		return NULL;
	}
	memset(&im->rec[im->nrec++], 0, sizeof im->rec[0]);
	return &im->rec[idx];
}

/* The first remembered period or span that s..e overlaps. */
static void
period_probe(const struct recent *r, int32_t s, int32_t e, struct clash *c)
{
	int i, k;

	memset(c, 0, sizeof *c);
	for (k = 0; k < 2; k++)
		for (i = 0; i < r->n[k]; i++)
			if (r->r[k][i].s <= e && s <= r->r[k][i].e) {
				c->kind = 1;
				c->src = r->r[k][i].src;
				c->s = r->r[k][i].s;
				c->e = r->r[k][i].e;
				c->first = c->last = r->r[k][i].line;
				return;
			}
	for (i = 0; i < r->nsp; i++)
		if (r->sp[i].s <= e && s <= r->sp[i].e) {
			c->kind = r->sp[i].exact == 1 ? 2 : 3;
			c->mixed = r->sp[i].exact == 2;
			c->src = r->sp[i].src;
			c->s = r->sp[i].s;
			c->e = r->sp[i].e;
			c->first = r->sp[i].first;
			c->last = r->sp[i].last;
			if (c->kind == 2)
				return;
		}
}

static void
span_join(struct span *a, const struct span *b, int exact)
{
	a->exact = exact && a->exact && b->exact;
	if (b->s < a->s)
		a->s = b->s;
	if (b->e > a->e)
		a->e = b->e;
	if (b->first < a->first)
		a->first = b->first;
	if (b->last > a->last)
		a->last = b->last;
}

static int64_t
span_gap(const struct span *a, const struct span *b)
{
	return a->e < b->s ? (int64_t)b->s - a->e : b->e < a->s ? (int64_t)a->s - b->e : 0;
}

static void
period_add(struct recent *r, int32_t s, int32_t e, uint32_t src, long line)
{
	struct span n = {s, e, src, line32(line), line32(line), 1};
	int i, j, bi = -1, bj = -1;
	int64_t best = INT64_MAX;

	int k = src != 0;
	struct ring *rg = &r->r[k][r->next[k]];

	rg->s = s;
	rg->e = e;
	rg->src = src;
	rg->line = line32(line);
	r->next[k] = (unsigned char)((r->next[k] + 1) % RECENT);
	if (r->n[k] < RECENT)
		r->n[k]++;
	for (i = 0; i < r->nsp; i++)
		if (r->sp[i].src == src && (int64_t)s <= (int64_t)r->sp[i].e + 1 &&
		    (int64_t)e + 1 >= r->sp[i].s) {
			span_join(&r->sp[i], &n, 1);
			return;
		}
	if (r->nsp < NSPAN) {
		r->sp[r->nsp++] = n;
		return;
	}
	/* no room: merge the closest two of the spans and the new period,
	 * preferring spans of one source */
	{
		struct span all[NSPAN + 1];
		memcpy(all, r->sp, sizeof r->sp);
		all[NSPAN] = n;
		for (i = 0; i <= NSPAN; i++)
			for (j = i + 1; j <= NSPAN; j++) {
				int64_t g = span_gap(&all[i], &all[j]) +
					    (all[i].src != all[j].src ? ((int64_t)1 << 40) : 0);
				if (g < best) {
					best = g;
					bi = i;
					bj = j;
				}
			}
		{
			int mixed = all[bi].src != all[bj].src || all[bi].exact == 2 ||
				    all[bj].exact == 2;
			span_join(&all[bi], &all[bj], 0);
			if (mixed) {
				all[bi].exact = 2;
				if (all[bj].src < all[bi].src)
					all[bi].src = all[bj].src;
			}
		}
		all[bj] = all[NSPAN];
		memcpy(r->sp, all, sizeof r->sp);
	}
}

static struct fpent *
fp_find(struct imp *im, uint64_t fp)
{
	size_t m, i;

	if (!im->fpt)
		return NULL;
	m = im->fpcap - 1;
	for (i = (size_t)fp & m; im->fpt[i].fp; i = (i + 1) & m)
		if (im->fpt[i].fp == fp)
			return &im->fpt[i];
	return NULL;
}

/* A zeroed table; one of 2 MiB or more on huge pages where the system
 * offers them (a large table on small pages costs a page fault per 4 KiB:
 * a quarter of the time of a large import). Free with free(). */
static void *
table_alloc(size_t n)
{
	void *p;

	if (n < ((size_t)2 << 20))
		return calloc(1, n);
	if (posix_memalign(&p, (size_t)2 << 20, n))
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	memset(p, 0, n);
	return p;
}

static void
fp_add(struct imp *im, uint64_t fp, uint32_t src, long line)
{
	size_t m, i;

	if (im->fpn >= FP_ROWS_MAX) {
		im->fp_full = 1;
		return;
	}
	if (2 * (im->fpn + 1) > im->fpcap) {
		size_t cap = im->fpcap ? im->fpcap * 2 : 4096, k;
		struct fpent *t = table_alloc(cap * sizeof *t);
		if (!t) {
			im->guard_oom = 1;
			return;
		}
		for (k = 0; k < im->fpcap; k++)
			if (im->fpt[k].fp) {
				for (i = (size_t)im->fpt[k].fp & (cap - 1); t[i].fp; i = (i + 1) & (cap - 1))
					;
				t[i] = im->fpt[k];
			}
		free(im->fpt);
		im->fpt = t;
		im->fpcap = cap;
	}
	m = im->fpcap - 1;
	for (i = (size_t)fp & m; im->fpt[i].fp; i = (i + 1) & m)
		if (im->fpt[i].fp == fp)
			return; /* the first occurrence is the one to name */
	im->fpt[i].fp = fp;
	im->fpt[i].srcline = (uint64_t)src << 40 | line32(line);
	im->fpn++;
}

/* Check one row against everything known; *c says what it clashes with. */
static void
guard_probe(struct imp *im, const struct rowid *r, uint64_t fp, struct clash *c)
{
	memset(c, 0, sizeof *c);
	if (by_period(im->kind, r->ident, r->s, r->e)) {
		struct recent *rec = ident_rec(im, r->ident, r->ident_n, r->key_id, 0);
		if (rec)
			period_probe(rec, r->s, r->e, c);
	} else {
		struct fpent *f = fp_find(im, fp);
		if (f) {
			c->kind = 4;
			c->src = (uint32_t)(f->srcline >> 40);
			c->first = c->last = (long)(f->srcline & (((uint64_t)1 << 40) - 1));
		}
	}
}

/* Remember one row of source src. */
static void
guard_add(struct imp *im, const struct rowid *r, uint64_t fp, uint32_t src, long line)
{
	if (by_period(im->kind, r->ident, r->s, r->e)) {
		struct recent *rec = ident_rec(im, r->ident, r->ident_n, r->key_id, 1);
		if (rec)
			period_add(rec, r->s, r->e, src, line);
	} else {
		fp_add(im, fp, src, line);
	}
}

static const char SQL_OTHER_BATCHES[] =
	"SELECT id, file, rows_loaded FROM batch WHERE kind = ?1 AND "
	"status = 'active' AND id <> ?2 ORDER BY id";
static const char SQL_BATCH_KEYS[] =
	"SELECT line, org_id, key_id, day_start, day_end, quantity, unit, ident, "
	"site, supplier, description FROM activity WHERE batch_id = ?1 ORDER BY id";

static const char *
col_str(struct db_stmt *st, int i, size_t *n)
{
	const char *s = (const char *)db_column_text(st, i);

	*n = s ? (size_t)db_column_bytes(st, i) : 0;
	return s && *n ? s : NULL;
}

/* Load the rows of the other active batches of this kind (all but the one
 * being replaced) into the guard, streaming them once by the batch index. */
int
imp_guard_load(struct imp *im, struct err *e)
{
	struct db_stmt *bs, *st;
	int rc, rc2;

	if (!(im->src = calloc(1, sizeof *im->src))) 
		return err_setf(e, ERR_IO, "out of memory");
	im->nsrc = im->capsrc = 1;
	if (!(bs = ledger_stmt(im->l, SQL_OTHER_BATCHES, e)))
		return -1;
	db_bind_text(bs, 1, import_kind_name(im->kind), -1, DB_STATIC);
	db_bind_int64(bs, 2, im->o->replace);
	while ((rc = db_step(bs)) == DB_ROW) {
		const char *bfile = (const char *)db_column_text(bs, 1);
		uint32_t src;
		if (im->nsrc >= SOURCES_MAX)
			continue;
		if (im->nsrc == im->capsrc) {
			size_t cap = im->capsrc * 2;
			struct source *p = realloc(im->src, cap * sizeof *p);
			if (!p) {
				db_reset(bs);
				return err_setf(e, ERR_IO, "out of memory");
			}
			im->src = p;
			im->capsrc = cap;
		}
		src = (uint32_t)im->nsrc;
		im->src[src].batch = db_column_int64(bs, 0);
		im->src[src].rows = (long)db_column_int64(bs, 2);
		if (!(im->src[src].file = strdup(bfile ? bfile : ""))) {
			db_reset(bs);
			return err_setf(e, ERR_IO, "out of memory");
		}
		im->nsrc++;
		if (!(st = ledger_stmt(im->l, SQL_BATCH_KEYS, e))) {
			db_reset(bs);
			return -1;
		}
		db_bind_int64(st, 1, im->src[src].batch);
		while ((rc2 = db_step(st)) == DB_ROW) {
			struct rowid r;
			r.org_id = db_column_int64(st, 1);
			r.key_id = db_column_int64(st, 2);
			r.s = db_column_int(st, 3);
			r.e = db_column_int(st, 4);
			r.qty = db_column_int64(st, 5);
			r.unit = (const char *)db_column_text(st, 6);
			r.ident = col_str(st, 7, &r.ident_n);
			r.site = col_str(st, 8, &r.site_n);
			r.supplier = col_str(st, 9, &r.supplier_n);
			r.description = col_str(st, 10, &r.description_n);
			guard_add(im, &r, by_period(im->kind, r.ident, r.s, r.e) ? 0 : row_fp(&r),
				  src, (long)db_column_int64(st, 0));
		}
		db_reset(st);
		if (rc2 != DB_DONE) {
			db_reset(bs);
			return ledger_fail(im->l, rc2, "checking overlaps", e);
		}
	}
	db_reset(bs);
	return rc == DB_DONE ? 0 : ledger_fail(im->l, rc, "reading batches", e);
}

static const char SQL_SPAN_LINE[] =
	"SELECT line, day_start, day_end FROM activity WHERE batch_id = ?1 AND "
	"key_id = ?2 AND ident = ?3 AND day_start <= ?5 AND day_end >= ?4 "
	"ORDER BY id LIMIT 1";

/* A row inside a span of another batch (of at most LOOKUP_ROWS rows): find
 * the row it overlaps there, making *c exact (kind 1) or, when there is none
 * (a gap of a span with gaps), no clash (kind 0). Exact spans are looked up
 * only while their message will be shown; spans with gaps at most
 * LOOKUPS_MAX times a file, as each lookup scans the batch. */
static void
span_line(struct imp *im, const struct rowid *r, struct clash *c)
{
	struct db_stmt *st;
	struct err e;
	int rc;

	if (c->src == 0 || c->first == c->last || im->src[c->src].rows > LOOKUP_ROWS)
		return;
	if (c->kind == 2 && im->errs->n >= ERRLIST_KEEP)
		return;
	if (c->kind == 3 && (c->mixed || im->lookups >= LOOKUPS_MAX))
		return;
	if (c->kind == 3)
		im->lookups++;
	err_clear(&e);
	if (!(st = ledger_stmt(im->l, SQL_SPAN_LINE, &e)))
		return;
	db_bind_int64(st, 1, im->src[c->src].batch);
	db_bind_int64(st, 2, r->key_id);
	db_bind_text(st, 3, r->ident, (int)r->ident_n, DB_STATIC);
	db_bind_int(st, 4, r->s);
	db_bind_int(st, 5, r->e);
	if ((rc = db_step(st)) == DB_ROW) {
		c->kind = 1;
		c->first = c->last = (long)db_column_int64(st, 0);
		c->s = db_column_int(st, 1);
		c->e = db_column_int(st, 2);
	} else if (rc == DB_DONE && c->kind == 3) {
		c->kind = 0; /* in a gap */
	}
	db_reset(st);
}

/* "on line 3 of this file", "on lines 2-13 of this file", "in batch 1
 * (e1.csv:3), which is active", "in batch 1 (e1.csv, lines 2-13), ..." */
static void
clash_where(const struct imp *im, const struct clash *c, char *buf, size_t n)
{
	if (c->src == 0) {
		if (c->first == c->last)
			snprintf(buf, n, "on line %ld of this file", c->first);
		else
			snprintf(buf, n, "on lines %ld-%ld of this file", c->first, c->last);
	} else if (c->first == c->last) {
		char f[IMP_SHOWN_MAX + 1];
		imp_name_end(im->src[c->src].file, f);
		snprintf(buf, n, "in batch %lld (%s:%ld), which is active",
			 (long long)im->src[c->src].batch, f, c->first);
	} else {
		char f[IMP_SHOWN_MAX + 1];
		imp_name_end(im->src[c->src].file, f);
		snprintf(buf, n, "in batch %lld (%s, lines %ld-%ld), which is active",
			 (long long)im->src[c->src].batch, f, c->first,
			 c->last);
	}
}

/* Check the current (valid) row against the rows already counted. Returns 1
 * when it clashes and is refused (a row error), 0 otherwise (it is then
 * remembered). */
static int
guard_row(struct imp *im, const struct rowid *r, uint64_t fp, const struct fv *v)
{
	const char *what = im->kind == IMPORT_ENERGY ? "meter" : "vehicle";
	char where[256], a[11], b[11], ca[11], cb[11], msg[2 * ERR_TEXT_MAX];
	struct clash c;

	guard_probe(im, r, fp, &c);
	if (c.kind == 0) {
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	if (c.kind == 2 || c.kind == 3)
		span_line(im, r, &c);
	if (c.kind == 0) {
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	clash_where(im, &c, where, sizeof where);
	date_format(r->s, a);
	date_format(r->e, b);
	if (c.kind == 3) {
		/* a span with gaps: possible, not proven */
		if (im->warns)
			errlist_addf(im->warns, ERR_DATA, im->file, v->line, v->col,
				     "%s '%.*s' %s..%s may overlap the periods %s (too "
				     "many gaps between them to check exactly; counted "
				     "twice?)", what, (int)r->ident_n, r->ident, a, b, where);
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	date_format(c.s, ca);
	date_format(c.e, cb);
	if (c.kind == 4) {
		const char *same = im->kind == IMPORT_ENERGY
			? "org, carrier, period, quantity, unit and site"
			: im->kind == IMPORT_FLEET ? "vehicle, fuel, date, quantity and unit"
			: "org, CPV code, date, amount, supplier and description";
		snprintf(msg, sizeof msg, "row repeats the row %s: same %s (counted "
			 "twice?)", where, same);
	} else if (c.kind == 1 && c.s == r->s && c.e == r->e) {
		snprintf(msg, sizeof msg, "%s '%.*s' has %s..%s again, as %s (counted "
			 "twice?)", what, (int)r->ident_n, r->ident, a, b, where);
	} else {
		snprintf(msg, sizeof msg, "%s '%.*s' %s..%s overlaps %s..%s %s (counted "
			 "twice?)", what, (int)r->ident_n, r->ident, a, b, ca, cb, where);
	}
	if (im->o->allow_overlap) {
		if (im->warns)
			errlist_addf(im->warns, ERR_DATA, im->file, v->line, v->col,
				     "%s; counted anyway (--allow-overlap)", msg);
		im->overlap_rows++;
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	imp_rowerr(im, v, "%s", msg);
	if (im->clashes++ == 0)
		im->clash_src = c.src;
	else if (im->clash_src != c.src)
		im->clash_mixed = 1;
	return 1;
}

void
imp_digest_text(const uint64_t d[2], long rows, char out[80])
{
	snprintf(out, 80, "%ld:%016llx%016llx", rows, (unsigned long long)d[0],
		 (unsigned long long)d[1]);
}

/* Warnings for what the guard could not check. */
void
imp_guard_notes(struct imp *im)
{
	if (!im->warns)
		return;
	if (im->idents_full)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "more than %d meters and vehicles in this file and the "
			     "active batches: rows of the others were not checked for "
			     "overlaps", IDENTS_MAX);
	if (im->fp_full)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "more than %d rows without a meter in this file and the "
			     "active batches: the others were not checked for repeats",
			     FP_ROWS_MAX);
	if (im->guard_oom)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "out of memory for the double-counting check: some rows "
			     "were not checked for overlaps");
}

int
imp_guard_act(struct imp *im, const struct act *a)
{
	struct rowid rid;
	struct fv v;
	uint64_t fp, h;

	rid.org_id = a->org_id;
	rid.key_id = a->key_id;
	rid.qty = a->qty;
	rid.s = a->s;
	rid.e = a->e;
	rid.unit = a->unit;
	rid.ident = a->ident;
	rid.ident_n = a->ident ? a->ident_n : 0;
	rid.site = a->site.n ? a->site.s : NULL;
	rid.site_n = a->site.n;
	rid.supplier = a->supplier.n ? a->supplier.s : NULL;
	rid.supplier_n = a->supplier.n;
	rid.description = a->description.n ? a->description.s : NULL;
	rid.description_n = a->description.n;
	fp = row_fp(&rid);
	h = h_int(h_int(h_int(fp, (uint64_t)a->quality),
			(uint64_t)(a->has_sf ? a->sf : INT64_MIN)),
		  a->tariff ? h_str(0, a->tariff, strlen(a->tariff)) : 0);
	im->dig_valid[0] += h;
	im->dig_valid[1] += mix64(h ^ 0x243f6a8885a308d3ULL);
	if (a->ident && by_period(im->kind, a->ident, a->s, a->e))
		imp_get(im, im->kind == IMPORT_ENERGY ? PF_METER : PF_VEHICLE, &v);
	else
		imp_get(im, im->kind == IMPORT_PROCUREMENT ? PF_AMOUNT : PF_QUANTITY, &v);
	if (guard_row(im, &rid, fp, &v))
		return 1;
	im->dig_loaded[0] += h;
	im->dig_loaded[1] += mix64(h ^ 0x243f6a8885a308d3ULL);
	return 0;
}

void
imp_guard_free(struct imp *im)
{
	size_t i;

	strmap_free(im->idents);
	free(im->rec);
	free(im->fpt);
	for (i = 1; i < im->nsrc; i++)
		free(im->src[i].file);
	free(im->src);
}
