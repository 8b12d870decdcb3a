/*
 * Unit tests of base/jsonpos: positions of JSON paths in the raw text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonpos.h"

static void
at(const char *text, const struct jsonpos_step *p, size_t n, int at_key, long line,
   long col)
{
	long l = 0, c = 0;

	jsonpos_locate(text, strlen(text), p, n, at_key, &l, &c);
	assert_int_equal(l, line);
	assert_int_equal(c, col);
}

static void
test_paths(void **state)
{
	const char *t = "  {\n"
			"  \"a\": 1,\n"
			"  \"b\": [10, {\"c\": \"x\"}, [3]],\n"
			"  \"ä\": {\"k\": true}\n"
			"}\n";

	(void)state;
	at(t, NULL, 0, 0, 1, 3);
	at(t, (struct jsonpos_step[]){{"a", 0}}, 1, 0, 2, 8);
	at(t, (struct jsonpos_step[]){{"a", 0}}, 1, 1, 2, 3);
	at(t, (struct jsonpos_step[]){{"b", 0}, {NULL, 1}, {"c", 0}}, 3, 0, 3, 19);
	at(t, (struct jsonpos_step[]){{"b", 0}, {NULL, 2}}, 2, 0, 3, 25);
	/* columns count characters: "ä" is one */
	at(t, (struct jsonpos_step[]){{"ä", 0}, {"k", 0}}, 2, 1, 4, 9);
	/* a path that cannot be followed: the deepest step found */
	at(t, (struct jsonpos_step[]){{"b", 0}, {NULL, 7}}, 2, 0, 3, 8);
	at(t, (struct jsonpos_step[]){{"zz", 0}}, 1, 0, 1, 3);
	at(t, (struct jsonpos_step[]){{"a", 0}, {"x", 0}}, 2, 0, 2, 8);
}

static void
test_escapes(void **state)
{
	/* U+1F600 written as a surrogate pair, as the other escapes: the key
	 * is found by its decoded UTF-8, as Jansson decodes it */
	const char *t = "{\"x\": 0,\n"
			" \"\\ud83d\\ude00\": {\"tab\\there\": 1},\n"
			" \"\\u00e4\\u20ac\": 2}";
	struct jsonpos_step emoji[2] = {{"\xF0\x9F\x98\x80", 0}, {"tab\there", 0}};
	struct jsonpos_step cesu[1] = {{"\xED\xA0\xBD\xED\xB8\x80", 0}};

	(void)state;
	at(t, emoji, 1, 1, 2, 2);
	at(t, emoji, 1, 0, 2, 18);
	at(t, emoji, 2, 1, 2, 19);
	at(t, (struct jsonpos_step[]){{"\xC3\xA4\xE2\x82\xAC", 0}}, 1, 0, 3, 18);
	/* the pair is one character, not two 3-byte halves */
	at(t, cesu, 1, 1, 1, 1);
}

static void
test_long_key(void **state)
{
	/* a key longer than any fixed buffer is compared whole */
	size_t n = 5000;
	char *key = malloc(n + 1), *t = malloc(2 * n + 64);
	struct jsonpos_step p[1];

	(void)state;
	assert_non_null(key);
	assert_non_null(t);
	memset(key, 'k', n);
	key[n] = '\0';
	strcpy(t, "{\"");
	strcat(t, key);
	strcat(t, "x\": 1,\n\"");
	strcat(t, key);
	strcat(t, "\": 2}");
	p[0].key = key;
	p[0].idx = 0;
	at(t, p, 1, 1, 2, 1);
	free(key);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_long_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
