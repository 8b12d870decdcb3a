/* primary: see primary.h. */
#include <string.h>

#include "factors/primary.h"

#define GEG_ROW "GEG Anlage 4 (BGBl. I 2020, 1775), "
#define GEG_READ "[V] read in the law text of GEG Anlage 4 \"Primärenergiefaktoren\", " \
		 "column \"nicht erneuerbarer Anteil\""

static const struct primary_factor geg_factors[] = {
	{"biogas", {11, 10}, "1.1", GEG_ROW "Nr. 6, Biogene Brennstoffe: Biogas", GEG_READ},
	{"electricity", {9, 5}, "1.8", GEG_ROW "Nr. 9, Strom netzbezogen", GEG_READ},
	{"heating_oil", {11, 10}, "1.1", GEG_ROW "Nr. 1, Fossile Brennstoffe: Heizöl", GEG_READ},
	{"lpg", {11, 10}, "1.1", GEG_ROW "Nr. 3, Fossile Brennstoffe: Flüssiggas", GEG_READ},
	{"natural_gas", {11, 10}, "1.1", GEG_ROW "Nr. 2, Fossile Brennstoffe: Erdgas", GEG_READ},
	{"wood_pellets", {1, 5}, "0.2", GEG_ROW "Nr. 8, Biogene Brennstoffe: Holz", GEG_READ},
};

static const struct primary_set geg = {
	"geg-anlage4", "2020",
	"Gebäudeenergiegesetz (GEG), Anlage 4 (zu § 22 Absatz 1) "
	"\"Primärenergiefaktoren\", Fundstelle BGBl. I 2020, 1775; law text as "
	"published on gesetze-im-internet.de",
	"kWh primary energy (non-renewable part) per kWh final energy (Hi); "
	"district heat has no default (a network's certified factor is data of "
	"the site), vehicle fuels are not in Anlage 4",
	geg_factors, sizeof geg_factors / sizeof geg_factors[0],
};

const struct primary_set *
primary_set_default(void)
{
	return &geg;
}

const struct primary_factor *
primary_lookup(const struct primary_set *s, const char *carrier)
{
	size_t i;

	if (!s || !carrier)
		return NULL;
	for (i = 0; i < s->nfactors; i++)
		if (strcmp(s->factors[i].carrier, carrier) == 0)
			return &s->factors[i];
	return NULL;
}

int
primary_apply(const struct primary_factor *f, int64_t ukwh, int64_t *out)
{
	/* ukwh = a x den + b, so ukwh x num / den = a x num + b x num / den
	 * with |b x num| < den x num: no intermediate overflow */
	int64_t den = f->factor.den, num = f->factor.num;
	int64_t a = ukwh / den, b = ukwh % den, p, q, r;

	if (__builtin_mul_overflow(a, num, &p))
		return -1;
	q = b * num / den;
	r = b * num % den;
	if (2 * (r < 0 ? -r : r) >= den)
		q += r < 0 ? -1 : 1;
	return __builtin_add_overflow(p, q, out) ? -1 : 0;
}
