/*
 * audit: `audit check` recomputes everything a ledger's integrity rests on
 * (engine/integrity.h) and `audit log` lists what happened, who did it and
 * when. Both only read the ledger.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger audit check [--json]\n"
	"       co2ledger audit log [--json]\n"
	"check: recompute the audit log's hash chain, every batch's rows_sha256\n"
	"over its stored rows (naming an edited row by batch, file:line and\n"
	"field), and that every batch, factor set, organisation import and run\n"
	"has its audit entry with the same fingerprints and every entry its\n"
	"object. Exit status 1 when anything was altered.\n"
	"log: every audit entry with its time, action, OS user and payload.\n"
	"Both open the ledger read-only. See docs/methodology.md.\n";

int
cmd_audit(struct cli *c, int argc, char **argv)
{
	const char *sub = NULL;
	struct ledger *l = NULL;
	struct err e;
	int status;

	if (cli_parse(c, argc, argv, NULL, &sub, 1, NULL, usage, &status))
		return status;
	if (!sub || (strcmp(sub, "check") && strcmp(sub, "log")))
		return cli_usage_error(usage, "audit needs check or log");
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	err_clear(&e);
	if (strcmp(sub, "check") == 0 ? report_audit_check(l, c->json, cli_line_stdout, c, &e)
				      : report_audit_log(l, c->json, cli_line_stdout, c, &e))
		status = cli_fail(&e);
	else
		status = EXIT_OK;
	ledger_close(l);
	return status;
}
