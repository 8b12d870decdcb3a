/*
 * strbuf: a growable string buffer, for paths, messages and text built in
 * pieces, so that nothing is cut to fit a fixed array.
 *
 * Rules (as for git's strbuf): a buffer starts as STRBUF_INIT (or after
 * strbuf_init), is always NUL-terminated and readable through sb->buf once
 * anything was added ("" before: use strbuf_str), and is released with
 * strbuf_release, which frees the memory and leaves an empty buffer ready
 * for reuse. strbuf_reset empties it and keeps the memory. strbuf_detach
 * hands the string to the caller, who frees it with free().
 *
 * Every buffer has a hard maximum (STRBUF_MAX unless strbuf_init sets
 * another), as curl's dynbuf, so hostile input cannot grow memory without
 * bound. An add that would pass the maximum or fails to allocate adds
 * nothing, returns -1 and marks the buffer failed: callers may add several
 * pieces and check strbuf_failed() once at the end.
 */
#ifndef CO2_STRBUF_H
#define CO2_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#define STRBUF_MAX ((size_t)64 * 1024 * 1024)

struct strbuf {
	char *buf;    /* the text, NUL-terminated; NULL until the first add */
	size_t len;   /* bytes of text, without the NUL */
	size_t alloc; /* bytes allocated */
	size_t max;   /* the most text it may hold; 0 means STRBUF_MAX */
	int failed;   /* an add was refused (too long or out of memory) */
};

#define STRBUF_INIT { NULL, 0, 0, 0, 0 }

/* An empty buffer holding at most `max` bytes of text (0: STRBUF_MAX). */
void strbuf_init(struct strbuf *sb, size_t max);
/* Free the memory; the buffer is empty and usable again. NULL is fine. */
void strbuf_release(struct strbuf *sb);
/* Empty the text, keep the memory, clear the failed mark. */
void strbuf_reset(struct strbuf *sb);
/* The text, "" when nothing was added. */
const char *strbuf_str(const struct strbuf *sb);
/* Take the text (caller frees; never NULL unless out of memory); the buffer
 * is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len /* OUT, may be NULL */);
/* 1 when an add was refused since the last init/reset/release. */
int strbuf_failed(const struct strbuf *sb);

/* Append; each returns 0, or -1 (nothing added, buffer marked failed). */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Cut the text to its first n bytes (n <= len). */
void strbuf_setlen(struct strbuf *sb, size_t n);

/* Empty the buffer and add the formatted text; returns the text, or, when
 * it was refused, `refused` (for messages: "(a path too long to show)"). */
const char *strbuf_setf(struct strbuf *sb, const char *refused, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
