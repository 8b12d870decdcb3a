/*
 * status: `status --year Y [--jump PCT] [--threshold PCT]` lists what is
 * missing from a year's data per district (engine/complete.h): expected
 * months without data, meters, vehicles and units that went silent,
 * confirmed zeros and year-on-year jumps, with each unit's completeness.
 * Exit status 0 when the year is complete, 1 when it is not.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/date.h"
#include "base/num.h"
#include "engine/complete.h"

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

static void
pct_text(int64_t x100, char *buf, size_t n)
{
	num_format(x100, 2, 1, buf, n);
}

static int
has_streams(const struct complete *cp, const char *code)
{
	size_t j;

	for (j = 0; j < complete_stream_count(cp); j++)
		if (strcmp(complete_stream_at(cp, j)->unit, code) == 0)
			return 1;
	return 0;
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *jump_s = NULL, *thr_s = NULL;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--jump", &jump_s, NULL, 0}, {"--threshold", &thr_s, NULL, 0}, {NULL}};
	struct complete_opts o = {0};
	struct complete *cp = NULL;
	struct ledger *l = NULL;
	int status = EXIT_DATA;
	int64_t y;
	size_t i, j;
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
	if (complete_check(l, &o, &cp, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	if (c->json) {
		json_t *units = json_array(), *root;
		for (i = 0; i < complete_unit_count(cp); i++) {
			const struct complete_unit *u = complete_unit_at(cp, i);
			json_t *gaps = json_array();
			for (j = 0; j < complete_stream_count(cp); j++) {
				const struct complete_stream *s = complete_stream_at(cp, j);
				char m1[64], m2[64], m3[64], last[11] = "";
				if (strcmp(s->unit, u->code) != 0)
					continue;
				complete_months(s->expected, m1, sizeof m1);
				complete_months(s->missing, m2, sizeof m2);
				complete_months(s->zero, m3, sizeof m3);
				if (s->last_day)
					date_format(s->last_day, last);
				json_array_append_new(gaps, json_pack(
					"{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:o, s:o}",
					"org", s->org, "kind", s->kind, "activity", s->activity,
					"ident", s->ident ? json_string(s->ident) : json_null(),
					"expected_months", m1, "missing_months", m2,
					"zero_months", m3, "silent", s->silent, "counted", s->counted,
					"last_day", last[0] ? json_string(last) : json_null(),
					"jump_pct", s->has_jump ? json_real((double)s->jump_x100 / 100.0)
								: json_null()));
			}
			json_array_append_new(units, json_pack(
				"{s:s, s:s, s:I, s:I, s:f, s:o, s:b, s:o}",
				"code", u->code, "name", u->name,
				"expected_months", (json_int_t)u->expected,
				"present_months", (json_int_t)u->present,
				"complete_pct", (double)u->pct_x100 / 100.0,
				"worst_kind", u->worst_kind ? json_string(u->worst_kind) : json_null(),
				"below_threshold", u->below, "gaps", gaps));
		}
		root = json_pack("{s:i, s:s, s:b, s:s, s:o, s:I, s:i, s:o}",
				 "year", complete_year(cp),
				 "state", complete_get_state(cp) == COMPLETE_OK ? "complete"
					  : complete_get_state(cp) == COMPLETE_GAPS ? "incomplete"
					  : complete_get_state(cp) == COMPLETE_NO_DATA ? "no_data"
										      : "before_first_full_year",
				 "complete", complete_get_state(cp) == COMPLETE_OK,
				 "reason", complete_reason(cp),
				 "first_full_year", complete_first_full_year(cp)
					 ? json_integer(complete_first_full_year(cp)) : json_null(),
				 "rows", (json_int_t)complete_rows(cp),
				 "threshold_pct", complete_threshold_pct(cp), "units", units);
		cli_print_json(root);
		json_decref(root);
	} else {
		printf("data of %d: %s%s%s\n", complete_year(cp),
		       complete_get_state(cp) == COMPLETE_OK ? "complete" : "incomplete",
		       complete_reason(cp)[0] ? ": " : "", complete_reason(cp));
		for (i = 0; i < complete_unit_count(cp); i++) {
			const struct complete_unit *u = complete_unit_at(cp, i);
			char pct[24];
			if (!u->expected && !u->gaps && !has_streams(cp, u->code))
				continue;
			pct_text(u->pct_x100, pct, sizeof pct);
			cli_print_col(u->code, 14);
			putchar(' ');
			cli_print_col(u->name, 34);
			printf(" %5s %% of %ld expected months%s%s%s\n", pct, u->expected,
			       u->worst_kind ? " (lowest: " : "",
			       u->worst_kind ? u->worst_kind : "",
			       u->worst_kind ? (u->below ? "; below the threshold: no rank, no change)"
						      : ")") : "");
			for (j = 0; j < complete_stream_count(cp); j++) {
				const struct complete_stream *s = complete_stream_at(cp, j);
				char m[64], last[11] = "";
				if (strcmp(s->unit, u->code) != 0)
					continue;
				if (s->last_day)
					date_format(s->last_day, last);
				fputs("  ", stdout);
				cli_print_col(s->org, 22);
				putchar(' ');
				cli_print_col(s->activity, 26);
				putchar(' ');
				cli_print_col(s->ident ? s->ident : "-", 18);
				putchar(' ');
				if (s->silent) {
					printf("silent: no data in %d (last %s)%s\n", complete_year(cp),
					       last, s->counted ? "" : ", not counted");
					continue;
				}
				if (s->missing) {
					complete_months(s->missing, m, sizeof m);
					printf("missing %s", m);
				}
				if (s->zero) {
					complete_months(s->zero, m, sizeof m);
					printf("%sconfirmed zero %s", s->missing ? "; " : "", m);
				}
				if (s->has_jump) {
					char p[24];
					pct_text(s->jump_x100, p, sizeof p);
					printf("%s%s%s %% against %d", s->missing || s->zero ? "; " : "",
					       s->jump_x100 > 0 ? "+" : "", p, complete_year(cp) - 1);
				}
				putchar('\n');
			}
		}
	}
	status = complete_get_state(cp) == COMPLETE_OK ? EXIT_OK : EXIT_DATA;
out:
	complete_free(cp);
	ledger_close(l);
	return status;
}
