/*
 * verify: `verify REPORT.json` re-runs a published report's calculation in
 * the ledger at hand and compares every number (SPEC §7). It finds the
 * report's batches by SHA-256 and its factor sets by name@version and
 * SHA-256 (the ledger may be an auditor's own, filled from the same files
 * in any order), calculates a run restricted to exactly those batches with
 * the report's GWP, region and fallback, rebuilds the balance, compares it
 * figure by figure, checks that the file's own numbers still match its
 * results_sha256, and checks the audit-log chain. Exit 0 when everything
 * matches, 1 listing every difference or missing input.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/audit.h"
#include "engine/calc.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger verify REPORT.json [--json]\n"
	"Re-run a published JSON report and compare every number. The report's\n"
	"batches are found in this ledger by SHA-256 and its factor sets by\n"
	"name@version and SHA-256; a run restricted to exactly those batches is\n"
	"calculated with the report's GWP, region and fallback, and every figure\n"
	"(totals, units, sectors, carriers, per-capita values, previous year,\n"
	"rank, quality) is compared. Also checks that the file's numbers still\n"
	"match its results_sha256 and that the audit log's hash chain is intact.\n"
	"Exit status 0 when everything matches, 1 with a list of the differences\n"
	"or of what is missing. See docs/report-format.md.\n";

struct findings {
	json_t *diffs;   /* [{path, report, recomputed}] */
	json_t *notes;   /* missing inputs, alteration, audit */
	int json;
};

static void
on_note(void *ctx, const char *text)
{
	struct findings *f = ctx;

	json_array_append_new(f->notes, json_string(text));
	if (!f->json)
		printf("%s\n", text);
}

static void
on_diff(void *ctx, const char *path, const char *reported, const char *recomputed)
{
	struct findings *f = ctx;

	json_array_append_new(f->diffs, json_pack("{s:s, s:s, s:s}", "path", path,
						  "report", reported,
						  "recomputed", recomputed));
	if (!f->json)
		printf("differs: %s: report %s, recomputed %s\n", path, reported, recomputed);
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	struct report_file *rf = NULL;
	struct report_model *m = NULL;
	struct ledger *l = NULL;
	struct findings fd = {json_array(), json_array(), c->json};
	const struct report_file_info *in;
	int64_t *ids = NULL, prev = 0;
	size_t nids = 0;
	long missing = 0, matched = 0, differ = 0, audit_entries = 0;
	int status = EXIT_DATA, i, altered = 0, audit_ok = 0;
	char why[600], text[1024];
	struct err e;

	err_clear(&e);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		status = EXIT_OK;
		goto out;
	}
	for (i = 1; i < argc; i++) {
		int r = cli_common(c, argc, argv, &i, 1);
		if (r < 0) {
			status = cli_usage_error(usage, "option '%s' needs a value", argv[i]);
			goto out;
		}
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error(usage, "unknown option '%s'", argv[i]);
			goto out;
		}
		if (path) {
			status = cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
			goto out;
		}
		path = argv[i];
	}
	fd.json = c->json;
	if (!path) {
		status = cli_usage_error(usage, "verify needs a REPORT.json");
		goto out;
	}
	if (report_file_load(path, &rf, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	in = report_file_info(rf);
	if (cli_open(c, &l, 0, &status))
		goto out;

	/* 1. the file's own numbers against its results_sha256 */
	if (!in->results_sha256 || strcmp(in->results_sha256, in->actual_sha256) != 0) {
		altered = 1;
		snprintf(text, sizeof text, "the report file was altered: its numbers "
			 "hash to %s, its provenance says results_sha256 %s",
			 in->actual_sha256, in->results_sha256 ? in->results_sha256 : "(none)");
		on_note(&fd, text);
	}
	/* 2. the inputs */
	if (report_file_resolve(l, rf, &ids, &nids, on_note, &fd, &missing, &e))
		goto fail;
	/* 3. re-run and compare */
	if (!missing) {
		struct calc_params p = {0};
		struct calc_summary sum;
		struct errlist *errs = errlist_new();
		p.year = in->year;
		p.factors = in->factor_spec;
		p.gwp = in->gwp;
		p.region = in->region;
		p.fallback_previous = strcmp(in->fallback, "previous") == 0;
		p.batches = ids;
		p.nbatches = nids;
		if (!errs || calc_run(l, &p, &sum, errs, &e)) {
			if (errs)
				cli_print_errlist(errs);
			errlist_free(errs);
			goto fail;
		}
		errlist_free(errs);
		if (report_build(l, sum.run_id, 0, NULL, &m, &e) ||
		    report_previous_run(l, m, &prev, why, sizeof why, &e))
			goto fail;
		report_free(m);
		m = NULL;
		if (report_build(l, sum.run_id, prev, in->org, &m, &e))
			goto fail;
		matched = report_file_compare(rf, m, on_diff, &fd, &differ);
	}
	/* 4. the audit chain */
	{
		struct err ae;
		err_clear(&ae);
		if (audit_verify(l, &audit_entries, &ae)) {
			if (ae.kind != ERR_DATA) {
				e = ae;
				goto fail;
			}
			on_note(&fd, ae.text);
		} else {
			audit_ok = 1;
		}
	}

	if (c->json) {
		json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:b, s:b, s:I, s:o, s:o}",
				      "report", path,
				      "ok", !altered && !missing && !differ && audit_ok,
				      "matched", (json_int_t)matched,
				      "differences", (json_int_t)differ, "altered", altered,
				      "audit_intact", audit_ok,
				      "audit_entries", (json_int_t)audit_entries,
				      "difference_list", json_incref(fd.diffs),
				      "problems", json_incref(fd.notes));
		cli_print_json(o);
		json_decref(o);
	}
	if (!altered && !missing && !differ && audit_ok) {
		if (!c->json)
			printf("%s: verified: %ld numbers match (run %lld recomputed from "
			       "%zu batch%s and %zu factor set%s); audit log intact "
			       "(%ld entries)\n", path, matched,
			       (long long)report_run_info(m)->id, nids,
			       nids == 1 ? "" : "es", in->nsets, in->nsets == 1 ? "" : "s",
			       audit_entries);
		status = EXIT_OK;
		goto out;
	}
	if (!c->json && !missing)
		printf("%ld numbers match, %ld differ\n", matched, differ);
	err_set(&e, ERR_DATA, path, 0, 0, "verification failed: %s%s%s%s",
		altered ? "the file was altered; " : "",
		missing ? "inputs are missing; " : "",
		differ ? "numbers differ; " : "",
		audit_ok ? "" : "the audit log is broken; ");
	/* drop the trailing "; " */
	e.text[strlen(e.text) - 2] = '\0';
fail:
	/* what the report asks for is data here, not the command line */
	if (e.kind == ERR_USAGE)
		e.kind = ERR_DATA;
	if (!e.file[0] && path)
		snprintf(e.file, sizeof e.file, "%s", path);
	status = cli_fail(&e);
out:
	json_decref(fd.diffs);
	json_decref(fd.notes);
	free(ids);
	report_free(m);
	report_file_free(rf);
	ledger_close(l);
	return status;
}
