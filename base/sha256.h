/*
 * sha256: FIPS 180-4 SHA-256, for file fingerprints, factor-set content
 * hashes, result hashes and the audit chain. Streaming: init, update any
 * number of times, final. No allocation.
 */
#ifndef CO2_SHA256_H
#define CO2_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t len;       /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Finish and write the 32-byte digest to `out`. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* Finish and write the digest as 64 lower-case hex digits plus NUL. */
void sha256_final_hex(struct sha256 *s, char out[SHA256_HEX_LEN + 1]);
/* One-shot hex digest of a buffer. */
void sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1]);

/* Whether the CPU's SHA instructions are used (x86-64 with SHA-NI, detected
 * at first use). enable 0 forces the portable code, 1 uses the instructions
 * where the CPU has them, -1 only asks. Returns the previous setting. Tests
 * use it to check that both paths give the same digests; changing the
 * setting while other threads hash is not safe. */
int sha256_accelerated(int enable);

#endif
