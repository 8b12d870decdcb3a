/*
 * import_vocab: the carriers and fuels an activity row may name, the units
 * that fit each, and the activity keys they make ("energy.electricity",
 * "fleet.distance.car_medium", "procurement.cpv.72000000").
 */
#include "importers/import_int.h"

#include "base/activity.h"

#include <stdio.h>
#include <string.h>

/* ---- units per carrier and fuel ---------------------------------------- */

/* The catalogue entry (base/activity.h) whose row units a carrier or fuel
 * takes: `what` is an energy carrier, a fleet fuel, or "distance" (every
 * vehicle class is driven in km). */
static const struct activity *
allowed_for(enum import_kind k, const char *what)
{
	size_t n;
	const struct activity *all;

	if (k == IMPORT_ENERGY)
		return activity_find(ACT_ENERGY, what, strlen(what));
	if (strcmp(what, "distance") != 0)
		return activity_find(ACT_FLEET, what, strlen(what));
	all = activity_all(&n);
	for (; n; n--, all++)
		if (all->kind == ACT_DISTANCE)
			return all;
	return NULL;
}

/* "l, m3 or kWh": the row units of `a` as a message lists them. */
static void
unit_list(const struct activity *a, char *buf, size_t n)
{
	const char *u = a ? a->units : "";
	size_t w = 0;
	int first = 1;

	buf[0] = '\0';
	while (*u && w < n) {
		size_t m = strcspn(u, " ");
		const char *next = u + m;
		while (*next == ' ')
			next++;
		w += (size_t)snprintf(buf + w, n - w, "%s%.*s",
				      first ? "" : *next ? ", " : " or ", (int)m, u);
		first = 0;
		u = next;
	}
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
	const struct activity *a;
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
	if (!a || !activity_row_unit(a, *unit)) {
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
