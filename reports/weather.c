/*
 * weather: the weather-corrected heating energy of a report (docs/degree-days.md,
 * "In the reports"), an indicator next to the balance and outside every
 * emission total, fingerprint and the BISKO balance.
 *
 * Heat is the final energy of the sector buildings.heat per site (the
 * activity's own unit); a site's weather station is its own or its nearest
 * ancestor's (org.csv 'weather_station'); the degree days come from the
 * newest registered degree-day set. Exact: micro-kWh and micro-Kd, each
 * correction rounded once (degreedays_correct).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "factors/degreedays.h"
#include "org/org.h"
#include "reports/report.h"
#include "reports/report_int.h"

struct report_weather {
	struct dd_set *set;
	struct org_stations *stations;
	int year;
	int64_t hot_water_ppm;
	struct report_weather_site *sites;
	size_t n;
	int64_t heat_ukwh, covered_ukwh, corrected_ukwh, uncovered_ukwh;
};

int
report_weather_split(int64_t heat_ukwh, int64_t hot_water_ppm, int64_t *space,
		     int64_t *hot_water)
{
	__int128 p;
	int64_t hw;

	if (heat_ukwh < 0 || hot_water_ppm < 0 || hot_water_ppm > 1000000)
		return -1;
	p = (__int128)heat_ukwh * hot_water_ppm;
	hw = (int64_t)(p / 1000000);
	if (2 * (p % 1000000) >= 1000000)
		hw++; /* half away from zero (all >= 0) */
	*hot_water = hw;
	*space = heat_ukwh - hw;
	return 0;
}

void
report_weather_free(struct report_weather *w)
{
	if (!w)
		return;
	degreedays_free(w->set);
	org_stations_free(w->stations);
	free(w->sites);
	free(w);
}

static int
add_site(struct report_weather *w, size_t *cap, const struct report_energy_cell *c,
	 const char *station)
{
	struct report_weather_site *s;

	if (w->n && strcmp(w->sites[w->n - 1].code, c->code) == 0) {
		s = &w->sites[w->n - 1];
		s->heat_ukwh += c->e.ukwh;
		return 0;
	}
	if (w->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct report_weather_site *p = realloc(w->sites, nc * sizeof *p);
		if (!p)
			return -1;
		w->sites = p;
		*cap = nc;
	}
	s = &w->sites[w->n++];
	memset(s, 0, sizeof *s);
	s->code = c->code;
	s->name = c->name;
	s->station = station;
	s->heat_ukwh = c->e.ukwh;
	return 0;
}

int
report_weather_build(struct ledger *l, const struct report_model *m,
		     int64_t hot_water_ppm, struct report_weather **out,
		     struct err *e)
{
	struct report_weather *w;
	struct org_stations *st = NULL;
	size_t i, cap = 0;

	*out = NULL;
	if (hot_water_ppm < 0 || hot_water_ppm > 1000000)
		return err_setf(e, ERR_USAGE, "the hot-water share must be 0 to 100 %%");
	if (!(w = calloc(1, sizeof *w)))
		return err_setf(e, ERR_IO, "out of memory");
	w->year = m->run.year;
	w->hot_water_ppm = hot_water_ppm;
	if (degreedays_load(l, NULL, NULL, &w->set, e))
		goto fail;
	if (!w->set) { /* no degree-day set: no correction in the report */
		free(w);
		return 0;
	}
	if (!report_energy_known(m)) {
		*out = w; /* the run has no final energy: nothing to correct */
		return 0;
	}
	if (org_stations_load(l, m->tree, &st, e))
		goto fail;
	for (i = 0; i < report_energy_cell_count(m); i++) {
		const struct report_energy_cell *c = report_energy_cell_at(m, i);
		if (strcmp(c->sector, "buildings.heat") != 0 || c->e.energy_rows == 0)
			continue;
		if (add_site(w, &cap, c, org_station_of(st, c->tree_index))) {
			err_setf(e, ERR_IO, "out of memory");
			goto fail;
		}
	}
	for (i = 0; i < w->n; i++) {
		struct report_weather_site *s = &w->sites[i];
		const struct dd_station *ds;
		struct err ye = {0};
		w->heat_ukwh += s->heat_ukwh;
		if (!s->station) {
			s->why = REPORT_WEATHER_NO_STATION;
		} else if (!(ds = degreedays_station(w->set, s->station))) {
			s->why = REPORT_WEATHER_UNKNOWN_STATION;
		} else if (degreedays_year(ds, w->year, &s->g_year_ukd, &ye)) {
			s->why = REPORT_WEATHER_MONTHS;
			s->g_year_ukd = 0;
		} else if (s->g_year_ukd <= 0) {
			s->why = REPORT_WEATHER_ZERO;
		} else {
			s->g_ref_ukd = ds->reference_kd;
			if (report_weather_split(s->heat_ukwh, hot_water_ppm,
						 &s->space_ukwh, &s->hot_water_ukwh) ||
			    degreedays_correct(s->space_ukwh, s->hot_water_ukwh,
					       s->g_ref_ukd, s->g_year_ukd,
					       &s->corrected_ukwh)) {
				err_setf(e, ERR_DATA, "the weather correction of site "
					 "'%s' does not fit in 64 bits", s->code);
				goto fail;
			}
			s->corrected = 1;
			w->covered_ukwh += s->heat_ukwh;
			w->corrected_ukwh += s->corrected_ukwh;
			continue;
		}
		w->uncovered_ukwh += s->heat_ukwh;
	}
	w->stations = st; /* the sites' station strings live in it */
	*out = w;
	return 0;
fail:
	if (!w->stations)
		org_stations_free(st);
	report_weather_free(w);
	return -1;
}

int
report_weather_why(enum report_weather_why w)
{
	switch (w) {
	case REPORT_WEATHER_NO_STATION: return L_WEATHER_NO_STATION;
	case REPORT_WEATHER_UNKNOWN_STATION: return L_WEATHER_UNKNOWN_STATION;
	case REPORT_WEATHER_MONTHS: return L_WEATHER_MONTHS;
	default: return L_WEATHER_ZERO;
	}
}

const struct dd_set *
report_weather_set(const struct report_weather *w)
{
	return w->set;
}

size_t
report_weather_count(const struct report_weather *w)
{
	return w->n;
}

const struct report_weather_site *
report_weather_at(const struct report_weather *w, size_t i)
{
	return &w->sites[i];
}

void
report_weather_totals(const struct report_weather *w, int64_t *heat,
		      int64_t *covered, int64_t *corrected, int64_t *uncovered,
		      int64_t *hot_water_ppm)
{
	*heat = w->heat_ukwh;
	*covered = w->covered_ukwh;
	*corrected = w->corrected_ukwh;
	*uncovered = w->uncovered_ukwh;
	*hot_water_ppm = w->hot_water_ppm;
}

/* micro-units as a JSON real with 3 decimals, the form of every amount */
static json_t *
milli(int64_t u)
{
	return report_json_kg(u);
}

void *
report_weather_json(const struct report_weather *w)
{
	json_t *o = json_object(), *sites = json_array(), *set = json_object();
	size_t i;

	json_object_set_new(o, "indicator", json_string(
		"weather-corrected heating energy (VDI 3807): a supplement outside the "
		"balance; BISKO does not correct for weather, and no emission total "
		"or fingerprint includes it"));
	json_object_set_new(o, "bisko", json_false());
	json_object_set_new(o, "formula", json_string(
		"corrected = space heating x G_ref / G_year + hot water"));
	json_object_set_new(set, "name", json_string(degreedays_name(w->set)));
	json_object_set_new(set, "version", json_string(degreedays_version(w->set)));
	json_object_set_new(set, "sha256", json_string(degreedays_sha256(w->set)));
	json_object_set_new(set, "method", json_string(degreedays_method(w->set)));
	json_object_set_new(o, "degree_day_set", set);
	json_object_set_new(o, "year", json_integer(w->year));
	json_object_set_new(o, "hot_water_share_pct",
			    json_real((double)w->hot_water_ppm / 10000.0));
	json_object_set_new(o, "heat_kwh", milli(w->heat_ukwh));
	json_object_set_new(o, "heat_corrected_sites_kwh", milli(w->covered_ukwh));
	json_object_set_new(o, "corrected_kwh", milli(w->corrected_ukwh));
	json_object_set_new(o, "heat_not_corrected_kwh", milli(w->uncovered_ukwh));
	for (i = 0; i < w->n; i++) {
		const struct report_weather_site *s = &w->sites[i];
		json_t *x = json_object();
		json_object_set_new(x, "code", json_string(s->code));
		json_object_set_new(x, "name", json_string(s->name));
		json_object_set_new(x, "station", s->station ? json_string(s->station)
							     : json_null());
		json_object_set_new(x, "heat_kwh", milli(s->heat_ukwh));
		if (s->corrected) {
			json_object_set_new(x, "g_year_kd", milli(s->g_year_ukd));
			json_object_set_new(x, "g_ref_kd", milli(s->g_ref_ukd));
			json_object_set_new(x, "space_heating_kwh", milli(s->space_ukwh));
			json_object_set_new(x, "hot_water_kwh", milli(s->hot_water_ukwh));
			json_object_set_new(x, "corrected_kwh", milli(s->corrected_ukwh));
			json_object_set_new(x, "not_corrected", json_null());
		} else {
			json_object_set_new(x, "g_year_kd", json_null());
			json_object_set_new(x, "g_ref_kd", json_null());
			json_object_set_new(x, "space_heating_kwh", json_null());
			json_object_set_new(x, "hot_water_kwh", json_null());
			json_object_set_new(x, "corrected_kwh", json_null());
			json_object_set_new(x, "not_corrected", json_string(
				report_tr(REPORT_EN, report_weather_why(s->why))));
		}
		json_array_append_new(sites, x);
	}
	json_object_set_new(o, "sites", sites);
	return o;
}
