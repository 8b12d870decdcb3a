/*
 * Fuzz target: target-set parsing and validation (factors/targets.h), with
 * the located error messages, the canonical JSON and its hash; for an
 * accepted set every target's fields and the path arithmetic over its
 * milestones for every year from its base to 2100.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factors/targets.h"
#include "reports/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new();
	struct target_set *s = NULL;
	struct err e;
	size_t i, k, sink = 0;

	if (!errs)
		return 0;
	err_clear(&e);
	if (targets_parse((const char *)data, size, "fuzz.json", &s, errs, &e) == 0) {
		sink += strlen(targets_sha256(s)) + strlen(targets_canonical(s));
		for (i = 0; i < targets_count(s); i++) {
			const struct target *t = targets_at(s, i);
			int years[32];
			int64_t values[32];
			size_t n = t->nmilestones < 32 ? t->nmilestones : 32;
			int y;
			sink += strlen(t->id) + strlen(t->title) + strlen(t->citation);
			for (k = 0; k < n; k++) {
				years[k] = t->milestones[k].year;
				values[k] = t->milestones[k].has_value
						    ? t->milestones[k].value
						    : report_goal_of_base(t->base_value,
									  t->milestones[k].reduction_pct);
			}
			for (y = t->base_year; y <= 2100; y++) {
				int64_t p = report_goal_path(t->base_year, t->base_value, years,
							     values, n, y);
				sink += (size_t)(p & 1);
				if (n)
					sink += (size_t)(report_goal_required(p, values[n - 1], y,
									      years[n - 1]) & 1);
			}
		}
		targets_free(s);
	}
	/* once more stopping at the first error */
	if (targets_parse((const char *)data, size, "fuzz.json", &s, NULL, &e) == 0)
		targets_free(s);
	errlist_free(errs);
	return (int)(sink & 0);
}
