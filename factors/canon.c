/*
 * canon: the text side of factor sets: exact numbers from JSON reals, the
 * canonical JSON that a set's SHA-256 is taken over, and positions of
 * values in the raw text for error messages (see factors_int.h and
 * docs/factor-format-canonical.md).
 *
 * The canonical JSON is byte for byte what Python's json.dumps(value,
 * sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes, so an
 * auditor can recompute a set's hash with other tools. Jansson does not keep
 * positions of values, so a small scanner over the raw text follows a JSON
 * path ($.factors[3].unit) to its line and column; it runs only for errors
 * that are printed. Columns count characters, not bytes.
 */
#include "factors/factors_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonpos.h"
#include "base/num.h"
#include "base/strbuf.h"

/* ---- string arena -------------------------------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

char *
factors_arena_strndup(struct arena *a, const char *s, size_t n)
{
	struct arena_chunk *c = a->head;
	char *p;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > 8192 ? n + 1 : 8192;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

char *
factors_arena_strdup(struct arena *a, const char *s)
{
	return s ? factors_arena_strndup(a, s, strlen(s)) : NULL;
}

void
factors_arena_release(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
}

/* ---- numbers ------------------------------------------------------------- */

/* The shortest decimal digits that read back as `d` (at most 17), without
 * trailing zeros, and the decimal exponent of the first digit: d =
 * 0.DIGITS * 10^(exp+1), i.e. D[0].D[1..] * 10^exp. */
static void
shortest_digits(double d, char digits[20], int *exp, int *neg)
{
	char tmp[40];
	int p;
	size_t k = 0;
	const char *q;

	*neg = signbit(d) != 0;
	for (p = 15; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	q = tmp + (*neg ? 1 : 0);
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9' && k < 19)
			digits[k++] = *q;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*exp = *q == 'e' ? atoi(q + 1) : 0;
}

/* Digits dg[0..k) times 10^(e - k + 1) in fixed notation; a whole number
 * gets ".0" when `fraction` is set. */
static void
fixed(struct strbuf *b, const char *dg, size_t k, int e, int fraction)
{
	size_t i;

	if (e >= 0) {
		for (i = 0; i < (size_t)e + 1; i++)
			strbuf_add(b, i < k ? dg + i : "0", 1);
		if (k > (size_t)e + 1) {
			strbuf_adds(b, ".");
			strbuf_add(b, dg + e + 1, k - (size_t)e - 1);
		} else if (fraction) {
			strbuf_adds(b, ".0");
		}
	} else {
		strbuf_adds(b, "0.");
		for (i = 0; i < (size_t)(-e - 1); i++)
			strbuf_adds(b, "0");
		strbuf_adds(b, dg);
	}
}

/* The number as Python's repr() writes a float: the shortest round-trip
 * digits, fixed notation for exponents -4..15 (always with a fraction),
 * else d.ddde+XX. */
static void
real_repr(double d, char *out, size_t n)
{
	char dg[20];
	int e, neg;
	size_t k;
	struct strbuf b = STRBUF_INIT;

	shortest_digits(d, dg, &e, &neg);
	k = strlen(dg);
	if (neg)
		strbuf_adds(&b, "-");
	if (e >= -4 && e < 16) {
		fixed(&b, dg, k, e, 1);
	} else {
		char ex[16];
		strbuf_add(&b, dg, 1);
		if (k > 1) {
			strbuf_adds(&b, ".");
			strbuf_add(&b, dg + 1, k - 1);
		}
		snprintf(ex, sizeof ex, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
		strbuf_adds(&b, ex);
	}
	snprintf(out, n, "%s", strbuf_failed(&b) || !b.buf ? "0" : b.buf);
	strbuf_release(&b);
}

/* The number in plain decimal notation (no exponent), shortest digits. */
void
factors_real_plain(double d, char *out, size_t n)
{
	char dg[20];
	int e, neg;
	size_t k;
	struct strbuf b = STRBUF_INIT;

	shortest_digits(d, dg, &e, &neg);
	k = strlen(dg);
	if (neg && !(k == 1 && dg[0] == '0'))
		strbuf_adds(&b, "-");
	fixed(&b, dg, k, e, 0);
	snprintf(out, n, "%s", strbuf_failed(&b) || !b.buf ? "0" : b.buf);
	strbuf_release(&b);
}

/* Scale a plain decimal text to pico-units, rounding half away from zero
 * beyond 12 decimals. */
int
factors_pico_from_plain(const char *txt, int64_t *out)
{
	const char *dot = strchr(txt, '.');
	char cut[400];
	size_t keep = strlen(txt);
	int round_up = 0, nonzero = 0;
	int64_t v;
	const char *q;
	enum num_status st;

	for (q = txt; *q; q++)
		if (*q >= '1' && *q <= '9')
			nonzero = 1;
	if (dot && strlen(dot + 1) > 12) {
		keep = (size_t)(dot - txt) + 13;
		round_up = dot[13] >= '5';
	}
	if (keep >= sizeof cut)
		return PICO_RANGE;
	memcpy(cut, txt, keep);
	cut[keep] = '\0';
	st = num_parse(cut, keep, '.', 0, FACTOR_SCALE, &v);
	if (st != NUM_OK)
		return PICO_RANGE;
	if (round_up) {
		if (v == INT64_MAX || v == INT64_MIN)
			return PICO_RANGE;
		v += txt[0] == '-' ? -1 : 1;
	}
	if (v == 0 && nonzero)
		return PICO_TINY;
	*out = v;
	return PICO_OK;
}

int
factors_format_value(int64_t v, char *buf, size_t n)
{
	char tmp[48];
	int len = num_format(v, FACTOR_SCALE, FACTOR_SCALE, tmp, sizeof tmp);

	while (len > 0 && tmp[len - 1] == '0')
		tmp[--len] = '\0';
	if (len > 0 && tmp[len - 1] == '.')
		tmp[--len] = '\0';
	return snprintf(buf, n, "%s", tmp);
}

/* ---- canonical JSON ------------------------------------------------------ */

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
canon_string(struct strbuf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	strbuf_adds(b, "\"");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[8];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (c < 0x20) {
				snprintf(u, sizeof u, "\\u%04x", c);
				esc = u;
			}
		}
		if (esc) {
			strbuf_add(b, s + run, i - run);
			strbuf_adds(b, esc);
			run = i + 1;
		}
	}
	strbuf_add(b, s + run, n - run);
	strbuf_adds(b, "\"");
}

static void
canon_value(struct strbuf *b, const json_t *v)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		const char **keys = n ? malloc(n * sizeof *keys) : NULL;
		const char *k;
		json_t *x;
		if (n && !keys) {
			b->failed = 1;
			return;
		}
		json_object_foreach((json_t *)v, k, x)
			keys[i++] = k;
		if (n)
			qsort(keys, n, sizeof *keys, key_cmp);
		strbuf_adds(b, "{");
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_adds(b, ",");
			canon_string(b, keys[i], strlen(keys[i]));
			strbuf_adds(b, ":");
			canon_value(b, json_object_get(v, keys[i]));
		}
		strbuf_adds(b, "}");
		free(keys);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		strbuf_adds(b, "[");
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				strbuf_adds(b, ",");
			canon_value(b, json_array_get(v, i));
		}
		strbuf_adds(b, "]");
		break;
	}
	case JSON_STRING:
		canon_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		strbuf_adds(b, num);
		break;
	case JSON_REAL:
		real_repr(json_real_value(v), num, sizeof num);
		strbuf_adds(b, num);
		break;
	case JSON_TRUE:
		strbuf_adds(b, "true");
		break;
	case JSON_FALSE:
		strbuf_adds(b, "false");
		break;
	case JSON_NULL:
		strbuf_adds(b, "null");
		break;
	}
}

/* ---- positions: a scanner over the raw text -------------------------------- */

struct ppath
factors_path_key(const struct ppath *p, const char *key)
{
	struct ppath r = *p;

	if (r.n < PATH_MAX_SEGS) {
		r.s[r.n].key = key;
		r.s[r.n].idx = 0;
		r.n++;
	}
	return r;
}

struct ppath
factors_path_idx(const struct ppath *p, size_t idx)
{
	struct ppath r = *p;

	if (r.n < PATH_MAX_SEGS) {
		r.s[r.n].key = NULL;
		r.s[r.n].idx = idx;
		r.n++;
	}
	return r;
}

static int
is_ident(const char *k)
{
	const char *q = k;

	if (!*q || (*q >= '0' && *q <= '9'))
		return 0;
	for (; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		      (*q >= '0' && *q <= '9') || *q == '_'))
			return 0;
	return 1;
}

void
factors_path_format(const struct ppath *p, char *out, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	int i;

	strbuf_adds(&b, "$");
	for (i = 0; i < p->n; i++) {
		char t[32];
		if (!p->s[i].key) {
			snprintf(t, sizeof t, "[%zu]", p->s[i].idx);
			strbuf_adds(&b, t);
		} else if (is_ident(p->s[i].key)) {
			strbuf_adds(&b, ".");
			strbuf_adds(&b, p->s[i].key);
		} else {
			strbuf_adds(&b, "[");
			canon_string(&b, p->s[i].key, strlen(p->s[i].key));
			strbuf_adds(&b, "]");
		}
	}
	snprintf(out, n, "%s", strbuf_failed(&b) || !b.buf ? "$" : b.buf);
	strbuf_release(&b);
}

/* Find the line and column of the value at `p` (or of its key when
 * at_key); when the path cannot be followed, the deepest position reached. */
void
factors_locate(const char *text, size_t len, const struct ppath *p, int at_key,
	       long *line, long *col)
{
	struct jsonpos_step steps[PATH_MAX_SEGS];
	int i;

	for (i = 0; i < p->n && i < PATH_MAX_SEGS; i++) {
		steps[i].key = p->s[i].key;
		steps[i].idx = p->s[i].idx;
	}
	jsonpos_locate(text, len, steps, (size_t)i, at_key, line, col);
}

char *
factors_canon_dup(const json_t *v, size_t *len)
{
	struct strbuf b = STRBUF_INIT;

	canon_value(&b, v);
	if (strbuf_failed(&b)) {
		strbuf_release(&b);
		return NULL;
	}
	return strbuf_detach(&b, len);
}

char *
factors_canonical(const char *data, size_t len, struct err *e)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	char *out;

	if (!root) {
		err_set(e, ERR_DATA, NULL, je.line, je.column, "invalid JSON: %s", je.text);
		return NULL;
	}
	out = factors_canon_dup(root, NULL);
	json_decref(root);
	if (!out)
		err_setf(e, ERR_IO, "out of memory");
	return out;
}
