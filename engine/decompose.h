/*
 * decompose: why the balance changed between two runs. Each reporting
 * unit's and sector's change from a base run to a run is split into the
 * effects of method (GWP, region, fallback policy), emission factors
 * (factor sets and the factors of the run's year), structure (activity
 * moved between reporting units, units that report in one of the years
 * only) and activity (consumption), by sequential substitution in this
 * fixed order (docs/methodology.md, "Why it changed"):
 *
 *   T0 base run                  the base rows, base method, base factors
 *   T1 + method                  the base rows, new method, base factors
 *   T2 + factors                 the base rows, new method, new factors
 *                                looked up in the new run's year
 *   T3 + structure               T2 with moved streams in their new unit,
 *                                streams of units gone dropped and the
 *                                streams of new units added as they are now
 *   T4 run                       the new rows as the run computes them
 *
 * Every T is an exact integer total in milligrams, so the four effects
 * (T1-T0, T2-T1, T3-T2, T4-T3) add up to the change T4-T0 exactly, for
 * every line and for both lenses (location- and market-based).
 *
 * A stream is one meter or vehicle (activity key and ident) or, for rows
 * without one, one org unit and activity key; it sits in the reporting unit
 * of the org unit of its first row of a year. Memory grows with the number
 * of streams and units, never with the rows.
 *
 * Ownership: the caller frees the result with decomp_free(); lines live as
 * long as it. Modules never print: decomp_runs() fills *e.
 */
#ifndef CO2_DECOMPOSE_H
#define CO2_DECOMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

/* The totals of the substitution chain. */
enum decomp_step {
	DECOMP_BASE,      /* T0 */
	DECOMP_METHOD,    /* T1 */
	DECOMP_FACTORS,   /* T2 */
	DECOMP_STRUCTURE, /* T3 */
	DECOMP_CURRENT,   /* T4 */
	DECOMP_NSTEPS
};

/* The effects, each the difference of two consecutive totals. */
enum decomp_effect {
	DECOMP_E_METHOD,    /* T1 - T0 */
	DECOMP_E_FACTORS,   /* T2 - T1 */
	DECOMP_E_STRUCTURE, /* T3 - T2 */
	DECOMP_E_ACTIVITY,  /* T4 - T3 */
	DECOMP_NEFFECTS
};

/* The two lenses of a total. */
enum decomp_lens { DECOMP_LOCATION, DECOMP_MARKET, DECOMP_NLENSES };

/* One line of the decomposition: a reporting unit (code NULL: all units)
 * and a sector (NULL: all sectors). */
struct decomp_line {
	const char *code, *name;
	const char *sector;
	int64_t t[DECOMP_NSTEPS][DECOMP_NLENSES]; /* mg CO2e */
	long moved_in, moved_out;   /* streams moved here / away from here */
	long units_added, units_removed; /* org units with rows in one year only */
};

struct decomp_info {
	int64_t base_run, run;
	int base_year, year;
	char base_gwp[16], gwp[16];
};

struct decomp;

/* Decompose the change from run `base_run` to run `run`. The runs may be
 * of any years, factor sets and GWP. ERR_DATA when a run is missing, when
 * its factor sets changed since, or when the run's factors do not cover the
 * base rows (the message names the row); the ledger is only read (a scratch
 * ledger is not needed). */
int decomp_runs(struct ledger *l, int64_t base_run, int64_t run,
		struct decomp **out /* OUT */, struct err *e);
void decomp_free(struct decomp *d);

const struct decomp_info *decomp_get_info(const struct decomp *d);
/* The lines: first all units (sector NULL, then each sector), then every
 * reporting unit with data in either run in the tree's display order (the
 * unit, then each of its sectors). Lines whose totals are all 0 are left
 * out. */
size_t decomp_count(const struct decomp *d);
const struct decomp_line *decomp_at(const struct decomp *d, size_t i);

/* Effect `k` of a line in lens `lens`, and the change T4 - T0. */
int64_t decomp_effect_mg(const struct decomp_line *l, enum decomp_effect k,
			 enum decomp_lens lens);
int64_t decomp_change_mg(const struct decomp_line *l, enum decomp_lens lens);
/* "method", "factors", "structure", "activity". */
const char *decomp_effect_name(enum decomp_effect k);

#endif
