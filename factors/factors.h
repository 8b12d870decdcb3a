/*
 * factors: emission factor sets: parsing and validation of
 * `co2ledger-factors/1` files, the registry of immutable versions in the
 * ledger, and the in-memory lookup the calculation engine uses.
 *
 * Numbers: every factor value is held as an exact decimal scaled to
 * pico-units (1e-12): kg per unit for co2e and each gas, so 0.0000036 is
 * 3600000. JSON numbers are read back to their shortest round-trip decimal
 * form (the fewest of 15, 16 or 17 significant digits that give the same
 * double) before scaling, so "2.51279" stays 2.51279 exactly; a value with
 * more than 12 decimals is rounded half away from zero to 12.
 * Conversions and price indices are exact ratios.
 *
 * The format, the validation rules and their messages are documented in
 * docs/factor-sets.md and docs/factors-validation.md; the canonical JSON
 * and its SHA-256 in docs/factor-format-canonical.md.
 *
 * Ownership: a parsed set (struct factor_set) is owned by the caller and
 * freed with factor_set_free(); everything it points to lives as long as it.
 * A struct factor_db owns all sets it loaded; pointers from lookups stay
 * valid until factor_db_free().
 */
#ifndef CO2_FACTORS_H
#define CO2_FACTORS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"
#include "base/units.h"

#define FACTOR_SCALE 12 /* values are in units of 1e-12 */

struct factor_set; /* one parsed, validated set version */

struct factor {
	const char *id;        /* unique within the set */
	const char *activity;  /* energy.electricity, procurement.cpv.30, ... */
	const char *region;    /* "DE-BE", "DE", "*" */
	const struct unit_info *unit;
	int32_t valid_from, valid_to; /* days since 1970-01-01, inclusive */
	int market;            /* 0 location, 1 market */
	const char *tariff;    /* market factors only; NULL for none */
	int scope;             /* 1, 2, 3 */
	int category;          /* scope 3 category, 0 when none */
	int has_gases;         /* 0: co2e is the value; 1: the per-gas fields */
	int64_t co2e;          /* pico-kg CO2e per unit (when !has_gases) */
	int64_t co2, ch4_fossil, ch4_biogenic, n2o; /* pico-kg of each gas */
	int64_t biogenic_co2;  /* pico-kg per unit, outside the scopes */
	int has_upstream;
	int64_t upstream_co2e; /* pico-kg CO2e per unit, scope 3 category 3 */
	int price_year;        /* 0 when not a spend factor with a price year */
	const char *citation;
	const char *status, *boundary, *notes; /* NULL when absent */
	/* district heat of one network (energy.district_heating, location
	 * method): the network's name and the allocation method of its
	 * combined heat and power (carnot, power_credit, finnish,
	 * efficiency); both NULL for every other factor */
	const char *network, *allocation;
	const struct factor_set *set;          /* the set it belongs to */
};

/* Parse and validate a set from JSON text (UTF-8; a leading byte order mark
 * is ignored). `name` is used in errors, which are
 * "FILE:LINE:COLUMN: error: ... (at $.factors[3].unit)". Every problem goes
 * to `errs`, in file order, and *e then summarises ("3 errors in the factor
 * set ..."); with `errs` NULL, *e is the first problem. Returns 0 with *out
 * set (the caller frees it), or -1 with *out NULL. Invalid JSON is one
 * error: the parser stops there. */
int factor_set_parse(const char *data, size_t len, const char *name,
		     struct factor_set **out, struct errlist *errs, struct err *e);
void factor_set_free(struct factor_set *s);

const char *factor_set_name(const struct factor_set *s);
const char *factor_set_version(const struct factor_set *s);
/* SHA-256 (hex) over the canonical JSON: keys sorted, no whitespace. */
const char *factor_set_sha256(const struct factor_set *s);
size_t factor_set_count(const struct factor_set *s);
const struct factor *factor_set_at(const struct factor_set *s, size_t i);

/* The canonical form of any JSON text (see docs/factor-format-canonical.md):
 * keys sorted by code point, no whitespace, numbers as Python's repr(),
 * strings escaped as Python's json.dumps(ensure_ascii=False). Returns a
 * malloc'd NUL-terminated string (free it), or NULL with *e on invalid JSON
 * or duplicate keys. */
char *factors_canonical(const char *data, size_t len, struct err *e);

/* Metadata as given; description, license, source and notes NULL when
 * absent. published is "YYYY-MM-DD". */
const char *factor_set_published(const struct factor_set *s);
const char *factor_set_description(const struct factor_set *s);
const char *factor_set_license(const struct factor_set *s);
const char *factor_set_source(const struct factor_set *s);
/* The canonical JSON of the whole set (what the SHA-256 is over), and of
 * the i-th factor object alone. */
const char *factor_set_canonical(const struct factor_set *s);
const char *factor_set_factor_json(const struct factor_set *s, size_t i);

/* One entry of a set's "conversions": for `activity`, 1 `from` = `ratio`
 * `to`. */
struct factor_conversion {
	const char *activity;
	const struct unit_info *from, *to;
	struct ratio ratio;           /* exact */
	const char *factor;           /* the factor as a decimal: "0.906" */
	const char *citation, *notes; /* NULL when absent */
};
size_t factor_set_nconversions(const struct factor_set *s);
const struct factor_conversion *factor_set_conversion_at(const struct factor_set *s,
							 size_t i);

/* One entry of a set's "price_index", in year order. */
struct factor_price {
	int year;
	struct ratio index; /* exact: 113.2 = 566/5 */
	const char *text;   /* as a decimal: "113.2" */
};
size_t factor_set_nprices(const struct factor_set *s);
const struct factor_price *factor_set_price_at(const struct factor_set *s, size_t i);

/* CO2e per unit of `f` in tenths of pico-kg, exact: co2e * 10, or the gases
 * weighted with `g` (biogenic_co2 is never added). -1 on overflow. */
int factor_co2e_x10(const struct factor *f, const struct gwp *g,
		    int64_t *out /* OUT */);

/* Write a pico-unit value with every digit and no trailing zeros
 * ("0.0000036", "2.51279", "10"). Returns the length. */
int factors_format_value(int64_t v, char *buf, size_t n);

/* Check the shape of an activity key (energy.<carrier>, fleet.<fuel>,
 * fleet.distance.<class>, procurement.cpv.<2 to 8 digits>). 0, or -1 with
 * the reason (lower-case, no location) in why[0..n). */
int factors_check_activity(const char *key, size_t len, char *why, size_t n);
/* 1 when a quantity in `u` makes sense for `activity` (see
 * docs/factors-validation.md: electricity and heat take energy units; fuels
 * energy, volume and mass; fleet.distance km; procurement EUR). */
int factors_unit_fits(const char *activity, const struct unit_info *u);
/* The units that fit `activity`, comma-separated, for messages. */
const char *factors_units_for(const char *activity);

/* The exact ratio that turns 1 `from` into `to` for `activity` through this
 * set's conversions, chained as needed (and unit scaling within a dimension
 * before and after). *path receives a short human description such as
 * "m3 -> kWh_Hs (10.4) -> kWh (0.903)", ending in "..." when it does not fit
 * path[0..pathlen). -1 with *e when impossible. */
int factor_set_convert(const struct factor_set *s, const char *activity,
		       const struct unit_info *from, const struct unit_info *to,
		       struct ratio *out, char *path, size_t pathlen, struct err *e);

/* The set's price index for `year` as an exact ratio (e.g. 113.2 = 1132/10);
 * -1 when the set has no index for that year. */
int factor_set_price_index(const struct factor_set *s, int year, struct ratio *out);

/* A reference to a registered set: name and version (NULL: the newest). */
struct factor_ref {
	const char *name;
	const char *version;
};

/* Read a factor-set file (`path` "-" is stdin) and parse it as
 * factor_set_parse() does. A file over FACTORS_MAX_FILE bytes is refused
 * (ERR_DATA) before parsing; a file that cannot be read is ERR_IO. */
#define FACTORS_MAX_FILE (8L * 1024 * 1024)
int factor_set_load_file(const char *path, struct factor_set **out,
			 struct errlist *errs, struct err *e);

/* "location" or "market". */
const char *factor_method_name(const struct factor *f);

/* ---- differences between two sets (diff.c) ---- */

/* One field of a factor that differs; from/to are its texts as shown
 * ("0.38", "2024-01-01..2024-12-31", a citation), NULL for none. */
struct factor_change {
	const char *field;  /* "co2e", "gases.n2o", "validity", "citation", ... */
	char *from, *to;
	int numeric;        /* both are factor values (decimal numbers) */
	int has_pct;        /* pct is the relative change (from not 0) */
	double pct;
};
struct factor_changed {
	const struct factor *a, *b; /* the same id in both sets */
	struct factor_change *changes;
	size_t nchanges;
};
/* A conversion (activity, from, to) added (factor_from NULL), removed
 * (factor_to NULL) or changed. */
struct factor_conversion_change {
	const char *activity;
	const struct unit_info *from, *to;
	const char *factor_from, *factor_to;
};
/* A price index year added (from NULL), removed (to NULL) or changed. */
struct factor_price_change {
	int year;
	const char *from, *to;
};
struct factor_diff {
	const struct factor_set *a, *b;
	const struct factor **added;   /* in b only, in b's order */
	size_t nadded;
	const struct factor **removed; /* in a only, in a's order */
	size_t nremoved;
	struct factor_changed *changed; /* in b's order */
	size_t nchanged;
	size_t unchanged;
	struct factor_conversion_change *conversions; /* b's, then a's only */
	size_t nconversions;
	struct factor_price_change *prices;
	size_t nprices;
};
/* What changed from set a to set b, factors keyed by id. *out points into
 * a and b (keep them until factor_diff_free()). -1 only when out of memory. */
int factor_set_diff(const struct factor_set *a, const struct factor_set *b,
		    struct factor_diff **out, struct err *e);
void factor_diff_free(struct factor_diff *d);

/* Parse a list a person typed, "NAME@V,NAME[@V]..." (blanks around entries
 * ignored), into *n references in *out: one allocation holding the array
 * and its strings, freed with free(*out). ERR_USAGE when malformed. */
int factor_refs_parse(const char *list, struct factor_ref **out, size_t *n,
		      struct err *e);
/* Parse "NAME" or "NAME@VERSION" into *ref, pointing into buf (a copy of
 * spec the caller frees). -1 with ERR_USAGE when malformed. */
int factor_ref_parse(const char *spec, struct factor_ref *ref, char **buf,
		     struct err *e);

/* ---- registry (ledger) ---- */

enum factor_import_result { FACTORS_ADDED, FACTORS_UNCHANGED };

/* Register a parsed set. Same name@version with the same hash: no-op
 * (*result FACTORS_UNCHANGED); different hash: -1, ERR_DATA, nothing
 * changed. Appends to the audit log. */
int factors_register(struct ledger *l, const struct factor_set *s,
		     enum factor_import_result *result, struct err *e);

/* Load a registered version; `version` NULL means the newest: the latest
 * `published` date, ties broken by natural version order ("1.10" after
 * "1.9"). The stored content is re-validated and its hash checked, so an
 * altered ledger is refused (ERR_DATA). Unknown name or version: ERR_DATA
 * naming what is registered. */
int factors_load(struct ledger *l, const char *name, const char *version,
		 struct factor_set **out, struct err *e);

/* One registered version, for listings. */
struct factor_set_info {
	char *name, *version, *published, *sha256, *source, *license;
	char *description, *imported_at; /* description NULL when absent */
	long factors;                    /* number of factors */
};
/* Every registered version, by name, newest version first. *out is an
 * array of *n entries; free it with factors_list_free(). */
int factors_list(struct ledger *l, struct factor_set_info **out, size_t *n,
		 struct err *e);
void factors_list_free(struct factor_set_info *v, size_t n);

/* ---- lookup for calculation runs ---- */

struct factor_db;

/* Load the n sets of refs in that priority order (a NULL version: the
 * newest), or with n 0 every registered set, newest version of each, in the
 * default order: newest `published` first, then by name. A set that is not
 * registered is ERR_DATA, one named twice ERR_USAGE. */
int factor_db_load(struct ledger *l, const struct factor_ref *refs, size_t n,
		   struct factor_db **out, struct err *e);
void factor_db_free(struct factor_db *db);
size_t factor_db_nsets(const struct factor_db *db);
const struct factor_set *factor_db_set(const struct factor_db *db, size_t i);

/* The factor for an activity key at `day`: region chain `region` -> its
 * parents ("DE-BE" -> "DE" -> "*"; NULL means "*"), sets in priority order,
 * method market (1) or location (0), `tariff` for market factors (NULL:
 * only factors without tariff; ignored for location). NULL when none covers
 * the day. The region beats set priority: a DE-BE factor of a later set
 * wins over a DE factor of an earlier one. Two fallbacks of SPEC 6 are
 * built in, so the result's `activity` may differ from the one asked for:
 * procurement.cpv.<digits> tries ever shorter prefixes down to the
 * two-digit division (the longest prefix with a covering factor wins), and
 * fleet.electricity uses energy.electricity when no fleet.electricity factor
 * covers the day. O(log n) per call: the sets are indexed at load time. */
const struct factor *factor_db_find(const struct factor_db *db,
				    const char *activity, const char *region,
				    int32_t day, int market, const char *tariff);
/* Like factor_db_find but the latest factor that ended before `day`
 * (the 'previous' fallback), with the same region chain, priority and
 * fallbacks; among sets, the one whose factor ends latest wins, ties by
 * priority. */
const struct factor *factor_db_find_previous(const struct factor_db *db,
					     const char *activity,
					     const char *region, int32_t day,
					     int market, const char *tariff);
/* Like factor_db_find_previous but the earliest factor that starts after
 * `day` (the 'nearest' fallback for days before every factor). */
const struct factor *factor_db_find_next(const struct factor_db *db,
					 const char *activity,
					 const char *region, int32_t day,
					 int market, const char *tariff);
/* The factor of district-heat network `network` for `activity` covering
 * `day` (any region; the first set in priority order that covers the day),
 * NULL when none does. The lookups above never return a network factor:
 * they give the regional default. */
const struct factor *factor_db_find_network(const struct factor_db *db,
					    const char *activity,
					    const char *network, int32_t day);

#endif
