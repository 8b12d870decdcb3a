/*
 * verify: `verify REPORT.json` re-runs a published report's calculation in
 * the ledger at hand and compares every number (SPEC §7; the checks are
 * report_verify() in reports/verify.c). The ledger is opened read-only and
 * the run is calculated in memory (LEDGER_SCRATCH), so a read-only copy
 * verifies and nothing is stored. This file prints the findings and
 * chooses the exit status: 0 when everything matches, 1 listing every
 * difference or missing input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger verify REPORT.json [--json]\n"
	"Re-run a published JSON report and compare every number. The report's\n"
	"batches are found in this ledger by SHA-256 and its factor sets by\n"
	"name@version and SHA-256; a run restricted to exactly those batches is\n"
	"calculated with the report's GWP, region and fallback, and every figure\n"
	"(totals, units, sectors, carriers, per-capita values, previous year,\n"
	"rank, quality) is compared. Also checks that the file's numbers still\n"
	"match its results_sha256, the ledger's integrity as 'audit check' does\n"
	"(row hashes, audit chain, audit entries both ways), that the audit log\n"
	"still holds the head the report was published with, and the organisation\n"
	"tree and statistics (org_sha256). The ledger is opened read-only and the\n"
	"run is calculated in memory: nothing is stored, a read-only copy works.\n"
	"Exit status 0 when everything matches, 1 with a list of the differences\n"
	"or of what is missing. See docs/report-format.md.\n";

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	struct report_file *rf = NULL;
	struct ledger *l = NULL;
	struct errlist *errs = NULL;
	int status = EXIT_DATA, n;
	struct err e;

	err_clear(&e);
	if (cli_parse(c, argc, argv, NULL, &path, 1, &n, usage, &status))
		return status;
	if (!path)
		return cli_usage_error(usage, "verify needs a REPORT.json");
	if (report_file_load(path, &rf, &e))
		return cli_fail(&e);
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		goto out;
	if (!(errs = errlist_new())) {
		err_setf(&e, ERR_IO, "out of memory");
		status = cli_fail(&e);
	} else if ((n = report_verify_show(l, rf, path, c->json, cli_line_stdout, c,
					   errs, &e))) {
		if (n < 0)
			cli_print_errlist(errs);
		status = cli_fail(&e);
	} else {
		status = EXIT_OK;
	}
out:
	errlist_free(errs);
	report_file_free(rf);
	ledger_close(l);
	return status;
}
