-- A ledger written by co2ledger schema 1 (before row hashes): org, factors,
-- three batches and a run of 2024, as 'sqlite3 .dump' writes it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE org_unit (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('state','district','department','site')),
  parent_id INTEGER REFERENCES org_unit(id)
);
INSERT INTO org_unit VALUES(1,'ST','Freistadt','state',NULL);
INSERT INTO org_unit VALUES(2,'NORD','Nord','district',1);
INSERT INTO org_unit VALUES(3,'NORD-GS1','Grundschule Nord 1','site',2);
INSERT INTO org_unit VALUES(4,'SUED','Süd','district',1);
INSERT INTO org_unit VALUES(5,'SUED-RH','Rathaus Süd, Markt 1','site',4);
INSERT INTO org_unit VALUES(6,'WEST','West','district',1);
INSERT INTO org_unit VALUES(7,'SENFIN','Senatsverwaltung für Finanzen','department',1);
CREATE TABLE org_stat (
  org_id        INTEGER NOT NULL REFERENCES org_unit(id),
  year          INTEGER NOT NULL,
  population    INTEGER,
  employees     INTEGER,
  floor_area_m2 REAL,
  PRIMARY KEY (org_id, year)
) WITHOUT ROWID;
INSERT INTO org_stat VALUES(2,2023,99000,490,20000.0);
INSERT INTO org_stat VALUES(2,2024,100000,500,20000.0);
INSERT INTO org_stat VALUES(4,2024,50000,300,NULL);
INSERT INTO org_stat VALUES(5,2024,NULL,120,8000.4999999999999995);
INSERT INTO org_stat VALUES(7,2024,NULL,800,15000.0);
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
  superseded_at TEXT
);
INSERT INTO batch VALUES(1,'energy','energie.csv','a5feae251b730d9d9caf35fec2c03cefbe00d089f020e80ec30e66d7615f4bb3','canonical',7,7,0,'2026-01-01T00:00:00Z','active',NULL,NULL);
INSERT INTO batch VALUES(2,'fleet','tankkarten.csv','a5a4a594db4017e1f667a31785dfe95625a90e9859b06a2e4ab4f1ad16bbb796','canonical',3,3,0,'2026-01-01T00:00:00Z','active',NULL,NULL);
INSERT INTO batch VALUES(3,'procurement','beschaffung.csv','dcb16f94a24df3ff61a2404581d9ce027aa32cc8527868537977abc4449de602','canonical',2,2,0,'2026-01-01T00:00:00Z','active',NULL,NULL);
CREATE TABLE activity_key (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
INSERT INTO activity_key VALUES(1,'energy.electricity');
INSERT INTO activity_key VALUES(2,'energy.natural_gas');
INSERT INTO activity_key VALUES(3,'fleet.diesel');
INSERT INTO activity_key VALUES(4,'procurement.cpv.30192000');
INSERT INTO activity_key VALUES(5,'procurement.cpv.09310000');
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
  description     TEXT                    -- procurement
);
INSERT INTO activity VALUES(1,1,2,3,1,19723,20088,100000000000,'kWh',0,NULL,NULL,'1ESY0000000001',NULL,NULL,NULL);
INSERT INTO activity VALUES(2,1,3,3,1,19358,19722,110000000000,'kWh',0,NULL,NULL,'1ESY0000000001',NULL,NULL,NULL);
INSERT INTO activity VALUES(3,1,4,5,1,19905,20088,36500000000,'kWh',0,'green',NULL,'1ESY0000000002',NULL,NULL,NULL);
INSERT INTO activity VALUES(4,1,5,4,2,19723,20088,50000000000,'kWh_Hs',1,NULL,NULL,'7ELS0000000003',NULL,NULL,NULL);
INSERT INTO activity VALUES(5,1,6,7,2,19692,19782,30000000000,'kWh_Hs',2,NULL,NULL,'7ELS0000000004',NULL,NULL,NULL);
INSERT INTO activity VALUES(6,1,7,1,1,19723,20088,1000000000,'kWh',0,NULL,NULL,'1ESY0000000005',NULL,NULL,NULL);
INSERT INTO activity VALUES(7,1,8,5,2,19358,19722,40000000000,'kWh_Hs',0,NULL,NULL,'7ELS0000000006',NULL,NULL,NULL);
INSERT INTO activity VALUES(8,2,2,2,3,19787,19787,500000000,'l',0,NULL,NULL,'B-NO 1',NULL,NULL,NULL);
INSERT INTO activity VALUES(9,2,3,7,3,19814,19814,200000000,'l',0,NULL,NULL,'B-SF 2',NULL,NULL,NULL);
INSERT INTO activity VALUES(10,2,4,2,3,19479,19479,450000000,'l',0,NULL,NULL,'B-NO 1',NULL,NULL,NULL);
INSERT INTO activity VALUES(11,3,2,4,4,19853,19853,10000000000,'EUR',2,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO activity VALUES(12,3,3,2,5,19875,19875,5000000000,'EUR',2,NULL,NULL,NULL,NULL,NULL,NULL);
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
INSERT INTO factor_set VALUES(1,'test-factors','1.0','d524ccd194339314a4f642c1239db015277e2a179acf78b4460c9f7404690079','2024-05-15','small factor set for the report tests','CC0-1.0','made up for tests','{"conversions":[{"activity":"energy.natural_gas","factor":0.9,"from":"kWh_Hs","to":"kWh"}],"description":"small factor set for the report tests","factors":[{"activity":"energy.electricity","citation":"Test table 1, 2023","co2e":0.4,"id":"el-2023","region":"DE","scope":2,"status":"final","unit":"kWh","upstream_co2e":0.05,"valid_from":"2023-01-01","valid_to":"2023-12-31"},{"activity":"energy.electricity","citation":"Test table 1, 2024","co2e":0.38,"id":"el-2024","region":"DE","scope":2,"status":"estimate","unit":"kWh","upstream_co2e":0.04,"valid_from":"2024-01-01","valid_to":"2024-12-31"},{"activity":"energy.electricity","citation":"Test: green tariff","co2e":0,"id":"el-green","method":"market","region":"DE","scope":2,"tariff":"green","unit":"kWh","valid_from":"2015-01-01","valid_to":"2030-12-31"},{"activity":"energy.natural_gas","citation":"Test table 2, gas","gases":{"ch4_fossil":1e-05,"co2":0.2,"n2o":2e-06},"id":"gas","region":"DE","scope":1,"unit":"kWh","upstream_co2e":0.03,"valid_from":"1990-01-01","valid_to":"9999-12-31"},{"activity":"fleet.diesel","citation":"Test table 3, diesel","co2e":2.65,"id":"diesel","region":"DE","scope":1,"unit":"l","upstream_co2e":0.6,"valid_from":"1990-01-01","valid_to":"9999-12-31"},{"activity":"procurement.cpv.30","category":1,"citation":"Test table 4, office machines","co2e":0.25,"id":"cpv-30","region":"*","scope":3,"unit":"EUR","valid_from":"1990-01-01","valid_to":"9999-12-31"}],"format":"co2ledger-factors/1","license":"CC0-1.0","name":"test-factors","price_index":{"2023":100.0,"2024":100.0},"published":"2024-05-15","source":"made up for tests","version":"1.0"}','2026-01-01T00:00:00Z');
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
INSERT INTO factor VALUES(1,'cpv-30','procurement.cpv.30','*','EUR',7305,2932896,'location',NULL,3,1,'{"activity":"procurement.cpv.30","category":1,"citation":"Test table 4, office machines","co2e":0.25,"id":"cpv-30","region":"*","scope":3,"unit":"EUR","valid_from":"1990-01-01","valid_to":"9999-12-31"}');
INSERT INTO factor VALUES(1,'diesel','fleet.diesel','DE','l',7305,2932896,'location',NULL,1,NULL,'{"activity":"fleet.diesel","citation":"Test table 3, diesel","co2e":2.65,"id":"diesel","region":"DE","scope":1,"unit":"l","upstream_co2e":0.6,"valid_from":"1990-01-01","valid_to":"9999-12-31"}');
INSERT INTO factor VALUES(1,'el-2023','energy.electricity','DE','kWh',19358,19722,'location',NULL,2,NULL,'{"activity":"energy.electricity","citation":"Test table 1, 2023","co2e":0.4,"id":"el-2023","region":"DE","scope":2,"status":"final","unit":"kWh","upstream_co2e":0.05,"valid_from":"2023-01-01","valid_to":"2023-12-31"}');
INSERT INTO factor VALUES(1,'el-2024','energy.electricity','DE','kWh',19723,20088,'location',NULL,2,NULL,'{"activity":"energy.electricity","citation":"Test table 1, 2024","co2e":0.38,"id":"el-2024","region":"DE","scope":2,"status":"estimate","unit":"kWh","upstream_co2e":0.04,"valid_from":"2024-01-01","valid_to":"2024-12-31"}');
INSERT INTO factor VALUES(1,'el-green','energy.electricity','DE','kWh',16436,22279,'market','green',2,NULL,'{"activity":"energy.electricity","citation":"Test: green tariff","co2e":0,"id":"el-green","method":"market","region":"DE","scope":2,"tariff":"green","unit":"kWh","valid_from":"2015-01-01","valid_to":"2030-12-31"}');
INSERT INTO factor VALUES(1,'gas','energy.natural_gas','DE','kWh',7305,2932896,'location',NULL,1,NULL,'{"activity":"energy.natural_gas","citation":"Test table 2, gas","gases":{"ch4_fossil":1e-05,"co2":0.2,"n2o":2e-06},"id":"gas","region":"DE","scope":1,"unit":"kWh","upstream_co2e":0.03,"valid_from":"1990-01-01","valid_to":"9999-12-31"}');
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
INSERT INTO run VALUES(1,2024,'AR5','DE-BE','strict','[{"name":"test-factors","sha256":"d524ccd194339314a4f642c1239db015277e2a179acf78b4460c9f7404690079","version":"1.0"}]','[{"file":"energie.csv","id":1,"kind":"energy","rows":7,"sha256":"a5feae251b730d9d9caf35fec2c03cefbe00d089f020e80ec30e66d7615f4bb3"},{"file":"tankkarten.csv","id":2,"kind":"fleet","rows":3,"sha256":"a5a4a594db4017e1f667a31785dfe95625a90e9859b06a2e4ab4f1ad16bbb796"},{"file":"beschaffung.csv","id":3,"kind":"procurement","rows":2,"sha256":"dcb16f94a24df3ff61a2404581d9ce027aa32cc8527868537977abc4449de602"}]','f85e0390c58357f4cde8f65169c31fc52b862ca53183242a258fda16055f5d24','cd96d3d2663748b15695048bfc208b2c551416913dd55851e92cf38a5641f756',8,1,0,'2026-01-01T00:00:00Z');
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
  PRIMARY KEY (run_id, org_id, sector, carrier, quality, extrapolated)
) WITHOUT ROWID;
INSERT INTO run_total VALUES(1,1,'buildings.electricity','electricity',0,0,1,0,380000000,380000000,40000000,40000000,0,380000000);
INSERT INTO run_total VALUES(1,2,'fleet','diesel',0,0,1,1325000000,0,0,300000000,300000000,0,0);
INSERT INTO run_total VALUES(1,3,'buildings.electricity','electricity',0,0,1,0,38000000000,38000000000,4000000000,4000000000,0,38000000000);
INSERT INTO run_total VALUES(1,4,'buildings.heat','natural_gas',1,0,1,9036450000,0,0,1350000000,1350000000,0,0);
INSERT INTO run_total VALUES(1,4,'procurement','cpv.30',2,0,1,0,0,0,2500000000,0,0,0);
INSERT INTO run_total VALUES(1,5,'buildings.electricity','electricity',0,0,1,0,13870000000,0,1460000000,1460000000,0,0);
INSERT INTO run_total VALUES(1,7,'buildings.heat','natural_gas',2,0,1,3574859341,0,0,534065934,534065934,0,0);
INSERT INTO run_total VALUES(1,7,'fleet','diesel',0,0,1,530000000,0,0,120000000,120000000,0,0);
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,              -- org.import, batch.import, batch.remove, factors.import, run
  payload     TEXT NOT NULL,              -- canonical JSON describing the change
  prev_sha256 TEXT NOT NULL,
  sha256      TEXT NOT NULL
);
INSERT INTO audit VALUES(1,'2026-01-01T00:00:00Z','org.import','{"file":"org.csv","sha256":"af747378a312e4ad1b752c8f93db5e1d932f636f4f2297b61cb7cafdb9db3065","stats":5,"units_new":7,"units_updated":0}','0000000000000000000000000000000000000000000000000000000000000000','7d4c4d050400d22aa8c24a5c609b1d00fa6759892158e6535de12f982b5a2a71');
INSERT INTO audit VALUES(2,'2026-01-01T00:00:00Z','factors.import','{"factors":6,"name":"test-factors","sha256":"d524ccd194339314a4f642c1239db015277e2a179acf78b4460c9f7404690079","version":"1.0"}','7d4c4d050400d22aa8c24a5c609b1d00fa6759892158e6535de12f982b5a2a71','9de0e5d2a0cc8230da7c7bdf8a13f11479ca148b5c8346b1b37fb8c600d5be49');
INSERT INTO audit VALUES(3,'2026-01-01T00:00:00Z','batch.import','{"batch":1,"file":"energie.csv","kind":"energy","profile":"canonical","rows_loaded":7,"rows_rejected":0,"rows_total":7,"sha256":"a5feae251b730d9d9caf35fec2c03cefbe00d089f020e80ec30e66d7615f4bb3"}','9de0e5d2a0cc8230da7c7bdf8a13f11479ca148b5c8346b1b37fb8c600d5be49','9223af8c42215d33dc4d469f316bbc9758dee973fc3486acc1a3141814d61fbc');
INSERT INTO audit VALUES(4,'2026-01-01T00:00:00Z','batch.import','{"batch":2,"file":"tankkarten.csv","kind":"fleet","profile":"canonical","rows_loaded":3,"rows_rejected":0,"rows_total":3,"sha256":"a5a4a594db4017e1f667a31785dfe95625a90e9859b06a2e4ab4f1ad16bbb796"}','9223af8c42215d33dc4d469f316bbc9758dee973fc3486acc1a3141814d61fbc','9dfa03dc50fe7b4c2ce775795eeb45f7de34678a0ae28fad0db749b60247afa7');
INSERT INTO audit VALUES(5,'2026-01-01T00:00:00Z','batch.import','{"batch":3,"file":"beschaffung.csv","kind":"procurement","profile":"canonical","rows_loaded":2,"rows_rejected":0,"rows_total":2,"sha256":"dcb16f94a24df3ff61a2404581d9ce027aa32cc8527868537977abc4449de602"}','9dfa03dc50fe7b4c2ce775795eeb45f7de34678a0ae28fad0db749b60247afa7','c30e4fd3ba64a81a9f73e755045644b34f7d1befc2332f66191094510a2a7b16');
INSERT INTO audit VALUES(6,'2026-01-01T00:00:00Z','run','{"batches":[{"file":"energie.csv","id":1,"kind":"energy","rows":7,"sha256":"a5feae251b730d9d9caf35fec2c03cefbe00d089f020e80ec30e66d7615f4bb3"},{"file":"tankkarten.csv","id":2,"kind":"fleet","rows":3,"sha256":"a5a4a594db4017e1f667a31785dfe95625a90e9859b06a2e4ab4f1ad16bbb796"},{"file":"beschaffung.csv","id":3,"kind":"procurement","rows":2,"sha256":"dcb16f94a24df3ff61a2404581d9ce027aa32cc8527868537977abc4449de602"}],"factor_sets":[{"name":"test-factors","sha256":"d524ccd194339314a4f642c1239db015277e2a179acf78b4460c9f7404690079","version":"1.0"}],"fallback":"strict","gwp":"AR5","inputs_sha256":"f85e0390c58357f4cde8f65169c31fc52b862ca53183242a258fda16055f5d24","region":"DE-BE","results_sha256":"cd96d3d2663748b15695048bfc208b2c551416913dd55851e92cf38a5641f756","rows_excluded":1,"rows_extrapolated":0,"rows_used":8,"run":1,"year":2024}','c30e4fd3ba64a81a9f73e755045644b34f7d1befc2332f66191094510a2a7b16','98eaa37e02f49e69ff9a4ffbf6c53c0f79ced03daab1d62cb479a560bf7cb60d');
CREATE INDEX org_unit_parent ON org_unit(parent_id);
CREATE INDEX batch_sha ON batch(sha256);
CREATE INDEX activity_batch ON activity(batch_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
COMMIT;
PRAGMA user_version = 1;
