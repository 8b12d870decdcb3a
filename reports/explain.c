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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/activity.h"
#include "base/date.h"
#include "base/num.h"
#include "base/strbuf.h"
#include "base/strmap.h"
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

/* ---- text in the reader's language ---- */

#define T(lang, en, de) ((lang) == REPORT_DE ? (de) : (en))

static const char *const MSRC_DE[] = {"wie standortbasiert", "Lieferantenfaktor",
				      "Marktfaktor für den Tarif",
				      "Marktfaktor ohne Tarif (Reststrommix)",
				      "standortbasierter Faktor (kein Marktfaktor gefunden)"};

/* v / 10^scale with every digit, no trailing zeros, and the language's
 * thousands and decimal separators ("36,301.5" / "36.301,5"). */
static const char *
lnum(enum report_lang lang, int64_t v, int scale, char *buf, size_t n)
{
	char raw[64];

	exact(v, scale, raw, sizeof raw);
	report_localise(lang, raw, buf, n);
	return buf;
}

/* kg with three decimals and the language's separators. */
static const char *
lkg(enum report_lang lang, int64_t mg, char *buf, size_t n)
{
	char raw[48];

	kg(mg, raw, sizeof raw);
	report_localise(lang, raw, buf, n);
	return buf;
}

/* A day in the language's form: 2024-11-01 / 01.11.2024. */
static const char *
ldate(enum report_lang lang, int32_t day, char *buf)
{
	char iso[11];

	date_format(day, iso);
	if (lang == REPORT_DE)
		snprintf(buf, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	else
		memcpy(buf, iso, 11);
	return buf;
}

/* An exact ratio as a decimal when it has one with at most 12 places
 * ("10.55"), else as "num/den (~0.923722)". */
static const char *
lratio(enum report_lang lang, const struct ratio *r, char *buf, size_t n)
{
	int64_t d = r->den, pow10 = 1;
	char a[32], b[44];
	int k = 0;

	while (d % 2 == 0)
		d /= 2;
	while (d % 5 == 0)
		d /= 5;
	if (d == 1) {
		while (k < 12 && pow10 % r->den != 0) {
			pow10 *= 10;
			k++;
		}
		if (pow10 % r->den == 0 && r->num <= INT64_MAX / (pow10 / r->den) &&
		    r->num >= -(INT64_MAX / (pow10 / r->den)))
			return lnum(lang, r->num * (pow10 / r->den), k, buf, n);
	}
	num_format(r->num / r->den * 1000000 +
			   (r->num % r->den) * 1000000 / r->den, 6, 6, a, sizeof a);
	report_localise(lang, a, b, sizeof b);
	snprintf(buf, n, "%lld/%lld (~%s)", (long long)r->num, (long long)r->den, b);
	return buf;
}

/* ---- one activity ---- */

struct one {
	struct report_emit *em;
	int json;
	const struct calc_run_info *run;
	const struct gwp *gwp;
	int found;
	enum report_lang lang;
};

/* The factor's value per its unit, GWP applied, as text; and the gases. */
static void
value_text(enum report_lang lang, const struct factor *f, const struct gwp *g,
	   char *buf, size_t n)
{
	char a[48], b[48], c[48], d[48], tot[48], gf[16], gb[16], gn[16];
	const char *per = T(lang, "per", "je");
	int64_t x10 = 0;

	if (factor_co2e_x10(f, g, &x10))
		x10 = 0;
	lnum(lang, x10, 13, tot, sizeof tot);
	if (!f->has_gases) {
		snprintf(buf, n, "%s kg CO2e %s %s", tot, per, f->unit->name);
		return;
	}
	lnum(lang, g->ch4_fossil_x10, 1, gf, sizeof gf);
	lnum(lang, g->ch4_biogenic_x10, 1, gb, sizeof gb);
	lnum(lang, g->n2o_x10, 1, gn, sizeof gn);
	snprintf(buf, n, "CO2 %s + CH4 fossil %s × %s + CH4 %s %s × %s + N2O %s × %s "
		 "(GWP %s) = %s kg CO2e %s %s",
		 lnum(lang, f->co2, 12, a, sizeof a), lnum(lang, f->ch4_fossil, 12, b, sizeof b),
		 gf, T(lang, "biogenic", "biogen"), lnum(lang, f->ch4_biogenic, 12, c, sizeof c),
		 gb, lnum(lang, f->n2o, 12, d, sizeof d), gn, g->name, tot, per,
		 f->unit->name);
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
	if (f->network) {
		json_object_set_new(o, "network", json_string(f->network));
		json_object_set_new(o, "allocation", json_string(f->allocation));
	}
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

/* What an allocation method of a network factor means, in a few words. */
static const char *
alloc_text(enum report_lang lang, const char *a)
{
	if (strcmp(a, "carnot") == 0)
		return T(lang, "Carnot method: by exergy, as BISKO prescribes",
			 "Carnot-Methode: nach Exergie, wie BISKO sie vorschreibt");
	if (strcmp(a, "power_credit") == 0)
		return T(lang, "power credit method: the electricity credited",
			 "Stromgutschriftmethode: der Strom wird gutgeschrieben");
	if (strcmp(a, "finnish") == 0)
		return T(lang, "Finnish method: by savings against separate generation",
			 "Finnische Methode: nach Einsparung gegenüber getrennter Erzeugung");
	return T(lang, "efficiency method: by the efficiencies of heat and power",
		 "Wirkungsgradmethode: nach den Wirkungsgraden von Wärme und Strom");
}

static void
print_factor(struct report_emit *em, enum report_lang lang, int market,
	     const struct factor *f, const struct gwp *g)
{
	char lab[200], from[11], to[11], val[600];

	value_text(lang, f, g, val, sizeof val);
	emitf(em, "    %s '%s' %s %s: %s, %s %s%s%s, Scope %d, %s %s %s %s\n",
	      market ? T(lang, "market factor", "marktbasierter Faktor")
		     : T(lang, "location factor", "standortbasierter Faktor"),
	      f->id, T(lang, "of", "aus"), set_label(f, lab, sizeof lab), f->activity,
	      T(lang, "region", "Region"), f->region,
	      f->tariff ? T(lang, ", tariff ", ", Tarif ") : "",
	      f->tariff ? f->tariff : "", f->scope, T(lang, "valid", "gültig"),
	      ldate(lang, f->valid_from, from), T(lang, "to", "bis"), ldate(lang, f->valid_to, to));
	emitf(em, "      %s: %s\n", T(lang, "citation", "Quelle"), f->citation ? f->citation : "");
	emitf(em, "      %s: %s\n", T(lang, "value", "Wert"), val);
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
		if (r->network)
			json_object_set_new(in, "network", json_string(r->network));
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
	{
		enum report_lang lang = o->lang;
		char q[64], cb[80], t0[11], t1[11];
		const char *unit_tr = report_tr_unit(lang, r->unit);

		emitf(em, "%s %lld %s %lld (%s %d, GWP %s, %s %s, %s %s%s)\n",
		      T(lang, "activity", "Aktivität"), (long long)r->activity_id,
		      T(lang, "in run", "in Berechnungslauf"), (long long)o->run->run_id,
		      T(lang, "year", "Jahr"), o->run->year, o->run->gwp,
		      T(lang, "region", "Region"), o->run->region,
		      T(lang, "fallback", "Rückgriff"), report_tr_fallback(lang, o->run->fallback),
		      strcmp(o->run->lens, "bisko") == 0 ? T(lang, ", lens bisko", ", Bilanzrahmen BISKO")
							 : "");
		emitf(em, "%s: %s:%ld (%s %lld)\n", T(lang, "input", "Eingabe"), r->file,
		      r->line, T(lang, "batch", "Import"), (long long)r->batch_id);
		lnum(lang, r->quantity, 6, q, sizeof q);
		emitf(em, "  %s %s, %s, %s %s %s (%d %s), %s %s, %s",
		      T(lang, "org", "Einheit"), r->org_code, r->activity,
		      ldate(lang, r->day_start, t0), T(lang, "to", "bis"),
		      ldate(lang, r->day_end, t1), r->day_end - r->day_start + 1,
		      r->day_end == r->day_start ? T(lang, "day, inclusive", "Tag, einschließlich")
						 : T(lang, "days, inclusive", "Tage, einschließlich"),
		      q, unit_tr, report_tr_quality(lang, r->quality));
		if (r->tariff)
			emitf(em, ", %s %s", T(lang, "tariff", "Tarif"), r->tariff);
		if (r->has_supplier_factor)
			emitf(em, ", %s %s kg CO2e/kWh", T(lang, "supplier factor", "Lieferantenfaktor"),
			      lnum(lang, r->supplier_factor, 9, b, sizeof b));
		emitf(em, "\n  %s %s, %s %s\n", T(lang, "sector", "Sektor"),
		      report_tr_sector(lang, r->sector),
		      strcmp(r->sector, "procurement") == 0 ? T(lang, "category", "Kategorie")
							     : T(lang, "carrier", "Energieträger"),
		      report_tr_carrier(lang, r->carrier, cb, sizeof cb));
		if (r->network)
			emitf(em, "  %s %s\n", T(lang, "district-heat network",
						 "Fernwärmenetz"), r->network);
		if (r->excluded && strcmp(o->run->lens, "bisko") == 0) {
			emitf(em, "%s\n", T(lang,
			      "excluded: procurement is outside the BISKO balance; 0 kg",
			      "ausgenommen: Beschaffung liegt außerhalb der BISKO-Bilanz; 0 kg"));
			return 0;
		}
		if (r->excluded) {
			emitf(em, "%s\n", T(lang,
			      "excluded: procurement in CPV division 09 (fuels, electricity, heat) "
			      "is counted through the energy and fleet inputs; 0 kg",
			      "ausgenommen: Beschaffung der CPV-Abteilung 09 (Brennstoffe, Strom, "
			      "Wärme) zählt über die Energie- und Fuhrparkdaten; 0 kg"));
			return 0;
		}
		for (i = 0; i < r->nparts; i++) {
			const struct calc_part *p = &r->parts[i];
			const struct factor *f = p->factor;
			char fv[128], conv[200], defl[320], res[64];
			int64_t x10 = 0, scope_mg;
			emitf(em, "%s %zu: %s %s %s, %d %s %d %s%s\n", T(lang, "part", "Teil"), i + 1,
			      ldate(lang, p->day_from, t0), T(lang, "to", "bis"),
			      ldate(lang, p->day_to, t1), p->days, T(lang, "of", "von"),
			      p->days_total, T(lang, "days", "Tagen"),
			      !p->extrapolated ? ""
			      : f->valid_from > p->day_to
				      ? T(lang, " (extrapolated: the earliest later factor)",
					  " (fortgeschrieben: der früheste spätere Faktor)")
				      : T(lang, " (extrapolated: the latest earlier factor)",
					  " (fortgeschrieben: der letzte frühere Faktor)"));
			print_factor(em, lang, 0, f, o->gwp);
			if (f->network)
				emitf(em, "      %s %s, %s %s (%s)\n",
				      T(lang, "the factor of network", "Faktor des Netzes"),
				      f->network, T(lang, "allocation", "Allokation"),
				      f->allocation, alloc_text(lang, f->allocation));
			else if (r->network)
				emitf(em, "      %s %s %s\n",
				      T(lang, "regional default: the network",
					"regionaler Standardfaktor: das Netz"), r->network,
				      T(lang, "has no factor on these days",
					"hat an diesen Tagen keinen Faktor"));
			conv[0] = '\0';
			if (p->conversion_path[0]) {
				emitf(em, "    %s: %s, 1 %s = %s %s\n",
				      T(lang, "conversion", "Umrechnung"), p->conversion_path,
				      unit_tr, lratio(lang, &p->conversion, fv, sizeof fv),
				      report_tr_unit(lang, f->unit->name));
				snprintf(conv, sizeof conv, " × %s %s/%s", fv,
					 report_tr_unit(lang, f->unit->name), unit_tr);
			} else if (p->conversion.num != p->conversion.den) {
				snprintf(conv, sizeof conv, " × %s",
					 lratio(lang, &p->conversion, fv, sizeof fv));
			} else {
				emitf(em, "    %s (%s)\n", T(lang, "conversion: none", "Umrechnung: keine"),
				      unit_tr);
			}
			defl[0] = '\0';
			if (p->deflation.num != p->deflation.den) {
				struct ratio pa, pb;
				char sa[128], sb[128], sr[128];
				lratio(lang, &p->deflation, sr, sizeof sr);
				if (factor_set_price_index(f->set, f->price_year, &pa) == 0 &&
				    factor_set_price_index(f->set, o->run->year, &pb) == 0) {
					lratio(lang, &pa, sa, sizeof sa);
					lratio(lang, &pb, sb, sizeof sb);
					snprintf(defl, sizeof defl, " × %s %s / %s", T(lang, "price index",
						 "Preisindex"), sa, sb);
					emitf(em, "    %s: %s %d / %d %s %s = %s / %s = %s\n",
					      T(lang, "deflation", "Preisbereinigung"),
					      T(lang, "price index", "Preisindex"), f->price_year,
					      o->run->year, T(lang, "of", "aus"),
					      set_label(f, lab, sizeof lab), sa, sb, sr);
				} else {
					snprintf(defl, sizeof defl, " × %s", sr);
					emitf(em, "    %s: %s %d / %d %s %s = %s\n",
					      T(lang, "deflation", "Preisbereinigung"),
					      T(lang, "price index", "Preisindex"), f->price_year,
					      o->run->year, T(lang, "of", "aus"),
					      set_label(f, lab, sizeof lab), sr);
				}
			}
			if (factor_co2e_x10(f, o->gwp, &x10))
				x10 = 0;
			scope_mg = f->scope == 1   ? p->mg.scope1_mg
				   : f->scope == 3 ? p->mg.scope3_mg - p->mg.upstream_mg
						   : p->mg.scope2_location_mg;
			/* the formula with every factor: quantity, share of days,
			 * conversion, deflation, the emission factor */
			emitf(em, "    %s %s × %d/%d %s%s%s × %s kg CO2e/%s = %s kg CO2e, Scope %d%s\n",
			      q, unit_tr, p->days, p->days_total, T(lang, "days", "Tage"), conv, defl,
			      lnum(lang, x10, 13, fv, sizeof fv), report_tr_unit(lang, f->unit->name),
			      lkg(lang, scope_mg, res, sizeof res), f->scope,
			      f->scope == 2 ? T(lang, " (location-based)", " (standortbasiert)") : "");
			if (f->has_upstream)
				emitf(em, "    %s %s kg CO2e/%s × %s = %s kg, %s\n",
				      T(lang, "upstream", "Vorkette"),
				      lnum(lang, f->upstream_co2e, 12, a, sizeof a),
				      report_tr_unit(lang, f->unit->name),
				      T(lang, "the same quantity", "dieselbe Menge"),
				      lkg(lang, p->mg.upstream_mg, b, sizeof b),
				      T(lang, "scope 3 category 3", "Scope 3 Kategorie 3"));
			if (p->mg.biogenic_co2_mg)
				emitf(em, "    %s %s kg/%s × %s = %s kg, %s\n",
				      T(lang, "biogenic CO2", "biogenes CO2"),
				      lnum(lang, f->biogenic_co2, 12, a, sizeof a),
				      report_tr_unit(lang, f->unit->name),
				      T(lang, "the same quantity", "dieselbe Menge"),
				      lkg(lang, p->mg.biogenic_co2_mg, b, sizeof b),
				      T(lang, "outside the scopes", "außerhalb der Scopes"));
			emitf(em, "    %s: %s", T(lang, "market-based", "marktbasiert"),
			      lang == REPORT_DE ? MSRC_DE[p->market_source] : MSRC[p->market_source]);
			if (p->market_source == CALC_MKT_SUPPLIER)
				emitf(em, " %s kg CO2e/kWh, 1 %s = %s kWh",
				      lnum(lang, r->supplier_factor, 9, a, sizeof a), unit_tr,
				      lratio(lang, &p->market_conversion, fv, sizeof fv));
			emitf(em, " = %s kg%s\n",
			      lkg(lang, f->scope == 2 ? p->mg.scope2_market_mg
					: (f->scope == 1 ? p->mg.scope1_mg
							 : p->mg.scope3_mg - p->mg.upstream_mg),
				  b, sizeof b),
			      p->market_source == CALC_MKT_LOCATION
				      ? T(lang, " (flagged)", " (gekennzeichnet)") : "");
			if (p->market)
				print_factor(em, lang, 1, p->market, o->gwp);
		}
		emitf(em, "%s\n", T(lang,
		      "result (kg, each part rounded once to whole mg, half away from zero):",
		      "Ergebnis (kg, jeder Teil einmal auf ganze mg gerundet, kaufmännisch):"));
		emitf(em, "  Scope 1 %s, Scope 2 %s %s, Scope 2 %s %s\n",
		      lkg(lang, r->mg.scope1_mg, a, sizeof a),
		      T(lang, "location-based", "standortbasiert"),
		      lkg(lang, r->mg.scope2_location_mg, b, sizeof b),
		      T(lang, "market-based", "marktbasiert"),
		      lkg(lang, r->mg.scope2_market_mg, lab, sizeof lab));
		emitf(em, "  Scope 3 %s (%s %s), %s %s\n", lkg(lang, r->mg.scope3_mg, a, sizeof a),
		      T(lang, "upstream", "davon Vorkette"),
		      lkg(lang, r->mg.upstream_mg, b, sizeof b),
		      T(lang, "biogenic CO2", "biogenes CO2"),
		      lkg(lang, r->mg.biogenic_co2_mg, lab, sizeof lab));
		emitf(em, "  %s %s, %s %s%s\n", T(lang, "total location-based", "Summe standortbasiert"),
		      lkg(lang, calc_total_location(&r->mg), a, sizeof a),
		      T(lang, "market-based", "marktbasiert"),
		      lkg(lang, calc_total_market(&r->mg), b, sizeof b),
		      r->extrapolated ? T(lang, " (extrapolated)", " (fortgeschrieben)") : "");
	}
	(void)e;
	return 0;
}

/* ---- the rows behind a figure ---- */

/* One subtotal: the rows of one org unit with one factor and one unit of
 * measure (quantities of different units are never added). */
struct subtotal {
	char *org, *factor, *unit;
	long rows;
	int64_t quantity;      /* millionths of the unit, whole rows */
	int64_t in_year;       /* the rows' days in the year, pro rata, rounded
				  to millionths half away from zero */
	int overflow;          /* a quantity sum overflowed: not shown */
	struct calc_totals mg;
};

struct figure {
	struct report_emit *em;
	int json;
	enum report_lang lang;
	struct org_tree *tree;
	char *in;          /* per tree index: 1 when the unit rolls up to CODE */
	const char *key;
	struct calc_totals sum;
	long rows, excluded;
	struct strmap *byk;   /* "org\0factor\0unit" -> index in subs */
	struct subtotal *subs;
	size_t nsubs, cap;
};

static int
subtotal_add(struct figure *fg, const struct calc_row *r, struct err *e)
{
	char lab[200];
	struct strbuf k = STRBUF_INIT, f = STRBUF_INIT;
	struct subtotal *st;
	int64_t v;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nparts; i++)
		strbuf_addf(&f, "%s%s/%s", i ? "+" : "", r->parts[i].factor->id,
			    set_label(r->parts[i].factor, lab, sizeof lab));
	strbuf_addf(&k, "%s%c%s%c%s", r->org_code, 0, strbuf_str(&f), 0, r->unit);
	if (strbuf_failed(&k) || strbuf_failed(&f)) {
		rc = err_setf(e, ERR_IO, "out of memory");
		goto out;
	}
	if (strmap_get(fg->byk, k.buf, k.len, &v)) {
		st = &fg->subs[v];
	} else {
		if (fg->nsubs == fg->cap) {
			size_t cap = fg->cap ? fg->cap * 2 : 16;
			struct subtotal *n = realloc(fg->subs, cap * sizeof *n);
			if (!n) {
				rc = err_setf(e, ERR_IO, "out of memory");
				goto out;
			}
			fg->subs = n;
			fg->cap = cap;
		}
		st = &fg->subs[fg->nsubs];
		memset(st, 0, sizeof *st);
		if (!(st->org = strdup(r->org_code)) || !(st->factor = strdup(strbuf_str(&f))) ||
		    !(st->unit = strdup(r->unit)) ||
		    strmap_put(fg->byk, k.buf, k.len, (int64_t)fg->nsubs)) {
			free(st->org);
			free(st->factor);
			free(st->unit);
			rc = err_setf(e, ERR_IO, "out of memory");
			goto out;
		}
		fg->nsubs++;
	}
	st->rows++;
	{
		__int128 x;
		int64_t days = 0, part;
		for (i = 0; i < r->nparts; i++)
			days += r->parts[i].days;
		x = (__int128)r->quantity * days;
		if (r->nparts && r->parts[0].days_total > 0) {
			int64_t dt = r->parts[0].days_total;
			x = x >= 0 ? (x + dt / 2) / dt : -((-x + dt / 2) / dt);
		} else {
			x = r->quantity;
		}
		part = (int64_t)x;
		if (__builtin_add_overflow(st->quantity, r->quantity, &st->quantity) ||
		    __builtin_add_overflow(st->in_year, part, &st->in_year))
			st->overflow = 1;
	}
	if (calc_totals_add(&st->mg, &r->mg) != 0)
		rc = err_setf(e, ERR_DATA, "the sum overflows");
out:
	strbuf_release(&k);
	strbuf_release(&f);
	return rc;
}

static int
cmp_sub(const void *a, const void *b)
{
	const struct subtotal *x = a, *y = b;
	int c = strcmp(x->org, y->org);

	if (!c)
		c = strcmp(x->factor, y->factor);
	return c ? c : strcmp(x->unit, y->unit);
}

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
	if (fg->json) {
		json_t *fs = json_array();
		size_t i;
		date_format(r->day_start, d0);
		date_format(r->day_end, d1);
		exact(r->quantity, 6, q, sizeof q);
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
		return subtotal_add(fg, r, e);
	}
	lnum(fg->lang, r->quantity, 6, q, sizeof q);
	lkg(fg->lang, calc_total_location(&r->mg), l, sizeof l);
	lkg(fg->lang, calc_total_market(&r->mg), m, sizeof m);
	emitf(em, "%s:%ld  #%lld  %s  %s..%s  %s %s  ", r->file, r->line,
	      (long long)r->activity_id, r->org_code, ldate(fg->lang, r->day_start, d0),
	      ldate(fg->lang, r->day_end, d1), q, report_tr_unit(fg->lang, r->unit));
	{
		size_t i;
		for (i = 0; i < r->nparts; i++) {
			char lab[200];
			emitf(em, "%s%s/%s", i ? "+" : "", r->parts[i].factor->id,
			      set_label(r->parts[i].factor, lab, sizeof lab));
		}
	}
	emitf(em, "  %s kg (%s %s kg)%s\n", l, T(fg->lang, "market", "marktbasiert"), m,
	      r->extrapolated ? T(fg->lang, " extrapolated", " fortgeschrieben") : "");
	return subtotal_add(fg, r, e);
}

/* The subtotals per org unit, factor and unit of measure, sorted. */
static void
figure_subtotals(struct figure *fg)
{
	struct report_emit *em = fg->em;
	enum report_lang lang = fg->lang;
	char q[48], l[48], m[48];
	size_t i;

	qsort(fg->subs, fg->nsubs, sizeof *fg->subs, cmp_sub);
	if (fg->json) {
		emitf(em, ",\n  \"subtotals\": [");
		for (i = 0; i < fg->nsubs; i++) {
			const struct subtotal *st = &fg->subs[i];
			char qy[48];
			json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o}",
					      "org", st->org, "factors", st->factor,
					      "rows", (json_int_t)st->rows, "unit", st->unit,
					      "quantity", st->overflow ? json_null()
						: json_string(exact(st->quantity, 6, q, sizeof q)),
					      "quantity_in_year", st->overflow ? json_null()
						: json_string(exact(st->in_year, 6, qy, sizeof qy)),
					      "location_kg",
					      report_json_kg(calc_total_location(&st->mg)),
					      "market_kg", report_json_kg(calc_total_market(&st->mg)));
			emitf(em, "%s\n    ", i ? "," : "");
			report_emit_json(em, o, JSON_COMPACT);
			json_decref(o);
		}
		emitf(em, "%s]", fg->nsubs ? "\n  " : "");
		return;
	}
	if (!fg->nsubs)
		return;
	emitf(em, "%s\n", T(lang, "subtotals by unit, factor and unit of measure "
			    "(quantity of the whole rows; in the year: their days in it, pro rata):",
			    "Zwischensummen je Einheit, Faktor und Maßeinheit (Menge der ganzen "
			    "Zeilen; im Jahr: ihre Tage darin, anteilig):"));
	for (i = 0; i < fg->nsubs; i++) {
		const struct subtotal *st = &fg->subs[i];
		char qy[48];
		if (st->overflow) {
			snprintf(q, sizeof q, "%s", T(lang, "(too large)", "(zu groß)"));
			qy[0] = '\0';
		} else {
			lnum(lang, st->quantity, 6, q, sizeof q);
			lnum(lang, st->in_year, 6, qy, sizeof qy);
		}
		emitf(em, "  %s  %s  %ld %s  %s %s (%s %s)  %s kg (%s %s kg)\n", st->org,
		      st->factor, st->rows,
		      st->rows == 1 ? T(lang, "row", "Zeile") : T(lang, "rows", "Zeilen"),
		      q, report_tr_unit(lang, st->unit), T(lang, "in the year", "im Jahr"), qy,
		      lkg(lang, calc_total_location(&st->mg), l, sizeof l),
		      T(lang, "market", "marktbasiert"),
		      lkg(lang, calc_total_market(&st->mg), m, sizeof m));
	}
}

static void
figure_free(struct figure *fg)
{
	size_t i;

	for (i = 0; i < fg->nsubs; i++) {
		free(fg->subs[i].org);
		free(fg->subs[i].factor);
		free(fg->subs[i].unit);
	}
	free(fg->subs);
	strmap_free(fg->byk);
	free(fg->in);
	org_tree_free(fg->tree);
}

/* ---- entry points ---- */

int
report_explain_activity(struct ledger *l, int64_t run_id, int64_t act, int json,
			enum report_lang lang, report_note_fn *fn, void *ctx,
			struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct calc_run_info run;
	struct one o = {&em, json, &run, NULL, 0, lang};
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
		      const char *key, int json, enum report_lang lang,
		      report_note_fn *fn, void *ctx, struct err *e)
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
	fg.lang = lang;
	fg.key = key;
	if (!(fg.byk = strmap_new()))
		return err_setf(e, ERR_IO, "out of memory");
	if (calc_run_info(l, run_id, &run, e) || org_tree_load(l, &fg.tree, e)) {
		strmap_free(fg.byk);
		return -1;
	}
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
		emitf(&em, "%s %s / %s %s %lld (%s %s):\n",
		      T(lang, "rows behind", "Zeilen hinter"), org, key,
		      T(lang, "in run", "in Berechnungslauf"), (long long)run_id,
		      T(lang, "units rolling up to", "Einheiten unter"), org);
	}
	if (calc_each_row(l, run_id, 0, figure_row, &fg, e))
		goto out;
	if (json) {
		json_t *t = report_totals_json(&fg.sum);
		emitf(&em, "%s  ]", fg.rows ? "\n" : "");
		figure_subtotals(&fg);
		emitf(&em, ",\n  \"rows_count\": %ld,\n  \"rows_excluded\": %ld,\n"
		      "  \"location_kg\": %s,\n  \"market_kg\": %s,\n  \"kg\": ",
		      fg.rows, fg.excluded,
		      kg(calc_total_location(&fg.sum), a, sizeof a),
		      kg(calc_total_market(&fg.sum), b, sizeof b));
		report_emit_json(&em, t, JSON_COMPACT);
		emitf(&em, "\n}\n");
		json_decref(t);
	} else {
		figure_subtotals(&fg);
		emitf(&em, "%ld %s\n", fg.rows, fg.rows == 1 ? T(lang, "row", "Zeile")
							   : T(lang, "rows", "Zeilen"));
		if (fg.excluded)
			emitf(&em, "%ld %s\n", fg.excluded,
			      fg.excluded == 1
				      ? T(lang, "excluded row (CPV 09) not counted",
					  "ausgenommene Zeile (CPV 09) nicht gezählt")
				      : T(lang, "excluded rows (CPV 09) not counted",
					  "ausgenommene Zeilen (CPV 09) nicht gezählt"));
		emitf(&em, "%s: %s kg %s, %s kg %s\n", T(lang, "sum", "Summe"),
		      lkg(lang, calc_total_location(&fg.sum), a, sizeof a),
		      T(lang, "location-based", "standortbasiert"),
		      lkg(lang, calc_total_market(&fg.sum), b, sizeof b),
		      T(lang, "market-based", "marktbasiert"));
	}
	rc = 0;
out:
	report_emit_end(&em);
	figure_free(&fg);
	return rc;
}
