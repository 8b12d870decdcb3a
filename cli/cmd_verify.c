/*
 * verify: `verify REPORT.json` re-runs a published report's calculation in
 * the ledger at hand and compares every number (SPEC §7; the checks are
 * report_verify() in reports/verify.c). The ledger is opened read-only and
 * the run is calculated in memory (LEDGER_SCRATCH), so a read-only copy
 * verifies and nothing is stored. This file prints the findings and
 * chooses the exit status: 0 when everything matches, 1 listing every
 * difference or missing input.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

static const char usage[] =
	"usage: co2ledger verify REPORT.json [--json]\n"
	"Re-run a published JSON report and compare every number. The report's\n"
	"batches are found in this ledger by SHA-256 and its factor sets by\n"
	"name@version and SHA-256; a run restricted to exactly those batches is\n"
	"calculated with the report's GWP, region and fallback, and every figure\n"
	"(totals, units, sectors, carriers, per-capita values, previous year,\n"
	"rank, quality) is compared. Also checks that the file's numbers still\n"
	"match its results_sha256, the ledger's integrity as 'audit check' does\n"
	"(row hashes, audit chain, audit entries both ways), that the audit log\n"
	"still holds the head the report was published with, and the organisation\n"
	"tree and statistics (org_sha256). The ledger is opened read-only and the\n"
	"run is calculated in memory: nothing is stored, a read-only copy works.\n"
	"Exit status 0 when everything matches, 1 with a list of the differences\n"
	"or of what is missing. See docs/report-format.md.\n";

struct findings {
	json_t *diffs;   /* [{path, report, recomputed}] */
	json_t *notes;   /* missing inputs, alteration, audit */
	int json;
	int year;
};

static void
on_note(void *ctx, const char *text)
{
	struct findings *f = ctx;

	json_array_append_new(f->notes, json_string(text));
	if (!f->json)
		printf("%s\n", text);
}

/* "243977" -> "243,977"; other text as it is. */
static const char *
grouped(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s), i, k = 0, lead;

	if (len == 0 || len > 30 || strspn(s, "0123456789") != len || n < 2 * len) {
		snprintf(buf, n, "%s", s);
		return buf;
	}
	lead = len % 3 ? len % 3 : 3;
	for (i = 0; i < len; i++) {
		if (i >= lead && i && (i - lead) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = s[i];
	}
	buf[k] = '\0';
	return buf;
}

static void
on_diff(void *ctx, const char *path, const char *reported, const char *recomputed)
{
	static const char *const STAT[][2] = {{"population", "population"},
		{"employees", "employees"}, {"floor_area_m2", "floor area (m2)"}};
	struct findings *f = ctx;
	const char *dot = strrchr(path, '.');
	size_t k;

	json_array_append_new(f->diffs, json_pack("{s:s, s:s, s:s}", "path", path,
						  "report", reported,
						  "recomputed", recomputed));
	if (f->json)
		return;
	/* a changed statistic, named as such: units[CODE].population */
	for (k = 0; dot && strncmp(path, "units[", 6) == 0 && k < 3; k++)
		if (strcmp(dot + 1, STAT[k][0]) == 0) {
			char a[64], b[64];
			printf("differs: %s of %.*s %d: report %s, ledger %s\n", STAT[k][1],
			       (int)(dot - 1 - (path + 6)), path + 6, f->year,
			       grouped(reported, a, sizeof a), grouped(recomputed, b, sizeof b));
			return;
		}
	printf("differs: %s: report %s, recomputed %s\n", path, reported, recomputed);
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	struct report_file *rf = NULL;
	struct ledger *l = NULL;
	struct findings fd = {NULL, NULL, 0, 0};
	struct errlist *errs = NULL;
	const struct report_file_info *in;
	struct report_verify r;
	int status = EXIT_DATA, n;
	struct err e;

	err_clear(&e);
	if (cli_parse(c, argc, argv, NULL, &path, 1, &n, usage, &status))
		return status;
	if (!path)
		return cli_usage_error(usage, "verify needs a REPORT.json");
	fd.json = c->json;
	if (report_file_load(path, &rf, &e))
		return cli_fail(&e);
	in = report_file_info(rf);
	fd.year = in->year;
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		goto out;
	fd.diffs = json_array();
	fd.notes = json_array();
	if (!(errs = errlist_new()) ||
	    report_verify(l, rf, on_note, on_diff, &fd, errs, &r, &e)) {
		if (errs)
			cli_print_errlist(errs);
		goto fail;
	}
	if (c->json) {
		json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:b, s:b, s:I, s:b, s:b, s:O, s:O}",
				      "report", path, "ok", r.ok,
				      "matched", (json_int_t)r.matched,
				      "differences", (json_int_t)r.differences,
				      "altered", r.altered,
				      "audit_intact", !r.ledger_altered && !r.head_lost,
				      "audit_entries", (json_int_t)r.audit_entries,
				      "organisation_matches", !r.org_differs,
				      "outdated", r.outdated, "difference_list", fd.diffs,
				      "problems", fd.notes);
		cli_print_json(o);
		json_decref(o);
	}
	if (r.ok) {
		if (!c->json)
			printf("%s: verified: %ld numbers match (recomputed in memory "
			       "from %zu batch%s, %ld rows matching their row hashes, and "
			       "%zu factor set%s); audit log intact (%ld entries)\n", path,
			       r.matched, r.batches, r.batches == 1 ? "" : "es", r.rows,
			       in->nsets, in->nsets == 1 ? "" : "s", r.audit_entries);
		status = EXIT_OK;
		goto out;
	}
	if (!c->json && !r.missing)
		printf("%ld numbers match, %ld differ\n", r.matched, r.differences);
	err_set(&e, ERR_DATA, path, 0, 0, "verification failed: %s%s%s%s%s%s",
		r.altered ? "the file was altered; " : "",
		r.missing ? "inputs are missing or differ; " : "",
		r.differences ? "numbers differ; " : "",
		r.ledger_altered ? "the ledger was altered; " : "",
		r.head_lost ? "the audit log lost entries since publication; " : "",
		r.org_differs ? "the organisation or its statistics changed; " : "");
	/* drop the trailing "; " */
	e.text[strlen(e.text) - 2] = '\0';
fail:
	/* what the report asks for is data here, not the command line */
	if (e.kind == ERR_USAGE)
		e.kind = ERR_DATA;
	if (!e.file[0])
		snprintf(e.file, sizeof e.file, "%s", path);
	status = cli_fail(&e);
out:
	json_decref(fd.diffs);
	json_decref(fd.notes);
	errlist_free(errs);
	report_file_free(rf);
	ledger_close(l);
	return status;
}
