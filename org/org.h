/*
 * org: organisation units (state, districts, departments, sites) and their
 * yearly statistics.
 *
 * org_import_csv() validates a whole organisation file against itself and
 * the units already in the ledger (columns, kinds, parents, cycles,
 * conflicting duplicates, numbers) and loads it in one transaction, or
 * changes nothing and reports every problem. Re-importing updates names,
 * kinds, parents and statistics without duplicating units.
 *
 * org_tree_load() gives the tree in memory, in display order (depth first,
 * children in official order: by their official number where the org file
 * gives one, the others after them by code), with each unit's reporting unit: the nearest
 * district ancestor, or the unit directly under the state.
 */
#ifndef CO2_ORG_H
#define CO2_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

struct csv; /* base/csv.h: the reader org_import_csv() takes */

enum org_kind { ORG_STATE, ORG_DISTRICT, ORG_DEPARTMENT, ORG_SITE };

/* "state", "district", ...; and back (-1 when unknown). */
const char *org_kind_name(enum org_kind k);
int org_kind_parse(const char *s, size_t n);

struct org_import_stats {
	long units_new;
	long units_updated;
	long stats_rows;
};

/* Validate and load the organisation CSV read by `csv`. On data errors every
 * problem goes to `errs`, nothing is written, and -1 is returned with *e
 * summarising; -1 with an empty `errs` is an I/O or database failure in *e. */
int org_import_csv(struct ledger *l, struct csv *csv,
		   struct org_import_stats *out /* OUT */, struct errlist *errs,
		   struct err *e);

#define ORG_NONE ((size_t)-1)

/* The most levels an organisation tree may have, the top unit being level
 * 1 (org_import_csv refuses a deeper unit). */
#define ORG_MAX_DEPTH 1000

struct org_unit {
	int64_t id;
	char *code;
	char *name;
	enum org_kind kind;
	size_t parent; /* index in the tree, ORG_NONE for a root */
	size_t report; /* index of the reporting unit, ORG_NONE for the state */
	int depth;     /* 0 for roots */
	char *number;  /* official number (e.g. "01"), NULL when none */
	char *heat_network;  /* its own district-heat network, NULL when none */
	const char *network; /* the network it is on: its own, else its
				parent's (inherited down the tree), NULL */
};

struct org_tree;

int org_tree_load(struct ledger *l, struct org_tree **out, struct err *e);
void org_tree_free(struct org_tree *t);
size_t org_tree_count(const struct org_tree *t);
/* The i-th unit in display order. */
const struct org_unit *org_tree_at(const struct org_tree *t, size_t i);
/* Index of the unit with this code (exact), ORG_NONE when absent. */
size_t org_tree_find(const struct org_tree *t, const char *code, size_t len);
/* Index of the unit with this database id, ORG_NONE when absent. */
size_t org_tree_by_id(const struct org_tree *t, int64_t id);
/* Write up to three closest codes as "'A', 'B'" into buf ("" when none). */
void org_tree_suggest(const struct org_tree *t, const char *code, size_t len,
		      char *buf, size_t n);

/* Yearly statistics; has_* tell which values are present. */
struct org_stat {
	int has_population, has_employees, has_floor_area;
	int64_t population, employees;
	double floor_area_m2;
};
/* Read the statistics of unit `id` for `year`; all has_* 0 when none. */
int org_stat_get(struct ledger *l, int64_t id, int year,
		 struct org_stat *out /* OUT */, struct err *e);
/* Call fn for every year with statistics of unit `id`, in year order; a
 * non-zero return of fn stops and is returned. */
typedef int org_stat_fn(void *ctx, int year, const struct org_stat *s);
int org_stat_each(struct ledger *l, int64_t id, org_stat_fn *fn, void *ctx,
		  struct err *e);

/* The weather station of every unit of `t` (org.csv 'weather_station',
 * docs/degree-days.md): a unit without one takes its nearest ancestor's.
 * The stations are not part of org_sha256: they never change an emission.
 * Owned by the caller (org_stations_free). */
struct org_stations;
int org_stations_load(struct ledger *l, const struct org_tree *t,
		      struct org_stations **out, struct err *e);
/* The station of tree unit `i`, NULL when neither it nor an ancestor has one. */
const char *org_station_of(const struct org_stations *s, size_t i);
void org_stations_free(struct org_stations *s);

/* SHA-256 over the tree and the statistics in their canonical form
 * (docs/methodology.md, "Organisation hash"): every unit ordered by code as
 * ("unit", code, name, kind, parent code or NULL), then every unit's own
 * district-heat network ordered by code as ("network", code, network)
 * (none for a tree without networks), then every statistic
 * ordered by code and year as ("stat", code, year, population, employees,
 * floor area in 1/1000 m²), each value NULL when absent, encoded as
 * store/rowhash.h does. `year` 0 covers every year, else only that year's
 * statistics. */
int org_sha256(struct ledger *l, int year, char out[65] /* OUT */, struct err *e);

#endif
