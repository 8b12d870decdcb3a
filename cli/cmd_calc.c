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
	"                     [--gwp AR4|AR5|AR6] [--factor-fallback strict|previous]\n"
	"                     [--region CODE] [--json]\n"
	"Compute a calculation run over the active batches: every activity row of\n"
	"year Y with the factor sets in priority order (default: every registered\n"
	"set, newest version of each), the GWP set (default AR5) and region\n"
	"(default DE-BE). With the strict fallback (default) a row without a\n"
	"covering factor fails the run; 'previous' uses the latest earlier factor\n"
	"and marks the row extrapolated. Prints the run id and its totals.\n";

static void
print_text(const struct calc_summary *s, const struct calc_params *p)
{
	const struct calc_totals *t = &s->totals;
	char a[40];
	int64_t loc = calc_total_location(t), mkt = calc_total_market(t);

	printf("run %lld\n", (long long)s->run_id);
	printf("year %d, GWP %s, region %s, fallback %s\n", p->year,
	       p->gwp ? p->gwp : "AR5", p->region ? p->region : "DE-BE",
	       p->fallback_previous ? "previous" : "strict");
	printf("rows: %ld used, %ld excluded (CPV 09), %ld extrapolated, %ld outside "
	       "the year\n", s->rows_used, s->rows_excluded, s->rows_extrapolated,
	       s->rows_outside);
	printf("overlapping rows: %ld%s\n", s->rows_overlap,
	       s->rows_overlap ? " (loaded with --allow-overlap: counted twice?)" : "");
	printf("  %-32s %18s kg\n", "scope 1", cli_kg(t->scope1_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "scope 2 location-based",
	       cli_kg(t->scope2_location_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "scope 2 market-based",
	       cli_kg(t->scope2_market_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "scope 3", cli_kg(t->scope3_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "  of which upstream (cat. 3)",
	       cli_kg(t->upstream_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "total location-based", cli_kg(loc, a, sizeof a));
	printf("  %-32s %18s kg\n", "total market-based", cli_kg(mkt, a, sizeof a));
	printf("  %-32s %18s kg\n", "biogenic CO2 (outside scopes)",
	       cli_kg(t->biogenic_co2_mg, a, sizeof a));
	printf("  %-32s %18s kg\n", "market from location factors",
	       cli_kg(t->market_fallback_mg, a, sizeof a));
	printf("inputs_sha256  %s\nresults_sha256 %s\n", s->inputs_sha256,
	       s->results_sha256);
}

static void
print_json(const struct calc_summary *s)
{
	json_t *tot = report_totals_json(&s->totals);
	json_t *o;

	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:s}", "run",
		      (json_int_t)s->run_id, "rows_used", (json_int_t)s->rows_used,
		      "rows_excluded", (json_int_t)s->rows_excluded,
		      "rows_extrapolated", (json_int_t)s->rows_extrapolated,
		      "rows_outside", (json_int_t)s->rows_outside,
		      "rows_overlap", (json_int_t)s->rows_overlap, "totals", tot,
		      "inputs_sha256", s->inputs_sha256, "results_sha256",
		      s->results_sha256);
	cli_print_json(o);
	json_decref(o);
}

int
cmd_calc(struct cli *c, int argc, char **argv)
{
	struct calc_params p;
	struct calc_summary s;
	struct ledger *l;
	struct errlist *errs;
	struct err e;
	const char *year = NULL, *factors = NULL, *fallback = NULL;
	const struct cli_option opts[] = {{"--year", &year, NULL, 0},
		{"--factors", &factors, NULL, 0}, {"--gwp", &p.gwp, NULL, 0},
		{"--factor-fallback", &fallback, NULL, 0}, {"--region", &p.region, NULL, 0},
		{NULL}};
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
	if (fallback && strcmp(fallback, "strict") && strcmp(fallback, "previous"))
		return cli_usage_error(usage, "unknown fallback '%s' (expected strict or "
				       "previous)", fallback);
	p.fallback_previous = fallback && strcmp(fallback, "previous") == 0;
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
	r = calc_run(l, &p, &s, errs, &e);
	if (p.progress)
		fputs("\r\033[K", stderr);
	if (r) {
		cli_print_errlist(errs);
		status = cli_fail(&e);
	} else {
		status = EXIT_OK;
		if (c->json)
			print_json(&s);
		else
			print_text(&s, &p);
	}
	ledger_close(l);
	errlist_free(errs);
	free(refs);
	return status;
}
