/*
 * import: the activity importers (see import.h): one import is a short
 * sequence of steps over one `struct imp` (import_int.h), each in the file
 * of its seam.
 *
 * The hot path runs once per row and does no allocation and no regular
 * expression: fields are located by a column table built from the header,
 * numbers go through num_parse, dates through a fixed-position parser, and
 * values (carriers, units, org codes, ...) through a one-entry cache per field
 * in front of the profile's hash maps, since exports repeat the same values
 * row after row. PCRE2 only runs when a fast path fails: to accept the rarer
 * spellings (dates with a time, "D.M.YYYY", "CPV 72000000-5", plates written
 * with odd spacing) and to say precisely what is wrong.
 *
 * Inserts use one prepared statement with typed binds inside one
 * transaction per batch. Activity keys are interned once per file in a
 * strmap. The double-counting guard keeps, per meter or vehicle and activity
 * key, the last few periods of this file (bounded), and after the insert asks
 * SQL once for overlaps with other active batches of the same kind.
 */
#include "importers/import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/activity.h"
#include "base/date.h"
#include "base/strmap.h"
#include "org/org.h"

static const char *const KIND[] = {"energy", "fleet", "procurement"};

const char *
import_kind_name(enum import_kind k)
{
	return (unsigned)k < 3 ? KIND[k] : "?";
}

int
import_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, KIND[i]) == 0)
			return i;
	return -1;
}

const char *
import_quality_name(int q)
{
	return activity_quality_name(q);
}

void
import_result_release(struct import_result *res)
{
	if (!res)
		return;
	free(res->rejects);
	res->rejects = NULL;
}

static void
imp_free(struct imp *im)
{
	if (!im)
		return;
	profile_free(im->own_profile);
	org_tree_free(im->orgs);
	strmap_free(im->keys);
	imp_guard_free(im);
	free(im->header);
	free(im->hfield);
	free(im->hlen);
	free(im->hcol);
	imp_rejects_abort(im);
	strbuf_release(&im->rej_path);
	imp_regex_free(im);
	free(im);
}

/* The state of one import, with the patterns compiled and the maps made. */
static struct imp *
imp_new(struct ledger *l, struct csv *csv, const struct import_opts *o,
	struct errlist *errs, struct errlist *warns, struct err *e)
{
	struct imp *im = calloc(1, sizeof *im);

	if (!im) {
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	im->l = l;
	sha256_init(&im->rows_sha);
	im->o = o;
	im->kind = o->kind;
	im->csv = csv;
	im->file = csv_name(csv);
	im->errs = errs;
	im->warns = warns;
	im->writing = 1;
	if (imp_compile(im, e))
		goto fail;
	if (!(im->keys = strmap_new()) || !(im->idents = strmap_new())) {
		err_setf(e, ERR_IO, "out of memory");
		goto fail;
	}
	return im;
fail:
	imp_free(im);
	return NULL;
}

/* The header line: profile, columns, number format, rejects path. 0 when
 * the rows can be read; 1 after data errors; -1 with *e. */
static int
read_header(struct imp *im, struct import_result *res, size_t base, struct err *e)
{
	struct csv_row row;
	enum csv_result r = csv_next(im->csv, &row, e);
	char note[ERR_TEXT_MAX]; /* an err's text: bounded, cut visibly */

	if (r == CSV_END) {
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "empty file (expected a header line and data rows)");
		return 1;
	}
	if (r != CSV_ROW) {
		errlist_add(im->errs, e);
		return 1;
	}
	note[0] = '\0';
	if (im->o->profile)
		im->prof = im->o->profile;
	else if (imp_auto_profile(im, &row, note, sizeof note, e))
		return -1;
	else
		im->prof = im->own_profile;
	res->profile = im->o->profile ? profile_name(im->o->profile) : im->auto_name;
	if (imp_keep_header(im, &row, e))
		return -1;
	imp_map_columns(im, &row);
	imp_check_columns(im, note);
	if (im->errs->total > base)
		return 1;
	imp_number_format(im);
	return imp_rejects_path(im, e);
}

/* Read, check and insert every row. 0, or 1 when the file cannot be read
 * on (*fatal), or -1 with *e on an I/O or database failure. */
static int
read_rows(struct imp *im, int *fatal, struct err *e)
{
	struct csv_row row;
	enum csv_result r;

	clock_gettime(CLOCK_MONOTONIC, &im->last_progress);
	while ((r = csv_next(im->csv, &row, e)) != CSV_END) {
		if (r == CSV_FATAL) {
			errlist_add(im->errs, e);
			*fatal = 1;
			break;
		}
		im->rows_total++;
		if ((im->rows_total & 0x3fff) == 0)
			imp_progress(im);
		if (r == CSV_BAD) {
			struct err wr;
			errlist_add(im->errs, e);
			im->rows_rejected++;
			if (!im->o->skip_invalid)
				im->writing = 0;
			err_clear(&wr);
			if (imp_reject_row(im, e->line, e->text, &wr)) {
				*e = wr;
				return -1;
			}
			continue;
		}
		if (imp_process_row(im, &row, e))
			return -1;
	}
	if (!*fatal && im->rows_total == 0)
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "no data rows (the file has only a header line)");
	if (!*fatal && im->rows_total > 0 && imp_ambiguous_columns(im))
		*fatal = 1; /* the whole file: which numbers it means is unknown */
	return 0;
}

/* The summary of a refused file, in *e. */
static void
refused(struct imp *im, size_t nerr, int fatal, struct err *e)
{
	const char *s = nerr == 1 ? "" : "s", *rs = im->rows_rejected == 1 ? "" : "s";

	if (!fatal && im->clashes && im->clash_src && !im->clash_mixed)
		err_set(e, ERR_DATA, im->file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"repeat%s rows of batch %lld (%s): if this file replaces that "
			"batch, use --replace %lld; to count both, --allow-overlap)",
			nerr, s, im->rows_rejected, rs, im->clashes, im->clashes == 1 ? "" : "s",
			im->clashes == 1 ? "s" : "", (long long)im->src[im->clash_src].batch,
			im->src[im->clash_src].file, (long long)im->src[im->clash_src].batch);
	else if (!fatal && im->clashes && !im->clash_mixed)
		err_set(e, ERR_DATA, im->file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"repeat%s earlier rows of this file: fix the file, or count "
			"them anyway with --allow-overlap)",
			nerr, s, im->rows_rejected, rs, im->clashes, im->clashes == 1 ? "" : "s",
			im->clashes == 1 ? "s" : "");
	else if (!fatal && im->clashes)
		err_set(e, ERR_DATA, im->file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (%ld row%s "
			"counted twice: fix the file, replace the batch they repeat with "
			"--replace N, or count them anyway with --allow-overlap)",
			nerr, s, im->rows_rejected, rs, im->clashes,
			im->clashes == 1 ? " would be" : "s would be");
	else if (!fatal && im->rows_rejected)
		err_set(e, ERR_DATA, im->file, 0, 0,
			"%zu error%s in %ld row%s; nothing was imported (fix the "
			"file, or load the valid rows with --skip-invalid)",
			nerr, s, im->rows_rejected, rs);
	else
		err_set(e, ERR_DATA, im->file, 0, 0,
			"%zu error%s; nothing was imported (fix the file and run again)",
			nerr, s);
}

/* One import: header, rows, the checks of the whole file, the batch. */
static int
run(struct ledger *l, struct csv *csv, const struct import_opts *o,
    struct import_result *res, struct errlist *errs, struct errlist *warns,
    struct err *e)
{
	struct imp *im;
	char now[21], dig_valid[80];
	int rc = -1, in_tx = 0, fatal = 0, k;
	size_t base = errs->total; /* errors already in the list are not ours */
	size_t base_n = errs->n;
	struct err wr;

	memset(res, 0, sizeof *res);
	err_clear(&wr);
	if (!(im = imp_new(l, csv, o, errs, warns, e)))
		return -1;
	/* Foreign keys are checked by construction, not by SQLite (it would
	 * look up three parent rows per row, a third of the insert time): the
	 * batch is created below, activity keys are interned in this
	 * transaction, and org ids come from the tree read inside it (units
	 * are never deleted). The pragma only works outside a transaction. */
	if (ledger_foreign_keys(l, 0, e))
		goto out_free;
	if (ledger_begin(l, e))
		goto out;
	in_tx = 1;
	if ((o->replace && imp_check_replace(l, o->kind, o->replace, e)) ||
	    org_tree_load(l, &im->orgs, e) || imp_guard_load(im, e))
		goto out;
	if ((k = read_header(im, res, base, e)) < 0)
		goto out;
	if (k > 0)
		goto data_error;
	date_now_iso(now);
	if (imp_batch_create(im, now, e) || imp_store_open(im, e) ||
	    read_rows(im, &fatal, e))
		goto out;
	if (!fatal && im->rows_total > 0) {
		/* the same file, or the same rows, as a batch counted already:
		 * that alone is the error, not each of its rows */
		snprintf(res->sha256, sizeof res->sha256, "%s", csv_sha256(csv));
		imp_digest_text(im->dig_valid, im->rows_loaded + im->clashes, dig_valid);
		if (imp_check_same(im, res->sha256, dig_valid, e)) {
			if (e->kind == ERR_DATA) {
				errs->n = base_n;
				errs->total = base;
				if (warns)
					warns->n = warns->total = 0;
			}
			goto out;
		}
	}
	imp_guard_notes(im);
	if (fatal || im->rows_total == 0 || (errs->total > base && !o->skip_invalid))
		goto data_error;
	if (im->rows_loaded == 0) {
		err_set(e, ERR_DATA, im->file, 0, 0,
			"no valid rows; nothing was imported (%ld rejected)",
			im->rows_rejected);
		errlist_sort(errs);
		goto out;
	}
	if (imp_store_flush(im, e) || imp_batch_finish(im, res->sha256, now, e))
		goto out;
	if (o->dry_run)
		ledger_rollback(l);
	else if (ledger_commit(l, e))
		goto out;
	in_tx = 0;
	if (imp_rejects_commit(im, res, e))
		goto out;
	rc = 0;
	goto out;
data_error:
	errlist_sort(errs);
	refused(im, errs->total - base, fatal, e);
out:
	imp_store_abort(im);
	if (in_tx)
		ledger_rollback(l);
	ledger_foreign_keys(l, 1, &wr);
out_free:
	imp_rejects_abort(im); /* a failed import leaves no rejects file behind */
	if (warns)
		errlist_sort(warns);
	res->batch = im->batch;
	res->rows_total = im->rows_total;
	res->rows_loaded = rc == 0 ? im->rows_loaded : 0;
	res->rows_rejected = im->rows_rejected;
	res->warnings = warns ? (long)warns->total : 0;
	res->overlap_rows = rc == 0 ? im->overlap_rows : 0;
	imp_free(im);
	return rc;
}

static void
csv_options(const struct import_opts *o, struct csv_opts *co)
{
	memset(co, 0, sizeof *co);
	if (o->profile) {
		co->delim = profile_format(o->profile)->delimiter;
		co->encoding = profile_format(o->profile)->encoding;
	}
}

int
import_file(struct ledger *l, const char *path, const struct import_opts *o,
	    struct import_result *res, struct errlist *errs, struct errlist *warns,
	    struct err *e)
{
	struct csv_opts co;
	struct csv *csv;
	int rc;

	memset(res, 0, sizeof *res);
	csv_options(o, &co);
	if (csv_open(&csv, path, &co, e))
		return -1;
	rc = run(l, csv, o, res, errs, warns, e);
	csv_close(csv);
	return rc;
}

int
import_mem(struct ledger *l, const void *data, size_t n, const char *name,
	   const struct import_opts *o, struct import_result *res,
	   struct errlist *errs, struct errlist *warns, struct err *e)
{
	struct csv_opts co;
	struct csv *csv;
	int rc;

	memset(res, 0, sizeof *res);
	csv_options(o, &co);
	if (csv_open_mem(&csv, data, n, name, &co, e))
		return -1;
	rc = run(l, csv, o, res, errs, warns, e);
	csv_close(csv);
	return rc;
}
