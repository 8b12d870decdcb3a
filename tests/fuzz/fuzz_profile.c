/*
 * Fuzz target for mapping profiles: parse and validate any bytes as a
 * `co2ledger-profile/1` file, collecting every error.
 */
#include <stddef.h>
#include <stdint.h>

#include "importers/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new();
	struct profile *p = NULL;
	struct err e;

	if (errs && profile_parse((const char *)data, size, "fuzz.json", &p, errs, &e) == 0)
		profile_free(p);
	errlist_free(errs);
	return 0;
}
