/*
 * csv: the balance as open data (SPEC §7): districts.csv (one row per
 * reporting unit, no total row), totals.csv (the whole selection),
 * sectors.csv, carriers.csv, activities.csv with every activity line
 * (private-car trips aggregated per unit, class and month), the names
 * tables, and the metadata of opendata.c (DCAT-AP.de, CSVW).
 *
 * RFC 4180: UTF-8 without BOM, ',' between fields, CRLF after each record,
 * fields with ',', '"', CR or LF quoted and inner quotes doubled. Numbers
 * use '.' and no thousands separator; amounts are exact kilograms (3
 * decimals in the tables, 6 on activity lines, which are exact to the
 * milligram); a missing figure is an empty field. Column names are the JSON
 * report's keys, in English whatever --lang says, so scripts keep working.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "base/num.h"
#include "base/outfile.h"
#include "base/strmap.h"
#include "reports/lines.h"

const char *const REPORT_CSV_FILES[REPORT_CSV_NFILES] = {
	"districts.csv", "totals.csv", "sectors.csv", "carriers.csv", "activities.csv",
	"names-carriers.csv", "names-units.csv", "csv-metadata.json", "metadata.json"};

#define LICENSE_ID "dl-de/by-2-0"
#define LICENSE_NAME "Datenlizenz Deutschland – Namensnennung – Version 2.0"
#define LICENSE_URL "https://www.govdata.de/dl-de/by-2-0"

struct out {
	FILE *f;
	char path[1024];
	char shown[1024];  /* the name in messages: in the folder asked for */
	int fields;        /* fields written in the current record */
	int err;           /* errno of the first failed write, 0 when none */
	size_t n;          /* bytes in buf */
	char buf[1 << 16]; /* written out when full, and at close */
};

static void
flush(struct out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n && !o->err)
		o->err = errno ? errno : -1; /* reported at close */
	o->n = 0;
}

static void
put(struct out *o, const char *s, size_t len)
{
	if (o->n + len > sizeof o->buf) {
		flush(o);
		if (len > sizeof o->buf) {
			if (fwrite(s, 1, len, o->f) != len && !o->err)
				o->err = errno ? errno : -1;
			return;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void
putch(struct out *o, char c)
{
	if (o->n == sizeof o->buf)
		flush(o);
	o->buf[o->n++] = c;
}

static int
out_open(struct out *o, const char *dir, const char *shown, const char *name,
	 struct err *e)
{
	snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
	snprintf(o->shown, sizeof o->shown, "%s/%s", shown, name);
	o->fields = 0;
	o->n = 0;
	o->err = 0;
	if (!(o->f = fopen(o->path, "wb")))
		return err_set(e, ERR_IO, o->shown, 0, 0, "cannot write (%s)",
			       outfile_reason(errno));
	return 0;
}

/* Flush, fsync and close. */
static int
out_close(struct out *o, struct err *e)
{
	flush(o);
	if (o->err) {
		fclose(o->f);
		return err_set(e, ERR_IO, o->shown, 0, 0, "cannot write (%s)",
			       outfile_reason(o->err < 0 ? 0 : o->err));
	}
	return outfile_fclose(o->f, o->shown, e);
}

/* One field; `text` 1 for text from the data (names, codes, files, ...),
 * which a spreadsheet must never take for a formula: one starting with
 * '=', '+', '-', '@', a tab or a CR gets a leading apostrophe (OWASP's
 * advice against CSV injection). Numbers (text 0) stay as they are, so a
 * negative number stays a number. */
static void
field_as(struct out *o, const char *s, int text)
{
	const char *p;
	int guard;

	if (o->fields++)
		putch(o, ',');
	if (!s)
		return;
	guard = text && s[0] && strchr("=+-@\t\r", s[0]);
	if (!strpbrk(s, ",\"\r\n")) {
		if (guard)
			putch(o, '\'');
		put(o, s, strlen(s));
		return;
	}
	putch(o, '"');
	if (guard)
		putch(o, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			putch(o, '"');
		putch(o, *p);
	}
	putch(o, '"');
}

static void
field(struct out *o, const char *s)
{
	field_as(o, s, 1);
}

static void
number(struct out *o, const char *s)
{
	field_as(o, s, 0);
}

static void
end(struct out *o)
{
	put(o, "\r\n", 2);
	o->fields = 0;
}

static void
header(struct out *o, const char *const *cols)
{
	for (; *cols; cols++)
		field(o, *cols);
	end(o);
}

/* mg as kg with `decimals` (3 or 6). */
static void
kg(struct out *o, int64_t mg, int decimals)
{
	char buf[40];

	report_fmt_scaled(mg, 6, decimals, buf);
	number(o, buf);
}

/* mg as tonnes with one decimal */
static void
tonnes(struct out *o, int64_t mg)
{
	char buf[40];

	report_fmt_scaled(mg, 9, 1, buf);
	field(o, buf);
}

static void
scaled(struct out *o, int has, int64_t v, int scale)
{
	char buf[40];

	if (!has) {
		field(o, NULL);
		return;
	}
	num_format(v, scale, scale, buf, sizeof buf);
	number(o, buf);
}

static void
integer(struct out *o, int has, int64_t v)
{
	char buf[24];

	if (!has) {
		field(o, NULL);
		return;
	}
	report_fmt_scaled(v, 0, 0, buf);
	number(o, buf);
}

static const char *const UNIT_COLS[] = {
	"code", "number", "name", "kind", "population", "employees", "floor_area_m2",
	"scope1_kg", "scope2_location_kg", "scope2_market_kg", "scope3_kg",
	"total_location_kg", "total_market_kg", "total_location_t", "total_market_t",
	"biogenic_co2_kg", "per_capita_kg",
	"per_employee_kg", "per_m2_kg", "previous_total_location_kg", "change_pct",
	"rank", NULL};

static void
unit_record(struct out *o, const char *code, const char *official, const char *name,
	    const char *kind, const struct report_figures *f, int biogenic)
{
	int64_t v = 0;
	char area[40];
	int k;

	field(o, code);
	field(o, official);
	field(o, name);
	field(o, kind);
	integer(o, f->has_stat[REPORT_PER_CAPITA], f->stat[REPORT_PER_CAPITA]);
	integer(o, f->has_stat[REPORT_PER_EMPLOYEE], f->stat[REPORT_PER_EMPLOYEE]);
	if (f->has_stat[REPORT_PER_M2]) {
		report_decimal(f->stat[REPORT_PER_M2], 3, area, sizeof area);
		number(o, area);
	} else {
		field(o, NULL);
	}
	kg(o, f->scope1_mg, 3);
	kg(o, f->scope2_location_mg, 3);
	kg(o, f->scope2_market_mg, 3);
	kg(o, f->scope3_mg, 3);
	kg(o, report_total_location(f), 3);
	kg(o, report_total_market(f), 3);
	tonnes(o, report_total_location(f));
	tonnes(o, report_total_market(f));
	if (biogenic)
		kg(o, f->biogenic_co2_mg, 3);
	else
		field(o, NULL); /* no factor used carries it: not recorded, not 0 */
	for (k = 0; k < REPORT_NPER; k++) {
		int has = report_per_g(f, (enum report_per)k, &v);
		scaled(o, has, v, 3);
	}
	if (f->has_previous)
		kg(o, f->previous_location_mg, 3);
	else
		field(o, NULL);
	{
		int has = report_change_x100(f, &v);
		scaled(o, has, v, 2);
	}
	integer(o, f->rank > 0, f->rank);
	end(o);
}

static void
pair_records(struct out *o, const char *code, const char *name,
	     const struct report_model *m, const struct report_figures *f,
	     int carriers)
{
	size_t i;

	if (!carriers) {
		for (i = 0; i < REPORT_NSECTORS; i++) {
			field(o, code);
			field(o, name);
			field(o, report_sector_key((int)i));
			kg(o, f->sector[i].location_mg, 3);
			kg(o, f->sector[i].market_mg, 3);
			tonnes(o, f->sector[i].location_mg);
			tonnes(o, f->sector[i].market_mg);
			end(o);
		}
		return;
	}
	for (i = 0; i < m->ncarriers; i++) {
		if (!f->carrier[i].location_mg && !f->carrier[i].market_mg)
			continue;
		field(o, code);
		field(o, name);
		field(o, m->carriers[i]);
		kg(o, f->carrier[i].location_mg, 3);
		kg(o, f->carrier[i].market_mg, 3);
		tonnes(o, f->carrier[i].location_mg);
		tonnes(o, f->carrier[i].market_mg);
		end(o);
	}
}

static const char *const SECTOR_COLS[] = {"code", "name", "sector",
	"location_kg", "market_kg", "location_t", "market_t", NULL};
static const char *const CARRIER_COLS[] = {"code", "name", "carrier",
	"location_kg", "market_kg", "location_t", "market_t", NULL};

/* districts.csv, sectors.csv, carriers.csv or totals.csv (3): the total
 * of the selection has a file of its own, so that summing a column of
 * districts.csv counts nothing twice */
static int
write_table(const struct report_model *m, enum report_lang lang, const char *dir,
	    const char *shown, int which, struct err *e)
{
	static const char *const NAMES[] = {"districts.csv", "sectors.csv", "carriers.csv",
					    "totals.csv"};
	struct out o;
	size_t i, n = report_unit_count(m);
	const char *tcode = m->state_code ? m->state_code : "";
	const char *tname = m->state_name ? m->state_name : report_tr(lang, L_TOTAL);
	int biogenic = !m->disc || m->disc->biogenic_recorded;
	const char *tnumber = NULL;

	if (m->state_code) {
		size_t t = org_tree_find(m->tree, m->state_code, strlen(m->state_code));
		if (t != ORG_NONE)
			tnumber = org_tree_at(m->tree, t)->number;
	}

	if (out_open(&o, dir, shown, NAMES[which], e))
		return -1;
	header(&o, which == 0 || which == 3 ? UNIT_COLS
		   : which == 1 ? SECTOR_COLS : CARRIER_COLS);
	if (which == 3) {
		if (m->sel == (size_t)-1)
			unit_record(&o, tcode, tnumber, tname, "total", &m->all, biogenic);
		else
			unit_record(&o, m->units[m->sel].code, m->units[m->sel].number,
				    m->units[m->sel].name,
				    org_kind_name(m->units[m->sel].kind), &m->units[m->sel].f,
				    biogenic);
		return out_close(&o, e);
	}
	if (m->sel == (size_t)-1 && which != 0)
		pair_records(&o, tcode, tname, m, &m->all, which == 2);
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		if (which == 0)
			unit_record(&o, u->code, u->number, u->name, org_kind_name(u->kind),
				    &u->f, biogenic);
		else
			pair_records(&o, u->code, u->name, m, &u->f, which == 2);
	}
	return out_close(&o, e);
}

static const char *const ACT_COLS[] = {
	"activity_id", "org", "reporting_unit", "file", "line", "period_start",
	"period_end", "days_in_year", "days_total", "quantity", "unit", "activity", "sector", "carrier",
	"quality", "tariff", "factor_id", "factor_set", "factor_value",
	"factor_unit", "market_factor", "conversion", "citation", "extrapolated",
	"excluded", "location_kg", "market_kg", "rows", NULL};

/* Private cars driven on business (distance rows) are personal travel: the
 * public export shows them summed per reporting unit, class and month,
 * never as one person's trips. Groups are few (units x classes x months). */
struct trips {
	char unit[64], carrier[48], month[8]; /* YYYY-MM */
	char activity[64], factor_id[256], factor_set[256], factor_value[256];
	char factor_unit[16], unitname[16], citation[1024];
	int32_t first, last;
	int64_t quantity, loc_mg, mkt_mg;
	long rows;
};

struct acts {
	struct out *o;
	struct strmap *idx;
	struct trips *t;
	size_t n, cap;
};

static void
same_or_mixed(char *dst, size_t n, const char *s)
{
	if (strcmp(dst, s) != 0)
		snprintf(dst, n, "%s", "(mixed)");
}

static int
add_trip(struct acts *a, const struct report_line *ln, struct err *e)
{
	const struct calc_row *r = ln->row;
	char key[160];
	int y, mo, d, len;
	int64_t at;
	struct trips *t;

	date_to_ymd(r->day_start, &y, &mo, &d);
	len = snprintf(key, sizeof key, "%s\037%s\037%04d-%02d", ln->reporting_unit,
		       r->carrier, y, mo);
	if (len < 0 || (size_t)len >= sizeof key)
		return err_setf(e, ERR_DATA, "unit or carrier name too long in %s:%ld",
				r->file, r->line);
	if (strmap_get(a->idx, key, (size_t)len, &at)) {
		t = &a->t[at];
		same_or_mixed(t->factor_id, sizeof t->factor_id, ln->factor_id);
		same_or_mixed(t->factor_set, sizeof t->factor_set, ln->factor_set);
		same_or_mixed(t->factor_value, sizeof t->factor_value, ln->factor_value);
		same_or_mixed(t->citation, sizeof t->citation, ln->citation);
	} else {
		if (a->n == a->cap) {
			size_t cap = a->cap ? 2 * a->cap : 64;
			struct trips *p = realloc(a->t, cap * sizeof *p);
			if (!p)
				return err_setf(e, ERR_IO, "out of memory");
			a->t = p;
			a->cap = cap;
		}
		if (strmap_put(a->idx, key, (size_t)len, (int64_t)a->n))
			return err_setf(e, ERR_IO, "out of memory");
		t = &a->t[a->n++];
		memset(t, 0, sizeof *t);
		snprintf(t->unit, sizeof t->unit, "%s", ln->reporting_unit);
		snprintf(t->carrier, sizeof t->carrier, "%s", r->carrier);
		snprintf(t->month, sizeof t->month, "%04d-%02d", y, mo);
		snprintf(t->activity, sizeof t->activity, "%s", r->activity);
		snprintf(t->factor_id, sizeof t->factor_id, "%s", ln->factor_id);
		snprintf(t->factor_set, sizeof t->factor_set, "%s", ln->factor_set);
		snprintf(t->factor_value, sizeof t->factor_value, "%s", ln->factor_value);
		snprintf(t->factor_unit, sizeof t->factor_unit, "%s", ln->factor_unit);
		snprintf(t->unitname, sizeof t->unitname, "%s", r->unit);
		snprintf(t->citation, sizeof t->citation, "%s", ln->citation);
		t->first = r->day_start;
		t->last = r->day_end;
	}
	if (r->day_start < t->first)
		t->first = r->day_start;
	if (r->day_end > t->last)
		t->last = r->day_end;
	t->quantity += r->quantity;
	t->loc_mg += ln->kg_location_mg;
	t->mkt_mg += ln->kg_market_mg;
	t->rows++;
	return 0;
}

static void
trips_records(struct acts *a)
{
	struct out *o = a->o;
	char q[48], from[11], to[11];
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct trips *t = &a->t[i];
		int y, mo, d;
		date_to_ymd(t->first, &y, &mo, &d);
		date_format(date_from_ymd(y, mo, 1), from);
		/* to the end of the month (groups are one month each) */
		date_to_ymd(t->last, &y, &mo, &d);
		date_format(mo == 12 ? date_from_ymd(y, 12, 31)
				     : date_from_ymd(y, mo + 1, 1) - 1, to);
		field(o, NULL);           /* activity_id */
		field(o, t->unit);        /* org: the unit, not the person */
		field(o, t->unit);
		field(o, NULL);           /* file */
		field(o, NULL);           /* line */
		field(o, from);
		field(o, to);
		field(o, NULL);
		field(o, NULL);
		report_decimal(t->quantity, 6, q, sizeof q);
		field(o, q);
		field(o, t->unitname);
		field(o, t->activity);
		field(o, "fleet");
		field(o, t->carrier);
		field(o, NULL);           /* quality */
		field(o, NULL);           /* tariff */
		field(o, t->factor_id);
		field(o, t->factor_set);
		field(o, t->factor_value);
		field(o, t->factor_unit);
		field(o, NULL);
		field(o, NULL);
		field(o, t->citation);
		field(o, "0");
		field(o, "0");
		kg(o, t->loc_mg, 6);
		kg(o, t->mkt_mg, 6);
		integer(o, 1, t->rows);
		end(o);
	}
}

static int
act_record(void *ctx, const struct report_line *ln, struct err *e)
{
	struct acts *a = ctx;
	struct out *o = a->o;
	const struct calc_row *r = ln->row;

	if (strncmp(r->carrier, "distance.car", 12) == 0 && !r->excluded)
		return add_trip(a, ln, e);

	integer(o, 1, r->activity_id);
	field(o, r->org_code);
	field(o, ln->reporting_unit);
	field(o, r->file);
	integer(o, 1, r->line);
	number(o, ln->start);
	number(o, ln->end);
	integer(o, 1, ln->days_in);
	integer(o, 1, ln->days_total);
	number(o, ln->quantity);
	field(o, r->unit);
	field(o, r->activity);
	field(o, r->sector);
	field(o, r->carrier);
	field(o, report_quality_key(r->quality));
	field(o, r->tariff);
	field(o, ln->factor_id);
	field(o, ln->factor_set);
	number(o, ln->factor_value);
	field(o, ln->factor_unit);
	field(o, ln->market);
	field(o, ln->conversion);
	field(o, ln->citation);
	number(o, r->extrapolated ? "1" : "0");
	number(o, r->excluded ? "1" : "0");
	kg(o, ln->kg_location_mg, 6);
	kg(o, ln->kg_market_mg, 6);
	field(o, "1");
	end(o);
	if (o->err)
		return err_set(e, ERR_IO, o->shown, 0, 0, "cannot write (%s)",
			       outfile_reason(o->err < 0 ? 0 : o->err));
	return 0;
}

static const char *const NAME_K_COLS[] = {"what", "key", "label_de", "label_en", NULL};
static const char *const NAME_U_COLS[] = {"code", "number", "name", "kind", "parent", NULL};

static const struct report_csv_file FILES[] = {
	{"districts.csv", "Bezirke und Hauptverwaltungen", "Districts and departments",
	 "Bilanz je Bezirk und je Einheit direkt unter dem Land, ohne Summenzeile (die Summe steht in totals.csv)",
	 "balance per district and per unit directly under the state, without a total row (the total is in totals.csv)",
	 UNIT_COLS},
	{"totals.csv", "Summe", "Total",
	 "Bilanz der ganzen Auswahl in einer Zeile", "balance of the whole selection in one row",
	 UNIT_COLS},
	{"sectors.csv", "Sektoren", "Sectors",
	 "standort- und marktbasierte Emissionen je Einheit und Sektor, einschließlich Vorkette (die erste Gruppe ist die Summe)",
	 "location- and market-based emissions per unit and sector, including upstream (the first group is the total)",
	 SECTOR_COLS},
	{"carriers.csv", "Energieträger und Beschaffungskategorien", "Energy carriers and spend categories",
	 "standort- und marktbasierte Emissionen je Einheit und Energieträger oder Beschaffungskategorie (die erste Gruppe ist die Summe)",
	 "location- and market-based emissions per unit and energy carrier or spend category (the first group is the total)",
	 CARRIER_COLS},
	{"activities.csv", "Aktivitäten", "Activities",
	 "jede Aktivitätszeile mit Quelldatei und Zeile, Faktor und Ergebnis; Fahrten mit Privat-Pkw je Einheit, Klasse und Monat zusammengefasst",
	 "every activity line with its source file and line, factor and result; private-car trips summed per unit, class and month",
	 ACT_COLS},
	{"names-carriers.csv", "Schlüssel und Bezeichnungen", "Keys and labels",
	 "Bezeichnungen der Sektoren, Energieträger, CPV-Abteilungen und Fahrzeugklassen",
	 "labels of the sectors, carriers, CPV divisions and vehicle classes", NAME_K_COLS},
	{"names-units.csv", "Organisationseinheiten", "Organisation units",
	 "Kennung, Name, Art und übergeordnete Einheit jeder Einheit, auch der Standorte",
	 "code, name, kind and parent of every unit, sites included", NAME_U_COLS},
	{"csv-metadata.json", "Spaltenbeschreibung (CSVW)", "Column descriptions (CSVW)",
	 "Datentypen, Einheiten und Beschreibungen aller Spalten (W3C CSV on the Web)",
	 "types, units and descriptions of every column (W3C CSV on the Web)", NULL},
};

/* ---- names tables ---- */

/* names-carriers.csv (sectors, carriers, CPV divisions, distance classes in
 * German and English) and names-units.csv (every unit of the selection). */
static int
write_names(const struct report_model *m, const char *tmp, const char *dir,
	    struct err *e)
{
	static const char *const HEAD_K[] = {"what", "key", "label_de", "label_en", NULL};
	static const char *const HEAD_U[] = {"code", "number", "name", "kind", "parent",
					     NULL};
	char de[160], en[160];
	struct out o;
	size_t i, n;

	if (out_open(&o, tmp, dir, "names-carriers.csv", e))
		return -1;
	header(&o, HEAD_K);
	for (i = 0; i < REPORT_NSECTORS; i++) {
		const char *k = report_sector_key((int)i);
		field(&o, "sector");
		field(&o, k);
		field(&o, report_tr_sector(REPORT_DE, k));
		field(&o, report_tr_sector(REPORT_EN, k));
		end(&o);
	}
	for (i = 0; i < m->ncarriers; i++) {
		const char *k = m->carriers[i];
		field(&o, strncmp(k, "cpv.", 4) == 0 ? "cpv_division"
			  : strncmp(k, "distance.", 9) == 0 ? "distance_class" : "carrier");
		field(&o, k);
		field(&o, report_tr_carrier(REPORT_DE, k, de, sizeof de));
		field(&o, report_tr_carrier(REPORT_EN, k, en, sizeof en));
		end(&o);
	}
	if (out_close(&o, e))
		return -1;
	if (out_open(&o, tmp, dir, "names-units.csv", e))
		return -1;
	header(&o, HEAD_U);
	n = org_tree_count(m->tree);
	for (i = 0; i < n; i++) {
		const struct org_unit *u = org_tree_at(m->tree, i);
		const struct org_unit *ru = u->report != ORG_NONE
			? org_tree_at(m->tree, u->report) : NULL;
		/* with --org only the selected unit and the units below it */
		if (m->sel != (size_t)-1 &&
		    (!ru || strcmp(ru->code, m->units[m->sel].code) != 0))
			continue;
		field(&o, u->code);
		field(&o, u->number);
		field(&o, u->name);
		field(&o, org_kind_name(u->kind));
		field(&o, u->parent != ORG_NONE ? org_tree_at(m->tree, u->parent)->code : NULL);
		end(&o);
	}
	return out_close(&o, e);
}

/* Every file of the open-data export into the folder `tmp`, named in
 * messages as in `dir`, the folder asked for. */
int
report_write_csv_into(struct ledger *l, const struct report_model *m,
		      const struct report_out *ro, const char *tmp, const char *dir,
		      struct err *e)
{
	struct report_factors fs;
	struct out o;
	struct acts a = {0};
	int which, rc;

	for (which = 0; which < 4; which++)
		if (write_table(m, ro->lang, tmp, dir, which, e))
			return -1;
	if (report_factors_init(&fs, e))
		return -1;
	if (!(a.idx = strmap_new())) {
		report_factors_release(&fs);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if (out_open(&o, tmp, dir, "activities.csv", e)) {
		report_factors_release(&fs);
		strmap_free(a.idx);
		return -1;
	}
	a.o = &o;
	header(&o, ACT_COLS);
	rc = report_each_line(l, m, ro, &fs, -1, act_record, &a, e);
	if (!rc)
		trips_records(&a);
	if (out_close(&o, rc ? &(struct err){0} : e))
		rc = -1;
	free(a.t);
	strmap_free(a.idx);
	report_factors_release(&fs);
	if (!rc)
		rc = write_names(m, tmp, dir, e);
	if (!rc) {
		struct report_csv_files files = {FILES, sizeof FILES / sizeof FILES[0]};
		rc = report_write_opendata_meta(l, m, ro, tmp, dir, &files, e);
	}
	return rc;
}

int
report_write_csv(struct ledger *l, const struct report_model *m,
		 const struct report_out *ro, const char *dir, struct err *e)
{
	struct outfile of;

	/* the folder is written as a whole beside `dir` and swapped in at the
	 * end: a killed or failed write leaves the old folder as it was */
	if (outfile_open_dir(&of, dir, REPORT_CSV_FILES, REPORT_CSV_NFILES, e))
		return -1;
	if (report_write_csv_into(l, m, ro, of.tmp, dir, e)) {
		outfile_abort(&of);
		return -1;
	}
	return outfile_commit_dir(&of, e);
}
