/*
 * compare: the districts of a year ranked by their emissions per resident,
 * employee or m² (report.h, report_compare_show), with the total and the
 * change against a base year, as text or JSON lines for the caller.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "reports/report_int.h"

#define emitf report_emitf

static const char *const PER_HEAD[REPORT_NPER] = {"kg/resident", "kg/employee",
						  "kg/m2"};

struct entry {
	const struct report_unit *u;
	int rank;
	int has;
	int incomplete;         /* below the completeness threshold: no rank */
	int64_t g;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (!x->rank != !y->rank)
		return x->rank ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->u->code, y->u->code);
}

/* The districts, ranked (those without the statistic or data last). */
static struct entry *
ranked(const struct report_model *m, enum report_per per, size_t *k)
{
	size_t i, n = report_unit_count(m);
	struct entry *ent = calloc(n ? n : 1, sizeof *ent);
	const struct report_figures **fig = calloc(n ? n : 1, sizeof *fig);
	int *consider = calloc(n ? n : 1, sizeof *consider);
	int *rank = calloc(n ? n : 1, sizeof *rank);

	*k = 0;
	if (!ent || !fig || !consider || !rank) {
		free(ent);
		ent = NULL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		if (u->kind != ORG_DISTRICT)
			continue;
		ent[*k].u = u;
		ent[*k].incomplete = m->left_out && m->left_out[i];
		fig[*k] = &u->f;
		/* no data, or data below the completeness threshold: no rank */
		consider[*k] = u->f.rows > 0 && !ent[*k].incomplete;
		(*k)++;
	}
	report_rank(fig, consider, *k, per, rank);
	for (i = 0; i < *k; i++) {
		ent[i].rank = rank[i];
		ent[i].has = report_per_g(&ent[i].u->f, per, &ent[i].g);
	}
	qsort(ent, *k, sizeof *ent, cmp_entry);
out:
	free(fig);
	free(consider);
	free(rank);
	return ent;
}

/* `s` left-aligned in `width` characters (UTF-8 aware), cut to fit. */
static void
col(struct report_emit *em, const char *s, int width)
{
	const char *p = s;
	int n = 0;

	while (*p && n < width) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		n++;
	}
	emitf(em, "%.*s%*s", (int)(p - s), s, width - n, "");
}

static json_t *
compare_json(const struct report_compare *q, const struct entry *ent, size_t k)
{
	static const char *const PER[REPORT_NPER] = {"capita", "employee", "m2"};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < k; i++) {
		const struct report_figures *f = &ent[i].u->f;
		int64_t ch = 0;
		int has_ch = q->base_year && report_change_x100(f, &ch);
		char kg[40];
		num_format(report_total_location(f), 6, 3, kg, sizeof kg);
		json_array_append_new(a, json_pack(
			"{s:o, s:s, s:s, s:f, s:o, s:o, s:b}",
			"rank", ent[i].rank ? json_integer(ent[i].rank) : json_null(),
			"code", ent[i].u->code, "name", ent[i].u->name,
			"total_location_kg", strtod(kg, NULL),
			"value_kg", ent[i].has ? json_real((double)ent[i].g / 1000.0)
					       : json_null(),
			"change_pct", has_ch ? json_real((double)ch / 100.0) : json_null(),
			"incomplete", ent[i].incomplete));
	}
	return json_pack("{s:i, s:o, s:s, s:I, s:o, s:o}", "year", q->year,
			 "base_year", q->base_year ? json_integer(q->base_year) : json_null(),
			 "per", PER[q->per], "run", (json_int_t)q->run,
			 "base_run", q->base_run ? json_integer(q->base_run) : json_null(),
			 "districts", a);
}

static void
compare_text(struct report_emit *em, const struct report_compare *q,
	     const struct entry *ent, size_t k)
{
	char head[32];
	size_t i;

	snprintf(head, sizeof head, "change vs %d", q->base_year);
	emitf(em, "districts %d, run %lld, ranked by %s (lowest first)\n", q->year,
	      (long long)q->run, PER_HEAD[q->per]);
	emitf(em, "%4s  %-14s %-30s %14s %12s %14s\n", "rank", "code", "name", "t CO2e",
	      PER_HEAD[q->per], q->base_year ? head : "");
	for (i = 0; i < k; i++) {
		const struct report_figures *f = &ent[i].u->f;
		char t[40], val[40] = "-", rk[16] = "-", chg[40] = "";
		int64_t ch = 0;
		report_tonnes(report_total_location(f), t, sizeof t);
		if (ent[i].has)
			num_format(ent[i].g, 3, 1, val, sizeof val);
		if (ent[i].rank)
			snprintf(rk, sizeof rk, "%d", ent[i].rank);
		if (q->base_year && report_change_x100(f, &ch)) {
			char x[32];
			num_format(ch, 2, 1, x, sizeof x);
			snprintf(chg, sizeof chg, "%s%s %%", ch > 0 ? "+" : "", x);
		} else if (q->base_year) {
			strcpy(chg, "-");
		}
		emitf(em, "%4s  ", rk);
		col(em, ent[i].u->code, 14);
		emitf(em, " ");
		col(em, ent[i].u->name, 30);
		emitf(em, " %14s %12s %14s%s\n", t, val, chg,
		      ent[i].incomplete ? "  incomplete" : "");
	}
	for (i = 0; i < k && !ent[i].incomplete; i++)
		;
	if (i < k)
		emitf(em, "incomplete: below the completeness threshold of the year's expected "
		      "data, so not ranked and not compared ('co2ledger status --year %d' "
		      "lists the gaps)\n", q->year);
}

int
report_compare_show(const struct report_model *m, const struct report_compare *q,
		    int json, report_note_fn *fn, void *ctx, struct err *e)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	size_t k;
	struct entry *ent = ranked(m, q->per, &k);

	if (!ent)
		return err_setf(e, ERR_IO, "out of memory");
	if (json) {
		json_t *o = compare_json(q, ent, k);
		report_emit_json(&em, o, JSON_INDENT(2));
		emitf(&em, "\n");
		json_decref(o);
	} else {
		compare_text(&em, q, ent, k);
	}
	report_emit_end(&em);
	free(ent);
	return 0;
}

void
report_tonnes(int64_t mg, char *out, size_t n)
{
	char raw[40];

	num_format(mg, 9, 1, raw, sizeof raw);
	report_localise(REPORT_EN, raw, out, n);
}

void
report_grouped(const char *number, char *out, size_t n)
{
	report_localise(REPORT_EN, number, out, n);
}

static void
balance_line(struct report_emit *em, const char *code, const char *name,
	     const struct report_figures *f, int rank)
{
	char a[40], b[40], pc[40], rk[16] = "-";
	int64_t g;

	report_tonnes(report_total_location(f), a, sizeof a);
	report_tonnes(report_total_market(f), b, sizeof b);
	if (report_per_g(f, REPORT_PER_CAPITA, &g))
		num_format(g, 3, 1, pc, sizeof pc);
	else
		strcpy(pc, "-");
	if (rank > 0)
		snprintf(rk, sizeof rk, "%d", rank);
	else if (rank < 0)
		rk[0] = '\0';
	report_emit_col(em, code, 14);
	emitf(em, " ");
	report_emit_col(em, name, 34);
	emitf(em, " %14s %14s %12s %5s\n", a, b, pc, rk);
}

void
report_balance_show(const struct report_model *m, int64_t run_id, report_note_fn *fn,
		    void *ctx)
{
	struct report_emit em = {fn, ctx, STRBUF_INIT};
	size_t i, n = report_unit_count(m);

	emitf(&em, "balance %d, run %lld (%s, %s, region %s)\n", report_run_info(m)->year,
	      (long long)run_id, report_factor_spec(m), report_run_info(m)->gwp,
	      report_run_info(m)->region);
	emitf(&em, "%-14s %-34s %14s %14s %12s %5s\n", "code", "name", "t CO2e loc",
	      "t CO2e mkt", "kg/resident", "rank");
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		balance_line(&em, u->code, u->name, &u->f, u->f.rank);
	}
	balance_line(&em, "", "total", report_totals(m), -1);
	report_emit_end(&em);
}
