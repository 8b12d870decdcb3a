/*
 * change: JSON of a decomposition (see change.h).
 */
#include <jansson.h>
#include <stdio.h>

#include "reports/change.h"
#include "reports/report.h"
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

void *
report_change_json(const struct decomp *d)
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
