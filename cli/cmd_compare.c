/*
 * compare: `compare --year Y [--base-year B] [--per capita|employee|m2]`
 * prints the districts of a year ranked by emissions per resident (or per
 * employee, per m²), with their location-based total and the change
 * against a base year. It uses the newest run of each year, or calculates
 * one with the default parameters when a year has none.
 */
#include <jansson.h>
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

static void
kg6(int64_t mg, char *buf, size_t n)
{
	num_format(mg, 6, 6, buf, n);
}

static int
explain_change(struct cli *c, struct ledger *l, int64_t base_run, int64_t run,
	       enum decomp_lens lens, struct err *e)
{
	struct decomp *d = NULL;
	const struct decomp_info *in;
	char ybase[24], ynow[24];
	size_t i;
	int k;

	if (decomp_runs(l, base_run, run, &d, e))
		return -1;
	in = decomp_get_info(d);
	if (c->json) {
		json_t *o = report_change_json(d);
		if (!o) {
			decomp_free(d);
			return err_setf(e, ERR_IO, "out of memory");
		}
		cli_print_json(o);
		json_decref(o);
		decomp_free(d);
		return 0;
	}
	printf("why it changed: run %lld (%d, %s) -> run %lld (%d, %s), %s-based, kg CO2e\n",
	       (long long)in->base_run, in->base_year, in->base_gwp,
	       (long long)in->run, in->year, in->gwp,
	       lens == DECOMP_LOCATION ? "location" : "market");
	printf("sequential substitution: method, then factors, then structure, then "
	       "activity; the effects add up to the change\n");
	snprintf(ybase, sizeof ybase, "%d", in->base_year);
	snprintf(ynow, sizeof ynow, "%d", in->year);
	if (in->base_year == in->year) {
		snprintf(ybase, sizeof ybase, "run %lld", (long long)in->base_run);
		snprintf(ynow, sizeof ynow, "run %lld", (long long)in->run);
	}
	printf("%-14s %-22s %17s", "unit", "sector", ybase);
	for (k = 0; k < DECOMP_NEFFECTS; k++)
		printf(" %17s", decomp_effect_name((enum decomp_effect)k));
	printf(" %17s %17s\n", ynow, "change");
	for (i = 0; i < decomp_count(d); i++) {
		const struct decomp_line *ln = decomp_at(d, i);
		char v[40];
		cli_print_col(ln->code ? ln->code : "(all units)", 14);
		putchar(' ');
		cli_print_col(ln->sector ? ln->sector : "(all sectors)", 22);
		kg6(ln->t[DECOMP_BASE][lens], v, sizeof v);
		printf(" %17s", v);
		for (k = 0; k < DECOMP_NEFFECTS; k++) {
			kg6(decomp_effect_mg(ln, (enum decomp_effect)k, lens), v, sizeof v);
			printf(" %17s", v);
		}
		kg6(ln->t[DECOMP_CURRENT][lens], v, sizeof v);
		printf(" %17s", v);
		kg6(decomp_change_mg(ln, lens), v, sizeof v);
		printf(" %17s", v);
		if (ln->code && !ln->sector && (ln->moved_in || ln->moved_out ||
						ln->units_added || ln->units_removed))
			printf("  (streams moved in %ld, out %ld; units added %ld, removed %ld)",
			       ln->moved_in, ln->moved_out, ln->units_added,
			       ln->units_removed);
		putchar('\n');
	}
	decomp_free(d);
	return 0;
}

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
	else if (explain_change(c, l, base_run, run, lens, &e))
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
		if (c->json) {
			json_t *j;
			date_now_iso(now);
			o.generated = now;
			j = report_trend_json_value(t, &o);
			cli_print_json(j);
			json_decref(j);
		} else {
			cli_trend_print(t);
		}
		report_trend_free(t);
		ledger_close(l);
		return EXIT_OK;
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
