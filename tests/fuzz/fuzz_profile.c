/*
 * Fuzz target for mapping profiles: parse and validate any bytes as a
 * `co2ledger-profile/1` file, collecting every error; when a profile is
 * accepted, match headers and map values with it (case folding, brackets,
 * suggestions), using fixed spellings and pieces of the input itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "importers/profile.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
exercise(const struct profile *p, const char *s, size_t n)
{
	const char *out, *br;
	size_t brn;
	char buf[256];
	int f, rank;

	profile_match_header(p, s, n, &rank, &br, &brn);
	profile_is_synonym(p, s, n);
	for (f = 0; f < PF_N; f++) {
		profile_map_value(p, (enum profile_field)f, s, n, &out);
		profile_suggest(p, (enum profile_field)f, s, n, buf, sizeof buf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const words[] = {
		"Energietr\xc3\xa4ger", " STROM ", "Verbrauch (kWh)", "Menge [m\xc2\xb3]",
		"\xc3\x96kostrom", "Super E10", "liter", "",
	};
	struct errlist *errs = errlist_new();
	struct profile *p = NULL;
	struct err e;
	size_t i, k;
	int f;

	if (errs && profile_parse((const char *)data, size, "fuzz.json", &p, errs, &e) == 0) {
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			exercise(p, words[i], strlen(words[i]));
		/* every string between quotes in the input, as header and value */
		for (i = 0; i < size; i++)
			if (data[i] == '"') {
				for (k = i + 1; k < size && data[k] != '"'; k++)
					;
				exercise(p, (const char *)data + i + 1, k - i - 1);
				i = k;
			}
		for (f = 0; f < PF_N; f++) {
			struct strbuf syn = STRBUF_INIT;
			profile_default(p, (enum profile_field)f);
			profile_synonyms(p, (enum profile_field)f, &syn);
			strbuf_release(&syn);
		}
		profile_name(p);
		profile_format(p);
		profile_free(p);
	}
	errlist_free(errs);
	return 0;
}
