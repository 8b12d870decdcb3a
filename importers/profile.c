/*
 * profile: parsing, validation and lookups of mapping profiles (see
 * profile.h).
 *
 * Lookups work on folded text: surrounding blanks removed, ASCII and the
 * German umlauts lower-cased, exactly the rule of csv_name_eq(). Synonyms and
 * value spellings are folded once when the profile is parsed and kept in
 * hash maps, so a lookup is one fold and one probe. Jansson does not keep
 * positions, so errors about a valid JSON text are located by walking the
 * text again to the JSON path (base/jsonpos.h).
 */
#include "importers/profile.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/activity.h"
#include "base/jsonpos.h"
#include "base/strbuf.h"
#include "base/strmap.h"
#include "base/text.h"

#define PROFILE_MAX_BYTES (1u << 20)
#define FOLD_MAX 256

static const char *const FIELD[PF_N + 1] = {
	"org", "carrier", "fuel", "period_start", "period_end", "date",
	"quantity", "unit", "site", "meter", "tariff", "supplier_factor",
	"quality", "vehicle", "vehicle_class", "cpv", "amount", "currency",
	"supplier", "description", NULL,
};

static const char *const UNITS[] = {
	"Wh", "kWh", "MWh", "GWh", "MJ", "GJ", "TJ", "kWh_Hs", "MWh_Hs",
	"l", "m3", "g", "kg", "t", "km", "EUR", NULL,
};
static const char *const CURRENCIES[] = {"EUR", NULL};

struct profile {
	char *label;
	struct profile_format fmt;
	char **syn[PF_N];        /* header synonyms as written */
	size_t nsyn[PF_N];
	struct strmap *headers;  /* folded synonym -> field * 1000 + rank */
	struct strmap *vmap[PF_N]; /* folded spelling -> index into vval */
	char **vkey[PF_N];       /* spellings as written (suggestions) */
	char **vval[PF_N];       /* canonical targets */
	size_t nval[PF_N];
	char *def[PF_N];
	pcre2_code *re_bracket;  /* "Verbrauch (kWh)" -> "Verbrauch", "kWh" */
	pcre2_match_data *md;
};

const char *
profile_field_name(enum profile_field f)
{
	return (unsigned)f < PF_N ? FIELD[f] : "?";
}

int
profile_field_parse(const char *s, size_t n)
{
	int i;

	for (i = 0; i < PF_N; i++)
		if (strlen(FIELD[i]) == n && memcmp(FIELD[i], s, n) == 0)
			return i;
	return -1;
}

const char *const *
profile_vocab(enum profile_field f)
{
	switch (f) {
	/* carriers, fuels and qualities come from the activity catalogue */
	case PF_CARRIER: return activity_row_words(ACT_ENERGY);
	case PF_FUEL: return activity_row_words(ACT_FLEET);
	case PF_UNIT: return UNITS;
	case PF_QUALITY: return activity_quality_words();
	case PF_CURRENCY: return CURRENCIES;
	default: return NULL;
	}
}

/* Fold s[0..n) into buf (see the top of the file); -1 when too long. */
static int
fold(const char *s, size_t n, char *buf, size_t bufn)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t w = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(e - p) >= bufn)
		return -1;
	for (; p < e; p++) {
		unsigned char c = *p;
		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if (c == 0xC3 && p + 1 < e &&
			 (p[1] == 0x84 || p[1] == 0x96 || p[1] == 0x9C)) {
			buf[w++] = (char)c;
			c = (unsigned char)(p[1] + 0x20);
			p++;
		}
		buf[w++] = (char)c;
	}
	buf[w] = '\0';
	return (int)w;
}

/* ---- locating a JSON path in the text -------------------------------- */

struct pel {
	const char *key; /* NULL: array element */
	long idx;
};

#define PEL_MAX 4 /* the deepest path a profile has: $.values.FIELD.SPELLING */

/* ---- parsing ------------------------------------------------------------ */

struct pctx {
	const char *text;
	size_t len;
	const char *name;
	struct errlist *errs;
	struct err *e;
	int failed;
};

static void
perr(struct pctx *c, const struct pel *path, int np, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
perr(struct pctx *c, const struct pel *path, int np, const char *fmt, ...)
{
	char msg[ERR_TEXT_MAX]; /* as long as an error's text: cut visibly there */
	struct strbuf where = STRBUF_INIT;
	struct jsonpos_step steps[PEL_MAX];
	long line, col;
	va_list ap;
	int i;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
		memcpy(msg + sizeof msg - 4, "...", 4); /* a cut shows */
	va_end(ap);
	strbuf_addch(&where, '$');
	for (i = 0; i < np && i < PEL_MAX; i++) {
		if (path[i].key)
			strbuf_addf(&where, ".%s", path[i].key);
		else
			strbuf_addf(&where, "[%ld]", path[i].idx);
		steps[i].key = path[i].key;
		steps[i].idx = path[i].key ? 0 : (size_t)path[i].idx;
	}
	jsonpos_locate(c->text, c->len, steps, (size_t)i, 1, &line, &col);
	if (c->errs)
		errlist_addf(c->errs, ERR_DATA, c->name, line, col, "%s (at %s)", msg,
			     strbuf_str(&where));
	if (!c->failed)
		err_set(c->e, ERR_DATA, c->name, line, col, "%s (at %s)", msg,
			strbuf_str(&where));
	strbuf_release(&where);
	c->failed = 1;
}

static void
list_names(const char *const *v, char *buf, size_t n)
{
	size_t w = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; v[i] && w < n; i++)
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? ", " : "", v[i]);
}

/* The canonical spelling of s in vocabulary v, case-insensitively. */
static const char *
vocab_find(const char *const *v, const char *s, size_t n)
{
	int i;

	for (i = 0; v && v[i]; i++)
		if (csv_name_eq(v[i], strlen(v[i]), s, n))
			return v[i];
	return NULL;
}

/* Tokens for tariff and vehicle_class: [a-z0-9_-], 1..32. */
static int
is_token(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* Check a value-map target or default for field f; returns the canonical
 * spelling or NULL after reporting. */
static const char *
check_target(struct pctx *c, const struct pel *path, int np, int f, const char *v)
{
	const char *const *voc = profile_vocab(f);
	char names[300];

	if (voc) {
		const char *canon = vocab_find(voc, v, strlen(v));
		if (!canon) {
			list_names(voc, names, sizeof names);
			perr(c, path, np, "unknown %s '%s' (expected %s)", FIELD[f], v, names);
		}
		return canon;
	}
	if ((f == PF_TARIFF || f == PF_VEHICLE_CLASS) && *v && !is_token(v)) {
		perr(c, path, np, "%s '%s' is not a name (expected lower-case letters, "
		     "digits and '_', e.g. %s)", FIELD[f], v,
		     f == PF_TARIFF ? "green" : "car_medium");
		return NULL;
	}
	return v;
}

static int
one_char(const char *s, const char *const *allowed, const char *const *means,
	 char *out)
{
	int i;

	for (i = 0; allowed[i]; i++)
		if (strcmp(s, allowed[i]) == 0) {
			*out = means[i][0];
			return 0;
		}
	return -1;
}

static void
parse_format(struct pctx *c, struct profile *p, json_t *root)
{
	static const char *const DEL[] = {";", ",", "\t", "tab", "auto", NULL};
	static const char *const DELM[] = {";", ",", "\t", "\t", "", NULL};
	static const char *const DEC[] = {",", ".", NULL};
	static const char *const THO[] = {".", ",", " ", "'", "", NULL};
	static const char *const DATES[] = {"auto", "YYYY-MM-DD", "DD.MM.YYYY",
					    "DD.MM.YY", "DD/MM/YYYY", "MM/DD/YYYY", NULL};
	json_t *v;
	const char *s;
	int i;

	p->fmt.thousands = -1;
	if ((v = json_object_get(root, "format"))) {
		if (!json_is_string(v) || strcmp(json_string_value(v), PROFILE_FORMAT))
			perr(c, (struct pel[]){{"format", 0}}, 1,
			     "not a mapping profile (expected \"format\": \"%s\")",
			     PROFILE_FORMAT);
	}
	if ((v = json_object_get(root, "name"))) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 64)
			perr(c, (struct pel[]){{"name", 0}}, 1,
			     "name must be a string of 1 to 64 characters");
		else if (!(p->label = strdup(json_string_value(v))))
			perr(c, NULL, 0, "out of memory");
	}
	if ((v = json_object_get(root, "description")) && !json_is_string(v))
		perr(c, (struct pel[]){{"description", 0}}, 1, "description must be a string");
	if ((v = json_object_get(root, "delimiter"))) {
		char d;
		if (!json_is_string(v) || one_char(json_string_value(v), DEL, DELM, &d))
			perr(c, (struct pel[]){{"delimiter", 0}}, 1,
			     "unknown delimiter (expected \";\", \",\", \"\\t\" or \"auto\")");
		else
			p->fmt.delimiter = d;
	}
	if ((v = json_object_get(root, "decimal"))) {
		char d;
		if (!json_is_string(v) || one_char(json_string_value(v), DEC, DEC, &d))
			perr(c, (struct pel[]){{"decimal", 0}}, 1,
			     "unknown decimal mark (expected \",\" or \".\")");
		else
			p->fmt.decimal = d;
	}
	if ((v = json_object_get(root, "thousands"))) {
		char d;
		if (!json_is_string(v) || one_char(json_string_value(v), THO, THO, &d))
			perr(c, (struct pel[]){{"thousands", 0}}, 1,
			     "unknown thousands separator (expected \".\", \",\", \" \", "
			     "\"'\" or \"\" for none)");
		else if (d && d == p->fmt.decimal)
			perr(c, (struct pel[]){{"thousands", 0}}, 1,
			     "the thousands separator must differ from the decimal mark");
		else
			p->fmt.thousands = (unsigned char)d;
	}
	if ((v = json_object_get(root, "date"))) {
		s = json_is_string(v) ? json_string_value(v) : "";
		for (i = 0; DATES[i] && strcmp(DATES[i], s); i++)
			;
		if (!DATES[i])
			perr(c, (struct pel[]){{"date", 0}}, 1,
			     "unknown date format (expected \"DD.MM.YYYY\", \"YYYY-MM-DD\", "
			     "\"DD.MM.YY\", \"DD/MM/YYYY\", \"MM/DD/YYYY\" or \"auto\")");
		else
			p->fmt.date = (enum profile_date)i;
	}
	if ((v = json_object_get(root, "encoding"))) {
		s = json_is_string(v) ? json_string_value(v) : "";
		if (csv_name_eq(s, strlen(s), "utf-8", 5) || csv_name_eq(s, strlen(s), "utf8", 4))
			p->fmt.encoding = CSV_ENC_UTF8;
		else if (csv_name_eq(s, strlen(s), "windows-1252", 12) ||
			 csv_name_eq(s, strlen(s), "cp1252", 6) ||
			 csv_name_eq(s, strlen(s), "latin1", 6) ||
			 csv_name_eq(s, strlen(s), "iso-8859-1", 10))
			p->fmt.encoding = CSV_ENC_CP1252;
		else if (csv_name_eq(s, strlen(s), "auto", 4))
			p->fmt.encoding = CSV_ENC_AUTO;
		else
			perr(c, (struct pel[]){{"encoding", 0}}, 1,
			     "unknown encoding (expected \"utf-8\", \"windows-1252\" or \"auto\")");
	}
}

static int
field_of(struct pctx *c, const char *section, const char *key)
{
	char names[400];
	int f = profile_field_parse(key, strlen(key));

	if (f < 0) {
		list_names(FIELD, names, sizeof names);
		perr(c, (struct pel[]){{section, 0}, {key, 0}}, 2,
		     "unknown field '%s' (expected %s)", key, names);
	}
	return f;
}

static int
add_synonym(struct pctx *c, struct profile *p, int f, const char *h, long idx,
	    const char *fkey)
{
	char k[FOLD_MAX];
	int64_t old;
	char **np;
	int kl = fold(h, strlen(h), k, sizeof k);
	struct pel path[3] = {{"columns", 0}, {fkey, 0}, {NULL, idx}};

	if (kl <= 0) {
		perr(c, path, idx < 0 ? 2 : 3, "header names must be 1 to %d bytes",
		     FOLD_MAX - 1);
		return 0;
	}
	if (profile_field_parse(k, (size_t)kl) >= 0 && profile_field_parse(k, (size_t)kl) != f) {
		perr(c, path, idx < 0 ? 2 : 3, "header '%s' is the canonical name of "
		     "another field", h);
		return 0;
	}
	if (strmap_get(p->headers, k, (size_t)kl, &old)) {
		if (old / 1000 != f)
			perr(c, path, idx < 0 ? 2 : 3, "header '%s' is given for both %s "
			     "and %s", h, FIELD[old / 1000], FIELD[f]);
		return 0;
	}
	np = realloc(p->syn[f], (p->nsyn[f] + 1) * sizeof *np);
	if (!np)
		return -1;
	p->syn[f] = np;
	if (!(np[p->nsyn[f]] = strdup(h)))
		return -1;
	p->nsyn[f]++;
	return strmap_put(p->headers, k, (size_t)kl, (int64_t)f * 1000 + (int64_t)p->nsyn[f]);
}

static void
parse_columns(struct pctx *c, struct profile *p, json_t *cols)
{
	const char *key;
	json_t *v;

	if (!json_is_object(cols)) {
		perr(c, (struct pel[]){{"columns", 0}}, 1,
		     "columns must be an object: {\"field\": [\"Header\", ...]}");
		return;
	}
	json_object_foreach(cols, key, v) {
		int f = field_of(c, "columns", key);
		size_t i;
		json_t *h;
		if (f < 0)
			continue;
		if (json_is_string(v)) {
			if (add_synonym(c, p, f, json_string_value(v), -1, key))
				perr(c, NULL, 0, "out of memory");
			continue;
		}
		if (!json_is_array(v)) {
			perr(c, (struct pel[]){{"columns", 0}, {key, 0}}, 2,
			     "expected a header name or a list of them");
			continue;
		}
		json_array_foreach(v, i, h) {
			if (!json_is_string(h))
				perr(c, (struct pel[]){{"columns", 0}, {key, 0}, {NULL, (long)i}},
				     3, "expected a header name (a string)");
			else if (add_synonym(c, p, f, json_string_value(h), (long)i, key))
				perr(c, NULL, 0, "out of memory");
		}
	}
}

static void
parse_values(struct pctx *c, struct profile *p, json_t *vals)
{
	const char *key, *spell;
	json_t *m, *v;

	if (!json_is_object(vals)) {
		perr(c, (struct pel[]){{"values", 0}}, 1,
		     "values must be an object: {\"field\": {\"Spelling\": \"value\"}}");
		return;
	}
	json_object_foreach(vals, key, m) {
		int f = field_of(c, "values", key);
		if (f < 0)
			continue;
		if (!json_is_object(m)) {
			perr(c, (struct pel[]){{"values", 0}, {key, 0}}, 2,
			     "expected an object {\"Spelling\": \"canonical value\"}");
			continue;
		}
		if (!p->vmap[f] && !(p->vmap[f] = strmap_new())) {
			perr(c, NULL, 0, "out of memory");
			return;
		}
		json_object_foreach(m, spell, v) {
			struct pel path[3] = {{"values", 0}, {key, 0}, {spell, 0}};
			char k[FOLD_MAX];
			const char *target;
			int64_t old;
			int kl = fold(spell, strlen(spell), k, sizeof k);
			if (!json_is_string(v)) {
				perr(c, path, 3, "expected the canonical value as a string");
				continue;
			}
			if (kl < 0) {
				perr(c, path, 3, "spellings must be shorter than %d bytes", FOLD_MAX);
				continue;
			}
			if (!(target = check_target(c, path, 3, f, json_string_value(v))))
				continue;
			if (strmap_get(p->vmap[f], k, (size_t)kl, &old)) {
				if (strcmp(p->vval[f][old], target))
					perr(c, path, 3, "'%s' is mapped twice, to '%s' and '%s' "
					     "(case and spaces do not count)", spell,
					     p->vval[f][old], target);
				continue;
			}
			{
				char **nk = realloc(p->vkey[f], (p->nval[f] + 1) * sizeof *nk);
				char **nv;
				if (nk)
					p->vkey[f] = nk;
				nv = nk ? realloc(p->vval[f], (p->nval[f] + 1) * sizeof *nv) : NULL;
				if (!nv) {
					perr(c, NULL, 0, "out of memory");
					return;
				}
				p->vval[f] = nv;
				nk[p->nval[f]] = strdup(spell);
				nv[p->nval[f]] = strdup(target);
				if (!nk[p->nval[f]] || !nv[p->nval[f]] ||
				    strmap_put(p->vmap[f], k, (size_t)kl, (int64_t)p->nval[f])) {
					free(nk[p->nval[f]]);
					free(nv[p->nval[f]]);
					perr(c, NULL, 0, "out of memory");
					return;
				}
				p->nval[f]++;
			}
		}
	}
}

static void
parse_defaults(struct pctx *c, struct profile *p, json_t *defs)
{
	const char *key;
	json_t *v;

	if (!json_is_object(defs)) {
		perr(c, (struct pel[]){{"defaults", 0}}, 1,
		     "defaults must be an object: {\"field\": \"value\"}");
		return;
	}
	json_object_foreach(defs, key, v) {
		struct pel path[2] = {{"defaults", 0}, {key, 0}};
		const char *t;
		int f = field_of(c, "defaults", key);
		if (f < 0)
			continue;
		if (!json_is_string(v)) {
			perr(c, path, 2, "expected the default value as a string");
			continue;
		}
		if (!(t = check_target(c, path, 2, f, json_string_value(v))))
			continue;
		if (!*t)
			continue;
		if (!(p->def[f] = strdup(t)))
			perr(c, NULL, 0, "out of memory");
	}
}

static int
compile_res(struct profile *p, struct err *e)
{
	int ec;
	PCRE2_SIZE off;

	p->re_bracket = pcre2_compile(
		(PCRE2_SPTR) "^\\s*(.*?)\\s*[\\(\\[]\\s*([^\\)\\]]*?)\\s*[\\)\\]]\\s*:?\\s*$",
		PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off, NULL);
	if (!p->re_bracket)
		return err_setf(e, ERR_IO, "internal error: header pattern does not compile");
	if (!(p->md = pcre2_match_data_create_from_pattern(p->re_bracket, NULL)))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

static struct profile *
profile_alloc(void)
{
	struct profile *p = calloc(1, sizeof *p);

	if (p && !(p->headers = strmap_new())) {
		free(p);
		return NULL;
	}
	if (p)
		p->fmt.thousands = -1;
	return p;
}

int
profile_canonical(struct profile **out, struct err *e)
{
	struct profile *p = profile_alloc();

	*out = NULL;
	if (!p || !(p->label = strdup("canonical"))) {
		profile_free(p);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (compile_res(p, e)) {
		profile_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int
profile_parse(const char *data, size_t len, const char *name, struct profile **out,
	      struct errlist *errs, struct err *e)
{
	static const char *const TOP[] = {
		"format", "name", "description", "delimiter", "decimal", "thousands",
		"date", "encoding", "columns", "values", "defaults", NULL,
	};
	struct pctx c = {data, len, name, errs, e, 0};
	struct profile *p;
	json_error_t je;
	json_t *root, *v;
	const char *key;
	char names[300];

	*out = NULL;
	if (len > PROFILE_MAX_BYTES) {
		err_set(e, ERR_DATA, name, 0, 0, "profile larger than %u bytes",
			PROFILE_MAX_BYTES);
		if (errs)
			errlist_add(errs, e);
		return -1;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		err_set(e, ERR_DATA, name, je.line > 0 ? je.line : 1,
			je.column > 0 ? je.column : 1, "invalid JSON: %s", je.text);
		if (errs)
			errlist_add(errs, e);
		return -1;
	}
	if (!json_is_object(root)) {
		perr(&c, NULL, 0, "a profile is a JSON object ({\"format\": \"%s\", ...})",
		     PROFILE_FORMAT);
		json_decref(root);
		return -1;
	}
	if (!(p = profile_alloc())) {
		json_decref(root);
		return err_setf(e, ERR_IO, "out of memory");
	}
	json_object_foreach(root, key, v) {
		int i;
		for (i = 0; TOP[i] && strcmp(TOP[i], key); i++)
			;
		if (!TOP[i]) {
			list_names(TOP, names, sizeof names);
			perr(&c, (struct pel[]){{key, 0}}, 1, "unknown key '%s' (expected %s)",
			     key, names);
		}
	}
	parse_format(&c, p, root);
	if ((v = json_object_get(root, "columns")))
		parse_columns(&c, p, v);
	if ((v = json_object_get(root, "values")))
		parse_values(&c, p, v);
	if ((v = json_object_get(root, "defaults")))
		parse_defaults(&c, p, v);
	json_decref(root);
	if (!p->label && !(p->label = strdup(name)))
		perr(&c, NULL, 0, "out of memory");
	if (!c.failed && compile_res(p, e))
		c.failed = 1;
	if (c.failed) {
		profile_free(p);
		if (errs)
			errlist_sort(errs);
		return -1;
	}
	*out = p;
	return 0;
}

int
profile_load(const char *path, struct profile **out, struct errlist *errs,
	     struct err *e)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (!fp) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open the profile: %s",
			strerror(errno));
		if (errs)
			errlist_add(errs, e);
		return -1;
	}
	buf = malloc(PROFILE_MAX_BYTES + 1);
	if (!buf) {
		fclose(fp);
		return err_setf(e, ERR_IO, "out of memory");
	}
	n = fread(buf, 1, PROFILE_MAX_BYTES + 1, fp);
	fclose(fp);
	rc = profile_parse(buf, n, path, out, errs, e);
	free(buf);
	return rc;
}

void
profile_free(struct profile *p)
{
	size_t i, f;

	if (!p)
		return;
	for (f = 0; f < PF_N; f++) {
		for (i = 0; i < p->nsyn[f]; i++)
			free(p->syn[f][i]);
		free(p->syn[f]);
		for (i = 0; i < p->nval[f]; i++) {
			free(p->vkey[f][i]);
			free(p->vval[f][i]);
		}
		free(p->vkey[f]);
		free(p->vval[f]);
		strmap_free(p->vmap[f]);
		free(p->def[f]);
	}
	strmap_free(p->headers);
	pcre2_match_data_free(p->md);
	pcre2_code_free(p->re_bracket);
	free(p->label);
	free(p);
}

const char *
profile_name(const struct profile *p)
{
	return p->label;
}

const struct profile_format *
profile_format(const struct profile *p)
{
	return &p->fmt;
}

/* ---- finding the shipped profiles ------------------------------------- */

static int
readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The path of the running program into sb, whole; -1 when unknown. */
static int
self_exe(struct strbuf *sb)
{
	size_t n;

	for (n = 256; n <= ((size_t)1 << 20); n *= 2) {
		char *buf = malloc(n);
		ssize_t k;
		if (!buf)
			return -1;
		k = readlink("/proc/self/exe", buf, n);
		if (k > 0 && (size_t)k < n) {
			strbuf_reset(sb);
			strbuf_add(sb, buf, (size_t)k);
			free(buf);
			return strbuf_failed(sb) ? -1 : 0;
		}
		free(buf);
		if (k <= 0)
			return -1;
	}
	return -1;
}

int
profile_find_shipped(const char *datadir, const char *name, struct strbuf *path,
		     struct err *e)
{
	struct strbuf tried = STRBUF_INIT, exe = STRBUF_INIT;
	int up;

	strbuf_reset(path);
	if (datadir && *datadir) {
		strbuf_addf(path, "%s/profiles/%s.json", datadir, name);
		if (!strbuf_failed(path) && readable(path->buf))
			return 0;
		strbuf_addf(&tried, "%s", strbuf_str(path));
	}
	if (self_exe(&exe) == 0) {
		for (up = 0; up < 3; up++) {
			char *slash = strrchr(exe.buf, '/');
			if (!slash)
				break;
			strbuf_setlen(&exe, (size_t)(slash - exe.buf));
			strbuf_reset(path);
			strbuf_addf(path, "%s/importers/profiles/%s.json", exe.buf, name);
			if (!strbuf_failed(path) && readable(path->buf)) {
				strbuf_release(&exe);
				strbuf_release(&tried);
				return 0;
			}
		}
	}
	strbuf_release(&exe);
	strbuf_reset(path);
	strbuf_addf(path, "%s/profiles/%s.json", CO2LEDGER_DATADIR, name);
	if (!strbuf_failed(path) && readable(path->buf)) {
		strbuf_release(&tried);
		return 0;
	}
	strbuf_addf(&tried, "%s%s", tried.len ? ", " : "", strbuf_str(path));
	err_setf(e, ERR_IO,
		 "cannot find the shipped profile '%s.json' (looked in %s and "
		 "importers/profiles next to the program; set CO2LEDGER_DATADIR "
		 "to the directory holding profiles/)", name, strbuf_str(&tried));
	strbuf_release(&tried);
	return -1;
}

/* ---- lookups ---------------------------------------------------------- */

static int
header_lookup(const struct profile *p, const char *h, size_t n, int *rank)
{
	char k[FOLD_MAX];
	int64_t v;
	int kl = fold(h, n, k, sizeof k), f;

	if (kl <= 0)
		return -1;
	if ((f = profile_field_parse(k, (size_t)kl)) >= 0) {
		*rank = 0;
		return f;
	}
	if (strmap_get(p->headers, k, (size_t)kl, &v)) {
		*rank = (int)(v % 1000);
		return (int)(v / 1000);
	}
	return -1;
}

int
profile_match_header(const struct profile *p, const char *h, size_t n, int *rank,
		     const char **bracket, size_t *bracket_len)
{
	int f, rc;

	*bracket = NULL;
	*bracket_len = 0;
	*rank = 0;
	if ((f = header_lookup(p, h, n, rank)) >= 0)
		return f;
	/* "Verbrauch (kWh)", "Menge [l]": the name, with a unit in brackets */
	rc = pcre2_match(p->re_bracket, (PCRE2_SPTR)h, n, 0, 0, p->md, NULL);
	if (rc >= 3) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
		if ((f = header_lookup(p, h + ov[2], ov[3] - ov[2], rank)) >= 0) {
			*bracket = h + ov[4];
			*bracket_len = ov[5] - ov[4];
			return f;
		}
	}
	return -1;
}

int
profile_is_synonym(const struct profile *p, const char *h, size_t n)
{
	char k[FOLD_MAX];
	int64_t v;
	int kl = fold(h, n, k, sizeof k);

	return kl > 0 && profile_field_parse(k, (size_t)kl) < 0 &&
	       strmap_get(p->headers, k, (size_t)kl, &v);
}

int
profile_map_value(const struct profile *p, enum profile_field f, const char *s,
		  size_t n, const char **out)
{
	char k[FOLD_MAX];
	int64_t v;
	int kl;
	const char *canon;

	if ((unsigned)f >= PF_N)
		return 0;
	if (p->vmap[f]) {
		kl = fold(s, n, k, sizeof k);
		if (kl >= 0 && strmap_get(p->vmap[f], k, (size_t)kl, &v)) {
			*out = p->vval[f][v];
			return 1;
		}
	}
	if ((canon = vocab_find(profile_vocab(f), s, n))) {
		*out = canon;
		return 1;
	}
	return 0;
}

const char *
profile_default(const struct profile *p, enum profile_field f)
{
	return (unsigned)f < PF_N ? p->def[f] : NULL;
}

void
profile_suggest(const struct profile *p, enum profile_field f, const char *s,
		size_t n, char *buf, size_t bufn)
{
	const char *best[2] = {NULL, NULL};
	size_t bd[2] = {99, 99}, i, w = 0, lim;
	char k[FOLD_MAX], c[FOLD_MAX];
	const char *const *voc = profile_vocab(f);
	int kl = fold(s, n, k, sizeof k), cl;

	if (bufn)
		buf[0] = '\0';
	if (kl <= 0 || (unsigned)f >= PF_N)
		return;
	lim = kl / 3 > 1 ? (size_t)kl / 3 : 1;
	for (i = 0; i < p->nval[f] + (voc ? 64 : 0); i++) {
		const char *cand = i < p->nval[f] ? p->vkey[f][i] : voc[i - p->nval[f]];
		size_t d;
		if (!cand)
			break;
		if ((cl = fold(cand, strlen(cand), c, sizeof c)) < 0)
			continue;
		d = text_distance(k, (size_t)kl, c, (size_t)cl);
		if (d > lim)
			continue;
		if (d < bd[0]) {
			best[1] = best[0];
			bd[1] = bd[0];
			best[0] = cand;
			bd[0] = d;
		} else if (d < bd[1] && (!best[0] || strcmp(best[0], cand))) {
			best[1] = cand;
			bd[1] = d;
		}
	}
	for (i = 0; i < 2 && best[i] && w < bufn; i++)
		w += (size_t)snprintf(buf + w, bufn - w, "%s'%s'", i ? ", " : "", best[i]);
}

void
profile_synonyms(const struct profile *p, enum profile_field f, struct strbuf *out)
{
	size_t i;

	strbuf_adds(out, profile_field_name(f));
	for (i = 0; (unsigned)f < PF_N && i < p->nsyn[f]; i++)
		strbuf_addf(out, ", %s", p->syn[f][i]);
}
