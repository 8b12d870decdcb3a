/*
 * keys: activity keys and the units that fit them, for factor files (see
 * factors.h). What is known comes from the activity catalogue
 * (base/activity.h); this file adds the key grammar (fleet.distance.<class>,
 * procurement.cpv.<digits>) and the messages.
 */
#include "factors/factors_int.h"

#include <stdio.h>
#include <string.h>

#include "base/activity.h"
#include "base/strbuf.h"
#include "base/units.h"

static int
has_prefix(const char *s, size_t n, const char *pre)
{
	size_t m = strlen(pre);
	return n >= m && memcmp(s, pre, m) == 0;
}

/* Why a carrier or fuel is unknown, with the catalogue's names. */
static void
unknown_name(enum activity_kind k, const char *key, size_t len, size_t skip,
	     char *why, size_t n)
{
	struct strbuf names = STRBUF_INIT;

	activity_list(k, ", ", &names);
	if (k == ACT_ENERGY)
		snprintf(why, n, "unknown energy carrier '%.*s' in activity '%.*s' "
			 "(expected one of %s)", (int)(len - skip), key + skip,
			 (int)len, key, strbuf_str(&names));
	else
		snprintf(why, n, "unknown fuel '%.*s' in activity '%.*s' (expected one "
			 "of %s, or distance.<vehicle_class>)", (int)(len - skip),
			 key + skip, (int)len, key, strbuf_str(&names));
	strbuf_release(&names);
}

int
factors_check_activity(const char *key, size_t len, char *why, size_t n)
{
	size_t i;

	if (has_prefix(key, len, "fleet.distance.")) {
		const char *cl = key + 15;
		size_t m = len - 15;
		if (m == 0 || m > 64) {
			snprintf(why, n, "activity '%.*s' needs a vehicle class after "
				 "'fleet.distance.' (e.g. fleet.distance.car_medium)",
				 (int)len, key);
			return -1;
		}
		for (i = 0; i < m; i++)
			if (!((cl[i] >= 'a' && cl[i] <= 'z') || (cl[i] >= '0' && cl[i] <= '9') ||
			      cl[i] == '_')) {
				snprintf(why, n, "invalid vehicle class '%.*s' in activity "
					 "'%.*s' (use lower-case letters, digits and '_')",
					 (int)m, cl, (int)len, key);
				return -1;
			}
		return 0;
	}
	if (has_prefix(key, len, "energy.")) {
		if (activity_find(ACT_ENERGY, key + 7, len - 7))
			return 0;
		unknown_name(ACT_ENERGY, key, len, 7, why, n);
		return -1;
	}
	if (has_prefix(key, len, "fleet.")) {
		if (activity_find(ACT_FLEET, key + 6, len - 6))
			return 0;
		unknown_name(ACT_FLEET, key, len, 6, why, n);
		return -1;
	}
	if (has_prefix(key, len, "procurement.cpv.")) {
		const char *d = key + 16;
		size_t m = len - 16;
		int ok = m >= 2 && m <= 8;
		for (i = 0; ok && i < m; i++)
			ok = d[i] >= '0' && d[i] <= '9';
		if (ok)
			return 0;
		snprintf(why, n, "invalid CPV prefix '%.*s' in activity '%.*s' "
			 "(expected 2 to 8 digits, e.g. procurement.cpv.30)", (int)m, d,
			 (int)len, key);
		return -1;
	}
	snprintf(why, n, "unknown activity '%.*s' (expected energy.<carrier>, "
		 "fleet.<fuel>, fleet.distance.<vehicle_class> or "
		 "procurement.cpv.<2 to 8 digits>)", (int)len, key);
	return -1;
}

enum fit {
	FIT_POWER = ACT_FIT_POWER,
	FIT_FUEL = ACT_FIT_FUEL,
	FIT_DISTANCE = ACT_FIT_DISTANCE,
	FIT_MONEY = ACT_FIT_MONEY,
	FIT_NONE,
};

/* The catalogue's fit; a key it does not know fits by its prefix (the
 * parser has rejected such keys before it asks). */
static enum fit
activity_fit(const char *a)
{
	const struct activity *act;

	if (!a)
		return FIT_NONE;
	if ((act = activity_by_key(a, strlen(a))))
		return (enum fit)act->fit;
	if (strncmp(a, "fleet.distance.", 15) == 0)
		return FIT_DISTANCE;
	if (strncmp(a, "energy.", 7) == 0 || strncmp(a, "fleet.", 6) == 0)
		return FIT_FUEL;
	if (strncmp(a, "procurement.", 12) == 0)
		return FIT_MONEY;
	return FIT_NONE;
}

int
factors_unit_fits(const char *activity, const struct unit_info *u)
{
	if (!u)
		return 0;
	switch (activity_fit(activity)) {
	case FIT_POWER: return u->dim == DIM_ENERGY && !u->gross;
	case FIT_FUEL:
		return u->dim == DIM_ENERGY || u->dim == DIM_VOLUME || u->dim == DIM_MASS;
	case FIT_DISTANCE: return u->dim == DIM_DISTANCE;
	case FIT_MONEY: return u->dim == DIM_MONEY;
	case FIT_NONE: return 0;
	}
	return 0;
}

const char *
factors_units_for(const char *activity)
{
	switch (activity_fit(activity)) {
	case FIT_POWER: return "an energy unit: Wh, kWh, MWh, GWh, MJ, GJ, TJ";
	case FIT_FUEL:
		return "an energy, volume or mass unit: Wh, kWh, MWh, GWh, MJ, GJ, TJ, "
		       "kWh_Hs, MWh_Hs, l, m3, g, kg, t";
	case FIT_DISTANCE: return "km";
	case FIT_MONEY: return "EUR";
	case FIT_NONE: break;
	}
	return units_all();
}

int
factors_market_allowed(const char *a)
{
	const struct activity *act = a ? activity_by_key(a, strlen(a)) : NULL;
	return act && act->market;
}

