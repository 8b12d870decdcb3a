-- co2ledger ledger schema, version 6.
--
-- The whole state of a ledger lives in these tables. The file is compiled into
-- the binary (engine/schema_sql.c is generated from it) and applied by
-- ledger_open() to a fresh database; later versions append numbered
-- migrations in engine/ledger.c and bump PRAGMA user_version. Migrations are
-- forward only: a database written by a newer co2ledger is refused.
--
-- Conventions: dates are whole days since 1970-01-01 (INTEGER) where they are
-- computed with, ISO 8601 text where they are only shown; quantities are exact
-- decimals scaled to integers (micro-units, 1e-6); emissions are integer
-- milligrams (1e-6 kg), so sums are exact and independent of row order.

-- Organisation units: the tree state -> district/department -> site.
CREATE TABLE org_unit (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('state','district','department','site')),
  parent_id INTEGER REFERENCES org_unit(id),
  number    TEXT                    -- official number (e.g. Bezirk 01..12), NULL when none
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);

-- Yearly statistics of a unit, the denominators of per-capita figures.
CREATE TABLE org_stat (
  org_id        INTEGER NOT NULL REFERENCES org_unit(id),
  year          INTEGER NOT NULL,
  population    INTEGER,
  employees     INTEGER,
  floor_area_m2 REAL,
  PRIMARY KEY (org_id, year)
) WITHOUT ROWID;

-- One imported file. A batch is never deleted: removal or replacement marks it
-- superseded, and only active batches take part in calculation runs.
CREATE TABLE batch (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('energy','fleet','procurement')),
  file          TEXT NOT NULL,            -- file name as given on the command line
  sha256        TEXT NOT NULL,            -- of the file's bytes
  profile       TEXT,                     -- profile name or path used
  rows_total    INTEGER NOT NULL DEFAULT 0,
  rows_loaded   INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  imported_at   TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','superseded')),
  superseded_by INTEGER REFERENCES batch(id),
  superseded_at TEXT,
  -- version 2: the double-counting guard
  allow_overlap INTEGER NOT NULL DEFAULT 0, -- imported with --allow-overlap
  overlap_rows  INTEGER NOT NULL DEFAULT 0, -- rows that repeat or overlap rows counted before
  rows_digest   TEXT,                      -- "ROWS:HEX" over the normalised rows, any order (NULL before version 2)
  -- version 3: row-level hashes
  rows_sha256   TEXT                      -- over the stored rows in file order (docs/methodology.md); NULL before schema 3
);
CREATE INDEX batch_sha ON batch(sha256);
CREATE INDEX batch_digest ON batch(rows_digest);

-- Activity keys ('energy.electricity', 'fleet.distance.van',
-- 'procurement.cpv.30192000', ...), interned so activity rows stay compact.
CREATE TABLE activity_key (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);

-- One validated input row. Energy and fleet rows carry a quantity in `unit`;
-- procurement rows carry the net amount in EUR as quantity with unit 'EUR'.
CREATE TABLE activity (
  id              INTEGER PRIMARY KEY,
  batch_id        INTEGER NOT NULL REFERENCES batch(id),
  line            INTEGER NOT NULL,       -- source line in the batch's file
  org_id          INTEGER NOT NULL REFERENCES org_unit(id),
  key_id          INTEGER NOT NULL REFERENCES activity_key(id),
  day_start       INTEGER NOT NULL,       -- days since 1970-01-01
  day_end         INTEGER NOT NULL,       -- inclusive; = day_start for dated rows
  quantity        INTEGER NOT NULL,       -- micro-units of `unit`
  unit            TEXT NOT NULL,          -- canonical unit: kWh, kWh_Hs, m3, l, km, EUR, ...
  quality         INTEGER NOT NULL,       -- 0 measured, 1 calculated, 2 estimated
  tariff          TEXT,                   -- e.g. 'green' (energy)
  supplier_factor INTEGER,                -- nano-kg CO2e per kWh from the supplier's disclosure
  ident           TEXT,                   -- meter (energy) or vehicle (fleet)
  site            TEXT,                   -- energy: site label as given
  supplier        TEXT,                   -- procurement
  description     TEXT,                   -- procurement
  row_digest      BLOB                    -- 2 bytes per field of the row's canonical form (docs/methodology.md)
);
CREATE INDEX activity_batch ON activity(batch_id);

-- Registered factor-set versions; immutable once stored.
CREATE TABLE factor_set (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  version     TEXT NOT NULL,
  sha256      TEXT NOT NULL,              -- over the canonical JSON
  published   TEXT,
  description TEXT,
  license     TEXT,
  source      TEXT,
  content     TEXT NOT NULL,              -- the canonical JSON itself
  imported_at TEXT NOT NULL,
  UNIQUE (name, version)
);

-- The factors of a set, unpacked for `factors show`, diff and lookup loading.
CREATE TABLE factor (
  set_id        INTEGER NOT NULL REFERENCES factor_set(id),
  fid           TEXT NOT NULL,            -- id within the set
  activity      TEXT NOT NULL,
  region        TEXT NOT NULL,
  unit          TEXT NOT NULL,
  valid_from    INTEGER NOT NULL,         -- days since 1970-01-01
  valid_to      INTEGER NOT NULL,         -- inclusive
  method        TEXT NOT NULL DEFAULT 'location',
  tariff        TEXT,
  scope         INTEGER NOT NULL,
  category      INTEGER,
  json          TEXT NOT NULL,            -- the factor object, canonical JSON
  PRIMARY KEY (set_id, fid)
) WITHOUT ROWID;

-- A calculation run: its parameters and fingerprints. Row-level results are
-- deterministic and recomputed on demand; the run keeps aggregates only.
CREATE TABLE run (
  id                INTEGER PRIMARY KEY,
  year              INTEGER NOT NULL,
  gwp               TEXT NOT NULL,
  region            TEXT NOT NULL,
  fallback          TEXT NOT NULL,
  factor_sets       TEXT NOT NULL,        -- JSON [{name, version, sha256}] in priority order
  batches           TEXT NOT NULL,        -- JSON [{id, kind, file, sha256, rows}]
  inputs_sha256     TEXT NOT NULL,
  results_sha256    TEXT NOT NULL,
  rows_used         INTEGER NOT NULL,
  rows_excluded     INTEGER NOT NULL,
  rows_extrapolated INTEGER NOT NULL,
  created_at        TEXT NOT NULL
);

-- Aggregated results of a run per unit (the activity's own org unit, not
-- rolled up), sector, carrier, quality and extrapolation flag; all in mg.
CREATE TABLE run_total (
  run_id       INTEGER NOT NULL REFERENCES run(id),
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),
  sector       TEXT NOT NULL,             -- buildings.electricity, buildings.heat, fleet, procurement
  carrier      TEXT NOT NULL,             -- electricity, natural_gas, diesel, distance.van, cpv.30, ...
  quality      INTEGER NOT NULL,
  extrapolated INTEGER NOT NULL,
  rows         INTEGER NOT NULL,
  scope1_mg           INTEGER NOT NULL,
  scope2_location_mg  INTEGER NOT NULL,
  scope2_market_mg    INTEGER NOT NULL,
  scope3_mg           INTEGER NOT NULL,   -- including upstream (category 3)
  upstream_mg         INTEGER NOT NULL,   -- the category 3 part of scope3_mg
  biogenic_co2_mg     INTEGER NOT NULL,
  market_fallback_mg  INTEGER NOT NULL,   -- market result taken from the location factor
  -- version 6: final energy (not an emission), micro-kWh on the net calorific
  -- basis (Hi), and the rows that have one; NULL for runs stored before
  energy_ukwh         INTEGER,
  energy_rows         INTEGER,
  PRIMARY KEY (run_id, org_id, sector, carrier, quality, extrapolated)
) WITHOUT ROWID;

-- Corrections of single rows (batch correct): the correction is a new batch
-- holding the corrected batch's rows with the change applied, which supersedes
-- that batch; the original rows stay as they were. One row per correction.
CREATE TABLE correction (
  batch_id   INTEGER PRIMARY KEY REFERENCES batch(id),   -- the new batch
  base_id    INTEGER NOT NULL REFERENCES batch(id),      -- the corrected batch
  line       INTEGER NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('void','set')),
  field      TEXT,                      -- for 'set'
  old_value  TEXT,
  new_value  TEXT,
  reason     TEXT NOT NULL,
  at         TEXT NOT NULL
);

-- Published runs (runs publish): frozen with a label.
CREATE TABLE run_publish (
  run_id       INTEGER PRIMARY KEY REFERENCES run(id),
  label        TEXT NOT NULL,
  published_at TEXT NOT NULL
);

-- Registered target-set versions (docs/targets.md); immutable once stored.
-- version 6
CREATE TABLE target_set (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  version     TEXT NOT NULL,
  sha256      TEXT NOT NULL,              -- over the canonical JSON
  published   TEXT NOT NULL,
  targets     INTEGER NOT NULL,
  content     TEXT NOT NULL,              -- the canonical JSON itself
  imported_at TEXT NOT NULL,
  UNIQUE (name, version)
);

-- Append-only, hash-chained log of every state change. Each entry's sha256
-- covers the previous entry's sha256 and this entry's own fields.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,              -- ledger.init, org.import, batch.import, batch.remove, batch.correct, factors.import, targets.import, run, run.publish
  payload     TEXT NOT NULL,              -- canonical JSON describing the change
  prev_sha256 TEXT NOT NULL,
  sha256      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
