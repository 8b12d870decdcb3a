#!/bin/sh
# Concurrent use: commands started at the same moment against one ledger.
# Each may succeed, or wait for the other and then succeed, or fail with the
# 'database is busy' message (exit status 1); nothing else is allowed, and
# afterwards the ledger must pass `PRAGMA integrity_check`, its audit chain
# must verify, and every batch and run must be whole (ledger-check), with
# exactly one batch or run per command that succeeded. Which command wins is
# never asserted: only these invariants.
#
# Per round, on a fresh copy of a prepared ledger:
#   1. import energy and import fleet at once (two different files);
#   2. the same energy file imported twice at once: exactly one batch, the
#      other refused as a duplicate (or busy);
#   3. import fleet and report --json at once (the report runs calc);
#   4. calc and calc at once.
#
#   5. with HOLD (any word): the sqlite3 shell holds a write transaction for
#      13 s, longer than co2ledger waits (10 s); an import must give up with
#      the busy message and change nothing.
#
# usage: sh tests/robustness/concurrent.sh BIN LEDGER_CHECK [ROUNDS] [ROWS] [HOLD]
# environment: ROBUST_DIR scratch directory (default tests/out/robust)
set -u
bin=$1 check=$2 rounds=${3:-5} rows=${4:-250000} hold=${5:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${ROBUST_DIR:-$root/tests/out/robust}/concurrent
year=2024
export LC_ALL=C
unset CO2LEDGER_DB

die() { echo "concurrent: $*" >&2; exit 1; }

rm -rf "$dir"; mkdir -p "$dir/data" || die "cannot create $dir"
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -o "$dir/gen" "$root/bench/gen.c" ||
	die "cannot build the generator"
"$dir/gen" "$rows" "$dir/data" >"$dir/gen.out" || die "the generator failed"
n_energy=$(awk '$1 == "energy" {print $2}' "$dir/gen.out")
n_fleet=$(awk '$1 == "fleet" {print $2}' "$dir/gen.out")

base=$dir/base.db
"$bin" --db "$base" -q init || die "init failed"
"$bin" --db "$base" -q org import "$dir/data/org.csv" >/dev/null || die "org import failed"
for f in "$root"/factors/data/*.json; do
	"$bin" --db "$base" -q factors import "$f" >/dev/null || die "factors import $f failed"
done
cp "$base" "$dir/energy.db"
"$bin" --db "$dir/energy.db" -q import energy "$dir/data/energy.csv" >"$dir/out" 2>&1 ||
	{ cat "$dir/out" >&2; die "importing energy alone failed"; }

fresh() {
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2"
}

invariants() {
	ic=$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)
	[ "$ic" = ok ] || die "$2: integrity_check says: $ic"
	counts=$("$check" "$1") || die "$2: ledger-check failed: $counts"
	batches=$(echo "$counts" | sed 's/.*batches=\([0-9]*\).*/\1/')
	runs=$(echo "$counts" | sed 's/.*runs=\([0-9]*\).*/\1/')
}

# both WHAT DB 'CMD A' 'CMD B': start both at once, wait for both; each must
# exit 0, or 1 with 'database is busy' (or, when ALSO is set, a message
# matching it). Sets $ok (how many exited 0) and $busy.
both() {
	what=$1 db=$2 a=$3 b=$4
	# shellcheck disable=SC2086
	"$bin" --db "$db" -q $a >"$dir/a.out" 2>&1 &
	pa=$!
	# shellcheck disable=SC2086
	"$bin" --db "$db" -q $b >"$dir/b.out" 2>&1 &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	ok=0 busy=0
	for x in "a:$ra" "b:$rb"; do
		w=${x%%:*} rc=${x#*:}
		if [ "$rc" = 0 ]; then
			ok=$((ok + 1))
		elif [ "$rc" = 1 ] && grep -q 'database is busy' "$dir/$w.out"; then
			busy=$((busy + 1))
		elif [ "$rc" = 1 ] && [ -n "${ALSO:-}" ] && grep -q "$ALSO" "$dir/$w.out"; then
			:
		else
			cat "$dir/$w.out" >&2
			die "$what: command $w exited with status $rc"
		fi
	done
	invariants "$db" "$what"
}

# batch_rows DB KIND: rows_loaded of the batch of that kind ("" when none)
batch_rows() {
	sqlite3 "$1" "SELECT rows_loaded FROM batch WHERE kind = '$2'"
}

db=$dir/work.db
tb=0 tr=0 r=1
while [ $r -le "$rounds" ]; do
	# 1. two different imports
	fresh "$base" "$db"
	both "round $r: energy and fleet imports" "$db" \
		"import energy $dir/data/energy.csv" "import fleet $dir/data/fleet.csv"
	[ "$batches" = $ok ] || die "round $r: $ok imports succeeded but $batches batches: $counts"
	e=$(batch_rows "$db" energy) f=$(batch_rows "$db" fleet)
	[ -z "$e" ] || [ "$e" = "$n_energy" ] || die "round $r: energy batch has $e rows of $n_energy"
	[ -z "$f" ] || [ "$f" = "$n_fleet" ] || die "round $r: fleet batch has $f rows of $n_fleet"
	tb=$((tb + busy))
	# 2. the same file twice
	fresh "$base" "$db"
	ALSO='already'
	both "round $r: the same file twice" "$db" \
		"import energy $dir/data/energy.csv" "import energy $dir/data/energy.csv"
	ALSO=''
	[ "$ok" = 1 ] && [ "$batches" = 1 ] ||
		die "round $r: the same file imported twice at once: $ok succeeded, $counts"
	# 3. import and report
	fresh "$dir/energy.db" "$db"
	both "round $r: import and report" "$db" \
		"import fleet $dir/data/fleet.csv" "report --year $year --json $dir/report.json"
	if [ "$rb" = 0 ]; then
		python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$dir/report.json" ||
			die "round $r: the report written during an import is not valid JSON"
	fi
	f=$(batch_rows "$db" fleet)
	[ -z "$f" ] || [ "$f" = "$n_fleet" ] || die "round $r: fleet batch has $f rows of $n_fleet"
	[ "$ra" != 0 ] || [ "$f" = "$n_fleet" ] || die "round $r: the fleet import succeeded but its batch is missing"
	tb=$((tb + busy))
	# 4. two calcs
	fresh "$dir/energy.db" "$db"
	both "round $r: two calcs" "$db" "calc --year $year" "calc --year $year"
	[ "$runs" = $ok ] || die "round $r: $ok calcs succeeded but $runs runs: $counts"
	tr=$((tr + busy))
	r=$((r + 1))
done
# 5. (with HOLD) another writer holds the ledger longer than the 10 s busy
# timeout: the import gives up with the busy message and changes nothing
held=""
if [ -n "$hold" ]; then
	fresh "$base" "$db"
	{ echo 'BEGIN IMMEDIATE;'; echo 'CREATE TABLE robust_hold (x);'; sleep 13; echo 'ROLLBACK;'; } |
		sqlite3 "$db" &
	holder=$!
	sleep 1
	s=$(date +%s)
	"$bin" --db "$db" import energy "$dir/data/energy.csv" >"$dir/a.out" 2>&1
	rc=$? waited=$(($(date +%s) - s))
	wait $holder
	[ $rc = 1 ] && grep -q 'database is busy' "$dir/a.out" ||
		{ cat "$dir/a.out" >&2; die "import against a held ledger: exit status $rc"; }
	invariants "$db" "import against a held ledger"
	[ "$batches" = 0 ] || die "import against a held ledger: $counts"
	held="; an import against a ledger held by another writer gave up after ${waited}s with: $(grep -o 'database is busy[^(]*' "$dir/a.out" | sed 's/ *$//')"
fi
echo "concurrent: $rounds rounds of 4 races ($n_energy energy and $n_fleet fleet rows):" \
	"ledger intact every time; $((tb + tr)) commands gave up with 'database is busy'$held"
