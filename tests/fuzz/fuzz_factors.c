/*
 * Fuzz target: factor-set parsing and validation, with the located error
 * messages (the raw-text scanner), the canonical JSON, and conversions
 * between every pair of units for every activity the set names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors/factors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const UNITS[] = {"kWh", "MWh_Hs", "m3", "l", "kg", "GJ", "km", "EUR"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new();
	struct factor_set *s = NULL;
	struct err e;
	size_t i, a, b;
	char *c;

	if (!errs)
		return 0;
	if (factor_set_parse((const char *)data, size, "fuzz.json", &s, errs, &e) == 0) {
		for (i = 0; i < factor_set_count(s) && i < 8; i++) {
			const struct factor *f = factor_set_at(s, i);
			for (a = 0; a < 8; a++)
				for (b = 0; b < 8; b++) {
					struct ratio r;
					char path[128];
					factor_set_convert(s, f->activity,
							   units_find(UNITS[a], strlen(UNITS[a])),
							   units_find(UNITS[b], strlen(UNITS[b])), &r,
							   path, sizeof path, &e);
				}
		}
		factor_set_free(s);
	}
	errlist_free(errs);
	if ((c = factors_canonical((const char *)data, size, &e)))
		free(c);
	return 0;
}
