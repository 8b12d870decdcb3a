/*
 * csv: the balance as open data (SPEC §7): districts.csv (one row per
 * reporting unit, after a row for the whole selection), sectors.csv,
 * carriers.csv, activities.csv with every activity line, and metadata.json
 * describing them for an open-data portal (title, description, license,
 * publisher, period, sources with their citations, engine, columns).
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
#include "reports/completeness.h"
#include "reports/lines.h"

const char *const REPORT_CSV_FILES[REPORT_CSV_NFILES] = {
	"districts.csv", "sectors.csv", "carriers.csv", "activities.csv", "metadata.json"};

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
	"code", "name", "kind", "population", "employees", "floor_area_m2",
	"scope1_kg", "scope2_location_kg", "scope2_market_kg", "scope3_kg",
	"total_location_kg", "total_market_kg", "biogenic_co2_kg", "per_capita_kg",
	"per_employee_kg", "per_m2_kg", "previous_total_location_kg", "change_pct",
	"rank", NULL};

static void
unit_record(struct out *o, const char *code, const char *name, const char *kind,
	    const struct report_figures *f)
{
	int64_t v = 0;
	char area[40];
	int k;

	field(o, code);
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
	kg(o, f->biogenic_co2_mg, 3);
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
		end(o);
	}
}

/* districts.csv, sectors.csv or carriers.csv */
static int
write_table(const struct report_model *m, enum report_lang lang, const char *dir,
	    const char *shown, int which, struct err *e)
{
	static const char *const NAMES[] = {"districts.csv", "sectors.csv", "carriers.csv"};
	static const char *const SECTOR_COLS[] = {"code", "name", "sector",
		"location_kg", "market_kg", NULL};
	static const char *const CARRIER_COLS[] = {"code", "name", "carrier",
		"location_kg", "market_kg", NULL};
	struct out o;
	size_t i, n = report_unit_count(m);
	const char *tcode = m->state_code ? m->state_code : "";
	const char *tname = m->state_name ? m->state_name : report_tr(lang, L_TOTAL);

	if (out_open(&o, dir, shown, NAMES[which], e))
		return -1;
	header(&o, which == 0 ? UNIT_COLS : which == 1 ? SECTOR_COLS : CARRIER_COLS);
	if (m->sel == (size_t)-1) {
		if (which == 0)
			unit_record(&o, tcode, tname, "total", &m->all);
		else
			pair_records(&o, tcode, tname, m, &m->all, which == 2);
	}
	for (i = 0; i < n; i++) {
		const struct report_unit *u = report_unit_at(m, i);
		if (which == 0)
			unit_record(&o, u->code, u->name, org_kind_name(u->kind), &u->f);
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
	"excluded", "location_kg", "market_kg", NULL};

static int
act_record(void *ctx, const struct report_line *ln, struct err *e)
{
	struct out *o = ctx;
	const struct calc_row *r = ln->row;

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
	end(o);
	if (o->err)
		return err_set(e, ERR_IO, o->shown, 0, 0, "cannot write (%s)",
			       outfile_reason(o->err < 0 ? 0 : o->err));
	return 0;
}

static const char SQL_SET[] =
	"SELECT published, description, license, source FROM factor_set "
	"WHERE name = ?1 AND version = ?2";

static json_t *
col_json(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? json_string((const char *)s) : json_null();
}

static json_t *
columns(const char *const *cols)
{
	json_t *a = json_array();

	for (; *cols; cols++)
		json_array_append_new(a, json_string(*cols));
	return a;
}

static int
write_metadata(struct ledger *l, const struct report_model *m,
	       const struct report_out *ro, const char *dir, const char *shown,
	       const struct report_factors *fs, struct err *e)
{
	static const char *const SECTOR_COLS[] = {"code", "name", "sector",
		"location_kg", "market_kg", NULL};
	static const char *const CARRIER_COLS[] = {"code", "name", "carrier",
		"location_kg", "market_kg", NULL};
	json_t *root = json_object(), *sources = json_array(), *sets, *v, *res;
	char title[512], start[11], endd[11], path[1024];
	size_t i, j;
	char *text;
	FILE *f;
	int rc = 0;

	if (m->sel != (size_t)-1)
		snprintf(title, sizeof title, report_tr(ro->lang, L_TITLE_ORG),
			 m->run.year, m->units[m->sel].name);
	else if (m->state_name)
		snprintf(title, sizeof title, report_tr(ro->lang, L_TITLE_ORG),
			 m->run.year, m->state_name);
	else
		snprintf(title, sizeof title, report_tr(ro->lang, L_TITLE), m->run.year);
	date_format(date_year_start(m->run.year), start);
	date_format(date_year_end(m->run.year), endd);
	json_object_set_new(root, "title", json_string(title));
	json_object_set_new(root, "description",
			    json_string(report_tr(ro->lang, L_DESCRIPTION)));
	json_object_set_new(root, "language", json_string(ro->lang == REPORT_EN ? "en" : "de"));
	json_object_set_new(root, "license", json_pack("{s:s, s:s, s:s}", "id", LICENSE_ID,
						       "name", LICENSE_NAME, "url", LICENSE_URL));
	json_object_set_new(root, "publisher",
			    json_string(m->state_name ? m->state_name : ""));
	json_object_set_new(root, "period", json_pack("{s:s, s:s}", "start", start, "end", endd));
	if (ro->complete)
		json_object_set_new(root, "completeness",
				    report_completeness_json(ro->complete, m->org));
	json_object_set_new(root, "engine", json_string("co2ledger " CO2LEDGER_VERSION));
	json_object_set_new(root, "generated", json_string(ro->generated));
	json_object_set_new(root, "run", json_integer(m->run.id));
	json_object_set_new(root, "org", m->org ? json_string(m->org) : json_null());
	json_object_set_new(root, "unit_of_measure", json_string("kg CO2e"));
	sets = json_loads(m->run.factor_sets, 0, NULL);
	json_array_foreach(sets, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *ver = json_string_value(json_object_get(v, "version"));
		sqlite3_stmt *st = ledger_stmt(l, SQL_SET, e);
		json_t *src = json_pack("{s:O, s:O, s:O}", "name", json_object_get(v, "name"),
					"version", json_object_get(v, "version"),
					"sha256", json_object_get(v, "sha256"));
		json_t *cites = json_array();
		char set[160];
		if (!st) {
			json_decref(src);
			json_decref(cites);
			rc = -1;
			break;
		}
		ledger_bind_text(st, 1, name);
		ledger_bind_text(st, 2, ver);
		if (sqlite3_step(st) == SQLITE_ROW) {
			json_object_set_new(src, "published", col_json(st, 0));
			json_object_set_new(src, "description", col_json(st, 1));
			json_object_set_new(src, "license", col_json(st, 2));
			json_object_set_new(src, "source", col_json(st, 3));
		}
		sqlite3_reset(st);
		snprintf(set, sizeof set, "%s@%s", name ? name : "", ver ? ver : "");
		for (j = 0; j < fs->n; j++) {
			size_t k;
			int dup = 0;
			if (strcmp(fs->v[j].set, set) != 0 || !fs->v[j].citation[0])
				continue;
			for (k = 0; k < json_array_size(cites); k++)
				if (strcmp(json_string_value(json_array_get(cites, k)),
					   fs->v[j].citation) == 0)
					dup = 1;
			if (!dup)
				json_array_append_new(cites, json_string(fs->v[j].citation));
		}
		json_object_set_new(src, "citations", cites);
		json_array_append_new(sources, src);
	}
	json_decref(sets);
	json_object_set_new(root, "sources", sources);
	res = json_array();
	json_array_append_new(res, json_pack("{s:s, s:s, s:o}", "file", "districts.csv",
		"description", "balance per district and per unit directly under the state; "
		"the first row (kind 'total') is the whole administration",
		"columns", columns(UNIT_COLS)));
	json_array_append_new(res, json_pack("{s:s, s:s, s:o}", "file", "sectors.csv",
		"description", "location- and market-based emissions per unit and sector, "
		"including the upstream share", "columns", columns(SECTOR_COLS)));
	json_array_append_new(res, json_pack("{s:s, s:s, s:o}", "file", "carriers.csv",
		"description", "location- and market-based emissions per unit and energy "
		"carrier or spend category", "columns", columns(CARRIER_COLS)));
	json_array_append_new(res, json_pack("{s:s, s:s, s:o}", "file", "activities.csv",
		"description", "every activity line with its source file and line, factor "
		"and result", "columns", columns(ACT_COLS)));
	json_object_set_new(root, "resources", res);
	json_object_set_new(root, "format", json_string("text/csv; charset=utf-8; "
		"header=present (RFC 4180, ',' separated, '.' decimal point)"));
	text = rc ? NULL : json_dumps(root, JSON_INDENT(2) | REPORT_JSON_FLAGS);
	json_decref(root);
	if (rc)
		return -1;
	snprintf(path, sizeof path, "%s/metadata.json", dir);
	snprintf(title, sizeof title, "%s/metadata.json", shown);
	if (!text || !(f = fopen(path, "wb"))) {
		free(text);
		return err_set(e, ERR_IO, title, 0, 0, "cannot write (%s)",
			       outfile_reason(errno));
	}
	fputs(text, f);
	fputc('\n', f);
	free(text);
	return outfile_fclose(f, title, e);
}

int
report_write_csv(struct ledger *l, const struct report_model *m,
		 const struct report_out *ro, const char *dir, struct err *e)
{
	struct report_factors fs;
	struct outfile of;
	struct out o;
	int which, rc;

	/* the folder is written as a whole beside `dir` and swapped in at the
	 * end: a killed or failed write leaves the old folder as it was */
	if (outfile_open_dir(&of, dir, REPORT_CSV_FILES, REPORT_CSV_NFILES, e))
		return -1;
	for (which = 0; which < 3; which++)
		if (write_table(m, ro->lang, of.tmp, dir, which, e)) {
			outfile_abort(&of);
			return -1;
		}
	if (report_factors_init(&fs, e)) {
		outfile_abort(&of);
		return -1;
	}
	if (out_open(&o, of.tmp, dir, "activities.csv", e)) {
		report_factors_release(&fs);
		outfile_abort(&of);
		return -1;
	}
	header(&o, ACT_COLS);
	rc = report_each_line(l, m, ro, &fs, -1, act_record, &o, e);
	if (out_close(&o, rc ? &(struct err){0} : e))
		rc = -1;
	if (!rc) {
		report_factors_sort(&fs);
		rc = write_metadata(l, m, ro, of.tmp, dir, &fs, e);
	}
	report_factors_release(&fs);
	if (rc) {
		outfile_abort(&of);
		return -1;
	}
	return outfile_commit_dir(&of, e);
}
