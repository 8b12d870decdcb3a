/*
 * audit: the append-only, hash-chained log of every state change.
 *
 * Every import, removal, factor registration, organisation import and run
 * appends one entry through audit_append(), inside the caller's transaction,
 * so the entry exists exactly when the change does. The first entry of
 * every log is "ledger.init" with a random ledger id (added by the first
 * append), so that no two ledgers share a chain. Each entry's sha256 is
 * SHA-256 over "prev_sha256\nid\nat\naction\npayload"; the first entry's
 * prev_sha256 is 64 zeros. audit_verify() recomputes the chain.
 */
#ifndef CO2_AUDIT_H
#define CO2_AUDIT_H

#include "base/err.h"
#include "store/ledger.h"

/* Append an entry. `payload` is a JSON text describing the change (callers
 * produce canonical JSON: sorted keys, no whitespace); a JSON object gets
 * the OS user running the command added as "user". Records nothing on a
 * scratch ledger (LEDGER_SCRATCH), which stores nothing. */
int audit_append(struct ledger *l, const char *action, const char *payload,
		 struct err *e);
/* The same for a JSON object built by the caller (json_pack): it is made
 * canonical here, with the user added. Takes o's reference, also on
 * failure; NULL (a json_pack that failed) is an out-of-memory error. */
struct json_t;
int audit_append_json(struct ledger *l, const char *action, struct json_t *o,
		      struct err *e);

/* Recompute the chain. Returns 0 with *entries set when intact; -1 with *e
 * naming the first entry that does not match. */
int audit_verify(struct ledger *l, long *entries /* OUT */, struct err *e);

/* The head of the log: the number of the last entry (the entry count of
 * an intact log) and its sha256, and (when `first` is not NULL) the first
 * entry's sha256, which tells one ledger from another (64 zeros when the
 * log is empty). */
int audit_head(struct ledger *l, long *entries /* OUT */,
	       char sha256[65] /* OUT */, char first[65] /* OUT, may be NULL */,
	       struct err *e);

/* Whether entry `id` exists with this sha256: *found 1 when it does, -1
 * when it exists with another hash, 0 when there is no such entry. */
int audit_has(struct ledger *l, long id, const char *sha256,
	      int *found /* OUT */, struct err *e);

/* One entry as stored; pointers valid during the callback only. */
struct audit_entry {
	long id;
	const char *at, *action, *payload, *sha256;
};
typedef int audit_entry_fn(void *ctx, const struct audit_entry *a, struct err *e);
/* Call fn for every entry in order; stops and returns -1 when fn does. */
int audit_each(struct ledger *l, audit_entry_fn *fn, void *ctx, struct err *e);

#endif
