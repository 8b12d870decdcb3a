-- Hand-worked (kg CO2e, location = market: no market factors).
-- 2023 run 1 (fx@1, AR5):  A-S M1 10,000 kWh 2022-12-01..2023-12-31, 365 of
--   396 days: 3,686.868687; A M2 5,000 x 0.4 = 2,000; B-S G1 20,000 x 0.228
--   = 4,560; C-S D1 1,000 kWh x 0.4 = 400 (the depot closes: no 2024 rows).
-- 2024 run 2 (fx@2, AR6):  A-S M1 9,000 x 0.25 = 2,250; M2 now on B-S 6,000 x
--   0.25 = 1,500; G1 22,000.7 x 0.2298 = 5,055.76086.
-- method (AR6 on 2023 rows): G1 4,596 - 4,560 = +36 (B)
-- factors (fx@2, 2024 factors on 2023 rows): M1 2,304.292929 - 3,686.868687,
--   M2 1,250 - 2,000 (A: -2,132.575758); D1 250 - 400 = -150 (C)
-- structure: M2 moves A -> B (-1,250 / +1,250); C-S gone: -250 (C)
-- activity: A 2,250 - 2,304.292929 = -54.292929; B electricity +250,
--   B heat +459.76086
-- total: 10,646.868687 -> 8,805.76086, change -1,841.107827 =
--   36 - 2,282.575758 - 250 + 655.467931
BEGIN;
INSERT INTO batch(id, kind, file, sha256, rows_total, rows_loaded, imported_at) VALUES
 (1, 'energy', 'energy.csv', 'e0e0000000000000000000000000000000000000000000000000000000000001', 7, 7, '2026-01-01T00:00:00Z');
INSERT INTO activity_key(id, key) VALUES (1, 'energy.electricity'), (2, 'energy.natural_gas');
INSERT INTO activity(batch_id, line, org_id, key_id, day_start, day_end, quantity, unit, quality, ident) VALUES
 (1, 2, (SELECT id FROM org_unit WHERE code = 'A-S'), 1, 19327, 19722, 10000000000, 'kWh', 0, 'M1'),
 (1, 3, (SELECT id FROM org_unit WHERE code = 'A'),   1, 19358, 19722, 5000000000, 'kWh', 0, 'M2'),
 (1, 4, (SELECT id FROM org_unit WHERE code = 'B-S'), 2, 19358, 19722, 20000000000, 'kWh', 0, 'G1'),
 (1, 5, (SELECT id FROM org_unit WHERE code = 'C-S'), 1, 19358, 19722, 1000000000, 'kWh', 0, 'D1'),
 (1, 6, (SELECT id FROM org_unit WHERE code = 'A-S'), 1, 19723, 20088, 9000000000, 'kWh', 0, 'M1'),
 (1, 7, (SELECT id FROM org_unit WHERE code = 'B-S'), 1, 19723, 20088, 6000000000, 'kWh', 0, 'M2'),
 (1, 8, (SELECT id FROM org_unit WHERE code = 'B-S'), 2, 19723, 20088, 22000700000, 'kWh', 0, 'G1');
COMMIT;
