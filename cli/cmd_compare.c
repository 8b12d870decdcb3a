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
#include "base/num.h"
#include "engine/decompose.h"
#include "reports/change.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger compare --year Y [--base-year B] [--per capita|employee|m2] [--json]\n"
	"       co2ledger compare --explain-change (--year Y | --run N) (--base-year B | --base-run M)\n"
	"                         [--lens location|market] [--json]\n"
	"Rank the districts of year Y by their location-based emissions per\n"
	"resident (default), per employee or per m2 of floor area, lowest first,\n"
	"with the total in t CO2e and the change of the total against the base\n"
	"year B (default: none). Uses the newest calculation run of each year, or\n"
	"calculates one with the default parameters when a year has none.\n"
	"Districts without the statistic are listed last, without a rank.\n"
	"--explain-change splits the change of every reporting unit and sector\n"
	"from the base run to the run into method, factor, structure and activity\n"
	"effects (sequential substitution in that order) that add up to the change\n"
	"exactly, in kg CO2e to the milligram; the JSON gives both lenses in mg.\n";

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
	    const char *run_s, const char *base_run_s, const char *lens_s)
{
	int64_t y = 0, base = 0, run = 0, base_run = 0;
	enum decomp_lens lens;
	struct ledger *l = NULL;
	int status = EXIT_DATA;
	struct err e;

	err_clear(&e);
	if (!explain)
		return cli_usage_error(usage, "--run and --base-run go with --explain-change");
	if (strcmp(lens_s, "location") == 0)
		lens = DECOMP_LOCATION;
	else if (strcmp(lens_s, "market") == 0)
		lens = DECOMP_MARKET;
	else
		return cli_usage_error(usage, "--lens '%s': expected location or market", lens_s);
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
	if ((y && year_run(c, l, (int)y, &run, &e)) ||
	    (base && year_run(c, l, (int)base, &base_run, &e)) ||
	    explain_change(c, l, base_run, run, lens, &e))
		status = cli_fail(&e);
	else
		status = EXIT_OK;
	ledger_close(l);
	return status;
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
	const char *year_s = NULL, *base_s = NULL, *per_s = "capita", *v;
	const char *run_s = NULL, *base_run_s = NULL, *lens_s = "location";
	int explain = 0;
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
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--run", &v)) > 0)
			run_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--base-run", &v)) > 0)
			base_run_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &arg, "--lens", &v)) > 0)
			lens_s = v;
		else if (r == 0 && cli_flag(argv, arg, "--explain-change"))
			explain = r = 1;
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[arg]);
		if (r == 0)
			return cli_usage_error(usage, argv[arg][0] == '-' ? "unknown option '%s'"
							: "unexpected argument '%s'", argv[arg]);
	}
	if (explain || run_s || base_run_s)
		return explain_cmd(c, explain, year_s, base_s, run_s, base_run_s, lens_s);
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
