/*
 * registry: factor-set versions in the ledger (see factors.h).
 *
 * A version is stored once, as its canonical JSON with its SHA-256, and
 * unpacked into `factor` rows for listing. It is never updated or deleted:
 * registering the same name@version again is a no-op when the hash is the
 * same and refused when it differs. Loading re-parses the stored canonical
 * JSON and checks its hash, so a ledger edited behind co2ledger's back is
 * noticed. "Newest version" means the latest `published` date, ties broken
 * by natural version order.
 */
#include "factors/factors_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/date.h"
#include "base/strbuf.h"

/* Natural order: digit runs compare as numbers (leading zeros ignored). */
static int
natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *ea = a, *eb = b;
			size_t la, lb;
			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			for (ea = a; *ea >= '0' && *ea <= '9'; ea++)
				;
			for (eb = b; *eb >= '0' && *eb <= '9'; eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (memcmp(a, b, la) != 0)
				return memcmp(a, b, la) < 0 ? -1 : 1;
			a = ea;
			b = eb;
		} else {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

int
factors_version_cmp(const char *a, const char *b)
{
	int r = natural_cmp(a, b);
	size_t la, lb;

	if (r)
		return r;
	/* equal as numbers ("1" and "01", "1.0" and "1.00"): a total order
	 * all the same, so the newest never depends on import order: the
	 * longer spelling is the greater, then byte order */
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	r = strcmp(a, b);
	return r < 0 ? -1 : r > 0;
}

static const char *
col(struct db_stmt *st, int i)
{
	const unsigned char *s = db_column_text(st, i);
	return s ? (const char *)s : NULL;
}

static const char SQL_FIND[] =
	"SELECT id, sha256 FROM factor_set WHERE name = ?1 AND version = ?2";
static const char SQL_INSERT_SET[] =
	"INSERT INTO factor_set(name, version, sha256, published, description, "
	"license, source, content, imported_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char SQL_INSERT_FACTOR[] =
	"INSERT INTO factor(set_id, fid, activity, region, unit, valid_from, "
	"valid_to, method, tariff, scope, category, json) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

int
factors_register(struct ledger *l, const struct factor_set *s,
		 enum factor_import_result *result, struct err *e)
{
	struct db_stmt *st;
	char at[21];
	json_t *o;
	size_t i;
	int64_t set_id;
	int rc;

	if (ledger_begin(l, e))
		return -1;
	if (!(st = ledger_stmt(l, SQL_FIND, e)))
		goto fail;
	ledger_bind_text(st, 1, s->name);
	ledger_bind_text(st, 2, s->version);
	rc = db_step(st);
	if (rc == DB_ROW) {
		char have[SHA256_HEX_LEN + 1];
		snprintf(have, sizeof have, "%s", col(st, 1) ? col(st, 1) : "");
		db_reset(st);
		ledger_rollback(l);
		if (strcmp(have, s->sha256) == 0) {
			*result = FACTORS_UNCHANGED;
			return 0;
		}
		return err_setf(e, ERR_DATA,
				"factor set '%s@%s' is already registered with different "
				"content (registered sha256 %s, this file sha256 %s); a "
				"registered version never changes: publish the changes as a "
				"new version", s->name, s->version, have, s->sha256);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		ledger_fail(l, rc, "looking up the factor set", e);
		goto fail;
	}

	date_now_iso(at);
	if (!(st = ledger_stmt(l, SQL_INSERT_SET, e)))
		goto fail;
	ledger_bind_text(st, 1, s->name);
	ledger_bind_text(st, 2, s->version);
	ledger_bind_text(st, 3, s->sha256);
	ledger_bind_text(st, 4, s->published);
	ledger_bind_text(st, 5, s->description);
	ledger_bind_text(st, 6, s->license);
	ledger_bind_text(st, 7, s->source);
	db_bind_text(st, 8, s->canonical, (int)s->canonical_len, DB_STATIC);
	ledger_bind_text(st, 9, at);
	if (ledger_step_id(l, st, "storing the factor set", &set_id, e))
		goto fail;
	{
		for (i = 0; i < s->nf; i++) {
			const struct factor *f = &s->f[i];
			if (!(st = ledger_stmt(l, SQL_INSERT_FACTOR, e)))
				goto fail;
			db_bind_int64(st, 1, set_id);
			ledger_bind_text(st, 2, f->id);
			ledger_bind_text(st, 3, f->activity);
			ledger_bind_text(st, 4, f->region);
			ledger_bind_text(st, 5, f->unit->name);
			db_bind_int(st, 6, f->valid_from);
			db_bind_int(st, 7, f->valid_to);
			ledger_bind_text(st, 8, f->market ? "market" : "location");
			ledger_bind_text(st, 9, f->tariff);
			db_bind_int(st, 10, f->scope);
			if (f->category)
				db_bind_int(st, 11, f->category);
			else
				db_bind_null(st, 11);
			ledger_bind_text(st, 12, s->fjson[i]);
			if (ledger_step_done(l, st, "storing a factor", e))
				goto fail;
		}
	}
	o = json_pack("{s:s, s:s, s:s, s:I}", "name", s->name, "version", s->version,
		      "sha256", s->sha256, "factors", (json_int_t)s->nf);
	if (audit_append_json(l, "factors.import", o, e) || ledger_commit(l, e))
		goto fail;
	*result = FACTORS_ADDED;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

static const char SQL_VERSIONS[] =
	"SELECT version, published FROM factor_set WHERE name = ?1 ORDER BY id";
static const char SQL_CONTENT[] =
	"SELECT content, sha256 FROM factor_set WHERE name = ?1 AND version = ?2";

/* 1 when (pa, va) is newer than (pb, vb). */
static int
newer(const char *pa, const char *va, const char *pb, const char *vb)
{
	int r = strcmp(pa ? pa : "", pb ? pb : "");

	if (r)
		return r > 0;
	return factors_version_cmp(va, vb) > 0;
}

/* The newest version of `name` into out[0..n) (a registered version has at
 * most 64 characters: factors/parse.c); or, when `want` is given, that one
 * and the list of every version in `list`. 1 found, 0 not, -1 error. */
static int
pick_version(struct ledger *l, const char *name, const char *want, char *out,
	     size_t n, struct strbuf *list, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_VERSIONS, e);
	char best_pub[32] = "";   /* YYYY-MM-DD */
	int found = 0, rc;

	if (!st)
		return -1;
	ledger_bind_text(st, 1, name);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *v = col(st, 0), *p = col(st, 1);
		if (!v)
			continue;
		if (want) {
			if (strcmp(v, want) == 0) {
				snprintf(out, n, "%s", v);
				found = 1;
			}
			if (list)
				strbuf_addf(list, "%s%s", list->len ? ", " : "", v);
		} else if (!found || newer(p, v, best_pub, out)) {
			snprintf(out, n, "%s", v);
			snprintf(best_pub, sizeof best_pub, "%s", p ? p : "");
			found = 1;
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the factor sets", e);
	return found;
}

int
factors_load(struct ledger *l, const char *name, const char *version,
	     struct factor_set **out, struct err *e)
{
	struct db_stmt *st;
	char ver[256], label[600], stored[SHA256_HEX_LEN + 1];
	struct strbuf list = STRBUF_INIT;
	struct factor_set *s;
	int r, rc;

	*out = NULL;
	r = pick_version(l, name, version, ver, sizeof ver, &list, e);
	if (r < 0) {
		strbuf_release(&list);
		return -1;
	}
	if (r == 0) {
		if (version && list.len)
			err_setf(e, ERR_DATA, "factor set '%s' has no version '%s' "
				 "(registered: %s)", name, version, strbuf_str(&list));
		else
			err_setf(e, ERR_DATA, "no factor set named '%s' is registered "
				 "(see 'co2ledger factors list')", name);
		strbuf_release(&list);
		return -1;
	}
	strbuf_release(&list);
	if (!(st = ledger_stmt(l, SQL_CONTENT, e)))
		return -1;
	ledger_bind_text(st, 1, name);
	ledger_bind_text(st, 2, ver);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return ledger_fail(l, rc == DB_DONE ? DB_CORRUPT : rc,
				   "reading the factor set", e);
	}
	snprintf(label, sizeof label, "%s@%s (in the ledger)", name, ver);
	snprintf(stored, sizeof stored, "%s", col(st, 1) ? col(st, 1) : "");
	{
		const char *content = (const char *)db_column_text(st, 0);
		size_t n = (size_t)db_column_bytes(st, 0);
		rc = factor_set_parse(content ? content : "", content ? n : 0, label, &s,
				      NULL, e);
	}
	db_reset(st);
	if (rc)
		return -1;
	if (strcmp(s->sha256, stored) != 0 || strcmp(s->name, name) != 0 ||
	    strcmp(s->version, ver) != 0) {
		factor_set_free(s);
		return err_setf(e, ERR_DATA, "the stored content of factor set '%s@%s' "
				"no longer matches its sha256 %s (the ledger was changed "
				"outside co2ledger)", name, ver, stored);
	}
	*out = s;
	return 0;
}

static const char SQL_LIST[] =
	"SELECT s.name, s.version, s.published, s.sha256, s.source, s.license, "
	"s.description, s.imported_at, "
	"(SELECT COUNT(*) FROM factor f WHERE f.set_id = s.id) "
	"FROM factor_set s ORDER BY s.name, s.id";

static char *
dupcol(struct db_stmt *st, int i)
{
	const char *s = col(st, i);
	return s ? strdup(s) : NULL;
}

static int
info_cmp(const void *x, const void *y)
{
	const struct factor_set_info *a = x, *b = y;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	if (newer(a->published, a->version, b->published, b->version))
		return -1;
	if (newer(b->published, b->version, a->published, a->version))
		return 1;
	return 0;
}

int
factors_list(struct ledger *l, struct factor_set_info **out, size_t *n,
	     struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_LIST, e);
	struct factor_set_info *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct factor_set_info *x;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct factor_set_info *nv = realloc(v, nc * sizeof *nv);
			if (!nv) {
				db_reset(st);
				factors_list_free(v, cnt);
				return err_setf(e, ERR_IO, "out of memory");
			}
			v = nv;
			cap = nc;
		}
		x = &v[cnt++];
		x->name = dupcol(st, 0);
		x->version = dupcol(st, 1);
		x->published = dupcol(st, 2);
		x->sha256 = dupcol(st, 3);
		x->source = dupcol(st, 4);
		x->license = dupcol(st, 5);
		x->description = dupcol(st, 6);
		x->imported_at = dupcol(st, 7);
		x->factors = (long)db_column_int64(st, 8);
		if (!x->name || !x->version) {
			db_reset(st);
			factors_list_free(v, cnt);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		factors_list_free(v, cnt);
		return ledger_fail(l, rc, "listing the factor sets", e);
	}
	if (cnt)
		qsort(v, cnt, sizeof *v, info_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

void
factors_list_free(struct factor_set_info *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
		free(v[i].published);
		free(v[i].sha256);
		free(v[i].source);
		free(v[i].license);
		free(v[i].description);
		free(v[i].imported_at);
	}
	free(v);
}
