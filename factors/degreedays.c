/*
 * degreedays: parsing, validation and the registry of
 * `co2ledger-degreedays/1` files (degreedays.h, docs/degree-days.md), and
 * the weather correction. The machinery of target sets: Jansson reads the
 * text (duplicate keys rejected), one walk collects every problem with its
 * JSON path, located in the text as line:column; the canonical JSON and its
 * SHA-256 identify a version.
 */
#include "factors/degreedays.h"
#include "factors/factors_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"
#include "base/sha256.h"
#include "store/audit.h"

#define DD_FORMAT "co2ledger-degreedays/1"
#define MAX_STATIONS 1000
#define MAX_MONTHS 1200 /* a century of months per station */
#define MAX_KD 2000000000000LL /* 2,000,000 Kd in micro-Kd: far above any year */

struct dd_set {
	json_t *root;            /* owns every string the stations point to */
	const char *name, *version, *published, *method;
	char sha256[SHA256_HEX_LEN + 1];
	char *canonical;
	struct dd_station *st;
	size_t n;
	struct dd_month *months; /* all months, stations point into it */
	size_t nmonths;
};

/* ---- validation ---- */

struct dctx {
	const char *text;
	size_t len;
	const char *name;
	struct errlist *errs;
};

static void
derr(struct dctx *c, const struct ppath *p, int at_key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
derr(struct dctx *c, const struct ppath *p, int at_key, const char *fmt, ...)
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

static void
only_keys(struct dctx *c, const json_t *o, const struct ppath *p,
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
			derr(c, &q, 1, "unknown key '%s'", k);
		}
	}
}

static const char *
str(struct dctx *c, const json_t *o, const struct ppath *p, const char *key,
    int required)
{
	json_t *v = json_object_get(o, key);
	struct ppath q = factors_path_key(p, key);

	if (!v) {
		if (required)
			derr(c, p, 0, "'%s' is missing", key);
		return NULL;
	}
	if (!json_is_string(v) || !json_string_value(v)[0]) {
		derr(c, &q, 0, "'%s' must be a non-empty string", key);
		return NULL;
	}
	return json_string_value(v);
}

/* Degree days as exact micro-Kd: integers directly, reals through their
 * shortest round-trip decimal text; at most 6 decimals, 0 or more. */
static int
kd_of(struct dctx *c, const json_t *v, const struct ppath *p, const char *what,
      int64_t *out)
{
	char buf[64];
	int prec;

	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > MAX_KD / 1000000)
			return derr(c, p, 0, "%s must be 0 to %lld Kd", what,
				    MAX_KD / 1000000), -1;
		*out = (int64_t)x * 1000000;
		return 0;
	}
	if (!json_is_real(v))
		return derr(c, p, 0, "%s must be a number (Kd)", what), -1;
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, json_real_value(v));
		if (strtod(buf, NULL) == json_real_value(v))
			break;
	}
	if (strchr(buf, 'e') || strchr(buf, 'E') || strchr(buf, 'n') || strchr(buf, 'N'))
		return derr(c, p, 0, "%s: write it as a plain decimal", what), -1;
	switch (num_parse(buf, strlen(buf), '.', 0, 6, out)) {
	case NUM_OK:
		if (*out < 0 || *out > MAX_KD)
			return derr(c, p, 0, "%s must be 0 to %lld Kd", what,
				    MAX_KD / 1000000), -1;
		return 0;
	case NUM_PRECISION:
		return derr(c, p, 0, "%s has more than 6 decimals", what), -1;
	default:
		return derr(c, p, 0, "%s is not a usable number", what), -1;
	}
}

static int
month_of(const char *s, int *y, int *m)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	if (sscanf(s, "%4d-%2d", y, m) != 2 || *y < 1900 || *y > 2100 || *m < 1 ||
	    *m > 12)
		return -1;
	return 0;
}

static void
walk_station(struct dctx *c, struct dd_set *s, const json_t *o,
	     const struct ppath *p, struct dd_station *t)
{
	static const char *const KEYS[] = {"id", "name", "reference",
		"reference_period", "citation", "notes", "months", NULL};
	static const char *const M_KEYS[] = {"month", "degree_days", NULL};
	json_t *v;
	size_t i;

	if (!json_is_object(o)) {
		derr(c, p, 0, "a station must be an object");
		return;
	}
	only_keys(c, o, p, KEYS);
	t->id = str(c, o, p, "id", 1);
	t->name = str(c, o, p, "name", 1);
	t->reference_period = str(c, o, p, "reference_period", 1);
	t->citation = str(c, o, p, "citation", 1);
	t->notes = str(c, o, p, "notes", 0);
	if (!(v = json_object_get(o, "reference"))) {
		derr(c, p, 0, "'reference' (the long-term annual degree days, Kd) is "
		     "missing");
	} else {
		struct ppath q = factors_path_key(p, "reference");
		if (kd_of(c, v, &q, "the reference", &t->reference_kd) == 0 &&
		    t->reference_kd == 0)
			derr(c, &q, 0, "the reference must be above 0 Kd");
	}
	v = json_object_get(o, "months");
	if (!v || !json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > MAX_MONTHS) {
		derr(c, p, 0, "'months' must be a list of 1 to %d {\"month\": "
		     "\"YYYY-MM\", \"degree_days\": Kd}", MAX_MONTHS);
		return;
	}
	{
		struct ppath q = factors_path_key(p, "months");
		t->months = s->months + s->nmonths;
		for (i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i), *kd;
			struct ppath r = factors_path_idx(&q, i);
			struct dd_month *m = &s->months[s->nmonths];
			const char *ms;
			memset(m, 0, sizeof *m);
			if (!json_is_object(x)) {
				derr(c, &r, 0, "a month must be an object");
				continue;
			}
			only_keys(c, x, &r, M_KEYS);
			if ((ms = str(c, x, &r, "month", 1)) &&
			    month_of(ms, &m->year, &m->month)) {
				struct ppath y = factors_path_key(&r, "month");
				derr(c, &y, 0, "'month' must be YYYY-MM (1900-01 to 2100-12)");
				continue;
			}
			if (!ms)
				continue;
			if (t->nmonths) {
				const struct dd_month *prev = &t->months[t->nmonths - 1];
				if (m->year * 12 + m->month <= prev->year * 12 + prev->month) {
					struct ppath y = factors_path_key(&r, "month");
					derr(c, &y, 0, "months must be in ascending order, each "
					     "once (%s follows %04d-%02d)", ms, prev->year,
					     prev->month);
					continue;
				}
			}
			if (!(kd = json_object_get(x, "degree_days"))) {
				derr(c, &r, 0, "'degree_days' is missing");
				continue;
			} else {
				struct ppath y = factors_path_key(&r, "degree_days");
				if (kd_of(c, kd, &y, "degree_days", &m->kd))
					continue;
			}
			s->nmonths++;
			t->nmonths++;
		}
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
degreedays_parse(const char *data, size_t len, const char *name,
		 struct dd_set **out, struct errlist *errs, struct err *e)
{
	static const char *const KEYS[] = {"format", "name", "version", "published",
		"description", "source", "license", "notes", "method", "stations", NULL};
	struct errlist *own = NULL;
	struct dd_set *s;
	struct dctx c;
	struct ppath top = {.n = 0};
	json_error_t je;
	json_t *root, *ss;
	const char *f;
	size_t i, nm = 0;

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
		derr(&c, &top, 0, "a degree-day set is a JSON object");
		goto done;
	}
	only_keys(&c, root, &top, KEYS);
	if ((f = str(&c, root, &top, "format", 1)) && strcmp(f, DD_FORMAT) != 0) {
		struct ppath q = factors_path_key(&top, "format");
		derr(&c, &q, 0, "unknown format '%s' (expected %s)", f, DD_FORMAT);
	}
	s->name = str(&c, root, &top, "name", 1);
	if (s->name && !name_ok(s->name)) {
		struct ppath q = factors_path_key(&top, "name");
		derr(&c, &q, 0, "the name must be 1 to 64 of a-z 0-9 - _ .");
	}
	s->version = str(&c, root, &top, "version", 1);
	if (s->version && !name_ok(s->version)) {
		struct ppath q = factors_path_key(&top, "version");
		derr(&c, &q, 0, "the version must be 1 to 64 of a-z 0-9 - _ .");
	}
	s->published = str(&c, root, &top, "published", 1);
	if (s->published) {
		int y, m, d;
		struct ppath q = factors_path_key(&top, "published");
		if (strlen(s->published) != 10 ||
		    sscanf(s->published, "%4d-%2d-%2d", &y, &m, &d) != 3 || !date_valid(y, m, d))
			derr(&c, &q, 0, "'published' must be a date YYYY-MM-DD");
	}
	s->method = str(&c, root, &top, "method", 1);
	str(&c, root, &top, "description", 1);
	str(&c, root, &top, "source", 1);
	str(&c, root, &top, "license", 1);
	str(&c, root, &top, "notes", 0);
	ss = json_object_get(root, "stations");
	if (!ss || !json_is_array(ss) || json_array_size(ss) == 0 ||
	    json_array_size(ss) > MAX_STATIONS) {
		derr(&c, &top, 0, "'stations' must be a list of 1 to %d stations",
		     MAX_STATIONS);
		goto done;
	}
	for (i = 0; i < json_array_size(ss); i++) {
		json_t *ms = json_object_get(json_array_get(ss, i), "months");
		nm += json_is_array(ms) && json_array_size(ms) <= MAX_MONTHS
			      ? json_array_size(ms) : 0;
	}
	if (!(s->st = calloc(json_array_size(ss), sizeof *s->st)) ||
	    !(s->months = calloc(nm ? nm : 1, sizeof *s->months))) {
		degreedays_free(s);
		errlist_free(own);
		return err_setf(e, ERR_IO, "out of memory");
	}
	{
		struct ppath q = factors_path_key(&top, "stations");
		for (i = 0; i < json_array_size(ss); i++) {
			struct ppath r = factors_path_idx(&q, i);
			size_t k;
			walk_station(&c, s, json_array_get(ss, i), &r, &s->st[i]);
			for (k = 0; k < i; k++)
				if (s->st[i].id && s->st[k].id && !strcmp(s->st[i].id, s->st[k].id)) {
					struct ppath y = factors_path_key(&r, "id");
					derr(&c, &y, 0, "the station '%s' is stations[%zu] "
					     "already: ids are unique in a set", s->st[i].id, k);
				}
		}
		s->n = json_array_size(ss);
	}
done:
	if (errs->total) {
		size_t n;
		errlist_sort(errs);
		n = errs->total;
		if (own)
			*e = errs->items[0];
		else
			err_setf(e, ERR_DATA, "%zu error%s in the degree-day set %s", n,
				 n == 1 ? "" : "s", name);
		errlist_free(own);
		degreedays_free(s);
		return -1;
	}
	errlist_free(own);
	{
		size_t cl;
		if (!(s->canonical = factors_canon_dup(root, &cl))) {
			degreedays_free(s);
			return err_setf(e, ERR_IO, "out of memory");
		}
		sha256_hex(s->canonical, cl, s->sha256);
	}
	*out = s;
	return 0;
}

void
degreedays_free(struct dd_set *s)
{
	if (!s)
		return;
	json_decref(s->root);
	free(s->canonical);
	free(s->st);
	free(s->months);
	free(s);
}

const char *degreedays_name(const struct dd_set *s) { return s->name; }
const char *degreedays_version(const struct dd_set *s) { return s->version; }
const char *degreedays_published(const struct dd_set *s) { return s->published; }
const char *degreedays_method(const struct dd_set *s) { return s->method; }
const char *degreedays_sha256(const struct dd_set *s) { return s->sha256; }
const char *degreedays_canonical(const struct dd_set *s) { return s->canonical; }
size_t degreedays_count(const struct dd_set *s) { return s->n; }

const struct dd_station *
degreedays_at(const struct dd_set *s, size_t i)
{
	return i < s->n ? &s->st[i] : NULL;
}

const struct dd_station *
degreedays_station(const struct dd_set *s, const char *id)
{
	size_t i;

	for (i = 0; id && i < s->n; i++)
		if (strcmp(s->st[i].id, id) == 0)
			return &s->st[i];
	return NULL;
}

int
degreedays_year(const struct dd_station *st, int year, int64_t *kd,
		struct err *e)
{
	int64_t sum = 0;
	int want = 1;
	size_t i;

	for (i = 0; i < st->nmonths && want <= 12; i++) {
		if (st->months[i].year != year)
			continue;
		if (st->months[i].month != want)
			break;
		sum += st->months[i].kd;
		want++;
	}
	if (want <= 12)
		return err_setf(e, ERR_DATA, "station %s (%s) has no degree days for "
				"%04d-%02d: a year needs all twelve months", st->id,
				st->name, year, want);
	*kd = sum;
	return 0;
}

int
degreedays_correct(int64_t space_ukwh, int64_t hot_water_ukwh, int64_t g_ref_kd,
		   int64_t g_year_kd, int64_t *out)
{
	__int128 p, q, r;

	if (g_year_kd <= 0 || g_ref_kd < 0 || space_ukwh < 0 || hot_water_ukwh < 0)
		return -1;
	p = (__int128)space_ukwh * g_ref_kd;
	q = p / g_year_kd;
	r = p % g_year_kd;
	if (2 * r >= g_year_kd)
		q++; /* half away from zero (everything is >= 0 here) */
	q += hot_water_ukwh;
	if (q > INT64_MAX)
		return -1;
	*out = (int64_t)q;
	return 0;
}

/* ---- registry ---- */

static const char SQL_D_FIND[] =
	"SELECT sha256 FROM degree_day_set WHERE name = ?1 AND version = ?2";
static const char SQL_D_INSERT[] =
	"INSERT INTO degree_day_set(name, version, sha256, published, stations, "
	"content, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_D_PICK[] =
	"SELECT version, content, sha256, name FROM degree_day_set WHERE "
	"(?1 IS NULL OR name = ?1) AND (?2 IS NULL OR version = ?2) "
	"ORDER BY published DESC, id DESC LIMIT 1";

int
degreedays_register(struct ledger *l, const struct dd_set *s,
		    enum degreedays_import_result *result, struct err *e)
{
	struct db_stmt *st;
	char at[21];
	int rc;

	if (ledger_begin(l, e))
		return -1;
	if (!(st = ledger_stmt(l, SQL_D_FIND, e)))
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
			*result = DEGREEDAYS_UNCHANGED;
			return 0;
		}
		return err_setf(e, ERR_DATA, "degree-day set '%s@%s' is already "
				"registered with different content (registered sha256 %s, "
				"this file sha256 %s); a registered version never changes: "
				"publish the changes as a new version", s->name, s->version,
				have, s->sha256);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		ledger_fail(l, rc, "looking up the degree-day set", e);
		goto fail;
	}
	date_now_iso(at);
	if (!(st = ledger_stmt(l, SQL_D_INSERT, e)))
		goto fail;
	ledger_bind_text(st, 1, s->name);
	ledger_bind_text(st, 2, s->version);
	ledger_bind_text(st, 3, s->sha256);
	ledger_bind_text(st, 4, s->published);
	db_bind_int64(st, 5, (int64_t)s->n);
	ledger_bind_text(st, 6, s->canonical);
	ledger_bind_text(st, 7, at);
	if (ledger_step_done(l, st, "storing the degree-day set", e))
		goto fail;
	if (audit_append_json(l, "degreedays.import",
			      json_pack("{s:s, s:s, s:s, s:I}", "name", s->name, "version",
					s->version, "sha256", s->sha256, "stations",
					(json_int_t)s->n), e) ||
	    ledger_commit(l, e))
		goto fail;
	*result = DEGREEDAYS_ADDED;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

int
degreedays_load(struct ledger *l, const char *name, const char *version,
		struct dd_set **out, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_D_PICK, e);
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
			return ledger_fail(l, rc, "reading the degree-day set", e);
		if (!name)
			return 0; /* none registered at all */
		return err_setf(e, ERR_DATA, "no degree-day set '%s%s%s' is registered "
				"(see 'co2ledger degreedays import')", name,
				version ? "@" : "", version ? version : "");
	}
	snprintf(label, sizeof label, "%s@%s (in the ledger)",
		 (const char *)db_column_text(st, 3),
		 (const char *)db_column_text(st, 0));
	snprintf(stored, sizeof stored, "%s", (const char *)db_column_text(st, 2));
	rc = degreedays_parse((const char *)db_column_text(st, 1),
			      (size_t)db_column_bytes(st, 1), label, out, NULL, e);
	db_reset(st);
	if (rc)
		return -1;
	if (strcmp(degreedays_sha256(*out), stored) != 0) {
		degreedays_free(*out);
		*out = NULL;
		return err_setf(e, ERR_DATA, "the degree-day set %s was altered in the "
				"ledger (its content no longer has the stored hash)", label);
	}
	return 0;
}
