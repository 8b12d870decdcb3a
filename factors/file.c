/*
 * file: reading a factor-set file for factor_set_parse() (factors.h), and
 * the NAME@VERSION references the commands take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "factors/factors.h"

/* The whole file, at most FACTORS_MAX_FILE bytes. The shipped sets are under
 * 50 KB and the largest published sets we know a few hundred KB; parsing
 * takes about twelve times the file size in memory, so 8 MiB keeps a factor
 * import under about 100 MB. A regular file that is larger is refused
 * before reading. */
static char *
slurp(const char *path, size_t *len, struct err *e)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	const size_t max = (size_t)FACTORS_MAX_FILE;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;

	if (!fp) {
		err_set(e, ERR_IO, path, 0, 0, "cannot open the file (does it exist?)");
		return NULL;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > FACTORS_MAX_FILE)
		goto too_large;
	for (;;) {
		size_t r;
		if (cap - n < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 65536)
				cap = max + 65536;
			if (!(nb = realloc(buf, cap + 1))) {
				err_set(e, ERR_IO, path, 0, 0, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
		if (n > max)
			goto too_large;
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		err_set(e, ERR_IO, path, 0, 0, "cannot read the file");
		goto fail;
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
too_large:
	err_set(e, ERR_DATA, path, 0, 0, "file too large for a factor set "
		"(more than %ld MiB)", FACTORS_MAX_FILE / 1024 / 1024);
fail:
	if (fp != stdin)
		fclose(fp);
	free(buf);
	return NULL;
}

int
factor_set_load_file(const char *path, struct factor_set **out, struct errlist *errs,
		     struct err *e)
{
	size_t len;
	char *data = slurp(path, &len, e);
	int rc;

	*out = NULL;
	if (!data)
		return -1;
	rc = factor_set_parse(data, len, path, out, errs, e);
	free(data);
	return rc;
}

int
factor_ref_parse(const char *spec, struct factor_ref *ref, char **buf, struct err *e)
{
	char *at;

	*buf = NULL;
	if (!*spec || *spec == '@' || (!(*buf = strdup(spec))))
		goto bad;
	ref->name = *buf;
	ref->version = NULL;
	if ((at = strchr(*buf, '@'))) {
		*at = '\0';
		if (!at[1])
			goto bad;
		ref->version = at + 1;
	}
	return 0;
bad:
	free(*buf);
	*buf = NULL;
	return err_setf(e, ERR_USAGE, "invalid factor set '%s' (expected NAME or "
			"NAME@VERSION)", spec);
}

int
factor_refs_parse(const char *list, struct factor_ref **out, size_t *n, struct err *e)
{
	size_t len = strlen(list), count = 1, i, k = 0;
	struct factor_ref *v;
	char *p, *item;

	*out = NULL;
	*n = 0;
	for (i = 0; i < len; i++)
		count += list[i] == ',';
	/* the array, then a copy of the list its strings point into */
	if (!(v = malloc(count * sizeof *v + len + 1)))
		return err_setf(e, ERR_IO, "out of memory");
	p = memcpy((char *)(v + count), list, len + 1);
	for (item = p; item; k++) {
		char *end = strchr(item, ','), *at;
		if (end)
			*end = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		for (i = strlen(item); i && (item[i - 1] == ' ' || item[i - 1] == '\t'); i--)
			item[i - 1] = '\0';
		if (!*item) {
			free(v);
			return err_setf(e, ERR_USAGE, "empty entry in the factor sets '%s' "
					"(expected NAME[@VERSION],...)", list);
		}
		v[k].name = item;
		v[k].version = NULL;
		if ((at = strchr(item, '@'))) {
			*at = '\0';
			v[k].version = at + 1;
			if (!*v[k].version || !*v[k].name) {
				err_setf(e, ERR_USAGE, "invalid factor set '%s@%s' (expected "
					 "NAME or NAME@VERSION)", item, at + 1);
				free(v);
				return -1;
			}
		}
		item = end ? end + 1 : NULL;
	}
	*out = v;
	*n = k;
	return 0;
}
