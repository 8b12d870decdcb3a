/*
 * csv: the streaming CSV reader every importer and the organisation import
 * share.
 *
 * It reads through a bounded buffer (memory does not grow with the file),
 * understands RFC 4180 quoting (quoted fields with doubled quotes, delimiters
 * and line breaks inside), detects ',', ';' or tab from the header line,
 * skips a UTF-8 byte-order mark, converts Windows-1252 to UTF-8 (detected when
 * the start of the file is not valid UTF-8, or forced by the caller), strips
 * CR of CRLF line ends, skips empty lines, and keeps for every field the line
 * and character column where it starts, so errors point at the spot. Limits
 * (record length, number of fields) turn hostile files into clean errors.
 * While reading it hashes the raw bytes, so the caller gets the file's
 * SHA-256 without a second pass.
 */
#ifndef CO2_CSV_H
#define CO2_CSV_H

#include <stddef.h>

#include "base/err.h"
#include "base/sha256.h"

enum csv_encoding {
	CSV_ENC_AUTO = 0, /* BOM or valid UTF-8 -> UTF-8, else Windows-1252 */
	CSV_ENC_UTF8,
	CSV_ENC_CP1252,
};

#define CSV_MAX_RECORD (1u << 20) /* default bytes per record: 1 MiB */
#define CSV_MAX_FIELDS 1024       /* default fields per record */

struct csv_opts {
	char delim;                 /* ',', ';' or '\t'; 0 = detect */
	enum csv_encoding encoding; /* CSV_ENC_AUTO unless a profile says */
	size_t max_record;          /* 0 = CSV_MAX_RECORD */
	size_t max_fields;          /* 0 = CSV_MAX_FIELDS */
};

/* One record. Pointers are owned by the reader and valid until the next
 * csv_next() call; fields are NUL-terminated UTF-8. */
struct csv_row {
	long line;            /* line on which the record starts */
	size_t n;             /* number of fields */
	char **field;         /* field text */
	size_t *len;          /* field length in bytes */
	long *fline, *fcol;   /* line and 1-based character column of each field */
};

struct csv;

/* Open a file ("-" is standard input). `name` in errors is `path`. */
int csv_open(struct csv **out, const char *path, const struct csv_opts *o,
	     struct err *e);
/* Read from memory (fuzz targets, tests); `data` must outlive the reader. */
int csv_open_mem(struct csv **out, const void *data, size_t n, const char *name,
		 const struct csv_opts *o, struct err *e);
void csv_close(struct csv *r);

enum csv_result {
	CSV_ROW = 1,   /* *row holds a record */
	CSV_END = 0,   /* no more records */
	CSV_BAD = 2,   /* this record is malformed: *e says where; reading may go on */
	CSV_FATAL = -1 /* cannot go on (I/O, unterminated quote, limits): *e says why */
};

enum csv_result csv_next(struct csv *r, struct csv_row *row, struct err *e);

/* The delimiter in use (after the first record when detecting). */
char csv_delim(const struct csv *r);
/* The encoding in use (after the first record when detecting). */
enum csv_encoding csv_encoding(const struct csv *r);
/* The name used in error messages. */
const char *csv_name(const struct csv *r);
/* SHA-256 (hex) of all bytes of the input; valid once csv_next returned END. */
const char *csv_sha256(struct csv *r);

/* Find the 1-based index of the field `name` in a header row, comparing
 * case-insensitively (ASCII and the German umlauts) with surrounding spaces
 * ignored; 0 when absent. */
size_t csv_find(const struct csv_row *header, const char *name);

/* Compare two UTF-8 strings ignoring case (ASCII, ÄÖÜ/äöü) and surrounding
 * white space; returns 1 when equal. */
int csv_name_eq(const char *a, size_t alen, const char *b, size_t blen);

#endif
