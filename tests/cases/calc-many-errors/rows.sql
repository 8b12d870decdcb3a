-- 150 electricity rows in 2024 and a spend set without any electricity
-- factor: every row is an error under the strict policy.
BEGIN;
INSERT INTO batch(id, kind, file, sha256, rows_total, rows_loaded, imported_at) VALUES
 (1, 'energy', 'strom.csv', 'abab000000000000000000000000000000000000000000000000000000000001', 150, 150, '2026-01-01T00:00:00Z');
INSERT INTO activity_key(key) VALUES ('energy.electricity');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
INSERT INTO activity(batch_id, line, org_id, key_id, day_start, day_end, quantity, unit, quality)
SELECT 1, i + 1, (SELECT id FROM org_unit WHERE code = 'MITTE'), 1, 19723 + i, 19723 + i, 1000000 * i, 'kWh', 0 FROM n;
COMMIT;
