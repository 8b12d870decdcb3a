/*
 * import: `import energy|fleet|procurement FILE` validates one export and
 * loads it as one batch (importers/import.h), printing every error and
 * double-counting warning, and the new batch's id and counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "cli/cli.h"
#include "importers/import.h"
#include "importers/profile.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger import energy|fleet|procurement FILE [--profile P.json|NAME|auto]\n"
	"                 [--dry-run] [--skip-invalid [--rejects OUT.csv]] [--replace BATCH]\n"
	"                 [--allow-overlap] [--decimal ,|.]\n"
	"Validate FILE and load it as one batch. Columns are mapped by a profile:\n"
	"'auto' (the default) recognises canonical or German headers; NAME is a\n"
	"shipped profile (de); P.json your own (docs/import-formats.md). Every\n"
	"error is reported as FILE:LINE:COLUMN; with any error nothing is loaded,\n"
	"unless --skip-invalid, which loads the valid rows and writes the others\n"
	"with their reasons to OUT.csv (default FILE.rejects.csv). --dry-run checks\n"
	"and reports without writing. A file already loaded (the same bytes or the\n"
	"same rows) is refused unless --replace BATCH, which supersedes that batch.\n"
	"Rows that repeat or overlap rows already counted (same meter or vehicle\n"
	"and period; without a meter, the same org, activity, period and quantity)\n"
	"are errors; --allow-overlap loads them and records that on the batch.\n"
	"--decimal pins the decimal mark (',' or '.') whatever the delimiter.\n";

static void
show_progress(void *ctx, long rows)
{
	(void)ctx;
	fprintf(stderr, "\r%ld rows read...", rows);
	fflush(stderr);
}

static int
load_profile(const char *arg, struct profile **out, int *status)
{
	struct errlist *errs = errlist_new();
	struct strbuf path = STRBUF_INIT;
	struct err e;
	int rc;

	err_clear(&e);
	*out = NULL;
	if (!errs)
		return -1;
	if (!strchr(arg, '/') && !strstr(arg, ".json")) {
		if (profile_find_shipped(getenv("CO2LEDGER_DATADIR"), arg, &path, &e)) {
			*status = cli_fail(&e);
			errlist_free(errs);
			strbuf_release(&path);
			return -1;
		}
		arg = path.buf;
	}
	rc = profile_load(arg, out, errs, &e);
	strbuf_release(&path);
	if (rc) {
		cli_print_errlist(errs);
		fprintf(stderr, "co2ledger: the profile has %zu error%s; nothing was imported\n",
			errs->total, errs->total == 1 ? "" : "s");
		*status = EXIT_DATA;
	}
	errlist_free(errs);
	return rc;
}

int
cmd_import(struct cli *c, int argc, char **argv)
{
	const char *args[2] = {NULL, NULL}, *kind, *file, *prof = "auto";
	const char *replace = NULL, *decimal = NULL;
	struct import_opts o;
	const struct cli_option opts[] = {{"--profile", &prof, NULL, 0},
		{"--rejects", &o.rejects_path, NULL, 0}, {"--replace", &replace, NULL, 0},
		{"--decimal", &decimal, NULL, 0}, {"--allow-overlap", NULL, &o.allow_overlap, 0},
		{"--dry-run", NULL, &o.dry_run, 0}, {"--skip-invalid", NULL, &o.skip_invalid, 0},
		{NULL}};
	struct import_result res;
	struct profile *p = NULL;
	struct errlist *errs = NULL, *warns = NULL;
	struct ledger *l = NULL;
	struct err e;
	int k, r, status = EXIT_DATA, tty;

	memset(&o, 0, sizeof o);
	memset(&res, 0, sizeof res);
	o.datadir = getenv("CO2LEDGER_DATADIR");
	if (cli_parse(c, argc, argv, opts, args, 2, NULL, usage, &status))
		return status;
	kind = args[0];
	file = args[1];
	if (replace && cli_id(replace, &o.replace))
		return cli_usage_error(usage, "--replace needs a batch id, not '%s'", replace);
	if (decimal && strcmp(decimal, ",") && strcmp(decimal, "."))
		return cli_usage_error(usage, "--decimal is ',' or '.', not '%s'", decimal);
	o.decimal = decimal ? decimal[0] : 0;
	if (!kind)
		return cli_usage_error(usage, "import needs a kind: energy, fleet or procurement");
	if ((k = import_kind_parse(kind)) < 0)
		return cli_usage_error(usage, "unknown kind '%s' (energy, fleet or procurement)",
				       kind);
	if (!file)
		return cli_usage_error(usage, "import %s needs a FILE", kind);
	if (o.rejects_path && !o.skip_invalid)
		return cli_usage_error(usage, "--rejects goes with --skip-invalid");
	o.kind = (enum import_kind)k;
	if (o.skip_invalid && !o.dry_run) {
		/* the rejects file may be neither the ledger nor an input */
		struct strbuf def = STRBUF_INIT;
		const char *inputs[2] = {file, strcmp(prof, "auto") ? prof : NULL};
		int bad;
		strbuf_addf(&def, "%s.rejects.csv", strcmp(file, "-") ? file : "stdin");
		bad = cli_check_output(c, o.rejects_path ? o.rejects_path : strbuf_str(&def),
				       inputs, 2, &status);
		strbuf_release(&def);
		if (bad)
			return status;
	}
	if (strcmp(prof, "auto") && load_profile(prof, &p, &status))
		return status;
	o.profile = p;
	tty = isatty(2) && c->verbosity >= 0;
	if (tty)
		o.progress = show_progress;
	errs = errlist_new();
	warns = errlist_new();
	if (!errs || !warns)
		goto out;
	if (cli_open(c, &l, o.dry_run ? 0 : LEDGER_CREATE, &status))
		goto out;
	err_clear(&e);
	r = import_file(l, file, &o, &res, errs, warns, &e);
	if (tty && res.rows_total >= 16384)
		fputs("\r\033[K", stderr);
	cli_print_warnings(c, warns);
	cli_print_errlist(errs);
	if (r) {
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	report_import_show(file, kind, &o, &res, c->json, cli_line_stdout, c);
	if (res.rejects)
		cli_note(c, "%s: %ld rejected row%s written to %s", file, res.rows_rejected,
			 res.rows_rejected == 1 ? "" : "s", res.rejects);
out:
	import_result_release(&res);
	ledger_close(l);
	profile_free(p);
	errlist_free(errs);
	errlist_free(warns);
	return status;
}
