/*
 * change: the decomposition of a change (engine/decompose.h) as JSON, for
 * `compare --explain-change --json` and the "change" section of the JSON
 * report. Amounts are integer milligrams (exact: the effects of every line
 * add up to its change) with the same figures in kg rounded to grams.
 */
#ifndef CO2_REPORT_CHANGE_H
#define CO2_REPORT_CHANGE_H

struct decomp;

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

#endif
