/*
 * compare: `compare --year Y [--base-year B] [--per capita|employee|m2]`
 * prints the districts of a year ranked by emissions per resident (or per
 * employee, per m²), with their location-based total and the change
 * against a base year. It uses the newest run of each year, or calculates
 * one with the default parameters when a year has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/calc.h"
#include "base/date.h"
#include "base/num.h"
#include "engine/complete.h"
#include "engine/decompose.h"
#include "reports/change.h"
#include "reports/completeness.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger compare --year Y [--base-year B] [--per capita|employee|m2] [--json]\n"
	"       co2ledger compare --years FROM-TO [--json]\n"
	"                         [--factor-fallback strict|previous|nearest]\n"
	"       co2ledger compare --explain-change (--year Y | --run N) (--base-year B | --base-run M)\n"
	"                         [--basis location|market] [--json]\n"
	"Rank the districts of year Y by their location-based emissions per\n"
	"resident (default), per employee or per m2 of floor area, lowest first,\n"
	"with the total in t CO2e and the change of the total against the base\n"
	"year B (default: none). Uses the newest calculation run of each year, or\n"
	"calculates one with the default parameters when a year has none.\n"
	"Districts without the statistic are listed last, without a rank.\n"
	"With --years every year FROM..TO is calculated in memory with one method\n"
	"(the same factor sets, GWP and fallback) and the units are listed with\n"
	"their location-based total per year and the change from the first to the\n"
	"last year; a year without factors is named and nothing is compared.\n"
	"--explain-change splits the change of every reporting unit and sector\n"
	"from the base run to the run into method, factor, structure and activity\n"
	"effects (sequential substitution in that order) that add up to the change\n"
	"exactly, in kg CO2e to the milligram; the JSON gives both bases in mg.\n";

static int
parse_id(const char *s, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
	if (num_parse(s, strlen(s), '.', 0, 0, out) != NUM_OK || *out < lo || *out > hi)
		return cli_usage_error(usage, "%s '%s' is not %s", what, s,
				       lo == 1900 ? "a year (expected 1900..2100)"
						  : "a run id");
	return 0;
}

static int
explain_cmd(struct cli *c, int explain, const char *year_s, const char *base_s,
	    const char *run_s, const char *base_run_s, const char *basis_s)
{
	int64_t y = 0, base = 0, run = 0, base_run = 0;
	enum decomp_lens lens;
	struct ledger *l = NULL;
	int status = EXIT_DATA;
	struct err e;

	err_clear(&e);
	if (!explain)
		return cli_usage_error(usage, "--run and --base-run go with --explain-change");
	if (strcmp(basis_s, "location") == 0)
		lens = DECOMP_LOCATION;
	else if (strcmp(basis_s, "market") == 0)
		lens = DECOMP_MARKET;
	else
		return cli_usage_error(usage, "--basis '%s': expected location or market", basis_s);
	if (!year_s && !run_s)
		return cli_usage_error(usage, "--explain-change needs --year Y or --run N");
	if (!base_s && !base_run_s)
		return cli_usage_error(usage, "--explain-change needs --base-year B or "
				       "--base-run M");
	if ((year_s && run_s) || (base_s && base_run_s))
		return cli_usage_error(usage, "give a year or a run on each side, not both");
	if ((year_s && parse_id(year_s, "--year", 1900, 2100, &y)) ||
	    (base_s && parse_id(base_s, "--base-year", 1900, 2100, &base)) ||
	    (run_s && parse_id(run_s, "--run", 1, INT64_MAX, &run)) ||
	    (base_run_s && parse_id(base_run_s, "--base-run", 1, INT64_MAX, &base_run)))
		return EXIT_USAGE;
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		return status;
	if ((y && cli_year_run(c, l, (int)y, &run, &status)) ||
	    (base && cli_year_run(c, l, (int)base, &base_run, &status)))
		;
	else if (report_change_show(l, base_run, run, lens == DECOMP_MARKET, c->json,
				    cli_line_stdout, c, &e))
		status = cli_fail(&e);
	else
		status = EXIT_OK;
	ledger_close(l);
	return status;
}


int
cmd_compare(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *base_s = NULL, *per_s = "capita", *years_s = NULL,
		   *fallback_s = NULL, *run_s = NULL, *base_run_s = NULL, *basis_s = "location";
	int explain = 0;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--base-year", &base_s, NULL, 0}, {"--per", &per_s, NULL, 0},
		{"--years", &years_s, NULL, 0}, {"--factor-fallback", &fallback_s, NULL, 0},
		{"--run", &run_s, NULL, 0}, {"--base-run", &base_run_s, NULL, 0},
		{"--basis", &basis_s, NULL, 0}, {"--explain-change", NULL, &explain, 0},
		{NULL}};
	static const char *const PER[REPORT_NPER] = {"capita", "employee", "m2"};
	enum report_per per = REPORT_NPER;
	int64_t y = 0, base = 0, run = 0, base_run = 0;
	struct report_model *m = NULL;
	struct ledger *l = NULL;
	struct report_compare q;
	size_t k;
	int status = EXIT_DATA;
	struct err e;

	err_clear(&e);
	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (years_s) {
		struct report_trend_params tp = {0};
		struct report_trend *t = NULL;
		struct report_out o = {0};
		char now[21];
		if (cli_years(years_s, &tp.from, &tp.to))
			return cli_usage_error(usage, "--years '%s' is not FROM-TO (e.g. "
					       "2019-2024, at most 61 years)", years_s);
		if (year_s || base_s)
			return cli_usage_error(usage, "--years goes without --year and "
					       "--base-year");
		if (calc_fallback_parse(fallback_s) < 0)
			return cli_usage_error(usage, "unknown fallback '%s' (expected "
					       "strict, previous or nearest)", fallback_s);
		tp.fallback_previous = calc_fallback_parse(fallback_s);
		if (cli_open(c, &l, LEDGER_SCRATCH, &status))
			return status;
		if (cli_trend(c, l, &tp, &t, &e)) {
			status = cli_fail(&e);
			ledger_close(l);
			return status;
		}
		date_now_iso(now);
		o.generated = now;
		status = EXIT_OK;
		if (report_trend_show(t, &o, c->json, cli_line_stdout, c)) {
			err_setf(&e, ERR_IO, "out of memory");
			status = cli_fail(&e);
		}
		report_trend_free(t);
		ledger_close(l);
		return status;
	}
	if (fallback_s)
		return cli_usage_error(usage, "--factor-fallback goes with --years");
	if (explain || run_s || base_run_s)
		return explain_cmd(c, explain, year_s, base_s, run_s, base_run_s, basis_s);
	if (!year_s || num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
	    y < 1900 || y > 2100)
		return cli_usage_error(usage, year_s ? "--year '%s' is not a year "
				       "(expected 1900..2100)" : "compare needs --year Y%s",
				       year_s ? year_s : "");
	if (base_s && (num_parse(base_s, strlen(base_s), '.', 0, 0, &base) != NUM_OK ||
		       base < 1900 || base > 2100))
		return cli_usage_error(usage, "--base-year '%s' is not a year", base_s);
	for (k = 0; k < REPORT_NPER; k++)
		if (strcmp(per_s, PER[k]) == 0)
			per = (enum report_per)k;
	if (per == REPORT_NPER)
		return cli_usage_error(usage, "--per '%s': expected capita, employee or m2",
				       per_s);
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		return status;
	if (cli_year_run(c, l, (int)y, &run, &status) ||
	    (base && cli_year_run(c, l, (int)base, &base_run, &status)))
		goto out;
	{
		int old;
		struct complete_opts co = {.year = (int)y};
		struct complete *cp = NULL;
		if (report_build(l, run, base_run, NULL, &m, &e) ||
		    report_outdated_notice(l, m, NULL, cli_line_stderr, c, &old, &e) ||
		    complete_check(l, &co, &cp, &e))
			goto fail;
		/* a district below the completeness threshold is neither ranked
		 * nor compared, as in the reports */
		report_completeness_apply(m, cp);
		complete_free(cp);
	}
	q.year = (int)y;
	q.base_year = (int)base;
	q.run = run;
	q.base_run = base_run;
	q.per = per;
	if (report_compare_show(m, &q, c->json, cli_line_stdout, c, &e))
		goto fail;
	status = EXIT_OK;
	goto out;
fail:
	status = cli_fail(&e);
out:
	report_free(m);
	ledger_close(l);
	return status;
}
