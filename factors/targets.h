/*
 * targets: the target register. A target set is a versioned JSON file
 * (`co2ledger-targets/1`, docs/targets.md) registered like a factor set:
 * validated with every problem named by JSON path and line:column, stored
 * as canonical JSON with its SHA-256, immutable once registered, and
 * audited ("targets.import").
 *
 * Amounts are exact: a target's values are micro-units of its metric
 * (t CO2e, t CO2, MWh, per cent), percentages of the base micro-per-cent.
 *
 * Ownership: a parsed set is owned by the caller (targets_free); every
 * pointer into it lives as long as it.
 */
#ifndef CO2_TARGETS_H
#define CO2_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

enum target_metric {
	TARGET_T_CO2E,       /* t CO2e of the ledger's inventory */
	TARGET_T_CO2,        /* t CO2 of a territorial balance (not in the ledger) */
	TARGET_MWH_FINAL,    /* MWh final energy (Hi) */
	TARGET_SHARE_CO2_FREE_VEHICLES, /* per cent of the fleet */
};
/* "t_co2e", "t_co2", "mwh_final_energy", "share_co2_free_vehicles" */
const char *target_metric_name(enum target_metric m);

struct target_milestone {
	int year;
	int has_value;         /* else has_pct */
	int64_t value;         /* micro-units of the metric */
	int64_t reduction_pct; /* micro-per-cent of the base: 70 % = 70000000 */
	const char *text;      /* as written: "0", "-70 %" */
};

struct target {
	const char *id, *title;
	enum target_metric metric;
	const char *lens;        /* "location", "market", "territorial" */
	const char *unit;        /* org unit code: the unit and its subtree */
	const char *sectors[4];  /* NULL-terminated subset; none = every sector */
	size_t nsectors;
	int per_district;        /* also for every district below `unit` */
	int base_year;
	int base_computed;       /* 1: the base is computed from the ledger */
	int64_t base_value;      /* micro-units, when !base_computed */
	const struct target_milestone *milestones; /* ascending years */
	size_t nmilestones;
	const char *citation, *url; /* the legal source; url NULL when absent */
	const char *notes;       /* NULL when absent; carries the evidence tags */
};

struct target_set;

/* Parse and validate `co2ledger-targets/1` text. Every problem goes to
 * `errs` as "NAME:LINE:COLUMN: error: ... (at $.targets[2].base.year)";
 * *e summarises. 0 with *out (caller frees), or -1. */
int targets_parse(const char *data, size_t len, const char *name,
		  struct target_set **out, struct errlist *errs, struct err *e);
/* The same for the file `path` (a regular file of at most 1 MiB). */
int targets_load_file(const char *path, struct target_set **out,
		      struct errlist *errs, struct err *e);
void targets_free(struct target_set *s);

const char *targets_name(const struct target_set *s);
const char *targets_version(const struct target_set *s);
const char *targets_published(const struct target_set *s);
const char *targets_sha256(const struct target_set *s);
const char *targets_canonical(const struct target_set *s);
size_t targets_count(const struct target_set *s);
const struct target *targets_at(const struct target_set *s, size_t i);

enum targets_import_result { TARGETS_ADDED, TARGETS_UNCHANGED };

/* Register a parsed set: same name@version and hash is a no-op
 * (TARGETS_UNCHANGED), a different hash is refused (ERR_DATA). Audited. */
int targets_register(struct ledger *l, const struct target_set *s,
		     enum targets_import_result *result, struct err *e);

/* Load a registered version (NULL: the newest by published date, then
 * version); re-validated and its hash checked. */
int targets_load(struct ledger *l, const char *name, const char *version,
		 struct target_set **out, struct err *e);

/* Every registered version: fn(ctx, name, version, published, sha256,
 * targets, imported_at) in name order, newest first. */
typedef int targets_list_fn(void *ctx, const char *name, const char *version,
			    const char *published, const char *sha256,
			    long ntargets, const char *imported_at, struct err *e);
int targets_list(struct ledger *l, targets_list_fn *fn, void *ctx, struct err *e);

#endif
