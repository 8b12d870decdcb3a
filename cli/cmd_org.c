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

#define ORG_LIST_INDENT 20 /* levels shown by indentation in `org list` */

static const char SQL_STATS[] =
	"SELECT year, population, employees, floor_area_m2 FROM org_stat "
	"WHERE org_id = ?1 ORDER BY year";

static int
org_list(struct cli *c)
{
	struct ledger *l;
	struct org_tree *t;
	struct err e;
	size_t i, n;
	int status;
	json_t *arr = NULL;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	if (org_tree_load(l, &t, &e)) {
		status = cli_fail(&e);
		ledger_close(l);
		return status;
	}
	n = org_tree_count(t);
	if (c->json)
		arr = json_array();
	else if (n == 0)
		cli_note(c, "no units yet (load them with 'co2ledger org import FILE.csv')");
	for (i = 0; i < n; i++) {
		const struct org_unit *u = org_tree_at(t, i);
		const struct org_unit *p = u->parent == ORG_NONE ? NULL
								 : org_tree_at(t, u->parent);
		if (c->json) {
			json_t *stats = json_array();
			sqlite3_stmt *st = ledger_stmt(l, SQL_STATS, &e);
			while (st) {
				sqlite3_bind_int64(st, 1, u->id);
				while (sqlite3_step(st) == SQLITE_ROW) {
					json_t *o = json_object();
					json_object_set_new(o, "year",
							    json_integer(sqlite3_column_int(st, 0)));
					json_object_set_new(o, "population",
							    sqlite3_column_type(st, 1) == SQLITE_NULL
								    ? json_null()
								    : json_integer(sqlite3_column_int64(st, 1)));
					json_object_set_new(o, "employees",
							    sqlite3_column_type(st, 2) == SQLITE_NULL
								    ? json_null()
								    : json_integer(sqlite3_column_int64(st, 2)));
					json_object_set_new(o, "floor_area_m2",
							    sqlite3_column_type(st, 3) == SQLITE_NULL
								    ? json_null()
								    : json_real(sqlite3_column_double(st, 3)));
					json_array_append_new(stats, o);
				}
				sqlite3_reset(st);
				break;
			}
			json_array_append_new(
				arr, json_pack("{s:s, s:s, s:s, s:s?, s:o}", "code", u->code,
					       "name", u->name, "kind", org_kind_name(u->kind),
					       "parent", p ? p->code : NULL, "statistics", stats));
		} else {
			/* two spaces a level, up to 20 levels: a deep tree
			 * must not print gigabytes of indentation */
			int ind = 2 * (u->depth < ORG_LIST_INDENT ? u->depth : ORG_LIST_INDENT);
			printf("%*s%-*s  %-10s  %s\n", ind, "", 20 - ind > 0 ? 20 - ind : 1,
			       cli_esc(u->code), org_kind_name(u->kind), cli_esc(u->name));
		}
	}
	if (c->json) {
		json_t *o = json_pack("{s:o}", "units", arr);
		cli_print_json(o);
		json_decref(o);
	}
	org_tree_free(t);
	ledger_close(l);
	return EXIT_OK;
}

int
cmd_org(struct cli *c, int argc, char **argv)
{
	const char *sub = NULL, *file = NULL;
	int i;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		int r = cli_common(c, argc, argv, &i, 1);
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[i]);
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(usage, "unknown option '%s'", argv[i]);
		if (!sub)
			sub = argv[i];
		else if (!file)
			file = argv[i];
		else
			return cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
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
