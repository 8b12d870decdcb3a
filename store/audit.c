/*
 * audit: hash-chained append-only log (see audit.h).
 */
#include "store/audit.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/date.h"
#include "base/sha256.h"

static const char ZERO[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void
entry_hash(const char *prev, long long id, const char *at, const char *action,
	   const char *payload, char out[SHA256_HEX_LEN + 1])
{
	struct sha256 s;
	char idbuf[32];

	snprintf(idbuf, sizeof idbuf, "\n%lld\n", id);
	sha256_init(&s);
	sha256_update(&s, prev, strlen(prev));
	sha256_update(&s, idbuf, strlen(idbuf));
	sha256_update(&s, at, strlen(at));
	sha256_update(&s, "\n", 1);
	sha256_update(&s, action, strlen(action));
	sha256_update(&s, "\n", 1);
	sha256_update(&s, payload, strlen(payload));
	sha256_final_hex(&s, out);
}

static const char SQL_LAST[] = "SELECT id, sha256 FROM audit ORDER BY id DESC LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit(id, at, action, payload, prev_sha256, sha256) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_AT[] = "SELECT sha256 FROM audit WHERE id = ?1";
static const char SQL_ALL[] =
	"SELECT id, at, action, payload, prev_sha256, sha256 FROM audit ORDER BY id";

/* The OS user running this process: the account name, else the uid. */
static void
os_user(char *buf, size_t n)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(buf, n, "%s", pw->pw_name);
	else
		snprintf(buf, n, "uid %lld", (long long)geteuid());
}

/* The object with "user" added, as canonical JSON; the caller frees.
 * Takes o's reference. */
static char *
dump_with_user(json_t *o)
{
	char user[256], *out;

	os_user(user, sizeof user);
	json_object_set_new(o, "user", json_string(user));
	out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return out;
}

/* payload with "user" added (canonical JSON again); the caller frees. */
static char *
with_user(const char *payload)
{
	json_t *o = json_loads(payload, 0, NULL);

	if (!json_is_object(o)) {
		json_decref(o);
		return strdup(payload);
	}
	return dump_with_user(o);
}

static int append(struct ledger *l, const char *action, const char *payload,
		  struct err *e);

/* Every log starts with a "ledger.init" entry carrying a random ledger id,
 * so that two ledgers filled from the same files in the same second still
 * differ from their first entry on (verify tells them apart by it). */
static int
first_entry(struct ledger *l, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, "SELECT 1 FROM audit LIMIT 1", e);
	unsigned char r[16];
	char payload[128];
	int rc, i, k;

	if (!st)
		return -1;
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the audit log", e);
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return err_setf(e, ERR_IO, "no random numbers for the ledger id");
	k = snprintf(payload, sizeof payload, "{\"ledger\":\"");
	for (i = 0; i < 16; i++)
		k += snprintf(payload + k, sizeof payload - (size_t)k, "%02x", r[i]);
	snprintf(payload + k, sizeof payload - (size_t)k, "\"}");
	{
		char *p = with_user(payload);
		if (!p)
			return err_setf(e, ERR_IO, "out of memory");
		rc = append(l, "ledger.init", p, e);
		free(p);
	}
	return rc;
}

int
audit_append(struct ledger *l, const char *action, const char *payload,
	     struct err *e)
{
	char *p;
	int rc;

	if (ledger_is_scratch(l)) /* nothing is stored, nothing to record */
		return 0;
	if (!(p = with_user(payload)))
		return err_setf(e, ERR_IO, "out of memory");
	rc = first_entry(l, e) ? -1 : append(l, action, p, e);
	free(p);
	return rc;
}

int
audit_append_json(struct ledger *l, const char *action, json_t *o, struct err *e)
{
	char *p;
	int rc;

	if (!o)
		return err_setf(e, ERR_IO, "out of memory");
	if (ledger_is_scratch(l)) {
		json_decref(o);
		return 0;
	}
	if (!(p = dump_with_user(o)))
		return err_setf(e, ERR_IO, "out of memory");
	rc = first_entry(l, e) ? -1 : append(l, action, p, e);
	free(p);
	return rc;
}

static int
append(struct ledger *l, const char *action, const char *payload,
       struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_LAST, e);
	char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1], at[21];
	long long id = 1;
	int rc;

	if (!st)
		return -1;
	memcpy(prev, ZERO, sizeof prev);
	rc = db_step(st);
	if (rc == DB_ROW) {
		const unsigned char *h = db_column_text(st, 1);
		id = db_column_int64(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", h ? (const char *)h : ZERO);
	} else if (rc != DB_DONE) {
		db_reset(st);
		return ledger_fail(l, rc, "reading the audit log", e);
	}
	db_reset(st);
	date_now_iso(at);
	entry_hash(prev, id, at, action, payload, hash);
	if (!(st = ledger_stmt(l, SQL_INSERT, e)))
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, at, -1, DB_TRANSIENT);
	db_bind_text(st, 3, action, -1, DB_STATIC);
	db_bind_text(st, 4, payload, -1, DB_STATIC);
	db_bind_text(st, 5, prev, -1, DB_TRANSIENT);
	db_bind_text(st, 6, hash, -1, DB_TRANSIENT);
	return ledger_step_done(l, st, "appending to the audit log", e);
}

static const char *
col(struct db_stmt *st, int i)
{
	const unsigned char *s = db_column_text(st, i);
	return s ? (const char *)s : "";
}

int
audit_verify(struct ledger *l, long *entries, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ALL, e);
	char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];
	long long expect_id = 1;
	long n = 0;
	int rc;

	*entries = 0;
	if (!st)
		return -1;
	memcpy(prev, ZERO, sizeof prev);
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		if (id != expect_id) {
			db_reset(st);
			return err_setf(e, ERR_DATA,
					"audit log broken: entry %lld is missing "
					"(found entry %lld next)", expect_id, id);
		}
		if (strcmp(col(st, 4), prev) != 0) {
			db_reset(st);
			return err_setf(e, ERR_DATA,
					"audit log broken at entry %lld: it does not "
					"link to entry %lld", id, id - 1);
		}
		entry_hash(prev, id, col(st, 1), col(st, 2), col(st, 3), hash);
		if (strcmp(hash, col(st, 5)) != 0) {
			/* format while the row is still current */
			err_setf(e, ERR_DATA,
				 "audit log broken at entry %lld (%s): its "
				 "content was changed after it was written",
				 id, col(st, 2));
			db_reset(st);
			return -1;
		}
		memcpy(prev, hash, sizeof prev);
		expect_id++;
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the audit log", e);
	*entries = n;
	return 0;
}

int
audit_head(struct ledger *l, long *entries, char sha256[65], char first[65],
	   struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_AT, e);
	int rc;

	*entries = 0;
	memcpy(sha256, ZERO, 65);
	if (first) {
		memcpy(first, ZERO, 65);
		if (!st)
			return -1;
		db_bind_int64(st, 1, 1);
		rc = db_step(st);
		if (rc == DB_ROW)
			snprintf(first, 65, "%s", col(st, 0));
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return ledger_fail(l, rc, "reading the audit log", e);
	}
	if (!(st = ledger_stmt(l, SQL_LAST, e)))
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*entries = (long)db_column_int64(st, 0);
		snprintf(sha256, 65, "%s", col(st, 1));
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return ledger_fail(l, rc, "reading the audit log", e);
	return 0;
}

int
audit_has(struct ledger *l, long id, const char *sha256, int *found,
	  struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_AT, e);
	int rc;

	*found = 0;
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*found = strcmp(col(st, 0), sha256) == 0 ? 1 : -1;
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return ledger_fail(l, rc, "reading the audit log", e);
	return 0;
}

int
audit_each(struct ledger *l, audit_entry_fn *fn, void *ctx, struct err *e)
{
	struct db_stmt *st = ledger_stmt(l, SQL_ALL, e);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct audit_entry a;
		a.id = (long)db_column_int64(st, 0);
		a.at = col(st, 1);
		a.action = col(st, 2);
		a.payload = col(st, 3);
		a.sha256 = col(st, 5);
		if (fn(ctx, &a, e)) {
			db_reset(st);
			return -1;
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return ledger_fail(l, rc, "reading the audit log", e);
	return 0;
}
