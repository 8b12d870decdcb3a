/*
 * text: small string helpers shared by the modules that suggest what a user
 * may have meant ("did you mean 'SPANDAU'?").
 */
#ifndef CO2_TEXT_H
#define CO2_TEXT_H

#include <stddef.h>

/* Levenshtein distance between a[0..n) and b[0..m), ignoring ASCII case;
 * 99 when either is longer than 64 bytes. */
size_t text_distance(const char *a, size_t n, const char *b, size_t m);
/* The same with case counting ("Unit" is 1 from "unit"), for names that
 * are case-sensitive (JSON keys). */
size_t text_distance_exact(const char *a, size_t n, const char *b, size_t m);

/* Characters that must not reach a terminal raw from data: C0 controls, DEL,
 * C1 controls (U+0080..U+009F), the bidi embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) and marks (U+200E, U+200F, U+061C), and
 * bytes that are not UTF-8. */

/* Length in bytes of such a character at s[0..n), 0 when s starts with an
 * ordinary character. */
size_t text_unsafe_at(const char *s, size_t n);

enum text_escape_mode {
	TEXT_ESC_TERMINAL, /* every unsafe character: "\x1b", "\u202e", "\xff" */
	TEXT_ESC_JSON,     /* JSON text from Jansson (controls already escaped):
			    * C1, DEL and bidi characters as "\u202e" */
};

/* Copy `s` into out[0..n) with the unsafe characters escaped, NUL
 * terminated; returns the length the whole result needs (without the NUL),
 * like snprintf, so a result >= n means it was cut. */
size_t text_escape(const char *s, enum text_escape_mode mode, char *out, size_t n);

#endif
