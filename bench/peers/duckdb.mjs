// The DuckDB peer of `make bench`: read the three generated CSV files and
// compute a year's emissions per org unit and carrier the way a careful
// analyst would in SQL (energy pro rata by day, fuels and spend with one
// factor each), on one thread. Not co2ledger's method (no validation, no
// factor sets, no conversions): a lower bound for "read and compute".
// usage: node duckdb.mjs DATA_DIR YEAR
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, year] = process.argv.slice(2);
const y0 = `DATE '${year}-01-01'`, y1 = `DATE '${year}-12-31'`;
const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
const sql = `
WITH f(carrier, kg) AS (VALUES ('electricity', 0.363), ('natural_gas', 0.201),
  ('district_heating', 0.28), ('heating_oil', 0.266), ('diesel', 2.51),
  ('petrol', 2.1), ('car_medium', 0.17), ('spend', 0.3)),
e AS (
  SELECT org, carrier, quantity * (least(period_end, ${y1}) - greatest(period_start, ${y0}) + 1)
         / (period_end - period_start + 1) AS q
  FROM read_csv('${dir}/energy.csv', header = true)
  WHERE period_end >= ${y0} AND period_start <= ${y1}),
v AS (
  SELECT org, coalesce(vehicle_class, fuel) AS carrier, quantity AS q
  FROM read_csv('${dir}/fleet.csv', header = true, types = {'vehicle_class': 'VARCHAR'})
  WHERE date BETWEEN ${y0} AND ${y1}),
p AS (
  SELECT org, 'spend' AS carrier, amount AS q
  FROM read_csv('${dir}/procurement.csv', header = true)
  WHERE date BETWEEN ${y0} AND ${y1}),
a AS (SELECT * FROM e UNION ALL SELECT * FROM v UNION ALL SELECT * FROM p)
SELECT a.org, a.carrier, sum(a.q * coalesce(f.kg, 0.2)) AS kg, count(*) AS n
FROM a LEFT JOIN f USING (carrier) GROUP BY ALL ORDER BY ALL`;
const r = await con.runAndReadAll(sql);
let n = 0;
for (const row of r.getRows()) n += Number(row[3]);
console.log(`duckdb: ${r.getRows().length} groups over ${n} rows`);
