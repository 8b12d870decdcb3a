/*
 * factors: `factors import FILE.json` registers one factor-set version;
 * `factors list`, `factors show NAME[@VERSION] [--activity KEY]` and
 * `factors diff NAME@V1 NAME@V2` show what is registered, for people and
 * (with --json) for programs. The work is done by factors/; this file only
 * reads the file, prints and chooses exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "factors/factors.h"
#include "reports/report.h"

#define SYNOPSIS                                                                 \
	"usage: co2ledger factors import FILE.json\n"                             \
	"       co2ledger factors list\n"                                         \
	"       co2ledger factors show NAME[@VERSION] [--activity KEY]\n"         \
	"       co2ledger factors diff NAME@V1 NAME@V2\n"

/* Usage errors print the synopsis; --help prints all of it. */
static const char usage[] = SYNOPSIS "(see 'co2ledger factors --help')\n";

static const char help[] = SYNOPSIS
	"Register and inspect emission factor sets (format co2ledger-factors/1,\n"
	"see docs/factor-sets.md). import validates the whole file and registers\n"
	"it as NAME@VERSION with the SHA-256 of its canonical JSON; importing the\n"
	"same content again changes nothing, different content under a registered\n"
	"version is refused (publish a new version). list shows every registered\n"
	"version; show prints every factor of a version (the newest when no\n"
	"version is given), or only those of one activity key or key prefix;\n"
	"diff lists the factors added, removed and changed between two versions,\n"
	"keyed by factor id, with the relative change of each value.\n"
	"Options: --json (machine-readable output), --db PATH, -q, -v.\n";


/* ---- import ------------------------------------------------------------------- */

static int
factors_import(struct cli *c, const char *path)
{
	struct errlist *errs = errlist_new();
	struct factor_set *s = NULL;
	struct ledger *l = NULL;
	enum factor_import_result res;
	struct err e;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (factor_set_load_file(path, &s, errs, &e)) {
		cli_print_errlist(errs);
		if (errs->total)
			fprintf(stderr, "%s: error: %zu error%s; nothing was imported (fix "
				"the file and run again)\n", path, errs->total,
				errs->total == 1 ? "" : "s");
		else
			cli_fail(&e);
		goto out;
	}
	if (cli_open(c, &l, LEDGER_CREATE, &status))
		goto out;
	if (factors_register(l, s, &res, &e)) {
		char buf[ERR_TEXT_MAX];
		snprintf(buf, sizeof buf, "%s", e.text);
		err_set(&e, e.kind, path, 0, 0, "%s", buf);
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	report_factor_import_show(path, s, res == FACTORS_ADDED, c->json, cli_line_stdout, c);
out:
	factor_set_free(s);
	ledger_close(l);
	errlist_free(errs);
	return status;
}

/* ---- list --------------------------------------------------------------------- */

static int
factors_list_cmd(struct cli *c)
{
	struct ledger *l;
	struct err e;
	size_t n = 0;
	int status;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	status = EXIT_OK;
	if (report_factor_sets_list(l, c->json, cli_line_stdout, c, &n, &e))
		status = cli_fail(&e);
	else if (n == 0 && !c->json)
		cli_note(c, "no factor sets registered yet (add one with 'co2ledger "
			 "factors import FILE.json')");
	ledger_close(l);
	return status;
}

/* ---- show --------------------------------------------------------------------- */

static int
load_spec(struct ledger *l, const char *spec, struct factor_set **s)
{
	struct factor_ref ref;
	struct err e;
	char *buf;
	int rc;

	err_clear(&e);
	if (factor_ref_parse(spec, &ref, &buf, &e))
		return cli_usage_error(usage, "%s", e.text);
	rc = factors_load(l, ref.name, ref.version, s, &e);
	free(buf);
	return rc ? cli_fail(&e) : EXIT_OK;
}

static int
factors_show(struct cli *c, const char *spec, const char *want)
{
	struct factor_set *s = NULL;
	struct ledger *l;
	struct err e;
	int status;

	if (cli_open(c, &l, 0, &status))
		return status;
	if ((status = load_spec(l, spec, &s)) != EXIT_OK) {
		ledger_close(l);
		return status;
	}
	err_clear(&e);
	if (report_factor_set_show(s, want, c->json, cli_line_stdout, c, &e))
		status = cli_fail(&e);
	factor_set_free(s);
	ledger_close(l);
	return status;
}

/* ---- diff --------------------------------------------------------------------- */

/* "energy.electricity  DE  2024-01-01..2024-12-31  location per kWh  co2e 0.38" */

static int
factors_diff(struct cli *c, const char *s1, const char *s2)
{
	struct factor_set *a = NULL, *b = NULL;
	struct factor_diff *d = NULL;
	struct ledger *l;
	struct err e;
	int status;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	if ((status = load_spec(l, s1, &a)) != EXIT_OK ||
	    (status = load_spec(l, s2, &b)) != EXIT_OK)
		goto out;
	if (factor_set_diff(a, b, &d, &e))
		status = cli_fail(&e);
	else
		report_factor_diff_show(d, c->json, cli_line_stdout, c);
out:
	factor_diff_free(d);
	factor_set_free(a);
	factor_set_free(b);
	ledger_close(l);
	return status;
}

/* ---- dispatch ----------------------------------------------------------------- */

int
cmd_factors(struct cli *c, int argc, char **argv)
{
	const char *args[4] = {NULL, NULL, NULL, NULL}, *activity = NULL, *sub;
	const struct cli_option opts[] = {{"--activity", &activity, NULL, 0}, {NULL}};
	int n, status;

	if (cli_parse(c, argc, argv, opts, args, 4, &n, help, &status))
		return status;
	if (!(sub = args[0]))
		return cli_usage_error(usage, "factors needs 'import', 'list', 'show' or "
				       "'diff'");
	if (activity && strcmp(sub, "show") != 0)
		return cli_usage_error(usage, "--activity is an option of 'factors show'");
	if (strcmp(sub, "import") == 0)
		return n == 2 ? factors_import(c, args[1])
			      : cli_usage_error(usage, n > 2 ? "factors import takes one "
						"FILE.json" : "factors import needs a FILE.json");
	if (strcmp(sub, "list") == 0)
		return n == 1 ? factors_list_cmd(c)
			      : cli_usage_error(usage, "unexpected argument '%s'", args[1]);
	if (strcmp(sub, "show") == 0)
		return n == 2 ? factors_show(c, args[1], activity)
			      : cli_usage_error(usage, "factors show needs one NAME[@VERSION]");
	if (strcmp(sub, "diff") == 0)
		return n == 3 ? factors_diff(c, args[1], args[2])
			      : cli_usage_error(usage, "factors diff needs NAME@V1 NAME@V2");
	return cli_usage_error(usage, "unknown factors command '%s' (import, list, show "
			       "or diff)", sub);
}

