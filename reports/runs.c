/*
 * runs: finding the calculation runs a report needs. The newest run of a
 * year (compare), the run of the year before over the same inputs and
 * parameters (the change against the previous year; reused when it exists,
 * calculated otherwise), and the batches and factor sets a published report
 * names, looked up by their hashes in the ledger at hand (verify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calc.h"
#include "reports/report_int.h"

static const char SQL_LATEST[] = "SELECT max(id) FROM run WHERE year = ?1";
static const char SQL_SAME[] =
	"SELECT max(id) FROM run WHERE year = ?1 AND gwp = ?2 AND region = ?3 "
	"AND fallback = ?4 AND factor_sets = ?5 AND batches = ?6";
static const char SQL_BATCH_SHA[] =
	"SELECT id, rows_sha256 FROM batch WHERE sha256 = ?1 "
	"ORDER BY status = 'active' DESC, id DESC LIMIT 1";
static const char SQL_BATCH_NAME[] =
	"SELECT id, sha256 FROM batch WHERE file = ?1 AND kind = ?2 "
	"ORDER BY status = 'active' DESC, id DESC LIMIT 1";
static const char SQL_SET_SHA[] =
	"SELECT sha256 FROM factor_set WHERE name = ?1 AND version = ?2";

int
report_latest_run(struct ledger *l, int year, int64_t *run_id, struct err *e)
{
	sqlite3_stmt *st = ledger_stmt(l, SQL_LATEST, e);
	int rc;

	*run_id = 0;
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*run_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_fail(l, rc, "reading runs", e);
}

int
report_same_method_run(struct ledger *l, const struct report_model *m, int year,
		       int64_t *run_id, struct err *e)
{
	const struct report_run *r = &m->run;
	sqlite3_stmt *st = ledger_stmt(l, SQL_SAME, e);
	int rc;

	*run_id = 0;
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, year);
	ledger_bind_text(st, 2, r->gwp);
	ledger_bind_text(st, 3, r->region);
	ledger_bind_text(st, 4, r->fallback);
	ledger_bind_text(st, 5, r->factor_sets);
	ledger_bind_text(st, 6, r->batches);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*run_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_fail(l, rc, "reading runs", e);
}

int
report_previous_run(struct ledger *l, const struct report_model *m,
		    int64_t *prev_id, char *why, size_t whylen, struct err *e)
{
	const struct report_run *r = &m->run;
	sqlite3_stmt *st = ledger_stmt(l, SQL_SAME, e);
	struct calc_params p = {0};
	struct calc_summary sum;
	struct errlist *errs;
	struct err ce;
	int rc;

	*prev_id = 0;
	if (whylen)
		why[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, r->year - 1);
	ledger_bind_text(st, 2, r->gwp);
	ledger_bind_text(st, 3, r->region);
	ledger_bind_text(st, 4, r->fallback);
	ledger_bind_text(st, 5, r->factor_sets);
	ledger_bind_text(st, 6, r->batches);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*prev_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ledger_fail(l, rc, "reading runs", e);
	if (*prev_id > 0)
		return 0;
	if (m->nbatch_ids == 0) {
		snprintf(why, whylen, "the run has no input files");
		return 0;
	}
	p.year = r->year - 1;
	p.factors = m->factor_spec;
	p.gwp = r->gwp;
	p.region = r->region;
	p.fallback_previous = calc_fallback_parse(r->fallback) > 0 ? calc_fallback_parse(r->fallback) : 0;
	p.batches = m->batch_ids;
	p.nbatches = m->nbatch_ids;
	if (!(errs = errlist_new()))
		return err_setf(e, ERR_IO, "out of memory");
	err_clear(&ce);
	if (calc_run(l, &p, &sum, errs, &ce)) {
		errlist_free(errs);
		if (ce.kind != ERR_DATA) {
			*e = ce;
			return -1;
		}
		snprintf(why, whylen, "%d cannot be calculated with the same factor "
			 "sets: %s", r->year - 1, ce.text);
		return 0;
	}
	errlist_free(errs);
	*prev_id = sum.run_id;
	return 0;
}

int
report_file_resolve(struct ledger *l, const struct report_file *f,
		    int64_t **ids, size_t *nids, report_note_fn *fn, void *ctx,
		    long *missing, struct err *e)
{
	const struct report_file_info *in = report_file_info(f);
	char text[1024];
	size_t i;
	int rc;

	*ids = calloc(in->nbatches + 1, sizeof **ids);
	*nids = 0;
	*missing = 0;
	if (!*ids)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < in->nbatches; i++) {
		const char *file, *sha, *kind;
		sqlite3_stmt *st = ledger_stmt(l, SQL_BATCH_SHA, e);
		if (!st)
			goto fail;
		report_file_batch(f, i, &file, &sha, &kind);
		ledger_bind_text(st, 1, sha);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *rows = report_file_batch_rows(f, i);
			const char *have = (const char *)sqlite3_column_text(st, 1);
			(*ids)[(*nids)++] = sqlite3_column_int64(st, 0);
			if (rows && (!have || strcmp(rows, have) != 0)) {
				snprintf(text, sizeof text, "batch %lld (%s) has the "
					 "report's file but other rows: rows_sha256 %s here, "
					 "%s in the report", (long long)sqlite3_column_int64(st, 0),
					 file, have ? have : "(none)", rows);
				fn(ctx, text);
				(*missing)++;
			}
		}
		sqlite3_reset(st);
		if (rc == SQLITE_DONE) {
			sqlite3_stmt *sn = ledger_stmt(l, SQL_BATCH_NAME, e);
			if (!sn)
				goto fail;
			ledger_bind_text(sn, 1, file);
			ledger_bind_text(sn, 2, kind);
			if (sqlite3_step(sn) == SQLITE_ROW)
				snprintf(text, sizeof text, "changed batch: %s file '%s' "
					 "(sha256 %s) is not in this ledger, but batch %lld of "
					 "that name has sha256 %s: the file differs from the "
					 "published one (import the published file; 'batch diff' "
					 "then lists the rows that differ)", kind ? kind : "?",
					 file, sha, (long long)sqlite3_column_int64(sn, 0),
					 (const char *)sqlite3_column_text(sn, 1));
			else
				snprintf(text, sizeof text, "missing batch: %s file '%s' "
					 "(sha256 %s) is not in this ledger (import it)",
					 kind ? kind : "?", file, sha);
			sqlite3_reset(sn);
			fn(ctx, text);
			(*missing)++;
		} else if (rc != SQLITE_ROW) {
			ledger_fail(l, rc, "reading batches", e);
			goto fail;
		}
	}
	for (i = 0; i < in->nsets; i++) {
		const char *name, *version, *sha;
		sqlite3_stmt *st = ledger_stmt(l, SQL_SET_SHA, e);
		if (!st)
			goto fail;
		report_file_set(f, i, &name, &version, &sha);
		ledger_bind_text(st, 1, name);
		ledger_bind_text(st, 2, version);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			snprintf(text, sizeof text, "missing factor set: %s@%s "
				 "(sha256 %s) is not registered (factors import it)",
				 name, version, sha);
			fn(ctx, text);
			(*missing)++;
		} else if (rc == SQLITE_ROW) {
			const char *have = (const char *)sqlite3_column_text(st, 0);
			if (!have || strcmp(have, sha) != 0) {
				snprintf(text, sizeof text, "factor set %s@%s differs: "
					 "sha256 %s here, %s in the report", name,
					 version, have ? have : "?", sha);
				fn(ctx, text);
				(*missing)++;
			}
		} else {
			sqlite3_reset(st);
			ledger_fail(l, rc, "reading factor sets", e);
			goto fail;
		}
		sqlite3_reset(st);
	}
	return 0;
fail:
	free(*ids);
	*ids = NULL;
	*nids = 0;
	return -1;
}
