/*
 * ledger: what `org list`, `audit check` and `audit log` show (report.h):
 * the organisation tree with its statistics, the integrity check of the
 * ledger and its audit log, as text or JSON lines for the caller.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "engine/integrity.h"
#include "org/org.h"
#include "reports/report_int.h"
#include "store/audit.h"

#define emitf report_emitf

/* ---- org list ---- */

#define ORG_LIST_INDENT 20 /* levels shown by indentation in `org list` */

static int
stat_json(void *ctx, int year, const struct org_stat *s)
{
	json_array_append_new(ctx, json_pack(
		"{s:i, s:o, s:o, s:o}", "year", year,
		"population", s->has_population ? json_integer(s->population) : json_null(),
		"employees", s->has_employees ? json_integer(s->employees) : json_null(),
		"floor_area_m2", s->has_floor_area ? json_real(s->floor_area_m2)
						   : json_null()));
	return 0;
}

static void
unit_line(struct report_emit *em, const struct org_unit *u)
{
	/* two spaces a level, up to 20 levels: a deep tree must not print
	 * gigabytes of indentation */
	int ind = 2 * (u->depth < ORG_LIST_INDENT ? u->depth : ORG_LIST_INDENT);
	char *code = report_esc(u->code), *name = report_esc(u->name);

	emitf(em, "%*s%-*s  %-10s  %s\n", ind, "", 20 - ind > 0 ? 20 - ind : 1,
	      code ? code : "(out of memory)", org_kind_name(u->kind),
	      name ? name : "(out of memory)");
	free(code);
	free(name);
}

int
report_org_list(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		size_t *count, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct org_tree *t;
	json_t *arr = json ? json_array() : NULL;
	size_t i, n;
	int rc = -1;

	*count = 0;
	if (org_tree_load(l, &t, e)) {
		json_decref(arr);
		return -1;
	}
	n = org_tree_count(t);
	for (i = 0; i < n; i++) {
		const struct org_unit *u = org_tree_at(t, i);
		const struct org_unit *p = u->parent == ORG_NONE ? NULL
								 : org_tree_at(t, u->parent);
		json_t *stats;
		if (!json) {
			unit_line(&em, u);
			continue;
		}
		stats = json_array();
		if (org_stat_each(l, u->id, stat_json, stats, e)) {
			json_decref(stats);
			goto out;
		}
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s?, s:o}", "code", u->code,
				       "name", u->name, "kind", org_kind_name(u->kind),
				       "parent", p ? p->code : NULL, "statistics", stats));
	}
	if (json) {
		json_t *o = json_pack("{s:O}", "units", arr);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	}
	*count = n;
	rc = 0;
out:
	report_emit_end(&em);
	json_decref(arr);
	org_tree_free(t);
	return rc;
}

/* ---- audit check and log ---- */

struct notes {
	struct report_emit *em;
	json_t *problems, *info;
	int json;
};

static void
on_note(void *ctx, int problem, const char *text)
{
	struct notes *n = ctx;

	json_array_append_new(problem ? n->problems : n->info, json_string(text));
	if (!n->json)
		emitf(n->em, "%s%s\n", problem ? "" : "note: ", text);
}

int
report_audit_check(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		   struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct notes n = {&em, json_array(), json_array(), json};
	struct integrity_result r;
	int rc = -1;

	if (integrity_check(l, on_note, &n, &r, e))
		goto out;
	if (json) {
		json_t *o = json_pack("{s:b, s:I, s:s, s:b, s:I, s:I, s:I, s:O, s:O}",
				      "ok", r.problems == 0, "audit_entries",
				      (json_int_t)r.entries, "audit_head", r.head,
				      "chain_intact", r.chain_ok, "batches",
				      (json_int_t)r.batches, "rows", (json_int_t)r.rows,
				      "uncovered_batches", (json_int_t)r.uncovered,
				      "problems", n.problems, "notes", n.info);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	}
	if (r.problems) {
		err_set(e, ERR_DATA, ledger_path(l), 0, 0, "audit check failed: %ld "
			"finding%s (the ledger was changed outside co2ledger)",
			r.problems, r.problems == 1 ? "" : "s");
		goto out;
	}
	if (!json)
		emitf(&em, "audit check: %ld entries, chain intact; %ld batch%s, %ld rows "
		      "match their row hashes; every batch, factor set, organisation "
		      "import and run has its audit entry\n",
		      r.entries, r.batches, r.batches == 1 ? "" : "es", r.rows);
	rc = 0;
out:
	report_emit_end(&em);
	json_decref(n.problems);
	json_decref(n.info);
	return rc;
}

struct log {
	struct report_emit *em;
	json_t *arr;
};

static int
log_one(void *ctx, const struct audit_entry *a, struct err *e)
{
	struct log *lg = ctx;
	json_t *p = json_loads(a->payload, 0, NULL);
	const char *user = json_string_value(json_object_get(p, "user"));

	(void)e;
	if (lg->arr)
		json_array_append_new(lg->arr, json_pack("{s:I, s:s, s:s, s:s?, s:o, s:s}",
							 "id", (json_int_t)a->id, "at", a->at,
							 "action", a->action, "user", user,
							 "payload", p ? json_incref(p) : json_null(),
							 "sha256", a->sha256));
	else
		emitf(lg->em, "%5ld  %s  %-14s  %-10s  %s\n", a->id, a->at, a->action,
		      user ? user : "-", a->payload);
	json_decref(p);
	return 0;
}

int
report_audit_log(struct ledger *l, int json, report_note_fn *fn, void *ctx,
		 struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	struct log lg = {&em, json ? json_array() : NULL};
	int rc = audit_each(l, log_one, &lg, e);

	if (!rc && lg.arr) {
		report_emit_json(&em, lg.arr, JSON_INDENT(2));
		emitf(&em, "\n");
	}
	report_emit_end(&em);
	json_decref(lg.arr);
	return rc;
}
