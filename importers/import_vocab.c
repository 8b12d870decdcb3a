/*
 * import_vocab: the carriers and fuels an activity row may name, the units
 * that fit each, and the activity keys they make ("energy.electricity",
 * "fleet.distance.car_medium", "procurement.cpv.72000000").
 */
#include "importers/import_int.h"

#include <stdio.h>
#include <string.h>

/* ---- units per carrier and fuel ---------------------------------------- */

struct allowed {
	const char *what;          /* carrier or fuel */
	const char *const *units;  /* canonical units that fit */
};

#define U(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct allowed ENERGY_UNITS[] = {
	{"electricity", U("Wh", "kWh", "MWh", "GWh")},
	{"district_heating", U("kWh", "MWh", "GWh", "MJ", "GJ", "TJ")},
	{"district_cooling", U("kWh", "MWh", "GWh", "MJ", "GJ", "TJ")},
	{"natural_gas", U("kWh", "MWh", "GWh", "kWh_Hs", "MWh_Hs", "m3", "GJ")},
	{"biogas", U("kWh", "MWh", "GWh", "kWh_Hs", "MWh_Hs", "m3", "GJ")},
	{"heating_oil", U("l", "m3", "kWh", "MWh", "kWh_Hs", "MWh_Hs")},
	{"lpg", U("l", "kg", "t", "kWh", "MWh", "kWh_Hs", "MWh_Hs")},
	{"wood_pellets", U("kg", "t", "kWh", "MWh")},
	{NULL, NULL},
};
static const struct allowed FLEET_UNITS[] = {
	{"diesel", U("l")},
	{"petrol", U("l")},
	{"hvo", U("l")},
	{"lpg", U("l", "kg")},
	{"cng", U("kg")},
	{"electricity", U("kWh")},
	{"distance", U("km")},
	{NULL, NULL},
};
#undef U

static const struct allowed *
allowed_for(enum import_kind k, const char *what)
{
	const struct allowed *a = k == IMPORT_ENERGY ? ENERGY_UNITS : FLEET_UNITS;

	for (; a->what; a++)
		if (strcmp(a->what, what) == 0)
			return a;
	return NULL;
}

static int
unit_fits(const struct allowed *a, const char *unit)
{
	int i;

	for (i = 0; a->units[i]; i++)
		if (strcmp(a->units[i], unit) == 0)
			return 1;
	return 0;
}

static void
unit_list(const struct allowed *a, char *buf, size_t n)
{
	size_t w = 0;
	int i, k;

	for (k = 0; a->units[k]; k++)
		;
	buf[0] = '\0';
	for (i = 0; i < k && w < n; i++)
		w += (size_t)snprintf(buf + w, n - w, "%s%s", i == 0 ? "" : i == k - 1 ? " or " : ", ",
				      a->units[i]);
}

/* ---- one row ------------------------------------------------------------ */

/* Concatenate the strings a, b and c (c may be NULL) into buf (at least 96
 * bytes; tokens are at most 40); returns the length. */
size_t
imp_key_cat(char *buf, const char *a, const char *b, const char *c)
{
	size_t n = strlen(a), m = strlen(b);

	memcpy(buf, a, n);
	memcpy(buf + n, b, m);
	n += m;
	if (c) {
		m = strlen(c);
		memcpy(buf + n, c, m);
		n += m;
	}
	buf[n] = '\0';
	return n;
}

int
imp_unit_field(struct imp *im, const struct fv *v, const char *what, const struct fv *wv,
	   const char **unit)
{
	const struct allowed *a;
	char list[200];
	int i;

	if (imp_mapped(im, PF_UNIT, v, unit) && **unit) {
		for (i = 0; i < FIT_CACHE; i++) /* pairs already found to fit */
			if (im->fit[i].what == what && im->fit[i].unit == *unit)
				return 0;
	}
	a = allowed_for(im->kind, what);
	if (!*unit || !**unit) {
		unit_list(a, list, sizeof list);
		imp_rowerr(im, v, "unknown unit '%.*s' (expected for %s: %s)",
		       v->n > 64 ? 64 : (int)v->n, v->s, what, list);
		return -1;
	}
	if (!unit_fits(a, *unit)) {
		unit_list(a, list, sizeof list);
		imp_rowerr(im, v, "unit '%.*s' does not fit %s '%.*s' (expected for %s: %s)",
		       (int)v->n, v->s, im->kind == IMPORT_ENERGY ? "carrier" : "fuel",
		       (int)wv->n, wv->s, what, list);
		return -1;
	}
	im->fit[im->nfit].what = what;
	im->fit[im->nfit].unit = *unit;
	im->nfit = (im->nfit + 1) % FIT_CACHE;
	return 0;
}
