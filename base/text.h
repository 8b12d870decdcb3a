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

#endif
