/*
 * strbuf: growable, bounded string buffers (see strbuf.h).
 */
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	sb->max = max;
	sb->failed = 0;
}

void
strbuf_release(struct strbuf *sb)
{
	if (!sb)
		return;
	free(sb->buf);
	strbuf_init(sb, sb->max);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
	sb->failed = 0;
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int
strbuf_failed(const struct strbuf *sb)
{
	return sb->failed;
}

/* Make room for `extra` more bytes of text and the NUL. */
static int
grow(struct strbuf *sb, size_t extra)
{
	size_t max = sb->max ? sb->max : STRBUF_MAX, want, cap;
	char *nb;

	if (extra > max || sb->len > max - extra) {
		sb->failed = 1;
		return -1;
	}
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	cap = sb->alloc ? sb->alloc : 64;
	while (cap < want)
		cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
	if (cap > max + 1)
		cap = max + 1;
	if (!(nb = realloc(sb->buf, cap))) {
		sb->failed = 1;
		return -1;
	}
	sb->buf = nb;
	sb->alloc = cap;
	return 0;
}

int
strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	if (grow(sb, n))
		return -1;
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->failed = 1;
		return -1;
	}
	if (grow(sb, (size_t)n))
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void
strbuf_setlen(struct strbuf *sb, size_t n)
{
	if (n >= sb->len)
		return;
	sb->len = n;
	sb->buf[n] = '\0';
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s;

	if (!sb->buf && strbuf_add(sb, "", 0))
		return NULL;
	s = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, sb->max);
	return s;
}

const char *
strbuf_setf(struct strbuf *sb, const char *refused, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(sb);
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return strbuf_failed(sb) ? refused : strbuf_str(sb);
}
