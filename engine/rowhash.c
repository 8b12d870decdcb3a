/*
 * rowhash: canonical form, rows hash and per-field digest of activity rows
 * (see rowhash.h).
 */
#include "engine/rowhash.h"

#include <stdio.h>
#include <string.h>

const char *const rowhash_field[ROWHASH_NFIELDS] = {
	"line", "org", "activity", "day_start", "day_end", "quantity", "unit",
	"quality", "tariff", "supplier_factor", "ident", "site", "supplier",
	"description",
};

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= c[i];
		h *= 16777619u;
	}
	return h;
}

void
rowhash_row(struct sha256 *s, const struct rowhash_val v[ROWHASH_NFIELDS],
	    unsigned char digest[ROWHASH_DIGEST])
{
	char head[32];
	int i, k;

	for (i = 0; i < ROWHASH_NFIELDS; i++) {
		uint32_t h = 2166136261u;
		const struct rowhash_val *f = &v[i];
		if (f->type == ROWHASH_NULL) {
			head[0] = 'N';
			k = 1;
		} else if (f->type == ROWHASH_INT) {
			k = snprintf(head, sizeof head, "i%lld;", (long long)f->i);
		} else {
			k = snprintf(head, sizeof head, "s%zu:", f->n);
		}
		h = fnv(h, head, (size_t)k);
		if (s)
			sha256_update(s, head, (size_t)k);
		if (f->type == ROWHASH_TEXT && f->n) {
			h = fnv(h, f->s, f->n);
			if (s)
				sha256_update(s, f->s, f->n);
		}
		h = (h >> 16) ^ (h & 0xffff);
		digest[2 * i] = (unsigned char)(h >> 8);
		digest[2 * i + 1] = (unsigned char)(h & 0xff);
	}
	if (s)
		sha256_update(s, "\n", 1);
}

void
rowhash_put(struct sha256 *s, const struct rowhash_val *v, size_t n)
{
	char head[32];
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		if (v[i].type == ROWHASH_NULL)
			k = snprintf(head, sizeof head, "N");
		else if (v[i].type == ROWHASH_INT)
			k = snprintf(head, sizeof head, "i%lld;", (long long)v[i].i);
		else
			k = snprintf(head, sizeof head, "s%zu:", v[i].n);
		sha256_update(s, head, (size_t)k);
		if (v[i].type == ROWHASH_TEXT && v[i].n)
			sha256_update(s, v[i].s, v[i].n);
	}
	sha256_update(s, "\n", 1);
}

const char *
rowhash_show(const struct rowhash_val *v, char *buf, size_t n)
{
	if (!n)
		return buf;
	if (v->type == ROWHASH_NULL)
		snprintf(buf, n, "NULL");
	else if (v->type == ROWHASH_INT)
		snprintf(buf, n, "%lld", (long long)v->i);
	else if (v->n + 3 <= n)
		snprintf(buf, n, "'%.*s'", (int)v->n, v->s);
	else if (n > 6)
		snprintf(buf, n, "'%.*s...'", (int)(n - 6), v->s);
	else
		buf[0] = '\0';
	return buf;
}
