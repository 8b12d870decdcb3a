/*
 * Unit tests for mapping profiles: the shipped German profile's headers and
 * values, canonical names, validation errors with their JSON paths and
 * positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/profile.h"
#include "base/strbuf.h"

static struct profile *
load_de(void)
{
	const char *src = getenv("CO2LEDGER_SRCDIR");
	char path[4096];
	struct profile *p;
	struct err e;

	snprintf(path, sizeof path, "%s/importers/profiles/de.json", src ? src : ".");
	assert_int_equal(profile_load(path, &p, NULL, &e), 0);
	return p;
}

static int
header(const struct profile *p, const char *h, const char **br)
{
	int rank;
	size_t bl;

	return profile_match_header(p, h, strlen(h), &rank, br, &bl);
}

static const char *
value(const struct profile *p, enum profile_field f, const char *s)
{
	const char *out;

	return profile_map_value(p, f, s, strlen(s), &out) ? out : NULL;
}

static void
test_german_headers(void **state)
{
	struct profile *p = load_de();
	const char *br;

	assert_string_equal(profile_name(p), "de");
	assert_int_equal(header(p, "Energieträger", &br), PF_CARRIER);
	assert_int_equal(header(p, "  ENERGIETRÄGER ", &br), PF_CARRIER);
	assert_int_equal(header(p, "Liegenschaft", &br), PF_ORG);
	assert_int_equal(header(p, "Dienststelle", &br), PF_ORG);
	assert_int_equal(header(p, "Zaehlernummer", &br), PF_METER);
	assert_int_equal(header(p, "Abrechnungsbeginn", &br), PF_PERIOD_START);
	assert_int_equal(header(p, "Bis", &br), PF_PERIOD_END);
	assert_int_equal(header(p, "Tankdatum", &br), PF_DATE);
	assert_int_equal(header(p, "Buchungsdatum", &br), PF_DATE);
	assert_int_equal(header(p, "Nettobetrag", &br), PF_AMOUNT);
	assert_int_equal(header(p, "Währung", &br), PF_CURRENCY);
	assert_int_equal(header(p, "Verwendungszweck", &br), PF_DESCRIPTION);
	assert_int_equal(header(p, "Standort", &br), PF_SITE);
	assert_int_equal(header(p, "quantity", &br), PF_QUANTITY); /* canonical */
	assert_int_equal(header(p, "Verbrauch (kWh)", &br), PF_QUANTITY);
	assert_non_null(br);
	assert_memory_equal(br, "kWh", 3);
	assert_int_equal(header(p, "Kostenstelle", &br), -1);
	assert_true(profile_is_synonym(p, "Kraftstoff", 10));
	assert_false(profile_is_synonym(p, "fuel", 4));
	assert_int_equal(profile_format(p)->decimal, ',');
	assert_int_equal(profile_format(p)->thousands, '.');
	assert_int_equal(profile_format(p)->date, PROFILE_DATE_DMY);
	profile_free(p);
}

static void
test_german_values(void **state)
{
	struct profile *p = load_de();
	char sugg[100];

	assert_string_equal(value(p, PF_CARRIER, "Strom"), "electricity");
	assert_string_equal(value(p, PF_CARRIER, "fernwärme"), "district_heating");
	assert_string_equal(value(p, PF_CARRIER, "FERNKÄLTE"), "district_cooling");
	assert_string_equal(value(p, PF_CARRIER, "Heizöl"), "heating_oil");
	assert_string_equal(value(p, PF_CARRIER, "Flüssiggas"), "lpg");
	assert_string_equal(value(p, PF_CARRIER, "Holzpellets"), "wood_pellets");
	assert_string_equal(value(p, PF_CARRIER, "natural_gas"), "natural_gas");
	assert_string_equal(value(p, PF_FUEL, "Strom"), "electricity");
	assert_string_equal(value(p, PF_FUEL, "Super E10"), "petrol");
	assert_string_equal(value(p, PF_FUEL, "Autogas"), "lpg");
	assert_string_equal(value(p, PF_UNIT, "kWh Hs"), "kWh_Hs");
	assert_string_equal(value(p, PF_UNIT, "kWh (Hs)"), "kWh_Hs");
	assert_string_equal(value(p, PF_UNIT, "kwh_hs"), "kWh_Hs");
	assert_string_equal(value(p, PF_UNIT, "MWh Hs"), "MWh_Hs");
	assert_string_equal(value(p, PF_UNIT, "m³"), "m3");
	assert_string_equal(value(p, PF_UNIT, "cbm"), "m3");
	assert_string_equal(value(p, PF_UNIT, "Liter"), "l");
	assert_string_equal(value(p, PF_UNIT, "MWH"), "MWh");
	assert_string_equal(value(p, PF_TARIFF, "Ökostrom"), "green");
	assert_string_equal(value(p, PF_TARIFF, "Normaltarif"), "");
	assert_null(value(p, PF_CARRIER, "Fernwärmee"));
	assert_string_equal(profile_default(p, PF_CURRENCY), "EUR");
	assert_null(profile_default(p, PF_UNIT));
	profile_suggest(p, PF_CARRIER, "Fernwärmee", strlen("Fernwärmee"), sugg, sizeof sugg);
	assert_string_equal(sugg, "'Fernwärme', 'Fernwaerme'");
	profile_free(p);
}

static void
test_validation(void **state)
{
	static const char bad[] =
		"{\n"
		"  \"format\": \"co2ledger-profile/1\",\n"
		"  \"decimal\": \",\", \"thousands\": \",\",\n"
		"  \"columns\": {\"carier\": \"Art\"},\n"
		"  \"values\": {\"unit\": {\"Liter\": \"litre\"}}\n"
		"}\n";
	struct errlist *errs = errlist_new();
	struct profile *p;
	struct err e;

	assert_int_equal(profile_parse(bad, strlen(bad), "bad.json", &p, errs, &e), -1);
	assert_null(p);
	assert_int_equal(errs->total, 3);
	/* line 3: `  "decimal": ",", "thousands"`: 2 blanks, "decimal": (10),
	 * a blank, "," (3), a comma and a blank: the key starts at column 19 */
	assert_int_equal(errs->items[0].line, 3);
	assert_int_equal(errs->items[0].column, 19);
	assert_non_null(strstr(errs->items[0].text, "(at $.thousands)"));
	assert_int_equal(errs->items[1].line, 4);
	assert_non_null(strstr(errs->items[1].text, "unknown field 'carier'"));
	assert_int_equal(errs->items[2].line, 5);
	assert_non_null(strstr(errs->items[2].text, "unknown unit 'litre'"));
	assert_non_null(strstr(errs->items[2].text, "(at $.values.unit.Liter)"));
	errlist_free(errs);

	assert_int_equal(profile_parse("[1]", 3, "a.json", &p, NULL, &e), -1);
	assert_non_null(strstr(e.text, "a profile is a JSON object"));
	assert_int_equal(profile_parse("{\"a\":", 5, "b.json", &p, NULL, &e), -1);
	assert_int_equal(e.line, 1);
	assert_non_null(strstr(e.text, "invalid JSON"));
	assert_int_equal(profile_parse("{}", 2, "empty.json", &p, NULL, &e), 0);
	assert_string_equal(profile_name(p), "empty.json");
	assert_int_equal(profile_format(p)->decimal, 0);
	assert_int_equal(profile_format(p)->thousands, -1);
	profile_free(p);
}

static void
test_canonical(void **state)
{
	struct profile *p;
	struct err e;
	const char *br;

	assert_int_equal(profile_canonical(&p, &e), 0);
	assert_int_equal(header(p, "Period_Start", &br), PF_PERIOD_START);
	assert_int_equal(header(p, "Energieträger", &br), -1);
	assert_string_equal(value(p, PF_UNIT, "kwh"), "kWh");
	assert_null(value(p, PF_UNIT, "Liter"));
	assert_string_equal(value(p, PF_QUALITY, "Estimated"), "estimated");
	assert_int_equal(profile_field_parse("cpv", 3), PF_CPV);
	assert_int_equal(profile_field_parse("cp", 2), -1);
	profile_free(p);
	profile_free(NULL);
}

static void
test_find_shipped(void **state)
{
	char dir[] = "/tmp/co2-profile-XXXXXX", sub[64], file[96];
	struct strbuf path = STRBUF_INIT;
	struct err e;
	FILE *fp;

	/* the caller's data directory (cli: $CO2LEDGER_DATADIR) comes first */
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/profiles", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(file, sizeof file, "%s/de.json", sub);
	assert_non_null(fp = fopen(file, "w"));
	fputs("{}", fp);
	fclose(fp);
	assert_int_equal(profile_find_shipped(dir, "de", &path, &e), 0);
	assert_string_equal(path.buf, file);
	/* the environment is the command line's business, not the module's */
	setenv("CO2LEDGER_DATADIR", dir, 1);
	assert_int_equal(profile_find_shipped(NULL, "de", &path, &e), 0);
	assert_string_not_equal(path.buf, file);
	unsetenv("CO2LEDGER_DATADIR");
	/* then importers/profiles of the source tree the program was built in */
	remove(file);
	assert_int_equal(profile_find_shipped(dir, "de", &path, &e), 0);
	assert_non_null(strstr(path.buf, "/importers/profiles/de.json"));
	assert_int_equal(profile_find_shipped(dir, "nosuch", &path, &e), -1);
	assert_non_null(strstr(e.text, "cannot find the shipped profile 'nosuch.json'"));
	strbuf_release(&path);
	rmdir(sub);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_german_headers),
		cmocka_unit_test(test_german_values),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_find_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
