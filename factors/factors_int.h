/*
 * factors_int: what the factor module's own files share: the text side in
 * canon.c (exact numbers, canonical JSON, positions), validation in
 * parse.c, activity keys and units in keys.c, a set's accessors in set.c,
 * the registry in registry.c, lookup and conversion in lookup.c.
 * Nothing outside factors/ includes this header, so json_t stays inside
 * the module.
 */
#ifndef CO2_FACTORS_INT_H
#define CO2_FACTORS_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sha256.h"
#include "factors/factors.h"

/* A chunked string arena: everything a parsed set points to lives here. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

char *factors_arena_strndup(struct arena *a, const char *s, size_t n);
char *factors_arena_strdup(struct arena *a, const char *s); /* NULL -> NULL */
void factors_arena_release(struct arena *a);

/* ---- numbers (canon.c) ---- */

#define PICO_MAX_TEXT "9223372.036854775807" /* INT64_MAX at 12 decimals */

/* `d` as its shortest round-trip decimal in plain notation ("0.0000036"). */
void factors_real_plain(double d, char *out, size_t n);
enum { PICO_OK, PICO_RANGE, PICO_TINY };
/* A plain decimal scaled to pico-units, rounded half away from zero past 12
 * decimals; PICO_RANGE when too large, PICO_TINY when a non-zero value
 * would round to 0. */
int factors_pico_from_plain(const char *txt, int64_t *out /* OUT */);

/* ---- canonical JSON (canon.c) ---- */

/* The canonical JSON of `v` (malloc'd), or NULL when out of memory. */
char *factors_canon_dup(const json_t *v, size_t *len /* OUT, may be NULL */);

/* ---- JSON paths and their positions in the raw text (canon.c) ---- */

struct pseg {
	const char *key; /* NULL: array index */
	size_t idx;
};

#define PATH_MAX_SEGS 6

struct ppath {
	struct pseg s[PATH_MAX_SEGS];
	int n; /* 0 is the document, "$" */
};

/* The path one member or element deeper (keys are borrowed, not copied). */
struct ppath factors_path_key(const struct ppath *p, const char *key);
struct ppath factors_path_idx(const struct ppath *p, size_t idx);
/* "$.factors[3].unit"; keys that are not identifiers as ["a b"]. */
void factors_path_format(const struct ppath *p, char *out, size_t n);
/* Line and column (1-based, columns in characters) of the value at `p` in
 * text[0..len), or of its key when at_key; when the path cannot be
 * followed, the deepest position reached. */
void factors_locate(const char *text, size_t len, const struct ppath *p,
		    int at_key, long *line /* OUT */, long *col /* OUT */);

struct factor_set {
	char *name, *version, *published, *description, *license, *source, *notes;
	int32_t published_day;
	char sha256[SHA256_HEX_LEN + 1];
	char *canonical;          /* the canonical JSON of the whole file */
	size_t canonical_len;
	struct factor *f;         /* the factors, in file order */
	char **fjson;             /* canonical JSON of each factor object */
	size_t nf;
	struct factor_conversion *conv;
	size_t nconv;
	struct factor_price *pi;  /* sorted by year */
	size_t npi;
	struct arena strings;
};

/* Whether a factor for `activity` may be market-based (the catalogue's
 * market rule; keys.c). */
int factors_market_allowed(const char *activity);

/* Order of version strings, total: natural order (digit runs compare as
 * numbers), then for versions equal as numbers the longer spelling, then
 * bytes. */
int factors_version_cmp(const char *a, const char *b);

#endif
