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

static const char usage[] =
	"usage: co2ledger calc --year Y [--factors NAME@V[,NAME@V...]]\n"
	"                     [--gwp AR4|AR5|AR6] [--factor-fallback strict|previous|nearest]\n"
	"                     [--region CODE] [--json]\n"
	"Compute a calculation run over the active batches: every activity row of\n"
	"year Y with the factor sets in priority order (default: every registered\n"
	"set, newest version of each), the GWP set (default AR5) and region\n"
	"(default DE-BE). With the strict fallback (default) a row without a\n"
	"covering factor fails the run; 'previous' uses the latest earlier factor\n"
	"and marks the row extrapolated; 'nearest' also takes the earliest later\n"
	"factor for days before every factor (extrapolated too). Prints the run id\n"
	"and its totals.\n";

static void
print_text(const struct calc_summary *s, const struct calc_params *p)
{
	const struct calc_totals *t = &s->totals;
	char a[40];
	int64_t loc = t->scope1_mg + t->scope2_location_mg + t->scope3_mg;
	int64_t mkt = t->scope1_mg + t->scope2_market_mg + t->scope3_mg;

	printf("run %lld\n", (long long)s->run_id);
	printf("year %d, GWP %s, region %s, fallback %s\n", p->year,
	       p->gwp ? p->gwp : "AR5", p->region ? p->region : "DE-BE",
	       calc_fallback_name(p->fallback_previous));
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
	json_t *tot = cli_totals_json(&s->totals);
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

/* Progress on a terminal: "calc: 41% of 10000000 rows". */
static void
progress(void *ctx, int64_t done, int64_t total)
{
	(void)ctx;
	if (total > 0)
		fprintf(stderr, "\rcalc: %3d%% of %lld rows",
			(int)(done > total ? 100 : done * 100 / total), (long long)total);
}

int
cmd_calc(struct cli *c, int argc, char **argv)
{
	struct calc_params p;
	struct calc_summary s;
	struct ledger *l;
	struct errlist *errs;
	struct err e;
	const char *v;
	int i, r, status, have_year = 0;

	memset(&p, 0, sizeof p);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if ((r = cli_common(c, argc, argv, &i, 1)) == 1)
			continue;
		if (r < 0)
			return cli_usage_error(usage, "'%s' needs a value", argv[i]);
		if ((r = cli_opt(argc, argv, &i, "--year", &v)) == 1) {
			char *end;
			long y = strtol(v, &end, 10);
			if (*end || end == v || y < 1900 || y > 2999)
				return cli_usage_error(usage, "invalid year '%s' (expected "
						       "1900 to 2999)", v);
			p.year = (int)y;
			have_year = 1;
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--factors", &v)) == 1) {
			p.factors = v;
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--gwp", &v)) == 1) {
			if (strcmp(v, "AR4") && strcmp(v, "AR5") && strcmp(v, "AR6"))
				return cli_usage_error(usage, "unknown GWP set '%s' (expected "
						       "AR4, AR5 or AR6)", v);
			p.gwp = v;
		} else if (r == 0 &&
			   (r = cli_opt(argc, argv, &i, "--factor-fallback", &v)) == 1) {
			if ((p.fallback_previous = calc_fallback_parse(v)) < 0)
				return cli_usage_error(usage, "unknown fallback '%s' "
						       "(expected strict, previous or "
						       "nearest)", v);
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--region", &v)) == 1) {
			if (!*v)
				return cli_usage_error(usage, "empty region");
			p.region = v;
		} else if (r < 0) {
			return cli_usage_error(usage, "'%s' needs a value", argv[i]);
		} else {
			return cli_usage_error(usage, "unknown argument '%s'", argv[i]);
		}
	}
	if (!have_year)
		return cli_usage_error(usage, "--year is required");
	if (!(errs = errlist_new()))
		return EXIT_DATA;
	if (cli_open(c, &l, 0, &status)) {
		errlist_free(errs);
		return status;
	}
	err_clear(&e);
	if (c->verbosity >= 0 && isatty(2))
		p.progress = progress;
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
	return status;
}
