/*
 * Unit tests for degree-day sets (factors/degreedays.h): the weather
 * correction worked by hand, the sum of a year's months, and the parser's
 * refusals. The set below is a test fixture with invented values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "factors/degreedays.h"

#define KD(x) ((int64_t)(x) * 1000000) /* whole Kd -> micro-Kd */
#define KWH(x) ((int64_t)(x) * 1000000) /* whole kWh -> micro-kWh */

static void
test_correct(void **state)
{
	int64_t out = 0;

	(void)state;
	/* 85,000 kWh x 3,666.8 / 3,200 + 15,000 kWh
	 * = 311,678,000 / 3,200 + 15,000 = 97,399.375 + 15,000 = 112,399.375 */
	assert_int_equal(degreedays_correct(KWH(85000), KWH(15000), 3666800000,
					    KD(3200), &out), 0);
	assert_int_equal(out, 112399375000);
	/* a year as cold as the reference changes nothing */
	assert_int_equal(degreedays_correct(KWH(85000), KWH(15000), KD(3200),
					    KD(3200), &out), 0);
	assert_int_equal(out, KWH(100000));
	/* rounding once, half away from zero: 1 micro-kWh x 3 / 2 = 1.5 -> 2;
	 * 1 x 4 / 3 = 1.33 -> 1 */
	assert_int_equal(degreedays_correct(1, 0, 3, 2, &out), 0);
	assert_int_equal(out, 2);
	assert_int_equal(degreedays_correct(1, 0, 4, 3, &out), 0);
	assert_int_equal(out, 1);
	/* refused: no degree days in the year, negative inputs, overflow */
	assert_int_equal(degreedays_correct(1, 0, KD(3000), 0, &out), -1);
	assert_int_equal(degreedays_correct(-1, 0, KD(3000), KD(3000), &out), -1);
	assert_int_equal(degreedays_correct(1, -1, KD(3000), KD(3000), &out), -1);
	assert_int_equal(degreedays_correct(INT64_MAX, 0, KD(2), KD(1), &out), -1);
}

static const char SET[] =
	"{\"format\": \"co2ledger-degreedays/1\", \"name\": \"t\", \"version\": \"1\",\n"
	" \"published\": \"2024-01-31\", \"description\": \"test fixture\",\n"
	" \"source\": \"invented\", \"license\": \"CC0-1.0\", \"method\": \"VDI 3807\",\n"
	" \"stations\": [{\"id\": \"A\", \"name\": \"A\", \"reference\": 3666.8,\n"
	"   \"reference_period\": \"test\", \"citation\": \"test\", \"months\": [\n"
	"   {\"month\": \"2022-12\", \"degree_days\": 999},\n"
	"   {\"month\": \"2023-01\", \"degree_days\": 560.1},\n"
	"   {\"month\": \"2023-02\", \"degree_days\": 480},\n"
	"   {\"month\": \"2023-03\", \"degree_days\": 420},\n"
	"   {\"month\": \"2023-04\", \"degree_days\": 260},\n"
	"   {\"month\": \"2023-05\", \"degree_days\": 120},\n"
	"   {\"month\": \"2023-06\", \"degree_days\": 30},\n"
	"   {\"month\": \"2023-07\", \"degree_days\": 10},\n"
	"   {\"month\": \"2023-08\", \"degree_days\": 10},\n"
	"   {\"month\": \"2023-09\", \"degree_days\": 90},\n"
	"   {\"month\": \"2023-10\", \"degree_days\": 260},\n"
	"   {\"month\": \"2023-11\", \"degree_days\": 420},\n"
	"   {\"month\": \"2023-12\", \"degree_days\": 539.9},\n"
	"   {\"month\": \"2024-01\", \"degree_days\": 612.4}]}]}\n";

static void
test_parse_year(void **state)
{
	struct dd_set *s = NULL;
	const struct dd_station *st;
	struct err e;
	int64_t kd = 0;

	(void)state;
	err_clear(&e);
	assert_int_equal(degreedays_parse(SET, strlen(SET), "t.json", &s, NULL, &e), 0);
	assert_string_equal(degreedays_name(s), "t");
	assert_int_equal(degreedays_count(s), 1);
	assert_int_equal(strlen(degreedays_sha256(s)), 64);
	st = degreedays_station(s, "A");
	assert_non_null(st);
	assert_null(degreedays_station(s, "B"));
	assert_int_equal(st->reference_kd, 3666800000);
	assert_int_equal(st->nmonths, 14);
	/* 2023: 560.1 + 480 + 420 + 260 + 120 + 30 + 10 + 10 + 90 + 260 + 420
	 * + 539.9 = 3,200.0 Kd (December 2022 and January 2024 not counted) */
	assert_int_equal(degreedays_year(st, 2023, &kd, &e), 0);
	assert_int_equal(kd, KD(3200));
	/* 2024 has January only */
	assert_int_equal(degreedays_year(st, 2024, &kd, &e), -1);
	assert_non_null(strstr(e.text, "2024-02"));
	degreedays_free(s);
}

static void
test_refused(void **state)
{
	struct dd_set *s = NULL;
	struct errlist *errs = errlist_new();
	struct err e;
	char *bad;
	char *p;

	(void)state;
	err_clear(&e);
	/* a negative month */
	bad = strdup(SET);
	assert_non_null(bad);
	p = strstr(bad, "480");
	p[-1] = '-';
	assert_int_equal(degreedays_parse(bad, strlen(bad), "t.json", &s, errs, &e), -1);
	assert_null(s);
	assert_int_equal(errs->total, 1);
	assert_non_null(strstr(errs->items[0].text, "0 to"));
	assert_non_null(strstr(errs->items[0].text, "$.stations[0].months[2].degree_days"));
	free(bad);
	errlist_free(errs);
	/* not JSON */
	assert_int_equal(degreedays_parse("{", 1, "t.json", &s, NULL, &e), -1);
	assert_null(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct),
		cmocka_unit_test(test_parse_year),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
