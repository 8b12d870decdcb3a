/*
 * import: the activity importers and batch bookkeeping (see import.h).
 *
 * The hot path runs once per row and does no allocation and no regular
 * expression: fields are located by a column table built from the header,
 * numbers go through num_parse, dates through a fixed-position parser, and
 * values (carriers, units, org codes, ...) through a one-entry cache per field
 * in front of the profile's hash maps, since exports repeat the same values
 * row after row. PCRE2 only runs when a fast path fails: to accept the rarer
 * spellings (dates with a time, "D.M.YYYY", "CPV 72000000-5", plates written
 * with odd spacing) and to say precisely what is wrong.
 *
 * Inserts use one prepared statement with typed binds inside one
 * transaction per batch. Activity keys are interned once per file in a
 * strmap. The double-counting guard keeps, per meter or vehicle and activity
 * key, the last few periods of this file (bounded), and after the insert asks
 * SQL once for overlaps with other active batches of the same kind.
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "importers/import.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "store/audit.h"
#include "base/date.h"
#include "base/num.h"
#include "org/org.h"
#include "base/strmap.h"
#include "base/csv.h"
#include "base/outfile.h"
#include "store/rowhash.h"
#include "base/sha256.h"

#define QTY_SCALE 6          /* quantities in micro-units */
#define SF_SCALE 9           /* supplier factors in nano-kg per kWh */
#define IDENT_MAX 64         /* meter and vehicle ids */
#define TEXT_MAX 2000        /* site, supplier, description */
#define ROW_ERRS 6           /* reasons kept per row for the rejects file */
#define CACHE_RAW 64
#define KEYS_MAX 100000       /* activity keys per file (CPV has about 9500 codes) */
#define FIT_CACHE 16          /* carrier/unit pairs and keys remembered */

static const char *const KIND[] = {"energy", "fleet", "procurement"};
static const char *const QUALITY[] = {"measured", "calculated", "estimated"};

const char *
import_kind_name(enum import_kind k)
{
	return (unsigned)k < 3 ? KIND[k] : "?";
}

int
import_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, KIND[i]) == 0)
			return i;
	return -1;
}

const char *
import_quality_name(int q)
{
	return (unsigned)q < 3 ? QUALITY[q] : "?";
}

/* ---- units per carrier and fuel ---------------------------------------- */

struct allowed {
	const char *what;          /* carrier or fuel */
	const char *const *units;  /* canonical units that fit */
};

#define U(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct allowed ENERGY_UNITS[] = {
	{"electricity", U("Wh", "kWh", "MWh", "GWh")},
	{"district_heating", U("kWh", "MWh", "GWh", "MJ", "GJ", "TJ")},
	{"district_cooling", U("kWh", "MWh", "GWh", "MJ", "GJ", "TJ")},
	{"natural_gas", U("kWh", "MWh", "GWh", "kWh_Hs", "MWh_Hs", "m3", "GJ")},
	{"biogas", U("kWh", "MWh", "GWh", "kWh_Hs", "MWh_Hs", "m3", "GJ")},
	{"heating_oil", U("l", "m3", "kWh", "MWh", "kWh_Hs", "MWh_Hs")},
	{"lpg", U("l", "kg", "t", "kWh", "MWh", "kWh_Hs", "MWh_Hs")},
	{"wood_pellets", U("kg", "t", "kWh", "MWh")},
	{NULL, NULL},
};
static const struct allowed FLEET_UNITS[] = {
	{"diesel", U("l")},
	{"petrol", U("l")},
	{"hvo", U("l")},
	{"lpg", U("l", "kg")},
	{"cng", U("kg")},
	{"electricity", U("kWh")},
	{"distance", U("km")},
	{NULL, NULL},
};
#undef U

static const struct allowed *
allowed_for(enum import_kind k, const char *what)
{
	const struct allowed *a = k == IMPORT_ENERGY ? ENERGY_UNITS : FLEET_UNITS;

	for (; a->what; a++)
		if (strcmp(a->what, what) == 0)
			return a;
	return NULL;
}

static int
unit_fits(const struct allowed *a, const char *unit)
{
	int i;

	for (i = 0; a->units[i]; i++)
		if (strcmp(a->units[i], unit) == 0)
			return 1;
	return 0;
}

static void
unit_list(const struct allowed *a, char *buf, size_t n)
{
	size_t w = 0;
	int i, k;

	for (k = 0; a->units[k]; k++)
		;
	buf[0] = '\0';
	for (i = 0; i < k && w < n; i++)
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i == 0 ? "" : i == k - 1 ? " or " : ", ",
				      a->units[i]);
}

/* ---- the import state --------------------------------------------------- */

/* Which fields each kind reads, and which it requires. */
static const unsigned long long BIT = 1;
#define FB(f) (BIT << (f))
static const unsigned long long USES[3] = {
	FB(PF_ORG) | FB(PF_CARRIER) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_QUANTITY) | FB(PF_UNIT) | FB(PF_SITE) | FB(PF_METER) |
		FB(PF_TARIFF) | FB(PF_SUPPLIER_FACTOR) | FB(PF_QUALITY),
	FB(PF_ORG) | FB(PF_VEHICLE) | FB(PF_FUEL) | FB(PF_QUANTITY) | FB(PF_UNIT) |
		FB(PF_DATE) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_VEHICLE_CLASS) | FB(PF_QUALITY),
	FB(PF_ORG) | FB(PF_DATE) | FB(PF_CPV) | FB(PF_AMOUNT) | FB(PF_CURRENCY) |
		FB(PF_SUPPLIER) | FB(PF_DESCRIPTION) | FB(PF_QUALITY),
};
static const unsigned long long REQUIRED[3] = {
	FB(PF_ORG) | FB(PF_CARRIER) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_QUANTITY) | FB(PF_UNIT),
	FB(PF_ORG) | FB(PF_VEHICLE) | FB(PF_FUEL) | FB(PF_QUANTITY) | FB(PF_UNIT),
	FB(PF_ORG) | FB(PF_DATE) | FB(PF_CPV) | FB(PF_AMOUNT) | FB(PF_CURRENCY),
};

/* A cache of raw values of a field and their meaning, direct-mapped by a
 * cheap hash: exports repeat a few dozen carriers, units and org codes row
 * after row, so most lookups are one comparison. */
#define CACHE_SLOTS 64
struct vcache {
	struct {
		char raw[CACHE_RAW];
		size_t n;
		int valid;
		const char *val; /* mapped value, NULL when unknown */
		int64_t num;     /* org id */
	} w[CACHE_SLOTS];
};

static unsigned
slot(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!n)
		return 0;
	return (unsigned)(n * 31u + u[0] * 7u + u[n / 2] * 3u + u[n - 1]) % CACHE_SLOTS;
}

/* ---- the double-counting guard: data ------------------------------------
 *
 * Rows of this file and of the other active batches of its kind (loaded
 * before the pass) are kept in two compact forms, neither growing with the
 * rows of a file beyond a cap:
 * - per meter or vehicle and activity key (rows with a period): the last
 *   RECENT periods with their exact line, and up to NSPAN spans, each the
 *   union of touching periods of one source (a year of monthly readings is
 *   one span); when a new period fits no span, the closest two are merged
 *   and that span is only "possibly" covered (it has gaps);
 * - for rows without a meter (and dated fleet rows, procurement rows): a
 *   table of 64-bit fingerprints of the fields that make a row "the same",
 *   with source and line.
 * A source is this file (0) or another active batch (1...). */
#define RECENT 4              /* exact periods remembered per meter or vehicle */
#define NSPAN 4               /* spans of periods per meter or vehicle */
#define IDENTS_MAX 200000     /* meters and vehicles tracked */
#define FP_ROWS_MAX 2000000   /* fingerprints tracked (32 bytes each at most) */
#define SOURCES_MAX 1000000   /* other active batches */
#define LOOKUP_ROWS 200000    /* batch size up to which a clash inside a span
				 is looked up for its exact line */
#define LOOKUPS_MAX 1000      /* lookups per file of rows in a span with gaps */

struct ring {
	int32_t s, e;
	uint32_t src, line;
};

struct span {
	int32_t s, e;
	uint32_t src, first, last;
	uint32_t exact; /* 1: every day of s..e is covered by a period; 0: there
			   are gaps; 2: gaps, and periods of two sources */
};

/* The periods of one meter or vehicle and activity key: the last ones of
 * this file and of the other batches apart, so neither pushes out the
 * other. */
struct recent {
	struct ring r[2][RECENT];
	struct span sp[NSPAN];
	unsigned char n[2], next[2], nsp;
};

struct fpent {
	uint64_t fp;      /* 0: empty slot */
	uint64_t srcline; /* source << 40 | line */
};

struct source {
	int64_t batch;
	char *file;
	long rows;
};

/* What a row clashed with. */
struct clash {
	int kind;         /* 0 none, 1 an exact period, 2 a span, 3 a possible span, 4 a fingerprint */
	int mixed;        /* (3) the span holds periods of more than one source */
	uint32_t src;
	int32_t s, e;
	long first, last;
};

/* A field value of the current row. */
struct fv {
	const char *s; /* trimmed text, "" when empty or absent */
	size_t n;
	long line, col;
	int from_default;
};

struct imp {
	struct ledger *l;
	const struct import_opts *o;
	enum import_kind kind;
	const char *file;
	struct csv *csv;
	struct profile *own_profile;
	const struct profile *prof;
	struct org_tree *orgs;
	struct strmap *keys;   /* activity key -> id */
	struct strmap *idents; /* ident + key id -> index into recent */
	struct recent *rec;
	size_t nrec, caprec;
	int idents_full, fp_full, guard_oom;
	struct fpent *fpt;     /* fingerprints, open addressing */
	size_t fpn, fpcap;
	struct source *src;    /* 0: this file; then the other active batches */
	size_t nsrc, capsrc;
	long clashes;          /* rows refused as counted twice */
	long lookups;          /* rows in spans with gaps looked up */
	uint32_t clash_src;    /* the source of the first clash */
	int clash_mixed;       /* clashes with more than one source */
	long overlap_rows;     /* rows admitted by --allow-overlap */
	uint64_t dig_valid[2], dig_loaded[2]; /* multiset digests of the rows */

	int col[PF_N];          /* 0-based column, -1 when absent */
	int rank[PF_N];
	const char *hdr_unit;   /* unit from "Verbrauch (kWh)" */
	char dec, thou;
	enum profile_date datefmt;
	char date_expect[40];
	char num_example[16];

	char *header;           /* the header fields, for the rejects file */
	size_t nheader;
	size_t *hlen;
	long *hcol;             /* character column of each header field */
	/* numbers like 1.234 (three digits after the only '.', no ','): how
	 * many values a field had and how many were of that form */
	long nums[PF_N], ambig[PF_N];
	int dec_pinned;         /* the decimal mark was given, not inferred */
	char **hfield;

	struct vcache vc[PF_N];
	char bad_org[CACHE_RAW], bad_org_sugg[200]; /* the last unknown org code */
	size_t bad_org_n;
	struct {
		const char *what, *unit; /* canonical strings: compared by address */
	} fit[FIT_CACHE];
	int nfit;
	struct {
		const char *a;           /* carrier or fuel, by address */
		int64_t id;
	} kc[FIT_CACHE];
	int nkc;
	int64_t batch;
	sqlite3_stmt *ins1, *insn; /* one row, PENDING rows */
	struct block *blk;         /* rows waiting to be stored */
	int writing;            /* still inserting (no error yet, or skipping) */
	struct errlist *errs, *warns;
	long nerr_rows;

	/* current row */
	const struct csv_row *row;
	int row_bad;
	char reasons[ROW_ERRS][ERR_TEXT_MAX];
	int nreasons;

	char ibuf[IDENT_MAX + 8], tbuf[40], cbuf[40]; /* normalised ident, tariff, class */

	FILE *rej;               /* rejf.fp while the rejects file is open */
	struct outfile rejf;     /* written beside rej_path, renamed at the end */
	char rej_path[1024];

	pcre2_code *re_dmy, *re_iso, *re_slash, *re_nan, *re_num_en, *re_num_de,
		*re_exp, *re_cpv, *re_plate;
	pcre2_match_data *md;

	long rows_total, rows_loaded, rows_rejected;
	struct timespec last_progress;
	struct sha256 rows_sha;    /* over the stored rows (store/rowhash.h) */
	char rows_hex[SHA256_HEX_LEN + 1];
	int64_t hash_org;          /* the last row's org id and its code */
	const char *hash_code;
};

static void
rowerr(struct imp *im, const struct fv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record an error of the current row at field value v. */
static void
rowerr(struct imp *im, const struct fv *v, const char *fmt, ...)
{
	char msg[ERR_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
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

static int
compile_all(struct imp *im, struct err *e)
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

static int
match(struct imp *im, pcre2_code *c, const char *s, size_t n)
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
	if (match(im, im->re_dmy, s, n)) {
		int yy = group_int(im, s, 3);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
		if (ov[7] - ov[6] == 2) {
			if (im->datefmt != PROFILE_DATE_DMY2)
				return DATE_SHAPE;
			yy += yy < 70 ? 2000 : 1900;
		}
		return ymd_check(yy, group_int(im, s, 2), group_int(im, s, 1), out, y, m);
	}
	if (match(im, im->re_iso, s, n))
		return ymd_check(group_int(im, s, 1), group_int(im, s, 2),
				 group_int(im, s, 3), out, y, m);
	if ((im->datefmt == PROFILE_DATE_DMY_SLASH || im->datefmt == PROFILE_DATE_MDY_SLASH) &&
	    match(im, im->re_slash, s, n)) {
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
static int
date_field(struct imp *im, enum profile_field f, const struct fv *v, int32_t *out)
{
	int y = 0, m = 0, r = parse_date(im, v->s, v->n, out, &y, &m);
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (r == DATE_OK) {
		if (y < 1900 || y > 2199) {
			rowerr(im, v, "%s '%.*s' is out of range (expected a year "
			       "from 1900 to 2199)", profile_field_name(f), (int)v->n, v->s);
			return -1;
		}
		return 0;
	}
	if (r == DATE_MONTH)
		rowerr(im, v, "%s '%.*s' is not a real date (there is no month %d)",
		       profile_field_name(f), (int)v->n, v->s, m);
	else if (r == DATE_DAY)
		rowerr(im, v, "%s '%.*s' is not a real date (%s %d has %d days)",
		       profile_field_name(f), (int)v->n, v->s, MONTH[m - 1], y,
		       mdays[m - 1] + (m == 2 && date_is_leap(y)));
	else
		rowerr(im, v, "%s '%.*s' is not a date (expected %s)",
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

static int
number_field(struct imp *im, enum profile_field f, const struct fv *v, int scale,
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
			rowerr(im, v, "%s '%.*s' starts with a 0 before the '%c', so the "
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
			rowerr(im, v, "%s '%.*s' is negative (expected 0 or more)", name,
			       (int)v->n, v->s);
			return -1;
		}
		return 0;
	}
	if (v->n > 64) {
		rowerr(im, v, "%s is not a number (expected a decimal like %s)", name,
		       im->num_example);
		return -1;
	}
	if (st == NUM_RANGE)
		rowerr(im, v, "%s '%.*s' is too large (expected at most %lld)", name,
		       (int)v->n, v->s, (long long)(INT64_MAX / num_pow10(scale)));
	else if (st == NUM_PRECISION)
		rowerr(im, v, "%s '%.*s' has more than %d decimals", name, (int)v->n,
		       v->s, scale);
	else if (match(im, im->re_nan, v->s, v->n))
		rowerr(im, v, "%s '%.*s' is not a number (expected a finite decimal "
		       "like %s)", name, (int)v->n, v->s, im->num_example);
	else if (match(im, im->re_exp, v->s, v->n))
		rowerr(im, v, "%s '%.*s' uses an exponent (expected a plain decimal "
		       "like %s)", name, (int)v->n, v->s, im->num_example);
	else if (im->dec == ',' && match(im, im->re_num_en, v->s, v->n))
		rowerr(im, v, "%s '%.*s' has a decimal point, but this file uses a "
		       "decimal comma (expected a decimal like %s; set \"decimal\": "
		       "\".\" in a profile if the file uses points)", name, (int)v->n,
		       v->s, im->num_example);
	else if (im->dec == '.' && match(im, im->re_num_de, v->s, v->n))
		rowerr(im, v, "%s '%.*s' has a decimal comma, but this file uses a "
		       "decimal point (expected a decimal like %s; set \"decimal\": "
		       "\",\" in a profile if the file uses commas)", name, (int)v->n,
		       v->s, im->num_example);
	else
		rowerr(im, v, "%s '%.*s' is not a number (expected a decimal like %s)",
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
static void
get(struct imp *im, enum profile_field f, struct fv *v)
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
static int
mapped(struct imp *im, enum profile_field f, const struct fv *v, const char **out)
{
	struct vcache *c = &im->vc[f];
	unsigned i = slot(v->s, v->n);

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

static int
required(struct imp *im, enum profile_field f, const struct fv *v)
{
	if (v->n)
		return 0;
	rowerr(im, v, "empty %s (every %s row needs one)", profile_field_name(f),
	       KIND[im->kind]);
	return -1;
}

/* A closed-vocabulary field (carrier, fuel, quality, currency). */
static const char *
vocab_field(struct imp *im, enum profile_field f, const struct fv *v)
{
	const char *out;
	char names[300], sugg[160];
	const char *const *voc = profile_vocab(f);
	size_t w = 0;
	int i;

	if (mapped(im, f, v, &out) && *out)
		return out;
	names[0] = '\0';
	for (i = 0; voc[i] && w < sizeof names; i++)
		w += (size_t)snprintf(names + w, sizeof names - w, "%s%s",
				      i == 0 ? "" : voc[i + 1] ? ", " : " or ", voc[i]);
	profile_suggest(im->prof, f, v->s, v->n, sugg, sizeof sugg);
	if (sugg[0])
		rowerr(im, v, "unknown %s '%.*s' (did you mean %s? expected %s)",
		       profile_field_name(f), (int)v->n, v->s, sugg, names);
	else
		rowerr(im, v, "unknown %s '%.*s' (expected %s)", profile_field_name(f),
		       (int)v->n, v->s, names);
	return NULL;
}

/* A free token (tariff, vehicle_class): the profile's mapping, else the
 * value lower-cased when it is a name. *out may be "" (none). */
static int
token_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
	    size_t bufn, const char **out)
{
	size_t i;

	if (mapped(im, f, v, out))
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
	rowerr(im, v, "%s '%.*s' is not a name (expected letters, digits and '_', "
	       "e.g. %s, or map it in a profile)", profile_field_name(f),
	       v->n > 64 ? 64 : (int)v->n, v->s, f == PF_TARIFF ? "green" : "car_medium");
	return -1;
}

static int
text_field(struct imp *im, enum profile_field f, const struct fv *v, size_t max)
{
	if (v->n <= max)
		return 0;
	rowerr(im, v, "%s is longer than %zu bytes", profile_field_name(f), max);
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
static int
plain_field(struct imp *im, enum profile_field f, const struct fv *v)
{
	size_t at = 0;
	unsigned c = hostile_char(v->s, v->n, &at);

	if (!c)
		return 0;
	rowerr(im, v, "%s has %s U+%04X at character %zu (control and "
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
static int
ident_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
	    size_t *len)
{
	size_t i, w = 0;
	int sp = 0;

	if (v->n > IDENT_MAX) {
		rowerr(im, v, "%s is longer than %d characters", profile_field_name(f),
		       IDENT_MAX);
		return -1;
	}
	if (plain_field(im, f, v))
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
		    match(im, im->re_plate, buf, w)) {
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

/* ---- activity keys ------------------------------------------------------ */


static const char SQL_KEY_INS[] = "INSERT OR IGNORE INTO activity_key(key) VALUES (?1)";
static const char SQL_KEY_GET[] = "SELECT id FROM activity_key WHERE key = ?1";

static int64_t
key_id(struct imp *im, const char *key, size_t n, struct err *e)
{
	int64_t id;
	sqlite3_stmt *st;

	if (strmap_get(im->keys, key, n, &id))
		return id;
	if (strmap_count(im->keys) >= KEYS_MAX)
		return err_set(e, ERR_DATA, im->file, im->row->line, 0,
			       "more than %d different activity keys in one file (is "
			       "this the right file?)", KEYS_MAX);
	if (!(st = ledger_stmt(im->l, SQL_KEY_INS, e)))
		return -1;
	sqlite3_bind_text(st, 1, key, (int)n, SQLITE_TRANSIENT);
	if (ledger_step_done(im->l, st, "storing an activity key", e))
		return -1;
	if (!(st = ledger_stmt(im->l, SQL_KEY_GET, e)))
		return -1;
	sqlite3_bind_text(st, 1, key, (int)n, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return ledger_fail(im->l, SQLITE_ERROR, "reading an activity key", e);
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (strmap_put(im->keys, key, n, id))
		return err_setf(e, ERR_IO, "out of memory");
	return id;
}

/* ---- double counting ---------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t
h_int(uint64_t h, uint64_t v)
{
	return mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

static uint64_t
h_str(uint64_t h, const char *s, size_t n)
{
	uint64_t f = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		f = (f ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h_int(h_int(h, n), f);
}

/* The fields that make two rows the same for the guard. */
struct rowid {
	int64_t org_id, key_id, qty;
	int32_t s, e;
	const char *unit, *ident, *site, *supplier, *description;
	size_t ident_n, site_n, supplier_n, description_n;
};

static uint64_t
row_fp(const struct rowid *r)
{
	uint64_t h = 0x5eed;

	h = h_int(h, (uint64_t)r->org_id);
	h = h_int(h, (uint64_t)r->key_id);
	h = h_int(h, (uint64_t)(uint32_t)r->s);
	h = h_int(h, (uint64_t)(uint32_t)r->e);
	h = h_int(h, (uint64_t)r->qty);
	h = h_str(h, r->unit, r->unit ? strlen(r->unit) : 0);
	h = h_str(h, r->ident, r->ident ? r->ident_n : 0);
	h = h_str(h, r->site, r->site ? r->site_n : 0);
	h = h_str(h, r->supplier, r->supplier ? r->supplier_n : 0);
	h = h_str(h, r->description, r->description ? r->description_n : 0);
	return h ? h : 1;
}

/* Which rows are checked by period (meters, vehicles with a period) and
 * which by fingerprint (no meter, dated fleet rows, procurement). */
static int
by_period(enum import_kind k, const char *ident, int32_t s, int32_t e)
{
	if (k == IMPORT_ENERGY)
		return ident != NULL;
	return k == IMPORT_FLEET && s != e;
}

static uint32_t
line32(long line)
{
	return line < 0 ? 0 : line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

static struct recent *
ident_rec(struct imp *im, const char *ident, size_t n, int64_t key, int create)
{
	char k[IDENT_MAX + 24];
	int64_t idx;

	if (n > IDENT_MAX)
		return NULL;
	memcpy(k, &key, sizeof key);
	memcpy(k + sizeof key, ident, n);
	if (strmap_get(im->idents, k, sizeof key + n, &idx))
		return &im->rec[idx];
	if (!create)
		return NULL;
	if (im->nrec >= IDENTS_MAX) {
		im->idents_full = 1;
		return NULL;
	}
	if (im->nrec == im->caprec) {
		size_t cap = im->caprec ? im->caprec * 2 : 256;
		struct recent *p = realloc(im->rec, cap * sizeof *p);
		if (!p) {
			im->guard_oom = 1;
			return NULL;
		}
		im->rec = p;
		im->caprec = cap;
	}
	idx = (int64_t)im->nrec;
	if (strmap_put(im->idents, k, sizeof key + n, idx)) {
		im->guard_oom = 1;
		return NULL;
	}
	memset(&im->rec[im->nrec++], 0, sizeof im->rec[0]);
	return &im->rec[idx];
}

/* The first remembered period or span that s..e overlaps. */
static void
period_probe(const struct recent *r, int32_t s, int32_t e, struct clash *c)
{
	int i, k;

	memset(c, 0, sizeof *c);
	for (k = 0; k < 2; k++)
		for (i = 0; i < r->n[k]; i++)
			if (r->r[k][i].s <= e && s <= r->r[k][i].e) {
				c->kind = 1;
				c->src = r->r[k][i].src;
				c->s = r->r[k][i].s;
				c->e = r->r[k][i].e;
				c->first = c->last = r->r[k][i].line;
				return;
			}
	for (i = 0; i < r->nsp; i++)
		if (r->sp[i].s <= e && s <= r->sp[i].e) {
			c->kind = r->sp[i].exact == 1 ? 2 : 3;
			c->mixed = r->sp[i].exact == 2;
			c->src = r->sp[i].src;
			c->s = r->sp[i].s;
			c->e = r->sp[i].e;
			c->first = r->sp[i].first;
			c->last = r->sp[i].last;
			if (c->kind == 2)
				return;
		}
}

static void
span_join(struct span *a, const struct span *b, int exact)
{
	a->exact = exact && a->exact && b->exact;
	if (b->s < a->s)
		a->s = b->s;
	if (b->e > a->e)
		a->e = b->e;
	if (b->first < a->first)
		a->first = b->first;
	if (b->last > a->last)
		a->last = b->last;
}

static int64_t
span_gap(const struct span *a, const struct span *b)
{
	return a->e < b->s ? (int64_t)b->s - a->e : b->e < a->s ? (int64_t)a->s - b->e : 0;
}

static void
period_add(struct recent *r, int32_t s, int32_t e, uint32_t src, long line)
{
	struct span n = {s, e, src, line32(line), line32(line), 1};
	int i, j, bi = -1, bj = -1;
	int64_t best = INT64_MAX;

	int k = src != 0;
	struct ring *rg = &r->r[k][r->next[k]];

	rg->s = s;
	rg->e = e;
	rg->src = src;
	rg->line = line32(line);
	r->next[k] = (unsigned char)((r->next[k] + 1) % RECENT);
	if (r->n[k] < RECENT)
		r->n[k]++;
	for (i = 0; i < r->nsp; i++)
		if (r->sp[i].src == src && (int64_t)s <= (int64_t)r->sp[i].e + 1 &&
		    (int64_t)e + 1 >= r->sp[i].s) {
			span_join(&r->sp[i], &n, 1);
			return;
		}
	if (r->nsp < NSPAN) {
		r->sp[r->nsp++] = n;
		return;
	}
	/* no room: merge the closest two of the spans and the new period,
	 * preferring spans of one source */
	{
		struct span all[NSPAN + 1];
		memcpy(all, r->sp, sizeof r->sp);
		all[NSPAN] = n;
		for (i = 0; i <= NSPAN; i++)
			for (j = i + 1; j <= NSPAN; j++) {
				int64_t g = span_gap(&all[i], &all[j]) +
					    (all[i].src != all[j].src ? ((int64_t)1 << 40) : 0);
				if (g < best) {
					best = g;
					bi = i;
					bj = j;
				}
			}
		{
			int mixed = all[bi].src != all[bj].src || all[bi].exact == 2 ||
				    all[bj].exact == 2;
			span_join(&all[bi], &all[bj], 0);
			if (mixed) {
				all[bi].exact = 2;
				if (all[bj].src < all[bi].src)
					all[bi].src = all[bj].src;
			}
		}
		all[bj] = all[NSPAN];
		memcpy(r->sp, all, sizeof r->sp);
	}
}

static struct fpent *
fp_find(struct imp *im, uint64_t fp)
{
	size_t m, i;

	if (!im->fpt)
		return NULL;
	m = im->fpcap - 1;
	for (i = (size_t)fp & m; im->fpt[i].fp; i = (i + 1) & m)
		if (im->fpt[i].fp == fp)
			return &im->fpt[i];
	return NULL;
}

/* A zeroed table; one of 2 MiB or more on huge pages where the system
 * offers them (a large table on small pages costs a page fault per 4 KiB:
 * a quarter of the time of a large import). Free with free(). */
static void *
table_alloc(size_t n)
{
	void *p;

	if (n < ((size_t)2 << 20))
		return calloc(1, n);
	if (posix_memalign(&p, (size_t)2 << 20, n))
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	memset(p, 0, n);
	return p;
}

static void
fp_add(struct imp *im, uint64_t fp, uint32_t src, long line)
{
	size_t m, i;

	if (im->fpn >= FP_ROWS_MAX) {
		im->fp_full = 1;
		return;
	}
	if (2 * (im->fpn + 1) > im->fpcap) {
		size_t cap = im->fpcap ? im->fpcap * 2 : 4096, k;
		struct fpent *t = table_alloc(cap * sizeof *t);
		if (!t) {
			im->guard_oom = 1;
			return;
		}
		for (k = 0; k < im->fpcap; k++)
			if (im->fpt[k].fp) {
				for (i = (size_t)im->fpt[k].fp & (cap - 1); t[i].fp; i = (i + 1) & (cap - 1))
					;
				t[i] = im->fpt[k];
			}
		free(im->fpt);
		im->fpt = t;
		im->fpcap = cap;
	}
	m = im->fpcap - 1;
	for (i = (size_t)fp & m; im->fpt[i].fp; i = (i + 1) & m)
		if (im->fpt[i].fp == fp)
			return; /* the first occurrence is the one to name */
	im->fpt[i].fp = fp;
	im->fpt[i].srcline = (uint64_t)src << 40 | line32(line);
	im->fpn++;
}

/* Check one row against everything known; *c says what it clashes with. */
static void
guard_probe(struct imp *im, const struct rowid *r, uint64_t fp, struct clash *c)
{
	memset(c, 0, sizeof *c);
	if (by_period(im->kind, r->ident, r->s, r->e)) {
		struct recent *rec = ident_rec(im, r->ident, r->ident_n, r->key_id, 0);
		if (rec)
			period_probe(rec, r->s, r->e, c);
	} else {
		struct fpent *f = fp_find(im, fp);
		if (f) {
			c->kind = 4;
			c->src = (uint32_t)(f->srcline >> 40);
			c->first = c->last = (long)(f->srcline & (((uint64_t)1 << 40) - 1));
		}
	}
}

/* Remember one row of source src. */
static void
guard_add(struct imp *im, const struct rowid *r, uint64_t fp, uint32_t src, long line)
{
	if (by_period(im->kind, r->ident, r->s, r->e)) {
		struct recent *rec = ident_rec(im, r->ident, r->ident_n, r->key_id, 1);
		if (rec)
			period_add(rec, r->s, r->e, src, line);
	} else {
		fp_add(im, fp, src, line);
	}
}

static const char SQL_OTHER_BATCHES[] =
	"SELECT id, file, rows_loaded FROM batch WHERE kind = ?1 AND "
	"status = 'active' AND id <> ?2 ORDER BY id";
static const char SQL_BATCH_KEYS[] =
	"SELECT line, org_id, key_id, day_start, day_end, quantity, unit, ident, "
	"site, supplier, description FROM activity WHERE batch_id = ?1 ORDER BY id";

static const char *
col_str(sqlite3_stmt *st, int i, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*n = s ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return s && *n ? s : NULL;
}

/* Load the rows of the other active batches of this kind (all but the one
 * being replaced) into the guard, streaming them once by the batch index. */
static int
guard_load(struct imp *im, struct err *e)
{
	sqlite3_stmt *bs, *st;
	int rc, rc2;

	if (!(im->src = calloc(1, sizeof *im->src))) 
		return err_setf(e, ERR_IO, "out of memory");
	im->nsrc = im->capsrc = 1;
	if (!(bs = ledger_stmt(im->l, SQL_OTHER_BATCHES, e)))
		return -1;
	sqlite3_bind_text(bs, 1, KIND[im->kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(bs, 2, im->o->replace);
	while ((rc = sqlite3_step(bs)) == SQLITE_ROW) {
		const char *bfile = (const char *)sqlite3_column_text(bs, 1);
		uint32_t src;
		if (im->nsrc >= SOURCES_MAX)
			continue;
		if (im->nsrc == im->capsrc) {
			size_t cap = im->capsrc * 2;
			struct source *p = realloc(im->src, cap * sizeof *p);
			if (!p) {
				sqlite3_reset(bs);
				return err_setf(e, ERR_IO, "out of memory");
			}
			im->src = p;
			im->capsrc = cap;
		}
		src = (uint32_t)im->nsrc;
		im->src[src].batch = sqlite3_column_int64(bs, 0);
		im->src[src].rows = (long)sqlite3_column_int64(bs, 2);
		if (!(im->src[src].file = strdup(bfile ? bfile : ""))) {
			sqlite3_reset(bs);
			return err_setf(e, ERR_IO, "out of memory");
		}
		im->nsrc++;
		if (!(st = ledger_stmt(im->l, SQL_BATCH_KEYS, e))) {
			sqlite3_reset(bs);
			return -1;
		}
		sqlite3_bind_int64(st, 1, im->src[src].batch);
		while ((rc2 = sqlite3_step(st)) == SQLITE_ROW) {
			struct rowid r;
			r.org_id = sqlite3_column_int64(st, 1);
			r.key_id = sqlite3_column_int64(st, 2);
			r.s = sqlite3_column_int(st, 3);
			r.e = sqlite3_column_int(st, 4);
			r.qty = sqlite3_column_int64(st, 5);
			r.unit = (const char *)sqlite3_column_text(st, 6);
			r.ident = col_str(st, 7, &r.ident_n);
			r.site = col_str(st, 8, &r.site_n);
			r.supplier = col_str(st, 9, &r.supplier_n);
			r.description = col_str(st, 10, &r.description_n);
			guard_add(im, &r, by_period(im->kind, r.ident, r.s, r.e) ? 0 : row_fp(&r),
				  src, (long)sqlite3_column_int64(st, 0));
		}
		sqlite3_reset(st);
		if (rc2 != SQLITE_DONE) {
			sqlite3_reset(bs);
			return ledger_fail(im->l, rc2, "checking overlaps", e);
		}
	}
	sqlite3_reset(bs);
	return rc == SQLITE_DONE ? 0 : ledger_fail(im->l, rc, "reading batches", e);
}

static const char SQL_SPAN_LINE[] =
	"SELECT line, day_start, day_end FROM activity WHERE batch_id = ?1 AND "
	"key_id = ?2 AND ident = ?3 AND day_start <= ?5 AND day_end >= ?4 "
	"ORDER BY id LIMIT 1";

/* A row inside a span of another batch (of at most LOOKUP_ROWS rows): find
 * the row it overlaps there, making *c exact (kind 1) or, when there is none
 * (a gap of a span with gaps), no clash (kind 0). Exact spans are looked up
 * only while their message will be shown; spans with gaps at most
 * LOOKUPS_MAX times a file, as each lookup scans the batch. */
static void
span_line(struct imp *im, const struct rowid *r, struct clash *c)
{
	sqlite3_stmt *st;
	struct err e;
	int rc;

	if (c->src == 0 || c->first == c->last || im->src[c->src].rows > LOOKUP_ROWS)
		return;
	if (c->kind == 2 && im->errs->n >= ERRLIST_KEEP)
		return;
	if (c->kind == 3 && (c->mixed || im->lookups >= LOOKUPS_MAX))
		return;
	if (c->kind == 3)
		im->lookups++;
	err_clear(&e);
	if (!(st = ledger_stmt(im->l, SQL_SPAN_LINE, &e)))
		return;
	sqlite3_bind_int64(st, 1, im->src[c->src].batch);
	sqlite3_bind_int64(st, 2, r->key_id);
	sqlite3_bind_text(st, 3, r->ident, (int)r->ident_n, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->s);
	sqlite3_bind_int(st, 5, r->e);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->kind = 1;
		c->first = c->last = (long)sqlite3_column_int64(st, 0);
		c->s = sqlite3_column_int(st, 1);
		c->e = sqlite3_column_int(st, 2);
	} else if (rc == SQLITE_DONE && c->kind == 3) {
		c->kind = 0; /* in a gap */
	}
	sqlite3_reset(st);
}

/* "on line 3 of this file", "on lines 2-13 of this file", "in batch 1
 * (e1.csv:3), which is active", "in batch 1 (e1.csv, lines 2-13), ..." */
static void
clash_where(const struct imp *im, const struct clash *c, char *buf, size_t n)
{
	if (c->src == 0) {
		if (c->first == c->last)
			snprintf(buf, n, "on line %ld of this file", c->first);
		else
			snprintf(buf, n, "on lines %ld-%ld of this file", c->first, c->last);
	} else if (c->first == c->last) {
		snprintf(buf, n, "in batch %lld (%.120s:%ld), which is active",
			 (long long)im->src[c->src].batch, im->src[c->src].file, c->first);
	} else {
		snprintf(buf, n, "in batch %lld (%.120s, lines %ld-%ld), which is active",
			 (long long)im->src[c->src].batch, im->src[c->src].file, c->first,
			 c->last);
	}
}

/* Check the current (valid) row against the rows already counted. Returns 1
 * when it clashes and is refused (a row error), 0 otherwise (it is then
 * remembered). */
static int
guard_row(struct imp *im, const struct rowid *r, uint64_t fp, const struct fv *v)
{
	const char *what = im->kind == IMPORT_ENERGY ? "meter" : "vehicle";
	char where[256], a[11], b[11], ca[11], cb[11], msg[2 * ERR_TEXT_MAX];
	struct clash c;

	guard_probe(im, r, fp, &c);
	if (c.kind == 0) {
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	if (c.kind == 2 || c.kind == 3)
		span_line(im, r, &c);
	if (c.kind == 0) {
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	clash_where(im, &c, where, sizeof where);
	date_format(r->s, a);
	date_format(r->e, b);
	if (c.kind == 3) {
		/* a span with gaps: possible, not proven */
		if (im->warns)
			errlist_addf(im->warns, ERR_DATA, im->file, v->line, v->col,
				     "%s '%.*s' %s..%s may overlap the periods %s (too "
				     "many gaps between them to check exactly; counted "
				     "twice?)", what, (int)r->ident_n, r->ident, a, b, where);
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	date_format(c.s, ca);
	date_format(c.e, cb);
	if (c.kind == 4) {
		const char *same = im->kind == IMPORT_ENERGY
			? "org, carrier, period, quantity, unit and site"
			: im->kind == IMPORT_FLEET ? "vehicle, fuel, date, quantity and unit"
			: "org, CPV code, date, amount, supplier and description";
		snprintf(msg, sizeof msg, "row repeats the row %s: same %s (counted "
			 "twice?)", where, same);
	} else if (c.kind == 1 && c.s == r->s && c.e == r->e) {
		snprintf(msg, sizeof msg, "%s '%.*s' has %s..%s again, as %s (counted "
			 "twice?)", what, (int)r->ident_n, r->ident, a, b, where);
	} else {
		snprintf(msg, sizeof msg, "%s '%.*s' %s..%s overlaps %s..%s %s (counted "
			 "twice?)", what, (int)r->ident_n, r->ident, a, b, ca, cb, where);
	}
	if (im->o->allow_overlap) {
		if (im->warns)
			errlist_addf(im->warns, ERR_DATA, im->file, v->line, v->col,
				     "%s; counted anyway (--allow-overlap)", msg);
		im->overlap_rows++;
		guard_add(im, r, fp, 0, im->row->line);
		return 0;
	}
	rowerr(im, v, "%s", msg);
	if (im->clashes++ == 0)
		im->clash_src = c.src;
	else if (im->clash_src != c.src)
		im->clash_mixed = 1;
	return 1;
}

/* ---- one row ------------------------------------------------------------ */

/* Concatenate the strings a, b and c (c may be NULL) into buf (at least 96
 * bytes; tokens are at most 40); returns the length. */
static size_t
cat(char *buf, const char *a, const char *b, const char *c)
{
	size_t n = strlen(a), m = strlen(b);

	memcpy(buf, a, n);
	memcpy(buf + n, b, m);
	n += m;
	if (c) {
		m = strlen(c);
		memcpy(buf + n, c, m);
		n += m;
	}
	buf[n] = '\0';
	return n;
}

struct act {
	const char *kp;   /* carrier or fuel whose key is the row's, when stable */
	int64_t org_id, key_id, qty, sf;
	int32_t s, e;
	int quality, has_sf;
	const char *unit, *tariff;
	const char *ident;
	size_t ident_n;
	struct fv site, supplier, description;
};

static int
org_field(struct imp *im, const struct fv *v, int64_t *id)
{
	struct vcache *c = &im->vc[PF_ORG];
	const char *code = v->s;
	size_t n = v->n, k;
	char sugg[200];
	unsigned i = slot(v->s, v->n);

	if (c->w[i].valid && c->w[i].n == v->n && memcmp(c->w[i].raw, v->s, v->n) == 0) {
		*id = c->w[i].num;
		return 0;
	}
	{
		const char *m;
		if (profile_map_value(im->prof, PF_ORG, v->s, v->n, &m)) {
			code = m;
			n = strlen(m);
		}
	}
	k = org_tree_find(im->orgs, code, n);
	if (k == ORG_NONE) {
		/* the same unknown code tends to repeat: suggest once */
		if (n < sizeof im->bad_org && im->bad_org_n == n &&
		    memcmp(im->bad_org, code, n) == 0) {
			snprintf(sugg, sizeof sugg, "%s", im->bad_org_sugg);
		} else {
			org_tree_suggest(im->orgs, code, n, sugg, sizeof sugg);
			if (n < sizeof im->bad_org) {
				memcpy(im->bad_org, code, n);
				im->bad_org_n = n;
				snprintf(im->bad_org_sugg, sizeof im->bad_org_sugg, "%s", sugg);
			}
		}
		if (org_tree_count(im->orgs) == 0)
			rowerr(im, v, "unknown org code '%.*s' (no units yet: load them "
			       "with 'co2ledger org import' first)", n > 64 ? 64 : (int)n, code);
		else if (sugg[0])
			rowerr(im, v, "unknown org code '%.*s' (closest: %s)",
			       n > 64 ? 64 : (int)n, code, sugg);
		else
			rowerr(im, v, "unknown org code '%.*s' (no similar code; see "
			       "'co2ledger org list')", n > 64 ? 64 : (int)n, code);
		return -1;
	}
	*id = org_tree_at(im->orgs, k)->id;
	if (v->n < CACHE_RAW) {
		memcpy(c->w[i].raw, v->s, v->n);
		c->w[i].n = v->n;
		c->w[i].num = *id;
		c->w[i].valid = 1;
	}
	return 0;
}

static int
unit_field(struct imp *im, const struct fv *v, const char *what, const struct fv *wv,
	   const char **unit)
{
	const struct allowed *a;
	char list[200];
	int i;

	if (mapped(im, PF_UNIT, v, unit) && **unit) {
		for (i = 0; i < FIT_CACHE; i++) /* pairs already found to fit */
			if (im->fit[i].what == what && im->fit[i].unit == *unit)
				return 0;
	}
	a = allowed_for(im->kind, what);
	if (!*unit || !**unit) {
		unit_list(a, list, sizeof list);
		rowerr(im, v, "unknown unit '%.*s' (expected for %s: %s)",
		       v->n > 64 ? 64 : (int)v->n, v->s, what, list);
		return -1;
	}
	if (!unit_fits(a, *unit)) {
		unit_list(a, list, sizeof list);
		rowerr(im, v, "unit '%.*s' does not fit %s '%.*s' (expected for %s: %s)",
		       (int)v->n, v->s, im->kind == IMPORT_ENERGY ? "carrier" : "fuel",
		       (int)wv->n, wv->s, what, list);
		return -1;
	}
	im->fit[im->nfit].what = what;
	im->fit[im->nfit].unit = *unit;
	im->nfit = (im->nfit + 1) % FIT_CACHE;
	return 0;
}

static int
quality_field(struct imp *im, struct act *a)
{
	struct fv v;
	const char *q;

	get(im, PF_QUALITY, &v);
	a->quality = im->kind == IMPORT_PROCUREMENT ? 2 : 0;
	if (!v.n)
		return 0;
	if (!(q = vocab_field(im, PF_QUALITY, &v)))
		return -1;
	a->quality = q[0] == 'm' ? 0 : q[0] == 'c' ? 1 : 2;
	return 0;
}

static int
period(struct imp *im, struct act *a)
{
	struct fv vs, ve;
	int bad = 0;

	get(im, PF_PERIOD_START, &vs);
	get(im, PF_PERIOD_END, &ve);
	bad |= required(im, PF_PERIOD_START, &vs) || date_field(im, PF_PERIOD_START, &vs, &a->s);
	bad |= required(im, PF_PERIOD_END, &ve) || date_field(im, PF_PERIOD_END, &ve, &a->e);
	if (!bad && a->e < a->s) {
		rowerr(im, &ve, "period_end '%.*s' is before period_start '%.*s' (a "
		       "period must not end before it starts)", (int)ve.n, ve.s,
		       (int)vs.n, vs.s);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int
row_energy(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vc, vu;
	const char *carrier = NULL;
	char *tbuf = im->tbuf;
	int bad = 0;

	get(im, PF_CARRIER, &vc);
	if (required(im, PF_CARRIER, &vc) || !(carrier = vocab_field(im, PF_CARRIER, &vc)))
		bad = 1;
	bad |= period(im, a);
	get(im, PF_QUANTITY, &v);
	bad |= required(im, PF_QUANTITY, &v) || number_field(im, PF_QUANTITY, &v, QTY_SCALE, &a->qty);
	get(im, PF_UNIT, &vu);
	if (required(im, PF_UNIT, &vu))
		bad = 1;
	else if (carrier && unit_field(im, &vu, carrier, &vc, &a->unit))
		bad = 1;
	get(im, PF_TARIFF, &v);
	a->tariff = NULL;
	if (v.n) {
		const char *t;
		if (token_field(im, PF_TARIFF, &v, tbuf, sizeof im->tbuf, &t))
			bad = 1;
		else if (*t)
			a->tariff = t;
	}
	get(im, PF_SUPPLIER_FACTOR, &v);
	a->has_sf = 0;
	if (v.n) {
		if (number_field(im, PF_SUPPLIER_FACTOR, &v, SF_SCALE, &a->sf))
			bad = 1;
		else
			a->has_sf = 1;
	}
	get(im, PF_SITE, &a->site);
	bad |= text_field(im, PF_SITE, &a->site, TEXT_MAX) || plain_field(im, PF_SITE, &a->site);
	get(im, PF_METER, &v);
	a->ident = NULL;
	if (v.n) {
		if (ident_field(im, PF_METER, &v, im->ibuf, &a->ident_n))
			bad = 1;
		else
			a->ident = im->ibuf;
	}
	bad |= quality_field(im, a);
	if (bad)
		return -1;
	a->kp = carrier;
	*keylen = cat(keybuf, "energy.", carrier, NULL);
	return 0;
}

static int
row_fleet(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vf, vu, vd, vclass;
	const char *fuel = NULL, *cls = NULL;
	char *cbuf = im->cbuf, *ibuf = im->ibuf;
	int bad = 0;

	get(im, PF_VEHICLE, &v);
	a->ident = NULL;
	if (required(im, PF_VEHICLE, &v) || ident_field(im, PF_VEHICLE, &v, ibuf, &a->ident_n))
		bad = 1;
	else
		a->ident = ibuf;
	get(im, PF_FUEL, &vf);
	if (required(im, PF_FUEL, &vf) || !(fuel = vocab_field(im, PF_FUEL, &vf)))
		bad = 1;
	get(im, PF_DATE, &vd);
	if (vd.n || im->col[PF_PERIOD_START] < 0) {
		if (required(im, PF_DATE, &vd) || date_field(im, PF_DATE, &vd, &a->s))
			bad = 1;
		a->e = a->s;
	} else {
		bad |= period(im, a);
	}
	get(im, PF_QUANTITY, &v);
	bad |= required(im, PF_QUANTITY, &v) || number_field(im, PF_QUANTITY, &v, QTY_SCALE, &a->qty);
	get(im, PF_UNIT, &vu);
	if (required(im, PF_UNIT, &vu))
		bad = 1;
	else if (fuel && unit_field(im, &vu, fuel, &vf, &a->unit))
		bad = 1;
	get(im, PF_VEHICLE_CLASS, &vclass);
	if (vclass.n && token_field(im, PF_VEHICLE_CLASS, &vclass, cbuf, sizeof im->cbuf, &cls))
		bad = 1;
	if (fuel && strcmp(fuel, "distance") == 0 && !bad && (!cls || !*cls)) {
		rowerr(im, &vclass, "empty vehicle_class (distance rows need one, e.g. "
		       "car_medium or van)");
		bad = 1;
	}
	bad |= quality_field(im, a);
	a->tariff = NULL;
	a->has_sf = 0;
	a->site.n = a->supplier.n = a->description.n = 0;
	if (bad)
		return -1;
	if (strcmp(fuel, "distance") == 0) {
		*keylen = cat(keybuf, "fleet.distance.", cls, NULL);
	} else {
		a->kp = fuel;
		*keylen = cat(keybuf, "fleet.", fuel, NULL);
	}
	return 0;
}

static int
row_procurement(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vc;
	char digits[9];
	int bad = 0, ok = 0;
	const char *cur;

	get(im, PF_DATE, &v);
	if (required(im, PF_DATE, &v) || date_field(im, PF_DATE, &v, &a->s))
		bad = 1;
	a->e = a->s;
	get(im, PF_CPV, &vc);
	if (required(im, PF_CPV, &vc)) {
		bad = 1;
	} else {
		size_t i;
		if (vc.n == 8 || (vc.n == 10 && vc.s[8] == '-' && vc.s[9] >= '0' && vc.s[9] <= '9')) {
			for (i = 0; i < 8 && vc.s[i] >= '0' && vc.s[i] <= '9'; i++)
				;
			ok = i == 8;
			if (ok)
				memcpy(digits, vc.s, 8);
		}
		if (!ok && vc.n < 40 && match(im, im->re_cpv, vc.s, vc.n)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
			memcpy(digits, vc.s + ov[2], 8);
			ok = 1;
		}
		if (!ok) {
			rowerr(im, &vc, "cpv '%.*s' is not a CPV code (expected 8 digits "
			       "with an optional check digit, like 72000000-5)",
			       vc.n > 64 ? 64 : (int)vc.n, vc.s);
			bad = 1;
		}
		digits[8] = '\0';
	}
	get(im, PF_AMOUNT, &v);
	bad |= required(im, PF_AMOUNT, &v) || number_field(im, PF_AMOUNT, &v, QTY_SCALE, &a->qty);
	get(im, PF_CURRENCY, &v);
	if (required(im, PF_CURRENCY, &v))
		bad = 1;
	else if (!mapped(im, PF_CURRENCY, &v, &cur) || strcmp(cur, "EUR")) {
		rowerr(im, &v, "currency '%.*s' is not supported (expected EUR: convert "
		       "the amount to euros first)", v.n > 64 ? 64 : (int)v.n, v.s);
		bad = 1;
	}
	get(im, PF_SUPPLIER, &a->supplier);
	bad |= text_field(im, PF_SUPPLIER, &a->supplier, TEXT_MAX);
	get(im, PF_DESCRIPTION, &a->description);
	bad |= text_field(im, PF_DESCRIPTION, &a->description, TEXT_MAX);
	bad |= quality_field(im, a);
	a->unit = "EUR";
	a->tariff = NULL;
	a->has_sf = 0;
	a->ident = NULL;
	a->site.n = 0;
	if (bad)
		return -1;
	*keylen = cat(keybuf, "procurement.cpv.", digits, NULL);
	return 0;
}

/* Rows are inserted PENDING at a time through one multi-row INSERT: that
 * saves SQLite most of its per-statement work (a third of the insert time
 * for these rows); the last few rows of a file go one by one. */
#define PENDING 64
#define NCOL 16
#define COLS_SQL "INSERT INTO activity(batch_id, line, org_id, key_id, day_start, " \
	"day_end, quantity, unit, quality, tariff, supplier_factor, ident, site, "   \
	"supplier, description, row_digest) VALUES "
#define V1 "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define V4 V1 "," V1 "," V1 "," V1
#define V16 V4 "," V4 "," V4 "," V4
static const char SQL_INSERT1[] = COLS_SQL V1;
static const char SQL_INSERTN[] = COLS_SQL V16 "," V16 "," V16 "," V16;
#undef V1
#undef V4
#undef V16

/* A row waiting for the next multi-row insert; text lives in the arena. */
struct pend {
	long line;
	int64_t org_id, key_id, qty, sf;
	int32_t s, e;
	int quality, has_sf;
	const char *unit;                   /* static */
	const char *txt[5];                 /* tariff, ident, site, supplier, description */
	int len[5];
	unsigned char digest[ROWHASH_DIGEST]; /* store/rowhash.h */
};

#define ARENA_ROW (32 + IDENT_MAX + 3 * TEXT_MAX + 16)

/* PENDING rows and their text, waiting to be stored. */
struct block {
	struct pend pend[PENDING];
	char arena[PENDING * ARENA_ROW];
	size_t used;
	int n;
};

static const char *
keep(struct block *b, const char *s, size_t n, int *len)
{
	char *p = b->arena + b->used;

	*len = (int)n;
	if (!s || !n)
		return NULL;
	memcpy(p, s, n);
	b->used += n;
	return p;
}

/* Store the rows of b: PENDING at once, or one by one for the last few. */
static int
store_block(struct imp *im, struct block *b, struct err *e)
{
	sqlite3_stmt *st = b->n == PENDING ? im->insn : im->ins1;
	int i, k, rc;

	for (i = 0; i < b->n; i++) {
		const struct pend *p = &b->pend[i];
		int c = b->n == PENDING ? i * NCOL : 0;
		sqlite3_bind_int64(st, c + 1, im->batch);
		sqlite3_bind_int64(st, c + 2, p->line);
		sqlite3_bind_int64(st, c + 3, p->org_id);
		sqlite3_bind_int64(st, c + 4, p->key_id);
		sqlite3_bind_int(st, c + 5, p->s);
		sqlite3_bind_int(st, c + 6, p->e);
		sqlite3_bind_int64(st, c + 7, p->qty);
		sqlite3_bind_text(st, c + 8, p->unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, c + 9, p->quality);
		if (p->has_sf)
			sqlite3_bind_int64(st, c + 11, p->sf);
		else
			sqlite3_bind_null(st, c + 11);
		for (k = 0; k < 5; k++) {
			int col = c + (k == 0 ? 10 : 11 + k);
			if (p->txt[k])
				sqlite3_bind_text(st, col, p->txt[k], p->len[k], SQLITE_STATIC);
			else
				sqlite3_bind_null(st, col);
		}
		sqlite3_bind_blob(st, c + 16, p->digest, ROWHASH_DIGEST, SQLITE_STATIC);
		if (st == im->ins1) {
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return ledger_fail(im->l, rc, "storing an activity row", e);
		}
	}
	if (st == im->insn && b->n) {
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ledger_fail(im->l, rc, "storing activity rows", e);
	}
	return 0;
}

/* Store b and empty it. */
static int
store_now(struct imp *im, struct block *b, struct err *e)
{
	int rc = store_block(im, b, e);

	b->n = 0;
	b->used = 0;
	return rc;
}

/* The row's canonical form into the batch's rows hash, and its digest
 * (store/rowhash.h): the same values that are stored. */
static void
row_hash(struct imp *im, struct pend *p, const char *key, size_t keylen)
{
	struct rowhash_val v[ROWHASH_NFIELDS];
	const char *code;
	int i;

	if (!im->hash_code || im->hash_org != p->org_id) {
		size_t k = org_tree_by_id(im->orgs, p->org_id);
		im->hash_code = k == ORG_NONE ? "" : org_tree_at(im->orgs, k)->code;
		im->hash_org = p->org_id;
	}
	code = im->hash_code;

	memset(v, 0, sizeof v);
	v[0] = (struct rowhash_val){ROWHASH_INT, p->line, NULL, 0};
	v[1] = (struct rowhash_val){ROWHASH_TEXT, 0, code, strlen(code)};
	v[2] = (struct rowhash_val){ROWHASH_TEXT, 0, key, keylen};
	v[3] = (struct rowhash_val){ROWHASH_INT, p->s, NULL, 0};
	v[4] = (struct rowhash_val){ROWHASH_INT, p->e, NULL, 0};
	v[5] = (struct rowhash_val){ROWHASH_INT, p->qty, NULL, 0};
	v[6] = (struct rowhash_val){ROWHASH_TEXT, 0, p->unit, strlen(p->unit)};
	v[7] = (struct rowhash_val){ROWHASH_INT, p->quality, NULL, 0};
	v[9] = (struct rowhash_val){p->has_sf ? ROWHASH_INT : ROWHASH_NULL, p->sf, NULL, 0};
	for (i = 0; i < 5; i++) {
		struct rowhash_val *f = &v[i == 0 ? 8 : 9 + i];
		if (p->txt[i])
			*f = (struct rowhash_val){ROWHASH_TEXT, 0, p->txt[i], (size_t)p->len[i]};
	}
	rowhash_row(&im->rows_sha, v, p->digest);
}

static int
insert(struct imp *im, const struct act *a, const char *key, size_t keylen,
       struct err *e)
{
	struct block *b = im->blk;
	struct pend *p = &b->pend[b->n++];

	p->line = im->row->line;
	p->org_id = a->org_id;
	p->key_id = a->key_id;
	p->qty = a->qty;
	p->sf = a->sf;
	p->has_sf = a->has_sf;
	p->s = a->s;
	p->e = a->e;
	p->quality = a->quality;
	p->unit = a->unit;
	p->txt[0] = keep(b, a->tariff, a->tariff ? strlen(a->tariff) : 0, &p->len[0]);
	p->txt[1] = keep(b, a->ident, a->ident ? a->ident_n : 0, &p->len[1]);
	p->txt[2] = keep(b, a->site.s, a->site.n, &p->len[2]);
	p->txt[3] = keep(b, a->supplier.s, a->supplier.n, &p->len[3]);
	p->txt[4] = keep(b, a->description.s, a->description.n, &p->len[4]);
	row_hash(im, p, key, keylen);
	return b->n == PENDING ? store_now(im, b, e) : 0;
}

/* ---- rejects file ------------------------------------------------------- */

static void
csv_put(FILE *fp, const char *s, size_t n, char delim)
{
	size_t i;
	int q = 0;

	for (i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = 1;
	if (!q) {
		fwrite(s, 1, n, fp);
		return;
	}
	fputc('"', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', fp);
		fputc(s[i], fp);
	}
	fputc('"', fp);
}

static int
reject_row(struct imp *im, long line, const char *fallback_reason, struct err *e)
{
	char d = csv_delim(im->csv), num[24];
	size_t i;
	int k;

	if (!im->o->skip_invalid || im->o->dry_run)
		return 0;
	if (!im->rej) {
		if (outfile_open(&im->rejf, im->rej_path, e))
			return -1;
		im->rej = im->rejf.fp;
		fputs("\xef\xbb\xbf", im->rej);
		fputs("line", im->rej);
		fputc(d, im->rej);
		fputs("error", im->rej);
		for (i = 0; i < im->nheader; i++) {
			fputc(d, im->rej);
			csv_put(im->rej, im->hfield[i], im->hlen[i], d);
		}
		fputs("\r\n", im->rej);
	}
	k = snprintf(num, sizeof num, "%ld", line);
	fwrite(num, 1, (size_t)k, im->rej);
	fputc(d, im->rej);
	if (fallback_reason) {
		csv_put(im->rej, fallback_reason, strlen(fallback_reason), d);
	} else {
		char why[ROW_ERRS * ERR_TEXT_MAX];
		size_t w = 0;
		for (k = 0; k < im->nreasons; k++)
			w += (size_t)snprintf(why + w, sizeof why - w, "%s%s", k ? "; " : "",
					      im->reasons[k]);
		csv_put(im->rej, why, w < sizeof why ? w : sizeof why - 1, d);
		for (i = 0; i < im->row->n; i++) {
			fputc(d, im->rej);
			csv_put(im->rej, im->row->field[i], im->row->len[i], d);
		}
	}
	fputs("\r\n", im->rej);
	return ferror(im->rej) ? err_set(e, ERR_IO, im->rej_path, 0, 0,
					 "cannot write the rejects file (%s)",
					 outfile_reason(errno)) : 0;
}

/* ---- header ------------------------------------------------------------- */

static int
keep_header(struct imp *im, const struct csv_row *h, struct err *e)
{
	size_t i, total = 0, w = 0;

	for (i = 0; i < h->n; i++)
		total += h->len[i] + 1;
	im->header = malloc(total + 1);
	im->hfield = malloc((h->n + 1) * sizeof *im->hfield);
	im->hlen = malloc((h->n + 1) * sizeof *im->hlen);
	im->hcol = malloc((h->n + 1) * sizeof *im->hcol);
	if (!im->header || !im->hfield || !im->hlen || !im->hcol)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < h->n; i++) {
		memcpy(im->header + w, h->field[i], h->len[i] + 1);
		im->hfield[i] = im->header + w;
		im->hlen[i] = h->len[i];
		im->hcol[i] = h->fcol[i];
		w += h->len[i] + 1;
	}
	im->nheader = h->n;
	return 0;
}

static int
count_matches(const struct profile *p, const struct csv_row *h, int synonyms)
{
	size_t i;
	int n = 0, rank;
	const char *b;
	size_t bl;

	for (i = 0; i < h->n; i++) {
		if (synonyms)
			n += profile_is_synonym(p, h->field[i], h->len[i]);
		else
			n += profile_match_header(p, h->field[i], h->len[i], &rank, &b, &bl) >= 0;
	}
	return n;
}

/* Choose the profile for --profile auto from the header. */
static int
auto_profile(struct imp *im, const struct csv_row *h, char *note, size_t noten,
	     struct err *e)
{
	struct profile *canon = NULL, *de = NULL;
	char path[4096];
	struct err fe;

	note[0] = '\0';
	if (profile_canonical(&canon, e))
		return -1;
	err_clear(&fe);
	if (profile_find_shipped("de", path, sizeof path, &fe) == 0 &&
	    profile_load(path, &de, NULL, &fe) == 0 &&
	    count_matches(de, h, 1) > count_matches(canon, h, 0) / 2 &&
	    count_matches(de, h, 1) > 0) {
		profile_free(canon);
		im->own_profile = de;
		return 0;
	}
	if (fe.kind != ERR_NONE)
		snprintf(note, noten, "%s", fe.text);
	profile_free(de);
	im->own_profile = canon;
	return 0;
}

static int
map_columns(struct imp *im, const struct csv_row *h)
{
	size_t i;
	int f, rank;
	const char *br;
	size_t brl;

	for (f = 0; f < PF_N; f++) {
		im->col[f] = -1;
		im->rank[f] = 1 << 30;
	}
	for (i = 0; i < h->n; i++) {
		f = profile_match_header(im->prof, h->field[i], h->len[i], &rank, &br, &brl);
		if (f < 0 || !(USES[im->kind] & FB(f)))
			continue;
		if (im->col[f] >= 0 && rank == im->rank[f]) {
			errlist_addf(im->errs, ERR_DATA, im->file, h->fline[i], h->fcol[i],
				     "column '%s' appears twice (also column %d; "
				     "remove one)", h->field[i], im->col[f] + 1);
			continue;
		}
		if (rank < im->rank[f]) {
			im->col[f] = (int)i;
			im->rank[f] = rank;
			if (br && f == PF_QUANTITY) {
				const char *u;
				if (profile_map_value(im->prof, PF_UNIT, br, brl, &u) && *u)
					im->hdr_unit = u;
			}
		}
	}
	return 0;
}

static void
check_columns(struct imp *im, const char *note)
{
	char syn[400];
	int f, missing = 0;

	for (f = 0; f < PF_N; f++) {
		if (!(REQUIRED[im->kind] & FB(f)) || im->col[f] >= 0)
			continue;
		if (profile_default(im->prof, f) || (f == PF_UNIT && im->hdr_unit))
			continue;
		profile_synonyms(im->prof, f, syn, sizeof syn);
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "missing column '%s' (expected a header named %s)",
			     profile_field_name(f), syn);
		missing = 1;
	}
	if (im->kind == IMPORT_FLEET && im->col[PF_DATE] < 0 &&
	    (im->col[PF_PERIOD_START] < 0 || im->col[PF_PERIOD_END] < 0)) {
		profile_synonyms(im->prof, PF_DATE, syn, sizeof syn);
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "missing column 'date' (expected a header named %s, or "
			     "both period_start and period_end)", syn);
		missing = 1;
	}
	if (missing && note && note[0])
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1, "%s", note);
}

/* ---- the pass ----------------------------------------------------------- */

static void
progress(struct imp *im)
{
	struct timespec now;

	if (!im->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - im->last_progress.tv_sec) * 1000000000L +
		    (now.tv_nsec - im->last_progress.tv_nsec) >= 500000000L) {
		im->last_progress = now;
		im->o->progress(im->o->progress_ctx, im->rows_total);
	}
}

static int
process_row(struct imp *im, const struct csv_row *row, struct err *e)
{
	struct act a;
	char key[96];
	size_t keylen = 0;
	int rc;

	im->row = row;
	im->row_bad = 0;
	im->nreasons = 0;
	memset(&a, 0, sizeof a);
	if (row->n > im->nheader) {
		size_t i;
		i = im->nheader;
		{
			struct fv v = {"", 0, row->fline[i], row->fcol[i], 0};
			char d = csv_delim(im->csv);
			rowerr(im, &v, "line has %zu fields, the header has %zu (a '%s' "
			       "inside a value needs quotes)", row->n, im->nheader,
			       d == '\t' ? "tab" : (char[2]){d, 0});
		}
	}
	{
		struct fv v;
		get(im, PF_ORG, &v);
		if (!required(im, PF_ORG, &v))
			org_field(im, &v, &a.org_id);
	}
	if (im->kind == IMPORT_ENERGY)
		rc = row_energy(im, &a, key, &keylen);
	else if (im->kind == IMPORT_FLEET)
		rc = row_fleet(im, &a, key, &keylen);
	else
		rc = row_procurement(im, &a, key, &keylen);
	if (rc || im->row_bad) {
		im->rows_rejected++;
		if (!im->o->skip_invalid)
			im->writing = 0;
		return reject_row(im, row->line, NULL, e);
	}
	a.key_id = -1;
	if (a.kp) {
		int i;
		for (i = 0; i < FIT_CACHE; i++)
			if (im->kc[i].a == a.kp) {
				a.key_id = im->kc[i].id;
				break;
			}
	}
	if (a.key_id < 0) {
		if ((a.key_id = key_id(im, key, keylen, e)) < 0)
			return -1;
		if (a.kp) {
			im->kc[im->nkc].a = a.kp;
			im->kc[im->nkc].id = a.key_id;
			im->nkc = (im->nkc + 1) % FIT_CACHE;
		}
	}
	{
		struct rowid rid;
		struct fv v;
		uint64_t fp, h;
		rid.org_id = a.org_id;
		rid.key_id = a.key_id;
		rid.qty = a.qty;
		rid.s = a.s;
		rid.e = a.e;
		rid.unit = a.unit;
		rid.ident = a.ident;
		rid.ident_n = a.ident ? a.ident_n : 0;
		rid.site = a.site.n ? a.site.s : NULL;
		rid.site_n = a.site.n;
		rid.supplier = a.supplier.n ? a.supplier.s : NULL;
		rid.supplier_n = a.supplier.n;
		rid.description = a.description.n ? a.description.s : NULL;
		rid.description_n = a.description.n;
		fp = row_fp(&rid);
		h = h_int(h_int(h_int(fp, (uint64_t)a.quality),
				(uint64_t)(a.has_sf ? a.sf : INT64_MIN)),
			  a.tariff ? h_str(0, a.tariff, strlen(a.tariff)) : 0);
		im->dig_valid[0] += h;
		im->dig_valid[1] += mix64(h ^ 0x243f6a8885a308d3ULL);
		if (a.ident && by_period(im->kind, a.ident, a.s, a.e))
			get(im, im->kind == IMPORT_ENERGY ? PF_METER : PF_VEHICLE, &v);
		else
			get(im, im->kind == IMPORT_PROCUREMENT ? PF_AMOUNT : PF_QUANTITY, &v);
		if (guard_row(im, &rid, fp, &v)) {
			im->rows_rejected++;
			if (!im->o->skip_invalid)
				im->writing = 0;
			return reject_row(im, row->line, NULL, e);
		}
		im->dig_loaded[0] += h;
		im->dig_loaded[1] += mix64(h ^ 0x243f6a8885a308d3ULL);
	}
	im->rows_loaded++;
	if (im->writing)
		return insert(im, &a, key, keylen, e);
	return 0;
}

static const char SQL_BATCH_NEW[] =
	"INSERT INTO batch(kind, file, sha256, profile, imported_at) "
	"VALUES (?1, ?2, '', ?3, ?4)";
static const char SQL_BATCH_DONE[] =
	"UPDATE batch SET sha256 = ?2, rows_total = ?3, rows_loaded = ?4, "
	"rows_rejected = ?5, allow_overlap = ?6, overlap_rows = ?7, "
	"rows_digest = ?8, rows_sha256 = ?9 WHERE id = ?1";
static const char SQL_BATCH_SAME[] =
	"SELECT id, file, status, superseded_by, sha256 = ?1 FROM batch "
	"WHERE id <> ?3 AND id <> ?4 AND (sha256 = ?1 OR (kind = ?5 AND "
	"rows_digest = ?2)) ORDER BY status = 'active' DESC, id";
static const char SQL_BATCH_GET[] =
	"SELECT id, kind, file, sha256, profile, rows_total, rows_loaded, "
	"rows_rejected, imported_at, status, superseded_by, superseded_at, "
	"allow_overlap, overlap_rows FROM batch WHERE id = ?1";
static const char SQL_SUPERSEDE[] =
	"UPDATE batch SET status = 'superseded', superseded_by = ?2, "
	"superseded_at = ?3 WHERE id = ?1";
static int
audit_import(struct imp *im, const char *sha, struct err *e)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
			      "batch", (json_int_t)im->batch, "file", im->file,
			      "kind", KIND[im->kind], "profile", profile_name(im->prof),
			      "sha256", sha, "rows_sha256", im->rows_hex,
			      "rows_total", (json_int_t)im->rows_total,
			      "rows_loaded", (json_int_t)im->rows_loaded,
			      "rows_rejected", (json_int_t)im->rows_rejected);

	if (o && im->o->replace)
		json_object_set_new(o, "replaces", json_integer(im->o->replace));
	return audit_append_json(im->l, "batch.import", o, e);
}

static int
audit_remove(struct ledger *l, int64_t id, int64_t by, struct err *e)
{
	json_t *o = json_pack("{s:I}", "batch", (json_int_t)id);

	if (o && by) {
		json_object_set_new(o, "superseded_by", json_integer(by));
		json_object_set_new(o, "reason", json_string("replaced"));
	} else if (o) {
		json_object_set_new(o, "reason", json_string("removed"));
	}
	return audit_append_json(l, "batch.remove", o, e);
}

static void
imp_free(struct imp *im)
{
	profile_free(im->own_profile);
	org_tree_free(im->orgs);
	strmap_free(im->keys);
	strmap_free(im->idents);
	free(im->rec);
	free(im->fpt);
	for (size_t i = 1; i < im->nsrc; i++)
		free(im->src[i].file);
	free(im->src);
	free(im->blk);
	free(im->header);
	free(im->hfield);
	free(im->hlen);
	free(im->hcol);
	if (im->rej)
		outfile_abort(&im->rejf);
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

/* A column of numbers that all read as either thousands or three decimals
 * ("1.234") in a file whose decimal mark was inferred: refuse it rather
 * than guess by a factor of 1000. 1 after reporting. */
static int
ambiguous_columns(struct imp *im)
{
	static const enum profile_field NUM[] = {PF_QUANTITY, PF_SUPPLIER_FACTOR, PF_AMOUNT};
	size_t i;
	int found = 0;

	if (im->dec_pinned || im->dec != ',' || im->thou != '.')
		return 0;
	for (i = 0; i < sizeof NUM / sizeof NUM[0]; i++) {
		enum profile_field f = NUM[i];
		int c = im->col[f];
		if (c < 0 || im->nums[f] == 0 || im->ambig[f] != im->nums[f])
			continue;
		char what[40] = "";
		if (strcmp(im->hfield[c], profile_field_name(f)))
			snprintf(what, sizeof what, " (%s)", profile_field_name(f));
		errlist_addf(im->errs, ERR_DATA, im->file, 1, im->hcol[c],
			     "column '%.60s'%s: every value has three digits after a "
			     "single '.' (like '1.234'), which is 1234 with the decimal "
			     "comma this file seems to use but 1.234 in an English "
			     "export; say which with --decimal , or --decimal . (or "
			     "\"decimal\" in a profile)", im->hfield[c], what);
		found = 1;
	}
	return found;
}

static void
digest_text(const uint64_t d[2], long rows, char out[80])
{
	snprintf(out, 80, "%ld:%016llx%016llx", rows, (unsigned long long)d[0],
		 (unsigned long long)d[1]);
}

/* Warnings for what the guard could not check. */
static void
guard_notes(struct imp *im)
{
	if (!im->warns)
		return;
	if (im->idents_full)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "more than %d meters and vehicles in this file and the "
			     "active batches: rows of the others were not checked for "
			     "overlaps", IDENTS_MAX);
	if (im->fp_full)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "more than %d rows without a meter in this file and the "
			     "active batches: the others were not checked for repeats",
			     FP_ROWS_MAX);
	if (im->guard_oom)
		errlist_addf(im->warns, ERR_DATA, im->file, 0, 0,
			     "out of memory for the double-counting check: some rows "
			     "were not checked for overlaps");
}

/* The batch that superseded `id` last in a chain of replacements: *active
 * says whether it is in force. 0 when there is none. */
static int64_t
chain_end(struct ledger *l, int64_t by, int *active, struct err *e)
{
	struct import_batch b;
	int i;

	*active = 0;
	for (i = 0; by && i < 100000; i++) {
		if (import_batch_get(l, by, &b, e))
			return -1;
		if (strcmp(b.status, "active") == 0) {
			*active = 1;
			return by;
		}
		if (!b.superseded_by)
			return by;
		by = b.superseded_by;
	}
	return by;
}

/* Refuse a file whose bytes (SHA-256) or normalised rows are those of an
 * active batch, or of a batch another one superseded (it would come back
 * silently); -1 with *e then. */
static int
check_same(struct imp *im, const char *sha, const char *dig, struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(im->l, SQL_BATCH_SAME, e);
	int rc, refused = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, dig, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, im->batch);
	sqlite3_bind_int64(st, 4, im->o->replace);
	sqlite3_bind_text(st, 5, KIND[im->kind], -1, SQLITE_STATIC);
	while (!refused && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), by = sqlite3_column_int64(st, 3);
		const char *file = (const char *)sqlite3_column_text(st, 1);
		const char *status = (const char *)sqlite3_column_text(st, 2);
		const char *how = sqlite3_column_int(st, 4) ? "same SHA-256"
			: "the same rows, only the bytes differ: line ends, byte-order "
			  "mark, quoting or row order";
		char bfile[ERR_TEXT_MAX / 4];
		int64_t end;
		int active;

		snprintf(bfile, sizeof bfile, "%s", file ? file : "");
		if (status && strcmp(status, "active") == 0) {
			err_set(e, ERR_DATA, im->file, 0, 0,
				"already imported as batch %lld (%s, %s); nothing was "
				"imported (use --replace %lld to supersede that batch)",
				(long long)id, bfile, how, (long long)id);
			refused = 1;
			break;
		}
		if (!by)
			continue; /* removed with `batch remove`: loading it again is deliberate */
		sqlite3_reset(st);
		if ((end = chain_end(im->l, by, &active, e)) < 0)
			return -1;
		if (active && end != im->o->replace) {
			err_set(e, ERR_DATA, im->file, 0, 0,
				"this was imported as batch %lld (%s, %s), which batch %lld "
				"superseded; nothing was imported (a superseded batch does "
				"not come back silently: to go back to it, replace batch "
				"%lld, now in force, with --replace %lld)", (long long)id,
				bfile, how, (long long)by, (long long)end, (long long)end);
			return -1;
		}
		return 0; /* (the statement was reset; the first match decides) */
	}
	sqlite3_reset(st);
	if (refused)
		return -1;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : ledger_fail(im->l, rc, "checking for the same file", e);
}

static int
check_replace(struct ledger *l, enum import_kind kind, int64_t id, struct err *e)
{
	struct import_batch b;

	if (import_batch_get(l, id, &b, e))
		return -1;
	if (strcmp(b.status, "active"))
		return err_setf(e, ERR_DATA, "batch %lld is already superseded (by "
				"batch %lld); nothing to replace", (long long)id,
				(long long)b.superseded_by);
	if (strcmp(b.kind, KIND[kind]))
		return err_setf(e, ERR_DATA, "batch %lld holds %s rows, not %s (replace "
				"it with a file of the same kind)", (long long)id, b.kind,
				KIND[kind]);
	return 0;
}

static int
run(struct ledger *l, struct csv *csv, const struct import_opts *o,
    struct import_result *res, struct errlist *errs, struct errlist *warns,
    struct err *e)
{
	struct imp im;
	struct csv_row row;
	enum csv_result r;
	const struct profile_format *pf;
	char note[600], now[21];
	sqlite3_stmt *st;
	int rc = -1, in_tx = 0, fk_off = 0, fatal = 0;
	size_t base = errs->total; /* errors already in the list are not ours */
	size_t base_n = errs->n;
	char dig_valid[80], dig_loaded[80];
	struct err wr;

	memset(&im, 0, sizeof im);
	memset(res, 0, sizeof *res);
	im.l = l;
	sha256_init(&im.rows_sha);
	im.o = o;
	im.kind = o->kind;
	im.csv = csv;
	im.file = csv_name(csv);
	im.errs = errs;
	im.warns = warns;
	im.writing = 1;
	err_clear(&wr);
	if (compile_all(&im, e))
		goto out;
	if (!(im.keys = strmap_new()) || !(im.idents = strmap_new())) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	/* Foreign keys are checked by construction, not by SQLite (it would
	 * look up three parent rows per row, a third of the insert time): the
	 * batch is created below, activity keys are interned in this
	 * transaction, and org ids come from the tree read inside it (units
	 * are never deleted). The pragma only works outside a transaction. */
	if (ledger_exec(l, "PRAGMA foreign_keys = OFF", e))
		goto out;
	fk_off = 1;
	if (ledger_begin(l, e))
		goto out;
	in_tx = 1;
	if (o->replace && check_replace(l, o->kind, o->replace, e))
		goto out;
	if (org_tree_load(l, &im.orgs, e) || guard_load(&im, e))
		goto out;

	r = csv_next(csv, &row, e);
	if (r == CSV_END) {
		errlist_addf(errs, ERR_DATA, im.file, 1, 1,
			     "empty file (expected a header line and data rows)");
		goto data_error;
	}
	if (r != CSV_ROW) {
		errlist_add(errs, e);
		goto data_error;
	}
	note[0] = '\0';
	if (o->profile)
		im.prof = o->profile;
	else if (auto_profile(&im, &row, note, sizeof note, e))
		goto out;
	else
		im.prof = im.own_profile;
	snprintf(res->profile, sizeof res->profile, "%s", profile_name(im.prof));
	if (keep_header(&im, &row, e))
		goto out;
	map_columns(&im, &row);
	check_columns(&im, note);
	if (errs->total > base)
		goto data_error;

	pf = profile_format(im.prof);
	im.dec_pinned = o->decimal || (o->profile && pf->decimal);
	im.dec = o->decimal ? o->decimal : pf->decimal ? pf->decimal
		: csv_delim(csv) == ';' ? ',' : '.';
	im.thou = o->decimal ? (im.dec == ',' ? '.' : ',')
		: pf->thousands >= 0 ? (char)pf->thousands : im.dec == ',' ? '.' : 0;
	if (im.thou == im.dec)
		im.thou = 0;
	im.datefmt = pf->date;
	snprintf(im.num_example, sizeof im.num_example, "%s",
		 im.dec == ',' ? (im.thou == '.' ? "1.234,56" : "1234,56")
			       : (im.thou == ',' ? "1,234.56" : "1234.56"));
	snprintf(im.date_expect, sizeof im.date_expect, "%s",
		 im.datefmt == PROFILE_DATE_DMY2 ? "DD.MM.YY, DD.MM.YYYY or YYYY-MM-DD"
		 : im.datefmt == PROFILE_DATE_DMY_SLASH ? "DD/MM/YYYY or YYYY-MM-DD"
		 : im.datefmt == PROFILE_DATE_MDY_SLASH ? "MM/DD/YYYY or YYYY-MM-DD"
		 : im.datefmt == PROFILE_DATE_ISO ? "YYYY-MM-DD or DD.MM.YYYY"
						  : "DD.MM.YYYY or YYYY-MM-DD");
	if (o->rejects_path)
		snprintf(im.rej_path, sizeof im.rej_path, "%s", o->rejects_path);
	else
		snprintf(im.rej_path, sizeof im.rej_path, "%s.rejects.csv",
			 strcmp(im.file, "-") ? im.file : "stdin");

	date_now_iso(now);
	if (!(st = ledger_stmt(l, SQL_BATCH_NEW, e)))
		goto out;
	sqlite3_bind_text(st, 1, KIND[im.kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im.file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, profile_name(im.prof), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	if (ledger_step_done(l, st, "creating the batch", e))
		goto out;
	im.batch = sqlite3_last_insert_rowid(ledger_db(l));
	if (!(im.ins1 = ledger_stmt(l, SQL_INSERT1, e)) ||
	    !(im.insn = ledger_stmt(l, SQL_INSERTN, e)))
		goto out;
	if (!(im.blk = calloc(1, sizeof *im.blk))) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &im.last_progress);

	while ((r = csv_next(csv, &row, e)) != CSV_END) {
		if (r == CSV_FATAL) {
			errlist_add(errs, e);
			fatal = 1;
			break;
		}
		im.rows_total++;
		if ((im.rows_total & 0x3fff) == 0)
			progress(&im);
		if (r == CSV_BAD) {
			errlist_add(errs, e);
			im.rows_rejected++;
			if (!o->skip_invalid)
				im.writing = 0;
			if (reject_row(&im, e->line, e->text, &wr))
				goto io_error;
			continue;
		}
		if (process_row(&im, &row, &wr))
			goto io_error;
	}
	if (!fatal && im.rows_total == 0)
		errlist_addf(errs, ERR_DATA, im.file, 1, 1,
			     "no data rows (the file has only a header line)");
	if (!fatal && im.rows_total > 0 && ambiguous_columns(&im))
		fatal = 1; /* the whole file: which numbers it means is unknown */
	if (!fatal && im.rows_total > 0) {
		/* the same file, or the same rows, as a batch counted already:
		 * that alone is the error, not each of its rows */
		snprintf(res->sha256, sizeof res->sha256, "%s", csv_sha256(csv));
		digest_text(im.dig_valid, im.rows_loaded + im.clashes, dig_valid);
		if (check_same(&im, res->sha256, dig_valid, e)) {
			if (e->kind == ERR_DATA) {
				errs->n = base_n;
				errs->total = base;
				if (warns)
					warns->n = warns->total = 0;
			}
			goto out;
		}
	}
	guard_notes(&im);
	if (fatal || im.rows_total == 0 || (errs->total > base && !o->skip_invalid))
		goto data_error;
	if (im.rows_loaded == 0) {
		err_set(e, ERR_DATA, im.file, 0, 0,
			"no valid rows; nothing was imported (%ld rejected)",
			im.rows_rejected);
		errlist_sort(errs);
		goto out;
	}
	if (im.blk->n && store_now(&im, im.blk, e))
		goto out;
	digest_text(im.dig_loaded, im.rows_loaded, dig_loaded);
	if (!(st = ledger_stmt(l, SQL_BATCH_DONE, e)))
		goto out;
	sqlite3_bind_int64(st, 1, im.batch);
	sqlite3_bind_text(st, 2, res->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, im.rows_total);
	sqlite3_bind_int64(st, 4, im.rows_loaded);
	sqlite3_bind_int64(st, 5, im.rows_rejected);
	sqlite3_bind_int(st, 6, o->allow_overlap ? 1 : 0);
	sqlite3_bind_int64(st, 7, im.overlap_rows);
	sqlite3_bind_text(st, 8, dig_loaded, -1, SQLITE_STATIC);
	sha256_final_hex(&im.rows_sha, im.rows_hex);
	sqlite3_bind_text(st, 9, im.rows_hex, -1, SQLITE_STATIC);
	if (ledger_step_done(l, st, "finishing the batch", e))
		goto out;
	if (o->replace) {
		if (!(st = ledger_stmt(l, SQL_SUPERSEDE, e)))
			goto out;
		sqlite3_bind_int64(st, 1, o->replace);
		sqlite3_bind_int64(st, 2, im.batch);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		if (ledger_step_done(l, st, "superseding the replaced batch", e) ||
		    audit_remove(l, o->replace, im.batch, e))
			goto out;
	}
	if (audit_import(&im, res->sha256, e))
		goto out;
	if (o->dry_run) {
		ledger_rollback(l);
	} else if (ledger_commit(l, e)) {
		goto out;
	}
	in_tx = 0;
	if (im.rej) {
		im.rej = NULL;
		if (outfile_commit(&im.rejf, e))
			goto out;
		snprintf(res->rejects, sizeof res->rejects, "%s", im.rej_path);
	}
	rc = 0;
	goto out;
io_error:
	*e = wr;
	goto out;
data_error:
	errlist_sort(errs);
	if (!fatal && im.clashes && im.clash_src && !im.clash_mixed)
		err_set(e, ERR_DATA, im.file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"repeat%s rows of batch %lld (%s): if this file replaces that "
			"batch, use --replace %lld; to count both, --allow-overlap)",
			errs->total - base, errs->total - base == 1 ? "" : "s", im.rows_rejected,
			im.rows_rejected == 1 ? "" : "s", im.clashes, im.clashes == 1 ? "" : "s",
			im.clashes == 1 ? "s" : "", (long long)im.src[im.clash_src].batch,
			im.src[im.clash_src].file, (long long)im.src[im.clash_src].batch);
	else if (!fatal && im.clashes && !im.clash_mixed)
		err_set(e, ERR_DATA, im.file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"repeat%s earlier rows of this file: fix the file, or count "
			"them anyway with --allow-overlap)",
			errs->total - base, errs->total - base == 1 ? "" : "s", im.rows_rejected,
			im.rows_rejected == 1 ? "" : "s", im.clashes, im.clashes == 1 ? "" : "s",
			im.clashes == 1 ? "s" : "");
	else if (!fatal && im.clashes)
		err_set(e, ERR_DATA, im.file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"counted twice: fix the file, replace the batch they repeat with "
			"--replace N, or count them anyway with --allow-overlap)",
			errs->total - base, errs->total - base == 1 ? "" : "s", im.rows_rejected,
			im.rows_rejected == 1 ? "" : "s", im.clashes,
			im.clashes == 1 ? " would be" : "s would be");
	else if (!fatal && im.rows_rejected)
		err_set(e, ERR_DATA, im.file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (fix the "
			"file, or load the valid rows with --skip-invalid)",
			errs->total - base, errs->total - base == 1 ? "" : "s", im.rows_rejected,
			im.rows_rejected == 1 ? "" : "s");
	else
		err_set(e, ERR_DATA, im.file, 0, 0,
			"%zu error%s; nothing was imported (fix the file and run again)",
			errs->total - base, errs->total - base == 1 ? "" : "s");
out:
	if (in_tx)
		ledger_rollback(l);
	if (fk_off)
		ledger_exec(l, "PRAGMA foreign_keys = ON", &wr);
	if (im.rej) { /* a failed import leaves no rejects file behind */
		outfile_abort(&im.rejf);
		im.rej = NULL;
	}
	if (warns)
		errlist_sort(warns);
	res->batch = im.batch;
	res->rows_total = im.rows_total;
	res->rows_loaded = rc == 0 ? im.rows_loaded : 0;
	res->rows_rejected = im.rows_rejected;
	res->warnings = warns ? (long)warns->total : 0;
	res->overlap_rows = rc == 0 ? im.overlap_rows : 0;
	imp_free(&im);
	return rc;
}

static void
csv_options(const struct import_opts *o, struct csv_opts *co)
{
	memset(co, 0, sizeof *co);
	if (o->profile) {
		co->delim = profile_format(o->profile)->delimiter;
		co->encoding = profile_format(o->profile)->encoding;
	}
}

int
import_file(struct ledger *l, const char *path, const struct import_opts *o,
	    struct import_result *res, struct errlist *errs, struct errlist *warns,
	    struct err *e)
{
	struct csv_opts co;
	struct csv *csv;
	int rc;

	memset(res, 0, sizeof *res);
	csv_options(o, &co);
	if (csv_open(&csv, path, &co, e))
		return -1;
	rc = run(l, csv, o, res, errs, warns, e);
	csv_close(csv);
	return rc;
}

int
import_mem(struct ledger *l, const void *data, size_t n, const char *name,
	   const struct import_opts *o, struct import_result *res,
	   struct errlist *errs, struct errlist *warns, struct err *e)
{
	struct csv_opts co;
	struct csv *csv;
	int rc;

	memset(res, 0, sizeof *res);
	csv_options(o, &co);
	if (csv_open_mem(&csv, data, n, name, &co, e))
		return -1;
	rc = run(l, csv, o, res, errs, warns, e);
	csv_close(csv);
	return rc;
}

/* ---- batches ------------------------------------------------------------ */

static void
col_text(sqlite3_stmt *st, int i, char *buf, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(buf, n, "%s", s ? (const char *)s : "");
}

static void
read_batch(sqlite3_stmt *st, struct import_batch *b)
{
	b->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, b->kind, sizeof b->kind);
	col_text(st, 2, b->file, sizeof b->file);
	col_text(st, 3, b->sha256, sizeof b->sha256);
	col_text(st, 4, b->profile, sizeof b->profile);
	b->rows_total = (long)sqlite3_column_int64(st, 5);
	b->rows_loaded = (long)sqlite3_column_int64(st, 6);
	b->rows_rejected = (long)sqlite3_column_int64(st, 7);
	col_text(st, 8, b->imported_at, sizeof b->imported_at);
	col_text(st, 9, b->status, sizeof b->status);
	b->superseded_by = sqlite3_column_int64(st, 10);
	col_text(st, 11, b->superseded_at, sizeof b->superseded_at);
	b->allow_overlap = sqlite3_column_int(st, 12);
	b->overlap_rows = (long)sqlite3_column_int64(st, 13);
}

int
import_batch_get(struct ledger *l, int64_t id, struct import_batch *out, struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(l, SQL_BATCH_GET, e);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_batch(st, out);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_fail(l, rc, "reading a batch", e);
	return err_setf(e, ERR_DATA, "no batch %lld (see 'co2ledger batch list')",
			(long long)id);
}

static const char SQL_BATCH_ALL[] =
	"SELECT id, kind, file, sha256, profile, rows_total, rows_loaded, "
	"rows_rejected, imported_at, status, superseded_by, superseded_at, "
	"allow_overlap, overlap_rows FROM batch ORDER BY id";

int
import_batch_each(struct ledger *l, int (*fn)(void *ctx, const struct import_batch *b),
		  void *ctx, struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(l, SQL_BATCH_ALL, e);
	struct import_batch b;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_batch(st, &b);
		if (fn(ctx, &b))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
						     : ledger_fail(l, rc, "reading batches", e);
}

int
import_batch_remove(struct ledger *l, int64_t id, struct err *e)
{
	struct import_batch b;
	sqlite3_stmt *st;
	char now[21];

	if (ledger_begin(l, e))
		return -1;
	if (import_batch_get(l, id, &b, e))
		goto fail;
	if (strcmp(b.status, "active")) {
		err_setf(e, ERR_DATA, "batch %lld is already superseded (since %s); "
			 "nothing was changed", (long long)id, b.superseded_at);
		goto fail;
	}
	date_now_iso(now);
	if (!(st = ledger_stmt(l, SQL_SUPERSEDE, e)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (ledger_step_done(l, st, "removing the batch", e) ||
	    audit_remove(l, id, 0, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

static const char SQL_ROWS[] =
	"SELECT a.line, u.code, k.key, a.day_start, a.day_end, a.quantity, a.unit, "
	"a.quality, a.tariff, a.supplier_factor, a.ident, a.site, a.supplier, "
	"a.description FROM activity a JOIN org_unit u ON u.id = a.org_id "
	"JOIN activity_key k ON k.id = a.key_id WHERE a.batch_id = ?1 ORDER BY a.id";

int
import_batch_rows(struct ledger *l, int64_t id,
		  int (*fn)(void *ctx, const struct import_row *r), void *ctx,
		  struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(l, SQL_ROWS, e);
	struct import_row r;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.line = (long)sqlite3_column_int64(st, 0);
		r.org = (const char *)sqlite3_column_text(st, 1);
		r.key = (const char *)sqlite3_column_text(st, 2);
		r.day_start = sqlite3_column_int(st, 3);
		r.day_end = sqlite3_column_int(st, 4);
		r.quantity = sqlite3_column_int64(st, 5);
		r.unit = (const char *)sqlite3_column_text(st, 6);
		r.quality = sqlite3_column_int(st, 7);
		r.tariff = (const char *)sqlite3_column_text(st, 8);
		r.has_supplier_factor = sqlite3_column_type(st, 9) != SQLITE_NULL;
		r.supplier_factor = sqlite3_column_int64(st, 9);
		r.ident = (const char *)sqlite3_column_text(st, 10);
		r.site = (const char *)sqlite3_column_text(st, 11);
		r.supplier = (const char *)sqlite3_column_text(st, 12);
		r.description = (const char *)sqlite3_column_text(st, 13);
		if (fn(ctx, &r))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
						     : ledger_fail(l, rc, "reading rows", e);
}
