/*
 * Unit tests for the output files module (base/outfile.c): which paths are
 * refused, atomic single files and folders, clean-up on failure, the file
 * size limit; and for the escaping of unsafe text (base/text.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/text.h"

static char dir[64];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/co2-outfile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return chdir(dir);
}

static int
teardown(void **state)
{
	char cmd[128];

	if (chdir("/") != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
get(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t k;

	if (!f)
		return NULL;
	k = fread(buf, 1, n - 1, f);
	buf[k] = '\0';
	fclose(f);
	return buf;
}

/* Entries of the current folder other than . and .., as one count. */
static int
entries(const char *d)
{
	char cmd[256], line[64];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
	p = popen(cmd, "r");
	if (p && fgets(line, sizeof line, p))
		n = atoi(line);
	if (p)
		pclose(p);
	return n;
}

static void
test_ledger_name(void **state)
{
	struct err e;

	assert_int_equal(outfile_ledger_name("ledger.db", &e), 0);
	assert_int_equal(outfile_ledger_name("./:memory:", &e), 0);
	assert_int_equal(outfile_ledger_name("", &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_non_null(strstr(e.text, "--db is empty"));
	assert_int_equal(outfile_ledger_name(":memory:", &e), -1);
	assert_non_null(strstr(e.text, "in memory"));
	assert_int_equal(outfile_ledger_name("file:x.db?mode=memory", &e), -1);
	assert_non_null(strstr(e.text, "SQLite URI"));
}

static void
test_check(void **state)
{
	const char *others[] = {"in.csv", NULL, "-", "other.json"};
	struct err e;

	put("l.db", "ledger");
	put("in.csv", "input");
	assert_int_equal(symlink("l.db", "link.db"), 0);
	assert_int_equal(link("in.csv", "hard.csv"), 0);
	assert_int_equal(mkdir("sub", 0777), 0);

	assert_int_equal(outfile_check("out.json", "l.db", others, 4, &e), 0);
	assert_int_equal(outfile_check("-", "l.db", others, 4, &e), 0);
	/* the ledger itself, by name, through a symlink, through ./ and .. */
	assert_int_equal(outfile_check("l.db", "l.db", NULL, 0, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_string_equal(e.file, "l.db");
	assert_non_null(strstr(e.text, "this is the ledger 'l.db'"));
	assert_int_equal(outfile_check("link.db", "l.db", NULL, 0, &e), -1);
	assert_int_equal(outfile_check("sub/../l.db", "l.db", NULL, 0, &e), -1);
	assert_int_equal(outfile_check("l.db", "link.db", NULL, 0, &e), -1);
	/* its companions, which do not exist yet: by folder and name */
	assert_int_equal(outfile_check("l.db-wal", "l.db", NULL, 0, &e), -1);
	assert_non_null(strstr(e.text, "write-ahead log"));
	assert_int_equal(outfile_check("./l.db-shm", "l.db", NULL, 0, &e), -1);
	assert_int_equal(outfile_check("sub/../l.db-journal", "l.db", NULL, 0, &e), -1);
	/* named after the symlink's target, as SQLite names them */
	assert_int_equal(outfile_check("l.db-wal", "link.db", NULL, 0, &e), -1);
	assert_int_equal(outfile_check("l.db-walx", "l.db", NULL, 0, &e), 0);
	/* inputs and other outputs: same inode (a hard link) or same name */
	assert_int_equal(outfile_check("hard.csv", "l.db", others, 4, &e), -1);
	assert_non_null(strstr(e.text, "'in.csv'"));
	assert_int_equal(outfile_check("./other.json", "l.db", others, 4, &e), -1);
	assert_int_equal(outfile_check("", "l.db", NULL, 0, &e), -1);
	/* a file inside a folder the command replaces */
	others[3] = "sub";
	assert_int_equal(outfile_check("sub/r.json", "l.db", others, 4, &e), -1);
	assert_non_null(strstr(e.text, "inside the folder 'sub'"));
}

static void
test_file(void **state)
{
	struct outfile o;
	struct err e;
	struct stat a, b;
	char buf[64];

	/* a new file appears only at commit, complete */
	assert_int_equal(outfile_open(&o, "r.json", &e), 0);
	assert_non_null(o.fp);
	fputs("new", o.fp);
	assert_int_equal(access("r.json", F_OK), -1);
	assert_int_equal(outfile_commit(&o, &e), 0);
	assert_string_equal(get("r.json", buf, sizeof buf), "new");
	assert_int_equal(entries("."), 1);
	/* a replacement is a new file renamed over the old one */
	assert_int_equal(stat("r.json", &a), 0);
	assert_int_equal(outfile_open(&o, "r.json", &e), 0);
	fputs("newer", o.fp);
	assert_string_equal(get("r.json", buf, sizeof buf), "new");
	assert_int_equal(outfile_commit(&o, &e), 0);
	assert_int_equal(stat("r.json", &b), 0);
	assert_true(a.st_ino != b.st_ino);
	assert_string_equal(get("r.json", buf, sizeof buf), "newer");
	/* abort leaves the old file and nothing else */
	assert_int_equal(outfile_open(&o, "r.json", &e), 0);
	fputs("half", o.fp);
	outfile_abort(&o);
	outfile_abort(&o); /* twice is harmless */
	assert_string_equal(get("r.json", buf, sizeof buf), "newer");
	assert_int_equal(entries("."), 1);
	/* failures name the reason */
	assert_int_equal(outfile_open(&o, "no/such/dir/r.json", &e), -1);
	assert_string_equal(e.file, "no/such/dir/r.json");
	assert_non_null(strstr(e.text, "No such file or directory"));
	assert_int_equal(mkdir("d", 0777), 0);
	assert_int_equal(outfile_open(&o, "d", &e), -1);
	assert_non_null(strstr(e.text, "is a folder"));
}

static void
test_file_too_large(void **state)
{
	struct rlimit old, lim;
	struct outfile o;
	struct err e;
	char buf[64], big[8192];

	put("r.json", "old");
	memset(big, 'x', sizeof big);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 4096;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(outfile_open(&o, "r.json", &e), 0);
	fwrite(big, 1, sizeof big, o.fp);
	assert_int_equal(outfile_commit(&o, &e), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_string_equal(e.file, "r.json");
	assert_non_null(strstr(e.text, "file too large"));
	assert_string_equal(get("r.json", buf, sizeof buf), "old");
	assert_int_equal(entries("."), 1);
	assert_non_null(strstr(outfile_reason(ENOSPC), "disk full"));
	assert_string_equal(outfile_reason(0), "a write failed");
}

static void
write_in(const struct outfile *o, const char *name, const char *text)
{
	char *p = outfile_dir_file(o, name);
	FILE *f;
	struct err e;

	assert_non_null(p);
	f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(outfile_fclose(f, p, &e), 0);
	free(p);
}

static void
test_dir(void **state)
{
	static const char *const names[] = {"a.csv", "b.csv"};
	struct outfile o;
	struct err e;
	char buf[64];

	/* a new folder appears whole at commit */
	assert_int_equal(outfile_open_dir(&o, "out", names, 2, &e), 0);
	write_in(&o, "a.csv", "a1");
	write_in(&o, "b.csv", "b1");
	assert_int_equal(access("out", F_OK), -1);
	assert_int_equal(outfile_commit_dir(&o, &e), 0);
	assert_string_equal(get("out/a.csv", buf, sizeof buf), "a1");
	assert_int_equal(entries("."), 1);
	/* replaced as a whole: no old file survives in the new folder */
	assert_int_equal(outfile_open_dir(&o, "out/", names, 2, &e), 0);
	write_in(&o, "a.csv", "a2");
	assert_string_equal(get("out/a.csv", buf, sizeof buf), "a1");
	assert_int_equal(outfile_commit_dir(&o, &e), 0);
	assert_string_equal(get("out/a.csv", buf, sizeof buf), "a2");
	assert_int_equal(access("out/b.csv", F_OK), -1);
	assert_int_equal(entries("."), 1);
	/* abort: the old folder as it was, the temporary one gone */
	assert_int_equal(outfile_open_dir(&o, "out", names, 2, &e), 0);
	write_in(&o, "a.csv", "a3");
	write_in(&o, "b.csv", "b3");
	outfile_abort(&o);
	assert_string_equal(get("out/a.csv", buf, sizeof buf), "a2");
	assert_int_equal(entries("."), 1);
	/* a folder with other files, or a file, is refused */
	put("out/notes.txt", "mine");
	assert_int_equal(outfile_open_dir(&o, "out", names, 2, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_non_null(strstr(e.text, "'notes.txt'"));
	assert_int_equal(outfile_open_dir(&o, "out/notes.txt", names, 2, &e), -1);
	assert_non_null(strstr(e.text, "not a folder"));
	assert_int_equal(entries("."), 1);
}

static void
test_escape(void **state)
{
	char buf[64];

	assert_int_equal(text_escape("plain Straße", TEXT_ESC_TERMINAL, buf, sizeof buf), 13);
	assert_string_equal(buf, "plain Straße");
	text_escape("a\x1b[2Jb\x7f", TEXT_ESC_TERMINAL, buf, sizeof buf);
	assert_string_equal(buf, "a\\x1b[2Jb\\x7f");
	text_escape("x\xe2\x80\xaey\xc2\x9bz\xe2\x81\xa6", TEXT_ESC_TERMINAL, buf, sizeof buf);
	assert_string_equal(buf, "x\\u202ey\\u009bz\\u2066");
	text_escape("bad\xff\xc3", TEXT_ESC_TERMINAL, buf, sizeof buf);
	assert_string_equal(buf, "bad\\xff\\xc3");
	/* JSON: Jansson's escapes stay, C1/DEL/bidi become \u escapes */
	text_escape("\"\\u001b\xe2\x80\xae\x7f\"", TEXT_ESC_JSON, buf, sizeof buf);
	assert_string_equal(buf, "\"\\u001b\\u202e\\u007f\"");
	/* cut to fit: whole characters only, the needed length returned */
	assert_int_equal(text_escape("ab\x1b", TEXT_ESC_TERMINAL, buf, 4), 6);
	assert_string_equal(buf, "ab");
	assert_int_equal(text_unsafe_at("\xe2\x80\xae", 3), 3);
	assert_int_equal(text_unsafe_at("\xc3\xa9", 2), 0);
	assert_int_equal(text_unsafe_at("A", 1), 0);
	assert_int_equal(text_unsafe_at("\t", 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_name),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir, setup, teardown),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
