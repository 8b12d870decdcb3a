/*
 * jsonpos: where a value stands in the text of a JSON document.
 *
 * Jansson tells where a syntax error is, but a loader that validates the
 * parsed tree knows a bad value only by its path ($.values.carrier.Strom).
 * jsonpos_locate() walks the raw text along that path and returns the line
 * and column of the value (or of its key), so a message can point into the
 * file. Keys are compared after decoding their escapes, surrogate pairs
 * included, as Jansson decodes them, whatever their length. The text is
 * only read; nothing is allocated.
 */
#ifndef CO2_JSONPOS_H
#define CO2_JSONPOS_H

#include <stddef.h>

struct jsonpos_step {
	const char *key; /* member name (UTF-8), or NULL for an array element */
	size_t idx;      /* the element's index when key is NULL */
};

/* Line and column (1-based; columns count characters, not bytes) of the
 * value at path[0..n) in text[0..len), or of its key when at_key and the
 * last step is a member; the document itself for n == 0. When the path
 * cannot be followed, the position of the deepest step found. */
void jsonpos_locate(const char *text, size_t len, const struct jsonpos_step *path,
		    size_t n, int at_key, long *line /* OUT */, long *col /* OUT */);

#endif
