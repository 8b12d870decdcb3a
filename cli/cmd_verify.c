/*
 * verify: `verify REPORT.json` re-runs a published report's calculation in
 * the ledger at hand and compares every number (SPEC §7). The ledger is
 * opened read-only and the run is calculated in memory (LEDGER_SCRATCH), so
 * a read-only copy verifies and nothing is stored. Before that it checks
 * the file's structure (reports/json.c), the ledger's integrity as `audit
 * check` does (engine/integrity.h), and that the ledger's audit log still
 * holds the head the report was published with. It finds the
 * report's batches by SHA-256 and its factor sets by name@version and
 * SHA-256 (the ledger may be an auditor's own, filled from the same files
 * in any order), calculates a run restricted to exactly those batches with
 * the report's GWP, region and fallback, rebuilds the balance, compares it
 * figure by figure, checks that the file's own numbers still match its
 * results_sha256, and checks the audit-log chain. Exit 0 when everything
 * matches, 1 listing every difference or missing input.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/audit.h"
#include "engine/calc.h"
#include "engine/integrity.h"
#include "org/org.h"
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

static void
on_integrity(void *ctx, int problem, const char *text)
{
	struct findings *f = ctx;
	char buf[1100];

	snprintf(buf, sizeof buf, "%s%s", problem ? "ledger altered: " : "note: ", text);
	on_note(ctx, buf);
	(void)f;
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

/* The audit head the report was published with must still be in the log:
 * a shorter log or another entry at that place means entries were deleted
 * or rewritten. A ledger whose first entry differs is another ledger (an
 * auditor's own): then the head cannot be checked, which is said. */
static int
check_head(struct ledger *l, const struct report_file_info *in,
	   struct findings *fd, int *bad, struct err *e)
{
	char head[65], first[65], text[700];
	long entries;
	int found;

	*bad = 0;
	if (!in->audit_head) {
		on_note(fd, "note: the report records no audit head (written by an "
			"older co2ledger): deleted audit entries cannot be detected");
		return 0;
	}
	if (audit_head(l, &entries, head, first, e))
		return -1;
	if (strcmp(first, in->audit_first) != 0) {
		snprintf(text, sizeof text, "note: this is another ledger than the "
			 "one the report was published from (its audit log starts "
			 "with another entry), so the report's audit head (%ld "
			 "entries) is not checked here", in->audit_entries);
		on_note(fd, text);
		return 0;
	}
	if (entries < in->audit_entries) {
		snprintf(text, sizeof text, "audit log too short: the report was "
			 "published with %ld audit entries, this ledger has %ld: "
			 "entries were deleted", in->audit_entries, entries);
		on_note(fd, text);
		*bad = 1;
		return 0;
	}
	if (audit_has(l, in->audit_entries, in->audit_head, &found, e))
		return -1;
	if (found != 1) {
		snprintf(text, sizeof text, "audit log rewritten: entry %ld is not the "
			 "head the report was published with", in->audit_entries);
		on_note(fd, text);
		*bad = 1;
	}
	return 0;
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	struct report_file *rf = NULL;
	struct report_model *m = NULL;
	struct ledger *l = NULL;
	struct findings fd = {json_array(), json_array(), c->json, 0};
	struct integrity_result ir;
	const struct report_file_info *in;
	int64_t *ids = NULL, prev = 0;
	size_t nids = 0;
	long missing = 0, matched = 0, differ = 0, audit_entries = 0;
	int status = EXIT_DATA, i, altered = 0, audit_ok = 0, head_bad = 0, org_bad = 0;
	int outdated = 0;
	char why[600], text[1024];
	struct err e;

	err_clear(&e);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		status = EXIT_OK;
		goto out;
	}
	for (i = 1; i < argc; i++) {
		int r = cli_common(c, argc, argv, &i, 1);
		if (r < 0) {
			status = cli_usage_error(usage, "option '%s' needs a value", argv[i]);
			goto out;
		}
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error(usage, "unknown option '%s'", argv[i]);
			goto out;
		}
		if (path) {
			status = cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
			goto out;
		}
		path = argv[i];
	}
	fd.json = c->json;
	if (!path) {
		status = cli_usage_error(usage, "verify needs a REPORT.json");
		goto out;
	}
	if (report_file_load(path, &rf, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	in = report_file_info(rf);
	fd.year = in->year;
	if (cli_open(c, &l, LEDGER_SCRATCH, &status))
		goto out;

	/* 1. the file's own numbers against its results_sha256 */
	if (!in->results_sha256 || strcmp(in->results_sha256, in->actual_sha256) != 0) {
		altered = 1;
		snprintf(text, sizeof text, "the report file was altered: its numbers "
			 "hash to %s, its provenance says results_sha256 %s",
			 in->actual_sha256, in->results_sha256 ? in->results_sha256 : "(none)");
		on_note(&fd, text);
	}
	/* 2. the ledger: row hashes, audit chain, audit entries both ways, the
	 * head the report was published with, the tree and statistics */
	if (integrity_check(l, on_integrity, &fd, &ir, &e) ||
	    check_head(l, in, &fd, &head_bad, &e))
		goto fail;
	audit_ok = ir.problems == 0 && !head_bad;
	audit_entries = ir.entries;
	if (in->org_sha256) {
		char org[65];
		if (org_sha256(l, in->year, org, &e))
			goto fail;
		if (strcmp(org, in->org_sha256) != 0) {
			org_bad = 1;
			snprintf(text, sizeof text, "organisation differs: the tree and "
				 "the statistics for %d hash to %s here, org_sha256 %s in "
				 "the report", in->year, org, in->org_sha256);
			on_note(&fd, text);
		}
	}
	/* 3. the inputs */
	if (report_file_resolve(l, rf, &ids, &nids, on_note, &fd, &missing, &e))
		goto fail;
	/* 4. re-run (in memory) and compare */
	if (!missing) {
		struct calc_params p = {0};
		struct calc_summary sum;
		struct errlist *errs = errlist_new();
		p.year = in->year;
		p.factors = in->factor_spec;
		p.gwp = in->gwp;
		p.region = in->region;
		p.fallback_previous = calc_fallback_parse(in->fallback) > 0 ? calc_fallback_parse(in->fallback) : 0;
		p.batches = ids;
		p.nbatches = nids;
		if (!errs || calc_run(l, &p, &sum, errs, &e)) {
			if (errs)
				cli_print_errlist(errs);
			errlist_free(errs);
			goto fail;
		}
		errlist_free(errs);
		if (report_build(l, sum.run_id, 0, NULL, &m, &e) ||
		    report_previous_run(l, m, &prev, why, sizeof why, &e))
			goto fail;
		report_free(m);
		m = NULL;
		if (report_build(l, sum.run_id, prev, in->org, &m, &e) ||
		    report_disclose(l, m, &e))
			goto fail;
		matched = report_file_compare(rf, m, on_diff, &fd, &differ);
		/* the report is right for its inputs; say when they changed since */
		if (cli_outdated(l, m, "the report", on_note, &fd, &outdated, &e))
			goto fail;
	}

	if (c->json) {
		json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:b, s:b, s:I, s:b, s:b, s:o, s:o}",
				      "report", path,
				      "ok", !altered && !missing && !differ && audit_ok &&
					    !org_bad,
				      "matched", (json_int_t)matched,
				      "differences", (json_int_t)differ, "altered", altered,
				      "audit_intact", audit_ok,
				      "audit_entries", (json_int_t)audit_entries,
				      "organisation_matches", !org_bad, "outdated", outdated,
				      "difference_list", json_incref(fd.diffs),
				      "problems", json_incref(fd.notes));
		cli_print_json(o);
		json_decref(o);
	}
	if (!altered && !missing && !differ && audit_ok && !org_bad) {
		if (!c->json)
			printf("%s: verified: %ld numbers match (recomputed in memory "
			       "from %zu batch%s, %ld rows matching their row hashes, and "
			       "%zu factor set%s); audit log intact (%ld entries)\n", path,
			       matched, nids, nids == 1 ? "" : "es", ir.rows, in->nsets,
			       in->nsets == 1 ? "" : "s", audit_entries);
		status = EXIT_OK;
		goto out;
	}
	if (!c->json && !missing)
		printf("%ld numbers match, %ld differ\n", matched, differ);
	err_set(&e, ERR_DATA, path, 0, 0, "verification failed: %s%s%s%s%s%s",
		altered ? "the file was altered; " : "",
		missing ? "inputs are missing or differ; " : "",
		differ ? "numbers differ; " : "",
		ir.problems ? "the ledger was altered; " : "",
		head_bad ? "the audit log lost entries since publication; " : "",
		org_bad ? "the organisation or its statistics changed; " : "");
	/* drop the trailing "; " */
	e.text[strlen(e.text) - 2] = '\0';
fail:
	/* what the report asks for is data here, not the command line */
	if (e.kind == ERR_USAGE)
		e.kind = ERR_DATA;
	if (!e.file[0] && path)
		snprintf(e.file, sizeof e.file, "%s", path);
	status = cli_fail(&e);
out:
	json_decref(fd.diffs);
	json_decref(fd.notes);
	free(ids);
	report_free(m);
	report_file_free(rf);
	ledger_close(l);
	return status;
}
