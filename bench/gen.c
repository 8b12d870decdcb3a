/*
 * bench-gen: the benchmark's data generator. Writes N activity rows in total
 * for one year (2024) as the three canonical CSV files of SPEC §4
 * (energy.csv about 40 %, fleet.csv about 30 %, procurement.csv the rest)
 * plus the matching organisation tree (org.csv: the state, its 12 districts,
 * four Senate departments and 320 sites), all in directory DIR.
 *
 * The data look like an administration's real exports: energy bills are
 * monthly per meter and never overlap (electricity in kWh, a fifth of the
 * contracts green; natural gas in kWh_Hs or m3; district heating in kWh or
 * MWh; heating oil in l), fuel-card rows are weekly per vehicle (diesel and
 * petrol in l) with some logbook rows in km with a vehicle class, and
 * procurement lines carry real CPV codes of the divisions the shipped
 * spend-based set covers (a few in division 09, which the balance excludes,
 * and a few without check digit), net amounts in EUR and descriptions, some
 * of them quoted because they contain commas. Every activity can be
 * calculated with the shipped factor sets in factors/data/.
 *
 * Output is a pure function of N and the seed (a splitmix64 generator, not
 * rand()), written through fixed buffers: memory does not grow with N, and
 * tens of millions of rows take well under a minute.
 *
 * usage: bench-gen [-s SEED] ROWS DIR
 * prints "energy E\nfleet F\nprocurement P\n" (the row counts) on stdout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is irrelevant for n far below 2^64. */
static uint64_t
rng_below(uint64_t n)
{
	return rng_next() % n;
}

/* Uniform in [lo, hi]. */
static int64_t
rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below((uint64_t)(hi - lo + 1));
}

/* Roughly log-uniform in [lo, hi] (lo > 0), integer arithmetic only, so that
 * small values are frequent and large ones rare, as with real amounts. */
static int64_t
rng_skewed(int64_t lo, int64_t hi)
{
	int64_t span = hi - lo;
	uint64_t a = rng_below(1024), b = rng_below(1024);

	/* product of two uniforms: density falls with the value */
	return lo + (int64_t)((uint64_t)span * a / 1024 * b / 1023);
}

/* ---- buffered output ------------------------------------------------------ */

#define OUTBUF (1u << 20)

struct out {
	FILE *f;
	const char *path;
	size_t n;
	char buf[OUTBUF];
};

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "bench-gen: %s: %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void
out_flush(struct out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		die("cannot write", o->path);
	o->n = 0;
}

static void
out_open(struct out *o, const char *dir, const char *name)
{
	static char path[4][4096];
	static int k;
	char *p = path[k++ & 3];

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	o->path = p;
	o->n = 0;
	if (!(o->f = fopen(p, "wb")))
		die("cannot create", p);
}

static void
out_close(struct out *o)
{
	out_flush(o);
	if (fclose(o->f))
		die("cannot close", o->path);
}

/* Make room for a record of at most `need` bytes. */
static void
out_room(struct out *o, size_t need)
{
	if (o->n + need > OUTBUF)
		out_flush(o);
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

static void
out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void
out_chr(struct out *o, char c)
{
	o->buf[o->n++] = c;
}

/* Unsigned decimal with at least `width` digits (zero padded). */
static void
out_uint(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i < width)
		tmp[i++] = '0';
	while (i)
		o->buf[o->n++] = tmp[--i];
}

/* v / 10^dec as a decimal with exactly `dec` fraction digits. */
static void
out_fixed(struct out *o, uint64_t v, int dec)
{
	static const uint64_t p10[] = {1, 10, 100, 1000, 10000};

	out_uint(o, v / p10[dec], 1);
	if (dec) {
		out_chr(o, '.');
		out_uint(o, v % p10[dec], dec);
	}
}

/* ---- calendar 2024 --------------------------------------------------------- */

#define YEAR_DAYS 366 /* 2024 is a leap year */

static const int MDAYS[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
static char DATE[YEAR_DAYS][11];   /* "2024-MM-DD" by day of year */
static int MONTH_FIRST[12];        /* day of year of the 1st */

static void
calendar_init(void)
{
	int m, d, doy = 0;

	for (m = 0; m < 12; m++) {
		MONTH_FIRST[m] = doy;
		for (d = 1; d <= MDAYS[m]; d++, doy++) {
			memcpy(DATE[doy], "2024-00-00", 11);
			DATE[doy][5] = (char)('0' + (m + 1) / 10);
			DATE[doy][6] = (char)('0' + (m + 1) % 10);
			DATE[doy][8] = (char)('0' + d / 10);
			DATE[doy][9] = (char)('0' + d % 10);
		}
	}
}

/* 1 January 2024 is a Monday. */
static int
is_weekend(int doy)
{
	return doy % 7 >= 5;
}

/* ---- organisation tree ------------------------------------------------------- */

struct district {
	const char *code, *name;
	long population, employees;
};

static const struct district DISTRICTS[] = {
	{"MITTE", "Mitte", 399120, 2840},
	{"FK", "Friedrichshain-Kreuzberg", 294334, 2879},
	{"PANKOW", "Pankow", 427277, 2212},
	{"CW", "Charlottenburg-Wilmersdorf", 344453, 2689},
	{"SPANDAU", "Spandau", 258634, 1951},
	{"SZ", "Steglitz-Zehlendorf", 311377, 2241},
	{"TS", "Tempelhof-Schöneberg", 357291, 2856},
	{"NEUKOELLN", "Neukölln", 330677, 2091},
	{"TK", "Treptow-Köpenick", 296728, 2114},
	{"MH", "Marzahn-Hellersdorf", 293700, 2923},
	{"LICHTENBERG", "Lichtenberg", 314376, 2593},
	{"REINICKENDORF", "Reinickendorf", 269867, 2203},
};
#define NDISTRICTS 12

static const struct district DEPARTMENTS[] = {
	{"SENFIN", "Senatsverwaltung für Finanzen", 0, 1480},
	{"SENBJF", "Senatsverwaltung für Bildung, Jugend und Familie", 0, 2310},
	{"SENINNSPORT", "Senatsverwaltung für Inneres und Sport", 0, 3150},
	{"SENUMVK", "Senatsverwaltung für Mobilität, Verkehr, Klimaschutz und Umwelt", 0, 2060},
};
#define NDEPARTMENTS 4

#define SITES_PER_DISTRICT 25
#define SITES_PER_DEPARTMENT 5
#define NPARENTS (NDISTRICTS + NDEPARTMENTS)
#define NSITES (NDISTRICTS * SITES_PER_DISTRICT + NDEPARTMENTS * SITES_PER_DEPARTMENT)

static const char *const SITE_KIND[] = {
	"Rathaus", "Grundschule", "Gymnasium", "Stadtbibliothek", "Betriebshof",
	"Bürgeramt", "Sporthalle", "Kita", "Jugendzentrum", "Dienstgebäude",
};

static char SITE_CODE[NSITES][24]; /* "MITTE-S001" */
static char PARENT_CODE[NPARENTS][16];

static const char *
parent_of_site(int s)
{
	int p = s < NDISTRICTS * SITES_PER_DISTRICT
		? s / SITES_PER_DISTRICT
		: NDISTRICTS + (s - NDISTRICTS * SITES_PER_DISTRICT) / SITES_PER_DEPARTMENT;
	return PARENT_CODE[p];
}

static void
org_write(const char *dir)
{
	static struct out o;
	int i, s = 0, k;

	out_open(&o, dir, "org.csv");
	out_str(&o, "code,name,parent,kind,year,population,employees,floor_area_m2\n");
	out_str(&o, "BE,Land Berlin,,state,,,,\n");
	for (i = 0; i < NDISTRICTS; i++) {
		snprintf(PARENT_CODE[i], sizeof PARENT_CODE[i], "%s", DISTRICTS[i].code);
		out_room(&o, 256);
		out_str(&o, DISTRICTS[i].code);
		out_chr(&o, ',');
		out_str(&o, DISTRICTS[i].name);
		out_str(&o, ",BE,district,2024,");
		out_uint(&o, (uint64_t)DISTRICTS[i].population, 1);
		out_chr(&o, ',');
		out_uint(&o, (uint64_t)DISTRICTS[i].employees, 1);
		out_chr(&o, ',');
		out_uint(&o, (uint64_t)rng_range(50000, 70000), 1);
		out_chr(&o, '\n');
	}
	for (i = 0; i < NDEPARTMENTS; i++) {
		snprintf(PARENT_CODE[NDISTRICTS + i], sizeof PARENT_CODE[0], "%s",
			 DEPARTMENTS[i].code);
		out_room(&o, 256);
		out_str(&o, DEPARTMENTS[i].code);
		out_str(&o, ",\"");
		out_str(&o, DEPARTMENTS[i].name); /* contains commas: quoted */
		out_str(&o, "\",BE,department,2024,,");
		out_uint(&o, (uint64_t)DEPARTMENTS[i].employees, 1);
		out_chr(&o, ',');
		out_uint(&o, (uint64_t)rng_range(20000, 40000), 1);
		out_chr(&o, '\n');
	}
	for (i = 0; i < NPARENTS; i++) {
		int n = i < NDISTRICTS ? SITES_PER_DISTRICT : SITES_PER_DEPARTMENT;

		for (k = 1; k <= n; k++, s++) {
			snprintf(SITE_CODE[s], sizeof SITE_CODE[s], "%s-S%03d",
				 PARENT_CODE[i], k);
			out_room(&o, 256);
			out_str(&o, SITE_CODE[s]);
			out_chr(&o, ',');
			out_str(&o, SITE_KIND[(k - 1) % 10]);
			out_chr(&o, ' ');
			out_str(&o, PARENT_CODE[i]);
			out_chr(&o, ' ');
			out_uint(&o, (uint64_t)k, 3);
			out_chr(&o, ',');
			out_str(&o, PARENT_CODE[i]);
			out_str(&o, ",site,2024,,");
			if (k % 3 == 1)
				out_uint(&o, (uint64_t)rng_range(20, 600), 1);
			out_chr(&o, ',');
			out_uint(&o, (uint64_t)rng_range(800, 25000), 1);
			out_chr(&o, '\n');
		}
	}
	out_close(&o);
}

/* An org code for an activity: mostly a site, sometimes its district or
 * department (collective accounts, central bookings). */
static const char *
pick_org(int site, int parent_pct)
{
	if ((int)rng_below(100) < parent_pct)
		return parent_of_site(site);
	return SITE_CODE[site];
}

/* ---- energy ------------------------------------------------------------------ */

/* Seasonal profile in per mille of the yearly mean, by month. */
static const int HEAT_SEASON[12] = {1900, 1700, 1400, 900, 450, 200,
				    150, 150, 400, 900, 1450, 1800};
static const int POWER_SEASON[12] = {1100, 1050, 1020, 980, 950, 930,
				     880, 880, 970, 1010, 1080, 1130};

static void
energy_write(const char *dir, uint64_t rows)
{
	static struct out o;
	uint64_t r = 0, meter = 0;

	out_open(&o, dir, "energy.csv");
	out_str(&o, "org,carrier,period_start,period_end,quantity,unit,meter,tariff\n");
	while (r < rows) {
		int site = (int)rng_below(NSITES);
		const char *org = pick_org(site, 5);
		uint64_t kind = rng_below(100);
		const char *carrier, *unit, *tariff = "";
		const int *season = HEAT_SEASON;
		int64_t mean;      /* monthly mean in 1/1000 of the unit */
		int dec = (int)rng_below(4), m;
		static const char L3[] = "ABCDEFGHJKLMNPRSTUVWXYZ";

		if (kind < 50) {
			carrier = "electricity", unit = "kWh", season = POWER_SEASON;
			mean = rng_skewed(300, 90000) * 1000;
			if (rng_below(5) == 0)
				tariff = "green";
		} else if (kind < 63) {
			carrier = "natural_gas", unit = "kWh_Hs";
			mean = rng_skewed(2000, 250000) * 1000;
		} else if (kind < 75) {
			carrier = "natural_gas", unit = "m3";
			mean = rng_skewed(200, 25000) * 1000;
		} else if (kind < 83) {
			carrier = "district_heating", unit = "kWh";
			mean = rng_skewed(2000, 300000) * 1000;
		} else if (kind < 90) {
			carrier = "district_heating", unit = "MWh";
			mean = rng_skewed(2000, 300000);
			dec = 3;
		} else {
			carrier = "heating_oil", unit = "l";
			mean = rng_skewed(100, 15000) * 1000;
			dec = (int)rng_below(2);
		}
		for (m = 0; m < 12 && r < rows; m++, r++) {
			static const uint64_t p10[] = {1000, 100, 10, 1};
			int64_t q = mean * season[m] / 1000;

			q = q * rng_range(900, 1100) / 1000; /* +-10 % */
			if (q < 1000)
				q = 1000;
			out_room(&o, 256);
			out_str(&o, org);
			out_chr(&o, ',');
			out_str(&o, carrier);
			out_chr(&o, ',');
			out_mem(&o, DATE[MONTH_FIRST[m]], 10);
			out_chr(&o, ',');
			out_mem(&o, DATE[MONTH_FIRST[m] + MDAYS[m] - 1], 10);
			out_chr(&o, ',');
			out_fixed(&o, (uint64_t)q / p10[dec], dec);
			out_chr(&o, ',');
			out_str(&o, unit);
			out_chr(&o, ',');
			/* meter number: digit, three letters, ten digits unique
			 * per meter (7919 is coprime to 10^10) */
			out_chr(&o, (char)('1' + meter % 9));
			out_chr(&o, L3[(meter / 9) % 23]);
			out_chr(&o, L3[(meter / 207) % 23]);
			out_chr(&o, L3[(meter / 4761) % 23]);
			out_uint(&o, (meter * 7919 + 1234567) % 10000000000ull, 10);
			out_chr(&o, ',');
			out_str(&o, tariff);
			out_chr(&o, '\n');
		}
		meter++;
	}
	out_close(&o);
}

/* ---- fleet ------------------------------------------------------------------- */

#define REFUELS_PER_VEHICLE 50 /* weekly, 350 days */

static const char *const VEHICLE_CLASS[] = {
	"car_small", "car_medium", "car_medium", "car_large", "car_average",
	"van", "van", "car_medium_diesel", "car_small_petrol", "van_diesel",
};

static void
fleet_write(const char *dir, uint64_t rows)
{
	static struct out o;
	uint64_t r = 0, v = 0;

	out_open(&o, dir, "fleet.csv");
	out_str(&o, "org,vehicle,fuel,date,quantity,unit,vehicle_class\n");
	while (r < rows) {
		int site = (int)rng_below(NSITES);
		const char *org = pick_org(site, 30);
		uint64_t kind = rng_below(100), plate = v;
		const char *fuel, *unit, *cls = "";
		int64_t lo, hi;
		int dec, k;

		if (kind < 50)
			fuel = "diesel", unit = "l", lo = 1500, hi = 9500, dec = 2;
		else if (kind < 80)
			fuel = "petrol", unit = "l", lo = 1200, hi = 6000, dec = 2;
		else {
			fuel = "distance", unit = "km", lo = 30, hi = 4500, dec = 1;
			cls = VEHICLE_CLASS[rng_below(10)];
		}
		for (k = 0; k < REFUELS_PER_VEHICLE && r < rows; k++, r++) {
			out_room(&o, 256);
			out_str(&o, org);
			out_str(&o, ",B-");
			out_chr(&o, (char)('A' + plate / 9999 % 26));
			out_chr(&o, (char)('A' + plate / 259974 % 26));
			out_chr(&o, ' ');
			out_uint(&o, plate % 9999 + 1, 1);
			if (plate >= 9999ull * 676)   /* beyond the letter pairs */
				out_uint(&o, plate / (9999ull * 676), 1);
			out_chr(&o, ',');
			out_str(&o, fuel);
			out_chr(&o, ',');
			out_mem(&o, DATE[k * 7 + (int)(v % 7)], 10);
			out_chr(&o, ',');
			out_fixed(&o, (uint64_t)rng_range(lo, hi), dec);
			out_chr(&o, ',');
			out_str(&o, unit);
			out_chr(&o, ',');
			out_str(&o, cls);
			out_chr(&o, '\n');
		}
		v++;
	}
	out_close(&o);
}

/* ---- procurement ---------------------------------------------------------------- */

struct cpv {
	const char *code;
	int64_t lo, hi; /* amount range in EUR */
	int weight;
	const char *description; /* written as is: quoted when it holds a comma */
};

/* Real CPV codes with their check digits, in the divisions the shipped
 * spend-based set covers, and three in division 09 (excluded). */
static const struct cpv CPV[] = {
	{"03451000-6", 150, 6500, 3, "Bepflanzung Außenanlagen"},
	{"15981000-8", 30, 900, 3, "Mineralwasser für Sitzungen"},
	{"15860000-4", 25, 700, 3, "\"Kaffee, Tee, Zucker\""},
	{"18110000-3", 200, 9000, 2, "Dienstkleidung Ordnungsamt"},
	{"22100000-1", 150, 6000, 2, "Fachbücher Bibliothek"},
	{"22458000-5", 200, 12000, 2, "\"Vordrucke, Flyer, Plakate\""},
	{"30192000-1", 25, 2500, 14, "Büromaterial Sammelbestellung"},
	{"30197630-1", 80, 4500, 8, "Kopierpapier A4 Recycling"},
	{"30213100-6", 900, 60000, 5, "Notebooks für mobiles Arbeiten"},
	{"30232110-8", 250, 8000, 3, "Multifunktionsdrucker"},
	{"33141000-0", 40, 1800, 2, "Erste-Hilfe-Material"},
	{"34144900-7", 28000, 52000, 1, "Elektrofahrzeug Fuhrpark"},
	{"34430000-0", 800, 14000, 2, "Lastenrad Grünflächenamt"},
	{"39130000-2", 300, 30000, 4, "Schreibtische höhenverstellbar"},
	{"39830000-9", 60, 3500, 3, "\"Reinigungsmittel, Handtuchpapier\""},
	{"44111000-1", 150, 12000, 3, "Baumaterial Bauunterhaltung"},
	{"45214200-2", 40000, 850000, 2, "Schulbau Abschlagsrechnung"},
	{"45321000-3", 15000, 320000, 2, "Wärmedämmung Fassade"},
	{"45453000-7", 5000, 180000, 3, "Sanierung Treppenhaus"},
	{"48000000-8", 500, 40000, 3, "Fachverfahren Lizenz"},
	{"50110000-9", 150, 6000, 4, "Inspektion Dienstfahrzeug"},
	{"50700000-2", 300, 25000, 4, "\"Wartung Heizung, Lüftung, Sanitär\""},
	{"55520000-1", 150, 9000, 3, "Catering Veranstaltung"},
	{"55110000-4", 90, 2500, 2, "Übernachtung Fortbildung"},
	{"60130000-8", 400, 25000, 2, "Schülerbeförderung"},
	{"64210000-1", 600, 9500, 4, "Telefon und Datenleitungen"},
	{"71200000-0", 3000, 120000, 2, "Architektenleistungen"},
	{"72000000-5", 1000, 90000, 3, "IT-Dienstleistungen"},
	{"72250000-2", 800, 40000, 3, "Systembetreuung"},
	{"79710000-4", 1500, 45000, 3, "Wachschutz Objektschutz"},
	{"79341000-6", 500, 25000, 2, "Stellenanzeigen"},
	{"90911200-8", 2500, 38000, 5, "Unterhaltsreinigung"},
	{"90511000-2", 200, 12000, 3, "Abfallentsorgung"},
	{"90620000-9", 500, 25000, 2, "Winterdienst"},
	{"09310000-5", 18000, 240000, 1, "Stromlieferung Abschlag"},
	{"09134100-8", 2000, 30000, 1, "Tankkarten Sammelrechnung Diesel"},
};
#define NCPV (sizeof CPV / sizeof CPV[0])

static const char *const SUPPLIER[] = {
	"Datenwerk Nord GmbH", "Büro & Mehr KG", "Spree Bau AG",
	"Havel Facility Services GmbH", "Berliner Druckhaus eG",
	"Grün & Garten GmbH", "Mobil Service Berlin GmbH", "Tegel IT Systems GmbH",
	"Köpenicker Möbelwerk GmbH", "Märkische Reinigung GmbH",
	"Energiehandel Mitte GmbH", "Tankkarten-Service Nord GmbH",
};
#define NSUPPLIER (sizeof SUPPLIER / sizeof SUPPLIER[0])

static void
procurement_write(const char *dir, uint64_t rows)
{
	static struct out o;
	static int wheel[256];
	int nwheel = 0;
	size_t i;
	uint64_t r;

	for (i = 0; i < NCPV; i++) {
		int w;

		for (w = 0; w < CPV[i].weight; w++)
			wheel[nwheel++] = (int)i;
	}
	out_open(&o, dir, "procurement.csv");
	out_str(&o, "org,date,cpv,amount,currency,supplier,description\n");
	for (r = 0; r < rows; r++) {
		const struct cpv *c = &CPV[wheel[rng_below((uint64_t)nwheel)]];
		int site = (int)rng_below(NSITES);
		const char *org = pick_org(site, 70);
		int doy = (int)rng_below(YEAR_DAYS);
		uint64_t cents = (uint64_t)rng_skewed(c->lo * 100, c->hi * 100);

		while (is_weekend(doy))
			doy = (doy + 1) % YEAR_DAYS;
		out_room(&o, 256);
		out_str(&o, org);
		out_chr(&o, ',');
		out_mem(&o, DATE[doy], 10);
		out_chr(&o, ',');
		/* some finance systems store the code without check digit */
		out_mem(&o, c->code, rng_below(32) ? 10 : 8);
		out_chr(&o, ',');
		out_fixed(&o, cents, 2);
		out_str(&o, ",EUR,");
		out_str(&o, SUPPLIER[rng_below(NSUPPLIER)]);
		out_chr(&o, ',');
		out_str(&o, c->description);
		out_chr(&o, '\n');
	}
	out_close(&o);
}

/* ---- main --------------------------------------------------------------------- */

static int
usage(void)
{
	fputs("usage: bench-gen [-s SEED] ROWS DIR\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	uint64_t rows, ne, nf, np, seed = 20240101;
	char *end;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		seed = strtoull(argv[2], &end, 10);
		if (*end)
			return usage();
		i = 3;
	}
	if (argc - i != 2)
		return usage();
	rows = strtoull(argv[i], &end, 10);
	if (*end || rows < 1 || rows > 1000000000ull)
		return usage();
	rng_state = seed;
	calendar_init();
	ne = rows * 4 / 10;
	nf = rows * 3 / 10;
	np = rows - ne - nf;
	org_write(argv[i + 1]);
	energy_write(argv[i + 1], ne);
	fleet_write(argv[i + 1], nf);
	procurement_write(argv[i + 1], np);
	printf("energy %llu\nfleet %llu\nprocurement %llu\n",
	       (unsigned long long)ne, (unsigned long long)nf,
	       (unsigned long long)np);
	return 0;
}
