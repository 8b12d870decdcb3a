/*
 * completeness: the completeness check in the reports (see completeness.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/completeness.h"
#include "reports/report_int.h"
#include "engine/complete.h"

static void
leave_out(struct report_model *m, size_t i)
{
	if (!m->left_out && !(m->left_out = calloc(m->nunits ? m->nunits : 1, 1)))
		return; /* out of memory: the copy to an outdated model is lost */
	m->left_out[i] = 1;
	m->units[i].f.rank = 0;
	m->units[i].f.has_previous = 0;
	m->units[i].f.previous_location_mg = 0;
}

void
report_completeness_apply(struct report_model *m, const struct complete *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < m->nunits; i++) {
		const struct complete_unit *u = complete_unit_find(c, m->units[i].code);
		if (u && u->below)
			leave_out(m, i);
	}
}

void
report_completeness_copy(struct report_model *dst, const struct report_model *src)
{
	size_t i, j;

	if (!dst || !src->left_out)
		return;
	for (i = 0; i < src->nunits; i++)
		for (j = 0; src->left_out[i] && j < dst->nunits; j++)
			if (strcmp(src->units[i].code, dst->units[j].code) == 0)
				leave_out(dst, j);
}

int
report_completeness_apply_file(struct report_model *m, const struct report_file *rf)
{
	json_t *root = report_file_root(rf), *a, *v;
	size_t i, k;

	if (!root)
		return 0;
	a = json_object_get(json_object_get(root, "completeness"), "units_below_threshold");
	json_array_foreach(a, k, v) {
		const char *code = json_string_value(json_object_get(v, "code"));
		for (i = 0; code && i < m->nunits; i++)
			if (strcmp(m->units[i].code, code) == 0)
				leave_out(m, i);
	}
	return 0;
}

static const char *
state_name(enum complete_state s)
{
	switch (s) {
	case COMPLETE_OK: return "complete";
	case COMPLETE_GAPS: return "incomplete";
	case COMPLETE_NO_DATA: return "no_data";
	default: return "before_first_full_year";
	}
}

void *
report_completeness_json(const struct complete *c, const char *org)
{
	json_t *below = json_array();
	size_t i;

	if (!below)
		return NULL;
	for (i = 0; i < complete_unit_count(c); i++) {
		const struct complete_unit *u = complete_unit_at(c, i);
		if (!u->below || (org && strcmp(org, u->code) != 0))
			continue;
		json_array_append_new(below, json_pack("{s:s, s:s, s:f, s:o}",
			"code", u->code, "name", u->name,
			"complete_pct", (double)u->pct_x100 / 100.0,
			"kind", u->worst_kind ? json_string(u->worst_kind) : json_null()));
	}
	return json_pack("{s:b, s:s, s:s, s:i, s:o, s:o}",
			 "complete", complete_get_state(c) == COMPLETE_OK,
			 "state", state_name(complete_get_state(c)),
			 "reason", complete_reason(c),
			 "threshold_pct", complete_threshold_pct(c),
			 "first_full_year", complete_first_full_year(c)
				 ? json_integer(complete_first_full_year(c)) : json_null(),
			 "units_below_threshold", below);
}

const char *
report_completeness_banner(const struct complete *c, int en, char *buf, size_t n)
{
	size_t i, w;
	int r;

	if (n)
		buf[0] = '\0';
	if (!c || complete_get_state(c) == COMPLETE_OK || !n)
		return buf;
	r = snprintf(buf, n, en ? "INCOMPLETE: %s." : "UNVOLLSTÄNDIG: %s.",
		     complete_reason(c));
	w = r < 0 ? 0 : (size_t)r < n ? (size_t)r : n - 1;
	for (i = 0; i < complete_unit_count(c) && w + 1 < n; i++) {
		const struct complete_unit *u = complete_unit_at(c, i);
		if (!u->below)
			continue;
		char pct[32];
		report_fmt_pct(en ? REPORT_EN : REPORT_DE, u->pct_x100, pct, sizeof pct);
		r = snprintf(buf + w, n - w, en ? " %s: %s %% of the expected months "
			     "(%s), no rank, no change." : " %s: %s %% der erwarteten "
			     "Monate (%s), kein Rang, keine Veränderung.", u->code,
			     pct, u->worst_kind ? u->worst_kind : "-");
		if (r < 0)
			break;
		w += (size_t)r < n - w ? (size_t)r : n - w - 1;
	}
	return buf;
}
