/*
 * import_batch: batch bookkeeping: the same file or rows refused, replace
 * and supersede, the audit entries of imports and removals, and the public
 * batch queries (import.h).
 */
#include "importers/import_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "base/date.h"

static const char SQL_BATCH_NEW[] =
	"INSERT INTO batch(kind, file, sha256, profile, imported_at) "
	"VALUES (?1, ?2, '', ?3, ?4) RETURNING id";
static const char SQL_BATCH_DONE[] =
	"UPDATE batch SET sha256 = ?2, rows_total = ?3, rows_loaded = ?4, "
	"rows_rejected = ?5, allow_overlap = ?6, overlap_rows = ?7, "
	"rows_digest = ?8, rows_sha256 = ?9 WHERE id = ?1";
static const char SQL_BATCH_SAME[] =
	"SELECT id, file, status, superseded_by, CASE WHEN sha256 = ?1 THEN 1 ELSE 0 END "
	"FROM batch "
	"WHERE id <> ?3 AND id <> ?4 AND (sha256 = ?1 OR (kind = ?5 AND "
	"rows_digest = ?2)) ORDER BY status = 'active' DESC, id";
static const char SQL_BATCH_GET[] =
	"SELECT id, kind, file, sha256, profile, rows_total, rows_loaded, "
	"rows_rejected, imported_at, status, superseded_by, superseded_at, "
	"allow_overlap, overlap_rows FROM batch WHERE id = ?1";
static const char SQL_SUPERSEDE[] =
	"UPDATE batch SET status = 'superseded', superseded_by = ?2, "
	"superseded_at = ?3 WHERE id = ?1";
static int
audit_import(struct imp *im, const char *sha, struct err *e)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
			      "batch", (json_int_t)im->batch, "file", im->file,
			      "kind", import_kind_name(im->kind), "profile", profile_name(im->prof),
			      "sha256", sha, "rows_sha256", im->rows_hex,
			      "rows_total", (json_int_t)im->rows_total,
			      "rows_loaded", (json_int_t)im->rows_loaded,
			      "rows_rejected", (json_int_t)im->rows_rejected);

	if (o && im->o->replace)
		json_object_set_new(o, "replaces", json_integer(im->o->replace));
	return audit_append_json(im->l, "batch.import", o, e);
}

static int
audit_remove(struct ledger *l, int64_t id, int64_t by, struct err *e)
{
	json_t *o = json_pack("{s:I}", "batch", (json_int_t)id);

	if (o && by) {
		json_object_set_new(o, "superseded_by", json_integer(by));
		json_object_set_new(o, "reason", json_string("replaced"));
	} else if (o) {
		json_object_set_new(o, "reason", json_string("removed"));
	}
	return audit_append_json(l, "batch.remove", o, e);
}

int
imp_batch_create(struct imp *im, const char *now, struct err *e)
{
	struct db_stmt *st = ledger_stmt(im->l, SQL_BATCH_NEW, e);

	if (!st)
		return -1;
	db_bind_text(st, 1, import_kind_name(im->kind), -1, DB_STATIC);
	db_bind_text(st, 2, im->file, -1, DB_STATIC);
	db_bind_text(st, 3, profile_name(im->prof), -1, DB_STATIC);
	db_bind_text(st, 4, now, -1, DB_STATIC);
	if (ledger_step_id(im->l, st, "creating the batch", &im->batch, e))
		return -1;
	return 0;
}

int
imp_batch_finish(struct imp *im, const char *sha, const char *now, struct err *e)
{
	const struct import_opts *o = im->o;
	char dig_loaded[80];
	struct db_stmt *st;

	imp_digest_text(im->dig_loaded, im->rows_loaded, dig_loaded);
	if (!(st = ledger_stmt(im->l, SQL_BATCH_DONE, e)))
		return -1;
	db_bind_int64(st, 1, im->batch);
	db_bind_text(st, 2, sha, -1, DB_STATIC);
	db_bind_int64(st, 3, im->rows_total);
	db_bind_int64(st, 4, im->rows_loaded);
	db_bind_int64(st, 5, im->rows_rejected);
	db_bind_int(st, 6, o->allow_overlap ? 1 : 0);
	db_bind_int64(st, 7, im->overlap_rows);
	db_bind_text(st, 8, dig_loaded, -1, DB_STATIC);
	sha256_final_hex(&im->rows_sha, im->rows_hex);
	db_bind_text(st, 9, im->rows_hex, -1, DB_STATIC);
	if (ledger_step_done(im->l, st, "finishing the batch", e))
		return -1;
	if (o->replace) {
		if (!(st = ledger_stmt(im->l, SQL_SUPERSEDE, e)))
			return -1;
		db_bind_int64(st, 1, o->replace);
		db_bind_int64(st, 2, im->batch);
		db_bind_text(st, 3, now, -1, DB_STATIC);
		if (ledger_step_done(im->l, st, "superseding the replaced batch", e) ||
		    audit_remove(im->l, o->replace, im->batch, e))
			return -1;
	}
	return audit_import(im, sha, e);
}

void
imp_name_end(const char *s, char out[IMP_SHOWN_MAX + 1])
{
	size_t n = strlen(s), from;

	if (n <= IMP_SHOWN_MAX) {
		memcpy(out, s, n + 1);
		return;
	}
	from = n - (IMP_SHOWN_MAX - 3);
	while (from < n && ((unsigned char)s[from] & 0xC0) == 0x80)
		from++; /* whole characters only */
	memcpy(out, "...", 3);
	memcpy(out + 3, s + from, n - from + 1);
}

/* The batch that superseded `id` last in a chain of replacements: *active
 * says whether it is in force. 0 when there is none. */
static int64_t
chain_end(struct ledger *l, int64_t by, int *active, struct err *e)
{
	struct import_batch b;
	int i;

	*active = 0;
	for (i = 0; by && i < 100000; i++) {
		if (import_batch_get(l, by, &b, e))
			return -1;
		if (strcmp(b.status, "active") == 0) {
			*active = 1;
			return by;
		}
		if (!b.superseded_by)
			return by;
		by = b.superseded_by;
	}
	return by;
}

/* Refuse a file whose bytes (SHA-256) or normalised rows are those of an
 * active batch, or of a batch another one superseded (it would come back
 * silently); -1 with *e then. */
int
imp_check_same(struct imp *im, const char *sha, const char *dig, struct err *e)
{
	struct db_stmt *st = ledger_stmt(im->l, SQL_BATCH_SAME, e);
	int rc, refused = 0;

	if (!st)
		return -1;
	db_bind_text(st, 1, sha, -1, DB_TRANSIENT);
	db_bind_text(st, 2, dig, -1, DB_TRANSIENT);
	db_bind_int64(st, 3, im->batch);
	db_bind_int64(st, 4, im->o->replace);
	db_bind_text(st, 5, import_kind_name(im->kind), -1, DB_STATIC);
	while (!refused && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0), by = db_column_int64(st, 3);
		const char *file = (const char *)db_column_text(st, 1);
		const char *status = (const char *)db_column_text(st, 2);
		const char *how = db_column_int(st, 4) ? "same SHA-256"
			: "the same rows, only the bytes differ: line ends, byte-order "
			  "mark, quoting or row order";
		char bfile[IMP_SHOWN_MAX + 1];
		int64_t end;
		int active;

		imp_name_end(file ? file : "", bfile);
		if (status && strcmp(status, "active") == 0) {
			err_set(e, ERR_DATA, im->file, 0, 0,
				"already imported as batch %lld (%s, %s); nothing was "
				"imported (use --replace %lld to supersede that batch)",
				(long long)id, bfile, how, (long long)id);
			refused = 1;
			break;
		}
		if (!by)
			continue; /* removed with `batch remove`: loading it again is deliberate */
		db_reset(st);
		if ((end = chain_end(im->l, by, &active, e)) < 0)
			return -1;
		if (active && end != im->o->replace) {
			err_set(e, ERR_DATA, im->file, 0, 0,
				"this was imported as batch %lld (%s, %s), which batch %lld "
				"superseded; nothing was imported (a superseded batch does "
				"not come back silently: to go back to it, replace batch "
				"%lld, now in force, with --replace %lld)", (long long)id,
				bfile, how, (long long)by, (long long)end, (long long)end);
			return -1;
		}
		return 0; /* (the statement was reset; the first match decides) */
	}
	db_reset(st);
	if (refused)
		return -1;
	return rc == DB_DONE || rc == DB_ROW ? 0 : ledger_fail(im->l, rc, "checking for the same file", e);
}

int
imp_check_replace(struct ledger *l, enum import_kind kind, int64_t id, struct err *e)
{
	struct import_batch b;

	if (import_batch_get(l, id, &b, e))
		return -1;
	if (strcmp(b.status, "active"))
		return err_setf(e, ERR_DATA, "batch %lld is already superseded (by "
				"batch %lld); nothing to replace", (long long)id,
				(long long)b.superseded_by);
	if (strcmp(b.kind, import_kind_name(kind)))
		return err_setf(e, ERR_DATA, "batch %lld holds %s rows, not %s (replace "
				"it with a file of the same kind)", (long long)id, b.kind,
				import_kind_name(kind));
	return 0;
}

/* ---- batches ------------------------------------------------------------ */

static void
col_text(struct db_stmt *st, int i, char *buf, size_t n)
{
	const unsigned char *s = db_column_text(st, i);

	snprintf(buf, n, "%s", s ? (const char *)s : "");
}

static void
read_batch(struct db_stmt *st, struct import_batch *b)
{
	b->id = db_column_int64(st, 0);
	col_text(st, 1, b->kind, sizeof b->kind);
	col_text(st, 2, b->file, sizeof b->file);
	col_text(st, 3, b->sha256, sizeof b->sha256);
	col_text(st, 4, b->profile, sizeof b->profile);
	b->rows_total = (long)db_column_int64(st, 5);
	b->rows_loaded = (long)db_column_int64(st, 6);
	b->rows_rejected = (long)db_column_int64(st, 7);
	col_text(st, 8, b->imported_at, sizeof b->imported_at);
	col_text(st, 9, b->status, sizeof b->status);
	b->superseded_by = db_column_int64(st, 10);
	col_text(st, 11, b->superseded_at, sizeof b->superseded_at);
	b->allow_overlap = db_column_int(st, 12);
	b->overlap_rows = (long)db_column_int64(st, 13);
}

int
import_batch_get(struct ledger *l, int64_t id, struct import_batch *out, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_BATCH_GET, e);
	int rc;

	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		read_batch(st, out);
		db_reset(st);
		return 0;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading a batch", e);
	return err_setf(e, ERR_DATA, "no batch %lld (see 'co2ledger batch list')",
			(long long)id);
}

static const char SQL_BATCH_ALL[] =
	"SELECT id, kind, file, sha256, profile, rows_total, rows_loaded, "
	"rows_rejected, imported_at, status, superseded_by, superseded_at, "
	"allow_overlap, overlap_rows FROM batch ORDER BY id";

int
import_batch_each(struct ledger *l, int (*fn)(void *ctx, const struct import_batch *b),
		  void *ctx, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_BATCH_ALL, e);
	struct import_batch b;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		read_batch(st, &b);
		if (fn(ctx, &b))
			break;
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
						     : ledger_fail(l, rc, "reading batches", e);
}

int
import_batch_remove(struct ledger *l, int64_t id, struct err *e)
{
	struct import_batch b;
	struct db_stmt *st;
	char now[21];

	if (ledger_begin(l, e))
		return -1;
	if (import_batch_get(l, id, &b, e))
		goto fail;
	if (strcmp(b.status, "active")) {
		err_setf(e, ERR_DATA, "batch %lld is already superseded (since %s); "
			 "nothing was changed", (long long)id, b.superseded_at);
		goto fail;
	}
	date_now_iso(now);
	if (!(st = ledger_stmt(l, SQL_SUPERSEDE, e)))
		goto fail;
	db_bind_int64(st, 1, id);
	db_bind_null(st, 2);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	if (ledger_step_done(l, st, "removing the batch", e) ||
	    audit_remove(l, id, 0, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

static const char SQL_ROWS[] =
	"SELECT a.line, u.code, k.key, a.day_start, a.day_end, a.quantity, a.unit, "
	"a.quality, a.tariff, a.supplier_factor, a.ident, a.site, a.supplier, "
	"a.description FROM activity a JOIN org_unit u ON u.id = a.org_id "
	"JOIN activity_key k ON k.id = a.key_id WHERE a.batch_id = ?1 ORDER BY a.id";

int
import_batch_rows(struct ledger *l, int64_t id,
		  int (*fn)(void *ctx, const struct import_row *r), void *ctx,
		  struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ROWS, e);
	struct import_row r;
	int rc;

	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		r.line = (long)db_column_int64(st, 0);
		r.org = (const char *)db_column_text(st, 1);
		r.key = (const char *)db_column_text(st, 2);
		r.day_start = db_column_int(st, 3);
		r.day_end = db_column_int(st, 4);
		r.quantity = db_column_int64(st, 5);
		r.unit = (const char *)db_column_text(st, 6);
		r.quality = db_column_int(st, 7);
		r.tariff = (const char *)db_column_text(st, 8);
		r.has_supplier_factor = db_column_type(st, 9) != DB_NULL;
		r.supplier_factor = db_column_int64(st, 9);
		r.ident = (const char *)db_column_text(st, 10);
		r.site = (const char *)db_column_text(st, 11);
		r.supplier = (const char *)db_column_text(st, 12);
		r.description = (const char *)db_column_text(st, 13);
		if (fn(ctx, &r))
			break;
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
						     : ledger_fail(l, rc, "reading rows", e);
}
