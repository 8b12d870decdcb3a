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
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger compare --year Y [--base-year B] [--per capita|employee|m2] [--json]\n"
	"       co2ledger compare --years FROM-TO [--json]\n"
	"                         [--factor-fallback strict|previous|nearest]\n"
	"Rank the districts of year Y by their location-based emissions per\n"
	"resident (default), per employee or per m2 of floor area, lowest first,\n"
	"with the total in t CO2e and the change of the total against the base\n"
	"year B (default: none). Uses the newest calculation run of each year, or\n"
	"calculates one with the default parameters when a year has none.\n"
	"Districts without the statistic are listed last, without a rank.\n"
	"With --years every year FROM..TO is calculated in memory with one method\n"
	"(the same factor sets, GWP and fallback) and the units are listed with\n"
	"their location-based total per year and the change from the first to the\n"
	"last year; a year without factors is named and nothing is compared.\n";

static int
year_run(struct cli *c, struct ledger *l, int year, int64_t *run, struct err *e)
{
	struct calc_params p = {.year = year};
	struct calc_summary sum;
	struct errlist *errs;

	if (report_latest_run(l, year, run, e))
		return -1;
	if (*run > 0)
		return 0;
	if (!(errs = errlist_new()))
		return err_setf(e, ERR_IO, "out of memory");
	if (calc_run(l, &p, &sum, errs, e)) {
		cli_print_errlist(errs);
		errlist_free(errs);
		return -1;
	}
	errlist_free(errs);
	*run = sum.run_id;
	cli_note(c, "calculated run %lld for %d in memory (not stored: 'co2ledger calc' stores runs)", (long long)*run, year);
	return 0;
}

struct entry {
	const struct report_unit *u;
	int rank;
	int has;
	int64_t g;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (!x->rank != !y->rank)
		return x->rank ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->u->code, y->u->code);
}

int
cmd_compare(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *base_s = NULL, *per_s = "capita", *v,
		   *years_s = NULL, *fallback_s = NULL;
	static const char *const PER[REPORT_NPER] = {"capita", "employee", "m2"};
	static const char *const PER_HEAD[REPORT_NPER] = {"kg/resident",
		"kg/employee", "kg/m2"};
	enum report_per per = REPORT_NPER;
	int64_t y = 0, base = 0, run = 0, base_run = 0;
	struct report_model *m = NULL;
	struct ledger *l = NULL;
	struct entry *ent = NULL;
	const struct report_figures **fig = NULL;
	int *consider = NULL, *rank = NULL;
	size_t i, n, k = 0;
	int status = EXIT_DATA, arg;
	struct err e;

	err_clear(&e);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (arg = 1; arg < argc; arg++) {
		int r = cli_common(c, argc, argv, &arg, 1);
		if (r == 0 && (r = cli_opt(argc, argv, &arg, "--year", &v)) > 0)
			year_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--base-year", &v)) > 0)
			base_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--per", &v)) > 0)
			per_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--years", &v)) > 0)
			years_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--factor-fallback", &v)) > 0)
			fallback_s = v;
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[arg]);
		if (r == 0)
			return cli_usage_error(usage, argv[arg][0] == '-' ? "unknown option '%s'"
							: "unexpected argument '%s'", argv[arg]);
	}
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
	if (year_run(c, l, (int)y, &run, &e) ||
	    (base && year_run(c, l, (int)base, &base_run, &e)) ||
	    report_build(l, run, base_run, NULL, &m, &e))
		goto fail;
	{
		int old;
		if (cli_outdated(l, m, NULL, cli_line_stderr, c, &old, &e))
			goto fail;
	}
	n = report_unit_count(m);
	ent = calloc(n ? n : 1, sizeof *ent);
	fig = calloc(n ? n : 1, sizeof *fig);
	consider = calloc(n ? n : 1, sizeof *consider);
	rank = calloc(n ? n : 1, sizeof *rank);
	if (!ent || !fig || !consider || !rank) {
		err_setf(&e, ERR_IO, "out of memory");
		goto fail;
	}
	for (i = 0, k = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		if (u->kind != ORG_DISTRICT)
			continue;
		ent[k].u = u;
		fig[k] = &u->f;
		consider[k] = u->f.rows > 0; /* no data: no rank */
		k++;
	}
	report_rank(fig, consider, k, per, rank);
	for (i = 0; i < k; i++) {
		ent[i].rank = rank[i];
		ent[i].has = report_per_g(&ent[i].u->f, per, &ent[i].g);
	}
	qsort(ent, k, sizeof *ent, cmp_entry);
	if (c->json) {
		json_t *a = json_array(), *o;
		for (i = 0; i < k; i++) {
			const struct report_figures *f = &ent[i].u->f;
			int64_t ch = 0;
			int has_ch = base && report_change_x100(f, &ch);
			char kg[40];
			num_format(report_total_location(f), 6, 3, kg, sizeof kg);
			json_array_append_new(a, json_pack(
				"{s:o, s:s, s:s, s:f, s:o, s:o}",
				"rank", ent[i].rank ? json_integer(ent[i].rank) : json_null(),
				"code", ent[i].u->code, "name", ent[i].u->name,
				"total_location_kg", strtod(kg, NULL),
				"value_kg", ent[i].has ? json_real((double)ent[i].g / 1000.0)
						       : json_null(),
				"change_pct", has_ch ? json_real((double)ch / 100.0) : json_null()));
		}
		o = json_pack("{s:i, s:o, s:s, s:I, s:o, s:o}", "year", (int)y,
			      "base_year", base ? json_integer(base) : json_null(),
			      "per", per_s, "run", (json_int_t)run,
			      "base_run", base_run ? json_integer(base_run) : json_null(),
			      "districts", a);
		cli_print_json(o);
		json_decref(o);
	} else {
		char head[32];
		snprintf(head, sizeof head, "change vs %lld", (long long)base);
		printf("districts %lld, run %lld, ranked by %s (lowest first)\n",
		       (long long)y, (long long)run, PER_HEAD[per]);
		printf("%4s  %-14s %-30s %14s %12s %14s\n", "rank", "code", "name",
		       "t CO2e", PER_HEAD[per], base ? head : "");
		for (i = 0; i < k; i++) {
			const struct report_figures *f = &ent[i].u->f;
			char t[40], val[40], rk[16], chg[40] = "";
			int64_t ch = 0;
			cli_tonnes(report_total_location(f), t, sizeof t);
			if (ent[i].has)
				num_format(ent[i].g, 3, 1, val, sizeof val);
			else
				strcpy(val, "-");
			if (ent[i].rank)
				snprintf(rk, sizeof rk, "%d", ent[i].rank);
			else
				strcpy(rk, "-");
			if (base) {
				if (report_change_x100(f, &ch)) {
					num_format(ch, 2, 1, chg, sizeof chg);
					if (ch > 0) {
						memmove(chg + 1, chg, strlen(chg) + 1);
						chg[0] = '+';
					}
					strcat(chg, " %");
				} else {
					strcpy(chg, "-");
				}
			}
			printf("%4s  ", rk);
			cli_print_col(ent[i].u->code, 14);
			putchar(' ');
			cli_print_col(ent[i].u->name, 30);
			printf(" %14s %12s %14s\n", t, val, chg);
		}
	}
	status = EXIT_OK;
	goto out;
fail:
	status = cli_fail(&e);
out:
	free(ent);
	free(fig);
	free(consider);
	free(rank);
	report_free(m);
	ledger_close(l);
	return status;
}
