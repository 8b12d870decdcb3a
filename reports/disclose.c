/*
 * disclose: what a reader of the balance must be told about the factors
 * behind it, computed from the run and never static text. One pass over the
 * selection's rows adds up, per factor part, the amounts that rest on
 * market-based fallbacks, preliminary factor editions, national default
 * factors for district heat, factors that are not specific to Germany and
 * factors that count CO2 only; and it finds whether any factor used carries
 * biogenic CO2 at all (when none does, the report says "not recorded"
 * instead of 0 t).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "base/strbuf.h"
#include "factors/factors.h"
#include "reports/lines.h"

static int
add(struct report_disclosures *d, enum report_disc_kind kind, const char *set,
    const char *source, const char *detail, const char *sector, int64_t mg,
    struct err *e)
{
	size_t i;
	struct report_disclosure *x;

	for (i = 0; i < d->n; i++) {
		x = &d->v[i];
		if (x->kind == kind && strcmp(x->set, set) == 0 &&
		    strcmp(x->detail, detail) == 0 && strcmp(x->sector, sector) == 0) {
			x->mg += mg;
			x->rows++;
			return 0;
		}
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		struct report_disclosure *p = realloc(d->v, cap * sizeof *p);
		if (!p)
			return err_setf(e, ERR_IO, "out of memory");
		d->v = p;
		d->cap = cap;
	}
	x = &d->v[d->n++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	snprintf(x->set, sizeof x->set, "%s", set);
	snprintf(x->source, sizeof x->source, "%s", source);
	snprintf(x->detail, sizeof x->detail, "%s", detail);
	snprintf(x->sector, sizeof x->sector, "%s", sector);
	x->mg = mg;
	x->rows = 1;
	return 0;
}

/* The publisher of a factor set: its source up to the first ',' or ':'. */
static void
publisher(const struct factor_set *s, char *buf, size_t n)
{
	const char *src = factor_set_source(s);
	size_t len;

	if (!src)
		src = "";
	len = strcspn(src, ",:");
	if (len >= n)
		len = n - 1;
	memcpy(buf, src, len);
	buf[len] = '\0';
}

static int
german(const char *region)
{
	return strcmp(region, "DE") == 0 || strncmp(region, "DE-", 3) == 0;
}

static int
biogenic_carrier(const char *carrier)
{
	return strcmp(carrier, "wood_pellets") == 0 || strcmp(carrier, "biogas") == 0 ||
	       strcmp(carrier, "hvo") == 0;
}

static int
conf_add(struct report_disclosures *d, enum report_bisko_rule rule,
	 const struct report_line *ln, int64_t mg, struct err *e)
{
	struct report_bisko_conf *c = &d->conf[rule];

	c->rows++;
	c->mg += mg;
	if (c->nrefs < REPORT_BISKO_REFS) {
		struct strbuf ref = STRBUF_INIT;
		if (strbuf_addf(&ref, "%s:%ld", ln->row->file, ln->row->line)) {
			strbuf_release(&ref);
			return err_setf(e, ERR_IO, "out of memory");
		}
		if (!(c->refs[c->nrefs] = strbuf_detach(&ref, NULL)))
			return err_setf(e, ERR_IO, "out of memory");
		c->nrefs++;
	}
	return 0;
}

/* Which BISKO rules row `r` violates; each counted once per row. */
static int
bisko_check(struct report_disclosures *d, const struct report_line *ln, struct err *e)
{
	const struct calc_row *r = ln->row;
	int64_t loc = r->mg.scope1_mg + r->mg.scope2_location_mg + r->mg.scope3_mg;
	int hit[B_NRULES] = {0};
	size_t i;
	int k;

	for (i = 0; i < r->nparts; i++) {
		const struct factor *f = r->parts[i].factor;
		if (!f)
			continue;
		if (!(f->has_upstream && f->upstream_co2e != 0) &&
		    !(f->boundary && strcmp(f->boundary, "lifecycle") == 0))
			hit[B_NO_UPSTREAM] = 1;
		if (strcmp(r->carrier, "electricity") == 0 && strcmp(f->region, "DE") != 0)
			hit[B_NOT_NATIONAL_MIX] = 1;
		if (strcmp(r->carrier, "district_heating") == 0 && !f->network)
			hit[B_HEAT_DEFAULT] = 1;
		if (f->network && strcmp(f->allocation, "carnot") != 0)
			hit[B_HEAT_NOT_CARNOT] = 1;
		if (strcmp(factor_set_name(f->set), "bisko") != 0)
			hit[B_NOT_BISKO_SET] = 1;
	}
	hit[B_EXTRAPOLATED] = r->extrapolated != 0;
	hit[B_NO_ENERGY] = r->energy != CALC_ENERGY_YES;
	for (k = 0; k < B_NRULES; k++)
		if (hit[k] && conf_add(d, (enum report_bisko_rule)k, ln, loc, e))
			return -1;
	return 0;
}

static int
on_line(void *ctx, const struct report_line *ln, struct err *e)
{
	struct report_disclosures *d = ctx;
	const struct calc_row *r = ln->row;
	size_t i;

	if (r->excluded)
		return 0;
	if (d->bisko && bisko_check(d, ln, e))
		return -1;
	if (biogenic_carrier(r->carrier))
		d->biogenic_fuel_mg += r->mg.scope1_mg + r->mg.scope2_location_mg +
				       r->mg.scope3_mg;
	for (i = 0; i < r->nparts; i++) {
		const struct calc_part *p = &r->parts[i];
		const struct factor *f = p->factor;
		int64_t loc = p->mg.scope1_mg + p->mg.scope2_location_mg + p->mg.scope3_mg;
		char set[160], src[160];

		if (p->mg.market_fallback_mg &&
		    add(d, D_MARKET_FALLBACK, "", "", "", "", p->mg.market_fallback_mg, e))
			return -1;
		if (!f)
			continue;
		snprintf(set, sizeof set, "%s@%s", factor_set_name(f->set),
			 factor_set_version(f->set));
		publisher(f->set, src, sizeof src);
		if (f->has_gases && f->biogenic_co2)
			d->biogenic_recorded = 1;
		if (f->status && strcmp(f->status, "final") != 0 &&
		    add(d, D_PRELIMINARY, set, src, f->status, "", loc, e))
			return -1;
		if (f->network)
			d->network_mg += loc;
		if (strcmp(r->carrier, "district_heating") == 0 && !f->network &&
		    !strchr(f->region, '-') &&
		    add(d, D_HEAT_DEFAULT, set, src, f->region, "", loc, e))
			return -1;
		if (!german(f->region) &&
		    add(d, D_FOREIGN, set, src, f->region, r->sector, loc, e))
			return -1;
		if (f->has_gases && f->co2 && !f->ch4_fossil && !f->ch4_biogenic &&
		    !f->n2o && add(d, D_CO2_ONLY, set, src, "", "", loc, e))
			return -1;
		if (p->extrapolated &&
		    add(d, D_EXTRAPOLATED, set, src,
			f->valid_from > p->day_to ? "later" : "earlier", r->sector, loc, e))
			return -1;
	}
	return 0;
}

static int
cmp_disc(const void *a, const void *b)
{
	const struct report_disclosure *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->set, y->set)) != 0)
		return c;
	if ((c = strcmp(x->sector, y->sector)) != 0)
		return c;
	return strcmp(x->detail, y->detail);
}

static void
disc_free(struct report_disclosures *d)
{
	size_t k, i;

	if (d) {
		for (k = 0; k < B_NRULES; k++)
			for (i = 0; i < d->conf[k].nrefs; i++)
				free(d->conf[k].refs[i]);
		free(d->v);
		free(d);
	}
}

const char *
report_recon_key(enum report_recon_line k)
{
	static const char *const K[R_NLINES] = {
		"market_to_national_mix", "procurement_removed", "upstream_moved_in",
		"district_heat_network_factor", "other"};
	return K[k];
}

const char *
report_recon_label(enum report_lang lang, enum report_recon_line k)
{
	static const char *const T[R_NLINES][2] = {
		{"Strom und Wärme: marktbasierte Faktoren (Tarife, Lieferantenfaktoren, "
		 "Reststrommix) durch den Bundesstrommix bzw. standortbasierten Faktor ersetzt",
		 "Electricity and heat: market-based factors (tariffs, supplier factors, "
		 "residual mix) replaced by the national mix or location factor"},
		{"Beschaffung aus der Bilanz genommen", "Procurement removed from the balance"},
		{"Vorketten aus Scope 3.3 in die Energieträger verschoben (Summe unverändert)",
		 "Upstream moved from scope 3.3 into the energy carriers (total unchanged)"},
		{"Fernwärme nach dem Faktor ihres Netzes (in beiden Summen gleich "
		 "bewertet)",
		 "District heat by its network's factor (valued alike in both totals)"},
		{"Sonstige Unterschiede", "Other differences"},
	};
	return T[k][lang == REPORT_EN ? 1 : 0];
}

const char *
report_bisko_rule_key(enum report_bisko_rule r)
{
	static const char *const K[B_NRULES] = {
		"factor_without_upstream", "electricity_not_national_mix",
		"factor_of_another_year", "district_heat_default_factor",
		"no_final_energy", "district_heat_not_carnot", "factor_not_bisko"};
	return K[r];
}

const char *
report_bisko_rule_text(enum report_lang lang, enum report_bisko_rule r)
{
	static const char *const T[B_NRULES][2] = {
		{"BISKO rechnet mit Lebenszyklus-Faktoren (mit Vorketten); der Faktor "
		 "dieser Zeilen hat keine Vorkette.",
		 "BISKO uses life-cycle factors (with upstream); the factor of these "
		 "rows has no upstream."},
		{"BISKO bewertet allen Strom mit dem Bundesstrommix; diese Zeilen haben "
		 "einen anderen Stromfaktor (nicht Region DE).",
		 "BISKO values all electricity with the national mix; these rows have "
		 "another electricity factor (not region DE)."},
		{"Für das Jahr dieser Zeilen fehlt ein Faktor (z. B. der Bundesstrommix "
		 "des Jahres); ein früherer wurde verwendet.",
		 "No factor of the year of these rows (e.g. the national mix of the "
		 "year); an earlier one was used."},
		{"BISKO bewertet Fernwärme mit dem Faktor ihres Netzes; diese Zeilen "
		 "haben einen Standardfaktor (ihre Einheit nennt kein Netz oder das "
		 "Netz hat für diese Tage keinen Faktor).",
		 "BISKO values district heat with its network's factor; these rows "
		 "have a default factor (their unit names no network, or the network "
		 "has no factor for these days)."},
		{"BISKO bilanziert Endenergie; diese Zeilen haben keine (strecken- oder "
		 "ausgabenbasiert oder ohne Umrechnung in kWh).",
		 "BISKO balances final energy; these rows have none (distance- or "
		 "spend-based, or no conversion to kWh)."},
		{"BISKO teilt die Emissionen der Kraft-Wärme-Kopplung nach der "
		 "Carnot-Methode (Exergie) auf; der Netzfaktor dieser Zeilen ist nach "
		 "einer anderen Methode aufgeteilt.",
		 "BISKO allocates the emissions of combined heat and power by the "
		 "Carnot method (exergy); the network factor of these rows uses "
		 "another allocation method."},
		{"BISKO rechnet mit den bundesweiten BISKO-Faktoren (ifeu); der Faktor "
		 "dieser Zeilen stammt aus einem anderen Satz (co2ledger liefert keinen "
		 "BISKO-Faktorsatz mit: keine verifizierte Quelle).",
		 "BISKO uses the national BISKO factors (ifeu); the factor of these rows "
		 "is from another set (co2ledger ships no BISKO factor set: no verified "
		 "source)."},
	};
	return T[r][lang == REPORT_EN ? 1 : 0];
}

int
report_disclose(struct ledger *l, struct report_model *m, struct err *e)
{
	struct report_disclosures *d = calloc(1, sizeof *d);

	if (!d)
		return err_setf(e, ERR_IO, "out of memory");
	d->bisko = m->run.lens && strcmp(m->run.lens, "bisko") == 0;
	if (report_each_line(l, m, NULL, NULL, 0, on_line, d, e)) {
		disc_free(d);
		return -1;
	}
	if (d->n)
		qsort(d->v, d->n, sizeof *d->v, cmp_disc);
	/* always say what happened to biogenic CO2 */
	if (add(d, D_BIOGENIC, "", "", d->biogenic_recorded ? "recorded" : "not_recorded",
		"", d->biogenic_recorded ? report_totals(m)->biogenic_co2_mg
					 : d->biogenic_fuel_mg, e)) {
		disc_free(d);
		return -1;
	}
	d->v[d->n - 1].rows = 0;
	if (d->bisko && m->sel == (size_t)-1) {
		/* the reconciliation from the GHG-Protocol total */
		struct report_lens_sums g;
		struct report_recon *rc = &d->recon;
		int64_t sum;
		int k;
		if (report_ghg_sums(l, m, &g, e)) {
			disc_free(d);
			return -1;
		}
		rc->has = 1;
		rc->ghg_run = g.run_id;
		rc->ghg_calculated = g.calculated;
		rc->ghg_market_mg = g.scope1_mg + g.scope2_market_mg + g.scope3_mg;
		rc->ghg_location_mg = g.scope1_mg + g.scope2_location_mg + g.scope3_mg;
		rc->bisko_mg = report_total_location(&m->all);
		rc->line_mg[R_MARKET_TO_MIX] = g.scope2_location_mg - g.scope2_market_mg;
		rc->line_mg[R_PROCUREMENT] = -g.procurement_mg;
		rc->line_mg[R_UPSTREAM] = 0;
		/* both lenses value a network's heat by its factor: 0 net */
		rc->line_mg[R_HEAT_NETWORK] = 0;
		rc->network_mg = d->network_mg;
		rc->upstream_moved_mg = g.upstream_mg;
		for (sum = rc->ghg_market_mg, k = 0; k < R_OTHER; k++)
			sum += rc->line_mg[k];
		rc->line_mg[R_OTHER] = rc->bisko_mg - sum;
	}
	disc_free(m->disc);
	m->disc = d;
	return 0;
}

void
report_disclosures_free(struct report_disclosures *d)
{
	disc_free(d);
}

int64_t
report_disc_base(const struct report_model *m, const struct report_disclosure *d)
{
	const struct report_figures *f = report_totals(m);

	return d->kind == D_MARKET_FALLBACK ? report_total_market(f)
					    : report_total_location(f);
}

void
report_localise(enum report_lang lang, const char *s, char *buf, size_t n)
{
	const char *dot = strchr(s, '.'), *p = s;
	size_t o = 0, intlen;
	char th = lang == REPORT_EN ? ',' : '.', dec = lang == REPORT_EN ? '.' : ',';

	if (*p == '-' && o + 1 < n)
		buf[o++] = *p++;
	intlen = (size_t)((dot ? dot : s + strlen(s)) - p);
	for (; *p && p != dot && o + 2 < n; p++, intlen--) {
		buf[o++] = *p;
		if (intlen > 1 && (intlen - 1) % 3 == 0)
			buf[o++] = th;
	}
	if (dot && o + 1 < n) {
		buf[o++] = dec;
		for (p = dot + 1; *p && o + 1 < n; p++)
			buf[o++] = *p;
	}
	buf[o < n ? o : n - 1] = '\0';
}

void
report_fmt_t(enum report_lang lang, int64_t mg, char *buf, size_t n)
{
	char raw[32];

	report_fmt_scaled(mg, 9, 1, raw);
	report_localise(lang, raw, buf, n);
}

void
report_fmt_pct(enum report_lang lang, int64_t x100, char *buf, size_t n)
{
	char raw[32];

	report_fmt_scaled(x100, 2, 1, raw);
	report_localise(lang, raw, buf, n);
}

static const char *
status_label(enum report_lang lang, const char *s)
{
	if (strcmp(s, "preliminary") == 0)
		return lang == REPORT_EN ? "preliminary" : "vorläufig";
	if (strcmp(s, "estimate") == 0)
		return lang == REPORT_EN ? "estimate" : "geschätzt";
	return s;
}

void
report_disc_text(enum report_lang lang, const struct report_model *m,
		 const struct report_disclosure *d, char *buf, size_t n)
{
	char t[48], p[32] = "0";
	int64_t x100 = 0;
	int en = lang == REPORT_EN;

	report_fmt_t(lang, d->mg, t, sizeof t);
	if (report_pct_x100(d->mg, report_disc_base(m, d), &x100))
		report_fmt_pct(lang, x100, p, sizeof p);
	switch (d->kind) {
	case D_MARKET_FALLBACK:
		snprintf(buf, n, en
			 ? "Market-based scope 2: %s t CO2e (%s %% of the market-based "
			   "total) had no market factor (there is no German residual "
			   "mix); the location-based factor stands in for it."
			 : "Scope 2 marktbasiert: Für %s t CO2e (%s %% der marktbasierten "
			   "Summe) gab es keinen Marktfaktor (es gibt keinen deutschen "
			   "Reststrommix); an seine Stelle tritt der standortbasierte Faktor.",
			 t, p);
		break;
	case D_PRELIMINARY:
		snprintf(buf, n, en
			 ? "%s t CO2e (%s %% of the total) rest on factors with the status "
			   "\"%s\" from %s; a later edition may revise them."
			 : "%s t CO2e (%s %% der Summe) beruhen auf Faktoren mit dem Status "
			   "„%s“ aus %s; eine spätere Ausgabe kann sie ändern.",
			 t, p, status_label(lang, d->detail), d->set);
		break;
	case D_HEAT_DEFAULT:
		snprintf(buf, n, en
			 ? "District heat: %s t CO2e (%s %% of the total) use the national "
			   "default factor of %s (region %s), not the factor of the local "
			   "network."
			 : "Fernwärme: %s t CO2e (%s %% der Summe) sind mit dem bundesweiten "
			   "Standardfaktor aus %s (Region %s) berechnet, nicht mit dem Faktor "
			   "des örtlichen Netzes.",
			 t, p, d->set, d->detail);
		break;
	case D_FOREIGN:
		snprintf(buf, n, en
			 ? "%s: %s t CO2e (%s %% of the total) use factors that are not "
			   "specific to Germany (%s%s) from %s (%s)."
			 : "%s: %s t CO2e (%s %% der Summe) beruhen auf Faktoren ohne "
			   "deutschen Bezug (%s%s) aus %s (%s).",
			 report_tr_sector(lang, d->sector), t, p,
			 strcmp(d->detail, "*") == 0 ? (en ? "for any region" : "für jede Region")
						     : (en ? "region " : "Region "),
			 strcmp(d->detail, "*") == 0 ? "" : d->detail,
			 d->set, d->source);
		break;
	case D_CO2_ONLY:
		snprintf(buf, n, en
			 ? "CO2 only: the factors of %s count carbon dioxide only, without "
			   "methane and nitrous oxide; they give %s t (%s %% of the total). "
			   "All other factors are CO2 equivalents."
			 : "Nur CO2: Die Faktoren aus %s erfassen nur Kohlendioxid, ohne "
			   "Methan und Lachgas; auf ihnen beruhen %s t (%s %% der Summe). "
			   "Alle anderen Faktoren sind CO2-Äquivalente.",
			 d->set, t, p);
		break;
	case D_EXTRAPOLATED:
		snprintf(buf, n, en
			 ? "%s: %s t CO2e (%s %% of the total) use factors of %s that are not "
			   "valid for the year (factor fallback \"%s\": the %s factor); "
			   "they are marked extrapolated."
			 : "%s: %s t CO2e (%s %% der Summe) beruhen auf Faktoren aus %s, die "
			   "für das Jahr nicht gelten (Faktor-Rückgriff „%s“: der %s Faktor); "
			   "sie sind als fortgeschrieben gekennzeichnet.",
			 report_tr_sector(lang, d->sector), t, p, d->set, m->run.fallback,
			 strcmp(d->detail, "later") == 0 ? (en ? "earliest later" : "nächste spätere")
							 : (en ? "latest earlier" : "letzte frühere"));
		break;
	case D_BIOGENIC:
		if (strcmp(d->detail, "recorded") == 0)
			snprintf(buf, n, en
				 ? "Biogenic CO2: %s t, shown outside the scopes."
				 : "Biogenes CO2: %s t, außerhalb der Scopes ausgewiesen.", t);
		else if (d->mg)
			snprintf(buf, n, en
				 ? "Biogenic CO2: not recorded. No factor used carries it, "
				   "although biogenic fuels account for %s t CO2e (%s %% of "
				   "the total)."
				 : "Biogenes CO2: nicht erfasst. Kein verwendeter Faktor weist "
				   "es aus, obwohl auf biogene Brennstoffe %s t CO2e (%s %% der "
				   "Summe) entfallen.",
				 t, p);
		else
			snprintf(buf, n, en
				 ? "Biogenic CO2: not recorded (no factor used carries it; "
				   "no biogenic fuels in the balance)."
				 : "Biogenes CO2: nicht erfasst (kein verwendeter Faktor weist "
				   "es aus; keine biogenen Brennstoffe in der Bilanz).");
		break;
	default:
		snprintf(buf, n, "?");
	}
}
