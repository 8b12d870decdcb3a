/*
 * audit: the append-only, hash-chained log of every state change.
 *
 * Every import, removal, factor registration, organisation import and run
 * appends one entry through audit_append(), inside the caller's transaction,
 * so the entry exists exactly when the change does. Each entry's sha256 is
 * SHA-256 over "prev_sha256\nid\nat\naction\npayload"; the first entry's
 * prev_sha256 is 64 zeros. audit_verify() recomputes the chain.
 */
#ifndef CO2_AUDIT_H
#define CO2_AUDIT_H

#include "base/err.h"
#include "store/ledger.h"

/* Append an entry. `payload` is a JSON text describing the change (callers
 * produce canonical JSON: sorted keys, no whitespace). */
int audit_append(struct ledger *l, const char *action, const char *payload,
		 struct err *e);

/* Recompute the chain. Returns 0 with *entries set when intact; -1 with *e
 * naming the first entry that does not match. */
int audit_verify(struct ledger *l, long *entries /* OUT */, struct err *e);

#endif
