/*
 * Unit tests for the activity catalogue (base/activity.c) and for the
 * layers that read it. The per-entry test walks the whole table: a carrier
 * added as one line there is accepted by the factor parser with the units
 * of its fit, named in the parser's messages, labelled by the reports and
 * found by its words, with nothing else to edit; test_one_line_adds shows
 * it for a line built here that the table does not have yet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/activity.h"
#include "base/strbuf.h"
#include "base/units.h"
#include "factors/factors.h"
#include "reports/report_int.h"

static const char *
prefix(enum activity_kind k)
{
	return k == ACT_ENERGY ? "energy." : k == ACT_FLEET ? "fleet." : "fleet.distance.";
}

static void
test_every_entry(void **state)
{
	size_t n, i;
	const struct activity *all = activity_all(&n);

	assert_int_equal(n, 19); /* 8 carriers, 6 fuels, 5 vehicle classes */
	for (i = 0; i < n; i++) {
		const struct activity *a = &all[i];
		char key[96], why[512], buf[128];
		const char *u = a->units;

		snprintf(key, sizeof key, "%s%s", prefix(a->kind), a->name);
		/* the key is found back, and the factor parser knows it */
		assert_ptr_equal(activity_by_key(key, strlen(key)), a);
		assert_ptr_equal(activity_find(a->kind, a->name, strlen(a->name)), a);
		assert_int_equal(factors_check_activity(key, strlen(key), why, sizeof why), 0);
		/* every unit a row may give is a unit, and a factor may use it */
		assert_true(*u);
		while (*u) {
			size_t m = strcspn(u, " ");
			const struct unit_info *ui = units_find(u, m);
			assert_non_null(ui);
			assert_true(factors_unit_fits(key, ui));
			assert_true(activity_row_unit(a, ui->name));
			u += m;
			while (*u == ' ')
				u++;
		}
		/* its sector is a sector of the balance, with labels */
		assert_non_null(activity_sector_find(a->sector));
		assert_true(a->de[0] && a->en[0]);
		/* the reports label it from here */
		if (a->kind == ACT_DISTANCE) {
			char carrier[96], want[160];
			snprintf(carrier, sizeof carrier, "distance.%s", a->name);
			snprintf(want, sizeof want, "%s (distance)", a->en);
			assert_string_equal(report_tr_carrier(REPORT_EN, carrier, buf, sizeof buf), want);
			snprintf(want, sizeof want, "%s (Strecke)", a->de);
			assert_string_equal(report_tr_carrier(REPORT_DE, carrier, buf, sizeof buf), want);
		} else {
			assert_string_equal(report_tr_carrier(REPORT_EN, a->name, buf, sizeof buf), a->en);
			assert_string_equal(report_tr_carrier(REPORT_DE, a->name, buf, sizeof buf), a->de);
		}
		/* its name is one of its words, in any case */
		assert_non_null(activity_find_word(a->kind, a->name, strlen(a->name)));
		/* market-based scope 2 only for energy measured as net energy */
		if (a->market)
			assert_int_equal(a->fit, ACT_FIT_POWER);
	}
}

static void
test_lists(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	/* the order of the table is the order of the messages */
	assert_int_equal(activity_list(ACT_ENERGY, ", ", &sb), 0);
	assert_string_equal(strbuf_str(&sb),
			    "electricity, district_heating, district_cooling, natural_gas, "
			    "heating_oil, lpg, wood_pellets, biogas");
	strbuf_reset(&sb);
	assert_int_equal(activity_list(ACT_FLEET, ", ", &sb), 0);
	assert_string_equal(strbuf_str(&sb), "diesel, petrol, lpg, cng, hvo, electricity");
	strbuf_reset(&sb);
	assert_int_equal(activity_list(ACT_PROCUREMENT, ", ", &sb), 0);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_release(&sb);
}

static const char *
word(enum activity_kind k, const char *w)
{
	const struct activity *a = activity_find_word(k, w, strlen(w));
	return a ? a->name : NULL;
}

static void
test_words(void **state)
{
	/* German and English words, case and umlauts folded, per kind */
	assert_string_equal(word(ACT_ENERGY, "Strom"), "electricity");
	assert_string_equal(word(ACT_ENERGY, "ELEKTRIZITÄT"), "electricity");
	assert_string_equal(word(ACT_ENERGY, "fernwärme"), "district_heating");
	assert_string_equal(word(ACT_ENERGY, " Fernwaerme "), "district_heating");
	assert_string_equal(word(ACT_ENERGY, "Erdgas"), "natural_gas");
	assert_string_equal(word(ACT_ENERGY, "natural gas"), "natural_gas");
	assert_string_equal(word(ACT_ENERGY, "Heizöl EL"), "heating_oil");
	assert_string_equal(word(ACT_FLEET, "Erdgas"), "cng");
	assert_string_equal(word(ACT_FLEET, "Super E10"), "petrol");
	assert_string_equal(word(ACT_FLEET, "Ladestrom"), "electricity");
	assert_string_equal(word(ACT_DISTANCE, "Kleinwagen"), "car_small");
	assert_null(word(ACT_ENERGY, "Diesel"));
	assert_null(word(ACT_FLEET, "Fernwärme"));
	assert_null(word(ACT_ENERGY, "Erd"));
	assert_null(word(ACT_ENERGY, ""));
}

static void
test_keys_and_fit(void **state)
{
	const struct activity *a;

	assert_non_null(a = activity_by_key("fleet.electricity", 17));
	assert_int_equal(a->kind, ACT_FLEET);
	assert_string_equal(a->sector, "fleet");
	assert_true(a->market);
	assert_string_equal(a->also, "energy.electricity"); /* its factor fallback */
	assert_non_null(a = activity_by_key("energy.electricity", 18));
	assert_string_equal(a->sector, "buildings.electricity");
	assert_null(a->also);
	assert_non_null(a = activity_by_key("energy.district_cooling", 23));
	assert_string_equal(a->sector, "buildings.heat");
	assert_true(a->market);
	assert_non_null(a = activity_by_key("energy.natural_gas", 18));
	assert_false(a->market);
	assert_int_equal(a->fit, ACT_FIT_FUEL);
	assert_true(activity_row_unit(a, "kWh_Hs"));
	assert_false(activity_row_unit(a, "l"));
	assert_false(activity_row_unit(a, "kWh_H"));
	/* a key is exact: no prefix, no other case, no procurement entry */
	assert_null(activity_by_key("energy.electricit", 17));
	assert_null(activity_by_key("energy.Electricity", 18));
	assert_null(activity_by_key("fleet.distance.bus", 18));
	assert_null(activity_by_key("procurement.cpv.30", 18));
	assert_null(activity_by_key("energy.", 7));
	/* "fleet.distance.van" is the class, not a fuel called "distance.van" */
	assert_int_equal(activity_by_key("fleet.distance.van", 18)->kind, ACT_DISTANCE);
	assert_string_equal(activity_carrier_label("distance.van", 0), "Transporter");
	assert_string_equal(activity_carrier_label("lpg", 1), "LPG");
	assert_null(activity_carrier_label("cpv.30", 1));
	/* CPV divisions: by the first two digits */
	assert_string_equal(activity_cpv_label("30192000", 1), "office and computing equipment");
	assert_string_equal(activity_cpv_label("45", 0), "Bauarbeiten");
	assert_null(activity_cpv_label("01", 0));
	assert_null(activity_cpv_label("3", 0));
}

static void
test_sectors_and_quality(void **state)
{
	assert_string_equal(activity_sector(0)->key, "buildings.electricity");
	assert_string_equal(activity_sector(3)->key, "procurement");
	assert_null(activity_sector(4));
	assert_null(activity_sector(-1));
	assert_string_equal(activity_sector_find("fleet")->de, "Fuhrpark und Dienstreisen");
	assert_null(activity_sector_find("fleet.diesel"));
	assert_string_equal(report_sector_key(1), "buildings.heat");
	assert_string_equal(report_tr_sector(REPORT_EN, "buildings.heat"), "Buildings: heat");
	assert_string_equal(activity_quality_name(0), "measured");
	assert_string_equal(activity_quality_name(2), "estimated");
	assert_string_equal(activity_quality_name(3), "?");
	assert_string_equal(report_quality_key(1), "calculated");
	assert_int_equal(activity_quality_parse("calculated", 10), 1);
	assert_int_equal(activity_quality_parse("Calculated", 10), -1);
	assert_int_equal(activity_quality_parse("measure", 7), -1);
}

static void
test_one_line_adds(void **state)
{
	/* Not in the table: every reader refuses or passes it through, and
	 * the parser's message lists the table. One line in ACTIVITIES[],
	 *   {E, "hydrogen", "buildings.heat", FUEL, 0, NULL, "kg t kWh MWh",
	 *    "Wasserstoff", "Wasserstoff", "hydrogen"},
	 * makes test_every_entry check it in every reader above. */
	char why[512], buf[64];

	assert_null(activity_by_key("energy.hydrogen", 15));
	assert_int_equal(factors_check_activity("energy.hydrogen", 15, why, sizeof why), -1);
	assert_string_equal(why, "unknown energy carrier 'hydrogen' in activity "
			    "'energy.hydrogen' (expected one of electricity, district_heating, "
			    "district_cooling, natural_gas, heating_oil, lpg, wood_pellets, "
			    "biogas)");
	assert_int_equal(factors_check_activity("fleet.hydrogen", 14, why, sizeof why), -1);
	assert_string_equal(why, "unknown fuel 'hydrogen' in activity 'fleet.hydrogen' "
			    "(expected one of diesel, petrol, lpg, cng, hvo, electricity, or "
			    "distance.<vehicle_class>)");
	assert_string_equal(report_tr_carrier(REPORT_DE, "hydrogen", buf, sizeof buf), "hydrogen");
	assert_null(activity_find_word(ACT_ENERGY, "Wasserstoff", 11));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_keys_and_fit),
		cmocka_unit_test(test_sectors_and_quality),
		cmocka_unit_test(test_one_line_adds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
