/*
 * complete: the expected-data check of a year (see complete.h).
 *
 * One scan of the active rows with a day in Y-1 or Y fills the streams'
 * month masks and in-year quantities; a second scan of the day ranges of
 * every active row up to the end of Y finds the first full year.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#include "engine/complete.h"
#include "base/date.h"
#include "base/strmap.h"
#include "org/org.h"

enum { K_ENERGY, K_FLEET, K_PROCUREMENT, NKINDS };
static const char *const KIND[NKINDS] = {"energy", "fleet", "procurement"};

/* What a stream is checked for. */
enum { R_MONTHS, R_SILENT };

struct stream {
	struct complete_stream pub;
	size_t org, ru;           /* tree indexes */
	int kind, role;
	char *activity, *ident, *unit_name;
	int mixed_units;
	unsigned prev, cur, curzero;
	unsigned newcover;        /* months covered by a new meter of the same
				     unit and key (a meter exchange) */
	double qprev, qcur;
};

struct complete {
	int year, threshold, jump, first_full;
	enum complete_state state;
	long rows;
	long missing, silent;     /* expected months missing, streams silent */
	char reason[400];
	struct org_tree *tree;
	struct strmap *map;
	struct stream *st;
	size_t nst, cap;
	const struct complete_stream **list;
	size_t nlist;
	struct complete_unit *units;
	size_t nunits;
	/* the small tables, read once: batch id -> kind (-1: not active),
	 * activity key id -> key; rows are then read without a join */
	signed char *bkind;
	int64_t maxbatch;
	char **keys;
	int64_t maxkey;
	char *key;
	size_t keycap;
};

static const char SQL_ROWS[] =
	"SELECT org_id, key_id, ident, day_start, day_end, quantity, unit, batch_id "
	"FROM activity WHERE day_end >= ?1 AND day_start <= ?2";
static const char SQL_SPANS[] =
	"SELECT batch_id, day_start, day_end FROM activity WHERE day_start <= ?1";
static const char SQL_BATCHES[] =
	"SELECT id, kind FROM batch WHERE status = 'active'";
static const char SQL_MAXBATCH[] = "SELECT coalesce(max(id), 0) FROM batch";
static const char SQL_KEYS[] = "SELECT id, key FROM activity_key";
static const char SQL_MAXKEY[] = "SELECT coalesce(max(id), 0) FROM activity_key";

#define Y0 1900
#define NY 201 /* 1900..2100 */

static int
month_of(int32_t day, int *y)
{
	int m, d;

	date_to_ymd(day, y, &m, &d);
	return m;
}

/* Months of [a, b] inside year y as bits; *days the days inside. */
static unsigned
months_in(int32_t a, int32_t b, int y, int32_t *days)
{
	int32_t s = date_year_start(y), t = date_year_end(y);
	int ya, yb, ma, mb;
	unsigned mask = 0;
	int m;

	*days = 0;
	if (a > t || b < s)
		return 0;
	if (a < s)
		a = s;
	if (b > t)
		b = t;
	*days = b - a + 1;
	ma = month_of(a, &ya);
	mb = month_of(b, &yb);
	for (m = ma; m <= mb; m++)
		mask |= 1u << (m - 1);
	return mask;
}

static struct stream *
stream_get(struct complete *c, int kind, int role, size_t org,
	   const char *activity, const char *ident, struct err *e)
{
	size_t la = strlen(activity), li = ident ? strlen(ident) : 0;
	size_t n = la + li + 48;
	int64_t v;
	struct stream *s;
	int len;

	if (n > c->keycap) {
		char *k = realloc(c->key, n);
		if (!k) {
			err_setf(e, ERR_IO, "out of memory");
			return NULL;
		}
		c->key = k;
		c->keycap = n;
	}
	/* kind, role and org as bytes, then "activity\x1fident": no
	 * formatting per row */
	c->key[0] = (char)kind;
	c->key[1] = (char)role;
	memcpy(c->key + 2, &org, sizeof org);
	len = 2 + (int)sizeof org;
	memcpy(c->key + len, activity, la);
	len += (int)la;
	c->key[len++] = '\x1f';
	if (li)
		memcpy(c->key + len, ident, li);
	len += (int)li;
	if (strmap_get(c->map, c->key, (size_t)len, &v))
		return &c->st[v];
	if (c->nst == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		struct stream *ns = realloc(c->st, nc * sizeof *ns);
		if (!ns) {
			err_setf(e, ERR_IO, "out of memory");
			return NULL;
		}
		c->st = ns;
		c->cap = nc;
	}
	s = &c->st[c->nst];
	memset(s, 0, sizeof *s);
	s->org = org;
	s->ru = org_tree_at(c->tree, org)->report;
	if (s->ru == ORG_NONE)
		s->ru = org;
	s->kind = kind;
	s->role = role;
	if (!(s->activity = strdup(activity)) || (ident && !(s->ident = strdup(ident))) ||
	    strmap_put(c->map, c->key, (size_t)len, (int64_t)c->nst)) {
		free(s->activity);
		free(s->ident);
		err_setf(e, ERR_IO, "out of memory");
		return NULL;
	}
	c->nst++;
	return s;
}

static int
stream_add(struct stream *s, const char *unit, int32_t ds, int32_t de,
	   int64_t q, int year, struct err *e)
{
	int32_t dp, dc, total = de - ds + 1;
	unsigned mp = months_in(ds, de, year - 1, &dp);
	unsigned mc = months_in(ds, de, year, &dc);

	if (!s->unit_name) {
		if (!(s->unit_name = strdup(unit)))
			return err_setf(e, ERR_IO, "out of memory");
	} else if (strcmp(s->unit_name, unit) != 0) {
		s->mixed_units = 1;
	}
	s->prev |= mp;
	if (q != 0)
		s->cur |= mc;
	else
		s->curzero |= mc;
	if (total > 0) {
		s->qprev += (double)q * dp / total;
		s->qcur += (double)q * dc / total;
	}
	if (dp || dc) {
		int32_t end = de > date_year_end(year) ? date_year_end(year) : de;
		if (end > s->pub.last_day)
			s->pub.last_day = end;
	}
	return 0;
}

static int64_t
max_id(struct ledger *l, const char *sql, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, sql, e);
	int64_t v = -1;
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		v = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return ledger_fail(l, rc, "reading ids", e);
	return v;
}

/* The active batches' kinds and the activity keys by id. */
static int
load_tables(struct ledger *l, struct complete *c, struct err *e)
{
	struct db_stmt *st;
	int rc;

	if ((c->maxbatch = max_id(l, SQL_MAXBATCH, e)) < 0 ||
	    (c->maxkey = max_id(l, SQL_MAXKEY, e)) < 0)
		return -1;
	if (!(c->bkind = malloc((size_t)c->maxbatch + 1)) ||
	    !(c->keys = calloc((size_t)c->maxkey + 1, sizeof *c->keys)))
		return err_setf(e, ERR_IO, "out of memory");
	memset(c->bkind, -1, (size_t)c->maxbatch + 1);
	if (!(st = ledger_stmt(l, SQL_BATCHES, e)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		const char *kind = (const char *)db_column_text(st, 1);
		int k;
		for (k = 0; kind && k < NKINDS && strcmp(kind, KIND[k]) != 0; k++)
			;
		if (id >= 0 && id <= c->maxbatch && kind && k < NKINDS)
			c->bkind[id] = (signed char)k;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading batches", e);
	if (!(st = ledger_stmt(l, SQL_KEYS, e)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		const char *key = (const char *)db_column_text(st, 1);
		if (id >= 0 && id <= c->maxkey && key && !c->keys[id] &&
		    !(c->keys[id] = strdup(key))) {
			db_reset(st);
			return err_setf(e, ERR_IO, "out of memory");
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading activity keys", e);
	return 0;
}

/* The kind of an active batch, -1 for a superseded or unknown one. */
static int
batch_kind(const struct complete *c, int64_t id)
{
	return id >= 0 && id <= c->maxbatch ? c->bkind[id] : -1;
}

static int
scan_rows(struct ledger *l, struct complete *c, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ROWS, e);
	int rc, status = 0;

	if (!st)
		return -1;
	db_bind_int(st, 1, date_year_start(c->year - 1));
	db_bind_int(st, 2, date_year_end(c->year));
	while ((rc = db_step(st)) == DB_ROW) {
		int k = batch_kind(c, db_column_int64(st, 7));
		int64_t kid = db_column_int64(st, 1);
		const char *key = kid >= 0 && kid <= c->maxkey ? c->keys[kid] : NULL;
		size_t org;
		const char *ident, *unit;
		int32_t ds, de;
		int64_t q;
		struct stream *s;

		if (k < 0 || !key)
			continue;
		if ((org = org_tree_by_id(c->tree, db_column_int64(st, 0))) == ORG_NONE)
			continue;
		ident = (const char *)db_column_text(st, 2);
		ds = db_column_int(st, 3);
		de = db_column_int(st, 4);
		q = db_column_int64(st, 5);
		unit = (const char *)db_column_text(st, 6);
		if (!unit)
			unit = "";
		if (ident && !*ident)
			ident = NULL;
		if (de >= date_year_start(c->year) && ds <= date_year_end(c->year))
			c->rows++;
		if (k == K_ENERGY) {
			if (!(s = stream_get(c, k, R_MONTHS, org, key, ident, e)) ||
			    stream_add(s, unit, ds, de, q, c->year, e))
				goto fail;
		} else if (k == K_FLEET) {
			/* logbook distances of all car classes together */
			const char *group = strncmp(key, "fleet.distance.", 15) == 0
					    ? "fleet.distance" : key;
			if (!(s = stream_get(c, k, R_MONTHS, org, group, NULL, e)) ||
			    stream_add(s, unit, ds, de, q, c->year, e))
				goto fail;
			if (ident && (!(s = stream_get(c, k, R_SILENT, org, key, ident, e)) ||
				      stream_add(s, unit, ds, de, q, c->year, e)))
				goto fail;
		} else if (k == K_PROCUREMENT) {
			if (!(s = stream_get(c, k, R_SILENT, org, "procurement", NULL, e)) ||
			    stream_add(s, unit, ds, de, q, c->year, e))
				goto fail;
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading activity rows", e);
	return status;
fail:
	db_reset(st);
	return -1;
}

static int
scan_spans(struct ledger *l, struct complete *c, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_SPANS, e);
	unsigned short mask[NY];
	int rc, y;

	if (!st)
		return -1;
	memset(mask, 0, sizeof mask);
	db_bind_int(st, 1, date_year_end(c->year));
	while ((rc = db_step(st)) == DB_ROW) {
		int32_t ds = db_column_int(st, 1), de = db_column_int(st, 2);
		int ya, yb, d;
		if (batch_kind(c, db_column_int64(st, 0)) < 0)
			continue;
		if (de > date_year_end(c->year))
			de = date_year_end(c->year);
		if (ds < date_year_start(Y0))
			ds = date_year_start(Y0);
		if (ds > de)
			continue;
		month_of(ds, &ya);
		month_of(de, &yb);
		for (y = ya; y <= yb && y < Y0 + NY; y++) {
			if (mask[y - Y0] == 0xfff)
				continue;
			mask[y - Y0] |= (unsigned short)months_in(ds, de, y, &d);
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading activity periods", e);
	for (y = Y0; y <= c->year && y < Y0 + NY; y++)
		if (mask[y - Y0] == 0xfff) {
			c->first_full = y;
			break;
		}
	return 0;
}

static int
cmp_list(const void *a, const void *b)
{
	/* pub is a stream's first member */
	const struct stream *x = (const struct stream *)*(const struct complete_stream *const *)a;
	const struct stream *y = (const struct stream *)*(const struct complete_stream *const *)b;
	int r;

	if (x->ru != y->ru)
		return x->ru < y->ru ? -1 : 1;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	if ((r = strcmp(x->activity, y->activity)))
		return r;
	if (x->role != y->role)
		return x->role - y->role;
	return strcmp(x->ident ? x->ident : "", y->ident ? y->ident : "");
}

static int
popcount12(unsigned m)
{
	int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* A meter replaced during the year: the months a new meter of the same
 * org unit and activity key (one without data the year before) covers are
 * not missing from the old one. */
static int
exchanges(struct complete *c, struct err *e)
{
	struct strmap *m = strmap_new();
	unsigned *cover = calloc(c->nst ? c->nst : 1, sizeof *cover);
	size_t i, n;
	int64_t v;

	if (!m || !cover) {
		strmap_free(m);
		free(cover);
		return err_setf(e, ERR_IO, "out of memory");
	}
	for (i = 0; i < c->nst; i++) {
		const struct stream *s = &c->st[i];
		n = (size_t)snprintf(c->key, c->keycap, "%zu\x1f%s", s->org, s->activity);
		if (s->kind != K_ENERGY || n >= c->keycap)
			continue;
		if (!strmap_get(m, c->key, n, &v)) {
			v = (int64_t)i;
			if (strmap_put(m, c->key, n, v)) {
				strmap_free(m);
				free(cover);
				return err_setf(e, ERR_IO, "out of memory");
			}
		}
		if (!s->prev)
			cover[v] |= s->cur | s->curzero;
	}
	for (i = 0; i < c->nst; i++) {
		struct stream *s = &c->st[i];
		n = (size_t)snprintf(c->key, c->keycap, "%zu\x1f%s", s->org, s->activity);
		if (s->kind == K_ENERGY && n < c->keycap && s->prev &&
		    strmap_get(m, c->key, n, &v))
			s->newcover = cover[v];
	}
	strmap_free(m);
	free(cover);
	return 0;
}

static int
finish(struct complete *c, struct err *e)
{
	size_t i, n = org_tree_count(c->tree), k;
	long *uexp = calloc((n ? n : 1) * NKINDS, sizeof *uexp);
	long *upre = calloc((n ? n : 1) * NKINDS, sizeof *upre);
	long *ugap = calloc(n ? n : 1, sizeof *ugap);
	unsigned char *used = calloc(n ? n : 1, 1);
	const struct complete_stream **tmp = malloc((c->nst ? c->nst : 1) * sizeof *tmp);
	long missing = 0, silent = 0, gaps = 0;

	if (!uexp || !upre || !ugap || !used || !tmp)
		goto oom;
	if (exchanges(c, e))
		goto oom;
	for (i = 0; i < c->nst; i++) {
		struct stream *s = &c->st[i];
		struct complete_stream *p = &s->pub;
		p->unit = org_tree_at(c->tree, s->ru)->code;
		p->org = org_tree_at(c->tree, s->org)->code;
		p->kind = KIND[s->kind];
		p->activity = s->activity;
		p->ident = s->ident;
		p->present = (s->cur | s->curzero) & 0xfff;
		p->zero = s->curzero & ~s->cur & 0xfff;
		p->expected = s->role == R_MONTHS ? s->prev & 0xfff : 0;
		p->missing = p->expected & ~p->present & ~s->newcover;
		p->silent = s->prev && !p->present;
		p->counted = s->role == R_MONTHS;
		if (!p->missing && !p->silent && !s->mixed_units && s->qprev > 0 &&
		    s->qcur > 0 && s->role == R_MONTHS && (s->prev & 0xfff) == 0xfff &&
		    (s->cur & 0xfff) == 0xfff) {
			double ch = (s->qcur - s->qprev) / s->qprev * 100.0;
			if (fabs(ch) > c->jump) {
				p->has_jump = 1;
				p->jump_x100 = (int64_t)llround(ch * 100.0);
			}
		}
		if (p->present || s->prev)
			used[s->ru] = 1;
		if (p->counted) {
			uexp[s->ru * NKINDS + (size_t)s->kind] += popcount12(p->expected);
			upre[s->ru * NKINDS + (size_t)s->kind] +=
				popcount12(p->expected & ~p->missing);
			missing += popcount12(p->missing);
		}
		if (p->missing || p->silent) {
			if (p->counted || s->kind != K_FLEET)
				ugap[s->ru]++;
			if (p->silent)
				silent++;
			if (p->counted)
				gaps++;
		}
		if (p->missing || p->silent || p->zero || p->has_jump)
			tmp[c->nlist++] = &s->pub;
	}
	qsort(tmp, c->nlist, sizeof *tmp, cmp_list);
	c->list = tmp;
	tmp = NULL;
	if (!(c->units = calloc(n ? n : 1, sizeof *c->units)))
		goto oom;
	for (i = 0; i < n; i++) {
		struct complete_unit *u;
		if (!used[i])
			continue;
		u = &c->units[c->nunits++];
		u->code = org_tree_at(c->tree, i)->code;
		u->name = org_tree_at(c->tree, i)->name;
		u->pct_x100 = 10000;
		u->gaps = ugap[i];
		for (k = 0; k < NKINDS; k++) {
			long ex = uexp[i * NKINDS + k], pr = upre[i * NKINDS + k];
			u->expected += ex;
			u->present += pr;
			if (ex > 0) {
				int64_t pct = (pr * 20000 + ex) / (2 * ex);
				if (pct < u->pct_x100) {
					u->pct_x100 = pct;
					u->worst_kind = KIND[k];
				}
			}
		}
		u->below = u->pct_x100 < (int64_t)c->threshold * 100;
	}
	free(uexp);
	free(upre);
	free(ugap);
	free(used);
	if (c->rows == 0) {
		c->state = COMPLETE_NO_DATA;
		snprintf(c->reason, sizeof c->reason, "no activity row has a day in %d",
			 c->year);
	} else if (!c->first_full || c->year < c->first_full) {
		c->state = COMPLETE_BEFORE_FULL;
		if (c->first_full)
			snprintf(c->reason, sizeof c->reason, "%d is before the first "
				 "year with data in every month (%d): its %ld rows are "
				 "parts of periods that reach into it, not a year's data",
				 c->year, c->first_full, c->rows);
		else
			snprintf(c->reason, sizeof c->reason, "no year up to %d has data "
				 "in every month; its %ld rows are not a year's data",
				 c->year, c->rows);
	} else if (missing || gaps || silent) {
		c->state = COMPLETE_GAPS;
		c->missing = missing;
		c->silent = silent;
		int w = snprintf(c->reason, sizeof c->reason, "%ld expected month%s "
				 "missing", missing, missing == 1 ? "" : "s");
		if (silent && w > 0 && (size_t)w < sizeof c->reason)
			w += snprintf(c->reason + w, sizeof c->reason - (size_t)w,
				      ", %ld stream%s silent since %d", silent,
				      silent == 1 ? "" : "s", c->year - 1);
		if (w > 0 && (size_t)w < sizeof c->reason)
			snprintf(c->reason + w, sizeof c->reason - (size_t)w,
				 " (see 'co2ledger status --year %d')", c->year);
	} else {
		c->state = COMPLETE_OK;
		c->reason[0] = '\0';
	}
	return 0;
oom:
	free(uexp);
	free(upre);
	free(ugap);
	free(used);
	free(tmp);
	return err_setf(e, ERR_IO, "out of memory");
}

int
complete_check(struct ledger *l, const struct complete_opts *o,
	       struct complete **out, struct err *e)
{
	struct complete *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c)
		return err_setf(e, ERR_IO, "out of memory");
	if (o->year < Y0 + 1 || o->year >= Y0 + NY) {
		free(c);
		return err_setf(e, ERR_USAGE, "year %d is out of range (expected "
				"1901 to 2100)", o->year);
	}
	c->year = o->year;
	c->jump = o->jump_pct > 0 ? o->jump_pct : 50;
	c->threshold = o->threshold_pct > 0 ? o->threshold_pct : 90;
	if (org_tree_load(l, &c->tree, e))
		goto fail;
	if (!(c->map = strmap_new())) {
		err_setf(e, ERR_IO, "out of memory");
		goto fail;
	}
	if (load_tables(l, c, e) || scan_rows(l, c, e) || scan_spans(l, c, e) ||
	    finish(c, e))
		goto fail;
	*out = c;
	return 0;
fail:
	complete_free(c);
	return -1;
}

void
complete_free(struct complete *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nst; i++) {
		free(c->st[i].activity);
		free(c->st[i].ident);
		free(c->st[i].unit_name);
	}
	free(c->st);
	free(c->list);
	free(c->units);
	free(c->key);
	if (c->keys)
		for (i = 0; i <= (size_t)c->maxkey; i++)
			free(c->keys[i]);
	free(c->keys);
	free(c->bkind);
	strmap_free(c->map);
	org_tree_free(c->tree);
	free(c);
}

enum complete_state
complete_get_state(const struct complete *c)
{
	return c->state;
}

int
complete_year(const struct complete *c)
{
	return c->year;
}

int
complete_threshold_pct(const struct complete *c)
{
	return c->threshold;
}

int
complete_first_full_year(const struct complete *c)
{
	return c->first_full;
}

long
complete_rows(const struct complete *c)
{
	return c->rows;
}

long
complete_missing(const struct complete *c)
{
	return c->missing;
}

long
complete_silent(const struct complete *c)
{
	return c->silent;
}

const char *
complete_reason(const struct complete *c)
{
	return c->reason;
}

size_t
complete_stream_count(const struct complete *c)
{
	return c->nlist;
}

const struct complete_stream *
complete_stream_at(const struct complete *c, size_t i)
{
	return i < c->nlist ? c->list[i] : NULL;
}

size_t
complete_unit_count(const struct complete *c)
{
	return c->nunits;
}

const struct complete_unit *
complete_unit_at(const struct complete *c, size_t i)
{
	return i < c->nunits ? &c->units[i] : NULL;
}

const struct complete_unit *
complete_unit_find(const struct complete *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nunits; i++)
		if (strcmp(c->units[i].code, code) == 0)
			return &c->units[i];
	return NULL;
}

void
complete_months(unsigned mask, char *buf, size_t n)
{
	static const char *const M[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	size_t w = 0;
	int m;

	if (n)
		buf[0] = '\0';
	for (m = 0; m < 12; m++)
		if (mask & (1u << m)) {
			int r = snprintf(buf + w, n > w ? n - w : 0, "%s%s", w ? "," : "", M[m]);
			if (r < 0 || (size_t)r >= n - w)
				return;
			w += (size_t)r;
		}
}
