#!/bin/sh
# The Berlin example end to end: a fresh ledger, the organisation tree, the
# shipped factor sets, two years of exports, the 2024 balance as XLSX, JSON
# and open-data CSV, the district comparison, and verification of the
# report just written. Usage: sh examples/berlin/run.sh [path/to/co2ledger]
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

step "the exports, as the source systems write them"
"$bin" import energy energie-2023-2024.csv
"$bin" import fleet tankkarten-2023-2024.csv
"$bin" import fleet fahrtenbuch-2023-2024.csv
"$bin" import procurement beschaffung-2023-2024.csv

step "a file with mistakes: every bad row is named (checked only, nothing loaded)"
"$bin" import energy fehlerhaft.csv --dry-run || true

step "the balances 2023 and 2024"
"$bin" report --year 2023 --json "$out/bilanz-2023.json" --xlsx "$out/bilanz-2023.xlsx"
"$bin" report --year 2024 --json "$out/bilanz-2024.json" --xlsx "$out/bilanz-2024.xlsx" \
	--csv "$out/opendata-2024" --html "$out/web-2024"

step "the districts compared (per resident, change against 2023)"
"$bin" compare --year 2024 --base-year 2023

step "an auditor's check of the published report"
"$bin" verify "$out/bilanz-2024.json"

printf '\nwritten: %s\n' "$out/bilanz-2024.xlsx $out/bilanz-2024.json $out/opendata-2024/ $out/web-2024/index.html"
