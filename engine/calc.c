/*
 * calc: calculation runs over the ledger (calc.h). This file does the
 * ledger side: it loads the run's factor sets (calc_reg.c), batches
 * (calc_batch.c) and activity keys,
 * streams the activity rows of the year through the core (calc_core.c)
 * with one SELECT over compact columns, aggregates in memory per unit,
 * category, quality and extrapolation flag, and stores the run, its totals,
 * its two fingerprints and the audit entry in one transaction.
 *
 * Large runs read id ranges on several threads, each with its own
 * read-only connection and core; their integer sums are added afterwards,
 * so the result does not depend on the number of threads.
 *
 * calc_each_row() reads a stored run's parameters back and streams the same
 * rows through the same core, so row-level results can never differ from
 * the totals they add up to.
 *
 * Canonical texts of the fingerprints (docs/methodology.md, "Fingerprints"):
 *   inputs:  "co2ledger-inputs/1\n", then per factor set in priority order
 *            "factor_set\tNAME\tVERSION\tSHA256\n", then per batch sorted by
 *            sha256 "batch\tKIND\tSHA256\tROWS\n";
 *   results: "co2ledger-results/1\n", then per aggregate sorted by (org code,
 *            sector, carrier, quality, extrapolated), bytewise,
 *            "CODE\tSECTOR\tCARRIER\tQ\tX\tROWS\tS1\tS2L\tS2M\tS3\tUP\tBIO\tFB\n"
 *            with every amount in integer milligrams. A run of the BISKO
 *            lens has the line "lens\tbisko\n" after the first; a
 *            GHG-Protocol run has none, so its fingerprint is the same as
 *            before lenses existed.
 */
#include "engine/calc.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/audit.h"
#include "engine/calc_int.h"
#include "base/date.h"
#include "org/org.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/strmap.h"

const char *
calc_fallback_name(int fallback)
{
	return fallback == CALC_FALLBACK_NEAREST ? "nearest"
	       : fallback == CALC_FALLBACK_PREVIOUS ? "previous" : "strict";
}

int
calc_fallback_parse(const char *name)
{
	if (!name || strcmp(name, "strict") == 0)
		return CALC_FALLBACK_STRICT;
	if (strcmp(name, "previous") == 0)
		return CALC_FALLBACK_PREVIOUS;
	if (strcmp(name, "nearest") == 0)
		return CALC_FALLBACK_NEAREST;
	return -1;
}

/* ---- aggregation ---- */

struct agg {
	int64_t org_id;
	unsigned cat;
	int quality, extrap;
	int used;
	int64_t rows;
	int64_t energy_rows; /* rows whose every part has a final energy */
	struct calc_totals mg;
};

struct aggtab {
	struct agg *v;
	size_t n, cap; /* cap: power of two */
	struct agg *last; /* the previous answer: rows come in runs */
};

static uint64_t
agg_hash(int64_t org, unsigned cat, int q, int x)
{
	uint64_t h = (uint64_t)org * 0x9E3779B97F4A7C15ULL;

	h ^= ((uint64_t)cat << 8 | (uint64_t)(q & 0x7f) << 1 | (uint64_t)(x & 1)) *
	     0xC2B2AE3D27D4EB4FULL;
	return h ^ (h >> 29);
}

static struct agg *
agg_get(struct aggtab *t, int64_t org, unsigned cat, int q, int x)
{
	struct agg *l = t->last;
	size_t i;

	if (l && l->org_id == org && l->cat == cat && l->quality == q &&
	    l->extrap == x)
		return l;
	if (2 * (t->n + 1) > t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256, j;
		struct agg *nv = calloc(nc, sizeof *nv);
		if (!nv)
			return NULL;
		for (j = 0; j < t->cap; j++) {
			struct agg *a = &t->v[j];
			if (!a->used)
				continue;
			i = agg_hash(a->org_id, a->cat, a->quality, a->extrap) & (nc - 1);
			while (nv[i].used)
				i = (i + 1) & (nc - 1);
			nv[i] = *a;
		}
		free(t->v);
		t->v = nv;
		t->cap = nc;
		t->last = NULL;
	}
	i = agg_hash(org, cat, q, x) & (t->cap - 1);
	while (t->v[i].used) {
		struct agg *a = &t->v[i];
		if (a->org_id == org && a->cat == cat && a->quality == q &&
		    a->extrap == x)
			return t->last = a;
		i = (i + 1) & (t->cap - 1);
	}
	t->v[i].used = 1;
	t->v[i].org_id = org;
	t->v[i].cat = cat;
	t->v[i].quality = q;
	t->v[i].extrap = x;
	t->n++;
	return t->last = &t->v[i];
}

/* ---- the scan ---- */

static const char SQL_KEYS[] = "SELECT id, key FROM activity_key";
static const char SQL_SCAN[] =
	"SELECT id, batch_id, line, org_id, key_id, day_start, day_end, quantity, "
	"unit, quality, tariff, supplier_factor FROM activity "
	"WHERE day_end >= ?1 AND day_start <= ?2 ORDER BY id";
/* Row results (calc_each_row) also name the meter or vehicle. */
static const char SQL_SCAN_ROWS[] =
	"SELECT id, batch_id, line, org_id, key_id, day_start, day_end, quantity, "
	"unit, quality, tariff, supplier_factor, ident FROM activity "
	"WHERE day_end >= ?1 AND day_start <= ?2 ORDER BY id";
static const char SQL_SCAN_RANGE[] =
	"SELECT id, batch_id, line, org_id, key_id, day_start, day_end, quantity, "
	"unit, quality, tariff, supplier_factor FROM activity "
	"WHERE id BETWEEN ?1 AND ?2 AND day_end >= ?3 AND day_start <= ?4 ORDER BY id";
/* Each batch's rows (the inputs fingerprint counts them all, of every
 * year): from the batch index alone, without reading a row. */
static const char SQL_BATCH_ROWS[] =
	"SELECT batch_id, count(*) FROM activity GROUP BY batch_id";
static const char SQL_SCAN_ONE[] =
	"SELECT id, batch_id, line, org_id, key_id, day_start, day_end, quantity, "
	"unit, quality, tariff, supplier_factor, ident FROM activity "
	"WHERE day_end >= ?1 AND day_start <= ?2 AND id = ?3";

/* What the scan does with each computed row. */
struct sink {
	/* calc_run */
	struct aggtab *agg;
	struct errlist *errs;
	struct calc_summary *sum;
	const struct calc_params *progress; /* worker 0 of a run reports */
	int64_t scale, total;  /* progress: done * scale of total */
	int64_t seen;          /* rows read so far */
	/* calc_each_row */
	calc_row_fn *fn;
	void *ctx;
	struct org_tree *tree;
	struct calc_core *core;
};

struct scan_ctx {
	struct ledger *l;
	struct calc_core *core;
	const struct org_tree *tree; /* the units' district-heat networks */
	int64_t heat_key;      /* key id of energy.district_heating, -1: none */
	struct calc_batches *b;
	int year;
	int64_t only;          /* one activity id, 0 for all */
	int64_t lo, hi;        /* id range when hi > 0 */
};

/* The keys' texts into the core; *heat (may be NULL) gets the id of
 * energy.district_heating, -1 when no row has it. */
static int
load_keys(struct ledger *l, struct calc_core *core, int64_t *heat, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_KEYS, e);
	int rc;

	if (heat)
		*heat = -1;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = (const char *)db_column_text(st, 1);
		if (heat && k && strcmp(k, "energy.district_heating") == 0)
			*heat = db_column_int64(st, 0);
		if (calc_core_key(core, db_column_int64(st, 0), k ? k : "")) {
			db_reset(st);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading activity keys", e);
	return 0;
}

static int
emit_row(struct sink *s, const struct calc_in *in, const char *ident,
	 const struct calc_batch *bt,
	 const struct calc_result *res, const struct calc_part *parts,
	 const char *key, struct err *e)
{
	struct calc_row row;
	size_t oi = org_tree_by_id(s->tree, in->org_id);
	const char *sector, *carrier;

	calc_core_category(s->core, res->cat, &sector, &carrier);
	memset(&row, 0, sizeof row);
	row.activity_id = in->id;
	row.batch_id = in->batch_id;
	row.file = bt->file;
	row.line = in->line;
	row.org_code = oi == ORG_NONE ? "?" : org_tree_at(s->tree, oi)->code;
	row.activity = key;
	row.quantity = in->quantity;
	row.unit = in->unit;
	row.quality = in->quality;
	row.tariff = in->tariff;
	row.network = in->network;
	row.ident = ident && *ident ? ident : NULL;
	row.has_supplier_factor = in->has_supplier_factor;
	row.supplier_factor = in->supplier_factor;
	row.day_start = in->day_start;
	row.day_end = in->day_end;
	row.sector = sector;
	row.carrier = carrier;
	row.excluded = res->excluded;
	row.extrapolated = res->extrapolated;
	row.energy = res->energy;
	row.nparts = res->nparts;
	row.parts = parts;
	row.mg = res->mg;
	return s->fn(s->ctx, &row, e);
}

static int
scan(struct scan_ctx *sc, struct sink *s, struct err *e)
{
	const char *q = sc->only ? SQL_SCAN_ONE
			: sc->hi ? SQL_SCAN_RANGE
			: s->fn  ? SQL_SCAN_ROWS
				 : SQL_SCAN;
	struct db_stmt *st = ledger_stmt(sc->l, q, e);
	struct calc_part parts[CALC_MAX_PARTS];
	struct calc_in in;
	struct calc_result res;
	struct err re;
	int32_t y0 = date_year_start(sc->year), y1 = date_year_end(sc->year);
	int rc, status = 0;

	if (!st)
		return -1;
	if (q == SQL_SCAN_RANGE) {
		db_bind_int64(st, 1, sc->lo);
		db_bind_int64(st, 2, sc->hi);
		db_bind_int(st, 3, y0);
		db_bind_int(st, 4, y1);
	} else {
		db_bind_int(st, 1, y0);
		db_bind_int(st, 2, y1);
		if (sc->only)
			db_bind_int64(st, 3, sc->only);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t bid = db_column_int64(st, 1);
		const struct calc_batch *bt;
		struct calc_plan *p;

		if (s->progress && (++s->seen & 0xfffff) == 0)
			s->progress->progress(s->progress->progress_ctx,
					      s->seen * s->scale, s->total);
		if (bid < 0 || bid > sc->b->maxid || sc->b->idx[bid] < 0)
			continue;
		bt = &sc->b->v[sc->b->idx[bid]];
		in.day_start = db_column_int(st, 5);
		in.day_end = db_column_int(st, 6);
		/* id and line are only needed for row results and errors */
		in.id = s->fn ? db_column_int64(st, 0) : 0;
		in.line = s->fn ? (long)db_column_int64(st, 2) : 0;
		in.batch_id = bid;
		in.org_id = db_column_int64(st, 3);
		in.key_id = db_column_int64(st, 4);
		in.quantity = db_column_int64(st, 7);
		in.unit = (const char *)db_column_text(st, 8);
		if (!in.unit)
			in.unit = "";
		in.quality = db_column_int(st, 9);
		in.tariff = (const char *)db_column_text(st, 10);
		in.network = NULL;
		if (in.key_id == sc->heat_key && sc->tree) {
			size_t oi = org_tree_by_id(sc->tree, in.org_id);
			if (oi != ORG_NONE)
				in.network = org_tree_at(sc->tree, oi)->network;
		}
		in.has_supplier_factor = db_column_type(st, 11) != DB_NULL;
		in.supplier_factor =
			in.has_supplier_factor ? db_column_int64(st, 11) : 0;
		err_clear(&re);
		if (!(p = calc_core_plan(sc->core, &in, &re)) ||
		    calc_core_row(sc->core, p, &in, &res, s->fn ? parts : NULL, &re)) {
			if (re.kind != ERR_DATA) {
				*e = re;
				status = -1;
				break;
			}
			in.line = (long)db_column_int64(st, 2);
			if (s->errs) {
				errlist_addf(s->errs, ERR_DATA, bt->file, in.line, 0, "%s",
					     re.text);
				status = 1;
				continue;
			}
			err_set(e, ERR_DATA, bt->file, in.line, 0, "%s", re.text);
			status = -1;
			break;
		}
		if (res.outside)
			continue;
		if (s->fn) {
			if (emit_row(s, &in, (const char *)db_column_text(st, 12), bt,
				     &res, parts,
				     calc_core_key_text(sc->core, in.key_id), e)) {
				status = -1;
				break;
			}
			continue;
		}
		if (res.excluded) {
			s->sum->rows_excluded++;
			continue;
		}
		if (status)
			continue; /* errors: only collect more of them */
		s->sum->rows_used++;
		if (res.extrapolated)
			s->sum->rows_extrapolated++;
		{
			struct agg *a = agg_get(s->agg, in.org_id, res.cat, in.quality,
						res.extrapolated);
			if (!a) {
				err_setf(e, ERR_IO, "out of memory");
				status = -1;
				break;
			}
			a->rows++;
			if (res.energy == CALC_ENERGY_YES)
				a->energy_rows++;
			if (calc_totals_add(&a->mg, &res.mg)) {
				errlist_addf(s->errs, ERR_DATA, bt->file, in.line, 0,
					     "the sums overflow 64-bit milligrams");
				status = 1;
			}
		}
	}
	db_reset(st);
	if (status < 0)
		return -1;
	if (rc != DB_DONE)
		return ledger_fail(sc->l, rc, "reading activity rows", e);
	return status;
}

/* ---- a run's context ---- */

struct runctx {
	struct calc_reg *reg;
	const struct gwp *gwp;
	struct calc_core *core;
	struct calc_batches b;
	char region[64];        /* checked: at most 63 characters */
	int core_previous;
	enum calc_lens lens;
	struct org_tree *tree;  /* units, their codes and networks */
	int64_t heat_key;       /* as struct scan_ctx */
};

static void
runctx_free(struct runctx *rc)
{
	org_tree_free(rc->tree);
	calc_core_free(rc->core);
	calc_reg_free(rc->reg);
	calc_batches_free(&rc->b);
}

static int
runctx_open(struct ledger *l, int year, const struct factor_ref *refs, size_t nrefs,
	    const char *gwpname,
	    int previous, const char *region, const int64_t *ids, size_t nids,
	    enum calc_lens lens, struct runctx *rc, struct err *e)
{
	memset(rc, 0, sizeof *rc);
	rc->lens = lens;
	if (year < 1900 || year > 2999)
		return err_setf(e, ERR_USAGE, "year %d is out of range (expected "
				"1900 to 2999)", year);
	if (!(rc->gwp = gwp_find(gwpname ? gwpname : "AR5")))
		return err_setf(e, ERR_USAGE, "unknown GWP set '%s' (expected AR4, "
				"AR5 or AR6)", gwpname);
	if (!region)
		region = "DE-BE";
	if (strlen(region) >= sizeof rc->region)
		return err_setf(e, ERR_USAGE, "region '%.20s...' is too long (at most "
				"%zu characters, e.g. DE-BE)", region, sizeof rc->region - 1);
	memcpy(rc->region, region, strlen(region) + 1);
	rc->core_previous = previous;
	if (calc_batches_load(l, ids, nids, &rc->b, e) ||
	    calc_reg_load(l, refs, nrefs, rc->region, &rc->reg, e))
		goto fail;
	if (!(rc->core = calc_core_new(year, rc->gwp, previous, rc->region,
				       &rc->reg->ops))) {
		err_setf(e, ERR_IO, "out of memory");
		goto fail;
	}
	calc_core_set_bisko(rc->core, lens == CALC_LENS_BISKO);
	if (load_keys(l, rc->core, &rc->heat_key, e) || org_tree_load(l, &rc->tree, e))
		goto fail;
	return 0;
fail:
	runctx_free(rc);
	return -1;
}

/* ---- fingerprints and stored lists ---- */

struct sorted {
	const struct agg *a;
	const char *code, *sector, *carrier;
};

static int
cmp_sorted(const void *x, const void *y)
{
	const struct sorted *a = x, *b = y;
	int c;

	if ((c = strcmp(a->code, b->code)) || (c = strcmp(a->sector, b->sector)) ||
	    (c = strcmp(a->carrier, b->carrier)))
		return c;
	if (a->a->quality != b->a->quality)
		return a->a->quality < b->a->quality ? -1 : 1;
	return (a->a->extrap > b->a->extrap) - (a->a->extrap < b->a->extrap);
}

static int
cmp_batch_sha(const void *x, const void *y)
{
	const struct calc_batch *a = *(const struct calc_batch *const *)x;
	const struct calc_batch *b = *(const struct calc_batch *const *)y;
	int c = strcmp(a->sha256, b->sha256);

	return c ? c : strcmp(a->kind, b->kind);
}

/* The inputs fingerprint; -1 when out of memory (the lines are whole,
 * however long a name). */
static int
inputs_sha(const struct runctx *rc, char out[65])
{
	struct sha256 h;
	struct strbuf line = STRBUF_INIT;
	size_t i, ns = factor_db_nsets(rc->reg->db);
	const struct calc_batch **bs = malloc((rc->b.n ? rc->b.n : 1) * sizeof *bs);
	int rc_ = -1;

	if (!bs)
		return -1;
	sha256_init(&h);
	sha256_update(&h, "co2ledger-inputs/1\n", 19);
	for (i = 0; i < ns; i++) {
		const struct factor_set *s = factor_db_set(rc->reg->db, i);
		strbuf_reset(&line);
		if (strbuf_addf(&line, "factor_set\t%s\t%s\t%s\n", factor_set_name(s),
				factor_set_version(s), factor_set_sha256(s)))
			goto out;
		sha256_update(&h, line.buf, line.len);
	}
	for (i = 0; i < rc->b.n; i++)
		bs[i] = &rc->b.v[i];
	qsort(bs, rc->b.n, sizeof *bs, cmp_batch_sha);
	for (i = 0; i < rc->b.n; i++) {
		strbuf_reset(&line);
		if (strbuf_addf(&line, "batch\t%s\t%s\t%lld\n", bs[i]->kind,
				bs[i]->sha256, (long long)bs[i]->rows))
			goto out;
		sha256_update(&h, line.buf, line.len);
	}
	sha256_final_hex(&h, out);
	rc_ = 0;
out:
	strbuf_release(&line);
	free(bs);
	return rc_;
}

static char *
json_text(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

	json_decref(j);
	return s;
}

static char *
sets_json(const struct runctx *rc)
{
	json_t *a = json_array();
	size_t i, ns = factor_db_nsets(rc->reg->db);

	for (i = 0; i < ns; i++) {
		const struct factor_set *s = factor_db_set(rc->reg->db, i);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name",
						   factor_set_name(s), "version",
						   factor_set_version(s), "sha256",
						   factor_set_sha256(s)));
	}
	return json_text(a);
}

static char *
batches_json(const struct runctx *rc)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < rc->b.n; i++) {
		const struct calc_batch *b = &rc->b.v[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
				      (json_int_t)b->id, "kind", b->kind,
				      "file", b->file, "sha256", b->sha256,
				      "rows", (json_int_t)b->rows);
		if (o && b->rows_sha256[0])
			json_object_set_new(o, "rows_sha256", json_string(b->rows_sha256));
		json_array_append_new(a, o);
	}
	return json_text(a);
}

/* ---- the scan of a run, on up to MAX_WORKERS cores ---- */

#define MAX_WORKERS 4
#define ROWS_PER_WORKER 200000 /* below this, one thread is faster */
#define CHUNKS_PER_WORKER 8

struct worker {
	struct ledger *l;      /* own read-only connection; NULL for worker 0 */
	struct calc_core *core;
	struct scan_ctx sc;
	struct sink s;
	struct aggtab agg;
	struct errlist *errs;
	struct calc_summary sum;
	int64_t lo, hi, span;  /* the id range and its chunk size */
	int first, stride, nchunks; /* chunks first, first + stride, ... */
	struct err e;
	int status;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	int c, st;

	if (w->nchunks == 0) {
		w->status = scan(&w->sc, &w->s, &w->e);
		return NULL;
	}
	for (c = w->first; c < w->nchunks; c += w->stride) {
		w->sc.lo = w->lo + c * w->span;
		w->sc.hi = c == w->nchunks - 1 ? w->hi : w->sc.lo + w->span - 1;
		if ((st = scan(&w->sc, &w->s, &w->e)) != 0) {
			/* errors: the caller rescans in one thread, in order */
			w->status = st;
			break;
		}
	}
	return NULL;
}

/* Not min(id), max(id): SQLite answers that by reading a whole index. */
static const char SQL_ID_RANGE[] =
	"SELECT (SELECT id FROM activity ORDER BY id LIMIT 1), "
	"(SELECT id FROM activity ORDER BY id DESC LIMIT 1)";

static int
nworkers(struct ledger *l, int threads, int64_t *lo, int64_t *hi, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ID_RANGE, e);
	const char *path = ledger_path(l);
	long ncpu = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
	int64_t n;

	*lo = *hi = 0;
	if (!st)
		return -1;
	if (db_step(st) == DB_ROW) {
		*lo = db_column_int64(st, 0);
		*hi = db_column_int64(st, 1);
	}
	db_reset(st);
	/* other connections see neither a memory database nor this
	 * connection's uncommitted rows */
	if (!path || !*path || strcmp(path, ":memory:") == 0 || ncpu < 2 ||
	    db_in_transaction(ledger_db(l)))
		return 1;
	/* a fixed number (p->threads) is taken as it is, even on small data */
	n = threads > 0 ? ncpu : (*hi - *lo + 1) / ROWS_PER_WORKER;
	if (n > *hi - *lo + 1)
		n = *hi - *lo + 1;
	if (n > ncpu)
		n = ncpu;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return n < 1 ? 1 : (int)n;
}

/* Every run batch's rows, of any year, into rc->b.v[].rows. */
static int
count_batch_rows(struct ledger *l, struct calc_batches *b, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_BATCH_ROWS, e);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t bid = db_column_int64(st, 0);
		if (bid >= 0 && bid <= b->maxid && b->idx[bid] >= 0)
			b->v[b->idx[bid]].rows = db_column_int64(st, 1);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "counting the batches' rows", e);
}

struct netref {
	const struct factor *f;
	const char *set;        /* "name@version" */
};

static int
cmp_netref(const void *x, const void *y)
{
	const struct netref *a = x, *b = y;
	int c = strcmp(a->set, b->set);

	return c ? c : strcmp(a->f->id, b->f->id);
}

/* One allocation method per run: the network factors the workers' rows
 * used must share it. The two named are, in the order of set label and
 * id, the first factor and the first of another method. */
static int
check_allocation(struct runctx *rc, const struct worker *w, int n, struct err *e)
{
	struct netref *v;
	size_t total = 0, m = 0, i, j;
	int k, status = 0;

	for (k = 0; k < n; k++) {
		calc_core_network_factors(w[k].core, &j);
		total += j;
	}
	if (total < 2)
		return 0;
	if (!(v = malloc(total * sizeof *v)))
		return err_setf(e, ERR_IO, "out of memory");
	for (k = 0; k < n; k++) {
		const struct factor *const *f = calc_core_network_factors(w[k].core, &j);
		for (i = 0; i < j; i++) {
			v[m].f = f[i];
			v[m++].set = rc->reg->ops.set_label(rc->reg->ops.ctx, f[i]->set);
		}
	}
	qsort(v, m, sizeof *v, cmp_netref);
	for (i = 1; i < m; i++) {
		if (strcmp(v[i].f->allocation, v[0].f->allocation) == 0)
			continue;
		status = err_setf(e, ERR_DATA,
				  "district-heat factors of two allocation methods in "
				  "one run: '%s' of %s (network %s, %s) and '%s' of %s "
				  "(network %s, %s); one allocation method per run "
				  "(choose factor sets of one method with --factors, or "
				  "ask the network operators for factors of one method); "
				  "no run was stored",
				  v[0].f->id, v[0].set, v[0].f->network, v[0].f->allocation,
				  v[i].f->id, v[i].set, v[i].f->network, v[i].f->allocation);
		break;
	}
	free(v);
	return status;
}

/* Scan the run's rows into `agg` (and out's counts, errs). Rows are split
 * into id ranges, one per worker, each with its own connection and core;
 * the integer sums are merged afterwards, so the result is the same as one
 * thread's. Errors keep id order. 0, 1 (data errors in errs) or -1. */
static int
scan_run(struct ledger *l, struct runctx *rc, const struct calc_params *p,
	 struct aggtab *agg, struct calc_summary *out, struct errlist *errs,
	 struct err *e)
{
	struct worker w[MAX_WORKERS];
	pthread_t th[MAX_WORKERS];
	int64_t lo, hi, span = 0;
	int n, k, nchunks = 0, started = 0, ran = 0, status = 0;

	memset(w, 0, sizeof w);
	if (count_batch_rows(l, &rc->b, e))
		return -1;
	if ((n = nworkers(l, p->threads, &lo, &hi, e)) < 0)
		return -1;
	if (n > 1) {
		/* interleaved chunks, so that rows of other years (often in
		 * one id range) do not leave one thread all the work */
		nchunks = n * CHUNKS_PER_WORKER;
		if (nchunks > hi - lo + 1)
			nchunks = (int)(hi - lo + 1);
		span = (hi - lo + 1) / nchunks;
	}
	for (k = 0; k < n; k++) {
		struct worker *x = &w[k];
		if (k == 0) {
			x->core = rc->core;
			x->sc.l = l;
			x->errs = errs;
		} else {
			if (ledger_open(&x->l, ledger_path(l), LEDGER_READONLY, e))
				goto fail;
			if (!(x->core = calc_core_new(p->year, rc->gwp,
						      rc->core_previous, rc->region,
						      &rc->reg->ops)) ||
			    !(x->errs = errlist_new())) {
				err_setf(e, ERR_IO, "out of memory");
				goto fail;
			}
			calc_core_set_bisko(x->core, rc->lens == CALC_LENS_BISKO);
			if (load_keys(x->l, x->core, NULL, e))
				goto fail;
			x->sc.l = x->l;
		}
		x->sc.core = x->core;
		x->sc.tree = rc->tree;
		x->sc.heat_key = rc->heat_key;
		x->sc.b = &rc->b;
		x->sc.year = p->year;
		x->lo = lo;
		x->hi = hi;
		x->span = span;
		x->first = k;
		x->stride = n;
		x->nchunks = nchunks;
		if (k == 0 && p->progress) {
			x->s.progress = p;
			x->s.scale = n;
			x->s.total = hi - lo + 1;
		}
		x->s.agg = k == 0 ? agg : &x->agg;
		x->s.errs = x->errs;
		x->s.sum = k == 0 ? out : &x->sum;
	}
	for (k = 1; k < n; k++) {
		if (pthread_create(&th[k], NULL, worker_main, &w[k])) {
			err_setf(e, ERR_IO, "cannot start a thread");
			goto fail;
		}
		started = k;
	}
	worker_main(&w[0]);
	ran = 1;
	out->threads = n;
fail:
	for (k = 1; k <= started; k++)
		pthread_join(th[k], NULL);
	if (!ran)
		status = -1; /* *e says why */
	for (k = 0; k < n && status >= 0; k++) {
		if (w[k].status < 0) {
			*e = w[k].e;
			status = -1;
		} else if (w[k].status > 0) {
			status = 1;
		}
	}
	if (status == 0 && check_allocation(rc, w, n, e))
		status = -1;
	for (k = 1; k < n; k++) {
		struct worker *x = &w[k];
		size_t i;
		if (status == 0) {
			out->rows_used += x->sum.rows_used;
			out->rows_excluded += x->sum.rows_excluded;
			out->rows_extrapolated += x->sum.rows_extrapolated;
			for (i = 0; i < x->agg.cap && status == 0; i++) {
				const struct agg *a = &x->agg.v[i];
				const char *sec, *car;
				unsigned cat;
				struct agg *m;
				if (!a->used)
					continue;
				calc_core_category(x->core, a->cat, &sec, &car);
				if (calc_core_category_id(rc->core, sec, car, &cat) ||
				    !(m = agg_get(agg, a->org_id, cat, a->quality,
						  a->extrap))) {
					err_setf(e, ERR_IO, "out of memory");
					status = -1;
					break;
				}
				m->rows += a->rows;
				m->energy_rows += a->energy_rows;
				if (calc_totals_add(&m->mg, &a->mg)) {
					err_setf(e, ERR_DATA, "the sums overflow 64-bit "
						 "milligrams");
					status = -1;
				}
			}
		}
		free(x->agg.v);
		errlist_free(x->errs);
		calc_core_free(x->core);
		ledger_close(x->l);
	}
	if (status > 0 && n > 1) {
		/* Data errors: read again in one thread, so that every row is
		 * reported, in id order, the same way each time. */
		struct aggtab tmp = {0};
		struct calc_summary ts;
		struct sink one;
		struct scan_ctx sc;
		memset(&one, 0, sizeof one);
		memset(&sc, 0, sizeof sc);
		errs->n = errs->total = 0;
		one.agg = &tmp;
		one.errs = errs;
		one.sum = &ts;
		memset(&ts, 0, sizeof ts);
		sc.l = l;
		sc.core = rc->core;
		sc.tree = rc->tree;
		sc.heat_key = rc->heat_key;
		sc.b = &rc->b;
		sc.year = p->year;
		status = scan(&sc, &one, e);
		free(tmp.v);
	}
	return status;
}

/* ---- calc_run ---- */

static const char SQL_RUN[] =
	"INSERT INTO run(year, gwp, region, fallback, factor_sets, batches, "
	"inputs_sha256, results_sha256, rows_used, rows_excluded, "
	"rows_extrapolated, created_at, lens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	"?8, ?9, ?10, ?11, ?12, ?13) RETURNING id";
static const char SQL_RUN_TOTAL[] =
	"INSERT INTO run_total(run_id, org_id, sector, carrier, quality, "
	"extrapolated, rows, scope1_mg, scope2_location_mg, scope2_market_mg, "
	"scope3_mg, upstream_mg, biogenic_co2_mg, market_fallback_mg, "
	"energy_ukwh, energy_rows) VALUES "
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

static int
store(struct ledger *l, const struct calc_params *p, struct runctx *rc,
      struct sorted *sv, size_t n, struct calc_summary *out, struct err *e)
{
	char *sets = sets_json(rc), *bats = batches_json(rc), *payload = NULL;
	char now[21];
	struct db_stmt *st;
	size_t i;

	if (!sets || !bats) {
		free(sets);
		free(bats);
		return err_setf(e, ERR_IO, "out of memory");
	}
	date_now_iso(now);
	if (ledger_begin(l, e))
		goto fail_nobegin;
	if (!(st = ledger_stmt(l, SQL_RUN, e)))
		goto fail;
	db_bind_int(st, 1, p->year);
	ledger_bind_text(st, 2, rc->gwp->name);
	ledger_bind_text(st, 3, rc->region);
	ledger_bind_text(st, 4, calc_fallback_name(p->fallback_previous));
	ledger_bind_text(st, 5, sets);
	ledger_bind_text(st, 6, bats);
	ledger_bind_text(st, 7, out->inputs_sha256);
	ledger_bind_text(st, 8, out->results_sha256);
	db_bind_int64(st, 9, out->rows_used);
	db_bind_int64(st, 10, out->rows_excluded);
	db_bind_int64(st, 11, out->rows_extrapolated);
	ledger_bind_text(st, 12, now);
	ledger_bind_text(st, 13, calc_lens_name(p->lens));
	if (ledger_step_id(l, st, "storing the run", &out->run_id, e))
		goto fail;
	for (i = 0; i < n; i++) {
		const struct agg *a = sv[i].a;
		if (!(st = ledger_stmt(l, SQL_RUN_TOTAL, e)))
			goto fail;
		db_bind_int64(st, 1, out->run_id);
		db_bind_int64(st, 2, a->org_id);
		ledger_bind_text(st, 3, sv[i].sector);
		ledger_bind_text(st, 4, sv[i].carrier);
		db_bind_int(st, 5, a->quality);
		db_bind_int(st, 6, a->extrap);
		db_bind_int64(st, 7, a->rows);
		db_bind_int64(st, 8, a->mg.scope1_mg);
		db_bind_int64(st, 9, a->mg.scope2_location_mg);
		db_bind_int64(st, 10, a->mg.scope2_market_mg);
		db_bind_int64(st, 11, a->mg.scope3_mg);
		db_bind_int64(st, 12, a->mg.upstream_mg);
		db_bind_int64(st, 13, a->mg.biogenic_co2_mg);
		db_bind_int64(st, 14, a->mg.market_fallback_mg);
		db_bind_int64(st, 15, a->mg.energy_ukwh);
		db_bind_int64(st, 16, a->energy_rows);
		if (ledger_step_done(l, st, "storing the run totals", e))
			goto fail;
	}
	{
		json_t *o = json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:o, s:s, s:s, "
				      "s:I, s:I, s:I}",
				      "run", (json_int_t)out->run_id, "year", p->year,
				      "gwp", rc->gwp->name, "region", rc->region,
				      "fallback", calc_fallback_name(p->fallback_previous),
				      "factor_sets", json_loads(sets, 0, NULL),
				      "batches", json_loads(bats, 0, NULL),
				      "inputs_sha256", out->inputs_sha256,
				      "results_sha256", out->results_sha256,
				      "rows_used", (json_int_t)out->rows_used,
				      "rows_excluded", (json_int_t)out->rows_excluded,
				      "rows_extrapolated",
				      (json_int_t)out->rows_extrapolated);
		/* a GHG-Protocol run's entry is as before lenses existed */
		if (o && p->lens == CALC_LENS_BISKO &&
		    json_object_set_new(o, "lens", json_string("bisko"))) {
			json_decref(o);
			o = NULL;
		}
		if (!o || !(payload = json_text(o))) {
			err_setf(e, ERR_IO, "out of memory");
			goto fail;
		}
	}
	if (audit_append(l, "run", payload, e) || ledger_commit(l, e))
		goto fail;
	free(payload);
	free(sets);
	free(bats);
	return 0;
fail:
	ledger_rollback(l);
fail_nobegin:
	free(payload);
	free(sets);
	free(bats);
	return -1;
}

int
calc_run(struct ledger *l, const struct calc_params *p,
	 struct calc_summary *out, struct errlist *errs, struct err *e)
{
	struct runctx rc;
	struct aggtab agg = {0};
	const struct org_tree *tree = NULL;
	struct sorted *sv = NULL;
	struct sha256 h;
	struct strbuf line = STRBUF_INIT; /* a line of the results fingerprint */
	size_t i, n = 0;
	int64_t total_rows = 0;
	int st, status = -1;

	memset(out, 0, sizeof *out);
	if (p->lens != CALC_LENS_GHG && p->lens != CALC_LENS_BISKO)
		return err_setf(e, ERR_USAGE, "unknown lens %d", (int)p->lens);
	if (runctx_open(l, p->year, p->factors, p->nfactors, p->gwp, p->fallback_previous,
			p->region, p->batches, p->nbatches, p->lens, &rc, e))
		return -1;
	st = scan_run(l, &rc, p, &agg, out, errs, e);
	if (st < 0)
		goto out;
	if (st > 0) {
		err_setf(e, ERR_DATA, "%zu row%s cannot be calculated; no run was "
			 "stored", errs->total, errs->total == 1 ? "" : "s");
		goto out;
	}
	for (i = 0; i < rc.b.n; i++) {
		total_rows += rc.b.v[i].rows; /* counted by the scan */
		out->rows_overlap += (long)rc.b.v[i].overlap_rows;
	}
	out->rows_outside = (long)(total_rows - out->rows_used - out->rows_excluded);
	tree = rc.tree;
	if (!(sv = calloc(agg.n ? agg.n : 1, sizeof *sv))) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	for (i = 0; i < agg.cap; i++) {
		const struct agg *a = &agg.v[i];
		size_t oi;
		if (!a->used)
			continue;
		oi = org_tree_by_id(tree, a->org_id);
		sv[n].a = a;
		sv[n].code = oi == ORG_NONE ? "" : org_tree_at(tree, oi)->code;
		calc_core_category(rc.core, a->cat, &sv[n].sector, &sv[n].carrier);
		if (calc_totals_add(&out->totals, &a->mg)) {
			err_setf(e, ERR_DATA, "the run's totals overflow 64-bit milligrams");
			goto out;
		}
		n++;
	}
	qsort(sv, n, sizeof *sv, cmp_sorted);
	sha256_init(&h);
	sha256_update(&h, "co2ledger-results/1\n", 20);
	if (p->lens == CALC_LENS_BISKO)
		sha256_update(&h, "lens\tbisko\n", 11);
	for (i = 0; i < n; i++) {
		const struct agg *a = sv[i].a;
		strbuf_reset(&line);
		if (strbuf_addf(&line,
				"%s\t%s\t%s\t%d\t%d\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld"
				"\t%lld\t%lld\n",
				sv[i].code, sv[i].sector, sv[i].carrier, a->quality,
				a->extrap, (long long)a->rows,
				(long long)a->mg.scope1_mg,
				(long long)a->mg.scope2_location_mg,
				(long long)a->mg.scope2_market_mg,
				(long long)a->mg.scope3_mg,
				(long long)a->mg.upstream_mg,
				(long long)a->mg.biogenic_co2_mg,
				(long long)a->mg.market_fallback_mg)) {
			err_setf(e, ERR_IO, "out of memory");
			goto out;
		}
		sha256_update(&h, line.buf, line.len);
	}
	sha256_final_hex(&h, out->results_sha256);
	if (inputs_sha(&rc, out->inputs_sha256)) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	if (store(l, p, &rc, sv, n, out, e))
		goto out;
	status = 0;
out:
	strbuf_release(&line);
	free(sv);
	free(agg.v);
	runctx_free(&rc);
	return status;
}

/* ---- calc_each_row ---- */

static const char *
col_text(struct db_stmt *st, int i)
{
	const char *t = (const char *)db_column_text(st, i);

	return t ? t : "";
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const char SQL_RUN_GET[] =
	"SELECT year, gwp, region, fallback, factor_sets, batches, lens FROM run "
	"WHERE id = ?1";

/* A stored run's parameters, as calc_each_row needs them. */
struct run_params {
	int year, previous;
	enum calc_lens lens;
	char gwp[16], region[64];
	struct factor_ref *refs; /* the sets, borrowing names from `sets` */
	int64_t *ids;     /* batch ids */
	size_t nids;
	json_t *sets;     /* [{name, version, sha256}] */
};

static void
run_params_free(struct run_params *rp)
{
	free(rp->refs);
	free(rp->ids);
	json_decref(rp->sets);
	memset(rp, 0, sizeof *rp);
}

static int
run_params_read(struct ledger *l, int64_t run_id, struct run_params *rp,
		struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_RUN_GET, e);
	json_t *bats = NULL;
	size_t i;
	int rc;

	memset(rp, 0, sizeof *rp);
	if (!st)
		return -1;
	db_bind_int64(st, 1, run_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *t;
		rp->year = db_column_int(st, 0);
		snprintf(rp->gwp, sizeof rp->gwp, "%s", col_text(st, 1));
		snprintf(rp->region, sizeof rp->region, "%s", col_text(st, 2));
		t = (const char *)db_column_text(st, 3);
		rp->previous = calc_fallback_parse(t) > 0 ? calc_fallback_parse(t) : 0;
		rp->sets = json_loads(col_text(st, 4), 0, NULL);
		bats = json_loads(col_text(st, 5), 0, NULL);
		t = (const char *)db_column_text(st, 6);
		rp->lens = t && strcmp(t, "bisko") == 0 ? CALC_LENS_BISKO : CALC_LENS_GHG;
	}
	db_reset(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			return err_setf(e, ERR_DATA, "no run %lld in this ledger",
					(long long)run_id);
		return ledger_fail(l, rc, "reading the run", e);
	}
	if (!json_is_array(rp->sets) || !json_is_array(bats)) {
		err_setf(e, ERR_DATA, "run %lld: stored lists are not valid JSON",
			 (long long)run_id);
		goto fail;
	}
	rp->nids = json_array_size(bats);
	if (!(rp->refs = calloc(json_array_size(rp->sets) + 1, sizeof *rp->refs)) ||
	    !(rp->ids = malloc((rp->nids ? rp->nids : 1) * sizeof *rp->ids))) {
		err_setf(e, ERR_IO, "out of memory");
		goto fail;
	}
	for (i = 0; i < json_array_size(rp->sets); i++) {
		rp->refs[i].name = jstr(json_array_get(rp->sets, i), "name");
		rp->refs[i].version = jstr(json_array_get(rp->sets, i), "version");
	}
	for (i = 0; i < rp->nids; i++)
		rp->ids[i] = json_integer_value(json_object_get(json_array_get(bats, i), "id"));
	json_decref(bats);
	return 0;
fail:
	json_decref(bats);
	run_params_free(rp);
	return -1;
}

/* Recompute the rows of `rows` (its batches and year) with the method of
 * `method` (GWP, region, fallback) and the factor sets of `fac`, looked up
 * in `factor_year` (0: the rows' year). */
static int
each_row(struct ledger *l, int64_t run_id, const struct run_params *rows,
	 const struct run_params *method, int64_t fac_id,
	 const struct run_params *fac, int factor_year, int64_t activity_id,
	 calc_row_fn *fn, void *ctx, struct err *e)
{
	size_t i;
	int status = -1;
	struct runctx run;
	struct sink s;
	struct scan_ctx sc;

	(void)run_id;
	if (runctx_open(l, rows->year, fac->refs, json_array_size(fac->sets), method->gwp,
			method->previous,
			method->region, rows->ids, rows->nids, method->lens, &run, e))
		return -1;
	if (factor_db_nsets(run.reg->db) != json_array_size(fac->sets)) {
		err_setf(e, ERR_DATA, "run %lld: its factor sets are no longer "
			 "registered", (long long)fac_id);
		goto out_run;
	}
	for (i = 0; i < json_array_size(fac->sets); i++) {
		const char *h = json_string_value(
			json_object_get(json_array_get(fac->sets, i), "sha256"));
		const struct factor_set *fs = factor_db_set(run.reg->db, i);
		if (!h || strcmp(h, factor_set_sha256(fs)) != 0) {
			err_setf(e, ERR_DATA, "run %lld: factor set %s@%s differs from "
				 "the one the run used", (long long)fac_id,
				 factor_set_name(fs), factor_set_version(fs));
			goto out_run;
		}
	}
	if (factor_year && factor_year != rows->year &&
	    calc_reg_shift(run.reg, factor_year - rows->year, e))
		goto out_run;
	memset(&s, 0, sizeof s);
	s.fn = fn;
	s.ctx = ctx;
	s.tree = run.tree;
	s.core = run.core;
	sc.l = l;
	sc.core = run.core;
	sc.tree = run.tree;
	sc.heat_key = run.heat_key;
	sc.b = &run.b;
	sc.year = rows->year;
	sc.only = activity_id;
	sc.lo = sc.hi = 0;
	status = scan(&sc, &s, e) ? -1 : 0;
out_run:
	runctx_free(&run);
	return status;
}

int
calc_each_row(struct ledger *l, int64_t run_id, int64_t activity_id,
	      calc_row_fn *fn, void *ctx, struct err *e)
{
	struct run_params rp;
	int status;

	if (run_params_read(l, run_id, &rp, e))
		return -1;
	status = each_row(l, run_id, &rp, &rp, run_id, &rp, 0, activity_id, fn,
			  ctx, e);
	run_params_free(&rp);
	return status;
}

int
calc_each_row_mix(struct ledger *l, const struct calc_mix *m, calc_row_fn *fn,
		  void *ctx, struct err *e)
{
	struct run_params r, me, f;
	int status = -1;

	memset(&me, 0, sizeof me);
	memset(&f, 0, sizeof f);
	if (run_params_read(l, m->rows_run, &r, e))
		return -1;
	if (run_params_read(l, m->method_run, &me, e) ||
	    run_params_read(l, m->factors_run, &f, e))
		goto out;
	if (m->factor_year && (m->factor_year < 1900 || m->factor_year > 2999)) {
		err_setf(e, ERR_USAGE, "factor year %d is out of range (expected "
			 "1900 to 2999)", m->factor_year);
		goto out;
	}
	status = each_row(l, m->rows_run, &r, &me, m->factors_run, &f,
			  m->factor_year, 0, fn, ctx, e);
out:
	run_params_free(&r);
	run_params_free(&me);
	run_params_free(&f);
	return status;
}

static const char SQL_RUN_INFO[] =
	"SELECT year, gwp, region, fallback, created_at, inputs_sha256, "
	"results_sha256, rows_used, rows_excluded, rows_extrapolated, lens FROM run "
	"WHERE id = ?1";

int
calc_run_info(struct ledger *l, int64_t run_id, struct calc_run_info *out,
	      struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_RUN_INFO, e);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	db_bind_int64(st, 1, run_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->run_id = run_id;
		out->year = db_column_int(st, 0);
		snprintf(out->gwp, sizeof out->gwp, "%s", col_text(st, 1));
		snprintf(out->region, sizeof out->region, "%s", col_text(st, 2));
		snprintf(out->fallback, sizeof out->fallback, "%s", col_text(st, 3));
		snprintf(out->created_at, sizeof out->created_at, "%s", col_text(st, 4));
		snprintf(out->inputs_sha256, sizeof out->inputs_sha256, "%s",
			 col_text(st, 5));
		snprintf(out->results_sha256, sizeof out->results_sha256, "%s",
			 col_text(st, 6));
		out->rows_used = (long)db_column_int64(st, 7);
		out->rows_excluded = (long)db_column_int64(st, 8);
		out->rows_extrapolated = (long)db_column_int64(st, 9);
		snprintf(out->lens, sizeof out->lens, "%s", col_text(st, 10));
	}
	db_reset(st);
	if (rc == DB_DONE)
		return err_setf(e, ERR_DATA, "no run %lld in this ledger",
				(long long)run_id);
	if (rc != DB_ROW)
		return ledger_fail(l, rc, "reading the run", e);
	return 0;
}

static const char SQL_RUN_BATCHES[] = "SELECT batches FROM run WHERE id = ?1";
static const char SQL_ROW_AT[] =
	"SELECT id FROM activity WHERE batch_id = ?1 AND line = ?2 ORDER BY id LIMIT 1";

static int
hash_match(const char *h, const char *ref, size_t n)
{
	size_t i;

	if (!h || n < 8 || n > 64 || strncmp(h, ref, n) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((ref[i] >= '0' && ref[i] <= '9') || (ref[i] >= 'a' && ref[i] <= 'f')))
			return 0;
	return 1;
}

int
calc_find_row(struct ledger *l, int64_t run_id, const char *ref,
	      int64_t *activity_id, struct err *e)
{
	const char *colon = strrchr(ref, ':');
	struct db_stmt *st;
	json_t *bats = NULL, *b;
	char *end;
	long long line;
	size_t n, i;
	int64_t batch = 0;
	int rc;

	*activity_id = 0;
	if (!colon || colon == ref || !colon[1])
		return err_setf(e, ERR_USAGE, "row '%s' is not FILE:LINE or HASH:LINE", ref);
	line = strtoll(colon + 1, &end, 10);
	if (*end || line <= 0)
		return err_setf(e, ERR_USAGE, "row '%s': '%s' is not a line number", ref,
				colon + 1);
	n = (size_t)(colon - ref);
	if (!(st = ledger_stmt(l, SQL_RUN_BATCHES, e)))
		return -1;
	db_bind_int64(st, 1, run_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		bats = json_loads((const char *)db_column_text(st, 0), 0, NULL);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? err_setf(e, ERR_DATA, "no calculation run %lld "
						    "(see 'co2ledger calc')", (long long)run_id)
					 : ledger_fail(l, rc, "reading the run", e);
	json_array_foreach(bats, i, b) {
		const char *file = json_string_value(json_object_get(b, "file"));
		if ((file && strlen(file) == n && strncmp(file, ref, n) == 0) ||
		    hash_match(json_string_value(json_object_get(b, "sha256")), ref, n) ||
		    hash_match(json_string_value(json_object_get(b, "rows_sha256")), ref, n)) {
			batch = json_integer_value(json_object_get(b, "id"));
			break;
		}
	}
	json_decref(bats);
	if (!batch)
		return err_setf(e, ERR_DATA, "run %lld has no input file '%.*s' (by name, "
				"sha256 or rows_sha256)", (long long)run_id, (int)n, ref);
	if (!(st = ledger_stmt(l, SQL_ROW_AT, e)))
		return -1;
	db_bind_int64(st, 1, batch);
	db_bind_int64(st, 2, line);
	rc = db_step(st);
	if (rc == DB_ROW)
		*activity_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc == DB_DONE)
		return err_setf(e, ERR_DATA, "%.*s has no row from line %lld in run %lld "
				"(a header, a rejected row, or past the end)", (int)n, ref,
				line, (long long)run_id);
	return rc == DB_ROW ? 0 : ledger_fail(l, rc, "reading activity rows", e);
}

/* ---- lenses ---- */

const char *
calc_lens_name(enum calc_lens l)
{
	return l == CALC_LENS_BISKO ? "bisko" : "ghg-protocol";
}

int
calc_lens_parse(const char *s, enum calc_lens *out, struct err *e)
{
	if (s && strcmp(s, "ghg-protocol") == 0) {
		*out = CALC_LENS_GHG;
		return 0;
	}
	if (s && strcmp(s, "bisko") == 0) {
		*out = CALC_LENS_BISKO;
		return 0;
	}
	return err_setf(e, ERR_USAGE, "unknown lens '%s' (expected ghg-protocol "
			"or bisko)", s ? s : "");
}
