/*
 * primary: the primary-energy factors (non-renewable part) by energy
 * carrier, an indicator next to final energy (docs/methodology.md,
 * "Primary energy"). The shipped set is GEG Anlage 4, read in the law
 * text; each value carries its row and evidence tag. A carrier without a
 * cited value (district heat, whose factor is certified per network and is
 * data of the site; vehicle fuels, which Anlage 4 does not list) has none:
 * its primary energy is not shown rather than guessed.
 *
 * Values are exact ratios (1.1 = 11/10). Nothing here touches emissions.
 */
#ifndef CO2_FACTORS_PRIMARY_H
#define CO2_FACTORS_PRIMARY_H

#include <stddef.h>
#include <stdint.h>

#include "base/units.h"

struct primary_factor {
	const char *carrier;  /* run_total carrier key: "electricity", ... */
	struct ratio factor;  /* kWh primary energy per kWh final energy (Hi) */
	const char *value;    /* the value as printed: "1.8" */
	const char *row;      /* where it is printed: "Nr. 9, Strom netzbezogen" */
	const char *notes;    /* evidence tag and how it was read */
};

struct primary_set {
	const char *name, *version, *citation, *basis;
	const struct primary_factor *factors;
	size_t nfactors;
};

/* The shipped set (static, never freed). */
const struct primary_set *primary_set_default(void);

/* The factor of `carrier` in `s`, NULL when the set has none for it. */
const struct primary_factor *primary_lookup(const struct primary_set *s,
					    const char *carrier);

/* micro-kWh of final energy x the factor into *out, rounded once to whole
 * micro-kWh, half away from zero; -1 when the result does not fit. */
int primary_apply(const struct primary_factor *f, int64_t ukwh,
		  int64_t *out /* OUT */);

#endif
