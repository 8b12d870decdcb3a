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

/* The largest factor-set file read. The shipped sets are under 50 KB and the
 * largest published sets we know are a few hundred KB; parsing takes about
 * twelve times the file size in memory, so 8 MiB keeps a factor import under
 * about 100 MB. A regular file that is larger is refused before reading. */
#define MAX_FILE (8L * 1024 * 1024)

/* ---- helpers ---------------------------------------------------------------- */

static char *
slurp(const char *path, size_t *len, struct err *e)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;

	if (!fp) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open the file (does it exist?)");
		return NULL;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > MAX_FILE) {
		err_set(e, ERR_DATA, path, 0, 0, "file too large for a factor set "
			"(more than %ld MiB)", MAX_FILE / 1024 / 1024);
		goto fail;
	}
	for (;;) {
		size_t r;
		if (cap - n < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)MAX_FILE + 65536)
				cap = (size_t)MAX_FILE + 65536;
			if (!(nb = realloc(buf, cap + 1))) {
				err_set(e, ERR_IO, path, 0, 0, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
		if (n > (size_t)MAX_FILE) {
			err_set(e, ERR_DATA, path, 0, 0, "file too large for a factor set "
				"(more than %ld MiB)", MAX_FILE / 1024 / 1024);
			goto fail;
		}
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		err_set(e, ERR_IO, path, 0, 0, "cannot read the file");
		goto fail;
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (fp != stdin)
		fclose(fp);
	free(buf);
	return NULL;
}

/* Split "NAME@VERSION" (version optional) into buffers. */
static int
split_spec(const char *spec, char *name, size_t nn, char *ver, size_t nv,
	   int *has_ver)
{
	const char *at = strchr(spec, '@');
	size_t ln = at ? (size_t)(at - spec) : strlen(spec);

	*has_ver = at != NULL;
	if (ln == 0 || ln >= nn || (at && (!at[1] || strlen(at + 1) >= nv)))
		return -1;
	memcpy(name, spec, ln);
	name[ln] = '\0';
	snprintf(ver, nv, "%s", at ? at + 1 : "");
	return 0;
}

static const char *
method_name(const struct factor *f)
{
	return f->market ? "market" : "location";
}

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
		      method_name(f), "tariff", f->tariff, "scope", f->scope,
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
	size_t len;
	char *data;
	int status = EXIT_DATA;

	err_clear(&e);
	if (!errs)
		return EXIT_DATA;
	if (!(data = slurp(path, &len, &e))) {
		errlist_free(errs);
		return cli_fail(&e);
	}
	if (factor_set_parse(data, len, path, &s, errs, &e)) {
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
	free(data);
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
load_spec(struct cli *c, struct ledger *l, const char *spec, struct factor_set **s)
{
	char name[256], ver[256];
	int has_ver;
	struct err e;

	err_clear(&e);
	if (split_spec(spec, name, sizeof name, ver, sizeof ver, &has_ver))
		return cli_usage_error(usage, "invalid factor set '%s' (expected NAME or "
				       "NAME@VERSION)", spec);
	if (factors_load(l, name, has_ver ? ver : NULL, s, &e))
		return cli_fail(&e);
	(void)c;
	return EXIT_OK;
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
			printf("  method       %s, tariff %s\n", method_name(f), f->tariff);
		else
			printf("  method       %s\n", method_name(f));
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
	if ((status = load_spec(c, l, spec, &s)) != EXIT_OK) {
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

struct change {
	char field[32];
	char from[600], to[600];
	int has_pct;
	double pct;
	int64_t a, b; /* values, for JSON */
	int numeric;
};

#define MAX_CHANGES 24

static void
num_change(struct change *ch, size_t *n, const char *field, int has_a, int64_t a,
	   int has_b, int64_t b)
{
	struct change *x;

	if (has_a == has_b && a == b)
		return;
	if (*n >= MAX_CHANGES)
		return;
	x = &ch[(*n)++];
	memset(x, 0, sizeof *x);
	snprintf(x->field, sizeof x->field, "%s", field);
	if (has_a)
		factors_format_value(a, x->from, sizeof x->from);
	else
		snprintf(x->from, sizeof x->from, "none");
	if (has_b)
		factors_format_value(b, x->to, sizeof x->to);
	else
		snprintf(x->to, sizeof x->to, "none");
	x->numeric = has_a && has_b;
	x->a = a;
	x->b = b;
	if (has_a && has_b && a != 0) {
		x->has_pct = 1;
		x->pct = (double)(b - a) / (double)a * 100.0;
	}
}

static void
str_change(struct change *ch, size_t *n, const char *field, const char *a,
	   const char *b)
{
	struct change *x;

	if ((!a && !b) || (a && b && strcmp(a, b) == 0) || *n >= MAX_CHANGES)
		return;
	x = &ch[(*n)++];
	memset(x, 0, sizeof *x);
	snprintf(x->field, sizeof x->field, "%s", field);
	snprintf(x->from, sizeof x->from, "%s", a ? a : "none");
	snprintf(x->to, sizeof x->to, "%s", b ? b : "none");
}

static void
int_change(struct change *ch, size_t *n, const char *field, int a, int b)
{
	char sa[16], sb[16];

	if (a == b)
		return;
	snprintf(sa, sizeof sa, "%d", a);
	snprintf(sb, sizeof sb, "%d", b);
	str_change(ch, n, field, a ? sa : NULL, b ? sb : NULL);
}

static size_t
diff_factor(const struct factor *a, const struct factor *b, struct change *ch)
{
	size_t n = 0;
	char va[32], vb[32], fa[11], ta[11], fb[11], tb[11];

	str_change(ch, &n, "activity", a->activity, b->activity);
	str_change(ch, &n, "region", a->region, b->region);
	str_change(ch, &n, "unit", a->unit->name, b->unit->name);
	date_format(a->valid_from, fa);
	date_format(a->valid_to, ta);
	date_format(b->valid_from, fb);
	date_format(b->valid_to, tb);
	snprintf(va, sizeof va, "%s..%s", fa, ta);
	snprintf(vb, sizeof vb, "%s..%s", fb, tb);
	str_change(ch, &n, "validity", va, vb);
	str_change(ch, &n, "method", method_name(a), method_name(b));
	str_change(ch, &n, "tariff", a->tariff, b->tariff);
	int_change(ch, &n, "scope", a->scope, b->scope);
	int_change(ch, &n, "category", a->category, b->category);
	if (!a->has_gases || !b->has_gases) {
		num_change(ch, &n, "co2e", !a->has_gases, a->co2e, !b->has_gases, b->co2e);
	}
	if (a->has_gases || b->has_gases) {
		num_change(ch, &n, "gases.co2", a->has_gases && a->co2, a->co2,
			   b->has_gases && b->co2, b->co2);
		num_change(ch, &n, "gases.ch4_fossil", a->has_gases && a->ch4_fossil,
			   a->ch4_fossil, b->has_gases && b->ch4_fossil, b->ch4_fossil);
		num_change(ch, &n, "gases.ch4_biogenic", a->has_gases && a->ch4_biogenic,
			   a->ch4_biogenic, b->has_gases && b->ch4_biogenic,
			   b->ch4_biogenic);
		num_change(ch, &n, "gases.n2o", a->has_gases && a->n2o, a->n2o,
			   b->has_gases && b->n2o, b->n2o);
		num_change(ch, &n, "gases.biogenic_co2", a->has_gases && a->biogenic_co2,
			   a->biogenic_co2, b->has_gases && b->biogenic_co2,
			   b->biogenic_co2);
	}
	num_change(ch, &n, "upstream_co2e", a->has_upstream, a->upstream_co2e,
		   b->has_upstream, b->upstream_co2e);
	int_change(ch, &n, "price_year", a->price_year, b->price_year);
	str_change(ch, &n, "status", a->status, b->status);
	str_change(ch, &n, "boundary", a->boundary, b->boundary);
	str_change(ch, &n, "citation", a->citation, b->citation);
	str_change(ch, &n, "notes", a->notes, b->notes);
	return n;
}

static int
is_long_field(const char *f)
{
	return strcmp(f, "citation") == 0 || strcmp(f, "notes") == 0;
}

static void
brief_text(const struct factor *f, char *buf, size_t n)
{
	char v[256], from[11], to[11], up[64] = "";

	value_text(f, v, sizeof v);
	date_format(f->valid_from, from);
	date_format(f->valid_to, to);
	if (f->has_upstream) {
		char t[40];
		factors_format_value(f->upstream_co2e, t, sizeof t);
		snprintf(up, sizeof up, ", upstream %s", t);
	}
	snprintf(buf, n, "%s  %s  %s..%s  %s%s%s per %s%s", f->activity, f->region, from,
		 to, method_name(f), f->tariff ? "/" : "", f->tariff ? f->tariff : "", f->unit->name,
		 "");
	{
		size_t u = strlen(buf);
		snprintf(buf + u, n - u, "  %s%s", v, up);
	}
}

static json_t *
change_json(const struct change *x)
{
	json_t *o = json_pack("{s:s}", "field", x->field);

	if (x->numeric) {
		json_object_set_new(o, "from", json_real(strtod(x->from, NULL)));
		json_object_set_new(o, "to", json_real(strtod(x->to, NULL)));
	} else {
		json_object_set_new(o, "from", strcmp(x->from, "none") ? json_string(x->from)
									: json_null());
		json_object_set_new(o, "to", strcmp(x->to, "none") ? json_string(x->to)
								    : json_null());
	}
	if (x->has_pct) {
		char t[32];
		snprintf(t, sizeof t, "%.2f", x->pct);
		json_object_set_new(o, "change_pct", json_real(strtod(t, NULL)));
	}
	return o;
}

static int
factors_diff(struct cli *c, const char *s1, const char *s2)
{
	struct factor_set *a = NULL, *b = NULL;
	struct ledger *l;
	struct strmap *ia = NULL, *ib = NULL;
	struct change *ch = NULL;
	json_t *out = NULL, *added = NULL, *removed = NULL, *changed = NULL;
	size_t i, nadd = 0, nrem = 0, nchg = 0, nsame = 0;
	int status;
	char line[1024];

	if (cli_open(c, &l, 0, &status))
		return status;
	if ((status = load_spec(c, l, s1, &a)) != EXIT_OK ||
	    (status = load_spec(c, l, s2, &b)) != EXIT_OK)
		goto out;
	status = EXIT_DATA;
	ia = strmap_new();
	ib = strmap_new();
	ch = calloc(MAX_CHANGES, sizeof *ch);
	if (!ia || !ib || !ch)
		goto out;
	for (i = 0; i < factor_set_count(a); i++)
		strmap_put(ia, factor_set_at(a, i)->id, strlen(factor_set_at(a, i)->id),
			   (int64_t)i);
	for (i = 0; i < factor_set_count(b); i++)
		strmap_put(ib, factor_set_at(b, i)->id, strlen(factor_set_at(b, i)->id),
			   (int64_t)i);
	if (c->json) {
		out = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}", "from", "name",
				factor_set_name(a), "version", factor_set_version(a), "sha256",
				factor_set_sha256(a), "to", "name", factor_set_name(b),
				"version", factor_set_version(b), "sha256",
				factor_set_sha256(b));
		added = json_array();
		removed = json_array();
		changed = json_array();
	}
	/* count first, so the text summary can lead */
	for (i = 0; i < factor_set_count(b); i++) {
		const struct factor *fb = factor_set_at(b, i);
		int64_t k;
		if (!strmap_get(ia, fb->id, strlen(fb->id), &k))
			nadd++;
		else if (diff_factor(factor_set_at(a, (size_t)k), fb, ch))
			nchg++;
		else
			nsame++;
	}
	for (i = 0; i < factor_set_count(a); i++) {
		int64_t k;
		if (!strmap_get(ib, factor_set_at(a, i)->id, strlen(factor_set_at(a, i)->id), &k))
			nrem++;
	}
	if (!c->json) {
		printf("%s@%s -> %s@%s\n", factor_set_name(a), factor_set_version(a),
		       factor_set_name(b), factor_set_version(b));
		if (strcmp(factor_set_published(a), factor_set_published(b)) != 0)
			printf("published %s -> %s\n", factor_set_published(a),
			       factor_set_published(b));
		printf("%zu added, %zu removed, %zu changed, %zu unchanged\n", nadd, nrem,
		       nchg, nsame);
	}
	if (nadd && !c->json)
		printf("\nadded\n");
	for (i = 0; i < factor_set_count(b); i++) {
		const struct factor *fb = factor_set_at(b, i);
		int64_t k;
		if (strmap_get(ia, fb->id, strlen(fb->id), &k))
			continue;
		if (c->json) {
			json_array_append_new(added, factor_json(fb));
		} else {
			brief_text(fb, line, sizeof line);
			printf("  %s  %s\n", fb->id, line);
		}
	}
	if (nrem && !c->json)
		printf("\nremoved\n");
	for (i = 0; i < factor_set_count(a); i++) {
		const struct factor *fa = factor_set_at(a, i);
		int64_t k;
		if (strmap_get(ib, fa->id, strlen(fa->id), &k))
			continue;
		if (c->json) {
			json_array_append_new(removed, factor_json(fa));
		} else {
			brief_text(fa, line, sizeof line);
			printf("  %s  %s\n", fa->id, line);
		}
	}
	if (nchg && !c->json)
		printf("\nchanged\n");
	for (i = 0; i < factor_set_count(b); i++) {
		const struct factor *fb = factor_set_at(b, i), *fa;
		int64_t k;
		size_t n, j;
		if (!strmap_get(ia, fb->id, strlen(fb->id), &k))
			continue;
		fa = factor_set_at(a, (size_t)k);
		if (!(n = diff_factor(fa, fb, ch)))
			continue;
		if (c->json) {
			json_t *arr = json_array();
			for (j = 0; j < n; j++)
				json_array_append_new(arr, change_json(&ch[j]));
			json_array_append_new(changed,
					      json_pack("{s:s, s:s, s:s, s:o}", "id", fb->id,
							"activity", fb->activity, "region",
							fb->region, "changes", arr));
			continue;
		}
		printf("  %s  %s  %s\n", fb->id, fb->activity, fb->region);
		for (j = 0; j < n; j++) {
			const struct change *x = &ch[j];
			if (is_long_field(x->field))
				printf("    %-18s changed (see 'factors show --json')\n",
				       x->field);
			else if (x->has_pct)
				printf("    %-18s %s -> %s (%+.2f %%)\n", x->field, x->from, x->to,
				       x->pct);
			else
				printf("    %-18s %s -> %s\n", x->field, x->from, x->to);
		}
	}
	/* conversions and price index, which change results too */
	{
		size_t j;
		int head = 0;
		json_t *conv = c->json ? json_array() : NULL;
		for (i = 0; i < factor_set_nconversions(b) + factor_set_nconversions(a); i++) {
			const struct factor_conversion *x, *y = NULL;
			int from_b = i < factor_set_nconversions(b);
			const struct factor_set *other = from_b ? a : b;
			x = from_b ? factor_set_conversion_at(b, i)
				   : factor_set_conversion_at(a, i - factor_set_nconversions(b));
			for (j = 0; j < factor_set_nconversions(other); j++) {
				const struct factor_conversion *z = factor_set_conversion_at(other, j);
				if (strcmp(z->activity, x->activity) == 0 && z->from == x->from &&
				    z->to == x->to)
					y = z;
			}
			if (y && (!from_b || strcmp(y->factor, x->factor) == 0))
				continue;
			if (!c->json && !head++)
				printf("\nconversions\n");
			if (c->json) {
				json_array_append_new(
					conv, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "activity",
							x->activity, "from", x->from->name, "to",
							x->to->name, "factor_from",
							from_b ? (y ? y->factor : NULL) : x->factor,
							"factor_to", from_b ? x->factor : NULL));
			} else if (!from_b) {
				printf("  removed  %s: 1 %s = %s %s\n", x->activity, x->from->name,
				       x->factor, x->to->name);
			} else if (!y) {
				printf("  added    %s: 1 %s = %s %s\n", x->activity, x->from->name,
				       x->factor, x->to->name);
			} else {
				printf("  changed  %s: 1 %s = %s -> %s %s\n", x->activity,
				       x->from->name, y->factor, x->factor, x->to->name);
			}
		}
		head = 0;
		json_t *pi = c->json ? json_array() : NULL;
		for (i = 0; i < factor_set_nprices(b) + factor_set_nprices(a); i++) {
			int from_b = i < factor_set_nprices(b);
			const struct factor_set *other = from_b ? a : b;
			const struct factor_price *x, *y = NULL;
			x = from_b ? factor_set_price_at(b, i)
				   : factor_set_price_at(a, i - factor_set_nprices(b));
			for (j = 0; j < factor_set_nprices(other); j++)
				if (factor_set_price_at(other, j)->year == x->year)
					y = factor_set_price_at(other, j);
			if (y && (!from_b || strcmp(y->text, x->text) == 0))
				continue;
			if (!c->json && !head++)
				printf("\nprice index\n");
			if (c->json)
				json_array_append_new(
					pi, json_pack("{s:i, s:s?, s:s?}", "year", x->year, "from",
						      from_b ? (y ? y->text : NULL) : x->text, "to",
						      from_b ? x->text : NULL));
			else
				printf("  %d  %s -> %s\n", x->year,
				       from_b ? (y ? y->text : "none") : x->text,
				       from_b ? x->text : "none");
		}
		if (c->json) {
			json_object_set_new(out, "conversions", conv);
			json_object_set_new(out, "price_index", pi);
		}
	}
	if (c->json) {
		json_object_set_new(out, "added", added);
		json_object_set_new(out, "removed", removed);
		json_object_set_new(out, "changed", changed);
		json_object_set_new(out, "unchanged", json_integer((json_int_t)nsame));
		added = removed = changed = NULL;
		cli_print_json(out);
	}
	status = EXIT_OK;
out:
	json_decref(out);
	json_decref(added);
	json_decref(removed);
	json_decref(changed);
	free(ch);
	strmap_free(ia);
	strmap_free(ib);
	factor_set_free(a);
	factor_set_free(b);
	ledger_close(l);
	return status;
}

/* ---- dispatch ----------------------------------------------------------------- */

int
cmd_factors(struct cli *c, int argc, char **argv)
{
	const char *sub = NULL, *args[3] = {NULL, NULL, NULL}, *activity = NULL;
	int i, nargs = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		int r = cli_common(c, argc, argv, &i, 1);
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[i]);
		if (r > 0)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--activity", &activity)) != 0) {
			if (r < 0)
				return cli_usage_error(usage, "option '--activity' needs a KEY");
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(usage, "unknown option '%s'", argv[i]);
		if (!sub)
			sub = argv[i];
		else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			return cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!sub)
		return cli_usage_error(usage, "factors needs 'import', 'list', 'show' or "
				       "'diff'");
	if (activity && strcmp(sub, "show") != 0)
		return cli_usage_error(usage, "--activity is an option of 'factors show'");
	if (strcmp(sub, "import") == 0) {
		if (nargs != 1)
			return cli_usage_error(usage, nargs ? "factors import takes one "
					       "FILE.json" : "factors import needs a FILE.json");
		return factors_import(c, args[0]);
	}
	if (strcmp(sub, "list") == 0) {
		if (nargs)
			return cli_usage_error(usage, "unexpected argument '%s'", args[0]);
		return factors_list_cmd(c);
	}
	if (strcmp(sub, "show") == 0) {
		if (nargs != 1)
			return cli_usage_error(usage, "factors show needs one NAME[@VERSION]");
		return factors_show(c, args[0], activity);
	}
	if (strcmp(sub, "diff") == 0) {
		if (nargs != 2)
			return cli_usage_error(usage, "factors diff needs NAME@V1 NAME@V2");
		return factors_diff(c, args[0], args[1]);
	}
	return cli_usage_error(usage, "unknown factors command '%s' (import, list, show "
			       "or diff)", sub);
}
