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
	int calc_threads;    /* $CO2LEDGER_CALC_THREADS (at least 1), 0 when unset */
};

typedef int cmd_fn(struct cli *c, int argc, char **argv);

/* The commands, one file each (cli/cmd_<name>.c). argv[0] is the command. */
cmd_fn cmd_init, cmd_org, cmd_factors, cmd_import, cmd_batch, cmd_calc,
	cmd_report, cmd_compare, cmd_explain, cmd_verify, cmd_audit, cmd_runs,
	cmd_energy, cmd_targets, cmd_status, cmd_degreedays;

/* Print `e` as "FILE:LINE:COLUMN: error: ..." on stderr and return the exit
 * status for its kind. */
int cli_fail(const struct err *e);
/* Print every kept error of `l` and, past the limit, how many more. */
void cli_print_errlist(const struct errlist *l);
/* The same for warnings ("FILE:LINE: warning: ..."), unless -q. */
void cli_print_warnings(const struct cli *c, const struct errlist *l);
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

/* One option of a command, for cli_parse(): `--name VALUE` or
 * `--name=VALUE` stores VALUE in *value; a flag (value NULL) sets *flag to
 * 1. With `optional`, the value may be left out (`--json` alone or followed
 * by another option): *value is then "-". A table ends with {NULL}. */
struct cli_option {
	const char *name;
	const char **value;
	int *flag;
	int optional;
};

/* Parse a command's arguments (argv[0] is the command): -h or --help
 * anywhere prints `help` on stdout (exit 0); the options every command
 * takes (--db PATH, -q, -v, and --json unless `opts` names it) and those of
 * `opts`, in any order among up to `max` positional arguments, which go to
 * args[0..*nargs). "-" is a positional argument (stdin). Returns 0 to go on,
 * else 1 with *status the exit status: after the help, or after a usage
 * error (unknown option, missing value, unexpected argument) printed with
 * `help`. */
int cli_parse(struct cli *c, int argc, char **argv, const struct cli_option *opts,
	      const char **args, int max, int *nargs, const char *help, int *status);
/* The global options at argv[*i] (--db PATH, --json when `json`, -q, -v):
 * 1 when it was one (*i past its value), -1 on a missing value, else 0. */
int cli_common(struct cli *c, int argc, char **argv, int *i, int json);
/* Parse a positive whole number (an id). 0, or -1 when `s` is none. */
int cli_id(const char *s, int64_t *out);

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
/* A report_note_fn (reports/report.h) writing a line of output on stdout:
 * JSON text with --json, else with data escaped (ctx: the struct cli). */
void cli_line_stdout(void *ctx, const char *text);
/* A report_note_fn (reports/report.h) writing the line to stderr unless
 * -q (ctx: the struct cli). */
void cli_line_stderr(void *ctx, const char *text);
/* A calc_params.progress on a terminal: "calc: 41% of 10000000 rows". */
void cli_calc_progress(void *ctx, int64_t done, int64_t total);
/* Calculate and say so: the run of `year` from report_year_run() (the newest
 * stored, or one calculated in memory, which is noted); prints the errors
 * and returns -1 with *status set on failure. */
struct ledger;
int cli_year_run(struct cli *c, struct ledger *l, int year, int64_t *run, int *status);

/* Calculate `year` with the default parameters in memory (nothing is
 * stored on a scratch ledger) and say so; prints the rows that cannot be
 * calculated and returns -1 with *status set on failure. */
int cli_calc_memory(struct cli *c, struct ledger *l, int year, int64_t *run, int *status);

/* "FROM-TO" (1900..2100, at most 61 years); -1 when malformed. */
int cli_years(const char *s, int *from, int *to);
struct report_trend;
struct report_trend_params;
/* Build the trend; the years that cannot be calculated are printed. */
int cli_trend(struct cli *c, struct ledger *l, const struct report_trend_params *p,
	      struct report_trend **out, struct err *e);

/* Print a JSON value (Jansson) on stdout, indented, sorted keys, newline.
 * Declared with void * to keep jansson.h out of this header. */
void cli_print_json(const void *json_t_value);

#endif
