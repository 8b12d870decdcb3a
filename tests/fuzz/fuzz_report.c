/*
 * Fuzz target for reading a published JSON report back (verify): the shape
 * checks, the provenance accessors, the results hash over the file's own
 * numbers, and the figure-by-figure comparison against a model of a small
 * run built once on an in-memory ledger. A report comes from outside (an
 * auditor receives it), so no input may crash, hang or grow memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/ledger.h"
#include "factors/factors.h"
#include "reports/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ledger *ledger;
static struct report_model *model;

static const char FIXTURE[] =
	"INSERT INTO org_unit(id, code, name, kind, parent_id) VALUES"
	" (1, 'ST', 'State', 'state', NULL), (2, 'A', 'Alpha', 'district', 1),"
	" (3, 'A-1', 'Alpha school', 'site', 2), (4, 'DEP', 'Dept', 'department', 1);"
	"INSERT INTO org_stat(org_id, year, population, employees, floor_area_m2)"
	" VALUES (2, 2024, 1000, 10, 500);"
	"INSERT INTO run(id, year, gwp, region, fallback, factor_sets, batches,"
	" inputs_sha256, results_sha256, rows_used, rows_excluded, rows_extrapolated,"
	" created_at) VALUES (1, 2024, 'AR5', 'DE-BE', 'strict',"
	" '[{\"name\":\"s\",\"version\":\"1\",\"sha256\":\"00\"}]',"
	" '[{\"id\":1,\"kind\":\"energy\",\"file\":\"e.csv\",\"sha256\":\"11\",\"rows\":2}]',"
	" 'in', 'res', 2, 0, 0, 'now');"
	"INSERT INTO run_total(run_id, org_id, sector, carrier, quality, extrapolated,"
	" rows, scope1_mg, scope2_location_mg, scope2_market_mg, scope3_mg,"
	" upstream_mg, biogenic_co2_mg, market_fallback_mg) VALUES"
	" (1, 3, 'buildings.electricity', 'electricity', 0, 0, 1, 0, 1000000, 0, 5, 5, 0, 0),"
	" (1, 4, 'fleet', 'diesel', 2, 0, 1, 700, 0, 0, 0, 0, 0, 0);";

static void
on_diff(void *ctx, const char *path, const char *a, const char *b)
{
	size_t *sink = ctx;

	*sink += strlen(path) + strlen(a) + strlen(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_file *f;
	struct err e;
	size_t i, sink = 0;
	long differ;

	if (!ledger) {
		if (ledger_open(&ledger, ":memory:", LEDGER_CREATE, &e) ||
		    ledger_exec(ledger, FIXTURE, &e) ||
		    report_build(ledger, 1, 0, NULL, &model, &e))
			return 0;
	}
	if (report_file_load_mem((const char *)data, size, "fuzz.json", &f, &e) == 0) {
		const struct report_file_info *in = report_file_info(f);
		for (i = 0; i < in->nsets; i++) {
			const char *n, *v, *h;
			report_file_set(f, i, &n, &v, &h);
			sink += strlen(n) + strlen(v) + strlen(h);
		}
		for (i = 0; i < in->nbatches; i++) {
			const char *n, *h, *k;
			report_file_batch(f, i, &n, &h, &k);
			sink += strlen(n) + strlen(h) + (k ? strlen(k) : 0);
		}
		sink += strlen(in->actual_sha256) + strlen(in->factor_spec);
		for (i = 0; i < in->nsets; i++)
			sink += strlen(in->factors[i].name) + strlen(in->factors[i].version);
		sink += (size_t)report_file_compare(f, model, on_diff, &sink, &differ);
		report_file_free(f);
	}
	return (int)(sink & 0);
}
