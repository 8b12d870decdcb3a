/*
 * calc_batch: the batches a run reads (every active one, or those named by
 * verify), loaded from the ledger with their hashes; the run's scan counts
 * their rows.
 */
#include "engine/calc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
calc_batches_free(struct calc_batches *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].file);
	free(b->v);
	free(b->idx);
	memset(b, 0, sizeof *b);
}

static const char SQL_BATCH_ACTIVE[] =
	"SELECT id, kind, file, sha256, overlap_rows, rows_sha256 FROM batch "
	"WHERE status = 'active' ORDER BY id";
static const char SQL_BATCH_ONE[] =
	"SELECT id, kind, file, sha256, overlap_rows, rows_sha256 FROM batch WHERE id = ?1";

static int
batch_row(struct ledger *l, struct db_stmt *st, struct calc_batches *b, struct err *e)
{
	struct calc_batch *nb = realloc(b->v, (b->n + 1) * sizeof *nb), *x;
	const char *f = (const char *)db_column_text(st, 2);
	const char *k = (const char *)db_column_text(st, 1);
	const char *h = (const char *)db_column_text(st, 3);

	if (!nb)
		return err_setf(e, ERR_IO, "out of memory");
	b->v = nb;
	x = &b->v[b->n];
	memset(x, 0, sizeof *x);
	x->id = db_column_int64(st, 0);
	x->overlap_rows = db_column_int64(st, 4);
	snprintf(x->kind, sizeof x->kind, "%s", k ? k : "");
	snprintf(x->sha256, sizeof x->sha256, "%s", h ? h : "");
	h = (const char *)db_column_text(st, 5);
	snprintf(x->rows_sha256, sizeof x->rows_sha256, "%s", h ? h : "");
	if (!(x->file = strdup(f ? f : "")))
		return err_setf(e, ERR_IO, "out of memory");
	b->n++;
	if (x->id > b->maxid)
		b->maxid = x->id;
	return 0;
}

int
calc_batches_load(struct ledger *l, const int64_t *ids, size_t nids,
	     struct calc_batches *b, struct err *e)
{
	struct db_stmt *st;
	size_t i;
	int rc;

	memset(b, 0, sizeof *b);
	if (ids) {
		for (i = 0; i < nids; i++) {
			if (!(st = ledger_stmt(l, SQL_BATCH_ONE, e)))
				return -1;
			db_bind_int64(st, 1, ids[i]);
			rc = db_step(st);
			if (rc == DB_ROW) {
				if (batch_row(l, st, b, e)) {
					db_reset(st);
					return -1;
				}
			}
			db_reset(st);
			if (rc != DB_ROW)
				return err_setf(e, ERR_DATA, "no batch %lld in this ledger",
						(long long)ids[i]);
		}
	} else {
		if (!(st = ledger_stmt(l, SQL_BATCH_ACTIVE, e)))
			return -1;
		while ((rc = db_step(st)) == DB_ROW)
			if (batch_row(l, st, b, e)) {
				db_reset(st);
				return -1;
			}
		db_reset(st);
		if (rc != DB_DONE)
			return ledger_fail(l, rc, "reading batches", e);
	}
	if (!(b->idx = malloc((size_t)(b->maxid + 1) * sizeof *b->idx)))
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i <= (size_t)b->maxid; i++)
		b->idx[i] = -1;
	for (i = 0; i < b->n; i++) {
		if (b->idx[b->v[i].id] >= 0)
			return err_setf(e, ERR_USAGE, "batch %lld named twice",
					(long long)b->v[i].id);
		b->idx[b->v[i].id] = (int32_t)i;
	}
	return 0;
}

