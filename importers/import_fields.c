/*
 * import_fields: the field parsers of an activity row: dates, numbers,
 * vocabulary values, free tokens, text and meter or vehicle ids, each
 * reporting a located row error in the words of SPEC §4.
 */
#include "importers/import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"

void
imp_rowerr(struct imp *im, const struct fv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record an error of the current row at field value v. */
void
imp_rowerr(struct imp *im, const struct fv *v, const char *fmt, ...)
{
	char msg[ERR_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
		memcpy(msg + sizeof msg - 4, "...", 4); /* a cut shows */
	va_end(ap);
	errlist_addf(im->errs, ERR_DATA, im->file, v->line, v->col, "%s", msg);
	if (im->nreasons < ROW_ERRS)
		memcpy(im->reasons[im->nreasons++], msg, sizeof msg);
	im->row_bad = 1;
}

static pcre2_code *
re(const char *pat, struct err *e)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_CASELESS, &ec, &off, NULL);

	if (!c)
		err_setf(e, ERR_IO, "internal error: pattern %s does not compile", pat);
	return c;
}

#define TIME_RE "(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?"

int
imp_compile(struct imp *im, struct err *e)
{
	if (!(im->re_dmy = re("^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4}|\\d{2})" TIME_RE "$", e)) ||
	    !(im->re_iso = re("^(\\d{4})-(\\d{1,2})-(\\d{1,2})" TIME_RE "$", e)) ||
	    !(im->re_slash = re("^(\\d{1,2})/(\\d{1,2})/(\\d{4})" TIME_RE "$", e)) ||
	    !(im->re_nan = re("^[+-]?(?:nan|inf|infinity)$", e)) ||
	    !(im->re_num_en = re("^[+-]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?$", e)) ||
	    !(im->re_num_de = re("^[+-]?(?:\\d{1,3}(?:\\.\\d{3})+|\\d+)(?:,\\d+)?$", e)) ||
	    !(im->re_exp = re("^[+-]?\\d*[.,]?\\d+e[+-]?\\d+$", e)) ||
	    !(im->re_cpv = re("^(?:cpv[\\s:-]*)?(\\d{8})(?:\\s*-\\s*(\\d))?$", e)) ||
	    !(im->re_plate = re("^([A-ZÄÖÜ]{1,3})[\\s-]+([A-Z]{1,2})[\\s-]*(\\d{1,4})\\s*([EH]?)$", e)))
		return -1;
	if (!(im->md = pcre2_match_data_create(8, NULL)))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

void
imp_regex_free(struct imp *im)
{
	pcre2_code_free(im->re_dmy);
	pcre2_code_free(im->re_iso);
	pcre2_code_free(im->re_slash);
	pcre2_code_free(im->re_nan);
	pcre2_code_free(im->re_num_en);
	pcre2_code_free(im->re_num_de);
	pcre2_code_free(im->re_exp);
	pcre2_code_free(im->re_cpv);
	pcre2_code_free(im->re_plate);
	pcre2_match_data_free(im->md);
}

int
imp_match(struct imp *im, pcre2_code *c, const char *s, size_t n)
{
	return pcre2_match(c, (PCRE2_SPTR)s, n, 0, 0, im->md, NULL) > 0;
}

/* Captured group g of the last match as an int (-1 when unset). */
static int
group_int(struct imp *im, const char *s, int g)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
	int v = 0;
	size_t i;

	if (ov[2 * g] == PCRE2_UNSET)
		return -1;
	for (i = ov[2 * g]; i < ov[2 * g + 1]; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* ---- dates -------------------------------------------------------------- */

enum { DATE_OK = 0, DATE_SHAPE = -1, DATE_MONTH = -2, DATE_DAY = -3 };

static int
d2(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

static int
ymd_check(int y, int m, int d, int32_t *out, int *oy, int *om)
{
	*oy = y;
	*om = m;
	if (m < 1 || m > 12)
		return DATE_MONTH;
	if (!date_valid(y, m, d))
		return DATE_DAY;
	*out = date_from_ymd(y, m, d);
	return DATE_OK;
}

/* Parse a date; *y and *m are set when the shape was right (for messages). */
static int
parse_date(struct imp *im, const char *s, size_t n, int32_t *out, int *y, int *m)
{
	int a, b, c, dd;

	if (n == 10 && s[2] == '.' && s[5] == '.' && !d2(s, &a) && !d2(s + 3, &b) &&
	    !d2(s + 6, &c) && !d2(s + 8, &dd))
		return ymd_check(c * 100 + dd, b, a, out, y, m);
	if (n == 10 && s[4] == '-' && s[7] == '-' && !d2(s, &a) && !d2(s + 2, &b) &&
	    !d2(s + 5, &c) && !d2(s + 8, &dd))
		return ymd_check(a * 100 + b, c, dd, out, y, m);
	if (n > 40)
		return DATE_SHAPE;
	if (imp_match(im, im->re_dmy, s, n)) {
		int yy = group_int(im, s, 3);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
		if (ov[7] - ov[6] == 2) {
			if (im->datefmt != PROFILE_DATE_DMY2)
				return DATE_SHAPE;
			yy += yy < 70 ? 2000 : 1900;
		}
		return ymd_check(yy, group_int(im, s, 2), group_int(im, s, 1), out, y, m);
	}
	if (imp_match(im, im->re_iso, s, n))
		return ymd_check(group_int(im, s, 1), group_int(im, s, 2),
				 group_int(im, s, 3), out, y, m);
	if ((im->datefmt == PROFILE_DATE_DMY_SLASH || im->datefmt == PROFILE_DATE_MDY_SLASH) &&
	    imp_match(im, im->re_slash, s, n)) {
		int p = group_int(im, s, 1), q = group_int(im, s, 2);
		if (im->datefmt == PROFILE_DATE_MDY_SLASH)
			return ymd_check(group_int(im, s, 3), p, q, out, y, m);
		return ymd_check(group_int(im, s, 3), q, p, out, y, m);
	}
	return DATE_SHAPE;
}

static const char *const MONTH[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* Validate a date field; 0 and *out, or -1 after reporting. */
int
imp_date_field(struct imp *im, enum profile_field f, const struct fv *v, int32_t *out)
{
	int y = 0, m = 0, r = parse_date(im, v->s, v->n, out, &y, &m);
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (r == DATE_OK) {
		if (y < 1900 || y > 2199) {
			imp_rowerr(im, v, "%s '%.*s' is out of range (expected a year "
			       "from 1900 to 2199)", profile_field_name(f), (int)v->n, v->s);
			return -1;
		}
		return 0;
	}
	if (r == DATE_MONTH)
		imp_rowerr(im, v, "%s '%.*s' is not a real date (there is no month %d)",
		       profile_field_name(f), (int)v->n, v->s, m);
	else if (r == DATE_DAY)
		imp_rowerr(im, v, "%s '%.*s' is not a real date (%s %d has %d days)",
		       profile_field_name(f), (int)v->n, v->s, MONTH[m - 1], y,
		       mdays[m - 1] + (m == 2 && date_is_leap(y)));
	else
		imp_rowerr(im, v, "%s '%.*s' is not a date (expected %s)",
		       profile_field_name(f), (int)v->n, v->s, im->date_expect);
	return -1;
}

/* ---- numbers ------------------------------------------------------------ */

/* 1 when s is "[+-]D.DDD", "[+-]DD.DDD" or "[+-]DDD.DDD": a thousands
 * group or three decimals, depending on the decimal mark. */
static int
ambiguous_number(const char *s, size_t n)
{
	size_t i = 0, k;

	if (n && (s[0] == '+' || s[0] == '-'))
		i++;
	for (k = i; k < n && s[k] >= '0' && s[k] <= '9'; k++)
		;
	if (k == i || k - i > 3 || k + 4 != n || s[k] != '.')
		return 0;
	for (k++; k < n; k++)
		if (s[k] < '0' || s[k] > '9')
			return 0;
	return 1;
}

int
imp_number_field(struct imp *im, enum profile_field f, const struct fv *v, int scale,
	     int64_t *out)
{
	const char *name = profile_field_name(f);
	enum num_status st;
	const char *t;

	im->nums[f]++;
	if (ambiguous_number(v->s, v->n))
		im->ambig[f]++;
	/* "0.500" with '.' for thousands would be 500: a leading 0 group is
	 * never a thousands grouping */
	if (im->thou && (t = memchr(v->s, im->thou, v->n)) != NULL) {
		const char *d = v->s + (v->n && (v->s[0] == '+' || v->s[0] == '-'));
		if (d < t && d[0] == '0') {
			imp_rowerr(im, v, "%s '%.*s' starts with a 0 before the '%c', so the "
			       "'%c' cannot group thousands (this file uses a decimal "
			       "%s, like %s; if '%c' is the decimal mark here, say so "
			       "with --decimal %c or \"decimal\": \"%c\" in a profile)",
			       name, v->n > 64 ? 64 : (int)v->n, v->s, im->thou, im->thou,
			       im->dec == ',' ? "comma" : "point", im->num_example,
			       im->thou, im->thou, im->thou);
			return -1;
		}
	}
	st = num_parse(v->s, v->n, im->dec, im->thou, scale, out);

	if (st == NUM_OK) {
		if (*out < 0) {
			imp_rowerr(im, v, "%s '%.*s' is negative (expected 0 or more)", name,
			       (int)v->n, v->s);
			return -1;
		}
		return 0;
	}
	if (v->n > 64) {
		imp_rowerr(im, v, "%s is not a number (expected a decimal like %s)", name,
		       im->num_example);
		return -1;
	}
	if (st == NUM_RANGE)
		imp_rowerr(im, v, "%s '%.*s' is too large (expected at most %lld)", name,
		       (int)v->n, v->s, (long long)(INT64_MAX / num_pow10(scale)));
	else if (st == NUM_PRECISION)
		imp_rowerr(im, v, "%s '%.*s' has more than %d decimals", name, (int)v->n,
		       v->s, scale);
	else if (imp_match(im, im->re_nan, v->s, v->n))
		imp_rowerr(im, v, "%s '%.*s' is not a number (expected a finite decimal "
		       "like %s)", name, (int)v->n, v->s, im->num_example);
	else if (imp_match(im, im->re_exp, v->s, v->n))
		imp_rowerr(im, v, "%s '%.*s' uses an exponent (expected a plain decimal "
		       "like %s)", name, (int)v->n, v->s, im->num_example);
	else if (im->dec == ',' && imp_match(im, im->re_num_en, v->s, v->n))
		imp_rowerr(im, v, "%s '%.*s' has a decimal point, but this file uses a "
		       "decimal comma (expected a decimal like %s; set \"decimal\": "
		       "\".\" in a profile if the file uses points)", name, (int)v->n,
		       v->s, im->num_example);
	else if (im->dec == '.' && imp_match(im, im->re_num_de, v->s, v->n))
		imp_rowerr(im, v, "%s '%.*s' has a decimal comma, but this file uses a "
		       "decimal point (expected a decimal like %s; set \"decimal\": "
		       "\",\" in a profile if the file uses commas)", name, (int)v->n,
		       v->s, im->num_example);
	else
		imp_rowerr(im, v, "%s '%.*s' is not a number (expected a decimal like %s)",
		       name, (int)v->n, v->s, im->num_example);
	return -1;
}

/* ---- fields of a row ---------------------------------------------------- */

static const char *
trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/* The value of field f in the current row, with the profile's default when
 * it is empty or absent. */
void
imp_get(struct imp *im, enum profile_field f, struct fv *v)
{
	const struct csv_row *r = im->row;
	int c = im->col[f];
	const char *d;

	v->from_default = 0;
	if (c >= 0 && (size_t)c < r->n) {
		v->n = r->len[c];
		v->s = trim(r->field[c], &v->n);
		v->line = r->fline[c];
		v->col = r->fcol[c];
	} else {
		v->s = "";
		v->n = 0;
		v->line = r->line;
		v->col = c >= 0 && r->n ? r->fcol[r->n - 1] + (long)r->len[r->n - 1] + 1 : 1;
	}
	if (v->n == 0) {
		d = profile_default(im->prof, f);
		if (!d && f == PF_UNIT && im->hdr_unit)
			d = im->hdr_unit;
		if (d) {
			v->s = d;
			v->n = strlen(d);
			v->from_default = 1;
		}
	}
}

/* Map v through the profile with the field's cache. 1 with *out when known;
 * 0 when not (nothing reported). */
int
imp_mapped(struct imp *im, enum profile_field f, const struct fv *v, const char **out)
{
	struct vcache *c = &im->vc[f];
	unsigned i = imp_slot(v->s, v->n);

	if (c->w[i].valid && c->w[i].n == v->n && memcmp(c->w[i].raw, v->s, v->n) == 0) {
		*out = c->w[i].val;
		return *out != NULL;
	}
	if (!profile_map_value(im->prof, f, v->s, v->n, out))
		*out = NULL;
	if (v->n < CACHE_RAW) {
		memcpy(c->w[i].raw, v->s, v->n);
		c->w[i].n = v->n;
		c->w[i].val = *out;
		c->w[i].valid = 1;
	}
	return *out != NULL;
}

int
imp_required(struct imp *im, enum profile_field f, const struct fv *v)
{
	if (v->n)
		return 0;
	imp_rowerr(im, v, "empty %s (every %s row needs one)", profile_field_name(f),
	       import_kind_name(im->kind));
	return -1;
}

/* A closed-vocabulary field (carrier, fuel, quality, currency). */
const char *
imp_vocab_field(struct imp *im, enum profile_field f, const struct fv *v)
{
	const char *out;
	char names[300], sugg[160];
	const char *const *voc = profile_vocab(f);
	size_t w = 0;
	int i;

	if (imp_mapped(im, f, v, &out) && *out)
		return out;
	names[0] = '\0';
	for (i = 0; voc[i] && w < sizeof names; i++)
		w += (size_t)snprintf(names + w, sizeof names - w, "%s%s",
				      i == 0 ? "" : voc[i + 1] ? ", " : " or ", voc[i]);
	profile_suggest(im->prof, f, v->s, v->n, sugg, sizeof sugg);
	if (sugg[0])
		imp_rowerr(im, v, "unknown %s '%.*s' (did you mean %s? expected %s)",
		       profile_field_name(f), (int)v->n, v->s, sugg, names);
	else
		imp_rowerr(im, v, "unknown %s '%.*s' (expected %s)", profile_field_name(f),
		       (int)v->n, v->s, names);
	return NULL;
}

/* A free token (tariff, vehicle_class): the profile's mapping, else the
 * value lower-cased when it is a name. *out may be "" (none). */
int
imp_token_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
	    size_t bufn, const char **out)
{
	size_t i;

	if (imp_mapped(im, f, v, out))
		return 0;
	if (v->n == 0 || v->n >= bufn || v->n > 32)
		goto bad;
	for (i = 0; i < v->n; i++) {
		char c = v->s[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			goto bad;
		buf[i] = c;
	}
	buf[i] = '\0';
	*out = buf;
	return 0;
bad:
	imp_rowerr(im, v, "%s '%.*s' is not a name (expected letters, digits and '_', "
	       "e.g. %s, or map it in a profile)", profile_field_name(f),
	       v->n > 64 ? 64 : (int)v->n, v->s, f == PF_TARIFF ? "green" : "car_medium");
	return -1;
}

int
imp_text_field(struct imp *im, enum profile_field f, const struct fv *v, size_t max)
{
	if (v->n <= max)
		return 0;
	imp_rowerr(im, v, "%s is longer than %zu bytes", profile_field_name(f), max);
	return -1;
}

/* The first control (C0 but tab, DEL, C1) or bidirectional embedding,
 * override or isolate character (U+202A..U+202E, U+2066..U+2069) of the
 * UTF-8 text s[0..n): its code point, and in *at its 1-based character
 * position; 0 when there is none. */
static unsigned
hostile_char(const char *s, size_t n, size_t *at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, ch = 0;

	for (i = 0; i < n; i++) {
		unsigned c = u[i];
		if ((c & 0xC0) != 0x80)
			ch++;
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			*at = ch;
			return c;
		}
		if (c == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			*at = ch;
			return u[i + 1];
		}
		if (c == 0xE2 && i + 2 < n &&
		    ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE) ||
		     (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9))) {
			*at = ch;
			return 0x2000u | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
		}
	}
	return 0;
}

/* Refuse a label with a hostile character (they can hide or reorder what a
 * listing shows); -1 after reporting. */
int
imp_plain_field(struct imp *im, enum profile_field f, const struct fv *v)
{
	size_t at = 0;
	unsigned c = hostile_char(v->s, v->n, &at);

	if (!c)
		return 0;
	imp_rowerr(im, v, "%s has %s U+%04X at character %zu (control and "
	       "bidirectional-override characters are not allowed here: remove it "
	       "from the export)", profile_field_name(f),
	       c >= 0x2000 ? "the bidirectional formatting character"
			   : "the control character", c, at);
	return -1;
}

/* Normalise a meter or vehicle id into buf, in ASCII upper case: a meter
 * id loses its blanks ("1 ISK 0012 3456 78" is "1ISK0012345678"); a
 * vehicle's blanks are collapsed, and a German plate written with odd
 * spacing becomes "B-MI 1234". */
int
imp_ident_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
	    size_t *len)
{
	size_t i, w = 0;
	int sp = 0;

	if (v->n > IDENT_MAX) {
		imp_rowerr(im, v, "%s is longer than %d characters", profile_field_name(f),
		       IDENT_MAX);
		return -1;
	}
	if (imp_plain_field(im, f, v))
		return -1;
	for (i = 0; i < v->n; i++) {
		char c = v->s[i];
		if (c == ' ' || c == '\t') {
			sp = f == PF_VEHICLE; /* meter ids lose their blanks */
			continue;
		}
		if (sp && w)
			buf[w++] = ' ';
		sp = 0;
		buf[w++] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	buf[w] = '\0';
	if (f == PF_VEHICLE) {
		/* fast check of the usual form "B-MI 1234" before any pattern */
		char *dash = memchr(buf, '-', w), *blank = memchr(buf, ' ', w);
		if (!(dash && blank && dash < blank && !memchr(blank + 1, ' ', w - (size_t)(blank + 1 - buf))) &&
		    imp_match(im, im->re_plate, buf, w)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
			char tmp[IDENT_MAX + 8];
			int k = snprintf(tmp, sizeof tmp, "%.*s-%.*s %.*s%.*s",
					 (int)(ov[3] - ov[2]), buf + ov[2],
					 (int)(ov[5] - ov[4]), buf + ov[4],
					 (int)(ov[7] - ov[6]), buf + ov[6],
					 (int)(ov[9] - ov[8]), buf + ov[8]);
			if (k > 0 && (size_t)k <= IDENT_MAX) {
				memcpy(buf, tmp, (size_t)k + 1);
				w = (size_t)k;
			}
		}
	}
	*len = w;
	return 0;
}
