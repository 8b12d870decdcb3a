/*
 * Fuzz target: organisation import into an in-memory ledger (validation,
 * tree checks and the all-or-nothing write).
 */
#include <stddef.h>
#include <stdint.h>

#include "org/org.h"
#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ledger *l;
	struct csv *csv;
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct org_tree *t;
	struct err e;

	if (!errs || ledger_open(&l, ":memory:", LEDGER_CREATE, &e)) {
		errlist_free(errs);
		return 0;
	}
	if (csv_open_mem(&csv, data, size, "fuzz.csv", NULL, &e) == 0) {
		org_import_csv(l, csv, &s, errs, &e);
		csv_close(csv);
		if (org_tree_load(l, &t, &e) == 0)
			org_tree_free(t);
	}
	ledger_close(l);
	errlist_free(errs);
	return 0;
}
