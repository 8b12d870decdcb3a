/*
 * text: string helpers (see text.h).
 */
#include "base/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

size_t
text_distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[65], i, j;

	if (n > 64 || m > 64)
		return 99;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t prev = row[0], cur;
		row[0] = i;
		for (j = 1; j <= m; j++) {
			unsigned char x = (unsigned char)a[i - 1], y = (unsigned char)b[j - 1];
			size_t cost = tolower(x) != tolower(y);
			cur = row[j];
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[m];
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* The code point of a valid sequence of `len` bytes. */
static unsigned
code_point(const unsigned char *s, size_t len)
{
	unsigned cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu
										: s[0] & 0x07u;
	size_t i;

	for (i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3Fu);
	return cp;
}

static int
unsafe_cp(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
	       cp == 0x061C;
}

size_t
text_unsafe_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;

	if (!n)
		return 0;
	if (!(len = utf8_len(u, n)))
		return 1;
	return unsafe_cp(code_point(u, len)) ? len : 0;
}

size_t
text_escape(const char *s, enum text_escape_mode mode, char *out, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, w = 0, cut = (size_t)-1, total = strlen(s);

	while (i < total) {
		size_t len = utf8_len(u + i, total - i);
		char esc[8];
		int k = 0;
		if (!len) {
			if (mode == TEXT_ESC_TERMINAL)
				k = snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			len = 1;
		} else {
			unsigned cp = code_point(u + i, len);
			if (unsafe_cp(cp) && (mode == TEXT_ESC_TERMINAL || cp >= 0x7F))
				k = cp < 0x80 && mode == TEXT_ESC_TERMINAL
					    ? snprintf(esc, sizeof esc, "\\x%02x", cp)
					    : snprintf(esc, sizeof esc, "\\u%04x", cp);
		}
		{
			const char *from = k > 0 ? esc : s + i;
			size_t m = k > 0 ? (size_t)k : len;
			if (cut == (size_t)-1 && w + m < n)
				memcpy(out + w, from, m);
			else if (cut == (size_t)-1)
				cut = w; /* whole characters only */
			w += m;
		}
		i += len;
	}
	if (n)
		out[cut != (size_t)-1 ? cut : w] = '\0';
	return w;
}
