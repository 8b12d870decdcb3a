/*
 * correct: corrections of single imported rows, and row-level differences
 * of two batches.
 *
 * A correction never edits a stored row. correct_row() copies the rows of
 * an active batch into a new batch with one row voided or one field set,
 * and the new batch supersedes the old one: the original rows stay in the
 * ledger as imported (their row hashes still match), calculations use the
 * corrected batch, and `batch diff` shows what changed. The reason is
 * mandatory and recorded, with the old and the new value, in the table
 * `correction` and in the audit entry `batch.correct`. A correction batch
 * has no file of its own: its sha256 is its rows_sha256.
 */
#ifndef CO2_CORRECT_H
#define CO2_CORRECT_H

#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

struct correct_opts {
	int64_t batch;       /* an active batch */
	long line;           /* the row's source line */
	int void_row;        /* 1: leave the row out */
	const char *field;   /* else set this field: quantity, quality, org,
				period_start, period_end, tariff */
	const char *value;   /* ... to this value (tariff: "" for none) */
	const char *reason;  /* mandatory, not empty */
};

struct correct_result {
	int64_t batch;            /* the new batch */
	long rows;                /* its rows */
	char file[512];
	char old_value[128], new_value[128]; /* as shown ("NULL" when none) */
	char rows_sha256[65];
};

int correct_row(struct ledger *l, const struct correct_opts *o,
		struct correct_result *out /* OUT */, struct err *e);

/* One difference between batch a and batch b at a source line: `field` is
 * NULL for a row only in a (b_value NULL) or only in b (a_value NULL);
 * values as text for messages. */
typedef int correct_diff_fn(void *ctx, long line, const char *field,
			    const char *a_value, const char *b_value, struct err *e);

/* Compare the rows of two batches line by line (both in file order);
 * *ndiff counts the differences reported. */
int correct_diff(struct ledger *l, int64_t a, int64_t b, correct_diff_fn *fn,
		 void *ctx, long *ndiff /* OUT */, struct err *e);

#endif
