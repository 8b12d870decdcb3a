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

#include "cli/cli.h"
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
	struct ledger *l = NULL;
	struct err e;

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
	if (!run_id && cli_calc_memory(c, l, year, &run_id, &status))
		goto out;
	status = report_energy_show(l, run_id, year, org, sector, carrier, c->json,
				    cli_line_stdout, c, &e) ? cli_fail(&e) : EXIT_OK;
out:
	ledger_close(l);
	return status;
}
