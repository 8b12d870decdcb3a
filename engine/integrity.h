/*
 * integrity: what `audit check` and `verify` recompute in a ledger to catch
 * changes made behind co2ledger's back (docs/methodology.md, "What the
 * hashes cover").
 *
 * integrity_check() recomputes the audit chain; every batch's rows_sha256
 * over its stored rows, and each row's per-field digest, so that an edited
 * row is named by batch, file:line and field; and the audit log against
 * the tables both ways: every batch, factor set, organisation import and
 * run has its entry with the same fingerprints, and every entry its object.
 * Each finding is one sentence passed to fn; nothing is printed.
 */
#ifndef CO2_INTEGRITY_H
#define CO2_INTEGRITY_H

#include "base/err.h"
#include "store/ledger.h"

struct integrity_result {
	long entries;        /* audit entries read */
	char head[65];       /* sha256 of the last entry */
	int chain_ok;        /* the hash chain is intact */
	long batches, rows;  /* batches and rows whose hashes were recomputed */
	long uncovered;      /* batches imported before row hashes (schema < 3) */
	long problems;       /* findings that make the ledger untrustworthy */
};

/* problem 1: something was altered or is missing; 0: information. */
typedef void integrity_note_fn(void *ctx, int problem, const char *text);
/* The rows of one batch: rowhash_batch() in store/rowhash.h. */

/* Run every check. Returns 0 (with out->problems counting the findings)
 * unless the database cannot be read. */
int integrity_check(struct ledger *l, integrity_note_fn *fn, void *ctx,
		    struct integrity_result *out /* OUT */, struct err *e);

#endif
