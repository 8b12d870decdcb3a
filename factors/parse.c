/*
 * parse: reading and validating `co2ledger-factors/1` files, and their
 * canonical JSON and SHA-256 (see factors.h, docs/factors-validation.md and
 * docs/factor-format-canonical.md).
 *
 * Jansson parses the text (objects only at the top, duplicate keys
 * rejected); then one walk checks every rule and collects every problem.
 * Jansson does not keep positions of values, so each problem carries the
 * JSON path of the offending value ($.factors[3].unit), which canon.c turns
 * into a line and column only when the error is kept for printing.
 *
 * Numbers become exact decimals: a JSON real is turned into its shortest
 * round-trip decimal text and scaled to pico-units (12 decimals, rounded
 * half away from zero beyond that); a JSON integer is scaled directly. A
 * valid set gets its canonical JSON and SHA-256 (canon.c).
 */
#include "factors/factors_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/num.h"
#include "base/strmap.h"
#include "base/text.h"

#define FORMAT_ID "co2ledger-factors/1"
#define NAME_MAX_LEN 64

/* ---- validation context ---------------------------------------------------- */

struct pctx {
	const char *text;
	size_t len;
	const char *name;
	struct errlist *errs;
	struct factor_set *s;
	int oom;
};

static void
perr_v(struct pctx *c, const struct ppath *p, int at_key, const char *fmt,
       va_list ap)
{
	char msg[ERR_TEXT_MAX], ps[256];
	long line = 0, col = 0;

	if (c->errs->n >= ERRLIST_KEEP) { /* counted, not located */
		c->errs->total++;
		return;
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
	factors_path_format(p, ps, sizeof ps);
	factors_locate(c->text, c->len, p, at_key, &line, &col);
	errlist_addf(c->errs, ERR_DATA, c->name, line, col, "%s (at %s)", msg, ps);
}

static void perr(struct pctx *c, const struct ppath *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void perr_key(struct pctx *c, const struct ppath *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error about the value at p. */
static void
perr(struct pctx *c, const struct ppath *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	perr_v(c, p, 0, fmt, ap);
	va_end(ap);
}

/* An error about the key of the member at p (unknown keys). */
static void
perr_key(struct pctx *c, const struct ppath *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	perr_v(c, p, 1, fmt, ap);
	va_end(ap);
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* Report keys of object `o` (at path p) that are not in `known`. */
static void
check_keys(struct pctx *c, const json_t *o, const struct ppath *p,
	   const char *const *known, const char *list)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		size_t i, best = 99;
		const char *sug = NULL;
		int ok = 0;
		for (i = 0; known[i]; i++) {
			size_t d;
			if (strcmp(k, known[i]) == 0) {
				ok = 1;
				break;
			}
			d = text_distance(k, strlen(k), known[i], strlen(known[i]));
			if (d < best) {
				best = d;
				sug = known[i];
			}
		}
		if (ok)
			continue;
		{
			struct ppath kp = factors_path_key(p, k);
			if (sug && best <= 2)
				perr_key(c, &kp, "unknown key '%s' (did you mean '%s'?)", k, sug);
			else
				perr_key(c, &kp, "unknown key '%s' (expected %s)", k, list);
		}
	}
}

/* A required or optional string member; NULL when absent or wrong (the
 * error is reported). Empty and all-blank strings are refused. */
static const char *
get_string(struct pctx *c, const json_t *o, const struct ppath *p,
	   const char *key, int required)
{
	json_t *v = json_object_get(o, key);
	struct ppath vp = factors_path_key(p, key);
	const char *s;

	if (!v) {
		if (required)
			perr(c, p, "missing required key '%s'", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		perr(c, &vp, "'%s' must be a string (got %s)", key, type_name(v));
		return NULL;
	}
	s = json_string_value(v);
	if (strspn(s, " \t\r\n") == strlen(s)) {
		perr(c, &vp, "'%s' must not be empty", key);
		return NULL;
	}
	return s;
}

/* Read a number >= 0 (> 0 when `positive`) as pico-units into *out and its
 * plain decimal text into txt. 0, or -1 with the error reported. */
static int
get_amount(struct pctx *c, const json_t *v, const struct ppath *p,
	   const char *what, int positive, int64_t *out, char *txt, size_t ntxt)
{
	char plain[400];
	double d;
	int r;

	if (!json_is_number(v)) {
		perr(c, p, "%s must be a number (got %s)", what, type_name(v));
		return -1;
	}
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		snprintf(plain, sizeof plain, "%lld", (long long)i);
		d = (double)i;
	} else {
		d = json_real_value(v);
		if (!isfinite(d)) {
			perr(c, p, "%s must be a finite number", what);
			return -1;
		}
		if (fabs(d) >= 1e300) {
			perr(c, p, "%s is too large (at most %s)", what, PICO_MAX_TEXT);
			return -1;
		}
		factors_real_plain(d, plain, sizeof plain);
	}
	if (d < 0) {
		perr(c, p, "%s must not be negative (got %s)", what, plain);
		return -1;
	}
	r = factors_pico_from_plain(plain, out);
	if (r == PICO_RANGE) {
		perr(c, p, "%s %s is too large (at most %s)", what, plain, PICO_MAX_TEXT);
		return -1;
	}
	if (r == PICO_TINY) {
		perr(c, p, "%s %s is too small (it would round to 0 at 12 decimals)",
		     what, plain);
		return -1;
	}
	if (positive && *out == 0) {
		perr(c, p, "%s must be greater than 0", what);
		return -1;
	}
	if (txt) {
		char t[48];
		factors_format_value(*out, t, sizeof t);
		snprintf(txt, ntxt, "%s", t);
	}
	return 0;
}

/* A whole number in [lo, hi]; 0, or -1 with the error reported. */
static int
get_int(struct pctx *c, const json_t *v, const struct ppath *p, const char *what,
	long lo, long hi, long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		char got[64];
		if (json_is_number(v))
			snprintf(got, sizeof got, "%g", json_number_value(v));
		else
			snprintf(got, sizeof got, "%s", type_name(v));
		perr(c, p, "%s must be a whole number from %ld to %ld (got %s)", what,
		     lo, hi, got);
		return -1;
	}
	*out = (long)json_integer_value(v);
	return 0;
}

static int
get_date(struct pctx *c, const json_t *o, const struct ppath *p, const char *key,
	 int32_t *out)
{
	const char *s = get_string(c, o, p, key, 1);
	struct ppath vp = factors_path_key(p, key);

	if (!s)
		return -1;
	if (date_parse_iso(s, strlen(s), out)) {
		perr(c, &vp, "invalid date '%s' (expected a real date YYYY-MM-DD)", s);
		return -1;
	}
	return 0;
}

/* ---- activity keys and units ---------------------------------------------- */

static int
in_list(const char *const *l, const char *s, size_t n)
{
	for (; *l; l++)
		if (strlen(*l) == n && memcmp(*l, s, n) == 0)
			return 1;
	return 0;
}

/* Check a unit string; NULL with the error reported. */
static const struct unit_info *
get_unit(struct pctx *c, const json_t *o, const struct ppath *p, const char *key,
	 const char *activity)
{
	const char *s = get_string(c, o, p, key, 1);
	struct ppath vp = factors_path_key(p, key);
	const struct unit_info *u;

	if (!s)
		return NULL;
	u = units_find(s, strlen(s));
	if (!u) {
		const char *all = units_all(), *q = all;
		char cand[16];
		/* Case-insensitive match as a suggestion ('kwh' -> 'kWh'). */
		while (*q) {
			size_t n = strcspn(q, ",");
			if (n < sizeof cand) {
				memcpy(cand, q, n);
				cand[n] = '\0';
				if (strlen(s) == n && strncasecmp(s, cand, n) == 0) {
					perr(c, &vp, "unknown unit '%s' (did you mean '%s'?)", s, cand);
					return NULL;
				}
			}
			q += n;
			while (*q == ',' || *q == ' ')
				q++;
		}
		perr(c, &vp, "unknown unit '%s' (expected one of %s)", s, all);
		return NULL;
	}
	if (activity && !factors_unit_fits(activity, u)) {
		perr(c, &vp, "unit '%s' does not fit activity '%s' (expected %s)", s,
		     activity, factors_units_for(activity));
		return NULL;
	}
	return u;
}

static const char *
get_activity(struct pctx *c, const json_t *o, const struct ppath *p)
{
	const char *s = get_string(c, o, p, "activity", 1);
	struct ppath vp = factors_path_key(p, "activity");
	char why[ERR_TEXT_MAX];

	if (!s)
		return NULL;
	if (factors_check_activity(s, strlen(s), why, sizeof why)) {
		perr(c, &vp, "%s", why);
		return NULL;
	}
	return s;
}

static int
region_ok(const char *r)
{
	size_t n = strlen(r), i;

	if (strcmp(r, "*") == 0)
		return 1;
	if (n < 2 || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z')
		return 0;
	if (n == 2)
		return 1;
	if (r[2] != '-' || n < 4 || n > 6)
		return 0;
	for (i = 3; i < n; i++)
		if (!((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= '0' && r[i] <= '9')))
			return 0;
	return 1;
}

static int
name_ok(const char *s, int version)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			 (i > 0 && ch == '-');
		if (version)
			ok = ok || (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '-' ||
			     ch == '_';
		if (!ok)
			return 0;
	}
	return 1;
}

static int
id_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 128)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_' ||
		      ch == ':' || ch == '/'))
			return 0;
	}
	return 1;
}

static int
tariff_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* ---- the walk ---------------------------------------------------------------- */

static const char *const TOP_KEYS[] = {
	"format", "name", "version", "published", "description", "license",
	"source", "notes", "price_index", "conversions", "factors", NULL,
};
static const char TOP_LIST[] =
	"format, name, version, published, description, license, source, notes, "
	"price_index, conversions, factors";
static const char *const FACTOR_KEYS[] = {
	"id", "activity", "region", "unit", "valid_from", "valid_to", "method",
	"tariff", "scope", "category", "co2e", "gases", "upstream_co2e",
	"price_year", "citation", "status", "boundary", "notes", "network",
	"allocation", NULL,
};
static const char FACTOR_LIST[] =
	"id, activity, region, unit, valid_from, valid_to, method, tariff, scope, "
	"category, co2e, gases, upstream_co2e, price_year, citation, status, "
	"boundary, notes, network, allocation";
static const char *const CONV_KEYS[] = {
	"activity", "from", "to", "factor", "citation", "notes", NULL,
};
static const char CONV_LIST[] = "activity, from, to, factor, citation, notes";
static const char GAS_LIST[] = "co2, ch4_fossil, ch4_biogenic, n2o, biogenic_co2";

/* Optional member that must be one of `allowed`; returns it or NULL. */
static const char *
get_enum(struct pctx *c, const json_t *o, const struct ppath *p, const char *key,
	 const char *const *allowed, const char *list)
{
	const char *s;
	struct ppath vp = factors_path_key(p, key);

	if (!json_object_get(o, key))
		return NULL;
	if (!(s = get_string(c, o, p, key, 0)))
		return NULL;
	if (!in_list(allowed, s, strlen(s))) {
		perr(c, &vp, "unknown %s '%s' (expected %s)", key, s, list);
		return NULL;
	}
	return s;
}

static const char *const METHODS[] = {"location", "market", NULL};
static const char *const STATUSES[] = {"estimate", "preliminary", "final", NULL};
static const char *const BOUNDARIES[] = {"combustion", "upstream", "lifecycle", NULL};
static const char *const ALLOCATIONS[] = {"carnot", "power_credit", "finnish",
					  "efficiency", NULL};

static char *
keep(struct pctx *c, const char *s)
{
	char *r;

	if (!s)
		return NULL;
	if (!(r = factors_arena_strdup(&c->s->strings, s)))
		c->oom = 1;
	return r;
}

static void
walk_price_index(struct pctx *c, const json_t *root)
{
	json_t *pi = json_object_get(root, "price_index"), *v;
	struct ppath top = {.n = 0};
	struct ppath pp = factors_path_key(&top, "price_index");
	const char *k;
	size_t n = 0;

	if (!pi)
		return;
	if (!json_is_object(pi)) {
		perr(c, &pp, "'price_index' must be an object of year: index (got %s)",
		     type_name(pi));
		return;
	}
	c->s->pi = calloc(json_object_size(pi) + 1, sizeof *c->s->pi);
	if (!c->s->pi) {
		c->oom = 1;
		return;
	}
	json_object_foreach(pi, k, v) {
		struct ppath vp = factors_path_key(&pp, k);
		int64_t pico;
		char txt[48];
		long year = 0;
		size_t i;
		int ok = strlen(k) == 4;
		for (i = 0; ok && i < 4; i++)
			ok = k[i] >= '0' && k[i] <= '9';
		if (ok)
			year = strtol(k, NULL, 10);
		if (!ok || year < 1) {
			perr_key(c, &vp, "price_index key '%s' is not a year (expected YYYY)", k);
			continue;
		}
		if (get_amount(c, v, &vp, "a price index", 1, &pico, txt, sizeof txt))
			continue;
		c->s->pi[n].year = (int)year;
		c->s->pi[n].index.num = pico;
		c->s->pi[n].index.den = num_pow10(FACTOR_SCALE);
		ratio_mul(c->s->pi[n].index, (struct ratio){1, 1}, &c->s->pi[n].index);
		c->s->pi[n].text = keep(c, txt);
		n++;
	}
	c->s->npi = n;
	/* keep them in year order */
	for (size_t i = 1; i < n; i++) {
		struct factor_price t = c->s->pi[i];
		size_t j = i;
		while (j > 0 && c->s->pi[j - 1].year > t.year) {
			c->s->pi[j] = c->s->pi[j - 1];
			j--;
		}
		c->s->pi[j] = t;
	}
}

static int
has_price_year(const struct factor_set *s, long year)
{
	size_t i;

	for (i = 0; i < s->npi; i++)
		if (s->pi[i].year == year)
			return 1;
	return 0;
}

static void
walk_conversions(struct pctx *c, const json_t *root)
{
	json_t *cv = json_object_get(root, "conversions");
	struct ppath top = {.n = 0};
	struct ppath cp = factors_path_key(&top, "conversions");
	size_t i, n = 0;

	if (!cv)
		return;
	if (!json_is_array(cv)) {
		perr(c, &cp, "'conversions' must be an array (got %s)", type_name(cv));
		return;
	}
	c->s->conv = calloc(json_array_size(cv) + 1, sizeof *c->s->conv);
	if (!c->s->conv) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < json_array_size(cv); i++) {
		json_t *o = json_array_get(cv, i), *fv;
		struct ppath op = factors_path_idx(&cp, i);
		struct ppath fp = factors_path_key(&op, "factor");
		const char *act;
		const struct unit_info *from, *to;
		struct factor_conversion *x = &c->s->conv[n];
		int64_t pico = 0;
		char txt[48];
		int bad = 0;
		size_t j;

		if (!json_is_object(o)) {
			perr(c, &op, "a conversion must be an object (got %s)", type_name(o));
			continue;
		}
		check_keys(c, o, &op, CONV_KEYS, CONV_LIST);
		act = get_activity(c, o, &op);
		from = get_unit(c, o, &op, "from", act);
		to = get_unit(c, o, &op, "to", act);
		if (!(fv = json_object_get(o, "factor"))) {
			perr(c, &op, "missing required key 'factor'");
			bad = 1;
		} else if (get_amount(c, fv, &fp, "a conversion factor", 1, &pico, txt,
				      sizeof txt)) {
			bad = 1;
		}
		if (json_object_get(o, "citation"))
			get_string(c, o, &op, "citation", 0);
		if (json_object_get(o, "notes"))
			get_string(c, o, &op, "notes", 0);
		if (!act || !from || !to || bad)
			continue;
		if (from == to) {
			perr(c, &op, "conversion from '%s' to '%s' does nothing (from and to "
			     "are the same unit)", from->name, to->name);
			continue;
		}
		{
			struct ratio r;
			if (units_scale(from, to, &r) == 0) {
				perr(c, &op, "conversion from '%s' to '%s' is built in and exact "
				     "(remove it; only different dimensions or calorific bases "
				     "need one)", from->name, to->name);
				continue;
			}
		}
		for (j = 0; j < n; j++) {
			const struct factor_conversion *y = &c->s->conv[j];
			if (strcmp(y->activity, act) != 0)
				continue;
			if ((y->from == from && y->to == to) || (y->from == to && y->to == from)) {
				perr(c, &op, "a second conversion between '%s' and '%s' for "
				     "'%s' (each pair of units may be given once, in one "
				     "direction)", from->name, to->name, act);
				break;
			}
		}
		if (j < n)
			continue;
		x->activity = keep(c, act);
		x->from = from;
		x->to = to;
		x->ratio.num = pico;
		x->ratio.den = num_pow10(FACTOR_SCALE);
		ratio_mul(x->ratio, (struct ratio){1, 1}, &x->ratio);
		x->factor = keep(c, txt);
		x->citation = keep(c, json_string_value(json_object_get(o, "citation")));
		x->notes = keep(c, json_string_value(json_object_get(o, "notes")));
		n++;
	}
	c->s->nconv = n;
}

/* A district-heat network factor: `network` (a name as tariffs are
 * written) and then a mandatory `allocation`; only for the location factor
 * of energy.district_heating. -1 when either is wrong. */
static int
walk_network(struct pctx *c, const json_t *o, const struct ppath *op,
	     struct factor *f, const char *act)
{
	const char *net = NULL, *alloc;
	int bad = 0;

	if (json_object_get(o, "network")) {
		struct ppath vp = factors_path_key(op, "network");
		net = get_string(c, o, op, "network", 0);
		if (net && !tariff_ok(net)) {
			perr(c, &vp, "invalid network '%s' (use lower-case letters, "
			     "digits, '_' and '-')", net);
			net = NULL;
		} else if (net && act && strcmp(act, "energy.district_heating") != 0) {
			perr(c, &vp, "a network applies only to energy.district_heating "
			     "(activity is '%s')", act);
			net = NULL;
		} else if (net && f->market) {
			perr(c, &vp, "a network factor is a location factor (remove "
			     "\"method\": \"market\" or the network)");
			net = NULL;
		}
		if (!net)
			bad = 1;
	}
	alloc = get_enum(c, o, op, "allocation", ALLOCATIONS,
			 "carnot, power_credit, finnish or efficiency");
	if (json_object_get(o, "allocation") && !alloc) {
		bad = 1;
	} else if (alloc && !json_object_get(o, "network")) {
		struct ppath vp = factors_path_key(op, "allocation");
		perr(c, &vp, "an allocation applies only to a network factor (add "
		     "\"network\" or remove the allocation)");
		bad = 1;
	} else if (net && !alloc) {
		perr(c, op, "a network factor needs an 'allocation' (carnot, "
		     "power_credit, finnish or efficiency: how the network's combined "
		     "heat and power plants split their emissions)");
		bad = 1;
	}
	if (!bad && net) {
		f->network = keep(c, net);
		f->allocation = keep(c, alloc);
	}
	return bad ? -1 : 0;
}

/* Validate one factor object and fill *f; 0 when it is complete. */
static int
walk_factor(struct pctx *c, const json_t *o, const struct ppath *op,
	    struct factor *f)
{
	const char *id, *act, *region, *method, *tariff, *cit;
	const struct unit_info *u;
	json_t *v, *co2e, *gases;
	int32_t from = 0, to = 0;
	int bad = 0, dates = 0;
	long scope = 0, cat = 0, py = 0;

	memset(f, 0, sizeof *f);
	check_keys(c, o, op, FACTOR_KEYS, FACTOR_LIST);
	id = get_string(c, o, op, "id", 1);
	if (id && !id_ok(id)) {
		struct ppath vp = factors_path_key(op, "id");
		perr(c, &vp, "invalid id '%s' (use letters, digits and . - _ : /, at "
		     "most 128)", id);
		id = NULL;
	}
	act = get_activity(c, o, op);
	region = get_string(c, o, op, "region", 1);
	if (region && !region_ok(region)) {
		struct ppath vp = factors_path_key(op, "region");
		perr(c, &vp, "invalid region '%s' (expected '*', a country code like "
		     "'DE' or a subdivision like 'DE-BE')", region);
		region = NULL;
	}
	u = get_unit(c, o, op, "unit", act);
	dates = get_date(c, o, op, "valid_from", &from) == 0;
	dates &= get_date(c, o, op, "valid_to", &to) == 0;
	if (dates && from > to) {
		struct ppath vp = factors_path_key(op, "valid_to");
		perr(c, &vp, "valid_to %s is before valid_from %s",
		     json_string_value(json_object_get(o, "valid_to")),
		     json_string_value(json_object_get(o, "valid_from")));
		dates = 0;
	}
	method = get_enum(c, o, op, "method", METHODS, "location or market");
	if (json_object_get(o, "method") && !method)
		bad = 1;
	f->market = method && strcmp(method, "market") == 0;
	if (f->market && act && !factors_market_allowed(act)) {
		struct ppath vp = factors_path_key(op, "method");
		perr(c, &vp, "method 'market' applies only to electricity, district "
		     "heating and district cooling (activity is '%s')", act);
		bad = 1;
	}
	tariff = NULL;
	if (json_object_get(o, "tariff")) {
		struct ppath vp = factors_path_key(op, "tariff");
		tariff = get_string(c, o, op, "tariff", 0);
		if (tariff && !tariff_ok(tariff)) {
			perr(c, &vp, "invalid tariff '%s' (use lower-case letters, digits, "
			     "'_' and '-')", tariff);
			tariff = NULL;
		} else if (tariff && !f->market && !json_object_get(o, "method")) {
			perr(c, &vp, "a tariff applies only to market factors (add "
			     "\"method\": \"market\" or remove the tariff)");
			tariff = NULL;
		} else if (tariff && !f->market && method) {
			perr(c, &vp, "a tariff applies only to market factors (this one's "
			     "method is '%s')", method);
			tariff = NULL;
		}
		if (!tariff)
			bad = 1;
	}
	if (!(v = json_object_get(o, "scope"))) {
		perr(c, op, "missing required key 'scope'");
		bad = 1;
	} else {
		struct ppath vp = factors_path_key(op, "scope");
		if (get_int(c, v, &vp, "scope", 1, 3, &scope))
			bad = 1;
	}
	v = json_object_get(o, "category");
	if (v) {
		struct ppath vp = factors_path_key(op, "category");
		if (get_int(c, v, &vp, "category", 1, 15, &cat))
			bad = 1;
		else if (scope && scope != 3) {
			perr(c, &vp, "a category is only for scope 3 factors (this one is "
			     "scope %ld)", scope);
			bad = 1;
		}
	} else if (scope == 3) {
		perr(c, op, "a scope 3 factor needs a 'category' (1 to 15)");
		bad = 1;
	}
	co2e = json_object_get(o, "co2e");
	gases = json_object_get(o, "gases");
	if (co2e && gases) {
		struct ppath vp = factors_path_key(op, "gases");
		perr(c, &vp, "give either 'co2e' or 'gases', not both");
		bad = 1;
	} else if (!co2e && !gases) {
		perr(c, op, "missing the value: give 'co2e' (kg CO2e per unit) or "
		     "'gases' (kg of each gas per unit)");
		bad = 1;
	} else if (co2e) {
		struct ppath vp = factors_path_key(op, "co2e");
		if (get_amount(c, co2e, &vp, "co2e", 0, &f->co2e, NULL, 0))
			bad = 1;
	} else {
		struct ppath gp = factors_path_key(op, "gases");
		f->has_gases = 1;
		if (!json_is_object(gases)) {
			perr(c, &gp, "'gases' must be an object of gas: kg per unit (got %s)",
			     type_name(gases));
			bad = 1;
		} else if (json_object_size(gases) == 0) {
			perr(c, &gp, "'gases' names no gas (expected some of %s)", GAS_LIST);
			bad = 1;
		} else {
			const char *g;
			json_t *gv;
			json_object_foreach(gases, g, gv) {
				struct ppath vp = factors_path_key(&gp, g);
				int64_t *dst = NULL;
				if (strcmp(g, "co2") == 0)
					dst = &f->co2;
				else if (strcmp(g, "ch4_fossil") == 0)
					dst = &f->ch4_fossil;
				else if (strcmp(g, "ch4_biogenic") == 0)
					dst = &f->ch4_biogenic;
				else if (strcmp(g, "n2o") == 0)
					dst = &f->n2o;
				else if (strcmp(g, "biogenic_co2") == 0)
					dst = &f->biogenic_co2;
				if (!dst) {
					perr_key(c, &vp, "unknown gas '%s' (expected %s)", g,
						 GAS_LIST);
					bad = 1;
					continue;
				}
				if (get_amount(c, gv, &vp, g, 0, dst, NULL, 0))
					bad = 1;
			}
		}
	}
	if ((v = json_object_get(o, "upstream_co2e"))) {
		struct ppath vp = factors_path_key(op, "upstream_co2e");
		f->has_upstream = 1;
		if (get_amount(c, v, &vp, "upstream_co2e", 0, &f->upstream_co2e, NULL, 0))
			bad = 1;
	}
	if ((v = json_object_get(o, "price_year"))) {
		struct ppath vp = factors_path_key(op, "price_year");
		if (get_int(c, v, &vp, "price_year", 1, 9999, &py)) {
			bad = 1;
		} else if (u && u->dim != DIM_MONEY) {
			perr(c, &vp, "price_year applies only to spend factors (unit EUR; "
			     "this one is per %s)", u->name);
			bad = 1;
		} else if (!has_price_year(c->s, py)) {
			perr(c, &vp, "price_year %ld is not in the set's price_index (add "
			     "\"%ld\" to \"price_index\")", py, py);
			bad = 1;
		}
	}
	cit = get_string(c, o, op, "citation", 1);
	f->status = keep(c, get_enum(c, o, op, "status", STATUSES,
				     "estimate, preliminary or final"));
	if (json_object_get(o, "status") && !f->status)
		bad = 1;
	f->boundary = keep(c, get_enum(c, o, op, "boundary", BOUNDARIES,
				       "combustion, upstream or lifecycle"));
	if (json_object_get(o, "boundary") && !f->boundary)
		bad = 1;
	if (json_object_get(o, "notes")) {
		if (!(f->notes = keep(c, get_string(c, o, op, "notes", 0))))
			bad = 1;
	}
	if (walk_network(c, o, op, f, act))
		bad = 1;
	f->id = keep(c, id);
	if (bad || !id || !act || !region || !u || !dates || !cit)
		return -1;
	f->activity = keep(c, act);
	f->region = keep(c, region);
	f->unit = u;
	f->valid_from = from;
	f->valid_to = to;
	f->tariff = keep(c, tariff);
	f->scope = (int)scope;
	f->category = (int)cat;
	f->price_year = (int)py;
	f->citation = keep(c, cit);
	f->set = c->s;
	return 0;
}

static int
cmp_group(const struct factor *a, const struct factor *b)
{
	int r = strcmp(a->activity, b->activity);
	if (!r)
		r = strcmp(a->region, b->region);
	if (!r)
		r = a->market - b->market;
	if (!r)
		r = strcmp(a->tariff ? a->tariff : "", b->tariff ? b->tariff : "");
	if (!r)
		r = strcmp(a->network ? a->network : "", b->network ? b->network : "");
	return r;
}

struct fref {
	const struct factor *f;
	size_t idx;
};

static int
fref_cmp(const void *x, const void *y)
{
	const struct fref *a = x, *b = y;
	int r = cmp_group(a->f, b->f);

	if (!r)
		r = (a->f->valid_from > b->f->valid_from) - (a->f->valid_from < b->f->valid_from);
	if (!r)
		r = (a->idx > b->idx) - (a->idx < b->idx);
	return r;
}

/* Unique ids and no overlapping validity within activity, region, method
 * and tariff. */
static void
check_set_rules(struct pctx *c, const struct factor *f, size_t n,
		const struct ppath *fp)
{
	struct strmap *ids = strmap_new();
	struct fref *r = n ? malloc(n * sizeof *r) : NULL;
	const struct factor *reach;
	size_t i, m = 0;

	if (!ids || (n && !r)) {
		c->oom = 1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		int64_t first;
		if (!f[i].id)
			continue;
		if (strmap_get(ids, f[i].id, strlen(f[i].id), &first)) {
			struct ppath ip = factors_path_idx(fp, i);
			struct ppath vp = factors_path_key(&ip, "id");
			struct ppath p0 = factors_path_idx(fp, (size_t)first);
			long l0 = 0, c0 = 0;
			if (c->errs->n < ERRLIST_KEEP) /* only kept errors are located */
				factors_locate(c->text, c->len, &p0, 0, &l0, &c0);
			perr(c, &vp, "duplicate id '%s' (first used by the factor at line %ld)",
			     f[i].id, l0);
			continue;
		}
		if (strmap_put(ids, f[i].id, strlen(f[i].id), (int64_t)i)) {
			c->oom = 1;
			goto out;
		}
		if (!f[i].set) /* incomplete: its own errors are reported */
			continue;
		r[m].f = &f[i];
		r[m].idx = i;
		m++;
	}
	if (m == 0)
		goto out;
	qsort(r, m, sizeof *r, fref_cmp);
	reach = r[0].f;
	for (i = 1; i < m; i++) {
		const struct factor *b = r[i].f;
		if (cmp_group(reach, b) != 0) {
			reach = b;
			continue;
		}
		if (b->valid_from <= reach->valid_to) {
			struct ppath ip = factors_path_idx(fp, r[i].idx);
			struct ppath vp = factors_path_key(&ip, "valid_from");
			char af[11], at[11], bf[11], bt[11];
			date_format(reach->valid_from, af);
			date_format(reach->valid_to, at);
			date_format(b->valid_from, bf);
			date_format(b->valid_to, bt);
			perr(c, &vp, "validity %s..%s overlaps factor '%s' (%s..%s) for the "
			     "same activity, region, method and tariff", bf, bt, reach->id,
			     af, at);
		}
		if (b->valid_to > reach->valid_to)
			reach = b;
	}
out:
	strmap_free(ids);
	free(r);
}

static void
walk(struct pctx *c, const json_t *root)
{
	struct ppath top = {.n = 0};
	const char *fmt, *name, *ver;
	json_t *fs;
	int32_t pub;

	check_keys(c, root, &top, TOP_KEYS, TOP_LIST);
	fmt = get_string(c, root, &top, "format", 1);
	if (fmt && strcmp(fmt, FORMAT_ID) != 0) {
		struct ppath vp = factors_path_key(&top, "format");
		perr(c, &vp, "unsupported format '%s' (expected %s)", fmt, FORMAT_ID);
	}
	name = get_string(c, root, &top, "name", 1);
	if (name && !name_ok(name, 0)) {
		struct ppath vp = factors_path_key(&top, "name");
		perr(c, &vp, "invalid set name '%s' (use lower-case letters, digits and "
		     "'-', at most %d)", name, NAME_MAX_LEN);
		name = NULL;
	}
	ver = get_string(c, root, &top, "version", 1);
	if (ver && !name_ok(ver, 1)) {
		struct ppath vp = factors_path_key(&top, "version");
		perr(c, &vp, "invalid version '%s' (use letters, digits, '.', '-' and "
		     "'_', at most %d)", ver, NAME_MAX_LEN);
		ver = NULL;
	}
	if (get_date(c, root, &top, "published", &pub) == 0)
		c->s->published_day = pub;
	c->s->name = keep(c, name);
	c->s->version = keep(c, ver);
	c->s->published = keep(c, json_string_value(json_object_get(root, "published")));
	c->s->description = keep(c, get_string(c, root, &top, "description", 1));
	c->s->license = keep(c, get_string(c, root, &top, "license", 1));
	c->s->source = keep(c, get_string(c, root, &top, "source", 1));
	if (json_object_get(root, "notes"))
		c->s->notes = keep(c, get_string(c, root, &top, "notes", 0));
	walk_price_index(c, root);
	walk_conversions(c, root);

	fs = json_object_get(root, "factors");
	if (!fs) {
		perr(c, &top, "missing required key 'factors'");
	} else if (!json_is_array(fs)) {
		struct ppath vp = factors_path_key(&top, "factors");
		perr(c, &vp, "'factors' must be an array (got %s)", type_name(fs));
	} else if (json_array_size(fs) == 0) {
		struct ppath vp = factors_path_key(&top, "factors");
		perr(c, &vp, "'factors' is empty (a set needs at least one factor)");
	} else {
		struct ppath fp = factors_path_key(&top, "factors");
		size_t i, n = json_array_size(fs);
		c->s->f = calloc(n, sizeof *c->s->f);
		c->s->fjson = calloc(n, sizeof *c->s->fjson);
		if (!c->s->f || !c->s->fjson) {
			c->oom = 1;
			return;
		}
		c->s->nf = n;
		for (i = 0; i < n; i++) {
			json_t *o = json_array_get(fs, i);
			struct ppath op = factors_path_idx(&fp, i);
			if (!json_is_object(o)) {
				perr(c, &op, "a factor must be an object (got %s)", type_name(o));
				continue;
			}
			walk_factor(c, o, &op, &c->s->f[i]);
		}
		check_set_rules(c, c->s->f, n, &fp);
	}
}

/* ---- entry points -------------------------------------------------------------- */

void
factor_set_free(struct factor_set *s)
{
	size_t i;

	if (!s)
		return;
	if (s->fjson)
		for (i = 0; i < s->nf; i++)
			free(s->fjson[i]);
	free(s->fjson);
	free(s->f);
	free(s->conv);
	free(s->pi);
	free(s->canonical);
	factors_arena_release(&s->strings);
	free(s);
}

int
factor_set_parse(const char *data, size_t len, const char *name,
		 struct factor_set **out, struct errlist *errs, struct err *e)
{
	struct factor_set *s;
	struct errlist *own = NULL;
	struct pctx c = {data, len, name ? name : "", NULL, NULL, 0};
	json_error_t je;
	json_t *root;
	size_t i;

	*out = NULL;
	if (!errs && !(errs = own = errlist_new()))
		return err_setf(e, ERR_IO, "out of memory");
	c.errs = errs;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		/* a UTF-8 byte order mark (Windows editors) is not content */
		data += 3;
		len -= 3;
		c.text = data;
		c.len = len;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		/* Jansson's own messages are lower-case already. */
		const char *hint = strstr(je.text, "unable to decode byte")
					   ? " (a factor set is UTF-8 text: save the file as UTF-8)"
					   : "";
		errlist_addf(errs, ERR_DATA, c.name, je.line > 0 ? je.line : 1,
			     je.column > 0 ? je.column : 1, "invalid JSON: %s%s", je.text, hint);
		err_set(e, ERR_DATA, c.name, je.line > 0 ? je.line : 1,
			je.column > 0 ? je.column : 1, "invalid JSON: %s%s", je.text, hint);
		errlist_free(own);
		return -1;
	}
	if (!json_is_object(root)) {
		errlist_addf(errs, ERR_DATA, c.name, 1, 1,
			     "a factor set must be a JSON object (got %s)", type_name(root));
		err_set(e, ERR_DATA, c.name, 1, 1,
			"a factor set must be a JSON object (got %s)", type_name(root));
		json_decref(root);
		errlist_free(own);
		return -1;
	}
	if (!(s = calloc(1, sizeof *s))) {
		json_decref(root);
		errlist_free(own);
		return err_setf(e, ERR_IO, "out of memory");
	}
	c.s = s;
	{
		size_t before = errs->total;
		walk(&c, root);
		if (!c.oom && errs->total == before) {
			struct sha256 h;
			s->canonical = factors_canon_dup(root, &s->canonical_len);
			if (!s->canonical)
				c.oom = 1;
			else {
				sha256_init(&h);
				sha256_update(&h, s->canonical, s->canonical_len);
				sha256_final_hex(&h, s->sha256);
			}
			for (i = 0; !c.oom && i < s->nf; i++)
				if (!(s->fjson[i] = factors_canon_dup(
					      json_array_get(json_object_get(root, "factors"), i),
					      NULL)))
					c.oom = 1;
		}
		json_decref(root);
		if (c.oom) {
			factor_set_free(s);
			errlist_free(own);
			return err_setf(e, ERR_IO, "out of memory reading %s", c.name);
		}
		if (errs->total != before) {
			size_t nerr = errs->total - before;
			errlist_sort(errs);
			if (own)
				*e = own->items[0];
			else
				err_set(e, ERR_DATA, c.name, 0, 0,
					"%zu error%s in the factor set (fix the file and try "
					"again)", nerr, nerr == 1 ? "" : "s");
			factor_set_free(s);
			errlist_free(own);
			return -1;
		}
	}
	errlist_free(own);
	*out = s;
	return 0;
}
