/*
 * outfile: the files and folders a command writes (reports, rejects files),
 * written so that they can never destroy the ledger or an input and never
 * leave half a file where a good one was.
 *
 * outfile_check() refuses an output path that is the ledger, its -wal,
 * -shm or -journal file, or another file of the same command (same device
 * and inode, also through symlinks; a path that does not exist yet by its
 * resolved folder and name). outfile_ledger_name() refuses ledger names
 * that are no file ("", ":memory:", SQLite "file:" URIs).
 *
 * A single file is written to a temporary file in the destination's folder
 * (outfile_open), then flushed, fsync'ed and renamed over the destination,
 * and the folder fsync'ed (outfile_commit); outfile_abort() removes the
 * temporary file. A folder of files is built the same way as a whole: a
 * temporary folder beside it, swapped in by one rename, so a killed command
 * leaves the old folder or the new one, never a mix. Failures name the
 * system's reason.
 *
 * Ownership: a struct outfile is the caller's (usually on the stack); after
 * outfile_open() succeeds exactly one of outfile_commit() or outfile_abort()
 * must follow, and both release everything. outfile_abort() accepts a
 * struct that was never opened (zeroed) or already finished.
 */
#ifndef CO2_OUTFILE_H
#define CO2_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

struct outfile {
	char *path; /* the destination */
	char *tmp;  /* the temporary file or folder beside it */
	FILE *fp;   /* open on tmp (single files only) */
	int dir;    /* 1: a folder (outfile_open_dir) */
	char **names;   /* folder: the file names it may hold */
	size_t nnames;
};

/* 0 when `db` names a ledger file; ERR_USAGE saying what to do for "",
 * ":memory:" and "file:" URIs (an unset shell variable gives ""). */
int outfile_ledger_name(const char *db, struct err *e);

/* 0 when writing `out` cannot touch the ledger `ledger` (NULL: none) nor
 * any of the `n` paths in `others` (inputs and other outputs of the same
 * command; NULL entries and "-" are skipped), nor lies directly in one of
 * them that is a folder. ERR_USAGE naming both otherwise. */
int outfile_check(const char *out, const char *ledger, const char *const *others,
		  size_t n, struct err *e);

/* Start writing the file `path`: o->fp is open on a new temporary file in
 * the same folder. The destination must not be a folder. */
int outfile_open(struct outfile *o, const char *path, struct err *e);
/* Flush, fsync and close the temporary file, rename it over the
 * destination and fsync the folder. On failure the temporary file is
 * removed and the destination is as it was. */
int outfile_commit(struct outfile *o, struct err *e);
/* Close and remove the temporary file or folder; the destination is as it
 * was. */
void outfile_abort(struct outfile *o);

/* Start writing the folder `path`, which may hold only the `n` file names
 * `names` (an existing folder holding anything else is refused, so that no
 * other file is lost). o->tmp is an empty temporary folder beside it; write
 * the files into it with outfile_dir_file(). */
int outfile_open_dir(struct outfile *o, const char *path,
		     const char *const *names, size_t n, struct err *e);
/* "TMPDIR/name" for a file of the folder being written (caller frees);
 * NULL when out of memory. */
char *outfile_dir_file(const struct outfile *o, const char *name);
/* Replace the folder by the temporary one in one rename (the old one is
 * then removed) and fsync the parent. Every file must have been closed
 * with outfile_fclose(). */
int outfile_commit_dir(struct outfile *o, struct err *e);

/* fflush, fsync and fclose `f`, written at `path` (for messages). 0 or -1
 * with *e naming the reason. `f` must be a temporary file, dropped on
 * failure: finding the reason of an earlier failed write may append. */
int outfile_fclose(FILE *f, const char *path, struct err *e);

/* The reason for a failed write: "disk full (free some space)", "file too
 * large for the file system or the file size limit (ulimit -f)" or the
 * system's text for `errnum`. */
const char *outfile_reason(int errnum);

#endif
