/*
 * degreedays: degree-day sets for the weather correction of heating energy
 * (docs/degree-days.md). A set is a versioned JSON file
 * (`co2ledger-degreedays/1`): monthly degree days per weather station with
 * each station's long-term reference, cited like a factor set. It is
 * registered like factor and target sets: validated with every problem
 * named by JSON path and line:column, stored as canonical JSON with its
 * SHA-256, immutable once registered, and audited ("degreedays.import").
 *
 * The weather correction is an indicator only: it never enters an emission
 * total or a fingerprint.
 *
 * Amounts are exact: degree days (Kd) in micro-Kd, energy in micro-kWh.
 *
 * Ownership: a parsed set is owned by the caller (degreedays_free); every
 * pointer into it lives as long as it.
 */
#ifndef CO2_DEGREEDAYS_H
#define CO2_DEGREEDAYS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

struct dd_month {
	int year, month;   /* 1..12 */
	int64_t kd;        /* micro-Kd */
};

struct dd_station {
	const char *id, *name;
	int64_t reference_kd;        /* long-term annual mean, micro-Kd */
	const char *reference_period; /* e.g. "1991-2020" */
	const char *citation;
	const char *notes;           /* NULL when absent; evidence tags */
	const struct dd_month *months; /* ascending, no repeats */
	size_t nmonths;
};

struct dd_set;

/* Parse and validate `co2ledger-degreedays/1` text. Every problem goes to
 * `errs` as "NAME:LINE:COLUMN: error: ... (at $.stations[0].months[3])";
 * *e summarises. 0 with *out (caller frees), or -1. */
int degreedays_parse(const char *data, size_t len, const char *name,
		     struct dd_set **out, struct errlist *errs, struct err *e);
void degreedays_free(struct dd_set *s);

const char *degreedays_name(const struct dd_set *s);
const char *degreedays_version(const struct dd_set *s);
const char *degreedays_published(const struct dd_set *s);
const char *degreedays_method(const struct dd_set *s);
const char *degreedays_sha256(const struct dd_set *s);
const char *degreedays_canonical(const struct dd_set *s);
size_t degreedays_count(const struct dd_set *s);
const struct dd_station *degreedays_at(const struct dd_set *s, size_t i);
const struct dd_station *degreedays_station(const struct dd_set *s,
					    const char *id);

/* The degree days of `year` at a station: the sum of its twelve months.
 * ERR_DATA naming the first missing month when the year is incomplete. */
int degreedays_year(const struct dd_station *st, int year,
		    int64_t *kd /* OUT, micro-Kd */, struct err *e);

/* The weather-corrected heating energy (VDI 3807):
 *   corrected = space heating x G_ref / G_year + hot water
 * in micro-kWh; space heating x G_ref / G_year is rounded once to whole
 * micro-kWh, half away from zero. -1 when g_year <= 0, an input is
 * negative or the result does not fit. */
int degreedays_correct(int64_t space_ukwh, int64_t hot_water_ukwh,
		       int64_t g_ref_kd, int64_t g_year_kd,
		       int64_t *out /* OUT */);

enum degreedays_import_result { DEGREEDAYS_ADDED, DEGREEDAYS_UNCHANGED };

/* Register a parsed set: same name@version and hash is a no-op
 * (DEGREEDAYS_UNCHANGED), a different hash is refused (ERR_DATA).
 * Audited. */
int degreedays_register(struct ledger *l, const struct dd_set *s,
			enum degreedays_import_result *result, struct err *e);

/* Load a registered version (NULL: the newest by published date); re-
 * validated and its hash checked. */
int degreedays_load(struct ledger *l, const char *name, const char *version,
		    struct dd_set **out, struct err *e);

#endif
