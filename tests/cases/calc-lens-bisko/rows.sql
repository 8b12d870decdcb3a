-- Activity rows as the importers store them: one batch per file, interned
-- keys, days since 1970-01-01, quantities in micro-units.
BEGIN;
INSERT INTO batch(id, kind, file, sha256, rows_total, rows_loaded, imported_at) VALUES
 (1, 'energy', 'energy.csv', 'e0e0000000000000000000000000000000000000000000000000000000000001', 8, 8, '2026-01-01T00:00:00Z'),
 (2, 'fleet', 'fleet.csv', 'f0f0000000000000000000000000000000000000000000000000000000000002', 2, 2, '2026-01-01T00:00:00Z'),
 (3, 'procurement', 'procurement.csv', 'a0a0000000000000000000000000000000000000000000000000000000000003', 4, 4, '2026-01-01T00:00:00Z');
INSERT INTO activity_key(key) VALUES ('energy.electricity'), ('energy.natural_gas'),
 ('energy.district_heating'), ('energy.wood_pellets'), ('fleet.diesel'),
 ('fleet.electricity'), ('procurement.cpv.30192000'), ('procurement.cpv.30200000'),
 ('procurement.cpv.09134100');
-- Hand-worked results for run year 2024, AR5 (kg CO2e):
--  energy.csv:2  24,200 kWh 2023-11-01..2024-02-29 = 121 days, 60 in 2024:
--                12,000 kWh x 0.363 = 4,356.000 (scope 2 location); market:
--                residual mix 0.5 -> 6,000.000. In 2023: 12,200 x 0.386 =
--                4,709.200, upstream 12,200 x 0.05 = 610.000, market from
--                location (no 2023 market factor) 4,709.200
--  energy.csv:3  45,000 kWh_Hs x 0.9024 = 40,608 kWh x 0.201 = 8,162.208 (scope 1)
--  energy.csv:4  1,000 m3 x 10.4 x 0.9024 = 9,384.96 kWh x 0.201 = 1,886.37696
--                -> 1,886.377 (scope 1)
--  energy.csv:5  10,000 kWh green: location 3,630.000, market 0.000
--  energy.csv:6  10 MWh, supplier 0.120/kWh: location 3,630.000, market 1,200.000
--  energy.csv:7  1,000 kWh district heating 0.28: 280.000 both, market flagged
--  energy.csv:8  1,000 kg pellets: 1000 x (0.001 x 28 + 0.0001 x 265) = 54.500
--                scope 1 (AR6: 27 + 27.3 = 54.300), biogenic CO2 1,600.000
--  energy.csv:9  6,200 kWh 2024-12-01..2025-01-31 = 62 days, 31 in 2024:
--                3,100 x 0.363 = 1,125.300, market 3,100 x 0.5 = 1,550.000;
--                2025: no factor (strict fails), previous: 1,125.300 flagged
--  fleet.csv:2   15,000 l x 2.51279 = 37,691.850 (scope 1)
--  fleet.csv:3   1,000 kWh fleet.electricity -> energy.electricity 0.363 =
--                363.000, market residual 500.000
--  procurement.csv:2  12,500 EUR x 110.2/119.3 x 0.279045 = 3,221.999057 (cpv 3019)
--  procurement.csv:3  1,193 EUR x 110.2/119.3 x 0.5 = 551.000 (cpv 30)
--  procurement.csv:4  CPV 09: excluded
--  procurement.csv:5  2023: outside the 2024 run
-- 2024 totals: scope 1 8,162.208 + 1,886.37696 + 54.5 + 37,691.85 = 47,794.935;
-- scope 2 location 4,356 + 3,630 + 3,630 + 280 + 1,125.3 + 363 = 13,384.300;
-- scope 2 market 6,000 + 0 + 1,200 + 280 + 1,550 + 500 = 9,530.000;
-- scope 3 3,221.999057 + 551 = 3,772.999; biogenic 1,600.000.
CREATE TEMP TABLE r(batch, line, org, key, d0, d1, qty, unit, quality, tariff, sf);
INSERT INTO r VALUES
 (1, 2, 'MITTE-RH', 'energy.electricity', '2023-11-01', '2024-02-29', 24200000000, 'kWh', 0, NULL, NULL),
 (1, 3, 'MITTE-RH', 'energy.natural_gas', '2024-01-01', '2024-12-31', 45000000000, 'kWh_Hs', 0, NULL, NULL),
 (1, 4, 'SPANDAU', 'energy.natural_gas', '2024-03-01', '2024-03-31', 1000000000, 'm3', 1, NULL, NULL),
 (1, 5, 'SPANDAU', 'energy.electricity', '2024-01-01', '2024-12-31', 10000000000, 'kWh', 0, 'green', NULL),
 (1, 6, 'SENFIN', 'energy.electricity', '2024-06-01', '2024-06-30', 10000000, 'MWh', 0, NULL, 120000000),
 (1, 7, 'MITTE', 'energy.district_heating', '2024-01-01', '2024-01-31', 1000000000, 'kWh', 2, NULL, NULL),
 (1, 8, 'MITTE', 'energy.wood_pellets', '2024-02-01', '2024-02-01', 1000000000, 'kg', 0, NULL, NULL),
 (1, 9, 'SPANDAU', 'energy.electricity', '2024-12-01', '2025-01-31', 6200000000, 'kWh', 0, NULL, NULL),
 (2, 2, 'MITTE', 'fleet.diesel', '2024-05-03', '2024-05-03', 15000000000, 'l', 0, NULL, NULL),
 (2, 3, 'SPANDAU', 'fleet.electricity', '2024-04-01', '2024-04-01', 1000000000, 'kWh', 0, NULL, NULL),
 (3, 2, 'SENFIN', 'procurement.cpv.30192000', '2024-09-01', '2024-09-01', 12500000000, 'EUR', 2, NULL, NULL),
 (3, 3, 'SENFIN', 'procurement.cpv.30200000', '2024-09-02', '2024-09-02', 1193000000, 'EUR', 2, NULL, NULL),
 (3, 4, 'SENFIN', 'procurement.cpv.09134100', '2024-10-01', '2024-10-01', 5000000000, 'EUR', 2, NULL, NULL),
 (3, 5, 'MITTE', 'procurement.cpv.30192000', '2023-06-01', '2023-06-01', 1000000000, 'EUR', 2, NULL, NULL);
INSERT INTO activity(batch_id, line, org_id, key_id, day_start, day_end, quantity, unit, quality, tariff, supplier_factor)
SELECT batch, line, (SELECT id FROM org_unit WHERE code = org), (SELECT id FROM activity_key k WHERE k.key = r.key),
 CAST(julianday(d0) - 2440587.5 AS INTEGER), CAST(julianday(d1) - 2440587.5 AS INTEGER),
 qty, unit, quality, tariff, sf FROM r ORDER BY rowid;
COMMIT;
