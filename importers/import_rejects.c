/*
 * import_rejects: the rejects file of --skip-invalid: the header, then each
 * refused row with its line and reasons, written beside its path and
 * renamed into place when the import succeeds.
 */
#include "importers/import_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void
csv_put(FILE *fp, const char *s, size_t n, char delim)
{
	size_t i;
	int q = 0;

	for (i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = 1;
	if (!q) {
		fwrite(s, 1, n, fp);
		return;
	}
	fputc('"', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', fp);
		fputc(s[i], fp);
	}
	fputc('"', fp);
}

int
imp_reject_row(struct imp *im, long line, const char *fallback_reason, struct err *e)
{
	char d = csv_delim(im->csv), num[24];
	size_t i;
	int k;

	if (!im->o->skip_invalid || im->o->dry_run)
		return 0;
	if (!im->rej) {
		if (outfile_open(&im->rejf, im->rej_path.buf, e))
			return -1;
		im->rej = im->rejf.fp;
		fputs("\xef\xbb\xbf", im->rej);
		fputs("line", im->rej);
		fputc(d, im->rej);
		fputs("error", im->rej);
		for (i = 0; i < im->nheader; i++) {
			fputc(d, im->rej);
			csv_put(im->rej, im->hfield[i], im->hlen[i], d);
		}
		fputs("\r\n", im->rej);
	}
	k = snprintf(num, sizeof num, "%ld", line);
	fwrite(num, 1, (size_t)k, im->rej);
	fputc(d, im->rej);
	if (fallback_reason) {
		csv_put(im->rej, fallback_reason, strlen(fallback_reason), d);
	} else {
		/* at most ROW_ERRS reasons of less than ERR_TEXT_MAX bytes and
		 * their separators: it always fits */
		char why[ROW_ERRS * (ERR_TEXT_MAX + 2)];
		size_t w = 0;
		for (k = 0; k < im->nreasons; k++)
			w += (size_t)snprintf(why + w, sizeof why - w, "%s%s", k ? "; " : "",
					      im->reasons[k]);
		csv_put(im->rej, why, w < sizeof why ? w : sizeof why - 1, d);
		for (i = 0; i < im->row->n; i++) {
			fputc(d, im->rej);
			csv_put(im->rej, im->row->field[i], im->row->len[i], d);
		}
	}
	fputs("\r\n", im->rej);
	return ferror(im->rej) ? err_set(e, ERR_IO, im->rej_path.buf, 0, 0,
					 "cannot write the rejects file (%s)",
					 outfile_reason(errno)) : 0;
}

int
imp_rejects_path(struct imp *im, struct err *e)
{
	strbuf_reset(&im->rej_path);
	if (im->o->rejects_path)
		strbuf_adds(&im->rej_path, im->o->rejects_path);
	else
		strbuf_addf(&im->rej_path, "%s.rejects.csv",
			    strcmp(im->file, "-") ? im->file : "stdin");
	return strbuf_failed(&im->rej_path) ? err_setf(e, ERR_IO, "out of memory") : 0;
}

int
imp_rejects_commit(struct imp *im, struct import_result *res, struct err *e)
{
	if (!im->rej)
		return 0;
	im->rej = NULL;
	if (outfile_commit(&im->rejf, e))
		return -1;
	if (!(res->rejects = strdup(im->rej_path.buf)))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

void
imp_rejects_abort(struct imp *im)
{
	if (im->rej) {
		outfile_abort(&im->rejf);
		im->rej = NULL;
	}
}
