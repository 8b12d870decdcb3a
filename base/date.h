/*
 * date: calendar days as integers, proleptic Gregorian.
 *
 * A date is the number of days since 1970-01-01 (negative before), so that
 * lengths of periods are differences and pro-rata splits are exact. Parsing
 * accepts only real dates (no 30 February, no month 13). Timestamps shown to
 * users come from date_now_iso(): the system clock, or the time the caller
 * pinned with date_pin_clock() (the command line pins SOURCE_DATE_EPOCH), so
 * that reports and tests can be reproduced byte for byte. This module never
 * reads the environment.
 */
#ifndef CO2_DATE_H
#define CO2_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a valid y-m-d (the caller checks validity). */
int32_t date_from_ymd(int y, int m, int d);
/* The y-m-d of a day number. */
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* 1 when y-m-d is a real date in years 1..9999. */
int date_valid(int y, int m, int d);
int date_is_leap(int y);
/* Parse exactly "YYYY-MM-DD" from s[0..n). Returns 0 and sets *out, or -1. */
int date_parse_iso(const char *s, size_t n, int32_t *out);
/* Write "YYYY-MM-DD" (11 bytes with NUL). */
void date_format(int32_t days, char out[11]);
/* Days of January 1 and December 31 of year y. */
int32_t date_year_start(int y);
int32_t date_year_end(int y);
/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ", or the pinned time. */
void date_now_iso(char out[21]);
/* Pin the clock to `epoch` seconds since 1970-01-01 UTC (every later
 * date_now_iso() returns it); a negative value unpins it. Call it once at
 * start, before any thread is started. */
void date_pin_clock(int64_t epoch);
/* Parse a SOURCE_DATE_EPOCH value: decimal seconds >= 0. Returns 0 and sets
 * *out, or -1 when `s` is not such a number. */
int date_parse_epoch(const char *s, int64_t *out);

#endif
