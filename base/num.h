/*
 * num: exact decimal numbers as scaled 64-bit integers.
 *
 * Quantities, factors and emissions are decimals from text and must stay
 * exact: "1.234,56" kWh is 1234560000 micro-kWh, never a binary fraction.
 * num_parse reads a decimal with a chosen decimal mark and optional thousands
 * separator into an integer scaled by 10^scale; num_format writes a scaled
 * integer back with round-half-away-from-zero to the requested decimals.
 */
#ifndef CO2_NUM_H
#define CO2_NUM_H

#include <stddef.h>
#include <stdint.h>

enum num_status {
	NUM_OK = 0,
	NUM_SYNTAX = -1,    /* not a decimal number */
	NUM_RANGE = -2,     /* too large for the scale */
	NUM_PRECISION = -3, /* more decimal places than the scale keeps */
};

/* Parse s[0..n) (surrounding spaces allowed) with decimal mark `dec` and
 * thousands separator `thou` (0 for none; groups must then be of three
 * digits). An optional leading '-' or '+'. No exponents, no nan/inf.
 * On success *out = value * 10^scale (scale 0..12). */
enum num_status num_parse(const char *s, size_t n, char dec, char thou,
			  int scale, int64_t *out);

/* Write v / 10^scale rounded half away from zero to `decimals` places
 * (decimals <= scale), with '.' as decimal mark. Returns the length. */
int num_format(int64_t v, int scale, int decimals, char *buf, size_t n);

/* Round v / 10^shift half away from zero (shift 0..18). */
int64_t num_round_shift(int64_t v, int shift);

/* Powers of ten up to 10^18. */
int64_t num_pow10(int e);

/* Greatest common divisor of |a| and |b| (0 when both are 0); the one gcd
 * of the exact ratios (units) and the calculation's fractions. Inline: the
 * calculation reduces in its inner loop. */
static inline __int128
num_gcd(__int128 a, __int128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

#endif
