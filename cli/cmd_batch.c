/*
 * batch: `batch list`, `batch show ID` and `batch remove ID` over the import
 * batches (importers/import.h). Removal marks a batch superseded; its rows
 * stay in the ledger for audit but no longer take part in calculations.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/correct.h"
#include "importers/import.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger batch list [--json]\n"
	"       co2ledger batch show ID [--json]\n"
	"       co2ledger batch remove ID [--json]\n"
	"       co2ledger batch correct ID LINE (--void | --set FIELD=VALUE) --reason TEXT\n"
	"       co2ledger batch diff A B [--json]\n"
	"List the import batches, show one with its rows (source line, org,\n"
	"activity key, period, quantity, unit, ...), or remove one: removal marks\n"
	"it superseded, so its rows no longer count; nothing is deleted.\n"
	"correct: void the row from source line LINE of batch ID, or set one of its\n"
	"fields (quantity, quality, org, period_start, period_end, tariff); the\n"
	"reason is mandatory. The correction is a new batch with the corrected rows\n"
	"that supersedes batch ID; the original rows stay as imported. Audited.\n"
	"diff: the rows that differ between batches A and B, by source line.\n";


static int
batch_correct(struct cli *c, int argc, char **argv)
{
	struct correct_opts o = {0};
	struct correct_result r;
	const char *set = NULL, *ids[2] = {NULL, NULL};
	struct ledger *l;
	struct err e;
	int64_t id, line;
	char field[64];
	int k = 0, status;

	const struct cli_option opts[] = {{"--void", NULL, &o.void_row, 0},
		{"--set", &set, NULL, 0}, {"--reason", &o.reason, NULL, 0}, {NULL}};

	if (cli_parse(c, argc, argv, opts, ids, 2, &k, usage, &status))
		return status;
	if (k < 2 || cli_id(ids[0], &id) || cli_id(ids[1], &line))
		return cli_usage_error(usage, "batch correct needs a batch ID and a LINE");
	if (o.void_row == !!set)
		return cli_usage_error(usage, "batch correct needs either --void or "
				       "--set FIELD=VALUE");
	if (!o.reason || !*o.reason)
		return cli_usage_error(usage, "batch correct needs --reason TEXT (why the "
				       "row is corrected; it is kept in the audit log)");
	if (set) {
		const char *eq = strchr(set, '=');
		if (!eq || eq == set || (size_t)(eq - set) >= sizeof field)
			return cli_usage_error(usage, "--set needs FIELD=VALUE, not '%s'", set);
		memcpy(field, set, (size_t)(eq - set));
		field[eq - set] = '\0';
		o.field = field;
		o.value = eq + 1;
	}
	o.batch = id;
	o.line = (long)line;
	if (cli_open(c, &l, 0, &status))
		return status;
	err_clear(&e);
	if (correct_row(l, &o, &r, &e)) {
		status = e.kind == ERR_USAGE ? cli_usage_error(usage, "%s", e.text)
					     : cli_fail(&e);
	} else {
		report_correct_show(&o, &r, c->json, cli_line_stdout, c);
		status = EXIT_OK;
	}
	ledger_close(l);
	return status;
}

static int
batch_diff(struct cli *c, int argc, char **argv)
{
	const char *ids[2] = {NULL, NULL};
	struct ledger *l;
	struct err e;
	int64_t a, b;
	int k = 0, status;

	if (cli_parse(c, argc, argv, NULL, ids, 2, &k, usage, &status))
		return status;
	if (k < 2 || cli_id(ids[0], &a) || cli_id(ids[1], &b))
		return cli_usage_error(usage, "batch diff needs two batch IDs");
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	err_clear(&e);
	status = report_batch_diff(l, a, b, c->json, cli_line_stdout, c, &e)
			 ? cli_fail(&e) : EXIT_OK;
	ledger_close(l);
	return status;
}

int
cmd_batch(struct cli *c, int argc, char **argv)
{
	const char *args[2] = {NULL, NULL}, *sub, *arg;
	struct ledger *l;
	struct err e;
	int64_t id = 0;
	int status;

	if (argc > 1 && strcmp(argv[1], "correct") == 0)
		return batch_correct(c, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return batch_diff(c, argc - 1, argv + 1);
	if (cli_parse(c, argc, argv, NULL, args, 2, NULL, usage, &status))
		return status;
	sub = args[0];
	arg = args[1];
	if (!sub)
		return cli_usage_error(usage, "batch needs 'list', 'show ID', 'remove ID', "
				       "'correct ID LINE ...' or 'diff A B'");
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "remove"))
		return cli_usage_error(usage, "unknown batch command '%s' (list, show, "
				       "remove, correct or diff)", sub);
	if (strcmp(sub, "list") == 0) {
		if (arg)
			return cli_usage_error(usage, "unexpected argument '%s'", arg);
	} else if (!arg) {
		return cli_usage_error(usage, "batch %s needs a batch ID", sub);
	} else if (cli_id(arg, &id)) {
		return cli_usage_error(usage, "'%s' is not a batch id", arg);
	}
	if (cli_open(c, &l, 0, &status))
		return status;
	err_clear(&e);
	status = EXIT_OK;
	if (strcmp(sub, "list") == 0) {
		if (report_batch_list(l, c->json, cli_line_stdout, c, &e))
			status = cli_fail(&e);
	} else if (strcmp(sub, "show") == 0) {
		if (report_batch_show(l, id, c->json, cli_line_stdout, c, &e))
			status = cli_fail(&e);
	} else {
		if (import_batch_remove(l, id, &e)) {
			status = cli_fail(&e);
		} else if (c->json) {
			json_t *o = json_pack("{s:I, s:s}", "batch", (json_int_t)id,
					      "status", "superseded");
			cli_print_json(o);
			json_decref(o);
		} else {
			printf("batch %lld removed: superseded, its rows no longer count "
			       "(kept for audit)\n", (long long)id);
		}
	}
	ledger_close(l);
	return status;
}

