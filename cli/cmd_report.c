/*
 * report: `report --year Y [--run ID] [--json [OUT]] [--xlsx OUT] [--csv DIR]
 * [--lang de|en] [--org CODE]` writes the balance of a calculation run as
 * JSON, XLSX and open-data CSV (reports/). Without --run it calculates a run
 * with the default parameters first, in memory: the ledger is opened
 * read-only (LEDGER_SCRATCH) and nothing is stored. `--json OUT` writes the JSON report to
 * a file; `--json` without a file name (or `--json -`, or the global
 * option) writes it on stdout. Without any output option the balance is
 * printed as a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "cli/cli.h"
#include "base/date.h"
#include "base/num.h"
#include "engine/calc.h"
#include "engine/complete.h"
#include "engine/decompose.h"
#include "reports/completeness.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger report --year Y [--run ID] [--json [OUT.json]] [--xlsx OUT.xlsx]\n"
	"                        [--xlsx-lines N] [--csv DIR] [--lang de|en] [--org CODE]\n"
	"                        [--html DIR] [--publisher NAME] [--contact EMAIL]\n"
	"                        [--base-url URL] [--strict-complete] [--allow-partial]\n"
	"       co2ledger report --years FROM-TO [--json [OUT.json]] [--xlsx OUT.xlsx]\n"
	"                        [--factor-fallback strict|previous|nearest] [--lang de|en]\n"
	"                        [--org CODE]\n"
	"Write the balance of a calculation run: every district and every unit\n"
	"directly under the state, with scopes, sectors, carriers, figures per\n"
	"resident, employee and m2, the change against the previous year, the\n"
	"districts' per-capita rank, data quality and provenance. Without --run a\n"
	"run with the default parameters is calculated in memory first (as\n"
	"'co2ledger calc --year Y' would, but nothing is stored: report only reads\n"
	"the ledger, also a read-only copy). The previous year comes from a run of\n"
	"Y-1 over the same files with the same factor sets and GWP (a stored one\n"
	"is reused, else it is calculated in memory).\n"
	"  --json OUT   write the JSON report (SPEC section 7) to OUT; '--json' with\n"
	"               no file name, '--json -' or the global --json write it on stdout\n"
	"  --xlsx OUT   write the workbook\n"
	"  --xlsx-lines N|all  activity lines in the workbook (default 50,000; all:\n"
	"               as many as a sheet holds, 1,048,574; 0: none); the CSV export\n"
	"               (--csv) always has every line\n"
	"  --csv DIR    write the open data into DIR: districts.csv, totals.csv,\n"
	"               sectors.csv, carriers.csv, activities.csv, energy.csv,\n"
	"               names-carriers.csv, names-units.csv, csv-metadata.json\n"
	"               (CSVW) and metadata.json (DCAT-AP.de)\n"
	"  --html DIR   write DIR/index.html, a self-contained web page (charts,\n"
	"               sortable table, notes), and the open data of --csv next to it\n"
	"  --publisher NAME  publisher in metadata.json (default: the unit's or\n"
	"               the state's name)\n"
	"  --contact EMAIL  contact point in metadata.json\n"
	"  --base-url URL  address the files are published under (prefix of the\n"
	"               distribution URLs; default: file names relative to metadata.json)\n"
	"  --lang L     labels in German (de, the default) or English (en)\n"
	"  --org CODE   only this district or unit directly under the state\n"
	"  --years FROM-TO  the trend: every year calculated in memory with one\n"
	"               method (the same factor sets, GWP and fallback), as JSON\n"
	"               (co2ledger-trend/1), a workbook with charts, or a table; a year\n"
	"               without factors is named and the trend refused\n"
	"  --factor-fallback previous  with --years: a year without a factor uses\n"
	"               the latest earlier one (flagged as extrapolated); nearest:\n"
	"               also the earliest later one for years before every factor\n"
	"  --strict-complete  refuse a year whose data is incomplete ('co2ledger\n"
	"               status --year Y' lists the gaps); without it such a report is\n"
	"               written stamped incomplete\n"
	"  --allow-partial  write a balance of a year with no data or before the\n"
	"               first year with data in every month (refused otherwise)\n"
	"Without an output option the balance is printed as a table.\n"
	"See docs/report-format.md.\n";

/* Progress on a terminal: "report: activity lines 41% of 10000000". */
static void
progress(void *ctx, long done, long total)
{
	const char *what = ctx;

	if (total > 0)
		fprintf(stderr, "\rreport: %s %3d%% of %ld lines", what,
			(int)(done >= total ? 100 : done * 100 / total), total);
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *run_s = NULL, *json_v = NULL, *json_out = NULL,
		   *xlsx = NULL, *csv = NULL, *lang_s = "de", *org = NULL, *lines_s = NULL,
		   *publisher = NULL, *contact = NULL, *base_url = NULL, *html = NULL,
		   *years_s = NULL, *fallback_s = NULL;
	int strict_complete = 0, allow_partial = 0;
	const struct cli_option opts[] = {{"--json", &json_v, NULL, 1},
		{"--year", &year_s, NULL, 0}, {"--run", &run_s, NULL, 0},
		{"--xlsx", &xlsx, NULL, 0}, {"--csv", &csv, NULL, 0},
		{"--lang", &lang_s, NULL, 0}, {"--org", &org, NULL, 0},
		{"--xlsx-lines", &lines_s, NULL, 0}, {"--publisher", &publisher, NULL, 0},
		{"--contact", &contact, NULL, 0}, {"--base-url", &base_url, NULL, 0},
		{"--html", &html, NULL, 0}, {"--years", &years_s, NULL, 0},
		{"--factor-fallback", &fallback_s, NULL, 0},
		{"--strict-complete", NULL, &strict_complete, 0},
		{"--allow-partial", NULL, &allow_partial, 0}, {NULL}};
	int json_stdout = c->json, status = EXIT_DATA, year = 0;
	struct complete *cp = NULL;
	int64_t run_id = 0, prev_id = 0;
	struct report_out o = {0};
	struct report_model *m = NULL;
	struct report_goals *goals = NULL;
	struct decomp *change = NULL;
	struct ledger *l = NULL;
	char now[21], why[600];
	struct err e;

	err_clear(&e);
	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (json_v && strcmp(json_v, "-") != 0)
		json_out = json_v;
	else if (json_v)
		json_stdout = 1;
	c->json = json_stdout; /* lines on stdout are JSON text */
	o.publisher = publisher;
	o.contact = contact;
	o.base_url = base_url;
	if (report_lang_parse(lang_s, &o.lang))
		return cli_usage_error(usage, "unknown language '%s' (expected de or en)",
				       lang_s);
	if (fallback_s && !years_s)
		return cli_usage_error(usage, "--factor-fallback goes with --years (a "
				       "single year: 'co2ledger calc --factor-fallback', "
				       "then 'report --run ID')");
	if (fallback_s && calc_fallback_parse(fallback_s) < 0)
		return cli_usage_error(usage, "unknown fallback '%s' (expected strict, "
				       "previous or nearest)", fallback_s);
	if (years_s) {
		struct report_trend_params tp = {0};
		struct report_trend *t = NULL;
		if (cli_years(years_s, &tp.from, &tp.to))
			return cli_usage_error(usage, "--years '%s' is not FROM-TO (e.g. "
					       "2019-2024, at most 61 years)", years_s);
		if (year_s || run_s || csv || lines_s)
			return cli_usage_error(usage, "--years goes without --year, --run, "
					       "--csv and --xlsx-lines");
		tp.fallback_previous = calc_fallback_parse(fallback_s);
		tp.org = org;
		{
			const char *outs[2] = {json_out, xlsx};
			int k;
			for (k = 0; k < 2; k++)
				if (outs[k] && cli_check_output(c, outs[k], &outs[1 - k], 1,
								&status))
					return status;
		}
		if (cli_open(c, &l, LEDGER_SCRATCH, &status))
			return status;
		if ((org && report_check_org(l, org, &e)) || cli_trend(c, l, &tp, &t, &e)) {
			status = cli_fail(&e);
			ledger_close(l);
			return status;
		}
		date_now_iso(now);
		o.generated = now;
		status = EXIT_OK;
		if (json_out && report_trend_write_json(t, &o, json_out, &e) == 0)
			cli_note(c, "wrote %s", json_out);
		else if (json_out)
			status = cli_fail(&e);
		if (status == EXIT_OK && xlsx) {
			if (report_trend_write_xlsx(t, &o, xlsx, &e) == 0)
				cli_note(c, "wrote %s", xlsx);
			else
				status = cli_fail(&e);
		}
		if (status == EXIT_OK && (json_stdout || (!json_out && !xlsx)) &&
		    report_trend_show(t, &o, json_stdout, cli_line_stdout, c)) {
			err_setf(&e, ERR_IO, "out of memory");
			status = cli_fail(&e);
		}
		report_trend_free(t);
		ledger_close(l);
		return status;
	}
	if (year_s) {
		int64_t y;
		if (num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
		    y < 1900 || y > 2100)
			return cli_usage_error(usage, "--year '%s' is not a year "
					       "(expected 1900..2100)", year_s);
		year = (int)y;
	}
	if (lines_s) {
		int64_t n;
		if (strcmp(lines_s, "all") == 0)
			n = REPORT_XLSX_LINES_MAX;
		else if (num_parse(lines_s, strlen(lines_s), '.', 0, 0, &n) != NUM_OK || n < 0)
			return cli_usage_error(usage, "--xlsx-lines '%s' is not a number of "
					       "lines (0 or more) or 'all'", lines_s);
		/* 0 keeps the activity sheet to its header and the pointer to
		 * the CSV export; more than fit stops at the sheet's limit */
		o.xlsx_max_rows = n == 0 ? -1 : n < REPORT_XLSX_LINES_MAX ? (long)n
									: REPORT_XLSX_LINES_MAX;
	}
	if (run_s && (num_parse(run_s, strlen(run_s), '.', 0, 0, &run_id) != NUM_OK ||
		      run_id <= 0))
		return cli_usage_error(usage, "--run '%s' is not a run id", run_s);
	if (!year && !run_id)
		return cli_usage_error(usage, "report needs --year Y (or --run ID)");
	{
		/* no output may be the ledger or another output of this report */
		const char *outs[4] = {json_out, xlsx, csv, html};
		int k;
		for (k = 0; k < 4; k++) {
			const char *others[3] = {outs[(k + 1) % 4], outs[(k + 2) % 4],
						 outs[(k + 3) % 4]};
			if (outs[k] && cli_check_output(c, outs[k], others, 3, &status))
				return status;
		}
	}
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		return status;
	if (org && report_check_org(l, org, &e))
		goto fail;
	if (year && !run_id &&
	    report_check_year(l, year, strict_complete, allow_partial, &cp,
			      cli_line_stderr, c, &e))
		goto fail;
	if (!run_id && cli_calc_memory(c, l, year, &run_id, &status))
		goto out;
	if (report_build_with_previous(l, run_id, org, &m, &prev_id, why, sizeof why, &e))
		goto fail;
	if (year && report_run_info(m)->year != year) {
		err_setf(&e, ERR_USAGE, "run %lld is a run for %d, not %d",
			 (long long)run_id, report_run_info(m)->year, year);
		goto fail;
	}
	year = report_run_info(m)->year;
	if (!cp && report_check_year(l, year, strict_complete, allow_partial, &cp,
			      cli_line_stderr, c, &e))
		goto fail;
	if (!prev_id && why[0])
		cli_note(c, "no comparison with %d: %s", year - 1, why);
	if (prev_id && decomp_runs(l, prev_id, run_id, &change, &e))
		goto fail;
	o.change = change;
	o.complete = cp;
	report_completeness_apply(m, cp);
	if (run_s) { /* a run calculated just now cannot be outdated */
		int old;
		if (report_outdated_notice(l, m, NULL, cli_line_stderr, c, &old, &e))
			goto fail;
	}
	if ((json_out || xlsx || csv || html || json_stdout) && report_disclose(l, m, &e))
		goto fail;

	/* progress toward the registered targets, when there are any */
	if (report_goals_build(l, year,
			       calc_fallback_parse(report_run_info(m)->fallback) > 0
			       ? calc_fallback_parse(report_run_info(m)->fallback) : 0,
			       &goals, &e))
		goto fail;
	o.goals = goals;
	date_now_iso(now);
	o.generated = now;
	if (c->verbosity >= 0 && isatty(2))
		o.progress = progress;
	if (json_out) {
		if (report_write_json(m, &o, json_out, &e))
			goto fail;
		cli_note(c, "wrote %s", json_out);
	}
	if (xlsx) {
		long lines;
		int rc;
		o.progress_ctx = (void *)"workbook";
		rc = report_write_xlsx(l, m, &o, xlsx, &lines, &e);
		if (o.progress)
			fputs("\r\033[K", stderr);
		if (rc)
			goto fail;
		cli_note(c, "wrote %s (%ld activity line%s)", xlsx, lines,
			 lines == 1 ? "" : "s");
	}
	if (csv) {
		int rc;
		o.progress_ctx = (void *)"csv";
		rc = report_write_csv(l, m, &o, csv, &e);
		if (o.progress)
			fputs("\r\033[K", stderr);
		if (rc)
			goto fail;
		cli_note(c, "wrote %s/districts.csv, totals.csv, sectors.csv, carriers.csv, "
			 "activities.csv, energy.csv, names-carriers.csv, names-units.csv, "
			 "csv-metadata.json, metadata.json", csv);
	}
	if (html) {
		int rc;
		o.progress_ctx = (void *)"html";
		rc = report_write_html(l, m, &o, html, &e);
		if (o.progress)
			fputs("\r\033[K", stderr);
		if (rc)
			goto fail;
		cli_note(c, "wrote %s/index.html and its open data", html);
	}
	if (json_stdout) {
		char *text, sha[65];
		if (report_json_text(m, &o, &text, sha, &e))
			goto fail;
		cli_write_json_text(text);
		free(text);
	} else if (!json_out && !xlsx && !csv && !html) {
		report_balance_show(m, run_id, cli_line_stdout, c);
	}
	status = EXIT_OK;
	goto out;
fail:
	status = cli_fail(&e);
out:
	report_goals_free(goals);
	report_free(m);
	decomp_free(change);
	complete_free(cp);
	ledger_close(l);
	return status;
}
