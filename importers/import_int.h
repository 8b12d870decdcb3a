/*
 * import_int: the state shared by the files of the importer (import.c and
 * import_*.c); not for other modules, which use import.h.
 *
 * One import is one `struct imp`, allocated once per file (it holds the
 * per-field value caches, about 130 KB) and released by imp_release(). The
 * pass is: the header (import_header.c) chooses the profile and maps the
 * columns; each row is checked field by field (import_fields.c,
 * import_vocab.c, import_rows.c), against rows already counted
 * (import_guard.c), then inserted in blocks (import_store.c) or written to
 * the rejects file (import_rejects.c); the batch is checked, finished and
 * audited at the end (import_batch.c). Functions here report row errors
 * into im->errs and return 0 or -1; -1 with a struct err is an I/O or
 * database failure.
 */
#ifndef CO2_IMPORT_INT_H
#define CO2_IMPORT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "store/db.h"
#include <stdint.h>
#include <time.h>

#include "base/csv.h"
#include "base/outfile.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "importers/import.h"

struct org_tree;
struct strmap;

#define QTY_SCALE 6          /* quantities in micro-units */
#define SF_SCALE 9           /* supplier factors in nano-kg per kWh */
#define IDENT_MAX 64         /* meter and vehicle ids */
#define TEXT_MAX 2000        /* site, supplier, description */
#define ROW_ERRS 6           /* reasons kept per row for the rejects file */
#define CACHE_RAW 64
#define KEYS_MAX 100000       /* activity keys per file (CPV has about 9500 codes) */
/* Up to three suggested org codes, "'A', 'B', 'C'": a code of at most 64
 * bytes is only close to codes of at most 64 bytes (text_distance), so
 * they fit whole. */
#define ORG_SUGG_MAX (3 * (64 + 4) + 1)
#define FIT_CACHE 16          /* carrier/unit pairs and keys remembered */

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

static inline unsigned
imp_slot(const char *s, size_t n)
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
	const char *auto_name;  /* "canonical" or "de": the profile auto chose */
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
	char bad_org[CACHE_RAW], bad_org_sugg[ORG_SUGG_MAX]; /* the last unknown org code */
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
	struct db_bulk *bulk;      /* the rows' bulk append (db.h), while storing */
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
	struct strbuf rej_path;  /* where the rejects file goes */

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

/* The fields that make two rows the same for the guard. */
struct rowid {
	int64_t org_id, key_id, qty;
	int32_t s, e;
	const char *unit, *ident, *site, *supplier, *description;
	size_t ident_n, site_n, supplier_n, description_n;
};

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


/* ---- import_fields.c: field parsers ------------------------------------- */

/* Record an error of the current row at field value v. */
void imp_rowerr(struct imp *im, const struct fv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Compile the patterns of the slow paths; -1 with *e. */
int imp_compile(struct imp *im, struct err *e);
void imp_regex_free(struct imp *im);
/* 1 when pattern c matches s[0..n) (the groups in im->md). */
int imp_match(struct imp *im, pcre2_code *c, const char *s, size_t n);
/* Each validates one field value and returns 0, or -1 after a row error. */
int imp_date_field(struct imp *im, enum profile_field f, const struct fv *v, int32_t *out);
int imp_number_field(struct imp *im, enum profile_field f, const struct fv *v, int scale,
		     int64_t *out);
int imp_required(struct imp *im, enum profile_field f, const struct fv *v);
int imp_token_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
		    size_t bufn, const char **out);
int imp_text_field(struct imp *im, enum profile_field f, const struct fv *v, size_t max);
int imp_plain_field(struct imp *im, enum profile_field f, const struct fv *v);
int imp_ident_field(struct imp *im, enum profile_field f, const struct fv *v, char *buf,
		    size_t *len);
/* The canonical value of a closed-vocabulary field, NULL after a row error. */
const char *imp_vocab_field(struct imp *im, enum profile_field f, const struct fv *v);
/* The value of field f in the current row, the profile's default when empty. */
void imp_get(struct imp *im, enum profile_field f, struct fv *v);
/* v mapped through the profile (cached): 1 with *out, 0 when unknown. */
int imp_mapped(struct imp *im, enum profile_field f, const struct fv *v, const char **out);

/* ---- import_vocab.c: carriers, fuels, units, activity keys -------------- */

/* Check the unit of a row whose carrier or fuel is `what` (canonical). */
int imp_unit_field(struct imp *im, const struct fv *v, const char *what,
		   const struct fv *wv, const char **unit);
/* a b c (c may be NULL) into buf (at least 96 bytes); returns the length. */
size_t imp_key_cat(char *buf, const char *a, const char *b, const char *c);

/* ---- import_rows.c: one row ---------------------------------------------- */

int imp_process_row(struct imp *im, const struct csv_row *row, struct err *e);
void imp_progress(struct imp *im);

/* ---- import_guard.c: double counting ------------------------------------ */

int imp_guard_load(struct imp *im, struct err *e);
/* Check the current valid row, keep the batch digests; 1 when it is refused. */
int imp_guard_act(struct imp *im, const struct act *a);
void imp_guard_notes(struct imp *im);
void imp_guard_free(struct imp *im);
void imp_digest_text(const uint64_t d[2], long rows, char out[80]);

/* ---- import_store.c: keys and the rows ------------------------------------ */

int64_t imp_key_id(struct imp *im, const char *key, size_t n, struct err *e);
/* Start the bulk append of the rows; -1 with *e. */
int imp_store_open(struct imp *im, struct err *e);
int imp_insert(struct imp *im, const struct act *a, const char *key, size_t keylen,
	       struct err *e);
/* Store the rows still waiting and end the bulk append. */
int imp_store_flush(struct imp *im, struct err *e);
/* End the bulk append of an import that is rolled back (before the
 * rollback). */
void imp_store_abort(struct imp *im);

/* ---- import_rejects.c ---------------------------------------------------- */

/* Write row `line` to the rejects file (--skip-invalid, not on a dry run),
 * with its reasons, or fallback_reason for a row the reader refused. */
int imp_reject_row(struct imp *im, long line, const char *fallback_reason, struct err *e);
/* The rejects file's path: the option's, else "<file>.rejects.csv". */
int imp_rejects_path(struct imp *im, struct err *e);
/* Rename the finished rejects file into place (its path in res). */
int imp_rejects_commit(struct imp *im, struct import_result *res, struct err *e);
void imp_rejects_abort(struct imp *im);

/* ---- import_header.c ----------------------------------------------------- */

int imp_keep_header(struct imp *im, const struct csv_row *h, struct err *e);
/* note[0..noten) receives why the shipped profile could not be used. */
int imp_auto_profile(struct imp *im, const struct csv_row *h, char *note, size_t noten,
		     struct err *e);
int imp_map_columns(struct imp *im, const struct csv_row *h);
void imp_check_columns(struct imp *im, const char *note);
/* The decimal and thousands marks, date form and their examples. */
void imp_number_format(struct imp *im);
int imp_ambiguous_columns(struct imp *im);

/* ---- import_batch.c ------------------------------------------------------ */

/* A batch's file name for a message that must keep room for its advice:
 * whole when it has at most IMP_SHOWN_MAX bytes, else "..." and its end
 * (the file name), so a cut is always visible. */
#define IMP_SHOWN_MAX 120
void imp_name_end(const char *s, char out[IMP_SHOWN_MAX + 1]);

int imp_check_replace(struct ledger *l, enum import_kind kind, int64_t id, struct err *e);
int imp_check_same(struct imp *im, const char *sha, const char *dig, struct err *e);
/* Create the batch row (im->batch); -1 with *e. */
int imp_batch_create(struct imp *im, const char *now, struct err *e);
/* Finish the batch: counts and digests, the replaced batch superseded, the
 * audit entries. */
int imp_batch_finish(struct imp *im, const char *sha, const char *now, struct err *e);

#endif
