/*
 * import_rows: one row of each kind (energy, fleet, procurement) checked
 * field by field, and the pass over a row: validate, guard, insert or
 * reject.
 */
#include "importers/import_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "org/org.h"

static int
org_field(struct imp *im, const struct fv *v, int64_t *id)
{
	struct vcache *c = &im->vc[PF_ORG];
	const char *code = v->s;
	size_t n = v->n, k;
	char sugg[ORG_SUGG_MAX];
	unsigned i = imp_slot(v->s, v->n);

	if (c->w[i].valid && c->w[i].n == v->n && memcmp(c->w[i].raw, v->s, v->n) == 0) {
		*id = c->w[i].num;
		return 0;
	}
	{
		const char *m;
		if (profile_map_value(im->prof, PF_ORG, v->s, v->n, &m)) {
			code = m;
			n = strlen(m);
		}
	}
	k = org_tree_find(im->orgs, code, n);
	if (k == ORG_NONE) {
		/* the same unknown code tends to repeat: suggest once */
		if (n < sizeof im->bad_org && im->bad_org_n == n &&
		    memcmp(im->bad_org, code, n) == 0) {
			snprintf(sugg, sizeof sugg, "%s", im->bad_org_sugg);
		} else {
			sugg[0] = '\0';
			if (n <= 64) /* longer codes are like none (text_distance) */
				org_tree_suggest(im->orgs, code, n, sugg, sizeof sugg);
			if (n < sizeof im->bad_org) {
				memcpy(im->bad_org, code, n);
				im->bad_org_n = n;
				snprintf(im->bad_org_sugg, sizeof im->bad_org_sugg, "%s", sugg);
			}
		}
		if (org_tree_count(im->orgs) == 0)
			imp_rowerr(im, v, "unknown org code '%.*s' (no units yet: load them "
			       "with 'co2ledger org import' first)", n > 64 ? 64 : (int)n, code);
		else if (sugg[0])
			imp_rowerr(im, v, "unknown org code '%.*s' (closest: %s)",
			       n > 64 ? 64 : (int)n, code, sugg);
		else
			imp_rowerr(im, v, "unknown org code '%.*s' (no similar code; see "
			       "'co2ledger org list')", n > 64 ? 64 : (int)n, code);
		return -1;
	}
	*id = org_tree_at(im->orgs, k)->id;
	if (v->n < CACHE_RAW) {
		memcpy(c->w[i].raw, v->s, v->n);
		c->w[i].n = v->n;
		c->w[i].num = *id;
		c->w[i].valid = 1;
	}
	return 0;
}

static int
quality_field(struct imp *im, struct act *a)
{
	struct fv v;
	const char *q;

	imp_get(im, PF_QUALITY, &v);
	a->quality = im->kind == IMPORT_PROCUREMENT ? 2 : 0;
	if (!v.n)
		return 0;
	if (!(q = imp_vocab_field(im, PF_QUALITY, &v)))
		return -1;
	a->quality = q[0] == 'm' ? 0 : q[0] == 'c' ? 1 : 2;
	return 0;
}

static int
period(struct imp *im, struct act *a)
{
	struct fv vs, ve;
	int bad = 0;

	imp_get(im, PF_PERIOD_START, &vs);
	imp_get(im, PF_PERIOD_END, &ve);
	bad |= imp_required(im, PF_PERIOD_START, &vs) || imp_date_field(im, PF_PERIOD_START, &vs, &a->s);
	bad |= imp_required(im, PF_PERIOD_END, &ve) || imp_date_field(im, PF_PERIOD_END, &ve, &a->e);
	if (!bad && a->e < a->s) {
		imp_rowerr(im, &ve, "period_end '%.*s' is before period_start '%.*s' (a "
		       "period must not end before it starts)", (int)ve.n, ve.s,
		       (int)vs.n, vs.s);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* The quantity and its unit, which must fit the carrier or fuel `what`
 * (canonical, from the field wv; NULL when that was not known). */
static int
quantity_unit(struct imp *im, struct act *a, const char *what, const struct fv *wv)
{
	struct fv v, vu;
	int bad = 0;

	imp_get(im, PF_QUANTITY, &v);
	bad |= imp_required(im, PF_QUANTITY, &v) ||
	       imp_number_field(im, PF_QUANTITY, &v, QTY_SCALE, &a->qty);
	imp_get(im, PF_UNIT, &vu);
	if (imp_required(im, PF_UNIT, &vu))
		bad = 1;
	else if (what && imp_unit_field(im, &vu, what, wv, &a->unit))
		bad = 1;
	return bad;
}

static int
row_energy(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vc;
	const char *carrier = NULL;
	char *tbuf = im->tbuf;
	int bad = 0;

	imp_get(im, PF_CARRIER, &vc);
	if (imp_required(im, PF_CARRIER, &vc) || !(carrier = imp_vocab_field(im, PF_CARRIER, &vc)))
		bad = 1;
	bad |= period(im, a);
	bad |= quantity_unit(im, a, carrier, &vc);
	imp_get(im, PF_TARIFF, &v);
	a->tariff = NULL;
	if (v.n) {
		const char *t;
		if (imp_token_field(im, PF_TARIFF, &v, tbuf, sizeof im->tbuf, &t))
			bad = 1;
		else if (*t)
			a->tariff = t;
	}
	imp_get(im, PF_SUPPLIER_FACTOR, &v);
	a->has_sf = 0;
	if (v.n) {
		if (imp_number_field(im, PF_SUPPLIER_FACTOR, &v, SF_SCALE, &a->sf))
			bad = 1;
		else
			a->has_sf = 1;
	}
	imp_get(im, PF_SITE, &a->site);
	bad |= imp_text_field(im, PF_SITE, &a->site, TEXT_MAX) || imp_plain_field(im, PF_SITE, &a->site);
	imp_get(im, PF_METER, &v);
	a->ident = NULL;
	if (v.n) {
		if (imp_ident_field(im, PF_METER, &v, im->ibuf, &a->ident_n))
			bad = 1;
		else
			a->ident = im->ibuf;
	}
	bad |= quality_field(im, a);
	if (bad)
		return -1;
	a->kp = carrier;
	*keylen = imp_key_cat(keybuf, "energy.", carrier, NULL);
	return 0;
}

static int
row_fleet(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vf, vd, vclass;
	const char *fuel = NULL, *cls = NULL;
	char *cbuf = im->cbuf, *ibuf = im->ibuf;
	int bad = 0;

	imp_get(im, PF_VEHICLE, &v);
	a->ident = NULL;
	if (imp_required(im, PF_VEHICLE, &v) || imp_ident_field(im, PF_VEHICLE, &v, ibuf, &a->ident_n))
		bad = 1;
	else
		a->ident = ibuf;
	imp_get(im, PF_FUEL, &vf);
	if (imp_required(im, PF_FUEL, &vf) || !(fuel = imp_vocab_field(im, PF_FUEL, &vf)))
		bad = 1;
	imp_get(im, PF_DATE, &vd);
	if (vd.n || im->col[PF_PERIOD_START] < 0) {
		if (imp_required(im, PF_DATE, &vd) || imp_date_field(im, PF_DATE, &vd, &a->s))
			bad = 1;
		a->e = a->s;
	} else {
		bad |= period(im, a);
	}
	bad |= quantity_unit(im, a, fuel, &vf);
	imp_get(im, PF_VEHICLE_CLASS, &vclass);
	if (vclass.n && imp_token_field(im, PF_VEHICLE_CLASS, &vclass, cbuf, sizeof im->cbuf, &cls))
		bad = 1;
	if (fuel && strcmp(fuel, "distance") == 0 && !bad && (!cls || !*cls)) {
		imp_rowerr(im, &vclass, "empty vehicle_class (distance rows need one, e.g. "
		       "car_medium or van)");
		bad = 1;
	}
	bad |= quality_field(im, a);
	a->tariff = NULL;
	a->has_sf = 0;
	a->site.n = a->supplier.n = a->description.n = 0;
	if (bad)
		return -1;
	if (strcmp(fuel, "distance") == 0) {
		*keylen = imp_key_cat(keybuf, "fleet.distance.", cls, NULL);
	} else {
		a->kp = fuel;
		*keylen = imp_key_cat(keybuf, "fleet.", fuel, NULL);
	}
	return 0;
}

static int
row_procurement(struct imp *im, struct act *a, char *keybuf, size_t *keylen)
{
	struct fv v, vc;
	char digits[9];
	int bad = 0, ok = 0;
	const char *cur;

	imp_get(im, PF_DATE, &v);
	if (imp_required(im, PF_DATE, &v) || imp_date_field(im, PF_DATE, &v, &a->s))
		bad = 1;
	a->e = a->s;
	imp_get(im, PF_CPV, &vc);
	if (imp_required(im, PF_CPV, &vc)) {
		bad = 1;
	} else {
		size_t i;
		if (vc.n == 8 || (vc.n == 10 && vc.s[8] == '-' && vc.s[9] >= '0' && vc.s[9] <= '9')) {
			for (i = 0; i < 8 && vc.s[i] >= '0' && vc.s[i] <= '9'; i++)
				;
			ok = i == 8;
			if (ok)
				memcpy(digits, vc.s, 8);
		}
		if (!ok && vc.n < 40 && imp_match(im, im->re_cpv, vc.s, vc.n)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(im->md);
			memcpy(digits, vc.s + ov[2], 8);
			ok = 1;
		}
		if (!ok) {
			imp_rowerr(im, &vc, "cpv '%.*s' is not a CPV code (expected 8 digits "
			       "with an optional check digit, like 72000000-5)",
			       vc.n > 64 ? 64 : (int)vc.n, vc.s);
			bad = 1;
		}
		digits[8] = '\0';
	}
	imp_get(im, PF_AMOUNT, &v);
	bad |= imp_required(im, PF_AMOUNT, &v) || imp_number_field(im, PF_AMOUNT, &v, QTY_SCALE, &a->qty);
	imp_get(im, PF_CURRENCY, &v);
	if (imp_required(im, PF_CURRENCY, &v))
		bad = 1;
	else if (!imp_mapped(im, PF_CURRENCY, &v, &cur) || strcmp(cur, "EUR")) {
		imp_rowerr(im, &v, "currency '%.*s' is not supported (expected EUR: convert "
		       "the amount to euros first)", v.n > 64 ? 64 : (int)v.n, v.s);
		bad = 1;
	}
	imp_get(im, PF_SUPPLIER, &a->supplier);
	bad |= imp_text_field(im, PF_SUPPLIER, &a->supplier, TEXT_MAX);
	imp_get(im, PF_DESCRIPTION, &a->description);
	bad |= imp_text_field(im, PF_DESCRIPTION, &a->description, TEXT_MAX);
	bad |= quality_field(im, a);
	a->unit = "EUR";
	a->tariff = NULL;
	a->has_sf = 0;
	a->ident = NULL;
	a->site.n = 0;
	if (bad)
		return -1;
	*keylen = imp_key_cat(keybuf, "procurement.cpv.", digits, NULL);
	return 0;
}

/* ---- the pass ----------------------------------------------------------- */

void
imp_progress(struct imp *im)
{
	struct timespec now;

	if (!im->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - im->last_progress.tv_sec) * 1000000000L +
		    (now.tv_nsec - im->last_progress.tv_nsec) >= 500000000L) {
		im->last_progress = now;
		im->o->progress(im->o->progress_ctx, im->rows_total);
	}
}

int
imp_process_row(struct imp *im, const struct csv_row *row, struct err *e)
{
	struct act a;
	char key[96];
	size_t keylen = 0;
	int rc;

	im->row = row;
	im->row_bad = 0;
	im->nreasons = 0;
	memset(&a, 0, sizeof a);
	if (row->n > im->nheader) {
		size_t i;
		i = im->nheader;
		{
			struct fv v = {"", 0, row->fline[i], row->fcol[i], 0};
			char d = csv_delim(im->csv);
			imp_rowerr(im, &v, "line has %zu fields, the header has %zu (a '%s' "
			       "inside a value needs quotes)", row->n, im->nheader,
			       d == '\t' ? "tab" : (char[2]){d, 0});
		}
	}
	{
		struct fv v;
		imp_get(im, PF_ORG, &v);
		if (!imp_required(im, PF_ORG, &v))
			org_field(im, &v, &a.org_id);
	}
	if (im->kind == IMPORT_ENERGY)
		rc = row_energy(im, &a, key, &keylen);
	else if (im->kind == IMPORT_FLEET)
		rc = row_fleet(im, &a, key, &keylen);
	else
		rc = row_procurement(im, &a, key, &keylen);
	if (rc || im->row_bad) {
		im->rows_rejected++;
		if (!im->o->skip_invalid)
			im->writing = 0;
		return imp_reject_row(im, row->line, NULL, e);
	}
	a.key_id = -1;
	if (a.kp) {
		int i;
		for (i = 0; i < FIT_CACHE; i++)
			if (im->kc[i].a == a.kp) {
				a.key_id = im->kc[i].id;
				break;
			}
	}
	if (a.key_id < 0) {
		if ((a.key_id = imp_key_id(im, key, keylen, e)) < 0)
			return -1;
		if (a.kp) {
			im->kc[im->nkc].a = a.kp;
			im->kc[im->nkc].id = a.key_id;
			im->nkc = (im->nkc + 1) % FIT_CACHE;
		}
	}
	if (imp_guard_act(im, &a)) {
		im->rows_rejected++;
		if (!im->o->skip_invalid)
			im->writing = 0;
		return imp_reject_row(im, row->line, NULL, e);
	}
	im->rows_loaded++;
	if (im->writing)
		return imp_insert(im, &a, key, keylen, e);
	return 0;
}
