/*
 * import_store: activity keys interned once per file, and the rows: each
 * valid row is hashed into the batch's rows hash and appended to the
 * ledger through the storage layer's bulk append (db_bulk_*).
 */
#include "importers/import_int.h"

#include <stdlib.h>
#include <string.h>

#include "org/org.h"
#include "base/strmap.h"
#include "store/rowhash.h"

/* ---- activity keys ------------------------------------------------------ */


static const char SQL_KEY_INS[] = "INSERT INTO activity_key(key) VALUES (?1) ON CONFLICT DO NOTHING";
static const char SQL_KEY_GET[] = "SELECT id FROM activity_key WHERE key = ?1";

int64_t
imp_key_id(struct imp *im, const char *key, size_t n, struct err *e)
{
	int64_t id;
	struct db_stmt *st;

	if (strmap_get(im->keys, key, n, &id))
		return id;
	if (strmap_count(im->keys) >= KEYS_MAX)
		return err_set(e, ERR_DATA, im->file, im->row->line, 0,
			       "more than %d different activity keys in one file (is "
			       "this the right file?)", KEYS_MAX);
	if (!(st = ledger_stmt(im->l, SQL_KEY_INS, e)))
		return -1;
	db_bind_text(st, 1, key, (int)n, DB_TRANSIENT);
	if (ledger_step_done(im->l, st, "storing an activity key", e))
		return -1;
	if (!(st = ledger_stmt(im->l, SQL_KEY_GET, e)))
		return -1;
	db_bind_text(st, 1, key, (int)n, DB_TRANSIENT);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return ledger_fail(im->l, DB_ERROR, "reading an activity key", e);
	}
	id = db_column_int64(st, 0);
	db_reset(st);
	if (strmap_put(im->keys, key, n, id))
		return err_setf(e, ERR_IO, "out of memory");
	return id;
}

/* The stored columns of an activity row, in the order of the bulk append's
 * values. The backend batches the rows (SQLite: one multi-row INSERT per
 * 64 rows, which saves it most of its per-statement work). */
enum { NCOL = 16 };
static const char *const COLS[NCOL] = {
	"batch_id", "line", "org_id", "key_id", "day_start", "day_end", "quantity",
	"unit", "quality", "tariff", "supplier_factor", "ident", "site", "supplier",
	"description", "row_digest",
};

/* A valid row on its way to the ledger. */
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

/* Send p to the bulk append. */
static int
store_row(struct imp *im, const struct pend *p, struct err *e)
{
	struct db_bulk *b = im->bulk;
	int k, rc;

	db_bulk_int64(b, 1, im->batch);
	db_bulk_int64(b, 2, p->line);
	db_bulk_int64(b, 3, p->org_id);
	db_bulk_int64(b, 4, p->key_id);
	db_bulk_int64(b, 5, p->s);
	db_bulk_int64(b, 6, p->e);
	db_bulk_int64(b, 7, p->qty);
	db_bulk_text(b, 8, p->unit, -1);
	db_bulk_int64(b, 9, p->quality);
	if (p->has_sf)
		db_bulk_int64(b, 11, p->sf);
	else
		db_bulk_null(b, 11);
	for (k = 0; k < 5; k++) {
		int col = k == 0 ? 10 : 11 + k;
		if (p->txt[k])
			db_bulk_text(b, col, p->txt[k], p->len[k]);
		else
			db_bulk_null(b, col);
	}
	db_bulk_blob(b, 16, p->digest, ROWHASH_DIGEST);
	if ((rc = db_bulk_row(b)) != DB_OK)
		return ledger_fail(im->l, rc, "storing activity rows", e);
	return 0;
}

static const char *
keep(const char *s, size_t n, int *len)
{
	*len = (int)n;
	return s && n ? s : NULL;
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
	struct pend p;

	p.line = im->row->line;
	p.org_id = a->org_id;
	p.key_id = a->key_id;
	p.qty = a->qty;
	p.sf = a->sf;
	p.has_sf = a->has_sf;
	p.s = a->s;
	p.e = a->e;
	p.quality = a->quality;
	p.unit = a->unit;
	p.txt[0] = keep(a->tariff, a->tariff ? strlen(a->tariff) : 0, &p.len[0]);
	p.txt[1] = keep(a->ident, a->ident ? a->ident_n : 0, &p.len[1]);
	p.txt[2] = keep(a->site.s, a->site.n, &p.len[2]);
	p.txt[3] = keep(a->supplier.s, a->supplier.n, &p.len[3]);
	p.txt[4] = keep(a->description.s, a->description.n, &p.len[4]);
	row_hash(im, &p, key, keylen);
	return store_row(im, &p, e);
}

int
imp_store_open(struct imp *im, struct err *e)
{
	int rc = db_bulk_begin(ledger_db(im->l), "activity", COLS, NCOL, &im->bulk);

	return rc == DB_OK ? 0 : ledger_fail(im->l, rc, "storing activity rows", e);
}

int
imp_store_flush(struct imp *im, struct err *e)
{
	int rc = db_bulk_end(im->bulk);

	im->bulk = NULL;
	return rc == DB_OK ? 0 : ledger_fail(im->l, rc, "storing activity rows", e);
}

void
imp_store_abort(struct imp *im)
{
	db_bulk_end(im->bulk); /* the transaction is rolled back next */
	im->bulk = NULL;
}
