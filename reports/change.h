/*
 * change: the decomposition of a change (engine/decompose.h) as JSON, for
 * `compare --explain-change --json` and the "change" section of the JSON
 * report. Amounts are integer milligrams (exact: the effects of every line
 * add up to its change) with the same figures in kg rounded to grams.
 */
#ifndef CO2_REPORT_CHANGE_H
#define CO2_REPORT_CHANGE_H

#include <stdint.h>

struct decomp;
struct err;
struct ledger;

/* A new json_t * object (void * keeps jansson.h out of this header):
 * {base_run, run, base_year, year, base_gwp, gwp, order, lines: [...]}
 * (docs/report-format.md); NULL when out of memory. */
void *report_change_json(const struct decomp *d);

/* The same restricted to the lines of reporting unit `org` (NULL: all). */
void *report_change_json_org(const struct decomp *d, const char *org);

/* Add the sheet "Veränderung" / "Why it changed" to a workbook (a
 * lxw_workbook *) in language `en` (0: German): every line of the
 * decomposition of unit `org` (NULL: all), location-based, in kg. */
void report_change_sheet(void *workbook, const struct decomp *d, int en,
			 const char *org);

/* What `compare --explain-change` shows: the decomposition from run
 * `base_run` to run `run`, location-based (market 0) or market-based,
 * per unit and sector in kg CO2e with the effects, as a table or JSON
 * (report_change_json), line by line to fn (a report_note_fn). */
int report_change_show(struct ledger *l, int64_t base_run, int64_t run, int market,
		       int json, void (*fn)(void *ctx, const char *text), void *ctx,
		       struct err *e);

#endif
