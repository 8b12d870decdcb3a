/*
 * ledger-check: the invariants the robustness tests assert after killing or
 * racing co2ledger against a ledger. Opens the ledger given on the command
 * line and checks that
 *   - the audit chain verifies (audit_verify);
 *   - every batch holds exactly its rows_loaded activity rows, and no
 *     activity row belongs to a batch that does not exist (a batch is either
 *     completely present or completely absent);
 *   - there is one batch.import audit entry per batch and one run entry per
 *     calculation run;
 *   - every run that used rows has its aggregate rows (run_total).
 * Prints one line "audit=N batches=B activity=A runs=R run_totals=T" (the
 * shell scripts read these counts) and exits 0 when all hold; otherwise
 * prints what is wrong on stderr and exits 1.
 *
 * usage: ledger-check DB
 */
#include <stdio.h>

#include "store/audit.h"
#include "store/ledger.h"

static long
count(struct ledger *l, const char *sql, int *bad)
{
	struct err e;
	struct db_stmt *st = ledger_stmt(l, sql, &e);
	long n = -1;

	if (!st) {
		fprintf(stderr, "ledger-check: %s\n", e.text);
		*bad = 1;
		return -1;
	}
	if (db_step(st) == DB_ROW)
		n = (long)db_column_int64(st, 0);
	else {
		fprintf(stderr, "ledger-check: %s: %s\n", sql,
			db_errmsg(ledger_db(l)));
		*bad = 1;
	}
	db_reset(st);
	return n;
}

static void
expect_zero(struct ledger *l, const char *sql, const char *what, int *bad)
{
	long n = count(l, sql, bad);

	if (n != 0) {
		fprintf(stderr, "ledger-check: %ld %s\n", n, what);
		*bad = 1;
	}
}

int
main(int argc, char **argv)
{
	struct ledger *l;
	struct err e;
	long entries = 0, batches, activity, runs, totals;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: ledger-check DB\n");
		return 2;
	}
	if (ledger_open(&l, argv[1], 0, &e)) {
		fprintf(stderr, "ledger-check: %s: %s\n", argv[1], e.text);
		return 1;
	}
	if (audit_verify(l, &entries, &e)) {
		fprintf(stderr, "ledger-check: audit chain broken: %s\n", e.text);
		bad = 1;
	}
	expect_zero(l,
		    "SELECT count(*) FROM batch b WHERE b.rows_loaded != "
		    "(SELECT count(*) FROM activity a WHERE a.batch_id = b.id)",
		    "batch(es) whose activity rows differ from rows_loaded", &bad);
	expect_zero(l,
		    "SELECT count(*) FROM activity a WHERE NOT EXISTS "
		    "(SELECT 1 FROM batch b WHERE b.id = a.batch_id)",
		    "activity row(s) without their batch", &bad);
	expect_zero(l,
		    "SELECT (SELECT count(*) FROM batch) - "
		    "(SELECT count(*) FROM audit WHERE action = 'batch.import')",
		    "as the difference between batches and batch.import audit entries", &bad);
	expect_zero(l,
		    "SELECT (SELECT count(*) FROM run) - "
		    "(SELECT count(*) FROM audit WHERE action = 'run')",
		    "as the difference between runs and run audit entries", &bad);
	expect_zero(l,
		    "SELECT count(*) FROM run r WHERE r.rows_used > 0 AND NOT EXISTS "
		    "(SELECT 1 FROM run_total t WHERE t.run_id = r.id)",
		    "run(s) with rows but without their totals", &bad);
	expect_zero(l,
		    "SELECT count(*) FROM run_total t WHERE NOT EXISTS "
		    "(SELECT 1 FROM run r WHERE r.id = t.run_id)",
		    "run total(s) without their run", &bad);
	batches = count(l, "SELECT count(*) FROM batch", &bad);
	activity = count(l, "SELECT count(*) FROM activity", &bad);
	runs = count(l, "SELECT count(*) FROM run", &bad);
	totals = count(l, "SELECT count(*) FROM run_total", &bad);
	ledger_close(l);
	printf("audit=%ld batches=%ld activity=%ld runs=%ld run_totals=%ld\n", entries,
	       batches, activity, runs, totals);
	return bad;
}
