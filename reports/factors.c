/*
 * factors: the factor sets as `factors show` and `factors diff` show them,
 * text or JSON, line by line to the caller (report.h,
 * report_factor_set_show, report_factor_diff_show).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "reports/report_int.h"

#define emitf report_emitf

static json_t *
num_json(int64_t pico)
{
	char t[48];

	factors_format_value(pico, t, sizeof t);
	return json_real(strtod(t, NULL));
}

static json_t *
factor_json(const struct factor *f)
{
	char from[11], to[11];
	json_t *o;

	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:i, s:s}", "id", f->id,
		      "activity", f->activity, "region", f->region, "unit",
		      f->unit->name, "valid_from", from, "valid_to", to, "method",
		      factor_method_name(f), "tariff", f->tariff, "scope", f->scope,
		      "citation", f->citation);
	json_object_set_new(o, "category", f->category ? json_integer(f->category)
						       : json_null());
	if (f->has_gases) {
		json_t *g = json_object();
		if (f->co2)
			json_object_set_new(g, "co2", num_json(f->co2));
		if (f->ch4_fossil)
			json_object_set_new(g, "ch4_fossil", num_json(f->ch4_fossil));
		if (f->ch4_biogenic)
			json_object_set_new(g, "ch4_biogenic", num_json(f->ch4_biogenic));
		if (f->n2o)
			json_object_set_new(g, "n2o", num_json(f->n2o));
		if (f->biogenic_co2)
			json_object_set_new(g, "biogenic_co2", num_json(f->biogenic_co2));
		json_object_set_new(o, "gases", g);
	} else {
		json_object_set_new(o, "co2e", num_json(f->co2e));
	}
	json_object_set_new(o, "upstream_co2e",
			    f->has_upstream ? num_json(f->upstream_co2e) : json_null());
	json_object_set_new(o, "price_year",
			    f->price_year ? json_integer(f->price_year) : json_null());
	json_object_set_new(o, "status", f->status ? json_string(f->status) : json_null());
	json_object_set_new(o, "boundary",
			    f->boundary ? json_string(f->boundary) : json_null());
	json_object_set_new(o, "notes", f->notes ? json_string(f->notes) : json_null());
	return o;
}

/* "co2 0.201, ch4_fossil 0.0000036" or "0.38" */
static void
value_text(const struct factor *f, char *buf, size_t n)
{
	char t[48];
	size_t used = 0;
	struct {
		const char *name;
		int64_t v;
	} g[5] = {{"co2", f->co2}, {"ch4_fossil", f->ch4_fossil},
		  {"ch4_biogenic", f->ch4_biogenic}, {"n2o", f->n2o},
		  {"biogenic_co2", f->biogenic_co2}};
	int i;

	if (!f->has_gases) {
		factors_format_value(f->co2e, t, sizeof t);
		snprintf(buf, n, "co2e %s", t);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < 5; i++) {
		int w;
		if (!g[i].v)
			continue;
		factors_format_value(g[i].v, t, sizeof t);
		w = snprintf(buf + used, n - used, "%s%s %s", used ? ", " : "", g[i].name, t);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	if (!used)
		snprintf(buf, n, "co2 0");
}

static int
activity_match(const char *activity, const char *want)
{
	size_t n;

	if (!want)
		return 1;
	n = strlen(want);
	return strncmp(activity, want, n) == 0 && (activity[n] == '\0' || activity[n] == '.');
}

static void
show_text(struct report_emit *em, const struct factor_set *s, const char *want)
{
	size_t i, n = factor_set_count(s);
	char val[512], t[48];

	emitf(em, "%s@%s\n", factor_set_name(s), factor_set_version(s));
	emitf(em, "  published    %s\n", factor_set_published(s));
	emitf(em, "  sha256       %s\n", factor_set_sha256(s));
	emitf(em, "  source       %s\n", factor_set_source(s) ? factor_set_source(s) : "");
	emitf(em, "  license      %s\n", factor_set_license(s) ? factor_set_license(s) : "");
	if (factor_set_description(s))
		emitf(em, "  description  %s\n", factor_set_description(s));
	emitf(em, "  factors      %zu\n", n);
	if (factor_set_nprices(s)) {
		emitf(em, "  price index ");
		for (i = 0; i < factor_set_nprices(s); i++) {
			const struct factor_price *p = factor_set_price_at(s, i);
			emitf(em, "%s %d: %s", i ? "," : "", p->year, p->text);
		}
		emitf(em, "\n");
	}
	for (i = 0; i < factor_set_nconversions(s); i++) {
		const struct factor_conversion *cv = factor_set_conversion_at(s, i);
		if (!activity_match(cv->activity, want))
			continue;
		emitf(em, "  conversion   %s: 1 %s = %s %s\n", cv->activity, cv->from->name,
		       cv->factor, cv->to->name);
		if (cv->citation)
			emitf(em, "               citation: %s\n", cv->citation);
	}
	for (i = 0; i < n; i++) {
		const struct factor *f = factor_set_at(s, i);
		char from[11], to[11];
		if (!activity_match(f->activity, want))
			continue;
		date_format(f->valid_from, from);
		date_format(f->valid_to, to);
		value_text(f, val, sizeof val);
		emitf(em, "\n%s\n", f->id);
		emitf(em, "  activity     %s\n", f->activity);
		emitf(em, "  region       %s\n", f->region);
		emitf(em, "  valid        %s .. %s\n", from, to);
		if (f->tariff)
			emitf(em, "  method       %s, tariff %s\n", factor_method_name(f), f->tariff);
		else
			emitf(em, "  method       %s\n", factor_method_name(f));
		if (f->category)
			emitf(em, "  scope        %d, category %d\n", f->scope, f->category);
		else
			emitf(em, "  scope        %d\n", f->scope);
		emitf(em, "  %-12s %s kg%s per %s\n", f->has_gases ? "gases" : "value", val,
		       f->has_gases ? "" : " CO2e", f->unit->name);
		if (f->has_upstream) {
			factors_format_value(f->upstream_co2e, t, sizeof t);
			emitf(em, "  upstream     %s kg CO2e per %s (scope 3 category 3)\n", t,
			       f->unit->name);
		}
		if (f->price_year)
			emitf(em, "  price year   %d\n", f->price_year);
		if (f->status)
			emitf(em, "  status       %s\n", f->status);
		if (f->boundary)
			emitf(em, "  boundary     %s\n", f->boundary);
		emitf(em, "  citation     %s\n", f->citation);
		if (f->notes)
			emitf(em, "  notes        %s\n", f->notes);
	}
}

static json_t *
set_json(const struct factor_set *s, const char *want)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "name",
			      factor_set_name(s), "version", factor_set_version(s),
			      "published", factor_set_published(s), "sha256",
			      factor_set_sha256(s), "source", factor_set_source(s),
			      "license", factor_set_license(s), "description",
			      factor_set_description(s));
	json_t *pi = json_object(), *cv = json_array(), *fs = json_array();
	size_t i;

	for (i = 0; i < factor_set_nprices(s); i++) {
		const struct factor_price *p = factor_set_price_at(s, i);
		char y[16];
		snprintf(y, sizeof y, "%d", p->year);
		json_object_set_new(pi, y, json_real(strtod(p->text, NULL)));
	}
	for (i = 0; i < factor_set_nconversions(s); i++) {
		const struct factor_conversion *c = factor_set_conversion_at(s, i);
		if (!activity_match(c->activity, want))
			continue;
		json_array_append_new(
			cv, json_pack("{s:s, s:s, s:s, s:f, s:s?, s:s?}", "activity", c->activity,
				      "from", c->from->name, "to", c->to->name, "factor",
				      strtod(c->factor, NULL), "citation", c->citation, "notes",
				      c->notes));
	}
	for (i = 0; i < factor_set_count(s); i++) {
		const struct factor *f = factor_set_at(s, i);
		if (activity_match(f->activity, want))
			json_array_append_new(fs, factor_json(f));
	}
	json_object_set_new(o, "price_index", pi);
	json_object_set_new(o, "conversions", cv);
	json_object_set_new(o, "factors", fs);
	return o;
}

static void
print_brief(struct report_emit *em, const struct factor *f)
{
	char v[512], from[11], to[11], t[48];

	value_text(f, v, sizeof v);
	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	emitf(em, "  %s  %s  %s  %s..%s  %s%s%s per %s  %s", f->id, f->activity, f->region,
	       from, to, factor_method_name(f), f->tariff ? "/" : "",
	       f->tariff ? f->tariff : "", f->unit->name, v);
	if (f->has_upstream) {
		factors_format_value(f->upstream_co2e, t, sizeof t);
		emitf(em, ", upstream %s", t);
	}
	emitf(em, "\n");
}

static json_t *
text_json(const char *s, int numeric)
{
	return !s ? json_null() : numeric ? json_real(strtod(s, NULL)) : json_string(s);
}

static json_t *
diff_json(const struct factor_diff *d)
{
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	json_t *conv = json_array(), *pi = json_array();
	size_t i, j;

	for (i = 0; i < d->nadded; i++)
		json_array_append_new(added, factor_json(d->added[i]));
	for (i = 0; i < d->nremoved; i++)
		json_array_append_new(removed, factor_json(d->removed[i]));
	for (i = 0; i < d->nchanged; i++) {
		const struct factor_changed *c = &d->changed[i];
		json_t *arr = json_array();
		for (j = 0; j < c->nchanges; j++) {
			const struct factor_change *x = &c->changes[j];
			json_t *o = json_pack("{s:s, s:o, s:o}", "field", x->field, "from",
					      text_json(x->from, x->numeric), "to",
					      text_json(x->to, x->numeric));
			if (x->has_pct) {
				char t[32];
				snprintf(t, sizeof t, "%.2f", x->pct);
				json_object_set_new(o, "change_pct", json_real(strtod(t, NULL)));
			}
			json_array_append_new(arr, o);
		}
		json_array_append_new(changed, json_pack("{s:s, s:s, s:s, s:o}", "id",
							 c->b->id, "activity", c->b->activity,
							 "region", c->b->region, "changes", arr));
	}
	for (i = 0; i < d->nconversions; i++) {
		const struct factor_conversion_change *x = &d->conversions[i];
		json_array_append_new(conv, json_pack("{s:s, s:s, s:s, s:s?, s:s?}",
						      "activity", x->activity, "from",
						      x->from->name, "to", x->to->name,
						      "factor_from", x->factor_from,
						      "factor_to", x->factor_to));
	}
	for (i = 0; i < d->nprices; i++)
		json_array_append_new(pi, json_pack("{s:i, s:s?, s:s?}", "year",
						    d->prices[i].year, "from",
						    d->prices[i].from, "to", d->prices[i].to));
	return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o, s:o, s:o, s:o, "
			 "s:o, s:I}", "from", "name", factor_set_name(d->a), "version",
			 factor_set_version(d->a), "sha256", factor_set_sha256(d->a), "to",
			 "name", factor_set_name(d->b), "version", factor_set_version(d->b),
			 "sha256", factor_set_sha256(d->b), "conversions", conv,
			 "price_index", pi, "added", added, "removed", removed, "changed",
			 changed, "unchanged", (json_int_t)d->unchanged);
}

static void
diff_text(struct report_emit *em, const struct factor_diff *d)
{
	const struct factor_set *a = d->a, *b = d->b;
	size_t i, j;

	emitf(em, "%s@%s -> %s@%s\n", factor_set_name(a), factor_set_version(a),
	       factor_set_name(b), factor_set_version(b));
	if (strcmp(factor_set_published(a), factor_set_published(b)) != 0)
		emitf(em, "published %s -> %s\n", factor_set_published(a),
		       factor_set_published(b));
	emitf(em, "%zu added, %zu removed, %zu changed, %zu unchanged\n", d->nadded,
	       d->nremoved, d->nchanged, d->unchanged);
	for (i = 0; i < d->nadded; i++)
		emitf(em, "%s", i ? "" : "\nadded\n"), print_brief(em, d->added[i]);
	for (i = 0; i < d->nremoved; i++)
		emitf(em, "%s", i ? "" : "\nremoved\n"), print_brief(em, d->removed[i]);
	for (i = 0; i < d->nchanged; i++) {
		const struct factor_changed *c = &d->changed[i];
		emitf(em, "%s  %s  %s  %s\n", i ? "" : "\nchanged\n", c->b->id, c->b->activity,
		       c->b->region);
		for (j = 0; j < c->nchanges; j++) {
			const struct factor_change *x = &c->changes[j];
			const char *from = x->from ? x->from : "none";
			const char *to = x->to ? x->to : "none";
			if (!strcmp(x->field, "citation") || !strcmp(x->field, "notes"))
				emitf(em, "    %-18s changed (see 'factors show --json')\n",
				       x->field);
			else if (x->has_pct)
				emitf(em, "    %-18s %s -> %s (%+.2f %%)\n", x->field, from, to,
				       x->pct);
			else
				emitf(em, "    %-18s %s -> %s\n", x->field, from, to);
		}
	}
	for (i = 0; i < d->nconversions; i++) {
		const struct factor_conversion_change *x = &d->conversions[i];
		emitf(em, "%s  %-7s  %s: 1 %s = ", i ? "" : "\nconversions\n",
		       !x->factor_to ? "removed" : !x->factor_from ? "added" : "changed",
		       x->activity, x->from->name);
		if (x->factor_from && x->factor_to)
			emitf(em, "%s -> ", x->factor_from);
		emitf(em, "%s %s\n", x->factor_to ? x->factor_to : x->factor_from, x->to->name);
	}
	for (i = 0; i < d->nprices; i++)
		emitf(em, "%s  %d  %s -> %s\n", i ? "" : "\nprice index\n", d->prices[i].year,
		       d->prices[i].from ? d->prices[i].from : "none",
		       d->prices[i].to ? d->prices[i].to : "none");
}

int
report_factor_set_show(const struct factor_set *s, const char *activity, int json,
		       report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	size_t i, hits = 0;

	for (i = 0; i < factor_set_count(s); i++)
		hits += activity_match(factor_set_at(s, i)->activity, activity);
	if (activity && hits == 0)
		return err_setf(e, ERR_DATA, "factor set '%s@%s' has no factor for "
				"activity '%s' (see 'co2ledger factors show %s@%s')",
				factor_set_name(s), factor_set_version(s), activity,
				factor_set_name(s), factor_set_version(s));
	if (json) {
		json_t *o = set_json(s, activity);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	} else {
		show_text(&em, s, activity);
	}
	report_emit_end(&em);
	return 0;
}

void
report_factor_diff_show(const struct factor_diff *d, int json, report_note_fn *fn,
			void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};

	if (json) {
		json_t *o = diff_json(d);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	} else {
		diff_text(&em, d);
	}
	report_emit_end(&em);
}

/* ---- factors list ---- */

/* At most `max` characters of s (UTF-8 aware), with "..." when cut. */
static void
emit_cut(struct report_emit *em, const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max) {
				report_emitf(em, "%.*s...", (int)i, s);
				return;
			}
			chars++;
		}
		i++;
	}
	report_emitf(em, "%s", s);
}

int
report_factor_sets_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
			size_t *count, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct factor_set_info *v;
	size_t n, i;

	*count = 0;
	if (factors_list(l, &v, &n, e))
		return -1;
	if (json) {
		json_t *arr = json_array(), *o;
		for (i = 0; i < n; i++)
			json_array_append_new(
				arr, json_pack("{s:s, s:s, s:s?, s:I, s:s, s:s?, s:s?, s:s?, s:s?}",
					       "name", v[i].name, "version", v[i].version,
					       "published", v[i].published, "factors",
					       (json_int_t)v[i].factors, "sha256", v[i].sha256,
					       "source", v[i].source, "license", v[i].license,
					       "description", v[i].description, "imported_at",
					       v[i].imported_at));
		o = json_pack("{s:o}", "factor_sets", arr);
		report_emit_json(&em, o, JSON_INDENT(2));
		report_emitf(&em, "\n");
		json_decref(o);
	} else if (n) {
		report_emitf(&em, "%-26s %-10s %-10s %7s  %-12s  %s\n", "NAME", "VERSION",
			     "PUBLISHED", "FACTORS", "SHA256", "SOURCE");
		for (i = 0; i < n; i++) {
			report_emitf(&em, "%-26s %-10s %-10s %7ld  %.12s  ", v[i].name,
				     v[i].version, v[i].published ? v[i].published : "",
				     v[i].factors, v[i].sha256 ? v[i].sha256 : "");
			emit_cut(&em, v[i].source ? v[i].source : "", 60);
			report_emitf(&em, "\n");
		}
	}
	report_emit_end(&em);
	factors_list_free(v, n);
	*count = n;
	return 0;
}

/* ---- factors import ---- */

void
report_factor_import_show(const char *path, const struct factor_set *s, int added,
			  int json, report_note_fn *fn, void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	size_t n = factor_set_count(s);

	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "file", path, "name",
				      factor_set_name(s), "version", factor_set_version(s),
				      "sha256", factor_set_sha256(s), "factors",
				      (json_int_t)n, "result", added ? "added" : "unchanged");
		report_emit_json(&em, o, JSON_INDENT(2));
		report_emitf(&em, "\n");
		json_decref(o);
	} else {
		report_emitf(&em, "%s %s@%s: %zu factor%s, sha256 %s%s\n",
			     added ? "registered" : "unchanged", factor_set_name(s),
			     factor_set_version(s), n, n == 1 ? "" : "s", factor_set_sha256(s),
			     added ? "" : " (already registered with the same content)");
	}
	report_emit_end(&em);
}
