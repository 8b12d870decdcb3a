/*
 * report: the balance of one calculation run, built once and written as
 * JSON (SPEC §7), an XLSX workbook and open-data CSV, and checked again by
 * verify.
 *
 * report_build() reads a run's aggregates (table run_total) and rolls them up
 * the organisation tree to the reporting units: every district and every unit
 * directly under the state (org.h). It adds the yearly statistics for the
 * per-capita, per-employee and per-m² figures (ratio of sums, never a mean of
 * ratios), the previous year's totals from a second run, the per-capita rank
 * of the districts and the data-quality shares. All amounts are integer
 * milligrams CO2e; rounding to grams happens only when a figure is written.
 *
 * The writers take the finished model; the XLSX and CSV writers also stream
 * every activity line through calc_each_row(). The workbook and every json_t
 * live only inside this module. report_file_*() read a published JSON report
 * back for verify and compare it number by number with a rebuilt model.
 *
 * Ownership: a model is owned by the caller of report_build() and freed with
 * report_free(); pointers from report_unit_at() and friends live as long as
 * the model. Destructors accept NULL.
 */
#ifndef CO2_REPORT_H
#define CO2_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"
#include "org/org.h"

struct decomp;   /* engine/decompose.h */
struct factor_set; /* factors/factors.h */
struct factor_diff;
struct complete; /* engine/complete.h */

enum report_lang { REPORT_DE, REPORT_EN };

/* "de" or "en" (case-insensitive); -1 when neither. */
int report_lang_parse(const char *s, enum report_lang *out /* OUT */);

/* The denominators of the normalised figures. */
enum report_per { REPORT_PER_CAPITA, REPORT_PER_EMPLOYEE, REPORT_PER_M2,
		  REPORT_NPER };

/* The sectors of SPEC §6, in this fixed order. */
#define REPORT_NSECTORS 4
const char *report_sector_key(int i); /* "buildings.electricity", ... */

/* Data quality of a row (activity.quality). */
#define REPORT_NQUALITY 3
/* BISKO data-quality grades A, B, C, D (docs/methodology.md, "Data-quality
 * grades") with weights 1, 0.5, 0.25, 0. */
#define REPORT_NGRADES 4
/* The grade (0 = A .. 3 = D) of rows of quality `quality` (0 measured,
 * 1 calculated, 2 estimated). */
int report_grade_of(int quality);
/* The energy-weighted grade score in thousandths of a percent, rounded half
 * away from zero: sum(kwh[g] x weight[g]) / sum(kwh) (1000 A, 800 A, 200 C,
 * 1000 B -> 78333, i.e. 78.333 %). 0 when there is no energy (nothing
 * written), 1 otherwise; -1 when the sums overflow. */
int report_grade_score(const int64_t kwh[REPORT_NGRADES], int64_t *pct_x1000);

struct report_pair {
	int64_t location_mg; /* scope 1 + scope 2 location + scope 3 */
	int64_t market_mg;   /* scope 1 + scope 2 market + scope 3 */
};

/* Final energy of a group of activity rows (docs/methodology.md, "Final
 * energy"): micro-kWh on the net calorific basis (Hi), with the emissions
 * of the same rows for kWh-and-kg answers. */
struct report_energy {
	int64_t ukwh;
	int64_t location_mg, market_mg;
	long rows;        /* activity rows in the group */
	long energy_rows; /* of which with a final energy */
	/* Primary energy (non-renewable part), micro-kWh, of the rows whose
	 * carrier has a primary-energy factor (factors/primary.h); an
	 * indicator only. */
	int64_t primary_ukwh;
	long primary_rows;
};

/* The balance of one reporting unit or of the whole selection. */
struct report_figures {
	int64_t scope1_mg, scope2_location_mg, scope2_market_mg;
	int64_t scope3_mg;       /* including upstream_mg */
	int64_t upstream_mg;     /* scope 3 category 3 part */
	int64_t biogenic_co2_mg; /* outside the scopes */
	long rows;               /* activity rows in the balance (run_total.rows) */
	struct report_pair sector[REPORT_NSECTORS];
	struct report_pair *carrier; /* [report_ncarriers()], model-owned */
	int64_t quality_mg[REPORT_NQUALITY]; /* total_location by row quality */
	int64_t extrapolated_mg; /* total_location of extrapolated parts */
	int64_t grade_ukwh[REPORT_NGRADES]; /* final energy by data-quality grade A..D */
	/* statistics for the year: population, employees, floor area in
	 * 1/1000 m² (the unit's own figure, else the sum over its sub-units) */
	int has_stat[REPORT_NPER];
	int64_t stat[REPORT_NPER];
	int has_previous;        /* the previous year's run had data */
	int64_t previous_location_mg;
	int rank;                /* per-capita rank among districts, 0 = none */
	struct report_energy energy;                     /* all rows */
	struct report_energy sector_energy[REPORT_NSECTORS];
	struct report_energy *carrier_energy; /* [report_ncarriers()], model-owned */
};

struct report_unit {
	const char *code, *name;
	const char *number; /* official number (org.csv 'number'), NULL when none */
	enum org_kind kind;
	struct report_figures f;
};

struct report_model;

/* Build the model of run `run_id`. `prev_run_id` is a run of the year
 * before with the same factor sets and GWP (0: no comparison). `org` NULL
 * reports the whole tree; a code of a district or of a unit directly under
 * the state restricts totals, units, quality and activities to it (the rank
 * stays the rank among all districts). */
int report_build(struct ledger *l, int64_t run_id, int64_t prev_run_id,
		 const char *org, struct report_model **out, struct err *e);
void report_free(struct report_model *m);
/* Check before any work that `org` names a unit report_build() accepts;
 * ERR_USAGE naming the unit to use instead when it does not. */
int report_check_org(struct ledger *l, const char *org, struct err *e);

struct factor_ref;

/* The run's parameters and fingerprints, as stored with the run. */
struct report_run {
	int64_t id;
	int year;
	const char *gwp, *region, *fallback;
	const char *lens;        /* "ghg-protocol" or "bisko" */
	const char *factor_sets; /* JSON [{name, version, sha256}] */
	const char *batches;     /* JSON [{id, kind, file, sha256, rows}] */
	const char *inputs_sha256, *results_sha256;
	long rows_used, rows_excluded, rows_extrapolated;
	long rows_overlap;       /* rows of its batches loaded by --allow-overlap */
};
const struct report_run *report_run_info(const struct report_model *m);
/* "NAME@V,NAME@V" of the run's factor sets, in priority order. */
const char *report_factor_spec(const struct report_model *m);
/* The selected unit's code, NULL for the whole tree. */
const char *report_org(const struct report_model *m);

/* The reported units (selection applied), in the tree's display order. */
size_t report_unit_count(const struct report_model *m);
const struct report_unit *report_unit_at(const struct report_model *m, size_t i);
/* The totals of the selection. */
const struct report_figures *report_totals(const struct report_model *m);
/* Carrier keys, sorted ("cpv.30", "diesel", "electricity", ...). */
size_t report_ncarriers(const struct report_model *m);
const char *report_carrier_key(const struct report_model *m, size_t i);

/* ---- final energy ---- */

/* 1 when the run stored final energy (runs stored before schema 6 did not:
 * their energy figures are 0 and must be shown as unknown). */
int report_energy_known(const struct report_model *m);

/* Why rows of this sector and carrier have no final energy by nature:
 * "distance-based" (fleet.distance.*), "spend-based" (procurement), or NULL
 * when they are a fuel or energy and should have one. */
const char *report_energy_none(const char *sector, const char *carrier);

/* The run's figures per (the activity's own org unit, sector, carrier): a
 * site, or a district or department for rows booked on it directly. In
 * the tree's display order, then sector and carrier. The selection of
 * report_build()'s `org` applies. */
struct report_energy_cell {
	const char *code, *name;   /* the activity's own unit */
	enum org_kind kind;
	const char *report_code;   /* its reporting unit, NULL for the state */
	const char *sector, *carrier;
	struct report_energy e;
	size_t tree_index;         /* the unit's index in the org tree */
};
size_t report_energy_cell_count(const struct report_model *m);
const struct report_energy_cell *report_energy_cell_at(const struct report_model *m,
							size_t i);

/* 1 when the cell's unit is `org` or a unit below it. */
int report_energy_cell_under(const struct report_model *m,
			     const struct report_energy_cell *c, const char *org);

/* The sum of every cell of the unit `org` and the units below it (NULL:
 * everything), of `sector` and `carrier` (NULL: any). ERR_USAGE naming a
 * suggestion for an unknown unit. */
int report_energy_sum(const struct report_model *m, const char *org,
		      const char *sector, const char *carrier,
		      struct report_energy *out /* OUT */, struct err *e);

/* ---- arithmetic (exact; also used by the unit tests) ---- */

/* total_location and total_market of a balance. */
int64_t report_total_location(const struct report_figures *f);
int64_t report_total_market(const struct report_figures *f);
/* Grams CO2e per unit of the statistic (per m² for floor area), rounded
 * half away from zero; 0 with *g unset when the statistic is missing or 0. */
int report_per_g(const struct report_figures *f, enum report_per per,
		 int64_t *g /* OUT */);
/* Hundredths of a per cent of num/den, rounded; 0 when den is 0. */
int report_pct_x100(int64_t num, int64_t den, int64_t *out /* OUT */);
/* Change against the previous year in hundredths of a per cent; 0 when
 * there is no previous figure or it is 0. */
int report_change_x100(const struct report_figures *f, int64_t *out /* OUT */);
/* Rank the `n` figures by their value per `per` (rounded to grams, lowest
 * first; ties share the better rank: 1, 2, 2, 4) into rank[i]; figures
 * without the statistic and those with consider[i] == 0 get 0. `consider`
 * may be NULL. */
void report_rank(const struct report_figures *const *f, const int *consider,
		 size_t n, enum report_per per, int *rank /* OUT */);

/* Find what a reader must know about the run's factors (market-based
 * fallbacks, preliminary editions, default district-heat factors, factors
 * not specific to Germany, CO2-only factors, biogenic CO2 not recorded),
 * with amounts, by streaming the selection's rows once. The writers show
 * these in the method sheet, the JSON "disclosures" section and the open
 * data; without this call they leave them out. */
int report_disclose(struct ledger *l, struct report_model *m, struct err *e);

/* ---- runs ---- */

/* The newest run of `year`, 0 when there is none. */
int report_latest_run(struct ledger *l, int year, int64_t *run_id /* OUT */,
		      struct err *e);

/* The run to compare the model's run with: year - 1, the same factor sets,
 * GWP, region, fallback and batches. An existing such run is reused, else
 * one is calculated. *prev_id is 0 when that year cannot be calculated
 * (`why` then says why) or has no data. -1 only on database failures. */
int report_previous_run(struct ledger *l, const struct report_model *m,
			int64_t *prev_id /* OUT */, char *why, size_t whylen,
			struct err *e);

/* The model of run `run_id` with the change against its previous year:
 * report_build() once to find that run (report_previous_run(), which may
 * calculate it), then again with it, for `org` (NULL: every reporting
 * unit). *prev_id (when not NULL) is the previous year's run, 0 when
 * there is none; `why` then says why ("" when there is one). */
int report_build_with_previous(struct ledger *l, int64_t run_id, const char *org,
			       struct report_model **out, int64_t *prev_id /* OUT */,
			       char *why, size_t whylen, struct err *e);

/* The newest stored run of `year`, or when the year has none a run with the
 * default parameters calculated now (*calculated 1; on a scratch ledger
 * nothing is stored). The rows that cannot be calculated go to errs. */
int report_year_run(struct ledger *l, int year, int64_t *run_id /* OUT */,
		    int *calculated /* OUT */, struct errlist *errs, struct err *e);

/* One difference found by report_file_compare(): a JSON path such as
 * "units[MITTE].per_capita_kg" with both values as JSON text. */
typedef void report_diff_fn(void *ctx, const char *path, const char *reported,
			    const char *recomputed);

/* ---- published runs, the list of runs, outdated runs ---- */

/* Whether run `run_id` is published (*yes), with its label in label[0..n)
 * (n > REPORT_LABEL_MAX holds any) and when. */
int report_run_published(struct ledger *l, int64_t run_id, char *label,
			 size_t n, char at[21], int *yes /* OUT */, struct err *e);
/* Mark run `run_id` published with `label` (frozen: once only; at most
 * REPORT_LABEL_MAX bytes, else ERR_USAGE), audited as "run.publish".
 * ERR_DATA when there is no such run or it is published. */
int report_run_publish(struct ledger *l, int64_t run_id, const char *label,
		       struct err *e);

/* One stored run with who calculated it (the OS user of its audit entry)
 * and its publication; pointers valid during the callback only, NULL when
 * absent. */
struct report_run_entry {
	int64_t id;
	int year;
	const char *gwp, *region, *fallback, *factor_sets, *batches;
	long rows_used;
	const char *created_at, *results_sha256, *label, *published_at, *user;
};
typedef int report_run_fn(void *ctx, const struct report_run_entry *r, struct err *e);
int report_runs_each(struct ledger *l, report_run_fn *fn, void *ctx, struct err *e);

/* Whether the inputs of a model's run were superseded (replaced, removed
 * or corrected) since: v[] lists each such batch with the active batch that
 * replaces it (new_id 0: removed). When there are any, `now` is the same
 * run recalculated over the current batches (needs a scratch ledger, as
 * it calculates), or NULL with `why` saying why it cannot be. */
/* The longest publication label, in bytes (report_run_publish refuses a
 * longer one, so a stored label always fits). */
#define REPORT_LABEL_MAX 199

struct report_successor {
	int64_t old_id, new_id;
	char *file;
};
struct report_outdated {
	size_t n;
	struct report_successor *v;
	struct report_model *now;
	char why[600];
	int published;
	char label[REPORT_LABEL_MAX + 1], published_at[21];
};
int report_outdated_check(struct ledger *l, const struct report_model *m,
			  struct report_outdated *out /* OUT */, struct err *e);
void report_outdated_free(struct report_outdated *o);

/* When the inputs of m's run were superseded, removed or corrected since
 * (report_outdated_check), pass the notice line by line to fn: the
 * batches, the rows that differ (correct_diff) and the figures that would
 * change. `subject` names the run in the first line (NULL: "run N").
 * Calculates in memory: the ledger must be a scratch ledger. *outdated 1
 * when it was. */
typedef void report_note_fn(void *ctx, const char *text);
int report_outdated_notice(struct ledger *l, const struct report_model *m,
			   const char *subject, report_note_fn *fn, void *ctx,
			   int *outdated /* OUT */, struct err *e);

/* What differs between stored runs a and b, line by line to fn: their
 * input files (only in one; replaced, with the rows that differ) and every
 * figure. Calculates the previous years in memory when needed (a scratch
 * ledger). */
int report_runs_diff(struct ledger *l, int64_t a, int64_t b, report_note_fn *fn,
		     void *ctx, struct err *e);

/* Compare every figure of two models as report_file_compare() does. */
long report_model_compare(const struct report_model *a,
			  const struct report_model *b, report_diff_fn *fn,
			  void *ctx, long *differences /* OUT */);

/* ---- writers ---- */

/* Activity lines the workbook shows by default: a reader's sheet, written in
 * about two seconds; every line is in the CSV export (activities.csv). */
#define REPORT_XLSX_LINES 50000L
/* The most a worksheet holds below its header and the closing note. */
#define REPORT_XLSX_LINES_MAX 1048574L

struct report_out {
	enum report_lang lang;
	const char *generated; /* "YYYY-MM-DDTHH:MM:SSZ" (date_now_iso) */
	long xlsx_max_rows;    /* activity lines in the workbook; 0 = the default,
				  REPORT_XLSX_LINES; -1 = none; at most the sheet's
				  limit */
	/* called now and then while activity lines stream (may be NULL):
	 * lines done and the run's rows (an upper bound); must not print on
	 * stdout or touch the ledger */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	/* why the balance changed against the previous year (engine/
	 * decompose.h): a "change" section in JSON, a sheet in the workbook;
	 * NULL for none */
	const struct decomp *change;
	/* the completeness check of the year (engine/complete.h): a
	 * "completeness" section in JSON and the CSV metadata, a banner in the
	 * workbook when incomplete; NULL for none */
	const struct complete *complete;
	/* open data (may be NULL): the publisher's name (default: the selected
	 * unit's or the state's name), a contact e-mail address, and the URL
	 * the files will be published under (prefix of every file name) */
	const char *publisher, *contact, *base_url;
	/* progress toward the registered targets in the report's year, or
	 * NULL: then the JSON has no "targets" and the workbook no target
	 * sheet (report_goals_build) */
	const struct report_goals *goals;
};

/* Milligrams as kilograms rounded to grams (half away from zero), as a JSON
 * real: the one form every amount in JSON output takes. Returns a json_t *
 * (new reference); void * keeps jansson.h out of this header. */
void *report_json_kg(int64_t mg);
/* Every bucket of `t` and both totals in kg, as a JSON object (json_t *,
 * new reference). */
struct calc_totals;
void *report_totals_json(const struct calc_totals *t);

/* The districts of m ranked by their emissions per `per` (those without the
 * statistic last, unranked), with their location-based total and the change
 * against base_year (0: none), as `compare` shows them: text or JSON, line
 * by line to fn. */
struct report_compare {
	int year, base_year;
	int64_t run, base_run;
	enum report_per per;
};
int report_compare_show(const struct report_model *m, const struct report_compare *q,
			int json, report_note_fn *fn, void *ctx, struct err *e);
/* What `report` shows without an output option: the balance of run
 * `run_id` as a table of units with t CO2e location- and market-based,
 * kg per resident and rank, and the total; line by line to fn. */
void report_balance_show(const struct report_model *m, int64_t run_id,
			 report_note_fn *fn, void *ctx);
/* mg as tonnes with one decimal and thousands separators ("2,300.9"). */
void report_tonnes(int64_t mg, char *out, size_t n);
/* A number as num_format() writes it ("1234567.891") with thousands
 * separators ("1,234,567.891"); the one grouping of the code base. */
void report_grouped(const char *number, char *out, size_t n);

/* What `energy` shows: the final energy and emissions of run `run_id`
 * (of `year` when not 0, else a usage error) for the unit `org` and the
 * units below it (NULL: all), one sector and carrier (NULL: all), in
 * total and per unit, sector and carrier; text or JSON lines to fn. A
 * carrier the run does not have is a usage error naming those it has. */
int report_energy_show(struct ledger *l, int64_t run_id, int year, const char *org,
		       const char *sector, const char *carrier, int json,
		       report_note_fn *fn, void *ctx, struct err *e);

/* The import batches as `batch list` shows them, and one batch with its
 * rows as `batch show` does: text or JSON, line by line to fn. */
int report_batch_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		      struct err *e);
int report_batch_show(struct ledger *l, int64_t id, int json, report_note_fn *fn,
		      void *ctx, struct err *e);
/* What `import` says after loading `file` of `kind` with options o: the
 * batch, its counts and profile (on a dry run what it would be), a replaced
 * batch and the overlapping rows; or JSON. Lines to fn. */
struct import_opts;
struct import_result;
void report_import_show(const char *file, const char *kind, const struct import_opts *o,
			const struct import_result *res, int json, report_note_fn *fn,
			void *ctx);
/* What `batch correct` says: the row voided or the field changed, and
 * the new batch that supersedes the old one; or JSON. */
struct correct_opts;
struct correct_result;
void report_correct_show(const struct correct_opts *o, const struct correct_result *r,
			 int json, report_note_fn *fn, void *ctx);
/* `batch diff A B`: the rows of batch b against those of batch a line by
 * line (importers/correct.h), and how many differ; text or JSON lines. */
int report_batch_diff(struct ledger *l, int64_t a, int64_t b, int json,
		      report_note_fn *fn, void *ctx, struct err *e);

/* The stored runs as `runs list` shows them, text or JSON, line by line. */
int report_runs_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		     struct err *e);
/* A calculation's summary as `calc` shows it: the run, its parameters, row
 * counts and totals, text or JSON, line by line. */
struct calc_summary;
struct calc_params;
void report_calc_summary_show(const struct calc_summary *s, const struct calc_params *p,
			      int json, report_note_fn *fn, void *ctx);

/* What `factors import` says: the set registered (`added`) or unchanged,
 * with its factors and hash; or JSON. */
void report_factor_import_show(const char *path, const struct factor_set *s, int added,
			       int json, report_note_fn *fn, void *ctx);
/* `factors list`: the registered factor sets (name, version, published,
 * factors, hash, source cut to 60 characters) or JSON; nothing as text when
 * there are none. *count: how many. */
int report_factor_sets_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
			    size_t *count, struct err *e);
/* A factor set as `factors show` shows it, only the factors and conversions
 * of `activity` (a key or key prefix; NULL: all), text or JSON, line by
 * line to fn; ERR_DATA when no factor has that activity. */
int report_factor_set_show(const struct factor_set *s, const char *activity, int json,
			   report_note_fn *fn, void *ctx, struct err *e);
/* What factor_set_diff() found, as `factors diff` shows it. */
void report_factor_diff_show(const struct factor_diff *d, int json,
			     report_note_fn *fn, void *ctx);

/* The explanation of activity `act` in run `run_id` (every step from the
 * input row to kg CO2e; JSON with `json`), line by line to fn; ERR_DATA
 * when the row is not part of the run. */
int report_explain_activity(struct ledger *l, int64_t run_id, int64_t act, int json,
			    enum report_lang lang, report_note_fn *fn, void *ctx,
			    struct err *e);
/* The rows of run `run_id` behind one figure: of the units rolling up to
 * `org`, with sector or carrier `key`, subtotals per org unit, factor and
 * unit of measure (with the quantity summed), and their sum; line by line
 * to fn. Text in `lang` with its number and date forms; JSON is the same
 * in both. */
int report_explain_figure(struct ledger *l, int64_t run_id, const char *org,
			  const char *key, int json, enum report_lang lang,
			  report_note_fn *fn, void *ctx, struct err *e);

/* The JSON report as text (indented, sorted keys, final newline); the
 * caller frees it. *results_sha256 (65 bytes) receives its results hash. */
int report_json_text(const struct report_model *m, const struct report_out *o,
		     char **text /* OUT */, char *results_sha256 /* OUT */,
		     struct err *e);
/* Write the JSON report to `path`. */
int report_write_json(const struct report_model *m, const struct report_out *o,
		      const char *path, struct err *e);
/* Write the workbook; streams the activity lines through calc_each_row. */
int report_write_xlsx(struct ledger *l, const struct report_model *m,
		      const struct report_out *o, const char *path,
		      long *activity_rows /* OUT: lines in the CSV sense */,
		      struct err *e);
/* Write the open-data export (REPORT_CSV_FILES: the tables districts,
 * totals, sectors, carriers, activities, energy, the names tables, the CSVW and the
 * DCAT-AP.de metadata) as the folder `dir`: built beside it and swapped in
 * whole. An existing `dir` may hold only those files. */
#define REPORT_CSV_NFILES 10
extern const char *const REPORT_CSV_FILES[REPORT_CSV_NFILES];
int report_write_csv(struct ledger *l, const struct report_model *m,
		     const struct report_out *o, const char *dir, struct err *e);

/* Write DIR/index.html, a static self-contained web page of the balance
 * (charts, sortable table, disclosures), and the open data it links to
 * (the files of report_write_csv) as the folder DIR, built beside it and
 * swapped in whole like report_write_csv's. */
int report_write_html(struct ledger *l, const struct report_model *m,
		      const struct report_out *o, const char *dir, struct err *e);

/* ---- several years (trend) ---- */

/* Every year FROM..TO calculated in memory (a scratch ledger) with the same
 * factor-set spec, GWP and fallback, each year with the factors valid in
 * it. A year that cannot be calculated is added to `missing` ("2019: FILE:
 * LINE: no emission factor for ..."), and the whole trend is refused
 * (ERR_DATA naming the fallback): a gap is never silent. */
struct report_trend_params {
	int from, to;
	const struct factor_ref *factors; /* nfactors sets in priority order; */
	size_t nfactors;                  /* none: every set, newest version */
	const char *gwp;       /* NULL: AR5 */
	int fallback_previous;
	const char *org;       /* NULL: the whole tree */
};
struct report_trend_year {
	int year;
	int64_t run_id;
	long rows_used, rows_extrapolated; /* rows_used 0: no data that year */
	struct report_model *model;
};
struct report_trend;
int report_trend_build(struct ledger *l, const struct report_trend_params *p,
		       struct report_trend **out, struct errlist *missing,
		       struct err *e);
void report_trend_free(struct report_trend *t);
size_t report_trend_count(const struct report_trend *t);
const struct report_trend_year *report_trend_at(const struct report_trend *t,
						 size_t i);
/* The trend as JSON (docs/report-format.md, "Trend") and as a workbook
 * with the table and a line chart per unit and a column chart per sector. */
int report_trend_write_json(const struct report_trend *t, const struct report_out *o,
			    const char *path, struct err *e);
/* The same JSON as a json_t * (new reference; void * keeps jansson.h out). */
void *report_trend_json_value(const struct report_trend *t, const struct report_out *o);
/* What `compare --years` and `report --years` show: the JSON (json 1) or
 * the units x years table of t CO2e location-based with the change from
 * the first to the last year, line by line to fn; -1 when out of memory. */
int report_trend_show(const struct report_trend *t, const struct report_out *o,
		      int json, report_note_fn *fn, void *ctx);
int report_trend_write_xlsx(const struct report_trend *t, const struct report_out *o,
			    const char *path, struct err *e);

/* ---- progress toward the registered targets (docs/targets.md) ---- */

struct target;
/* One target for one unit in one year. Amounts are micro-units of the
 * target's metric: grams for t CO2e, Wh for MWh. */
struct report_goal {
	const char *set_name, *set_version;
	const struct target *target;
	const char *code, *name;   /* the unit */
	int year, base_year;
	int has_base, has_current, has_path, has_required, on_track;
	int64_t base, current, path;   /* path: the linear path's value in `year` */
	int64_t gap, gap_pct_x100;     /* current - path; of the base, in 1/100 % */
	int next_year;                 /* the next milestone after `year` (or the last) */
	int64_t next_value;
	int64_t required, required_pct_x100; /* average reduction per year to the next
						milestone; of the current value */
	const char *why;               /* what cannot be computed, NULL when all is */
	char whybuf[700];
};
struct report_goals;
/* Every target of every registered target set (newest version of each
 * name) in `year`, for its unit and, with per_district, each district
 * below it. Calculates the years in memory with the default factor sets
 * and GWP and the fallback policy `fallback` (CALC_FALLBACK_*, engine/calc.h;
 * 0 is strict): a scratch ledger. */
int report_goals_build(struct ledger *l, int year, int fallback,
		       struct report_goals **out, struct err *e);
void report_goals_free(struct report_goals *g);
size_t report_goals_count(const struct report_goals *g);
size_t report_goals_nsets(const struct report_goals *g);
const struct report_goal *report_goals_at(const struct report_goals *g, size_t i);
/* Why a goal's figures cannot be computed (r->why) in `lang`: German
 * pages get the German wording, an engine message inside stays as it is;
 * the text lives in `sb` (the caller's) or in r. NULL when nothing is
 * missing. */
struct strbuf;
const char *report_goal_why(const struct report_goal *r, enum report_lang lang,
			    struct strbuf *sb);
/* The rows as the JSON report's "targets" array (json_t *, new reference). */
void *report_goals_json_value(const struct report_goals *g);
/* What `targets progress --year Y` shows: per target and unit the base,
 * current value, path, gap, required reduction and on/off track; text or
 * JSON (the "targets" array) lines to fn; `fallback` as for
 * report_goals_build. No registered set: ERR_DATA. */
int report_goals_show(struct ledger *l, int year, int fallback, int json,
		      report_note_fn *fn, void *ctx, struct err *e);
/* `targets list`: the registered versions, one line each; `targets show
 * NAME[@VERSION]`: the targets of a version (the newest without @). */
int report_targets_list(struct ledger *l, report_note_fn *fn, void *ctx, struct err *e);
int report_targets_show(struct ledger *l, const char *spec, report_note_fn *fn,
			void *ctx, struct err *e);
/* The exact arithmetic (also for the unit tests), rounded half away from
 * zero: the linear path through (base_year, base) and the milestones at
 * `year`; the average reduction per year from `current` in `year` to
 * `target` in `target_year`; base reduced by reduction_pct (micro-%). */
int64_t report_goal_path(int base_year, int64_t base, const int *years,
			 const int64_t *values, size_t n, int year);
int64_t report_goal_required(int64_t current, int64_t target, int year,
			     int target_year);
int64_t report_goal_of_base(int64_t base, int64_t reduction_pct);

/* ---- reading a published report (verify) ---- */

struct report_file;

/* Load and check the shape of a JSON report. ERR_DATA when it is not one. */
int report_file_load(const char *path, struct report_file **out, struct err *e);
/* The same from memory; `name` stands for the file in messages. */
int report_file_load_mem(const char *data, size_t n, const char *name,
			 struct report_file **out, struct err *e);
void report_file_free(struct report_file *f);

struct report_file_info {
	int year;
	const char *org;      /* NULL for the whole tree */
	const char *gwp, *region, *fallback;
	const char *lens;     /* "ghg-protocol" (also when the file names none) or "bisko" */
	const char *factor_spec; /* "NAME@V,..." for display */
	const struct factor_ref *factors; /* the nsets factor sets, in order */
	const char *inputs_sha256;
	const char *results_sha256; /* as written in the file */
	char actual_sha256[65];     /* recomputed over the file's own numbers */
	size_t nsets, nbatches;
	const char *org_sha256;     /* NULL in reports of older co2ledgers */
	long audit_entries;         /* the audit head it was published with, */
	const char *audit_head;     /* NULL when the report has none */
	const char *audit_first;
};
const struct report_file_info *report_file_info(const struct report_file *f);
/* The i-th factor set / batch of the provenance. */
void report_file_set(const struct report_file *f, size_t i, const char **name,
		     const char **version, const char **sha256);
void report_file_batch(const struct report_file *f, size_t i, const char **file,
		       const char **sha256, const char **kind);

/* The i-th batch's rows_sha256, NULL when the report has none (a batch
 * imported before row hashes, or a report of an older co2ledger). */
const char *report_file_batch_rows(const struct report_file *f, size_t i);

/* Find the report's batches (by sha256) and factor sets (by name@version
 * and sha256) in this ledger. *ids receives the batch ids (caller frees);
 * fn is called with a sentence for every batch or set that is missing or
 * different, and *missing counts them. */
int report_file_resolve(struct ledger *l, const struct report_file *f,
			int64_t **ids /* OUT */, size_t *nids /* OUT */,
			report_note_fn *fn, void *ctx, long *missing /* OUT */,
			struct err *e);


/* Compare every figure of the file with the model's; calls fn for each
 * difference and returns how many numbers matched. */
long report_file_compare(const struct report_file *f,
			 const struct report_model *m, report_diff_fn *fn,
			 void *ctx, long *differences /* OUT */);

/* What report_verify() found. */
struct report_verify {
	int ok;               /* everything below matches */
	int altered;          /* the file's numbers do not hash to its results_sha256 */
	int ledger_altered;   /* the integrity check has findings */
	int head_lost;        /* the audit log lost entries since publication */
	int org_differs;      /* the tree or its statistics changed (org_sha256) */
	int outdated;         /* inputs superseded or corrected since (a note) */
	long missing;         /* batches or factor sets not found or different */
	long matched, differences; /* numbers compared (when nothing is missing) */
	long audit_entries, rows;  /* audit entries read, rows re-hashed */
	size_t batches;       /* the report's batches found here */
};
/* Verify the published report `rf` against this ledger: every finding is a
 * sentence to note(ctx), every differing number a call of diff(ctx), in the
 * order checked; rows that cannot be calculated go to errs. Calculates in
 * memory: the ledger must be a scratch ledger (LEDGER_SCRATCH). -1 only
 * when the checks could not be done (*e); a failed verification is 0 with
 * r->ok 0. */
int report_verify(struct ledger *l, const struct report_file *rf,
		  report_note_fn *note, report_diff_fn *diff, void *ctx,
		  struct errlist *errs, struct report_verify *r /* OUT */,
		  struct err *e);

/* What `verify REPORT.json` shows (`path` names the file): the findings
 * of report_verify() as they come (missing inputs, "differs: ..." lines),
 * then the verdict, or everything as one JSON object; line by line to fn.
 * 0 when everything matches; 1 when it does not, -1 when the checks could
 * not be made (errs may hold why), both with *e saying so (a data error
 * naming the file). */
int report_verify_show(struct ledger *l, const struct report_file *rf, const char *path,
		       int json, report_note_fn *fn, void *ctx, struct errlist *errs,
		       struct err *e);

/* ---- the ledger's contents (ledger.c) ---- */

/* `org list`: the organisation tree, indented by level (codes and names
 * escaped for the terminal), or JSON with each unit's statistics; nothing
 * as text when there are no units. *count: how many units. */
int report_org_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		    size_t *count, struct err *e);
/* `audit check`: the findings of the integrity check as they come and the
 * verdict (a data error naming the ledger when there are findings), or
 * JSON. `audit log`: one line per audit entry, or a JSON array. */
int report_audit_check(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		       struct err *e);
int report_audit_log(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		     struct err *e);

#endif
