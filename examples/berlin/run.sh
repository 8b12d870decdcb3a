#!/bin/sh
# The Berlin example end to end: a fresh ledger, the organisation tree, the
# shipped factor sets, the exports of 2019-2024, the 2024 balance as XLSX,
# JSON, open-data CSV and web page (with the trend and the targets), the
# district comparison, the trend 2019-2024, the progress toward 2030, and
# verification of the report just written. Usage: sh examples/berlin/run.sh [path/to/co2ledger]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/co2ledger}
out=$here/out
rm -rf "$out"
mkdir -p "$out"
export CO2LEDGER_DB="$out/berlin.db"
cd "$here"
step() { printf '\n== %s\n' "$*"; }

step "a fresh ledger and the organisation tree"
"$bin" init
"$bin" org import org.csv

step "the shipped factor sets"
for f in "$root"/factors/data/*.json; do
	"$bin" factors import "$f"
done

step "the exports 2019-2022 and 2023-2024, as the source systems write them"
for years in 2019-2022 2023-2024; do
	"$bin" import energy energie-$years.csv
	"$bin" import fleet tankkarten-$years.csv
	"$bin" import fleet fahrtenbuch-$years.csv
	"$bin" import procurement beschaffung-$years.csv
done

step "the targets: Berlin's register and the example's illustrative one"
"$bin" targets import "$root/targets/data/berlin.json"
"$bin" targets import ziele-beispiel.json

step "a file with mistakes: every bad row is named (checked only, nothing loaded)"
"$bin" import energy fehlerhaft.csv --dry-run || true

step "2019 to 2022 have fleet litres but no fleet factor (DESNZ starts in 2023): strict names it"
"$bin" calc --year 2019 || true

step "every year 2019-2024 with the documented fallback (the nearest factor, disclosed as extrapolated)"
for y in 2019 2020 2021 2022 2023 2024; do
	"$bin" calc --year $y --factor-fallback nearest >"$out/calc-$y.txt"
	cat "$out/calc-$y.txt"
done
run2019=$(sed -n 's/^run //p' "$out/calc-2019.txt")
run=$(sed -n 's/^run //p' "$out/calc-2024.txt")

step "the balances 2019 and 2024 (2024 with the trend and the targets on its web page)"
"$bin" report --run "$run2019" --json "$out/bilanz-2019.json"
"$bin" report --run "$run" --json "$out/bilanz-2024.json" --xlsx "$out/bilanz-2024.xlsx" \
	--csv "$out/opendata-2024" --html "$out/web-2024"
"$bin" report --run "$run" --html "$out/web-2024-en" --lang en

step "the districts compared (per resident, change against 2023)"
"$bin" compare --year 2024 --base-year 2023

step "the BISKO lens for 2024: the German municipal balance, reconciled with the GHG Protocol"
"$bin" calc --year 2024 --factor-fallback nearest --lens bisko >"$out/calc-2024-bisko.txt"
cat "$out/calc-2024-bisko.txt"
runb=$(sed -n 's/^run //p' "$out/calc-2024-bisko.txt")
"$bin" report --run "$runb" --json "$out/bilanz-2024-bisko.json" --xlsx "$out/bilanz-2024-bisko.xlsx"
"$bin" verify "$out/bilanz-2024-bisko.json"

step "energy alongside emissions: Rathaus Spandau's electricity 2024 in kWh and kg"
"$bin" energy --year 2024 --org SPANDAU-RH --carrier electricity

step "the trend 2019-2024, every year with one method"
"$bin" report --years 2019-2024 --factor-fallback nearest --xlsx "$out/zeitreihe.xlsx"

step "progress toward 2030 (EWG Bln targets, and the example's illustrative one)"
"$bin" targets progress --year 2024 --factor-fallback nearest

step "an auditor's check of the published report"
"$bin" verify "$out/bilanz-2024.json"

printf '\nwritten: %s\n' "$out/bilanz-2024.xlsx $out/bilanz-2024.json $out/bilanz-2024-bisko.xlsx $out/bilanz-2024-bisko.json $out/opendata-2024/ $out/web-2024/index.html $out/zeitreihe.xlsx"
