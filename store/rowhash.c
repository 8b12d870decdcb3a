/*
 * rowhash: canonical form, rows hash and per-field digest of activity rows
 * (see rowhash.h).
 */
#include "store/rowhash.h"

#include "store/db.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "store/ledger.h"

const char *const rowhash_field[ROWHASH_NFIELDS] = {
	"line", "org", "activity", "day_start", "day_end", "quantity", "unit",
	"quality", "tariff", "supplier_factor", "ident", "site", "supplier",
	"description",
};

/* Decimal digits of v after `prefix`, then `suffix`; returns the length. */
static size_t
put_int(char *p, char prefix, int64_t v, char suffix)
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	p[k++] = prefix;
	if (v < 0)
		p[k++] = '-';
	while (n)
		p[k++] = tmp[--n];
	p[k++] = suffix;
	return k;
}

/* The canonical form is built in one buffer and hashed with one update: a
 * row is hashed for every row imported, so no snprintf and no per-field
 * hash calls. Texts too long for the buffer are streamed. */
void
rowhash_row(struct sha256 *s, const struct rowhash_val v[ROWHASH_NFIELDS],
	    unsigned char digest[ROWHASH_DIGEST])
{
	char buf[2048];
	size_t used = 0;
	int i;

	for (i = 0; i < ROWHASH_NFIELDS; i++) {
		const struct rowhash_val *f = &v[i];
		uint32_t h = 2166136261u;
		size_t k;
		char head[32];
		size_t hn;

		if (f->type == ROWHASH_NULL) {
			head[0] = 'N';
			hn = 1;
		} else if (f->type == ROWHASH_INT) {
			hn = put_int(head, 'i', f->i, ';');
		} else {
			hn = put_int(head, 's', (int64_t)f->n, ':');
		}
		if (used + hn + (f->type == ROWHASH_TEXT ? f->n : 0) + 1 > sizeof buf) {
			if (s)
				sha256_update(s, buf, used);
			used = 0;
		}
		memcpy(buf + used, head, hn);
		used += hn;
		for (k = 0; k < hn; k++) {
			h ^= (unsigned char)head[k];
			h *= 16777619u;
		}
		if (f->type == ROWHASH_TEXT && f->n) {
			const unsigned char *c = (const unsigned char *)f->s;
			for (k = 0; k < f->n; k++) {
				h ^= c[k];
				h *= 16777619u;
			}
			if (used + f->n + 1 <= sizeof buf) {
				memcpy(buf + used, f->s, f->n);
				used += f->n;
			} else if (s) { /* longer than the buffer: stream it */
				sha256_update(s, buf, used);
				sha256_update(s, f->s, f->n);
				used = 0;
			}
		}
		h = (h >> 16) ^ (h & 0xffff);
		digest[2 * i] = (unsigned char)(h >> 8);
		digest[2 * i + 1] = (unsigned char)(h & 0xff);
	}
	buf[used++] = '\n';
	if (s)
		sha256_update(s, buf, used);
}

void
rowhash_put(struct sha256 *s, const struct rowhash_val *v, size_t n)
{
	char head[32];
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		if (v[i].type == ROWHASH_NULL)
			k = snprintf(head, sizeof head, "N");
		else if (v[i].type == ROWHASH_INT)
			k = snprintf(head, sizeof head, "i%lld;", (long long)v[i].i);
		else
			k = snprintf(head, sizeof head, "s%zu:", v[i].n);
		sha256_update(s, head, (size_t)k);
		if (v[i].type == ROWHASH_TEXT && v[i].n)
			sha256_update(s, v[i].s, v[i].n);
	}
	sha256_update(s, "\n", 1);
}

const char *
rowhash_show(const struct rowhash_val *v, char *buf, size_t n)
{
	if (!n)
		return buf;
	if (v->type == ROWHASH_NULL)
		snprintf(buf, n, "NULL");
	else if (v->type == ROWHASH_INT)
		snprintf(buf, n, "%lld", (long long)v->i);
	else if (v->n + 3 <= n)
		snprintf(buf, n, "'%.*s'", (int)v->n, v->s);
	else if (n > 6)
		snprintf(buf, n, "'%.*s...'", (int)(n - 6), v->s);
	else
		buf[0] = '\0';
	return buf;
}

static void note(rowhash_note_fn *fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
note(rowhash_note_fn *fn, void *ctx, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	fn(ctx, 1, text);
}

/* ---- the rows of a stored batch ---- */

static const char SQL_ROWS[] =
	"SELECT a.line, o.code, k.key, a.day_start, a.day_end, a.quantity, a.unit, "
	"a.quality, a.tariff, a.supplier_factor, a.ident, a.site, a.supplier, "
	"a.description, a.row_digest FROM activity a "
	"LEFT JOIN org_unit o ON o.id = a.org_id "
	"LEFT JOIN activity_key k ON k.id = a.key_id "
	"WHERE a.batch_id = ?1 ORDER BY a.id";

struct rowhash_val
rowhash_column(struct db_stmt *st, int i)
{
	struct rowhash_val v = {ROWHASH_NULL, 0, NULL, 0};

	switch (db_column_type(st, i)) {
	case DB_NULL:
		break;
	case DB_INTEGER:
		v.type = ROWHASH_INT;
		v.i = db_column_int64(st, i);
		break;
	default: /* a REAL or BLOB where the schema has integers or text */
		v.type = ROWHASH_TEXT;
		v.s = (const char *)db_column_text(st, i);
		v.n = (size_t)db_column_bytes(st, i);
		break;
	}
	return v;
}

int
rowhash_batch(struct ledger *l, int64_t batch, const char *file,
	      int digests, rowhash_note_fn *fn, void *ctx, char out[65],
		     long *rows, long *bad_rows, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ROWS, e);
	struct sha256 s;
	int rc, i;

	*rows = *bad_rows = 0;
	if (!st)
		return -1;
	sha256_init(&s);
	db_bind_int64(st, 1, batch);
	while ((rc = db_step(st)) == DB_ROW) {
		struct rowhash_val v[ROWHASH_NFIELDS];
		unsigned char dig[ROWHASH_DIGEST];
		const unsigned char *stored = db_column_blob(st, ROWHASH_NFIELDS);
		int slen = db_column_bytes(st, ROWHASH_NFIELDS);
		long line = (long)db_column_int64(st, 0);

		for (i = 0; i < ROWHASH_NFIELDS; i++)
			v[i] = rowhash_column(st, i);
		rowhash_row(&s, v, dig);
		(*rows)++;
		if (!digests)
			continue;
		if (!stored || slen != ROWHASH_DIGEST) {
			(*bad_rows)++;
			note(fn, ctx, "batch %lld: %s:%ld: the row's digest is missing or "
			     "damaged (%d bytes): the row was added or changed after "
			     "import", (long long)batch, file, line, stored ? slen : 0);
			continue;
		}
		if (memcmp(stored, dig, ROWHASH_DIGEST) == 0)
			continue;
		(*bad_rows)++;
		for (i = 0; i < ROWHASH_NFIELDS; i++) {
			char val[120];
			if (stored[2 * i] == dig[2 * i] && stored[2 * i + 1] == dig[2 * i + 1])
				continue;
			note(fn, ctx, "batch %lld: %s:%ld: field %s was changed after "
			     "import: stored digest %02x%02x, recomputed %02x%02x from "
			     "the value now in the ledger, %s", (long long)batch, file,
			     line, rowhash_field[i], stored[2 * i], stored[2 * i + 1],
			     dig[2 * i], dig[2 * i + 1], rowhash_show(&v[i], val, sizeof val));
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading activity rows", e);
	sha256_final_hex(&s, out);
	return 0;
}
