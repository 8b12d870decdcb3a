/*
 * trend: several years calculated with one method (the same factor-set
 * names, GWP, region and fallback for every year, each year with the
 * factors valid in it), as JSON (format co2ledger-trend/1) and as an XLSX
 * workbook with a line chart per unit and a column chart per sector.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "engine/calc.h"
#include "base/date.h"
#include "base/num.h"
#include "base/outfile.h"
#include "reports/report_int.h"

struct report_trend {
	int from, to;
	struct report_trend_year *years; /* to - from + 1 */
	char *factor_spec;
};

size_t
report_trend_count(const struct report_trend *t)
{
	return t ? (size_t)(t->to - t->from + 1) : 0;
}

const struct report_trend_year *
report_trend_at(const struct report_trend *t, size_t i)
{
	return i < report_trend_count(t) ? &t->years[i] : NULL;
}

void
report_trend_free(struct report_trend *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < report_trend_count(t); i++)
		report_free(t->years[i].model);
	free(t->years);
	free(t->factor_spec);
	free(t);
}

int
report_trend_build(struct ledger *l, const struct report_trend_params *p,
		   struct report_trend **out, struct errlist *missing,
		   struct err *e)
{
	struct report_trend *t;
	size_t i, n;
	int failed = 0;

	*out = NULL;
	if (p->from > p->to || p->to - p->from > 60)
		return err_setf(e, ERR_USAGE, "years %d-%d: expected FROM-TO with FROM <= TO, "
				"at most 61 years", p->from, p->to);
	if (!(t = calloc(1, sizeof *t)))
		return err_setf(e, ERR_IO, "out of memory");
	t->from = p->from;
	t->to = p->to;
	n = report_trend_count(t);
	if (!(t->years = calloc(n, sizeof *t->years))) {
		free(t);
		return err_setf(e, ERR_IO, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct report_trend_year *y = &t->years[i];
		struct calc_params cp = {.year = p->from + (int)i, .factors = p->factors,
					 .nfactors = p->nfactors,
					 .gwp = p->gwp,
					 .fallback_previous = p->fallback_previous};
		struct calc_summary sum;
		struct errlist *errs = errlist_new();
		struct err ce;

		y->year = cp.year;
		err_clear(&ce);
		if (!errs)
			goto oom;
		if (calc_run(l, &cp, &sum, errs, &ce)) {
			if (ce.kind == ERR_IO || ce.kind == ERR_USAGE) {
				*e = ce;
				errlist_free(errs);
				report_trend_free(t);
				return -1;
			}
			/* a year that cannot be calculated: name it and its first
			 * problem; the caller decides (never a silent gap) */
			if (errs->n)
				errlist_addf(missing, ERR_DATA, errs->items[0].file,
					     errs->items[0].line, 0, "year %d: %s%s", y->year,
					     errs->items[0].text,
					     errs->total > 1 ? " (and more rows)" : "");
			else
				errlist_addf(missing, ERR_DATA, NULL, 0, 0, "year %d: %s",
					     y->year, ce.text);
			failed = 1;
			errlist_free(errs);
			continue;
		}
		errlist_free(errs);
		y->run_id = sum.run_id;
		y->rows_used = sum.rows_used;
		y->rows_extrapolated = sum.rows_extrapolated;
		if (report_build(l, sum.run_id, 0, p->org, &y->model, e)) {
			report_trend_free(t);
			return -1;
		}
		if (!t->factor_spec &&
		    !(t->factor_spec = strdup(report_factor_spec(y->model))))
			goto oom;
	}
	if (failed) {
		report_trend_free(t);
		return err_setf(e, ERR_DATA, "%zu of the years %d-%d cannot be calculated "
				"with one method; add the missing factors, or run with "
				"--factor-fallback previous (every year then uses the latest "
				"earlier factor, flagged as extrapolated; nearest: also the "
				"earliest later one for years before every factor)", missing->total,
				p->from, p->to);
	}
	*out = t;
	return 0;
oom:
	report_trend_free(t);
	return err_setf(e, ERR_IO, "out of memory");
}

/* ---- JSON ---- */

static json_t *
kg_or_null(const struct report_trend_year *y, int64_t mg)
{
	return y->model && y->rows_used ? report_json_kg(mg) : json_null();
}

static json_t *
kwh_or_null(const struct report_trend_year *y, const struct report_energy *x)
{
	if (!y->model || !y->rows_used || !x->energy_rows)
		return json_null();
	return report_json_kg(x->ukwh);
}

/* The unit's figures in a year's model, NULL when the unit is not there. */
static const struct report_figures *
unit_figures(const struct report_model *m, const char *code)
{
	size_t i;

	if (!code)
		return report_totals(m);
	for (i = 0; i < report_unit_count(m); i++)
		if (strcmp(report_unit_at(m, i)->code, code) == 0)
			return &report_unit_at(m, i)->f;
	return NULL;
}

static json_t *
series_obj(const struct report_trend *t, const char *code)
{
	json_t *o = json_object(), *loc = json_array(), *mkt = json_array(),
	       *en = json_array(), *sec = json_object();
	size_t i, n = report_trend_count(t);
	int s;

	for (i = 0; i < n; i++) {
		const struct report_trend_year *y = &t->years[i];
		const struct report_figures *f = unit_figures(y->model, code);
		json_array_append_new(loc, f ? kg_or_null(y, report_total_location(f))
					     : json_null());
		json_array_append_new(mkt, f ? kg_or_null(y, report_total_market(f))
					     : json_null());
		json_array_append_new(en, f ? kwh_or_null(y, &f->energy) : json_null());
	}
	for (s = 0; s < REPORT_NSECTORS; s++) {
		json_t *a = json_array();
		for (i = 0; i < n; i++) {
			const struct report_trend_year *y = &t->years[i];
			const struct report_figures *f = unit_figures(y->model, code);
			json_array_append_new(a, f ? kg_or_null(y, f->sector[s].location_mg)
						   : json_null());
		}
		json_object_set_new(sec, report_sector_key(s), a);
	}
	json_object_set_new(o, "total_location_kg", loc);
	json_object_set_new(o, "total_market_kg", mkt);
	json_object_set_new(o, "final_energy_kwh", en);
	json_object_set_new(o, "sectors_location_kg", sec);
	return o;
}

json_t *
report_trend_json(const struct report_trend *t, const struct report_out *o)
{
	json_t *root = json_object(), *years = json_array(), *runs = json_array(),
	       *units = json_array();
	const struct report_model *first = t->years[0].model;
	size_t i, n = report_trend_count(t);

	for (i = 0; i < n; i++) {
		const struct report_trend_year *y = &t->years[i];
		const struct report_run *r = report_run_info(y->model);
		json_array_append_new(years, json_integer(y->year));
		json_array_append_new(runs, json_pack(
			"{s:i, s:I, s:s, s:s, s:I, s:I}", "year", y->year,
			"run", (json_int_t)y->run_id, "inputs_sha256", r->inputs_sha256,
			"results_sha256", r->results_sha256,
			"rows_used", (json_int_t)y->rows_used,
			"rows_extrapolated", (json_int_t)y->rows_extrapolated));
	}
	json_object_set_new(root, "format", json_string("co2ledger-trend/1"));
	json_object_set_new(root, "years", years);
	json_object_set_new(root, "method", json_pack(
		"{s:s, s:s, s:s, s:s}", "factor_sets", t->factor_spec,
		"gwp", report_run_info(first)->gwp, "region", report_run_info(first)->region,
		"fallback", report_run_info(first)->fallback));
	json_object_set_new(root, "runs", runs);
	json_object_set_new(root, "totals", series_obj(t, NULL));
	/* the units of the last year, in its display order */
	{
		const struct report_model *last = t->years[n - 1].model;
		for (i = 0; i < report_unit_count(last); i++) {
			const struct report_unit *u = report_unit_at(last, i);
			json_t *x = series_obj(t, u->code);
			json_object_set_new(x, "code", json_string(u->code));
			json_object_set_new(x, "name", json_string(u->name));
			json_object_set_new(x, "kind", json_string(org_kind_name(u->kind)));
			json_array_append_new(units, x);
		}
	}
	json_object_set_new(root, "units", units);
	json_object_set_new(root, "org", report_org(first) ? json_string(report_org(first))
							   : json_null());
	json_object_set_new(root, "generated", json_string(o->generated));
	json_object_set_new(root, "engine", json_string("co2ledger " CO2LEDGER_VERSION));
	return root;
}

void *
report_trend_json_value(const struct report_trend *t, const struct report_out *o)
{
	return report_trend_json(t, o);
}

int
report_trend_write_json(const struct report_trend *t, const struct report_out *o,
			const char *path, struct err *e)
{
	json_t *root = report_trend_json(t, o);
	char *s = json_dumps(root, JSON_INDENT(2) | REPORT_JSON_FLAGS);
	struct outfile of;
	int rc;

	json_decref(root);
	if (!s)
		return err_setf(e, ERR_IO, "out of memory");
	if (outfile_open(&of, path, e)) {
		free(s);
		return -1;
	}
	rc = fputs(s, of.fp) < 0 || fputc('\n', of.fp) == EOF;
	free(s);
	if (rc) {
		outfile_abort(&of);
		return err_set(e, ERR_IO, path, 0, 0, "cannot write");
	}
	return outfile_commit(&of, e);
}

/* ---- XLSX ---- */

static double
tonnes(int64_t mg)
{
	return (double)num_round_shift(mg, 3) / 1e6;
}

int
report_trend_write_xlsx(const struct report_trend *t, const struct report_out *o,
			const char *path, struct err *e)
{
	lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .use_zip64 = LXW_TRUE};
	enum report_lang lang = o->lang;
	const struct report_model *last;
	size_t i, n = report_trend_count(t), nu;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *num, *title, *note;
	lxw_chart *ch;
	lxw_chart_options co = {0};
	struct outfile of;
	const char *sn = report_tr(lang, L_SHEET_TREND);
	char buf[256];
	lxw_row_t r, first_unit, sec_row;
	int s;

	last = t->years[n - 1].model;
	nu = report_unit_count(last);
	if (outfile_open(&of, path, e))
		return -1;
	if (!(wb = workbook_new_opt(of.tmp, &wo))) {
		outfile_abort(&of);
		return err_set(e, ERR_IO, path, 0, 0, "cannot create the workbook");
	}
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDE5EE);
	format_set_text_wrap(head);
	num = workbook_add_format(wb);
	format_set_num_format(num, "#,##0.0");
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	note = workbook_add_format(wb);
	format_set_italic(note);
	ws = workbook_add_worksheet(wb, sn);
	snprintf(buf, sizeof buf, report_tr(lang, L_TREND_TITLE), t->from, t->to);
	worksheet_write_string(ws, 0, 0, buf, title);
	snprintf(buf, sizeof buf, "%s: %s; GWP %s; %s %s", report_tr(lang, L_FACTOR_SETS),
		 t->factor_spec, report_run_info(last)->gwp, report_tr(lang, L_FALLBACK),
		 report_run_info(last)->fallback);
	worksheet_write_string(ws, 1, 0, buf, note);
	/* units x years, t CO2e location-based */
	r = 3;
	worksheet_write_string(ws, r, 0, report_tr(lang, L_CODE), head);
	worksheet_write_string(ws, r, 1, report_tr(lang, L_NAME), head);
	for (i = 0; i < n; i++)
		worksheet_write_number(ws, r, (lxw_col_t)(2 + i), t->years[i].year, head);
	first_unit = ++r;
	for (i = 0; i <= nu; i++, r++) {
		const char *code = i == 0 ? NULL : report_unit_at(last, i - 1)->code;
		size_t k;
		worksheet_write_string(ws, r, 0, code ? code : "", NULL);
		worksheet_write_string(ws, r, 1, code ? report_unit_at(last, i - 1)->name
						     : report_tr(lang, L_TOTAL), NULL);
		for (k = 0; k < n; k++) {
			const struct report_trend_year *y = &t->years[k];
			const struct report_figures *f = unit_figures(y->model, code);
			if (f && y->rows_used)
				worksheet_write_number(ws, r, (lxw_col_t)(2 + k),
						       tonnes(report_total_location(f)), num);
		}
	}
	/* sectors x years for the total */
	r++;
	worksheet_write_string(ws, r, 0, report_tr(lang, L_SECTOR), head);
	worksheet_write_string(ws, r, 1, "", head);
	for (i = 0; i < n; i++)
		worksheet_write_number(ws, r, (lxw_col_t)(2 + i), t->years[i].year, head);
	sec_row = ++r;
	for (s = 0; s < REPORT_NSECTORS; s++, r++) {
		size_t k;
		worksheet_write_string(ws, r, 0, report_sector_key(s), NULL);
		worksheet_write_string(ws, r, 1, report_tr_sector(lang, report_sector_key(s)), NULL);
		for (k = 0; k < n; k++) {
			const struct report_trend_year *y = &t->years[k];
			if (y->rows_used)
				worksheet_write_number(ws, r, (lxw_col_t)(2 + k),
						       tonnes(report_totals(y->model)->sector[s].location_mg),
						       num);
		}
	}
	worksheet_set_column(ws, 0, 0, 22, NULL);
	worksheet_set_column(ws, 1, 1, 34, NULL);
	worksheet_set_column(ws, 2, (lxw_col_t)(1 + n), 12, NULL);
	/* a line per unit over the years */
	ch = workbook_add_chart(wb, LXW_CHART_LINE);
	chart_title_set_name(ch, report_tr(lang, L_CHART_TREND_UNITS));
	for (i = 1; i <= nu; i++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, sn, first_unit - 1, 2, first_unit - 1,
					    (lxw_col_t)(1 + n));
		chart_series_set_values(se, sn, first_unit + (lxw_row_t)i, 2,
					first_unit + (lxw_row_t)i, (lxw_col_t)(1 + n));
		chart_series_set_name_range(se, sn, first_unit + (lxw_row_t)i, 1);
	}
	chart_axis_set_name(ch->y_axis, report_tr(lang, L_T_CO2E));
	co.x_scale = 1.6;
	co.y_scale = 1.4;
	worksheet_insert_chart_opt(ws, r + 1, 0, ch, &co);
	/* the sectors stacked per year */
	ch = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED);
	chart_title_set_name(ch, report_tr(lang, L_CHART_TREND_SECTORS));
	for (s = 0; s < REPORT_NSECTORS; s++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, sn, sec_row - 1, 2, sec_row - 1,
					    (lxw_col_t)(1 + n));
		chart_series_set_values(se, sn, sec_row + (lxw_row_t)s, 2,
					sec_row + (lxw_row_t)s, (lxw_col_t)(1 + n));
		chart_series_set_name_range(se, sn, sec_row + (lxw_row_t)s, 1);
	}
	chart_axis_set_name(ch->y_axis, report_tr(lang, L_T_CO2E));
	worksheet_insert_chart_opt(ws, r + 1, 6, ch, &co);
	{
		lxw_doc_properties props = {0};
		int y, mo, d, h, mi, se;
		snprintf(buf, sizeof buf, report_tr(lang, L_TREND_TITLE), t->from, t->to);
		props.title = buf;
		props.author = "co2ledger";
		props.comments = "co2ledger " CO2LEDGER_VERSION;
		/* the report's own time, so the same trend gives the same bytes */
		if (sscanf(o->generated, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
			   &se) == 6 && date_valid(y, mo, d))
			props.created = (time_t)date_from_ymd(y, mo, d) * 86400 +
					h * 3600 + mi * 60 + se;
		workbook_set_properties(wb, &props);
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		outfile_abort(&of);
		return err_set(e, ERR_IO, path, 0, 0, "cannot write the workbook");
	}
	return outfile_commit(&of, e);
}

/* ---- the units x years table ---- */

static void
trend_table(struct report_emit *em, const struct report_trend *t)
{
	size_t n = report_trend_count(t), i, k;
	const struct report_model *last = report_trend_at(t, n - 1)->model;
	size_t nu = report_unit_count(last);
	char a[40];

	report_emitf(em, "t CO2e location-based, %s, GWP %s, fallback %s\n",
	       report_factor_spec(last), report_run_info(last)->gwp,
	       report_run_info(last)->fallback);
	report_emitf(em, "%-14s", "code");
	for (k = 0; k < n; k++)
		report_emitf(em, " %10d", report_trend_at(t, k)->year);
	report_emitf(em, " %9s\n", "change %");
	for (i = 0; i <= nu; i++) {
		const char *code = i < nu ? report_unit_at(last, i)->code : NULL;
		int64_t first = 0, lastv = 0;
		int has_first = 0, has_last = 0;
		report_emit_col(em, code ? code : "total", 14);
		for (k = 0; k < n; k++) {
			const struct report_trend_year *y = report_trend_at(t, k);
			const struct report_figures *f = NULL;
			size_t j;
			if (!code)
				f = report_totals(y->model);
			else
				for (j = 0; j < report_unit_count(y->model); j++)
					if (strcmp(report_unit_at(y->model, j)->code, code) == 0)
						f = &report_unit_at(y->model, j)->f;
			if (!f || !y->rows_used) {
				report_emitf(em, " %10s", "-");
				continue;
			}
			report_tonnes(report_total_location(f), a, sizeof a);
			report_emitf(em, " %10s", a);
			if (!has_first) {
				first = report_total_location(f);
				has_first = 1;
			}
			lastv = report_total_location(f);
			has_last = 1;
		}
		if (has_first && has_last && first) {
			int64_t x;
			report_pct_x100(lastv - first, first, &x);
			num_format(x, 2, 1, a, sizeof a);
			report_emitf(em, " %9s\n", a);
		} else {
			report_emitf(em, " %9s\n", "-");
		}
	}
}

int
report_trend_show(const struct report_trend *t, const struct report_out *o, int json,
		  report_note_fn *fn, void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};

	if (json) {
		json_t *j = report_trend_json_value(t, o);
		if (!j)
			return -1;
		report_emit_json(&em, j, JSON_INDENT(2));
		report_emitf(&em, "\n");
		json_decref(j);
	} else {
		trend_table(&em, t);
	}
	report_emit_end(&em);
	return 0;
}
