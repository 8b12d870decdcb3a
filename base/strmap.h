/*
 * strmap: a small open-addressing hash map from strings to 64-bit values,
 * for interning and lookups in hot loops (org codes, activity keys). Keys are
 * copied into the map; the map owns them.
 */
#ifndef CO2_STRMAP_H
#define CO2_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap;

struct strmap *strmap_new(void);  /* NULL when out of memory */
void strmap_free(struct strmap *m);
/* Insert or overwrite; -1 when out of memory. */
int strmap_put(struct strmap *m, const char *key, size_t len, int64_t value);
/* 1 and *value when present, else 0. */
int strmap_get(const struct strmap *m, const char *key, size_t len, int64_t *value);
size_t strmap_count(const struct strmap *m);

#endif
