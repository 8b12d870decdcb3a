-- co2ledger on PostgreSQL: rights per organisation subtree (docs/postgresql.md).
--
-- Run by db_pg_init_roles() (`co2ledger init` on a postgresql:// ledger)
-- after the schema, in one transaction, by the role that owns the ledger:
-- that role keeps every right; people get a login role that is a member of
-- one group role and, for officers, a row in org_access per subtree:
--
--   co2_officer    reads and writes activity rows, batches and run totals
--                  of the units below the units it is mapped to (import,
--                  calc); reads factors, targets, the tree, the audit log;
--   co2_publisher  reads everything; marks runs published, and a second
--                  publisher confirms (run_publish.confirmed_by);
--   co2_auditor    reads everything, writes nothing.
--
-- PostgreSQL enforces it (row-level security with FORCE, so the rules hold
-- for raw SQL too). The audit table is append-only for everyone, its owner
-- included, and records the database user of each entry. The statements
-- can run again on the same database (init on a ledger that has them).

CREATE EXTENSION IF NOT EXISTS ltree;

DO $co2$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'co2_officer') THEN
    CREATE ROLE co2_officer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'co2_publisher') THEN
    CREATE ROLE co2_publisher NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'co2_auditor') THEN
    CREATE ROLE co2_auditor NOLOGIN;
  END IF;
END
$co2$;

-- The path of a unit from the root, one label 'u<id>' per level
-- (u1.u3.u17): kept by triggers when a unit is added or moved.
ALTER TABLE org_unit ADD COLUMN IF NOT EXISTS path ltree;
CREATE INDEX IF NOT EXISTS org_unit_path ON org_unit USING gist (path);

CREATE OR REPLACE FUNCTION co2_org_path() RETURNS trigger LANGUAGE plpgsql AS $co2$
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := text2ltree('u' || NEW.id);
  ELSE
    SELECT p.path || text2ltree('u' || NEW.id) INTO NEW.path
      FROM org_unit p WHERE p.id = NEW.parent_id;
  END IF;
  RETURN NEW;
END
$co2$;

CREATE OR REPLACE FUNCTION co2_org_path_move() RETURNS trigger LANGUAGE plpgsql AS $co2$
BEGIN
  IF OLD.path IS NOT NULL AND NEW.path IS DISTINCT FROM OLD.path THEN
    UPDATE org_unit SET path = NEW.path || subpath(path, nlevel(OLD.path))
     WHERE path <@ OLD.path AND id <> NEW.id;
  END IF;
  RETURN NULL;
END
$co2$;

DROP TRIGGER IF EXISTS org_unit_path ON org_unit;
CREATE TRIGGER org_unit_path BEFORE INSERT OR UPDATE OF parent_id, id ON org_unit
  FOR EACH ROW EXECUTE FUNCTION co2_org_path();
DROP TRIGGER IF EXISTS org_unit_path_move ON org_unit;
CREATE TRIGGER org_unit_path_move AFTER UPDATE OF parent_id, id ON org_unit
  FOR EACH ROW EXECUTE FUNCTION co2_org_path_move();

-- units that exist already (init on a filled ledger)
WITH RECURSIVE t(id, path) AS (
  SELECT id, text2ltree('u' || id) FROM org_unit WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, t.path || text2ltree('u' || c.id) FROM org_unit c JOIN t ON c.parent_id = t.id
)
UPDATE org_unit o SET path = t.path FROM t WHERE o.id = t.id AND o.path IS DISTINCT FROM t.path;

-- Which login role may work on which subtree: a row per (login, unit);
-- the unit and everything below it.
CREATE TABLE IF NOT EXISTS org_access (
  login  TEXT NOT NULL,                            -- a login role (pg_roles.rolname)
  org_id BIGINT NOT NULL REFERENCES org_unit(id),
  PRIMARY KEY (login, org_id)
);

-- The units the current user may work on (an officer's subtrees).
CREATE OR REPLACE FUNCTION co2_my_orgs() RETURNS SETOF bigint
  LANGUAGE sql STABLE AS $co2$
  SELECT u.id FROM org_access a
    JOIN org_unit r ON r.id = a.org_id
    JOIN org_unit u ON u.path <@ r.path
   WHERE a.login = current_user
$co2$;

-- Who did what: the database user of every audit entry (set by the
-- server, not by the client), and of every batch and publication.
ALTER TABLE audit ADD COLUMN IF NOT EXISTS db_user TEXT NOT NULL DEFAULT current_user;
ALTER TABLE batch ADD COLUMN IF NOT EXISTS imported_by TEXT NOT NULL DEFAULT current_user;
ALTER TABLE run_publish ADD COLUMN IF NOT EXISTS published_by TEXT NOT NULL DEFAULT current_user;
ALTER TABLE run_publish ADD COLUMN IF NOT EXISTS confirmed_by TEXT;
ALTER TABLE run_publish ADD COLUMN IF NOT EXISTS confirmed_at TEXT;

CREATE OR REPLACE FUNCTION co2_audit_user() RETURNS trigger LANGUAGE plpgsql AS $co2$
BEGIN
  NEW.db_user := current_user;
  RETURN NEW;
END
$co2$;
DROP TRIGGER IF EXISTS audit_user ON audit;
CREATE TRIGGER audit_user BEFORE INSERT ON audit
  FOR EACH ROW EXECUTE FUNCTION co2_audit_user();

-- audit_no_update and audit_no_delete come from store/schema.sql; TRUNCATE
-- is PostgreSQL's own way around row triggers.
CREATE OR REPLACE FUNCTION co2_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $co2$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
    MESSAGE = 'the audit log is append-only';
END
$co2$;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION co2_audit_append_only();

-- A publication needs two people: the confirming publisher is not the one
-- who marked it, and only the confirmation may change.
CREATE OR REPLACE FUNCTION co2_publish_confirm() RETURNS trigger LANGUAGE plpgsql AS $co2$
BEGIN
  IF NEW.run_id <> OLD.run_id OR NEW.label <> OLD.label OR
     NEW.published_at <> OLD.published_at OR NEW.published_by <> OLD.published_by OR
     OLD.confirmed_by IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
      MESSAGE = 'a publication is confirmed once and otherwise not changed';
  END IF;
  IF NEW.confirmed_by IS NOT NULL AND NEW.confirmed_by = NEW.published_by THEN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
      MESSAGE = 'a publication is confirmed by a second person, not by the one who marked it';
  END IF;
  RETURN NEW;
END
$co2$;
DROP TRIGGER IF EXISTS run_publish_confirm ON run_publish;
CREATE TRIGGER run_publish_confirm BEFORE UPDATE ON run_publish
  FOR EACH ROW EXECUTE FUNCTION co2_publish_confirm();

-- Privileges: the groups read the ledger; what they write is listed.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO co2_officer, co2_publisher, co2_auditor;
GRANT INSERT, UPDATE ON activity, batch, run_total TO co2_officer;
GRANT INSERT ON run, activity_key, correction TO co2_officer;
GRANT INSERT ON audit TO co2_officer, co2_publisher;
GRANT INSERT (run_id, label, published_at) ON run_publish TO co2_publisher;
GRANT UPDATE (confirmed_by, confirmed_at) ON run_publish TO co2_publisher;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC, co2_officer, co2_publisher, co2_auditor;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM CURRENT_USER;

-- Row-level security, forced on the owner too; the owner's own policies
-- give it every row.
ALTER TABLE activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity FORCE ROW LEVEL SECURITY;
ALTER TABLE run_total ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_total FORCE ROW LEVEL SECURITY;
ALTER TABLE batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE batch FORCE ROW LEVEL SECURITY;
ALTER TABLE run_publish ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_publish FORCE ROW LEVEL SECURITY;
ALTER TABLE org_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_access FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS owner_all ON activity;
CREATE POLICY owner_all ON activity TO CURRENT_USER USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS officer_subtree ON activity;
CREATE POLICY officer_subtree ON activity TO co2_officer
  USING (org_id IN (SELECT co2_my_orgs())) WITH CHECK (org_id IN (SELECT co2_my_orgs()));
DROP POLICY IF EXISTS read_all ON activity;
CREATE POLICY read_all ON activity FOR SELECT TO co2_publisher, co2_auditor USING (true);

DROP POLICY IF EXISTS owner_all ON run_total;
CREATE POLICY owner_all ON run_total TO CURRENT_USER USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS officer_subtree ON run_total;
CREATE POLICY officer_subtree ON run_total TO co2_officer
  USING (org_id IN (SELECT co2_my_orgs())) WITH CHECK (org_id IN (SELECT co2_my_orgs()));
DROP POLICY IF EXISTS read_all ON run_total;
CREATE POLICY read_all ON run_total FOR SELECT TO co2_publisher, co2_auditor USING (true);

-- A batch has no unit of its own: an officer sees the batches it imported
-- and those with rows in its subtrees, and changes only its own.
DROP POLICY IF EXISTS owner_all ON batch;
CREATE POLICY owner_all ON batch TO CURRENT_USER USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS officer_read ON batch;
CREATE POLICY officer_read ON batch FOR SELECT TO co2_officer
  USING (imported_by = current_user OR
         EXISTS (SELECT 1 FROM activity a WHERE a.batch_id = batch.id));
DROP POLICY IF EXISTS officer_insert ON batch;
CREATE POLICY officer_insert ON batch FOR INSERT TO co2_officer
  WITH CHECK (imported_by = current_user);
DROP POLICY IF EXISTS officer_update ON batch;
CREATE POLICY officer_update ON batch FOR UPDATE TO co2_officer
  USING (imported_by = current_user) WITH CHECK (imported_by = current_user);
DROP POLICY IF EXISTS read_all ON batch;
CREATE POLICY read_all ON batch FOR SELECT TO co2_publisher, co2_auditor USING (true);

DROP POLICY IF EXISTS owner_all ON run_publish;
CREATE POLICY owner_all ON run_publish TO CURRENT_USER USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS read_all ON run_publish;
CREATE POLICY read_all ON run_publish FOR SELECT
  TO co2_officer, co2_publisher, co2_auditor USING (true);
DROP POLICY IF EXISTS publisher_mark ON run_publish;
CREATE POLICY publisher_mark ON run_publish FOR INSERT TO co2_publisher
  WITH CHECK (published_by = current_user AND confirmed_by IS NULL);
DROP POLICY IF EXISTS publisher_confirm ON run_publish;
CREATE POLICY publisher_confirm ON run_publish FOR UPDATE TO co2_publisher
  USING (confirmed_by IS NULL AND published_by <> current_user)
  WITH CHECK (confirmed_by = current_user);

DROP POLICY IF EXISTS owner_all ON org_access;
CREATE POLICY owner_all ON org_access TO CURRENT_USER USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS own_rows ON org_access;
CREATE POLICY own_rows ON org_access FOR SELECT TO co2_officer, co2_publisher
  USING (login = current_user);
DROP POLICY IF EXISTS read_all ON org_access;
CREATE POLICY read_all ON org_access FOR SELECT TO co2_auditor USING (true);
