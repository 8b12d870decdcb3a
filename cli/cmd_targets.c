/*
 * targets: the target register (docs/targets.md).
 *   targets import FILE.json   register one target-set version (audited)
 *   targets list               the registered versions
 *   targets show NAME[@V]      the targets of a version
 *   targets progress --year Y  base, current, linear path, gap, required
 *                              annual reduction and on/off track per target
 *                              and unit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli.h"
#include "base/num.h"
#include "engine/calc.h"
#include "factors/targets.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger targets import FILE.json\n"
	"       co2ledger targets list\n"
	"       co2ledger targets show NAME[@VERSION]\n"
	"       co2ledger targets progress --year Y\n"
	"                 [--factor-fallback strict|previous|nearest] [--json]\n"
	"Register versioned target sets (format co2ledger-targets/1, see\n"
	"docs/targets.md; a registered version never changes), list and show them,\n"
	"and show the progress in year Y: per target and unit the base, the current\n"
	"value, the value of the linear path for Y, the gap in the metric's unit and\n"
	"in % of the base, the average reduction per year still needed to reach the\n"
	"next milestone, and whether the unit is on track. Years are calculated in\n"
	"memory with the default method (nothing is stored); --factor-fallback\n"
	"as for calc, e.g. nearest for base years before a set's first factor.\n";

#define MAX_FILE (1024L * 1024)

static char *
read_file(const char *path, size_t *len, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	struct stat st;
	size_t n;

	if (!fp) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open the file (does it exist?)");
		return NULL;
	}
	if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
		fclose(fp);
		err_set(e, ERR_DATA, path, 0, 0, "not a regular file of at most 1 MiB");
		return NULL;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		fclose(fp);
		err_set(e, ERR_IO, path, 0, 0, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		err_set(e, ERR_IO, path, 0, 0, "cannot read the file");
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
do_import(struct cli *c, const char *path)
{
	struct errlist *errs = errlist_new();
	struct target_set *s = NULL;
	struct ledger *l = NULL;
	enum targets_import_result res;
	struct err e;
	size_t len = 0;
	char *data;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (!(data = read_file(path, &len, &e))) {
		errlist_free(errs);
		return cli_fail(&e);
	}
	if (targets_parse(data, len, path, &s, errs, &e)) {
		if (errs->total) {
			cli_print_errlist(errs);
			fprintf(stderr, "%s: error: %zu error%s; nothing was imported (fix "
				"the file and run again)\n", path, errs->total,
				errs->total == 1 ? "" : "s");
		} else {
			cli_fail(&e);
		}
		goto out;
	}
	if (cli_open(c, &l, LEDGER_CREATE, &status))
		goto out;
	if (targets_register(l, s, &res, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	printf("%s: target set %s@%s %s (%zu target%s, sha256 %s)\n", path,
	       targets_name(s), targets_version(s),
	       res == TARGETS_ADDED ? "registered" : "already registered, unchanged",
	       targets_count(s), targets_count(s) == 1 ? "" : "s", targets_sha256(s));
out:
	free(data);
	targets_free(s);
	errlist_free(errs);
	ledger_close(l);
	return status;
}

static int
list_one(void *ctx, const char *name, const char *version, const char *published,
	 const char *sha256, long ntargets, const char *imported_at, struct err *e)
{
	(void)ctx, (void)e, (void)imported_at;
	printf("%-24s %-12s %-10s %7ld  %.16s\n", name, version, published, ntargets,
	       sha256);
	return 0;
}

/* "70 %" or "0 t" from micro-units; `unit` "t", "MWh" or "%". */
static void
amount(int64_t micro, const char *unit, char *buf, size_t n)
{
	char x[48];

	num_format(micro, 6, strcmp(unit, "%") == 0 ? 2 : 3, x, sizeof x);
	snprintf(buf, n, "%s %s", x, unit);
}

static const char *
metric_unit(enum target_metric m)
{
	return m == TARGET_MWH_FINAL ? "MWh" : m == TARGET_SHARE_CO2_FREE_VEHICLES ? "%"
									    : "t";
}

static void
show(const struct target_set *s)
{
	size_t i, k;
	char a[64];

	printf("target set %s@%s, published %s, sha256 %s\n", targets_name(s),
	       targets_version(s), targets_published(s), targets_sha256(s));
	for (i = 0; i < targets_count(s); i++) {
		const struct target *t = targets_at(s, i);
		const char *u = metric_unit(t->metric);
		printf("\n%s: %s\n", t->id, t->title);
		printf("  metric %s, lens %s, unit %s%s", target_metric_name(t->metric),
		       t->lens, t->unit, t->per_district ? " and each district" : "");
		for (k = 0; k < t->nsectors; k++)
			printf("%s%s", k ? ", " : "; sectors ", t->sectors[k]);
		putchar('\n');
		if (t->base_computed) {
			printf("  base %d: computed from the ledger\n", t->base_year);
		} else {
			amount(t->base_value, u, a, sizeof a);
			printf("  base %d: %s\n", t->base_year, a);
		}
		for (k = 0; k < t->nmilestones; k++) {
			const struct target_milestone *m = &t->milestones[k];
			if (m->has_value)
				amount(m->value, u, a, sizeof a);
			else
				amount(m->reduction_pct, "%", a, sizeof a);
			printf("  %d: %s%s\n", m->year, m->has_value ? "" : "-", a);
		}
		printf("  source: %s%s%s\n", t->citation, t->url ? " " : "", t->url ? t->url : "");
		if (t->notes)
			printf("  notes: %s\n", t->notes);
	}
}

static int
progress(struct cli *c, int year, int fallback)
{
	struct ledger *l = NULL;
	struct report_goals *g = NULL;
	struct err e;
	int status;
	size_t i, n;

	err_clear(&e);
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		return status;
	if (report_goals_build(l, year, fallback, &g, &e)) {
		status = cli_fail(&e);
		ledger_close(l);
		return status;
	}
	n = report_goals_count(g);
	if (!report_goals_nsets(g)) {
		err_setf(&e, ERR_DATA, "no target set is registered (import one: "
			 "'co2ledger targets import targets/data/berlin.json')");
		status = cli_fail(&e);
		goto out;
	}
	if (c->json) {
		json_t *a = report_goals_json_value(g);
		cli_print_json(a);
		json_decref(a);
		status = EXIT_OK;
		goto out;
	}
	printf("progress %d toward the registered targets (path: linear from the base "
	       "through the milestones%s%s)\n", year, fallback ? "; factor fallback " : "",
	       fallback ? calc_fallback_name(fallback) : "");
	for (i = 0; i < n; i++) {
		const struct report_goal *r = report_goals_at(g, i);
		const char *u = metric_unit(r->target->metric);
		char b[64], cu[64], p[64], gp[64], nx[64], rq[64], pc[32];
		if (i == 0 || r->target != report_goals_at(g, i - 1)->target)
			printf("\n%s (%s@%s): %s\n", r->target->id, r->set_name,
			       r->set_version, r->target->title);
		printf("  %-14s", r->code);
		if (r->why && !r->has_current) {
			if (r->has_base) {
				amount(r->base, u, b, sizeof b);
				printf(" base %d %s, ", r->base_year, b);
				if (r->has_path) {
					amount(r->path, u, p, sizeof p);
					printf("path %s, ", p);
				}
				printf("no current value: ");
			}
			printf("%s\n", r->why);
			continue;
		}
		amount(r->base, u, b, sizeof b);
		amount(r->current, u, cu, sizeof cu);
		amount(r->path, u, p, sizeof p);
		amount(r->gap, u, gp, sizeof gp);
		num_format(r->gap_pct_x100, 2, 2, pc, sizeof pc);
		amount(r->next_value, u, nx, sizeof nx);
		printf(" base %d %s, current %s, path %s, gap %s (%s %% of base), %s\n",
		       r->base_year, b, cu, p, gp, pc, r->on_track ? "on track" : "off track");
		if (r->has_required) {
			amount(r->required, u, rq, sizeof rq);
			num_format(r->required_pct_x100, 2, 2, pc, sizeof pc);
			printf("  %-14s to reach %s by %d: reduce by %s a year (%s %% of now)\n",
			       "", nx, r->next_year, rq, pc);
		}
	}
	status = EXIT_OK;
out:
	report_goals_free(g);
	ledger_close(l);
	return status;
}

int
cmd_targets(struct cli *c, int argc, char **argv)
{
	const char *args[4];
	const char *year_s = NULL, *fallback_s = NULL;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--factor-fallback", &fallback_s, NULL, 0}, {NULL}};
	int nargs = 0, status;

	if (cli_parse(c, argc, argv, opts, args, 4, &nargs, usage, &status))
		return status;
	if (!nargs)
		return cli_usage_error(usage, "targets needs import, list, show or progress");
	if (strcmp(args[0], "import") == 0) {
		if (nargs != 2)
			return cli_usage_error(usage, "targets import takes one FILE.json");
		return do_import(c, args[1]);
	}
	if (strcmp(args[0], "list") == 0 || strcmp(args[0], "show") == 0) {
		struct ledger *l = NULL;
		struct err e;
		err_clear(&e);
		if (args[0][0] == 'l' ? nargs != 1 : nargs != 2)
			return cli_usage_error(usage, args[0][0] == 'l'
					       ? "targets list takes no argument"
					       : "targets show takes NAME[@VERSION]");
		if (cli_open(c, &l, LEDGER_READONLY, &status))
			return status;
		if (args[0][0] == 'l') {
			printf("%-24s %-12s %-10s %7s  %s\n", "name", "version", "published",
			       "targets", "sha256");
			status = targets_list(l, list_one, NULL, &e) ? cli_fail(&e) : EXIT_OK;
		} else {
			char name[128];
			const char *at = strchr(args[1], '@');
			struct target_set *s = NULL;
			snprintf(name, sizeof name, "%.*s",
				 (int)(at ? (size_t)(at - args[1]) : strlen(args[1])), args[1]);
			if (targets_load(l, name, at ? at + 1 : NULL, &s, &e)) {
				status = cli_fail(&e);
			} else {
				show(s);
				status = EXIT_OK;
			}
			targets_free(s);
		}
		ledger_close(l);
		return status;
	}
	if (strcmp(args[0], "progress") == 0) {
		int64_t y;
		if (nargs != 1)
			return cli_usage_error(usage, "targets progress takes --year Y");
		if (!year_s || num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
		    y < 1900 || y > 2100)
			return cli_usage_error(usage, "targets progress needs --year Y "
					       "(1900..2100)");
		if (calc_fallback_parse(fallback_s) < 0)
			return cli_usage_error(usage, "unknown fallback '%s' (expected "
					       "strict, previous or nearest)", fallback_s);
		return progress(c, (int)y, calc_fallback_parse(fallback_s));
	}
	return cli_usage_error(usage, "unknown targets command '%s' (expected import, "
			       "list, show or progress)", args[0]);
}
