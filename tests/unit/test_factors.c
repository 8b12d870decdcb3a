/*
 * Unit tests for the factor module: parsing and exact values, every
 * validation rule (the invalid inputs live as data in
 * tests/factors/invalid/<case>/{input.json,error} and are all replayed here),
 * the canonical JSON and its hash, the registry's immutability and version
 * order, conversions with chains, GWP arithmetic, and lookups with region
 * chain, validity, priority, tariffs and the 'previous' fallback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/audit.h"
#include "base/date.h"
#include "store/ledger.h"
#include "base/sha256.h"
#include "factors/factors.h"

/* ---- helpers ------------------------------------------------------------- */

static const char *
srcdir(void)
{
	const char *d = getenv("CO2LEDGER_SRCDIR");
	return d && *d ? d : ".";
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct factor_set *
parse_ok(const char *text)
{
	struct factor_set *s = NULL;
	struct errlist *errs = errlist_new();
	struct err e;
	size_t i;

	err_clear(&e);
	if (factor_set_parse(text, strlen(text), "t.json", &s, errs, &e)) {
		char buf[1024];
		for (i = 0; i < errs->n; i++)
			fprintf(stderr, "%s\n", err_format(&errs->items[i], buf, sizeof buf));
		fail_msg("parse failed: %s", e.text);
	}
	errlist_free(errs);
	return s;
}

static const struct factor *
by_id(const struct factor_set *s, const char *id)
{
	size_t i;

	for (i = 0; i < factor_set_count(s); i++)
		if (strcmp(factor_set_at(s, i)->id, id) == 0)
			return factor_set_at(s, i);
	fail_msg("no factor '%s'", id);
	return NULL;
}

static int32_t
D(const char *iso)
{
	int32_t d;
	assert_int_equal(date_parse_iso(iso, strlen(iso), &d), 0);
	return d;
}

static const struct unit_info *
U(const char *name)
{
	return units_find(name, strlen(name));
}

#define HEAD(name, version, published)                                          \
	"{\"format\": \"co2ledger-factors/1\", \"name\": \"" name "\", "          \
	"\"version\": \"" version "\", \"published\": \"" published "\", "         \
	"\"description\": \"d\", \"license\": \"l\", \"source\": \"s\", "

/* A factor object; fields in JSON text. */
#define F(id, act, region, unit, from, to, rest)                                \
	"{\"id\": \"" id "\", \"activity\": \"" act "\", \"region\": \"" region    \
	"\", \"unit\": \"" unit "\", \"valid_from\": \"" from "\", \"valid_to\": \"" \
	to "\", \"citation\": \"c\", " rest "}"

/* ---- invalid inputs as data ------------------------------------------------ */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_invalid_cases(void **state)
{
	char dir[1024], path[1200];
	char *names[256];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/tests/factors/invalid", srcdir());
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) && n < 256)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	assert_true(n >= 30); /* the cases are there: this test cannot pass empty */
	for (i = 0; i < n; i++) {
		struct errlist *errs = errlist_new();
		struct factor_set *s = NULL;
		struct err e;
		char *input, *expect, got[32768], line[1024];
		size_t len, elen, k, used = 0;

		snprintf(path, sizeof path, "%s/%s/input.json", dir, names[i]);
		input = read_file(path, &len);
		assert_non_null(input);
		snprintf(path, sizeof path, "%s/%s/error", dir, names[i]);
		expect = read_file(path, &elen);
		if (!expect)
			fail_msg("case %s has no 'error' file", names[i]);
		err_clear(&e);
		if (factor_set_parse(input, len, "input.json", &s, errs, &e) == 0)
			fail_msg("case %s: the invalid input was accepted", names[i]);
		assert_null(s);
		assert_true(errs->n > 0);
		got[0] = '\0';
		for (k = 0; k < errs->n; k++)
			used += (size_t)snprintf(got + used, sizeof got - used, "%s\n",
						 err_format(&errs->items[k], line, sizeof line));
		if (strcmp(got, expect) != 0) {
			fprintf(stderr, "case %s\n--- expected\n%s--- got\n%s", names[i], expect, got);
			fail_msg("case %s: errors differ", names[i]);
		}
		/* without a list, the first error comes back in *e */
		err_clear(&e);
		assert_int_equal(factor_set_parse(input, len, "input.json", &s, NULL, &e), -1);
		assert_string_equal(err_format(&e, line, sizeof line),
				    err_format(&errs->items[0], path, sizeof path));
		errlist_free(errs);
		free(input);
		free(expect);
		free(names[i]);
	}
}

/* Over a hundred errors: the first 100 are kept with positions, all counted. */
static void
test_many_errors(void **state)
{
	size_t cap = 200000, used, i;
	char *t = malloc(cap);
	struct errlist *errs = errlist_new();
	struct factor_set *s;
	struct err e;

	used = (size_t)snprintf(t, cap, HEAD("x", "1", "2024-01-01") "\"factors\": [");
	for (i = 0; i < 150; i++)
		used += (size_t)snprintf(t + used, cap - used, "%s{\"id\": \"f%zu\", \"unit\": \"bogus\"}",
					 i ? ",\n" : "\n", i);
	snprintf(t + used, cap - used, "]}");
	assert_int_equal(factor_set_parse(t, strlen(t), "many.json", &s, errs, &e), -1);
	/* per factor: unknown unit, 5 missing keys (activity, region, valid_from,
	 * valid_to, scope), citation and the value: 8 each */
	assert_int_equal(errs->total, 150 * 8);
	assert_int_equal(errs->n, ERRLIST_KEEP);
	assert_int_equal(errs->items[0].line, 2);
	assert_string_equal(e.text, "1200 errors in the factor set (fix the file and try again)");
	errlist_free(errs);
	free(t);
}

/* ---- parsing and exact values ---------------------------------------------- */

static void
test_parse_minimal(void **state)
{
	char path[1024];
	size_t len;
	char *text;
	struct factor_set *s;
	const struct factor *f;
	const struct factor_conversion *c;
	struct ratio r;

	snprintf(path, sizeof path, "%s/tests/factors/valid/minimal.json", srcdir());
	text = read_file(path, &len);
	assert_non_null(text);
	s = parse_ok(text);
	assert_string_equal(factor_set_name(s), "test-set");
	assert_string_equal(factor_set_version(s), "1");
	assert_string_equal(factor_set_published(s), "2024-05-15");
	assert_string_equal(factor_set_license(s), "CC0-1.0");
	assert_int_equal(factor_set_count(s), 7);

	f = by_id(s, "el-loc-2023");
	assert_string_equal(f->activity, "energy.electricity");
	assert_string_equal(f->region, "DE");
	assert_string_equal(f->unit->name, "kWh");
	assert_int_equal(f->valid_from, D("2023-01-01"));
	assert_int_equal(f->valid_to, D("2023-12-31"));
	assert_int_equal(f->market, 0);
	assert_null(f->tariff);
	assert_int_equal(f->scope, 2);
	assert_int_equal(f->category, 0);
	assert_int_equal(f->has_gases, 0);
	assert_int_equal(f->co2e, 380000000000LL);       /* 0.380 kg = 0.38e12 pico */
	assert_int_equal(f->has_upstream, 1);
	assert_int_equal(f->upstream_co2e, 47000000000LL); /* 0.047 */
	assert_string_equal(f->status, "final");
	assert_string_equal(f->boundary, "combustion");
	assert_ptr_equal(f->set, s);

	f = by_id(s, "gas");
	assert_int_equal(f->has_gases, 1);
	assert_int_equal(f->co2, 200000000000LL);  /* 0.2 */
	assert_int_equal(f->ch4_fossil, 3600000);  /* 0.0000036 */
	assert_int_equal(f->n2o, 3600000);
	assert_int_equal(f->ch4_biogenic, 0);
	assert_int_equal(f->valid_to, D("9999-12-31"));
	assert_string_equal(f->notes, "per kWh Hi");

	f = by_id(s, "el-green");
	assert_int_equal(f->market, 1);
	assert_string_equal(f->tariff, "green");
	assert_int_equal(f->co2e, 0);

	f = by_id(s, "cpv-30");
	assert_int_equal(f->scope, 3);
	assert_int_equal(f->category, 1);
	assert_int_equal(f->price_year, 2021);
	assert_int_equal(f->co2e, 61074000000LL);  /* 0.061074 */

	f = by_id(s, "diesel");
	assert_int_equal(f->co2e, 2512790000000LL); /* 2.51279 exactly */

	f = by_id(s, "pellets");
	assert_int_equal(f->ch4_biogenic, 1000000000LL);       /* 1e-3 */
	assert_int_equal(f->biogenic_co2, 1650000000000000LL); /* 1650 (integer) */
	assert_int_equal(f->n2o, 40000000LL);                  /* 4E-5 */
	assert_string_equal(f->citation, "pellets \"quoted\" \xc3\xa4 \t tab");

	assert_int_equal(factor_set_nconversions(s), 2);
	c = factor_set_conversion_at(s, 0);
	assert_string_equal(c->activity, "energy.natural_gas");
	assert_string_equal(c->from->name, "m3");
	assert_string_equal(c->to->name, "kWh_Hs");
	assert_int_equal(c->ratio.num, 52);  /* 10.4 = 52/5 */
	assert_int_equal(c->ratio.den, 5);
	assert_string_equal(c->factor, "10.4");
	assert_null(c->citation);
	c = factor_set_conversion_at(s, 1);
	assert_int_equal(c->ratio.num, 903);
	assert_int_equal(c->ratio.den, 1000);
	assert_string_equal(c->citation, "test");
	assert_null(factor_set_conversion_at(s, 2));

	assert_int_equal(factor_set_nprices(s), 2);
	assert_int_equal(factor_set_price_at(s, 0)->year, 2021);
	assert_string_equal(factor_set_price_at(s, 1)->text, "113.2");
	assert_int_equal(factor_set_price_index(s, 2023, &r), 0);
	assert_int_equal(r.num, 566); /* 113.2 = 566/5 */
	assert_int_equal(r.den, 5);
	assert_int_equal(factor_set_price_index(s, 2021, &r), 0);
	assert_int_equal(r.num, 100);
	assert_int_equal(r.den, 1);
	assert_int_equal(factor_set_price_index(s, 2022, &r), -1);
	factor_set_free(s);
	factor_set_free(NULL);
	free(text);
}

/* A UTF-8 byte order mark is not content: same set, same hash, and
 * positions count from the character after it. */
static void
test_bom(void **state)
{
	const char *plain = HEAD("b", "1", "2024-01-01") "\"factors\": ["
		F("f", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
		  "\"scope\": 2, \"co2e\": 0.38") "]}";
	char with[2048], bad[64];
	struct factor_set *a, *b, *s;
	struct errlist *errs = errlist_new();
	struct err e;

	snprintf(with, sizeof with, "\xef\xbb\xbf%s", plain);
	a = parse_ok(plain);
	b = parse_ok(with);
	assert_string_equal(factor_set_sha256(a), factor_set_sha256(b));
	snprintf(bad, sizeof bad, "\xef\xbb\xbf{\"format\": 1}");
	assert_int_equal(factor_set_parse(bad, strlen(bad), "b.json", &s, errs, &e), -1);
	assert_int_equal(errs->items[errs->n - 1].line, 1);
	assert_int_equal(errs->items[errs->n - 1].column, 12); /* the 1 after the BOM */
	errlist_free(errs);
	factor_set_free(a);
	factor_set_free(b);
}

static const char *
one_value_set(char *buf, size_t n, const char *value)
{
	snprintf(buf, n, HEAD("v", "1", "2024-01-01") "\"factors\": ["
		 F("f", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
		   "\"scope\": 2, \"co2e\": %s") "]}", value);
	return buf;
}

static void
test_number_forms(void **state)
{
	static const struct {
		const char *json;
		int64_t pico;
	} cases[] = {
		{"0.1", 100000000000LL},
		{"0.380", 380000000000LL},
		{"2.51279", 2512790000000LL},
		{"3", 3000000000000LL},
		{"3.0", 3000000000000LL},
		{"1e-12", 1},
		{"1.5E2", 150000000000000LL},
		{"0.000000000001", 1},
		{"9223372", 9223372000000000000LL},
		{"0.1234567890125", 123456789013LL},  /* 13th decimal 5: away from zero */
		{"0.1234567890124", 123456789012LL},  /* 13th decimal 4: down */
		{"0.00000000000149", 1},              /* 1.49e-12 -> 1 */
		{"0.0000000000015", 2},               /* 1.5e-12 -> 2 */
		{"0", 0},
		{"-0.0", 0},
	};
	char buf[1024], txt[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct factor_set *s = parse_ok(one_value_set(buf, sizeof buf, cases[i].json));
		if (factor_set_at(s, 0)->co2e != cases[i].pico)
			fail_msg("%s: got %lld, expected %lld", cases[i].json,
				 (long long)factor_set_at(s, 0)->co2e, (long long)cases[i].pico);
		factor_set_free(s);
	}
	factors_format_value(3600000, txt, sizeof txt);
	assert_string_equal(txt, "0.0000036");
	factors_format_value(2512790000000LL, txt, sizeof txt);
	assert_string_equal(txt, "2.51279");
	factors_format_value(10000000000000LL, txt, sizeof txt);
	assert_string_equal(txt, "10");
	factors_format_value(0, txt, sizeof txt);
	assert_string_equal(txt, "0");
}

/* ---- canonical JSON and hash ---------------------------------------------------- */

static void
test_canonical(void **state)
{
	/* Expected output and hash computed with Python 3:
	 * json.dumps(json.loads(t), sort_keys=True, separators=(",", ":"),
	 * ensure_ascii=False), then hashlib.sha256 over its UTF-8. */
	const char *t = "{\"z\": 1, \"a\": [1.0, 0.1, 1e-7, 1e16, 12345678901234567890e-3, "
			"-0.0, \"x\\u0001\\\"\\\\\\n/\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\"], "
			"\"m\": {\"b\": true, \"a\": null, \"c\": false}, \"k\": 1E+2}";
	const char *want = "{\"a\":[1.0,0.1,1e-07,1e+16,1.2345678901234568e+16,-0.0,"
			   "\"x\\u0001\\\"\\\\\\n/\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\"],"
			   "\"k\":100.0,\"m\":{\"a\":null,\"b\":true,\"c\":false},\"z\":1}";
	struct err e;
	char *c = factors_canonical(t, strlen(t), &e);
	char hex[65];

	assert_non_null(c);
	assert_string_equal(c, want);
	sha256_hex(c, strlen(c), hex);
	assert_string_equal(hex, "c4b5b7b4d46648595caa1775a97dffac2b65048e73211d276a77e98a7df8256a");
	free(c);
	assert_null(factors_canonical("{\"a\":1,\"a\":2}", 13, &e));
	assert_null(factors_canonical("{", 1, &e));
	/* empty objects and arrays, at the top and nested (an empty object once
	 * passed a null array to qsort) */
	c = factors_canonical("{}", 2, &e);
	assert_non_null(c);
	assert_string_equal(c, "{}");
	free(c);
	c = factors_canonical("{\"b\": {}, \"a\": []}", 18, &e);
	assert_non_null(c);
	assert_string_equal(c, "{\"a\":[],\"b\":{}}");
	free(c);
}

static void
test_hash(void **state)
{
	const char *a = HEAD("h", "1", "2024-01-01") "\"factors\": ["
		F("f", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
		  "\"scope\": 2, \"co2e\": 0.38") "]}";
	/* same content, other key order and whitespace */
	const char *b = "{\n  \"factors\": [ {\"co2e\": 0.38, \"scope\": 2, \"citation\": \"c\",\n"
			"  \"valid_to\": \"2023-12-31\", \"valid_from\": \"2023-01-01\", \"unit\": \"kWh\",\n"
			"  \"region\": \"DE\", \"activity\": \"energy.electricity\", \"id\": \"f\"} ],\n"
			"  \"source\": \"s\", \"license\": \"l\", \"description\": \"d\",\n"
			"  \"published\": \"2024-01-01\", \"version\": \"1\", \"name\": \"h\",\n"
			"  \"format\": \"co2ledger-factors/1\"\n}\n";
	/* one digit changed */
	const char *c = HEAD("h", "1", "2024-01-01") "\"factors\": ["
		F("f", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
		  "\"scope\": 2, \"co2e\": 0.39") "]}";
	struct factor_set *sa = parse_ok(a), *sb = parse_ok(b), *sc = parse_ok(c);
	char hex[65];

	assert_string_equal(factor_set_sha256(sa), factor_set_sha256(sb));
	assert_string_not_equal(factor_set_sha256(sa), factor_set_sha256(sc));
	assert_string_equal(factor_set_canonical(sa), factor_set_canonical(sb));
	/* the hash is the SHA-256 of the canonical text, nothing else */
	sha256_hex(factor_set_canonical(sa), strlen(factor_set_canonical(sa)), hex);
	assert_string_equal(hex, factor_set_sha256(sa));
	assert_string_equal(factor_set_canonical(sa),
			    "{\"description\":\"d\",\"factors\":[{\"activity\":\"energy.electricity\","
			    "\"citation\":\"c\",\"co2e\":0.38,\"id\":\"f\",\"region\":\"DE\",\"scope\":2,"
			    "\"unit\":\"kWh\",\"valid_from\":\"2023-01-01\",\"valid_to\":\"2023-12-31\"}],"
			    "\"format\":\"co2ledger-factors/1\",\"license\":\"l\",\"name\":\"h\","
			    "\"published\":\"2024-01-01\",\"source\":\"s\",\"version\":\"1\"}");
	assert_string_equal(factor_set_factor_json(sa, 0),
			    "{\"activity\":\"energy.electricity\",\"citation\":\"c\",\"co2e\":0.38,"
			    "\"id\":\"f\",\"region\":\"DE\",\"scope\":2,\"unit\":\"kWh\","
			    "\"valid_from\":\"2023-01-01\",\"valid_to\":\"2023-12-31\"}");
	factor_set_free(sa);
	factor_set_free(sb);
	factor_set_free(sc);
}

/* ---- conversions ------------------------------------------------------------ */

static void
assert_convert(const struct factor_set *s, const char *act, const char *from,
	       const char *to, int64_t num, int64_t den, const char *path)
{
	struct ratio r;
	struct err e;
	char p[256];

	err_clear(&e);
	if (factor_set_convert(s, act, U(from), U(to), &r, p, sizeof p, &e))
		fail_msg("%s -> %s: %s", from, to, e.text);
	assert_int_equal(r.num, num);
	assert_int_equal(r.den, den);
	assert_string_equal(p, path);
}

static void
test_convert(void **state)
{
	char path[1024];
	size_t len;
	char *text;
	struct factor_set *s;
	struct ratio r;
	struct err e;
	char p[256];

	snprintf(path, sizeof path, "%s/tests/factors/valid/minimal.json", srcdir());
	text = read_file(path, &len);
	s = parse_ok(text);
	/* identity and built-in scaling */
	assert_convert(s, "energy.natural_gas", "kWh", "kWh", 1, 1, "kWh");
	assert_convert(s, "energy.electricity", "MWh", "kWh", 1000, 1, "MWh -> kWh (x1000)");
	assert_convert(s, "energy.electricity", "kWh", "MJ", 18, 5, "kWh -> MJ (x18/5)");
	/* m3 -> kWh_Hs 10.4 -> kWh 0.903: 52/5 * 903/1000 = 46956/5000 = 11739/1250 */
	assert_convert(s, "energy.natural_gas", "m3", "kWh", 11739, 1250,
		       "m3 -> kWh_Hs (10.4) -> kWh (0.903)");
	/* MWh_Hs -> kWh_Hs x1000 -> kWh 0.903 = 903 */
	assert_convert(s, "energy.natural_gas", "MWh_Hs", "kWh", 903, 1,
		       "MWh_Hs -> kWh_Hs (x1000) -> kWh (0.903)");
	/* l -> m3 x1/1000, then 10.4 and 0.903: 11739/1250000 */
	assert_convert(s, "energy.natural_gas", "l", "MWh", 11739, 1250000000,
		       "l -> m3 (x1/1000) -> kWh_Hs (10.4) -> kWh (0.903) -> MWh (x1/1000)");
	/* backwards through both: 1250/11739 */
	assert_convert(s, "energy.natural_gas", "kWh", "m3", 1250, 11739,
		       "kWh -> kWh_Hs (1/0.903) -> m3 (1/10.4)");
	/* GJ -> kWh 2500/9, then 1/0.903: 2500/9 * 1000/903 = 2500000/8127 */
	assert_convert(s, "energy.natural_gas", "GJ", "kWh_Hs", 2500000, 8127,
		       "GJ -> kWh (x2500/9) -> kWh_Hs (1/0.903)");
	/* a path longer than the buffer says so: it ends in "..." */
	assert_int_equal(factor_set_convert(s, "energy.natural_gas", U("l"), U("MWh"), &r, p,
					    40, &e), 0);
	assert_string_equal(p, "l -> m3 (x1/1000) -> kWh_Hs (10.4) -...");
	/* no conversions at all for the activity */
	assert_int_equal(factor_set_convert(s, "fleet.diesel", U("l"), U("kWh"), &r, p,
					    sizeof p, &e), -1);
	assert_string_equal(e.text, "cannot convert l to kWh for fleet.diesel: the set "
			    "'test-set@1' has no conversion (add one to its \"conversions\")");
	/* conversions for the activity, but none that lead there */
	assert_int_equal(factor_set_convert(s, "energy.natural_gas", U("kg"), U("kWh"), &r,
					    p, sizeof p, &e), -1);
	assert_string_equal(e.text, "cannot convert kg to kWh for energy.natural_gas: the "
			    "set 'test-set@1' has no conversion that leads there (it has m3 -> "
			    "kWh_Hs, kWh_Hs -> kWh; add one to its \"conversions\")");
	/* Hs and Hi never scale by themselves */
	assert_int_equal(factor_set_convert(s, "energy.electricity", U("kWh_Hs"), U("kWh"),
					    &r, p, sizeof p, &e), -1);
	factor_set_free(s);
	free(text);
}

/* ---- GWP arithmetic ------------------------------------------------------------ */

static void
test_gwp_factor(void **state)
{
	const char *t = HEAD("g", "1", "2024-01-01") "\"factors\": ["
		F("ex10", "energy.natural_gas", "DE", "t", "2023-01-01", "2023-12-31",
		  "\"scope\": 1, \"gases\": {\"ch4_fossil\": 1000, \"n2o\": 10}") ","
		F("gas", "energy.natural_gas", "DE", "kWh", "2024-01-01", "2024-12-31",
		  "\"scope\": 1, \"gases\": {\"co2\": 0.2, \"ch4_fossil\": 0.0000036, "
		  "\"n2o\": 0.0000036, \"biogenic_co2\": 5}") ","
		F("bio", "energy.biogas", "DE", "kWh", "2024-01-01", "2024-12-31",
		  "\"scope\": 1, \"gases\": {\"ch4_biogenic\": 1000}") ","
		F("flat", "energy.electricity", "DE", "kWh", "2024-01-01", "2024-12-31",
		  "\"scope\": 2, \"co2e\": 0.38") "]}";
	struct factor_set *s = parse_ok(t);
	int64_t x;

	/* methodology example 10, per t: 1000 kg CH4 fossil + 10 kg N2O;
	 * tenths of pico-kg, so kg = x / 1e13 */
	assert_int_equal(factor_co2e_x10(by_id(s, "ex10"), gwp_find("AR4"), &x), 0);
	assert_int_equal(x, 27980LL * 10000000000000LL); /* 25000 + 2980 */
	assert_int_equal(factor_co2e_x10(by_id(s, "ex10"), gwp_find("AR5"), &x), 0);
	assert_int_equal(x, 30650LL * 10000000000000LL); /* 28000 + 2650 */
	assert_int_equal(factor_co2e_x10(by_id(s, "ex10"), gwp_find("AR6"), &x), 0);
	assert_int_equal(x, 32530LL * 10000000000000LL); /* 29800 + 2730 */
	/* AR6 non-fossil CH4: 1000 * 27.0 = 27000 */
	assert_int_equal(factor_co2e_x10(by_id(s, "bio"), gwp_find("AR6"), &x), 0);
	assert_int_equal(x, 27000LL * 10000000000000LL);
	/* 0.2 + 0.0000036*28 + 0.0000036*265 = 0.2 + 0.0001008 + 0.000954
	 * = 0.2010548 kg; biogenic CO2 is never added */
	assert_int_equal(factor_co2e_x10(by_id(s, "gas"), gwp_find("AR5"), &x), 0);
	assert_int_equal(x, 2010548000000LL);
	/* a co2e factor does not change with the GWP set: 0.38 */
	assert_int_equal(factor_co2e_x10(by_id(s, "flat"), gwp_find("AR4"), &x), 0);
	assert_int_equal(x, 3800000000000LL);
	factor_set_free(s);
}

/* ---- registry ------------------------------------------------------------------ */

struct tmpdb {
	char dir[64], path[128];
	struct ledger *l;
};

static void
tmpdb_open(struct tmpdb *t)
{
	struct err e;

	snprintf(t->dir, sizeof t->dir, "/tmp/co2-factors-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	if (ledger_open(&t->l, t->path, LEDGER_CREATE, &e))
		fail_msg("ledger_open: %s", e.text);
}

static void
tmpdb_close(struct tmpdb *t)
{
	char p[160];

	ledger_close(t->l);
	snprintf(p, sizeof p, "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->path);
	unlink(p);
	unlink(t->path);
	rmdir(t->dir);
}

static void
reg(struct ledger *l, const char *text, enum factor_import_result want)
{
	struct factor_set *s = parse_ok(text);
	enum factor_import_result r;
	struct err e;

	if (factors_register(l, s, &r, &e))
		fail_msg("register: %s", e.text);
	assert_int_equal(r, want);
	factor_set_free(s);
}

#define SET_V(version, published, value)                                         \
	HEAD("reg", version, published) "\"factors\": ["                           \
	F("f", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",       \
	  "\"scope\": 2, \"co2e\": " value) "]}"

static void
test_registry(void **state)
{
	struct tmpdb t;
	struct factor_set *s, *changed;
	struct factor_set_info *v;
	enum factor_import_result r;
	struct err e;
	size_t n;
	long entries;
	char want[600];

	tmpdb_open(&t);
	reg(t.l, SET_V("1", "2024-05-15", "0.38"), FACTORS_ADDED);
	reg(t.l, SET_V("1", "2024-05-15", "0.38"), FACTORS_UNCHANGED);
	/* whitespace does not matter: the canonical content is the same */
	reg(t.l, "  " SET_V("1", "2024-05-15", "0.380") "\n", FACTORS_UNCHANGED);
	assert_int_equal(audit_verify(t.l, &entries, &e), 0);
	assert_int_equal(entries, 2); /* ledger.init, one registration, no entry for no-ops */

	/* different content under the same version is refused, nothing changes */
	s = parse_ok(SET_V("1", "2024-05-15", "0.38"));
	changed = parse_ok(SET_V("1", "2024-05-15", "0.39"));
	assert_int_equal(factors_register(t.l, changed, &r, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	snprintf(want, sizeof want,
		 "factor set 'reg@1' is already registered with different content "
		 "(registered sha256 %s, this file sha256 %s); a registered version never "
		 "changes: publish the changes as a new version",
		 factor_set_sha256(s), factor_set_sha256(changed));
	assert_string_equal(e.text, want);
	assert_int_equal(factors_list(t.l, &v, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].sha256, factor_set_sha256(s));
	assert_int_equal(v[0].factors, 1);
	factors_list_free(v, n);
	assert_int_equal(audit_verify(t.l, &entries, &e), 0);
	assert_int_equal(entries, 2);
	factor_set_free(changed);

	/* newest: latest published, ties by natural version order */
	reg(t.l, SET_V("2", "2025-01-01", "0.37"), FACTORS_ADDED);
	reg(t.l, SET_V("10", "2025-01-01", "0.36"), FACTORS_ADDED);
	reg(t.l, SET_V("3", "2024-12-31", "0.35"), FACTORS_ADDED);
	assert_int_equal(factors_load(t.l, "reg", NULL, &changed, &e), 0);
	assert_string_equal(factor_set_version(changed), "10");
	factor_set_free(changed);
	assert_int_equal(factors_load(t.l, "reg", "1", &changed, &e), 0);
	assert_string_equal(factor_set_sha256(changed), factor_set_sha256(s));
	assert_int_equal(factor_set_at(changed, 0)->co2e, 380000000000LL);
	factor_set_free(changed);
	assert_int_equal(factors_list(t.l, &v, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].version, "10");
	assert_string_equal(v[1].version, "2");
	assert_string_equal(v[2].version, "3");
	assert_string_equal(v[3].version, "1");
	factors_list_free(v, n);
	assert_int_equal(audit_verify(t.l, &entries, &e), 0);
	assert_int_equal(entries, 5);

	/* unknown names and versions */
	assert_int_equal(factors_load(t.l, "reg", "9", &changed, &e), -1);
	assert_string_equal(e.text, "factor set 'reg' has no version '9' (registered: 1, 2, 10, 3)");
	assert_int_equal(factors_load(t.l, "nope", NULL, &changed, &e), -1);
	assert_string_equal(e.text, "no factor set named 'nope' is registered (see "
			    "'co2ledger factors list')");

	/* content altered behind co2ledger's back is noticed */
	assert_int_equal(db_exec(ledger_db(t.l),
				 "UPDATE factor_set SET content = replace(content, "
				 "'0.38', '0.18') WHERE version = '1'"),
			 DB_OK);
	assert_int_equal(factors_load(t.l, "reg", "1", &changed, &e), -1);
	assert_non_null(strstr(e.text, "no longer matches its sha256"));
	factor_set_free(s);
	tmpdb_close(&t);
}

/* ---- lookup ---------------------------------------------------------------------- */

static const char SET_A[] = HEAD("a", "1", "2025-01-01") "\"factors\": ["
	F("el-de-2023", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
	  "\"scope\": 2, \"co2e\": 0.38") ","
	F("el-de-2024", "energy.electricity", "DE", "kWh", "2024-01-01", "2024-12-31",
	  "\"scope\": 2, \"co2e\": 0.36") ","
	F("el-be-2023", "energy.electricity", "DE-BE", "kWh", "2023-01-01", "2023-12-31",
	  "\"scope\": 2, \"co2e\": 0.30") ","
	F("el-any", "energy.electricity", "*", "kWh", "2020-01-01", "2030-12-31",
	  "\"scope\": 2, \"co2e\": 0.9") ","
	F("el-green", "energy.electricity", "DE", "kWh", "2015-01-01", "2030-12-31",
	  "\"scope\": 2, \"method\": \"market\", \"tariff\": \"green\", \"co2e\": 0") ","
	F("el-resid", "energy.electricity", "DE", "kWh", "2023-01-01", "2023-12-31",
	  "\"scope\": 2, \"method\": \"market\", \"co2e\": 0.5") ","
	F("diesel-2023", "fleet.diesel", "DE", "l", "2023-01-01", "2023-12-31",
	  "\"scope\": 1, \"co2e\": 2.5") ","
	F("cpv-30", "procurement.cpv.30", "*", "EUR", "2015-01-01", "2030-12-31",
	  "\"scope\": 3, \"category\": 1, \"co2e\": 0.06") ","
	F("cpv-30192", "procurement.cpv.30192", "*", "EUR", "2015-01-01", "2030-12-31",
	  "\"scope\": 3, \"category\": 1, \"co2e\": 0.28") "]}";

static const char SET_B[] = HEAD("b", "7", "2024-01-01") "\"factors\": ["
	F("el-de", "energy.electricity", "DE", "kWh", "2023-01-01", "2025-12-31",
	  "\"scope\": 2, \"co2e\": 0.40") ","
	F("el-be-2025", "energy.electricity", "DE-BE", "kWh", "2025-01-01", "2025-12-31",
	  "\"scope\": 2, \"co2e\": 0.25") ","
	F("diesel-2022", "fleet.diesel", "DE", "l", "2022-01-01", "2022-12-31",
	  "\"scope\": 1, \"co2e\": 2.4") "]}";

static const char *
fid(const struct factor *f)
{
	return f ? f->id : "(none)";
}

/* Sets named as a person types them ("b, a@1"), as calc --factors does. */
static int
load_list(struct ledger *l, const char *list, struct factor_db **db, struct err *e)
{
	struct factor_ref *refs;
	size_t n;
	int rc;

	*db = NULL;
	if (factor_refs_parse(list, &refs, &n, e))
		return -1;
	rc = factor_db_load(l, refs, n, db, e);
	free(refs);
	return rc;
}

static void
test_lookup(void **state)
{
	struct tmpdb t;
	struct factor_db *db;
	struct err e;
	const char *el = "energy.electricity";

	tmpdb_open(&t);
	assert_int_equal(factor_db_load(t.l, NULL, 0, &db, &e), -1);
	assert_string_equal(e.text, "no factor sets are registered (import one with "
			    "'co2ledger factors import FILE.json')");
	reg(t.l, SET_B, FACTORS_ADDED);
	reg(t.l, SET_A, FACTORS_ADDED);

	/* default order: newest published first (a 2025, then b 2024) */
	assert_int_equal(factor_db_load(t.l, NULL, 0, &db, &e), 0);
	assert_int_equal(factor_db_nsets(db), 2);
	assert_string_equal(factor_set_name(factor_db_set(db, 0)), "a");
	assert_string_equal(factor_set_name(factor_db_set(db, 1)), "b");
	assert_null(factor_db_set(db, 2));
	/* region chain: DE-BE exact first */
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2023-06-01"), 0, NULL)), "el-be-2023");
	/* 2024: no DE-BE factor -> DE of the first set */
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2024-06-01"), 0, NULL)), "el-de-2024");
	/* 2025: the later set's DE-BE factor beats the earlier set's DE (region first) */
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2025-06-01"), 0, NULL)), "el-be-2025");
	/* 2025 for DE: set a has none, set b covers it */
	assert_string_equal(fid(factor_db_find(db, el, "DE", D("2025-12-31"), 0, NULL)), "el-de");
	/* 2023 for DE: both cover it, priority picks set a */
	assert_string_equal(fid(factor_db_find(db, el, "DE", D("2023-01-01"), 0, NULL)), "el-de-2023");
	/* 2026: nothing for DE, the '*' factor */
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2026-01-01"), 0, NULL)), "el-any");
	assert_string_equal(fid(factor_db_find(db, el, "AT", D("2024-01-01"), 0, NULL)), "el-any");
	assert_string_equal(fid(factor_db_find(db, el, NULL, D("2024-01-01"), 0, NULL)), "el-any");
	assert_string_equal(fid(factor_db_find(db, el, "*", D("2024-01-01"), 0, NULL)), "el-any");
	/* validity boundaries are inclusive; nothing before 2020 */
	assert_string_equal(fid(factor_db_find(db, el, "AT", D("2030-12-31"), 0, NULL)), "el-any");
	assert_null(factor_db_find(db, el, "AT", D("2031-01-01"), 0, NULL));
	assert_null(factor_db_find(db, el, "DE", D("2019-12-31"), 0, NULL));
	/* market: tariff exact, NULL = only tariff-less (residual mix) */
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2023-06-01"), 1, "green")), "el-green");
	assert_null(factor_db_find(db, el, "DE-BE", D("2023-06-01"), 1, "blue"));
	assert_string_equal(fid(factor_db_find(db, el, "DE-BE", D("2023-06-01"), 1, NULL)), "el-resid");
	assert_null(factor_db_find(db, el, "DE-BE", D("2024-06-01"), 1, NULL));
	/* location ignores the tariff */
	assert_string_equal(fid(factor_db_find(db, el, "DE", D("2023-06-01"), 0, "green")), "el-de-2023");
	/* procurement: longest CPV prefix with a factor, down to the division */
	assert_string_equal(fid(factor_db_find(db, "procurement.cpv.30192000", "DE-BE", D("2024-03-01"), 0, NULL)), "cpv-30192");
	assert_string_equal(fid(factor_db_find(db, "procurement.cpv.30100000", "DE-BE", D("2024-03-01"), 0, NULL)), "cpv-30");
	assert_string_equal(fid(factor_db_find(db, "procurement.cpv.30", "DE-BE", D("2024-03-01"), 0, NULL)), "cpv-30");
	assert_null(factor_db_find(db, "procurement.cpv.45000000", "DE-BE", D("2024-03-01"), 0, NULL));
	assert_null(factor_db_find(db, "procurement.cpv.3", "DE-BE", D("2024-03-01"), 0, NULL));
	/* fleet.electricity falls back to energy.electricity */
	assert_string_equal(fid(factor_db_find(db, "fleet.electricity", "DE-BE", D("2023-06-01"), 0, NULL)), "el-be-2023");
	/* unknown activity */
	assert_null(factor_db_find(db, "energy.biogas", "DE", D("2023-06-01"), 0, NULL));
	/* previous: the latest factor that ended before the day */
	assert_null(factor_db_find(db, "fleet.diesel", "DE-BE", D("2025-06-01"), 0, NULL));
	assert_string_equal(fid(factor_db_find_previous(db, "fleet.diesel", "DE-BE", D("2025-06-01"), 0, NULL)), "diesel-2023");
	assert_string_equal(fid(factor_db_find_previous(db, "fleet.diesel", "DE-BE", D("2023-06-01"), 0, NULL)), "diesel-2022");
	assert_null(factor_db_find_previous(db, "fleet.diesel", "DE-BE", D("2022-06-01"), 0, NULL));
	assert_string_equal(fid(factor_db_find_previous(db, el, "DE-BE", D("2024-06-01"), 0, NULL)), "el-be-2023");
	/* next (the 'nearest' fallback before every factor): the earliest that
	 * starts after the day */
	assert_string_equal(fid(factor_db_find_next(db, "fleet.diesel", "DE-BE", D("2021-06-01"), 0, NULL)), "diesel-2022");
	assert_string_equal(fid(factor_db_find_next(db, "fleet.diesel", "DE-BE", D("2022-06-01"), 0, NULL)), "diesel-2023");
	assert_null(factor_db_find_next(db, "fleet.diesel", "DE-BE", D("2024-06-01"), 0, NULL));
	/* the factor knows its set */
	assert_string_equal(factor_set_version(factor_db_find(db, el, "DE", D("2025-06-01"), 0, NULL)->set), "7");
	factor_db_free(db);
	factor_db_free(NULL);

	/* explicit priority: b before a */
	assert_int_equal(load_list(t.l, "b, a@1", &db, &e), 0);
	assert_string_equal(fid(factor_db_find(db, el, "DE", D("2023-06-01"), 0, NULL)), "el-de");
	factor_db_free(db);
	assert_int_equal(load_list(t.l, "a", &db, &e), 0);
	assert_int_equal(factor_db_nsets(db), 1);
	/* without set b, DE in 2025 falls through to a's '*' factor */
	assert_string_equal(fid(factor_db_find(db, el, "DE", D("2025-06-01"), 0, "x")), "el-any");
	factor_db_free(db);
	/* bad specs */
	assert_int_equal(load_list(t.l, "a@2", &db, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	assert_string_equal(e.text, "factor set 'a' has no version '2' (registered: 1)");
	assert_int_equal(load_list(t.l, "a,,b", &db, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_int_equal(load_list(t.l, "a,", &db, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_int_equal(load_list(t.l, "a@", &db, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_int_equal(load_list(t.l, "a,a@1", &db, &e), -1);
	assert_string_equal(e.text, "factor set 'a@1' is named twice");
	/* the list's text is parsed once, into name/version references */
	{
		struct factor_ref *refs;
		size_t n;
		assert_int_equal(factor_refs_parse(" b ,a@1", &refs, &n, &e), 0);
		assert_int_equal(n, 2);
		assert_string_equal(refs[0].name, "b");
		assert_null(refs[0].version);
		assert_string_equal(refs[1].name, "a");
		assert_string_equal(refs[1].version, "1");
		free(refs);
		assert_int_equal(factor_refs_parse("@1", &refs, &n, &e), -1);
		assert_string_equal(e.text, "invalid factor set '@1' (expected NAME or "
				    "NAME@VERSION)");
	}
	assert_int_equal(load_list(t.l, "zzz", &db, &e), -1);
	assert_int_equal(e.kind, ERR_DATA);
	tmpdb_close(&t);
}

/* Many validity periods in one group: every day finds its own factor. */
static void
test_lookup_many(void **state)
{
	size_t cap = 1 << 20, used, i;
	char *t = malloc(cap);
	struct tmpdb db_;
	struct factor_db *db;
	struct err e;
	int32_t d0 = D("2020-01-01");

	used = (size_t)snprintf(t, cap, HEAD("many", "1", "2024-01-01") "\"factors\": [");
	for (i = 0; i < 2000; i++) {
		char day[11];
		date_format(d0 + (int32_t)i * 2, day); /* every other day: gaps between */
		used += (size_t)snprintf(t + used, cap - used,
					 "%s{\"id\": \"d%zu\", \"activity\": \"energy.electricity\", "
					 "\"region\": \"DE\", \"unit\": \"kWh\", \"valid_from\": \"%s\", "
					 "\"valid_to\": \"%s\", \"scope\": 2, \"co2e\": 0.%zu, "
					 "\"citation\": \"c\"}", i ? "," : "", i, day, day, i + 1);
	}
	snprintf(t + used, cap - used, "]}");
	tmpdb_open(&db_);
	reg(db_.l, t, FACTORS_ADDED);
	assert_int_equal(factor_db_load(db_.l, NULL, 0, &db, &e), 0);
	for (i = 0; i < 2000; i++) {
		char want[16];
		const struct factor *f = factor_db_find(db, "energy.electricity", "DE-BE",
							d0 + (int32_t)i * 2, 0, NULL);
		snprintf(want, sizeof want, "d%zu", i);
		assert_string_equal(fid(f), want);
		/* the gap day after it has none; previous gives this one */
		assert_null(factor_db_find(db, "energy.electricity", "DE-BE",
					   d0 + (int32_t)i * 2 + 1, 0, NULL));
		assert_string_equal(fid(factor_db_find_previous(db, "energy.electricity", "DE",
								d0 + (int32_t)i * 2 + 1, 0,
								NULL)), want);
	}
	factor_db_free(db);
	tmpdb_close(&db_);
	free(t);
}

static void
test_activity_and_units(void **state)
{
	char why[256];

	assert_int_equal(factors_check_activity("energy.electricity", 18, why, sizeof why), 0);
	assert_int_equal(factors_check_activity("fleet.distance.car_medium", 25, why, sizeof why), 0);
	assert_int_equal(factors_check_activity("procurement.cpv.30192000", 24, why, sizeof why), 0);
	assert_int_equal(factors_check_activity("procurement.cpv.301920001", 25, why, sizeof why), -1);
	assert_int_equal(factors_check_activity("fleet.jet", 9, why, sizeof why), -1);
	assert_string_equal(why, "unknown fuel 'jet' in activity 'fleet.jet' (expected one of "
			    "diesel, petrol, lpg, cng, hvo, electricity, or distance.<vehicle_class>)");
	assert_true(factors_unit_fits("energy.natural_gas", U("m3")));
	assert_true(factors_unit_fits("energy.natural_gas", U("MWh_Hs")));
	assert_true(factors_unit_fits("energy.heating_oil", U("l")));
	assert_true(factors_unit_fits("energy.wood_pellets", U("t")));
	assert_false(factors_unit_fits("energy.electricity", U("kWh_Hs")));
	assert_false(factors_unit_fits("energy.district_heating", U("m3")));
	assert_true(factors_unit_fits("fleet.cng", U("kg")));
	assert_true(factors_unit_fits("fleet.electricity", U("kWh")));
	assert_false(factors_unit_fits("fleet.electricity", U("l")));
	assert_true(factors_unit_fits("fleet.distance.van", U("km")));
	assert_false(factors_unit_fits("fleet.distance.van", U("l")));
	assert_true(factors_unit_fits("procurement.cpv.30", U("EUR")));
	assert_false(factors_unit_fits("procurement.cpv.30", U("kWh")));
	assert_false(factors_unit_fits("nonsense", U("kWh")));
	assert_false(factors_unit_fits("energy.lpg", NULL));
}

/* factor_set_diff: keyed by id; added, removed, changed field by field with
 * the relative change, unchanged counted; conversions and prices too. */
static void
test_diff(void **state)
{
	static const char V1[] = HEAD("d", "1", "2024-01-01")
		"\"price_index\": {\"2020\": 100, \"2021\": 104}, \"factors\": ["
		F("x", "energy.electricity", "DE", "kWh", "2024-01-01", "2024-12-31",
		  "\"scope\": 2, \"co2e\": 0.4") ","
		F("y", "fleet.diesel", "DE", "l", "2024-01-01", "2024-12-31",
		  "\"scope\": 1, \"co2e\": 2.5") ","
		F("z", "fleet.petrol", "DE", "l", "2024-01-01", "2024-12-31",
		  "\"scope\": 1, \"co2e\": 2.3") "]}";
	static const char V2[] = HEAD("d", "2", "2025-01-01")
		"\"price_index\": {\"2020\": 100, \"2021\": 105}, \"factors\": ["
		F("w", "energy.district_heating", "DE", "kWh", "2024-01-01", "2024-12-31",
		  "\"scope\": 2, \"co2e\": 0.2") ","
		F("x", "energy.electricity", "DE", "kWh", "2024-01-01", "2025-12-31",
		  "\"scope\": 2, \"co2e\": 0.3") ","
		F("y", "fleet.diesel", "DE", "l", "2024-01-01", "2024-12-31",
		  "\"scope\": 1, \"co2e\": 2.5") "]}";
	struct factor_set *a, *b;
	struct factor_diff *d;
	struct err e;

	(void)state;
	assert_int_equal(factor_set_parse(V1, strlen(V1), "v1", &a, NULL, &e), 0);
	assert_int_equal(factor_set_parse(V2, strlen(V2), "v2", &b, NULL, &e), 0);
	assert_int_equal(factor_set_diff(a, b, &d, &e), 0);
	assert_int_equal(d->nadded, 1);
	assert_string_equal(d->added[0]->id, "w");
	assert_int_equal(d->nremoved, 1);
	assert_string_equal(d->removed[0]->id, "z");
	assert_int_equal(d->unchanged, 1);
	assert_int_equal(d->nchanged, 1);
	assert_string_equal(d->changed[0].b->id, "x");
	assert_int_equal(d->changed[0].nchanges, 2);
	assert_string_equal(d->changed[0].changes[0].field, "validity");
	assert_string_equal(d->changed[0].changes[0].from, "2024-01-01..2024-12-31");
	assert_string_equal(d->changed[0].changes[0].to, "2024-01-01..2025-12-31");
	assert_false(d->changed[0].changes[0].numeric);
	assert_string_equal(d->changed[0].changes[1].field, "co2e");
	assert_string_equal(d->changed[0].changes[1].from, "0.4");
	assert_string_equal(d->changed[0].changes[1].to, "0.3");
	assert_true(d->changed[0].changes[1].has_pct);
	assert_true(d->changed[0].changes[1].pct > -25.0001 &&
		    d->changed[0].changes[1].pct < -24.9999);
	assert_int_equal(d->nprices, 1);
	assert_int_equal(d->prices[0].year, 2021);
	assert_string_equal(d->prices[0].from, "104");
	assert_string_equal(d->prices[0].to, "105");
	assert_int_equal(d->nconversions, 0);
	factor_diff_free(d);
	/* a set against itself: nothing */
	assert_int_equal(factor_set_diff(a, a, &d, &e), 0);
	assert_int_equal(d->nadded + d->nremoved + d->nchanged + d->nprices, 0);
	assert_int_equal(d->unchanged, 3);
	factor_diff_free(d);
	factor_set_free(a);
	factor_set_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_cases),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_parse_minimal),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_number_forms),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_gwp_factor),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_lookup_many),
		cmocka_unit_test(test_activity_and_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
