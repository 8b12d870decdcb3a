/*
 * xlsx: the balance as a workbook a sustainability officer can hand on
 * unchanged (SPEC §7). Six sheets: summary with key figures and a chart of
 * the scopes; district comparison with a stacked bar chart by sector and the
 * per-capita ranking; sectors and carriers; every activity line with its
 * factor, citation and source file:line; the factors used; provenance.
 *
 * Numbers are real numeric cells with number formats (tonnes CO2e with
 * thousands separators, kg per resident); header rows are frozen and
 * filterable; pages print landscape, one page wide. The workbook is written
 * in libxlsxwriter's constant-memory mode, so every sheet is filled strictly
 * row by row and the activity sheet streams; past the sheet's row limit it
 * says that the CSV export holds every line. The creation date comes from
 * the report's generation time (SOURCE_DATE_EPOCH in tests), so the same
 * run gives the same bytes. The workbook never leaves this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/date.h"
#include "base/num.h"
#include "reports/change.h"
#include "reports/completeness.h"
#include "base/outfile.h"
#include "base/strbuf.h"
#include "factors/targets.h"
#include "reports/lines.h"


struct fmt {
	lxw_format *title, *head, *bold, *wrap, *t, *t_bold, *kg, *kg3,
		*pct, *integer, *date, *factor, *note, *wrapb, *bold_wrap,
		*t_top, *pct_top;
};

struct book {
	lxw_workbook *wb;
	struct fmt f;
	enum report_lang lang;
	const struct report_model *m;
	const struct report_out *o;
	char header[1200], footer[480]; /* of every printed page */
};

static const char *
tr(const struct book *b, enum report_label k)
{
	return report_tr(b->lang, k);
}

static void
formats(struct book *b)
{
	lxw_workbook *wb = b->wb;
	struct fmt *f = &b->f;

	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(f->head, 0xDDE5EE);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	f->wrap = workbook_add_format(wb);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->t = workbook_add_format(wb);
	format_set_num_format(f->t, "#,##0.0");
	f->t_bold = workbook_add_format(wb);
	format_set_num_format(f->t_bold, "#,##0.0");
	format_set_bold(f->t_bold);
	format_set_top(f->t_bold, LXW_BORDER_THIN);
	f->kg = workbook_add_format(wb);
	format_set_num_format(f->kg, "#,##0.0");
	f->kg3 = workbook_add_format(wb);
	format_set_num_format(f->kg3, "#,##0.000");
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0.00");
	f->integer = workbook_add_format(wb);
	format_set_num_format(f->integer, "#,##0");
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, b->lang == REPORT_EN ? "yyyy-mm-dd" : "dd.mm.yyyy");
	f->factor = workbook_add_format(wb);
	format_set_num_format(f->factor, "0.000000###");
	f->note = workbook_add_format(wb);
	format_set_italic(f->note);
	f->wrapb = workbook_add_format(wb);
	format_set_text_wrap(f->wrapb);
	f->bold_wrap = workbook_add_format(wb);
	format_set_text_wrap(f->bold_wrap);
	format_set_bold(f->bold_wrap);
	f->t_top = workbook_add_format(wb);
	format_set_num_format(f->t_top, "#,##0.0");
	format_set_align(f->t_top, LXW_ALIGN_VERTICAL_TOP);
	f->pct_top = workbook_add_format(wb);
	format_set_num_format(f->pct_top, "0.00");
	format_set_align(f->pct_top, LXW_ALIGN_VERTICAL_TOP);
}

/* A4, `wide` pages wide and as long as needed, the heading row `repeat`
 * (and columns 0..repeat_cols-1 when > 0) on every page, the report's title
 * and the sheet's name above, source and "page x of y" below. */
static void
page_setup(struct book *b, lxw_worksheet *ws, int landscape, uint16_t wide,
	   int repeat, int repeat_cols)
{
	lxw_header_footer_options hf = {.margin = 0.3};

	if (landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
	worksheet_fit_to_pages(ws, wide, 0);
	if (repeat >= 0)
		worksheet_repeat_rows(ws, (lxw_row_t)repeat, (lxw_row_t)repeat);
	if (repeat_cols > 0)
		worksheet_repeat_columns(ws, 0, (lxw_col_t)(repeat_cols - 1));
	worksheet_set_header_opt(ws, b->header, &hf);
	worksheet_set_footer_opt(ws, b->footer, &hf);
}

/* "&" doubled, as headers and footers need it. */
static void
hf_escape(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	for (; *s && o + 2 < n; s++) {
		if (*s == '&')
			buf[o++] = '&';
		buf[o++] = *s;
	}
	buf[o] = '\0';
}

/* Lines a text needs in a column `w` characters wide (greedy word wrap). */
static int
wrap_lines(const char *s, double w)
{
	size_t cap = w > 3 ? (size_t)(w - 1.5) : 1, line = 0, word;
	int lines = 1;

	while (*s) {
		const char *p = s;
		word = 0;
		while (*p && *p != ' ') {
			word += ((unsigned char)*p & 0xC0) != 0x80;
			p++;
		}
		if (line && line + 1 + word > cap) {
			lines++;
			line = 0;
		}
		line += (line ? 1 : 0) + word;
		while (line > cap) { /* a word longer than the column */
			lines++;
			line -= cap;
		}
		s = *p ? p + 1 : p;
	}
	return lines;
}

/* Row height in points for `lines` lines of 11 pt text. */
static double
lines_height(int lines)
{
	return 15.0 * lines + 2;
}

/* Tonnes from milligrams, rounded to grams like the JSON report. */
static double
tonnes(int64_t mg)
{
	return (double)num_round_shift(mg, 3) / 1e6;
}

static void
num_or_blank(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int has, double v,
	     lxw_format *fmt)
{
	if (has)
		worksheet_write_number(ws, r, c, v, fmt);
	else
		worksheet_write_blank(ws, r, c, fmt);
}

/* A percentage in hundredths, or a blank cell. */
static void
pct_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int has, int64_t x100,
	 lxw_format *fmt)
{
	num_or_blank(ws, r, c, has, has ? (double)x100 / 100.0 : 0, fmt);
}

static void
per_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	 const struct report_figures *f, enum report_per per, lxw_format *fmt)
{
	int64_t g = 0;
	int has = report_per_g(f, per, &g);

	num_or_blank(ws, r, c, has, (double)g / 1000.0, fmt);
}

/* Column width from the longest text, in characters, within bounds. */
static double
width(size_t chars, double lo, double hi)
{
	double w = (double)chars + 2;

	return w < lo ? lo : w > hi ? hi : w;
}

/* UTF-8 characters of s. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The height of a heading row whose labels wrap in their columns. */
static double
head_height(const char *const *labels, const double *w, size_t n)
{
	int lines = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		int k = wrap_lines(labels[i], w[i]);
		if (k > lines)
			lines = k;
	}
	return lines_height(lines);
}

/* ---- summary ---- */

static const char *
book_title(const struct book *b, struct strbuf *title)
{
	const struct report_model *m = b->m;

	strbuf_reset(title);
	if (m->sel != (size_t)-1)
		strbuf_addf(title, tr(b, L_TITLE_ORG), m->run.year, m->units[m->sel].name);
	else if (m->state_name)
		strbuf_addf(title, tr(b, L_TITLE_ORG), m->run.year, m->state_name);
	else
		strbuf_addf(title, tr(b, L_TITLE), m->run.year);
	return strbuf_str(title);
}

static int
biogenic_recorded(const struct book *b)
{
	return !b->m->disc || b->m->disc->biogenic_recorded;
}

static void
sheet_summary(struct book *b)
{
	const struct report_model *m = b->m;
	const struct report_figures *f = report_totals(m);
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_SUMMARY));
	const char *sn = tr(b, L_SHEET_SUMMARY);
	struct strbuf title = STRBUF_INIT;
	char when[64];
	lxw_row_t r = 0, first, split;
	lxw_chart *ch;
	lxw_chart_options co = {0};
	int64_t v = 0;
	int q, has, k;
	static const enum report_label QL[] = {L_MEASURED, L_CALCULATED, L_ESTIMATED};
	static const double W[3] = {46, 16, 16};

	worksheet_write_string(ws, r++, 0, book_title(b, &title), b->f.title);
	strbuf_release(&title);
	worksheet_write_string(ws, r, 0, tr(b, L_GENERATED), NULL);
	report_fmt_generated(b->lang, b->o->generated, when, sizeof when);
	worksheet_write_string(ws, r++, 1, when, NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_RUN), NULL);
	worksheet_write_number(ws, r++, 1, (double)m->run.id, NULL);
	if (b->o->complete) { /* the banner takes the empty row */
		char banner[2048];
		report_completeness_banner(b->o->complete, b->lang == REPORT_EN,
					   banner, sizeof banner);
		if (banner[0])
			worksheet_write_string(ws, r, 0, banner, b->f.bold);
	}
	r++;
	worksheet_write_string(ws, r, 0, tr(b, L_KEY_FIGURES), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_VALUE), b->f.head);
	worksheet_write_string(ws, r++, 2, tr(b, L_UNIT), b->f.head);
	first = r;
	{
		const struct { enum report_label l; int64_t mg; } rows[] = {
			{L_SCOPE1, f->scope1_mg},
			{L_SCOPE2_LOC, f->scope2_location_mg},
			{L_SCOPE2_MKT, f->scope2_market_mg},
			{L_SCOPE3, f->scope3_mg},
			{L_UPSTREAM, f->upstream_mg},
			{L_TOTAL_LOC, report_total_location(f)},
			{L_TOTAL_MKT, report_total_market(f)},
			{L_BIOGENIC, f->biogenic_co2_mg},
		};
		size_t i;
		for (i = 0; i < sizeof rows / sizeof rows[0]; i++, r++) {
			int strong = rows[i].l == L_TOTAL_LOC || rows[i].l == L_TOTAL_MKT;
			worksheet_write_string(ws, r, 0, tr(b, rows[i].l), strong ? b->f.bold : NULL);
			if (rows[i].l == L_BIOGENIC && !biogenic_recorded(b)) {
				/* no factor used carries it: 0 t would be wrong */
				worksheet_write_string(ws, r, 1, tr(b, L_NOT_RECORDED), b->f.note);
				worksheet_write_blank(ws, r, 2, NULL);
				continue;
			}
			worksheet_write_number(ws, r, 1, tonnes(rows[i].mg), strong ? b->f.t_bold : b->f.t);
			worksheet_write_string(ws, r, 2, tr(b, L_T_CO2E), NULL);
		}
	}
	worksheet_write_string(ws, r, 0, tr(b, L_PER_CAPITA), NULL);
	per_cell(ws, r, 1, f, REPORT_PER_CAPITA, b->f.kg);
	worksheet_write_string(ws, r++, 2, tr(b, L_KG_CO2E), NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_PER_EMPLOYEE), NULL);
	per_cell(ws, r, 1, f, REPORT_PER_EMPLOYEE, b->f.kg);
	worksheet_write_string(ws, r++, 2, tr(b, L_KG_CO2E), NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_PER_M2), NULL);
	per_cell(ws, r, 1, f, REPORT_PER_M2, b->f.kg);
	worksheet_write_string(ws, r++, 2, tr(b, L_KG_CO2E), NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_PREVIOUS), NULL);
	num_or_blank(ws, r, 1, f->has_previous, tonnes(f->previous_location_mg), b->f.t);
	worksheet_write_string(ws, r++, 2, tr(b, L_T_CO2E), NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_CHANGE), NULL);
	has = report_change_x100(f, &v);
	pct_cell(ws, r, 1, has, v, b->f.pct);
	worksheet_write_string(ws, r++, 2, tr(b, L_PCT), NULL);
	r++;
	worksheet_write_string(ws, r, 0, tr(b, L_QUALITY), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_SHARE_PCT), b->f.head);
	worksheet_write_blank(ws, r++, 2, b->f.head);
	for (q = 0; q < REPORT_NQUALITY; q++, r++) {
		worksheet_write_string(ws, r, 0, tr(b, QL[q]), NULL);
		has = report_pct_x100(f->quality_mg[q], report_total_location(f), &v);
		pct_cell(ws, r, 1, has, v, b->f.pct);
		worksheet_write_string(ws, r, 2, tr(b, L_PCT), NULL);
	}
	worksheet_write_string(ws, r, 0, tr(b, L_EXTRAPOLATED), NULL);
	has = report_pct_x100(f->extrapolated_mg, report_total_location(f), &v);
	pct_cell(ws, r, 1, has, v, b->f.pct);
	worksheet_write_string(ws, r++, 2, tr(b, L_PCT), NULL);
	r++;
	/* the scopes location- and market-based side by side: the data of
	 * the chart (two stacked bars, never four bars that look additive) */
	worksheet_write_string(ws, r, 0, tr(b, L_SCOPE_SPLIT), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_LOCATION_BASED), b->f.head);
	worksheet_write_string(ws, r++, 2, tr(b, L_MARKET_BASED), b->f.head);
	split = r;
	{
		const char *name[3] = {"Scope 1", "Scope 2", "Scope 3"};
		int64_t loc[3] = {f->scope1_mg, f->scope2_location_mg, f->scope3_mg};
		int64_t mkt[3] = {f->scope1_mg, f->scope2_market_mg, f->scope3_mg};
		for (k = 0; k < 3; k++, r++) {
			worksheet_write_string(ws, r, 0, name[k], NULL);
			worksheet_write_number(ws, r, 1, tonnes(loc[k]), b->f.t);
			worksheet_write_number(ws, r, 2, tonnes(mkt[k]), b->f.t);
		}
		worksheet_write_string(ws, r, 0, tr(b, L_TOTAL), b->f.bold);
		worksheet_write_number(ws, r, 1, tonnes(report_total_location(f)), b->f.t_bold);
		worksheet_write_number(ws, r++, 2, tonnes(report_total_market(f)), b->f.t_bold);
	}
	r++;
	worksheet_set_row(ws, r, lines_height(wrap_lines(tr(b, L_METHOD_NOTE), 76)), NULL);
	worksheet_merge_range(ws, r, 0, r, 2, tr(b, L_METHOD_NOTE), b->f.wrap);
	r++;
	worksheet_set_row(ws, r, lines_height(wrap_lines(tr(b, L_STAT_NOTE), 76)), NULL);
	worksheet_merge_range(ws, r, 0, r, 2, tr(b, L_STAT_NOTE), b->f.wrap);
	r++;

	worksheet_set_column(ws, 0, 0, W[0], NULL);
	worksheet_set_column(ws, 1, 2, W[1], NULL);
	worksheet_freeze_panes(ws, first, 0);
	page_setup(b, ws, 0, 1, -1, 0);

	ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN_STACKED);
	chart_title_set_name(ch, tr(b, L_CHART_SCOPES));
	for (k = 0; k < 3; k++) {
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, sn, split - 1, 1, split - 1, 2);
		chart_series_set_values(s, sn, split + (lxw_row_t)k, 1,
					split + (lxw_row_t)k, 2);
		chart_series_set_name_range(s, sn, split + (lxw_row_t)k, 0);
	}
	chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
	chart_axis_set_num_format(ch->y_axis, "#,##0");
	chart_set_series_gap(ch, 80);
	co.x_scale = 1.15;
	co.y_scale = 1.1;
	worksheet_insert_chart_opt(ws, r + 1, 0, ch, &co);
	/* the sheet and its chart (about 16 rows below the text) on one page */
	worksheet_print_area(ws, 0, 0, r + 18, 2);
}

/* ---- method and notes ---- */

/* A wrapped text row of the method sheet. */
static void
method_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *text)
{
	worksheet_set_row(ws, r, lines_height(wrap_lines(text, 84)), NULL);
	worksheet_write_string(ws, r, 0, text, b->f.wrap);
}

/* Every disclosure of the run with its amount and share, then how the
 * figures are made. Without report_disclose() only the method part. */
static void
sheet_method(struct book *b)
{
	const struct report_model *m = b->m;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_METHOD));
	char text[1200];
	lxw_row_t r = 0;
	size_t i;

	worksheet_set_column(ws, 0, 0, 86, NULL);
	worksheet_set_column(ws, 1, 1, 15, NULL);
	worksheet_set_column(ws, 2, 2, 11, NULL);
	worksheet_write_string(ws, r++, 0, tr(b, L_SHEET_METHOD), b->f.title);
	r++;
	if (m->disc) {
		worksheet_write_string(ws, r, 0, tr(b, L_DISCLOSURES), b->f.head);
		worksheet_write_string(ws, r, 1, tr(b, L_AMOUNT_T), b->f.head);
		worksheet_write_string(ws, r++, 2, tr(b, L_SHARE_PCT), b->f.head);
		for (i = 0; i < m->disc->n; i++, r++) {
			const struct report_disclosure *d = &m->disc->v[i];
			int64_t pct = 0;
			int has = report_pct_x100(d->mg, report_disc_base(m, d), &pct);
			report_disc_text(b->lang, m, d, text, sizeof text);
			method_text(b, ws, r, text);
			if (d->kind == D_BIOGENIC && !m->disc->biogenic_recorded && !d->mg)
				continue;
			worksheet_write_number(ws, r, 1, tonnes(d->mg), b->f.t_top);
			pct_cell(ws, r, 2, has, pct, b->f.pct_top);
		}
		r++;
	}
	if (m->run.lens && strcmp(m->run.lens, "bisko") == 0) {
		/* the BISKO data-quality grades of the total */
		const struct report_figures *tf = report_totals(m);
		int64_t pct = 0;
		int has = report_grade_score(tf->grade_ukwh, &pct);
		snprintf(text, sizeof text, b->lang == REPORT_EN
			 ? "Data quality (BISKO grades A/B/C/D, weights 1/0.5/0.25/0, by final "
			   "energy): A %.3f, B %.3f, C %.3f, D %.3f MWh"
			 : "Datengüte (BISKO-Stufen A/B/C/D, Gewichte 1/0,5/0,25/0, nach "
			   "Endenergie): A %.3f, B %.3f, C %.3f, D %.3f MWh",
			 (double)tf->grade_ukwh[0] / 1e9, (double)tf->grade_ukwh[1] / 1e9,
			 (double)tf->grade_ukwh[2] / 1e9, (double)tf->grade_ukwh[3] / 1e9);
		method_text(b, ws, r, text);
		if (has == 1)
			worksheet_write_number(ws, r, 2, (double)pct / 1000.0, b->f.pct_top);
		r += 2;
	}
	if (m->disc && m->disc->bisko) {
		/* the BISKO conformity list: rule, rows named, amount, rows */
		size_t k, j;
		worksheet_write_string(ws, r, 0, tr(b, L_CONFORMITY), b->f.head);
		worksheet_write_string(ws, r, 1, tr(b, L_AMOUNT_T), b->f.head);
		worksheet_write_string(ws, r++, 2, tr(b, L_ROWS), b->f.head);
		for (k = 0; k < B_NRULES; k++) {
			const struct report_bisko_conf *c = &m->disc->conf[k];
			struct strbuf t = STRBUF_INIT;
			if (!c->rows)
				continue;
			strbuf_addf(&t, "%s: %s (", report_bisko_rule_key((enum report_bisko_rule)k),
				    report_bisko_rule_text(b->lang, (enum report_bisko_rule)k));
			for (j = 0; j < c->nrefs; j++)
				strbuf_addf(&t, "%s%s", j ? ", " : "", c->refs[j]);
			strbuf_addf(&t, "%s)", (long)c->nrefs < c->rows ? ", ..." : "");
			method_text(b, ws, r, t.buf ? t.buf : "");
			strbuf_release(&t);
			worksheet_write_number(ws, r, 1, tonnes(c->mg), b->f.t_top);
			worksheet_write_number(ws, r++, 2, (double)c->rows, b->f.integer);
		}
		r++;
	}
	worksheet_write_string(ws, r, 0, tr(b, L_METHOD_BASICS), b->f.head);
	worksheet_write_blank(ws, r, 1, b->f.head);
	worksheet_write_blank(ws, r++, 2, b->f.head);
	method_text(b, ws, r++, tr(b, L_METHOD_NOTE));
	method_text(b, ws, r++, tr(b, L_STAT_NOTE));
	snprintf(text, sizeof text, "%s: %s; %s: %s; %s: %s; %s: %s", tr(b, L_LENS),
		 report_tr_lens(b->lang, m->run.lens), tr(b, L_FACTOR_SETS),
		 report_factor_spec(m), tr(b, L_GWP), m->run.gwp, tr(b, L_FALLBACK),
		 report_tr_fallback(b->lang, m->run.fallback));
	method_text(b, ws, r++, text);
	worksheet_print_area(ws, 0, 0, r, 2);
	page_setup(b, ws, 0, 1, -1, 0);
}

/* ---- district comparison ---- */

enum {
	U_CODE, U_NAME, U_KIND, U_POP, U_EMP, U_AREA, U_S1, U_S2L, U_S2M, U_S3,
	U_TL, U_TM, U_BIO, U_PC, U_PE, U_PM, U_PREV, U_CHG, U_RANK, U_SECTOR0,
	U_NCOLS = U_SECTOR0 + REPORT_NSECTORS
};

static void
unit_row(struct book *b, lxw_worksheet *ws, lxw_row_t r,
	 const struct report_figures *f, const char *code, const char *name,
	 const char *kind, int total)
{
	lxw_format *t = total ? b->f.t_bold : b->f.t;
	int64_t v = 0;
	int i;

	worksheet_write_string(ws, r, U_CODE, code, total ? b->f.bold : NULL);
	worksheet_write_string(ws, r, U_NAME, name, total ? b->f.bold_wrap : b->f.wrapb);
	worksheet_write_string(ws, r, U_KIND, kind, NULL);
	num_or_blank(ws, r, U_POP, f->has_stat[REPORT_PER_CAPITA],
		     (double)f->stat[REPORT_PER_CAPITA], b->f.integer);
	num_or_blank(ws, r, U_EMP, f->has_stat[REPORT_PER_EMPLOYEE],
		     (double)f->stat[REPORT_PER_EMPLOYEE], b->f.integer);
	num_or_blank(ws, r, U_AREA, f->has_stat[REPORT_PER_M2],
		     (double)f->stat[REPORT_PER_M2] / 1000.0, b->f.integer);
	worksheet_write_number(ws, r, U_S1, tonnes(f->scope1_mg), t);
	worksheet_write_number(ws, r, U_S2L, tonnes(f->scope2_location_mg), t);
	worksheet_write_number(ws, r, U_S2M, tonnes(f->scope2_market_mg), t);
	worksheet_write_number(ws, r, U_S3, tonnes(f->scope3_mg), t);
	worksheet_write_number(ws, r, U_TL, tonnes(report_total_location(f)), t);
	worksheet_write_number(ws, r, U_TM, tonnes(report_total_market(f)), t);
	if (biogenic_recorded(b))
		worksheet_write_number(ws, r, U_BIO, tonnes(f->biogenic_co2_mg), t);
	else
		worksheet_write_string(ws, r, U_BIO, tr(b, L_NOT_RECORDED), b->f.note);
	per_cell(ws, r, U_PC, f, REPORT_PER_CAPITA, b->f.kg);
	per_cell(ws, r, U_PE, f, REPORT_PER_EMPLOYEE, b->f.kg);
	per_cell(ws, r, U_PM, f, REPORT_PER_M2, b->f.kg);
	num_or_blank(ws, r, U_PREV, f->has_previous, tonnes(f->previous_location_mg), t);
	i = report_change_x100(f, &v);
	pct_cell(ws, r, U_CHG, i, v, b->f.pct);
	num_or_blank(ws, r, U_RANK, f->rank > 0, (double)f->rank, b->f.integer);
	for (i = 0; i < REPORT_NSECTORS; i++)
		worksheet_write_number(ws, r, U_SECTOR0 + i,
				       tonnes(f->sector[i].location_mg), t);
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct report_unit *x = *(const struct report_unit *const *)a;
	const struct report_unit *y = *(const struct report_unit *const *)b;

	if (x->f.rank != y->f.rank)
		return x->f.rank < y->f.rank ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* A name of at most 30 characters for a chart axis: longer ones keep their
 * first 29 characters and end in "…". */
static void
chart_label(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *name)
{
	char buf[160];
	size_t n = 0, bytes = 0;
	const char *p;

	if (chars(name) <= 30) {
		worksheet_write_string(ws, r, c, name, NULL);
		return;
	}
	for (p = name; *p && bytes + 4 < sizeof buf; p++, bytes++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == 29)
			break;
		buf[bytes] = *p;
	}
	memcpy(buf + bytes, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
	worksheet_write_string(ws, r, c, buf, NULL);
}

/* A chart on a sheet of its own, printed on one A4 landscape page. */
static void
chart_page(struct book *b, const char *name, lxw_chart *ch)
{
	lxw_chartsheet *cs = workbook_add_chartsheet(b->wb, name);
	lxw_header_footer_options hf = {.margin = 0.3};

	chartsheet_set_chart(cs, ch);
	chartsheet_set_landscape(cs);
	chartsheet_set_paper(cs, 9);
	chartsheet_set_header_opt(cs, b->header, &hf);
	chartsheet_set_footer_opt(cs, b->footer, &hf);
}

static int
sheet_units(struct book *b, struct err *e)
{
	const struct report_model *m = b->m;
	size_t n = report_unit_count(m), i, nr = 0;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_UNITS));
	const char *sn = tr(b, L_SHEET_UNITS);
	const struct report_unit **ranked = malloc((m->nunits ? m->nunits : 1) *
						   sizeof *ranked);
	static const enum report_label HEAD[U_SECTOR0] = {
		L_CODE, L_NAME, L_KIND, L_POPULATION, L_EMPLOYEES, L_FLOOR_AREA,
		L_SCOPE1, L_SCOPE2_LOC, L_SCOPE2_MKT, L_SCOPE3, L_TOTAL_LOC,
		L_TOTAL_MKT, L_BIOGENIC, L_PER_CAPITA, L_PER_EMPLOYEE, L_PER_M2,
		L_PREVIOUS, L_CHANGE, L_RANK};
	const char *labels[U_NCOLS];
	double w[U_NCOLS];
	char sector_label[REPORT_NSECTORS][160];
	size_t wcode = chars(tr(b, L_CODE)), wname = chars(tr(b, L_NAME));
	lxw_row_t r, rank_head, last;
	lxw_chart *ch;
	lxw_chart_font axis_font = {.size = 8};
	lxw_chart_font title_font = {.size = 12, .bold = LXW_EXPLICIT_FALSE};
	int k;

	if (!ranked)
		return err_setf(e, ERR_IO, "out of memory");
	/* widths from every name the sheet shows, the ranking's included
	 * (it lists all districts also when one is selected) */
	for (i = 0; i < m->nunits; i++) {
		if (chars(m->units[i].code) > wcode)
			wcode = chars(m->units[i].code);
		if (chars(m->units[i].name) > wname)
			wname = chars(m->units[i].name);
	}
	if (chars(tr(b, L_TOTAL)) > wname)
		wname = chars(tr(b, L_TOTAL));
	for (k = 0; k < U_SECTOR0; k++) {
		labels[k] = tr(b, HEAD[k]);
		w[k] = 13;
	}
	for (k = 0; k < REPORT_NSECTORS; k++) {
		snprintf(sector_label[k], sizeof sector_label[k], "%s (t CO2e)",
			 report_tr_sector(b->lang, report_sector_key(k)));
		labels[U_SECTOR0 + k] = sector_label[k];
		w[U_SECTOR0 + k] = 13;
	}
	w[U_CODE] = width(wcode, 8, 20);
	w[U_NAME] = width(wname, 12, 34); /* longer names wrap */
	w[U_KIND] = 16;
	for (k = 0; k < U_NCOLS; k++)
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, w[k], NULL);
	{
		lxw_row_col_options hidden = {.hidden = 1};
		worksheet_set_column_opt(ws, U_NCOLS, U_NCOLS, 30, NULL, &hidden);
	}
	worksheet_set_row(ws, 0, head_height(labels, w, U_NCOLS), NULL);
	for (k = 0; k < U_NCOLS; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)k, labels[k], b->f.head);
	/* in constant-memory mode ranges must be set while their rows are
	 * still ahead */
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, U_NCOLS - 1);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		if (wrap_lines(u->name, w[U_NAME]) > 1)
			worksheet_set_row(ws, (lxw_row_t)(i + 1),
					  lines_height(wrap_lines(u->name, w[U_NAME])), NULL);
		unit_row(b, ws, (lxw_row_t)(i + 1), &u->f, u->code, u->name,
			 report_tr_kind(b->lang, u->kind), 0);
		/* the chart's label, hidden: long names shortened to one line
		 * (a chart cannot wrap them without dropping labels) */
		chart_label(ws, (lxw_row_t)(i + 1), U_NCOLS, u->name);
	}
	r = (lxw_row_t)(n + 1);
	if (m->sel == (size_t)-1)
		unit_row(b, ws, r++, &m->all, m->state_code ? m->state_code : "",
			 tr(b, L_TOTAL), m->state_code ? report_tr_kind(b->lang, ORG_STATE) : "",
			 1);
	worksheet_freeze_panes(ws, 1, 2);

	/* the per-capita ranking of the districts, below the table */
	for (i = 0; i < m->nunits; i++)
		if (m->units[i].f.rank > 0)
			ranked[nr++] = &m->units[i];
	qsort(ranked, nr, sizeof *ranked, cmp_rank);
	r += 2;
	worksheet_write_string(ws, r++, 0, tr(b, L_RANKING), b->f.bold);
	rank_head = r;
	{
		const char *rl[4] = {tr(b, L_RANK), tr(b, L_NAME), tr(b, L_CODE),
				     tr(b, L_PER_CAPITA_KG_SHORT)};
		double rw[4] = {w[0], w[1], w[2], w[3]};
		worksheet_set_row(ws, r, head_height(rl, rw, 4), NULL);
		for (k = 0; k < 4; k++)
			worksheet_write_string(ws, r, (lxw_col_t)k, rl[k], b->f.head);
		r++;
	}
	for (i = 0; i < nr; i++, r++) {
		if (wrap_lines(ranked[i]->name, w[U_NAME]) > 1)
			worksheet_set_row(ws, r, lines_height(wrap_lines(ranked[i]->name,
									 w[U_NAME])), NULL);
		worksheet_write_number(ws, r, 0, ranked[i]->f.rank, b->f.integer);
		worksheet_write_string(ws, r, 1, ranked[i]->name, b->f.wrapb);
		worksheet_write_string(ws, r, 2, ranked[i]->code, NULL);
		per_cell(ws, r, 3, &ranked[i]->f, REPORT_PER_CAPITA, b->f.kg);
	}
	free(ranked);
	last = r;

	/* the ranking as sorted bars, lowest value at the top, and the
	 * sectors per unit as stacked bars: each chart on a sheet of its
	 * own, one landscape page each when printed */
	if (nr > 0) {
		lxw_chart_series *s;
		ch = workbook_add_chart(b->wb, LXW_CHART_BAR);
		chart_title_set_name(ch, tr(b, L_CHART_RANKING));
		s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, sn, rank_head + 1, 1,
					    rank_head + (lxw_row_t)nr, 1);
		chart_series_set_values(s, sn, rank_head + 1, 3,
					rank_head + (lxw_row_t)nr, 3);
		chart_series_set_name(s, tr(b, L_PER_CAPITA_KG_SHORT));
		chart_series_set_labels(s);
		chart_series_set_labels_num_format(s, "#,##0.0");
		chart_axis_set_reverse(ch->y_axis);
		chart_axis_set_interval_unit(ch->y_axis, 1);
		chart_axis_set_num_font(ch->y_axis, &axis_font);
		chart_axis_set_num_format(ch->x_axis, "#,##0");
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_page(b, tr(b, L_SHEET_CHART_RANKING), ch);
	}
	if (n > 1) {
		ch = workbook_add_chart(b->wb, LXW_CHART_BAR_STACKED);
		chart_title_set_name(ch, tr(b, L_CHART_SECTORS));
		chart_title_set_name_font(ch, &title_font);
		chart_show_hidden_data(ch); /* the labels come from a hidden column */
		for (k = 0; k < REPORT_NSECTORS; k++) {
			lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
			chart_series_set_categories(s, sn, 1, U_NCOLS, (lxw_row_t)n, U_NCOLS);
			chart_series_set_values(s, sn, 1, U_SECTOR0 + (lxw_col_t)k,
						(lxw_row_t)n, U_SECTOR0 + (lxw_col_t)k);
			chart_series_set_name_range(s, sn, 0, U_SECTOR0 + (lxw_col_t)k);
		}
		/* bars: the value axis is the horizontal one; first unit on top,
		 * every unit labelled */
		chart_axis_set_reverse(ch->y_axis);
		chart_axis_set_interval_unit(ch->y_axis, 1);
		chart_axis_set_num_font(ch->y_axis, &axis_font);
		chart_axis_set_num_format(ch->x_axis, "#,##0");
		chart_legend_set_position(ch, LXW_CHART_LEGEND_TOP);
		chart_page(b, tr(b, L_SHEET_CHART_SECTORS), ch);
	}
	worksheet_print_area(ws, 0, 0, last, U_NCOLS - 1);
	page_setup(b, ws, 1, 2, 0, 2);
	return 0;
}

/* ---- sectors and carriers ---- */

static void
pair_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *code,
	 const char *name, const char *what, const char *key, const char *label,
	 const struct report_pair *p)
{
	worksheet_write_string(ws, r, 0, code, NULL);
	worksheet_write_string(ws, r, 1, name, NULL);
	worksheet_write_string(ws, r, 2, what, NULL);
	worksheet_write_string(ws, r, 3, key, NULL);
	worksheet_write_string(ws, r, 4, label, NULL);
	worksheet_write_number(ws, r, 5, tonnes(p->location_mg), b->f.t);
	worksheet_write_number(ws, r, 6, tonnes(p->market_mg), b->f.t);
}

static void
pairs_of(struct book *b, lxw_worksheet *ws, lxw_row_t *r, const char *code,
	 const char *name, const struct report_figures *f)
{
	const struct report_model *m = b->m;
	char buf[128];
	size_t i;

	for (i = 0; i < REPORT_NSECTORS; i++)
		pair_row(b, ws, (*r)++, code, name, tr(b, L_SECTOR), report_sector_key((int)i),
			 report_tr_sector(b->lang, report_sector_key((int)i)), &f->sector[i]);
	for (i = 0; i < m->ncarriers; i++)
		if (f->carrier[i].location_mg || f->carrier[i].market_mg)
			pair_row(b, ws, (*r)++, code, name, tr(b, L_CARRIER), m->carriers[i],
				 report_tr_carrier(b->lang, m->carriers[i], buf, sizeof buf),
				 &f->carrier[i]);
}

static void
sheet_sectors(struct book *b)
{
	const struct report_model *m = b->m;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_SECTORS));
	size_t i, n = report_unit_count(m), wname = 12, wlabel = chars(tr(b, L_LABEL));
	size_t wwhat = chars(tr(b, L_WHAT));
	lxw_row_t r = 1;
	char buf[128];

	/* widths from the texts the sheet shows, so that nothing is clipped */
	if (chars(tr(b, L_SECTOR)) > wwhat)
		wwhat = chars(tr(b, L_SECTOR));
	if (chars(tr(b, L_CARRIER)) > wwhat)
		wwhat = chars(tr(b, L_CARRIER));
	if (chars(tr(b, L_TOTAL)) > wname)
		wname = chars(tr(b, L_TOTAL));
	for (i = 0; i < REPORT_NSECTORS; i++)
		if (chars(report_tr_sector(b->lang, report_sector_key((int)i))) > wlabel)
			wlabel = chars(report_tr_sector(b->lang, report_sector_key((int)i)));
	for (i = 0; i < m->ncarriers; i++)
		if (chars(report_tr_carrier(b->lang, m->carriers[i], buf, sizeof buf)) > wlabel)
			wlabel = chars(report_tr_carrier(b->lang, m->carriers[i], buf, sizeof buf));
	for (i = 0; i < n; i++)
		if (chars(report_unit_at(m, i)->name) > wname)
			wname = chars(report_unit_at(m, i)->name);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, width(wname, 12, 64), NULL);
	worksheet_set_column(ws, 2, 2, width(wwhat, 10, 40), NULL);
	worksheet_set_column(ws, 3, 3, 22, NULL);
	worksheet_set_column(ws, 4, 4, width(wlabel, 12, 48), NULL);
	worksheet_set_column(ws, 5, 6, 16, NULL);
	worksheet_set_row(ws, 0, lines_height(2), NULL);

	worksheet_write_string(ws, 0, 0, tr(b, L_CODE), b->f.head);
	worksheet_write_string(ws, 0, 1, tr(b, L_NAME), b->f.head);
	worksheet_write_string(ws, 0, 2, tr(b, L_WHAT), b->f.head);
	worksheet_write_string(ws, 0, 3, tr(b, L_KEY), b->f.head);
	worksheet_write_string(ws, 0, 4, tr(b, L_LABEL), b->f.head);
	worksheet_write_string(ws, 0, 5, tr(b, L_LOCATION_T), b->f.head);
	worksheet_write_string(ws, 0, 6, tr(b, L_MARKET_T), b->f.head);
	if (m->sel == (size_t)-1)
		pairs_of(b, ws, &r, m->state_code ? m->state_code : "", tr(b, L_TOTAL),
			 &m->all);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		pairs_of(b, ws, &r, u->code, u->name, &u->f);
	}
	worksheet_autofilter(ws, 0, 0, r - 1, 6);
	worksheet_freeze_panes(ws, 1, 0);
	page_setup(b, ws, 1, 1, 0, 0);
}

/* ---- final energy ---- */

static double
mwh(int64_t ukwh)
{
	return (double)num_round_shift(ukwh, 6) / 1000.0; /* kWh, then MWh */
}

static void
energy_cell(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	    const struct report_energy *x, lxw_format *fmt)
{
	if (report_energy_known(b->m) && x->energy_rows)
		worksheet_write_number(ws, r, c, mwh(x->ukwh), fmt);
	else
		worksheet_write_blank(ws, r, c, fmt);
}

static void
primary_cell(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
	     const struct report_energy *x, lxw_format *fmt)
{
	if (report_energy_known(b->m) && x->primary_rows)
		worksheet_write_number(ws, r, c, mwh(x->primary_ukwh), fmt);
	else
		worksheet_write_blank(ws, r, c, fmt);
}

static void
energy_unit_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *code,
		const char *name, const struct report_figures *f, int total)
{
	lxw_format *fmt = total ? b->f.t_bold : b->f.kg3;
	int i;

	worksheet_write_string(ws, r, 0, code, total ? b->f.bold : NULL);
	worksheet_write_string(ws, r, 1, name, total ? b->f.bold : NULL);
	energy_cell(b, ws, r, 2, &f->energy, fmt);
	for (i = 0; i < REPORT_NSECTORS - 1; i++) /* procurement has none */
		energy_cell(b, ws, r, (lxw_col_t)(3 + i), &f->sector_energy[i], fmt);
	primary_cell(b, ws, r, (lxw_col_t)(2 + REPORT_NSECTORS), &f->energy, fmt);
}

/* Final energy per reporting unit and sector, then per site and carrier
 * with the emissions of the same rows. */
static void
sheet_energy(struct book *b)
{
	const struct report_model *m = b->m;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_ENERGY));
	size_t i, n = report_unit_count(m), nc = report_energy_cell_count(m);
	lxw_row_t r = 0;
	char buf[256];
	int k;

	snprintf(buf, sizeof buf, tr(b, L_ENERGY_TITLE), m->run.year);
	worksheet_write_string(ws, r++, 0, buf, b->f.title);
	{
		/* one note: final energy, then primary energy */
		struct strbuf note;
		strbuf_init(&note, 0);
		strbuf_addf(&note, "%s %s", tr(b, L_ENERGY_NOTE), tr(b, L_PRIMARY_NOTE));
		worksheet_write_string(ws, r++, 0, strbuf_failed(&note) ? tr(b, L_ENERGY_NOTE)
					   : strbuf_str(&note), b->f.note);
		strbuf_release(&note);
	}
	if (!report_energy_known(m))
		worksheet_write_string(ws, r, 0, tr(b, L_ENERGY_UNKNOWN), b->f.bold);
	r++;
	worksheet_set_row(ws, r, lines_height(3), NULL);
	worksheet_write_string(ws, r, 0, tr(b, L_CODE), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_NAME), b->f.head);
	worksheet_write_string(ws, r, 2, tr(b, L_ENERGY_MWH), b->f.head);
	for (k = 0; k < REPORT_NSECTORS - 1; k++) {
		snprintf(buf, sizeof buf, "%s (MWh)",
			 report_tr_sector(b->lang, report_sector_key(k)));
		worksheet_write_string(ws, r, (lxw_col_t)(3 + k), buf, b->f.head);
	}
	worksheet_write_string(ws, r, (lxw_col_t)(2 + REPORT_NSECTORS),
			       tr(b, L_PRIMARY_MWH), b->f.head);
	r++;
	if (m->sel == (size_t)-1)
		energy_unit_row(b, ws, r++, m->state_code ? m->state_code : "",
				tr(b, L_TOTAL), &m->all, 1);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		energy_unit_row(b, ws, r++, u->code, u->name, &u->f, 0);
	}
	r++;
	worksheet_write_string(ws, r++, 0, tr(b, L_ENERGY_BY_SITE), b->f.bold);
	{
		static const enum report_label HEAD[] = {
			L_CODE, L_NAME, L_REPORTING_UNIT, L_SECTOR, L_CARRIER,
			L_ENERGY_MWH, L_LOCATION_T, L_MARKET_T, L_ROWS, L_ENERGY_ROWS,
			L_ENERGY_NONE, L_PRIMARY_MWH};
		worksheet_set_row(ws, r, lines_height(2), NULL);
		for (k = 0; k < (int)(sizeof HEAD / sizeof HEAD[0]); k++)
			worksheet_write_string(ws, r, (lxw_col_t)k, tr(b, HEAD[k]), b->f.head);
		r++;
	}
	for (i = 0; i < nc; i++) {
		const struct report_energy_cell *c = report_energy_cell_at(m, i);
		const char *none = report_energy_none(c->sector, c->carrier);
		worksheet_write_string(ws, r, 0, c->code, NULL);
		worksheet_write_string(ws, r, 1, c->name, NULL);
		worksheet_write_string(ws, r, 2, c->report_code ? c->report_code : "", NULL);
		worksheet_write_string(ws, r, 3, report_tr_sector(b->lang, c->sector), NULL);
		worksheet_write_string(ws, r, 4, report_tr_carrier(b->lang, c->carrier, buf,
								   sizeof buf), NULL);
		energy_cell(b, ws, r, 5, &c->e, b->f.kg3);
		worksheet_write_number(ws, r, 6, tonnes(c->e.location_mg), b->f.kg3);
		worksheet_write_number(ws, r, 7, tonnes(c->e.market_mg), b->f.kg3);
		worksheet_write_number(ws, r, 8, (double)c->e.rows, b->f.integer);
		worksheet_write_number(ws, r, 9, (double)c->e.energy_rows, b->f.integer);
		if (none)
			worksheet_write_string(ws, r, 10, tr(b, strcmp(none, "spend-based") == 0
							    ? L_NONE_SPEND : L_NONE_DISTANCE), NULL);
		else if (c->e.energy_rows < c->e.rows)
			worksheet_write_string(ws, r, 10, tr(b, L_NONE_CONVERSION), NULL);
		primary_cell(b, ws, r, 11, &c->e, b->f.kg3);
		r++;
	}
	/* widths from the texts, as on the sectors sheet, so that no name,
	 * sector, carrier or note is clipped */
	{
		size_t wname = chars(tr(b, L_TOTAL)), wsec = 10, wcar = 12, wnote = 10;
		static const enum report_label NOTES[] = {L_NONE_SPEND, L_NONE_DISTANCE,
							  L_NONE_CONVERSION};
		for (i = 0; i < n; i++)
			if (chars(report_unit_at(m, i)->name) > wname)
				wname = chars(report_unit_at(m, i)->name);
		for (i = 0; i < nc; i++) {
			const struct report_energy_cell *c = report_energy_cell_at(m, i);
			if (chars(c->name) > wname)
				wname = chars(c->name);
			if (chars(report_tr_sector(b->lang, c->sector)) > wsec)
				wsec = chars(report_tr_sector(b->lang, c->sector));
			if (chars(report_tr_carrier(b->lang, c->carrier, buf, sizeof buf)) > wcar)
				wcar = chars(report_tr_carrier(b->lang, c->carrier, buf, sizeof buf));
		}
		for (i = 0; i < sizeof NOTES / sizeof NOTES[0]; i++)
			if (chars(tr(b, NOTES[i])) > wnote)
				wnote = chars(tr(b, NOTES[i]));
		worksheet_set_column(ws, 0, 0, 16, NULL);
		worksheet_set_column(ws, 1, 1, width(wname, 12, 64), NULL);
		worksheet_set_column(ws, 2, 2, 16, NULL);
		worksheet_set_column(ws, 3, 3, width(wsec, 16, 40), NULL);
		worksheet_set_column(ws, 4, 4, width(wcar, 16, 48), NULL);
		worksheet_set_column(ws, 5, 9, 16, NULL);
		worksheet_set_column(ws, 10, 10, width(wnote, 16, 60), NULL);
		worksheet_set_column(ws, 11, 11, 20, NULL);
	}
	page_setup(b, ws, 1, 1, -1, 0);
}

/* ---- targets ---- */

static double
micro_num(int64_t v)
{
	return (double)num_round_shift(v, 3) / 1000.0;
}

/* Progress toward the registered targets: one row per target and unit,
 * then per target (its own unit) the path and the actual value over the
 * years, with a line chart of both. */
static void
sheet_targets(struct book *b)
{
	const struct report_goals *g = b->o->goals;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, L_SHEET_TARGETS));
	const char *sn = tr(b, L_SHEET_TARGETS);
	static const enum report_label HEAD[] = {
		L_TARGET, L_CODE, L_TARGET_METRIC, L_TARGET_BASE_YEAR, L_TARGET_BASE,
		L_TARGET_CURRENT, L_TARGET_PATH, L_TARGET_GAP, L_TARGET_GAP_PCT,
		L_TARGET_REQUIRED, L_TARGET_ON_TRACK, L_TARGET_SOURCE, L_ENERGY_NONE};
	size_t i, n = report_goals_count(g), nh = sizeof HEAD / sizeof HEAD[0];
	lxw_row_t r = 0;
	char buf[160];
	int k;

	snprintf(buf, sizeof buf, tr(b, L_TARGETS_TITLE), b->m->run.year);
	worksheet_write_string(ws, r++, 0, buf, b->f.title);
	worksheet_write_string(ws, r++, 0, tr(b, L_TARGETS_NOTE), b->f.note);
	r++;
	worksheet_set_row(ws, r, 30, NULL);
	for (k = 0; k < (int)nh; k++)
		worksheet_write_string(ws, r, (lxw_col_t)k, tr(b, HEAD[k]), b->f.head);
	r++;
	for (i = 0; i < n; i++, r++) {
		const struct report_goal *x = report_goals_at(g, i);
		int cmp = x->has_current && x->has_path && x->has_base;
		worksheet_write_string(ws, r, 0, x->target->id, NULL);
		worksheet_write_string(ws, r, 1, x->code, NULL);
		worksheet_write_string(ws, r, 2, target_metric_name(x->target->metric), NULL);
		worksheet_write_number(ws, r, 3, x->base_year, NULL);
		num_or_blank(ws, r, 4, x->has_base, micro_num(x->base), b->f.kg3);
		num_or_blank(ws, r, 5, x->has_current, micro_num(x->current), b->f.kg3);
		num_or_blank(ws, r, 6, x->has_path && x->has_base, micro_num(x->path), b->f.kg3);
		num_or_blank(ws, r, 7, cmp, micro_num(x->gap), b->f.kg3);
		num_or_blank(ws, r, 8, cmp, (double)x->gap_pct_x100 / 100.0, b->f.pct);
		num_or_blank(ws, r, 9, x->has_required && x->has_base, micro_num(x->required),
			     b->f.kg3);
		if (cmp)
			worksheet_write_string(ws, r, 10, tr(b, x->on_track ? L_YES : L_NO), NULL);
		worksheet_write_string(ws, r, 11, x->target->citation, NULL);
		if (x->why) {
			struct strbuf sb = STRBUF_INIT;
			worksheet_write_string(ws, r, 12, report_goal_why(x, b->lang, &sb), NULL);
			strbuf_release(&sb);
		}
	}
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 10, 14, NULL);
	worksheet_set_column(ws, 11, 12, 50, NULL);
	/* actual vs path per target (its own unit, not the districts) */
	r += 2;
	for (i = 0; i < n; i++) {
		const struct report_goal *x = report_goals_at(g, i);
		const struct target *t = x->target;
		lxw_row_t top;
		lxw_chart *ch;
		lxw_chart_series *se;
		lxw_chart_options co = {0};
		size_t m, rows;
		if (!x->has_base || strcmp(x->code, t->unit) != 0)
			continue;
		worksheet_write_string(ws, r++, 0, t->title, b->f.bold);
		worksheet_write_string(ws, r, 0, tr(b, L_YEAR), b->f.head);
		worksheet_write_string(ws, r, 1, tr(b, L_TARGET_PATH), b->f.head);
		worksheet_write_string(ws, r, 2, tr(b, L_TARGET_CURRENT), b->f.head);
		top = ++r;
		/* the base year, the report year (when between), the milestones */
		worksheet_write_number(ws, r, 0, x->base_year, NULL);
		worksheet_write_number(ws, r++, 1, micro_num(x->base), b->f.kg3);
		if (x->year > x->base_year && x->year < t->milestones[0].year) {
			worksheet_write_number(ws, r, 0, x->year, NULL);
			worksheet_write_number(ws, r, 1, micro_num(x->path), b->f.kg3);
			if (x->has_current)
				worksheet_write_number(ws, r, 2, micro_num(x->current), b->f.kg3);
			r++;
		}
		for (m = 0; m < t->nmilestones; m++, r++) {
			const struct target_milestone *ms = &t->milestones[m];
			worksheet_write_number(ws, r, 0, ms->year, NULL);
			worksheet_write_number(ws, r, 1, micro_num(ms->has_value ? ms->value
						: report_goal_of_base(x->base, ms->reduction_pct)),
					       b->f.kg3);
		}
		rows = (size_t)(r - top);
		ch = workbook_add_chart(b->wb, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS);
		chart_title_set_name(ch, t->id);
		se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, sn, top, 0, top + (lxw_row_t)rows - 1, 0);
		chart_series_set_values(se, sn, top, 1, top + (lxw_row_t)rows - 1, 1);
		chart_series_set_name(se, tr(b, L_TARGET_PATH));
		se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, sn, top, 0, top + (lxw_row_t)rows - 1, 0);
		chart_series_set_values(se, sn, top, 2, top + (lxw_row_t)rows - 1, 2);
		chart_series_set_name(se, tr(b, L_TARGET_CURRENT));
		chart_series_set_marker_type(se, LXW_CHART_MARKER_DIAMOND);
		chart_series_set_marker_size(se, 9);
		chart_axis_set_min(ch->x_axis, x->base_year);
		co.x_scale = 1.0;
		co.y_scale = 1.0;
		worksheet_insert_chart_opt(ws, top - 2, 4, ch, &co);
		r += rows < 14 ? (lxw_row_t)(14 - rows) : 1;
	}
	page_setup(b, ws, 1, 1, -1, 0);
}

/* ---- activities ---- */

enum {
	A_ORG, A_REPORT, A_SOURCE, A_FROM, A_TO, A_DAYS, A_QTY, A_UNIT, A_ACTIVITY,
	A_SECTOR, A_CARRIER, A_QUALITY, A_TARIFF, A_FACTOR, A_SET, A_VALUE,
	A_FUNIT, A_MARKET, A_CONV, A_CITATION, A_EXTRA, A_EXCL, A_LOC, A_MKT,
	A_ENERGY, A_ECONV, A_NCOLS
};

struct act {
	struct book *b;
	lxw_worksheet *ws;
	long limit;   /* data rows that fit */
	long lines;   /* every line seen */
	size_t w[A_NCOLS]; /* widest text per column, in characters */
};

/* A text cell of the activity sheet; remembers the column's width. */
static void
act_text(struct act *a, lxw_row_t r, int col, const char *s)
{
	size_t n = chars(s);

	if (n > a->w[col])
		a->w[col] = n;
	worksheet_write_string(a->ws, r, (lxw_col_t)col, s, NULL);
}

static int
act_line(void *ctx, const struct report_line *ln, struct err *e)
{
	struct act *a = ctx;
	struct book *b = a->b;
	lxw_worksheet *ws = a->ws;
	const struct calc_row *row = ln->row;
	lxw_row_t r;
	char buf[128];

	a->lines++;
	if (a->lines > a->limit)
		return 0;
	r = (lxw_row_t)a->lines;
	act_text(a, r, A_ORG, row->org_code);
	act_text(a, r, A_REPORT, ln->reporting_unit);
	act_text(a, r, A_SOURCE, ln->source);
	worksheet_write_number(ws, r, A_FROM, (double)row->day_start + 25569.0, b->f.date);
	worksheet_write_number(ws, r, A_TO, (double)row->day_end + 25569.0, b->f.date);
	{
		char d[48];
		snprintf(d, sizeof d, "%ld / %ld", ln->days_in, ln->days_total);
		act_text(a, r, A_DAYS, d);
	}
	worksheet_write_number(ws, r, A_QTY, ln->quantity_value, NULL);
	act_text(a, r, A_UNIT, report_tr_unit(b->lang, row->unit));
	act_text(a, r, A_ACTIVITY, row->activity);
	act_text(a, r, A_SECTOR, report_tr_sector(b->lang, row->sector));
	act_text(a, r, A_CARRIER, report_tr_carrier(b->lang, row->carrier, buf, sizeof buf));
	act_text(a, r, A_QUALITY, report_tr_quality(b->lang, row->quality));
	if (row->tariff)
		act_text(a, r, A_TARIFF, row->tariff);
	act_text(a, r, A_FACTOR, ln->factor_id);
	act_text(a, r, A_SET, ln->factor_set);
	if (ln->ndistinct == 1)
		worksheet_write_number(ws, r, A_VALUE, ln->factor_number, b->f.factor);
	else if (ln->ndistinct > 1)
		act_text(a, r, A_VALUE, ln->factor_value);
	act_text(a, r, A_FUNIT, report_tr_unit(b->lang, ln->factor_unit));
	if (ln->ndistinct == 1 && ln->market_source == CALC_MKT_SUPPLIER)
		act_text(a, r, A_MARKET, tr(b, L_MKT_SUPPLIER));
	else if (ln->ndistinct == 1 && ln->market_source == CALC_MKT_LOCATION)
		act_text(a, r, A_MARKET, tr(b, L_MKT_FALLBACK));
	else if (ln->market[0])
		act_text(a, r, A_MARKET, ln->market);
	if (ln->conversion[0])
		act_text(a, r, A_CONV, ln->conversion);
	act_text(a, r, A_CITATION, ln->citation);
	if (row->extrapolated)
		act_text(a, r, A_EXTRA, tr(b, L_YES));
	if (row->excluded)
		act_text(a, r, A_EXCL, tr(b, L_YES));
	worksheet_write_number(ws, r, A_LOC, (double)ln->kg_location_mg / 1e6, b->f.kg3);
	worksheet_write_number(ws, r, A_MKT, (double)ln->kg_market_mg / 1e6, b->f.kg3);
	if (row->energy == CALC_ENERGY_YES)
		worksheet_write_number(ws, r, A_ENERGY,
				       (double)num_round_shift(row->mg.energy_ukwh, 3) / 1000.0,
				       b->f.kg3);
	if (row->energy == CALC_ENERGY_YES && row->nparts && row->parts[0].energy_path[0])
		act_text(a, r, A_ECONV, row->parts[0].energy_path);
	else if (row->energy == CALC_ENERGY_NO_CONVERSION)
		act_text(a, r, A_ECONV, tr(b, L_NONE_CONVERSION));
	(void)e;
	return 0;
}

static int
sheet_activities(struct book *b, lxw_worksheet *ws, struct ledger *l,
		 struct report_factors *fs, long *lines, struct err *e)
{
	static const enum report_label HEAD[A_NCOLS] = {
		L_ORG, L_REPORTING_UNIT, L_FILE_LINE, L_PERIOD_START, L_PERIOD_END,
		L_DAYS, L_QUANTITY, L_UNIT, L_ACTIVITY, L_SECTOR, L_CARRIER, L_QUALITY_COL,
		L_TARIFF, L_FACTOR_ID, L_FACTOR_SET, L_FACTOR_VALUE, L_FACTOR_UNIT,
		L_MKT_FACTOR, L_CONVERSION, L_CITATION, L_EXTRAPOLATED, L_EXCLUDED,
		L_KG_LOC, L_KG_MKT, L_ENERGY_KWH, L_ENERGY_CONV};
	static const double W[A_NCOLS] = {16, 14, 30, 12, 12, 14, 14, 8, 26, 22, 20, 12,
					  8, 18, 24, 14, 8, 18, 30, 50, 10, 10, 16, 16,
					  16, 24};
	struct act a = {b, ws, b->o->xlsx_max_rows > 0 ? b->o->xlsx_max_rows
			       : b->o->xlsx_max_rows < 0 ? 0 : REPORT_XLSX_LINES, 0, {0}};
	char note[512];
	int k;

	{
		const char *labels[A_NCOLS];
		for (k = 0; k < A_NCOLS; k++)
			labels[k] = tr(b, HEAD[k]);
		worksheet_set_row(ws, 0, head_height(labels, W, A_NCOLS), NULL);
	}
	for (k = 0; k < A_NCOLS; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)k, tr(b, HEAD[k]), b->f.head);
	if (report_each_line(l, b->m, b->o, fs, a.limit, act_line, &a, e))
		return -1;
	/* widths from the text written, never below the defaults (the
	 * column list is written at the end, so this works in constant-memory
	 * mode too) */
	for (k = 0; k < A_NCOLS; k++)
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
				     width(a.w[k], W[k], 60), NULL);
	/* the filter covers the written lines; set it before the note row */
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(a.lines < a.limit ? a.lines : a.limit),
			     A_NCOLS - 1);
	if (a.lines > a.limit) {
		snprintf(note, sizeof note, tr(b, L_TRUNCATED), a.limit, a.lines);
		worksheet_write_string(ws, (lxw_row_t)a.limit + 1, 0, note, b->f.bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
	/* a data sheet: printed, if at all, two pages wide with the heading
	 * and the unit on every page; the summary sheets carry the report */
	page_setup(b, ws, 1, 2, 0, 1);
	*lines = a.lines;
	return 0;
}

/* ---- factors used ---- */

static void
sheet_factors(struct book *b, lxw_worksheet *ws, struct report_factors *fs)
{
	static const enum report_label HEAD[] = {
		L_FACTOR_ID, L_FACTOR_SET, L_ACTIVITY, L_REGION, L_FACTOR_VALUE,
		L_FACTOR_UPSTREAM, L_FACTOR_UNIT, L_VALID_FROM, L_VALID_TO, L_METHOD,
		L_SCOPE, L_CITATION, L_STATUS};
	static const double W[] = {20, 26, 26, 8, 16, 16, 10, 12, 12, 16, 7, 60, 12};
	size_t i, k, nh = sizeof HEAD / sizeof HEAD[0];

	{
		const char *labels[sizeof HEAD / sizeof HEAD[0]];
		for (k = 0; k < nh; k++)
			labels[k] = tr(b, HEAD[k]);
		worksheet_set_row(ws, 0, head_height(labels, W, nh), NULL);
	}
	for (k = 0; k < nh; k++) {
		worksheet_write_string(ws, 0, (lxw_col_t)k, tr(b, HEAD[k]), b->f.head);
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, W[k], NULL);
	}
	report_factors_sort(fs);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)fs->n, (lxw_col_t)(nh - 1));
	for (i = 0; i < fs->n; i++) {
		const struct report_factor *x = &fs->v[i];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, x->id, NULL);
		worksheet_write_string(ws, r, 1, x->set, NULL);
		worksheet_write_string(ws, r, 2, x->activity, NULL);
		worksheet_write_string(ws, r, 3, x->region, NULL);
		worksheet_write_number(ws, r, 4, (double)x->co2e / 1e12, b->f.factor);
		num_or_blank(ws, r, 5, x->has_upstream, (double)x->upstream / 1e12, b->f.factor);
		worksheet_write_string(ws, r, 6, report_tr_unit(b->lang, x->unit), NULL);
		worksheet_write_number(ws, r, 7, (double)x->valid_from + 25569.0, b->f.date);
		worksheet_write_number(ws, r, 8, (double)x->valid_to + 25569.0, b->f.date);
		worksheet_write_string(ws, r, 9, report_tr_method(b->lang, x->market), NULL);
		worksheet_write_number(ws, r, 10, x->scope, NULL);
		worksheet_write_string(ws, r, 11, x->citation, NULL);
		worksheet_write_string(ws, r, 12, report_tr_status(b->lang, x->status), NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	page_setup(b, ws, 1, 1, 0, 0);
}

/* ---- provenance ---- */

static void
kv(lxw_worksheet *ws, lxw_row_t *r, const char *k, const char *v)
{
	worksheet_write_string(ws, *r, 0, k, NULL);
	worksheet_write_string(ws, (*r)++, 1, v, NULL);
}

static void
kn(lxw_worksheet *ws, lxw_row_t *r, const char *k, double v, lxw_format *f)
{
	worksheet_write_string(ws, *r, 0, k, NULL);
	worksheet_write_number(ws, (*r)++, 1, v, f);
}

static void
sheet_provenance(struct book *b, lxw_worksheet *ws)
{
	const struct report_model *m = b->m;
	json_t *fig = report_json_figures(m), *sets, *batches, *v;
	char sha[65];
	lxw_row_t r = 0;
	size_t i;

	report_json_hash(fig, sha);
	json_decref(fig);
	worksheet_write_string(ws, r, 0, tr(b, L_SHEET_PROVENANCE), b->f.head);
	worksheet_write_blank(ws, r, 1, b->f.head);
	worksheet_write_blank(ws, r, 2, b->f.head);
	worksheet_write_blank(ws, r, 3, b->f.head);
	worksheet_write_blank(ws, r++, 4, b->f.head);
	kn(ws, &r, tr(b, L_RUN), (double)m->run.id, NULL);
	kn(ws, &r, tr(b, L_YEAR), m->run.year, NULL);
	kv(ws, &r, tr(b, L_GWP), m->run.gwp);
	kv(ws, &r, tr(b, L_REGION), m->run.region);
	kv(ws, &r, tr(b, L_FALLBACK), report_tr_fallback(b->lang, m->run.fallback));
	kv(ws, &r, tr(b, L_LENS), report_tr_lens(b->lang, m->run.lens));
	kv(ws, &r, tr(b, L_INPUTS_SHA), m->run.inputs_sha256);
	kv(ws, &r, tr(b, L_RUN_RESULTS_SHA), m->run.results_sha256);
	kv(ws, &r, tr(b, L_REPORT_RESULTS_SHA), sha);
	kn(ws, &r, tr(b, L_ROWS_USED), (double)m->run.rows_used, b->f.integer);
	kn(ws, &r, tr(b, L_ROWS_EXCLUDED), (double)m->run.rows_excluded, b->f.integer);
	kn(ws, &r, tr(b, L_ROWS_EXTRAPOLATED), (double)m->run.rows_extrapolated, b->f.integer);
	kn(ws, &r, tr(b, L_ROWS_OVERLAP), (double)m->run.rows_overlap, b->f.integer);
	{
		char when[64];
		report_fmt_generated(b->lang, b->o->generated, when, sizeof when);
		kv(ws, &r, tr(b, L_GENERATED), when);
	}
	kv(ws, &r, tr(b, L_ENGINE), "co2ledger " CO2LEDGER_VERSION);
	r++;
	worksheet_write_string(ws, r++, 0, tr(b, L_FACTOR_SETS), b->f.bold);
	worksheet_write_string(ws, r, 0, tr(b, L_NAME), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_VERSION), b->f.head);
	worksheet_write_string(ws, r++, 2, tr(b, L_SHA256), b->f.head);
	sets = json_loads(m->run.factor_sets, 0, NULL);
	json_array_foreach(sets, i, v) {
		const char *s;
		worksheet_write_string(ws, r, 0, (s = json_string_value(json_object_get(v, "name"))) ? s : "", NULL);
		worksheet_write_string(ws, r, 1, (s = json_string_value(json_object_get(v, "version"))) ? s : "", NULL);
		worksheet_write_string(ws, r++, 2, (s = json_string_value(json_object_get(v, "sha256"))) ? s : "", NULL);
	}
	json_decref(sets);
	r++;
	worksheet_write_string(ws, r++, 0, tr(b, L_BATCHES), b->f.bold);
	worksheet_write_string(ws, r, 0, tr(b, L_ID), b->f.head);
	worksheet_write_string(ws, r, 1, tr(b, L_KIND), b->f.head);
	worksheet_write_string(ws, r, 2, tr(b, L_SOURCE), b->f.head);
	worksheet_write_string(ws, r, 3, tr(b, L_SHA256), b->f.head);
	worksheet_write_string(ws, r++, 4, tr(b, L_ROWS), b->f.head);
	batches = json_loads(m->run.batches, 0, NULL);
	json_array_foreach(batches, i, v) {
		const char *s;
		worksheet_write_number(ws, r, 0, (double)json_integer_value(json_object_get(v, "id")), NULL);
		worksheet_write_string(ws, r, 1, (s = json_string_value(json_object_get(v, "kind"))) ? s : "", NULL);
		worksheet_write_string(ws, r, 2, (s = json_string_value(json_object_get(v, "file"))) ? s : "", NULL);
		worksheet_write_string(ws, r, 3, (s = json_string_value(json_object_get(v, "sha256"))) ? s : "", NULL);
		worksheet_write_number(ws, r++, 4, (double)json_integer_value(json_object_get(v, "rows")), b->f.integer);
	}
	json_decref(batches);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 3, 68, NULL);
	worksheet_set_column(ws, 4, 4, 10, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	page_setup(b, ws, 1, 1, 0, 0);
}

/* "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch. */
static time_t
parse_time(const char *s)
{
	int y, mo, d, h, mi, se;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6 ||
	    !date_valid(y, mo, d))
		return 0;
	return (time_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

int
report_write_xlsx(struct ledger *l, const struct report_model *m,
		  const struct report_out *o, const char *path, long *lines,
		  struct err *e)
{
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
	lxw_doc_properties props = {0};
	struct book b = {0};
	struct report_factors fs;
	lxw_worksheet *acts, *facts, *prov;
	struct strbuf title = STRBUF_INIT;
	struct outfile of;
	lxw_error rc;
	int status = 0, er;

	*lines = 0;
	/* the workbook goes to a temporary file beside `path`, renamed over
	 * it once complete: fails early, in our words, when the folder
	 * cannot be written (libxlsxwriter would only find out at the end),
	 * and a killed or failed write leaves the old workbook */
	if (outfile_open(&of, path, e))
		return -1;
	if (report_factors_init(&fs, e)) {
		outfile_abort(&of);
		return -1;
	}
	b.m = m;
	b.o = o;
	b.lang = o->lang;
	if (!(b.wb = workbook_new_opt(of.tmp, &wo))) {
		report_factors_release(&fs);
		outfile_abort(&of);
		return err_set(e, ERR_IO, path, 0, 0, "cannot create the workbook");
	}
	formats(&b);
	book_title(&b, &title);
	{
		/* a page header has at most 255 characters (the format's limit):
		 * a longer title is replaced below, so cutting `esc` is harmless */
		char esc[1100], src[200], srcesc[420];
		hf_escape(strbuf_str(&title), esc, sizeof esc);
		snprintf(b.header, sizeof b.header, "&L&\"-,Bold\"%s&R&A", esc);
		if (strlen(b.header) > 255) {
			/* the format's limit: the title without the unit's name */
			snprintf(src, sizeof src, tr(&b, L_TITLE), m->run.year);
			snprintf(b.header, sizeof b.header, "&L&\"-,Bold\"%s&R&A", src);
		}
		snprintf(src, sizeof src, tr(&b, L_SOURCE_RUN), (long long)m->run.id);
		hf_escape(src, srcesc, sizeof srcesc);
		snprintf(b.footer, sizeof b.footer, "&L%s&R%s", srcesc, tr(&b, L_PAGE_OF));
	}
	props.title = (char *)strbuf_str(&title);
	props.subject = (char *)tr(&b, L_DESCRIPTION);
	props.author = "co2ledger";
	props.company = (char *)(m->state_name ? m->state_name : "");
	props.comments = "co2ledger " CO2LEDGER_VERSION;
	props.created = parse_time(o->generated);
	workbook_set_properties(b.wb, &props); /* copies the strings */
	strbuf_release(&title);

	sheet_summary(&b);
	sheet_method(&b);
	if (sheet_units(&b, e))
		status = -1;
	sheet_sectors(&b);
	sheet_energy(&b);
	if (o->goals && report_goals_nsets(o->goals))
		sheet_targets(&b);
	if (o->change)
		report_change_sheet(b.wb, o->change, b.lang == REPORT_EN, m->org);
	acts = workbook_add_worksheet(b.wb, tr(&b, L_SHEET_ACTIVITIES));
	facts = workbook_add_worksheet(b.wb, tr(&b, L_SHEET_FACTORS));
	prov = workbook_add_worksheet(b.wb, tr(&b, L_SHEET_PROVENANCE));
	if (!status && sheet_activities(&b, acts, l, &fs, lines, e))
		status = -1;
	if (!status) {
		sheet_factors(&b, facts, &fs);
		sheet_provenance(&b, prov);
	}
	/* libxlsxwriter does not check its writes to the sheets' temporary
	 * files (constant memory mode): a full disk or the file size limit
	 * would give a workbook cut short without an error. */
	er = 0;
	{
		lxw_worksheet *ws;
		LXW_FOREACH_WORKSHEET(ws, b.wb) {
			FILE *t = ws->optimize_tmpfile;
			errno = 0;
			if (t && (fflush(t) || ferror(t)) && !er)
				er = errno ? errno : EIO;
		}
	}
	rc = workbook_close(b.wb);
	report_factors_release(&fs);
	if (status) {
		outfile_abort(&of);
		return -1;
	}
	if (rc != LXW_NO_ERROR || er) {
		outfile_abort(&of);
		if (er)
			return err_set(e, ERR_IO, path, 0, 0, "cannot write the workbook "
				       "(%s)", outfile_reason(er));
		return err_set(e, ERR_IO, path, 0, 0, "cannot write the workbook (%s)",
			       lxw_strerror(rc));
	}
	return outfile_commit(&of, e);
}
