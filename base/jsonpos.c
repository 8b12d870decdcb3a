/*
 * jsonpos: the position of a JSON path in the raw text (see jsonpos.h).
 *
 * A small scanner that knows just enough JSON to step over values: strings
 * with their escapes, nested objects and arrays, and bare words. It never
 * validates (the text was parsed before) and never reads past `len`.
 */
#include "base/jsonpos.h"

#include <string.h>

struct scan {
	const char *p, *end;
	long line, col;
};

static void
adv(struct scan *s)
{
	unsigned char c;

	if (s->p >= s->end)
		return;
	c = (unsigned char)*s->p++;
	if (c == '\n') {
		s->line++;
		s->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		s->col++;
	}
}

static void
ws(struct scan *s)
{
	while (s->p < s->end &&
	       (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		adv(s);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u"; -1 when they are not. */
static long
hex4(struct scan *s)
{
	long v = 0;
	int i, h;

	if (s->end - s->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(s->p[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	for (i = 0; i < 4; i++)
		adv(s);
	return v;
}

/* The UTF-8 encoding of cp into out; its length. */
static size_t
utf8(unsigned long cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* At '"': step over the string, decoding it and comparing it with
 * want[0..wn) on the way (want may be NULL). 1 when it is equal. */
static int
string(struct scan *s, const char *want, size_t wn)
{
	size_t at = 0;
	int same = want != NULL;

	adv(s); /* the opening quote */
	while (s->p < s->end && *s->p != '"') {
		char enc[4];
		size_t ne = 1;
		if (*s->p == '\\' && s->p + 1 < s->end) {
			char x = s->p[1];
			adv(s);
			adv(s);
			switch (x) {
			case 'n': enc[0] = '\n'; break;
			case 't': enc[0] = '\t'; break;
			case 'r': enc[0] = '\r'; break;
			case 'b': enc[0] = '\b'; break;
			case 'f': enc[0] = '\f'; break;
			case 'u': {
				long cp = hex4(s), lo;
				if (cp < 0) {
					same = 0;
					continue;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF && s->end - s->p >= 6 &&
				    s->p[0] == '\\' && s->p[1] == 'u') {
					struct scan t = *s;
					adv(&t);
					adv(&t);
					lo = hex4(&t);
					if (lo >= 0xDC00 && lo <= 0xDFFF) {
						*s = t;
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
				}
				ne = utf8((unsigned long)cp, enc);
				break;
			}
			default: enc[0] = x; break;
			}
		} else {
			enc[0] = *s->p;
			adv(s);
		}
		if (same) {
			if (at + ne <= wn && memcmp(want + at, enc, ne) == 0)
				at += ne;
			else
				same = 0;
		}
	}
	adv(s); /* the closing quote */
	return same && at == wn;
}

/* Step over one value. */
static void
skip(struct scan *s)
{
	long depth = 0;

	if (s->p >= s->end)
		return;
	if (*s->p == '"') {
		string(s, NULL, 0);
		return;
	}
	if (*s->p != '{' && *s->p != '[') {
		while (s->p < s->end && !strchr(",}] \t\r\n", *s->p))
			adv(s);
		return;
	}
	while (s->p < s->end) {
		char c = *s->p;
		if (c == '"') {
			string(s, NULL, 0);
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		adv(s);
		if (depth == 0)
			break;
	}
}

/* Step over a value and the ',' after it: 0 when another member or element
 * follows, -1 at the end of its object or array. */
static int
next(struct scan *s)
{
	skip(s);
	ws(s);
	if (s->p < s->end && *s->p == ',') {
		adv(s);
		return 0;
	}
	return -1;
}

void
jsonpos_locate(const char *text, size_t len, const struct jsonpos_step *path,
	       size_t n, int at_key, long *line, long *col)
{
	struct scan s = {text, text + len, 1, 1};
	size_t i;

	ws(&s);
	*line = s.line;
	*col = s.col;
	for (i = 0; i < n; i++) {
		if (path[i].key) {
			size_t kn = strlen(path[i].key);
			if (s.p >= s.end || *s.p != '{')
				return;
			adv(&s);
			for (;;) {
				long kl, kc;
				int eq;
				ws(&s);
				if (s.p >= s.end || *s.p != '"')
					return;
				kl = s.line;
				kc = s.col;
				eq = string(&s, path[i].key, kn);
				ws(&s);
				if (s.p < s.end && *s.p == ':')
					adv(&s);
				ws(&s);
				if (eq) {
					if (i == n - 1 && at_key) {
						*line = kl;
						*col = kc;
						return;
					}
					break;
				}
				if (next(&s))
					return;
			}
		} else {
			size_t k;
			if (s.p >= s.end || *s.p != '[')
				return;
			adv(&s);
			for (k = 0;; k++) {
				ws(&s);
				if (s.p >= s.end || *s.p == ']')
					return;
				if (k == path[i].idx)
					break;
				if (next(&s))
					return;
			}
		}
		*line = s.line;
		*col = s.col;
	}
}
