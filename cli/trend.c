/*
 * trend: what `report --years` and `compare --years` share: reading
 * "FROM-TO" and building the trend (reports/) with the years that cannot
 * be calculated printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/num.h"
#include "reports/report.h"

int
cli_years(const char *s, int *from, int *to)
{
	const char *dash = strchr(s, '-');
	int64_t a, b;

	if (!dash || num_parse(s, (size_t)(dash - s), '.', 0, 0, &a) != NUM_OK ||
	    num_parse(dash + 1, strlen(dash + 1), '.', 0, 0, &b) != NUM_OK ||
	    a < 1900 || b > 2100 || a > b || b - a > 60)
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

int
cli_trend(struct cli *c, struct ledger *l, const struct report_trend_params *p,
	  struct report_trend **out, struct err *e)
{
	struct errlist *missing = errlist_new();
	int rc;

	if (!missing)
		return err_setf(e, ERR_IO, "out of memory");
	rc = report_trend_build(l, p, out, missing, e);
	if (rc)
		cli_print_errlist(missing);
	else
		cli_note(c, "calculated %d to %d in memory with one method (not stored)",
			 p->from, p->to);
	errlist_free(missing);
	return rc;
}
