/*
 * energy: `energy --year Y [--run ID] [--org CODE] [--sector S] [--carrier C]`
 * answers "how much energy, and how many kg" for a unit and everything
 * below it (a site, a district, the state), one carrier or sector or all:
 * final energy in kWh and MWh on the net calorific basis with the
 * location- and market-based emissions of the same rows, then one line per
 * unit, sector and carrier. Without --run a run with the default parameters
 * is calculated in memory first, as `report` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "engine/calc.h"
#include "base/num.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger energy --year Y [--run ID] [--org CODE] [--sector S]\n"
	"                        [--carrier C] [--json]\n"
	"Final energy (kWh and MWh, net calorific basis Hi) and the emissions of the\n"
	"same activity rows (kg CO2e, location- and market-based) for a unit and all\n"
	"units below it: a site (--org SPANDAU-RH), a district (--org SPANDAU) or\n"
	"everything (no --org); optionally one sector (buildings.electricity,\n"
	"buildings.heat, fleet, procurement) or carrier (electricity, natural_gas,\n"
	"diesel, ...). Without --run a run with the default parameters is\n"
	"calculated in memory first (nothing is stored).\n"
	"Electricity and heat count as billed, gas in kWh Hs is converted to Hi and\n"
	"fuels in litres or m3 to kWh with the factor set's conversions;\n"
	"distance- and spend-based rows have no final energy.\n"
	"Primary energy (non-renewable part) is final energy times the carrier's\n"
	"factor of GEG Anlage 4 (electricity 1.8, gas, oil, LPG, biogas 1.1,\n"
	"wood 0.2); district heat and vehicle fuels have none by default.\n"
	"See docs/methodology.md (Final energy, Primary energy).\n";

/* "1,234,567.891" from micro-units with 3 decimals. */
static void
grouped(int64_t micro, int shift, char *out, size_t n)
{
	char raw[48];
	const char *p = raw, *dot;
	size_t o = 0, digits, i;

	num_format(micro, shift, 3, raw, sizeof raw);
	if (*p == '-' && o + 1 < n)
		out[o++] = *p++;
	dot = strchr(p, '.');
	digits = dot ? (size_t)(dot - p) : strlen(p);
	for (i = 0; p[i] && o + 2 < n; i++) {
		if (i < digits && i > 0 && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	out[o] = '\0';
}

static const char *
energy_text(const struct report_model *m, const char *sector,
	    const char *carrier, const struct report_energy *x, char *buf,
	    size_t n)
{
	const char *none = report_energy_none(sector, carrier);

	if (!report_energy_known(m))
		return "unknown (run stored before energy)";
	if (x->energy_rows == 0 && x->rows > 0)
		return none ? none : "no conversion to kWh";
	grouped(x->ukwh, 6, buf, n);
	return buf;
}

static json_t *
energy_json(const struct report_model *m, const struct report_energy *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "final_energy_kwh",
			    report_energy_known(m) && x->energy_rows
				    ? json_real((double)num_round_shift(x->ukwh, 3) / 1000.0)
				    : json_null());
	json_object_set_new(o, "primary_energy_kwh",
			    report_energy_known(m) && x->primary_rows
				    ? json_real((double)num_round_shift(x->primary_ukwh, 3) / 1000.0)
				    : json_null());
	json_object_set_new(o, "location_kg", report_json_kg(x->location_mg));
	json_object_set_new(o, "market_kg", report_json_kg(x->market_mg));
	json_object_set_new(o, "rows", json_integer(x->rows));
	json_object_set_new(o, "rows_with_energy", json_integer(x->energy_rows));
	return o;
}

int
cmd_energy(struct cli *c, int argc, char **argv)
{
	const char *year_s = NULL, *run_s = NULL, *org = NULL, *sector = NULL,
		   *carrier = NULL;
	const struct cli_option opts[] = {{"--year", &year_s, NULL, 0},
		{"--run", &run_s, NULL, 0}, {"--org", &org, NULL, 0},
		{"--sector", &sector, NULL, 0}, {"--carrier", &carrier, NULL, 0}, {NULL}};
	int status = EXIT_DATA, i, year = 0;
	int64_t run_id = 0;
	struct report_model *m = NULL;
	struct ledger *l = NULL;
	struct report_energy sum;
	struct err e;
	size_t k, n, shown = 0;

	err_clear(&e);
	if (cli_parse(c, argc, argv, opts, NULL, 0, NULL, usage, &status))
		return status;
	if (year_s) {
		int64_t y;
		if (num_parse(year_s, strlen(year_s), '.', 0, 0, &y) != NUM_OK ||
		    y < 1900 || y > 2100)
			return cli_usage_error(usage, "--year '%s' is not a year "
					       "(expected 1900..2100)", year_s);
		year = (int)y;
	}
	if (run_s && (num_parse(run_s, strlen(run_s), '.', 0, 0, &run_id) != NUM_OK ||
		      run_id <= 0))
		return cli_usage_error(usage, "--run '%s' is not a run id", run_s);
	if (!year && !run_id)
		return cli_usage_error(usage, "energy needs --year Y (or --run ID)");
	if (sector) {
		int ok = 0;
		for (i = 0; i < REPORT_NSECTORS; i++)
			ok |= strcmp(sector, report_sector_key(i)) == 0;
		if (!ok)
			return cli_usage_error(usage, "unknown sector '%s' (expected "
					       "buildings.electricity, buildings.heat, "
					       "fleet or procurement)", sector);
	}
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		return status;
	if (!run_id) {
		struct calc_params p = {.year = year};
		struct calc_summary s;
		struct errlist *errs = errlist_new();
		int rc = errs ? calc_run(l, &p, &s, errs, &e)
			      : err_setf(&e, ERR_IO, "out of memory");
		if (rc) {
			if (errs)
				cli_print_errlist(errs);
			errlist_free(errs);
			status = cli_fail(&e);
			goto out;
		}
		errlist_free(errs);
		run_id = s.run_id;
		cli_note(c, "calculated run %lld for %d in memory (not stored: "
			 "'co2ledger calc' stores runs)", (long long)run_id, year);
	}
	if (report_build(l, run_id, 0, NULL, &m, &e))
		goto fail;
	if (year && report_run_info(m)->year != year) {
		err_setf(&e, ERR_USAGE, "run %lld is a run for %d, not %d",
			 (long long)run_id, report_run_info(m)->year, year);
		goto fail;
	}
	year = report_run_info(m)->year;
	if (report_energy_sum(m, org, sector, carrier, &sum, &e))
		goto fail;
	if (carrier) {
		for (k = 0; k < report_ncarriers(m); k++)
			if (strcmp(report_carrier_key(m, k), carrier) == 0)
				break;
		if (k == report_ncarriers(m)) {
			char list[512] = "";
			size_t w = 0;
			for (k = 0; k < report_ncarriers(m) && w < sizeof list; k++) {
				int r = snprintf(list + w, sizeof list - w, "%s%s", k ? ", " : "",
						 report_carrier_key(m, k));
				w += r > 0 ? (size_t)r : 0;
			}
			err_setf(&e, ERR_USAGE, "no carrier '%s' in run %lld (it has: %s)",
				 carrier, (long long)run_id, list);
			goto fail;
		}
	}
	n = report_energy_cell_count(m);
	if (c->json) {
		json_t *o = energy_json(m, &sum), *cells = json_array();
		json_object_set_new(o, "year", json_integer(year));
		json_object_set_new(o, "run", json_integer(run_id));
		json_object_set_new(o, "org", org ? json_string(org) : json_null());
		json_object_set_new(o, "sector", sector ? json_string(sector) : json_null());
		json_object_set_new(o, "carrier", carrier ? json_string(carrier) : json_null());
		json_object_set_new(o, "basis", json_string("final energy, net calorific value (Hi)"));
		for (k = 0; k < n; k++) {
			const struct report_energy_cell *x = report_energy_cell_at(m, k);
				json_t *j;
			if ((sector && strcmp(sector, x->sector)) ||
			    (carrier && strcmp(carrier, x->carrier)))
				continue;
			if (org && !report_energy_cell_under(m, x, org))
				continue;
			j = energy_json(m, &x->e);
			json_object_set_new(j, "code", json_string(x->code));
			json_object_set_new(j, "name", json_string(x->name));
			json_object_set_new(j, "sector", json_string(x->sector));
			json_object_set_new(j, "carrier", json_string(x->carrier));
			json_array_append_new(cells, j);
		}
		json_object_set_new(o, "units", cells);
		cli_print_json(o);
		json_decref(o);
		status = EXIT_OK;
		goto out;
	}
	{
		char kwh[48], mwh[48], a[48], b[48];
		const char *t = energy_text(m, sector, carrier, &sum, kwh, sizeof kwh);
		printf("final energy %d, run %lld (net calorific basis Hi; %s)\n", year,
		       (long long)run_id, report_factor_spec(m));
		printf("  unit         %s%s\n", org ? org : "all units",
		       org ? " and the units below it" : "");
		printf("  sector       %s\n", sector ? sector : "all");
		printf("  carrier      %s\n", carrier ? carrier : "all");
		if (t == kwh) {
			grouped(sum.ukwh, 9, mwh, sizeof mwh);
			printf("  energy       %s kWh (%s MWh)\n", kwh, mwh);
		} else {
			printf("  energy       %s\n", t);
		}
		grouped(sum.location_mg, 6, a, sizeof a);
		grouped(sum.market_mg, 6, b, sizeof b);
		printf("  emissions    %s kg CO2e location-based, %s kg market-based\n", a, b);
		if (report_energy_known(m) && sum.primary_rows) {
			grouped(sum.primary_ukwh, 6, a, sizeof a);
			printf("  primary      %s kWh (non-renewable, GEG Anlage 4; rows with a factor: %ld)\n",
			       a, sum.primary_rows);
		} else {
			printf("  primary      none (no carrier with a primary-energy factor)\n");
		}
		printf("  rows         %ld, %ld with final energy\n", sum.rows, sum.energy_rows);
	}
	for (k = 0; k < n; k++) {
		const struct report_energy_cell *x = report_energy_cell_at(m, k);
		char kwh[48], a[48], pe[48];
		const char *t;
		if ((sector && strcmp(sector, x->sector)) ||
		    (carrier && strcmp(carrier, x->carrier)))
			continue;
		if (org && !report_energy_cell_under(m, x, org))
			continue;
		if (!shown++)
			printf("\n%-16s %-22s %-20s %22s %20s %18s\n", "unit", "sector",
			       "carrier", "kWh", "kg CO2e loc", "kWh primary");
		t = energy_text(m, x->sector, x->carrier, &x->e, kwh, sizeof kwh);
		grouped(x->e.location_mg, 6, a, sizeof a);
		if (report_energy_known(m) && x->e.primary_rows)
			grouped(x->e.primary_ukwh, 6, pe, sizeof pe);
		else
			snprintf(pe, sizeof pe, "-");
		cli_print_col(x->code, 16);
		printf(" %-22s %-20s %22s %20s %18s\n", x->sector, x->carrier, t, a, pe);
	}
	status = EXIT_OK;
	goto out;
fail:
	status = cli_fail(&e);
out:
	report_free(m);
	ledger_close(l);
	return status;
}
