/*
 * strmap: open addressing with linear probing, FNV-1a hashes (see strmap.h).
 */
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	char *key; /* NULL when empty */
	size_t len;
	uint64_t hash;
	int64_t value;
};

struct strmap {
	struct slot *slots;
	size_t cap, count;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct strmap *
strmap_new(void)
{
	struct strmap *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct strmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len &&
				memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

static int
grow(struct strmap *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->slots = calloc(oldcap * 2, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return -1;
	}
	m->cap = oldcap * 2;
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

int
strmap_put(struct strmap *m, const char *key, size_t len, int64_t value)
{
	uint64_t h = hash(key, len);
	struct slot *s;

	if ((m->count + 1) * 4 > m->cap * 3 && grow(m))
		return -1;
	s = find(m, key, len, h);
	if (!s->key) {
		if (!(s->key = malloc(len + 1)))
			return -1;
		memcpy(s->key, key, len);
		s->key[len] = '\0';
		s->len = len;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return 0;
}

int
strmap_get(const struct strmap *m, const char *key, size_t len, int64_t *value)
{
	struct slot *s = find(m, key, len, hash(key, len));

	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}

size_t
strmap_count(const struct strmap *m)
{
	return m->count;
}
