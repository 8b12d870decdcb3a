/*
 * calc: `calc --year Y [...]` computes and stores a calculation run (SPEC
 * §6, engine/calc.h) and prints its id, row counts and totals; every row
 * that cannot be calculated is reported and nothing is stored.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/calc.h"
#include "base/num.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger calc --year Y [--factors NAME@V[,NAME@V...]]\n"
	"                     [--gwp AR4|AR5|AR6] [--factor-fallback strict|previous|nearest]\n"
	"                     [--region CODE] [--lens ghg-protocol|bisko] [--json]\n"
	"Compute a calculation run over the active batches: every activity row of\n"
	"year Y with the factor sets in priority order (default: every registered\n"
	"set, newest version of each), the GWP set (default AR5) and region\n"
	"(default DE-BE). With the strict fallback (default) a row without a\n"
	"covering factor fails the run; 'previous' uses the latest earlier factor\n"
	"and marks the row extrapolated; 'nearest' also takes the earliest later\n"
	"factor for days before every factor (extrapolated too). The lens\n"
	"(default ghg-protocol) is stored on the run: bisko values every part with\n"
	"its location (national mix) factor, ignores tariffs and supplier factors,\n"
	"counts the upstream inside the total and leaves procurement outside the\n"
	"balance. Prints the run id and its totals.\n";

int
cmd_calc(struct cli *c, int argc, char **argv)
{
	struct calc_params p;
	struct calc_summary s;
	struct ledger *l;
	struct errlist *errs;
	struct err e;
	const char *year = NULL, *factors = NULL, *fallback = NULL, *lens = NULL;
	const struct cli_option opts[] = {{"--year", &year, NULL, 0},
		{"--factors", &factors, NULL, 0}, {"--gwp", &p.gwp, NULL, 0},
		{"--factor-fallback", &fallback, NULL, 0}, {"--region", &p.region, NULL, 0},
		{"--lens", &lens, NULL, 0}, {NULL}};
	struct factor_ref *refs = NULL;
	char *end;
	long y;
	int r, status;

	memset(&p, 0, sizeof p);
	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (!year)
		return cli_usage_error(usage, "--year is required");
	y = strtol(year, &end, 10);
	if (*end || end == year || y < 1900 || y > 2999)
		return cli_usage_error(usage, "invalid year '%s' (expected 1900 to 2999)",
				       year);
	p.year = (int)y;
	if (p.gwp && strcmp(p.gwp, "AR4") && strcmp(p.gwp, "AR5") && strcmp(p.gwp, "AR6"))
		return cli_usage_error(usage, "unknown GWP set '%s' (expected AR4, AR5 or "
				       "AR6)", p.gwp);
	if (fallback && calc_fallback_parse(fallback) < 0)
		return cli_usage_error(usage, "unknown fallback '%s' (expected strict, "
				       "previous or nearest)", fallback);
	p.fallback_previous = fallback ? calc_fallback_parse(fallback) : 0;
	if (lens && calc_lens_parse(lens, &p.lens, &e))
		return cli_usage_error(usage, "%s", e.text);
	if (p.region && !*p.region)
		return cli_usage_error(usage, "empty region");
	err_clear(&e);
	if (factors && *factors && factor_refs_parse(factors, &refs, &p.nfactors, &e))
		return cli_fail(&e);
	p.factors = refs;
	if (!(errs = errlist_new()) || cli_open(c, &l, 0, &status)) {
		errlist_free(errs);
		free(refs);
		return errs ? status : EXIT_DATA;
	}
	if (c->verbosity >= 0 && isatty(2))
		p.progress = cli_calc_progress;
	p.threads = c->calc_threads;
	r = calc_run(l, &p, &s, errs, &e);
	if (p.progress)
		fputs("\r\033[K", stderr);
	if (r) {
		cli_print_errlist(errs);
		status = cli_fail(&e);
	} else {
		status = EXIT_OK;
		report_calc_summary_show(&s, &p, c->json, cli_line_stdout, c);
	}
	ledger_close(l);
	errlist_free(errs);
	free(refs);
	return status;
}
