/*
 * Fuzz target: factor-set parsing and validation, with the located error
 * messages (the raw-text scanner), the canonical JSON, and conversions
 * between every pair of units for every activity the set names; for an
 * accepted set also every accessor (hash, canonical text, each factor's
 * fields and CO2e under each GWP set, conversions, price indices), and the
 * parse again stopping at the first error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors/factors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const UNITS[] = {"kWh", "MWh_Hs", "m3", "l", "kg", "GJ", "km", "EUR"};

static size_t
exercise(const struct factor_set *s)
{
	const char *gwps[] = {"AR4", "AR5", "AR6"};
	size_t i, j, k, sink = 0;
	char buf[64], path[256];
	struct ratio r;
	struct err e;

	sink += strlen(factor_set_sha256(s)) + strlen(factor_set_canonical(s));
	sink += strlen(factor_set_name(s)) + strlen(factor_set_version(s));
	sink += strlen(factor_set_published(s));
	if (factor_set_description(s))
		sink += strlen(factor_set_description(s));
	for (i = 0; i < factor_set_count(s); i++) {
		const struct factor *f = factor_set_at(s, i);
		int64_t v;

		sink += strlen(f->id) + strlen(f->activity) + strlen(f->region);
		sink += strlen(factor_set_factor_json(s, i));
		sink += (size_t)factors_format_value(f->co2e, buf, sizeof buf);
		sink += (size_t)factors_format_value(f->upstream_co2e, buf, sizeof buf);
		for (k = 0; k < 3; k++)
			if (factor_co2e_x10(f, gwp_find(gwps[k]), &v) == 0)
				sink += (size_t)(v & 1);
		sink += (size_t)factors_unit_fits(f->activity, f->unit);
		sink += strlen(factors_units_for(f->activity));
		/* from a few units to the factor's own */
		for (j = 0; j < 8 && i < 8; j++)
			if (factor_set_convert(s, f->activity,
					       units_find(UNITS[j], strlen(UNITS[j])),
					       f->unit, &r, path, sizeof path, &e) == 0)
				sink += (size_t)(r.den & 1);
	}
	for (i = 0; i < factor_set_nconversions(s); i++) {
		const struct factor_conversion *c = factor_set_conversion_at(s, i);
		if (factor_set_convert(s, c->activity, c->to, c->from, &r, path,
				       sizeof path, &e) == 0)
			sink += (size_t)(r.num & 1);
		sink += strlen(c->factor);
	}
	for (i = 0; i < factor_set_nprices(s); i++) {
		const struct factor_price *p = factor_set_price_at(s, i);
		if (factor_set_price_index(s, p->year, &r) == 0)
			sink += (size_t)(r.num & 1) + strlen(p->text);
	}
	return sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new();
	struct factor_set *s = NULL;
	struct err e;
	size_t i, a, b;
	volatile size_t sink = 0;
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
		sink += exercise(s);
		factor_set_free(s);
	}
	errlist_free(errs);
	if (factor_set_parse((const char *)data, size, "fuzz.json", &s, NULL, &e) == 0)
		factor_set_free(s);
	if ((c = factors_canonical((const char *)data, size, &e))) {
		sink += strlen(c);
		free(c);
	}
	(void)sink;
	return 0;
}
