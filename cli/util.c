/*
 * util: option parsing and error printing shared by the commands (cli.h).
 */
#include "cli/cli.h"

#include "base/outfile.h"
#include "engine/calc.h"
#include "base/text.h"
#include "reports/report.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *
cli_esc(const char *s)
{
	static char *ring[16];
	static unsigned next;
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = text_escape(s, TEXT_ESC_TERMINAL, NULL, 0) + 1;
	if (n == strlen(s) + 1) /* an escape is always longer */
		return s;
	if (!(p = malloc(n)))
		return "(out of memory)";
	text_escape(s, TEXT_ESC_TERMINAL, p, n);
	free(ring[next]);
	ring[next] = p;
	next = (next + 1) % 16;
	return p;
}

void
cli_write_json_text(const char *text)
{
	size_t n = text_escape(text, TEXT_ESC_JSON, NULL, 0) + 1;
	char *p = malloc(n);

	if (!p) {
		cli_write_stdout(text, strlen(text));
		return;
	}
	text_escape(text, TEXT_ESC_JSON, p, n);
	cli_write_stdout(p, n - 1);
	free(p);
}

/* vprintf into a new string with data escaped, on stderr with a newline. */
static void
eprint_escaped(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || !(p = malloc((size_t)n + 1))) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	fprintf(stderr, "%s\n", cli_esc(p));
	free(p);
}

int
cli_fail(const struct err *e)
{
	char buf[ERR_FILE_MAX + ERR_TEXT_MAX + 64];

	fprintf(stderr, "%s\n", cli_esc(err_format(e, buf, sizeof buf)));
	return e->kind == ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
}

static void
print_list(const struct errlist *l, const char *what)
{
	char buf[ERR_FILE_MAX + ERR_TEXT_MAX + 64];
	size_t i;

	for (i = 0; i < l->n; i++)
		fprintf(stderr, "%s\n", cli_esc(err_format_as(&l->items[i], what, buf,
							      sizeof buf)));
	if (l->total > l->n)
		fprintf(stderr, "... and %zu more %s%s (%zu in all)\n", l->total - l->n,
			what, l->total - l->n == 1 ? "" : "s", l->total);
}

void
cli_print_errlist(const struct errlist *l)
{
	print_list(l, "error");
}

void
cli_print_warnings(const struct cli *c, const struct errlist *l)
{
	if (c->verbosity >= 0)
		print_list(l, "warning");
}

int
cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("co2ledger: ", stderr);
	va_start(ap, fmt);
	eprint_escaped(fmt, ap);
	va_end(ap);
	if (usage)
		fprintf(stderr, "%s", usage);
	return EXIT_USAGE;
}

void
cli_note(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	eprint_escaped(fmt, ap);
	va_end(ap);
}

void
cli_line_stdout(void *ctx, const char *text)
{
	if (((const struct cli *)ctx)->json)
		cli_write_json_text(text);
	else
		fputs(cli_esc(text), stdout);
	putchar('\n');
}

void
cli_line_stderr(void *ctx, const char *text)
{
	const struct cli *c = ctx;

	if (!c || c->verbosity >= 0)
		fprintf(stderr, "%s\n", text);
}

void
cli_calc_progress(void *ctx, int64_t done, int64_t total)
{
	(void)ctx;
	if (total > 0)
		fprintf(stderr, "\rcalc: %3d%% of %lld rows",
			(int)(done >= total ? 100 : done * 100 / total), (long long)total);
}

int
cli_year_run(struct cli *c, struct ledger *l, int year, int64_t *run, int *status)
{
	struct errlist *errs = errlist_new();
	struct err e;
	int calculated = 0;

	err_clear(&e);
	if (!errs || report_year_run(l, year, run, &calculated, errs, &e)) {
		if (errs)
			cli_print_errlist(errs);
		else
			err_setf(&e, ERR_IO, "out of memory");
		errlist_free(errs);
		*status = cli_fail(&e);
		return -1;
	}
	errlist_free(errs);
	if (calculated)
		cli_note(c, "calculated run %lld for %d in memory (not stored: "
			 "'co2ledger calc' stores runs)", (long long)*run, year);
	return 0;
}

int
cli_calc_memory(struct cli *c, struct ledger *l, int year, int64_t *run, int *status)
{
	struct calc_params p = {.year = year, .threads = c->calc_threads};
	struct calc_summary sum;
	struct errlist *errs = errlist_new();
	struct err e;
	int rc;

	err_clear(&e);
	if (c->verbosity >= 0 && isatty(2))
		p.progress = cli_calc_progress;
	rc = errs ? calc_run(l, &p, &sum, errs, &e) : err_setf(&e, ERR_IO, "out of memory");
	if (p.progress)
		fputs("\r\033[K", stderr); /* clear the progress line */
	if (errs)
		cli_print_errlist(errs);
	errlist_free(errs);
	if (rc) {
		*status = cli_fail(&e);
		return -1;
	}
	*run = sum.run_id;
	cli_note(c, "calculated run %lld for %d in memory (not stored: 'co2ledger calc' "
		 "stores runs)", (long long)*run, year);
	return 0;
}

int
cli_open(struct cli *c, struct ledger **out, int flags, int *status)
{
	struct err e;

	err_clear(&e);
	*out = NULL;
	if (outfile_ledger_name(c->db_path, &e) ||
	    ledger_open(out, c->db_path, flags, &e)) {
		*status = cli_fail(&e);
		return -1;
	}
	return 0;
}

int
cli_check_output(const struct cli *c, const char *out, const char *const *others,
		 size_t n, int *status)
{
	struct err e;

	err_clear(&e);
	if (outfile_ledger_name(c->db_path, &e) ||
	    outfile_check(out, c->db_path, others, n, &e)) {
		*status = cli_fail(&e);
		return -1;
	}
	return 0;
}

/* At argv[*i]: `name VALUE` or `name=VALUE` returns 1 with *val set (*i
 * past the value); `name` without a value -1, unless `optional` ("-");
 * another argument 0. */
static int
opt_value(int argc, char **argv, int *i, const char *name, int optional,
	  const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a[n + 1] ? a + n + 1 : optional ? "-" : a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (optional && (*i + 1 >= argc ||
			 (argv[*i + 1][0] == '-' && argv[*i + 1][1]))) {
		*val = "-";
		return 1;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

int
cli_common(struct cli *c, int argc, char **argv, int *i, int json)
{
	const char *a = argv[*i], *v;
	int r;

	if ((r = opt_value(argc, argv, i, "--db", 0, &v)) != 0) {
		if (r > 0)
			c->db_path = v;
		return r;
	}
	if (json && strcmp(a, "--json") == 0)
		c->json = 1;
	else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
		c->verbosity = -1;
	else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
		c->verbosity = 1;
	else
		return 0;
	return 1;
}

int
cli_parse(struct cli *c, int argc, char **argv, const struct cli_option *opts,
	  const char **args, int max, int *nargs, const char *help, int *status)
{
	const struct cli_option *o;
	int i, r, own_json = 0, n = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(help, stdout);
			*status = EXIT_OK;
			return 1;
		}
	for (o = opts; o && o->name; o++)
		own_json |= strcmp(o->name, "--json") == 0;
	*status = EXIT_USAGE;
	for (i = 1; i < argc; i++) {
		const char *name = argv[i];
		if ((r = cli_common(c, argc, argv, &i, !own_json)) < 0)
			goto no_value;
		for (o = opts; r == 0 && o && o->name; o++) {
			if (!o->value) {
				if ((r = strcmp(argv[i], o->name) == 0))
					*o->flag = 1;
			} else if ((r = opt_value(argc, argv, &i, o->name, o->optional,
						  o->value)) < 0) {
				goto no_value;
			}
		}
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_usage_error(help, "unknown option '%s'", argv[i]);
			return 1;
		}
		if (n == max) {
			cli_usage_error(help, "unexpected argument '%s'", argv[i]);
			return 1;
		}
		args[n++] = argv[i];
		continue;
no_value:
		cli_usage_error(help, "option '%s' needs a value", name);
		return 1;
	}
	if (nargs)
		*nargs = n;
	return 0;
}

int
cli_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0 || errno)
		return -1;
	*out = v;
	return 0;
}

int cli_stdout_errno;

void
cli_write_stdout(const char *s, size_t n)
{
	errno = 0;
	if (fwrite(s, 1, n, stdout) != n && !cli_stdout_errno)
		cli_stdout_errno = errno;
}

void
cli_print_json(const void *v)
{
	char *text = json_dumps((const json_t *)v, JSON_INDENT(2) | JSON_SORT_KEYS |
						   JSON_REAL_PRECISION(15));

	if (!text) {
		fputs("co2ledger: error: out of memory\n", stderr);
		return;
	}
	cli_write_json_text(text);
	free(text);
	fputc('\n', stdout);
}
