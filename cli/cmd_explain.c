/*
 * explain: shows how a run's numbers come about. `--activity N` (or `--row
 * FILE:LINE`) walks one input row through every step; `--org CODE --sector
 * KEY` lists the rows behind one figure of the balance and their sum. The
 * explanation is written by reports/explain.c; this file prints its lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/calc.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger explain --run ID (--activity N | --row FILE:LINE) [--lang en|de] [--json]\n"
	"       co2ledger explain --run ID --org CODE --sector KEY [--lang en|de] [--json]\n"
	"Show every step from an activity row to kg CO2e in run ID: the input row\n"
	"(file:line), each pro-rata part with its factor (id, set version,\n"
	"citation), GWP, unit conversion and deflation, the result per scope and\n"
	"the market-based path, and the formula with every factor. With --org\n"
	"and --sector, list the rows behind that figure (CODE may be any unit:\n"
	"rows of units that roll up to it), their subtotals per unit, factor and\n"
	"unit of measure with the quantity summed, and their sum. --lang de\n"
	"writes German words, numbers (1.234,5) and dates (01.11.2024); en, the\n"
	"default, 1,234.5 and 2024-11-01. KEY is a sector (buildings.electricity, buildings.heat, fleet,\n"
	"procurement) or a carrier (electricity, natural_gas, cpv.30, ...).\n"
	"--row names a row as any ledger can: the input file's name and the source\n"
	"line (energie-2023-2024.csv:2833), or the batch's sha256 or rows_sha256\n"
	"(or 8 or more of its leading hex digits) and the line.\n";

int
cmd_explain(struct cli *c, int argc, char **argv)
{
	const char *run_s = NULL, *act_s = NULL, *org = NULL, *sector = NULL;
	const char *row_s = NULL, *lang_s = "en";
	enum report_lang lang;
	const struct cli_option opts[] = {{"--run", &run_s, NULL, 0}, {"--lang", &lang_s, NULL, 0},
		{"--activity", &act_s, NULL, 0}, {"--row", &row_s, NULL, 0},
		{"--org", &org, NULL, 0}, {"--sector", &sector, NULL, 0}, {NULL}};
	struct ledger *l;
	struct err e;
	int64_t run_id, act = 0;
	char *end;
	int status;

	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (!run_s)
		return cli_usage_error(usage, "--run is required");
	if (report_lang_parse(lang_s, &lang))
		return cli_usage_error(usage, "unknown language '%s' (expected de or en)",
				       lang_s);
	run_id = strtoll(run_s, &end, 10);
	if (*end || end == run_s || run_id <= 0)
		return cli_usage_error(usage, "invalid run id '%s'", run_s);
	if (act_s && row_s)
		return cli_usage_error(usage, "give either --activity or --row");
	if (row_s) {
		if (org || sector)
			return cli_usage_error(usage, "give either --row or --org "
					       "with --sector");
	} else if (act_s) {
		if (org || sector)
			return cli_usage_error(usage, "give either --activity or --org "
					       "with --sector");
		act = strtoll(act_s, &end, 10);
		if (*end || end == act_s || act <= 0)
			return cli_usage_error(usage, "invalid activity id '%s'", act_s);
	} else if (!org || !sector) {
		return cli_usage_error(usage, "give --activity N, --row FILE:LINE, or "
				       "--org CODE and --sector KEY");
	}
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	err_clear(&e);
	if (row_s && calc_find_row(l, run_id, row_s, &act, &e)) {
		status = e.kind == ERR_USAGE ? cli_usage_error(usage, "%s", e.text)
					     : cli_fail(&e);
	} else if (act ? report_explain_activity(l, run_id, act, c->json, lang,
						 cli_line_stdout, c, &e)
		       : report_explain_figure(l, run_id, org, sector, c->json, lang,
					       cli_line_stdout, c, &e)) {
		status = cli_fail(&e);
	} else {
		status = EXIT_OK;
	}
	ledger_close(l);
	return status;
}
