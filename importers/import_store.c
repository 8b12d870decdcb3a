/*
 * import_store: activity keys interned once per file, and the block insert:
 * valid rows wait in a block of PENDING rows and go to SQLite through one
 * multi-row INSERT, each hashed into the batch's rows hash on the way.
 */
#include "importers/import_int.h"

#include <stdlib.h>
#include <string.h>

#include "org/org.h"
#include "base/strmap.h"
#include "store/rowhash.h"

/* ---- activity keys ------------------------------------------------------ */


static const char SQL_KEY_INS[] = "INSERT OR IGNORE INTO activity_key(key) VALUES (?1)";
static const char SQL_KEY_GET[] = "SELECT id FROM activity_key WHERE key = ?1";

int64_t
imp_key_id(struct imp *im, const char *key, size_t n, struct err *e)
{
	int64_t id;
	sqlite3_stmt *st;

	if (strmap_get(im->keys, key, n, &id))
		return id;
	if (strmap_count(im->keys) >= KEYS_MAX)
		return err_set(e, ERR_DATA, im->file, im->row->line, 0,
			       "more than %d different activity keys in one file (is "
			       "this the right file?)", KEYS_MAX);
	if (!(st = ledger_stmt(im->l, SQL_KEY_INS, e)))
		return -1;
	sqlite3_bind_text(st, 1, key, (int)n, SQLITE_TRANSIENT);
	if (ledger_step_done(im->l, st, "storing an activity key", e))
		return -1;
	if (!(st = ledger_stmt(im->l, SQL_KEY_GET, e)))
		return -1;
	sqlite3_bind_text(st, 1, key, (int)n, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return ledger_fail(im->l, SQLITE_ERROR, "reading an activity key", e);
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (strmap_put(im->keys, key, n, id))
		return err_setf(e, ERR_IO, "out of memory");
	return id;
}

/* Rows are inserted PENDING at a time through one multi-row INSERT: that
 * saves SQLite most of its per-statement work (a third of the insert time
 * for these rows); the last few rows of a file go one by one. */
#define PENDING 64
#define NCOL 16
#define COLS_SQL "INSERT INTO activity(batch_id, line, org_id, key_id, day_start, " \
	"day_end, quantity, unit, quality, tariff, supplier_factor, ident, site, "   \
	"supplier, description, row_digest) VALUES "
#define V1 "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define V4 V1 "," V1 "," V1 "," V1
#define V16 V4 "," V4 "," V4 "," V4
static const char SQL_INSERT1[] = COLS_SQL V1;
static const char SQL_INSERTN[] = COLS_SQL V16 "," V16 "," V16 "," V16;
#undef V1
#undef V4
#undef V16

/* A row waiting for the next multi-row insert; text lives in the arena. */
struct pend {
	long line;
	int64_t org_id, key_id, qty, sf;
	int32_t s, e;
	int quality, has_sf;
	const char *unit;                   /* static */
	const char *txt[5];                 /* tariff, ident, site, supplier, description */
	int len[5];
	unsigned char digest[ROWHASH_DIGEST]; /* store/rowhash.h */
};

#define ARENA_ROW (32 + IDENT_MAX + 3 * TEXT_MAX + 16)

/* PENDING rows and their text, waiting to be stored. */
struct block {
	struct pend pend[PENDING];
	char arena[PENDING * ARENA_ROW];
	size_t used;
	int n;
};

static const char *
keep(struct block *b, const char *s, size_t n, int *len)
{
	char *p = b->arena + b->used;

	*len = (int)n;
	if (!s || !n)
		return NULL;
	memcpy(p, s, n);
	b->used += n;
	return p;
}

/* Store the rows of b: PENDING at once, or one by one for the last few. */
static int
store_block(struct imp *im, struct block *b, struct err *e)
{
	sqlite3_stmt *st = b->n == PENDING ? im->insn : im->ins1;
	int i, k, rc;

	for (i = 0; i < b->n; i++) {
		const struct pend *p = &b->pend[i];
		int c = b->n == PENDING ? i * NCOL : 0;
		sqlite3_bind_int64(st, c + 1, im->batch);
		sqlite3_bind_int64(st, c + 2, p->line);
		sqlite3_bind_int64(st, c + 3, p->org_id);
		sqlite3_bind_int64(st, c + 4, p->key_id);
		sqlite3_bind_int(st, c + 5, p->s);
		sqlite3_bind_int(st, c + 6, p->e);
		sqlite3_bind_int64(st, c + 7, p->qty);
		sqlite3_bind_text(st, c + 8, p->unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, c + 9, p->quality);
		if (p->has_sf)
			sqlite3_bind_int64(st, c + 11, p->sf);
		else
			sqlite3_bind_null(st, c + 11);
		for (k = 0; k < 5; k++) {
			int col = c + (k == 0 ? 10 : 11 + k);
			if (p->txt[k])
				sqlite3_bind_text(st, col, p->txt[k], p->len[k], SQLITE_STATIC);
			else
				sqlite3_bind_null(st, col);
		}
		sqlite3_bind_blob(st, c + 16, p->digest, ROWHASH_DIGEST, SQLITE_STATIC);
		if (st == im->ins1) {
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return ledger_fail(im->l, rc, "storing an activity row", e);
		}
	}
	if (st == im->insn && b->n) {
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ledger_fail(im->l, rc, "storing activity rows", e);
	}
	return 0;
}

/* Store b and empty it. */
static int
store_now(struct imp *im, struct block *b, struct err *e)
{
	int rc = store_block(im, b, e);

	b->n = 0;
	b->used = 0;
	return rc;
}

/* The row's canonical form into the batch's rows hash, and its digest
 * (store/rowhash.h): the same values that are stored. */
static void
row_hash(struct imp *im, struct pend *p, const char *key, size_t keylen)
{
	struct rowhash_val v[ROWHASH_NFIELDS];
	const char *code;
	int i;

	if (!im->hash_code || im->hash_org != p->org_id) {
		size_t k = org_tree_by_id(im->orgs, p->org_id);
		im->hash_code = k == ORG_NONE ? "" : org_tree_at(im->orgs, k)->code;
		im->hash_org = p->org_id;
	}
	code = im->hash_code;

	memset(v, 0, sizeof v);
	v[0] = (struct rowhash_val){ROWHASH_INT, p->line, NULL, 0};
	v[1] = (struct rowhash_val){ROWHASH_TEXT, 0, code, strlen(code)};
	v[2] = (struct rowhash_val){ROWHASH_TEXT, 0, key, keylen};
	v[3] = (struct rowhash_val){ROWHASH_INT, p->s, NULL, 0};
	v[4] = (struct rowhash_val){ROWHASH_INT, p->e, NULL, 0};
	v[5] = (struct rowhash_val){ROWHASH_INT, p->qty, NULL, 0};
	v[6] = (struct rowhash_val){ROWHASH_TEXT, 0, p->unit, strlen(p->unit)};
	v[7] = (struct rowhash_val){ROWHASH_INT, p->quality, NULL, 0};
	v[9] = (struct rowhash_val){p->has_sf ? ROWHASH_INT : ROWHASH_NULL, p->sf, NULL, 0};
	for (i = 0; i < 5; i++) {
		struct rowhash_val *f = &v[i == 0 ? 8 : 9 + i];
		if (p->txt[i])
			*f = (struct rowhash_val){ROWHASH_TEXT, 0, p->txt[i], (size_t)p->len[i]};
	}
	rowhash_row(&im->rows_sha, v, p->digest);
}

int
imp_insert(struct imp *im, const struct act *a, const char *key, size_t keylen,
	   struct err *e)
{
	struct block *b = im->blk;
	struct pend *p = &b->pend[b->n++];

	p->line = im->row->line;
	p->org_id = a->org_id;
	p->key_id = a->key_id;
	p->qty = a->qty;
	p->sf = a->sf;
	p->has_sf = a->has_sf;
	p->s = a->s;
	p->e = a->e;
	p->quality = a->quality;
	p->unit = a->unit;
	p->txt[0] = keep(b, a->tariff, a->tariff ? strlen(a->tariff) : 0, &p->len[0]);
	p->txt[1] = keep(b, a->ident, a->ident ? a->ident_n : 0, &p->len[1]);
	p->txt[2] = keep(b, a->site.s, a->site.n, &p->len[2]);
	p->txt[3] = keep(b, a->supplier.s, a->supplier.n, &p->len[3]);
	p->txt[4] = keep(b, a->description.s, a->description.n, &p->len[4]);
	row_hash(im, p, key, keylen);
	return b->n == PENDING ? store_now(im, b, e) : 0;
}

int
imp_store_open(struct imp *im, struct err *e)
{
	if (!(im->ins1 = ledger_stmt(im->l, SQL_INSERT1, e)) ||
	    !(im->insn = ledger_stmt(im->l, SQL_INSERTN, e)))
		return -1;
	if (!(im->blk = calloc(1, sizeof *im->blk)))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

int
imp_store_flush(struct imp *im, struct err *e)
{
	return im->blk->n ? store_now(im, im->blk, e) : 0;
}
