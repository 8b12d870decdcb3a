/*
 * Unit tests for the importers: German exports and their canonical twins
 * give identical rows, exact quantities, all-or-nothing, dry runs,
 * re-import refusal and replacement, hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/ledger.h"
#include "org/org.h"
#include "base/csv.h"
#include "engine/integrity.h"
#include "store/rowhash.h"
#include "importers/correct.h"
#include "importers/import.h"

static const char ORG[] =
	"code,name,parent,kind\nBE,Berlin,,state\nMITTE,Mitte,BE,district\n"
	"MITTE-RH,Rathaus Mitte,MITTE,site\n";

static struct ledger *
ledger_with_orgs(void)
{
	struct ledger *l;
	struct csv *c;
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct err e;

	date_pin_clock(1767225600);
	assert_int_equal(ledger_open(&l, ":memory:", LEDGER_CREATE, &e), 0);
	assert_int_equal(csv_open_mem(&c, ORG, strlen(ORG), "org.csv", NULL, &e), 0);
	assert_int_equal(org_import_csv(l, c, &s, errs, &e), 0);
	csv_close(c);
	errlist_free(errs);
	return l;
}

static int
imp(struct ledger *l, const char *data, enum import_kind k, struct import_result *r,
    struct errlist *errs, struct errlist *warns)
{
	struct import_opts o = {.kind = k};
	struct err e;

	errs->n = errs->total = 0;
	if (warns)
		warns->n = warns->total = 0;
	return import_mem(l, data, strlen(data), "t.csv", &o, r, errs, warns, &e);
}

/* Collect a batch's rows as one text, line by line. */
struct rows {
	char buf[4096];
	size_t w;
};

static int
collect(void *ctx, const struct import_row *r)
{
	struct rows *s = ctx;

	s->w += (size_t)snprintf(s->buf + s->w, sizeof s->buf - s->w,
				 "%ld|%s|%s|%d|%d|%lld|%s|%d|%s|%s\n", r->line, r->org,
				 r->key, r->day_start, r->day_end, (long long)r->quantity,
				 r->unit, r->quality, r->tariff ? r->tariff : "-",
				 r->ident ? r->ident : "-");
	return 0;
}

static void
rows_of(struct ledger *l, int64_t batch, struct rows *s)
{
	struct err e;

	s->w = 0;
	s->buf[0] = '\0';
	assert_int_equal(import_batch_rows(l, batch, collect, s, &e), 0);
}

static void
test_german_twin(void **state)
{
	static const char de[] =
		"Liegenschaft;Z\xe4hlernummer;Energietr\xe4ger;Abrechnungsbeginn;"
		"Abrechnungsende;Verbrauch;Einheit;Tarif\r\n"
		"MITTE-RH;1 ISK 001;Strom;01.01.2024;31.01.2024;1.234,56;kWh;\xd6kostrom\r\n"
		"MITTE;G1;Erdgas;01.12.2023;29.02.2024;9.871;m\xb3;\r\n"
		"MITTE;G2;Fernw\xe4rme;01.01.2024;31.03.2024;164,233;MWh Hs;\r\n";
	static const char en[] =
		"org,meter,carrier,period_start,period_end,quantity,unit,tariff\n"
		"MITTE-RH,1ISK001,electricity,2024-01-01,2024-01-31,1234.56,kWh,green\n"
		"MITTE,G1,natural_gas,2023-12-01,2024-02-29,9871,m3,\n"
		"MITTE,G2,district_heating,2024-01-01,2024-03-31,164.233,MWh,\n";
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new(), *warns = errlist_new();
	struct import_result r1, r2;
	struct rows a, b;

	/* MWh Hs does not fit district heating: that row is an error */
	assert_int_equal(imp(l, de, IMPORT_ENERGY, &r1, errs, warns), -1);
	assert_int_equal(errs->total, 1);
	assert_int_equal(errs->items[0].line, 4);
	assert_non_null(strstr(errs->items[0].text, "does not fit carrier 'Fernwärme'"));
	{
		char fixed[sizeof de];
		char *p;
		memcpy(fixed, de, sizeof de);
		p = strstr(fixed, "MWh Hs;");
		memcpy(p, "MWh;   ", 7); /* trailing blanks are trimmed */
		assert_int_equal(imp(l, fixed, IMPORT_ENERGY, &r1, errs, warns), 0);
	}
	assert_string_equal(r1.profile, "de");
	assert_int_equal(r1.rows_loaded, 3);
	/* the English twin holds the same rows: refused like the same file... */
	{
		struct import_opts o = {.kind = IMPORT_ENERGY};
		struct err e;
		errs->n = errs->total = warns->n = warns->total = 0;
		assert_int_equal(import_mem(l, en, strlen(en), "t.csv", &o, &r2, errs,
					    warns, &e), -1);
		assert_int_equal(errs->total, 0);
		assert_non_null(strstr(e.text, "already imported as batch 1"));
		assert_non_null(strstr(e.text, "the same rows"));
		/* ...and loads when it replaces that batch */
		o.replace = r1.batch;
		assert_int_equal(import_mem(l, en, strlen(en), "t.csv", &o, &r2, errs,
					    warns, &e), 0);
	}
	assert_string_equal(r2.profile, "canonical");
	assert_int_equal(warns->total, 0);
	rows_of(l, r1.batch, &a);
	rows_of(l, r2.batch, &b);
	assert_string_equal(a.buf, b.buf);
	/* 1.234,56 kWh is exactly 1234560000 micro-kWh; 2024-01-01 is day 19723 */
	assert_non_null(strstr(a.buf, "2|MITTE-RH|energy.electricity|19723|19753|1234560000|kWh|0|green|1ISK001\n"));
	errlist_free(errs);
	errlist_free(warns);
	ledger_close(l);
}

static int
count_batches(void *ctx, const struct import_batch *b)
{
	(*(int *)ctx)++;
	(void)b;
	return 0;
}

static int
batches(struct ledger *l)
{
	struct err e;
	int n = 0;

	assert_int_equal(import_batch_each(l, count_batches, &n, &e), 0);
	return n;
}

static void
test_all_or_nothing_and_batches(void **state)
{
	static const char good[] =
		"org,vehicle,fuel,date,quantity,unit\nMITTE,B-MI 1,diesel,2024-01-05,40.5,l\n";
	static const char bad[] =
		"org,vehicle,fuel,date,quantity,unit\nMITTE,B-MI 1,diesel,2024-01-06,40.5,l\n"
		"MITTE,B-MI 2,diesel,2024-02-30,1,l\nMITTE,B-MI 3,kerosene,2024-01-06,1,l\n";
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new();
	struct import_result r;
	struct import_opts o = {.kind = IMPORT_FLEET, .dry_run = 1};
	struct import_batch b;
	struct err e;

	assert_int_equal(imp(l, bad, IMPORT_FLEET, &r, errs, NULL), -1);
	assert_int_equal(errs->total, 2);
	assert_int_equal(r.rows_rejected, 2);
	assert_int_equal(batches(l), 0);
	if (import_mem(l, good, strlen(good), "g.csv", &o, &r, errs, NULL, &e))
		fail_msg("%s", e.text);
	assert_int_equal(r.batch, 1);
	assert_int_equal(batches(l), 0); /* the dry run wrote nothing */
	assert_int_equal(imp(l, good, IMPORT_FLEET, &r, errs, NULL), 0);
	assert_int_equal(batches(l), 1);
	/* the same bytes again are refused, naming the batch */
	assert_int_equal(import_mem(l, good, strlen(good), "g2.csv", &(struct import_opts){.kind = IMPORT_FLEET},
				    &r, errs, NULL, &e), -1);
	assert_non_null(strstr(e.text, "already imported as batch 1"));
	assert_int_equal(batches(l), 1);
	/* unless they replace it */
	o.dry_run = 0;
	o.replace = 1;
	assert_int_equal(import_mem(l, good, strlen(good), "g2.csv", &o, &r, errs, NULL, &e), 0);
	assert_int_equal(r.batch, 2);
	assert_int_equal(import_batch_get(l, 1, &b, &e), 0);
	assert_string_equal(b.status, "superseded");
	assert_int_equal(b.superseded_by, 2);
	assert_int_equal(import_batch_remove(l, 2, &e), 0);
	assert_int_equal(import_batch_remove(l, 2, &e), -1);
	assert_int_equal(import_batch_get(l, 3, &b, &e), -1);
	errlist_free(errs);
	ledger_close(l);
}

static void
test_procurement(void **state)
{
	static const char p[] =
		"\xef\xbb\xbf" "Buchungsdatum;Dienststelle;CPV;Nettobetrag;W\xc3\xa4hrung;Beschreibung\n"
		"02.01.2024;MITTE;30192000-1;1.209,78;EUR;\"a; b\"\n"
		"03.01.2024;MITTE;CPV 72000000;5;;x\n"
		"04.01.2024;MITTE;7200000;5;USD;x\n";
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new();
	struct import_result r;
	struct rows a;

	assert_int_equal(imp(l, p, IMPORT_PROCUREMENT, &r, errs, NULL), -1);
	assert_int_equal(errs->total, 2); /* line 4: the CPV code and the currency */
	assert_int_equal(errs->items[0].line, 4);
	assert_int_equal(errs->items[1].line, 4);
	{
		char ok[sizeof p];
		memcpy(ok, p, sizeof p);
		*strstr(ok, "04.01.2024") = '\0';
		assert_int_equal(imp(l, ok, IMPORT_PROCUREMENT, &r, errs, NULL), 0);
	}
	rows_of(l, r.batch, &a);
	/* defaults: currency EUR from the profile, quality estimated (2) */
	assert_string_equal(a.buf,
			    "2|MITTE|procurement.cpv.30192000|19724|19724|1209780000|EUR|2|-|-\n"
			    "3|MITTE|procurement.cpv.72000000|19725|19725|5000000|EUR|2|-|-\n");
	errlist_free(errs);
	ledger_close(l);
}

static void
test_fleet_periods_and_distance(void **state)
{
	static const char f[] =
		"org,vehicle,fuel,vehicle_class,date,period_start,period_end,quantity,unit\n"
		"MITTE,b mi 7,diesel,,2024-03-01,,,10,l\n"
		"MITTE,PRIV-1,distance,Van,,2024-01-01,2024-01-31,120.5,km\n"
		"MITTE,B-MI 7,electricity,,,2024-02-01,2024-02-29,55,kWh\n";
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new();
	struct import_result r;
	struct rows a;

	assert_int_equal(imp(l, f, IMPORT_FLEET, &r, errs, NULL), 0);
	rows_of(l, r.batch, &a);
	/* 2024-03-01 is day 19783, 2024-01-01 day 19723; the plate is normalised;
	 * a date wins over a period, a row without a date uses its period */
	assert_string_equal(a.buf,
			    "2|MITTE|fleet.diesel|19783|19783|10000000|l|0|-|B-MI 7\n"
			    "3|MITTE|fleet.distance.van|19723|19753|120500000|km|0|-|PRIV-1\n"
			    "4|MITTE|fleet.electricity|19754|19782|55000000|kWh|0|-|B-MI 7\n");
	errlist_free(errs);
	ledger_close(l);
}

static void
test_hostile(void **state)
{
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new();
	struct import_result r;
	char junk[5000];
	size_t i;
	uint32_t x = 12345;

	assert_int_equal(imp(l, "", IMPORT_ENERGY, &r, errs, NULL), -1);
	assert_int_equal(errs->items[0].line, 1);
	assert_non_null(strstr(errs->items[0].text, "empty file"));
	assert_int_equal(imp(l, "org,carrier,period_start,period_end,quantity,unit\n",
			     IMPORT_ENERGY, &r, errs, NULL), -1);
	assert_non_null(strstr(errs->items[0].text, "no data rows"));
	assert_int_equal(imp(l, "org,carrier,period_start,period_end,quantity,unit\n"
			     "MITTE,\"electricity,2024-01-01,2024-01-31,1,kWh\n",
			     IMPORT_ENERGY, &r, errs, NULL), -1);
	assert_int_equal(errs->items[0].line, 2);
	assert_int_equal(errs->items[0].column, 7);
	for (i = 0; i < sizeof junk - 1; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
		if (!junk[i])
			junk[i] = '\n';
	}
	junk[sizeof junk - 1] = '\0';
	assert_int_equal(imp(l, junk, IMPORT_ENERGY, &r, errs, NULL), -1);
	assert_true(errs->total > 0);
	assert_int_equal(batches(l), 0);
	errlist_free(errs);
	ledger_close(l);
}

struct findings {
	int problems;
	char last[1024];
};

static void
finding(void *ctx, int problem, const char *text)
{
	struct findings *f = ctx;

	if (problem) {
		f->problems++;
		snprintf(f->last, sizeof f->last, "%s", text);
	}
}

static int
diff_count(void *ctx, long line, const char *field, const char *a, const char *b,
	   struct err *e)
{
	char *out = ctx;

	(void)e;
	snprintf(out + strlen(out), 256, "%ld %s %s %s;", line, field ? field : "-",
		 a ? a : "-", b ? b : "-");
	return 0;
}

/* The rows hash computed while importing is the one integrity_check()
 * recomputes; an edited field is named with its line; a correction is a
 * new batch that keeps the original rows, and the diff shows the change. */
static void
test_row_hashes_and_corrections(void **state)
{
	static const char data[] =
		"org,vehicle,fuel,date,quantity,unit\nMITTE,B-MI 1,diesel,2024-01-05,40.5,l\n"
		"MITTE,B-MI 1,diesel,2024-01-09,12,l\n";
	struct ledger *l = ledger_with_orgs();
	struct errlist *errs = errlist_new();
	struct import_result r;
	struct integrity_result ir;
	struct findings f = {0, ""};
	struct correct_opts co = {.batch = 1, .line = 3, .field = "quantity",
				  .value = "10.25", .reason = "receipt"};
	struct correct_result cr;
	char hex[65], diff[1024] = "";
	long rows, bad, n;
	struct err e;

	(void)state;
	assert_int_equal(imp(l, data, IMPORT_FLEET, &r, errs, NULL), 0);
	assert_int_equal(integrity_check(l, finding, &f, &ir, &e), 0);
	assert_int_equal(ir.problems, 0);
	assert_int_equal(ir.rows, 2);
	assert_int_equal(rowhash_batch(l, 1, "t.csv", 1, NULL, NULL, hex, &rows,
					      &bad, &e), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(bad, 0);
	/* a correction: new batch 2, batch 1 superseded and unchanged */
	assert_int_equal(correct_row(l, &co, &cr, &e), 0);
	assert_int_equal(cr.batch, 2);
	assert_string_equal(cr.old_value, "12");
	assert_string_equal(cr.new_value, "10.25");
	assert_int_equal(integrity_check(l, finding, &f, &ir, &e), 0);
	assert_int_equal(ir.problems, 0);
	assert_int_equal(correct_diff(l, 1, 2, diff_count, diff, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(diff, "3 quantity 12 10.25;");
	/* a superseded batch is not corrected, nor without a reason */
	assert_int_equal(correct_row(l, &co, &cr, &e), -1);
	co.batch = 2;
	co.reason = "";
	assert_int_equal(correct_row(l, &co, &cr, &e), -1);
	/* editing a stored row behind co2ledger's back is named */
	assert_int_equal(ledger_exec(l, "UPDATE activity SET quantity = 41000000 "
				     "WHERE batch_id = 1 AND line = 2", &e), 0);
	assert_int_equal(integrity_check(l, finding, &f, &ir, &e), 0);
	assert_int_equal(ir.problems, 1);
	assert_non_null(strstr(f.last, "t.csv:2: field quantity was changed"));
	errlist_free(errs);
	ledger_close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_german_twin),
		cmocka_unit_test(test_all_or_nothing_and_batches),
		cmocka_unit_test(test_procurement),
		cmocka_unit_test(test_fleet_periods_and_distance),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_row_hashes_and_corrections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
