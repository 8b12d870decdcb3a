/*
 * degreedays: the degree-day register (docs/degree-days.md).
 *   degreedays import FILE.json   register one degree-day set version (audited)
 *   degreedays correct --set NAME[@V] --station ID --year Y
 *                      --space-heating KWH [--hot-water KWH]
 *                                 the weather-corrected heating energy
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli.h"
#include "base/num.h"
#include "factors/degreedays.h"

static const char usage[] =
	"usage: co2ledger degreedays import FILE.json\n"
	"       co2ledger degreedays correct --set NAME[@VERSION] --station ID\n"
	"                 --year Y --space-heating KWH [--hot-water KWH] [--json]\n"
	"Register versioned degree-day sets (format co2ledger-degreedays/1, see\n"
	"docs/degree-days.md; a registered version never changes), and correct\n"
	"heating energy for the weather of year Y (VDI 3807): space heating x\n"
	"G_ref / G_year + hot water, with G_year the sum of the station's twelve\n"
	"months of Y and G_ref its long-term reference. An indicator only: it\n"
	"changes no emission.\n";

#define MAX_FILE (8L * 1024 * 1024)

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
		err_set(e, ERR_DATA, path, 0, 0, "not a regular file of at most 8 MiB");
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
	struct dd_set *s = NULL;
	struct ledger *l = NULL;
	enum degreedays_import_result res;
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
	if (degreedays_parse(data, len, path, &s, errs, &e)) {
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
	if (degreedays_register(l, s, &res, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	printf("%s: degree-day set %s@%s %s (%zu station%s, sha256 %s)\n", path,
	       degreedays_name(s), degreedays_version(s),
	       res == DEGREEDAYS_ADDED ? "registered" : "already registered, unchanged",
	       degreedays_count(s), degreedays_count(s) == 1 ? "" : "s",
	       degreedays_sha256(s));
out:
	free(data);
	degreedays_free(s);
	errlist_free(errs);
	ledger_close(l);
	return status;
}

/* kWh with up to 6 decimals, 0 or more, into micro-kWh. */
static int
kwh_arg(const char *opt, const char *s, int64_t *out)
{
	if (num_parse(s, strlen(s), '.', 0, 6, out) != NUM_OK || *out < 0) {
		cli_usage_error(usage, "%s '%s' is not an amount of kWh (expected a "
				"number 0 or more, at most 6 decimals)", opt, s);
		return -1;
	}
	return 0;
}

static void
kwh_text(int64_t ukwh, char *buf, size_t n)
{
	num_format(ukwh, 6, 3, buf, n);
}

static int
do_correct(struct cli *c, const char *set, const char *station, const char *year_s,
	   const char *space_s, const char *hot_s)
{
	int64_t y, space = 0, hot = 0, g_year, corrected;
	const struct dd_station *st;
	struct dd_set *s = NULL;
	struct ledger *l = NULL;
	struct err e;
	char name[128];
	const char *at;
	int status;

	err_clear(&e);
	if (!set || !station || !year_s || !space_s)
		return cli_usage_error(usage, "degreedays correct needs --set, --station, "
				       "--year and --space-heating");
	if (num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK || y < 1900 ||
	    y > 2100)
		return cli_usage_error(usage, "--year '%s' is not a year (expected "
				       "1900..2100)", year_s);
	if (kwh_arg("--space-heating", space_s, &space) ||
	    (hot_s && kwh_arg("--hot-water", hot_s, &hot)))
		return EXIT_USAGE;
	at = strchr(set, '@');
	if ((at ? (size_t)(at - set) : strlen(set)) >= sizeof name)
		return cli_usage_error(usage, "--set '%s' is too long", set);
	snprintf(name, sizeof name, "%.*s", (int)(at ? (size_t)(at - set) : strlen(set)),
		 set);
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	if (degreedays_load(l, name, at ? at + 1 : NULL, &s, &e))
		goto fail;
	if (!(st = degreedays_station(s, station))) {
		err_setf(&e, ERR_DATA, "the degree-day set %s@%s has no station '%s'",
			 degreedays_name(s), degreedays_version(s), station);
		goto fail;
	}
	if (degreedays_year(st, (int)y, &g_year, &e))
		goto fail;
	if (g_year == 0 || degreedays_correct(space, hot, st->reference_kd, g_year,
					      &corrected)) {
		err_setf(&e, ERR_DATA, "station %s has 0 degree days in %d: the "
			 "correction is not defined", st->id, (int)y);
		goto fail;
	}
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "set", json_sprintf("%s@%s", degreedays_name(s),
							   degreedays_version(s)));
		json_object_set_new(o, "sha256", json_string(degreedays_sha256(s)));
		json_object_set_new(o, "method", json_string(degreedays_method(s)));
		json_object_set_new(o, "station", json_string(st->id));
		json_object_set_new(o, "year", json_integer((json_int_t)y));
		json_object_set_new(o, "g_ref_kd", json_real((double)st->reference_kd / 1e6));
		json_object_set_new(o, "g_year_kd", json_real((double)g_year / 1e6));
		json_object_set_new(o, "space_heating_kwh",
				    json_real((double)num_round_shift(space, 3) / 1000.0));
		json_object_set_new(o, "hot_water_kwh",
				    json_real((double)num_round_shift(hot, 3) / 1000.0));
		json_object_set_new(o, "corrected_kwh",
				    json_real((double)num_round_shift(corrected, 3) / 1000.0));
		cli_print_json(o);
		json_decref(o);
	} else {
		char a[48], b[48], r[48], g1[48], g2[48];
		kwh_text(space, a, sizeof a);
		kwh_text(hot, b, sizeof b);
		kwh_text(corrected, r, sizeof r);
		num_format(st->reference_kd, 6, 1, g1, sizeof g1);
		num_format(g_year, 6, 1, g2, sizeof g2);
		printf("weather-corrected heating %d, station %s (%s), %s@%s (%s)\n",
		       (int)y, st->id, st->name, degreedays_name(s), degreedays_version(s),
		       degreedays_method(s));
		printf("  degree days  %s Kd in %d, reference %s Kd (%s)\n", g2, (int)y,
		       g1, st->reference_period);
		printf("  corrected    %s kWh x %s / %s + %s kWh = %s kWh\n", a, g1, g2, b, r);
	}
	status = EXIT_OK;
	goto out;
fail:
	status = cli_fail(&e);
out:
	degreedays_free(s);
	ledger_close(l);
	return status;
}

int
cmd_degreedays(struct cli *c, int argc, char **argv)
{
	const char *args[2];
	const char *set = NULL, *station = NULL, *year_s = NULL, *space_s = NULL,
		   *hot_s = NULL;
	const struct cli_option opts[] = {{"--set", &set, NULL, 0},
		{"--station", &station, NULL, 0}, {"--year", &year_s, NULL, 0},
		{"--space-heating", &space_s, NULL, 0}, {"--hot-water", &hot_s, NULL, 0},
		{NULL}};
	int nargs = 0, status;

	if (cli_parse(c, argc, argv, opts, args, 2, &nargs, usage, &status))
		return status;
	if (!nargs)
		return cli_usage_error(usage, "degreedays needs import or correct");
	if (strcmp(args[0], "import") == 0) {
		if (nargs != 2)
			return cli_usage_error(usage, "degreedays import takes one FILE.json");
		return do_import(c, args[1]);
	}
	if (strcmp(args[0], "correct") == 0) {
		if (nargs != 1)
			return cli_usage_error(usage, "degreedays correct takes options only");
		return do_correct(c, set, station, year_s, space_s, hot_s);
	}
	return cli_usage_error(usage, "unknown degreedays command '%s' (expected "
			       "import or correct)", args[0]);
}
