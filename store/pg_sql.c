/*
 * pg_sql: placeholders, query detection and the SQLite -> PostgreSQL DDL
 * translation of the PostgreSQL backend (see pg_sql.h). The schema has one
 * description, store/schema.sql, written for SQLite; PostgreSQL gets it
 * translated at run time, so a table added there needs nothing here.
 *
 * Everything works on tokens: words (keywords, names, numbers), quoted
 * strings and names, operators and punctuation. Comments are dropped; a
 * token remembers whether space came before it, so the output keeps
 * "1.5" and "a.b" whole.
 */
#include "store/pg_sql.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strbuf.h"

/* ---- placeholders and query detection ---- */

/* Length of the quoted text or comment starting at s (s[0] is ', " or
 * the first '-' or '/' of a comment); 0 when s starts none. */
static size_t
skip_quoted(const char *s)
{
	size_t i;

	if (s[0] == '\'' || s[0] == '"') {
		for (i = 1; s[i]; i++)
			if (s[i] == s[0]) {
				if (s[i + 1] == s[0]) {
					i++;
					continue;
				}
				return i + 1;
			}
		return i;
	}
	if (s[0] == '-' && s[1] == '-') {
		for (i = 2; s[i] && s[i] != '\n'; i++)
			;
		return i;
	}
	if (s[0] == '/' && s[1] == '*') {
		for (i = 2; s[i]; i++)
			if (s[i] == '*' && s[i + 1] == '/')
				return i + 2;
		return i;
	}
	return 0;
}

int
pg_sql_placeholders(const char *sql, struct strbuf *out, int *nparams, char *msg, size_t n)
{
	const char *s = sql;
	long most = 0;
	size_t k;

	*nparams = 0;
	while (*s) {
		if ((k = skip_quoted(s)) > 0) {
			strbuf_add(out, s, k);
			s += k;
		} else if (*s == '?') {
			long num;

			s++;
			if (isdigit((unsigned char)*s)) {
				num = 0;
				while (isdigit((unsigned char)*s) && num <= 65535)
					num = num * 10 + (*s++ - '0');
				if (num < 1 || num > 65535 || isdigit((unsigned char)*s)) {
					snprintf(msg, n, "placeholder ?%ld%s is out of range (1 to 65535)",
						 num, isdigit((unsigned char)*s) ? "..." : "");
					return -1;
				}
			} else {
				num = most + 1;
				if (num > 65535) {
					snprintf(msg, n, "more than 65535 placeholders");
					return -1;
				}
			}
			if (num > most)
				most = num;
			strbuf_addf(out, "$%ld", num);
		} else {
			strbuf_addch(out, *s++);
		}
	}
	if (strbuf_failed(out)) {
		snprintf(msg, n, "the statement is too long");
		return -1;
	}
	*nparams = (int)most;
	return 0;
}

/* The next word at parenthesis depth 0 from *s, or NULL at the end; the
 * word's length goes to *len. Quotes and comments are skipped. */
static const char *
next_top_word(const char **s, size_t *len)
{
	const char *p = *s;
	int depth = 0;
	size_t k;

	while (*p) {
		if ((k = skip_quoted(p)) > 0) {
			p += k;
		} else if (*p == '(') {
			if (depth == 0) {
				*s = p + 1;
				*len = 1;
				depth = -1;
				return p; /* '(' itself, reported once at the top */
			}
			depth++;
			p++;
		} else if (*p == ')') {
			if (depth > 0)
				depth--;
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;

			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			if (depth == 0) {
				*s = p;
				*len = (size_t)(p - w);
				return w;
			}
		} else {
			p++;
		}
	}
	*s = p;
	return NULL;
}

static int
word_is(const char *w, size_t len, const char *kw)
{
	return w && strlen(kw) == len && strncasecmp(w, kw, len) == 0;
}

int
pg_sql_is_query(const char *sql)
{
	const char *s = sql, *w;
	size_t len;

	w = next_top_word(&s, &len);
	if (!w)
		return 0;
	if (*w == '(' || word_is(w, len, "SELECT") || word_is(w, len, "VALUES") ||
	    word_is(w, len, "TABLE"))
		return 1;
	if (!word_is(w, len, "WITH"))
		return 0;
	/* WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...), ...
	 * then the main statement: its first word outside parentheses that
	 * is a statement's verb decides. */
	for (;;) {
		int depth = 0;

		w = next_top_word(&s, &len);
		if (!w)
			return 0;
		if (*w == '(') {
			/* skip the group: next_top_word stopped right after '(' */
			depth = 1;
			while (*s && depth > 0) {
				size_t k = skip_quoted(s);

				if (k) {
					s += k;
					continue;
				}
				if (*s == '(')
					depth++;
				else if (*s == ')')
					depth--;
				s++;
			}
			continue;
		}
		if (word_is(w, len, "SELECT") || word_is(w, len, "VALUES") || word_is(w, len, "TABLE"))
			return 1;
		if (word_is(w, len, "INSERT") || word_is(w, len, "UPDATE") ||
		    word_is(w, len, "DELETE") || word_is(w, len, "MERGE"))
			return 0;
	}
}

/* ---- DDL tokens ---- */

enum { TK_WORD = 1, TK_STRING, TK_QIDENT, TK_OP, TK_PUNCT };

struct tok {
	int kind;
	const char *p;
	size_t len;
	int space; /* space or a comment came before it */
};

struct toks {
	struct tok *t;
	size_t n, cap;
};

static int
is_wordch(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static int
is_opch(int c)
{
	return c && strchr("<>=!|&+*/%~^-", c) != NULL;
}

/* Split `ddl` into tokens; -1 with msg on an unterminated quote or a
 * quoting style PostgreSQL does not share. */
static int
tokenize(const char *ddl, struct toks *tk, char *msg, size_t n)
{
	const char *s = ddl;
	int space = 0;

	while (*s) {
		struct tok t;
		size_t k;

		if (isspace((unsigned char)*s)) {
			s++;
			space = 1;
			continue;
		}
		if ((s[0] == '-' && s[1] == '-') || (s[0] == '/' && s[1] == '*')) {
			k = skip_quoted(s);
			if (s[0] == '/' && (k < 4 || s[k - 1] != '/' || s[k - 2] != '*')) {
				snprintf(msg, n, "unterminated comment");
				return -1;
			}
			s += k;
			space = 1;
			continue;
		}
		t.p = s;
		t.space = space;
		space = 0;
		if (*s == '\'' || *s == '"') {
			k = skip_quoted(s);
			if (k < 2 || s[k - 1] != s[0]) {
				snprintf(msg, n, "unterminated %s", *s == '\'' ? "string" : "quoted name");
				return -1;
			}
			t.kind = *s == '\'' ? TK_STRING : TK_QIDENT;
			t.len = k;
		} else if (*s == '`' || *s == '[') {
			snprintf(msg, n, "names quoted with %c are SQLite only: use double quotes", *s);
			return -1;
		} else if (isdigit((unsigned char)*s)) {
			k = 0;
			while (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '.' ||
			       ((s[k] == '+' || s[k] == '-') && k > 0 &&
				(s[k - 1] == 'e' || s[k - 1] == 'E')))
				k++;
			t.kind = TK_WORD;
			t.len = k;
		} else if (is_wordch((unsigned char)*s)) {
			k = 0;
			while (is_wordch((unsigned char)s[k]))
				k++;
			t.kind = TK_WORD;
			t.len = k;
		} else if (is_opch((unsigned char)*s)) {
			k = 0;
			while (is_opch((unsigned char)s[k]) &&
			       !(s[k] == '-' && s[k + 1] == '-') && !(s[k] == '/' && s[k + 1] == '*'))
				k++;
			if (k == 0)
				k = 1;
			t.kind = TK_OP;
			t.len = k;
		} else {
			t.kind = TK_PUNCT;
			t.len = 1;
		}
		s += t.len;
		if (tk->n == tk->cap) {
			size_t cap = tk->cap ? tk->cap * 2 : 256;
			struct tok *nt = realloc(tk->t, cap * sizeof *nt);

			if (!nt) {
				snprintf(msg, n, "out of memory");
				return -1;
			}
			tk->t = nt;
			tk->cap = cap;
		}
		tk->t[tk->n++] = t;
	}
	return 0;
}

static int
kw(const struct tok *t, const char *w)
{
	return t->kind == TK_WORD && word_is(t->p, t->len, w);
}

static int
punct(const struct tok *t, char c)
{
	return (t->kind == TK_PUNCT || t->kind == TK_OP) && t->len == 1 && t->p[0] == c;
}

/* Append text, with a space before it when the source had one or two
 * words would run together. */
static void
emit(struct strbuf *sb, const char *p, size_t len, int space)
{
	if (sb->len > 0 && len > 0) {
		unsigned char last = (unsigned char)sb->buf[sb->len - 1];

		if ((space && last != '(') || (is_wordch(last) && is_wordch((unsigned char)p[0])))
			strbuf_addch(sb, ' ');
	}
	strbuf_add(sb, p, len);
}

static void
emit_tok(struct strbuf *sb, const struct tok *t)
{
	if (t->kind == TK_OP && t->len == 2 && memcmp(t->p, "==", 2) == 0)
		emit(sb, "=", 1, t->space);
	else
		emit(sb, t->p, t->len, t->space);
}

static void
emit_range(struct strbuf *sb, const struct tok *t, size_t a, size_t b)
{
	for (; a < b; a++)
		emit_tok(sb, &t[a]);
}

/* The first 60 characters of the statement starting at token a, for
 * messages. */
static void
stmt_excerpt(const struct tok *t, size_t a, size_t b, char *out, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	emit_range(&sb, t, a, b);
	snprintf(out, n, "%.60s%s", strbuf_str(&sb), sb.len > 60 ? "..." : "");
	strbuf_release(&sb);
}

static int
fail(char *msg, size_t n, const struct tok *t, size_t a, size_t b, const char *what)
{
	char ex[80];

	stmt_excerpt(t, a, b, ex, sizeof ex);
	snprintf(msg, n, "cannot translate '%s' for PostgreSQL: %s", ex, what);
	return -1;
}

static int
is_constraint_kw(const struct tok *t)
{
	static const char *const kws[] = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE",
					  "CHECK", "DEFAULT", "REFERENCES", "COLLATE",
					  "GENERATED", "AS", "AUTOINCREMENT"};
	size_t i;

	for (i = 0; i < sizeof kws / sizeof kws[0]; i++)
		if (kw(t, kws[i]))
			return 1;
	return 0;
}

/* The PostgreSQL type for a SQLite declared type, by SQLite's affinity
 * rules; NULL when it has no sure equivalent. */
static const char *
pg_type(const char *p, size_t len)
{
	char up[64];
	size_t i;

	if (len >= sizeof up)
		return NULL;
	for (i = 0; i < len; i++)
		up[i] = (char)toupper((unsigned char)p[i]);
	up[len] = '\0';
	if (strstr(up, "INT"))
		return "BIGINT";
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return "TEXT";
	if (strcmp(up, "BLOB") == 0)
		return "BYTEA";
	if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		return "DOUBLE PRECISION";
	if (strcmp(up, "NUMERIC") == 0 || strcmp(up, "DECIMAL") == 0)
		return "NUMERIC";
	return NULL;
}

/* Index of the token after the parenthesised group opening at t[a]. */
static size_t
skip_group(const struct tok *t, size_t a, size_t b)
{
	int depth = 0;

	for (; a < b; a++) {
		if (punct(&t[a], '('))
			depth++;
		else if (punct(&t[a], ')') && --depth == 0)
			return a + 1;
	}
	return b;
}

/* One column definition or table constraint, tokens [a, b). */
static int
column(struct strbuf *sb, const struct tok *t, size_t a, size_t b, size_t s0, size_t s1,
       char *msg, size_t n)
{
	size_t i, ty;
	const char *type;
	int pk = 0, ref = 0, integer;

	if (a >= b)
		return fail(msg, n, t, s0, s1, "an empty column definition");
	if (kw(&t[a], "CONSTRAINT") || kw(&t[a], "PRIMARY") || kw(&t[a], "UNIQUE") ||
	    kw(&t[a], "CHECK") || kw(&t[a], "FOREIGN")) {
		for (i = a; i < b; i++)
			if (kw(&t[i], "ON") && i + 1 < b && kw(&t[i + 1], "CONFLICT"))
				return fail(msg, n, t, s0, s1, "ON CONFLICT clauses are SQLite only");
		emit_range(sb, t, a, b);
		return 0;
	}
	emit_tok(sb, &t[a]);
	ty = a + 1;
	if (ty >= b || t[ty].kind != TK_WORD || is_constraint_kw(&t[ty]))
		return fail(msg, n, t, s0, s1, "a column without a type (give it one)");
	type = pg_type(t[ty].p, t[ty].len);
	if (!type)
		return fail(msg, n, t, s0, s1, "a column type with no PostgreSQL equivalent "
			    "(use INTEGER, REAL, TEXT, BLOB or NUMERIC)");
	integer = strcmp(type, "BIGINT") == 0;
	i = ty + 1;
	/* further words of the type ("DOUBLE PRECISION", "UNSIGNED BIG INT") and its
	 * arguments: the PostgreSQL type replaces them all */
	while (i < b && t[i].kind == TK_WORD && !is_constraint_kw(&t[i]))
		i++;
	if (i < b && punct(&t[i], '('))
		i = skip_group(t, i, b);
	for (size_t j = i; j < b; j++) {
		if (kw(&t[j], "PRIMARY"))
			pk = 1;
		if (kw(&t[j], "REFERENCES"))
			ref = 1;
		if (kw(&t[j], "ON") && j + 1 < b && kw(&t[j + 1], "CONFLICT"))
			return fail(msg, n, t, s0, s1, "ON CONFLICT clauses are SQLite only");
		if (kw(&t[j], "COLLATE") && j + 1 < b && !kw(&t[j + 1], "BINARY"))
			return fail(msg, n, t, s0, s1, "collations other than BINARY are SQLite "
				    "only (the PostgreSQL ledger compares bytewise, as BINARY)");
	}
	/* an INTEGER PRIMARY KEY is SQLite's rowid: numbered by the database
	 * when not given; one that refers to another table's id is only a key */
	if (integer && pk && !ref)
		emit(sb, "BIGINT GENERATED BY DEFAULT AS IDENTITY", 39, 1);
	else
		emit(sb, type, strlen(type), 1);
	for (; i < b; i++) {
		if (kw(&t[i], "AUTOINCREMENT"))
			continue;
		if (kw(&t[i], "COLLATE")) { /* COLLATE BINARY: bytewise is the default here */
			i++;
			continue;
		}
		if ((kw(&t[i], "ASC") || kw(&t[i], "DESC")) && i > 0 && kw(&t[i - 1], "KEY"))
			continue;
		emit_tok(sb, &t[i]);
	}
	return 0;
}

static int
create_table(struct strbuf *sb, const struct tok *t, size_t a, size_t b, char *msg, size_t n)
{
	size_t i = a, item;
	int depth = 0;

	while (i < b && !punct(&t[i], '(')) {
		if (kw(&t[i], "AS"))
			break;
		i++;
	}
	if (i >= b || !punct(&t[i], '(')) { /* CREATE TABLE ... AS SELECT */
		emit_range(sb, t, a, b);
		return 0;
	}
	emit_range(sb, t, a, i + 1);
	item = ++i;
	depth = 1;
	for (; i < b; i++) {
		if (punct(&t[i], '(')) {
			depth++;
		} else if (punct(&t[i], ')') && --depth == 0) {
			if (column(sb, t, item, i, a, b, msg, n))
				return -1;
			emit(sb, ")", 1, 0);
			i++;
			break;
		} else if (depth == 1 && punct(&t[i], ',')) {
			if (column(sb, t, item, i, a, b, msg, n))
				return -1;
			emit(sb, ",", 1, 0);
			item = i + 1;
		}
	}
	if (depth != 0)
		return fail(msg, n, t, a, b, "unbalanced parentheses");
	for (; i < b; i++) {
		if (kw(&t[i], "WITHOUT") && i + 1 < b && kw(&t[i + 1], "ROWID")) {
			i++;
			continue;
		}
		if (kw(&t[i], "STRICT") || punct(&t[i], ','))
			continue;
		return fail(msg, n, t, a, b, "an unknown table option");
	}
	return 0;
}

static int
add_stmt(struct pg_ddl *d, struct strbuf *sb, char *msg, size_t n)
{
	char **ns;
	char *s;

	if (sb->len == 0)
		return 0;
	if (strbuf_failed(sb)) {
		snprintf(msg, n, "a statement is too long");
		return -1;
	}
	ns = realloc(d->stmt, (d->n + 1) * sizeof *ns);
	if (!ns) {
		snprintf(msg, n, "out of memory");
		return -1;
	}
	d->stmt = ns;
	s = strbuf_detach(sb, NULL);
	if (!s) {
		snprintf(msg, n, "out of memory");
		return -1;
	}
	d->stmt[d->n++] = s;
	return 0;
}

static int
contains(const char *p, size_t len, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (memcmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

static int
name_tok(const struct tok *t)
{
	return t->kind == TK_WORD && !isdigit((unsigned char)t->p[0]);
}

/* CREATE TRIGGER name [BEFORE|AFTER] event ON table [FOR EACH ROW]
 * [WHEN expr] BEGIN SELECT RAISE(ABORT, 'message'); END, tokens [a, b)
 * where t[b] is the END. */
static int
create_trigger(struct pg_ddl *d, const struct tok *t, size_t a, size_t b, char *msg, size_t n)
{
	struct strbuf fn = STRBUF_INIT, tr = STRBUF_INIT;
	size_t i = a + 1, name, ev, evend, on, when = 0, whenend = 0, body, m;
	const char *timing = "BEFORE";
	int replace = 0;

	if (i < b && (kw(&t[i], "TEMP") || kw(&t[i], "TEMPORARY")))
		return fail(msg, n, t, a, b + 1, "temporary triggers are not part of a schema");
	i++; /* TRIGGER */
	if (i + 2 < b && kw(&t[i], "IF") && kw(&t[i + 1], "NOT") && kw(&t[i + 2], "EXISTS")) {
		replace = 1;
		i += 3;
	}
	if (i >= b || !name_tok(&t[i]))
		return fail(msg, n, t, a, b + 1, "a trigger needs a plain name");
	name = i++;
	if (i < b && (kw(&t[i], "BEFORE") || kw(&t[i], "AFTER")))
		timing = kw(&t[i++], "BEFORE") ? "BEFORE" : "AFTER";
	else if (i < b && kw(&t[i], "INSTEAD"))
		return fail(msg, n, t, a, b + 1, "INSTEAD OF triggers are not translated");
	ev = i;
	if (i >= b || !(kw(&t[i], "DELETE") || kw(&t[i], "INSERT") || kw(&t[i], "UPDATE")))
		return fail(msg, n, t, a, b + 1, "a trigger event must be DELETE, INSERT or UPDATE");
	while (i < b && !kw(&t[i], "ON"))
		i++;
	evend = i;
	if (i + 1 >= b || !name_tok(&t[i + 1]))
		return fail(msg, n, t, a, b + 1, "a trigger needs ON table");
	on = i + 1;
	i += 2;
	if (i + 2 < b && kw(&t[i], "FOR") && kw(&t[i + 1], "EACH") && kw(&t[i + 2], "ROW"))
		i += 3;
	if (i < b && kw(&t[i], "WHEN")) {
		when = ++i;
		while (i < b && !kw(&t[i], "BEGIN"))
			i++;
		whenend = i;
	}
	if (i >= b || !kw(&t[i], "BEGIN"))
		return fail(msg, n, t, a, b + 1, "a trigger body must start with BEGIN");
	body = i + 1;
	/* the one body with a sure translation: SELECT RAISE(ABORT, 'message'); */
	m = body + 5;
	if (!(b - body == 8 && kw(&t[body], "SELECT") && kw(&t[body + 1], "RAISE") &&
	      punct(&t[body + 2], '(') &&
	      (kw(&t[body + 3], "ABORT") || kw(&t[body + 3], "FAIL") ||
	       kw(&t[body + 3], "ROLLBACK")) &&
	      punct(&t[body + 4], ',') && t[m].kind == TK_STRING && punct(&t[m + 1], ')') &&
	      punct(&t[m + 2], ';')))
		return fail(msg, n, t, a, b + 1, "only a body SELECT RAISE(ABORT, 'message'); is "
			    "translated: write this trigger's PostgreSQL version in store/pg_roles.sql");
	if (contains(t[m].p, t[m].len, "$co2$"))
		return fail(msg, n, t, a, b + 1, "the message contains $co2$");
	strbuf_adds(&fn, "CREATE OR REPLACE FUNCTION ");
	strbuf_add(&fn, t[name].p, t[name].len);
	strbuf_adds(&fn, "_fn() RETURNS trigger LANGUAGE plpgsql AS $co2$BEGIN "
		    "RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = ");
	strbuf_add(&fn, t[m].p, t[m].len);
	strbuf_adds(&fn, "; END$co2$");
	strbuf_addf(&tr, "CREATE %sTRIGGER ", replace ? "OR REPLACE " : "");
	strbuf_add(&tr, t[name].p, t[name].len);
	strbuf_addf(&tr, " %s", timing);
	emit_range(&tr, t, ev, evend);
	emit(&tr, "ON", 2, 1);
	emit_tok(&tr, &t[on]);
	emit(&tr, "FOR EACH ROW", 12, 1);
	if (when) {
		emit(&tr, "WHEN (", 6, 1);
		emit_range(&tr, t, when, whenend);
		emit(&tr, ")", 1, 0);
	}
	emit(&tr, "EXECUTE FUNCTION", 16, 1);
	emit(&tr, t[name].p, t[name].len, 1);
	strbuf_adds(&tr, "_fn()");
	if (add_stmt(d, &fn, msg, n) || add_stmt(d, &tr, msg, n)) {
		strbuf_release(&fn);
		strbuf_release(&tr);
		return -1;
	}
	return 0;
}

/* One statement, tokens [a, b) without its ';'. */
static int
statement(struct pg_ddl *d, const struct tok *t, size_t a, size_t b, char *msg, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	if (kw(&t[a], "PRAGMA") || kw(&t[a], "BEGIN") || kw(&t[a], "COMMIT") ||
	    kw(&t[a], "END") || kw(&t[a], "ROLLBACK") || kw(&t[a], "SAVEPOINT") ||
	    kw(&t[a], "RELEASE") || kw(&t[a], "VACUUM") || kw(&t[a], "ANALYZE"))
		return 0;
	if (kw(&t[a], "CREATE") && a + 1 < b &&
	    (kw(&t[a + 1], "TABLE") ||
	     ((kw(&t[a + 1], "TEMP") || kw(&t[a + 1], "TEMPORARY")) && a + 2 < b &&
	      kw(&t[a + 2], "TABLE")))) {
		rc = create_table(&sb, t, a, b, msg, n);
	} else if (kw(&t[a], "ALTER") && a + 1 < b && kw(&t[a + 1], "TABLE")) {
		size_t i = a + 2;

		while (i < b && !kw(&t[i], "ADD") && !kw(&t[i], "RENAME") && !kw(&t[i], "DROP"))
			i++;
		if (i < b && kw(&t[i], "ADD")) {
			i++;
			if (i < b && kw(&t[i], "COLUMN"))
				i++;
			emit_range(&sb, t, a, i);
			rc = column(&sb, t, i, b, a, b, msg, n);
		} else {
			emit_range(&sb, t, a, b);
		}
	} else {
		emit_range(&sb, t, a, b);
	}
	if (rc == 0)
		rc = add_stmt(d, &sb, msg, n);
	strbuf_release(&sb);
	return rc;
}

int
pg_ddl_translate(const char *ddl, struct pg_ddl *out, char *msg, size_t n)
{
	struct toks tk = {NULL, 0, 0};
	size_t i, a;
	int rc = 0;

	out->stmt = NULL;
	out->n = 0;
	if (tokenize(ddl, &tk, msg, n)) {
		free(tk.t);
		return -1;
	}
	for (a = i = 0; i <= tk.n && rc == 0; i++) {
		const struct tok *t = tk.t;

		if (i < tk.n && !punct(&t[i], ';'))
			continue;
		if (i == a) { /* an empty statement */
			a = i + 1;
			continue;
		}
		if (kw(&t[a], "CREATE") && a + 1 < i &&
		    (kw(&t[a + 1], "TRIGGER") || ((kw(&t[a + 1], "TEMP") || kw(&t[a + 1], "TEMPORARY")) &&
						  a + 2 < i && kw(&t[a + 2], "TRIGGER")))) {
			/* the body's statements end in ';' too: up to END ; */
			size_t j = i;

			while (j < tk.n && !(kw(&t[j], "END") && (j + 1 == tk.n || punct(&t[j + 1], ';'))))
				j++;
			if (j >= tk.n) {
				rc = fail(msg, n, t, a, tk.n, "a trigger without END");
				break;
			}
			rc = create_trigger(out, t, a, j, msg, n);
			i = j + 1;
			a = i + 1;
			continue;
		}
		rc = statement(out, t, a, i, msg, n);
		a = i + 1;
	}
	free(tk.t);
	if (rc) {
		pg_ddl_release(out);
		return -1;
	}
	return 0;
}

void
pg_ddl_release(struct pg_ddl *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->stmt[i]);
	free(d->stmt);
	d->stmt = NULL;
	d->n = 0;
}
