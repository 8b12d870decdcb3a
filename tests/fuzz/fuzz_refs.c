/*
 * Fuzz target for the factor-set references a person types: calc's
 * --factors list (factor_refs_parse) and one NAME[@VERSION]
 * (factor_ref_parse). Every reference must have a non-empty name, a version
 * that is NULL or non-empty, and no more references than entries.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors/factors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct factor_ref *refs, one;
	struct err e;
	size_t n, i, commas = 0;
	char *buf;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; s[i]; i++)
		commas += s[i] == ',';
	if (factor_refs_parse(s, &refs, &n, &e) == 0) {
		if (n == 0 || n > commas + 1)
			abort();
		for (i = 0; i < n; i++)
			if (!*refs[i].name || (refs[i].version && !*refs[i].version))
				abort();
		free(refs);
	} else if (e.kind != ERR_USAGE && e.kind != ERR_IO) {
		abort();
	}
	if (factor_ref_parse(s, &one, &buf, &e) == 0) {
		if (!*one.name || (one.version && !*one.version))
			abort();
		free(buf);
	}
	free(s);
	return 0;
}
