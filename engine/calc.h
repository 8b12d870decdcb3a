/*
 * calc: calculation runs. A run applies the chosen factor sets to every
 * active activity row of one year (SPEC §6) and stores its parameters,
 * fingerprints and aggregates (table run_total, per org unit, sector,
 * carrier, quality and extrapolation flag, in integer milligrams).
 *
 * Row-level results are not stored: they are a deterministic function of
 * the run's parameters, its factor sets and the rows, so calc_each_row()
 * recomputes them on demand for explain, the activity sheet and verify.
 *
 * Arithmetic is exact: quantities are micro-units, factors pico-kg per unit,
 * conversions and pro-rata day shares exact ratios; each part of a row is
 * rounded once to whole milligrams (half away from zero) and sums are
 * integer sums, so totals do not depend on row order or machine.
 */
#ifndef CO2_CALC_H
#define CO2_CALC_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"
#include "factors/factors.h"

/* Fallback policies for days no factor covers (docs/methodology.md 8):
 * strict fails, previous takes the latest earlier factor, nearest the
 * latest earlier factor or, when there is none, the earliest later one;
 * previous and nearest flag the part extrapolated. */
enum {
	CALC_FALLBACK_STRICT = 0,
	CALC_FALLBACK_PREVIOUS = 1,
	CALC_FALLBACK_NEAREST = 2
};
/* "strict", "previous" or "nearest" */
const char *calc_fallback_name(int fallback);
/* CALC_FALLBACK_* of a name; -1 when unknown (NULL is strict) */
int calc_fallback_parse(const char *name);

/* The accounting lens of a run (docs/methodology.md, "Lenses").
 * GHG Protocol: scopes 1-3, location- and market-based scope 2.
 * BISKO: every part valued with its location (national mix) factor, no
 * tariff or supplier factor, upstream inside the total, procurement
 * outside the balance. */
enum calc_lens {
	CALC_LENS_GHG = 0,   /* "ghg-protocol", the default */
	CALC_LENS_BISKO = 1, /* "bisko" */
};

/* "ghg-protocol" or "bisko". */
const char *calc_lens_name(enum calc_lens l);
/* The lens named `s`; -1 with ERR_USAGE naming the lenses when unknown. */
int calc_lens_parse(const char *s, enum calc_lens *out, struct err *e);

struct calc_params {
	int year;
	enum calc_lens lens;   /* 0: ghg-protocol */
	const struct factor_ref *factors; /* nfactors sets in priority order; */
	size_t nfactors;                  /* none: every set, newest version */
	const char *gwp;       /* "AR4", "AR5" or "AR6"; NULL = "AR5" */
	int fallback_previous; /* CALC_FALLBACK_*: 0 strict (default), 1 previous, 2 nearest */
	const char *region;    /* NULL = "DE-BE" */
	const int64_t *batches; /* restrict to these batch ids (verify); NULL = every active batch */
	size_t nbatches;
	/* Called now and then during the scan with the rows read so far (an
	 * estimate when several threads read) and the rows to read; NULL for
	 * none. For progress display only: it must not touch the ledger. */
	void (*progress)(void *ctx, int64_t done, int64_t total);
	void *progress_ctx;
	/* Threads reading the rows: 0 chooses by the rows and the processors
	 * (one per 200,000 rows, at most one a processor and 4); N >= 1 uses N
	 * (at most one a row and 4), even on one processor. One thread always
	 * for a memory ledger or inside a transaction. The result never
	 * depends on it. */
	int threads;
};

/* The emission buckets, integer milligrams CO2e (biogenic: mg CO2). */
struct calc_totals {
	int64_t scope1_mg;
	int64_t scope2_location_mg;
	int64_t scope2_market_mg;
	int64_t scope3_mg;          /* includes upstream_mg */
	int64_t upstream_mg;        /* scope 3 category 3 part */
	int64_t biogenic_co2_mg;    /* outside the scopes */
	int64_t market_fallback_mg; /* market result taken from the location factor */
	/* Not an emission: final energy in micro-kWh on the net calorific
	 * basis (Hi) of the parts that have one (see enum calc_energy). */
	int64_t energy_ukwh;
};

/* Add every bucket of b to a; -1 on overflow (a is then unspecified). */
int calc_totals_add(struct calc_totals *a, const struct calc_totals *b);
/* The totals: scope 1 + scope 2 location-based (market-based) + scope 3. */
int64_t calc_total_location(const struct calc_totals *t);
int64_t calc_total_market(const struct calc_totals *t);

struct calc_summary {
	int64_t run_id;
	long rows_used;          /* rows with a part inside the year */
	long rows_excluded;      /* procurement in CPV division 09 */
	long rows_extrapolated;  /* 'previous' fallback used */
	long rows_outside;       /* active rows without a part in the year */
	long rows_overlap;       /* rows of its batches loaded by --allow-overlap
				    (repeating or overlapping others); 0 normally */
	struct calc_totals totals;
	int threads;             /* threads that read the rows (calc_params.threads) */
	char inputs_sha256[65];  /* over the factor-set hashes and active batch hashes */
	char results_sha256[65]; /* over the run's aggregates, see docs/methodology.md */
};

/* Compute and store a run. Data problems (uncovered rows under 'strict',
 * impossible conversions) go to `errs`, naming file:line and the key; then
 * nothing is stored and -1 is returned. Call it outside a transaction (it
 * opens its own). Large runs read on several threads with their own
 * read-only connections (p->threads fixes the number); the result never
 * depends on it. */
int calc_run(struct ledger *l, const struct calc_params *p,
	     struct calc_summary *out /* OUT */, struct errlist *errs,
	     struct err *e);

/* The activity row `ref` names in run `run_id`, as another ledger can name
 * it too: "FILE:LINE" (the file name as imported) or "HASH:LINE" with the
 * batch's sha256 or rows_sha256 (or at least 8 leading hex digits of one).
 * ERR_USAGE for a malformed ref, ERR_DATA when the run has no such row. */
int calc_find_row(struct ledger *l, int64_t run_id, const char *ref,
		  int64_t *activity_id /* OUT */, struct err *e);

/* A stored run's parameters and fingerprints. */
struct calc_run_info {
	int64_t run_id;
	int year;
	char gwp[8];             /* AR4, AR5 or AR6 */
	char region[64];         /* at most 63 characters (calc_run refuses longer) */
	char fallback[16];       /* "strict" or "previous" */
	char lens[16];           /* "ghg-protocol" or "bisko" */
	char created_at[32];
	char inputs_sha256[65];
	char results_sha256[65];
	long rows_used, rows_excluded, rows_extrapolated;
};

/* Read run `run_id`; -1 with ERR_DATA when there is no such run. */
int calc_run_info(struct ledger *l, int64_t run_id,
		  struct calc_run_info *out /* OUT */, struct err *e);

/* How the market-based result of a part was found (SPEC §6). */
enum calc_market_source {
	CALC_MKT_SAME,      /* not electricity/heat: equal to location */
	CALC_MKT_SUPPLIER,  /* the row's supplier_factor */
	CALC_MKT_TARIFF,    /* a market factor for the row's tariff */
	CALC_MKT_RESIDUAL,  /* a market factor without tariff (residual mix) */
	CALC_MKT_LOCATION,  /* none found: location factor, flagged */
};

/* Whether a part has a final energy (docs/methodology.md, "Final energy"). */
enum calc_energy {
	CALC_ENERGY_NONE,          /* distance- or spend-based: no energy by nature */
	CALC_ENERGY_YES,           /* converted to kWh (Hi) */
	CALC_ENERGY_NO_CONVERSION, /* a fuel, but no set of the run converts its unit to kWh */
};

/* One pro-rata part of a row: the days of the row inside the run's year
 * and inside one factor's validity. */
struct calc_part {
	int32_t day_from, day_to;          /* inclusive */
	int32_t days, days_total;          /* share = days / days_total */
	const struct factor *factor;       /* location (or the only) factor */
	const struct factor *market;       /* market factor, NULL unless TARIFF/RESIDUAL */
	enum calc_market_source market_source;
	int extrapolated;
	struct ratio conversion;           /* 1 row unit = conversion factor units */
	char conversion_path[160];         /* e.g. "m3 -> kWh (9.7)", "" when none */
	struct ratio deflation;            /* index[price_year] / index[year], 1/1 when none */
	struct ratio market_conversion;    /* row unit -> market factor unit (kWh for a supplier factor) */
	enum calc_energy energy;
	struct ratio energy_conversion;    /* 1 row unit = this many kWh (Hi), when YES */
	char energy_path[160];             /* e.g. "kWh_Hs -> kWh (0.906)", "" for a plain scaling */
	struct calc_totals mg;             /* mg.energy_ukwh: the part's final energy */
};

#define CALC_MAX_PARTS 16

/* One activity row's result in a run. Pointers are valid during the
 * callback only. */
struct calc_row {
	int64_t activity_id, batch_id;
	const char *file;       /* the batch's file name */
	long line;              /* source line */
	const char *org_code;
	const char *activity;   /* activity key */
	int64_t quantity;       /* micro-units of `unit` */
	const char *unit;
	int quality;            /* 0 measured, 1 calculated, 2 estimated */
	const char *tariff;     /* NULL when none */
	const char *ident;      /* meter (energy) or vehicle (fleet), NULL when none */
	/* district heat: the network of the row's unit (its own or one
	 * above it), NULL when none; a part's factor with a `network` is
	 * that network's, one without is the regional default */
	const char *network;
	int has_supplier_factor;
	int64_t supplier_factor; /* nano-kg CO2e per kWh */
	int32_t day_start, day_end;
	const char *sector;     /* buildings.electricity, buildings.heat, fleet, procurement */
	const char *carrier;    /* electricity, natural_gas, diesel, distance.van, cpv.30 */
	int excluded;           /* CPV division 09: not in the balance */
	int extrapolated;
	enum calc_energy energy; /* YES when every part has one, else the first other state */
	size_t nparts;
	const struct calc_part *parts;
	struct calc_totals mg;  /* sum of the parts */
};

typedef int calc_row_fn(void *ctx, const struct calc_row *r, struct err *e);

/* Recompute every row of run `run_id` that has a part in the run's year (and
 * the excluded ones), in activity id order, calling fn for each; stops and
 * returns -1 when fn does. `activity_id` > 0 restricts to that row. */
int calc_each_row(struct ledger *l, int64_t run_id, int64_t activity_id,
		  calc_row_fn *fn, void *ctx, struct err *e);

/* A run's rows recomputed with parts of other runs' parameters, for the
 * decomposition of a change (engine/decompose.h): the rows (batches and
 * year) of `rows_run`, the method (GWP, region, fallback policy) of
 * `method_run`, the factor sets of `factors_run`, each factor looked up on
 * the same month and day of `factor_year` (0: the rows' year; 29 February
 * looks on the 28th in a common year). */
struct calc_mix {
	int64_t rows_run, method_run, factors_run;
	int factor_year;
};
int calc_each_row_mix(struct ledger *l, const struct calc_mix *m,
		      calc_row_fn *fn, void *ctx, struct err *e);

#endif
