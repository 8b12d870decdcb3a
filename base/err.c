/*
 * err: error records and bounded error lists (see err.h).
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
err_clear(struct err *e)
{
	e->kind = ERR_NONE;
	e->file[0] = '\0';
	e->line = 0;
	e->column = 0;
	e->text[0] = '\0';
}

static void
err_vset(struct err *e, enum err_kind kind, const char *file, long line,
	 long column, const char *fmt, va_list ap)
{
	size_t n = file ? strlen(file) : 0;
	int w;

	e->kind = kind;
	if (n < sizeof e->file) {
		memcpy(e->file, file ? file : "", n + 1);
	} else {
		/* keep the end: the file name is what the reader needs */
		size_t keep = sizeof e->file - 4;
		memcpy(e->file, "...", 3);
		memcpy(e->file + 3, file + n - keep, keep + 1);
	}
	e->line = line;
	e->column = column;
	w = vsnprintf(e->text, sizeof e->text, fmt, ap);
	if (w >= (int)sizeof e->text)
		memcpy(e->text + sizeof e->text - 4, "...", 4);
}

int
err_set(struct err *e, enum err_kind kind, const char *file, long line,
	long column, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	err_vset(e, kind, file, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_setf(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	err_vset(e, kind, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

char *
err_format_as(const struct err *e, const char *what, char *buf, size_t n)
{
	if (e->file[0] && e->line > 0 && e->column > 0)
		snprintf(buf, n, "%s:%ld:%ld: %s: %s", e->file, e->line, e->column, what,
			 e->text);
	else if (e->file[0] && e->line > 0)
		snprintf(buf, n, "%s:%ld: %s: %s", e->file, e->line, what, e->text);
	else if (e->file[0])
		snprintf(buf, n, "%s: %s: %s", e->file, what, e->text);
	else
		snprintf(buf, n, "%s: %s", what, e->text);
	return buf;
}

char *
err_format(const struct err *e, char *buf, size_t n)
{
	return err_format_as(e, "error", buf, n);
}

struct errlist *
errlist_new(void)
{
	return calloc(1, sizeof(struct errlist));
}

void
errlist_free(struct errlist *l)
{
	free(l);
}

void
errlist_add(struct errlist *l, const struct err *e)
{
	if (l->n < ERRLIST_KEEP)
		l->items[l->n++] = *e;
	l->total++;
}

void
errlist_addf(struct errlist *l, enum err_kind kind, const char *file, long line,
	     long column, const char *fmt, ...)
{
	va_list ap;

	if (l->n < ERRLIST_KEEP) {
		va_start(ap, fmt);
		err_vset(&l->items[l->n], kind, file, line, column, fmt, ap);
		va_end(ap);
		l->n++;
	}
	l->total++;
}

void
errlist_sort(struct errlist *l)
{
	size_t i, j;

	for (i = 1; i < l->n; i++) { /* insertion sort: stable, n <= 100 */
		struct err t = l->items[i];
		for (j = i; j > 0 && (l->items[j - 1].line > t.line ||
				      (l->items[j - 1].line == t.line &&
				       l->items[j - 1].column > t.column));
		     j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = t;
	}
}
