-- Rows for the shipped factor sets (factors/data), as the importers store them.
-- Hand-worked (kg):
--  e.csv:2  120,000 kWh electricity 2023: UBA CC 13/2025 THG ohne Vorketten 0.394
--           -> 47,280.000; CC 16/2026 0.387 -> 46,440.000; upstream 0.055 in both
--           -> 6,600.000; no market factor without tariff: market = location, flagged
--  e.csv:3  45,000 kWh_Hs gas 2023: BAFA 1 kWh_Hs = 0.906 kWh -> 40,770 kWh x 0.201
--           = 8,194.770 scope 1; upstream 40,770 x 0.03347 = 1,364.5719 -> 1,364.572
--  f.csv:2  15,000 l diesel 2023 (DESNZ 2.51279) -> 37,691.850 (T2a); WTT 0.61101
--           -> 9,165.150
--  2023 scope 1 = 8,194.770 + 37,691.850 = 45,886.620; scope 3 = 6,600 + 1,364.572
--           + 9,165.150 = 17,129.722
--  p.csv:2  12,500 EUR CPV 30192000 in 2024: cpv.30192 0.279045 kg/EUR2022,
--           x 110.2/119.3 -> 3,221.999 (example 5)
--  e.csv:4  152,000 kWh green electricity 2024: CC 16/2026 0.361 -> 54,872.000
--           location, 0.000 market (GO-backed tariff), upstream 0.053 -> 8,056.000
BEGIN;
INSERT INTO batch(id, kind, file, sha256, rows_total, rows_loaded, imported_at) VALUES
 (1, 'energy', 'e.csv', '1111111111111111111111111111111111111111111111111111111111111111', 3, 3, '2026-01-01T00:00:00Z'),
 (2, 'fleet', 'f.csv', '2222222222222222222222222222222222222222222222222222222222222222', 1, 1, '2026-01-01T00:00:00Z'),
 (3, 'procurement', 'p.csv', '3333333333333333333333333333333333333333333333333333333333333333', 1, 1, '2026-01-01T00:00:00Z');
INSERT INTO activity_key(key) VALUES ('energy.electricity'), ('energy.natural_gas'),
 ('fleet.diesel'), ('procurement.cpv.30192000');
CREATE TEMP TABLE r(batch, line, org, key, d0, d1, qty, unit, quality, tariff);
INSERT INTO r VALUES
 (1, 2, 'MITTE-RH', 'energy.electricity', '2023-01-01', '2023-12-31', 120000000000, 'kWh', 0, NULL),
 (1, 3, 'MITTE-RH', 'energy.natural_gas', '2023-01-01', '2023-12-31', 45000000000, 'kWh_Hs', 0, NULL),
 (2, 2, 'SPANDAU', 'fleet.diesel', '2023-06-01', '2023-06-01', 15000000000, 'l', 0, NULL),
 (3, 2, 'SENFIN', 'procurement.cpv.30192000', '2024-03-15', '2024-03-15', 12500000000, 'EUR', 2, NULL),
 (1, 4, 'SPANDAU', 'energy.electricity', '2024-01-01', '2024-12-31', 152000000000, 'kWh', 0, 'green');
INSERT INTO activity(batch_id, line, org_id, key_id, day_start, day_end, quantity, unit, quality, tariff)
SELECT batch, line, (SELECT id FROM org_unit WHERE code = org), (SELECT id FROM activity_key k WHERE k.key = r.key),
 CAST(julianday(d0) - 2440587.5 AS INTEGER), CAST(julianday(d1) - 2440587.5 AS INTEGER),
 qty, unit, quality, tariff FROM r ORDER BY rowid;
COMMIT;
