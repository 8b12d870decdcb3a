/*
 * explain: shows how a run's numbers come about. `--activity N` walks one
 * input row through every step (period parts, factor with set version and
 * citation, GWP, conversion, deflation, each bucket, the market-based path);
 * `--org CODE --sector KEY` lists the rows behind one figure of the balance
 * and their sum. Row results are recomputed by calc_each_row(), the same
 * code path as the run itself.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/calc.h"
#include "base/date.h"
#include "base/num.h"
#include "org/org.h"
#include "factors/factors.h"

static const char usage[] =
	"usage: co2ledger explain --run ID (--activity N | --row FILE:LINE) [--json]\n"
	"       co2ledger explain --run ID --org CODE --sector KEY [--json]\n"
	"Show every step from an activity row to kg CO2e in run ID: the input row\n"
	"(file:line), each pro-rata part with its factor (id, set version,\n"
	"citation), GWP, unit conversion and deflation, the result per scope and\n"
	"the market-based path. With --org and --sector, list the rows behind\n"
	"that figure (CODE may be any unit: rows of units that roll up to it) and\n"
	"their sum. KEY is a sector (buildings.electricity, buildings.heat, fleet,\n"
	"procurement) or a carrier (electricity, natural_gas, cpv.30, ...).\n"
	"--row names a row as any ledger can: the input file's name and the source\n"
	"line (energie-2023-2024.csv:2833), or the batch's sha256 or rows_sha256\n"
	"(or 8 or more of its leading hex digits) and the line.\n";

static const char *const QUALITY[] = {"measured", "calculated", "estimated"};
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
	return q >= 0 && q <= 2 ? QUALITY[q] : "?";
}

static const char *
set_label(const struct factor *f, char *buf, size_t n)
{
	snprintf(buf, n, "%s@%s", factor_set_name(f->set), factor_set_version(f->set));
	return buf;
}

static int64_t
total_location(const struct calc_totals *t)
{
	return t->scope1_mg + t->scope2_location_mg + t->scope3_mg;
}

static int64_t
total_market(const struct calc_totals *t)
{
	return t->scope1_mg + t->scope2_market_mg + t->scope3_mg;
}

/* ---- one activity ---- */

struct one {
	struct cli *c;
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
print_factor(const char *what, const struct factor *f, const struct gwp *g)
{
	char lab[200], from[11], to[11], val[400];

	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	value_text(f, g, val, sizeof val);
	printf("    %s factor '%s' of %s: %s, region %s, %s%s%s, scope %d, valid %s "
	       "to %s\n", what, f->id, set_label(f, lab, sizeof lab), f->activity,
	       f->region, f->market ? "market" : "location",
	       f->tariff ? " tariff " : "", f->tariff ? f->tariff : "", f->scope,
	       from, to);
	printf("      citation: %s\n", f->citation ? f->citation : "");
	printf("      value: %s\n", val);
}

static int
one_row(void *ctx, const struct calc_row *r, struct err *e)
{
	struct one *o = ctx;
	char a[48], b[48], d0[11], d1[11], lab[200];
	size_t i;

	o->found = 1;
	date_format(r->day_start, d0);
	date_format(r->day_end, d1);
	if (o->c->json) {
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
				       p->extrapolated, "kg", cli_totals_json(&p->mg));
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
				cli_totals_json(&r->mg));
		cli_print_json(top);
		json_decref(top);
		return 0;
	}
	printf("activity %lld in run %lld (year %d, GWP %s, region %s, fallback %s)\n",
	       (long long)r->activity_id, (long long)o->run->run_id, o->run->year,
	       o->run->gwp, o->run->region, o->run->fallback);
	printf("input: %s:%ld (batch %lld)\n", cli_esc(r->file), r->line,
	       (long long)r->batch_id);
	printf("  org %s, %s, %s to %s (%d day%s, inclusive), %s %s, %s",
	       cli_esc(r->org_code), r->activity, d0, d1, r->day_end - r->day_start + 1,
	       r->day_end == r->day_start ? "" : "s",
	       exact(r->quantity, 6, a, sizeof a), cli_esc(r->unit),
	       quality_name(r->quality));
	if (r->tariff)
		printf(", tariff %s", cli_esc(r->tariff));
	if (r->has_supplier_factor)
		printf(", supplier factor %s kg CO2e/kWh",
		       exact(r->supplier_factor, 9, b, sizeof b));
	printf("\n  sector %s, carrier %s\n", r->sector, r->carrier);
	if (r->excluded) {
		printf("excluded: procurement in CPV division 09 (fuels, electricity, "
		       "heat) is counted through the energy and fleet inputs; 0 kg\n");
		return 0;
	}
	for (i = 0; i < r->nparts; i++) {
		const struct calc_part *p = &r->parts[i];
		const struct factor *f = p->factor;
		date_format(p->day_from, d0);
		date_format(p->day_to, d1);
		printf("part %zu: %s to %s, %d of %d days%s\n", i + 1, d0, d1, p->days,
		       p->days_total, !p->extrapolated ? ""
		       : f->valid_from > p->day_to
				      ? " (extrapolated: the earliest later factor)"
				      : " (extrapolated: the latest earlier factor)");
		print_factor("location", f, o->gwp);
		if (p->conversion_path[0])
			printf("    conversion: %s, 1 %s = %lld/%lld %s\n",
			       p->conversion_path, r->unit, (long long)p->conversion.num,
			       (long long)p->conversion.den, f->unit->name);
		else
			printf("    conversion: none (%s)\n", r->unit);
		if (p->deflation.num != p->deflation.den)
			printf("    deflation: price index %d / %d of %s = %lld/%lld\n",
			       f->price_year, o->run->year, set_label(f, lab, sizeof lab),
			       (long long)p->deflation.num, (long long)p->deflation.den);
		printf("    %s %s x %d/%d days x %lld/%lld%s -> %s kg CO2e, scope %d%s\n",
		       exact(r->quantity, 6, a, sizeof a), r->unit, p->days,
		       p->days_total, (long long)p->conversion.num,
		       (long long)p->conversion.den,
		       p->deflation.num != p->deflation.den ? " x deflation" : "",
		       cli_kg(f->scope == 1   ? p->mg.scope1_mg
			  : f->scope == 3 ? p->mg.scope3_mg - p->mg.upstream_mg
					  : p->mg.scope2_location_mg,
			  b, sizeof b),
		       f->scope, f->scope == 2 ? " (location-based)" : "");
		if (f->has_upstream)
			printf("    upstream %s kg CO2e per %s -> %s kg, scope 3 category 3\n",
			       exact(f->upstream_co2e, 12, a, sizeof a), f->unit->name,
			       cli_kg(p->mg.upstream_mg, b, sizeof b));
		if (p->mg.biogenic_co2_mg)
			printf("    biogenic CO2 %s kg per %s -> %s kg, outside the scopes\n",
			       exact(f->biogenic_co2, 12, a, sizeof a), f->unit->name,
			       cli_kg(p->mg.biogenic_co2_mg, b, sizeof b));
		printf("    market-based: %s", MSRC[p->market_source]);
		if (p->market_source == CALC_MKT_SUPPLIER)
			printf(" %s kg CO2e/kWh, 1 %s = %lld/%lld kWh",
			       exact(r->supplier_factor, 9, a, sizeof a), r->unit,
			       (long long)p->market_conversion.num,
			       (long long)p->market_conversion.den);
		printf(" -> %s kg%s\n",
		       cli_kg(f->scope == 2 ? p->mg.scope2_market_mg
					: (f->scope == 1 ? p->mg.scope1_mg
							 : p->mg.scope3_mg -
								   p->mg.upstream_mg),
			  b, sizeof b),
		       p->market_source == CALC_MKT_LOCATION ? " (flagged)" : "");
		if (p->market)
			print_factor("market", p->market, o->gwp);
	}
	printf("result (kg, each part rounded once to whole mg, half away from zero):\n");
	printf("  scope 1 %s, scope 2 location %s, scope 2 market %s\n",
	       cli_kg(r->mg.scope1_mg, a, sizeof a), cli_kg(r->mg.scope2_location_mg, b, sizeof b),
	       cli_kg(r->mg.scope2_market_mg, lab, sizeof lab));
	printf("  scope 3 %s (upstream %s), biogenic CO2 %s\n",
	       cli_kg(r->mg.scope3_mg, a, sizeof a), cli_kg(r->mg.upstream_mg, b, sizeof b),
	       cli_kg(r->mg.biogenic_co2_mg, lab, sizeof lab));
	printf("  total location-based %s, market-based %s%s\n",
	       cli_kg(total_location(&r->mg), a, sizeof a),
	       cli_kg(total_market(&r->mg), b, sizeof b),
	       r->extrapolated ? " (extrapolated)" : "");
	(void)e;
	return 0;
}

/* ---- the rows behind a figure ---- */

struct figure {
	struct cli *c;
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
	cli_kg(total_location(&r->mg), l, sizeof l);
	cli_kg(total_market(&r->mg), m, sizeof m);
	if (fg->c->json) {
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
				cli_kg_json(total_location(&r->mg)), "market_kg",
				cli_kg_json(total_market(&r->mg)), "extrapolated",
				r->extrapolated);
			printf("%s    ", fg->rows > 1 ? ",\n" : "");
			json_dumpf(o, stdout, JSON_COMPACT | JSON_SORT_KEYS |
					      JSON_REAL_PRECISION(15));
			json_decref(o);
		}
		return 0;
	}
	printf("%s:%ld  #%lld  %s  %s..%s  %s %s  ", cli_esc(r->file), r->line,
	       (long long)r->activity_id, cli_esc(r->org_code), d0, d1, q,
	       cli_esc(r->unit));
	{
		size_t i;
		for (i = 0; i < r->nparts; i++) {
			char lab[200];
			printf("%s%s/%s", i ? "+" : "", r->parts[i].factor->id,
			       set_label(r->parts[i].factor, lab, sizeof lab));
		}
	}
	printf("  %s kg (market %s kg)%s\n", l, m, r->extrapolated ? " extrapolated" : "");
	return 0;
}

/* ---- command ---- */

int
cmd_explain(struct cli *c, int argc, char **argv)
{
	const char *run_s = NULL, *act_s = NULL, *org = NULL, *sector = NULL, *v;
	const char *row_s = NULL;
	struct calc_run_info run;
	const struct gwp *g;
	struct ledger *l;
	struct err e;
	int64_t run_id, act = 0;
	char *end;
	int i, r, status;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if ((r = cli_common(c, argc, argv, &i, 1)) == 1)
			continue;
		if (r < 0)
			return cli_usage_error(usage, "'%s' needs a value", argv[i]);
		if ((r = cli_opt(argc, argv, &i, "--run", &v)) == 1)
			run_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &i, "--activity", &v)) == 1)
			act_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &i, "--row", &v)) == 1)
			row_s = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &i, "--org", &v)) == 1)
			org = v;
		else if (r == 0 && (r = cli_opt(argc, argv, &i, "--sector", &v)) == 1)
			sector = v;
		else if (r < 0)
			return cli_usage_error(usage, "'%s' needs a value", argv[i]);
		else
			return cli_usage_error(usage, "unknown argument '%s'", argv[i]);
	}
	if (!run_s)
		return cli_usage_error(usage, "--run is required");
	run_id = strtoll(run_s, &end, 10);
	if (*end || end == run_s || run_id <= 0)
		return cli_usage_error(usage, "invalid run id '%s'", run_s);
	if (act_s && row_s)
		return cli_usage_error(usage, "give either --activity or --row");
	if (row_s) {
		if (org || sector)
			return cli_usage_error(usage, "give either --row or --org "
					       "with --sector");
	} else if (act_s) {
		if (org || sector)
			return cli_usage_error(usage, "give either --activity or --org "
					       "with --sector");
		act = strtoll(act_s, &end, 10);
		if (*end || end == act_s || act <= 0)
			return cli_usage_error(usage, "invalid activity id '%s'", act_s);
	} else if (!org || !sector) {
		return cli_usage_error(usage, "give --activity N, --row FILE:LINE, or "
				       "--org CODE and --sector KEY");
	}
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	err_clear(&e);
	if (calc_run_info(l, run_id, &run, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	g = gwp_find(run.gwp);
	if (row_s && calc_find_row(l, run_id, row_s, &act, &e)) {
		status = e.kind == ERR_USAGE ? cli_usage_error(usage, "%s", e.text)
					     : cli_fail(&e);
		goto out;
	}
	if (act) {
		struct one o = {c, &run, g, 0};
		if (calc_each_row(l, run_id, act, one_row, &o, &e)) {
			status = cli_fail(&e);
			goto out;
		}
		if (!o.found) {
			err_setf(&e, ERR_DATA, "activity %lld is not part of run %lld "
				 "(no such row, another year, or a batch outside the run)",
				 (long long)act, (long long)run_id);
			status = cli_fail(&e);
			goto out;
		}
		status = EXIT_OK;
	} else {
		struct figure fg;
		size_t n, k, target;
		char a[48], b[48];
		memset(&fg, 0, sizeof fg);
		fg.c = c;
		fg.key = sector;
		if (org_tree_load(l, &fg.tree, &e)) {
			status = cli_fail(&e);
			goto out;
		}
		n = org_tree_count(fg.tree);
		target = org_tree_find(fg.tree, org, strlen(org));
		if (target == ORG_NONE) {
			char sug[200];
			org_tree_suggest(fg.tree, org, strlen(org), sug, sizeof sug);
			err_setf(&e, ERR_DATA, "unknown org unit '%s'%s%s%s", org,
				 sug[0] ? " (did you mean " : "", sug, sug[0] ? "?)" : "");
			org_tree_free(fg.tree);
			status = cli_fail(&e);
			goto out;
		}
		fg.in = calloc(n ? n : 1, 1);
		for (k = 0; fg.in && k < n; k++) {
			size_t u = k;
			while (u != ORG_NONE && u != target)
				u = org_tree_at(fg.tree, u)->parent;
			fg.in[k] = u == target;
		}
		if (c->json) {
			json_t *oj = json_string(org), *sj = json_string(sector);
			char *os = json_dumps(oj, JSON_ENCODE_ANY);
			char *ss = json_dumps(sj, JSON_ENCODE_ANY);
			json_decref(oj);
			json_decref(sj);
			printf("{\n  \"org\": %s,\n  \"run\": %lld,\n  \"sector\": %s,\n"
			       "  \"rows\": [\n", os ? os : "null", (long long)run_id,
			       ss ? ss : "null");
			free(os);
			free(ss);
		} else
			printf("rows behind %s / %s in run %lld (units rolling up to %s):\n",
			       cli_esc(org), cli_esc(sector), (long long)run_id, cli_esc(org));
		if (!fg.in || calc_each_row(l, run_id, 0, figure_row, &fg, &e)) {
			if (!fg.in)
				err_setf(&e, ERR_IO, "out of memory");
			status = cli_fail(&e);
		} else if (c->json) {
			json_t *t = cli_totals_json(&fg.sum);
			printf("%s  ],\n  \"rows_count\": %ld,\n  \"rows_excluded\": %ld,\n"
			       "  \"location_kg\": %s,\n  \"market_kg\": %s,\n  \"kg\": ",
			       fg.rows ? "\n" : "", fg.rows, fg.excluded,
			       cli_kg(total_location(&fg.sum), a, sizeof a),
			       cli_kg(total_market(&fg.sum), b, sizeof b));
			json_dumpf(t, stdout, JSON_COMPACT | JSON_SORT_KEYS |
					      JSON_REAL_PRECISION(15));
			printf("\n}\n");
			json_decref(t);
			status = EXIT_OK;
		} else {
			printf("%ld row%s\n", fg.rows, fg.rows == 1 ? "" : "s");
			if (fg.excluded)
				printf("%ld excluded row%s (CPV 09) not counted\n", fg.excluded,
				       fg.excluded == 1 ? "" : "s");
			printf("sum: %s kg location-based, %s kg market-based\n",
			       cli_kg(total_location(&fg.sum), a, sizeof a),
			       cli_kg(total_market(&fg.sum), b, sizeof b));
			status = EXIT_OK;
		}
		free(fg.in);
		org_tree_free(fg.tree);
	}
out:
	ledger_close(l);
	return status;
}
