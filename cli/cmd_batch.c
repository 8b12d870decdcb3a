/*
 * batch: `batch list`, `batch show ID` and `batch remove ID` over the import
 * batches (importers/import.h). Removal marks a batch superseded; its rows
 * stay in the ledger for audit but no longer take part in calculations.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/date.h"
#include "base/num.h"
#include "importers/import.h"

static const char usage[] =
	"usage: co2ledger batch list [--json]\n"
	"       co2ledger batch show ID [--json]\n"
	"       co2ledger batch remove ID [--json]\n"
	"List the import batches, show one with its rows (source line, org,\n"
	"activity key, period, quantity, unit, ...), or remove one: removal marks\n"
	"it superseded, so its rows no longer count; nothing is deleted.\n";

static json_t *
batch_json(const struct import_batch *b)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:o, s:s?, "
			 "s:b, s:I}",
			 "id", (json_int_t)b->id, "kind", b->kind, "file", b->file,
			 "sha256", b->sha256, "profile", b->profile,
			 "rows_total", (json_int_t)b->rows_total,
			 "rows_loaded", (json_int_t)b->rows_loaded,
			 "rows_rejected", (json_int_t)b->rows_rejected,
			 "imported_at", b->imported_at, "status", b->status,
			 "superseded_by", b->superseded_by ? json_integer(b->superseded_by)
							  : json_null(),
			 "superseded_at", b->superseded_at[0] ? b->superseded_at : NULL,
			 "allow_overlap", b->allow_overlap,
			 "overlap_rows", (json_int_t)b->overlap_rows);
}

static int
list_one(void *ctx, const struct import_batch *b)
{
	json_t *arr = ctx;

	if (arr) {
		json_array_append_new(arr, batch_json(b));
		return 0;
	}
	printf("%5lld  %-11s  %-10s  %8ld  %8ld  %s  %s", (long long)b->id, b->kind,
	       b->status, b->rows_loaded, b->rows_rejected, b->imported_at,
	       cli_esc(b->file));
	if (b->allow_overlap)
		printf("  (--allow-overlap: %ld overlapping row%s)", b->overlap_rows,
		       b->overlap_rows == 1 ? "" : "s");
	putchar('\n');
	return 0;
}

/* An exact decimal without trailing zeros. */
static void
decimal(int64_t v, int scale, char *buf, size_t n)
{
	size_t len;

	num_format(v, scale, scale, buf, n);
	len = strlen(buf);
	while (len && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '.')
		buf[--len] = '\0';
}

struct show {
	int json;
	long n;
};

static int
show_row(void *ctx, const struct import_row *r)
{
	struct show *s = ctx;
	char a[11], b[11], q[32], sf[32];

	date_format(r->day_start, a);
	date_format(r->day_end, b);
	decimal(r->quantity, 6, q, sizeof q);
	if (r->has_supplier_factor)
		decimal(r->supplier_factor, 9, sf, sizeof sf);
	if (s->json) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, "
				      "s:s?, s:s?, s:s?, s:s?}",
				      "line", (json_int_t)r->line, "org", r->org,
				      "activity", r->key, "start", a, "end", b,
				      "quantity", q, "unit", r->unit,
				      "quality", import_quality_name(r->quality),
				      "tariff", r->tariff,
				      "supplier_factor", r->has_supplier_factor ? sf : NULL,
				      "ident", r->ident, "site", r->site,
				      "supplier", r->supplier, "description", r->description);
		char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s    %s", s->n ? ",\n" : "", t ? t : "null");
		free(t);
		json_decref(o);
	} else {
		printf("%6ld  %-16s  %-28s  %s  %s  %14s %-6s  %-10s", r->line,
		       cli_esc(r->org), cli_esc(r->key), a, b, q, cli_esc(r->unit),
		       import_quality_name(r->quality));
		if (r->ident)
			printf("  %s", cli_esc(r->ident));
		if (r->tariff)
			printf("  tariff=%s", cli_esc(r->tariff));
		if (r->has_supplier_factor)
			printf("  supplier_factor=%s", sf);
		if (r->supplier)
			printf("  %s", cli_esc(r->supplier));
		if (r->description)
			printf("  \"%s\"", cli_esc(r->description));
		putchar('\n');
	}
	s->n++;
	return 0;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

int
cmd_batch(struct cli *c, int argc, char **argv)
{
	const char *sub = NULL, *arg = NULL;
	struct ledger *l;
	struct import_batch b;
	struct err e;
	int64_t id = 0;
	int i, r, status;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if ((r = cli_common(c, argc, argv, &i, 1)) != 0) {
			if (r < 0)
				return cli_usage_error(usage, "option '%s' needs a value", argv[i]);
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(usage, "unknown option '%s'", argv[i]);
		if (!sub)
			sub = argv[i];
		else if (!arg)
			arg = argv[i];
		else
			return cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!sub)
		return cli_usage_error(usage, "batch needs 'list', 'show ID' or 'remove ID'");
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "remove"))
		return cli_usage_error(usage, "unknown batch command '%s' (list, show or remove)",
				       sub);
	if (strcmp(sub, "list") == 0) {
		if (arg)
			return cli_usage_error(usage, "unexpected argument '%s'", arg);
	} else if (!arg) {
		return cli_usage_error(usage, "batch %s needs a batch ID", sub);
	} else if (parse_id(arg, &id)) {
		return cli_usage_error(usage, "'%s' is not a batch id", arg);
	}
	if (cli_open(c, &l, 0, &status))
		return status;
	err_clear(&e);
	status = EXIT_OK;
	if (strcmp(sub, "list") == 0) {
		json_t *arr = c->json ? json_array() : NULL;
		if (!c->json)
			printf("%5s  %-11s  %-10s  %8s  %8s  %-20s  %s\n", "id", "kind",
			       "status", "rows", "rejected", "imported", "file");
		if (import_batch_each(l, list_one, arr, &e))
			status = cli_fail(&e);
		else if (arr) {
			json_t *o = json_pack("{s:O}", "batches", arr);
			cli_print_json(o);
			json_decref(o);
		}
		json_decref(arr);
	} else if (strcmp(sub, "show") == 0) {
		struct show s = {c->json, 0};
		if (import_batch_get(l, id, &b, &e)) {
			status = cli_fail(&e);
		} else if (c->json) {
			json_t *o = batch_json(&b);
			char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
			printf("{\n  \"batch\": %s,\n  \"rows\": [\n", t ? t : "null");
			free(t);
			json_decref(o);
			if (import_batch_rows(l, id, show_row, &s, &e))
				status = cli_fail(&e);
			printf("%s  ]\n}\n", s.n ? "\n" : "");
		} else {
			printf("batch %lld: %s, %s, %ld rows loaded, %ld rejected of %ld\n"
			       "file %s (sha256 %s), profile %s, imported %s\n",
			       (long long)b.id, b.kind, b.status, b.rows_loaded,
			       b.rows_rejected, b.rows_total, cli_esc(b.file), b.sha256,
			       cli_esc(b.profile),
			       b.imported_at);
			if (b.allow_overlap)
				printf("imported with --allow-overlap: %ld row%s repeat%s or "
				       "overlap%s rows counted before\n", b.overlap_rows,
				       b.overlap_rows == 1 ? "" : "s", b.overlap_rows == 1 ? "s" : "",
				       b.overlap_rows == 1 ? "s" : "");
			if (b.superseded_at[0])
				printf("superseded %s%s%.0lld\n", b.superseded_at,
				       b.superseded_by ? " by batch " : "",
				       (long long)b.superseded_by);
			if (import_batch_rows(l, id, show_row, &s, &e))
				status = cli_fail(&e);
		}
	} else {
		if (import_batch_remove(l, id, &e)) {
			status = cli_fail(&e);
		} else if (c->json) {
			json_t *o = json_pack("{s:I, s:s}", "batch", (json_int_t)id,
					      "status", "superseded");
			cli_print_json(o);
			json_decref(o);
		} else {
			printf("batch %lld removed: superseded, its rows no longer count "
			       "(kept for audit)\n", (long long)id);
		}
	}
	ledger_close(l);
	return status;
}
