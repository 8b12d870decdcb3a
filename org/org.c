/*
 * org: organisation import, tree and statistics (see org.h).
 */
#include "org/org.h"
#include "base/csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "base/num.h"
#include "base/strmap.h"
#include "base/text.h"
#include "store/rowhash.h"
#include "base/sha256.h"

static const char *const KIND[] = {"state", "district", "department", "site"};

const char *
org_kind_name(enum org_kind k)
{
	return (unsigned)k < 4 ? KIND[k] : "?";
}

int
org_kind_parse(const char *s, size_t n)
{
	int i;

	for (i = 0; i < 4; i++)
		if (csv_name_eq(s, n, KIND[i], strlen(KIND[i])))
			return i;
	return -1;
}

/* ---- import ------------------------------------------------------------ */


#define ORG_MAX_UNITS 1000000

/* Realistic bounds of the yearly statistics (the largest states have a few
 * hundred million residents; no administration has more staff or floor
 * space than this), so that every sum over a tree stays exact. */
#define ORG_MAX_POPULATION 100000000LL
#define ORG_MAX_EMPLOYEES 10000000LL
#define ORG_MAX_AREA_M2 1000000000LL

struct entry {
	char *code, *name, *parent; /* parent code, NULL for none */
	char *number;               /* official number, NULL when none given */
	char *network;              /* district-heat network, NULL when none given */
	char *station;              /* weather station, NULL when none given */
	int kind;
	int in_file;                /* defined or redefined by this file */
	int in_db;
	long line;                  /* first line in the file */
	long parent_col;
};

struct stat_row {
	size_t unit; /* entry index */
	int year;
	int has_pop, has_emp, has_area;
	int64_t pop, emp, area_milli; /* floor area in 1/1000 m2 */
	long line;
};

/* Per entry while checking the tree (check_tree). */
enum { WALK_NEW, WALK_OPEN, WALK_DONE };

struct import {
	struct entry *ent;
	size_t nent, capent;
	struct stat_row *st;
	size_t nst, capst;
	struct strmap *idx; /* code -> entry index */
	struct strmap *years; /* "code\nyear" -> statistics row index */
	int has_number;     /* the file has a 'number' column */
	int has_network;    /* the file has a 'heat_network' column */
	int has_station;    /* the file has a 'weather_station' column */
};

static void
import_free(struct import *im)
{
	size_t i;

	for (i = 0; i < im->nent; i++) {
		free(im->ent[i].code);
		free(im->ent[i].name);
		free(im->ent[i].parent);
		free(im->ent[i].number);
		free(im->ent[i].network);
		free(im->ent[i].station);
	}
	free(im->ent);
	free(im->st);
	strmap_free(im->idx);
	strmap_free(im->years);
}

static char *
dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Trim spaces around s[0..*n). */
static const char *
trim(const char *s, size_t *n)
{
	while (*n && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

static long
add_entry(struct import *im, const char *code, size_t n)
{
	struct entry *ent;

	if (im->nent == im->capent) {
		size_t cap = im->capent ? im->capent * 2 : 64;
		struct entry *p = realloc(im->ent, cap * sizeof *p);
		if (!p)
			return -1;
		im->ent = p;
		im->capent = cap;
	}
	ent = &im->ent[im->nent];
	memset(ent, 0, sizeof *ent);
	if (!(ent->code = dup(code, n)) ||
	    strmap_put(im->idx, code, n, (int64_t)im->nent)) {
		free(ent->code);
		return -1;
	}
	return (long)im->nent++;
}

static const char SQL_UNITS[] =
	"SELECT u.code, u.name, u.kind, p.code FROM org_unit u "
	"LEFT JOIN org_unit p ON p.id = u.parent_id";

static int
load_existing(struct ledger *l, struct import *im, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_UNITS, e);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *code = (const char *)db_column_text(st, 0);
		const char *name = (const char *)db_column_text(st, 1);
		const char *kind = (const char *)db_column_text(st, 2);
		const char *par = (const char *)db_column_text(st, 3);
		long k = add_entry(im, code, strlen(code));
		if (k < 0 || !(im->ent[k].name = strdup(name)) ||
		    (par && !(im->ent[k].parent = strdup(par)))) {
			db_reset(st);
			return err_setf(e, ERR_IO, "out of memory");
		}
		im->ent[k].kind = org_kind_parse(kind, strlen(kind));
		im->ent[k].in_db = 1;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "reading units", e);
}

static int
parse_count(const char *s, size_t n, int64_t *out)
{
	int64_t v;

	if (num_parse(s, n, '.', 0, 0, &v) != NUM_OK &&
	    num_parse(s, n, ',', '.', 0, &v) != NUM_OK &&
	    num_parse(s, n, '.', ',', 0, &v) != NUM_OK)
		return -1;
	if (v < 0)
		return -1;
	*out = v;
	return 0;
}

static int
parse_area(const char *s, size_t n, char dec, int64_t *out)
{
	int64_t v;

	if (num_parse(s, n, dec, dec == ',' ? '.' : 0, 3, &v) != NUM_OK &&
	    num_parse(s, n, '.', 0, 3, &v) != NUM_OK)
		return -1;
	if (v < 0)
		return -1;
	*out = v;
	return 0;
}

enum { C_CODE, C_NAME, C_PARENT, C_KIND, C_YEAR, C_POP, C_EMP, C_AREA, C_NUMBER,
       C_NET, C_STATION, C_N };
static const char *const COLS[C_N] = {
	"code", "name", "parent", "kind", "year", "population", "employees",
	"floor_area_m2", "number", "heat_network", "weather_station",
};

/* A district-heat network's name as factor sets write it: 1 to 64
 * lower-case letters, digits, '_' and '-'. */
static int
network_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* A weather station id (docs/degree-days.md): 1 to 64 of A-Z a-z 0-9 - _ . */
static int
station_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '_' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

static int
same(const char *a, const char *f, size_t n)
{
	return strlen(a) == n && memcmp(a, f, n) == 0;
}

/* An official number: 1 to 16 digits ("01", "11000000"). */
static int
number_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 16)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void
parse_row(struct import *im, const struct csv_row *row, const size_t *col,
	  const char *file, char dec, struct errlist *errs)
{
	const char *f[C_N] = {0};
	size_t n[C_N] = {0};
	long c[C_N] = {0};
	int i, kind, bad = 0;
	int64_t k64;
	size_t k;
	struct entry *ent;

	for (i = 0; i < C_N; i++) {
		if (!col[i])
			continue;
		if (col[i] > row->n) {
			f[i] = "";
			c[i] = row->fcol[row->n - 1] + (long)row->len[row->n - 1] + 1;
			continue;
		}
		n[i] = row->len[col[i] - 1];
		f[i] = trim(row->field[col[i] - 1], &n[i]);
		c[i] = row->fcol[col[i] - 1];
	}
#define ROWERR(ci, ...) \
	(errlist_addf(errs, ERR_DATA, file, row->line, c[ci], __VA_ARGS__), bad = 1)
	for (i = 0; i < 4; i++)
		if (i != C_PARENT && n[i] == 0)
			ROWERR(i, "empty '%s' (every unit needs a %s)", COLS[i], COLS[i]);
	if (bad)
		return;
	for (k = 0; k < n[C_CODE]; k++) {
		/* a code is a key people type and read: no character that a
		 * terminal or an editor would hide, act on or reorder */
		size_t len = text_unsafe_at(f[C_CODE] + k, n[C_CODE] - k);
		if (len) {
			char shown[16], ch[8];
			const char *p;
			long chars = 0;
			memcpy(ch, f[C_CODE] + k, len);
			ch[len] = '\0';
			text_escape(ch, TEXT_ESC_TERMINAL, shown, sizeof shown);
			for (p = row->field[col[C_CODE] - 1]; p < f[C_CODE] + k; p++)
				chars += (*p & 0xC0) != 0x80;
			errlist_addf(errs, ERR_DATA, file, row->line, c[C_CODE] + chars,
				     "code holds the control or bidi character %s, which "
				     "a terminal would act on or hide (codes are visible "
				     "text; fix the code)", shown);
			return;
		}
	}
	kind = org_kind_parse(f[C_KIND], n[C_KIND]);
	if (kind < 0)
		ROWERR(C_KIND, "unknown kind '%.*s' (expected state, district, "
		       "department or site)", (int)n[C_KIND], f[C_KIND]);
	else if (kind == ORG_STATE && n[C_PARENT])
		ROWERR(C_PARENT, "a state has no parent (leave 'parent' empty)");
	else if (kind != ORG_STATE && !n[C_PARENT])
		ROWERR(C_PARENT, "a %s needs a parent unit", KIND[kind]);
	if (n[C_PARENT] && n[C_PARENT] == n[C_CODE] &&
	    memcmp(f[C_PARENT], f[C_CODE], n[C_CODE]) == 0)
		ROWERR(C_PARENT, "unit '%.*s' cannot be its own parent",
		       (int)n[C_CODE], f[C_CODE]);
	if (n[C_NUMBER] && !number_ok(f[C_NUMBER], n[C_NUMBER]))
		ROWERR(C_NUMBER, "number '%.*s' is not an official number (1 to 16 "
		       "digits, e.g. 01)", (int)n[C_NUMBER], f[C_NUMBER]);
	if (n[C_NET] && !network_ok(f[C_NET], n[C_NET]))
		ROWERR(C_NET, "heat_network '%.*s' is not a network name (1 to 64 "
		       "lower-case letters, digits, '_' and '-', as the factor set "
		       "names it, e.g. berlin-city)", (int)n[C_NET], f[C_NET]);
	if (n[C_STATION] && !station_ok(f[C_STATION], n[C_STATION]))
		ROWERR(C_STATION, "weather_station '%.*s' is not a station id (1 to "
		       "64 of A-Z a-z 0-9 - _ ., as in the degree-day set, e.g. 433)",
		       (int)n[C_STATION], f[C_STATION]);
	if (bad)
		return;
	if (strmap_get(im->idx, f[C_CODE], n[C_CODE], &k64)) {
		k = (size_t)k64;
	} else {
		long nk = add_entry(im, f[C_CODE], n[C_CODE]);
		if (nk < 0) {
			ROWERR(C_CODE, "out of memory");
			return;
		}
		k = (size_t)nk;
	}
	ent = &im->ent[k];
	if (ent->in_file) {
		const char *p = ent->parent ? ent->parent : "";
		if (strlen(p) != n[C_PARENT] || memcmp(p, f[C_PARENT], n[C_PARENT]))
			ROWERR(C_PARENT, "unit '%s' appears again with parent '%.*s' "
			       "(line %ld gives '%s'; one unit has one parent)",
			       ent->code, (int)n[C_PARENT], f[C_PARENT], ent->line, p);
		else if (strlen(ent->name) != n[C_NAME] ||
			 memcmp(ent->name, f[C_NAME], n[C_NAME]))
			ROWERR(C_NAME, "unit '%s' appears again with name '%.*s' "
			       "(line %ld gives '%s')", ent->code, (int)n[C_NAME],
			       f[C_NAME], ent->line, ent->name);
		else if (ent->kind != kind)
			ROWERR(C_KIND, "unit '%s' appears again with kind '%s' "
			       "(line %ld gives '%s')", ent->code, KIND[kind],
			       ent->line, KIND[ent->kind]);
		else if (n[C_NUMBER] && ent->number &&
			 (strlen(ent->number) != n[C_NUMBER] ||
			  memcmp(ent->number, f[C_NUMBER], n[C_NUMBER])))
			ROWERR(C_NUMBER, "unit '%s' appears again with number '%.*s' "
			       "(line %ld gives '%s')", ent->code, (int)n[C_NUMBER],
			       f[C_NUMBER], ent->line, ent->number);
		else if (n[C_NET] && ent->network &&
			 (strlen(ent->network) != n[C_NET] ||
			  memcmp(ent->network, f[C_NET], n[C_NET])))
			ROWERR(C_NET, "unit '%s' appears again with heat_network '%.*s' "
			       "(line %ld gives '%s')", ent->code, (int)n[C_NET],
			       f[C_NET], ent->line, ent->network);
		else if (n[C_STATION] && ent->station &&
			 !same(ent->station, f[C_STATION], n[C_STATION]))
			ROWERR(C_STATION, "unit '%s' appears again with weather_station "
			       "'%.*s' (line %ld gives '%s')", ent->code,
			       (int)n[C_STATION], f[C_STATION], ent->line, ent->station);
		else if (n[C_NUMBER] && !ent->number)
			ent->number = dup(f[C_NUMBER], n[C_NUMBER]);
		if (!bad && n[C_NET] && !ent->network)
			ent->network = dup(f[C_NET], n[C_NET]);
		if (!bad && n[C_STATION] && !ent->station)
			ent->station = dup(f[C_STATION], n[C_STATION]);
	} else {
		free(ent->name);
		free(ent->parent);
		ent->name = dup(f[C_NAME], n[C_NAME]);
		ent->parent = n[C_PARENT] ? dup(f[C_PARENT], n[C_PARENT]) : NULL;
		ent->kind = kind;
		free(ent->number);
		ent->number = n[C_NUMBER] ? dup(f[C_NUMBER], n[C_NUMBER]) : NULL;
		free(ent->network);
		ent->network = n[C_NET] ? dup(f[C_NET], n[C_NET]) : NULL;
		free(ent->station);
		ent->station = n[C_STATION] ? dup(f[C_STATION], n[C_STATION]) : NULL;
		ent->in_file = 1;
		ent->line = row->line;
		ent->parent_col = c[C_PARENT];
	}
	if (col[C_YEAR] && n[C_YEAR]) {
		struct stat_row s = {.unit = k, .line = row->line};
		int64_t y;
		size_t j;
		if (num_parse(f[C_YEAR], n[C_YEAR], '.', 0, 0, &y) != NUM_OK ||
		    y < 1900 || y > 2100) {
			ROWERR(C_YEAR, "year '%.*s' is not a year (expected 1900..2100)",
			       (int)n[C_YEAR], f[C_YEAR]);
			return;
		}
		s.year = (int)y;
		if (n[C_POP] && !(s.has_pop = !parse_count(f[C_POP], n[C_POP], &s.pop)))
			ROWERR(C_POP, "population '%.*s' is not a whole number >= 0",
			       (int)n[C_POP], f[C_POP]);
		else if (s.has_pop && s.pop > ORG_MAX_POPULATION)
			ROWERR(C_POP, "population '%.*s' is out of range (expected "
			       "0..100,000,000)", (int)n[C_POP], f[C_POP]);
		if (n[C_EMP] && !(s.has_emp = !parse_count(f[C_EMP], n[C_EMP], &s.emp)))
			ROWERR(C_EMP, "employees '%.*s' is not a whole number >= 0",
			       (int)n[C_EMP], f[C_EMP]);
		else if (s.has_emp && s.emp > ORG_MAX_EMPLOYEES)
			ROWERR(C_EMP, "employees '%.*s' is out of range (expected "
			       "0..10,000,000)", (int)n[C_EMP], f[C_EMP]);
		if (n[C_AREA] &&
		    !(s.has_area = !parse_area(f[C_AREA], n[C_AREA], dec, &s.area_milli)))
			ROWERR(C_AREA, "floor_area_m2 '%.*s' is not a number >= 0 "
			       "(at most 3 decimals)", (int)n[C_AREA], f[C_AREA]);
		else if (s.has_area && s.area_milli > ORG_MAX_AREA_M2 * 1000)
			ROWERR(C_AREA, "floor_area_m2 '%.*s' is out of range (expected "
			       "0..1,000,000,000 m2)", (int)n[C_AREA], f[C_AREA]);
		{
			char key[64];
			int kl = snprintf(key, sizeof key, "%zu\n%d", k, s.year);
			int64_t j64;
			if (strmap_get(im->years, key, (size_t)kl, &j64)) {
				j = (size_t)j64;
				ROWERR(C_YEAR, "statistics for '%s' in %d appear twice "
				       "(also on line %ld)", im->ent[k].code, s.year,
				       im->st[j].line);
			} else if (!bad && strmap_put(im->years, key, (size_t)kl,
						      (int64_t)im->nst)) {
				ROWERR(C_YEAR, "out of memory");
			}
		}
		if (bad)
			return;
		if (im->nst == im->capst) {
			size_t cap = im->capst ? im->capst * 2 : 64;
			struct stat_row *p = realloc(im->st, cap * sizeof *p);
			if (!p) {
				ROWERR(C_YEAR, "out of memory");
				return;
			}
			im->st = p;
			im->capst = cap;
		}
		im->st[im->nst++] = s;
	} else if ((n[C_POP] || n[C_EMP] || n[C_AREA]) && col[C_YEAR]) {
		ROWERR(C_YEAR, "statistics without a year (fill in 'year')");
	}
#undef ROWERR
}

/* "did you mean" and the error for an unknown parent of entry i */
static void
unknown_parent(struct import *im, size_t i, const char *file, struct errlist *errs)
{
	struct entry *ent = &im->ent[i];
	size_t j, best = ORG_NONE, bd = 99;
	size_t pl = strlen(ent->parent);
	size_t limit = pl / 2 > 2 ? pl / 2 : 2;
	char hint[96] = "";

	if (errs->n < ERRLIST_KEEP) /* the search is linear: only for kept errors */
		for (j = 0; j < im->nent; j++) {
			size_t d = text_distance(ent->parent, pl, im->ent[j].code,
						 strlen(im->ent[j].code));
			if (d <= limit && d < bd) {
				bd = d;
				best = j;
			}
		}
	if (best != ORG_NONE)
		snprintf(hint, sizeof hint, "did you mean '%s'? ", im->ent[best].code);
	errlist_addf(errs, ERR_DATA, file, ent->line, ent->parent_col,
		     "unknown parent '%s' of unit '%s' (%sdefine it in this file or "
		     "import it first)", ent->parent, ent->code, hint);
}

/* Parents known, no cycles, no chain deeper than ORG_MAX_DEPTH: one walk
 * up from every unit not seen yet, iterative and linear in the number of
 * units (each unit is finished once). */
static void
check_tree(struct import *im, const char *file, struct errlist *errs)
{
	size_t n = im->nent, i, sp;
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t *parent = malloc((n ? n : 1) * sizeof *parent);
	size_t *stack = malloc((n ? n : 1) * sizeof *stack);
	long *depth = malloc((n ? n : 1) * sizeof *depth);

	if (!state || !parent || !stack || !depth) {
		errlist_addf(errs, ERR_IO, file, 0, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int64_t p;
		const char *pc = im->ent[i].parent;
		parent[i] = ORG_NONE;
		depth[i] = 0;
		if (!pc)
			continue;
		if (strmap_get(im->idx, pc, strlen(pc), &p))
			parent[i] = (size_t)p;
		else if (im->ent[i].in_file)
			unknown_parent(im, i, file, errs);
	}
	for (i = 0; i < n; i++) {
		size_t cur = i;
		long d;
		if (state[i] != WALK_NEW)
			continue;
		/* up to a finished unit, a root, or a unit on this walk (cycle) */
		sp = 0;
		while (cur != ORG_NONE && state[cur] == WALK_NEW) {
			state[cur] = WALK_OPEN;
			stack[sp++] = cur;
			cur = parent[cur];
		}
		if (cur != ORG_NONE && state[cur] == WALK_OPEN) {
			/* the walk from stack[k] on is a cycle: each unit on it */
			size_t k = sp;
			while (k > 0 && stack[k - 1] != cur)
				k--;
			for (k = k ? k - 1 : 0; k < sp; k++) {
				struct entry *ent = &im->ent[stack[k]];
				if (ent->in_file)
					errlist_addf(errs, ERR_DATA, file, ent->line,
						     ent->parent_col,
						     "parent '%s' of unit '%s' makes a "
						     "cycle (a unit cannot be below "
						     "itself)", ent->parent, ent->code);
				depth[stack[k]] = -1;
				state[stack[k]] = WALK_DONE;
			}
		}
		/* unwind: each unit one level below its parent */
		d = cur == ORG_NONE ? -1 : depth[cur];
		while (sp > 0) {
			size_t u = stack[--sp];
			if (state[u] == WALK_DONE) { /* on the cycle */
				d = -1;
				continue;
			}
			state[u] = WALK_DONE;
			d = d < 0 && parent[u] != ORG_NONE ? -1 : d + 1;
			depth[u] = d;
			if (d == ORG_MAX_DEPTH) {
				struct entry *ent = &im->ent[u];
				errlist_addf(errs, ERR_DATA, file, ent->line,
					     ent->parent_col,
					     "unit '%s' is more than %d levels deep "
					     "(at most %d levels from the top unit; is "
					     "the parent column right?)", ent->code,
					     ORG_MAX_DEPTH, ORG_MAX_DEPTH);
			}
		}
	}
out:
	free(state);
	free(parent);
	free(stack);
	free(depth);
}

/* a file without a 'number' column (?5 = 0) keeps the numbers stored, one
 * without a 'heat_network' column (?7 = 0) the networks, without a
 * 'weather_station' column (?9 = 0) the stations */
static const char SQL_UPSERT[] =
	"INSERT INTO org_unit(code, name, kind, number, heat_network, weather_station) "
	"VALUES (?1, ?2, ?3, ?4, ?6, ?8) "
	"ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
	"number = CASE WHEN ?5 THEN excluded.number ELSE org_unit.number END, "
	"heat_network = CASE WHEN ?7 THEN excluded.heat_network "
	"ELSE org_unit.heat_network END, "
	"weather_station = CASE WHEN ?9 THEN excluded.weather_station "
	"ELSE org_unit.weather_station END";
static const char SQL_PARENT[] =
	"UPDATE org_unit SET parent_id = (SELECT id FROM org_unit WHERE code = ?2) "
	"WHERE code = ?1";
static const char SQL_STAT[] =
	"INSERT INTO org_stat(org_id, year, population, employees, floor_area_m2) "
	"VALUES ((SELECT id FROM org_unit WHERE code = ?1), ?2, ?3, ?4, ?5) "
	"ON CONFLICT(org_id, year) DO UPDATE SET population = excluded.population, "
	"employees = excluded.employees, floor_area_m2 = excluded.floor_area_m2";

static int
write_all(struct ledger *l, struct import *im, const char *file,
	  const char *sha, struct org_import_stats *out, struct err *e)
{
	struct db_stmt *st;
	size_t i;
	char payload[1200], org_hash[65];

	if (ledger_begin(l, e))
		return -1;
	for (i = 0; i < im->nent; i++) {
		struct entry *ent = &im->ent[i];
		if (!ent->in_file)
			continue;
		if (!(st = ledger_stmt(l, SQL_UPSERT, e)))
			goto fail;
		db_bind_text(st, 1, ent->code, -1, DB_STATIC);
		db_bind_text(st, 2, ent->name, -1, DB_STATIC);
		db_bind_text(st, 3, KIND[ent->kind], -1, DB_STATIC);
		if (ent->number)
			db_bind_text(st, 4, ent->number, -1, DB_STATIC);
		else
			db_bind_null(st, 4);
		db_bind_int(st, 5, im->has_number);
		ledger_bind_text(st, 6, ent->network);
		db_bind_int(st, 7, im->has_network);
		ledger_bind_text(st, 8, ent->station);
		db_bind_int(st, 9, im->has_station);
		if (ledger_step_done(l, st, "storing a unit", e))
			goto fail;
		if (ent->in_db)
			out->units_updated++;
		else
			out->units_new++;
	}
	for (i = 0; i < im->nent; i++) {
		struct entry *ent = &im->ent[i];
		if (!ent->in_file)
			continue;
		if (!(st = ledger_stmt(l, SQL_PARENT, e)))
			goto fail;
		db_bind_text(st, 1, ent->code, -1, DB_STATIC);
		ledger_bind_text(st, 2, ent->parent);
		if (ledger_step_done(l, st, "linking a unit to its parent", e))
			goto fail;
	}
	for (i = 0; i < im->nst; i++) {
		struct stat_row *s = &im->st[i];
		if (!(st = ledger_stmt(l, SQL_STAT, e)))
			goto fail;
		db_bind_text(st, 1, im->ent[s->unit].code, -1, DB_STATIC);
		db_bind_int(st, 2, s->year);
		if (s->has_pop)
			db_bind_int64(st, 3, s->pop);
		if (s->has_emp)
			db_bind_int64(st, 4, s->emp);
		if (s->has_area)
			db_bind_double(st, 5, (double)s->area_milli / 1000.0);
		if (ledger_step_done(l, st, "storing statistics", e))
			goto fail;
		out->stats_rows++;
	}
	if (org_sha256(l, 0, org_hash, e))
		goto fail;
	{
		char fj[600];
		size_t j, w = 0;
		for (j = 0; file[j] && w < sizeof fj - 8; j++) {
			unsigned char ch = (unsigned char)file[j];
			if (ch == '"' || ch == '\\')
				fj[w++] = '\\';
			if (ch >= 0x20)
				fj[w++] = (char)ch;
		}
		fj[w] = '\0';
		snprintf(payload, sizeof payload,
			 "{\"file\":\"%s\",\"org_sha256\":\"%s\",\"sha256\":\"%s\","
			 "\"stats\":%ld,\"units_new\":%ld,\"units_updated\":%ld}",
			 fj, org_hash, sha, out->stats_rows, out->units_new,
			 out->units_updated);
	}
	if (audit_append(l, "org.import", payload, e) || ledger_commit(l, e))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	memset(out, 0, sizeof *out);
	return -1;
}

int
org_import_csv(struct ledger *l, struct csv *csv, struct org_import_stats *out,
	       struct errlist *errs, struct err *e)
{
	struct import im = {0};
	struct csv_row row;
	size_t col[C_N] = {0};
	const char *file = csv_name(csv);
	char dec;
	enum csv_result r;
	int i, rc = -1;

	memset(out, 0, sizeof *out);
	if (!(im.idx = strmap_new()) || !(im.years = strmap_new())) {
		import_free(&im);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (load_existing(l, &im, e))
		goto out;
	r = csv_next(csv, &row, e);
	if (r == CSV_END) {
		errlist_addf(errs, ERR_DATA, file, 1, 1,
			     "empty file (expected a header line: code,name,parent,"
			     "kind[,year,population,employees,floor_area_m2,number,"
			     "heat_network,weather_station])");
		goto data_error;
	}
	if (r != CSV_ROW) {
		errlist_add(errs, e);
		goto data_error;
	}
	for (i = 0; i < C_N; i++)
		col[i] = csv_find(&row, COLS[i]);
	im.has_number = col[C_NUMBER] != 0;
	im.has_network = col[C_NET] != 0;
	im.has_station = col[C_STATION] != 0;
	for (i = 0; i < 4; i++)
		if (!col[i])
			errlist_addf(errs, ERR_DATA, file, 1, 1,
				     "missing column '%s' (the header needs code, "
				     "name, parent and kind)", COLS[i]);
	if (errs->total)
		goto data_error;
	dec = csv_delim(csv) == ';' ? ',' : '.';
	while ((r = csv_next(csv, &row, e)) != CSV_END) {
		if (r == CSV_FATAL) {
			errlist_add(errs, e);
			break;
		}
		if (r == CSV_BAD) {
			errlist_add(errs, e);
			continue;
		}
		if (im.nent > ORG_MAX_UNITS) {
			errlist_addf(errs, ERR_DATA, file, row.line, 1,
				     "more than %d units", ORG_MAX_UNITS);
			break;
		}
		parse_row(&im, &row, col, file, dec, errs);
	}
	check_tree(&im, file, errs);
	if (errs->total)
		goto data_error;
	rc = write_all(l, &im, file, csv_sha256(csv), out, e);
	goto out;
data_error:
	errlist_sort(errs);
	err_set(e, ERR_DATA, file, 0, 0,
		"%zu error%s; nothing was imported (fix the file and run again)",
		errs->total, errs->total == 1 ? "" : "s");
out:
	import_free(&im);
	return rc;
}

/* ---- tree -------------------------------------------------------------- */

struct org_tree {
	struct org_unit *u;
	size_t n;
	struct strmap *by_code;
	struct strmap *by_id;
};

void
org_tree_free(struct org_tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->u[i].code);
		free(t->u[i].name);
		free(t->u[i].number);
		free(t->u[i].heat_network);
	}
	free(t->u);
	strmap_free(t->by_code);
	strmap_free(t->by_id);
	free(t);
}

struct raw {
	int64_t id, parent_id;
	char *code, *name, *number, *network;
	int kind;
	int placed;
};

/* Siblings in the official order: units with a number first, by number
 * (as a number: shorter first, then digit by digit), then the others by
 * code. */
static const char *
skip_zeros(const char *s)
{
	while (s[0] == '0' && s[1])
		s++;
	return s;
}

static int
cmp_order(const void *a, const void *b)
{
	const struct raw *x = a, *y = b;

	if (x->number && y->number) {
		const char *p = skip_zeros(x->number), *q = skip_zeros(y->number);
		size_t lp = strlen(p), lq = strlen(q);
		int c;
		if (lp != lq)
			return lp < lq ? -1 : 1;
		if ((c = strcmp(p, q)) != 0)
			return c;
	} else if (x->number || y->number) {
		return x->number ? -1 : 1;
	}
	return strcmp(x->code, y->code);
}

static const char SQL_TREE[] =
	"SELECT id, code, name, kind, parent_id, number, heat_network FROM org_unit";

/* Append raw[i] as a unit of the tree below tree unit `parent`. */
static size_t
place_one(struct org_tree *t, struct raw *raw, size_t i, size_t parent)
{
	size_t me = t->n;
	struct org_unit *u = &t->u[t->n++];

	u->id = raw[i].id;
	u->code = raw[i].code;
	u->name = raw[i].name;
	u->number = raw[i].number;
	u->heat_network = raw[i].network;
	raw[i].code = raw[i].name = raw[i].number = raw[i].network = NULL;
	u->kind = (enum org_kind)raw[i].kind;
	u->parent = parent;
	/* a unit without a network of its own is on its parent's */
	u->network = u->heat_network ? u->heat_network
		     : parent == ORG_NONE ? NULL : t->u[parent].network;
	u->depth = parent == ORG_NONE ? 0 : t->u[parent].depth + 1;
	raw[i].placed = 1;
	if (u->kind == ORG_STATE)
		u->report = ORG_NONE;
	else if (parent == ORG_NONE || t->u[parent].kind == ORG_STATE ||
		 u->kind == ORG_DISTRICT)
		u->report = me;
	else
		u->report = t->u[parent].report == ORG_NONE ? me : t->u[parent].report;
	return me;
}

/* Append raw[root] and all below it, depth first with children in official
 * order (kids[] chains each unit's children through next[]). Iterative:
 * `stack` has room for every unit, so no depth can overflow anything. */
struct frame {
	size_t unit; /* tree index of the unit whose children are placed */
	size_t kid;  /* raw index of its next child, ORG_NONE at the end */
};

static void
place(struct org_tree *t, struct raw *raw, const size_t *kids, const size_t *next,
      size_t root, struct frame *stack)
{
	size_t sp = 0;

	stack[sp].unit = place_one(t, raw, root, ORG_NONE);
	stack[sp++].kid = kids[root];
	while (sp > 0) {
		struct frame *f = &stack[sp - 1];
		size_t j = f->kid;
		while (j != ORG_NONE && raw[j].placed)
			j = next[j];
		if (j == ORG_NONE) {
			sp--;
			continue;
		}
		f->kid = next[j];
		stack[sp].unit = place_one(t, raw, j, f->unit);
		stack[sp++].kid = kids[j];
	}
}

int
org_tree_load(struct ledger *l, struct org_tree **out, struct err *e)
{
	struct org_tree *t = calloc(1, sizeof *t);
	struct db_stmt *st;
	struct raw *raw = NULL;
	size_t n = 0, cap = 0, i, *kids, *next;
	struct frame *stack;
	int rc;

	*out = NULL;
	if (!t || !(t->by_code = strmap_new()) || !(t->by_id = strmap_new())) {
		org_tree_free(t);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (!(st = ledger_stmt(l, SQL_TREE, e))) {
		org_tree_free(t);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = (const char *)db_column_text(st, 3);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			raw = realloc(raw, cap * sizeof *raw);
			if (!raw)
				break;
		}
		raw[n].id = db_column_int64(st, 0);
		raw[n].code = strdup((const char *)db_column_text(st, 1));
		raw[n].name = strdup((const char *)db_column_text(st, 2));
		raw[n].kind = org_kind_parse(kind, strlen(kind));
		raw[n].parent_id = db_column_type(st, 4) == DB_NULL
					   ? 0 : db_column_int64(st, 4);
		raw[n].number = db_column_type(st, 5) == DB_NULL ? NULL
				: strdup((const char *)db_column_text(st, 5));
		raw[n].network = db_column_type(st, 6) == DB_NULL ? NULL
				 : strdup((const char *)db_column_text(st, 6));
		raw[n].placed = 0;
		n++;
	}
	db_reset(st);
	if (!raw && cap) {
		org_tree_free(t);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (n)
		qsort(raw, n, sizeof *raw, cmp_order);
	t->u = calloc(n ? n : 1, sizeof *t->u);
	kids = malloc((n ? n : 1) * sizeof *kids);
	next = malloc((n ? n : 1) * sizeof *next);
	stack = malloc((n ? n : 1) * sizeof *stack);
	if (t->u && kids && next && stack) {
		for (i = 0; i < n; i++) {
			kids[i] = next[i] = ORG_NONE;
			strmap_put(t->by_id, (const char *)&raw[i].id, sizeof raw[i].id,
				   (int64_t)i);
		}
		for (i = n; i-- > 0;) { /* reverse, so each chain keeps the order */
			int64_t p;
			if (raw[i].parent_id &&
			    strmap_get(t->by_id, (const char *)&raw[i].parent_id,
				       sizeof raw[i].parent_id, &p)) {
				next[i] = kids[p];
				kids[p] = i;
			}
		}
		for (i = 0; i < n; i++)
			if (!raw[i].parent_id)
				place(t, raw, kids, next, i, stack);
		for (i = 0; i < n; i++) /* orphans cannot happen; be safe */
			if (!raw[i].placed)
				place(t, raw, kids, next, i, stack);
	}
	if (!kids || !next || !stack) {
		free(t->u);
		t->u = NULL;
	}
	free(kids);
	free(next);
	free(stack);
	for (i = 0; i < n; i++) {
		free(raw[i].code);
		free(raw[i].name);
		free(raw[i].number);
		free(raw[i].network);
	}
	free(raw);
	if (!t->u) {
		org_tree_free(t);
		return err_setf(e, ERR_IO, "out of memory");
	}
	for (i = 0; i < t->n; i++) {
		if (strmap_put(t->by_code, t->u[i].code, strlen(t->u[i].code), (int64_t)i) ||
		    strmap_put(t->by_id, (const char *)&t->u[i].id, sizeof t->u[i].id,
			       (int64_t)i)) {
			org_tree_free(t);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	if (rc != DB_DONE && rc != DB_ROW) {
		org_tree_free(t);
		return ledger_fail(l, rc, "reading units", e);
	}
	*out = t;
	return 0;
}

size_t
org_tree_count(const struct org_tree *t)
{
	return t->n;
}

const struct org_unit *
org_tree_at(const struct org_tree *t, size_t i)
{
	return i < t->n ? &t->u[i] : NULL;
}

size_t
org_tree_find(const struct org_tree *t, const char *code, size_t len)
{
	int64_t v;

	return strmap_get(t->by_code, code, len, &v) ? (size_t)v : ORG_NONE;
}

size_t
org_tree_by_id(const struct org_tree *t, int64_t id)
{
	int64_t v;

	/* keyed by the id's bytes: no formatting per lookup (calc, the
	 * completeness check and the reports look up every row's unit) */
	return strmap_get(t->by_id, (const char *)&id, sizeof id, &v) ? (size_t)v : ORG_NONE;
}

void
org_tree_suggest(const struct org_tree *t, const char *code, size_t len,
		 char *buf, size_t n)
{
	size_t best[3] = {ORG_NONE, ORG_NONE, ORG_NONE}, bd[3] = {99, 99, 99};
	size_t i, k, limit = len / 2 > 2 ? len / 2 : 2, w = 0;

	if (n)
		buf[0] = '\0';
	for (i = 0; i < t->n; i++) {
		size_t d = text_distance(code, len, t->u[i].code, strlen(t->u[i].code));
		if (d > limit)
			continue;
		for (k = 0; k < 3; k++)
			if (d < bd[k]) {
				memmove(best + k + 1, best + k, (2 - k) * sizeof best[0]);
				memmove(bd + k + 1, bd + k, (2 - k) * sizeof bd[0]);
				best[k] = i;
				bd[k] = d;
				break;
			}
	}
	for (k = 0; k < 3 && best[k] != ORG_NONE && w < n; k++) {
		int r = snprintf(buf + w, n - w, "%s'%s'", k ? ", " : "",
				 t->u[best[k]].code);
		if (r < 0)
			break;
		w += (size_t)r;
	}
}

static const char SQL_STATGET[] =
	"SELECT population, employees, floor_area_m2 FROM org_stat "
	"WHERE org_id = ?1 AND year = ?2";

int
org_stat_get(struct ledger *l, int64_t id, int year, struct org_stat *out,
	     struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_STATGET, e);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int(st, 2, year);
	rc = db_step(st);
	if (rc == DB_ROW) {
		if ((out->has_population = db_column_type(st, 0) != DB_NULL))
			out->population = db_column_int64(st, 0);
		if ((out->has_employees = db_column_type(st, 1) != DB_NULL))
			out->employees = db_column_int64(st, 1);
		if ((out->has_floor_area = db_column_type(st, 2) != DB_NULL))
			out->floor_area_m2 = db_column_double(st, 2);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0
						     : ledger_fail(l, rc, "reading statistics", e);
}

static const char SQL_STATEACH[] =
	"SELECT year, population, employees, floor_area_m2 FROM org_stat "
	"WHERE org_id = ?1 ORDER BY year";

int
org_stat_each(struct ledger *l, int64_t id, org_stat_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_STATEACH, e);
	int rc, stop = 0;

	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		struct org_stat s;
		memset(&s, 0, sizeof s);
		if ((s.has_population = db_column_type(st, 1) != DB_NULL))
			s.population = db_column_int64(st, 1);
		if ((s.has_employees = db_column_type(st, 2) != DB_NULL))
			s.employees = db_column_int64(st, 2);
		if ((s.has_floor_area = db_column_type(st, 3) != DB_NULL))
			s.floor_area_m2 = db_column_double(st, 3);
		stop = fn(ctx, db_column_int(st, 0), &s);
	}
	db_reset(st);
	if (stop)
		return stop;
	return rc == DB_DONE ? 0 : ledger_fail(l, rc, "reading statistics", e);
}

struct org_stations {
	size_t n;
	char **own;        /* [n], the unit's own station or NULL */
	const char **eff;  /* [n], own or the nearest ancestor's */
};

static const char SQL_STATIONS[] =
	"SELECT id, weather_station FROM org_unit WHERE weather_station IS NOT NULL";

void
org_stations_free(struct org_stations *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; s->own && i < s->n; i++)
		free(s->own[i]);
	free(s->own);
	free(s->eff);
	free(s);
}

int
org_stations_load(struct ledger *l, const struct org_tree *t,
		  struct org_stations **out, struct err *e)
{
	struct org_stations *s = calloc(1, sizeof *s);
	struct db_stmt *st;
	size_t n = org_tree_count(t), i;
	int rc;

	*out = NULL;
	if (!s || !(s->own = calloc(n ? n : 1, sizeof *s->own)) ||
	    !(s->eff = calloc(n ? n : 1, sizeof *s->eff))) {
		org_stations_free(s);
		return err_setf(e, ERR_IO, "out of memory");
	}
	s->n = n;
	if (!(st = ledger_stmt(l, SQL_STATIONS, e))) {
		org_stations_free(s);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		size_t k = org_tree_by_id(t, db_column_int64(st, 0));
		const char *v = (const char *)db_column_text(st, 1);
		if (k == ORG_NONE || !v)
			continue;
		if (!(s->own[k] = strdup(v))) {
			db_reset(st);
			org_stations_free(s);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		org_stations_free(s);
		return ledger_fail(l, rc, "reading the weather stations", e);
	}
	/* parents come before their children in display order */
	for (i = 0; i < n; i++) {
		size_t p = org_tree_at(t, i)->parent;
		s->eff[i] = s->own[i] ? s->own[i] : p != ORG_NONE ? s->eff[p] : NULL;
	}
	*out = s;
	return 0;
}

const char *
org_station_of(const struct org_stations *s, size_t i)
{
	return s && i < s->n ? s->eff[i] : NULL;
}

static const char SQL_ORG_UNITS[] =
	"SELECT u.code, u.name, u.kind, p.code FROM org_unit u "
	"LEFT JOIN org_unit p ON p.id = u.parent_id ORDER BY u.code";
static const char SQL_ORG_NETS[] =
	"SELECT code, heat_network FROM org_unit WHERE heat_network IS NOT NULL "
	"ORDER BY code";
static const char SQL_ORG_STATS[] =
	"SELECT u.code, s.year, s.population, s.employees, s.floor_area_m2 "
	"FROM org_stat s JOIN org_unit u ON u.id = s.org_id "
	"WHERE ?1 = 0 OR s.year = ?1 ORDER BY u.code, s.year";


int
org_sha256(struct ledger *l, int year, char out[65], struct err *e)
{
	struct sha256 s;
	struct db_stmt *st;
	int rc;

	sha256_init(&s);
	if (!(st = ledger_stmt(l, SQL_ORG_UNITS, e)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct rowhash_val v[5] = {{ROWHASH_TEXT, 0, "unit", 4, }};
		int i;
		for (i = 0; i < 4; i++)
			v[i + 1] = rowhash_column(st, i);
		rowhash_put(&s, v, 5);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the units", e);
	/* the district-heat networks named by units (none: the hash of a
	 * tree without networks is what it was before they existed) */
	if (!(st = ledger_stmt(l, SQL_ORG_NETS, e)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct rowhash_val v[3] = {{ROWHASH_TEXT, 0, "network", 7, }};
		v[1] = rowhash_column(st, 0);
		v[2] = rowhash_column(st, 1);
		rowhash_put(&s, v, 3);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the networks", e);
	if (!(st = ledger_stmt(l, SQL_ORG_STATS, e)))
		return -1;
	db_bind_int(st, 1, year);
	while ((rc = db_step(st)) == DB_ROW) {
		struct rowhash_val v[6] = {{ROWHASH_TEXT, 0, "stat", 4, }};
		int i;
		for (i = 0; i < 4; i++)
			v[i + 1] = rowhash_column(st, i);
		if (db_column_type(st, 4) != DB_NULL) {
			v[5].type = ROWHASH_INT;
			v[5].i = (int64_t)llround(db_column_double(st, 4) * 1000.0);
		}
		rowhash_put(&s, v, 6);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the statistics", e);
	sha256_final_hex(&s, out);
	return 0;
}
