/*
 * opendata: what an open-data portal needs next to the CSV files of
 * report --csv: DCAT-AP.de metadata as JSON-LD (metadata.json: one
 * dcat:Dataset and a dcat:Distribution per file, with title and description
 * in the report's language, publisher and contact point, keywords, theme,
 * spatial and temporal coverage, issued/modified, URLs, media types,
 * SHA-256 checksums, byte sizes and the licence dl-de/by-2-0 with its
 * attribution text), CSVW column descriptions (csv-metadata.json: types,
 * units, descriptions), and the names tables (names-carriers.csv,
 * names-units.csv) that explain the keys used in the tables.
 *
 * The metadata follows the DCAT-AP.de 3.0 SHACL shapes of GovData
 * (GovDataOfficial/DCAT-AP.de-SHACL-Validation, validator/resources/v3.0);
 * reports/schema/dcat-ap-de.schema.json restates their constraints for
 * this file's form (see docs/report-format.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/outfile.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "reports/completeness.h"
#include "reports/lines.h"

#define LICENSE_IRI "http://dcat-ap.de/def/licenses/dl-by-de/2.0"

/* A column of the CSV files: its CSVW datatype, unit and description. */
struct colspec {
	const char *name, *datatype, *unit, *de, *en;
};

static const struct colspec COLS[] = {
	{"code", "string", NULL, "Kennung der Einheit in der Organisationsstruktur",
	 "code of the unit in the organisation tree"},
	{"number", "string", NULL, "amtliche Nummer der Einheit (z. B. Bezirksnummer), leer wenn keine",
	 "official number of the unit (e.g. district number), empty when none"},
	{"name", "string", NULL, "Name der Einheit", "name of the unit"},
	{"kind", "string", NULL, "Art: state (Land, nur totals.csv), district (Bezirk), department (Hauptverwaltung), site (Standort)",
	 "kind: state (totals.csv only), district, department, site"},
	{"parent", "string", NULL, "Kennung der übergeordneten Einheit", "code of the parent unit"},
	{"population", "integer", "Einwohner/innen", "Einwohner/innen im Berichtsjahr", "residents in the year"},
	{"employees", "integer", "Beschäftigte", "Beschäftigte im Berichtsjahr", "employees in the year"},
	{"floor_area_m2", "decimal", "m²", "Nettoraumfläche", "floor area"},
	{"scope1_kg", "decimal", "kg CO2e", "Scope 1: direkte Emissionen", "scope 1: direct emissions"},
	{"scope2_location_kg", "decimal", "kg CO2e", "Scope 2 standortbasiert", "scope 2 location-based"},
	{"scope2_market_kg", "decimal", "kg CO2e", "Scope 2 marktbasiert", "scope 2 market-based"},
	{"scope3_kg", "decimal", "kg CO2e", "Scope 3 einschließlich Vorkette", "scope 3 including upstream"},
	{"total_location_kg", "decimal", "kg CO2e", "Summe standortbasiert, exakt auf Gramm",
	 "total location-based, exact to the gram"},
	{"total_market_kg", "decimal", "kg CO2e", "Summe marktbasiert, exakt auf Gramm",
	 "total market-based, exact to the gram"},
	{"total_location_t", "decimal", "t CO2e", "Summe standortbasiert, auf 0,1 t gerundet",
	 "total location-based, rounded to 0.1 t"},
	{"total_market_t", "decimal", "t CO2e", "Summe marktbasiert, auf 0,1 t gerundet",
	 "total market-based, rounded to 0.1 t"},
	{"biogenic_co2_kg", "decimal", "kg CO2", "biogenes CO2 außerhalb der Scopes (leer, wenn kein verwendeter Faktor es ausweist: nicht erfasst)",
	 "biogenic CO2 outside the scopes (empty when no factor used carries it: not recorded)"},
	{"per_capita_kg", "decimal", "kg CO2e", "standortbasiert je Einwohner/in", "location-based per resident"},
	{"per_employee_kg", "decimal", "kg CO2e", "standortbasiert je Beschäftigte/n", "location-based per employee"},
	{"per_m2_kg", "decimal", "kg CO2e", "standortbasiert je m²", "location-based per m²"},
	{"previous_total_location_kg", "decimal", "kg CO2e", "Vorjahr standortbasiert", "previous year location-based"},
	{"change_pct", "decimal", "%", "Veränderung zum Vorjahr", "change on the previous year"},
	{"rank", "integer", NULL, "Rang je Einwohner/in unter den Bezirken (1 = niedrigster Wert)",
	 "rank per resident among the districts (1 = lowest)"},
	{"sector", "string", NULL, "Sektor (Schlüssel, siehe names-carriers.csv)", "sector (key, see names-carriers.csv)"},
	{"carrier", "string", NULL, "Energieträger oder Beschaffungskategorie (Schlüssel, siehe names-carriers.csv)",
	 "energy carrier or spend category (key, see names-carriers.csv)"},
	{"location_kg", "decimal", "kg CO2e", "standortbasiert, exakt auf Gramm", "location-based, exact to the gram"},
	{"market_kg", "decimal", "kg CO2e", "marktbasiert, exakt auf Gramm", "market-based, exact to the gram"},
	{"location_t", "decimal", "t CO2e", "standortbasiert, auf 0,1 t gerundet", "location-based, rounded to 0.1 t"},
	{"market_t", "decimal", "t CO2e", "marktbasiert, auf 0,1 t gerundet", "market-based, rounded to 0.1 t"},
	{"activity_id", "integer", NULL, "Nummer der Aktivitätszeile im Hauptbuch (leer bei zusammengefassten Zeilen)",
	 "activity row number in the ledger (empty for aggregated rows)"},
	{"org", "string", NULL, "Organisationseinheit der Zeile", "org unit of the line"},
	{"reporting_unit", "string", NULL, "Berichtseinheit (Bezirk oder Hauptverwaltung)", "reporting unit (district or department)"},
	{"file", "string", NULL, "Quelldatei", "source file"},
	{"line", "integer", NULL, "Zeile in der Quelldatei", "line in the source file"},
	{"period_start", "date", NULL, "Beginn des Zeitraums", "start of the period"},
	{"period_end", "date", NULL, "Ende des Zeitraums", "end of the period"},
	{"days_in_year", "integer", "Tage", "Tage des Zeitraums im Berichtsjahr", "days of the period in the year"},
	{"days_total", "integer", "Tage", "Tage des Zeitraums", "days of the period"},
	{"quantity", "decimal", NULL, "Menge in der Einheit der Spalte unit", "quantity in the unit of column unit"},
	{"unit", "string", NULL, "Einheit der Menge", "unit of the quantity"},
	{"activity", "string", NULL, "Aktivitätsschlüssel", "activity key"},
	{"quality", "string", NULL, "Datenqualität: measured, calculated, estimated", "data quality: measured, calculated, estimated"},
	{"tariff", "string", NULL, "Tarif (green: Ökostrom)", "tariff (green: green electricity)"},
	{"factor_id", "string", NULL, "Emissionsfaktor(en)", "emission factor(s)"},
	{"factor_set", "string", NULL, "Faktorsatz name@version", "factor set name@version"},
	{"factor_value", "string", NULL, "Faktorwert in kg CO2e je Faktoreinheit", "factor value in kg CO2e per factor unit"},
	{"factor_unit", "string", NULL, "Einheit des Faktors", "unit of the factor"},
	{"market_factor", "string", NULL, "wie das marktbasierte Ergebnis ermittelt wurde", "how the market-based result was found"},
	{"conversion", "string", NULL, "Umrechnung der Einheit", "unit conversion"},
	{"citation", "string", NULL, "Quelle des Faktors", "citation of the factor"},
	{"extrapolated", "integer", NULL, "1: mit einem früheren Faktor fortgeschrieben", "1: calculated with an earlier factor"},
	{"excluded", "integer", NULL, "1: nicht bilanziert (CPV 09, bereits als Energie erfasst)",
	 "1: not in the balance (CPV 09, counted as energy already)"},
	{"rows", "integer", NULL, "zusammengefasste Aktivitätszeilen (Privat-Pkw je Einheit, Klasse und Monat), sonst 1",
	 "activity lines aggregated (private cars per unit, class and month), else 1"},
	{"final_energy_kwh", "decimal", "kWh", "Endenergie auf Heizwertbasis (Hi), leer ohne Endenergie (strecken- oder ausgabenbasiert, keine Umrechnung)",
	 "final energy on the net calorific basis (Hi), empty without one (distance- or spend-based, no conversion)"},
	{"energy_conversion", "string", NULL, "Umrechnung in kWh (Hi)", "conversion to kWh (Hi)"},
	{"rows_with_energy", "integer", NULL, "Zeilen mit Endenergie", "lines with final energy"},
	{"no_energy", "string", NULL, "warum keine Endenergie: distance-based, spend-based, no conversion to kWh",
	 "why no final energy: distance-based, spend-based, no conversion to kWh"},
	{"key", "string", NULL, "Schlüssel", "key"},
	{"label_de", "string", NULL, "Bezeichnung deutsch", "German label"},
	{"label_en", "string", NULL, "Bezeichnung englisch", "English label"},
	{"what", "string", NULL, "sector, carrier, cpv_division oder distance_class", "sector, carrier, cpv_division or distance_class"},
};

static const struct colspec *
colspec(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof COLS / sizeof COLS[0]; i++)
		if (strcmp(COLS[i].name, name) == 0)
			return &COLS[i];
	return NULL;
}

#define file_desc report_csv_file

static json_t *
lang_text(enum report_lang lang, const char *de, const char *en)
{
	return json_pack("{s:s, s:s}", "@value", lang == REPORT_EN ? en : de,
			 "@language", lang == REPORT_EN ? "en" : "de");
}

/* SHA-256 and size of a written file. */
static int
file_digest(const char *path, char hex[65], long long *size, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct sha256 ctx;
	unsigned char buf[1 << 15], dig[32];
	size_t n;
	int i;

	if (!f)
		return err_set(e, ERR_IO, path, 0, 0, "cannot read (%s)", strerror(errno));
	sha256_init(&ctx);
	*size = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sha256_update(&ctx, buf, n);
		*size += (long long)n;
	}
	if (ferror(f)) {
		fclose(f);
		return err_set(e, ERR_IO, path, 0, 0, "cannot read");
	}
	fclose(f);
	sha256_final(&ctx, dig);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	return 0;
}

static int
write_json(const char *tmp, const char *dir, const char *name, json_t *root,
	   struct err *e)
{
	struct strbuf path = STRBUF_INIT, shown = STRBUF_INIT;
	char *text = json_dumps(root, JSON_INDENT(2) | REPORT_JSON_FLAGS);
	FILE *f = NULL;
	int rc;

	strbuf_addf(&path, "%s/%s", tmp, name);
	strbuf_addf(&shown, "%s/%s", dir, name);
	if (!text || strbuf_failed(&path) || strbuf_failed(&shown) ||
	    !(f = fopen(path.buf, "wb"))) {
		rc = err_set(e, ERR_IO, strbuf_str(&shown), 0, 0, "cannot write (%s)",
			     outfile_reason(text ? errno : ENOMEM));
		goto out;
	}
	fputs(text, f);
	fputc('\n', f);
	rc = outfile_fclose(f, shown.buf, e);
out:
	free(text);
	strbuf_release(&path);
	strbuf_release(&shown);
	return rc;
}

static json_t *
csvw_table(const struct file_desc *d, enum report_lang lang)
{
	json_t *cols = json_array();
	const char *const *c;

	for (c = d->cols; *c; c++) {
		const struct colspec *s = colspec(*c);
		json_t *o = json_pack("{s:s, s:s}", "name", *c, "titles", *c);
		if (s) {
			json_object_set_new(o, "datatype", json_string(s->datatype));
			json_object_set_new(o, "dc:description",
					    json_string(lang == REPORT_EN ? s->en : s->de));
			if (s->unit)
				json_object_set_new(o, "schema:unitText", json_string(s->unit));
		}
		json_array_append_new(cols, o);
	}
	return json_pack("{s:s, s:s, s:{s:o}}", "url", d->file, "dc:description",
			 lang == REPORT_EN ? d->en : d->de, "tableSchema", "columns", cols);
}

int
report_write_opendata_meta(struct ledger *l, const struct report_model *m,
			   const struct report_out *ro, const char *tmp, const char *dir,
			   const struct report_csv_files *files, struct err *e)
{
	enum report_lang lang = ro->lang;
	json_t *csvw, *tables, *graph, *ds, *dists, *ctx, *root, *kw;
	char title[512], start[11], endd[11], ident[300], attribution[700];
	const char *publisher = ro->publisher && *ro->publisher ? ro->publisher
		: m->sel != (size_t)-1 ? m->units[m->sel].name
		: m->state_name ? m->state_name : "";
	const char *base = ro->base_url ? ro->base_url : "";
	size_t i;
	int rc;

	(void)l;
	if (m->sel != (size_t)-1)
		snprintf(title, sizeof title, report_tr(lang, L_TITLE_ORG), m->run.year,
			 m->units[m->sel].name);
	else if (m->state_name)
		snprintf(title, sizeof title, report_tr(lang, L_TITLE_ORG), m->run.year,
			 m->state_name);
	else
		snprintf(title, sizeof title, report_tr(lang, L_TITLE), m->run.year);
	date_format(date_year_start(m->run.year), start);
	date_format(date_year_end(m->run.year), endd);
	snprintf(ident, sizeof ident, "%sthg-bilanz-%s-%d",
		 base, m->org ? m->org : m->state_code ? m->state_code : "gesamt",
		 m->run.year);
	snprintf(attribution, sizeof attribution, lang == REPORT_EN
		 ? "%s, %s (data licence Germany – attribution – version 2.0, "
		   "www.govdata.de/dl-de/by-2-0)"
		 : "%s, %s (Datenlizenz Deutschland – Namensnennung – Version 2.0, "
		   "www.govdata.de/dl-de/by-2-0)", publisher, title);

	/* CSVW: every file's columns */
	tables = json_array();
	for (i = 0; i < files->n; i++)
		if (files->v[i].cols)
			json_array_append_new(tables, csvw_table(&files->v[i], lang));
	csvw = json_pack("{s:[s, {s:s}], s:s, s:o, s:{s:[s], s:s}}",
			 "@context", "http://www.w3.org/ns/csvw", "@language",
			 lang == REPORT_EN ? "en" : "de",
			 "dc:title", title, "tables", tables,
			 "dialect", "lineTerminators", "\r\n", "encoding", "utf-8");
	json_object_set_new(csvw, "dc:license", json_pack("{s:s}", "@id", LICENSE_IRI));
	rc = write_json(tmp, dir, "csv-metadata.json", csvw, e);
	json_decref(csvw);
	if (rc)
		return -1;

	/* DCAT-AP.de */
	ctx = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"dcat", "http://www.w3.org/ns/dcat#",
			"dct", "http://purl.org/dc/terms/",
			"foaf", "http://xmlns.com/foaf/0.1/",
			"vcard", "http://www.w3.org/2006/vcard/ns#",
			"dcatde", "http://dcat-ap.de/def/dcatde/",
			"spdx", "http://spdx.org/rdf/terms#",
			"skos", "http://www.w3.org/2004/02/skos/core#",
			"xsd", "http://www.w3.org/2001/XMLSchema#",
			"locn", "http://www.w3.org/ns/locn#",
			"adms", "http://www.w3.org/ns/adms#");
	json_object_set_new(ctx, "rdfs", json_string("http://www.w3.org/2000/01/rdf-schema#"));
	kw = json_array();
	{
		static const char *const KW[][2] = {
			{"Treibhausgasbilanz", "greenhouse-gas balance"},
			{"CO2", "CO2"},
			{"Klimaschutz", "climate protection"},
			{"Verwaltung", "public administration"},
			{"GHG Protocol", "GHG Protocol"},
			{"Energie", "energy"},
		};
		for (i = 0; i < sizeof KW / sizeof KW[0]; i++)
			json_array_append_new(kw, lang_text(lang, KW[i][0], KW[i][1]));
	}
	dists = json_array();
	graph = json_array();
	for (i = 0; i < files->n; i++) {
		const struct file_desc *d = &files->v[i];
		struct strbuf path = STRBUF_INIT, urlb = STRBUF_INIT;
		char hex[65], size[32];
		const char *url;
		long long bytes = 0;
		json_t *dist;
		strbuf_addf(&path, "%s/%s", tmp, d->file);
		strbuf_addf(&urlb, "%s%s", base, d->file);
		if (strbuf_failed(&path) || strbuf_failed(&urlb) ||
		    file_digest(path.buf, hex, &bytes, e)) {
			if (strbuf_failed(&path) || strbuf_failed(&urlb))
				err_setf(e, ERR_IO, "out of memory");
			strbuf_release(&path);
			strbuf_release(&urlb);
			json_decref(ctx);
			json_decref(kw);
			json_decref(dists);
			json_decref(graph);
			return -1;
		}
		strbuf_release(&path);
		url = urlb.buf;
		snprintf(size, sizeof size, "%lld", bytes);
		dist = json_pack("{s:s, s:s, s:o, s:o, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, "
				 "s:{s:s}, s:o, s:{s:s, s:{s:s}, s:{s:s, s:s}}, s:{s:s, s:s}, "
				 "s:{s:s, s:s}, s:{s:s, s:s}}",
				 "@id", url, "@type", "dcat:Distribution",
				 "dct:title", lang_text(lang, d->title_de, d->title_en),
				 "dct:description", lang_text(lang, d->de, d->en),
				 "dcat:accessURL", "@id", url,
				 "dcat:downloadURL", "@id", url,
				 "dcat:mediaType", "@id", strcmp(d->file, "csv-metadata.json") == 0
					 ? "https://www.iana.org/assignments/media-types/application/csvm+json"
					 : "https://www.iana.org/assignments/media-types/text/csv",
				 "dct:format", "@id", strcmp(d->file, "csv-metadata.json") == 0
					 ? "http://publications.europa.eu/resource/authority/file-type/JSON"
					 : "http://publications.europa.eu/resource/authority/file-type/CSV",
				 "dct:license", "@id", LICENSE_IRI,
				 "dcatde:licenseAttributionByText",
				 json_pack("{s:s, s:s}", "@value", attribution, "@language",
					   lang == REPORT_EN ? "en" : "de"),
				 "spdx:checksum", "@type", "spdx:Checksum",
				 "spdx:algorithm", "@id", "spdx:checksumAlgorithm_sha256",
				 "spdx:checksumValue", "@value", hex, "@type", "xsd:hexBinary",
				 "dcat:byteSize", "@value", size, "@type", "xsd:nonNegativeInteger",
				 "dct:issued", "@value", ro->generated, "@type", "xsd:dateTime",
				 "dct:modified", "@value", ro->generated, "@type", "xsd:dateTime");
		json_array_append_new(dists, json_pack("{s:s}", "@id", url));
		json_array_append_new(graph, dist);
		strbuf_release(&urlb);
	}
	ds = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:[{s:s}, {s:s}], "
		       "s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, "
		       "s:{s:s, s:o}, s:{s:s, s:{s:s, s:s}, s:{s:s, s:s}}, "
		       "s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:o}",
		       "@id", ident, "@type", "dcat:Dataset",
		       "dct:identifier", ident,
		       "dct:title", lang_text(lang, title, title),
		       "dct:description", lang_text(lang, report_tr(REPORT_DE, L_DESCRIPTION),
						    report_tr(REPORT_EN, L_DESCRIPTION)),
		       "dcat:keyword", kw,
		       "dcat:theme",
		       "@id", "http://publications.europa.eu/resource/authority/data-theme/ENVI",
		       "@id", "http://publications.europa.eu/resource/authority/data-theme/GOVE",
		       "dct:publisher", "@type", "foaf:Agent", "foaf:name", publisher,
		       "@id", "_:publisher",
		       "dcat:contactPoint", "@type", "vcard:Organization", "vcard:fn", publisher,
		       "@id", "_:contact",
		       "dct:spatial", "@type", "dct:Location",
		       "skos:prefLabel", lang_text(lang, m->sel != (size_t)-1 ? m->units[m->sel].name
						   : m->state_name ? m->state_name : publisher,
						   m->sel != (size_t)-1 ? m->units[m->sel].name
						   : m->state_name ? m->state_name : publisher),
		       "dct:temporal", "@type", "dct:PeriodOfTime",
		       "dcat:startDate", "@value", start, "@type", "xsd:date",
		       "dcat:endDate", "@value", endd, "@type", "xsd:date",
		       "dct:issued", "@value", ro->generated, "@type", "xsd:dateTime",
		       "dct:modified", "@value", ro->generated, "@type", "xsd:dateTime",
		       "dct:language", "@id", lang == REPORT_EN
			       ? "http://publications.europa.eu/resource/authority/language/ENG"
			       : "http://publications.europa.eu/resource/authority/language/DEU",
		       "dct:accrualPeriodicity", "@id",
		       "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
		       "dcat:distribution", dists);
	if (ro->contact && *ro->contact) {
		char mail[400];
		snprintf(mail, sizeof mail, "%s%s", strchr(ro->contact, ':') ? "" : "mailto:",
			 ro->contact);
		json_object_set_new(json_object_get(ds, "dcat:contactPoint"), "vcard:hasEmail",
				    json_pack("{s:s}", "@id", mail));
	}
	{
		char prov[1200];
		snprintf(prov, sizeof prov, lang == REPORT_EN
			 ? "Calculated with co2ledger %s, calculation run %lld, lens %s, "
			   "factor sets %s, GWP %s; inputs SHA-256 %s. See the method notes "
			   "of the report."
			 : "Berechnet mit co2ledger %s, Berechnungslauf %lld, Bilanzierungsmethode "
			   "%s, Faktorsätze %s, GWP %s; SHA-256 der Eingaben %s. Siehe die "
			   "Hinweise zur Methode im Bericht.",
			 CO2LEDGER_VERSION, (long long)m->run.id, m->run.lens, m->factor_spec,
			 m->run.gwp, m->run.inputs_sha256);
		json_object_set_new(ds, "dct:provenance",
				    json_pack("{s:s, s:o}", "@type", "dct:ProvenanceStatement",
					      "rdfs:label", json_pack("{s:s, s:s}", "@value", prov,
								      "@language", lang == REPORT_EN ? "en" : "de")));
	}
	/* the state's key as DCAT-AP.de political geocoding (a two-digit
	 * number of the state root: Landesschlüssel) */
	if (m->sel == (size_t)-1 && m->state_code) {
		size_t t = org_tree_find(m->tree, m->state_code, strlen(m->state_code));
		const char *num = t != ORG_NONE ? org_tree_at(m->tree, t)->number : NULL;
		if (num && strlen(num) == 2) {
			char iri[96];
			snprintf(iri, sizeof iri,
				 "http://dcat-ap.de/def/politicalGeocoding/stateKey/%s", num);
			json_object_set_new(ds, "dcatde:politicalGeocodingURI",
					    json_pack("{s:s}", "@id", iri));
			json_object_set_new(ds, "dcatde:politicalGeocodingLevelURI",
					    json_pack("{s:s}", "@id",
						      "http://dcat-ap.de/def/politicalGeocodingLevel/state"));
		}
	}
	json_object_set_new(ds, "dcatde:licenseAttributionByText",
			    json_pack("{s:s, s:s}", "@value", attribution, "@language",
				      lang == REPORT_EN ? "en" : "de"));
	if (ro->complete) /* the expected-data check of the year, as a JSON literal */
		json_object_set_new(ds, "co2ledger:completeness",
				    json_pack("{s:s, s:o}", "@type", "@json", "@value",
					      report_completeness_json(ro->complete, m->org)));
	json_array_insert_new(graph, 0, ds);
	root = json_pack("{s:o, s:o}", "@context", ctx, "@graph", graph);
	rc = write_json(tmp, dir, "metadata.json", root, e);
	json_decref(root);
	return rc;
}
