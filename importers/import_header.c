/*
 * import_header: the header line: which profile (--profile auto), which
 * column holds which field, which required columns are missing, and the
 * number format the file uses.
 */
#include "importers/import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the import state --------------------------------------------------- */

/* Which fields each kind reads, and which it requires. */
static const unsigned long long BIT = 1;
#define FB(f) (BIT << (f))
static const unsigned long long USES[3] = {
	FB(PF_ORG) | FB(PF_CARRIER) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_QUANTITY) | FB(PF_UNIT) | FB(PF_SITE) | FB(PF_METER) |
		FB(PF_TARIFF) | FB(PF_SUPPLIER_FACTOR) | FB(PF_QUALITY),
	FB(PF_ORG) | FB(PF_VEHICLE) | FB(PF_FUEL) | FB(PF_QUANTITY) | FB(PF_UNIT) |
		FB(PF_DATE) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_VEHICLE_CLASS) | FB(PF_QUALITY),
	FB(PF_ORG) | FB(PF_DATE) | FB(PF_CPV) | FB(PF_AMOUNT) | FB(PF_CURRENCY) |
		FB(PF_SUPPLIER) | FB(PF_DESCRIPTION) | FB(PF_QUALITY),
};
static const unsigned long long REQUIRED[3] = {
	FB(PF_ORG) | FB(PF_CARRIER) | FB(PF_PERIOD_START) | FB(PF_PERIOD_END) |
		FB(PF_QUANTITY) | FB(PF_UNIT),
	FB(PF_ORG) | FB(PF_VEHICLE) | FB(PF_FUEL) | FB(PF_QUANTITY) | FB(PF_UNIT),
	FB(PF_ORG) | FB(PF_DATE) | FB(PF_CPV) | FB(PF_AMOUNT) | FB(PF_CURRENCY),
};

/* ---- header ------------------------------------------------------------- */

int
imp_keep_header(struct imp *im, const struct csv_row *h, struct err *e)
{
	size_t i, total = 0, w = 0;

	for (i = 0; i < h->n; i++)
		total += h->len[i] + 1;
	im->header = malloc(total + 1);
	im->hfield = malloc((h->n + 1) * sizeof *im->hfield);
	im->hlen = malloc((h->n + 1) * sizeof *im->hlen);
	im->hcol = malloc((h->n + 1) * sizeof *im->hcol);
	if (!im->header || !im->hfield || !im->hlen || !im->hcol)
		return err_setf(e, ERR_IO, "out of memory");
	for (i = 0; i < h->n; i++) {
		memcpy(im->header + w, h->field[i], h->len[i] + 1);
		im->hfield[i] = im->header + w;
		im->hlen[i] = h->len[i];
		im->hcol[i] = h->fcol[i];
		w += h->len[i] + 1;
	}
	im->nheader = h->n;
	return 0;
}

static int
count_matches(const struct profile *p, const struct csv_row *h, int synonyms)
{
	size_t i;
	int n = 0, rank;
	const char *b;
	size_t bl;

	for (i = 0; i < h->n; i++) {
		if (synonyms)
			n += profile_is_synonym(p, h->field[i], h->len[i]);
		else
			n += profile_match_header(p, h->field[i], h->len[i], &rank, &b, &bl) >= 0;
	}
	return n;
}

/* Choose the profile for --profile auto from the header. */
int
imp_auto_profile(struct imp *im, const struct csv_row *h, char *note, size_t noten,
	     struct err *e)
{
	struct profile *canon = NULL, *de = NULL;
	struct strbuf path = STRBUF_INIT;
	struct err fe;

	note[0] = '\0';
	if (profile_canonical(&canon, e))
		return -1;
	err_clear(&fe);
	if (profile_find_shipped(im->o->datadir, "de", &path, &fe) == 0 &&
	    profile_load(path.buf, &de, NULL, &fe) == 0 &&
	    count_matches(de, h, 1) > count_matches(canon, h, 0) / 2 &&
	    count_matches(de, h, 1) > 0) {
		strbuf_release(&path);
		profile_free(canon);
		im->own_profile = de;
		im->auto_name = "de";
		return 0;
	}
	strbuf_release(&path);
	if (fe.kind != ERR_NONE)
		snprintf(note, noten, "%s", fe.text);
	profile_free(de);
	im->own_profile = canon;
	im->auto_name = "canonical";
	return 0;
}

int
imp_map_columns(struct imp *im, const struct csv_row *h)
{
	size_t i;
	int f, rank;
	const char *br;
	size_t brl;

	for (f = 0; f < PF_N; f++) {
		im->col[f] = -1;
		im->rank[f] = 1 << 30;
	}
	for (i = 0; i < h->n; i++) {
		f = profile_match_header(im->prof, h->field[i], h->len[i], &rank, &br, &brl);
		if (f < 0 || !(USES[im->kind] & FB(f)))
			continue;
		if (im->col[f] >= 0 && rank == im->rank[f]) {
			errlist_addf(im->errs, ERR_DATA, im->file, h->fline[i], h->fcol[i],
				     "column '%s' appears twice (also column %d; "
				     "remove one)", h->field[i], im->col[f] + 1);
			continue;
		}
		if (rank < im->rank[f]) {
			im->col[f] = (int)i;
			im->rank[f] = rank;
			if (br && f == PF_QUANTITY) {
				const char *u;
				if (profile_map_value(im->prof, PF_UNIT, br, brl, &u) && *u)
					im->hdr_unit = u;
			}
		}
	}
	return 0;
}

void
imp_check_columns(struct imp *im, const char *note)
{
	struct strbuf syn = STRBUF_INIT;
	int f, missing = 0;

	for (f = 0; f < PF_N; f++) {
		if (!(REQUIRED[im->kind] & FB(f)) || im->col[f] >= 0)
			continue;
		if (profile_default(im->prof, f) || (f == PF_UNIT && im->hdr_unit))
			continue;
		strbuf_reset(&syn);
		profile_synonyms(im->prof, f, &syn);
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "missing column '%s' (expected a header named %s)",
			     profile_field_name(f), strbuf_str(&syn));
		missing = 1;
	}
	if (im->kind == IMPORT_FLEET && im->col[PF_DATE] < 0 &&
	    (im->col[PF_PERIOD_START] < 0 || im->col[PF_PERIOD_END] < 0)) {
		strbuf_reset(&syn);
		profile_synonyms(im->prof, PF_DATE, &syn);
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1,
			     "missing column 'date' (expected a header named %s, or "
			     "both period_start and period_end)", strbuf_str(&syn));
		missing = 1;
	}
	if (missing && note && note[0])
		errlist_addf(im->errs, ERR_DATA, im->file, 1, 1, "%s", note);
	strbuf_release(&syn);
}

/* A column of numbers that all read as either thousands or three decimals
 * ("1.234") in a file whose decimal mark was inferred: refuse it rather
 * than guess by a factor of 1000. 1 after reporting. */
int
imp_ambiguous_columns(struct imp *im)
{
	static const enum profile_field NUM[] = {PF_QUANTITY, PF_SUPPLIER_FACTOR, PF_AMOUNT};
	size_t i;
	int found = 0;

	if (im->dec_pinned || im->dec != ',' || im->thou != '.')
		return 0;
	for (i = 0; i < sizeof NUM / sizeof NUM[0]; i++) {
		enum profile_field f = NUM[i];
		int c = im->col[f];
		if (c < 0 || im->nums[f] == 0 || im->ambig[f] != im->nums[f])
			continue;
		char what[40] = "";
		if (strcmp(im->hfield[c], profile_field_name(f)))
			snprintf(what, sizeof what, " (%s)", profile_field_name(f));
		errlist_addf(im->errs, ERR_DATA, im->file, 1, im->hcol[c],
			     "column '%.60s'%s: every value has three digits after a "
			     "single '.' (like '1.234'), which is 1234 with the decimal "
			     "comma this file seems to use but 1.234 in an English "
			     "export; say which with --decimal , or --decimal . (or "
			     "\"decimal\" in a profile)", im->hfield[c], what);
		found = 1;
	}
	return found;
}

void
imp_number_format(struct imp *im)
{
	const struct import_opts *o = im->o;
	const struct profile_format *pf = profile_format(im->prof);

	im->dec_pinned = o->decimal || (o->profile && pf->decimal);
	im->dec = o->decimal ? o->decimal : pf->decimal ? pf->decimal
		: csv_delim(im->csv) == ';' ? ',' : '.';
	im->thou = o->decimal ? (im->dec == ',' ? '.' : ',')
		: pf->thousands >= 0 ? (char)pf->thousands : im->dec == ',' ? '.' : 0;
	if (im->thou == im->dec)
		im->thou = 0;
	im->datefmt = pf->date;
	snprintf(im->num_example, sizeof im->num_example, "%s",
		 im->dec == ',' ? (im->thou == '.' ? "1.234,56" : "1234,56")
				: (im->thou == ',' ? "1,234.56" : "1234.56"));
	snprintf(im->date_expect, sizeof im->date_expect, "%s",
		 im->datefmt == PROFILE_DATE_DMY2 ? "DD.MM.YY, DD.MM.YYYY or YYYY-MM-DD"
		 : im->datefmt == PROFILE_DATE_DMY_SLASH ? "DD/MM/YYYY or YYYY-MM-DD"
		 : im->datefmt == PROFILE_DATE_MDY_SLASH ? "MM/DD/YYYY or YYYY-MM-DD"
		 : im->datefmt == PROFILE_DATE_ISO ? "YYYY-MM-DD or DD.MM.YYYY"
						   : "DD.MM.YYYY or YYYY-MM-DD");
}
