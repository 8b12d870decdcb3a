/*
 * audit: `audit check` recomputes everything a ledger's integrity rests on
 * (engine/integrity.h) and `audit log` lists what happened, who did it and
 * when. Both only read the ledger.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/audit.h"
#include "engine/integrity.h"

static const char usage[] =
	"usage: co2ledger audit check [--json]\n"
	"       co2ledger audit log [--json]\n"
	"check: recompute the audit log's hash chain, every batch's rows_sha256\n"
	"over its stored rows (naming an edited row by batch, file:line and\n"
	"field), and that every batch, factor set, organisation import and run\n"
	"has its audit entry with the same fingerprints and every entry its\n"
	"object. Exit status 1 when anything was altered.\n"
	"log: every audit entry with its time, action, OS user and payload.\n"
	"Both open the ledger read-only. See docs/methodology.md.\n";

struct notes {
	json_t *problems, *info;
	int json;
};

static void
on_note(void *ctx, int problem, const char *text)
{
	struct notes *n = ctx;

	json_array_append_new(problem ? n->problems : n->info, json_string(text));
	if (!n->json)
		printf("%s%s\n", problem ? "" : "note: ", text);
}

static int
check(struct cli *c, struct ledger *l)
{
	struct notes n = {json_array(), json_array(), c->json};
	struct integrity_result r;
	struct err e;
	int status;

	err_clear(&e);
	if (integrity_check(l, on_note, &n, &r, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	if (c->json) {
		json_t *o = json_pack("{s:b, s:I, s:s, s:b, s:I, s:I, s:I, s:O, s:O}",
				      "ok", r.problems == 0, "audit_entries",
				      (json_int_t)r.entries, "audit_head", r.head,
				      "chain_intact", r.chain_ok, "batches",
				      (json_int_t)r.batches, "rows", (json_int_t)r.rows,
				      "uncovered_batches", (json_int_t)r.uncovered,
				      "problems", n.problems, "notes", n.info);
		cli_print_json(o);
		json_decref(o);
	}
	if (r.problems) {
		err_set(&e, ERR_DATA, ledger_path(l), 0, 0, "audit check failed: %ld "
			"finding%s (the ledger was changed outside co2ledger)",
			r.problems, r.problems == 1 ? "" : "s");
		status = cli_fail(&e);
		goto out;
	}
	if (!c->json)
		printf("audit check: %ld entries, chain intact; %ld batch%s, %ld rows "
		       "match their row hashes; every batch, factor set, organisation "
		       "import and run has its audit entry\n",
		       r.entries, r.batches, r.batches == 1 ? "" : "es", r.rows);
	status = EXIT_OK;
out:
	json_decref(n.problems);
	json_decref(n.info);
	return status;
}

static int
log_one(void *ctx, const struct audit_entry *a, struct err *e)
{
	json_t *arr = ctx, *p = json_loads(a->payload, 0, NULL);
	const char *user = json_string_value(json_object_get(p, "user"));

	(void)e;
	if (arr) {
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s?, s:o, s:s}",
						     "id", (json_int_t)a->id, "at", a->at,
						     "action", a->action, "user", user,
						     "payload", p ? json_incref(p) : json_null(),
						     "sha256", a->sha256));
	} else {
		printf("%5ld  %s  %-14s  %-10s  %s\n", a->id, a->at, a->action,
		       user ? user : "-", a->payload);
	}
	json_decref(p);
	return 0;
}

int
cmd_audit(struct cli *c, int argc, char **argv)
{
	const char *sub = NULL;
	struct ledger *l = NULL;
	int status;

	if (cli_parse(c, argc, argv, NULL, &sub, 1, NULL, usage, &status))
		return status;
	if (!sub || (strcmp(sub, "check") && strcmp(sub, "log")))
		return cli_usage_error(usage, "audit needs check or log");
	if (cli_open(c, &l, LEDGER_READONLY, &status))
		return status;
	if (strcmp(sub, "check") == 0) {
		status = check(c, l);
	} else {
		json_t *arr = c->json ? json_array() : NULL;
		struct err e;
		err_clear(&e);
		if (audit_each(l, log_one, arr, &e)) {
			status = cli_fail(&e);
		} else {
			if (arr)
				cli_print_json(arr);
			status = EXIT_OK;
		}
		json_decref(arr);
	}
	ledger_close(l);
	return status;
}
