#!/bin/sh
# Crash consistency: kill `co2ledger import` and `co2ledger calc` with SIGKILL
# at random moments and check that the ledger survives every time.
#
# Generates ROWS activity rows with the benchmark generator (bench/gen.c; the
# energy file gets about 40 % of them), builds a ledger with the generated
# organisation tree and the shipped factor sets, and times one undisturbed
# import of energy.csv and one calc. Then, ITERATIONS times each:
#   - copies the prepared ledger, starts `import energy energy.csv` in the
#     background and kills it with SIGKILL after a random delay between 0.25
#     and 1.25 times the undisturbed import's duration;
#   - the same for `import energy --replace 1` of the file without its last
#     row, on a ledger that holds the batch: afterwards batch 1 is still
#     active and there is no other, or batch 1 is superseded by a whole new
#     batch;
#   - the same for `calc --year 2024` on a ledger that holds the batch.
# After every kill: `PRAGMA integrity_check` (sqlite3 shell) says ok, the
# audit chain verifies and every batch and run is whole (ledger-check), and
# the batch is either completely present (all its rows) or completely absent;
# the run either exists with its totals and audit entry, or not at all. The
# ledger must then still work: the import (or calc) is run again and must
# succeed (or be refused as a duplicate when the killed import had finished).
#
# usage: sh tests/robustness/kill-import.sh BIN LEDGER_CHECK [ITERATIONS] [ROWS]
# environment: ROBUST_DIR scratch directory (default tests/out/robust)
#              ROBUST_SEED seed of the random delays (default: from the clock;
#              printed, so a failing run can be repeated)
set -u
bin=$1 check=$2 iters=${3:-20} rows=${4:-750000}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${ROBUST_DIR:-$root/tests/out/robust}/kill
seed=${ROBUST_SEED:-$(date +%s)}
year=2024
export LC_ALL=C
unset CO2LEDGER_DB

die() { echo "kill-import: $*" >&2; exit 1; }
ms() { echo $(($(date +%s%N) / 1000000)); }

rm -rf "$dir"; mkdir -p "$dir/data" || die "cannot create $dir"
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -o "$dir/gen" "$root/bench/gen.c" ||
	die "cannot build the generator"
"$dir/gen" "$rows" "$dir/data" >"$dir/gen.out" || die "the generator failed"
n=$(awk '$1 == "energy" {print $2}' "$dir/gen.out")

base=$dir/base.db
"$bin" --db "$base" -q init || die "init failed"
"$bin" --db "$base" -q org import "$dir/data/org.csv" >/dev/null || die "org import failed"
for f in "$root"/factors/data/*.json; do
	"$bin" --db "$base" -q factors import "$f" >/dev/null || die "factors import $f failed"
done
[ ! -e "$base-wal" ] || die "the ledger was not closed cleanly"

# fresh COPY: a copy of ledger SRC at COPY, without WAL or shared memory files
fresh() {
	rm -f "$2" "$2-wal" "$2-shm" "$2-journal"
	cp "$1" "$2"
}

# invariants DB WHAT: integrity, audit chain, whole batches and runs; sets
# $batches, $activity, $runs from ledger-check's counts
invariants() {
	ic=$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)
	[ "$ic" = ok ] || die "$2: integrity_check says: $ic"
	counts=$("$check" "$1") || die "$2: ledger-check failed: $counts"
	batches=$(echo "$counts" | sed 's/.*batches=\([0-9]*\).*/\1/')
	activity=$(echo "$counts" | sed 's/.*activity=\([0-9]*\).*/\1/')
	runs=$(echo "$counts" | sed 's/.*runs=\([0-9]*\).*/\1/')
}

# undisturbed import and calc: their durations, and the ledger with the batch
t0=$(ms)
fresh "$base" "$dir/imported.db"
"$bin" --db "$dir/imported.db" -q import energy "$dir/data/energy.csv" >"$dir/import.out" 2>&1 ||
	{ cat "$dir/import.out" >&2; die "the undisturbed import failed"; }
t1=$(ms)
fresh "$dir/imported.db" "$dir/calc.db"
"$bin" --db "$dir/calc.db" -q calc --year $year >"$dir/calc.out" 2>&1 ||
	{ cat "$dir/calc.out" >&2; die "the undisturbed calc failed"; }
t2=$(ms)
ti=$((t1 - t0)) tc=$((t2 - t1))
invariants "$dir/calc.db" "undisturbed"
[ "$batches" = 1 ] && [ "$activity" = "$n" ] && [ "$runs" = 1 ] ||
	die "undisturbed import and calc: $counts (expected 1 batch of $n rows, 1 run)"
echo "kill-import: $n energy rows; undisturbed import ${ti} ms, calc ${tc} ms; seed $seed"

# delay I MAX_MS: the I-th random delay in seconds, uniform in
# [0.25 MAX_MS, 1.25 MAX_MS] (the first quarter is mostly reading and
# checking, the writing comes later)
delay() {
	awk -v s="$seed" -v i="$1" -v m="$2" \
		'BEGIN { srand((s % 1000000) * 100 + i); printf "%.3f", (0.25 + rand()) * m / 1000 }'
}

# kill_run K DB MAX_MS CMD...: run CMD against DB, SIGKILL it after delay K;
# sets $how to "killed" or "finished" (status 0 before the kill came)
kill_run() {
	k=$1 db=$2 max=$3; shift 3
	d=$(delay "$k" "$max")
	"$bin" --db "$db" -q "$@" >"$dir/out" 2>&1 &
	pid=$!
	sleep "$d"
	kill -KILL $pid 2>/dev/null
	{ wait $pid; } 2>/dev/null
	rc=$?
	case $rc in
	137) how=killed
		# killed while writing: the write-ahead log holds uncommitted pages
		[ ! -s "$db-wal" ] || wk=$((wk + 1))
		[ -z "${ROBUST_DEBUG:-}" ] || echo "killed after ${d}s: wal $(stat -c %s "$db-wal")" ;;
	0) how=finished ;;
	*) cat "$dir/out" >&2; die "$* exited with status $rc before the kill (delay ${d}s)" ;;
	esac
}

# the replacement: the same file without its last row
head -n "$n" "$dir/data/energy.csv" >"$dir/energy2.csv"
ik=0 if=0 rk=0 rf=0 ck=0 cf=0 wk=0 i=1
while [ $i -le "$iters" ]; do
	db=$dir/work.db
	# import
	fresh "$base" "$db"
	kill_run $((3 * i)) "$db" $ti import energy "$dir/data/energy.csv"
	invariants "$db" "import $i ($how after ${d}s)"
	case $batches/$activity in
	0/0) [ $how = killed ] || die "import $i finished but its batch is missing" ;;
	1/$n) ;;
	*) die "import $i ($how after ${d}s): half a batch: $counts (expected 0 or $n rows)" ;;
	esac
	[ $how = killed ] && ik=$((ik + 1)) || if=$((if + 1))
	# the ledger still works: import again
	"$bin" --db "$db" -q import energy "$dir/data/energy.csv" >"$dir/out" 2>&1
	rc=$?
	if [ "$batches" = 0 ]; then
		[ $rc = 0 ] || { cat "$dir/out" >&2; die "import $i: importing again after the kill failed"; }
	else
		[ $rc = 1 ] && grep -q 'already' "$dir/out" ||
			{ cat "$dir/out" >&2; die "import $i: importing again was not refused as a duplicate"; }
	fi
	invariants "$db" "import $i, imported again"
	[ "$batches/$activity" = "1/$n" ] || die "import $i, imported again: $counts"
	# a replacing import: batch 1 stays active and the new one is absent, or
	# batch 1 is superseded by the new batch with all its rows
	fresh "$dir/imported.db" "$db"
	kill_run $((3 * i + 1)) "$db" $ti import energy "$dir/energy2.csv" --replace 1
	invariants "$db" "replacing import $i ($how after ${d}s)"
	st=$(sqlite3 "$db" "SELECT group_concat(id || ':' || status || ':' || ifnull(superseded_by, '') || ':' || rows_loaded, ' ') FROM batch")
	case $st in
	"1:active::$n") [ $how = killed ] || die "replacing import $i finished but nothing was replaced" ;;
	"1:superseded:2:$n 2:active::$((n - 1))") ;;
	*) die "replacing import $i ($how after ${d}s): batches $st" ;;
	esac
	[ $how = killed ] && rk=$((rk + 1)) || rf=$((rf + 1))
	# calc
	fresh "$dir/imported.db" "$db"
	kill_run $((3 * i + 2)) "$db" $tc calc --year $year
	invariants "$db" "calc $i ($how after ${d}s)"
	case $runs in
	0) [ $how = killed ] || die "calc $i finished but its run is missing" ;;
	1) ;;
	*) die "calc $i: $runs runs" ;;
	esac
	[ $how = killed ] && ck=$((ck + 1)) || cf=$((cf + 1))
	before=$runs
	"$bin" --db "$db" -q calc --year $year >"$dir/out" 2>&1 ||
		{ cat "$dir/out" >&2; die "calc $i: calculating again after the kill failed"; }
	invariants "$db" "calc $i, calculated again"
	[ "$runs" = $((before + 1)) ] || die "calc $i, calculated again: $counts"
	i=$((i + 1))
done
echo "kill-import: $iters imports ($ik killed, $if finished first), $iters replacing imports" \
	"($rk killed, $rf finished first) and $iters calcs ($ck killed, $cf finished first);" \
	"$wk kills came while the write-ahead log held pages: ledger intact every time"
