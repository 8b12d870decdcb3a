/*
 * complete: is a year's data complete? The expected data of year Y is
 * derived from the year before and the meters and vehicles the ledger
 * knows (docs/methodology.md, "Completeness"):
 *
 * - energy: one stream per meter (org unit, activity key, meter; rows
 *   without a meter: org unit and key). Every month a stream's rows
 *   covered in Y-1 is expected in Y; a month is present when a row's period
 *   overlaps it. A meter with data in Y-1 and none in Y went silent.
 * - fleet: one stream per org unit and activity key (the unit's vehicles of
 *   one fuel together: single vehicles refuel irregularly); the same
 *   monthly rule. A vehicle with data in Y-1 and none in Y is listed as
 *   silent, without counting in the completeness share.
 * - procurement: one stream per org unit; invoices come irregularly, so no
 *   month is expected, but a unit that bought in Y-1 and nothing in Y is
 *   listed as silent.
 *
 * Months covered only by rows with quantity 0 are confirmed zeros: present,
 * and listed apart from absent data. A stream whose quantity in Y (the rows'
 * days inside the year, pro rata) differs from Y-1 by more than the jump
 * threshold is listed as a jump when it has no missing month.
 *
 * A reporting unit's completeness is the lowest share of expected months
 * present over its kinds (energy, fleet). A year with no row, or before the
 * first year whose twelve months all have data, is not a balance year.
 *
 * Ownership: the caller frees the result with complete_free(); strings and
 * entries live as long as it. Memory grows with the streams, not the rows.
 */
#ifndef CO2_COMPLETE_H
#define CO2_COMPLETE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/ledger.h"

struct complete_opts {
	int year;
	int jump_pct;      /* year-on-year change to list, in %; 0 = 50 */
	int threshold_pct; /* a unit below this share is incomplete for ranking
			      and change; 0 = 90 */
};

enum complete_state {
	COMPLETE_OK,           /* every expected month present */
	COMPLETE_GAPS,         /* expected months missing */
	COMPLETE_NO_DATA,      /* no row has a day in the year */
	COMPLETE_BEFORE_FULL,  /* before the first year with data in all months */
};

/* One stream with something to say. */
struct complete_stream {
	const char *unit;      /* reporting unit code (district or top unit) */
	const char *org;       /* the rows' org unit */
	const char *kind;      /* energy, fleet, procurement */
	const char *activity;  /* activity key; "procurement" for a unit's spend */
	const char *ident;     /* meter or vehicle; NULL for a unit's stream */
	unsigned expected;     /* month bits (bit 0: January) expected in Y */
	unsigned present;      /* months with data (zero or not) */
	unsigned zero;         /* months with confirmed zeros only */
	unsigned missing;      /* expected & ~present */
	int silent;            /* data in Y-1, none in Y */
	int counted;           /* counts in the completeness share */
	int has_jump;
	int64_t jump_x100;     /* change against Y-1 in 1/100 % */
	int32_t last_day;      /* last day with data (days since 1970), 0 when none */
};

/* A reporting unit's completeness. */
struct complete_unit {
	const char *code, *name;
	long expected, present;      /* stream-months over all counted kinds */
	int64_t pct_x100;            /* lowest share over its kinds, 1/100 % */
	const char *worst_kind;      /* the kind with that share, NULL when none */
	int below;                   /* pct under the threshold */
	long gaps;                   /* streams with missing months or silent */
};

struct complete;

int complete_check(struct ledger *l, const struct complete_opts *o,
		   struct complete **out /* OUT */, struct err *e);
void complete_free(struct complete *c);

enum complete_state complete_get_state(const struct complete *c);
int complete_year(const struct complete *c);
int complete_threshold_pct(const struct complete *c);
/* The first year whose twelve months all have data, 0 when none. */
int complete_first_full_year(const struct complete *c);
/* Rows with a day in the year. */
long complete_rows(const struct complete *c);
/* A sentence saying why the year is not complete or not a balance year;
 * "" when it is complete. */
const char *complete_reason(const struct complete *c);
/* For an incomplete year (COMPLETE_GAPS): the expected stream-months
 * missing and the streams silent since the year before, the facts the
 * reason names (reports word them in their language); 0 otherwise. */
long complete_missing(const struct complete *c);
long complete_silent(const struct complete *c);

/* Streams with missing months, silent, with confirmed zeros or a jump, by
 * reporting unit, org unit, activity and meter. */
size_t complete_stream_count(const struct complete *c);
const struct complete_stream *complete_stream_at(const struct complete *c, size_t i);
/* Reporting units with data or expectations, in the tree's order. */
size_t complete_unit_count(const struct complete *c);
const struct complete_unit *complete_unit_at(const struct complete *c, size_t i);
/* The unit with this code, NULL when it has no data. */
const struct complete_unit *complete_unit_find(const struct complete *c,
					       const char *code);

/* "Jan,Feb,Apr" for a month mask into buf; "" for 0. */
void complete_months(unsigned mask, char *buf, size_t n);

#endif
