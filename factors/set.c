/*
 * set: what a parsed factor set shows of itself (see factors.h); the set is
 * built by parse.c.
 */
#include "factors/factors_int.h"

#include <stddef.h>

#include "base/units.h"

const char *
factor_set_name(const struct factor_set *s)
{
	return s->name;
}

const char *
factor_set_version(const struct factor_set *s)
{
	return s->version;
}

const char *
factor_set_sha256(const struct factor_set *s)
{
	return s->sha256;
}

size_t
factor_set_count(const struct factor_set *s)
{
	return s->nf;
}

const struct factor *
factor_set_at(const struct factor_set *s, size_t i)
{
	return i < s->nf ? &s->f[i] : NULL;
}

const char *
factor_set_published(const struct factor_set *s)
{
	return s->published;
}

const char *
factor_set_description(const struct factor_set *s)
{
	return s->description;
}

const char *
factor_set_license(const struct factor_set *s)
{
	return s->license;
}

const char *
factor_set_source(const struct factor_set *s)
{
	return s->source;
}

const char *
factor_set_canonical(const struct factor_set *s)
{
	return s->canonical;
}

const char *
factor_set_factor_json(const struct factor_set *s, size_t i)
{
	return i < s->nf ? s->fjson[i] : NULL;
}

size_t
factor_set_nconversions(const struct factor_set *s)
{
	return s->nconv;
}

const struct factor_conversion *
factor_set_conversion_at(const struct factor_set *s, size_t i)
{
	return i < s->nconv ? &s->conv[i] : NULL;
}

size_t
factor_set_nprices(const struct factor_set *s)
{
	return s->npi;
}

const struct factor_price *
factor_set_price_at(const struct factor_set *s, size_t i)
{
	return i < s->npi ? &s->pi[i] : NULL;
}

int
factor_set_price_index(const struct factor_set *s, int year, struct ratio *out)
{
	size_t i;

	for (i = 0; i < s->npi; i++)
		if (s->pi[i].year == year) {
			*out = s->pi[i].index;
			return 0;
		}
	return -1;
}

int
factor_co2e_x10(const struct factor *f, const struct gwp *g, int64_t *out)
{
	if (!f->has_gases) {
		if (__builtin_mul_overflow(f->co2e, (int64_t)10, out))
			return -1;
		return 0;
	}
	return gwp_co2e_x10(g, f->co2, f->ch4_fossil, f->ch4_biogenic, f->n2o, out);
}
