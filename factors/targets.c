/*
 * targets: parsing, validation and the registry of `co2ledger-targets/1`
 * files (targets.h, docs/targets.md). The same machinery as factor sets:
 * Jansson reads the text (duplicate keys rejected), one walk collects every
 * problem with its JSON path, which is located in the text as line:column;
 * the canonical JSON and its SHA-256 identify a version.
 */
#include "factors/targets.h"
#include "factors/factors_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "base/num.h"
#include "base/sha256.h"
#include "store/audit.h"

#define TARGETS_FORMAT "co2ledger-targets/1"
#define MAX_TARGETS 1000
#define MAX_MILESTONES 20

struct target_set {
	json_t *root;            /* owns every string the targets point to */
	const char *name, *version, *published;
	char sha256[SHA256_HEX_LEN + 1];
	char *canonical;
	struct target *t;
	size_t n;
	struct target_milestone *ms; /* all milestones, targets point into it */
	size_t nms;
};

static const char *const METRICS[] = {"t_co2e", "t_co2", "mwh_final_energy",
				      "share_co2_free_vehicles"};

const char *
target_metric_name(enum target_metric m)
{
	return (unsigned)m < 4 ? METRICS[m] : "?";
}

/* ---- validation ---- */

struct tctx {
	const char *text;
	size_t len;
	const char *name;
	struct errlist *errs;
};

static void
terr(struct tctx *c, const struct ppath *p, int at_key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
terr(struct tctx *c, const struct ppath *p, int at_key, const char *fmt, ...)
{
	char msg[ERR_TEXT_MAX], ps[256];
	long line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	factors_path_format(p, ps, sizeof ps);
	factors_locate(c->text, c->len, p, at_key, &line, &col);
	errlist_addf(c->errs, ERR_DATA, c->name, line, col, "%s (at %s)", msg, ps);
}

/* Every key of o is one of keys[]; unknown ones are errors. */
static void
only_keys(struct tctx *c, const json_t *o, const struct ppath *p,
	  const char *const *keys)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		size_t i;
		int ok = 0;
		for (i = 0; keys[i]; i++)
			ok |= strcmp(keys[i], k) == 0;
		if (!ok) {
			struct ppath q = factors_path_key(p, k);
			terr(c, &q, 1, "unknown key '%s'", k);
		}
	}
}

static const char *
str(struct tctx *c, const json_t *o, const struct ppath *p, const char *key,
    int required)
{
	json_t *v = json_object_get(o, key);
	struct ppath q = factors_path_key(p, key);

	if (!v) {
		if (required)
			terr(c, p, 0, "'%s' is missing", key);
		return NULL;
	}
	if (!json_is_string(v) || !json_string_value(v)[0]) {
		terr(c, &q, 0, "'%s' must be a non-empty string", key);
		return NULL;
	}
	return json_string_value(v);
}

static int
year_of(struct tctx *c, const json_t *o, const struct ppath *p, const char *key,
	int *out)
{
	json_t *v = json_object_get(o, key);
	struct ppath q = factors_path_key(p, key);

	if (!v)
		return terr(c, p, 0, "'%s' is missing", key), -1;
	if (!json_is_integer(v) || json_integer_value(v) < 1900 ||
	    json_integer_value(v) > 2100)
		return terr(c, &q, 0, "'%s' must be a year (an integer 1900..2100)", key), -1;
	*out = (int)json_integer_value(v);
	return 0;
}

/* A JSON number as exact micro-units: integers directly, reals through their
 * shortest round-trip decimal text; more than 6 decimals is an error. */
static int
micro(struct tctx *c, const json_t *v, const struct ppath *p, const char *what,
      int64_t *out)
{
	char buf[64];
	int prec;

	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x > INT64_MAX / 1000000 || x < -(INT64_MAX / 1000000))
			return terr(c, p, 0, "%s is too large", what), -1;
		*out = (int64_t)x * 1000000;
		return 0;
	}
	if (!json_is_real(v))
		return terr(c, p, 0, "%s must be a number", what), -1;
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, json_real_value(v));
		if (strtod(buf, NULL) == json_real_value(v))
			break;
	}
	if (strchr(buf, 'e') || strchr(buf, 'E'))
		return terr(c, p, 0, "%s: write it as a plain decimal", what), -1;
	switch (num_parse(buf, strlen(buf), '.', 0, 6, out)) {
	case NUM_OK:
		return 0;
	case NUM_PRECISION:
		return terr(c, p, 0, "%s has more than 6 decimals", what), -1;
	default:
		return terr(c, p, 0, "%s is not a usable number", what), -1;
	}
}

static const char *const SECTORS[] = {"buildings.electricity", "buildings.heat",
				      "fleet", "procurement"};

static void
walk_target(struct tctx *c, struct target_set *s, const json_t *o,
	    const struct ppath *p, struct target *t)
{
	static const char *const KEYS[] = {"id", "title", "metric", "lens", "unit",
		"sectors", "per_district", "base", "milestones", "legal_source",
		"notes", NULL};
	static const char *const BASE_KEYS[] = {"year", "value", "computed", NULL};
	static const char *const MS_KEYS[] = {"year", "value", "reduction_pct", NULL};
	static const char *const SRC_KEYS[] = {"citation", "url", NULL};
	json_t *v;
	const char *m, *lens;
	size_t i;

	if (!json_is_object(o)) {
		terr(c, p, 0, "a target must be an object");
		return;
	}
	only_keys(c, o, p, KEYS);
	t->id = str(c, o, p, "id", 1);
	t->title = str(c, o, p, "title", 1);
	t->unit = str(c, o, p, "unit", 1);
	t->notes = str(c, o, p, "notes", 0);
	if ((m = str(c, o, p, "metric", 1))) {
		for (i = 0; i < 4 && strcmp(m, METRICS[i]); i++)
			;
		if (i == 4) {
			struct ppath q = factors_path_key(p, "metric");
			terr(c, &q, 0, "unknown metric '%s' (expected t_co2e, t_co2, "
			     "mwh_final_energy or share_co2_free_vehicles)", m);
		}
		t->metric = (enum target_metric)(i < 4 ? i : 0);
	}
	if ((lens = str(c, o, p, "lens", 1))) {
		struct ppath q = factors_path_key(p, "lens");
		if (strcmp(lens, "location") && strcmp(lens, "market") &&
		    strcmp(lens, "territorial"))
			terr(c, &q, 0, "unknown lens '%s' (expected location, market or "
			     "territorial)", lens);
		else if (m && t->metric == (enum target_metric)0 && strcmp(m, "t_co2e"))
			; /* the metric is wrong already */
		else if (m && !strcmp(m, "t_co2") != !strcmp(lens, "territorial"))
			terr(c, &q, 0, "the metric t_co2 (a territorial CO2 balance) goes "
			     "with the lens territorial, and only it");
		t->lens = lens;
	}
	if ((v = json_object_get(o, "sectors"))) {
		struct ppath q = factors_path_key(p, "sectors");
		if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 4) {
			terr(c, &q, 0, "'sectors' must be a list of 1 to 4 sector keys");
		} else {
			for (i = 0; i < json_array_size(v); i++) {
				struct ppath r = factors_path_idx(&q, i);
				const char *sk = json_string_value(json_array_get(v, i));
				size_t k;
				for (k = 0; sk && k < 4 && strcmp(sk, SECTORS[k]); k++)
					;
				if (!sk || k == 4)
					terr(c, &r, 0, "unknown sector (expected "
					     "buildings.electricity, buildings.heat, fleet "
					     "or procurement)");
				else
					t->sectors[t->nsectors++] = SECTORS[k];
			}
		}
	}
	if ((v = json_object_get(o, "per_district"))) {
		struct ppath q = factors_path_key(p, "per_district");
		if (!json_is_boolean(v))
			terr(c, &q, 0, "'per_district' must be true or false");
		t->per_district = json_is_true(v);
	}
	/* base */
	v = json_object_get(o, "base");
	if (!v || !json_is_object(v)) {
		terr(c, p, 0, "'base' must be an object {\"year\", \"value\" or "
		     "\"computed\": true}");
	} else {
		struct ppath q = factors_path_key(p, "base");
		json_t *val = json_object_get(v, "value"), *cmp = json_object_get(v, "computed");
		only_keys(c, v, &q, BASE_KEYS);
		year_of(c, v, &q, "year", &t->base_year);
		if (!val == !(cmp && json_is_true(cmp))) {
			terr(c, &q, 0, "the base needs either a 'value' or \"computed\": true "
			     "(from the ledger), not both");
		} else if (val) {
			struct ppath r = factors_path_key(&q, "value");
			if (micro(c, val, &r, "the base value", &t->base_value) == 0 &&
			    t->base_value <= 0)
				terr(c, &r, 0, "the base value must be above 0");
		} else {
			t->base_computed = 1;
		}
	}
	/* milestones */
	v = json_object_get(o, "milestones");
	if (!v || !json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > MAX_MILESTONES) {
		terr(c, p, 0, "'milestones' must be a list of 1 to %d {\"year\", \"value\" "
		     "or \"reduction_pct\"}", MAX_MILESTONES);
	} else {
		struct ppath q = factors_path_key(p, "milestones");
		t->milestones = s->ms + s->nms;
		for (i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i), *val, *pct;
			struct ppath r = factors_path_idx(&q, i);
			struct target_milestone *ms = &s->ms[s->nms];
			memset(ms, 0, sizeof *ms);
			if (!json_is_object(x)) {
				terr(c, &r, 0, "a milestone must be an object");
				continue;
			}
			only_keys(c, x, &r, MS_KEYS);
			if (year_of(c, x, &r, "year", &ms->year) == 0) {
				struct ppath y = factors_path_key(&r, "year");
				if (ms->year <= t->base_year)
					terr(c, &y, 0, "a milestone year must come after the "
					     "base year %d", t->base_year);
				else if (t->nmilestones &&
					 ms->year <= t->milestones[t->nmilestones - 1].year)
					terr(c, &y, 0, "milestones must be in ascending years");
			}
			val = json_object_get(x, "value");
			pct = json_object_get(x, "reduction_pct");
			if (!val == !pct) {
				terr(c, &r, 0, "a milestone needs either 'value' (absolute) or "
				     "'reduction_pct' (per cent below the base), not both");
			} else if (val) {
				struct ppath y = factors_path_key(&r, "value");
				ms->has_value = 1;
				if (micro(c, val, &y, "the value", &ms->value) == 0 && ms->value < 0)
					terr(c, &y, 0, "the value must be 0 or more");
			} else {
				struct ppath y = factors_path_key(&r, "reduction_pct");
				if (micro(c, pct, &y, "reduction_pct", &ms->reduction_pct) == 0 &&
				    (ms->reduction_pct < 0 || ms->reduction_pct > 100000000))
					terr(c, &y, 0, "reduction_pct must be 0 to 100");
			}
			s->nms++;
			t->nmilestones++;
		}
	}
	v = json_object_get(o, "legal_source");
	if (!v || !json_is_object(v)) {
		terr(c, p, 0, "'legal_source' must be an object {\"citation\", \"url\"}");
	} else {
		struct ppath q = factors_path_key(p, "legal_source");
		only_keys(c, v, &q, SRC_KEYS);
		t->citation = str(c, v, &q, "citation", 1);
		t->url = str(c, v, &q, "url", 0);
	}
	if (t->metric == TARGET_SHARE_CO2_FREE_VEHICLES && t->base_computed) {
		struct ppath q = factors_path_key(p, "base");
		terr(c, &q, 0, "the share of CO2-free vehicles cannot be computed from "
		     "the ledger (it has no vehicle register): give the base value");
	}
}

static int
name_ok(const char *s)
{
	size_t i;

	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int
targets_parse(const char *data, size_t len, const char *name,
	      struct target_set **out, struct errlist *errs, struct err *e)
{
	static const char *const KEYS[] = {"format", "name", "version", "published",
		"description", "source", "license", "notes", "targets", NULL};
	struct errlist *own = NULL;
	struct target_set *s;
	struct tctx c;
	struct ppath top = {.n = 0};
	json_error_t je;
	json_t *root, *ts;
	const char *f;
	size_t i, nms = 0;

	*out = NULL;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF) {
		data += 3;
		len -= 3;
	}
	if (!(root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je)))
		return err_set(e, ERR_DATA, name, je.line, je.column,
			       "invalid JSON: %s", je.text);
	if (!errs && !(errs = own = errlist_new())) {
		json_decref(root);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (!(s = calloc(1, sizeof *s))) {
		json_decref(root);
		errlist_free(own);
		return err_setf(e, ERR_IO, "out of memory");
	}
	s->root = root;
	c.text = data;
	c.len = len;
	c.name = name;
	c.errs = errs;
	if (!json_is_object(root)) {
		terr(&c, &top, 0, "a target set is a JSON object");
		goto done;
	}
	only_keys(&c, root, &top, KEYS);
	if ((f = str(&c, root, &top, "format", 1)) && strcmp(f, TARGETS_FORMAT) != 0) {
		struct ppath q = factors_path_key(&top, "format");
		terr(&c, &q, 0, "unknown format '%s' (expected %s)", f, TARGETS_FORMAT);
	}
	s->name = str(&c, root, &top, "name", 1);
	if (s->name && !name_ok(s->name)) {
		struct ppath q = factors_path_key(&top, "name");
		terr(&c, &q, 0, "the name must be 1 to 64 of a-z 0-9 - _ .");
	}
	s->version = str(&c, root, &top, "version", 1);
	if (s->version && !name_ok(s->version)) {
		struct ppath q = factors_path_key(&top, "version");
		terr(&c, &q, 0, "the version must be 1 to 64 of a-z 0-9 - _ .");
	}
	s->published = str(&c, root, &top, "published", 1);
	if (s->published) {
		int y, m, d;
		struct ppath q = factors_path_key(&top, "published");
		if (strlen(s->published) != 10 ||
		    sscanf(s->published, "%4d-%2d-%2d", &y, &m, &d) != 3 || !date_valid(y, m, d))
			terr(&c, &q, 0, "'published' must be a date YYYY-MM-DD");
	}
	str(&c, root, &top, "description", 0);
	str(&c, root, &top, "source", 0);
	str(&c, root, &top, "license", 0);
	str(&c, root, &top, "notes", 0);
	ts = json_object_get(root, "targets");
	if (!ts || !json_is_array(ts) || json_array_size(ts) == 0 ||
	    json_array_size(ts) > MAX_TARGETS) {
		terr(&c, &top, 0, "'targets' must be a list of 1 to %d targets", MAX_TARGETS);
		goto done;
	}
	for (i = 0; i < json_array_size(ts); i++) {
		json_t *ms = json_object_get(json_array_get(ts, i), "milestones");
		nms += json_is_array(ms) ? json_array_size(ms) : 0;
	}
	if (!(s->t = calloc(json_array_size(ts), sizeof *s->t)) ||
	    !(s->ms = calloc(nms ? nms : 1, sizeof *s->ms))) {
		targets_free(s);
		errlist_free(own);
		return err_setf(e, ERR_IO, "out of memory");
	}
	{
		struct ppath q = factors_path_key(&top, "targets");
		for (i = 0; i < json_array_size(ts); i++) {
			struct ppath r = factors_path_idx(&q, i);
			size_t k;
			walk_target(&c, s, json_array_get(ts, i), &r, &s->t[i]);
			for (k = 0; k < i; k++)
				if (s->t[i].id && s->t[k].id && !strcmp(s->t[i].id, s->t[k].id)) {
					struct ppath y = factors_path_key(&r, "id");
					terr(&c, &y, 0, "the id '%s' is used by targets[%zu] "
					     "already: ids are unique in a set", s->t[i].id, k);
				}
		}
		s->n = json_array_size(ts);
	}
done:
	if (errs->total) {
		errlist_sort(errs);
		size_t n = errs->total;
		if (own) {
			*e = errs->items[0];
		} else {
			err_setf(e, ERR_DATA, "%zu error%s in the target set %s", n,
				 n == 1 ? "" : "s", name);
		}
		errlist_free(own);
		targets_free(s);
		return -1;
	}
	errlist_free(own);
	{
		size_t cl;
		if (!(s->canonical = factors_canon_dup(root, &cl))) {
			targets_free(s);
			return err_setf(e, ERR_IO, "out of memory");
		}
		sha256_hex(s->canonical, cl, s->sha256);
	}
	*out = s;
	return 0;
}

void
targets_free(struct target_set *s)
{
	if (!s)
		return;
	json_decref(s->root);
	free(s->canonical);
	free(s->t);
	free(s->ms);
	free(s);
}

const char *targets_name(const struct target_set *s) { return s->name; }
const char *targets_version(const struct target_set *s) { return s->version; }
const char *targets_published(const struct target_set *s) { return s->published; }
const char *targets_sha256(const struct target_set *s) { return s->sha256; }
const char *targets_canonical(const struct target_set *s) { return s->canonical; }
size_t targets_count(const struct target_set *s) { return s->n; }

const struct target *
targets_at(const struct target_set *s, size_t i)
{
	return i < s->n ? &s->t[i] : NULL;
}

/* ---- registry ---- */

static const char SQL_T_FIND[] =
	"SELECT sha256 FROM target_set WHERE name = ?1 AND version = ?2";
static const char SQL_T_INSERT[] =
	"INSERT INTO target_set(name, version, sha256, published, targets, content, "
	"imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_T_PICK[] =
	"SELECT version, content, sha256 FROM target_set WHERE name = ?1 AND "
	"(?2 IS NULL OR version = ?2) ORDER BY published DESC, id DESC LIMIT 1";
static const char SQL_T_LIST[] =
	"SELECT name, version, published, sha256, targets, imported_at FROM "
	"target_set ORDER BY name, published DESC, id DESC";

int
targets_register(struct ledger *l, const struct target_set *s,
		 enum targets_import_result *result, struct err *e)
{
	struct db_stmt *st;
	char at[21];
	int rc;

	if (ledger_begin(l, e))
		return -1;
	if (!(st = ledger_stmt(l, SQL_T_FIND, e)))
		goto fail;
	ledger_bind_text(st, 1, s->name);
	ledger_bind_text(st, 2, s->version);
	rc = db_step(st);
	if (rc == DB_ROW) {
		char have[SHA256_HEX_LEN + 1];
		const char *h = (const char *)db_column_text(st, 0);
		snprintf(have, sizeof have, "%s", h ? h : "");
		db_reset(st);
		ledger_rollback(l);
		if (strcmp(have, s->sha256) == 0) {
			*result = TARGETS_UNCHANGED;
			return 0;
		}
		return err_setf(e, ERR_DATA, "target set '%s@%s' is already registered "
				"with different content (registered sha256 %s, this file "
				"sha256 %s); a registered version never changes: publish the "
				"changes as a new version", s->name, s->version, have, s->sha256);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		ledger_fail(l, rc, "looking up the target set", e);
		goto fail;
	}
	date_now_iso(at);
	if (!(st = ledger_stmt(l, SQL_T_INSERT, e)))
		goto fail;
	ledger_bind_text(st, 1, s->name);
	ledger_bind_text(st, 2, s->version);
	ledger_bind_text(st, 3, s->sha256);
	ledger_bind_text(st, 4, s->published);
	db_bind_int64(st, 5, (int64_t)s->n);
	ledger_bind_text(st, 6, s->canonical);
	ledger_bind_text(st, 7, at);
	if (ledger_step_done(l, st, "storing the target set", e))
		goto fail;
	if (audit_append_json(l, "targets.import",
			      json_pack("{s:s, s:s, s:s, s:I}", "name", s->name, "version",
					s->version, "sha256", s->sha256, "targets",
					(json_int_t)s->n), e) ||
	    ledger_commit(l, e))
		goto fail;
	*result = TARGETS_ADDED;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

int
targets_load(struct ledger *l, const char *name, const char *version,
	     struct target_set **out, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_T_PICK, e);
	char label[300], stored[SHA256_HEX_LEN + 1];
	int rc;

	*out = NULL;
	if (!st)
		return -1;
	ledger_bind_text(st, 1, name);
	if (version)
		ledger_bind_text(st, 2, version);
	else
		db_bind_null(st, 2);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		if (rc != DB_DONE)
			return ledger_fail(l, rc, "reading the target set", e);
		return err_setf(e, ERR_DATA, "no target set '%s%s%s' is registered (see "
				"'co2ledger targets list')", name, version ? "@" : "",
				version ? version : "");
	}
	snprintf(label, sizeof label, "%s@%s (in the ledger)", name,
		 (const char *)db_column_text(st, 0));
	snprintf(stored, sizeof stored, "%s", (const char *)db_column_text(st, 2));
	rc = targets_parse((const char *)db_column_text(st, 1),
			   (size_t)db_column_bytes(st, 1), label, out, NULL, e);
	db_reset(st);
	if (rc)
		return -1;
	if (strcmp(targets_sha256(*out), stored) != 0) {
		targets_free(*out);
		*out = NULL;
		return err_setf(e, ERR_DATA, "the target set %s was altered in the "
				"ledger (its content no longer has the stored hash)", label);
	}
	return 0;
}

int
targets_list(struct ledger *l, targets_list_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_T_LIST, e);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
#define T(i) ((const char *)db_column_text(st, i))
		if (fn(ctx, T(0), T(1), T(2), T(3), (long)db_column_int64(st, 4), T(5),
		       e)) {
			db_reset(st);
			return -1;
		}
#undef T
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "listing target sets", e);
}

/* ---- reading a file ---- */

#define MAX_FILE (1024L * 1024)

static char *
read_file(const char *path, size_t *len, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	struct stat st;
	size_t n;

	if (!fp) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open the file (does it exist?)");
		return NULL;
	}
	if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
		fclose(fp);
		err_set(e, ERR_DATA, path, 0, 0, "not a regular file of at most 1 MiB");
		return NULL;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		fclose(fp);
		err_set(e, ERR_IO, path, 0, 0, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		err_set(e, ERR_IO, path, 0, 0, "cannot read the file");
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
targets_load_file(const char *path, struct target_set **out, struct errlist *errs,
		  struct err *e)
{
	size_t len = 0;
	char *data = read_file(path, &len, e);
	int rc;

	*out = NULL;
	if (!data)
		return -1;
	rc = targets_parse(data, len, path, out, errs, e);
	free(data);
	return rc;
}
