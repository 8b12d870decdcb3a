/*
 * completeness: a report of an incomplete year (engine/complete.h). The
 * JSON report gets a "completeness" section, the workbook's summary a
 * banner, the open-data metadata a "completeness" object; units below the
 * completeness threshold lose their rank and change against the previous
 * year, and the section names them with their share.
 */
#ifndef CO2_REPORT_COMPLETENESS_H
#define CO2_REPORT_COMPLETENESS_H

#include <stddef.h>

struct complete;
struct complete_opts;
struct err;
struct ledger;
struct report_file;
struct report_model;

/* Take rank and change away from the units of the model below the
 * threshold. */
void report_completeness_apply(struct report_model *m, const struct complete *c);

/* The same for the units a published JSON report names in its
 * completeness section (verify: the report's own list decides which ranks
 * and changes it compares). 0 also when the file has no such section. */
int report_completeness_apply_file(struct report_model *m, const struct report_file *rf);

/* Leave out in `dst` what was left out in `src` (the same units by code);
 * `dst` NULL: nothing. */
void report_completeness_copy(struct report_model *dst,
			      const struct report_model *src);

/* {complete, state, reason, threshold_pct, first_full_year,
 * units_below_threshold: [{code, name, complete_pct, kind}]} as a new
 * json_t * (NULL when out of memory); `org` NULL lists every unit. */
void *report_completeness_json(const struct complete *c, const char *org);

/* One line for a banner: "" when complete, else "Incomplete: ..." (en) or
 * "Unvollständig: ..." (de); the caller's buffer. */
const char *report_completeness_banner(const struct complete *c, int en,
				       char *buf, size_t n);

/* What `status` shows: the gaps of the year of `o` per unit (expected
 * months without data, silent meters, vehicles and units, confirmed zeros,
 * jumps) with each unit's completeness; text or JSON lines to fn (a
 * report_note_fn, reports/report.h). *complete: 1 when the year is
 * complete. */
int report_status_show(struct ledger *l, const struct complete_opts *o, int json,
		       void (*fn)(void *ctx, const char *text), void *ctx,
		       int *complete, struct err *e);

/* The completeness check of `year` for a report (*cp: the caller frees):
 * a year with no data or before the first full year is refused unless
 * `partial`, an incomplete one when `strict`; else an incomplete year is
 * noted through `note` (a report_note_fn). */
int report_check_year(struct ledger *l, int year, int strict, int partial,
		      struct complete **cp, void (*note)(void *ctx, const char *text),
		      void *ctx, struct err *e);

#endif
