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

static int
list_one(void *ctx, const struct report_run_entry *r, struct err *e)
{
	json_t *arr = ctx;

	(void)e;
	if (arr) {
		json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?}",
				      "id", (json_int_t)r->id, "year", r->year, "gwp", r->gwp,
				      "region", r->region, "fallback", r->fallback,
				      "rows_used", (json_int_t)r->rows_used, "created_at",
				      r->created_at, "user", r->user, "results_sha256",
				      r->results_sha256);
		json_object_set_new(o, "factor_sets", json_loads(r->factor_sets ? r->factor_sets
									: "[]", 0, NULL));
		json_object_set_new(o, "batches", json_loads(r->batches ? r->batches : "[]",
							     0, NULL));
		json_object_set_new(o, "published", r->label
			? json_pack("{s:s, s:s?}", "label", r->label, "at", r->published_at)
			: json_null());
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%5lld  %4d  %-4s  %-8s  %9ld  %-20s  %-10s  %s\n", (long long)r->id,
	       r->year, r->gwp ? r->gwp : "", r->fallback ? r->fallback : "",
	       r->rows_used, r->created_at ? r->created_at : "",
	       r->user ? r->user : "-", r->label ? r->label : "");
	return 0;
}

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
		json_t *arr = c->json ? json_array() : NULL;
		if (args[1])
			return cli_usage_error(usage, "unexpected argument '%s'", args[1]);
		if (cli_open(c, &l, LEDGER_READONLY, &status))
			return status;
		if (!arr)
			printf("%5s  %4s  %-4s  %-8s  %9s  %-20s  %-10s  %s\n", "run", "year",
			       "gwp", "fallback", "rows", "created", "user", "published");
		if (report_runs_each(l, list_one, arr, &e)) {
			status = cli_fail(&e);
		} else {
			if (arr)
				cli_print_json(arr);
			status = EXIT_OK;
		}
		json_decref(arr);
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
