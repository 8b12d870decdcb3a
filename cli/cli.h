/*
 * cli: what every command shares.
 *
 * main.c parses the global options into a `struct cli` and calls one command
 * function from its table. A command parses its own options with cli_opt(),
 * calls modules, prints data on stdout and diagnostics on stderr, and returns
 * the exit status: 0 success, 1 data error / mismatch / failed import,
 * 2 usage error. Modules never print; only this layer does.
 */
#ifndef CO2_CLI_H
#define CO2_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "store/ledger.h"

enum {
	EXIT_OK = 0,
	EXIT_DATA = 1,
	EXIT_USAGE = 2,
};

struct cli {
	const char *db_path; /* --db, $CO2LEDGER_DB or ./co2ledger.db */
	int json;            /* --json: machine-readable output on stdout */
	int verbosity;       /* -1 with -q, 0 normally, 1 with -v */
};

typedef int cmd_fn(struct cli *c, int argc, char **argv);

/* The commands, one file each (cli/cmd_<name>.c). argv[0] is the command. */
cmd_fn cmd_init, cmd_org, cmd_factors, cmd_import, cmd_batch, cmd_calc,
	cmd_report, cmd_compare, cmd_explain, cmd_verify, cmd_audit, cmd_runs,
	cmd_status;

/* Print `e` as "FILE:LINE:COLUMN: error: ..." on stderr and return the exit
 * status for its kind. */
int cli_fail(const struct err *e);
/* Print every kept error of `l` and, past the limit, how many more. */
void cli_print_errlist(const struct errlist *l);
/* Print "co2ledger: " + message + usage hint on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a note on stderr unless -q. */
void cli_note(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open the ledger named by the options; prints the error and returns -1 on
 * failure with *status the exit status. Refuses names that are no file
 * ("", ":memory:", "file:" URIs). */
int cli_open(struct cli *c, struct ledger **out, int flags, int *status);
/* Refuse an output path that is the ledger (or its -wal, -shm, -journal) or
 * one of the `n` other files of the command (base/outfile.h); prints the
 * error and returns -1 with *status set. */
int cli_check_output(const struct cli *c, const char *out,
		     const char *const *others, size_t n, int *status);

/* Option parsing. At argv[*i]: when it is `--name VALUE` or `--name=VALUE`
 * returns 1 with *val set (and *i advanced past the value); when it is
 * `--name` without a value returns -1; else 0. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **val);
/* 1 when argv[*i] is exactly the flag `name`. */
int cli_flag(char **argv, int i, const char *name);
/* Handle options every command accepts anywhere: --db PATH, --json, -q, -v.
 * Returns 1 when argv[*i] was one of them, -1 on a missing value, else 0.
 * `json_flag` 0 leaves --json to the command (report uses --json OUT). */
int cli_common(struct cli *c, int argc, char **argv, int *i, int json_flag);
/* 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

/* Print `s` left-aligned in `width` characters (UTF-8 aware), cut to fit. */
void cli_print_col(const char *s, int width);
/* mg as tonnes with one decimal and thousands separators ("2,300.9"). */
void cli_tonnes(int64_t mg, char *out, size_t n);
/* mg as kg with three decimals ("4709.200"); returns buf. */
const char *cli_kg(int64_t mg, char *buf, size_t n);
/* mg as kg rounded to grams, as a JSON real (a json_t *, new reference). */
void *cli_kg_json(int64_t mg);
struct calc_totals;
/* Every bucket of `t` and both totals in kg, as a JSON object (json_t *,
 * new reference). */
void *cli_totals_json(const struct calc_totals *t);

/* `s` with control, C1 and bidi characters and non-UTF-8 bytes escaped
 * ("\\x1b", "\\u202e"), for every message and listing that shows data:
 * `s` itself when it has none, else a copy that stays valid for the next 15
 * calls. NULL stays NULL. */
const char *cli_esc(const char *s);
/* JSON text on stdout with C1, DEL and bidi characters as \\u escapes
 * (Jansson already escapes the other controls). */
void cli_write_json_text(const char *text);

/* Write n bytes on stdout; a failure's reason is kept for the check of
 * stdout at exit (main.c), which reports it. */
void cli_write_stdout(const char *s, size_t n);
/* errno of the first failed cli_write_stdout(), 0 when none. */
extern int cli_stdout_errno;
/* One line of text for the caller to show (stderr notes, verify's list). */
typedef void cli_line_fn(void *ctx, const char *text);
/* A cli_line_fn writing to stderr unless -q (ctx: the struct cli). */
void cli_line_stderr(void *ctx, const char *text);
struct report_model;
/* When the inputs of m's run were superseded, removed or corrected since,
 * pass the notice line by line to fn (cli/outdated.c): the batches, the
 * rows that differ and the figures that would change. Calculates in
 * memory: the ledger must be a scratch ledger. *outdated 1 when it was. */
int cli_outdated(struct ledger *l, const struct report_model *m,
		 const char *subject /* NULL: "run N" */, cli_line_fn *fn,
		 void *ctx, int *outdated /* OUT */, struct err *e);

/* Print a JSON value (Jansson) on stdout, indented, sorted keys, newline.
 * Declared with void * to keep jansson.h out of this header. */
void cli_print_json(const void *json_t_value);

#endif
