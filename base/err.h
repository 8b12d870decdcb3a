/*
 * err: the error record every fallible function fills.
 *
 * A function that can fail takes a caller-owned `struct err *` and, on
 * failure, fills it with where (file, line, column; 0 when unknown) and what
 * went wrong, then returns -1. Nothing here allocates, so an error can always
 * be reported. Only the command layer prints errors and chooses exit codes:
 * `kind` tells it whether the fault lies with the data, the usage or the
 * environment. `struct errlist` collects many located errors (an importer
 * reports every bad row): it keeps the first ERRLIST_KEEP in full and counts
 * the rest.
 */
#ifndef CO2_ERR_H
#define CO2_ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_DATA,  /* the input is wrong: exit 1 */
	ERR_USAGE, /* the command line is wrong: exit 2 */
	ERR_IO,    /* a file or the database could not be read or written: exit 1 */
	ERR_BUSY,  /* another co2ledger holds the database: exit 1 */
};

/* A path as long as the system allows fits whole; a longer one keeps its
 * end (the file name) after a leading "...". A message longer than the text
 * buffer ends in "...", so a cut is always visible. */
#define ERR_FILE_MAX 4096
#define ERR_TEXT_MAX 512

struct err {
	enum err_kind kind;
	char file[ERR_FILE_MAX]; /* source file name, "" when none */
	long line;               /* 1-based, 0 when unknown */
	long column;             /* 1-based character column, 0 when unknown */
	char text[ERR_TEXT_MAX]; /* lower-case message, no trailing newline */
};

/* Clear `e` to "no error". */
void err_clear(struct err *e);

/* Fill `e` and return -1, so callers can `return err_set(...)`. `file` may be
 * NULL. The message is printf-formatted; one too long ends in "...". */
int err_set(struct err *e, enum err_kind kind, const char *file, long line,
	    long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Shorthand for an error without a location. */
int err_setf(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write "FILE:LINE:COLUMN: error: TEXT" (the location parts present) into
 * `buf` of size `n`. Returns `buf`. */
char *err_format(const struct err *e, char *buf, size_t n);
/* The same with `what` ("warning") in place of "error". */
char *err_format_as(const struct err *e, const char *what, char *buf, size_t n);

#define ERRLIST_KEEP 100

struct errlist {
	struct err items[ERRLIST_KEEP]; /* the first ERRLIST_KEEP errors */
	size_t n;                       /* how many of items[] are filled */
	size_t total;                   /* every error added, kept or not */
};

/* Allocate an empty list; NULL when out of memory. Free with errlist_free. */
struct errlist *errlist_new(void);
void errlist_free(struct errlist *l);
/* Record `e` (copied). */
void errlist_add(struct errlist *l, const struct err *e);
/* Record an error built from the arguments, like err_set. */
void errlist_addf(struct errlist *l, enum err_kind kind, const char *file,
		  long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Order the kept errors by file position (line, then column), stable. */
void errlist_sort(struct errlist *l);

#endif
