/*
 * sha256: a compact implementation of SHA-256 (FIPS 180-4), see sha256.h.
 *
 * Every imported file is hashed in full, so on the import path this is as
 * costly as parsing: the portable code runs at about 320 MB/s. On x86-64
 * CPUs with the SHA extensions (checked once with CPUID) whole blocks go
 * through the SHA-NI instructions instead, several times faster; both paths
 * give the same digests (tests compare them).
 */
#include "base/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#include <pthread.h>
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
block_portable(uint32_t *hs, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = hs[0]; b = hs[1]; c = hs[2]; d = hs[3];
	e = hs[4]; f = hs[5]; g = hs[6]; h = hs[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
		     K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	hs[0] += a; hs[1] += b; hs[2] += c; hs[3] += d;
	hs[4] += e; hs[5] += f; hs[6] += g; hs[7] += h;
}

#ifdef SHA256_X86
/* n blocks with the SHA-NI instructions. The state is kept as the vectors
 * ABEF and CDGH that sha256rnds2 works on; W[4j..4j+3] is the vector x[j],
 * from j = 4 on x[j] = msg2(msg1(x[j-4], x[j-3]) + W[4j-7..4j-4], x[j-1]). */
__attribute__((target("sha,ssse3,sse4.1"))) static void
blocks_shani(uint32_t *hs, const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i st0, st1, tmp, msg, save0, save1, x[4];
	int j;

	tmp = _mm_loadu_si128((const __m128i *)&hs[0]);  /* A B C D (lanes) */
	st1 = _mm_loadu_si128((const __m128i *)&hs[4]);  /* E F G H */
	tmp = _mm_shuffle_epi32(tmp, 0xB1);              /* B A D C */
	st1 = _mm_shuffle_epi32(st1, 0x1B);              /* H G F E */
	st0 = _mm_alignr_epi8(tmp, st1, 8);              /* F E B A = ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);           /* H G D C = CDGH */
	for (; n; n--, p += 64) {
		save0 = st0;
		save1 = st1;
		for (j = 0; j < 16; j++) {
			if (j < 4) {
				x[j] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(p + 16 * j)), bswap);
			} else {
				tmp = _mm_sha256msg1_epu32(x[j & 3], x[(j - 3) & 3]);
				tmp = _mm_add_epi32(tmp, _mm_alignr_epi8(x[(j - 1) & 3],
									 x[(j - 2) & 3], 4));
				x[j & 3] = _mm_sha256msg2_epu32(tmp, x[(j - 1) & 3]);
			}
			msg = _mm_add_epi32(x[j & 3],
					    _mm_loadu_si128((const __m128i *)&K[4 * j]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			msg = _mm_shuffle_epi32(msg, 0x0E);
			st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);              /* F E B A -> A B E F */
	st1 = _mm_shuffle_epi32(st1, 0xB1);              /* D C H G */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);           /* A B C D */
	st1 = _mm_alignr_epi8(st1, tmp, 8);              /* E F G H */
	_mm_storeu_si128((__m128i *)&hs[0], st0);
	_mm_storeu_si128((__m128i *)&hs[4], st1);
}

/* 0 portable, 1 SHA-NI; decided once, on first use, by detect() under
 * pthread_once, so threads hashing at the same time agree without a race. */
static int accel;
static pthread_once_t accel_once = PTHREAD_ONCE_INIT;

static int
cpu_has_shani(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0; /* CPUID.(EAX=7,ECX=0):EBX.SHA */
}

static void
detect(void)
{
	accel = cpu_has_shani();
}
#endif

/* Hash n whole blocks at p into the state. */
static void
blocks(uint32_t *hs, const unsigned char *p, size_t n)
{
#ifdef SHA256_X86
	pthread_once(&accel_once, detect);
	if (accel) {
		blocks_shani(hs, p, n);
		return;
	}
#endif
	for (; n; n--, p += 64)
		block_portable(hs, p);
}

int
sha256_accelerated(int enable)
{
#ifdef SHA256_X86
	int was;

	pthread_once(&accel_once, detect);
	was = accel;
	if (enable >= 0)
		accel = enable && cpu_has_shani();
	return was;
#else
	(void)enable;
	return 0;
#endif
}

void
sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->nbuf = 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->len += n;
	if (s->nbuf) {
		size_t take = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 64) {
		blocks(s->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
sha256_final(struct sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80;
	unsigned char zero = 0;
	unsigned char lenbuf[8];
	int i;

	sha256_update(s, &pad, 1);
	while (s->nbuf != 56)
		sha256_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		lenbuf[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(s, lenbuf, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

void
sha256_final_hex(struct sha256 *s, char out[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	int i;

	sha256_final(s, d);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void
sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final_hex(&s, out);
}
