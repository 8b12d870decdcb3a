/*
 * json: the JSON report of SPEC §7, its results hash, and reading a
 * published report back for verify.
 *
 * Amounts are kilograms rounded to grams, written as JSON reals with 15
 * significant digits, which prints every value below 10^12 kg exactly as
 * its 3-decimal form; keys are sorted, so the same model gives the same
 * bytes. results_sha256 is SHA-256 over the compact, key-sorted text of
 * {"totals", "units", "quality"} (docs/report-format.md), so verify can
 * tell from the file alone whether a number in it was edited.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/num.h"
#include "reports/change.h"
#include "reports/completeness.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/outfile.h"
#include "engine/calc.h"
#include "reports/report_int.h"
#include "factors/primary.h"

void *
report_json_kg(int64_t mg)
{
	return json_real((double)num_round_shift(mg, 3) / 1000.0);
}

void *
report_totals_json(const struct calc_totals *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "scope1_kg", report_json_kg(t->scope1_mg));
	json_object_set_new(o, "scope2_location_kg", report_json_kg(t->scope2_location_mg));
	json_object_set_new(o, "scope2_market_kg", report_json_kg(t->scope2_market_mg));
	json_object_set_new(o, "scope3_kg", report_json_kg(t->scope3_mg));
	json_object_set_new(o, "upstream_kg", report_json_kg(t->upstream_mg));
	json_object_set_new(o, "biogenic_co2_kg", report_json_kg(t->biogenic_co2_mg));
	json_object_set_new(o, "market_fallback_kg", report_json_kg(t->market_fallback_mg));
	json_object_set_new(o, "total_location_kg", report_json_kg(calc_total_location(t)));
	json_object_set_new(o, "total_market_kg", report_json_kg(calc_total_market(t)));
	return o;
}

static json_t *
x100_real(int64_t v)
{
	return json_real((double)v / 100.0);
}

static json_t *
pair_obj(const struct report_pair *p)
{
	return json_pack("{s:o, s:o}", "location_kg", report_json_kg(p->location_mg),
			 "market_kg", report_json_kg(p->market_mg));
}

static json_t *
figures_obj(const struct report_model *m, const struct report_figures *f)
{
	json_t *o = json_object(), *sec = json_object(), *car = json_object();
	static const char *const PER[REPORT_NPER] = {"per_capita_kg",
		"per_employee_kg", "per_m2_kg"};
	int64_t v;
	size_t i;

	json_object_set_new(o, "scope1_kg", report_json_kg(f->scope1_mg));
	json_object_set_new(o, "scope2_location_kg", report_json_kg(f->scope2_location_mg));
	json_object_set_new(o, "scope2_market_kg", report_json_kg(f->scope2_market_mg));
	json_object_set_new(o, "scope3_kg", report_json_kg(f->scope3_mg));
	json_object_set_new(o, "total_location_kg", report_json_kg(report_total_location(f)));
	json_object_set_new(o, "total_market_kg", report_json_kg(report_total_market(f)));
	json_object_set_new(o, "biogenic_co2_kg", report_json_kg(f->biogenic_co2_mg));
	for (i = 0; i < REPORT_NSECTORS; i++)
		json_object_set_new(sec, report_sector_key((int)i), pair_obj(&f->sector[i]));
	json_object_set_new(o, "sectors", sec);
	for (i = 0; i < m->ncarriers; i++)
		if (f->carrier[i].location_mg || f->carrier[i].market_mg)
			json_object_set_new(car, m->carriers[i], pair_obj(&f->carrier[i]));
	json_object_set_new(o, "carriers", car);
	for (i = 0; i < REPORT_NPER; i++)
		json_object_set_new(o, PER[i], report_per_g(f, (enum report_per)i, &v)
					       ? json_real((double)v / 1000.0) : json_null());
	json_object_set_new(o, "previous_total_location_kg",
			    f->has_previous ? report_json_kg(f->previous_location_mg)
					    : json_null());
	json_object_set_new(o, "change_pct",
			    report_change_x100(f, &v) ? x100_real(v) : json_null());
	return o;
}

/* The statistics a unit's ratios divide by (org.h; the unit's own figure
 * or the sum over its sub-units). */
static void
stats_set(json_t *o, const struct report_figures *f)
{
	json_object_set_new(o, "population", f->has_stat[REPORT_PER_CAPITA]
		? json_integer(f->stat[REPORT_PER_CAPITA]) : json_null());
	json_object_set_new(o, "employees", f->has_stat[REPORT_PER_EMPLOYEE]
		? json_integer(f->stat[REPORT_PER_EMPLOYEE]) : json_null());
	json_object_set_new(o, "floor_area_m2", f->has_stat[REPORT_PER_M2]
		? json_real((double)f->stat[REPORT_PER_M2] / 1000.0) : json_null());
}

static json_t *
quality_obj(const struct report_figures *f)
{
	static const char *const KEY[REPORT_NQUALITY] = {"measured_pct",
		"calculated_pct", "estimated_pct"};
	int64_t total = report_total_location(f), v;
	json_t *o = json_object();
	int q;

	for (q = 0; q < REPORT_NQUALITY; q++)
		json_object_set_new(o, KEY[q], report_pct_x100(f->quality_mg[q], total, &v)
					       ? x100_real(v) : json_null());
	json_object_set_new(o, "extrapolated_pct",
			    report_pct_x100(f->extrapolated_mg, total, &v)
				    ? x100_real(v) : json_null());
	return o;
}

/* Final energy in kWh (3 decimals) of a group, null when the run has none
 * stored or no row of the group has one. */
static json_t *
kwh_or_null(const struct report_model *m, const struct report_energy *x)
{
	if (!report_energy_known(m) || x->energy_rows == 0)
		return json_null();
	return report_json_kg(x->ukwh); /* micro-kWh -> kWh, as mg -> kg */
}

/* Primary energy in kWh of a group, null when no row of it has a carrier
 * with a primary-energy factor. */
static json_t *
primary_or_null(const struct report_model *m, const struct report_energy *x)
{
	if (!report_energy_known(m) || x->primary_rows == 0)
		return json_null();
	return report_json_kg(x->primary_ukwh);
}

static json_t *
energy_figures(const struct report_model *m, const struct report_figures *f)
{
	json_t *o = json_object(), *sec = json_object(), *car = json_object(),
	       *psec = json_object();
	size_t i;

	json_object_set_new(o, "final_energy_kwh", kwh_or_null(m, &f->energy));
	json_object_set_new(o, "primary_energy_kwh", primary_or_null(m, &f->energy));
	for (i = 0; i < REPORT_NSECTORS; i++) {
		json_object_set_new(sec, report_sector_key((int)i),
				    kwh_or_null(m, &f->sector_energy[i]));
		json_object_set_new(psec, report_sector_key((int)i),
				    primary_or_null(m, &f->sector_energy[i]));
	}
	json_object_set_new(o, "sectors", sec);
	json_object_set_new(o, "primary_energy_sectors", psec);
	for (i = 0; i < m->ncarriers; i++)
		if (f->carrier_energy[i].rows)
			json_object_set_new(car, m->carriers[i],
					    kwh_or_null(m, &f->carrier_energy[i]));
	json_object_set_new(o, "carriers", car);
	return o;
}

const char REPORT_ENERGY_BASIS[] =
	"final energy in kWh on the net calorific value (Hi): electricity and "
	"heat as billed, natural gas billed in kWh Hs converted to Hi with the "
	"factor set's own ratio, fuels in litres, m3 or kg converted with the "
	"factor set's conversions; distance- and spend-based activities have no "
	"final energy (null)";

/* The primary-energy factors applied, with their citations. */
static json_t *
primary_json(void)
{
	const struct primary_set *ps = primary_set_default();
	json_t *o = json_object(), *fs = json_object();
	size_t i;

	json_object_set_new(o, "set", json_string(ps->name));
	json_object_set_new(o, "version", json_string(ps->version));
	json_object_set_new(o, "citation", json_string(ps->citation));
	json_object_set_new(o, "basis", json_string(ps->basis));
	for (i = 0; i < ps->nfactors; i++) {
		const struct primary_factor *f = &ps->factors[i];
		json_object_set_new(fs, f->carrier, json_pack(
			"{s:o, s:s, s:s}", "factor",
			json_real((double)f->factor.num / (double)f->factor.den),
			"row", f->row, "notes", f->notes));
	}
	json_object_set_new(o, "factors", fs);
	return o;
}

json_t *
report_json_energy(const struct report_model *m)
{
	json_t *o = json_object(), *units = json_array(), *sites = json_object(),
	       *carriers = json_object();
	size_t i, n = report_unit_count(m);

	json_object_set_new(o, "basis", json_string(REPORT_ENERGY_BASIS));
	json_object_set_new(o, "known", json_boolean(report_energy_known(m)));
	json_object_set_new(o, "totals", energy_figures(m, report_totals(m)));
	for (i = 0; i < m->ncarriers; i++) {
		const struct report_energy *x = &report_totals(m)->carrier_energy[i];
		const char *none = report_energy_none(NULL, m->carriers[i]);
		if (!x->rows)
			continue;
		if (!none && strncmp(m->carriers[i], "cpv.", 4) == 0)
			none = "spend-based";
		json_object_set_new(carriers, m->carriers[i],
				    json_pack("{s:o, s:o, s:I, s:I, s:o}", "final_energy_kwh",
					      kwh_or_null(m, x), "primary_energy_kwh",
					      primary_or_null(m, x), "rows", (json_int_t)x->rows,
					      "rows_with_energy", (json_int_t)x->energy_rows,
					      "no_energy", none ? json_string(none)
							       : x->energy_rows < x->rows
							       ? json_string("no conversion to kWh")
							       : json_null()));
	}
	json_object_set_new(o, "carriers", carriers);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		json_t *x = energy_figures(m, &u->f);
		json_object_set_new(x, "code", json_string(u->code));
		json_array_append_new(units, x);
	}
	json_object_set_new(o, "units", units);
	for (i = 0; i < report_energy_cell_count(m); i++) {
		const struct report_energy_cell *c = report_energy_cell_at(m, i);
		json_t *site, *secs, *sec;
		if (report_energy_none(c->sector, c->carrier))
			continue; /* distance- and spend-based: no energy, see carriers */
		if (!(site = json_object_get(sites, c->code))) {
			site = json_pack("{s:s, s:s, s:o, s:{}}", "name", c->name, "kind",
					 org_kind_name(c->kind), "reporting_unit",
					 c->report_code ? json_string(c->report_code)
							: json_null(), "sectors");
			json_object_set_new(sites, c->code, site);
		}
		secs = json_object_get(site, "sectors");
		if (!(sec = json_object_get(secs, c->sector))) {
			sec = json_object();
			json_object_set_new(secs, c->sector, sec);
		}
		json_object_set_new(sec, c->carrier, json_pack(
			"{s:o, s:o, s:o, s:o, s:I, s:I}",
			"final_energy_kwh", kwh_or_null(m, &c->e),
			"primary_energy_kwh", primary_or_null(m, &c->e),
			"location_kg", report_json_kg(c->e.location_mg),
			"market_kg", report_json_kg(c->e.market_mg),
			"rows", (json_int_t)c->e.rows,
			"rows_with_energy", (json_int_t)c->e.energy_rows));
	}
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "primary_energy", primary_json());
	return o;
}

json_t *
report_json_figures(const struct report_model *m)
{
	json_t *units = json_array();
	size_t i, n = report_unit_count(m);

	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		json_t *o = figures_obj(m, &u->f);
		json_object_set_new(o, "code", json_string(u->code));
		json_object_set_new(o, "name", json_string(u->name));
		json_object_set_new(o, "kind", json_string(org_kind_name(u->kind)));
		stats_set(o, &u->f);
		json_object_set_new(o, "rank", u->f.rank ? json_integer(u->f.rank)
							 : json_null());
		json_array_append_new(units, o);
	}
	return json_pack("{s:o, s:o, s:o}", "totals", figures_obj(m, report_totals(m)),
			 "units", units, "quality", quality_obj(report_totals(m)));
}

void
report_json_hash(const json_t *fig, char out[65])
{
	char *s = json_dumps(fig, JSON_COMPACT | REPORT_JSON_FLAGS);

	sha256_hex(s ? s : "", s ? strlen(s) : 0, out);
	free(s);
}

/* The run's [{name, version, sha256}] / [{id, kind, file, sha256, rows}],
 * keeping exactly those keys. */
static json_t *
pick(const char *text, const char *const *keys, size_t nkeys)
{
	json_t *in = json_loads(text, 0, NULL), *out = json_array(), *v;
	size_t i, k;

	json_array_foreach(in, i, v) {
		json_t *o = json_object();
		for (k = 0; k < nkeys; k++) {
			json_t *x = json_object_get(v, keys[k]);
			json_object_set(o, keys[k], x ? x : json_null());
		}
		json_array_append_new(out, o);
	}
	json_decref(in);
	return out;
}

static const char *const DISC_KIND[D_NKINDS] = {
	"market_fallback", "preliminary_factor", "district_heat_default",
	"non_german_factor", "co2_only_factor", "extrapolated_factor", "biogenic_co2"};

/* {"A_kwh", "B_kwh", "C_kwh", "D_kwh", "score_pct"} of one set of figures:
 * final energy by data-quality grade and the weighted share (null without
 * energy). */
static json_t *
grade_obj(const struct report_figures *f)
{
	static const char *const K[REPORT_NGRADES] = {"A_kwh", "B_kwh", "C_kwh", "D_kwh"};
	json_t *o = json_object();
	int64_t pct = 0;
	int g, has = report_grade_score(f->grade_ukwh, &pct);

	for (g = 0; g < REPORT_NGRADES; g++)
		json_object_set_new(o, K[g], report_json_kg(f->grade_ukwh[g]));
	json_object_set_new(o, "score_pct", has == 1 ? json_real((double)pct / 1000.0)
						     : json_null());
	return o;
}

/* The BISKO data-quality grades of a BISKO run: the weights, the total and
 * every reported unit (docs/methodology.md, "Data-quality grades"). */
static json_t *
data_quality_obj(const struct report_model *m)
{
	json_t *o = json_object(), *units = json_object();
	size_t i;

	json_object_set_new(o, "weights", json_pack("{s:f, s:f, s:f, s:f}", "A", 1.0,
						    "B", 0.5, "C", 0.25, "D", 0.0));
	json_object_set_new(o, "total", grade_obj(report_totals(m)));
	for (i = 0; i < report_unit_count(m); i++) {
		const struct report_unit *u = report_unit_at(m, i);
		json_object_set_new(units, u->code, grade_obj(&u->f));
	}
	json_object_set_new(o, "units", units);
	return o;
}

/* The reconciliation of a BISKO report: from the GHG-Protocol total
 * (market-based) line by line to the BISKO total; the lines sum exactly. */
static json_t *
reconciliation_obj(const struct report_model *m, enum report_lang lang)
{
	const struct report_recon *rc = &m->disc->recon;
	json_t *o = json_object(), *lines = json_array();
	int k;

	json_object_set_new(o, "ghg_protocol_total_market_kg", report_json_kg(rc->ghg_market_mg));
	json_object_set_new(o, "ghg_protocol_total_location_kg",
			    report_json_kg(rc->ghg_location_mg));
	for (k = 0; k < R_NLINES; k++) {
		json_t *it = json_pack("{s:s, s:s, s:o}",
			"line", report_recon_key((enum report_recon_line)k),
			"text", report_recon_label(lang, (enum report_recon_line)k),
			"amount_kg", report_json_kg(rc->line_mg[k]));
		if (k == R_UPSTREAM)
			json_object_set_new(it, "moved_kg", report_json_kg(rc->upstream_moved_mg));
		json_array_append_new(lines, it);
	}
	json_object_set_new(o, "lines", lines);
	json_object_set_new(o, "bisko_total_kg", report_json_kg(rc->bisko_mg));
	return o;
}

/* The BISKO conformity list of a BISKO run: one item per rule the data
 * violates, with the rows (counted; the first REPORT_BISKO_REFS named). */
static json_t *
conformity_arr(const struct report_model *m, enum report_lang lang)
{
	const struct report_disclosures *d = m->disc;
	json_t *a = json_array();
	size_t k, i;

	for (k = 0; k < B_NRULES; k++) {
		const struct report_bisko_conf *c = &d->conf[k];
		json_t *refs = json_array();
		if (!c->rows) {
			json_decref(refs);
			continue;
		}
		for (i = 0; i < c->nrefs; i++)
			json_array_append_new(refs, json_string(c->refs[i]));
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:o, s:o}",
			"rule", report_bisko_rule_key((enum report_bisko_rule)k),
			"text", report_bisko_rule_text(lang, (enum report_bisko_rule)k),
			"rows", (json_int_t)c->rows, "amount_kg", report_json_kg(c->mg),
			"first_rows", refs));
	}
	return a;
}

/* {"biogenic_co2": "recorded" | "not_recorded", "items": [...]}: the
 * disclosures of report_disclose(), each with its amount, share and
 * sentence in the report's language. */
static json_t *
disclosures_obj(const struct report_model *m, enum report_lang lang)
{
	const struct report_disclosures *d = m->disc;
	json_t *o = json_object(), *items = json_array();
	char text[1024];
	size_t i;

	json_object_set_new(o, "biogenic_co2",
			    json_string(d->biogenic_recorded ? "recorded" : "not_recorded"));
	for (i = 0; i < d->n; i++) {
		const struct report_disclosure *x = &d->v[i];
		json_t *it = json_object();
		int64_t pct = 0;
		int has = report_pct_x100(x->mg, report_disc_base(m, x), &pct);
		report_disc_text(lang, m, x, text, sizeof text);
		json_object_set_new(it, "kind", json_string(DISC_KIND[x->kind]));
		json_object_set_new(it, "factor_set", x->set[0] ? json_string(x->set) : json_null());
		json_object_set_new(it, "publisher", x->source[0] ? json_string(x->source) : json_null());
		json_object_set_new(it, "detail", x->detail[0] ? json_string(x->detail) : json_null());
		json_object_set_new(it, "sector", x->sector[0] ? json_string(x->sector) : json_null());
		json_object_set_new(it, "amount_kg", report_json_kg(x->mg));
		json_object_set_new(it, "share_pct", has ? json_real((double)pct / 100.0) : json_null());
		json_object_set_new(it, "share_of", json_string(x->kind == D_MARKET_FALLBACK
								? "total_market" : "total_location"));
		json_object_set_new(it, "text", json_string(text));
		json_array_append_new(items, it);
	}
	json_object_set_new(o, "items", items);
	return o;
}

static json_t *
report_obj(const struct report_model *m, const struct report_out *o,
	   char results[65])
{
	static const char *const SET_KEYS[] = {"name", "version", "sha256"};
	static const char *const BATCH_KEYS[] = {"id", "kind", "file", "sha256", "rows",
						 "rows_sha256"};
	json_t *root = report_json_figures(m), *prov;

	report_json_hash(root, results);
	prov = json_object();
	json_object_set_new(prov, "run", json_integer(m->run.id));
	json_object_set_new(prov, "gwp", json_string(m->run.gwp));
	json_object_set_new(prov, "region", json_string(m->run.region));
	json_object_set_new(prov, "fallback", json_string(m->run.fallback));
	json_object_set_new(prov, "lens", json_string(m->run.lens));
	json_object_set_new(prov, "factor_sets", pick(m->run.factor_sets, SET_KEYS, 3));
	json_object_set_new(prov, "batches", pick(m->run.batches, BATCH_KEYS, 6));
	json_object_set_new(prov, "org_sha256", json_string(m->org_sha256));
	json_object_set_new(prov, "audit", json_pack("{s:I, s:s, s:s}", "entries",
						     (json_int_t)m->audit_entries,
						     "head_sha256", m->audit_head,
						     "first_sha256", m->audit_first));
	json_object_set_new(prov, "inputs_sha256", json_string(m->run.inputs_sha256));
	json_object_set_new(prov, "results_sha256", json_string(results));
	json_object_set_new(prov, "run_results_sha256", json_string(m->run.results_sha256));
	json_object_set_new(prov, "rows_used", json_integer(m->run.rows_used));
	json_object_set_new(prov, "rows_excluded", json_integer(m->run.rows_excluded));
	json_object_set_new(prov, "rows_extrapolated", json_integer(m->run.rows_extrapolated));
	json_object_set_new(prov, "rows_overlap", json_integer(m->run.rows_overlap));
	json_object_set_new(root, "provenance", prov);
	json_object_set_new(root, "energy", report_json_energy(m));
	if (o->goals && report_goals_nsets(o->goals))
		json_object_set_new(root, "targets", report_goals_json(o->goals));
	if (o->change)
		json_object_set_new(root, "change",
				    report_change_json_org(o->change, m->org));
	if (o->complete)
		json_object_set_new(root, "completeness",
				    report_completeness_json(o->complete, m->org));
	if (m->disc)
		json_object_set_new(root, "disclosures", disclosures_obj(m, o->lang));
	if (m->disc && m->disc->bisko)
		json_object_set_new(root, "conformity", conformity_arr(m, o->lang));
	if (m->run.lens && strcmp(m->run.lens, "bisko") == 0)
		json_object_set_new(root, "data_quality", data_quality_obj(m));
	if (m->disc && m->disc->recon.has)
		json_object_set_new(root, "reconciliation", reconciliation_obj(m, o->lang));
	json_object_set_new(root, "report",
			    json_pack("{s:i, s:s, s:s, s:s, s:o}", "year", m->run.year,
				      "lang", o->lang == REPORT_EN ? "en" : "de",
				      "generated", o->generated,
				      "engine", "co2ledger " CO2LEDGER_VERSION,
				      "org", m->org ? json_string(m->org) : json_null()));
	return root;
}

int
report_json_text(const struct report_model *m, const struct report_out *o,
		 char **text, char *results_sha256, struct err *e)
{
	json_t *root = report_obj(m, o, results_sha256);
	char *s = json_dumps(root, JSON_INDENT(2) | REPORT_JSON_FLAGS), *t;
	size_t n;

	json_decref(root);
	*text = NULL;
	if (!s)
		return err_setf(e, ERR_IO, "out of memory");
	n = strlen(s);
	if (!(t = realloc(s, n + 2))) {
		free(s);
		return err_setf(e, ERR_IO, "out of memory");
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	*text = t;
	return 0;
}

int
report_write_json(const struct report_model *m, const struct report_out *o,
		  const char *path, struct err *e)
{
	struct outfile of;
	char *text, sha[65];
	size_t n;

	if (report_json_text(m, o, &text, sha, e))
		return -1;
	if (outfile_open(&of, path, e)) {
		free(text);
		return -1;
	}
	n = strlen(text);
	if (fwrite(text, 1, n, of.fp) != n) {
		int er = errno;
		outfile_abort(&of);
		free(text);
		return err_set(e, ERR_IO, path, 0, 0, "cannot write the report (%s)",
			       outfile_reason(er));
	}
	free(text);
	return outfile_commit(&of, e);
}

/* ---- reading a report back ---- */

#define REPORT_FILE_MAX (64 << 20)

struct report_file {
	json_t *root;
	struct report_file_info info;
	char *factor_spec;
	struct factor_ref *factor_refs;
};

json_t *
report_file_root(const struct report_file *rf)
{
	return rf ? rf->root : NULL;
}

void
report_file_free(struct report_file *f)
{
	if (!f)
		return;
	json_decref(f->root);
	free(f->factor_spec);
	report_refs_free(f->factor_refs, f->info.nsets);
	free(f);
}

static const char *
str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- the report's structure, checked in C (reports/schema) ---- */

enum { T_INT = 1, T_NUM = 2, T_NULL = 4, T_STR = 8, T_OBJ = 16, T_ARR = 32,
       T_SHA = 64 /* a string of 64 lower-case hex digits */, T_BOOL = 128 };

struct field {
	const char *name;
	int types;
	int required;
};

static const struct field F_ROOT[] = {
	{"report", T_OBJ, 1}, {"provenance", T_OBJ, 1}, {"totals", T_OBJ, 1},
	{"units", T_ARR, 1}, {"quality", T_OBJ, 1}, {"disclosures", T_OBJ, 0},
	{"energy", T_OBJ, 0}, {"targets", T_ARR, 0},
	{"change", T_OBJ, 0}, {"completeness", T_OBJ, 0}, {"conformity", T_ARR, 0},
	{"data_quality", T_OBJ, 0}, {"reconciliation", T_OBJ, 0},
};
static const struct field F_DISC[] = {
	{"biogenic_co2", T_STR, 1}, {"items", T_ARR, 1},
};
static const struct field F_DISC_ITEM[] = {
	{"kind", T_STR, 1}, {"factor_set", T_STR | T_NULL, 1},
	{"publisher", T_STR | T_NULL, 1}, {"detail", T_STR | T_NULL, 1},
	{"sector", T_STR | T_NULL, 1}, {"amount_kg", T_INT | T_NUM, 1},
	{"share_pct", T_INT | T_NUM | T_NULL, 1}, {"share_of", T_STR, 1},
	{"text", T_STR, 1},
};
static const struct field F_ENERGY[] = {
	{"basis", T_STR, 1}, {"known", T_BOOL, 1}, {"totals", T_OBJ, 1},
	{"carriers", T_OBJ, 1}, {"units", T_ARR, 1}, {"sites", T_OBJ, 1},
	{"primary_energy", T_OBJ, 0},
};
static const struct field F_ENERGY_FIG[] = {
	{"final_energy_kwh", T_NUM | T_NULL, 1}, {"sectors", T_OBJ, 1},
	{"carriers", T_OBJ, 1}, {"code", T_STR, 0},
	{"primary_energy_kwh", T_NUM | T_NULL, 0},
	{"primary_energy_sectors", T_OBJ, 0},
};
static const struct field F_ENERGY_CARRIER[] = {
	{"final_energy_kwh", T_NUM | T_NULL, 1}, {"rows", T_INT, 1},
	{"rows_with_energy", T_INT, 1}, {"no_energy", T_STR | T_NULL, 1},
	{"primary_energy_kwh", T_NUM | T_NULL, 0},
};
static const struct field F_REPORT[] = {
	{"year", T_INT, 1}, {"lang", T_STR, 1}, {"generated", T_STR, 1},
	{"engine", T_STR, 1}, {"org", T_STR | T_NULL, 1},
};
static const struct field F_PROV[] = {
	{"run", T_INT, 1}, {"gwp", T_STR, 1}, {"region", T_STR, 1},
	{"fallback", T_STR, 1}, {"factor_sets", T_ARR, 1}, {"batches", T_ARR, 1},
	{"inputs_sha256", T_SHA, 1}, {"results_sha256", T_SHA, 1},
	{"run_results_sha256", T_SHA, 1}, {"rows_used", T_INT, 1},
	{"rows_excluded", T_INT, 1}, {"rows_extrapolated", T_INT, 1},
	{"org_sha256", T_SHA, 0}, {"audit", T_OBJ, 0}, {"rows_overlap", T_INT, 0},
	{"lens", T_STR, 0},
};
static const struct field F_AUDIT[] = {
	{"entries", T_INT, 1}, {"head_sha256", T_SHA, 1}, {"first_sha256", T_SHA, 1},
};
static const struct field F_SET[] = {
	{"name", T_STR, 1}, {"version", T_STR, 1}, {"sha256", T_SHA, 1},
};
static const struct field F_BATCH[] = {
	{"id", T_INT, 1}, {"kind", T_STR, 1}, {"file", T_STR, 1},
	{"sha256", T_SHA, 1}, {"rows", T_INT, 1}, {"rows_sha256", T_SHA | T_NULL, 0},
};
#define FIGS \
	{"scope1_kg", T_NUM, 1}, {"scope2_location_kg", T_NUM, 1},            \
	{"scope2_market_kg", T_NUM, 1}, {"scope3_kg", T_NUM, 1},              \
	{"total_location_kg", T_NUM, 1}, {"total_market_kg", T_NUM, 1},       \
	{"biogenic_co2_kg", T_NUM, 1}, {"sectors", T_OBJ, 1},                 \
	{"carriers", T_OBJ, 1}, {"per_capita_kg", T_NUM | T_NULL, 1},         \
	{"per_employee_kg", T_NUM | T_NULL, 1}, {"per_m2_kg", T_NUM | T_NULL, 1}, \
	{"previous_total_location_kg", T_NUM | T_NULL, 1},                    \
	{"change_pct", T_NUM | T_NULL, 1}
static const struct field F_TOTALS[] = {FIGS};
static const struct field F_UNIT[] = {
	FIGS, {"code", T_STR, 1}, {"name", T_STR, 1}, {"kind", T_STR, 1},
	{"rank", T_INT | T_NULL, 1}, {"population", T_INT | T_NULL, 0},
	{"employees", T_INT | T_NULL, 0}, {"floor_area_m2", T_NUM | T_NULL, 0},
};
#undef FIGS
static const struct field F_PAIR[] = {
	{"location_kg", T_NUM, 1}, {"market_kg", T_NUM, 1},
};
static const struct field F_SECTORS[] = {
	{"buildings.electricity", T_OBJ, 1}, {"buildings.heat", T_OBJ, 1},
	{"fleet", T_OBJ, 1}, {"procurement", T_OBJ, 1},
};
static const struct field F_QUALITY[] = {
	{"measured_pct", T_NUM | T_NULL, 1}, {"calculated_pct", T_NUM | T_NULL, 1},
	{"estimated_pct", T_NUM | T_NULL, 1}, {"extrapolated_pct", T_NUM | T_NULL, 1},
};
#define NF(a) (sizeof a / sizeof a[0])

static int
is_sha(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s || strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
type_ok(const json_t *v, int t)
{
	return ((t & T_INT) && json_is_integer(v)) ||
	       ((t & T_NUM) && json_is_number(v)) || ((t & T_NULL) && json_is_null(v)) ||
	       ((t & T_STR) && json_is_string(v)) || ((t & T_OBJ) && json_is_object(v)) ||
	       ((t & T_ARR) && json_is_array(v)) || ((t & T_SHA) && is_sha(v)) ||
	       ((t & T_BOOL) && json_is_boolean(v));
}

/* Every field of o is in f[] with its type, every required one present. */
static int
shape(json_t *o, const char *where, const struct field *f, size_t n,
      const char *path, struct err *e)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		return err_set(e, ERR_DATA, path, 0, 0, "invalid report: %s is not an "
			       "object", where);
	json_object_foreach(o, key, v) {
		for (i = 0; i < n && strcmp(f[i].name, key) != 0; i++)
			;
		if (i == n)
			return err_set(e, ERR_DATA, path, 0, 0, "invalid report: %s "
				       "has a field '%.80s' the report format does not "
				       "have (docs/report-format.md)",
				       *where ? where : "the top level", key);
		if (!type_ok(v, f[i].types))
			return err_set(e, ERR_DATA, path, 0, 0, "invalid report: %s%s%s "
				       "has the wrong type%s", where, *where ? "." : "",
				       key, f[i].types & T_SHA ? " (expected 64 hex digits)" : "");
	}
	for (i = 0; i < n; i++)
		if (f[i].required && !json_object_get(o, f[i].name))
			return err_set(e, ERR_DATA, path, 0, 0, "invalid report: %s%s%s is "
				       "missing", where, *where ? "." : "", f[i].name);
	return 0;
}

#define PATH_REFUSED "(a path too long to show)"

static int
figures_shape(json_t *o, const char *where, const struct field *f, size_t n,
	      const char *path, struct err *e)
{
	struct strbuf sub = STRBUF_INIT;
	const char *key;
	json_t *v;
	int rc = -1;

	if (shape(o, where, f, n, path, e))
		goto out;
	if (shape(json_object_get(o, "sectors"), strbuf_setf(&sub, PATH_REFUSED, "%s.sectors", where),
		  F_SECTORS, NF(F_SECTORS), path, e))
		goto out;
	json_object_foreach(json_object_get(o, "sectors"), key, v)
		if (shape(v, strbuf_setf(&sub, PATH_REFUSED, "%s.sectors.%s", where, key), F_PAIR,
			  NF(F_PAIR), path, e))
			goto out;
	json_object_foreach(json_object_get(o, "carriers"), key, v)
		if (shape(v, strbuf_setf(&sub, PATH_REFUSED, "%s.carriers.%s", where, key), F_PAIR,
			  NF(F_PAIR), path, e))
			goto out;
	rc = 0;
out:
	strbuf_release(&sub);
	return rc;
}

/* The whole structure of reports/schema/report.schema.json, and what a
 * schema cannot say: no unit code and no batch twice. */
static int
report_shape(json_t *root, const char *path, struct err *e)
{
	json_t *prov, *v, *w;
	size_t i, j;
	char sub[300];

	if (shape(root, "", F_ROOT, NF(F_ROOT), path, e) ||
	    shape(json_object_get(root, "report"), "report", F_REPORT, NF(F_REPORT),
		  path, e))
		return -1;
	if ((v = json_object_get(root, "disclosures"))) {
		if (shape(v, "disclosures", F_DISC, NF(F_DISC), path, e))
			return -1;
		json_array_foreach(json_object_get(v, "items"), i, w) {
			snprintf(sub, sizeof sub, "disclosures.items[%zu]", i);
			if (shape(w, sub, F_DISC_ITEM, NF(F_DISC_ITEM), path, e))
				return -1;
		}
	}
	prov = json_object_get(root, "provenance");
	if (shape(prov, "provenance", F_PROV, NF(F_PROV), path, e) ||
	    (json_object_get(prov, "audit") &&
	     shape(json_object_get(prov, "audit"), "provenance.audit", F_AUDIT,
		   NF(F_AUDIT), path, e)))
		return -1;
	json_array_foreach(json_object_get(prov, "factor_sets"), i, v) {
		snprintf(sub, sizeof sub, "provenance.factor_sets[%zu]", i);
		if (shape(v, sub, F_SET, NF(F_SET), path, e))
			return -1;
	}
	json_array_foreach(json_object_get(prov, "batches"), i, v) {
		snprintf(sub, sizeof sub, "provenance.batches[%zu]", i);
		if (shape(v, sub, F_BATCH, NF(F_BATCH), path, e))
			return -1;
		for (j = 0; j < i; j++) {
			w = json_array_get(json_object_get(prov, "batches"), j);
			if (json_equal(json_object_get(v, "sha256"), json_object_get(w, "sha256")))
				return err_set(e, ERR_DATA, path, 0, 0, "invalid report: "
					       "provenance.batches[%zu] repeats batches[%zu] "
					       "(sha256 %s): a batch counts once", i, j,
					       json_string_value(json_object_get(v, "sha256")));
		}
	}
	if (figures_shape(json_object_get(root, "totals"), "totals", F_TOTALS,
			  NF(F_TOTALS), path, e) ||
	    shape(json_object_get(root, "quality"), "quality", F_QUALITY,
		  NF(F_QUALITY), path, e))
		return -1;
	if ((v = json_object_get(root, "energy"))) {
		const char *key;
		if (shape(v, "energy", F_ENERGY, NF(F_ENERGY), path, e) ||
		    shape(json_object_get(v, "totals"), "energy.totals", F_ENERGY_FIG,
			  NF(F_ENERGY_FIG), path, e))
			return -1;
		json_object_foreach(json_object_get(v, "carriers"), key, w) {
			snprintf(sub, sizeof sub, "energy.carriers.%.60s", key);
			if (shape(w, sub, F_ENERGY_CARRIER, NF(F_ENERGY_CARRIER), path, e))
				return -1;
		}
		json_array_foreach(json_object_get(v, "units"), i, w) {
			snprintf(sub, sizeof sub, "energy.units[%zu]", i);
			if (shape(w, sub, F_ENERGY_FIG, NF(F_ENERGY_FIG), path, e))
				return -1;
		}
	}
	json_array_foreach(json_object_get(root, "units"), i, v) {
		snprintf(sub, sizeof sub, "units[%zu]", i);
		if (figures_shape(v, sub, F_UNIT, NF(F_UNIT), path, e))
			return -1;
		for (j = 0; j < i; j++) {
			w = json_array_get(json_object_get(root, "units"), j);
			if (json_equal(json_object_get(v, "code"), json_object_get(w, "code")))
				return err_set(e, ERR_DATA, path, 0, 0, "invalid report: "
					       "units[%zu] repeats the unit code '%.80s' of "
					       "units[%zu]: every unit is listed once", i,
					       json_string_value(json_object_get(v, "code")), j);
		}
	}
	return 0;
}

/* Check the shape of a parsed report and take it over (root is stolen). */
static int
from_root(json_t *root, const char *path, struct report_file **out, struct err *e)
{
	struct report_file *f = calloc(1, sizeof *f);
	json_t *rep, *prov, *sets, *batches, *fig, *v;
	size_t i;

	*out = NULL;
	if (!f) {
		json_decref(root);
		return err_setf(e, ERR_IO, "out of memory");
	}
	f->root = root;
	if (report_shape(root, path, e)) {
		report_file_free(f);
		return -1;
	}
	rep = json_object_get(f->root, "report");
	prov = json_object_get(f->root, "provenance");
	sets = json_object_get(prov, "factor_sets");
	batches = json_object_get(prov, "batches");
	if (!json_is_integer(json_object_get(rep, "year")) || !str_at(prov, "gwp") ||
	    !str_at(prov, "region") || !str_at(prov, "fallback") ||
	    !json_is_array(sets) || !json_is_array(batches) ||
	    !json_is_object(json_object_get(f->root, "totals")) ||
	    !json_is_array(json_object_get(f->root, "units")) ||
	    !json_is_object(json_object_get(f->root, "quality"))) {
		report_file_free(f);
		return err_set(e, ERR_DATA, path, 0, 0, "not a co2ledger report "
			       "(expected report.year, provenance with gwp, region, "
			       "fallback, factor_sets and batches, totals, units, quality)");
	}
	{
		json_int_t y = json_integer_value(json_object_get(rep, "year"));
		if (y < 1900 || y > 2100 || json_array_size(sets) == 0) {
			err_set(e, ERR_DATA, path, 0, 0, "%s",
				json_array_size(sets) == 0
					? "provenance.factor_sets is empty (a report "
					  "names the factor sets it was calculated with)"
					: "report.year is not a year (expected 1900..2100)");
			report_file_free(f);
			return -1;
		}
	}
	json_array_foreach(sets, i, v) {
		if (!str_at(v, "name") || !str_at(v, "version") || !str_at(v, "sha256")) {
			report_file_free(f);
			return err_set(e, ERR_DATA, path, 0, 0, "provenance.factor_sets[%zu] "
				       "needs name, version and sha256", i);
		}
	}
	json_array_foreach(batches, i, v)
		if (!str_at(v, "sha256") || !str_at(v, "file")) {
			report_file_free(f);
			return err_set(e, ERR_DATA, path, 0, 0, "provenance.batches[%zu] "
				       "needs file and sha256", i);
		}
	f->info.nsets = json_array_size(sets);
	if (report_refs_from_json(sets, &f->factor_refs, &f->factor_spec)) {
		report_file_free(f);
		return err_setf(e, ERR_IO, "out of memory");
	}
	f->info.year = (int)json_integer_value(json_object_get(rep, "year"));
	f->info.org = str_at(rep, "org");
	f->info.gwp = str_at(prov, "gwp");
	f->info.region = str_at(prov, "region");
	f->info.fallback = str_at(prov, "fallback");
	f->info.lens = str_at(prov, "lens") ? str_at(prov, "lens") : "ghg-protocol";
	if (strcmp(f->info.lens, "ghg-protocol") != 0 && strcmp(f->info.lens, "bisko") != 0) {
		err_set(e, ERR_DATA, path, 0, 0, "provenance.lens '%.40s' is not a lens "
			"(expected ghg-protocol or bisko)", f->info.lens);
		report_file_free(f);
		return -1;
	}
	f->info.factor_spec = f->factor_spec;
	f->info.factors = f->factor_refs;
	f->info.inputs_sha256 = str_at(prov, "inputs_sha256");
	f->info.results_sha256 = str_at(prov, "results_sha256");
	f->info.nsets = json_array_size(sets);
	f->info.nbatches = json_array_size(batches);
	f->info.org_sha256 = str_at(prov, "org_sha256");
	if ((v = json_object_get(prov, "audit"))) {
		f->info.audit_entries = (long)json_integer_value(json_object_get(v, "entries"));
		f->info.audit_head = str_at(v, "head_sha256");
		f->info.audit_first = str_at(v, "first_sha256");
	}
	fig = json_pack("{s:O, s:O, s:O}", "totals", json_object_get(f->root, "totals"),
			"units", json_object_get(f->root, "units"),
			"quality", json_object_get(f->root, "quality"));
	report_json_hash(fig, f->info.actual_sha256);
	json_decref(fig);
	*out = f;
	return 0;
}

int
report_file_load(const char *path, struct report_file **out, struct err *e)
{
	json_error_t je;
	json_t *root;
	struct stat st;

	*out = NULL;
	/* a report is a few hundred kilobytes even for hundreds of units:
	 * refuse what would only exhaust memory */
	if (stat(path, &st) == 0 && st.st_size > REPORT_FILE_MAX)
		return err_set(e, ERR_DATA, path, 0, 0, "file too large for a "
			       "report (more than %d MiB)", REPORT_FILE_MAX >> 20);
	if (!(root = json_load_file(path, 0, &je)))
		return err_set(e, ERR_DATA, path, je.line > 0 ? je.line : 0,
			       je.column > 0 ? je.column : 0, "%s", je.text);
	return from_root(root, path, out, e);
}

int
report_file_load_mem(const char *data, size_t n, const char *name,
		     struct report_file **out, struct err *e)
{
	json_error_t je;
	json_t *root;

	*out = NULL;
	if (n > REPORT_FILE_MAX)
		return err_set(e, ERR_DATA, name, 0, 0, "too large for a report");
	if (!(root = json_loadb(data, n, 0, &je)))
		return err_set(e, ERR_DATA, name, je.line > 0 ? je.line : 0,
			       je.column > 0 ? je.column : 0, "%s", je.text);
	return from_root(root, name, out, e);
}

const struct report_file_info *
report_file_info(const struct report_file *f)
{
	return &f->info;
}

void
report_file_set(const struct report_file *f, size_t i, const char **name,
		const char **version, const char **sha256)
{
	json_t *v = json_array_get(json_object_get(json_object_get(f->root, "provenance"),
						   "factor_sets"), i);
	*name = str_at(v, "name");
	*version = str_at(v, "version");
	*sha256 = str_at(v, "sha256");
}

void
report_file_batch(const struct report_file *f, size_t i, const char **file,
		  const char **sha256, const char **kind)
{
	json_t *v = json_array_get(json_object_get(json_object_get(f->root, "provenance"),
						   "batches"), i);
	*file = str_at(v, "file");
	*sha256 = str_at(v, "sha256");
	*kind = str_at(v, "kind");
}

const char *
report_file_batch_rows(const struct report_file *f, size_t i)
{
	json_t *v = json_array_get(json_object_get(json_object_get(f->root, "provenance"),
						   "batches"), i);
	return str_at(v, "rows_sha256");
}

struct cmp {
	report_diff_fn *fn;
	void *ctx;
	long matched, differ;
};

static void
differ(struct cmp *c, const char *path, const json_t *a, const json_t *b)
{
	char *sa = a ? json_dumps(a, JSON_ENCODE_ANY | REPORT_JSON_FLAGS) : NULL;
	char *sb = b ? json_dumps(b, JSON_ENCODE_ANY | REPORT_JSON_FLAGS) : NULL;

	c->differ++;
	c->fn(c->ctx, path, sa ? sa : "(absent)", sb ? sb : "(absent)");
	free(sa);
	free(sb);
}

static void compare_value(struct cmp *c, const char *path, json_t *a, json_t *b);

static void
compare_object(struct cmp *c, const char *path, json_t *a, json_t *b)
{
	const char *key;
	json_t *v;
	struct strbuf sub = STRBUF_INIT;

	json_object_foreach(a, key, v)
		compare_value(c, strbuf_setf(&sub, PATH_REFUSED, "%s%s%s", path, *path ? "." : "", key), v,
			      json_object_get(b, key));
	json_object_foreach(b, key, v)
		if (!json_object_get(a, key))
			differ(c, strbuf_setf(&sub, PATH_REFUSED, "%s%s%s", path, *path ? "." : "", key),
			       NULL, v);
	strbuf_release(&sub);
}

/* Units are matched by code, so that a reordered file still compares. */
static void
compare_units(struct cmp *c, const char *path, json_t *a, json_t *b)
{
	size_t i, j;
	json_t *u, *w;
	struct strbuf sub = STRBUF_INIT;

	json_array_foreach(a, i, u) {
		const char *code = str_at(u, "code");
		json_t *match = NULL;
		json_array_foreach(b, j, w)
			if (code && str_at(w, "code") && strcmp(code, str_at(w, "code")) == 0)
				match = w;
		strbuf_setf(&sub, PATH_REFUSED, "%s[%s]", path, code ? code : "?");
		if (match)
			compare_object(c, strbuf_str(&sub), u, match);
		else
			differ(c, strbuf_str(&sub), u, NULL);
	}
	json_array_foreach(b, j, w) {
		const char *code = str_at(w, "code");
		int found = 0;
		json_array_foreach(a, i, u)
			if (code && str_at(u, "code") && strcmp(code, str_at(u, "code")) == 0)
				found = 1;
		if (!found)
			differ(c, strbuf_setf(&sub, PATH_REFUSED, "%s[%s]", path, code ? code : "?"), NULL, w);
	}
	strbuf_release(&sub);
}

/* Remove every "primary_energy..." key from o and the objects inside it:
 * reports written before primary energy have none. */
static void
strip_primary(json_t *o)
{
	const char *key;
	json_t *v;
	void *tmp;
	size_t i;

	if (json_is_array(o)) {
		json_array_foreach(o, i, v)
			strip_primary(v);
		return;
	}
	json_object_foreach_safe(o, tmp, key, v) {
		if (strncmp(key, "primary_energy", 14) == 0)
			json_object_del(o, key);
		else
			strip_primary(v);
	}
}

static void
compare_value(struct cmp *c, const char *path, json_t *a, json_t *b)
{
	if (!b) {
		differ(c, path, a, NULL);
	} else if (json_is_object(a) && json_is_object(b)) {
		compare_object(c, path, a, b);
	} else if (json_is_array(a) && json_is_array(b)) {
		compare_units(c, path, a, b);
	} else if (json_is_number(a) && json_is_number(b)) {
		if (json_number_value(a) == json_number_value(b))
			c->matched++;
		else
			differ(c, path, a, b);
	} else if (json_is_null(a) && json_is_null(b)) {
		c->matched++;
	} else if (json_is_string(a) && json_is_string(b)) {
		if (strcmp(json_string_value(a), json_string_value(b)) != 0)
			differ(c, path, a, b);
	} else if (!json_equal(a, b)) {
		differ(c, path, a, b);
	}
}

long
report_file_compare(const struct report_file *f, const struct report_model *m,
		    report_diff_fn *fn, void *ctx, long *differences)
{
	json_t *fig = report_json_figures(m);
	struct cmp c = {fn, ctx, 0, 0};
	json_t *prov = json_object_get(f->root, "provenance");
	json_t *inputs = json_string(m->run.inputs_sha256);

	compare_value(&c, "totals", json_object_get(f->root, "totals"),
		      json_object_get(fig, "totals"));
	compare_value(&c, "units", json_object_get(f->root, "units"),
		      json_object_get(fig, "units"));
	compare_value(&c, "quality", json_object_get(f->root, "quality"),
		      json_object_get(fig, "quality"));
	if (json_object_get(f->root, "energy")) {
		/* reports written before final energy have no section */
		json_t *en = report_json_energy(m);
		if (!json_object_get(json_object_get(f->root, "energy"), "primary_energy"))
			strip_primary(en); /* written before primary energy */
		compare_value(&c, "energy", json_object_get(f->root, "energy"), en);
		json_decref(en);
	}
	compare_value(&c, "provenance.inputs_sha256",
		      json_object_get(prov, "inputs_sha256"), inputs);
	json_decref(inputs);
	{
		static const char *const SET_KEYS[] = {"name", "version", "sha256"};
		json_t *sets = pick(m->run.factor_sets, SET_KEYS, 3);
		if (!json_equal(json_object_get(prov, "factor_sets"), sets))
			differ(&c, "provenance.factor_sets",
			       json_object_get(prov, "factor_sets"), sets);
		json_decref(sets);
	}
	/* the disclosures, recomputed, in the report's language */
	if (m->disc && json_object_get(f->root, "disclosures")) {
		const char *lang = json_string_value(
			json_object_get(json_object_get(f->root, "report"), "lang"));
		json_t *d = disclosures_obj(m, lang && strcmp(lang, "en") == 0 ? REPORT_EN
									    : REPORT_DE);
		json_t *fd = json_object_get(f->root, "disclosures");
		json_t *ia = json_object_get(fd, "items"), *ib = json_object_get(d, "items");
		size_t i;
		compare_value(&c, "disclosures.biogenic_co2",
			      json_object_get(fd, "biogenic_co2"),
			      json_object_get(d, "biogenic_co2"));
		if (json_array_size(ia) != json_array_size(ib)) {
			differ(&c, "disclosures.items", ia, ib);
		} else {
			for (i = 0; i < json_array_size(ia); i++) {
				char sub[48];
				snprintf(sub, sizeof sub, "disclosures.items[%zu]", i);
				compare_object(&c, sub, json_array_get(ia, i),
					       json_array_get(ib, i));
			}
		}
		json_decref(d);
	}
	/* the BISKO data-quality grades, recomputed */
	{
		int bisko = m->run.lens && strcmp(m->run.lens, "bisko") == 0;
		json_t *fq = json_object_get(f->root, "data_quality");
		json_t *q = bisko ? data_quality_obj(m) : NULL;
		if ((fq || q) && !json_equal(fq, q))
			differ(&c, "data_quality", fq, q);
		json_decref(q);
	}
	/* the reconciliation, recomputed, in the report's language */
	if (m->disc && (m->disc->recon.has || json_object_get(f->root, "reconciliation"))) {
		const char *lang = json_string_value(
			json_object_get(json_object_get(f->root, "report"), "lang"));
		json_t *fr = json_object_get(f->root, "reconciliation");
		json_t *r = m->disc->recon.has
			? reconciliation_obj(m, lang && strcmp(lang, "en") == 0 ? REPORT_EN
										: REPORT_DE)
			: NULL;
		if (!json_equal(fr, r))
			differ(&c, "reconciliation", fr, r);
		json_decref(r);
	}
	/* the BISKO conformity list, recomputed, in the report's language */
	if (m->disc && (m->disc->bisko || json_object_get(f->root, "conformity"))) {
		const char *lang = json_string_value(
			json_object_get(json_object_get(f->root, "report"), "lang"));
		json_t *a = m->disc->bisko
			? conformity_arr(m, lang && strcmp(lang, "en") == 0 ? REPORT_EN
									  : REPORT_DE)
			: NULL;
		json_t *fa = json_object_get(f->root, "conformity");
		if (!json_equal(fa, a))
			differ(&c, "conformity", fa, a);
		json_decref(a);
	}
	json_decref(fig);
	*differences = c.differ;
	return c.matched;
}

long
report_model_compare(const struct report_model *a, const struct report_model *b,
		     report_diff_fn *fn, void *ctx, long *differences)
{
	json_t *fa = report_json_figures(a), *fb = report_json_figures(b);
	struct cmp c = {fn, ctx, 0, 0};

	compare_value(&c, "totals", json_object_get(fa, "totals"),
		      json_object_get(fb, "totals"));
	compare_value(&c, "units", json_object_get(fa, "units"),
		      json_object_get(fb, "units"));
	compare_value(&c, "quality", json_object_get(fa, "quality"),
		      json_object_get(fb, "quality"));
	json_decref(fa);
	json_decref(fb);
	*differences = c.differ;
	return c.matched;
}
