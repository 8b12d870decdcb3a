/*
 * rowhash: the canonical form of a stored activity row, the batch's
 * rows_sha256 over it and the per-row digest that names a changed field
 * (docs/methodology.md §"Row hashes", docs/decisions.md).
 *
 * A row is its ROWHASH_NFIELDS fields in the fixed order of rowhash_field[];
 * the database ids of the unit and the activity key are replaced by the
 * unit's code and the key's text, so the form is the same in any ledger.
 * Each field is written as
 *   N                 NULL
 *   i<decimal>;       an integer ("i-5;")
 *   s<bytes>:<text>   a text of <bytes> UTF-8 bytes
 * and the row ends with "\n". rows_sha256 is SHA-256 over the rows of a
 * batch in file (line) order. The row digest holds 2 bytes per field:
 * the 32-bit FNV-1a hash of the field's form, folded to 16 bits (high half
 * XOR low half), big-endian.
 */
#ifndef CO2_ROWHASH_H
#define CO2_ROWHASH_H

#include <stddef.h>
#include <stdint.h>

#include "base/sha256.h"

#define ROWHASH_NFIELDS 14
#define ROWHASH_DIGEST (2 * ROWHASH_NFIELDS)

/* "line", "org", "activity", "day_start", "day_end", "quantity", "unit",
 * "quality", "tariff", "supplier_factor", "ident", "site", "supplier",
 * "description". */
extern const char *const rowhash_field[ROWHASH_NFIELDS];

enum rowhash_type { ROWHASH_NULL, ROWHASH_INT, ROWHASH_TEXT };

struct rowhash_val {
	enum rowhash_type type;
	int64_t i;
	const char *s; /* not NUL-terminated; n bytes */
	size_t n;
};

/* Feed n values in the canonical form, then "\n", to `s`. */
void rowhash_put(struct sha256 *s, const struct rowhash_val *v, size_t n);

/* Feed the row's canonical form to `s` (NULL: none) and write its digest. */
void rowhash_row(struct sha256 *s, const struct rowhash_val v[ROWHASH_NFIELDS],
		 unsigned char digest[ROWHASH_DIGEST] /* OUT */);

/* The field's value as text for messages ("NULL", "1500000", "'kWh'");
 * writes at most n bytes (cut with "..."), returns buf. */
const char *rowhash_show(const struct rowhash_val *v, char *buf, size_t n);

struct ledger;
struct err;
struct db_stmt;

/* Column i of the current row of `st` as a value of the canonical form:
 * NULL, an integer, or else its text (a REAL or BLOB where the schema has
 * integers or text). The text stays valid until the statement moves on. */
struct rowhash_val rowhash_column(struct db_stmt *st, int i);

/* Called for each finding: problem 1 (always, here) and one sentence. */
typedef void rowhash_note_fn(void *ctx, int problem, const char *text);

/* Recompute a stored batch's rows hash (64 hex digits) and row count from
 * the rows in the ledger, calling fn for each row whose stored digest does
 * not match its fields (digests 0: not checked, for a batch imported before
 * row digests existed). */
int rowhash_batch(struct ledger *l, int64_t batch, const char *file, int digests,
		  rowhash_note_fn *fn, void *ctx, char out[65] /* OUT */,
		  long *rows /* OUT */, long *bad_rows /* OUT */, struct err *e);

#endif
