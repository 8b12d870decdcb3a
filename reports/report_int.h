/*
 * report_int: what the parts of the report module share and nothing else
 * sees: the model's layout, the translation table (i18n.c), and the JSON
 * form of the figures that both the writer and verify build.
 */
#ifndef CO2_REPORT_INT_H
#define CO2_REPORT_INT_H

#include <jansson.h>

#include "base/strbuf.h"
#include "factors/factors.h"
#include "reports/report.h"

struct report_model {
	struct report_run run;
	char *run_strings;      /* owns the run's text fields */
	char *factor_spec;      /* "NAME@V,..." for display */
	struct factor_ref *factor_refs; /* the run's sets, report_refs_from_json */
	size_t nfactor_refs;
	int64_t *batch_ids;
	size_t nbatch_ids;
	struct org_tree *tree;
	struct report_unit *units; /* every reporting unit, display order */
	size_t nunits;
	size_t *tree_slot;      /* tree index -> units index (or (size_t)-1) */
	char **carriers;        /* sorted keys */
	size_t ncarriers;
	struct report_pair *carrier_mem; /* (nunits + 1) * ncarriers */
	struct report_energy *carrier_energy_mem; /* (nunits + 1) * ncarriers */
	struct report_energy_cell *cells; /* report_energy_cell_at() */
	size_t ncells;
	int energy_known;       /* no run_total row of the run lacks energy */
	struct report_figures all; /* the whole tree */
	size_t sel;             /* selected units index, (size_t)-1 for all */
	char *org;              /* selected code or NULL */
	const char *state_code, *state_name; /* the single state root, or NULL */
	char org_sha256[65];    /* the tree and the year's statistics (org.h) */
	long audit_entries;     /* the audit log's head when the model was built */
	char audit_head[65], audit_first[65];
	unsigned char *left_out; /* [nunits]: rank and change left out for
				    incomplete data (completeness.h); NULL: none */
	struct report_disclosures *disc; /* report_disclose(), NULL before */
};

/* ---- disclosures (disclose.c) ---- */

enum report_disc_kind {
	D_MARKET_FALLBACK, /* market result taken from the location factor */
	D_PRELIMINARY,     /* factor status other than final */
	D_HEAT_DEFAULT,    /* district heat by a national default factor */
	D_FOREIGN,         /* factor not specific to Germany */
	D_CO2_ONLY,        /* factor counts CO2 only, no CH4 and N2O */
	D_EXTRAPOLATED,    /* factor of another period (fallback previous/nearest) */
	D_BIOGENIC,        /* biogenic CO2: recorded or not */
	D_NKINDS
};

struct report_disclosure {
	enum report_disc_kind kind;
	char set[160];     /* NAME@VERSION of the factors, "" when none */
	char source[160];  /* the set's publisher, "" when none */
	char detail[64];   /* status, region or sector key */
	char sector[32];   /* sector key, "" when any */
	int64_t mg;        /* location-based amount (market-based for D_MARKET_FALLBACK) */
	long rows;
};

/* The BISKO conformity list (docs/methodology.md §1a): each rule of the
 * BISKO method the data of a BISKO run violates, with the rows affected. */
enum report_bisko_rule {
	B_NO_UPSTREAM,      /* a factor without upstream (not a life-cycle factor) */
	B_NOT_NATIONAL_MIX, /* electricity by a factor that is not the national mix */
	B_EXTRAPOLATED,     /* no factor of the year: an earlier one was used */
	B_HEAT_DEFAULT,     /* district heat by a default, not its network's factor */
	B_NO_ENERGY,        /* no final energy (distance- or spend-based, no conversion) */
	B_NRULES
};

#define REPORT_BISKO_REFS 10 /* rows named per rule; all are counted */

struct report_bisko_conf {
	long rows;
	int64_t mg;                       /* location-based amount of those rows */
	char *refs[REPORT_BISKO_REFS];    /* "FILE:LINE", owned, in row order */
	size_t nrefs;
};

/* The reconciliation of a BISKO report (whole tree): from the GHG-Protocol
 * total of the same data and parameters to the BISKO total, in mg. */
enum report_recon_line {
	R_MARKET_TO_MIX,   /* market-based scope 2 replaced by the national mix */
	R_PROCUREMENT,     /* procurement removed from the balance */
	R_UPSTREAM,        /* upstream moved from scope 3.3 into the energy lines (0 net) */
	R_HEAT_NETWORK,    /* district heat by its network's factor instead of the default */
	R_OTHER,           /* anything else: 0 when the lens rules explain the difference */
	R_NLINES
};

struct report_recon {
	int has;                 /* computed (a BISKO report of the whole tree) */
	int64_t ghg_run;         /* the GHG-Protocol run compared with */
	int ghg_calculated;      /* it was calculated in memory (none stored) */
	int64_t ghg_market_mg, ghg_location_mg, bisko_mg;
	int64_t line_mg[R_NLINES];
	int64_t upstream_moved_mg; /* for R_UPSTREAM: the amount that changes place */
};

/* The GHG-Protocol sums of the run with m's parameters and the ghg-protocol
 * lens: a stored one, else calculated in memory. */
struct report_lens_sums {
	int64_t run_id;
	int calculated;
	int64_t scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg, upstream_mg;
	int64_t procurement_mg;  /* the location-based total of sector procurement */
};
/* The line's key ("market_to_national_mix", ...) and label. */
const char *report_recon_key(enum report_recon_line k);
const char *report_recon_label(enum report_lang lang, enum report_recon_line k);
int report_ghg_sums(struct ledger *l, const struct report_model *m,
		    struct report_lens_sums *out, struct err *e);

struct report_disclosures {
	struct report_disclosure *v;
	size_t n, cap;
	struct report_recon recon;
	int bisko;               /* the run is of the BISKO lens: conf[] is filled */
	struct report_bisko_conf conf[B_NRULES];
	int biogenic_recorded;   /* some factor used carries biogenic CO2 */
	int64_t biogenic_fuel_mg; /* location-based amount of biogenic carriers */
};

void report_disclosures_free(struct report_disclosures *d);
/* The rule's key ("factor_without_upstream", ...) and sentence. */
const char *report_bisko_rule_key(enum report_bisko_rule r);
const char *report_bisko_rule_text(enum report_lang lang, enum report_bisko_rule r);
/* The share base of a disclosure: total market for D_MARKET_FALLBACK, else
 * total location of the selection. */
int64_t report_disc_base(const struct report_model *m,
			 const struct report_disclosure *d);
/* The disclosure as a sentence in the report's language. */
void report_disc_text(enum report_lang lang, const struct report_model *m,
		      const struct report_disclosure *d, char *buf, size_t n);
/* The newest stored run of `year` with m's method and inputs (the same
 * GWP, region, fallback, factor sets and batches), 0 when there is none. */
int report_same_method_run(struct ledger *l, const struct report_model *m,
			   int year, int64_t *run_id /* OUT */, struct err *e);
/* Tonnes (mg / 1e9) with one decimal and the language's separators. */
/* The plain decimal `s` ("-1234.5") with the language's thousands and
 * decimal separators ("-1,234.5" / "-1.234,5"), cut to fit n. */
void report_localise(enum report_lang lang, const char *s, char *buf, size_t n);
void report_fmt_t(enum report_lang lang, int64_t mg, char *buf, size_t n);
/* Hundredths of a per cent with two decimals in the language's form. */
void report_fmt_pct(enum report_lang lang, int64_t x100, char *buf, size_t n);

/* The JSON writer's flags: sorted keys, 15 significant digits. */
#define REPORT_JSON_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

/* {"totals": ..., "units": ..., "quality": ...} of the model: the figures
 * that results_sha256 covers. New reference. */
json_t *report_json_figures(const struct report_model *m);
/* The "energy" section of the JSON report (docs/report-format.md): basis,
 * totals, units and sites with their final energy. New reference. */
json_t *report_json_energy(const struct report_model *m);
/* Progress toward the targets as the JSON report's "targets" array (also
 * `targets progress --json`). New reference. */
json_t *report_goals_json(const struct report_goals *g);
/* The trend as JSON (co2ledger-trend/1). New reference. */
json_t *report_trend_json(const struct report_trend *t, const struct report_out *o);
/* How final energy is counted, one sentence, for every format. */
extern const char REPORT_ENERGY_BASIS[];
/* SHA-256 (hex) over the compact, key-sorted text of `fig`. */
void report_json_hash(const json_t *fig, char out[65]);


/* ---- open data (opendata.c) ---- */

/* A file of the open-data export: name, title and description in both
 * languages, and its columns (NULL for a file that is not a table). */
struct report_csv_file {
	const char *file, *title_de, *title_en, *de, *en;
	const char *const *cols;
};

struct report_csv_files {
	const struct report_csv_file *v;
	size_t n;
};

/* The open-data files are written into `tmp`, the temporary folder that
 * replaces `dir` when complete (base/outfile.h); messages name `dir`. */
/* csv-metadata.json (CSVW) and metadata.json (DCAT-AP.de JSON-LD) for the
 * files already written into `tmp`; checksums and sizes are read back. */
int report_write_opendata_meta(struct ledger *l, const struct report_model *m,
			       const struct report_out *ro, const char *tmp,
			       const char *dir, const struct report_csv_files *files,
			       struct err *e);
/* Every file of the open-data export (REPORT_CSV_FILES) into `tmp`. */
int report_write_csv_into(struct ledger *l, const struct report_model *m,
			  const struct report_out *ro, const char *tmp,
			  const char *dir, struct err *e);

/* ---- translation table ---- */

enum report_label {
	L_TITLE,            /* "CO2 balance %d" */
	L_TITLE_ORG,        /* "... %d: %s" */
	L_DESCRIPTION,
	L_SHEET_SUMMARY, L_SHEET_UNITS, L_SHEET_SECTORS, L_SHEET_ACTIVITIES,
	L_SHEET_FACTORS, L_SHEET_PROVENANCE,
	L_CODE, L_NAME, L_KIND,
	L_SCOPE1, L_SCOPE2_LOC, L_SCOPE2_MKT, L_SCOPE3, L_UPSTREAM,
	L_TOTAL_LOC, L_TOTAL_MKT, L_BIOGENIC,
	L_PER_CAPITA, L_PER_EMPLOYEE, L_PER_M2, L_PREVIOUS, L_CHANGE, L_RANK,
	L_POPULATION, L_EMPLOYEES, L_FLOOR_AREA,
	L_SECTOR, L_CARRIER, L_LOCATION_T, L_MARKET_T,
	L_TOTAL, L_KEY_FIGURES, L_VALUE, L_UNIT,
	L_QUALITY, L_MEASURED, L_CALCULATED, L_ESTIMATED, L_EXTRAPOLATED,
	L_SHARE_PCT,
	L_CHART_SCOPES, L_CHART_SECTORS, L_RANKING, L_PER_CAPITA_KG_SHORT,
	L_T_CO2E, L_KG_CO2E, L_PCT,
	L_ORG, L_REPORTING_UNIT, L_FILE_LINE, L_PERIOD_START, L_PERIOD_END,
	L_QUANTITY, L_ACTIVITY, L_TARIFF, L_FACTOR_ID, L_FACTOR_SET,
	L_FACTOR_VALUE, L_FACTOR_UNIT, L_CITATION, L_EXCLUDED, L_KG_LOC, L_KG_MKT,
	L_YES, L_TRUNCATED,
	L_REGION, L_VALID_FROM, L_VALID_TO, L_METHOD, L_SCOPE, L_STATUS,
	L_RUN, L_YEAR, L_GWP, L_FALLBACK, L_LENS, L_CONFORMITY, L_INPUTS_SHA, L_RUN_RESULTS_SHA,
	L_REPORT_RESULTS_SHA, L_GENERATED, L_ENGINE, L_ROWS_USED,
	L_ROWS_EXCLUDED, L_ROWS_EXTRAPOLATED, L_ROWS_OVERLAP, L_FACTOR_SETS, L_BATCHES,
	L_VERSION, L_SHA256, L_ID, L_ROWS, L_SOURCE, L_LICENSE,
	L_METHOD_NOTE, L_STAT_NOTE, L_MKT_FACTOR, L_CONVERSION,
	L_FACTOR_UPSTREAM, L_KEY, L_WHAT, L_MKT_SUPPLIER, L_MKT_FALLBACK,
	L_LABEL, L_QUALITY_COL, L_DAYS,
	L_SHEET_METHOD, L_PAGE_OF, L_SOURCE_RUN, L_NOT_RECORDED, L_SCOPE_SPLIT,
	L_LOCATION_BASED, L_MARKET_BASED, L_CHART_RANKING, L_DISCLOSURES,
	L_NOTE, L_AMOUNT_T, L_METHOD_BASICS, L_SHEET_CHART_RANKING,
	L_SHEET_CHART_SECTORS,
	L_SHEET_ENERGY, L_ENERGY_TITLE, L_ENERGY_NOTE, L_ENERGY_MWH, L_ENERGY_KWH,
	L_ENERGY_CONV, L_ENERGY_BY_SITE, L_ENERGY_ROWS, L_ENERGY_NONE,
	L_PRIMARY_MWH, L_PRIMARY_NOTE,
	L_ENERGY_UNKNOWN, L_NONE_DISTANCE, L_NONE_SPEND, L_NONE_CONVERSION,
	L_SHEET_TREND, L_TREND_TITLE, L_CHART_TREND_UNITS, L_CHART_TREND_SECTORS,
	L_SHEET_TARGETS, L_TARGETS_TITLE, L_TARGETS_NOTE, L_TARGET, L_TARGET_METRIC,
	L_TARGET_BASE_YEAR, L_TARGET_BASE, L_TARGET_CURRENT, L_TARGET_PATH, L_TARGET_GAP,
	L_TARGET_GAP_PCT, L_TARGET_REQUIRED, L_TARGET_ON_TRACK, L_TARGET_SOURCE, L_NO,
	L_HTML_ENERGY_KPI, L_HTML_TREND_DESC, L_HTML_TREND_NOTE, L_HTML_TARGETS_NONE,
	L_TARGET_NEXT, L_TARGET_NOT_COMPUTED, L_TARGET_UNIT,
	L_NLABELS
};

const char *report_tr(enum report_lang lang, enum report_label k);
/* Labels of keys; unknown keys come back as given. */
const char *report_tr_kind(enum report_lang lang, enum org_kind k);
const char *report_tr_sector(enum report_lang lang, const char *key);
/* Writes e.g. "Erdgas" or "CPV-Abteilung 30" into buf. */
const char *report_tr_carrier(enum report_lang lang, const char *key,
			      char *buf, size_t n);
const char *report_tr_quality(enum report_lang lang, int q);
const char *report_quality_key(int q); /* "measured", ... */
/* A canonical unit as readers write it: "kWh (Hs)", "m³"; others as given. */
const char *report_tr_unit(enum report_lang lang, const char *unit);
/* A factor's status ("final", "preliminary", "estimate"), method (market
 * 0/1) and the run's fallback rule ("strict", "previous") in words. */
const char *report_tr_status(enum report_lang lang, const char *status);
const char *report_tr_method(enum report_lang lang, int market);
const char *report_tr_fallback(enum report_lang lang, const char *fallback);
/* "GHG Protocol" or "BISKO" for a run's lens. */
const char *report_tr_lens(enum report_lang lang, const char *lens);
/* "YYYY-MM-DDTHH:MM:SSZ" as "05.12.2026, 07:55 UTC" (de) or
 * "5 December 2026, 07:55 UTC" (en); the input as given when malformed. */
void report_fmt_generated(enum report_lang lang, const char *iso, char *buf,
			  size_t n);

/* Format a line and pass it to fn (outdated.c); never truncated. */
void report_say(report_note_fn *fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The factor sets of a JSON array of {name, version}: *out n+1 refs (the
 * last owns the strings; free with report_refs_free(*out, n)) and *label
 * "NAME@V,..." for display (free it). -1 when out of memory. */
int report_refs_from_json(const json_t *sets, struct factor_ref **out, char **label);
void report_refs_free(struct factor_ref *refs, size_t n);

/* Text for a report_note_fn, line by line: report_emitf() appends and
 * passes on every complete line (without its newline); report_emit_end()
 * passes the rest and releases the buffer. One line is held at a time. */
struct report_emit {
	report_note_fn *fn;
	void *ctx;
	struct strbuf sb;
};
void report_emitf(struct report_emit *em, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* v as JSON text (sorted keys, reals to 15 digits, plus `flags`). */
void report_emit_json(struct report_emit *em, const json_t *v, size_t flags);
void report_emit_end(struct report_emit *em);
/* `s` with the characters that must not reach a terminal escaped
 * (base/text.h; "\\x1b"), a new string (NULL when out of memory). */
char *report_esc(const char *s);
/* `s` escaped, left-aligned in `width` characters (UTF-8 aware), cut to
 * fit, as the terminal shows it. */
void report_emit_col(struct report_emit *em, const char *s, int width);

/* Calculation parameters from a run's stored form (fallback "strict" or
 * "previous"), over the batches ids[0..nids) (runs.c); and those of m's run
 * for `year`. */
struct calc_params;
void report_params(struct calc_params *p, int year, const struct factor_ref *refs,
		   size_t nrefs, const char *gwp, const char *region, const char *fallback,
		   const char *lens,
		   const int64_t *ids, size_t nids);
void report_run_params(struct calc_params *p, const struct report_model *m, int year,
		       const int64_t *ids, size_t nids);

/* The parsed JSON of a report file (borrowed: valid while rf lives). */
json_t *report_file_root(const struct report_file *rf);

#endif
