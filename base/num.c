/*
 * num: exact scaled-integer decimals (see num.h).
 */
#include "base/num.h"

#include <stdio.h>

static const int64_t P10[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL,
};

int64_t
num_pow10(int e)
{
	return e >= 0 && e <= 18 ? P10[e] : 0;
}

enum num_status
num_parse(const char *s, size_t n, char dec, char thou, int scale, int64_t *out)
{
	size_t i = 0, end = n;
	int neg = 0, seen_digit = 0, seen_dec = 0, frac = 0;
	int group = -1; /* digits since the last thousands separator, -1 if none */
	uint64_t v = 0;
	const uint64_t limit = (uint64_t)INT64_MAX;

	if (scale < 0 || scale > 12)
		return NUM_RANGE;
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (i < end && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < end; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (seen_dec) {
				if (frac == scale) {
					if (c != '0')
						return NUM_PRECISION;
					continue;
				}
				frac++;
			} else if (group >= 0) {
				group++;
			}
			if (v > (limit - (uint64_t)(c - '0')) / 10)
				return NUM_RANGE;
			v = v * 10 + (uint64_t)(c - '0');
			seen_digit = 1;
		} else if (c == dec && !seen_dec) {
			if (group >= 0 && group != 3)
				return NUM_SYNTAX;
			seen_dec = 1;
		} else if (thou && c == thou && !seen_dec && seen_digit) {
			if (group >= 0 && group != 3)
				return NUM_SYNTAX;
			if (group < 0 && v > 999)
				return NUM_SYNTAX;
			group = 0;
		} else {
			return NUM_SYNTAX;
		}
	}
	if (!seen_digit || (group >= 0 && !seen_dec && group != 3))
		return NUM_SYNTAX;
	for (; frac < scale; frac++) {
		if (v > limit / 10)
			return NUM_RANGE;
		v *= 10;
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return NUM_OK;
}

int64_t
num_round_shift(int64_t v, int shift)
{
	int64_t p, q, r;

	if (shift <= 0)
		return v;
	p = P10[shift];
	q = v / p;
	r = v % p;
	if (r >= 0 ? r * 2 >= p : -r * 2 >= p)
		q += v < 0 ? -1 : 1;
	return q;
}

int
num_format(int64_t v, int scale, int decimals, char *buf, size_t n)
{
	int64_t r = num_round_shift(v, scale - decimals);
	uint64_t a = r < 0 ? -(uint64_t)r : (uint64_t)r;
	uint64_t p = (uint64_t)P10[decimals];

	if (decimals == 0)
		return snprintf(buf, n, "%s%llu", r < 0 ? "-" : "",
				(unsigned long long)a);
	return snprintf(buf, n, "%s%llu.%0*llu", r < 0 ? "-" : "",
			(unsigned long long)(a / p), decimals,
			(unsigned long long)(a % p));
}
