/*
 * runs: `runs list` shows the stored calculation runs (what, who, when,
 * published or not); `runs publish RUN --label TEXT` marks a run published
 * (frozen, audited). See docs/report-format.md.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger runs list [--json]\n"
	"       co2ledger runs publish RUN --label TEXT [--json]\n"
	"       co2ledger runs diff A B\n"
	"list: every stored run with its year, parameters, rows, who calculated it\n"
	"(the OS user in its audit entry), when, and its publication.\n"
	"publish: mark a stored run published with a label; a published run is\n"
	"frozen (it cannot be published again), and report, compare and verify\n"
	"say when its input files were superseded or corrected since. Audited.\n"
	"diff: the input files and rows that differ between runs A and B, and\n"
	"every figure that differs (calculated in memory, nothing is stored).\n";

static void
print_line(void *ctx, const char *text)
{
	(void)ctx;
	printf("%s\n", text);
}

int
cmd_runs(struct cli *c, int argc, char **argv)
{
	const char *args[3] = {NULL, NULL, NULL}, *label = NULL;
	const struct cli_option opts[] = {{"--label", &label, NULL, 0}, {NULL}};
	struct ledger *l;
	struct err e;
	int64_t id, a, b;
	int status;

	if (cli_parse(c, argc, argv, opts, args, 3, NULL, usage, &status))
		return status;
	if (!args[0] || (strcmp(args[0], "list") && strcmp(args[0], "publish") &&
			 strcmp(args[0], "diff")))
		return cli_usage_error(usage, "runs needs list, publish or diff");
	err_clear(&e);
	if (strcmp(args[0], "diff") == 0) {
		if (cli_id(args[1], &a) || cli_id(args[2], &b))
			return cli_usage_error(usage, "runs diff needs two run ids");
		if (cli_open(c, &l, LEDGER_SCRATCH, &status))
			return status;
		status = report_runs_diff(l, a, b, print_line, NULL, &e) ? cli_fail(&e)
									: EXIT_OK;
		ledger_close(l);
		return status;
	}
	if (args[2])
		return cli_usage_error(usage, "unexpected argument '%s'", args[2]);
	if (strcmp(args[0], "list") == 0) {
		if (args[1])
			return cli_usage_error(usage, "unexpected argument '%s'", args[1]);
		if (cli_open(c, &l, LEDGER_READONLY, &status))
			return status;
		status = report_runs_list(l, c->json, cli_line_stdout, c, &e) ? cli_fail(&e)
									  : EXIT_OK;
	} else {
		if (cli_id(args[1], &id))
			return cli_usage_error(usage, "runs publish needs a run id");
		if (!label || !*label)
			return cli_usage_error(usage, "runs publish needs --label TEXT");
		if (cli_open(c, &l, 0, &status))
			return status;
		if (report_run_publish(l, id, label, &e)) {
			status = cli_fail(&e);
		} else {
			if (c->json) {
				json_t *o = json_pack("{s:I, s:s}", "run", (json_int_t)id,
						      "label", label);
				cli_print_json(o);
				json_decref(o);
			} else {
				printf("run %lld published as '%s' (frozen)\n", (long long)id, label);
			}
			status = EXIT_OK;
		}
	}
	ledger_close(l);
	return status;
}
