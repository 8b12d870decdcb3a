/*
 * Fuzz target: degree-day set parsing and validation
 * (factors/degreedays.h), with the located error messages, the canonical
 * JSON and its hash; for an accepted set every station's fields, the year
 * sums for every year its months touch and the weather correction with
 * them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors/degreedays.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new();
	struct dd_set *s = NULL;
	struct err e;
	size_t i, k, sink = 0;

	if (!errs)
		return 0;
	err_clear(&e);
	if (degreedays_parse((const char *)data, size, "fuzz.json", &s, errs, &e) == 0) {
		sink += strlen(degreedays_sha256(s)) + strlen(degreedays_canonical(s));
		sink += strlen(degreedays_method(s));
		for (i = 0; i < degreedays_count(s); i++) {
			const struct dd_station *st = degreedays_at(s, i);
			sink += strlen(st->id) + strlen(st->name) + strlen(st->citation);
			if (degreedays_station(s, st->id) == NULL)
				abort(); /* every station is found by its id */
			for (k = 0; k < st->nmonths; k++) {
				int64_t kd, out;
				struct err ye;
				if (k && st->months[k].year * 12 + st->months[k].month <=
						 st->months[k - 1].year * 12 + st->months[k - 1].month)
					abort(); /* ascending, each once */
				if (degreedays_year(st, st->months[k].year, &kd, &ye) == 0 &&
				    kd > 0 &&
				    degreedays_correct(1000000, 0, st->reference_kd, kd, &out) == 0)
					sink += (size_t)(out & 1);
			}
		}
		degreedays_free(s);
	}
	for (i = 0; i < errs->n; i++)
		sink += strlen(errs->items[i].text);
	errlist_free(errs);
	return sink == (size_t)-1;
}
