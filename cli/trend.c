/*
 * trend: what `report --years` and `compare --years` share: reading
 * "FROM-TO", building the trend (reports/) with the years that cannot be
 * calculated printed, and the table on the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/num.h"
#include "reports/report.h"

int
cli_years(const char *s, int *from, int *to)
{
	const char *dash = strchr(s, '-');
	int64_t a, b;

	if (!dash || num_parse(s, (size_t)(dash - s), '.', 0, 0, &a) != NUM_OK ||
	    num_parse(dash + 1, strlen(dash + 1), '.', 0, 0, &b) != NUM_OK ||
	    a < 1900 || b > 2100 || a > b || b - a > 60)
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

int
cli_trend(struct cli *c, struct ledger *l, const struct report_trend_params *p,
	  struct report_trend **out, struct err *e)
{
	struct errlist *missing = errlist_new();
	int rc;

	if (!missing)
		return err_setf(e, ERR_IO, "out of memory");
	rc = report_trend_build(l, p, out, missing, e);
	if (rc)
		cli_print_errlist(missing);
	else
		cli_note(c, "calculated %d to %d in memory with one method (not stored)",
			 p->from, p->to);
	errlist_free(missing);
	return rc;
}

void
cli_trend_print(const struct report_trend *t)
{
	size_t n = report_trend_count(t), i, k;
	const struct report_model *last = report_trend_at(t, n - 1)->model;
	size_t nu = report_unit_count(last);
	char a[40];

	printf("t CO2e location-based, %s, GWP %s, fallback %s\n",
	       report_factor_spec(last), report_run_info(last)->gwp,
	       report_run_info(last)->fallback);
	printf("%-14s", "code");
	for (k = 0; k < n; k++)
		printf(" %10d", report_trend_at(t, k)->year);
	printf(" %9s\n", "change %");
	for (i = 0; i <= nu; i++) {
		const char *code = i < nu ? report_unit_at(last, i)->code : NULL;
		int64_t first = 0, lastv = 0;
		int has_first = 0, has_last = 0;
		cli_print_col(code ? code : "total", 14);
		for (k = 0; k < n; k++) {
			const struct report_trend_year *y = report_trend_at(t, k);
			const struct report_figures *f = NULL;
			size_t j;
			if (!code)
				f = report_totals(y->model);
			else
				for (j = 0; j < report_unit_count(y->model); j++)
					if (strcmp(report_unit_at(y->model, j)->code, code) == 0)
						f = &report_unit_at(y->model, j)->f;
			if (!f || !y->rows_used) {
				printf(" %10s", "-");
				continue;
			}
			report_tonnes(report_total_location(f), a, sizeof a);
			printf(" %10s", a);
			if (!has_first) {
				first = report_total_location(f);
				has_first = 1;
			}
			lastv = report_total_location(f);
			has_last = 1;
		}
		if (has_first && has_last && first) {
			int64_t x;
			report_pct_x100(lastv - first, first, &x);
			num_format(x, 2, 1, a, sizeof a);
			printf(" %9s\n", a);
		} else {
			printf(" %9s\n", "-");
		}
	}
}
