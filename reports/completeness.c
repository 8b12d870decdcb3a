/*
 * completeness: the completeness check in the reports (see completeness.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"
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

/* The reason of complete_reason() in German. */
static int
reason_de(const struct complete *c, char *buf, size_t n)
{
	int y = complete_year(c), ff = complete_first_full_year(c);
	long rows = complete_rows(c), miss = complete_missing(c), sil = complete_silent(c);
	int r, w;

	switch (complete_get_state(c)) {
	case COMPLETE_NO_DATA:
		return snprintf(buf, n, "keine Aktivitätszeile hat einen Tag in %d", y);
	case COMPLETE_BEFORE_FULL:
		if (ff && rows == 1)
			return snprintf(buf, n, "%d liegt vor dem ersten Jahr mit Daten in "
					"jedem Monat (%d): seine eine Zeile ist Teil eines "
					"Zeitraums, der in das Jahr hineinreicht, keine "
					"Jahresdaten", y, ff);
		if (ff)
			return snprintf(buf, n, "%d liegt vor dem ersten Jahr mit Daten in "
					"jedem Monat (%d): seine %ld Zeilen sind Teile von "
					"Zeiträumen, die in das Jahr hineinreichen, keine "
					"Jahresdaten", y, ff, rows);
		return snprintf(buf, n, "kein Jahr bis %d hat Daten in jedem Monat; seine "
				"%ld %s keine Jahresdaten", y, rows,
				rows == 1 ? "Zeile ist" : "Zeilen sind");
	case COMPLETE_GAPS:
		w = snprintf(buf, n, "%ld %s", miss,
			     miss == 1 ? "erwarteter Monat fehlt" : "erwartete Monate fehlen");
		if (w < 0 || (size_t)w >= n)
			return w;
		if (sil) {
			r = snprintf(buf + w, n - (size_t)w, ", %ld %s seit %d ohne Daten",
				     sil, sil == 1 ? "Datenstrom" : "Datenströme", y - 1);
			if (r < 0 || (size_t)r >= n - (size_t)w)
				return r < 0 ? r : w + r;
			w += r;
		}
		r = snprintf(buf + w, n - (size_t)w, " (siehe 'co2ledger status --year %d')",
			     y);
		return r < 0 ? r : w + r;
	default:
		if (n)
			buf[0] = '\0';
		return 0;
	}
}

/* The kind a unit's share is lowest in, in the page's language. */
static const char *
kind_label(const char *kind, int en)
{
	if (!kind)
		return "-";
	if (en)
		return kind;
	return strcmp(kind, "energy") == 0	  ? "Energie"
	       : strcmp(kind, "fleet") == 0	  ? "Fuhrpark"
	       : strcmp(kind, "procurement") == 0 ? "Beschaffung"
						  : kind;
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
	if (en) {
		r = snprintf(buf, n, "INCOMPLETE: %s.", complete_reason(c));
	} else {
		r = snprintf(buf, n, "UNVOLLSTÄNDIG: ");
		if (r > 0 && (size_t)r < n) {
			int q = reason_de(c, buf + r, n - (size_t)r);
			r = q < 0 ? q : r + q;
			if (r > 0 && (size_t)r + 1 < n) {
				buf[r++] = '.';
				buf[r] = '\0';
			}
		}
	}
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
			     pct, kind_label(u->worst_kind, en));
		if (r < 0)
			break;
		w += (size_t)r < n - w ? (size_t)r : n - w - 1;
	}
	return buf;
}

/* ---- status: the gaps of a year, per unit ---- */

static void
pct_text(int64_t x100, char *buf, size_t n)
{
	num_format(x100, 2, 1, buf, n);
}

static int
has_streams(const struct complete *cp, const char *code)
{
	size_t j;

	for (j = 0; j < complete_stream_count(cp); j++)
		if (strcmp(complete_stream_at(cp, j)->unit, code) == 0)
			return 1;
	return 0;
}

static json_t *
status_gaps_json(const struct complete *cp, const char *code)
{
	json_t *gaps = json_array();
	size_t j;

	for (j = 0; j < complete_stream_count(cp); j++) {
		const struct complete_stream *s = complete_stream_at(cp, j);
		char m1[64], m2[64], m3[64], last[11] = "";
		if (strcmp(s->unit, code) != 0)
			continue;
		complete_months(s->expected, m1, sizeof m1);
		complete_months(s->missing, m2, sizeof m2);
		complete_months(s->zero, m3, sizeof m3);
		if (s->last_day)
			date_format(s->last_day, last);
		json_array_append_new(gaps, json_pack(
			"{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:o, s:o}",
			"org", s->org, "kind", s->kind, "activity", s->activity,
			"ident", s->ident ? json_string(s->ident) : json_null(),
			"expected_months", m1, "missing_months", m2,
			"zero_months", m3, "silent", s->silent, "counted", s->counted,
			"last_day", last[0] ? json_string(last) : json_null(),
			"jump_pct", s->has_jump ? json_real((double)s->jump_x100 / 100.0)
						: json_null()));
	}
	return gaps;
}

static void
status_json(struct report_emit *em, const struct complete *cp)
{
	json_t *units = json_array(), *root;
	enum complete_state st = complete_get_state(cp);
	size_t i;

	for (i = 0; i < complete_unit_count(cp); i++) {
		const struct complete_unit *u = complete_unit_at(cp, i);
		json_array_append_new(units, json_pack(
			"{s:s, s:s, s:I, s:I, s:f, s:o, s:b, s:o}",
			"code", u->code, "name", u->name,
			"expected_months", (json_int_t)u->expected,
			"present_months", (json_int_t)u->present,
			"complete_pct", (double)u->pct_x100 / 100.0,
			"worst_kind", u->worst_kind ? json_string(u->worst_kind) : json_null(),
			"below_threshold", u->below, "gaps", status_gaps_json(cp, u->code)));
	}
	root = json_pack("{s:i, s:s, s:b, s:s, s:o, s:I, s:i, s:o}",
			 "year", complete_year(cp),
			 "state", st == COMPLETE_OK ? "complete"
				  : st == COMPLETE_GAPS ? "incomplete"
				  : st == COMPLETE_NO_DATA ? "no_data" : "before_first_full_year",
			 "complete", st == COMPLETE_OK,
			 "reason", complete_reason(cp),
			 "first_full_year", complete_first_full_year(cp)
				 ? json_integer(complete_first_full_year(cp)) : json_null(),
			 "rows", (json_int_t)complete_rows(cp),
			 "threshold_pct", complete_threshold_pct(cp), "units", units);
	report_emit_json(em, root, JSON_INDENT(2));
	report_emitf(em, "\n");
	json_decref(root);
}

static void
status_stream(struct report_emit *em, const struct complete *cp,
	      const struct complete_stream *s)
{
	char m[64], last[11] = "";

	if (s->last_day)
		date_format(s->last_day, last);
	report_emitf(em, "  ");
	report_emit_col(em, s->org, 22);
	report_emitf(em, " ");
	report_emit_col(em, s->activity, 26);
	report_emitf(em, " ");
	report_emit_col(em, s->ident ? s->ident : "-", 18);
	report_emitf(em, " ");
	if (s->silent) {
		report_emitf(em, "silent: no data in %d (last %s)%s\n", complete_year(cp),
			     last, s->counted ? "" : ", not counted");
		return;
	}
	if (s->missing) {
		complete_months(s->missing, m, sizeof m);
		report_emitf(em, "missing %s", m);
	}
	if (s->zero) {
		complete_months(s->zero, m, sizeof m);
		report_emitf(em, "%sconfirmed zero %s", s->missing ? "; " : "", m);
	}
	if (s->has_jump) {
		char p[24];
		pct_text(s->jump_x100, p, sizeof p);
		report_emitf(em, "%s%s%s %% against %d", s->missing || s->zero ? "; " : "",
			     s->jump_x100 > 0 ? "+" : "", p, complete_year(cp) - 1);
	}
	report_emitf(em, "\n");
}

static void
status_text(struct report_emit *em, const struct complete *cp)
{
	size_t i, j;

	report_emitf(em, "data of %d: %s%s%s\n", complete_year(cp),
		     complete_get_state(cp) == COMPLETE_OK ? "complete" : "incomplete",
		     complete_reason(cp)[0] ? ": " : "", complete_reason(cp));
	for (i = 0; i < complete_unit_count(cp); i++) {
		const struct complete_unit *u = complete_unit_at(cp, i);
		char pct[24];
		if (!u->expected && !u->gaps && !has_streams(cp, u->code))
			continue;
		pct_text(u->pct_x100, pct, sizeof pct);
		report_emit_col(em, u->code, 14);
		report_emitf(em, " ");
		report_emit_col(em, u->name, 34);
		report_emitf(em, " %5s %% of %ld expected months%s%s%s\n", pct, u->expected,
			     u->worst_kind ? " (lowest: " : "",
			     u->worst_kind ? u->worst_kind : "",
			     u->worst_kind ? (u->below ? "; below the threshold: no rank, no change)"
						    : ")") : "");
		for (j = 0; j < complete_stream_count(cp); j++)
			if (strcmp(complete_stream_at(cp, j)->unit, u->code) == 0)
				status_stream(em, cp, complete_stream_at(cp, j));
	}
}

int
report_status_show(struct ledger *l, const struct complete_opts *o, int json,
		   report_note_fn *fn, void *ctx, int *complete, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct complete *cp = NULL;

	*complete = 0;
	if (complete_check(l, o, &cp, e))
		return -1;
	if (json)
		status_json(&em, cp);
	else
		status_text(&em, cp);
	report_emit_end(&em);
	*complete = complete_get_state(cp) == COMPLETE_OK;
	complete_free(cp);
	return 0;
}

int
report_check_year(struct ledger *l, int year, int strict, int partial,
		  struct complete **cp, report_note_fn *note, void *ctx, struct err *e)
{
	struct complete_opts o = {.year = year};
	enum complete_state st;

	if (complete_check(l, &o, cp, e))
		return -1;
	st = complete_get_state(*cp);
	if ((st == COMPLETE_NO_DATA || st == COMPLETE_BEFORE_FULL) && !partial)
		return err_setf(e, ERR_DATA, "%d is not a balance year: %s; "
				"--allow-partial writes it anyway, stamped incomplete",
				year, complete_reason(*cp));
	if (st != COMPLETE_OK && strict)
		return err_setf(e, ERR_DATA, "the data of %d is incomplete "
				"(--strict-complete): %s", year, complete_reason(*cp));
	if (st != COMPLETE_OK)
		report_say(note, ctx, "the data of %d is incomplete, the report says so: %s",
			   year, complete_reason(*cp));
	return 0;
}
