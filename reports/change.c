/*
 * change: JSON of a decomposition (see change.h).
 */
#include <jansson.h>
#include <stdio.h>

#include <string.h>
#include <xlsxwriter.h>

#include "reports/change.h"
#include "base/num.h"
#include "base/strbuf.h"
#include "reports/report_int.h"
#include "engine/decompose.h"

static json_t *
lens_obj(const struct decomp_line *ln, enum decomp_lens lens)
{
	json_t *o = json_object();
	int k;
	char name[32];

	if (!o)
		return NULL;
	json_object_set_new(o, "base_mg", json_integer(ln->t[DECOMP_BASE][lens]));
	json_object_set_new(o, "current_mg", json_integer(ln->t[DECOMP_CURRENT][lens]));
	json_object_set_new(o, "change_mg", json_integer(decomp_change_mg(ln, lens)));
	json_object_set_new(o, "base_kg", report_json_kg(ln->t[DECOMP_BASE][lens]));
	json_object_set_new(o, "current_kg", report_json_kg(ln->t[DECOMP_CURRENT][lens]));
	json_object_set_new(o, "change_kg", report_json_kg(decomp_change_mg(ln, lens)));
	for (k = 0; k < DECOMP_NEFFECTS; k++) {
		int64_t v = decomp_effect_mg(ln, (enum decomp_effect)k, lens);
		snprintf(name, sizeof name, "%s_mg", decomp_effect_name((enum decomp_effect)k));
		json_object_set_new(o, name, json_integer(v));
		snprintf(name, sizeof name, "%s_kg", decomp_effect_name((enum decomp_effect)k));
		json_object_set_new(o, name, report_json_kg(v));
	}
	return o;
}

static int
wanted(const struct decomp_line *ln, const char *org)
{
	return !org || (ln->code && strcmp(ln->code, org) == 0);
}

void *
report_change_json(const struct decomp *d)
{
	return report_change_json_org(d, NULL);
}

void *
report_change_json_org(const struct decomp *d, const char *org)
{
	const struct decomp_info *in = decomp_get_info(d);
	json_t *o, *a = json_array(), *order = json_array();
	size_t i;
	int k;

	if (!a || !order) {
		json_decref(a);
		json_decref(order);
		return NULL;
	}
	for (k = 0; k < DECOMP_NEFFECTS; k++)
		json_array_append_new(order, json_string(decomp_effect_name((enum decomp_effect)k)));
	for (i = 0; i < decomp_count(d); i++) {
		const struct decomp_line *ln = decomp_at(d, i);
		if (!wanted(ln, org))
			continue;
		json_array_append_new(a, json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}",
			"unit", ln->code ? json_string(ln->code) : json_null(),
			"name", ln->name ? json_string(ln->name) : json_null(),
			"sector", ln->sector ? json_string(ln->sector) : json_null(),
			"location", lens_obj(ln, DECOMP_LOCATION),
			"market", lens_obj(ln, DECOMP_MARKET),
			"streams_moved_in", (json_int_t)ln->moved_in,
			"streams_moved_out", (json_int_t)ln->moved_out,
			"units_added", (json_int_t)ln->units_added,
			"units_removed", (json_int_t)ln->units_removed));
	}
	o = json_pack("{s:I, s:I, s:i, s:i, s:s, s:s, s:s, s:o, s:o}",
		      "base_run", (json_int_t)in->base_run, "run", (json_int_t)in->run,
		      "base_year", in->base_year, "year", in->year,
		      "base_gwp", in->base_gwp, "gwp", in->gwp,
		      "method", "sequential substitution",
		      "order", order, "lines", a);
	return o;
}

void
report_change_sheet(void *workbook, const struct decomp *d, int en,
		    const char *org)
{
	static const char *const HEAD[2][10] = {
		{"Code", "Name", "Sektor", "Basis (kg)", "Methode (kg)",
		 "Faktoren (kg)", "Struktur (kg)", "Aktivität (kg)", "Aktuell (kg)",
		 "Veränderung (kg)"},
		{"Code", "Name", "Sector", "Base (kg)", "Method (kg)", "Factors (kg)",
		 "Structure (kg)", "Activity (kg)", "Current (kg)", "Change (kg)"}};
	lxw_workbook *wb = workbook;
	const struct decomp_info *in = decomp_get_info(d);
	lxw_worksheet *ws = workbook_add_worksheet(wb, en ? "Why it changed" : "Veränderung");
	lxw_format *bold = workbook_add_format(wb), *num = workbook_add_format(wb);
	lxw_row_t r = 0;
	char text[300];
	size_t i;
	int k;

	format_set_bold(bold);
	format_set_num_format(num, "#,##0.000000");
	snprintf(text, sizeof text, en ?
		 "Why it changed, %d (run %lld, %s) to %d (run %lld, %s), location-based" :
		 "Veränderung %d (Lauf %lld, %s) zu %d (Lauf %lld, %s), standortbasiert",
		 in->base_year, (long long)in->base_run, in->base_gwp, in->year,
		 (long long)in->run, in->gwp);
	worksheet_write_string(ws, r++, 0, text, bold);
	worksheet_write_string(ws, r++, 0, en ?
		"Sequential substitution in this order: method (GWP, region, fallback), "
		"emission factors, structure (moved meters and vehicles, units added or "
		"removed), activity. The effects add up to the change exactly "
		"(in mg in the JSON report); see docs/methodology.md." :
		"Schrittweise Substitution in dieser Reihenfolge: Methode (GWP, Region, "
		"Rückfall), Emissionsfaktoren, Struktur (verlegte Zähler und Fahrzeuge, "
		"neue oder weggefallene Einheiten), Aktivität. Die Effekte ergeben die "
		"Veränderung exakt (in mg im JSON-Bericht); siehe docs/methodology.md.",
		NULL);
	r++;
	for (k = 0; k < 10; k++)
		worksheet_write_string(ws, r, (lxw_col_t)k, HEAD[en ? 1 : 0][k], bold);
	r++;
	for (i = 0; i < decomp_count(d); i++) {
		const struct decomp_line *ln = decomp_at(d, i);
		lxw_format *f = ln->sector ? num : NULL;
		if (!wanted(ln, org))
			continue;
		worksheet_write_string(ws, r, 0, ln->code ? ln->code : (en ? "all units" : "alle Einheiten"),
				       ln->sector ? NULL : bold);
		worksheet_write_string(ws, r, 1, ln->name ? ln->name : "", NULL);
		worksheet_write_string(ws, r, 2, ln->sector ? ln->sector : (en ? "all sectors" : "alle Sektoren"),
				       NULL);
		(void)f;
		worksheet_write_number(ws, r, 3, (double)ln->t[DECOMP_BASE][DECOMP_LOCATION] / 1e6, num);
		for (k = 0; k < DECOMP_NEFFECTS; k++)
			worksheet_write_number(ws, r, (lxw_col_t)(4 + k),
					       (double)decomp_effect_mg(ln, (enum decomp_effect)k,
									 DECOMP_LOCATION) / 1e6, num);
		worksheet_write_number(ws, r, 8, (double)ln->t[DECOMP_CURRENT][DECOMP_LOCATION] / 1e6, num);
		worksheet_write_number(ws, r, 9, (double)decomp_change_mg(ln, DECOMP_LOCATION) / 1e6, num);
		r++;
	}
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 22, NULL);
	worksheet_set_column(ws, 3, 9, 18, NULL);
	worksheet_freeze_panes(ws, 4, 3);
}

/* ---- the table of `compare --explain-change` ---- */

static void
kg6(int64_t mg, char *buf, size_t n)
{
	num_format(mg, 6, 6, buf, n);
}

int
report_change_show(struct ledger *l, int64_t base_run, int64_t run, int market,
		   int json, report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	enum decomp_lens lens = market ? DECOMP_MARKET : DECOMP_LOCATION;
	struct decomp *d = NULL;
	const struct decomp_info *in;
	char ybase[24], ynow[24];
	size_t i;
	int k;

	if (decomp_runs(l, base_run, run, &d, e))
		return -1;
	in = decomp_get_info(d);
	if (json) {
		json_t *o = report_change_json(d);
		if (!o) {
			decomp_free(d);
			return err_setf(e, ERR_IO, "out of memory");
		}
		report_emit_json(&em, o, JSON_INDENT(2));
		report_emitf(&em, "\n");
		report_emit_end(&em);
		json_decref(o);
		decomp_free(d);
		return 0;
	}
	report_emitf(&em, "why it changed: run %lld (%d, %s) -> run %lld (%d, %s), "
		     "%s-based, kg CO2e\n", (long long)in->base_run, in->base_year,
		     in->base_gwp, (long long)in->run, in->year, in->gwp,
		     lens == DECOMP_LOCATION ? "location" : "market");
	report_emitf(&em, "sequential substitution: method, then factors, then "
		     "structure, then activity; the effects add up to the change\n");
	snprintf(ybase, sizeof ybase, "%d", in->base_year);
	snprintf(ynow, sizeof ynow, "%d", in->year);
	if (in->base_year == in->year) {
		snprintf(ybase, sizeof ybase, "run %lld", (long long)in->base_run);
		snprintf(ynow, sizeof ynow, "run %lld", (long long)in->run);
	}
	report_emitf(&em, "%-14s %-22s %17s", "unit", "sector", ybase);
	for (k = 0; k < DECOMP_NEFFECTS; k++)
		report_emitf(&em, " %17s", decomp_effect_name((enum decomp_effect)k));
	report_emitf(&em, " %17s %17s\n", ynow, "change");
	for (i = 0; i < decomp_count(d); i++) {
		const struct decomp_line *ln = decomp_at(d, i);
		char v[40];
		report_emit_col(&em, ln->code ? ln->code : "(all units)", 14);
		report_emitf(&em, " ");
		report_emit_col(&em, ln->sector ? ln->sector : "(all sectors)", 22);
		kg6(ln->t[DECOMP_BASE][lens], v, sizeof v);
		report_emitf(&em, " %17s", v);
		for (k = 0; k < DECOMP_NEFFECTS; k++) {
			kg6(decomp_effect_mg(ln, (enum decomp_effect)k, lens), v, sizeof v);
			report_emitf(&em, " %17s", v);
		}
		kg6(ln->t[DECOMP_CURRENT][lens], v, sizeof v);
		report_emitf(&em, " %17s", v);
		kg6(decomp_change_mg(ln, lens), v, sizeof v);
		report_emitf(&em, " %17s", v);
		if (ln->code && !ln->sector && (ln->moved_in || ln->moved_out ||
						ln->units_added || ln->units_removed))
			report_emitf(&em, "  (streams moved in %ld, out %ld; units added "
				     "%ld, removed %ld)", ln->moved_in, ln->moved_out,
				     ln->units_added, ln->units_removed);
		report_emitf(&em, "\n");
	}
	report_emit_end(&em);
	decomp_free(d);
	return 0;
}
