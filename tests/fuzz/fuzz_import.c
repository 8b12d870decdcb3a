/*
 * Fuzz target for the importers: the first byte picks the kind and the
 * profile (canonical or the shipped German one), the rest is the file. Each
 * input is a dry run on an in-memory ledger with a small organisation tree.
 * Build: clang -fsanitize=fuzzer,address -I. ... (see tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/ledger.h"
#include "org/org.h"
#include "base/csv.h"
#include "importers/import.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ledger *ledger;
static struct profile *profiles[2];

static void
setup(void)
{
	/* the units the import test cases name, so their files seed the corpus */
	static const char org[] = "code,name,parent,kind\nBE,Berlin,,state\n"
				  "MITTE,Mitte,BE,district\n"
				  "SPANDAU,Spandau,BE,district\n"
				  "SPANDAU-RH,Rathaus Spandau,SPANDAU,site\n"
				  "SENFIN,Senatsverwaltung,BE,department\n";
	struct errlist *errs = errlist_new();
	struct org_import_stats s;
	struct csv *c;
	struct strbuf path = STRBUF_INIT;
	struct err e;

	ledger_open(&ledger, ":memory:", LEDGER_CREATE, &e);
	csv_open_mem(&c, org, strlen(org), "org.csv", NULL, &e);
	org_import_csv(ledger, c, &s, errs, &e);
	csv_close(c);
	errlist_free(errs);
	profile_canonical(&profiles[0], &e);
	if (profile_find_shipped(NULL, "de", &path, &e) == 0)
		profile_load(path.buf, &profiles[1], NULL, &e);
	strbuf_release(&path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist *errs = errlist_new(), *warns = errlist_new();
	struct import_opts o = {.dry_run = 1};
	struct import_result r;
	struct err e;

	if (!ledger)
		setup();
	if (size < 1 || !errs || !warns)
		goto out;
	o.kind = (enum import_kind)(data[0] % 3);
	o.profile = profiles[(data[0] >> 2) & 1];
	o.skip_invalid = (data[0] >> 3) & 1;
	import_mem(ledger, data + 1, size - 1, "fuzz.csv", &o, &r, errs, warns, &e);
out:
	errlist_free(errs);
	errlist_free(warns);
	return 0;
}
