/*
 * targets: the target register (docs/targets.md).
 *   targets import FILE.json   register one target-set version (audited)
 *   targets list               the registered versions
 *   targets show NAME[@V]      the targets of a version
 *   targets progress --year Y  base, current, linear path, gap, required
 *                              annual reduction and on/off track per target
 *                              and unit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/num.h"
#include "engine/calc.h"
#include "factors/targets.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger targets import FILE.json\n"
	"       co2ledger targets list\n"
	"       co2ledger targets show NAME[@VERSION]\n"
	"       co2ledger targets progress --year Y\n"
	"                 [--factor-fallback strict|previous|nearest] [--json]\n"
	"Register versioned target sets (format co2ledger-targets/1, see\n"
	"docs/targets.md; a registered version never changes), list and show them,\n"
	"and show the progress in year Y: per target and unit the base, the current\n"
	"value, the value of the linear path for Y, the gap in the metric's unit and\n"
	"in % of the base, the average reduction per year still needed to reach the\n"
	"next milestone, and whether the unit is on track. Years are calculated in\n"
	"memory with the default method (nothing is stored); --factor-fallback\n"
	"as for calc, e.g. nearest for base years before a set's first factor.\n";

static int
do_import(struct cli *c, const char *path)
{
	struct errlist *errs = errlist_new();
	struct target_set *s = NULL;
	struct ledger *l = NULL;
	enum targets_import_result res;
	struct err e;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (targets_load_file(path, &s, errs, &e)) {
		if (errs->total) {
			cli_print_errlist(errs);
			fprintf(stderr, "%s: error: %zu error%s; nothing was imported (fix "
				"the file and run again)\n", path, errs->total,
				errs->total == 1 ? "" : "s");
		} else {
			cli_fail(&e);
		}
		goto out;
	}
	if (cli_open(c, &l, LEDGER_CREATE, &status))
		goto out;
	if (targets_register(l, s, &res, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	printf("%s: target set %s@%s %s (%zu target%s, sha256 %s)\n", path,
	       targets_name(s), targets_version(s),
	       res == TARGETS_ADDED ? "registered" : "already registered, unchanged",
	       targets_count(s), targets_count(s) == 1 ? "" : "s", targets_sha256(s));
out:
	targets_free(s);
	errlist_free(errs);
	ledger_close(l);
	return status;
}

int
cmd_targets(struct cli *c, int argc, char **argv)
{
	const char *args[4];
	const char *year_s = NULL, *fallback_s = NULL;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--factor-fallback", &fallback_s, NULL, 0}, {NULL}};
	int nargs = 0, status;

	if (cli_parse(c, argc, argv, opts, args, 4, &nargs, usage, &status))
		return status;
	if (!nargs)
		return cli_usage_error(usage, "targets needs import, list, show or progress");
	if (strcmp(args[0], "import") == 0) {
		if (nargs != 2)
			return cli_usage_error(usage, "targets import takes one FILE.json");
		return do_import(c, args[1]);
	}
	if (strcmp(args[0], "list") == 0 || strcmp(args[0], "show") == 0) {
		struct ledger *l = NULL;
		struct err e;
		err_clear(&e);
		if (args[0][0] == 'l' ? nargs != 1 : nargs != 2)
			return cli_usage_error(usage, args[0][0] == 'l'
					       ? "targets list takes no argument"
					       : "targets show takes NAME[@VERSION]");
		if (cli_open(c, &l, LEDGER_READONLY, &status))
			return status;
		if (args[0][0] == 'l' ? report_targets_list(l, cli_line_stdout, c, &e)
				      : report_targets_show(l, args[1], cli_line_stdout, c, &e))
			status = cli_fail(&e);
		else
			status = EXIT_OK;
		ledger_close(l);
		return status;
	}
	if (strcmp(args[0], "progress") == 0) {
		struct ledger *l = NULL;
		struct err e;
		int64_t y;
		err_clear(&e);
		if (nargs != 1)
			return cli_usage_error(usage, "targets progress takes --year Y");
		if (!year_s || num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
		    y < 1900 || y > 2100)
			return cli_usage_error(usage, "targets progress needs --year Y "
					       "(1900..2100)");
		if (calc_fallback_parse(fallback_s) < 0)
			return cli_usage_error(usage, "unknown fallback '%s' (expected "
					       "strict, previous or nearest)", fallback_s);
		if (cli_open(c, &l, LEDGER_SCRATCH, &status))
			return status;
		status = report_goals_show(l, (int)y, calc_fallback_parse(fallback_s), c->json,
					   cli_line_stdout, c, &e) ? cli_fail(&e) : EXIT_OK;
		ledger_close(l);
		return status;
	}
	return cli_usage_error(usage, "unknown targets command '%s' (expected import, "
			       "list, show or progress)", args[0]);
}
