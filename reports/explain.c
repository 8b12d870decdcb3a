/*
 * explain: how a run's numbers come about, as text or JSON lines for the
 * caller to show (report.h, report_explain_activity and
 * report_explain_figure). One input row walked through every step (period
 * parts, factor with set version and citation, GWP, conversion, deflation,
 * each bucket, the market-based path), or the rows behind one figure of the
 * balance and their sum. Row results are recomputed by calc_each_row(), the
 * same code path as the run itself; the rows stream, so memory stays flat.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/activity.h"
#include "base/date.h"
#include "base/num.h"
#include "engine/calc.h"
#include "reports/report_int.h"

#define emitf report_emitf

static const char *
kg(int64_t mg, char *buf, size_t n)
{
	num_format(mg, 6, 3, buf, n);
	return buf;
}

static const char *const MSRC[] = {"same as location", "supplier factor",
				   "market factor for the tariff",
				   "market factor without tariff (residual mix)",
				   "location factor (no market factor found)"};
static const char *const MSRC_KEY[] = {"same", "supplier", "tariff", "residual",
				       "location"};

/* v / 10^scale with every digit and no trailing zeros. */
static const char *
exact(int64_t v, int scale, char *buf, size_t n)
{
	int len = num_format(v, scale, scale, buf, n);

	if (scale > 0) {
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	return buf;
}

static const char *
quality_name(int q)
{
	return activity_quality_name(q);
}

static const char *
set_label(const struct factor *f, char *buf, size_t n)
{
	snprintf(buf, n, "%s@%s", factor_set_name(f->set), factor_set_version(f->set));
	return buf;
}

/* ---- one activity ---- */

struct one {
	struct report_emit *em;
	int json;
	const struct calc_run_info *run;
	const struct gwp *gwp;
	int found;
};

/* The factor's value per its unit, GWP applied, as text; and the gases. */
static void
value_text(const struct factor *f, const struct gwp *g, char *buf, size_t n)
{
	char a[48], b[48], c[48], d[48], tot[48], gf[16], gb[16], gn[16];
	int64_t x10 = 0;

	if (factor_co2e_x10(f, g, &x10))
		x10 = 0;
	exact(x10, 13, tot, sizeof tot);
	if (!f->has_gases) {
		snprintf(buf, n, "%s kg CO2e per %s", tot, f->unit->name);
		return;
	}
	exact(g->ch4_fossil_x10, 1, gf, sizeof gf);
	exact(g->ch4_biogenic_x10, 1, gb, sizeof gb);
	exact(g->n2o_x10, 1, gn, sizeof gn);
	snprintf(buf, n, "co2 %s + ch4_fossil %s x %s + ch4_biogenic %s x %s + "
		 "n2o %s x %s (GWP %s) = %s kg CO2e per %s",
		 exact(f->co2, 12, a, sizeof a), exact(f->ch4_fossil, 12, b, sizeof b),
		 gf, exact(f->ch4_biogenic, 12, c, sizeof c), gb,
		 exact(f->n2o, 12, d, sizeof d), gn, g->name, tot, f->unit->name);
}

static json_t *
factor_json(const struct factor *f, const struct gwp *g)
{
	char v[48], tmp[48], from[11], to[11];
	int64_t x10 = 0;
	json_t *o;

	if (factor_co2e_x10(f, g, &x10))
		x10 = 0;
	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}",
		      "id", f->id, "set", factor_set_name(f->set), "version",
		      factor_set_version(f->set), "activity", f->activity, "region",
		      f->region, "unit", f->unit->name, "method",
		      f->market ? "market" : "location", "valid_from", from, "scope",
		      f->scope, "valid_to", to, "citation", f->citation ? f->citation : "",
		      "co2e_per_unit", exact(x10, 13, v, sizeof v));
	if (f->tariff)
		json_object_set_new(o, "tariff", json_string(f->tariff));
	if (f->has_gases) {
		json_object_set_new(o, "gases", json_pack("{s:s, s:s, s:s, s:s, s:s}",
			"co2", exact(f->co2, 12, v, sizeof v),
			"ch4_fossil", exact(f->ch4_fossil, 12, tmp, sizeof tmp),
			"ch4_biogenic", "", "n2o", "", "biogenic_co2", ""));
		json_object_set_new(json_object_get(o, "gases"), "ch4_biogenic",
				    json_string(exact(f->ch4_biogenic, 12, v, sizeof v)));
		json_object_set_new(json_object_get(o, "gases"), "n2o",
				    json_string(exact(f->n2o, 12, v, sizeof v)));
		json_object_set_new(json_object_get(o, "gases"), "biogenic_co2",
				    json_string(exact(f->biogenic_co2, 12, v, sizeof v)));
	}
	if (f->has_upstream)
		json_object_set_new(o, "upstream_co2e",
				    json_string(exact(f->upstream_co2e, 12, v, sizeof v)));
	if (f->price_year)
		json_object_set_new(o, "price_year", json_integer(f->price_year));
	if (f->status)
		json_object_set_new(o, "status", json_string(f->status));
	return o;
}

static void
print_factor(struct report_emit *em, const char *what, const struct factor *f,
	     const struct gwp *g)
{
	char lab[200], from[11], to[11], val[400];

	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	value_text(f, g, val, sizeof val);
	emitf(em, "    %s factor '%s' of %s: %s, region %s, %s%s%s, scope %d, valid %s "
	       "to %s\n", what, f->id, set_label(f, lab, sizeof lab), f->activity,
	       f->region, f->market ? "market" : "location",
	       f->tariff ? " tariff " : "", f->tariff ? f->tariff : "", f->scope,
	       from, to);
	emitf(em, "      citation: %s\n", f->citation ? f->citation : "");
	emitf(em, "      value: %s\n", val);
}

static int
one_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct one *o = ctx;
	struct report_emit *em = o->em;
	char a[48], b[48], d0[11], d1[11], lab[200];
	size_t i;

	o->found = 1;
	date_format(r->day_start, d0);
	date_format(r->day_end, d1);
	if (o->json) {
		json_t *parts = json_array(), *in, *top;
		for (i = 0; i < r->nparts; i++) {
			const struct calc_part *p = &r->parts[i];
			json_t *pj;
			date_format(p->day_from, d0);
			date_format(p->day_to, d1);
			pj = json_pack("{s:s, s:s, s:i, s:i, s:o, s:{s:s, s:I, s:I}, "
				       "s:{s:I, s:I}, s:b, s:o}",
				       "from", d0, "to", d1, "days", p->days, "days_total",
				       p->days_total, "factor", factor_json(p->factor, o->gwp),
				       "conversion", "path", p->conversion_path, "num",
				       (json_int_t)p->conversion.num, "den",
				       (json_int_t)p->conversion.den, "deflation", "num",
				       (json_int_t)p->deflation.num, "den",
				       (json_int_t)p->deflation.den, "extrapolated",
				       p->extrapolated, "kg", report_totals_json(&p->mg));
			json_object_set_new(pj, "market",
					    json_pack("{s:s, s:I, s:I}", "source",
						      MSRC_KEY[p->market_source],
						      "conversion_num",
						      (json_int_t)p->market_conversion.num,
						      "conversion_den",
						      (json_int_t)p->market_conversion.den));
			if (p->market)
				json_object_set_new(json_object_get(pj, "market"), "factor",
						    factor_json(p->market, o->gwp));
			json_array_append_new(parts, pj);
		}
		date_format(r->day_start, d0);
		date_format(r->day_end, d1);
		in = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, "
			       "s:s, s:s, s:s}",
			       "id", (json_int_t)r->activity_id, "file", r->file, "line",
			       (json_int_t)r->line, "batch", (json_int_t)r->batch_id,
			       "org", r->org_code, "activity", r->activity, "from", d0,
			       "to", d1, "quantity", exact(r->quantity, 6, a, sizeof a),
			       "unit", r->unit, "quality", quality_name(r->quality),
			       "sector", r->sector, "carrier", r->carrier);
		if (r->tariff)
			json_object_set_new(in, "tariff", json_string(r->tariff));
		if (r->has_supplier_factor)
			json_object_set_new(in, "supplier_factor",
					    json_string(exact(r->supplier_factor, 9, b,
							      sizeof b)));
		top = json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:b, s:b, s:o, s:o}",
				"run", (json_int_t)o->run->run_id, "year", o->run->year,
				"gwp", o->run->gwp, "region", o->run->region, "fallback",
				o->run->fallback, "input", in, "excluded", r->excluded,
				"extrapolated", r->extrapolated, "parts", parts, "kg",
				report_totals_json(&r->mg));
		json_object_set_new(top, "lens", json_string(o->run->lens));
		report_emit_json(em, top, JSON_INDENT(2));
		emitf(em, "\n");
		json_decref(top);
		return 0;
	}
	emitf(em, "activity %lld in run %lld (year %d, GWP %s, region %s, fallback %s%s)\n",
	       (long long)r->activity_id, (long long)o->run->run_id, o->run->year,
	       o->run->gwp, o->run->region, o->run->fallback,
	       strcmp(o->run->lens, "bisko") == 0 ? ", lens bisko" : "");
	emitf(em, "input: %s:%ld (batch %lld)\n", r->file, r->line,
	       (long long)r->batch_id);
	emitf(em, "  org %s, %s, %s to %s (%d day%s, inclusive), %s %s, %s",
	       r->org_code, r->activity, d0, d1, r->day_end - r->day_start + 1,
	       r->day_end == r->day_start ? "" : "s",
	       exact(r->quantity, 6, a, sizeof a), r->unit,
	       quality_name(r->quality));
	if (r->tariff)
		emitf(em, ", tariff %s", r->tariff);
	if (r->has_supplier_factor)
		emitf(em, ", supplier factor %s kg CO2e/kWh",
		       exact(r->supplier_factor, 9, b, sizeof b));
	emitf(em, "\n  sector %s, carrier %s\n", r->sector, r->carrier);
	if (r->excluded && strcmp(o->run->lens, "bisko") == 0) {
		emitf(em, "excluded: procurement is outside the BISKO balance; 0 kg\n");
		return 0;
	}
	if (r->excluded) {
		emitf(em, "excluded: procurement in CPV division 09 (fuels, electricity, "
		       "heat) is counted through the energy and fleet inputs; 0 kg\n");
		return 0;
	}
	for (i = 0; i < r->nparts; i++) {
		const struct calc_part *p = &r->parts[i];
		const struct factor *f = p->factor;
		date_format(p->day_from, d0);
		date_format(p->day_to, d1);
		emitf(em, "part %zu: %s to %s, %d of %d days%s\n", i + 1, d0, d1, p->days,
		       p->days_total, p->extrapolated
				      ? " (extrapolated: the latest earlier factor)"
				      : "");
		print_factor(em, "location", f, o->gwp);
		if (p->conversion_path[0])
			emitf(em, "    conversion: %s, 1 %s = %lld/%lld %s\n",
			       p->conversion_path, r->unit, (long long)p->conversion.num,
			       (long long)p->conversion.den, f->unit->name);
		else
			emitf(em, "    conversion: none (%s)\n", r->unit);
		if (p->deflation.num != p->deflation.den)
			emitf(em, "    deflation: price index %d / %d of %s = %lld/%lld\n",
			       f->price_year, o->run->year, set_label(f, lab, sizeof lab),
			       (long long)p->deflation.num, (long long)p->deflation.den);
		emitf(em, "    %s %s x %d/%d days x %lld/%lld%s -> %s kg CO2e, scope %d%s\n",
		       exact(r->quantity, 6, a, sizeof a), r->unit, p->days,
		       p->days_total, (long long)p->conversion.num,
		       (long long)p->conversion.den,
		       p->deflation.num != p->deflation.den ? " x deflation" : "",
		       kg(f->scope == 1   ? p->mg.scope1_mg
			  : f->scope == 3 ? p->mg.scope3_mg - p->mg.upstream_mg
					  : p->mg.scope2_location_mg,
			  b, sizeof b),
		       f->scope, f->scope == 2 ? " (location-based)" : "");
		if (f->has_upstream)
			emitf(em, "    upstream %s kg CO2e per %s -> %s kg, scope 3 category 3\n",
			       exact(f->upstream_co2e, 12, a, sizeof a), f->unit->name,
			       kg(p->mg.upstream_mg, b, sizeof b));
		if (p->mg.biogenic_co2_mg)
			emitf(em, "    biogenic CO2 %s kg per %s -> %s kg, outside the scopes\n",
			       exact(f->biogenic_co2, 12, a, sizeof a), f->unit->name,
			       kg(p->mg.biogenic_co2_mg, b, sizeof b));
		emitf(em, "    market-based: %s", MSRC[p->market_source]);
		if (p->market_source == CALC_MKT_SUPPLIER)
			emitf(em, " %s kg CO2e/kWh, 1 %s = %lld/%lld kWh",
			       exact(r->supplier_factor, 9, a, sizeof a), r->unit,
			       (long long)p->market_conversion.num,
			       (long long)p->market_conversion.den);
		emitf(em, " -> %s kg%s\n",
		       kg(f->scope == 2 ? p->mg.scope2_market_mg
					: (f->scope == 1 ? p->mg.scope1_mg
							 : p->mg.scope3_mg -
								   p->mg.upstream_mg),
			  b, sizeof b),
		       p->market_source == CALC_MKT_LOCATION ? " (flagged)" : "");
		if (p->market)
			print_factor(em, "market", p->market, o->gwp);
	}
	emitf(em, "result (kg, each part rounded once to whole mg, half away from zero):\n");
	emitf(em, "  scope 1 %s, scope 2 location %s, scope 2 market %s\n",
	       kg(r->mg.scope1_mg, a, sizeof a), kg(r->mg.scope2_location_mg, b, sizeof b),
	       kg(r->mg.scope2_market_mg, lab, sizeof lab));
	emitf(em, "  scope 3 %s (upstream %s), biogenic CO2 %s\n",
	       kg(r->mg.scope3_mg, a, sizeof a), kg(r->mg.upstream_mg, b, sizeof b),
	       kg(r->mg.biogenic_co2_mg, lab, sizeof lab));
	emitf(em, "  total location-based %s, market-based %s%s\n",
	       kg(calc_total_location(&r->mg), a, sizeof a),
	       kg(calc_total_market(&r->mg), b, sizeof b),
	       r->extrapolated ? " (extrapolated)" : "");
	(void)e;
	return 0;
}

/* ---- the rows behind a figure ---- */

struct figure {
	struct report_emit *em;
	int json;
	struct org_tree *tree;
	char *in;          /* per tree index: 1 when the unit rolls up to CODE */
	const char *key;
	struct calc_totals sum;
	long rows, excluded;
};

static int
figure_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct figure *fg = ctx;
	struct report_emit *em = fg->em;
	size_t oi = org_tree_find(fg->tree, r->org_code, strlen(r->org_code));
	char q[48], l[48], m[48], d0[11], d1[11];

	if (oi == ORG_NONE || !fg->in[oi])
		return 0;
	if (strcmp(r->sector, fg->key) && strcmp(r->carrier, fg->key))
		return 0;
	if (r->excluded) {
		fg->excluded++;
		return 0;
	}
	fg->rows++;
	if (calc_totals_add(&fg->sum, &r->mg) != 0)
		return err_setf(e, ERR_DATA, "the sum overflows");
	date_format(r->day_start, d0);
	date_format(r->day_end, d1);
	exact(r->quantity, 6, q, sizeof q);
	kg(calc_total_location(&r->mg), l, sizeof l);
	kg(calc_total_market(&r->mg), m, sizeof m);
	if (fg->json) {
		json_t *fs = json_array();
		size_t i;
		for (i = 0; i < r->nparts; i++) {
			char lab[200];
			json_array_append_new(fs, json_pack("{s:s, s:s}", "id",
				r->parts[i].factor->id, "set",
				set_label(r->parts[i].factor, lab, sizeof lab)));
		}
		{
			/* streamed, one row per line: memory stays flat */
			json_t *o = json_pack(
				"{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
				"s:o, s:b}",
				"activity", (json_int_t)r->activity_id, "file", r->file,
				"line", (json_int_t)r->line, "org", r->org_code, "key",
				r->activity, "from", d0, "to", d1, "quantity", q, "unit",
				r->unit, "factors", fs, "location_kg",
				report_json_kg(calc_total_location(&r->mg)), "market_kg",
				report_json_kg(calc_total_market(&r->mg)), "extrapolated",
				r->extrapolated);
			emitf(em, "%s    ", fg->rows > 1 ? ",\n" : "");
			report_emit_json(em, o, JSON_COMPACT);
			json_decref(o);
		}
		return 0;
	}
	emitf(em, "%s:%ld  #%lld  %s  %s..%s  %s %s  ", r->file, r->line,
	       (long long)r->activity_id, r->org_code, d0, d1, q,
	       r->unit);
	{
		size_t i;
		for (i = 0; i < r->nparts; i++) {
			char lab[200];
			emitf(em, "%s%s/%s", i ? "+" : "", r->parts[i].factor->id,
			       set_label(r->parts[i].factor, lab, sizeof lab));
		}
	}
	emitf(em, "  %s kg (market %s kg)%s\n", l, m, r->extrapolated ? " extrapolated" : "");
	return 0;
}

/* ---- entry points ---- */

int
report_explain_activity(struct ledger *l, int64_t run_id, int64_t act, int json,
			report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct calc_run_info run;
	struct one o = {&em, json, &run, NULL, 0};
	int rc = -1;

	if (calc_run_info(l, run_id, &run, e))
		return -1;
	o.gwp = gwp_find(run.gwp);
	if (calc_each_row(l, run_id, act, one_row, &o, e))
		goto out;
	if (!o.found) {
		err_setf(e, ERR_DATA, "activity %lld is not part of run %lld (no such row, "
			 "another year, or a batch outside the run)", (long long)act,
			 (long long)run_id);
		goto out;
	}
	rc = 0;
out:
	report_emit_end(&em);
	return rc;
}

/* per tree index: 1 when the unit rolls up to `target` */
static char *
rolls_up(const struct org_tree *t, size_t target)
{
	size_t n = org_tree_count(t), k;
	char *in = calloc(n ? n : 1, 1);

	for (k = 0; in && k < n; k++) {
		size_t u = k;
		while (u != ORG_NONE && u != target)
			u = org_tree_at(t, u)->parent;
		in[k] = u == target;
	}
	return in;
}

int
report_explain_figure(struct ledger *l, int64_t run_id, const char *org,
		      const char *key, int json, report_note_fn *fn, void *ctx,
		      struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct calc_run_info run;
	struct figure fg;
	size_t target;
	char a[48], b[48];
	int rc = -1;

	memset(&fg, 0, sizeof fg);
	fg.em = &em;
	fg.json = json;
	fg.key = key;
	if (calc_run_info(l, run_id, &run, e) || org_tree_load(l, &fg.tree, e))
		return -1;
	target = org_tree_find(fg.tree, org, strlen(org));
	if (target == ORG_NONE) {
		char sug[200];
		org_tree_suggest(fg.tree, org, strlen(org), sug, sizeof sug);
		err_setf(e, ERR_DATA, "unknown org unit '%s'%s%s%s", org,
			 sug[0] ? " (did you mean " : "", sug, sug[0] ? "?)" : "");
		goto out;
	}
	if (!(fg.in = rolls_up(fg.tree, target))) {
		err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	if (json) {
		json_t *oj = json_string(org), *sj = json_string(key);
		emitf(&em, "{\n  \"org\": ");
		report_emit_json(&em, oj, JSON_ENCODE_ANY);
		emitf(&em, ",\n  \"run\": %lld,\n  \"sector\": ", (long long)run_id);
		report_emit_json(&em, sj, JSON_ENCODE_ANY);
		emitf(&em, ",\n  \"rows\": [\n");
		json_decref(oj);
		json_decref(sj);
	} else {
		emitf(&em, "rows behind %s / %s in run %lld (units rolling up to %s):\n",
		      org, key, (long long)run_id, org);
	}
	if (calc_each_row(l, run_id, 0, figure_row, &fg, e))
		goto out;
	if (json) {
		json_t *t = report_totals_json(&fg.sum);
		emitf(&em, "%s  ],\n  \"rows_count\": %ld,\n  \"rows_excluded\": %ld,\n"
		      "  \"location_kg\": %s,\n  \"market_kg\": %s,\n  \"kg\": ",
		      fg.rows ? "\n" : "", fg.rows, fg.excluded,
		      kg(calc_total_location(&fg.sum), a, sizeof a),
		      kg(calc_total_market(&fg.sum), b, sizeof b));
		report_emit_json(&em, t, JSON_COMPACT);
		emitf(&em, "\n}\n");
		json_decref(t);
	} else {
		emitf(&em, "%ld row%s\n", fg.rows, fg.rows == 1 ? "" : "s");
		if (fg.excluded)
			emitf(&em, "%ld excluded row%s (CPV 09) not counted\n", fg.excluded,
			      fg.excluded == 1 ? "" : "s");
		emitf(&em, "sum: %s kg location-based, %s kg market-based\n",
		      kg(calc_total_location(&fg.sum), a, sizeof a),
		      kg(calc_total_market(&fg.sum), b, sizeof b));
	}
	rc = 0;
out:
	report_emit_end(&em);
	free(fg.in);
	org_tree_free(fg.tree);
	return rc;
}
