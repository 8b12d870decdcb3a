/*
 * activity: the catalogue of activities, one table that every layer reads.
 *
 * An activity key names what a row of input measured and what a factor
 * applies to: energy.<carrier>, fleet.<fuel>, fleet.distance.<vehicle
 * class> or procurement.cpv.<2 to 8 digits> (SPEC §4). For each carrier,
 * fuel and known vehicle class the catalogue holds, in one line of
 * base/activity.c: its sector in the balance, which units a factor may use
 * (its "fit"), which units an input row may give, whether market-based
 * scope 2 applies, the built-in words an export may use for it (German and
 * English synonyms) and its German and English labels. The factor parser
 * (known keys, unit fit), the calculation (sector, carrier, market
 * eligibility), the importers (vocabulary, units per row) and the reports
 * (labels) read it from here and keep no list of their own, so adding a
 * carrier is one line in ACTIVITIES[].
 *
 * The catalogue also names the CPV divisions of procurement, the sectors of
 * the balance and the three data quality levels. Everything here is static, read-only data: the functions
 * are safe from any thread.
 */
#ifndef CO2_ACTIVITY_H
#define CO2_ACTIVITY_H

#include <stddef.h>

struct strbuf;

enum activity_kind {
	ACT_ENERGY,      /* energy.<name>: a building's energy carrier */
	ACT_FLEET,       /* fleet.<name>: a vehicle fuel */
	ACT_DISTANCE,    /* fleet.distance.<name>: a vehicle class, in km */
	ACT_PROCUREMENT, /* procurement.cpv.<digits>: no entries, a pattern */
};

/* The units a factor for the activity may be given in. */
enum activity_fit {
	ACT_FIT_POWER,    /* energy, net basis (electricity, heat, cooling) */
	ACT_FIT_FUEL,     /* energy (net or gross), volume or mass */
	ACT_FIT_DISTANCE, /* km */
	ACT_FIT_MONEY,    /* EUR */
};

struct activity {
	enum activity_kind kind;
	const char *name;    /* carrier, fuel or class: "natural_gas", "car_small" */
	const char *sector;  /* "buildings.electricity", "buildings.heat", "fleet" */
	enum activity_fit fit;
	int market;          /* market-based scope 2 applies (a supplier factor) */
	const char *also;    /* a further factor key to try after its own, or NULL */
	const char *units;   /* units an input row may give, ' ' between */
	const char *words;   /* built-in synonyms, '|' between */
	const char *de, *en; /* labels */
};

/* The whole catalogue in table order (carriers, fuels, then classes);
 * *n receives the count. */
const struct activity *activity_all(size_t *n /* OUT */);

/* The entry of kind `k` called name[0..n) (exact, case-sensitive), or NULL. */
const struct activity *activity_find(enum activity_kind k, const char *name,
				     size_t n);

/* The entry a full key names ("energy.lpg", "fleet.distance.van"), or NULL
 * (also for procurement keys and unknown vehicle classes). */
const struct activity *activity_by_key(const char *key, size_t n);

/* The entry of kind `k` whose canonical name or built-in word is
 * word[0..n), ignoring case and surrounding white space (csv_name_eq), or
 * NULL: "Strom" and "electricity" both name energy.electricity. */
const struct activity *activity_find_word(enum activity_kind k,
					  const char *word, size_t n);

/* The names of kind `k` in table order, separated by `sep`, appended to
 * `sb` (the message lists: "electricity, district_heating, ..."). -1 when
 * the buffer refused the text. */
int activity_list(enum activity_kind k, const char *sep, struct strbuf *sb);

/* Whether `unit` (canonical) is among the row units of `a`. */
int activity_row_unit(const struct activity *a, const char *unit);

/* The label of a carrier as the balance names it ("electricity",
 * "distance.van"; see engine/calc.h), in German (en == 0) or English, or
 * NULL when the catalogue has none. */
const char *activity_carrier_label(const char *carrier, int en);

/* ---- procurement ---------------------------------------------------------- */

/* A CPV division (the first two digits of a procurement key) and its short
 * name. */
struct activity_cpv {
	const char *division; /* "30" */
	const char *de, *en;
};

/* The short name of the CPV division that `digits` ("30", "30192000")
 * starts with, or NULL when the catalogue has none. */
const char *activity_cpv_label(const char *digits, int en);

/* ---- sectors -------------------------------------------------------------- */

#define ACTIVITY_NSECTORS 4

struct activity_sector {
	const char *key;     /* "buildings.electricity", "buildings.heat", "fleet", "procurement" */
	const char *de, *en; /* labels */
};

/* Sector i (0 .. ACTIVITY_NSECTORS-1) in balance order, or NULL. */
const struct activity_sector *activity_sector(int i);
/* The sector with this key, or NULL. */
const struct activity_sector *activity_sector_find(const char *key);

/* ---- data quality --------------------------------------------------------- */

#define ACTIVITY_NQUALITY 3

/* "measured" (0), "calculated" (1), "estimated" (2); "?" otherwise. */
const char *activity_quality_name(int q);
/* The level called s[0..n) (exact), or -1. */
int activity_quality_parse(const char *s, size_t n);

/* ---- word lists (the vocabularies of import profiles) -------------------- */

/* The values a row's carrier (ACT_ENERGY) or fuel (ACT_FLEET) column
 * takes, NULL-terminated, in table order: the names of the kind, and for
 * the fleet also "distance" (the rows of a vehicle class, in km). NULL for
 * the other kinds. Static; valid for the life of the process. */
const char *const *activity_row_words(enum activity_kind k);
/* "measured", "calculated", "estimated", NULL. */
const char *const *activity_quality_words(void);

#endif
