/*
 * profile: mapping profiles (`co2ledger-profile/1`) that adapt real exports
 * to the canonical activity fields.
 *
 * A profile says how a file is written (delimiter, decimal and thousands
 * marks, date format, encoding), which header names mean which canonical
 * field (`columns`), which spellings of a value mean which canonical value
 * (`values`), and what to assume when a column is missing or empty
 * (`defaults`). Every key is optional; canonical column names and canonical
 * values are always understood. Header and value matching ignores case
 * (ASCII and the German umlauts) and surrounding white space.
 *
 * profile_parse() validates a profile and reports every problem as
 * "FILE:LINE:COLUMN: error: ... (at $.values.carrier.Strom)". A parsed profile
 * is immutable and owned by the caller (profile_free). The shipped profiles
 * (importers/profiles/NAME.json) are found by profile_find_shipped().
 */
#ifndef CO2_PROFILE_H
#define CO2_PROFILE_H

#include <stddef.h>

#include "base/err.h"
#include "base/csv.h"

struct strbuf;

#define PROFILE_FORMAT "co2ledger-profile/1"

/* The canonical fields of activity rows (SPEC §4), in header order. */
enum profile_field {
	PF_ORG,
	PF_CARRIER,
	PF_FUEL,
	PF_PERIOD_START,
	PF_PERIOD_END,
	PF_DATE,
	PF_QUANTITY,
	PF_UNIT,
	PF_SITE,
	PF_METER,
	PF_TARIFF,
	PF_SUPPLIER_FACTOR,
	PF_QUALITY,
	PF_VEHICLE,
	PF_VEHICLE_CLASS,
	PF_CPV,
	PF_AMOUNT,
	PF_CURRENCY,
	PF_SUPPLIER,
	PF_DESCRIPTION,
	PF_N
};

/* Date formats a profile may name. ISO (YYYY-MM-DD) and DD.MM.YYYY are
 * always understood, being unambiguous; the others add a form. */
enum profile_date {
	PROFILE_DATE_AUTO = 0, /* ISO and DD.MM.YYYY */
	PROFILE_DATE_ISO,      /* "YYYY-MM-DD" */
	PROFILE_DATE_DMY,      /* "DD.MM.YYYY" */
	PROFILE_DATE_DMY2,     /* "DD.MM.YY": also two-digit years, 00-69 = 20xx */
	PROFILE_DATE_DMY_SLASH,/* "DD/MM/YYYY" */
	PROFILE_DATE_MDY_SLASH,/* "MM/DD/YYYY" */
};

struct profile_format {
	char delimiter;              /* ',', ';', '\t'; 0 = detect */
	char decimal;                /* '.' or ','; 0 = from the delimiter */
	int thousands;               /* -1 = implied by the decimal; 0 = none */
	enum profile_date date;
	enum csv_encoding encoding;  /* CSV_ENC_AUTO unless given */
};

struct profile;

/* Name of a field ("period_start"); -1 from parse when unknown. */
const char *profile_field_name(enum profile_field f);
int profile_field_parse(const char *s, size_t n);

/* The canonical values of a field with a closed vocabulary (carrier, fuel,
 * unit, quality, currency) as a NULL-terminated list, else NULL. */
const char *const *profile_vocab(enum profile_field f);

/* Parse and validate profile JSON `data[0..len)`; `name` is used in errors
 * and as the profile's label. Every problem goes to `errs` (NULL: stop at
 * the first, in *e). Returns 0 with *out set, or -1. */
int profile_parse(const char *data, size_t len, const char *name,
		  struct profile **out, struct errlist *errs, struct err *e);
/* Read and parse a profile file (at most 1 MiB). */
int profile_load(const char *path, struct profile **out, struct errlist *errs,
		 struct err *e);
/* The empty profile: canonical names and values only. */
int profile_canonical(struct profile **out, struct err *e);
void profile_free(struct profile *p);

/* Find the shipped profile NAME.json: in DATADIR/profiles (`datadir` from
 * the caller, e.g. $CO2LEDGER_DATADIR; NULL or "" to skip it), then
 * importers/profiles next to the executable or up to two directories up (a
 * build tree), then the install directory compiled in. Sets *path (reset
 * first; the caller releases it) and returns 0; -1 with *e listing where it
 * looked. */
int profile_find_shipped(const char *datadir, const char *name,
			 struct strbuf *path /* OUT */, struct err *e);

/* The profile's label: its "name" key, else the name it was parsed with. */
const char *profile_name(const struct profile *p);
const struct profile_format *profile_format(const struct profile *p);

/* The field a header cell names, or -1. *rank receives 0 for a canonical
 * name and 1 + the synonym's position in the profile's list otherwise, so a
 * caller can prefer the earlier synonym when two columns name one field.
 * *bracket receives the text of a trailing "(...)" or "[...]" of the header
 * ("Verbrauch (kWh)" -> "kWh"), or is set to NULL/0. */
int profile_match_header(const struct profile *p, const char *h, size_t n,
			 int *rank, const char **bracket, size_t *bracket_len);
/* 1 when the header cell is one of the profile's own synonyms (not a
 * canonical name): how `--profile auto` recognises a profile's files. */
int profile_is_synonym(const struct profile *p, const char *h, size_t n);

/* Map a value of `f` through the profile's value map and, for fields with a
 * vocabulary, the canonical values (case-insensitively). Returns 1 with
 * *out set (a static or profile-owned string, "" meaning "none"), else 0. */
int profile_map_value(const struct profile *p, enum profile_field f,
		      const char *s, size_t n, const char **out);
/* The profile's default for `f`, or NULL. */
const char *profile_default(const struct profile *p, enum profile_field f);
/* Write "'X', 'Y'" naming the spellings closest to s (value-map keys and
 * canonical values of f) into buf; "" when none is close. Only spellings
 * of at most 64 bytes can be close, so 134 bytes always hold both. */
void profile_suggest(const struct profile *p, enum profile_field f,
		     const char *s, size_t n, char *buf, size_t bufn);
/* Append the header names `f` is recognised by, "a, b, c", to *out. */
void profile_synonyms(const struct profile *p, enum profile_field f,
		      struct strbuf *out);

#endif
