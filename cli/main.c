/*
 * main: the co2ledger front end. Parses the global options, finds the command
 * in one table and hands over; everything else happens in the commands and
 * the modules they call.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "base/outfile.h"

struct command {
	const char *name;
	cmd_fn *fn;
	const char *summary;
};

static const struct command commands[] = {
	{"init", cmd_init, "create or migrate the database"},
	{"org", cmd_org, "import and list organisation units (org import FILE.csv | org list)"},
	{"factors", cmd_factors, "register and inspect factor sets (import, list, show, diff)"},
	{"import", cmd_import, "validate and load one energy, fleet or procurement file"},
	{"batch", cmd_batch, "list, show or remove import batches"},
	{"calc", cmd_calc, "compute a calculation run for a year"},
	{"report", cmd_report, "write the balance as JSON, XLSX and open-data CSV"},
	{"energy", cmd_energy, "final energy in kWh and kg CO2e of a unit, sector or carrier"},
	{"compare", cmd_compare, "rank the districts of a year, or explain a change"},
	{"targets", cmd_targets, "register targets and show the progress toward them (import, list, show, progress)"},
	{"status", cmd_status, "list the gaps in a year's data per district"},
	{"degreedays", cmd_degreedays, "register degree-day sets and correct heating for the weather (import, correct)"},
	{"explain", cmd_explain, "show every step from input row to kg CO2e"},
	{"verify", cmd_verify, "re-run a published JSON report and compare every number"},
	{"runs", cmd_runs, "list the stored runs (runs list) or publish one (runs publish)"},
	{"audit", cmd_audit, "check the ledger's integrity (audit check) or list its log (audit log)"},
};

static const char usage[] =
	"usage: co2ledger [--db PATH] [--json] [-q|-v] COMMAND [ARGS]\n"
	"       co2ledger --version | --help | COMMAND --help\n";

static void
print_help(void)
{
	size_t i;
	int w = 0;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if ((int)strlen(commands[i].name) > w)
			w = (int)strlen(commands[i].name);
	printf("co2ledger %s: greenhouse-gas accounting for public agencies\n\n",
	       CO2LEDGER_VERSION);
	fputs(usage, stdout);
	puts("\ncommands:");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %-*s %s\n", w, commands[i].name, commands[i].summary);
	puts("\nglobal options:\n"
	     "  --db PATH   the ledger database (default $CO2LEDGER_DB or ./co2ledger.db)\n"
	     "  --json      machine-readable output on stdout\n"
	     "  -q, -v      quieter, more verbose\n"
	     "\nexit status: 0 success, 1 data error or mismatch, 2 usage error");
}

/* Data on stdout must have arrived: a full disk, a closed pipe's error or a
 * file size limit after the last printf is still a failure (as git checks). */
static int
check_stdout(int status)
{
	int bad;

	errno = 0;
	bad = fflush(stdout) != 0;
	bad |= ferror(stdout) != 0;
	if (fclose(stdout) && !bad)
		bad = 1;
	if (!bad)
		return status;
	fprintf(stderr, "co2ledger: error: cannot write the output (%s)\n",
		outfile_reason(errno ? errno : cli_stdout_errno));
	return status ? status : EXIT_DATA;
}

static int
run(int argc, char **argv)
{
	struct cli c = {0};
	const char *env = getenv("CO2LEDGER_DB");
	size_t k;
	int i;

	c.db_path = env && *env ? env : "co2ledger.db";
	/* a fixed number of calculation threads (tests use it on small data) */
	env = getenv("CO2LEDGER_CALC_THREADS");
	if (env && *env) {
		long t = strtol(env, NULL, 10);
		c.calc_threads = t < 1 ? 1 : t > 64 ? 64 : (int)t;
	}
	/* reproducible output: the clock every timestamp comes from */
	env = getenv("SOURCE_DATE_EPOCH");
	if (env && *env) {
		int64_t t;
		if (date_parse_epoch(env, &t))
			return cli_usage_error(usage, "SOURCE_DATE_EPOCH '%s' is not a number "
					       "of seconds since 1970-01-01 (unset it or give "
					       "one, e.g. 1767225600)", env);
		date_pin_clock(t);
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		int r;
		if (strcmp(argv[i], "--version") == 0) {
			printf("co2ledger %s\n", CO2LEDGER_VERSION);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_help();
			return EXIT_OK;
		}
		r = cli_common(&c, argc, argv, &i, 1);
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[i]);
		if (r == 0)
			return cli_usage_error(usage, "unknown option '%s'", argv[i]);
	}
	if (i == argc)
		return cli_usage_error(usage, "no command given (try 'co2ledger --help')");
	for (k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].fn(&c, argc - i, argv + i);
	return cli_usage_error(usage, "unknown command '%s' (try 'co2ledger --help')",
			       argv[i]);
}

int
main(int argc, char **argv)
{
	/* Past the file size limit (ulimit -f) a write fails with EFBIG and
	 * the command says so and cleans up, instead of dying of SIGXFSZ with
	 * half a file behind. */
	signal(SIGXFSZ, SIG_IGN);
	return check_stdout(run(argc, argv));
}
