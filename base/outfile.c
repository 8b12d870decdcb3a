/*
 * outfile: safe output paths and atomic writes (see outfile.h).
 */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE, where the C library has them */
#include "base/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

const char *
outfile_reason(int errnum)
{
	if (errnum == ENOSPC)
		return "disk full (free some space)";
	if (errnum == EFBIG)
		return "file too large for the file system or the file size limit (ulimit -f)";
	if (errnum == 0)
		return "a write failed";
	return strerror(errnum);
}

int
outfile_ledger_name(const char *db, struct err *e)
{
	if (!db || !*db)
		return err_setf(e, ERR_USAGE, "no ledger file named: --db is empty (is a "
				"shell variable unset?); give the ledger's file name with "
				"--db PATH or set CO2LEDGER_DB");
	if (strcmp(db, ":memory:") == 0)
		return err_setf(e, ERR_USAGE, "--db ':memory:' is a database in memory that is "
				"lost when the command ends; give the ledger's file name "
				"with --db PATH ('./:memory:' for a file of that name)");
	if (strncmp(db, "file:", 5) == 0)
		return err_setf(e, ERR_USAGE, "--db '%.200s' is an SQLite URI, not a file name; "
				"give the ledger's file name with --db PATH ('./%.200s' for "
				"a file of that name)", db, db);
	return 0;
}

/* ---- where a path points --------------------------------------------- */

/* A file by its identity (when it exists) and by its folder and name. */
struct place {
	int exists;
	dev_t dev;
	ino_t ino;
	int has_dir;
	dev_t ddev;
	ino_t dino;
	char base[NAME_MAX + 1];
};

/* Split `path` (trailing slashes ignored) into its folder and last name,
 * both allocated (caller frees both); -1 when out of memory. */
static int
split(const char *path, char **dir, char **base)
{
	size_t len = strlen(path);
	const char *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	*dir = *base = NULL;
	for (slash = path + len; slash > path && slash[-1] != '/'; slash--)
		;
	if (slash == path)
		*dir = strdup(".");
	else if (slash == path + 1)
		*dir = strdup("/");
	else
		*dir = strndup(path, (size_t)(slash - 1 - path));
	*base = strndup(slash, (size_t)(path + len - slash));
	if (*dir && *base)
		return 0;
	free(*dir);
	free(*base);
	*dir = *base = NULL;
	return -1;
}

static void
place_of(const char *path, const char *suffix, struct place *p)
{
	size_t n = strlen(path) + strlen(suffix) + 1;
	char *full = malloc(n), *rp = NULL, *dir = NULL, *base = NULL;
	struct stat st;

	memset(p, 0, sizeof *p);
	if (!full)
		return;
	snprintf(full, n, "%s%s", path, suffix);
	if (stat(full, &st) == 0) {
		p->exists = 1;
		p->dev = st.st_dev;
		p->ino = st.st_ino;
		rp = realpath(full, NULL);
	}
	if (split(rp ? rp : full, &dir, &base) == 0 && *base &&
	    strcmp(base, ".") && strcmp(base, "..") && strlen(base) <= NAME_MAX &&
	    stat(dir, &st) == 0) {
		p->has_dir = 1;
		p->ddev = st.st_dev;
		p->dino = st.st_ino;
		strcpy(p->base, base);
	}
	free(base);
	free(dir);
	free(rp);
	free(full);
}

static int
same(const struct place *a, const struct place *b)
{
	if (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino)
		return 1;
	return a->has_dir && b->has_dir && a->ddev == b->ddev && a->dino == b->dino &&
	       strcmp(a->base, b->base) == 0;
}

int
outfile_check(const char *out, const char *ledger, const char *const *others,
	      size_t n, struct err *e)
{
	static const char *const SUFFIX[] = {"", "-wal", "-shm", "-journal"};
	static const char *const WHAT[] = {
		"the ledger", "the ledger's write-ahead log",
		"the ledger's shared-memory file", "the ledger's rollback journal"};
	struct place po, p;
	size_t i, k;

	if (!out || !*out)
		return err_setf(e, ERR_USAGE, "an output file name is empty (is a shell "
				"variable unset?)");
	if (strcmp(out, "-") == 0)
		return 0;
	place_of(out, "", &po);
	if (ledger && *ledger) {
		char *rl = realpath(ledger, NULL);
		for (k = 0; k < 4; k++) {
			place_of(ledger, SUFFIX[k], &p);
			if (!same(&po, &p) && rl)
				place_of(rl, SUFFIX[k], &p);
			if (same(&po, &p)) {
				free(rl);
				return err_set(e, ERR_USAGE, out, 0, 0,
					       "this is %s '%s%s': writing here would "
					       "destroy it (choose another file name)",
					       WHAT[k], ledger, SUFFIX[k]);
			}
		}
		free(rl);
	}
	for (i = 0; i < n; i++) {
		if (!others[i] || !*others[i] || strcmp(others[i], "-") == 0)
			continue;
		place_of(others[i], "", &p);
		if (same(&po, &p))
			return err_set(e, ERR_USAGE, out, 0, 0,
				       "this is the same file as '%s', which this command "
				       "also reads or writes (choose another file name)",
				       others[i]);
		if (po.has_dir && p.exists && po.ddev == p.dev && po.dino == p.ino)
			return err_set(e, ERR_USAGE, out, 0, 0,
				       "this is inside the folder '%s', which this command "
				       "also writes (choose another place)", others[i]);
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* Permissions of a new file or folder: as open() or mkdir() would give. */
static mode_t
new_mode(mode_t want)
{
	mode_t m = umask(0);

	umask(m);
	return want & ~m;
}

/* "DIR/.BASE.tmp-XXXXXX" beside `path` (caller frees). Only the temporary
 * name keeps at most 180 bytes of BASE, so that it stays within NAME_MAX;
 * the file is renamed to `path` whole. */
static char *
temp_name(const char *path)
{
	char *dir = NULL, *base = NULL, *t;
	size_t n;

	if (split(path, &dir, &base))
		return NULL;
	n = strlen(dir) + strlen(base) + 32;
	if ((t = malloc(n)))
		snprintf(t, n, "%s/.%.180s.tmp-XXXXXX", dir, base);
	free(dir);
	free(base);
	return t;
}

static void
sync_parent(const char *path)
{
	char *dir = NULL, *base = NULL;
	int fd;

	if (split(path, &dir, &base))
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd); /* some file systems cannot: nothing more to do then */
		close(fd);
	}
	free(dir);
	free(base);
}

static void
release(struct outfile *o)
{
	size_t i;

	for (i = 0; i < o->nnames; i++)
		free(o->names[i]);
	free(o->names);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

int
outfile_fclose(FILE *f, const char *path, struct err *e)
{
	int er = 0;

	errno = 0;
	if (fflush(f) || ferror(f)) {
		er = errno ? errno : -1;
		/* an earlier write failed and its errno is gone: one more byte
		 * tells why (the file is temporary and dropped on failure) */
		if (er < 0 && write(fileno(f), "", 1) < 0)
			er = errno;
	} else if (fsync(fileno(f)) && errno != EINVAL && errno != ENOTSUP)
		er = errno;
	if (fclose(f) && !er)
		er = errno ? errno : -1;
	if (er)
		return err_set(e, ERR_IO, path, 0, 0, "cannot write (%s)",
			       outfile_reason(er < 0 ? 0 : er));
	return 0;
}

int
outfile_open(struct outfile *o, const char *path, struct err *e)
{
	struct stat st;
	mode_t mode;
	int fd;

	memset(o, 0, sizeof *o);
	if (!*path)
		return err_setf(e, ERR_USAGE, "an output file name is empty");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return err_set(e, ERR_USAGE, path, 0, 0,
				       "is a folder, not a file (give a file name)");
		mode = st.st_mode & 0777;
	} else {
		mode = new_mode(0666);
	}
	if (!(o->path = strdup(path)) || !(o->tmp = temp_name(path))) {
		release(o);
		return err_setf(e, ERR_IO, "out of memory");
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		int er = errno;
		release(o);
		return err_set(e, ERR_IO, path, 0, 0, "cannot write (%s)", outfile_reason(er));
	}
	fchmod(fd, mode);
	if (!(o->fp = fdopen(fd, "wb"))) {
		close(fd);
		outfile_abort(o);
		return err_setf(e, ERR_IO, "out of memory");
	}
	return 0;
}

/* Remove the known files of folder `dir`, then the folder. */
static void
remove_dir(const char *dir, char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = malloc(len);
		if (p) {
			snprintf(p, len, "%s/%s", dir, names[i]);
			unlink(p);
			free(p);
		}
	}
	rmdir(dir);
}

void
outfile_abort(struct outfile *o)
{
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp) {
		if (o->dir)
			remove_dir(o->tmp, o->names, o->nnames);
		else
			unlink(o->tmp);
	}
	release(o);
}

int
outfile_commit(struct outfile *o, struct err *e)
{
	FILE *f = o->fp;

	o->fp = NULL;
	if (outfile_fclose(f, o->path, e)) {
		outfile_abort(o);
		return -1;
	}
	if (rename(o->tmp, o->path)) {
		int er = errno;
		err_set(e, ERR_IO, o->path, 0, 0, "cannot write (%s)", outfile_reason(er));
		outfile_abort(o);
		return -1;
	}
	sync_parent(o->path);
	release(o);
	return 0;
}

static int
known(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

int
outfile_open_dir(struct outfile *o, const char *path, const char *const *names,
		 size_t n, struct err *e)
{
	struct stat st;
	char *real = NULL;
	size_t i;

	memset(o, 0, sizeof *o);
	if (!*path)
		return err_setf(e, ERR_USAGE, "an output folder name is empty");
	if (stat(path, &st) == 0) {
		DIR *d;
		struct dirent *de;
		if (!S_ISDIR(st.st_mode))
			return err_set(e, ERR_USAGE, path, 0, 0,
				       "is a file, not a folder (give a folder name)");
		if (!(d = opendir(path)))
			return err_set(e, ERR_IO, path, 0, 0, "cannot read the folder (%s)",
				       strerror(errno));
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
			    known(de->d_name, names, n))
				continue;
			err_set(e, ERR_USAGE, path, 0, 0,
				"the folder holds '%.200s', which is not part of this "
				"output; it would be lost (give a new or empty folder, or "
				"one this command wrote before)", de->d_name);
			closedir(d);
			return -1;
		}
		closedir(d);
		real = realpath(path, NULL); /* "." and ".." get a name */
	} else if (errno != ENOENT) {
		return err_set(e, ERR_IO, path, 0, 0, "cannot write (%s)", strerror(errno));
	}
	o->dir = 1;
	o->path = real ? real : strdup(path);
	o->names = calloc(n ? n : 1, sizeof *o->names);
	if (!o->path || !o->names || !(o->tmp = temp_name(o->path)))
		goto oom;
	for (i = 0; i < n; i++, o->nnames++)
		if (!(o->names[i] = strdup(names[i])))
			goto oom;
	if (!mkdtemp(o->tmp)) {
		int er = errno;
		free(o->tmp);
		o->tmp = NULL;
		release(o);
		return err_set(e, ERR_IO, path, 0, 0, "cannot create the folder (%s)",
			       outfile_reason(er));
	}
	chmod(o->tmp, new_mode(0777));
	return 0;
oom:
	free(o->tmp);
	o->tmp = NULL;
	release(o);
	return err_setf(e, ERR_IO, "out of memory");
}

char *
outfile_dir_file(const struct outfile *o, const char *name)
{
	size_t len = strlen(o->tmp) + strlen(name) + 2;
	char *p = malloc(len);

	if (p)
		snprintf(p, len, "%s/%s", o->tmp, name);
	return p;
}

int
outfile_commit_dir(struct outfile *o, struct err *e)
{
	struct stat st;
	int fd, er;

	fd = open(o->tmp, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	if (stat(o->path, &st) != 0) {
		if (rename(o->tmp, o->path))
			goto fail;
		sync_parent(o->path);
		release(o);
		return 0;
	}
#ifdef RENAME_EXCHANGE
	/* one atomic swap: the old folder is then at the temporary name */
	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_EXCHANGE) == 0) {
		sync_parent(o->path);
		remove_dir(o->tmp, o->names, o->nnames);
		release(o);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		goto fail;
#endif
	{
		/* no swap on this file system: move the old folder aside first */
		char *old = temp_name(o->path);
		if (!old || !mkdtemp(old) || rmdir(old) || rename(o->path, old)) {
			er = errno;
			free(old);
			errno = er;
			goto fail;
		}
		if (rename(o->tmp, o->path)) {
			er = errno;
			rename(old, o->path);
			free(old);
			errno = er;
			goto fail;
		}
		sync_parent(o->path);
		remove_dir(old, o->names, o->nnames);
		free(old);
	}
	release(o);
	return 0;
fail:
	er = errno;
	err_set(e, ERR_IO, o->path, 0, 0, "cannot replace the folder (%s)",
		outfile_reason(er));
	outfile_abort(o);
	return -1;
}
