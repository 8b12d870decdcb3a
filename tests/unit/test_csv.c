/*
 * Unit tests for the CSV reader: quoting, delimiters, encodings, positions,
 * limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "importers/csv.h"

static struct csv *
open_str(const char *s, const struct csv_opts *o)
{
	struct csv *r;
	struct err e;

	assert_int_equal(csv_open_mem(&r, s, strlen(s), "t.csv", o, &e), 0);
	return r;
}

static void
test_quotes_and_positions(void **state)
{
	struct csv *r = open_str("a;b;c\r\n1;\"x;\"\"y\"\"\";3\r\n\r\n\"multi\nline\";ä;z\n", NULL);
	struct csv_row row;
	struct err e;

	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_delim(r), ';');
	assert_int_equal(row.n, 3);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(row.line, 2);
	assert_string_equal(row.field[1], "x;\"y\"");
	assert_int_equal(row.fcol[2], 13);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW); /* blank line skipped */
	assert_int_equal(row.line, 4);
	assert_string_equal(row.field[0], "multi\nline");
	assert_int_equal(row.fline[1], 5);
	assert_int_equal(row.fcol[1], 7);
	assert_int_equal(row.fcol[2], 9); /* 'ä' is one column */
	assert_int_equal(csv_next(r, &row, &e), CSV_END);
	csv_close(r);
}

static void
test_cp1252_and_bom(void **state)
{
	struct csv *r = open_str("Energietr\xe4ger,Einheit\nFernw\xe4rme,m\xb3\n", NULL);
	struct csv_row row;
	struct err e;

	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_encoding(r), CSV_ENC_CP1252);
	assert_string_equal(row.field[0], "Energieträger");
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_string_equal(row.field[0], "Fernwärme");
	assert_string_equal(row.field[1], "m³");
	csv_close(r);

	r = open_str("\xef\xbb\xbf" "code\tname\nBE\tBerlin", NULL);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_delim(r), '\t');
	assert_string_equal(row.field[0], "code");
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW); /* no final newline */
	assert_string_equal(row.field[1], "Berlin");
	assert_int_equal(csv_next(r, &row, &e), CSV_END);
	csv_close(r);
}

static void
test_errors(void **state)
{
	struct csv_opts o = {.max_record = 64, .max_fields = 4};
	struct csv_row row;
	struct err e;
	struct csv *r;
	char big[200];

	r = open_str("a,b\n1,\"open\n2,3\n", NULL);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_FATAL);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 3);
	csv_close(r);

	r = open_str("a,b\n\"x\"y,2\n3,4\n", NULL);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_BAD);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 4);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW); /* goes on */
	assert_string_equal(row.field[0], "3");
	csv_close(r);

	r = open_str("a,b,c,d,e\n", &o);
	assert_int_equal(csv_next(r, &row, &e), CSV_BAD);
	assert_non_null(strstr(e.text, "more than 4 fields"));
	csv_close(r);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	r = open_str(big, &o);
	assert_int_equal(csv_next(r, &row, &e), CSV_FATAL);
	assert_non_null(strstr(e.text, "longer than 64 bytes"));
	csv_close(r);

	o.encoding = CSV_ENC_UTF8;
	r = open_str("a\nok\nbad\xff\n", &o);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_BAD);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 4);
	csv_close(r);
}

static void
test_sha_and_names(void **state)
{
	struct csv *r = open_str("abc", NULL);
	struct csv_row row;
	struct err e;

	while (csv_next(r, &row, &e) == CSV_ROW)
		;
	assert_string_equal(csv_sha256(r),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	csv_close(r);
	assert_true(csv_name_eq(" Energieträger ", 16, "ENERGIETRÄGER", 14));
	assert_false(csv_name_eq("Menge", 5, "Mengen", 6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes_and_positions),
		cmocka_unit_test(test_cp1252_and_bom),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sha_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
