/*
 * model: the balance of one run, rolled up to the reporting units (see
 * report.h). Everything here is integer arithmetic on milligrams; ratios and
 * percentages are rounded once, half away from zero, with 128-bit
 * intermediates so that no figure depends on floating point.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "store/audit.h"
#include "base/strbuf.h"
#include "reports/report_int.h"
#include "factors/primary.h"

#define NONE ((size_t)-1)

typedef __int128 i128;

/* Round num/den (den > 0) half away from zero. */
static int64_t
round_div(i128 num, i128 den)
{
	i128 q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return (int64_t)q;
}

int64_t
report_total_location(const struct report_figures *f)
{
	return f->scope1_mg + f->scope2_location_mg + f->scope3_mg;
}

int64_t
report_total_market(const struct report_figures *f)
{
	return f->scope1_mg + f->scope2_market_mg + f->scope3_mg;
}

int
report_per_g(const struct report_figures *f, enum report_per per, int64_t *g)
{
	i128 mg = report_total_location(f);

	if ((unsigned)per >= REPORT_NPER || !f->has_stat[per] || f->stat[per] <= 0)
		return 0;
	/* population, employees: g = mg / (1000 * n); floor area is held in
	 * 1/1000 m², so g per m² = mg / area_milli */
	if (per == REPORT_PER_M2)
		*g = round_div(mg, f->stat[per]);
	else
		*g = round_div(mg, (i128)f->stat[per] * 1000);
	return 1;
}

int
report_pct_x100(int64_t num, int64_t den, int64_t *out)
{
	if (den == 0)
		return 0;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	*out = round_div((i128)num * 10000, den);
	return 1;
}

int
report_grade_of(int quality)
{
	return quality == 0 ? 0 : quality == 1 ? 1 : quality == 2 ? 2 : 3;
}

int
report_grade_score(const int64_t kwh[REPORT_NGRADES], int64_t *pct_x1000)
{
	static const int W[REPORT_NGRADES] = {4, 2, 1, 0}; /* quarters */
	i128 num = 0, den = 0;
	int g;

	for (g = 0; g < REPORT_NGRADES; g++) {
		if (kwh[g] < 0)
			return -1;
		num += (i128)kwh[g] * W[g];
		den += kwh[g];
	}
	if (den == 0)
		return 0;
	/* percent x 1000 = num / 4 / den x 100000 */
	num *= 100000; /* at most 4 x 4 x 2^63 x 10^5: far inside 128 bits */
	den *= 4;
	*pct_x1000 = (int64_t)((num + den / 2) / den); /* both >= 0 */
	return 1;
}

int
report_change_x100(const struct report_figures *f, int64_t *out)
{
	if (!f->has_previous || f->previous_location_mg == 0)
		return 0;
	return report_pct_x100(report_total_location(f) - f->previous_location_mg,
			       f->previous_location_mg, out);
}

void
report_rank(const struct report_figures *const *f, const int *consider,
	    size_t n, enum report_per per, int *rank)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int64_t gi, gj;
		rank[i] = 0;
		if ((consider && !consider[i]) || !report_per_g(f[i], per, &gi))
			continue;
		rank[i] = 1;
		for (j = 0; j < n; j++)
			if (j != i && (!consider || consider[j]) &&
			    report_per_g(f[j], per, &gj) && gj < gi)
				rank[i]++;
	}
}

/* ---- accessors ---- */

const struct report_run *
report_run_info(const struct report_model *m)
{
	return &m->run;
}

const char *
report_factor_spec(const struct report_model *m)
{
	return m->factor_spec;
}

const char *
report_org(const struct report_model *m)
{
	return m->org;
}

size_t
report_unit_count(const struct report_model *m)
{
	return m->sel == NONE ? m->nunits : 1;
}

const struct report_unit *
report_unit_at(const struct report_model *m, size_t i)
{
	if (m->sel != NONE)
		return i == 0 ? &m->units[m->sel] : NULL;
	return i < m->nunits ? &m->units[i] : NULL;
}

const struct report_figures *
report_totals(const struct report_model *m)
{
	return m->sel == NONE ? &m->all : &m->units[m->sel].f;
}

size_t
report_ncarriers(const struct report_model *m)
{
	return m->ncarriers;
}

const char *
report_carrier_key(const struct report_model *m, size_t i)
{
	return i < m->ncarriers ? m->carriers[i] : NULL;
}

void
report_free(struct report_model *m)
{
	size_t i;

	if (!m)
		return;
	free((char *)m->run.gwp);
	free((char *)m->run.region);
	free((char *)m->run.fallback);
	free((char *)m->run.lens);
	free((char *)m->run.factor_sets);
	free((char *)m->run.batches);
	free((char *)m->run.inputs_sha256);
	free((char *)m->run.results_sha256);
	free(m->factor_spec);
	report_refs_free(m->factor_refs, m->nfactor_refs);
	free(m->batch_ids);
	org_tree_free(m->tree);
	free(m->units);
	free(m->left_out);
	free(m->tree_slot);
	for (i = 0; i < m->ncarriers; i++)
		free(m->carriers[i]);
	free(m->carriers);
	free(m->carrier_mem);
	free(m->carrier_energy_mem);
	free(m->cells);
	free(m->org);
	report_disclosures_free(m->disc);
	free(m);
}

/* ---- building ---- */

/* The units index of the reporting unit of tree unit t, NONE for the state
 * itself (its own rows count in the totals only). */
static size_t
slot_of(const struct report_model *m, size_t t)
{
	const struct org_unit *u = org_tree_at(m->tree, t);

	if (!u || u->report == ORG_NONE)
		return NONE;
	return m->tree_slot[u->report];
}

static const char SQL_RUN[] =
	"SELECT year, gwp, region, fallback, factor_sets, batches, inputs_sha256, "
	"results_sha256, rows_used, rows_excluded, rows_extrapolated, lens "
	"FROM run WHERE id = ?1";
static const char SQL_CARRIERS[] =
	"SELECT DISTINCT carrier FROM run_total WHERE run_id = ?1 ORDER BY carrier";
static const char SQL_TOTALS[] =
	"SELECT org_id, sector, carrier, quality, extrapolated, rows, scope1_mg, "
	"scope2_location_mg, scope2_market_mg, scope3_mg, upstream_mg, "
	"biogenic_co2_mg, energy_ukwh, energy_rows FROM run_total WHERE run_id = ?1";
static const char SQL_PREVIOUS[] =
	"SELECT org_id, sector, CAST(sum(rows) AS BIGINT), "
	"CAST(sum(scope1_mg + scope2_location_mg + scope3_mg) AS BIGINT) "
	"FROM run_total WHERE run_id = ?1 GROUP BY org_id, sector";
static const char SQL_PREV_RUN[] = "SELECT rows_used FROM run WHERE id = ?1";
static const char SQL_OVERLAP[] = "SELECT overlap_rows FROM batch WHERE id = ?1";

/* The rows the run's batches hold by --allow-overlap (0 when unknown): the
 * sum over the batches of the run's list (a JSON array of {"id": ...})
 * that the ledger has. */
static long
run_overlap(struct ledger *l, const char *batches)
{
	struct err e;
	struct db_stmt *st;
	json_t *a, *v;
	size_t i;
	long n = 0;

	err_clear(&e);
	if (!batches || !(st = ledger_stmt(l, SQL_OVERLAP, &e)))
		return 0;
	if (!(a = json_loads(batches, 0, NULL)))
		return 0;
	json_array_foreach(a, i, v) {
		json_t *id = json_object_get(v, "id");
		if (!json_is_integer(id))
			continue;
		db_bind_int64(st, 1, json_integer_value(id));
		if (db_step(st) == DB_ROW)
			n += (long)db_column_int64(st, 0);
		db_reset(st);
	}
	json_decref(a);
	return n;
}

static char *
col_dup(struct db_stmt *st, int i)
{
	const unsigned char *s = db_column_text(st, i);
	return strdup(s ? (const char *)s : "");
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int
report_refs_from_json(const json_t *sets, struct factor_ref **out, char **label)
{
	struct strbuf strs = STRBUF_INIT, lab = STRBUF_INIT;
	size_t i, n = json_array_size(sets);
	struct factor_ref *v = calloc(n + 1, sizeof *v);
	const json_t *x;
	const char *p;

	*out = NULL;
	*label = NULL;
	json_array_foreach(sets, i, x) {
		const char *name = jstr(x, "name"), *ver = jstr(x, "version");
		strbuf_add(&strs, name, strlen(name) + 1);
		strbuf_add(&strs, ver, strlen(ver) + 1);
		strbuf_addf(&lab, "%s%s@%s", i ? "," : "", name, ver);
	}
	strbuf_addch(&strs, '\0');
	if (!v || strs.failed || lab.failed || !lab.buf) {
		free(v);
		strbuf_release(&strs);
		strbuf_release(&lab);
		return -1;
	}
	/* the names and versions, NUL after each, in one buffer that the
	 * array's extra last slot owns */
	for (i = 0, p = strs.buf; i < n; i++) {
		v[i].name = p;
		p += strlen(p) + 1;
		v[i].version = p;
		p += strlen(p) + 1;
	}
	v[n].name = strbuf_detach(&strs, NULL);
	*label = strbuf_detach(&lab, NULL);
	*out = v;
	return 0;
}

void
report_refs_free(struct factor_ref *refs, size_t n)
{
	if (refs)
		free((char *)refs[n].name);
	free(refs);
}

static int
parse_run_json(struct report_model *m, struct err *e)
{
	json_error_t je;
	json_t *sets = json_loads(m->run.factor_sets, 0, &je);
	json_t *batches = json_loads(m->run.batches, 0, &je);
	size_t i;
	json_t *v;
	int rc = -1;

	if (!json_is_array(sets) || !json_is_array(batches)) {
		err_setf(e, ERR_DATA, "run %lld: its factor sets or batches are not "
			 "a JSON array", (long long)m->run.id);
		goto out;
	}
	m->nfactor_refs = json_array_size(sets);
	if (report_refs_from_json(sets, &m->factor_refs, &m->factor_spec))
		goto oom;
	m->nbatch_ids = json_array_size(batches);
	if (!(m->batch_ids = calloc(m->nbatch_ids + 1, sizeof *m->batch_ids)))
		goto oom;
	json_array_foreach(batches, i, v)
		m->batch_ids[i] = json_integer_value(json_object_get(v, "id"));
	rc = 0;
	goto out;
oom:
	err_setf(e, ERR_IO, "out of memory");
out:
	json_decref(sets);
	json_decref(batches);
	return rc;
}

static int
load_run(struct ledger *l, struct report_model *m, int64_t id, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_RUN, e);
	int rc;

	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		if (rc == DB_DONE)
			return err_setf(e, ERR_DATA, "no calculation run %lld (see "
					"'co2ledger calc')", (long long)id);
		return ledger_fail(l, rc, "reading the run", e);
	}
	m->run.id = id;
	m->run.year = db_column_int(st, 0);
	m->run.gwp = col_dup(st, 1);
	m->run.region = col_dup(st, 2);
	m->run.fallback = col_dup(st, 3);
	m->run.factor_sets = col_dup(st, 4);
	m->run.batches = col_dup(st, 5);
	m->run.inputs_sha256 = col_dup(st, 6);
	m->run.results_sha256 = col_dup(st, 7);
	m->run.rows_used = (long)db_column_int64(st, 8);
	m->run.rows_excluded = (long)db_column_int64(st, 9);
	m->run.rows_extrapolated = (long)db_column_int64(st, 10);
	m->run.lens = col_dup(st, 11);
	db_reset(st);
	m->run.rows_overlap = run_overlap(l, m->run.batches);
	if (!m->run.gwp || !m->run.region || !m->run.fallback || !m->run.lens ||
	    !m->run.factor_sets || !m->run.batches || !m->run.inputs_sha256 ||
	    !m->run.results_sha256)
		return err_setf(e, ERR_IO, "out of memory");
	return parse_run_json(m, e);
}

static int
load_carriers(struct ledger *l, struct report_model *m, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_CARRIERS, e);
	size_t cap = 0;
	int rc;

	if (!st)
		return -1;
	db_bind_int64(st, 1, m->run.id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (m->ncarriers == cap) {
			char **p;
			cap = cap ? 2 * cap : 16;
			if (!(p = realloc(m->carriers, cap * sizeof *p)))
				break;
			m->carriers = p;
		}
		if (!(m->carriers[m->ncarriers] = col_dup(st, 0)))
			break;
		m->ncarriers++;
	}
	db_reset(st);
	if (rc == DB_ROW)
		return err_setf(e, ERR_IO, "out of memory");
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading run totals", e);
	return 0;
}

static size_t
carrier_index(const struct report_model *m, const char *key)
{
	size_t lo = 0, hi = m->ncarriers;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->carriers[mid], key);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NONE;
}

static int
sector_index(const char *key)
{
	int i;

	for (i = 0; i < REPORT_NSECTORS; i++)
		if (strcmp(report_sector_key(i), key) == 0)
			return i;
	return -1;
}

struct row {
	int64_t scope1, s2l, s2m, scope3, upstream, biogenic, ukwh;
	int64_t primary_ukwh; /* ukwh x the carrier's primary-energy factor */
	int sector, quality, extrapolated;
	size_t carrier;
	long rows, energy_rows, primary_rows;
};

static void
energy_add(struct report_energy *a, const struct row *r)
{
	a->ukwh += r->ukwh;
	a->location_mg += r->scope1 + r->s2l + r->scope3;
	a->market_mg += r->scope1 + r->s2m + r->scope3;
	a->rows += r->rows;
	a->energy_rows += r->energy_rows;
	a->primary_ukwh += r->primary_ukwh;
	a->primary_rows += r->primary_rows;
}

static void
add_row(struct report_figures *f, const struct row *r)
{
	int64_t loc = r->scope1 + r->s2l + r->scope3;
	int64_t mkt = r->scope1 + r->s2m + r->scope3;

	f->scope1_mg += r->scope1;
	f->scope2_location_mg += r->s2l;
	f->scope2_market_mg += r->s2m;
	f->scope3_mg += r->scope3;
	f->upstream_mg += r->upstream;
	f->biogenic_co2_mg += r->biogenic;
	f->rows += r->rows;
	f->sector[r->sector].location_mg += loc;
	f->sector[r->sector].market_mg += mkt;
	f->carrier[r->carrier].location_mg += loc;
	f->carrier[r->carrier].market_mg += mkt;
	if (r->quality >= 0 && r->quality < REPORT_NQUALITY)
		f->quality_mg[r->quality] += loc;
	if (r->extrapolated)
		f->extrapolated_mg += loc;
	f->grade_ukwh[report_grade_of(r->quality)] += r->ukwh;
	energy_add(&f->energy, r);
	energy_add(&f->sector_energy[r->sector], r);
	energy_add(&f->carrier_energy[r->carrier], r);
}

/* The cell of (tree index t, sector, carrier), added when new. */
static struct report_energy_cell *
cell_get(struct report_model *m, size_t *cap, size_t t, const struct row *r)
{
	const char *sec = report_sector_key(r->sector), *car = m->carriers[r->carrier];
	size_t i;

	for (i = m->ncells; i-- > 0;) /* rows of a unit mostly come together */
		if (m->cells[i].tree_index == t && m->cells[i].sector == sec &&
		    m->cells[i].carrier == car)
			return &m->cells[i];
	if (m->ncells == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		struct report_energy_cell *p = realloc(m->cells, nc * sizeof *p);
		if (!p)
			return NULL;
		m->cells = p;
		*cap = nc;
	}
	{
		const struct org_unit *u = org_tree_at(m->tree, t);
		struct report_energy_cell *c = &m->cells[m->ncells++];
		memset(c, 0, sizeof *c);
		c->code = u->code;
		c->name = u->name;
		c->kind = u->kind;
		c->report_code = u->report == ORG_NONE ? NULL
						      : org_tree_at(m->tree, u->report)->code;
		c->sector = sec;
		c->carrier = car;
		c->tree_index = t;
		return c;
	}
}

static int
cmp_cell(const void *pa, const void *pb)
{
	const struct report_energy_cell *a = pa, *b = pb;
	int c;

	if (a->tree_index != b->tree_index)
		return a->tree_index < b->tree_index ? -1 : 1;
	if ((c = strcmp(a->sector, b->sector)) != 0)
		return c;
	return strcmp(a->carrier, b->carrier);
}

static int
load_totals(struct ledger *l, struct report_model *m, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_TOTALS, e);
	size_t cap = 0;
	int rc;

	if (!st)
		return -1;
	m->energy_known = 1;
	db_bind_int64(st, 1, m->run.id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_energy_cell *cell;
		struct row r;
		const char *sector = (const char *)db_column_text(st, 1);
		const char *carrier = (const char *)db_column_text(st, 2);
		size_t t = org_tree_by_id(m->tree, db_column_int64(st, 0));
		r.sector = sector_index(sector ? sector : "");
		r.carrier = carrier_index(m, carrier ? carrier : "");
		if (r.sector < 0 || r.carrier == NONE || t == NONE) {
			db_reset(st);
			return err_setf(e, ERR_DATA, "run %lld has a total for an "
					"unknown %s '%s'", (long long)m->run.id,
					t == NONE ? "org unit" : "sector",
					t == NONE ? "?" : sector ? sector : "");
		}
		r.quality = db_column_int(st, 3);
		r.extrapolated = db_column_int(st, 4);
		r.rows = (long)db_column_int64(st, 5);
		r.scope1 = db_column_int64(st, 6);
		r.s2l = db_column_int64(st, 7);
		r.s2m = db_column_int64(st, 8);
		r.scope3 = db_column_int64(st, 9);
		r.upstream = db_column_int64(st, 10);
		r.biogenic = db_column_int64(st, 11);
		if (db_column_type(st, 12) == DB_NULL)
			m->energy_known = 0;
		r.ukwh = db_column_int64(st, 12);
		r.energy_rows = (long)db_column_int64(st, 13);
		{
			/* primary energy: each stored aggregate's final energy
			 * times its carrier's factor, rounded once (see
			 * docs/methodology.md, "Primary energy") */
			const struct primary_factor *pf =
				primary_lookup(primary_set_default(), carrier);
			r.primary_ukwh = 0;
			r.primary_rows = pf ? r.energy_rows : 0;
			if (pf && primary_apply(pf, r.ukwh, &r.primary_ukwh)) {
				db_reset(st);
				return err_setf(e, ERR_DATA, "run %lld: the primary "
						"energy of '%s' does not fit in 64 bits",
						(long long)m->run.id, carrier);
			}
		}
		add_row(&m->all, &r);
		if (slot_of(m, t) != NONE)
			add_row(&m->units[slot_of(m, t)].f, &r);
		if (!(cell = cell_get(m, &cap, t, &r))) {
			db_reset(st);
			return err_setf(e, ERR_IO, "out of memory");
		}
		energy_add(&cell->e, &r);
	}
	db_reset(st);
	if (m->ncells)
		qsort(m->cells, m->ncells, sizeof *m->cells, cmp_cell);
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "reading run totals", e);
}

/* Statistics: a unit's own figure for the year, else the sum over its
 * children (each again its own or its children's), so that nothing is
 * counted twice. Children come after their parent in display order, so one
 * pass from the end finishes every child before its parent. */
static int
load_stats(struct ledger *l, struct report_model *m, struct err *e)
{
	size_t n = org_tree_count(m->tree), i;
	struct stat {
		int has[REPORT_NPER], sum_has[REPORT_NPER];
		int64_t v[REPORT_NPER], sum[REPORT_NPER];
	} *s = calloc(n ? n : 1, sizeof *s);
	int k;

	if (!s)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = n; i-- > 0;) {
		const struct org_unit *u = org_tree_at(m->tree, i);
		struct org_stat os;
		if (org_stat_get(l, u->id, m->run.year, &os, e)) {
			free(s);
			return -1;
		}
		s[i].has[REPORT_PER_CAPITA] = os.has_population;
		s[i].v[REPORT_PER_CAPITA] = os.population;
		s[i].has[REPORT_PER_EMPLOYEE] = os.has_employees;
		s[i].v[REPORT_PER_EMPLOYEE] = os.employees;
		s[i].has[REPORT_PER_M2] = os.has_floor_area;
		s[i].v[REPORT_PER_M2] = os.has_floor_area
			? (int64_t)llround(os.floor_area_m2 * 1000.0) : 0;
		for (k = 0; k < REPORT_NPER; k++)
			if (!s[i].has[k] && s[i].sum_has[k]) {
				s[i].has[k] = 1;
				s[i].v[k] = s[i].sum[k];
			}
		for (k = 0; k < REPORT_NPER; k++) {
			struct stat *dst;
			if (!s[i].has[k])
				continue;
			int64_t *sum;
			dst = u->parent == ORG_NONE ? NULL : &s[u->parent];
			if (dst) {
				dst->sum_has[k] = 1;
				sum = &dst->sum[k];
			} else {
				m->all.has_stat[k] = 1;
				sum = &m->all.stat[k];
			}
			if (s[i].v[k] < 0 || __builtin_add_overflow(*sum, s[i].v[k], sum)) {
				static const char *const what[] = {
					"population", "employees", "floor area"};
				free(s);
				return err_setf(e, ERR_DATA, "the %s of %d under '%s' cannot be "
						"added up (a value is negative or too large; "
						"check 'co2ledger org list --json' and import "
						"the statistics again)", what[k], m->run.year,
						u->parent == ORG_NONE ? u->code
						: org_tree_at(m->tree, u->parent)->code);
			}
		}
		if (m->tree_slot[i] != NONE)
			for (k = 0; k < REPORT_NPER; k++) {
				m->units[m->tree_slot[i]].f.has_stat[k] = s[i].has[k];
				m->units[m->tree_slot[i]].f.stat[k] = s[i].v[k];
			}
	}
	free(s);
	return 0;
}

/* Which sectors had rows in the previous year, per unit slot and for the
 * whole tree, as a bit set over the sector index. */
struct prev_cover {
	unsigned *unit; /* [nunits] */
	unsigned all;
};

/* A unit is compared with the previous year only when that year covers
 * every sector the unit has figures for this year: a year that holds just
 * the tail of a bill crossing New Year is not a baseline. */
static int
covered(const struct report_figures *f, unsigned prev_sectors)
{
	int k;

	for (k = 0; k < REPORT_NSECTORS; k++)
		if (f->sector[k].location_mg != 0 && !(prev_sectors & (1u << k)))
			return 0;
	return 1;
}

static int
load_previous(struct ledger *l, struct report_model *m, int64_t prev,
	      struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_PREV_RUN, e);
	struct prev_cover cov = {0};
	int rc;
	size_t i;

	if (!st)
		return -1;
	db_bind_int64(st, 1, prev);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		if (rc == DB_DONE)
			return err_setf(e, ERR_DATA, "no calculation run %lld",
					(long long)prev);
		return ledger_fail(l, rc, "reading the previous run", e);
	}
	rc = db_column_int64(st, 0) > 0;
	db_reset(st);
	if (!rc) /* the year before has no data */
		return 0;
	if (!(cov.unit = calloc(m->nunits ? m->nunits : 1, sizeof *cov.unit)))
		return err_setf(e, ERR_IO, "out of memory");
	if (!(st = ledger_stmt(l, SQL_PREVIOUS, e))) {
		free(cov.unit);
		return -1;
	}
	db_bind_int64(st, 1, prev);
	while ((rc = db_step(st)) == DB_ROW) {
		size_t t = org_tree_by_id(m->tree, db_column_int64(st, 0));
		const char *sector = (const char *)db_column_text(st, 1);
		int k = sector_index(sector ? sector : "");
		unsigned bit = db_column_int64(st, 2) > 0 && k >= 0 ? 1u << k : 0;
		int64_t v = db_column_int64(st, 3);
		m->all.previous_location_mg += v;
		cov.all |= bit;
		if (t != NONE && slot_of(m, t) != NONE) {
			m->units[slot_of(m, t)].f.previous_location_mg += v;
			cov.unit[slot_of(m, t)] |= bit;
		}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(cov.unit);
		return ledger_fail(l, rc, "reading the previous run", e);
	}
	m->all.has_previous = cov.all && covered(&m->all, cov.all);
	for (i = 0; i < m->nunits; i++)
		m->units[i].f.has_previous =
			cov.unit[i] && covered(&m->units[i].f, cov.unit[i]);
	free(cov.unit);
	return 0;
}

/* The tree index of a unit that can be reported on its own, the state
 * root (whole tree: *whole = 1), or an error naming the unit to use. */
static int
find_org(const struct org_tree *tree, const char *org, size_t *t, int *whole,
	 struct err *e)
{
	const struct org_unit *u;
	char sugg[160];

	*whole = 0;
	*t = org_tree_find(tree, org, strlen(org));
	if (*t == NONE) {
		org_tree_suggest(tree, org, strlen(org), sugg, sizeof sugg);
		return err_setf(e, ERR_USAGE, "unknown org unit '%s'%s%s%s", org,
				*sugg ? " (did you mean " : "", sugg, *sugg ? "?)" : "");
	}
	u = org_tree_at(tree, *t);
	if (u->kind == ORG_STATE && u->parent == ORG_NONE) {
		*whole = 1;
		return 0;
	}
	if (u->report != *t)
		return err_setf(e, ERR_USAGE, "'%s' is not reported on its own: its "
				"balance belongs to '%s' (use --org %s)", org,
				org_tree_at(tree, u->report)->code,
				org_tree_at(tree, u->report)->code);
	return 0;
}

int
report_check_org(struct ledger *l, const char *org, struct err *e)
{
	struct org_tree *tree;
	size_t t;
	int whole, rc;

	if (org_tree_load(l, &tree, e))
		return -1;
	rc = find_org(tree, org, &t, &whole, e);
	org_tree_free(tree);
	return rc;
}

static int
select_org(struct report_model *m, const char *org, struct err *e)
{
	size_t t;
	int whole;

	if (find_org(m->tree, org, &t, &whole, e))
		return -1;
	if (whole)
		return 0;
	m->sel = m->tree_slot[t];
	if (!(m->org = strdup(org)))
		return err_setf(e, ERR_IO, "out of memory");
	return 0;
}

int
report_build(struct ledger *l, int64_t run_id, int64_t prev_run_id,
	     const char *org, struct report_model **out, struct err *e)
{
	struct report_model *m = calloc(1, sizeof *m);
	const struct report_figures **rank = NULL;
	int *consider = NULL, *ranks = NULL;
	size_t n, i, nroots = 0;

	*out = NULL;
	if (!m)
		return err_setf(e, ERR_IO, "out of memory");
	m->sel = NONE;
	if (load_run(l, m, run_id, e) || org_tree_load(l, &m->tree, e))
		goto fail;
	n = org_tree_count(m->tree);
	if (!(m->tree_slot = malloc((n ? n : 1) * sizeof *m->tree_slot)) ||
	    !(m->units = calloc(n ? n : 1, sizeof *m->units)))
		goto oom;
	for (i = 0; i < n; i++) {
		const struct org_unit *u = org_tree_at(m->tree, i);
		m->tree_slot[i] = NONE;
		if (u->parent == ORG_NONE) {
			nroots++;
			if (u->kind == ORG_STATE) {
				m->state_code = u->code;
				m->state_name = u->name;
			}
		}
		if (u->report == i) {
			struct report_unit *ru = &m->units[m->nunits];
			ru->code = u->code;
			ru->name = u->name;
			ru->number = u->number;
			ru->kind = u->kind;
			m->tree_slot[i] = m->nunits++;
		}
	}
	if (nroots != 1)
		m->state_code = m->state_name = NULL;
	if (load_carriers(l, m, e))
		goto fail;
	if (!(m->carrier_mem = calloc((m->nunits + 1) * (m->ncarriers ? m->ncarriers : 1),
				      sizeof *m->carrier_mem)))
		goto oom;
	if (!(m->carrier_energy_mem = calloc((m->nunits + 1) *
						     (m->ncarriers ? m->ncarriers : 1),
					     sizeof *m->carrier_energy_mem)))
		goto oom;
	m->all.carrier = m->carrier_mem;
	m->all.carrier_energy = m->carrier_energy_mem;
	for (i = 0; i < m->nunits; i++) {
		m->units[i].f.carrier = m->carrier_mem + (i + 1) * m->ncarriers;
		m->units[i].f.carrier_energy = m->carrier_energy_mem +
					       (i + 1) * m->ncarriers;
	}
	if (load_totals(l, m, e) || load_stats(l, m, e) ||
	    (prev_run_id > 0 && load_previous(l, m, prev_run_id, e)) ||
	    org_sha256(l, m->run.year, m->org_sha256, e) ||
	    audit_head(l, &m->audit_entries, m->audit_head, m->audit_first, e))
		goto fail;
	/* rank the districts per capita */
	if (!(rank = malloc((m->nunits ? m->nunits : 1) * sizeof *rank)) ||
	    !(consider = malloc((m->nunits ? m->nunits : 1) * sizeof *consider)) ||
	    !(ranks = malloc((m->nunits ? m->nunits : 1) * sizeof *ranks)))
		goto oom;
	for (i = 0; i < m->nunits; i++) {
		rank[i] = &m->units[i].f;
		/* a district without a single activity row in the year has no
		 * balance to rank (it would come first with 0 kg) */
		consider[i] = m->units[i].kind == ORG_DISTRICT && m->units[i].f.rows > 0;
	}
	report_rank(rank, consider, m->nunits, REPORT_PER_CAPITA, ranks);
	for (i = 0; i < m->nunits; i++)
		m->units[i].f.rank = ranks[i];
	free(rank);
	free(consider);
	free(ranks);
	rank = NULL;
	consider = NULL;
	ranks = NULL;
	if (org && *org && select_org(m, org, e))
		goto fail;
	if (m->sel != NONE) { /* keep the selected unit's cells */
		size_t k = 0;
		for (i = 0; i < m->ncells; i++) {
			size_t t = m->cells[i].tree_index;
			if (slot_of(m, t) == m->sel)
				m->cells[k++] = m->cells[i];
		}
		m->ncells = k;
	}
	*out = m;
	return 0;
oom:
	err_setf(e, ERR_IO, "out of memory");
fail:
	free(rank);
	free(consider);
	free(ranks);
	report_free(m);
	return -1;
}

/* ---- final energy ---- */

int
report_energy_known(const struct report_model *m)
{
	return m->energy_known;
}

const char *
report_energy_none(const char *sector, const char *carrier)
{
	if (sector && strcmp(sector, "procurement") == 0)
		return "spend-based";
	if (carrier && strncmp(carrier, "distance.", 9) == 0)
		return "distance-based";
	return NULL;
}

size_t
report_energy_cell_count(const struct report_model *m)
{
	return m->ncells;
}

const struct report_energy_cell *
report_energy_cell_at(const struct report_model *m, size_t i)
{
	return i < m->ncells ? &m->cells[i] : NULL;
}

int
report_energy_sum(const struct report_model *m, const char *org,
		  const char *sector, const char *carrier,
		  struct report_energy *out, struct err *e)
{
	size_t top = NONE, i;

	memset(out, 0, sizeof *out);
	if (org) {
		top = org_tree_find(m->tree, org, strlen(org));
		if (top == NONE) {
			char sugg[160];
			org_tree_suggest(m->tree, org, strlen(org), sugg, sizeof sugg);
			return err_setf(e, ERR_USAGE, "unknown org unit '%s'%s%s%s", org,
					*sugg ? " (did you mean " : "", sugg,
					*sugg ? "?)" : "");
		}
	}
	for (i = 0; i < m->ncells; i++) {
		const struct report_energy_cell *c = &m->cells[i];
		size_t t = c->tree_index;
		if ((sector && strcmp(sector, c->sector) != 0) ||
		    (carrier && strcmp(carrier, c->carrier) != 0))
			continue;
		while (top != NONE && t != NONE && t != top)
			t = org_tree_at(m->tree, t)->parent;
		if (top != NONE && t != top)
			continue;
		out->ukwh += c->e.ukwh;
		out->location_mg += c->e.location_mg;
		out->market_mg += c->e.market_mg;
		out->rows += c->e.rows;
		out->energy_rows += c->e.energy_rows;
		out->primary_ukwh += c->e.primary_ukwh;
		out->primary_rows += c->e.primary_rows;
	}
	return 0;
}

int
report_energy_cell_under(const struct report_model *m,
			 const struct report_energy_cell *c, const char *org)
{
	size_t top = org_tree_find(m->tree, org, strlen(org)), t = c->tree_index;

	if (top == NONE)
		return 0;
	while (t != NONE && t != top)
		t = org_tree_at(m->tree, t)->parent;
	return t == top;
}
