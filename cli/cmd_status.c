/*
 * status: `status --year Y [--jump PCT] [--threshold PCT]` lists what is
 * missing from a year's data per district (engine/complete.h): expected
 * months without data, meters, vehicles and units that went silent,
 * confirmed zeros and year-on-year jumps, with each unit's completeness.
 * Exit status 0 when the year is complete, 1 when it is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/num.h"
#include "engine/complete.h"
#include "reports/completeness.h"

static const char usage[] =
	"usage: co2ledger status --year Y [--jump PCT] [--threshold PCT] [--json]\n"
	"List the gaps in the data of year Y per district: months expected from\n"
	"the year before (per meter for energy, per unit and fuel for fleet) that\n"
	"have no row, meters, vehicles and units that went silent, months with\n"
	"confirmed zeros, and streams whose quantity changed by more than PCT %\n"
	"(--jump, default 50). Units below --threshold % (default 90) of their\n"
	"expected months get no rank and no change in compare and report.\n"
	"Exit status 0 when the year is complete, 1 when it is not.\n";

static int
pct_arg(const char *s, const char *what, int *out)
{
	int64_t v;

	if (num_parse(s, strlen(s), '.', 0, 0, &v) != NUM_OK || v < 1 || v > 1000)
		return cli_usage_error(usage, "%s '%s' is not a percentage (1..1000)", what, s);
	*out = (int)v;
	return 0;
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *jump_s = NULL, *thr_s = NULL;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--jump", &jump_s, NULL, 0}, {"--threshold", &thr_s, NULL, 0}, {NULL}};
	struct complete_opts o = {0};
	struct ledger *l = NULL;
	int status = EXIT_DATA, complete = 0;
	int64_t y;
	struct err e;

	err_clear(&e);
	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (!year_s || num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
	    y < 1901 || y > 2100)
		return cli_usage_error(usage, year_s ? "--year '%s' is not a year "
				       "(expected 1901..2100)" : "status needs --year Y%s",
				       year_s ? year_s : "");
	o.year = (int)y;
	if ((jump_s && pct_arg(jump_s, "--jump", &o.jump_pct)) ||
	    (thr_s && pct_arg(thr_s, "--threshold", &o.threshold_pct)))
		return EXIT_USAGE;
	if (cli_open(c, &l, 0, &status))
		return status;
	if (report_status_show(l, &o, c->json, cli_line_stdout, c, &complete, &e))
		status = cli_fail(&e);
	else
		status = complete ? EXIT_OK : EXIT_DATA;
	ledger_close(l);
	return status;
}
