/*
 * factors: `factors import FILE.json` registers one factor-set version;
 * `factors list`, `factors show NAME[@VERSION] [--activity KEY]` and
 * `factors diff NAME@V1 NAME@V2` show what is registered, for people and
 * (with --json) for programs. The work is done by factors/; this file only
 * reads the file, prints and chooses exit codes.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "base/date.h"
#include "base/strmap.h"
#include "factors/factors.h"

#define SYNOPSIS                                                                 \
	"usage: co2ledger factors import FILE.json\n"                             \
	"       co2ledger factors list\n"                                         \
	"       co2ledger factors show NAME[@VERSION] [--activity KEY]\n"         \
	"       co2ledger factors diff NAME@V1 NAME@V2\n"

/* Usage errors print the synopsis; --help prints all of it. */
static const char usage[] = SYNOPSIS "(see 'co2ledger factors --help')\n";

static const char help[] = SYNOPSIS
	"Register and inspect emission factor sets (format co2ledger-factors/1,\n"
	"see docs/factor-sets.md). import validates the whole file and registers\n"
	"it as NAME@VERSION with the SHA-256 of its canonical JSON; importing the\n"
	"same content again changes nothing, different content under a registered\n"
	"version is refused (publish a new version). list shows every registered\n"
	"version; show prints every factor of a version (the newest when no\n"
	"version is given), or only those of one activity key or key prefix;\n"
	"diff lists the factors added, removed and changed between two versions,\n"
	"keyed by factor id, with the relative change of each value.\n"
	"Options: --json (machine-readable output), --db PATH, -q, -v.\n";

/* ---- helpers ---------------------------------------------------------------- */

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

/* ---- import ------------------------------------------------------------------- */

static int
factors_import(struct cli *c, const char *path)
{
	struct errlist *errs = errlist_new();
	struct factor_set *s = NULL;
	struct ledger *l = NULL;
	enum factor_import_result res;
	struct err e;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (factor_set_load_file(path, &s, errs, &e)) {
		cli_print_errlist(errs);
		if (errs->total)
			fprintf(stderr, "%s: error: %zu error%s; nothing was imported (fix "
				"the file and run again)\n", path, errs->total,
				errs->total == 1 ? "" : "s");
		else
			cli_fail(&e);
		goto out;
	}
	if (cli_open(c, &l, LEDGER_CREATE, &status))
		goto out;
	if (factors_register(l, s, &res, &e)) {
		char buf[ERR_TEXT_MAX];
		snprintf(buf, sizeof buf, "%s", e.text);
		err_set(&e, e.kind, path, 0, 0, "%s", buf);
		status = cli_fail(&e);
		goto out;
	}
	status = EXIT_OK;
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "file", path, "name",
				      factor_set_name(s), "version", factor_set_version(s),
				      "sha256", factor_set_sha256(s), "factors",
				      (json_int_t)factor_set_count(s), "result",
				      res == FACTORS_ADDED ? "added" : "unchanged");
		cli_print_json(o);
		json_decref(o);
	} else if (res == FACTORS_ADDED) {
		printf("registered %s@%s: %zu factor%s, sha256 %s\n", factor_set_name(s),
		       factor_set_version(s), factor_set_count(s),
		       factor_set_count(s) == 1 ? "" : "s", factor_set_sha256(s));
	} else {
		printf("unchanged %s@%s: %zu factor%s, sha256 %s (already registered "
		       "with the same content)\n", factor_set_name(s),
		       factor_set_version(s), factor_set_count(s),
		       factor_set_count(s) == 1 ? "" : "s", factor_set_sha256(s));
	}
out:
	factor_set_free(s);
	ledger_close(l);
	errlist_free(errs);
	return status;
}

/* ---- list --------------------------------------------------------------------- */

/* Print at most `max` characters of s (UTF-8 aware), with "..." when cut. */
static void
print_cut(const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max) {
				fwrite(s, 1, i, stdout);
				fputs("...", stdout);
				return;
			}
			chars++;
		}
		i++;
	}
	fputs(s, stdout);
}

static int
factors_list_cmd(struct cli *c)
{
	struct factor_set_info *v;
	struct ledger *l;
	struct err e;
	size_t n, i;
	int status;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	if (factors_list(l, &v, &n, &e)) {
		status = cli_fail(&e);
		ledger_close(l);
		return status;
	}
	if (c->json) {
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
		cli_print_json(o);
		json_decref(o);
	} else if (n == 0) {
		cli_note(c, "no factor sets registered yet (add one with 'co2ledger "
			 "factors import FILE.json')");
	} else {
		printf("%-26s %-10s %-10s %7s  %-12s  %s\n", "NAME", "VERSION", "PUBLISHED",
		       "FACTORS", "SHA256", "SOURCE");
		for (i = 0; i < n; i++) {
			printf("%-26s %-10s %-10s %7ld  %.12s  ", v[i].name, v[i].version,
			       v[i].published ? v[i].published : "", v[i].factors,
			       v[i].sha256 ? v[i].sha256 : "");
			print_cut(v[i].source ? v[i].source : "", 60);
			putchar('\n');
		}
	}
	factors_list_free(v, n);
	ledger_close(l);
	return EXIT_OK;
}

/* ---- show --------------------------------------------------------------------- */

static int
load_spec(struct ledger *l, const char *spec, struct factor_set **s)
{
	struct factor_ref ref;
	struct err e;
	char *buf;
	int rc;

	err_clear(&e);
	if (factor_ref_parse(spec, &ref, &buf, &e))
		return cli_usage_error(usage, "%s", e.text);
	rc = factors_load(l, ref.name, ref.version, s, &e);
	free(buf);
	return rc ? cli_fail(&e) : EXIT_OK;
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
show_text(const struct factor_set *s, const char *want)
{
	size_t i, n = factor_set_count(s);
	char val[512], t[48];

	printf("%s@%s\n", factor_set_name(s), factor_set_version(s));
	printf("  published    %s\n", factor_set_published(s));
	printf("  sha256       %s\n", factor_set_sha256(s));
	printf("  source       %s\n", cli_esc(factor_set_source(s) ? factor_set_source(s) : ""));
	printf("  license      %s\n", cli_esc(factor_set_license(s) ? factor_set_license(s) : ""));
	if (factor_set_description(s))
		printf("  description  %s\n", cli_esc(factor_set_description(s)));
	printf("  factors      %zu\n", n);
	if (factor_set_nprices(s)) {
		printf("  price index ");
		for (i = 0; i < factor_set_nprices(s); i++) {
			const struct factor_price *p = factor_set_price_at(s, i);
			printf("%s %d: %s", i ? "," : "", p->year, cli_esc(p->text));
		}
		putchar('\n');
	}
	for (i = 0; i < factor_set_nconversions(s); i++) {
		const struct factor_conversion *cv = factor_set_conversion_at(s, i);
		if (!activity_match(cv->activity, want))
			continue;
		printf("  conversion   %s: 1 %s = %s %s\n", cv->activity, cv->from->name,
		       cv->factor, cv->to->name);
		if (cv->citation)
			printf("               citation: %s\n", cli_esc(cv->citation));
	}
	for (i = 0; i < n; i++) {
		const struct factor *f = factor_set_at(s, i);
		char from[11], to[11];
		if (!activity_match(f->activity, want))
			continue;
		date_format(f->valid_from, from);
		date_format(f->valid_to, to);
		value_text(f, val, sizeof val);
		printf("\n%s\n", f->id);
		printf("  activity     %s\n", f->activity);
		printf("  region       %s\n", f->region);
		printf("  valid        %s .. %s\n", from, to);
		if (f->tariff)
			printf("  method       %s, tariff %s\n", factor_method_name(f), f->tariff);
		else
			printf("  method       %s\n", factor_method_name(f));
		if (f->category)
			printf("  scope        %d, category %d\n", f->scope, f->category);
		else
			printf("  scope        %d\n", f->scope);
		printf("  %-12s %s kg%s per %s\n", f->has_gases ? "gases" : "value", val,
		       f->has_gases ? "" : " CO2e", f->unit->name);
		if (f->has_upstream) {
			factors_format_value(f->upstream_co2e, t, sizeof t);
			printf("  upstream     %s kg CO2e per %s (scope 3 category 3)\n", t,
			       f->unit->name);
		}
		if (f->price_year)
			printf("  price year   %d\n", f->price_year);
		if (f->status)
			printf("  status       %s\n", f->status);
		if (f->boundary)
			printf("  boundary     %s\n", f->boundary);
		printf("  citation     %s\n", cli_esc(f->citation));
		if (f->notes)
			printf("  notes        %s\n", cli_esc(f->notes));
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

static int
factors_show(struct cli *c, const char *spec, const char *want)
{
	struct factor_set *s = NULL;
	struct ledger *l;
	size_t i, hits = 0;
	int status;

	if (cli_open(c, &l, 0, &status))
		return status;
	if ((status = load_spec(l, spec, &s)) != EXIT_OK) {
		ledger_close(l);
		return status;
	}
	for (i = 0; i < factor_set_count(s); i++)
		hits += activity_match(factor_set_at(s, i)->activity, want);
	if (want && hits == 0) {
		struct err e;
		err_setf(&e, ERR_DATA, "factor set '%s@%s' has no factor for activity '%s' "
			 "(see 'co2ledger factors show %s@%s')", factor_set_name(s),
			 factor_set_version(s), want, factor_set_name(s),
			 factor_set_version(s));
		status = cli_fail(&e);
	} else if (c->json) {
		json_t *o = set_json(s, want);
		cli_print_json(o);
		json_decref(o);
	} else {
		show_text(s, want);
	}
	factor_set_free(s);
	ledger_close(l);
	return status;
}

/* ---- diff --------------------------------------------------------------------- */

/* "energy.electricity  DE  2024-01-01..2024-12-31  location per kWh  co2e 0.38" */
static void
print_brief(const struct factor *f)
{
	char v[512], from[11], to[11], t[48];

	value_text(f, v, sizeof v);
	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	printf("  %s  %s  %s  %s..%s  %s%s%s per %s  %s", f->id, f->activity, f->region,
	       from, to, factor_method_name(f), f->tariff ? "/" : "",
	       f->tariff ? f->tariff : "", f->unit->name, v);
	if (f->has_upstream) {
		factors_format_value(f->upstream_co2e, t, sizeof t);
		printf(", upstream %s", t);
	}
	putchar('\n');
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
diff_text(const struct factor_diff *d)
{
	const struct factor_set *a = d->a, *b = d->b;
	size_t i, j;

	printf("%s@%s -> %s@%s\n", factor_set_name(a), factor_set_version(a),
	       factor_set_name(b), factor_set_version(b));
	if (strcmp(factor_set_published(a), factor_set_published(b)) != 0)
		printf("published %s -> %s\n", factor_set_published(a),
		       factor_set_published(b));
	printf("%zu added, %zu removed, %zu changed, %zu unchanged\n", d->nadded,
	       d->nremoved, d->nchanged, d->unchanged);
	for (i = 0; i < d->nadded; i++)
		printf("%s", i ? "" : "\nadded\n"), print_brief(d->added[i]);
	for (i = 0; i < d->nremoved; i++)
		printf("%s", i ? "" : "\nremoved\n"), print_brief(d->removed[i]);
	for (i = 0; i < d->nchanged; i++) {
		const struct factor_changed *c = &d->changed[i];
		printf("%s  %s  %s  %s\n", i ? "" : "\nchanged\n", c->b->id, c->b->activity,
		       c->b->region);
		for (j = 0; j < c->nchanges; j++) {
			const struct factor_change *x = &c->changes[j];
			const char *from = x->from ? x->from : "none";
			const char *to = x->to ? x->to : "none";
			if (!strcmp(x->field, "citation") || !strcmp(x->field, "notes"))
				printf("    %-18s changed (see 'factors show --json')\n",
				       x->field);
			else if (x->has_pct)
				printf("    %-18s %s -> %s (%+.2f %%)\n", x->field, from, to,
				       x->pct);
			else
				printf("    %-18s %s -> %s\n", x->field, from, to);
		}
	}
	for (i = 0; i < d->nconversions; i++) {
		const struct factor_conversion_change *x = &d->conversions[i];
		printf("%s  %-7s  %s: 1 %s = ", i ? "" : "\nconversions\n",
		       !x->factor_to ? "removed" : !x->factor_from ? "added" : "changed",
		       x->activity, x->from->name);
		if (x->factor_from && x->factor_to)
			printf("%s -> ", x->factor_from);
		printf("%s %s\n", x->factor_to ? x->factor_to : x->factor_from, x->to->name);
	}
	for (i = 0; i < d->nprices; i++)
		printf("%s  %d  %s -> %s\n", i ? "" : "\nprice index\n", d->prices[i].year,
		       d->prices[i].from ? d->prices[i].from : "none",
		       d->prices[i].to ? d->prices[i].to : "none");
}

static int
factors_diff(struct cli *c, const char *s1, const char *s2)
{
	struct factor_set *a = NULL, *b = NULL;
	struct factor_diff *d = NULL;
	struct ledger *l;
	struct err e;
	int status;

	err_clear(&e);
	if (cli_open(c, &l, 0, &status))
		return status;
	if ((status = load_spec(l, s1, &a)) != EXIT_OK ||
	    (status = load_spec(l, s2, &b)) != EXIT_OK)
		goto out;
	if (factor_set_diff(a, b, &d, &e)) {
		status = cli_fail(&e);
	} else if (c->json) {
		json_t *o = diff_json(d);
		cli_print_json(o);
		json_decref(o);
	} else {
		diff_text(d);
	}
out:
	factor_diff_free(d);
	factor_set_free(a);
	factor_set_free(b);
	ledger_close(l);
	return status;
}

/* ---- dispatch ----------------------------------------------------------------- */

int
cmd_factors(struct cli *c, int argc, char **argv)
{
	const char *args[4] = {NULL, NULL, NULL, NULL}, *activity = NULL, *sub;
	const struct cli_option opts[] = {{"--activity", &activity, NULL, 0}, {NULL}};
	int n, status;

	if (cli_parse(c, argc, argv, opts, args, 4, &n, help, &status))
		return status;
	if (!(sub = args[0]))
		return cli_usage_error(usage, "factors needs 'import', 'list', 'show' or "
				       "'diff'");
	if (activity && strcmp(sub, "show") != 0)
		return cli_usage_error(usage, "--activity is an option of 'factors show'");
	if (strcmp(sub, "import") == 0)
		return n == 2 ? factors_import(c, args[1])
			      : cli_usage_error(usage, n > 2 ? "factors import takes one "
						"FILE.json" : "factors import needs a FILE.json");
	if (strcmp(sub, "list") == 0)
		return n == 1 ? factors_list_cmd(c)
			      : cli_usage_error(usage, "unexpected argument '%s'", args[1]);
	if (strcmp(sub, "show") == 0)
		return n == 2 ? factors_show(c, args[1], activity)
			      : cli_usage_error(usage, "factors show needs one NAME[@VERSION]");
	if (strcmp(sub, "diff") == 0)
		return n == 3 ? factors_diff(c, args[1], args[2])
			      : cli_usage_error(usage, "factors diff needs NAME@V1 NAME@V2");
	return cli_usage_error(usage, "unknown factors command '%s' (import, list, show "
			       "or diff)", sub);
}
