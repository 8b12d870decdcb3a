#!/bin/sh
# The benchmark behind `make bench` (docs/performance.md): generates ROWS
# activity rows (bench/gen.c, fixed seed) into a scratch directory, loads them
# into a fresh ledger and times, in one run, every step a user waits for:
# `import` of each file, `calc` of the year, `report` to JSON and to XLSX,
# and, for comparison, the sqlite3 shell's unvalidated `.import` of the same
# three files into plain tables. For each step it prints rows, seconds,
# rows/s and peak memory (max RSS, from /usr/bin/time), with the target of
# SPEC §9 and whether it was met. It measures; it never fails on a time.
#
# usage: sh bench/run.sh BIN ROWS
# environment: BENCH_DIR  scratch directory (default bench/out, git-ignored)
#              CC         compiler for the generator (default cc)
set -u
bin=$1
rows=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-$root/bench/out}
year=2024
export LC_ALL=C
unset CO2LEDGER_DB

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$bin" ] || die "no co2ledger binary at '$bin' (run make first)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package 'time'; make deps installs it)"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing (make deps installs it)"
mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd)
log=$dir/log
rm -rf "$log"; mkdir -p "$log"

# ---- generator -------------------------------------------------------------
gen=$dir/bench-gen
if [ ! -x "$gen" ] || [ "$root/bench/gen.c" -nt "$gen" ]; then
	${CC:-cc} -std=c17 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L \
		-o "$gen" "$root/bench/gen.c" || die "cannot build the generator"
fi
data=$dir/data
rm -rf "$data"; mkdir -p "$data"
t0=$(date +%s%N)
"$gen" "$rows" "$data" >"$log/gen.out" || die "the generator failed"
t1=$(date +%s%N)
n_energy=$(awk '$1 == "energy" {print $2}' "$log/gen.out")
n_fleet=$(awk '$1 == "fleet" {print $2}' "$log/gen.out")
n_proc=$(awk '$1 == "procurement" {print $2}' "$log/gen.out")
mb=$(du -cm "$data"/energy.csv "$data"/fleet.csv "$data"/procurement.csv | awk 'END {print $1}')
echo "generated $rows rows ($n_energy energy, $n_fleet fleet, $n_proc procurement; $mb MB of CSV) in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}') s into $data"

# ---- timing ------------------------------------------------------------------
# step NAME ROWS TARGET CMD...: run CMD with stdout and stderr kept in
# $log/NAME.*, append "NAME ROWS SECONDS PEAK_KB TARGET CPU_SECONDS" to
# $log/table (seconds: wall clock; CPU: user + system, all threads).
# TARGET is "rate:N" (rows/s at least N), "secs:N" (at most N seconds),
# "mem" (only the memory bound) or "-" (none); every target but "-" includes
# peak memory under 100 MB. A failing command stops the benchmark and shows
# its stderr.
step() {
	name=$1 n=$2 target=$3; shift 3
	s=$(date +%s%N)
	/usr/bin/time -f '%e %M %U %S' -o "$log/$name.time" "$@" \
		>"$log/$name.stdout" 2>"$log/$name.stderr"
	rc=$?
	e=$(date +%s%N)
	if [ $rc != 0 ]; then
		echo "bench: step '$name' failed with exit status $rc: $*" >&2
		tail -20 "$log/$name.stderr" >&2
		exit 1
	fi
	kb=$(awk 'END {print $2}' "$log/$name.time")
	cpu=$(awk 'END {printf "%.2f", $3 + $4}' "$log/$name.time")
	echo "$name $n $(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.3f", (b - a) / 1e9}') $kb $target $cpu" >>"$log/table"
}

load() { awk '{print $1}' /proc/loadavg 2>/dev/null || echo "?"; }
load0=$(load)

# ---- co2ledger ------------------------------------------------------------------
db=$dir/bench.db
rm -f "$db" "$db-wal" "$db-shm" "$log/table"
export CO2LEDGER_DB="$db"
"$bin" init >"$log/init.out" 2>&1 || { cat "$log/init.out" >&2; die "init failed"; }
"$bin" org import "$data/org.csv" >"$log/org.out" 2>&1 ||
	{ cat "$log/org.out" >&2; die "org import failed"; }
for f in "$root"/factors/data/*.json; do
	"$bin" factors import "$f" >"$log/factors.out" 2>&1 ||
		{ cat "$log/factors.out" >&2; die "factors import $f failed"; }
done

step import-energy "$n_energy" rate:1000000 "$bin" import energy "$data/energy.csv"
step import-fleet "$n_fleet" rate:1000000 "$bin" import fleet "$data/fleet.csv"
step import-procurement "$n_proc" rate:1000000 "$bin" import procurement "$data/procurement.csv"
step calc "$rows" rate:5000000 "$bin" --json calc --year $year
# the run id: the first number after "run" in calc's JSON output
run=$(tr -d ' \n' <"$log/calc.stdout" | sed -n 's/.*"run[_id]*":\([0-9][0-9]*\).*/\1/p')
[ -n "$run" ] || run=$(grep -o '[0-9][0-9]*' "$log/calc.stdout" | head -1)
[ -n "$run" ] || die "cannot find the run id in calc's output: $(cat "$log/calc.stdout")"
# The report compares with the previous year: its first run for a year
# calculates the run of the year before over the same files (a full scan
# that finds nothing in generated data). Timed on its own so that the report
# rows show the report itself.
step calc-$((year - 1)) "$rows" mem "$bin" calc --year $((year - 1))
step report-json "$rows" secs:2 "$bin" report --year $year --run "$run" --json "$dir/report.json"
step report-xlsx "$rows" secs:2 "$bin" report --year $year --run "$run" --xlsx "$dir/report.xlsx"
dbmb=$(du -cm "$db"* 2>/dev/null | awk 'END {print $1}')

# ---- sqlite3 shell, for comparison ----------------------------------------------
sq=$dir/sqlite3-import.db
rm -f "$sq"
step sqlite3-energy "$n_energy" - sqlite3 "$sq" '.mode csv' ".import $data/energy.csv energy"
step sqlite3-fleet "$n_fleet" - sqlite3 "$sq" '.mode csv' ".import $data/fleet.csv fleet"
step sqlite3-procurement "$n_proc" - sqlite3 "$sq" '.mode csv' ".import $data/procurement.csv procurement"
rm -f "$sq"

# ---- DuckDB and pandas, for comparison: read the CSV files and compute -----------
# a year's emissions per unit and carrier (bench/peers/); installed into the
# scratch folder from the npm registry and Debian's python3-pandas. A peer
# that cannot be installed is left out, and the table says so.
# BENCH_PEERS=0 leaves them out (the test suite's smoke run does).
peers=$dir/peers
[ "${BENCH_PEERS:-1}" = 0 ] || {
mkdir -p "$peers"
cp "$root/bench/peers/package.json" "$root/bench/peers/duckdb.mjs" "$peers/"
if command -v npm >/dev/null 2>&1 &&
   { [ -d "$peers/node_modules/@duckdb/node-api" ] ||
     (cd "$peers" && npm install --no-audit --no-fund --silent >"$log/npm.log" 2>&1); }; then
	step duckdb "$rows" - node "$peers/duckdb.mjs" "$data" $year
else
	echo "bench: DuckDB left out (npm or the npm registry not reachable; see $log/npm.log)" >&2
fi
if /usr/bin/python3 -c 'import pandas' >/dev/null 2>&1; then
	step pandas "$rows" - /usr/bin/python3 "$root/bench/peers/pandas_peer.py" "$data" $year
else
	echo "bench: pandas left out (Debian package python3-pandas missing)" >&2
fi
}

# ---- table ------------------------------------------------------------------------
load1=$(load)
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
awk -v rows="$rows" -v dbmb="$dbmb" -v load0="$load0" -v load1="$load1" -v ncpu="$ncpu" '
function rate(n, s) { return s > 0 ? n / s : 0 }
function fmt(n,    out) {   # 1234567 -> 1,234,567
	n = sprintf("%.0f", n); out = ""
	while (length(n) > 3) { out = "," substr(n, length(n) - 2) out; n = substr(n, 1, length(n) - 3) }
	return n out
}
function line(name, n, s, kb, target, cpu,    r, t, met, mb) {
	r = rate(n, s); mb = kb / 1024; t = "-"; met = "-"
	if (target ~ /^rate:/) {
		t = ">= " fmt(substr(target, 6)) "/s"
		met = r >= substr(target, 6) + 0 ? "yes" : "NO"
	} else if (target ~ /^secs:/) {
		t = "<= " substr(target, 6) " s"
		met = s <= substr(target, 6) + 0 ? "yes" : "NO"
	}
	if (target != "-" && kb != "") {
		t = (t == "-" ? "" : t ", ") "< 100 MB"
		met = met == "-" ? "yes" : met
		if (mb >= 100) met = "NO"
	}
	printf "%-20s %11s %9.3f %12s %7.2f %8.1f  %-24s %s\n", name, fmt(n), s, fmt(r), cpu, mb, t, met
}
{ name[NR] = $1; n[NR] = $2; s[NR] = $3; kb[NR] = $4; tg[NR] = $5; cp[NR] = $6 }
END {
	printf "%-20s %11s %9s %12s %7s %8s  %-24s %s\n", "step", "rows", "seconds", "rows/s", "cpu s", "peak MB", "target", "met?"
	for (i = 1; i <= NR; i++) {
		line(name[i], n[i], s[i], kb[i], tg[i], cp[i])
		if (name[i] == "import-procurement") {
			ia = 0; is = 0; ikb = 0; ic = 0
			for (j = 1; j <= i; j++) if (name[j] ~ /^import-/) {
				ia += n[j]; is += s[j]; ic += cp[j]; if (kb[j] > ikb) ikb = kb[j]
			}
			line("import (all)", ia, is, ikb, "rate:1000000", ic)
		}
	}
	sa = 0; ss = 0; skb = 0; sc = 0
	for (j = 1; j <= NR; j++) if (name[j] ~ /^sqlite3-/) {
		sa += n[j]; ss += s[j]; sc += cp[j]; if (kb[j] > skb) skb = kb[j]
	}
	line("sqlite3 (all)", sa, ss, skb, "-", sc)
	if (ss > 0 && is > 0)
		printf "\nimport vs sqlite3 .import: %.2f x the rows/s (%s vs %s rows/s)\n",
			rate(ia, is) / rate(sa, ss), fmt(rate(ia, is)), fmt(rate(sa, ss))
	for (j = 1; j <= NR; j++) {
		if (name[j] == "calc") cs = s[j]
		if (name[j] == "report-json") rs = s[j]
		if (name[j] == "duckdb") ds = s[j]
		if (name[j] == "pandas") ps = s[j]
	}
	if (ds > 0)
		printf "calc + JSON report vs DuckDB read-and-compute (one thread): %.2f x the time (%.3f s vs %.3f s)\n",
			(cs + rs) / ds, cs + rs, ds
	if (ps > 0)
		printf "calc + JSON report vs pandas read-and-compute: %.2f x the time (%.3f s vs %.3f s)\n",
			(cs + rs) / ps, cs + rs, ps
	printf "ledger size after import, calc and report: %d MB\n", dbmb
	printf "load average (1 min) before and after: %s, %s on %s cores%s\n", load0, load1, ncpu,
		((load0 + 0 > 0.5 || load1 + 0 > 0.5) ? " (other work competed for the CPU: figures are low)" : "")
}' "$log/table" | tee "$dir/results.txt"
# the activity sheet shows the first REPORT_XLSX_LINES lines by default
n=$(cat "$log/report-xlsx.stdout" "$log/report-xlsx.stderr" | sed -n 's/^wrote .*(\([0-9]*\) activity lines)$/\1/p')
if [ -n "$n" ]; then
	if [ "$n" -gt 50000 ]; then
		echo "report-xlsx: the activity sheet shows the first 50,000 of $n lines (the default; --xlsx-lines all for every line; activities.csv has them all)"
	else
		echo "report-xlsx: the activity sheet shows all $n lines"
	fi
fi

echo "(logs and outputs in $dir)"
