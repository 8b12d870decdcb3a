/*
 * factors_int: what the factor module's own files share (parsing in
 * parse.c, the registry in registry.c, lookup and conversion in lookup.c).
 * Nothing outside factors/ includes this header.
 */
#ifndef CO2_FACTORS_INT_H
#define CO2_FACTORS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sha256.h"
#include "factors/factors.h"

/* A chunked string arena: everything a parsed set points to lives here. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);

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

/* Natural order of version strings: digit runs compare as numbers. */
int factors_version_cmp(const char *a, const char *b);

#endif
