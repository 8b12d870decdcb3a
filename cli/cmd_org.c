/*
 * org: `org import FILE.csv` loads or updates organisation units and their
 * yearly statistics; `org list` shows the tree.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "org/org.h"
#include "base/csv.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger org import FILE.csv\n"
	"       co2ledger org list [--json]\n"
	"Import organisation units from CSV with the columns code,name,parent,kind\n"
	"and optionally year,population,employees,floor_area_m2 (one row per unit\n"
	"and year) and number (the official number, e.g. Bezirk 01..12, which\n"
	"orders the units in reports). kind is state, district, department or\n"
	"site. The whole file is checked first; with any error nothing is\n"
	"imported. Re-importing updates names, parents, numbers and statistics.\n";

static int
org_import(struct cli *c, const char *path)
{
	struct ledger *l;
	struct csv *csv;
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct err e;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (cli_open(c, &l, LEDGER_CREATE, &status)) {
		errlist_free(errs);
		return status;
	}
	if (csv_open(&csv, path, NULL, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	if (org_import_csv(l, csv, &s, errs, &e)) {
		cli_print_errlist(errs);
		status = cli_fail(&e);
	} else {
		status = EXIT_OK;
		if (c->json) {
			json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "file", path,
					      "units_new", (json_int_t)s.units_new,
					      "units_updated", (json_int_t)s.units_updated,
					      "statistics", (json_int_t)s.stats_rows);
			cli_print_json(o);
			json_decref(o);
		} else {
			cli_note(c, "%s: %ld new unit%s, %ld updated, %ld statistics "
				 "row%s", path, s.units_new, s.units_new == 1 ? "" : "s",
				 s.units_updated, s.stats_rows,
				 s.stats_rows == 1 ? "" : "s");
		}
	}
	csv_close(csv);
out:
	ledger_close(l);
	errlist_free(errs);
	return status;
}

static int
org_list(struct cli *c)
{
	struct ledger *l;
	struct err e;
	size_t n = 0;
	int status;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	status = EXIT_OK;
	if (report_org_list(l, c->json, cli_line_stdout, c, &n, &e))
		status = cli_fail(&e);
	else if (n == 0 && !c->json)
		cli_note(c, "no units yet (load them with 'co2ledger org import FILE.csv')");
	ledger_close(l);
	return status;
}

int
cmd_org(struct cli *c, int argc, char **argv)
{
	const char *args[2] = {NULL, NULL}, *sub, *file;
	int status;

	if (cli_parse(c, argc, argv, NULL, args, 2, NULL, usage, &status))
		return status;
	sub = args[0];
	file = args[1];
	if (!sub)
		return cli_usage_error(usage, "org needs 'import FILE.csv' or 'list'");
	if (strcmp(sub, "import") == 0) {
		if (!file)
			return cli_usage_error(usage, "org import needs a FILE.csv");
		return org_import(c, file);
	}
	if (strcmp(sub, "list") == 0) {
		if (file)
			return cli_usage_error(usage, "unexpected argument '%s'", file);
		return org_list(c);
	}
	return cli_usage_error(usage, "unknown org command '%s' (import or list)", sub);
}
