/*
 * correct: row corrections as superseding batches, and batch diffs (see
 * correct.h).
 */
#include "importers/correct.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/activity.h"
#include "base/date.h"
#include "base/num.h"
#include "store/rowhash.h"

/* The canonical fields of a row (store/rowhash.h) and its digest. */
#define ROW_COLS "a.line, o.code, k.key, a.day_start, a.day_end, a.quantity, a.unit, " \
	"a.quality, a.tariff, a.supplier_factor, a.ident, a.site, a.supplier, "        \
	"a.description FROM activity a LEFT JOIN org_unit o ON o.id = a.org_id "      \
	"LEFT JOIN activity_key k ON k.id = a.key_id "

static const char SQL_BATCH[] =
	"SELECT kind, file, status, CASE WHEN rows_sha256 IS NULL THEN 1 ELSE 0 END "
	"FROM batch WHERE id = ?1";
static const char SQL_ROW[] = "SELECT " ROW_COLS "WHERE a.batch_id = ?1 AND a.line = ?2";
static const char SQL_NEW[] =
	"INSERT INTO batch(kind, file, sha256, profile, imported_at) "
	"VALUES (?1, ?2, '', 'correction', ?3) RETURNING id";
static const char SQL_COPY[] =
	"INSERT INTO activity(batch_id, line, org_id, key_id, day_start, day_end, "
	"quantity, unit, quality, tariff, supplier_factor, ident, site, supplier, "
	"description, row_digest) SELECT ?1, line, org_id, key_id, day_start, "
	"day_end, quantity, unit, quality, tariff, supplier_factor, ident, site, "
	"supplier, description, row_digest FROM activity WHERE batch_id = ?2 "
	"AND NOT (line = ?3 AND ?4) ORDER BY id";
static const char SQL_SET_QTY[] =
	"UPDATE activity SET quantity = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_SET_QUALITY[] =
	"UPDATE activity SET quality = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_SET_ORG[] =
	"UPDATE activity SET org_id = (SELECT id FROM org_unit WHERE code = ?3) "
	"WHERE batch_id = ?1 AND line = ?2";
static const char SQL_SET_START[] =
	"UPDATE activity SET day_start = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_SET_END[] =
	"UPDATE activity SET day_end = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_SET_TARIFF[] =
	"UPDATE activity SET tariff = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_DIGEST[] =
	"UPDATE activity SET row_digest = ?3 WHERE batch_id = ?1 AND line = ?2";
static const char SQL_ORG_OK[] = "SELECT 1 FROM org_unit WHERE code = ?1";
static const char SQL_DONE[] =
	"UPDATE batch SET sha256 = ?2, rows_total = ?3, rows_loaded = ?3, "
	"rows_rejected = 0, rows_sha256 = ?2 WHERE id = ?1";
static const char SQL_SUPERSEDE[] =
	"UPDATE batch SET status = 'superseded', superseded_by = ?2, "
	"superseded_at = ?3 WHERE id = ?1";
static const char SQL_RECORD[] =
	"INSERT INTO correction(batch_id, base_id, line, action, field, old_value, "
	"new_value, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";


/* A field's value as a person reads it: dates as dates, quantities as
 * decimals, quality by name. */
static const char *
show(int field, const struct rowhash_val *v, char *buf, size_t n)
{
	if (v->type == ROWHASH_INT && (field == 3 || field == 4) &&
	    v->i > -700000 && v->i < 3000000) {
		char d[11];
		date_format((int32_t)v->i, d);
		snprintf(buf, n, "%s", d);
	} else if (v->type == ROWHASH_INT && field == 5) {
		size_t k;
		num_format(v->i, 6, 6, buf, n);
		k = strlen(buf);
		while (k > 1 && buf[k - 1] == '0')
			buf[--k] = '\0';
		if (k && buf[k - 1] == '.')
			buf[--k] = '\0';
	} else if (v->type == ROWHASH_INT && field == 7 && v->i >= 0 && v->i <= 2) {
		snprintf(buf, n, "%s", activity_quality_name((int)v->i));
	} else if (v->type == ROWHASH_TEXT) {
		snprintf(buf, n, "%.*s", (int)(v->n < n ? v->n : n - 1), v->s);
	} else {
		rowhash_show(v, buf, n);
	}
	return buf;
}

static int
field_index(const char *name)
{
	int i;

	if (strcmp(name, "period_start") == 0)
		return 3;
	if (strcmp(name, "period_end") == 0)
		return 4;
	for (i = 0; i < ROWHASH_NFIELDS; i++)
		if (strcmp(rowhash_field[i], name) == 0)
			return i;
	return -1;
}

/* Bind the new value of `field` to ?3 of its statement; *e on a bad value. */
static struct db_stmt *
set_stmt(struct ledger *l, const struct correct_opts *o, int64_t batch,
	 struct err *e)
{
	const char *f = o->field, *v = o->value;
	size_t n = strlen(v);
	struct db_stmt *st = NULL;
	int64_t x;
	int32_t d;

	if (strcmp(f, "quantity") == 0) {
		if (num_parse(v, n, '.', 0, 6, &x) != NUM_OK || x < 0) {
			err_setf(e, ERR_USAGE, "quantity '%s' is not a number >= 0 "
				 "(write 1234.5, in the row's unit)", v);
			return NULL;
		}
		if ((st = ledger_stmt(l, SQL_SET_QTY, e)))
			db_bind_int64(st, 3, x);
	} else if (strcmp(f, "quality") == 0) {
		int q = strcmp(v, "measured") == 0 ? 0 : strcmp(v, "calculated") == 0 ? 1
			: strcmp(v, "estimated") == 0 ? 2 : -1;
		if (q < 0) {
			err_setf(e, ERR_USAGE, "quality '%s' is not one of measured, "
				 "calculated, estimated", v);
			return NULL;
		}
		if ((st = ledger_stmt(l, SQL_SET_QUALITY, e)))
			db_bind_int(st, 3, q);
	} else if (strcmp(f, "org") == 0) {
		struct db_stmt *ok = ledger_stmt(l, SQL_ORG_OK, e);
		int rc;
		if (!ok)
			return NULL;
		db_bind_text(ok, 1, v, -1, DB_TRANSIENT);
		rc = db_step(ok);
		db_reset(ok);
		if (rc != DB_ROW) {
			err_setf(e, ERR_USAGE, "unknown org code '%s' (see 'co2ledger "
				 "org list')", v);
			return NULL;
		}
		if ((st = ledger_stmt(l, SQL_SET_ORG, e)))
			db_bind_text(st, 3, v, -1, DB_TRANSIENT);
	} else if (strcmp(f, "period_start") == 0 || strcmp(f, "period_end") == 0) {
		if (date_parse_iso(v, n, &d)) {
			err_setf(e, ERR_USAGE, "%s '%s' is not a date (expected "
				 "YYYY-MM-DD)", f, v);
			return NULL;
		}
		if ((st = ledger_stmt(l, f[7] == 's' ? SQL_SET_START : SQL_SET_END, e)))
			db_bind_int(st, 3, d);
	} else if (strcmp(f, "tariff") == 0) {
		if ((st = ledger_stmt(l, SQL_SET_TARIFF, e))) {
			if (n)
				db_bind_text(st, 3, v, -1, DB_TRANSIENT);
			else
				db_bind_null(st, 3);
		}
	} else {
		err_setf(e, ERR_USAGE, "field '%s' cannot be corrected (expected "
			 "quantity, quality, org, period_start, period_end or tariff)", f);
		return NULL;
	}
	if (st) {
		db_bind_int64(st, 1, batch);
		db_bind_int64(st, 2, o->line);
	}
	return st;
}

/* Read row (batch, line) and show field `fi`; recompute its digest into
 * `dig` when dig is not NULL. 0 when found, 1 when absent. */
static int
read_row(struct ledger *l, int64_t batch, long line, int fi, char *buf,
	 size_t n, unsigned char *dig, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ROW, e);
	struct rowhash_val v[ROWHASH_NFIELDS];
	int rc, i;

	if (!st)
		return -1;
	db_bind_int64(st, 1, batch);
	db_bind_int64(st, 2, line);
	rc = db_step(st);
	if (rc == DB_ROW) {
		for (i = 0; i < ROWHASH_NFIELDS; i++)
			v[i] = rowhash_column(st, i);
		if (fi >= 0)
			show(fi, &v[fi], buf, n);
		if (dig)
			rowhash_row(NULL, v, dig);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return 1;
	return rc == DB_ROW ? 0 : ledger_fail(l, rc, "reading the row", e);
}

static int
audit_correct(struct ledger *l, const struct correct_opts *o, int64_t base,
	      const char *kind, const struct correct_result *r, struct err *e)
{
	json_t *rm = json_pack("{s:I, s:s, s:I}", "batch", (json_int_t)base,
			       "reason", "corrected", "superseded_by", (json_int_t)r->batch);
	json_t *c = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}",
			      "batch", (json_int_t)r->batch, "base", (json_int_t)base,
			      "file", r->file, "kind", kind, "sha256", r->rows_sha256,
			      "rows_sha256", r->rows_sha256, "rows_loaded", (json_int_t)r->rows,
			      "line", (json_int_t)o->line,
			      "action", o->void_row ? "void" : "set",
			      "reason", o->reason, "old", r->old_value);

	if (c && !o->void_row) {
		json_object_set_new(c, "field", json_string(o->field));
		json_object_set_new(c, "new", json_string(r->new_value));
	}
	if (audit_append_json(l, "batch.remove", rm, e)) {
		json_decref(c);
		return -1;
	}
	return audit_append_json(l, "batch.correct", c, e);
}

int
correct_row(struct ledger *l, const struct correct_opts *o,
	    struct correct_result *out, struct err *e)
{
	struct db_stmt *st;
	char kind[16], now[21];
	unsigned char dig[ROWHASH_DIGEST];
	int fi = -1, rc;
	long bad;

	memset(out, 0, sizeof *out);
	if (!o->reason || !*o->reason)
		return err_setf(e, ERR_USAGE, "a correction needs --reason TEXT");
	if (!o->void_row && (fi = field_index(o->field)) < 0)
		return err_setf(e, ERR_USAGE, "field '%s' cannot be corrected (expected "
				"quantity, quality, org, period_start, period_end or "
				"tariff)", o->field);
	if (ledger_begin(l, e))
		return -1;
	if (!(st = ledger_stmt(l, SQL_BATCH, e)))
		goto fail;
	db_bind_int64(st, 1, o->batch);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(kind, sizeof kind, "%s", (const char *)db_column_text(st, 0));
		snprintf(out->file, sizeof out->file, "%s",
			 (const char *)db_column_text(st, 1));
		rc = strcmp((const char *)db_column_text(st, 2), "active") ? 1
			: db_column_int(st, 3) ? 3 : 0;
	} else {
		rc = rc == DB_DONE ? 2 : -1;
	}
	db_reset(st);
	if (rc) {
		if (rc < 0)
			ledger_fail(l, DB_ERROR, "reading the batch", e);
		else
			err_setf(e, ERR_DATA, rc == 2 ? "no batch %lld (see 'co2ledger "
				 "batch list')" : rc == 3 ? "batch %lld was imported before "
				 "row hashes: import its file again with --replace first"
				 : "batch %lld is superseded: correct the batch that "
				 "replaced it", (long long)o->batch);
		goto fail;
	}
	rc = read_row(l, o->batch, o->line, o->void_row ? 5 : fi, out->old_value,
		      sizeof out->old_value, NULL, e);
	if (rc) {
		if (rc > 0)
			err_set(e, ERR_DATA, out->file, o->line, 0, "batch %lld has no row "
				"from line %ld (see 'co2ledger batch show %lld')",
				(long long)o->batch, o->line, (long long)o->batch);
		goto fail;
	}
	date_now_iso(now);
	if (!(st = ledger_stmt(l, SQL_NEW, e)))
		goto fail;
	db_bind_text(st, 1, kind, -1, DB_STATIC);
	db_bind_text(st, 2, out->file, -1, DB_STATIC);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	if (ledger_step_id(l, st, "creating the correction batch", &out->batch, e))
		goto fail;
	if (!(st = ledger_stmt(l, SQL_COPY, e)))
		goto fail;
	db_bind_int64(st, 1, out->batch);
	db_bind_int64(st, 2, o->batch);
	db_bind_int64(st, 3, o->line);
	db_bind_int(st, 4, o->void_row);
	if (ledger_step_done(l, st, "copying the rows", e))
		goto fail;
	if (!o->void_row) {
		if (!(st = set_stmt(l, o, out->batch, e)) ||
		    ledger_step_done(l, st, "correcting the row", e) ||
		    read_row(l, out->batch, o->line, fi, out->new_value,
			     sizeof out->new_value, dig, e))
			goto fail;
		if (!(st = ledger_stmt(l, SQL_DIGEST, e)))
			goto fail;
		db_bind_int64(st, 1, out->batch);
		db_bind_int64(st, 2, o->line);
		db_bind_blob(st, 3, dig, ROWHASH_DIGEST, DB_STATIC);
		if (ledger_step_done(l, st, "storing the row digest", e))
			goto fail;
	}
	if (rowhash_batch(l, out->batch, out->file, 1, NULL, NULL,
				 out->rows_sha256, &out->rows, &bad, e))
		goto fail;
	if (bad) {
		err_setf(e, ERR_DATA, "batch %lld has rows whose digests do not match "
			 "(run 'co2ledger audit check'); nothing was changed",
			 (long long)o->batch);
		goto fail;
	}
	if (!(st = ledger_stmt(l, SQL_DONE, e)))
		goto fail;
	db_bind_int64(st, 1, out->batch);
	db_bind_text(st, 2, out->rows_sha256, -1, DB_STATIC);
	db_bind_int64(st, 3, out->rows);
	if (ledger_step_done(l, st, "finishing the correction batch", e))
		goto fail;
	if (!(st = ledger_stmt(l, SQL_SUPERSEDE, e)))
		goto fail;
	db_bind_int64(st, 1, o->batch);
	db_bind_int64(st, 2, out->batch);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	if (ledger_step_done(l, st, "superseding the corrected batch", e))
		goto fail;
	if (!(st = ledger_stmt(l, SQL_RECORD, e)))
		goto fail;
	db_bind_int64(st, 1, out->batch);
	db_bind_int64(st, 2, o->batch);
	db_bind_int64(st, 3, o->line);
	db_bind_text(st, 4, o->void_row ? "void" : "set", -1, DB_STATIC);
	ledger_bind_text(st, 5, o->void_row ? NULL : o->field);
	ledger_bind_text(st, 6, out->old_value);
	ledger_bind_text(st, 7, o->void_row ? NULL : out->new_value);
	ledger_bind_text(st, 8, o->reason);
	db_bind_text(st, 9, now, -1, DB_STATIC);
	if (ledger_step_done(l, st, "recording the correction", e) ||
	    audit_correct(l, o, o->batch, kind, out, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

/* ---- diff ---- */

/* The same statement text twice: two cursors at once. */
static const char SQL_DIFF_A[] = "SELECT " ROW_COLS "WHERE a.batch_id = ?1 ORDER BY a.id";
static const char SQL_DIFF_B[] = "SELECT " ROW_COLS "WHERE a.batch_id = ?1 ORDER BY a.id ";

static int
row_text(struct db_stmt *st, char *buf, size_t n)
{
	char v[4][64];
	struct rowhash_val x[4] = {rowhash_column(st, 1), rowhash_column(st, 2),
				   rowhash_column(st, 5), rowhash_column(st, 6)};
	return snprintf(buf, n, "%s %s %s %s", show(1, &x[0], v[0], 64),
			show(2, &x[1], v[1], 64), show(5, &x[2], v[2], 64),
			show(6, &x[3], v[3], 64));
}

int
correct_diff(struct ledger *l, int64_t a, int64_t b, correct_diff_fn *fn,
	     void *ctx, long *ndiff, struct err *e)
{
	struct db_stmt *sa = ledger_stmt(l, SQL_DIFF_A, e), *sb;
	int ra, rb, i, status = -1;
	char x[300], y[300];

	*ndiff = 0;
	if (!sa || !(sb = ledger_stmt(l, SQL_DIFF_B, e)))
		return -1;
	db_bind_int64(sa, 1, a);
	db_bind_int64(sb, 1, b);
	ra = db_step(sa);
	rb = db_step(sb);
	while (ra == DB_ROW || rb == DB_ROW) {
		long la = ra == DB_ROW ? (long)db_column_int64(sa, 0) : 0;
		long lb = rb == DB_ROW ? (long)db_column_int64(sb, 0) : 0;
		if (ra == DB_ROW && (rb != DB_ROW || la < lb)) {
			row_text(sa, x, sizeof x);
			(*ndiff)++;
			if (fn(ctx, la, NULL, x, NULL, e))
				goto out;
			ra = db_step(sa);
			continue;
		}
		if (rb == DB_ROW && (ra != DB_ROW || lb < la)) {
			row_text(sb, y, sizeof y);
			(*ndiff)++;
			if (fn(ctx, lb, NULL, NULL, y, e))
				goto out;
			rb = db_step(sb);
			continue;
		}
		for (i = 1; i < ROWHASH_NFIELDS; i++) {
			struct rowhash_val va = rowhash_column(sa, i), vb = rowhash_column(sb, i);
			if (va.type == vb.type && va.i == vb.i && va.n == vb.n &&
			    (va.type != ROWHASH_TEXT || memcmp(va.s, vb.s, va.n) == 0))
				continue;
			(*ndiff)++;
			if (fn(ctx, la, rowhash_field[i], show(i, &va, x, sizeof x),
			       show(i, &vb, y, sizeof y), e))
				goto out;
		}
		ra = db_step(sa);
		rb = db_step(sb);
	}
	if (ra != DB_DONE || rb != DB_DONE)
		ledger_fail(l, ra != DB_DONE ? ra : rb, "reading rows", e);
	else
		status = 0;
out:
	db_reset(sa);
	db_reset(sb);
	return status;
}
