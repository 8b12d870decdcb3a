/*
 * calc_int: the calculation core shared by calc_run() and calc_each_row(),
 * without SQL, so that every rule can be tested on hand-built factors.
 *
 * The core knows nothing of the ledger or of how factors are stored: it asks
 * a `struct calc_ops` (lookup, conversion, price index, unit table). calc.c
 * plugs in the factor registry (calc_reg.c); the unit tests plug in small
 * fakes. The batches a run reads are loaded by calc_batch.c.
 *
 * Per run the core keeps:
 * - resolvers, one per (activity key, tariff): the run year cut into
 *   intervals on which the factor lookup gives the same answer (location
 *   factor, market factor, extrapolation flag). Interval bounds are the
 *   validity bounds of every factor that could apply, so a row whose period
 *   lies inside one interval needs one lookup-free multiply-divide;
 * - plans, one per (key, unit, tariff, supplier factor): the resolver plus,
 *   per interval, the exact coefficients (mg per micro-unit) of each bucket;
 * - the categories (sector, carrier) rows are aggregated under.
 * Memory grows with the number of distinct keys, never with the rows.
 */
#ifndef CO2_CALC_INT_H
#define CO2_CALC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/calc.h"
#include "base/err.h"
#include "base/strmap.h"
#include "base/units.h"
#include "factors/factors.h"

/* What the core needs from the factor registry. `ctx` is passed back. */
struct calc_ops {
	void *ctx;
	/* factor_db_find / factor_db_find_previous with the run's region */
	const struct factor *(*find)(void *ctx, const char *activity, int32_t day,
				     int market, const char *tariff);
	const struct factor *(*find_previous)(void *ctx, const char *activity,
					      int32_t day, int market,
					      const char *tariff);
	/* factor_db_find_next (the 'nearest' fallback); may be NULL */
	const struct factor *(*find_next)(void *ctx, const char *activity,
					  int32_t day, int market,
					  const char *tariff);
	/* factor_db_find_network: the factor of district-heat network
	 * `network` covering the day, NULL when none; may be NULL */
	const struct factor *(*find_network)(void *ctx, const char *activity,
					     const char *network, int32_t day);
	/* Call fn for every factor (any set, region, method) of `activity`. */
	void (*each_factor)(void *ctx, const char *activity,
			    void (*fn)(void *arg, const struct factor *f), void *arg);
	/* 1 `from` = *out units of f's unit, through f's set when needed;
	 * *path gets a description ("" for a plain scaling); -1 impossible. */
	int (*convert)(void *ctx, const struct factor *f,
		       const struct unit_info *from, struct ratio *out,
		       char *path, size_t pathlen);
	/* units_scale */
	int (*scale)(const struct unit_info *from, const struct unit_info *to,
		     struct ratio *out);
	/* units_find */
	const struct unit_info *(*unit)(const char *name);
	/* factor_set_price_index */
	int (*price_index)(void *ctx, const struct factor_set *s, int year,
			   struct ratio *out);
	/* 1 `from` = *out kWh (net calorific basis) of final energy for f's
	 * activity: through f's own set's conversions, else the first of the
	 * run's sets (priority order) that has one; *path as for convert. -1
	 * when none converts. May be NULL: then fuels have no energy. */
	int (*energy)(void *ctx, const struct factor *f,
		      const struct unit_info *from, struct ratio *out,
		      char *path, size_t pathlen);
	/* "name@version" of a set */
	const char *(*set_label)(void *ctx, const struct factor_set *s);
	/* "a@1, b@2": the run's sets, for error messages */
	const char *sets_label;
};

/* One activity row as read from the ledger. */
struct calc_in {
	int64_t id, batch_id;
	long line;
	int64_t org_id, key_id;
	int32_t day_start, day_end;
	int64_t quantity;        /* micro-units */
	const char *unit;
	int quality;
	const char *tariff;      /* NULL when none */
	/* the district-heat network of the row's unit (own or inherited),
	 * for energy.district_heating rows; NULL when none */
	const char *network;
	int has_supplier_factor;
	int64_t supplier_factor; /* nano-kg CO2e per kWh */
};

struct calc_core;
struct calc_plan;

/* A new core for `year`; `gwp` and `ops` must outlive it. NULL when out of
 * memory. */
struct calc_core *calc_core_new(int year, const struct gwp *gwp,
				int fallback_previous, const char *region,
				const struct calc_ops *ops);
void calc_core_free(struct calc_core *c);
/* Calculate under the BISKO lens (calc.h, enum calc_lens): no market
 * factor or supplier factor, every procurement row outside the balance.
 * Call it before the first row. */
void calc_core_set_bisko(struct calc_core *c, int on);

/* The network factors (struct factor.network) the core's rows have used so
 * far, each once, in the order first used; *n of them. The run checks that
 * they share one allocation method. */
const struct factor *const *calc_core_network_factors(const struct calc_core *c,
						      size_t *n);

/* Register the text of activity key `key_id`. -1 when out of memory. */
int calc_core_key(struct calc_core *c, int64_t key_id, const char *key);

/* The text of key `key_id`, "?" when unknown. */
const char *calc_core_key_text(const struct calc_core *c, int64_t key_id);

/* The plan for a row (cached). NULL with *e (ERR_DATA, no location) when the
 * row's key or unit cannot be used at all; the text then names the problem
 * and the caller prefixes the row's file:line. */
struct calc_plan *calc_core_plan(struct calc_core *c, const struct calc_in *r,
				 struct err *e);

/* Results of one row. */
struct calc_result {
	int excluded;
	int extrapolated;
	int outside;            /* no day inside the run's year */
	enum calc_energy energy; /* as in struct calc_row */
	unsigned cat;           /* category index, see calc_core_category */
	struct calc_totals mg;
	size_t nparts;
};

/* Compute one row. `parts` (CALC_MAX_PARTS entries) may be NULL when only the
 * totals are wanted; the arithmetic is the same. -1 with *e (no location) on
 * a data problem of this row (no factor, impossible conversion, overflow). */
int calc_core_row(struct calc_core *c, struct calc_plan *p,
		  const struct calc_in *r, struct calc_result *out,
		  struct calc_part *parts, struct err *e);

/* Sector and carrier of category `cat`. */
void calc_core_category(const struct calc_core *c, unsigned cat,
			const char **sector, const char **carrier);
/* The index of (sector, carrier), added when new; -1 when out of memory. */
int calc_core_category_id(struct calc_core *c, const char *sector,
			  const char *carrier, unsigned *out);

/* ---- the factor registry behind the ops (calc_reg.c) ---- */

struct calc_flist {     /* the factors of one activity */
	const struct factor **v;
	size_t n, cap;
};

struct calc_reg {
	struct factor_db *db;
	const char *region;
	struct strmap *byact; /* activity -> index in lists */
	struct calc_flist *lists;
	size_t nlists;
	char **labels;        /* "name@version" per set */
	char *sets_label;
	struct calc_ops ops;
	/* calc_each_row_mix with another factor year: factors looked up
	 * `shift` years later (same month and day), handed out as copies whose
	 * validity is moved back as many years */
	int shift;
	struct factor *shifted;   /* copies, one per factor in the lists */
	struct strmap *copy_of;   /* factor pointer bytes -> index in shifted */
};

/* Load the nrefs factor sets of `refs` (none: every set, newest version)
 * for a run in `region` (borrowed: it must outlive the registry) and fill
 * r->ops. */
int calc_reg_load(struct ledger *l, const struct factor_ref *refs, size_t nrefs,
		  const char *region, struct calc_reg **out /* OUT */, struct err *e);
/* NULL is fine. */
void calc_reg_free(struct calc_reg *r);
/* Look factors up `by` years later than the rows' days: every factor is
 * handed out as a copy whose validity lies `by` years earlier (29 February
 * becomes the 28th, or 1 March for a validity's start, in a common year). */
int calc_reg_shift(struct calc_reg *r, int by, struct err *e);

/* ---- the batches of a run (calc_batch.c) ---- */

struct calc_batch {
	int64_t id;
	char kind[16];         /* energy, fleet or procurement (schema CHECK) */
	char *file;
	char sha256[65];       /* hex, 64 digits */
	char rows_sha256[65];  /* "" for a batch imported before row hashes */
	int64_t rows;          /* activity rows, counted by a run's scan */
	int64_t overlap_rows;  /* rows it holds by --allow-overlap */
};

struct calc_batches {
	struct calc_batch *v;
	size_t n;
	int32_t *idx; /* batch id -> index in v, -1 when not in the run */
	int64_t maxid;
};

/* Load the batches `ids` (nids of them; an unknown id is ERR_DATA, one
 * named twice ERR_USAGE) or, with ids NULL, every active batch. */
int calc_batches_load(struct ledger *l, const int64_t *ids, size_t nids,
		      struct calc_batches *b /* OUT */, struct err *e);
/* Free and empty `b`. */
void calc_batches_free(struct calc_batches *b);

/* The exact arithmetic, exposed for tests: round half away from zero of
 * q * num * days / (den * days_total); -1 on overflow. */
int calc_mg(int64_t q, __int128 num, __int128 den, int32_t days,
	    int32_t days_total, int64_t *out);

#endif
