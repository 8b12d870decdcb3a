/*
 * i18n: every label a report shows to its readers, in German and English,
 * in one table. Sheet names, column headings, chart titles, the names of
 * sectors, carriers, kinds and data-quality levels come from here and from
 * nowhere else; adding a language means adding a column.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/activity.h"
#include "reports/report_int.h"

static const char *const LABELS[L_NLABELS][2] = {
	[L_TITLE] = {"Treibhausgasbilanz %d", "Greenhouse-gas balance %d"},
	[L_TITLE_ORG] = {"Treibhausgasbilanz %d: %s", "Greenhouse-gas balance %d: %s"},
	[L_DESCRIPTION] = {
		"Treibhausgasemissionen der Verwaltung nach Bezirken und "
		"Hauptverwaltungen, Scopes, Sektoren und Energieträgern "
		"(GHG Protocol, Scope 2 standort- und marktbasiert), in kg CO2e.",
		"Greenhouse-gas emissions of the administration by district and "
		"department, scope, sector and energy carrier (GHG Protocol, "
		"location- and market-based scope 2), in kg CO2e."},
	[L_SHEET_SUMMARY] = {"Übersicht", "Summary"},
	[L_SHEET_UNITS] = {"Bezirksvergleich", "District comparison"},
	[L_SHEET_SECTORS] = {"Sektoren und Energieträger", "Sectors and carriers"},
	[L_SHEET_ACTIVITIES] = {"Aktivitäten", "Activities"},
	[L_SHEET_FACTORS] = {"Emissionsfaktoren", "Factors used"},
	[L_SHEET_PROVENANCE] = {"Herkunft", "Provenance"},
	[L_CODE] = {"Kennung", "Code"},
	[L_NAME] = {"Name", "Name"},
	[L_KIND] = {"Art", "Kind"},
	[L_SCOPE1] = {"Scope 1 (t CO2e)", "Scope 1 (t CO2e)"},
	[L_SCOPE2_LOC] = {"Scope 2 standortbasiert (t CO2e)", "Scope 2 location-based (t CO2e)"},
	[L_SCOPE2_MKT] = {"Scope 2 marktbasiert (t CO2e)", "Scope 2 market-based (t CO2e)"},
	[L_SCOPE3] = {"Scope 3 (t CO2e)", "Scope 3 (t CO2e)"},
	[L_UPSTREAM] = {"davon Vorkette (t CO2e)", "of which upstream (t CO2e)"},
	[L_TOTAL_LOC] = {"Gesamt standortbasiert (t CO2e)", "Total location-based (t CO2e)"},
	[L_TOTAL_MKT] = {"Gesamt marktbasiert (t CO2e)", "Total market-based (t CO2e)"},
	[L_BIOGENIC] = {"Biogenes CO2 (t)", "Biogenic CO2 (t)"},
	[L_PER_CAPITA] = {"je Einwohner/in (kg CO2e)", "per resident (kg CO2e)"},
	[L_PER_EMPLOYEE] = {"je Beschäftigte/n (kg CO2e)", "per employee (kg CO2e)"},
	[L_PER_M2] = {"je m² (kg CO2e)", "per m² (kg CO2e)"},
	[L_PREVIOUS] = {"Vorjahr standortbasiert (t CO2e)", "Previous year location-based (t CO2e)"},
	[L_CHANGE] = {"Veränderung zum Vorjahr (%)", "Change on previous year (%)"},
	[L_RANK] = {"Rang je Einwohner/in", "Rank per resident"},
	[L_POPULATION] = {"Einwohner/innen", "Population"},
	[L_EMPLOYEES] = {"Beschäftigte", "Employees"},
	[L_FLOOR_AREA] = {"Fläche (m²)", "Floor area (m²)"},
	[L_SECTOR] = {"Sektor", "Sector"},
	[L_CARRIER] = {"Energieträger / Kategorie", "Carrier / category"},
	[L_LOCATION_T] = {"standortbasiert (t CO2e)", "location-based (t CO2e)"},
	[L_MARKET_T] = {"marktbasiert (t CO2e)", "market-based (t CO2e)"},
	[L_TOTAL] = {"Gesamt", "Total"},
	[L_KEY_FIGURES] = {"Kennzahlen", "Key figures"},
	[L_VALUE] = {"Wert", "Value"},
	[L_UNIT] = {"Einheit", "Unit"},
	[L_QUALITY] = {"Datenqualität (Anteil an standortbasiert)", "Data quality (share of location-based)"},
	[L_MEASURED] = {"gemessen", "measured"},
	[L_CALCULATED] = {"berechnet", "calculated"},
	[L_ESTIMATED] = {"geschätzt", "estimated"},
	[L_EXTRAPOLATED] = {"fortgeschrieben (Vorjahresfaktor)", "extrapolated (earlier factor)"},
	[L_SHARE_PCT] = {"Anteil (%)", "Share (%)"},
	[L_CHART_SCOPES] = {"Emissionen nach Scope (t CO2e)", "Emissions by scope (t CO2e)"},
	[L_CHART_SECTORS] = {"Emissionen nach Sektor, standortbasiert (t CO2e)",
			     "Emissions by sector, location-based (t CO2e)"},
	[L_RANKING] = {"Rangfolge der Bezirke je Einwohner/in (niedrigster Wert zuerst)",
		       "Districts ranked per resident (lowest first)"},
	[L_PER_CAPITA_KG_SHORT] = {"kg CO2e je Einwohner/in", "kg CO2e per resident"},
	[L_T_CO2E] = {"t CO2e", "t CO2e"},
	[L_KG_CO2E] = {"kg CO2e", "kg CO2e"},
	[L_PCT] = {"%", "%"},
	[L_ORG] = {"Organisationseinheit", "Org unit"},
	[L_REPORTING_UNIT] = {"Berichtseinheit", "Reporting unit"},
	[L_FILE_LINE] = {"Quelle (Datei:Zeile)", "Source (file:line)"},
	[L_PERIOD_START] = {"Zeitraum von", "Period from"},
	[L_PERIOD_END] = {"Zeitraum bis", "Period to"},
	[L_QUANTITY] = {"Menge", "Quantity"},
	[L_ACTIVITY] = {"Aktivität", "Activity"},
	[L_TARIFF] = {"Tarif", "Tariff"},
	[L_FACTOR_ID] = {"Faktor", "Factor"},
	[L_FACTOR_SET] = {"Faktorsatz", "Factor set"},
	[L_FACTOR_VALUE] = {"Faktor (kg CO2e je Einheit)", "Factor (kg CO2e per unit)"},
	[L_FACTOR_UNIT] = {"Faktor-Einheit", "Factor unit"},
	[L_CITATION] = {"Quelle des Faktors", "Citation"},
	[L_EXCLUDED] = {"nicht bilanziert (CPV 09, bereits erfasst)",
			"not in the balance (CPV 09, counted already)"},
	[L_KG_LOC] = {"kg CO2e standortbasiert", "kg CO2e location-based"},
	[L_KG_MKT] = {"kg CO2e marktbasiert", "kg CO2e market-based"},
	[L_YES] = {"ja", "yes"},
	[L_TRUNCATED] = {
		"Hier endet das Tabellenblatt: es zeigt %ld von %ld Zeilen. Alle "
		"Zeilen stehen im CSV-Export (activities.csv).",
		"The sheet ends here: it shows %ld of %ld lines. All lines are in "
		"the CSV export (activities.csv)."},
	[L_REGION] = {"Region", "Region"},
	[L_VALID_FROM] = {"gültig ab", "valid from"},
	[L_VALID_TO] = {"gültig bis", "valid to"},
	[L_METHOD] = {"Methode", "Method"},
	[L_SCOPE] = {"Scope", "Scope"},
	[L_STATUS] = {"Status", "Status"},
	[L_RUN] = {"Berechnungslauf", "Calculation run"},
	[L_YEAR] = {"Jahr", "Year"},
	[L_GWP] = {"GWP-Satz", "GWP set"},
	[L_FALLBACK] = {"Faktor-Rückgriff", "Factor fallback"},
	[L_LENS] = {"Bilanzierungsmethode", "Accounting lens"},
	[L_CONFORMITY] = {"BISKO-Konformität: verletzte Regeln (Zeilen)",
			  "BISKO conformity: rules violated (rows)"},
	[L_INPUTS_SHA] = {"SHA-256 der Eingaben", "Inputs SHA-256"},
	[L_RUN_RESULTS_SHA] = {"SHA-256 der Laufergebnisse", "Run results SHA-256"},
	[L_REPORT_RESULTS_SHA] = {"SHA-256 der Berichtszahlen (JSON)", "Report figures SHA-256 (JSON)"},
	[L_GENERATED] = {"erstellt", "generated"},
	[L_ENGINE] = {"Programm", "Engine"},
	[L_ROWS_USED] = {"Zeilen bilanziert", "Rows used"},
	[L_ROWS_EXCLUDED] = {"Zeilen ausgeschlossen (CPV 09)", "Rows excluded (CPV 09)"},
	[L_ROWS_EXTRAPOLATED] = {"Zeilen fortgeschrieben", "Rows extrapolated"},
	[L_ROWS_OVERLAP] = {"Zeilen mit Überschneidung (--allow-overlap)",
			    "Overlapping rows (--allow-overlap)"},
	[L_FACTOR_SETS] = {"Faktorsätze (in Rangfolge)", "Factor sets (in priority order)"},
	[L_BATCHES] = {"Importierte Dateien", "Imported files"},
	[L_VERSION] = {"Version", "Version"},
	[L_SHA256] = {"SHA-256", "SHA-256"},
	[L_ID] = {"Nr.", "Id"},
	[L_ROWS] = {"Zeilen", "Rows"},
	[L_SOURCE] = {"Quelle", "Source"},
	[L_LICENSE] = {"Lizenz", "License"},
	[L_METHOD_NOTE] = {
		"Gesamt = Scope 1 + Scope 2 + Scope 3 (inkl. Vorkette). Biogenes "
		"CO2 wird außerhalb der Scopes ausgewiesen.",
		"Total = scope 1 + scope 2 + scope 3 (including upstream). "
		"Biogenic CO2 is shown outside the scopes."},
	[L_STAT_NOTE] = {
		"Kennzahlen je Einwohner/in, Beschäftigte/n und m² sind Quotienten "
		"der Summen (standortbasiert); ohne eigene Statistik gilt die Summe "
		"der untergeordneten Einheiten.",
		"Figures per resident, employee and m² are ratios of sums "
		"(location-based); a unit without its own statistics uses the sum "
		"over its sub-units."},
	[L_MKT_FACTOR] = {"Marktbasiert: Faktor", "Market-based: factor"},
	[L_CONVERSION] = {"Umrechnung", "Conversion"},
	[L_FACTOR_UPSTREAM] = {"Vorkette (kg CO2e je Einheit)", "Upstream (kg CO2e per unit)"},
	[L_KEY] = {"Schlüssel", "Key"},
	[L_WHAT] = {"Gliederung", "Breakdown"},
	[L_LABEL] = {"Bezeichnung", "Label"},
	[L_QUALITY_COL] = {"Datenqualität", "Data quality"},
	[L_DAYS] = {"Tage im Berichtsjahr / Tage", "Days in the year / days"},
	[L_MKT_SUPPLIER] = {"Angabe des Lieferanten", "supplier's disclosure"},
	[L_MKT_FALLBACK] = {"kein Marktfaktor: standortbasiert",
			    "no market factor: location-based"},
	[L_SHEET_ENERGY] = {"Energie", "Energy"},
	[L_ENERGY_TITLE] = {"Endenergie %d (MWh, Heizwert Hi)",
			    "Final energy %d (MWh, net calorific value Hi)"},
	[L_ENERGY_NOTE] = {
		"Endenergie auf Heizwertbasis (Hi): Strom und Wärme wie abgerechnet, "
		"Erdgas in kWh Hs mit dem Hs/Hi-Verhältnis des Faktorsatzes auf Hi "
		"umgerechnet, Kraft- und Brennstoffe in Litern, m³ oder kg mit den "
		"Umrechnungen des Faktorsatzes; streckenbezogene Fahrten und "
		"Beschaffung haben keine Endenergie.",
		"Final energy on the net calorific basis (Hi): electricity and heat as "
		"billed, natural gas billed in kWh Hs converted to Hi with the factor "
		"set's own Hs/Hi ratio, fuels in litres, m3 or kg with the factor set's "
		"conversions; distance-based trips and procurement have no final energy."},
	[L_ENERGY_MWH] = {"Endenergie (MWh)", "Final energy (MWh)"},
	[L_ENERGY_KWH] = {"Endenergie (kWh, Hi)", "Final energy (kWh, Hi)"},
	[L_ENERGY_CONV] = {"Umrechnung in kWh", "Conversion to kWh"},
	[L_ENERGY_BY_SITE] = {"Nach Liegenschaft und Energieträger",
			      "By site and carrier"},
	[L_ENERGY_ROWS] = {"Zeilen mit Endenergie", "Rows with final energy"},
	[L_ENERGY_NONE] = {"Hinweis", "Note"},
	[L_PRIMARY_MWH] = {"Primärenergie nicht erneuerbar (MWh)",
			   "Primary energy, non-renewable (MWh)"},
	[L_PRIMARY_NOTE] = {
		"Primärenergie (nicht erneuerbarer Anteil) = Endenergie (Hi) x "
		"Primärenergiefaktor nach GEG Anlage 4 (Strom 1,8; Erdgas, Heizöl, "
		"Flüssiggas, Biogas 1,1; Holz 0,2); Fernwärme ohne Standardwert "
		"(zertifizierter Faktor des Netzes), Kraftstoffe nicht in Anlage 4. "
		"Nur ein Indikator: die Emissionen ändern sich nicht.",
		"Primary energy (non-renewable part) = final energy (Hi) x the "
		"primary-energy factor of GEG Anlage 4 (electricity 1.8; natural gas, "
		"heating oil, LPG, biogas 1.1; wood 0.2); district heat has no default "
		"(a network's certified factor), vehicle fuels are not in Anlage 4. "
		"An indicator only: emissions do not change."},
	[L_ENERGY_UNKNOWN] = {"Lauf vor Schema 6: Endenergie nicht gespeichert",
			      "run from before schema 6: final energy not stored"},
	[L_NONE_DISTANCE] = {"streckenbezogen: keine Endenergie",
			     "distance-based: no final energy"},
	[L_NONE_SPEND] = {"ausgabenbasiert: keine Endenergie",
			  "spend-based: no final energy"},
	[L_NONE_CONVERSION] = {"keine Umrechnung in kWh im Faktorsatz",
			       "no conversion to kWh in the factor sets"},
	[L_SHEET_TREND] = {"Zeitreihe", "Trend"},
	[L_TREND_TITLE] = {"Treibhausgasbilanz %d bis %d (t CO2e, standortbasiert)",
			   "Greenhouse-gas balance %d to %d (t CO2e, location-based)"},
	[L_CHART_TREND_UNITS] = {"Entwicklung je Einheit (t CO2e)", "Trend per unit (t CO2e)"},
	[L_CHART_TREND_SECTORS] = {"Entwicklung je Sektor (t CO2e)", "Trend per sector (t CO2e)"},
	[L_SHEET_TARGETS] = {"Ziele", "Targets"},
	[L_TARGETS_TITLE] = {"Fortschritt %d zu den Zielen", "Progress %d toward the targets"},
	[L_TARGETS_NOTE] = {
		"Pfad: linear vom Basiswert über die Meilensteine; Lücke = aktuell - Pfad "
		"(in % des Basiswerts); nötige Minderung: im Mittel je Jahr bis zum "
		"nächsten Meilenstein. Einheiten: t, MWh oder %.",
		"Path: linear from the base through the milestones; gap = current - path "
		"(in % of the base); required: the average reduction a year to the next "
		"milestone. Units: t, MWh or %."},
	[L_TARGET] = {"Ziel", "Target"},
	[L_TARGET_METRIC] = {"Kennzahl", "Metric"},
	[L_TARGET_BASE_YEAR] = {"Basisjahr", "Base year"},
	[L_TARGET_BASE] = {"Basiswert", "Base"},
	[L_TARGET_CURRENT] = {"Ist", "Actual"},
	[L_TARGET_PATH] = {"Zielpfad", "Path"},
	[L_TARGET_GAP] = {"Lücke", "Gap"},
	[L_TARGET_GAP_PCT] = {"Lücke (% der Basis)", "Gap (% of base)"},
	[L_TARGET_REQUIRED] = {"Nötige Minderung je Jahr", "Required reduction a year"},
	[L_TARGET_ON_TRACK] = {"Auf Kurs", "On track"},
	[L_TARGET_SOURCE] = {"Rechtsgrundlage", "Legal source"},
	[L_NO] = {"nein", "no"},
	[L_HTML_ENERGY_KPI] = {"Endenergie (Heizwert Hi)", "Final energy (net calorific value Hi)"},
	[L_HTML_TREND_DESC] = {
		"Standortbasierte Emissionen je Jahr nach Sektor in Tonnen CO2e, "
		"%d bis %d; die Tabelle darunter enthält alle Zahlen.",
		"Location-based emissions per year by sector in tonnes CO2e, %d to %d; "
		"the table below gives every figure."},
	[L_HTML_TREND_NOTE] = {
		"Jedes Jahr aus einem gespeicherten Berechnungslauf mit derselben Methode "
		"(Faktorsätze, GWP, Region, Faktor-Rückgriff und Eingabedateien); Jahre "
		"ohne einen solchen Lauf fehlen.",
		"Every year from a stored calculation run with the same method (factor "
		"sets, GWP, region, factor fallback and input files); years without such "
		"a run are left out."},
	[L_HTML_TARGETS_NONE] = {"nicht berechenbar", "cannot be computed"},
	[L_TARGET_NEXT] = {"Nächster Meilenstein", "Next milestone"},
	[L_TARGET_NOT_COMPUTED] = {"Nicht berechenbar", "Cannot be computed"},
	[L_TARGET_UNIT] = {"Einheit", "Unit"},
	[L_SHEET_METHOD] = {"Methode und Hinweise", "Method and notes"},
	[L_PAGE_OF] = {"Seite &P von &N", "Page &P of &N"},
	[L_SOURCE_RUN] = {"Quelle: co2ledger, Berechnungslauf %lld",
			  "Source: co2ledger, calculation run %lld"},
	[L_NOT_RECORDED] = {"nicht erfasst", "not recorded"},
	[L_SCOPE_SPLIT] = {"Scopes standort- und marktbasiert (t CO2e)",
			   "Scopes location- and market-based (t CO2e)"},
	[L_LOCATION_BASED] = {"standortbasiert", "location-based"},
	[L_MARKET_BASED] = {"marktbasiert", "market-based"},
	[L_CHART_RANKING] = {"kg CO2e je Einwohner/in (niedrigster Wert oben)",
			     "kg CO2e per resident (lowest at the top)"},
	[L_DISCLOSURES] = {"Hinweise zu Faktoren und Daten (aus diesem Berechnungslauf)",
			   "Notes on factors and data (from this calculation run)"},
	[L_NOTE] = {"Hinweis", "Note"},
	[L_AMOUNT_T] = {"Menge (t CO2e)", "Amount (t CO2e)"},
	[L_METHOD_BASICS] = {"Methode", "Method"},
	[L_SHEET_CHART_RANKING] = {"Diagramm Rangfolge", "Chart ranking"},
	[L_SHEET_CHART_SECTORS] = {"Diagramm Sektoren", "Chart sectors"},
};

static int
col(enum report_lang lang)
{
	return lang == REPORT_EN ? 1 : 0;
}

const char *
report_tr(enum report_lang lang, enum report_label k)
{
	return (unsigned)k < L_NLABELS && LABELS[k][col(lang)] ? LABELS[k][col(lang)] : "?";
}

int
report_lang_parse(const char *s, enum report_lang *out)
{
	if (strcasecmp(s, "de") == 0)
		*out = REPORT_DE;
	else if (strcasecmp(s, "en") == 0)
		*out = REPORT_EN;
	else
		return -1;
	return 0;
}

const char *
report_tr_kind(enum report_lang lang, enum org_kind k)
{
	static const char *const K[4][2] = {
		{"Land", "state"},
		{"Bezirk", "district"},
		{"Hauptverwaltung", "department"},
		{"Standort", "site"},
	};
	return (unsigned)k < 4 ? K[k][col(lang)] : "?";
}

_Static_assert(REPORT_NSECTORS == ACTIVITY_NSECTORS,
	       "the balance has the catalogue's sectors");

struct pair {
	const char *key, *de, *en;
};

static const char *
find(const struct pair *p, size_t n, const char *key, enum report_lang lang)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].key, key) == 0)
			return lang == REPORT_EN ? p[i].en : p[i].de;
	return NULL;
}

const char *
report_sector_key(int i)
{
	const struct activity_sector *s = activity_sector(i);
	return s ? s->key : NULL;
}

const char *
report_tr_sector(enum report_lang lang, const char *key)
{
	const struct activity_sector *s = activity_sector_find(key);
	return s ? (lang == REPORT_EN ? s->en : s->de) : key;
}

const char *
report_tr_carrier(enum report_lang lang, const char *key, char *buf, size_t n)
{
	const char *s;

	if (strncmp(key, "cpv.", 4) == 0) {
		const char *name = activity_cpv_label(key + 4, lang == REPORT_EN);
		if (name)
			snprintf(buf, n, "CPV %s: %s", key + 4, name);
		else
			snprintf(buf, n, lang == REPORT_EN ? "CPV division %s" : "CPV-Abteilung %s",
				 key + 4);
		return buf;
	}
	if (strncmp(key, "distance.", 9) == 0) {
		const char *c = activity_carrier_label(key, lang == REPORT_EN);
		snprintf(buf, n, lang == REPORT_EN ? "%s (distance)" : "%s (Strecke)",
			 c ? c : key + 9);
		return buf;
	}
	s = activity_carrier_label(key, lang == REPORT_EN);
	return s ? s : key;
}

const char *
report_quality_key(int q)
{
	return activity_quality_name(q);
}

const char *
report_tr_quality(enum report_lang lang, int q)
{
	static const enum report_label Q[3] = {L_MEASURED, L_CALCULATED, L_ESTIMATED};
	return q >= 0 && q < 3 ? report_tr(lang, Q[q]) : "?";
}

const char *
report_tr_unit(enum report_lang lang, const char *unit)
{
	(void)lang;
	if (strcmp(unit, "kWh_Hs") == 0)
		return "kWh (Hs)";
	if (strcmp(unit, "MWh_Hs") == 0)
		return "MWh (Hs)";
	if (strcmp(unit, "m3") == 0)
		return "m³";
	return unit;
}

const char *
report_tr_status(enum report_lang lang, const char *status)
{
	static const struct pair S[] = {
		{"estimate", "geschätzt", "estimate"},
		{"final", "endgültig", "final"},
		{"preliminary", "vorläufig", "preliminary"},
	};
	const char *s = find(S, sizeof S / sizeof S[0], status, lang);
	return s ? s : status;
}

const char *
report_tr_method(enum report_lang lang, int market)
{
	return report_tr(lang, market ? L_MARKET_BASED : L_LOCATION_BASED);
}

const char *
report_tr_fallback(enum report_lang lang, const char *fallback)
{
	static const struct pair F[] = {
		{"nearest", "nächstgelegener Faktor (früher, sonst später), wenn keiner gilt",
		 "nearest factor (earlier, else later) when none applies"},
		{"previous", "Vorjahresfaktor, wenn keiner gilt",
		 "earlier factor when none applies"},
		{"strict", "streng (nur gültige Faktoren)", "strict (valid factors only)"},
	};
	const char *s = find(F, sizeof F / sizeof F[0], fallback, lang);
	return s ? s : fallback;
}

const char *
report_tr_lens(enum report_lang lang, const char *lens)
{
	static const struct pair L[] = {
		{"bisko", "BISKO (kommunale Bilanz, Lebenszyklus-Faktoren mit Vorketten)",
		 "BISKO (German municipal balance, life-cycle factors with upstream)"},
		{"ghg-protocol", "GHG Protocol (Scopes 1 bis 3)", "GHG Protocol (scopes 1 to 3)"},
	};
	const char *s = find(L, sizeof L / sizeof L[0], lens, lang);
	return s ? s : lens;
}

void
report_fmt_generated(enum report_lang lang, const char *iso, char *buf, size_t n)
{
	static const char *const MONTHS[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"};
	int y, mo, d, h, mi;

	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    mo < 1 || mo > 12) {
		snprintf(buf, n, "%s", iso);
		return;
	}
	if (lang == REPORT_EN)
		snprintf(buf, n, "%d %s %04d, %02d:%02d UTC", d, MONTHS[mo - 1], y, h, mi);
	else
		snprintf(buf, n, "%02d.%02d.%04d, %02d:%02d UTC", d, mo, y, h, mi);
}
