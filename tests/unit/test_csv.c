/*
 * Unit tests for the CSV reader: quoting, delimiters, encodings, positions,
 * limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

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

/* A Windows-1252 file whose first umlaut comes after the first read chunk
 * (256 KiB): detection waits for the first byte above 0x7F. */
static void
test_late_cp1252(void **state)
{
	size_t n = 300000, i;
	char *buf = malloc(n + 64);
	struct csv *r;
	struct csv_row row;
	struct err e;
	long rows = 0;

	assert_non_null(buf);
	memcpy(buf, "a;b\n", 4);
	for (i = 4; i + 4 <= n; i += 4)
		memcpy(buf + i, "1;2\n", 4);
	memcpy(buf + i, "Fernw\xe4rme;m\xb3\n", 13);
	assert_int_equal(csv_open_mem(&r, buf, i + 13, "late.csv", NULL, &e), 0);
	while (csv_next(r, &row, &e) == CSV_ROW)
		if (++rows == (long)(i / 4) + 1) { /* the last record */
			assert_string_equal(row.field[0], "Fernwärme");
			assert_string_equal(row.field[1], "m³");
		}
	assert_int_equal(rows, (long)(i / 4) + 1);
	assert_int_equal(csv_encoding(r), CSV_ENC_CP1252);
	csv_close(r);
	free(buf);
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

/* A file larger than the read chunk, so records straddle refills: plain
 * records (the quote-free fast path), quoted fields with line breaks, and
 * non-ASCII text before a field whose column must count characters. Then
 * NUL and invalid bytes after a long ASCII run, found by the word-at-a-time
 * check at the right column. */
static void
test_long_input(void **state)
{
	enum { N = 30000 };
	size_t cap = (size_t)N * 32, n = 0;
	char *buf = malloc(cap), want[24];
	struct csv_opts o = {.encoding = CSV_ENC_UTF8};
	struct csv_row row;
	struct err e;
	struct csv *r;
	long k, line = 2;

	assert_non_null(buf);
	n += (size_t)sprintf(buf + n, "a,b,c\n");
	for (k = 1; k <= N; k++) {
		if (k % 1000 == 0)
			n += (size_t)sprintf(buf + n, "\"q,\nr\",%ld,z\n", k);
		else if (k % 777 == 0)
			n += (size_t)sprintf(buf + n, "ääää ääää ääää,%ld,z\n", k);
		else
			n += (size_t)sprintf(buf + n, "plain text field,%ld,z\n", k);
	}
	assert_true(n > 2 * 256 * 1024);
	assert_int_equal(csv_open_mem(&r, buf, n, "t.csv", NULL, &e), 0);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	for (k = 1; k <= N; k++) {
		assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
		assert_int_equal(row.n, 3);
		assert_int_equal(row.line, line);
		snprintf(want, sizeof want, "%ld", k);
		assert_string_equal(row.field[1], want);
		if (k % 1000 == 0) {
			assert_string_equal(row.field[0], "q,\nr");
			assert_int_equal(row.fline[1], line + 1);
			assert_int_equal(row.fcol[1], 4); /* r",K: 'K' is column 4 */
			line++;
		} else if (k % 777 == 0) {
			assert_int_equal(row.fcol[1], 16); /* 14 characters, 26 bytes */
		} else {
			assert_int_equal(row.fcol[1], 18);
		}
		assert_string_equal(row.field[2], "z");
		line++;
	}
	assert_int_equal(csv_next(r, &row, &e), CSV_END);
	csv_close(r);
	free(buf);

	static const char nul[] = "a\nabcdefghijklmnop\001q\nabcdefghijklmnop\000qrstuvwxyz\n";
	assert_int_equal(csv_open_mem(&r, nul, sizeof nul - 1, "t.csv", &o, &e), 0);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW); /* \001 is text */
	assert_int_equal(row.len[0], 18);
	assert_int_equal(csv_next(r, &row, &e), CSV_BAD);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 17);
	assert_non_null(strstr(e.text, "NUL byte"));
	csv_close(r);
	r = open_str("a\nabcdefghijklmnopqrs\xffz\n", &o);
	assert_int_equal(csv_next(r, &row, &e), CSV_ROW);
	assert_int_equal(csv_next(r, &row, &e), CSV_BAD);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 20);
	csv_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes_and_positions),
		cmocka_unit_test(test_cp1252_and_bom),
		cmocka_unit_test(test_late_cp1252),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sha_and_names),
		cmocka_unit_test(test_long_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
