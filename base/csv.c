/*
 * csv: streaming RFC 4180 reader (see csv.h).
 *
 * Each record is found in two steps. The scan step walks the raw bytes with a
 * small quote-aware state machine until the line break that ends the record
 * (carrying its state across buffer refills, so no byte is scanned twice);
 * the parse step then converts the record's encoding if needed and splits it
 * in place into NUL-terminated fields, recording positions. The buffer holds
 * at most one record plus one read chunk.
 */
#include "base/csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (256u * 1024u)

enum scan_state { S_START, S_PLAIN, S_QUOTED, S_QUOTE };

struct csv {
	char *name;               /* for messages and the batch, whole */
	FILE *fp;                 /* NULL when reading memory */
	int own_fp;
	const unsigned char *mem; /* memory input */
	size_t mem_len, mem_pos;

	unsigned char *buf;       /* raw bytes [start, end) unparsed */
	size_t cap, start, end;
	int eof;
	int first;                /* before the first record */

	/* scan state, kept across refills */
	size_t scan_pos;
	enum scan_state st;
	long scan_nl;             /* line breaks inside quotes so far */
	size_t quote_at;          /* offset of the opening quote of S_QUOTED */
	long quote_nl;            /* scan_nl when that quote opened */
	int cnt[3];               /* delimiter votes on the first record */

	char delim;
	enum csv_encoding enc;
	int undecided;            /* guessed UTF-8 from pure ASCII: may still be Windows-1252 */
	int detected;             /* the encoding was detected, not given */
	long enc_line;            /* line whose bytes decided it (0: a BOM or none) */
	unsigned enc_byte;        /* the byte that made it Windows-1252 */
	size_t max_record, max_fields;
	long line;                /* line of the next record */

	unsigned char *conv;      /* Windows-1252 -> UTF-8 output */
	char **field;
	size_t *len;
	long *fline, *fcol;

	struct sha256 sha;
	char hex[SHA256_HEX_LEN + 1];
};

/* Windows-1252 0x80..0x9F to Unicode; 0 where undefined. */
static const unsigned short CP1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int
setup(struct csv *r, const char *name, const struct csv_opts *o, struct err *e)
{
	r->name = strdup(name);
	r->delim = o ? o->delim : 0;
	r->enc = o ? o->encoding : CSV_ENC_AUTO;
	r->max_record = o && o->max_record ? o->max_record : CSV_MAX_RECORD;
	r->max_fields = o && o->max_fields ? o->max_fields : CSV_MAX_FIELDS;
	r->cap = r->max_record + CHUNK;
	r->buf = malloc(r->cap + 1);
	r->conv = malloc(3 * r->max_record + 1);
	r->field = malloc(r->max_fields * sizeof *r->field);
	r->len = malloc(r->max_fields * sizeof *r->len);
	r->fline = malloc(r->max_fields * sizeof *r->fline);
	r->fcol = malloc(r->max_fields * sizeof *r->fcol);
	if (!r->name || !r->buf || !r->conv || !r->field || !r->len || !r->fline || !r->fcol)
		return err_setf(e, ERR_IO, "out of memory");
	r->first = 1;
	r->line = 1;
	sha256_init(&r->sha);
	return 0;
}

int
csv_open(struct csv **out, const char *path, const struct csv_opts *o,
	 struct err *e)
{
	struct csv *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return err_setf(e, ERR_IO, "out of memory");
	if (strcmp(path, "-") == 0) {
		r->fp = stdin;
	} else if (!(r->fp = fopen(path, "rb"))) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		free(r);
		return -1;
	} else {
		r->own_fp = 1;
	}
	if (setup(r, path, o, e)) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
csv_open_mem(struct csv **out, const void *data, size_t n, const char *name,
	     const struct csv_opts *o, struct err *e)
{
	struct csv *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return err_setf(e, ERR_IO, "out of memory");
	r->mem = data;
	r->mem_len = n;
	if (setup(r, name, o, e)) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
csv_close(struct csv *r)
{
	if (!r)
		return;
	if (r->own_fp)
		fclose(r->fp);
	free(r->buf);
	free(r->conv);
	free(r->field);
	free(r->len);
	free(r->fline);
	free(r->fcol);
	free(r->name);
	free(r);
}

char
csv_delim(const struct csv *r)
{
	return r->delim ? r->delim : ',';
}

enum csv_encoding
csv_encoding(const struct csv *r)
{
	return r->enc;
}

const char *
csv_name(const struct csv *r)
{
	return r->name;
}

const char *
csv_sha256(struct csv *r)
{
	return r->hex;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Length of the valid UTF-8 prefix of p[0..n); *bad set when an invalid
 * sequence (not merely a truncated one at the end) was found, *ascii when
 * the prefix is plain ASCII (then columns are bytes). Runs of plain ASCII
 * are checked eight bytes at a time (no byte with the high bit set, none
 * zero). */
static size_t
utf8_valid_prefix(const unsigned char *p, size_t n, int *bad, int *ascii)
{
	size_t i = 0;

	*bad = 0;
	*ascii = 1;
	while (i < n) {
		unsigned c;
		size_t k, need;
		unsigned cp;
		uint64_t v;

		if (i + 8 <= n) {
			memcpy(&v, p + i, 8);
			if (!((v | ((v - ONES) & ~v)) & HIGHS)) {
				i += 8;
				continue;
			}
		}
		c = p[i];
		if (c < 0x80 && c != 0) {
			i++;
			continue;
		}
		*ascii = 0;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			*bad = 1;
			return i;
		}
		if (i + need >= n) {
			/* truncated at the end of the data */
			for (k = 1; i + k < n; k++)
				if ((p[i + k] & 0xC0) != 0x80) {
					*bad = 1;
					return i;
				}
			return i;
		}
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80) {
				*bad = 1;
				return i;
			}
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
			*bad = 1;
			return i;
		}
		i += need + 1;
	}
	return i;
}

static int
refill(struct csv *r, struct err *e)
{
	size_t room, got;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan_pos -= r->start;
		if (r->st == S_QUOTED || r->st == S_QUOTE)
			r->quote_at -= r->start;
		r->start = 0;
	}
	room = r->cap - r->end;
	if (room > CHUNK)
		room = CHUNK;
	if (r->fp) {
		got = fread(r->buf + r->end, 1, room, r->fp);
		if (got < room && ferror(r->fp))
			return err_set(e, ERR_IO, r->name, 0, 0, "read error: %s",
				       strerror(errno));
	} else {
		got = r->mem_len - r->mem_pos < room ? r->mem_len - r->mem_pos : room;
		memcpy(r->buf + r->end, r->mem + r->mem_pos, got);
		r->mem_pos += got;
	}
	if (got == 0)
		r->eof = 1;
	sha256_update(&r->sha, r->buf + r->end, got);
	r->end += got;
	return 0;
}

static int
is_sep(const struct csv *r, unsigned char c)
{
	if (r->delim)
		return c == (unsigned char)r->delim;
	return c == ',' || c == ';' || c == '\t';
}

/* Advance the scan to the end of the current record. Returns 1 with *rec_end
 * (offset of the terminating '\n', or end of data at EOF) when found, 0 when
 * more data is needed. */
static int
scan(struct csv *r, size_t *rec_end)
{
	size_t i = r->scan_pos;
	const unsigned char *b = r->buf;

	/* fast path, once the delimiter is known: a record without any
	 * quote ends at the next line break */
	if (r->delim && (r->st == S_START || r->st == S_PLAIN) && i < r->end) {
		const unsigned char *nl = memchr(b + i, '\n', r->end - i);
		if (nl && !memchr(b + i, '"', (size_t)(nl - (b + i)))) {
			r->scan_pos = (size_t)(nl - b);
			*rec_end = r->scan_pos;
			return 1;
		}
	}
	while (i < r->end) {
		unsigned char c = b[i];
		switch (r->st) {
		case S_START:
		case S_PLAIN:
			if (r->st == S_PLAIN && r->delim) {
				/* fast path: skip ordinary bytes */
				while (i < r->end && b[i] != '\n' &&
				       b[i] != (unsigned char)r->delim)
					i++;
				if (i == r->end)
					break;
				c = b[i];
			}
			if (c == '\n') {
				r->scan_pos = i;
				*rec_end = i;
				return 1;
			}
			if (is_sep(r, c)) {
				if (r->first && !r->delim)
					r->cnt[c == ',' ? 0 : c == ';' ? 1 : 2]++;
				r->st = S_START;
			} else if (c == '"' && r->st == S_START) {
				r->st = S_QUOTED;
				r->quote_at = i;
				r->quote_nl = r->scan_nl;
			} else {
				r->st = S_PLAIN;
			}
			i++;
			break;
		case S_QUOTED: {
			const unsigned char *q = memchr(b + i, '"', r->end - i);
			size_t stop = q ? (size_t)(q - b) : r->end;
			for (; i < stop; i++)
				if (b[i] == '\n')
					r->scan_nl++;
			if (q) {
				r->st = S_QUOTE;
				i++;
			}
			break;
		}
		case S_QUOTE:
			if (c == '"') {
				r->st = S_QUOTED;
				i++;
			} else {
				r->st = S_PLAIN; /* parse step judges what follows */
				if (c == '\n' || is_sep(r, c))
					r->st = S_START;
				if (c == '\n') {
					r->scan_pos = i;
					*rec_end = i;
					return 1;
				}
				if (is_sep(r, c) && r->first && !r->delim)
					r->cnt[c == ',' ? 0 : c == ';' ? 1 : 2]++;
				i++;
			}
			break;
		}
	}
	r->scan_pos = i;
	return 0;
}

/* Characters in p[0..n): bytes that are not UTF-8 continuation bytes
 * (10xxxxxx), counted eight at a time. */
static long
utf8_cols(const unsigned char *p, size_t n)
{
	long c = (long)n;
	size_t i = 0;
	uint64_t v;

	for (; i + 8 <= n; i += 8) {
		memcpy(&v, p + i, 8);
		/* high bit set and next bit clear */
		v = v & ~(v << 1) & HIGHS;
		if (v)
			c -= __builtin_popcountll(v);
	}
	for (; i < n; i++)
		c -= (p[i] & 0xC0) == 0x80;
	return c;
}

/* Convert Windows-1252 p[0..n) into r->conv; returns the new length. */
static size_t
from_cp1252(struct csv *r, const unsigned char *p, size_t n)
{
	unsigned char *w = r->conv;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned c = p[i], u = c;
		if (c >= 0x80 && c < 0xA0)
			u = CP1252[c - 0x80] ? CP1252[c - 0x80] : 0xFFFD;
		if (u < 0x80) {
			*w++ = (unsigned char)u;
		} else if (u < 0x800) {
			*w++ = (unsigned char)(0xC0 | u >> 6);
			*w++ = (unsigned char)(0x80 | (u & 0x3F));
		} else {
			*w++ = (unsigned char)(0xE0 | u >> 12);
			*w++ = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
			*w++ = (unsigned char)(0x80 | (u & 0x3F));
		}
	}
	return (size_t)(w - r->conv);
}

/* Split p[0..n) in place into fields. */
static enum csv_result
parse(struct csv *r, unsigned char *p, size_t n, int ascii, long line,
      struct csv_row *row, struct err *e)
{
	unsigned char *s = p, *end = p + n, *w = p;
	unsigned char d = (unsigned char)csv_delim(r);
	long col = 1, line0 = line;
	size_t nf = 0;

	for (;;) {
		if (nf == r->max_fields)
			return err_set(e, ERR_DATA, r->name, line, col,
				       "more than %zu fields in one record (is this "
				       "the right file and delimiter?)", r->max_fields);
		r->field[nf] = (char *)w;
		r->fline[nf] = line;
		r->fcol[nf] = col;
		if (s < end && *s == '"') {
			s++;
			col++;
			for (;;) {
				if (s == end)
					return err_set(e, ERR_DATA, r->name,
						       r->fline[nf], r->fcol[nf],
						       "unterminated quoted field");
				if (*s == '"') {
					if (s + 1 < end && s[1] == '"') {
						*w++ = '"';
						s += 2;
						col += 2;
						continue;
					}
					s++;
					col++;
					break;
				}
				if (*s == '\n') {
					line++;
					col = 1;
				} else if ((*s & 0xC0) != 0x80) {
					col++;
				}
				*w++ = *s++;
			}
			if (s < end && *s != d) {
				/* finish the record's bookkeeping before failing */
				return err_set(e, ERR_DATA, r->name, line, col,
					       "unexpected character after a closing "
					       "quote (expected '%c' or end of line; "
					       "double a quote inside a quoted field)",
					       d == '\t' ? 't' : d);
			}
		} else {
			unsigned char *q = memchr(s, d, (size_t)(end - s));
			if (!q)
				q = end;
			col += ascii ? (long)(q - s) : utf8_cols(s, (size_t)(q - s));
			if (w != s)
				memmove(w, s, (size_t)(q - s));
			w += q - s;
			s = q;
		}
		r->len[nf] = (size_t)(w - (unsigned char *)r->field[nf]);
		*w++ = '\0';
		nf++;
		if (s == end)
			break;
		s++; /* the delimiter */
		col++;
	}
	row->line = line0;
	row->n = nf;
	row->field = r->field;
	row->len = r->len;
	row->fline = r->fline;
	row->fcol = r->fcol;
	return CSV_ROW;
}

static void
choose_delim(struct csv *r)
{
	if (r->delim)
		return;
	r->delim = ',';
	if (r->cnt[1] > r->cnt[0] && r->cnt[1] >= r->cnt[2])
		r->delim = ';';
	else if (r->cnt[2] > r->cnt[0] && r->cnt[2] > r->cnt[1])
		r->delim = '\t';
}

/* Length (2 to 4) of a valid UTF-8 multi-byte sequence at p[0..n), else 0. */
static size_t
utf8_seq(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t need, k;
	unsigned c = p[0], v;

	if (c >= 0xC2 && c <= 0xDF)
		need = 1, v = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2, v = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3, v = c & 0x07;
	else
		return 0;
	if (need >= n)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3F);
	}
	if ((need == 2 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (need == 3 && (v < 0x10000 || v > 0x10FFFF)))
		return 0;
	*cp = v;
	return need + 1;
}

/* A record of a file detected as Windows-1252 that holds valid UTF-8
 * (`Straße` written as UTF-8 would become `StraÃŸe`): the file mixes
 * encodings. Returns -1 with *e at the first such character. */
static int
mixed_utf8(struct csv *r, const unsigned char *p, size_t n, long line, struct err *e)
{
	size_t i, ls = 0;
	unsigned cp;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			line++;
			ls = i + 1;
		}
		if (p[i] >= 0xC2 && utf8_seq(p + i, n - i, &cp))
			return err_set(e, ERR_DATA, r->name, line, (long)(i - ls) + 1,
				       "UTF-8 character U+%04X (bytes 0x%02X 0x%02X...) in a "
				       "file read as Windows-1252 (detected from the byte "
				       "0x%02X on line %ld): the file mixes encodings and "
				       "would be garbled (save it as UTF-8 throughout, or "
				       "as Windows-1252 throughout)", cp, p[i], p[i + 1],
				       r->enc_byte, r->enc_line);
	}
	return 0;
}

static int
start_encoding(struct csv *r)
{
	const unsigned char *b = r->buf + r->start;
	size_t n = r->end - r->start;
	int bad, ascii;

	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		r->start += 3;
		r->scan_pos = r->start;
		if (r->enc == CSV_ENC_AUTO)
			r->enc = CSV_ENC_UTF8;
		return 0;
	}
	if (r->enc == CSV_ENC_AUTO) {
		size_t ok = utf8_valid_prefix(b, n, &bad, &ascii), i, k;
		r->detected = 1;
		/* valid UTF-8 before the first invalid byte: the file starts as
		 * UTF-8, and that byte is where it breaks */
		for (k = 0; bad && k < ok && b[k] < 0x80; k++)
			;
		if (bad && k < ok) {
			bad = 0;
			ascii = 0;
		}
		r->enc = bad ? CSV_ENC_CP1252 : CSV_ENC_UTF8;
		/* nothing but ASCII so far: the first byte above 0x7F decides */
		r->undecided = !bad && ascii;
		if (bad) {
			r->enc_byte = b[ok];
		} else if (!ascii) {
			for (ok = 0; ok < n && b[ok] < 0x80; ok++)
				;
		}
		if (bad || !ascii)
			for (r->enc_line = 1, i = 0; i < ok; i++)
				r->enc_line += b[i] == '\n';
	}
	return 0;
}

enum csv_result
csv_next(struct csv *r, struct csv_row *row, struct err *e)
{
	size_t rec_end, rs, re;
	unsigned char *p;
	long line, nl;
	int found;

	if (r->first && r->end == 0 && !r->eof) {
		while (!r->eof && r->end < 4)
			if (refill(r, e))
				return CSV_FATAL;
		start_encoding(r);
	}
	for (;;) {
		found = scan(r, &rec_end);
		if (!found) {
			if (r->eof) {
				if (r->st == S_QUOTED) {
					long qline = r->line + r->quote_nl;
					const unsigned char *ls = r->buf + r->quote_at;
					while (ls > r->buf + r->start && ls[-1] != '\n')
						ls--;
					err_set(e, ERR_DATA, r->name, qline,
						utf8_cols(ls, (size_t)(r->buf + r->quote_at - ls)) + 1,
						"quoted field is never closed (a '\"' opens it "
						"here; add the closing quote)");
					r->start = r->end;
					return CSV_FATAL;
				}
				if (r->start == r->end) {
					sha256_final_hex(&r->sha, r->hex);
					return CSV_END;
				}
				rec_end = r->end;
			} else if (r->end - r->start > r->max_record) {
				if (r->st == S_QUOTED)
					return err_set(e, ERR_DATA, r->name,
						       r->line + r->quote_nl, 0,
						       "quoted field is never closed (more "
						       "than %zu bytes without the closing "
						       "quote)", r->max_record) ,
					       CSV_FATAL;
				return err_set(e, ERR_DATA, r->name, r->line, 0,
					       "line longer than %zu bytes (is this a "
					       "CSV file?)", r->max_record),
				       CSV_FATAL;
			} else {
				if (refill(r, e))
					return CSV_FATAL;
				continue;
			}
		}
		/* the record is buf[start, rec_end) */
		rs = r->start;
		re = rec_end;
		nl = r->scan_nl;
		line = r->line;
		r->start = rec_end < r->end ? rec_end + 1 : rec_end;
		r->scan_pos = r->start;
		r->st = S_START;
		r->scan_nl = 0;
		r->line += 1 + nl;
		if (re - rs > r->max_record)
			return err_set(e, ERR_DATA, r->name, line, 0,
				       "record longer than %zu bytes", r->max_record),
			       CSV_FATAL;
		if (re > rs && r->buf[re - 1] == '\r')
			re--;
		if (re == rs)
			continue; /* empty line */
		if (r->first) {
			choose_delim(r);
			r->first = 0;
		}
		p = r->buf + rs;
		if (r->undecided && r->enc == CSV_ENC_UTF8) {
			int bad, ascii;
			size_t ok = utf8_valid_prefix(p, re - rs, &bad, &ascii);
			if (!ascii) {
				/* the first non-ASCII record: valid UTF-8 settles it,
				 * anything else makes this a Windows-1252 file */
				size_t i, at = ok;
				r->undecided = 0;
				if ((bad || ok != re - rs) && p[ok] != 0) {
					r->enc = CSV_ENC_CP1252;
					r->enc_byte = p[ok];
				} else {
					for (at = 0; at < re - rs && p[at] < 0x80; at++)
						;
				}
				for (r->enc_line = line, i = 0; i < at; i++)
					r->enc_line += p[i] == '\n';
			}
		}
		if (r->enc == CSV_ENC_CP1252) {
			size_t n;
			const unsigned char *z = memchr(p, 0, re - rs);
			if (z) {
				err_set(e, ERR_DATA, r->name, line, 0,
					"NUL byte in the text (is this a binary or "
					"UTF-16 file? save it as UTF-8 CSV)");
				return CSV_BAD;
			}
			if (r->detected && mixed_utf8(r, p, re - rs, line, e))
				return CSV_FATAL;
			n = from_cp1252(r, p, re - rs);
			return parse(r, r->conv, n, 0, line, row, e) == CSV_ROW ? CSV_ROW
									     : CSV_BAD;
		} else {
			int bad, ascii;
			size_t ok = utf8_valid_prefix(p, re - rs, &bad, &ascii);
			if (bad || ok != re - rs) {
				const unsigned char *ls = p + ok;
				long l = line, c;
				while (ls > p && ls[-1] != '\n')
					ls--;
				for (const unsigned char *q = p; q < p + ok; q++)
					l += *q == '\n';
				c = utf8_cols(ls, (size_t)(p + ok - ls)) + 1;
				if (p[ok] == 0)
					err_set(e, ERR_DATA, r->name, l, c,
						"NUL byte in the text (is this a binary "
						"or UTF-16 file? save it as UTF-8 CSV)");
				else if (r->detected && r->enc_line)
					err_set(e, ERR_DATA, r->name, l, c,
						"invalid UTF-8 byte 0x%02X in a file read as "
						"UTF-8 (detected from line %ld): the file mixes "
						"encodings (save it as UTF-8 throughout)",
						p[ok], r->enc_line);
				else
					err_set(e, ERR_DATA, r->name, l, c,
						"invalid UTF-8 byte 0x%02X (save the file "
						"as UTF-8, or set \"encoding\": "
						"\"windows-1252\" in the profile)", p[ok]);
				return CSV_BAD;
			}
			return parse(r, p, re - rs, ascii, line, row, e) == CSV_ROW ? CSV_ROW
									     : CSV_BAD;
		}
	}
}

/* Fold one UTF-8 character at s (length left n) to lower case for ASCII and
 * German umlauts; returns bytes consumed and the folded code in *out. */
static size_t
fold(const unsigned char *s, size_t n, unsigned *out)
{
	if (s[0] < 0x80) {
		unsigned c = s[0];
		*out = (c >= 'A' && c <= 'Z') ? c + 32 : c;
		return 1;
	}
	if (n >= 2 && s[0] == 0xC3) {
		unsigned c = 0xC0 | (s[1] & 0x3F);
		if (c == 0xC4 || c == 0xD6 || c == 0xDC) /* Ä Ö Ü */
			c += 0x20;
		*out = c;
		return 2;
	}
	*out = 0x100u + s[0];
	return 1;
}

int
csv_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	const unsigned char *pe = p + alen, *qe = q + blen;

	while (p < pe && (*p == ' ' || *p == '\t'))
		p++;
	while (pe > p && (pe[-1] == ' ' || pe[-1] == '\t'))
		pe--;
	while (q < qe && (*q == ' ' || *q == '\t'))
		q++;
	while (qe > q && (qe[-1] == ' ' || qe[-1] == '\t'))
		qe--;
	while (p < pe && q < qe) {
		unsigned x, y;
		p += fold(p, (size_t)(pe - p), &x);
		q += fold(q, (size_t)(qe - q), &y);
		if (x != y)
			return 0;
	}
	return p == pe && q == qe;
}

size_t
csv_find(const struct csv_row *header, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < header->n; i++)
		if (csv_name_eq(header->field[i], header->len[i], name, n))
			return i + 1;
	return 0;
}
