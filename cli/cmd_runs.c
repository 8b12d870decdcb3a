/*
 * runs: `runs list` shows the stored calculation runs (what, who, when,
 * published or not); `runs publish RUN --label TEXT` marks a run published
 * (frozen, audited). See docs/report-format.md.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/correct.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger runs list [--json]\n"
	"       co2ledger runs publish RUN --label TEXT [--json]\n"
	"       co2ledger runs diff A B\n"
	"list: every stored run with its year, parameters, rows, who calculated it\n"
	"(the OS user in its audit entry), when, and its publication.\n"
	"publish: mark a stored run published with a label; a published run is\n"
	"frozen (it cannot be published again), and report, compare and verify\n"
	"say when its input files were superseded or corrected since. Audited.\n"
	"diff: the input files and rows that differ between runs A and B, and\n"
	"every figure that differs (calculated in memory, nothing is stored).\n";

static int
list_one(void *ctx, const struct report_run_entry *r, struct err *e)
{
	json_t *arr = ctx;

	(void)e;
	if (arr) {
		json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?}",
				      "id", (json_int_t)r->id, "year", r->year, "gwp", r->gwp,
				      "region", r->region, "fallback", r->fallback,
				      "rows_used", (json_int_t)r->rows_used, "created_at",
				      r->created_at, "user", r->user, "results_sha256",
				      r->results_sha256);
		json_object_set_new(o, "factor_sets", json_loads(r->factor_sets ? r->factor_sets
									: "[]", 0, NULL));
		json_object_set_new(o, "batches", json_loads(r->batches ? r->batches : "[]",
							     0, NULL));
		json_object_set_new(o, "published", r->label
			? json_pack("{s:s, s:s?}", "label", r->label, "at", r->published_at)
			: json_null());
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%5lld  %4d  %-4s  %-8s  %9ld  %-20s  %-10s  %s\n", (long long)r->id,
	       r->year, r->gwp ? r->gwp : "", r->fallback ? r->fallback : "",
	       r->rows_used, r->created_at ? r->created_at : "",
	       r->user ? r->user : "-", r->label ? r->label : "");
	return 0;
}

static void
figure_line(void *ctx, const char *path, const char *a, const char *b)
{
	char *ea, *eb, delta[64] = "";
	double x = strtod(a, &ea), y = strtod(b, &eb);

	(void)ctx;
	if (*a && *b && !*ea && !*eb)
		snprintf(delta, sizeof delta, " (%+.3f)", y - x);
	printf("  %s: %s -> %s%s\n", path, a, b, delta);
}

static int
row_line(void *ctx, long line, const char *field, const char *a, const char *b,
	 struct err *e)
{
	(void)e;
	if (!field)
		printf("  %s:%ld: %s %s\n", (const char *)ctx, line,
		       a ? "only in A:" : "only in B:", a ? a : b);
	else
		printf("  %s:%ld: %s %s -> %s\n", (const char *)ctx, line, field, a, b);
	return 0;
}

/* The model of a stored run with its previous year (calculated in memory
 * when needed). */
static int
model(struct ledger *l, int64_t id, struct report_model **m, struct err *e)
{
	struct report_model *t = NULL;
	char why[600];
	int64_t prev = 0;

	*m = NULL;
	if (report_build(l, id, 0, NULL, &t, e) ||
	    report_previous_run(l, t, &prev, why, sizeof why, e)) {
		report_free(t);
		return -1;
	}
	report_free(t);
	return report_build(l, id, prev, NULL, m, e);
}

static int
runs_diff(struct ledger *l, int64_t a, int64_t b, struct err *e)
{
	struct report_model *ma = NULL, *mb = NULL;
	json_t *ba = NULL, *bb = NULL, *x, *y;
	size_t i, j;
	long n = 0, rows;
	int rc = -1;

	if (model(l, a, &ma, e) || model(l, b, &mb, e))
		goto out;
	ba = json_loads(report_run_info(ma)->batches, 0, NULL);
	bb = json_loads(report_run_info(mb)->batches, 0, NULL);
	printf("run %lld -> run %lld\ninput files:\n", (long long)a, (long long)b);
	json_array_foreach(ba, i, x) {
		const char *sha = json_string_value(json_object_get(x, "sha256"));
		const char *file = json_string_value(json_object_get(x, "file"));
		const char *kind = json_string_value(json_object_get(x, "kind"));
		json_t *same = NULL, *name = NULL;
		json_array_foreach(bb, j, y) {
			const char *s2 = json_string_value(json_object_get(y, "sha256"));
			const char *f2 = json_string_value(json_object_get(y, "file"));
			const char *k2 = json_string_value(json_object_get(y, "kind"));
			if (sha && s2 && strcmp(sha, s2) == 0)
				same = y;
			else if (file && f2 && kind && k2 && !strcmp(file, f2) && !strcmp(kind, k2))
				name = y;
		}
		if (same)
			continue;
		n++;
		if (!name) {
			printf("  only in run %lld: batch %lld (%s)\n", (long long)a,
			       (long long)json_integer_value(json_object_get(x, "id")), file);
			continue;
		}
		printf("  %s: batch %lld -> batch %lld, rows that differ:\n", file,
		       (long long)json_integer_value(json_object_get(x, "id")),
		       (long long)json_integer_value(json_object_get(name, "id")));
		if (correct_diff(l, json_integer_value(json_object_get(x, "id")),
				 json_integer_value(json_object_get(name, "id")), row_line,
				 (void *)file, &rows, e))
			goto out;
	}
	json_array_foreach(bb, j, y) {
		const char *s2 = json_string_value(json_object_get(y, "sha256"));
		const char *f2 = json_string_value(json_object_get(y, "file"));
		int found = 0;
		json_array_foreach(ba, i, x) {
			const char *sha = json_string_value(json_object_get(x, "sha256"));
			const char *file = json_string_value(json_object_get(x, "file"));
			if ((sha && s2 && !strcmp(sha, s2)) || (file && f2 && !strcmp(file, f2)))
				found = 1;
		}
		if (!found) {
			n++;
			printf("  only in run %lld: batch %lld (%s)\n", (long long)b,
			       (long long)json_integer_value(json_object_get(y, "id")), f2);
		}
	}
	if (!n)
		printf("  the same\n");
	printf("figures:\n");
	report_model_compare(ma, mb, figure_line, NULL, &n);
	if (!n)
		printf("  the same\n");
	rc = 0;
out:
	json_decref(ba);
	json_decref(bb);
	report_free(ma);
	report_free(mb);
	return rc;
}

int
cmd_runs(struct cli *c, int argc, char **argv)
{
	const char *args[3] = {NULL, NULL, NULL}, *label = NULL, *v;
	struct ledger *l;
	struct err e;
	int i, k = 0, status, r;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if ((r = cli_common(c, argc, argv, &i, 1)) == 0 &&
		    (r = cli_opt(argc, argv, &i, "--label", &v)) > 0) {
			label = v;
			continue;
		}
		if (r < 0)
			return cli_usage_error(usage, "option '%s' needs a value", argv[i]);
		if (r > 0)
			continue;
		if (argv[i][0] == '-' || k == 3)
			return cli_usage_error(usage, argv[i][0] == '-' ? "unknown option '%s'"
							: "unexpected argument '%s'", argv[i]);
		args[k++] = argv[i];
	}
	if (!args[0] || (strcmp(args[0], "list") && strcmp(args[0], "publish") &&
			 strcmp(args[0], "diff")))
		return cli_usage_error(usage, "runs needs list, publish or diff");
	err_clear(&e);
	if (strcmp(args[0], "diff") == 0) {
		char *end1, *end2;
		long long a = args[1] ? strtoll(args[1], &end1, 10) : 0;
		long long b = args[2] ? strtoll(args[2], &end2, 10) : 0;
		if (!args[1] || !args[2] || *end1 || *end2 || a <= 0 || b <= 0)
			return cli_usage_error(usage, "runs diff needs two run ids");
		if (cli_open(c, &l, LEDGER_SCRATCH, &status))
			return status;
		status = runs_diff(l, a, b, &e) ? cli_fail(&e) : EXIT_OK;
		ledger_close(l);
		return status;
	}
	if (args[2])
		return cli_usage_error(usage, "unexpected argument '%s'", args[2]);
	if (strcmp(args[0], "list") == 0) {
		json_t *arr = c->json ? json_array() : NULL;
		if (args[1])
			return cli_usage_error(usage, "unexpected argument '%s'", args[1]);
		if (cli_open(c, &l, LEDGER_READONLY, &status))
			return status;
		if (!arr)
			printf("%5s  %4s  %-4s  %-8s  %9s  %-20s  %-10s  %s\n", "run", "year",
			       "gwp", "fallback", "rows", "created", "user", "published");
		if (report_runs_each(l, list_one, arr, &e)) {
			status = cli_fail(&e);
		} else {
			if (arr)
				cli_print_json(arr);
			status = EXIT_OK;
		}
		json_decref(arr);
	} else {
		char *end;
		long long id = args[1] ? strtoll(args[1], &end, 10) : 0;
		if (!args[1] || *end || id <= 0)
			return cli_usage_error(usage, "runs publish needs a run id");
		if (!label || !*label)
			return cli_usage_error(usage, "runs publish needs --label TEXT");
		if (cli_open(c, &l, 0, &status))
			return status;
		if (report_run_publish(l, id, label, &e)) {
			status = cli_fail(&e);
		} else {
			if (c->json) {
				json_t *o = json_pack("{s:I, s:s}", "run", (json_int_t)id,
						      "label", label);
				cli_print_json(o);
				json_decref(o);
			} else {
				printf("run %lld published as '%s' (frozen)\n", id, label);
			}
			status = EXIT_OK;
		}
	}
	ledger_close(l);
	return status;
}
