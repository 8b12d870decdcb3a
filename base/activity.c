/*
 * activity: the catalogue table and its look-ups (see activity.h).
 *
 * One line per carrier, fuel or vehicle class. To add one, add its line
 * here: the factor parser then accepts its key and checks its units, the
 * calculation books it under its sector, the importers accept its name and
 * words, and the reports label it. The order of the lines is the order of
 * the lists in error messages.
 */
#include <pthread.h>
#include <string.h>

#include "base/activity.h"
#include "base/csv.h"
#include "base/strbuf.h"

#define E ACT_ENERGY
#define F ACT_FLEET
#define D ACT_DISTANCE
#define POWER ACT_FIT_POWER
#define FUEL ACT_FIT_FUEL
#define KM ACT_FIT_DISTANCE

static const struct activity ACTIVITIES[] = {
/* kind name  sector  fit  market also  row units  words  German  English */
{E, "electricity", "buildings.electricity", POWER, 1, NULL, "Wh kWh MWh GWh", "Strom|Elektrizität|power", "Strom", "electricity"},
{E, "district_heating", "buildings.heat", POWER, 1, NULL, "kWh MWh GWh MJ GJ TJ", "Fernwärme|Fernwaerme|Nahwärme|district heating|district heat", "Fernwärme", "district heating"},
{E, "district_cooling", "buildings.heat", POWER, 1, NULL, "kWh MWh GWh MJ GJ TJ", "Fernkälte|Fernkaelte|district cooling", "Fernkälte", "district cooling"},
{E, "natural_gas", "buildings.heat", FUEL, 0, NULL, "kWh MWh GWh kWh_Hs MWh_Hs m3 GJ", "Erdgas|Gas|Erdgas H|Erdgas L|natural gas", "Erdgas", "natural gas"},
{E, "heating_oil", "buildings.heat", FUEL, 0, NULL, "l m3 kWh MWh kWh_Hs MWh_Hs", "Heizöl|Heizoel|Heizöl EL|heating oil|fuel oil", "Heizöl", "heating oil"},
{E, "lpg", "buildings.heat", FUEL, 0, NULL, "l kg t kWh MWh kWh_Hs MWh_Hs", "Flüssiggas|Fluessiggas|Propan|propane", "Flüssiggas", "LPG"},
{E, "wood_pellets", "buildings.heat", FUEL, 0, NULL, "kg t kWh MWh", "Holzpellets|Pellets|wood pellets", "Holzpellets", "wood pellets"},
{E, "biogas", "buildings.heat", FUEL, 0, NULL, "kWh MWh GWh kWh_Hs MWh_Hs m3 GJ", "Biomethan|biomethane", "Biogas", "biogas"},
{F, "diesel", "fleet", FUEL, 0, NULL, "l", "Dieselkraftstoff|Diesel B7", "Diesel", "diesel"},
{F, "petrol", "fleet", FUEL, 0, NULL, "l", "Benzin|Super|Super E10|Super E5|Super Plus|SuperPlus|Normalbenzin|Ottokraftstoff|E10|E5|gasoline", "Benzin", "petrol"},
{F, "lpg", "fleet", FUEL, 0, NULL, "l kg", "Autogas|Flüssiggas|Fluessiggas", "Flüssiggas", "LPG"},
{F, "cng", "fleet", FUEL, 0, NULL, "kg", "Erdgas|compressed natural gas", "Erdgas (CNG)", "CNG"},
{F, "hvo", "fleet", FUEL, 0, NULL, "l", "HVO100", "HVO", "HVO"},
{F, "electricity", "fleet", POWER, 1, "energy.electricity", "kWh", "Strom|Ladestrom", "Strom", "electricity"},
{D, "car_average", "fleet", KM, 0, NULL, "km", "PKW|car", "Pkw (Durchschnitt)", "car (average)"},
{D, "car_small", "fleet", KM, 0, NULL, "km", "Kleinwagen|small car", "Pkw klein", "small car"},
{D, "car_medium", "fleet", KM, 0, NULL, "km", "Mittelklasse|medium car", "Pkw mittel", "medium car"},
{D, "car_large", "fleet", KM, 0, NULL, "km", "Oberklasse|large car", "Pkw groß", "large car"},
{D, "van", "fleet", KM, 0, NULL, "km", "Transporter|Kleintransporter", "Transporter", "van"},
};

#undef E
#undef F
#undef D
#undef POWER
#undef FUEL
#undef KM

#define NACT (sizeof ACTIVITIES / sizeof ACTIVITIES[0])

static const struct activity_sector SECTORS[ACTIVITY_NSECTORS] = {
	{"buildings.electricity", "Gebäude: Strom", "Buildings: electricity"},
	{"buildings.heat", "Gebäude: Wärme", "Buildings: heat"},
	{"fleet", "Fuhrpark und Dienstreisen", "Fleet and business travel"},
	{"procurement", "Beschaffung", "Procurement"},
};

/* Short names of the CPV 2008 divisions (our wording, not the
 * regulation's full titles), for the procurement categories cpv.NN; one
 * line per division, in order. */
static const struct activity_cpv CPV[] = {
	{"03", "Land- und Forstwirtschaft, Fischerei", "agriculture, forestry and fishing products"},
	{"09", "Mineralölerzeugnisse, Brennstoffe, Strom", "petroleum products, fuel, electricity"},
	{"15", "Nahrungsmittel und Getränke", "food and beverages"},
	{"18", "Bekleidung und Schuhe", "clothing and footwear"},
	{"22", "Drucksachen", "printed matter"},
	{"24", "Chemische Erzeugnisse", "chemical products"},
	{"30", "Büro- und Computerausstattung", "office and computing equipment"},
	{"31", "Elektrische Geräte und Beleuchtung", "electrical equipment and lighting"},
	{"32", "Kommunikationstechnik", "communication equipment"},
	{"33", "Medizinische Geräte und Arzneimittel", "medical equipment and pharmaceuticals"},
	{"34", "Fahrzeuge und Verkehrsausrüstung", "transport equipment"},
	{"35", "Sicherheits- und Feuerwehrausrüstung", "security and fire-fighting equipment"},
	{"37", "Sport- und Spielwaren, Musikinstrumente", "sports goods, toys, musical instruments"},
	{"38", "Labor- und Präzisionsgeräte", "laboratory and precision equipment"},
	{"39", "Möbel, Haushaltsgeräte, Reinigungsmittel", "furniture, appliances, cleaning products"},
	{"42", "Industriemaschinen", "industrial machinery"},
	{"44", "Baumaterialien und Baukonstruktionen", "construction structures and materials"},
	{"45", "Bauarbeiten", "construction work"},
	{"48", "Software und Informationssysteme", "software packages and information systems"},
	{"50", "Reparatur und Wartung", "repair and maintenance services"},
	{"51", "Installationsdienste", "installation services"},
	{"55", "Gastgewerbe und Einzelhandel", "hotel, restaurant and retail services"},
	{"60", "Verkehrsdienste", "transport services"},
	{"63", "Hilfsdienste im Verkehr, Reisebüros", "supporting transport services, travel agencies"},
	{"64", "Post und Telekommunikation", "postal and telecommunications services"},
	{"65", "Versorgungsdienste", "public utilities"},
	{"66", "Finanz- und Versicherungsdienste", "financial and insurance services"},
	{"70", "Immobiliendienste", "real estate services"},
	{"71", "Architektur- und Ingenieurleistungen", "architectural and engineering services"},
	{"72", "IT-Dienste", "IT services"},
	{"73", "Forschung und Entwicklung", "research and development"},
	{"75", "Dienste der öffentlichen Verwaltung", "administration services"},
	{"77", "Land- und forstwirtschaftliche Dienste, Gartenbau", "agricultural, forestry and horticultural services"},
	{"79", "Dienstleistungen für Unternehmen", "business services"},
	{"80", "Bildung und Ausbildung", "education and training"},
	{"85", "Gesundheits- und Sozialwesen", "health and social work"},
	{"90", "Abwasser, Abfall, Reinigung, Umwelt", "sewage, refuse, cleaning and environmental services"},
	{"92", "Erholung, Kultur und Sport", "recreational, cultural and sporting services"},
	{"98", "Sonstige Dienstleistungen", "other community, social and personal services"},
};

#define NCPV (sizeof CPV / sizeof CPV[0])

static const char *const QUALITY[ACTIVITY_NQUALITY] = {
	"measured", "calculated", "estimated",
};

const struct activity *
activity_all(size_t *n)
{
	*n = NACT;
	return ACTIVITIES;
}

const struct activity *
activity_find(enum activity_kind k, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NACT; i++)
		if (ACTIVITIES[i].kind == k && strlen(ACTIVITIES[i].name) == n &&
		    memcmp(ACTIVITIES[i].name, name, n) == 0)
			return &ACTIVITIES[i];
	return NULL;
}

static int
has_prefix(const char *s, size_t n, const char *pre, size_t m)
{
	return n >= m && memcmp(s, pre, m) == 0;
}

const struct activity *
activity_by_key(const char *key, size_t n)
{
	if (has_prefix(key, n, "fleet.distance.", 15))
		return activity_find(ACT_DISTANCE, key + 15, n - 15);
	if (has_prefix(key, n, "fleet.", 6))
		return activity_find(ACT_FLEET, key + 6, n - 6);
	if (has_prefix(key, n, "energy.", 7))
		return activity_find(ACT_ENERGY, key + 7, n - 7);
	return NULL;
}

const struct activity *
activity_find_word(enum activity_kind k, const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < NACT; i++) {
		const struct activity *a = &ACTIVITIES[i];
		const char *w = a->words;
		if (a->kind != k)
			continue;
		if (csv_name_eq(a->name, strlen(a->name), word, n))
			return a;
		while (*w) {
			size_t m = strcspn(w, "|");
			if (csv_name_eq(w, m, word, n))
				return a;
			w += m;
			if (*w == '|')
				w++;
		}
	}
	return NULL;
}

int
activity_list(enum activity_kind k, const char *sep, struct strbuf *sb)
{
	size_t i;
	int first = 1;

	for (i = 0; i < NACT; i++) {
		if (ACTIVITIES[i].kind != k)
			continue;
		if (!first)
			strbuf_adds(sb, sep);
		strbuf_adds(sb, ACTIVITIES[i].name);
		first = 0;
	}
	return strbuf_failed(sb) ? -1 : 0;
}

int
activity_row_unit(const struct activity *a, const char *unit)
{
	const char *u = a->units;
	size_t n = strlen(unit);

	while (*u) {
		size_t m = strcspn(u, " ");
		if (m == n && memcmp(u, unit, n) == 0)
			return 1;
		u += m;
		while (*u == ' ')
			u++;
	}
	return 0;
}

const char *
activity_carrier_label(const char *carrier, int en)
{
	size_t n = strlen(carrier);
	const struct activity *a;

	if (has_prefix(carrier, n, "distance.", 9))
		a = activity_find(ACT_DISTANCE, carrier + 9, n - 9);
	else if (!(a = activity_find(ACT_ENERGY, carrier, n)))
		a = activity_find(ACT_FLEET, carrier, n);
	return a ? (en ? a->en : a->de) : NULL;
}

const char *
activity_cpv_label(const char *digits, int en)
{
	size_t i;

	if (strlen(digits) < 2)
		return NULL;
	for (i = 0; i < NCPV; i++)
		if (memcmp(CPV[i].division, digits, 2) == 0)
			return en ? CPV[i].en : CPV[i].de;
	return NULL;
}

const struct activity_sector *
activity_sector(int i)
{
	return i >= 0 && i < ACTIVITY_NSECTORS ? &SECTORS[i] : NULL;
}

const struct activity_sector *
activity_sector_find(const char *key)
{
	int i;

	for (i = 0; i < ACTIVITY_NSECTORS; i++)
		if (strcmp(SECTORS[i].key, key) == 0)
			return &SECTORS[i];
	return NULL;
}

const char *
activity_quality_name(int q)
{
	return q >= 0 && q < ACTIVITY_NQUALITY ? QUALITY[q] : "?";
}

int
activity_quality_parse(const char *s, size_t n)
{
	int i;

	for (i = 0; i < ACTIVITY_NQUALITY; i++)
		if (strlen(QUALITY[i]) == n && memcmp(QUALITY[i], s, n) == 0)
			return i;
	return -1;
}

/* ---- word lists ---------------------------------------------------------- */

/* The lists activity_row_words() and activity_quality_words() return, made
 * once from the tables above (pthread_once: importers on several threads
 * agree without a race). */
static const char *ROW_WORDS[2][NACT + 2];
static const char *QUALITY_WORDS[ACTIVITY_NQUALITY + 1];
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static void
words_init(void)
{
	size_t i, n[2] = {0, 0};

	for (i = 0; i < NACT; i++)
		if (ACTIVITIES[i].kind == ACT_ENERGY || ACTIVITIES[i].kind == ACT_FLEET)
			ROW_WORDS[ACTIVITIES[i].kind][n[ACTIVITIES[i].kind]++] =
				ACTIVITIES[i].name;
	/* a fleet row of a vehicle class names the fuel "distance" */
	ROW_WORDS[ACT_FLEET][n[ACT_FLEET]++] = "distance";
	for (i = 0; i < ACTIVITY_NQUALITY; i++)
		QUALITY_WORDS[i] = QUALITY[i];
}

const char *const *
activity_row_words(enum activity_kind k)
{
	pthread_once(&words_once, words_init);
	return k == ACT_ENERGY || k == ACT_FLEET ? ROW_WORDS[k] : NULL;
}

const char *const *
activity_quality_words(void)
{
	pthread_once(&words_once, words_init);
	return QUALITY_WORDS;
}
