/*
 * lines: the activity lines of a report as the activity sheet and
 * activities.csv show them, and the factors they used (internal to the
 * report module).
 */
#ifndef CO2_REPORT_LINES_H
#define CO2_REPORT_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "engine/calc.h"
#include "reports/report_int.h"

/* One activity line; valid during the callback only. The texts are whole:
 * they point into buffers of the walk that grow as needed (base/strbuf.h),
 * so a long citation or file name is never cut. */
struct report_line {
	const char *source;     /* file:line */
	char start[11], end[11];/* the row's period, YYYY-MM-DD */
	char quantity[32];      /* exact decimal: at most 19 digits, sign and point */
	const char *factor_id;  /* distinct location factors, " + " between */
	const char *factor_set; /* NAME@V of those */
	const char *factor_value; /* kg CO2e per factor unit, exact decimals */
	const char *market;     /* how the market result was found */
	const char *conversion; /* unit conversion of the first part */
	const char *citation;   /* distinct citations, " | " between */
	int ndistinct;          /* distinct location factors */
	enum calc_market_source market_source; /* of the first part */
	const char *factor_unit;
	double factor_number;   /* the first factor's value, for a numeric cell */
	double quantity_value;
	long days_in, days_total; /* the row's days in the year, of all its days */
	const char *reporting_unit;
	int64_t kg_location_mg, kg_market_mg;
	const struct calc_row *row;
};

typedef int report_line_fn(void *ctx, const struct report_line *ln, struct err *e);

/* A factor used by the lines (copied out of the run's factor sets). */
struct report_factor {
	char set[160];          /* NAME@VERSION (at most 64 + 1 + 64) */
	char *id, *activity, *region, *unit, *citation, *status;
	int64_t co2e;           /* pico-kg CO2e per unit, with the run's GWP */
	int has_upstream;
	int64_t upstream;       /* pico-kg CO2e per unit */
	int32_t valid_from, valid_to;
	int market, scope;
	size_t order;
};

struct report_factors {
	struct report_factor *v;
	size_t n, cap;
	struct strmap *seen;
};

int report_factors_init(struct report_factors *fs, struct err *e);
void report_factors_release(struct report_factors *fs);
void report_factor_clear(struct report_factor *x);
/* Order by set, then id. */
void report_factors_sort(struct report_factors *fs);

/* Stream the lines of the model's run in activity order, restricted to the
 * selection; `fs` (may be NULL) collects the factors used. Only the first
 * `text_lines` lines (-1: all) are formatted; past them `fn` still sees each
 * line, with only ln->row set, so it can count, and `fs` still collects. */
int report_each_line(struct ledger *l, const struct report_model *m,
		     const struct report_out *o, struct report_factors *fs,
		     long text_lines, report_line_fn *fn, void *ctx,
		     struct err *e);

/* v / 10^scale rounded half away from zero to `decimals` places, written
 * without printf into buf (at least 24 bytes); returns the length. */
int report_fmt_scaled(int64_t v, int scale, int decimals, char *buf);

/* v / 10^scale as a decimal without trailing zeros. */
void report_decimal(int64_t v, int scale, char *buf, size_t n);

#endif
