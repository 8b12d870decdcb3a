/*
 * db_pg: the PostgreSQL backend of db.h. This build has none: a
 * postgresql:// target is refused at open, and nothing else pretends to
 * work.
 */
#include "store/db_int.h"

#include <stdio.h>

int
db_pg_open(struct db **out, const char *url, int flags, char *msg, size_t n)
{
	*out = NULL;
	if (msg && n)
		snprintf(msg, n, "PostgreSQL support is not in this build");
	return DB_CANTOPEN;
}
