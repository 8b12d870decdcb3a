/*
 * energy: what `energy` shows (report.h, report_energy_show): the final
 * energy and emissions of a run for a unit and the units below it, one
 * sector or carrier or all, then one line per unit, sector and carrier; as
 * text or JSON lines for the caller.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "base/strbuf.h"
#include "reports/report_int.h"

#define emitf report_emitf

/* "1,234,567.891" from micro-units with 3 decimals. */
static void
grouped(int64_t micro, int shift, char *out, size_t n)
{
	char raw[48];

	num_format(micro, shift, 3, raw, sizeof raw);
	report_localise(REPORT_EN, raw, out, n);
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

/* The carrier is one of the run's, else a usage error naming them. */
static int
check_carrier(const struct report_model *m, int64_t run_id, const char *carrier,
	      struct err *e)
{
	struct strbuf list = STRBUF_INIT;
	size_t k;
	int rc;

	for (k = 0; k < report_ncarriers(m); k++)
		if (strcmp(report_carrier_key(m, k), carrier) == 0)
			return 0;
	for (k = 0; k < report_ncarriers(m); k++)
		strbuf_addf(&list, "%s%s", k ? ", " : "", report_carrier_key(m, k));
	rc = err_setf(e, ERR_USAGE, "no carrier '%s' in run %lld (it has: %s)", carrier,
		      (long long)run_id, list.buf && !list.failed ? list.buf : "");
	strbuf_release(&list);
	return rc;
}

static int
cell_shown(const struct report_model *m, const struct report_energy_cell *x,
	   const char *org, const char *sector, const char *carrier)
{
	if ((sector && strcmp(sector, x->sector)) || (carrier && strcmp(carrier, x->carrier)))
		return 0;
	return !org || report_energy_cell_under(m, x, org);
}

static void
show_json(struct report_emit *em, const struct report_model *m, int64_t run_id,
	  const char *org, const char *sector, const char *carrier,
	  const struct report_energy *sum)
{
	json_t *o = energy_json(m, sum), *cells = json_array();
	size_t k, n = report_energy_cell_count(m);

	json_object_set_new(o, "year", json_integer(report_run_info(m)->year));
	json_object_set_new(o, "run", json_integer(run_id));
	json_object_set_new(o, "org", org ? json_string(org) : json_null());
	json_object_set_new(o, "sector", sector ? json_string(sector) : json_null());
	json_object_set_new(o, "carrier", carrier ? json_string(carrier) : json_null());
	json_object_set_new(o, "basis", json_string("final energy, net calorific value (Hi)"));
	for (k = 0; k < n; k++) {
		const struct report_energy_cell *x = report_energy_cell_at(m, k);
		json_t *j;
		if (!cell_shown(m, x, org, sector, carrier))
			continue;
		j = energy_json(m, &x->e);
		json_object_set_new(j, "code", json_string(x->code));
		json_object_set_new(j, "name", json_string(x->name));
		json_object_set_new(j, "sector", json_string(x->sector));
		json_object_set_new(j, "carrier", json_string(x->carrier));
		json_array_append_new(cells, j);
	}
	json_object_set_new(o, "units", cells);
	report_emit_json(em, o, JSON_INDENT(2));
	emitf(em, "\n");
	json_decref(o);
}

static void
show_text(struct report_emit *em, const struct report_model *m, int64_t run_id,
	  const char *org, const char *sector, const char *carrier,
	  const struct report_energy *sum)
{
	char kwh[48], mwh[48], a[48], b[48];
	const char *t = energy_text(m, sector, carrier, sum, kwh, sizeof kwh);
	size_t k, n = report_energy_cell_count(m), shown = 0;

	emitf(em, "final energy %d, run %lld (net calorific basis Hi; %s)\n",
	      report_run_info(m)->year, (long long)run_id, report_factor_spec(m));
	emitf(em, "  unit         %s%s\n", org ? org : "all units",
	      org ? " and the units below it" : "");
	emitf(em, "  sector       %s\n", sector ? sector : "all");
	emitf(em, "  carrier      %s\n", carrier ? carrier : "all");
	if (t == kwh) {
		grouped(sum->ukwh, 9, mwh, sizeof mwh);
		emitf(em, "  energy       %s kWh (%s MWh)\n", kwh, mwh);
	} else {
		emitf(em, "  energy       %s\n", t);
	}
	grouped(sum->location_mg, 6, a, sizeof a);
	grouped(sum->market_mg, 6, b, sizeof b);
	emitf(em, "  emissions    %s kg CO2e location-based, %s kg market-based\n", a, b);
	if (report_energy_known(m) && sum->primary_rows) {
		grouped(sum->primary_ukwh, 6, a, sizeof a);
		emitf(em, "  primary      %s kWh (non-renewable, GEG Anlage 4; rows with a "
		      "factor: %ld)\n", a, sum->primary_rows);
	} else {
		emitf(em, "  primary      none (no carrier with a primary-energy factor)\n");
	}
	emitf(em, "  rows         %ld, %ld with final energy\n", sum->rows, sum->energy_rows);
	for (k = 0; k < n; k++) {
		const struct report_energy_cell *x = report_energy_cell_at(m, k);
		if (!cell_shown(m, x, org, sector, carrier))
			continue;
		if (!shown++)
			emitf(em, "\n%-16s %-22s %-20s %22s %20s %18s\n", "unit", "sector",
			      "carrier", "kWh", "kg CO2e loc", "kWh primary");
		t = energy_text(m, x->sector, x->carrier, &x->e, kwh, sizeof kwh);
		grouped(x->e.location_mg, 6, a, sizeof a);
		if (report_energy_known(m) && x->e.primary_rows)
			grouped(x->e.primary_ukwh, 6, b, sizeof b);
		else
			snprintf(b, sizeof b, "-");
		report_emit_col(em, x->code, 16);
		emitf(em, " %-22s %-20s %22s %20s %18s\n", x->sector, x->carrier, t, a, b);
	}
}

int
report_energy_show(struct ledger *l, int64_t run_id, int year, const char *org,
		   const char *sector, const char *carrier, int json,
		   report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct report_model *m = NULL;
	struct report_energy sum;
	int rc = -1;

	if (report_build(l, run_id, 0, NULL, &m, e))
		return -1;
	if (year && report_run_info(m)->year != year) {
		err_setf(e, ERR_USAGE, "run %lld is a run for %d, not %d",
			 (long long)run_id, report_run_info(m)->year, year);
		goto out;
	}
	if (report_energy_sum(m, org, sector, carrier, &sum, e) ||
	    (carrier && check_carrier(m, run_id, carrier, e)))
		goto out;
	if (json)
		show_json(&em, m, run_id, org, sector, carrier, &sum);
	else
		show_text(&em, m, run_id, org, sector, carrier, &sum);
	report_emit_end(&em);
	rc = 0;
out:
	report_free(m);
	return rc;
}
