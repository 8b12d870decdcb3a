/*
 * import: validate an energy, fleet or procurement export and load it as one
 * batch of activity rows.
 *
 * One streaming pass reads the file through the CSV reader, maps its columns
 * with a profile (profile.h), checks every row against SPEC §4 and inserts the
 * good rows inside one transaction, keeping each row's source line. Every
 * problem becomes a located error in `errs` ("FILE:LINE:COLUMN: ..."). A row
 * that repeats or overlaps a row already counted (this file's earlier rows or
 * an active batch of the same kind: the same meter or vehicle with an
 * overlapping period; without a meter, the same org, activity, period,
 * quantity and text) is a row error naming both places, unless
 * allow_overlap, which loads it with a warning and records the count on the
 * batch. By default one bad row rejects the whole file and the ledger is left
 * as it was; with skip_invalid the good rows are loaded and the bad ones
 * (overlapping rows too) written to a rejects CSV. A dry run does all of it,
 * reports the same, and rolls back. A file whose SHA-256 or normalised rows
 * are those of an active batch is refused unless it replaces that batch, and
 * so is the file of a batch another one superseded.
 *
 * Memory does not grow with the file: the reader holds one record, and the
 * per-file maps grow only with the number of distinct org codes, activity
 * keys and meters/vehicles (capped).
 */
#ifndef CO2_IMPORT_H
#define CO2_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"
#include "importers/profile.h"

enum import_kind { IMPORT_ENERGY, IMPORT_FLEET, IMPORT_PROCUREMENT };

/* "energy", "fleet", "procurement"; parse returns -1 when unknown. */
const char *import_kind_name(enum import_kind k);
int import_kind_parse(const char *s);

struct import_opts {
	enum import_kind kind;
	const struct profile *profile; /* NULL: auto (canonical or a shipped
					  profile recognised by the header) */
	const char *datadir;           /* where auto looks first for the shipped
					  profiles (DIR/profiles), e.g. the
					  caller's $CO2LEDGER_DATADIR; NULL: none */
	int dry_run;                   /* validate and report, then roll back */
	int skip_invalid;              /* load the good rows, reject the rest */
	const char *rejects_path;      /* NULL: "<file>.rejects.csv" ("stdin.rejects.csv" for "-") */
	int64_t replace;               /* batch to supersede, 0 for none */
	int allow_overlap;             /* load rows that repeat or overlap rows
					  already counted (recorded on the batch) */
	char decimal;                  /* '.' or ',' to pin the decimal mark; 0: the
					  profile's, else from the delimiter */
	/* Called about every half second during long imports; may be NULL. */
	void (*progress)(void *ctx, long rows);
	void *progress_ctx;
};

struct import_result {
	int64_t batch;           /* the new batch (on a dry run: the id it would get) */
	long rows_total;         /* data rows read (without the header) */
	long rows_loaded;
	long rows_rejected;
	long warnings;
	long overlap_rows;       /* rows loaded by allow_overlap that repeat or overlap */
	char sha256[65];
	const char *profile;     /* the profile used: the name of o->profile
				    (valid while it lives), else a static
				    "canonical" or "de"; NULL when none was */
	char *rejects;           /* the rejects file written, whole; NULL when
				    none (freed by import_result_release) */
};

/* Free the rejects path of a result; the result stays readable. NULL is
 * fine. */
void import_result_release(struct import_result *res);

/* Import the file at `path` ("-" for standard input) into *res (release it
 * with import_result_release after either outcome). Returns 0 when the
 * batch was loaded (or, on a dry run, would be). On a data error every
 * problem is in `errs`, nothing is changed, and -1 is returned with *e
 * summarising; -1 with an empty `errs` is an I/O or database failure.
 * `warns` (may be NULL) receives the double-counting warnings. */
int import_file(struct ledger *l, const char *path, const struct import_opts *o,
		struct import_result *res /* OUT */, struct errlist *errs,
		struct errlist *warns, struct err *e);

/* The same on memory, `name` standing for the file in messages and in the
 * batch (fuzz targets and tests). */
int import_mem(struct ledger *l, const void *data, size_t n, const char *name,
	       const struct import_opts *o, struct import_result *res /* OUT */,
	       struct errlist *errs, struct errlist *warns, struct err *e);

/* ---- batches ---- */

/* A batch's file and profile are names the system opened (a path shorter
 * than PATH_MAX, or a profile's "name" of at most 64 bytes), so they fit
 * whole. */
#define IMPORT_NAME_MAX 4096

struct import_batch {
	int64_t id;
	char kind[16];
	char file[IMPORT_NAME_MAX];
	char sha256[65];
	char profile[IMPORT_NAME_MAX];
	long rows_total, rows_loaded, rows_rejected;
	char imported_at[24];
	char status[16];          /* "active" or "superseded" */
	int64_t superseded_by;    /* 0 when none */
	char superseded_at[24];   /* "" when none */
	int allow_overlap;        /* imported with --allow-overlap */
	long overlap_rows;        /* rows it holds that repeat or overlap others */
};

/* Read batch `id`; -1 with ERR_DATA when there is none. */
int import_batch_get(struct ledger *l, int64_t id, struct import_batch *out /* OUT */,
		     struct err *e);
/* Call fn for every batch in id order; a non-zero return stops. */
int import_batch_each(struct ledger *l,
		      int (*fn)(void *ctx, const struct import_batch *b), void *ctx,
		      struct err *e);
/* Mark batch `id` superseded (kept for audit, no longer active) and log
 * `batch.remove`. -1 with ERR_DATA when it does not exist or is not active. */
int import_batch_remove(struct ledger *l, int64_t id, struct err *e);

/* One activity row of a batch, as stored, for `batch show`. Text pointers
 * are valid during the callback only; NULL when empty. */
struct import_row {
	long line;
	const char *org, *key, *unit, *tariff, *ident, *site, *supplier, *description;
	int32_t day_start, day_end;
	int64_t quantity;        /* micro-units of unit */
	int quality;             /* 0 measured, 1 calculated, 2 estimated */
	int has_supplier_factor;
	int64_t supplier_factor; /* nano-kg CO2e per kWh */
};
int import_batch_rows(struct ledger *l, int64_t id,
		      int (*fn)(void *ctx, const struct import_row *r), void *ctx,
		      struct err *e);

/* "measured", "calculated", "estimated". */
const char *import_quality_name(int q);

#endif
