/*
 * html: the balance as a static, self-contained web page (report --html
 * DIR): DIR/index.html with the key figures, the scopes location- and
 * market-based, the sectors, the district comparison and the ranking per
 * resident as inline SVG charts with text alternatives, a sortable table,
 * the disclosures and links to the open-data files, which are written into
 * the same directory. No external requests: styles, charts and the sorting
 * script are inline. The layout is one column that fits a phone; colours
 * meet WCAG 2.1 AA (text 4.5:1, chart marks 3:1 against white).
 *
 * With final energy (MWh, Hi) next to t CO2e, the trend over the years
 * the ledger has runs for with the same method (a table and a chart), and
 * the progress toward the registered targets.
 *
 * Every figure in a table cell carries its exact value as data-value (kg or
 * kWh, as in the JSON report; for targets the metric's unit, t or MWh, with
 * three decimals) next to the rounded text, so that scripts and the tests
 * can compare the page with the JSON report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/num.h"
#include "base/outfile.h"
#include "base/strbuf.h"
#include "factors/targets.h"
#include "reports/completeness.h"
#include "reports/lines.h"

/* colours: each at least 3:1 against white (WCAG 1.4.11) */
static const char *const SECTOR_COLOUR[REPORT_NSECTORS] = {
	"#1f5f8b", "#b5471b", "#2e7d32", "#6a3d9a"};

/* The first n bytes of s, escaped for HTML text and attributes. */
static void
escn(FILE *f, const char *s, size_t n)
{
	for (; s && n && *s; s++, n--) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void
esc(FILE *f, const char *s)
{
	escn(f, s, (size_t)-1);
}

/* kg as in the JSON report (rounded to grams), for data-value */
static void
kg_value(FILE *f, int64_t mg)
{
	char buf[40];

	report_fmt_scaled(mg, 6, 3, buf);
	fputs(buf, f);
}

static void
t_text(FILE *f, enum report_lang lang, int64_t mg)
{
	char buf[48];

	report_fmt_t(lang, mg, buf, sizeof buf);
	fputs(buf, f);
}

static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *
L(enum report_lang lang, const char *de, const char *en)
{
	return lang == REPORT_EN ? en : de;
}

/* A horizontal bar chart, label above each bar: rows of up to 4 stacked
 * segments. viewBox 400 wide, so it keeps its text size on a phone. */
struct bars {
	const char *id, *title, *desc;
	size_t n, nseg;
	const char *const *label;  /* [n] */
	const int64_t *v;          /* [n * nseg], mg */
	const char *const *seg;    /* [nseg] segment names */
	const char *const *colour; /* [nseg] */
	const char *unit;          /* text after each row's value */
	int per_resident;          /* values are grams per resident */
};

static void
svg_bars(FILE *f, enum report_lang lang, const struct bars *b)
{
	size_t i, k;
	int64_t max = 1;
	double y;

	for (i = 0; i < b->n; i++) {
		int64_t s = 0;
		for (k = 0; k < b->nseg; k++)
			s += b->v[i * b->nseg + k] > 0 ? b->v[i * b->nseg + k] : 0;
		if (s > max)
			max = s;
	}
	fprintf(f, "<figure>\n<svg viewBox=\"0 0 400 %zu\" role=\"img\" "
		"aria-labelledby=\"%s-t %s-d\" class=\"chart\">\n", 40 * b->n + 10, b->id, b->id);
	fprintf(f, "<title id=\"%s-t\">", b->id);
	esc(f, b->title);
	fprintf(f, "</title>\n<desc id=\"%s-d\">", b->id);
	esc(f, b->desc);
	fputs("</desc>\n", f);
	for (i = 0, y = 4; i < b->n; i++, y += 40) {
		int64_t s = 0;
		double x = 0;
		char val[48];
		for (k = 0; k < b->nseg; k++)
			s += b->v[i * b->nseg + k];
		if (b->per_resident)
			report_fmt_scaled(s, 3, 1, val);
		else
			report_fmt_t(lang, s, val, sizeof val);
		if (b->per_resident && lang == REPORT_DE) {
			char *d = strchr(val, '.');
			if (d)
				*d = ',';
		}
		/* the label alone on its line (squeezed to the width when very
		 * long), the value at the end of the bar line */
		fprintf(f, "<text x=\"0\" y=\"%.0f\" class=\"l\"", y + 12);
		if (utf8_len(b->label[i]) > 58)
			fputs(" textLength=\"398\" lengthAdjust=\"spacingAndGlyphs\"", f);
		fputs(">", f);
		esc(f, b->label[i]);
		fprintf(f, "</text><text x=\"400\" y=\"%.0f\" class=\"v\">%s %s</text>\n",
			y + 31, val, b->unit);
		for (k = 0; k < b->nseg; k++) {
			int64_t v = b->v[i * b->nseg + k];
			double w = v > 0 ? 260.0 * (double)v / (double)max : 0;
			if (w <= 0)
				continue;
			fprintf(f, "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"16\" "
				"fill=\"%s\"><title>", x, y + 18, w, b->colour[k]);
			esc(f, b->label[i]);
			if (b->nseg > 1) {
				fputs(": ", f);
				esc(f, b->seg[k]);
			}
			fputs(" ", f);
			if (b->per_resident) {
				char g[40];
				report_fmt_scaled(v, 3, 1, g);
				fputs(g, f);
			} else {
				t_text(f, lang, v);
			}
			fprintf(f, " %s</title></rect>\n", b->unit);
			x += w;
		}
	}
	fputs("</svg>\n", f);
	if (b->nseg > 1) {
		fputs("<ul class=\"legend\">", f);
		for (k = 0; k < b->nseg; k++) {
			fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>",
				b->colour[k]);
			esc(f, b->seg[k]);
			fputs("</li>", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("<figcaption>", f);
	esc(f, b->desc);
	fputs("</figcaption>\n</figure>\n", f);
}

static const char STYLE[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;"
	"background:#fff;margin:0;line-height:1.45}"
	"main{max-width:60rem;margin:0 auto;padding:1rem}"
	"h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;"
	"border-bottom:2px solid #1f5f8b}"
	"a{color:#0b5394}.meta{color:#4a4a4a}"
	".incomplete{border-left:.35rem solid #b3261e;background:#fdecea;color:#1a1a1a;"
	"padding:.6rem .8rem;margin:1rem 0}"
	".kpi{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;"
	"padding:0;list-style:none}"
	".kpi li{border:1px solid #c9d3dd;border-radius:.4rem;padding:.6rem}"
	".kpi b{display:block;font-size:1.3rem}"
	"figure{margin:1rem 0}svg.chart{width:100%;max-width:34rem;height:auto;display:block}"
	"svg text{font-size:13px;fill:#1a1a1a}svg text.v{text-anchor:end}"
	"figcaption{font-size:.9rem;color:#4a4a4a}"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;"
	"font-size:.9rem}.sw{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;"
	"vertical-align:-.1rem}"
	".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem;min-width:100%}"
	"th,td{padding:.3rem .5rem;border-bottom:1px solid #d5dde5;text-align:right;"
	"white-space:nowrap}th:first-child,td:first-child{text-align:left;white-space:normal;"
	"min-width:11rem}thead th{white-space:normal;min-width:6rem}"
	"thead th{background:#e8eef4;vertical-align:bottom}"
	"th button{font:inherit;font-weight:bold;color:#1a1a1a;background:none;border:0;"
	"padding:0;cursor:pointer;text-align:inherit}th button::after{content:' \\2195';"
	"color:#4a4a4a}th[aria-sort=ascending] button::after{content:' \\2191'}"
	"th[aria-sort=descending] button::after{content:' \\2193'}"
	"tfoot td,tfoot th{font-weight:bold;border-top:2px solid #1a1a1a}"
	".notes li{margin:.4rem 0}"
	"tr.target th{text-align:left;background:#f3f6f9;padding-top:.8rem}"
	"tr.why td{text-align:left;white-space:normal;color:#4a4a4a}";

/* sorts by a column's data-value (numbers) or text; #sort=KEY or
 * #sort=-KEY in the address sorts on load */
static const char SCRIPT[] =
	"(function(){var t=document.getElementById('units');if(!t)return;"
	"var b=t.tBodies[0],hs=t.tHead.rows[0].cells;"
	"function sort(i,dir){var rows=Array.prototype.slice.call(b.rows);"
	"rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];"
	"var p=a.getAttribute('data-value'),q=c.getAttribute('data-value');"
	"var r=(p!==null&&q!==null&&p!==''&&q!=='')?(parseFloat(p)-parseFloat(q))"
	":(p===''||p===null)?1:(q===''||q===null)?-1:a.textContent.localeCompare(c.textContent);"
	"return dir*r;});rows.forEach(function(r){b.appendChild(r);});"
	"for(var k=0;k<hs.length;k++)hs[k].removeAttribute('aria-sort');"
	"hs[i].setAttribute('aria-sort',dir>0?'ascending':'descending');}"
	"Array.prototype.forEach.call(hs,function(h,i){var btn=h.querySelector('button');"
	"if(btn)btn.addEventListener('click',function(){sort(i,"
	"h.getAttribute('aria-sort')==='ascending'?-1:1);});});"
	"var m=/^#sort=(-?)([a-z_0-9]+)$/.exec(location.hash);if(m){"
	"for(var i=0;i<hs.length;i++)if(hs[i].getAttribute('data-key')===m[2])sort(i,m[1]?-1:1);}"
	"document.documentElement.setAttribute('data-ready','1');})();";

struct col {
	const char *key, *de, *en;
};

static const struct col UCOLS[] = {
	{"name", "Einheit", "Unit"},
	{"total_location_kg", "Gesamt standortbasiert (t CO2e)", "Total location-based (t CO2e)"},
	{"total_market_kg", "Gesamt marktbasiert (t CO2e)", "Total market-based (t CO2e)"},
	{"per_capita_kg", "je Einwohner/in (kg CO2e)", "per resident (kg CO2e)"},
	{"change_pct", "Veränderung zum Vorjahr (%)", "Change on previous year (%)"},
	{"rank", "Rang je Einwohner/in", "Rank per resident"},
	{"buildings.electricity", "Gebäude: Strom (t)", "Buildings: electricity (t)"},
	{"buildings.heat", "Gebäude: Wärme (t)", "Buildings: heat (t)"},
	{"fleet", "Fuhrpark und Dienstreisen (t)", "Fleet and business travel (t)"},
	{"procurement", "Beschaffung (t)", "Procurement (t)"},
	{"final_energy_kwh", "Endenergie (MWh, Hi)", "Final energy (MWh, Hi)"},
};
#define NUCOLS (sizeof UCOLS / sizeof UCOLS[0])

static void
cell_t(FILE *f, enum report_lang lang, int64_t mg)
{
	fputs("<td data-value=\"", f);
	kg_value(f, mg);
	fputs("\">", f);
	t_text(f, lang, mg);
	fputs("</td>", f);
}

/* final energy: data-value kWh (as the JSON report), text MWh */
static void
cell_energy(FILE *f, enum report_lang lang, const struct report_model *m,
	    const struct report_energy *x)
{
	if (!report_energy_known(m) || x->energy_rows == 0) {
		fputs("<td data-value=\"\">–</td>", f);
		return;
	}
	fputs("<td data-value=\"", f);
	kg_value(f, x->ukwh);
	fputs("\">", f);
	t_text(f, lang, x->ukwh);
	fputs("</td>", f);
}

static void
unit_cells(FILE *f, enum report_lang lang, const struct report_model *m,
	   const struct report_figures *fg, const char *code, const char *name,
	   int total)
{
	int64_t v = 0;
	char buf[48];
	int k;

	fputs("<tr data-code=\"", f);
	esc(f, code);
	fputs("\"><th scope=\"row\">", f);
	esc(f, name);
	fputs("</th>", f);
	(void)total;
	cell_t(f, lang, report_total_location(fg));
	cell_t(f, lang, report_total_market(fg));
	if (report_per_g(fg, REPORT_PER_CAPITA, &v)) {
		report_fmt_scaled(v, 3, 3, buf);
		fprintf(f, "<td data-value=\"%s\">", buf);
		report_fmt_scaled(v, 3, 1, buf);
		if (lang == REPORT_DE && strchr(buf, '.'))
			*strchr(buf, '.') = ',';
		fprintf(f, "%s</td>", buf);
	} else {
		fputs("<td data-value=\"\">–</td>", f);
	}
	if (report_change_x100(fg, &v)) {
		report_fmt_scaled(v, 2, 2, buf);
		fprintf(f, "<td data-value=\"%s\">", buf);
		report_fmt_pct(lang, v, buf, sizeof buf);
		fprintf(f, "%s</td>", buf);
	} else {
		fputs("<td data-value=\"\">–</td>", f);
	}
	if (fg->rank > 0)
		fprintf(f, "<td data-value=\"%d\">%d</td>", fg->rank, fg->rank);
	else
		fputs("<td data-value=\"\">–</td>", f);
	for (k = 0; k < REPORT_NSECTORS; k++)
		cell_t(f, lang, fg->sector[k].location_mg);
	cell_energy(f, lang, m, &fg->energy);
	fputs("</tr>\n", f);
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

/* The years before m's with a stored run of the same method, and m's
 * year: a table and a chart of the selection's totals, per sector, with
 * the final energy. Nothing when no earlier year has such a run. */
static int
trend_section(FILE *f, struct ledger *l, const struct report_model *m,
	      enum report_lang lang, struct err *e)
{
	enum { MAXY = 31 };
	struct report_model *ym[MAXY] = {0};
	const struct report_model *use[MAXY];
	int years[MAXY];
	char ylabel[MAXY][8], desc[400];
	const char *labels[MAXY], *sectors[REPORT_NSECTORS];
	int64_t vals[MAXY * REPORT_NSECTORS];
	const char *org = m->sel != (size_t)-1 ? m->units[m->sel].code : NULL;
	size_t n = 0, i, k;
	int y, rc = -1;

	for (y = m->run.year - (MAXY - 1); y < m->run.year; y++) {
		int64_t id = 0;
		if (y < 1900)
			continue;
		if (report_same_method_run(l, m, y, &id, e))
			goto out;
		if (!id)
			continue;
		if (report_build(l, id, 0, org, &ym[n], e))
			goto out;
		if (!report_totals(ym[n])->rows) { /* a run without data */
			report_free(ym[n]);
			ym[n] = NULL;
			continue;
		}
		use[n] = ym[n];
		years[n++] = y;
	}
	if (n == 0) {
		rc = 0;
		goto out;
	}
	use[n] = m;
	years[n++] = m->run.year;
	for (k = 0; k < REPORT_NSECTORS; k++)
		sectors[k] = report_tr_sector(lang, report_sector_key((int)k));
	for (i = 0; i < n; i++) {
		const struct report_figures *t = report_totals(use[i]);
		snprintf(ylabel[i], sizeof ylabel[i], "%d", years[i]);
		labels[i] = ylabel[i];
		for (k = 0; k < REPORT_NSECTORS; k++)
			vals[i * REPORT_NSECTORS + k] = t->sector[k].location_mg;
	}
	fprintf(f, "<h2>%s</h2>\n", report_tr(lang, L_SHEET_TREND));
	snprintf(desc, sizeof desc, report_tr(lang, L_HTML_TREND_DESC), years[0],
		 years[n - 1]);
	{
		struct bars bs = {"trend", NULL, desc, n, REPORT_NSECTORS, labels, vals,
				  sectors, SECTOR_COLOUR, "t CO2e", 0};
		bs.title = report_tr(lang, L_CHART_TREND_SECTORS);
		svg_bars(f, lang, &bs);
	}
	fprintf(f, "<p>%s</p>\n<div class=\"scroll\">\n<table id=\"trend\">\n"
		"<caption>", report_tr(lang, L_HTML_TREND_NOTE));
	fprintf(f, report_tr(lang, L_TREND_TITLE), years[0], years[n - 1]);
	fprintf(f, "</caption>\n<thead><tr><th scope=\"col\">%s</th>",
		report_tr(lang, L_YEAR));
	for (k = 1; k < NUCOLS; k++)
		if (k < 3 || k >= 6) {
			fputs("<th scope=\"col\">", f);
			esc(f, L(lang, UCOLS[k].de, UCOLS[k].en));
			fputs("</th>", f);
		}
	fprintf(f, "<th scope=\"col\">%s (t)</th></tr></thead>\n<tbody>\n",
		report_tr(lang, L_EXTRAPOLATED));
	for (i = 0; i < n; i++) {
		const struct report_figures *t = report_totals(use[i]);
		fprintf(f, "<tr data-year=\"%d\"><th scope=\"row\">%d</th>", years[i],
			years[i]);
		cell_t(f, lang, report_total_location(t));
		cell_t(f, lang, report_total_market(t));
		for (k = 0; k < REPORT_NSECTORS; k++)
			cell_t(f, lang, t->sector[k].location_mg);
		cell_energy(f, lang, use[i], &t->energy);
		cell_t(f, lang, t->extrapolated_mg);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</div>\n", f);
	rc = 0;
out:
	for (i = 0; i < MAXY; i++)
		report_free(ym[i]);
	return rc;
}

/* an amount of a target's metric (micro-units: g for t, Wh for MWh, or
 * micro-% ) as a cell: data-value with three decimals, text localised */
static void
goal_cell(FILE *f, enum report_lang lang, int has, int64_t v, int tonnes_or_mwh)
{
	char buf[48];

	if (!has) {
		fputs("<td data-value=\"\">–</td>", f);
		return;
	}
	report_fmt_scaled(v, 6, 3, buf);
	fprintf(f, "<td data-value=\"%s\">", buf);
	if (tonnes_or_mwh && v < INT64_MAX / 1000 && v > INT64_MIN / 1000) {
		report_fmt_t(lang, v * 1000, buf, sizeof buf);
	} else {
		report_fmt_scaled(v, 6, 1, buf);
		if (lang == REPORT_DE && strchr(buf, '.'))
			*strchr(buf, '.') = ',';
	}
	fprintf(f, "%s</td>", buf);
}

/* progress toward the registered targets: one row per target and unit */
static void
targets_section(FILE *f, const struct report_model *m, const struct report_out *o)
{
	enum report_lang lang = o->lang;
	size_t n = report_goals_count(o->goals), i;
	char buf[64];

	if (!n)
		return;
	fprintf(f, "<h2>%s</h2>\n<p>", report_tr(lang, L_SHEET_TARGETS));
	esc(f, report_tr(lang, L_TARGETS_NOTE));
	fputs("</p>\n<div class=\"scroll\">\n<table id=\"targets\">\n<caption>", f);
	fprintf(f, report_tr(lang, L_TARGETS_TITLE), m->run.year);
	fputs("</caption>\n<thead><tr>", f);
	{
		const enum report_label H[] = {
			L_ORG, L_TARGET_BASE_YEAR, L_TARGET_BASE, L_TARGET_CURRENT,
			L_TARGET_PATH, L_TARGET_GAP, L_TARGET_GAP_PCT, L_TARGET_ON_TRACK,
			L_TARGET_NEXT, L_TARGET_REQUIRED};
		for (i = 0; i < sizeof H / sizeof H[0]; i++) {
			fputs("<th scope=\"col\">", f);
			esc(f, report_tr(lang, H[i]));
			fputs("</th>", f);
		}
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (i = 0; i < n; i++) {
		const struct report_goal *r = report_goals_at(o->goals, i);
		const struct target *t = r->target;
		int amount = t->metric == TARGET_T_CO2E || t->metric == TARGET_T_CO2 ||
			     t->metric == TARGET_MWH_FINAL;
		const char *unit = t->metric == TARGET_MWH_FINAL ? "MWh"
				   : amount ? "t" : "%";
		int cmp = r->has_current && r->has_path && r->has_base;
		if (i == 0 || report_goals_at(o->goals, i - 1)->target != t) {
			fputs("<tr class=\"target\"><th colspan=\"10\" scope=\"rowgroup\">", f);
			esc(f, t->title);
			fprintf(f, " (%s; %s@%s)</th></tr>\n", unit, r->set_name,
				r->set_version);
		}
		fputs("<tr data-target=\"", f);
		esc(f, t->id);
		fputs("\" data-unit=\"", f);
		esc(f, r->code);
		fputs("\"><th scope=\"row\">", f);
		esc(f, r->name ? r->name : r->code);
		fprintf(f, "</th><td>%d</td>", r->base_year);
		goal_cell(f, lang, r->has_base, r->base, amount);
		goal_cell(f, lang, r->has_current, r->current, amount);
		goal_cell(f, lang, r->has_path && r->has_base, r->path, amount);
		goal_cell(f, lang, cmp, r->gap, amount);
		if (cmp) {
			report_fmt_scaled(r->gap_pct_x100, 2, 2, buf);
			fprintf(f, "<td data-value=\"%s\">", buf);
			report_fmt_pct(lang, r->gap_pct_x100, buf, sizeof buf);
			fprintf(f, "%s</td>", buf);
		} else {
			fputs("<td data-value=\"\">–</td>", f);
		}
		if (cmp)
			fprintf(f, "<td data-value=\"%d\">%s</td>", r->on_track,
				report_tr(lang, r->on_track ? L_YES : L_NO));
		else
			fputs("<td data-value=\"\">–</td>", f);
		fprintf(f, "<td>%d</td>", r->next_year);
		goal_cell(f, lang, r->has_required && r->has_base, r->required, amount);
		fputs("</tr>\n", f);
		if (r->why) {
			struct strbuf sb = STRBUF_INIT;
			fputs("<tr class=\"why\"><td colspan=\"10\">", f);
			esc(f, report_tr(lang, L_TARGET_NOT_COMPUTED));
			fputs(": ", f);
			esc(f, report_goal_why(r, lang, &sb));
			fputs("</td></tr>\n", f);
			strbuf_release(&sb);
		}
	}
	fputs("</tbody>\n</table>\n</div>\n", f);
}

static int
write_page(FILE *f, struct ledger *l, const struct report_model *m,
	   const struct report_out *o, struct err *e)
{
	enum report_lang lang = o->lang;
	const struct report_figures *tot = report_totals(m);
	size_t n = report_unit_count(m), i, nr = 0, k;
	char title[512], when[64], buf[1200];
	int64_t v = 0;
	const char **labels = NULL;
	int64_t *vals = NULL;
	const struct report_unit **ranked = NULL;
	const char *sectors[REPORT_NSECTORS];
	static const struct { const char *file, *de, *en; } FILES[] = {
		{"districts.csv", "Bezirke und Hauptverwaltungen", "Districts and departments"},
		{"totals.csv", "Summe", "Total"},
		{"sectors.csv", "Sektoren", "Sectors"},
		{"carriers.csv", "Energieträger und Beschaffungskategorien", "Carriers and spend categories"},
		{"activities.csv", "Aktivitäten", "Activities"},
		{"names-carriers.csv", "Schlüssel und Bezeichnungen", "Keys and labels"},
		{"names-units.csv", "Organisationseinheiten", "Organisation units"},
		{"csv-metadata.json", "Spaltenbeschreibung (CSVW)", "Column descriptions (CSVW)"},
		{"metadata.json", "Metadaten (DCAT-AP.de)", "Metadata (DCAT-AP.de)"},
	};

	for (k = 0; k < REPORT_NSECTORS; k++)
		sectors[k] = report_tr_sector(lang, report_sector_key((int)k));
	if (m->sel != (size_t)-1)
		snprintf(title, sizeof title, report_tr(lang, L_TITLE_ORG), m->run.year,
			 m->units[m->sel].name);
	else if (m->state_name)
		snprintf(title, sizeof title, report_tr(lang, L_TITLE_ORG), m->run.year,
			 m->state_name);
	else
		snprintf(title, sizeof title, report_tr(lang, L_TITLE), m->run.year);
	report_fmt_generated(lang, o->generated, when, sizeof when);

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"co2ledger %s\">\n<title>",
		lang == REPORT_EN ? "en" : "de", CO2LEDGER_VERSION);
	esc(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", STYLE);
	esc(f, title);
	fprintf(f, "</h1>\n<p class=\"meta\">%s %s · %s %lld · ",
		L(lang, "Erstellt", "Generated"), when, report_tr(lang, L_RUN),
		(long long)m->run.id);
	{ /* "a@1, b@2": a list a line may break after each comma */
		const char *p = report_factor_spec(m), *comma;
		while ((comma = strchr(p, ','))) {
			escn(f, p, (size_t)(comma - p));
			fputs(", ", f);
			p = comma + 1;
		}
		esc(f, p);
	}
	fprintf(f, " · GWP %s</p>\n", m->run.gwp);
	if (o->complete) { /* an incomplete year says so before any figure */
		char banner[2048];
		report_completeness_banner(o->complete, lang == REPORT_EN, banner,
					   sizeof banner);
		if (banner[0]) {
			fputs("<p class=\"incomplete\" role=\"note\" id=\"incomplete\">", f);
			esc(f, banner);
			fputs("</p>\n", f);
		}
	}

	/* key figures */
	fprintf(f, "<h2>%s</h2>\n<ul class=\"kpi\">\n", report_tr(lang, L_KEY_FIGURES));
	fprintf(f, "<li>%s<b id=\"kpi-location\" data-value=\"",
		L(lang, "Gesamt standortbasiert", "Total location-based"));
	kg_value(f, report_total_location(tot));
	fputs("\">", f);
	t_text(f, lang, report_total_location(tot));
	fputs(" t CO2e</b></li>\n", f);
	fprintf(f, "<li>%s<b id=\"kpi-market\" data-value=\"",
		L(lang, "Gesamt marktbasiert", "Total market-based"));
	kg_value(f, report_total_market(tot));
	fputs("\">", f);
	t_text(f, lang, report_total_market(tot));
	fputs(" t CO2e</b></li>\n", f);
	if (report_energy_known(m) && tot->energy.energy_rows) {
		fprintf(f, "<li>%s<b id=\"kpi-energy\" data-value=\"",
			report_tr(lang, L_HTML_ENERGY_KPI));
		kg_value(f, tot->energy.ukwh);
		fputs("\">", f);
		t_text(f, lang, tot->energy.ukwh);
		fputs(" MWh</b></li>\n", f);
	}
	if (report_per_g(tot, REPORT_PER_CAPITA, &v)) {
		report_fmt_scaled(v, 3, 3, buf);
		fprintf(f, "<li>%s<b id=\"kpi-per-capita\" data-value=\"%s\">",
			L(lang, "je Einwohner/in", "per resident"), buf);
		report_fmt_scaled(v, 3, 1, buf);
		if (lang == REPORT_DE && strchr(buf, '.'))
			*strchr(buf, '.') = ',';
		fprintf(f, "%s kg CO2e</b></li>\n", buf);
	}
	if (report_change_x100(tot, &v)) {
		report_fmt_scaled(v, 2, 2, buf);
		fprintf(f, "<li>%s<b id=\"kpi-change\" data-value=\"%s\">",
			L(lang, "Veränderung zum Vorjahr", "Change on previous year"), buf);
		report_fmt_pct(lang, v, buf, sizeof buf);
		fprintf(f, "%s %%</b></li>\n", buf);
	}
	fputs("</ul>\n", f);

	/* scopes: location and market as two stacked bars */
	{
		const char *lab[2] = {report_tr(lang, L_LOCATION_BASED),
				      report_tr(lang, L_MARKET_BASED)};
		const char *seg[3] = {"Scope 1", "Scope 2", "Scope 3"};
		const char *col[3] = {"#1f5f8b", "#b5471b", "#2e7d32"};
		int64_t sv[6] = {tot->scope1_mg, tot->scope2_location_mg, tot->scope3_mg,
				 tot->scope1_mg, tot->scope2_market_mg, tot->scope3_mg};
		char desc[600], a[48], b2[48], c[48], d[48];
		struct bars bs = {"scopes", NULL, desc, 2, 3, lab, sv, seg, col, "t CO2e", 0};
		report_fmt_t(lang, tot->scope2_location_mg, a, sizeof a);
		report_fmt_t(lang, tot->scope2_market_mg, b2, sizeof b2);
		report_fmt_t(lang, report_total_location(tot), c, sizeof c);
		report_fmt_t(lang, report_total_market(tot), d, sizeof d);
		snprintf(desc, sizeof desc, lang == REPORT_EN
			 ? "Two ways to count scope 2 (electricity and heat bought): location-based "
			   "%s t, market-based %s t; with scopes 1 and 3 the totals are %s t and %s t. "
			   "The two bars are alternatives, not parts of one sum."
			 : "Zwei Rechenweisen für Scope 2 (eingekaufter Strom und Wärme): standortbasiert "
			   "%s t, marktbasiert %s t; mit Scope 1 und 3 ergeben sich %s t und %s t. "
			   "Die beiden Balken sind Alternativen, keine Teile einer Summe.",
			 a, b2, c, d);
		bs.title = report_tr(lang, L_CHART_SCOPES);
		fprintf(f, "<h2>%s</h2>\n", L(lang, "Scopes", "Scopes"));
		svg_bars(f, lang, &bs);
	}

	/* sectors of the selection */
	{
		int64_t sv[REPORT_NSECTORS];
		char desc[800], one[160], t[48];
		struct bars bs = {"sectors", NULL, desc, REPORT_NSECTORS, 1, sectors, sv, NULL,
				  SECTOR_COLOUR, "t CO2e", 0};
		desc[0] = '\0';
		for (k = 0; k < REPORT_NSECTORS; k++) {
			int64_t pct = 0;
			sv[k] = tot->sector[k].location_mg;
			report_fmt_t(lang, sv[k], t, sizeof t);
			report_pct_x100(sv[k], report_total_location(tot), &pct);
			report_fmt_pct(lang, pct, one, sizeof one);
			snprintf(desc + strlen(desc), sizeof desc - strlen(desc), "%s%s: %s t (%s %%)",
				 k ? "; " : "", sectors[k], t, one);
		}
		bs.title = report_tr(lang, L_CHART_SECTORS);
		fprintf(f, "<h2>%s</h2>\n", L(lang, "Sektoren", "Sectors"));
		svg_bars(f, lang, &bs);
	}

	/* district comparison */
	if (!(labels = calloc(n + 1, sizeof *labels)) ||
	    !(vals = calloc((n + 1) * REPORT_NSECTORS, sizeof *vals)) ||
	    !(ranked = calloc(m->nunits + 1, sizeof *ranked))) {
		free(labels);
		free(vals);
		return err_setf(e, ERR_IO, "out of memory");
	}
	fprintf(f, "<h2>%s</h2>\n", report_tr(lang, L_SHEET_UNITS));
	if (n > 1) {
		char desc[400];
		struct bars bs = {"units", NULL, desc, n, REPORT_NSECTORS, labels, vals, sectors,
				  SECTOR_COLOUR, "t", 0};
		for (i = 0; i < n; i++) {
			const struct report_unit *u = report_unit_at(m, i);
			labels[i] = u->name;
			for (k = 0; k < REPORT_NSECTORS; k++)
				vals[i * REPORT_NSECTORS + k] = u->f.sector[k].location_mg;
		}
		snprintf(desc, sizeof desc, lang == REPORT_EN
			 ? "Location-based emissions of each unit by sector, in tonnes CO2e; "
			   "the table below gives every figure."
			 : "Standortbasierte Emissionen je Einheit nach Sektor in Tonnen CO2e; "
			   "die Tabelle darunter enthält alle Zahlen.");
		bs.title = report_tr(lang, L_CHART_SECTORS);
		svg_bars(f, lang, &bs);
	}
	fprintf(f, "<p>%s</p>\n<div class=\"scroll\">\n<table id=\"units\">\n<caption>%s</caption>\n"
		"<thead><tr>", L(lang, "Die Spaltenköpfe sortieren die Tabelle.",
				 "The column headings sort the table."),
		report_tr(lang, L_SHEET_UNITS));
	for (k = 0; k < NUCOLS; k++) {
		fprintf(f, "<th scope=\"col\" data-key=\"%s\"><button type=\"button\">", UCOLS[k].key);
		esc(f, L(lang, UCOLS[k].de, UCOLS[k].en));
		fputs("</button></th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		unit_cells(f, lang, m, &u->f, u->code, u->name, 0);
	}
	fputs("</tbody>\n", f);
	if (m->sel == (size_t)-1) {
		fputs("<tfoot>", f);
		unit_cells(f, lang, m, &m->all, m->state_code ? m->state_code : "",
			   report_tr(lang, L_TOTAL), 1);
		fputs("</tfoot>\n", f);
	}
	fputs("</table>\n</div>\n", f);

	/* ranking per resident */
	for (i = 0; i < m->nunits; i++)
		if (m->units[i].f.rank > 0)
			ranked[nr++] = &m->units[i];
	if (nr > 0) {
		char desc[400];
		struct bars bs = {"ranking", NULL, desc, nr, 1, labels, vals, NULL,
				  SECTOR_COLOUR, "kg", 1};
		qsort(ranked, nr, sizeof *ranked, cmp_rank);
		for (i = 0; i < nr; i++) {
			int64_t g = 0;
			labels[i] = ranked[i]->name;
			report_per_g(&ranked[i]->f, REPORT_PER_CAPITA, &g);
			vals[i] = g;
		}
		snprintf(desc, sizeof desc, lang == REPORT_EN
			 ? "Districts ranked by location-based emissions per resident, lowest "
			   "first: %s has the lowest, %s the highest value."
			 : "Bezirke nach standortbasierten Emissionen je Einwohner/in, niedrigster "
			   "Wert zuerst: %s hat den niedrigsten, %s den höchsten Wert.",
			 ranked[0]->name, ranked[nr - 1]->name);
		bs.title = report_tr(lang, L_CHART_RANKING);
		fprintf(f, "<h2>%s</h2>\n", L(lang, "Rangfolge je Einwohner/in",
						  "Ranking per resident"));
		svg_bars(f, lang, &bs);
	}
	free(labels);
	free(vals);
	free(ranked);

	if (trend_section(f, l, m, lang, e))
		return -1;
	targets_section(f, m, o);

	/* disclosures */
	fprintf(f, "<h2>%s</h2>\n<ul class=\"notes\">\n", report_tr(lang, L_SHEET_METHOD));
	if (m->disc)
		for (i = 0; i < m->disc->n; i++) {
			report_disc_text(lang, m, &m->disc->v[i], buf, sizeof buf);
			fputs("<li>", f);
			esc(f, buf);
			fputs("</li>\n", f);
		}
	fputs("<li>", f);
	esc(f, report_tr(lang, L_METHOD_NOTE));
	fputs("</li>\n<li>", f);
	esc(f, report_tr(lang, L_STAT_NOTE));
	fputs("</li>\n</ul>\n", f);

	/* open data */
	fprintf(f, "<h2>%s</h2>\n<ul>\n", L(lang, "Offene Daten", "Open data"));
	for (i = 0; i < sizeof FILES / sizeof FILES[0]; i++)
		fprintf(f, "<li><a href=\"%s\">%s</a> (%s)</li>\n", FILES[i].file,
			L(lang, FILES[i].de, FILES[i].en), FILES[i].file);
	fprintf(f, "</ul>\n<p>%s <a href=\"https://www.govdata.de/dl-de/by-2-0\">%s</a>.</p>\n",
		L(lang, "Lizenz:", "Licence:"),
		L(lang, "Datenlizenz Deutschland – Namensnennung – Version 2.0",
		  "Data licence Germany – attribution – version 2.0"));
	fprintf(f, "</main>\n<script>%s</script>\n</body>\n</html>\n", SCRIPT);
	return 0;
}

int
report_write_html(struct ledger *l, const struct report_model *m,
		  const struct report_out *o, const char *dir, struct err *e)
{
	const char *names[REPORT_CSV_NFILES + 1];
	struct strbuf path = STRBUF_INIT, shown = STRBUF_INIT;
	struct outfile of;
	FILE *f = NULL;
	size_t i;
	int rc = -1;

	/* the page and the open data it links to, as one folder written beside
	 * DIR and swapped in whole (base/outfile.h) */
	for (i = 0; i < REPORT_CSV_NFILES; i++)
		names[i] = REPORT_CSV_FILES[i];
	names[i] = "index.html";
	if (outfile_open_dir(&of, dir, names, REPORT_CSV_NFILES + 1, e))
		return -1;
	if (report_write_csv_into(l, m, o, of.tmp, dir, e))
		goto out;
	strbuf_addf(&path, "%s/index.html", of.tmp);
	strbuf_addf(&shown, "%s/index.html", dir);
	if (strbuf_failed(&path) || strbuf_failed(&shown)) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	if (!(f = fopen(path.buf, "wb"))) {
		err_set(e, ERR_IO, shown.buf, 0, 0, "cannot write (%s)", outfile_reason(errno));
		goto out;
	}
	if (write_page(f, l, m, o, e)) {
		fclose(f);
		goto out;
	}
	if (outfile_fclose(f, shown.buf, e))
		goto out;
	rc = outfile_commit_dir(&of, e);
out:
	if (rc)
		outfile_abort(&of);
	strbuf_release(&path);
	strbuf_release(&shown);
	return rc;
}
