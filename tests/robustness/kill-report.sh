#!/bin/sh
# Reports under SIGKILL: `co2ledger report --xlsx` and `--csv` killed at
# random moments never leave a cut workbook or a folder mixing old and new
# files where a good report was.
#
# Generates ROWS activity rows with the benchmark generator (bench/gen.c),
# builds a ledger with them and calculates the run; writes the workbook and
# the CSV folder once (the reference: with SOURCE_DATE_EPOCH pinned, every
# write of the same run is the same bytes) and times one undisturbed write of
# each. Then, ITERATIONS times each, rewrites them in the background and
# sends SIGKILL after a random delay between 0.25 and 1.25 times the
# undisturbed duration. After every kill the workbook and every file of the
# folder must be byte for byte the reference: the old one still, or the new
# one complete, never a cut or empty file. Temporary files of killed writes
# (".NAME.tmp-XXXXXX" beside the output) are counted, then removed.
#
# usage: sh tests/robustness/kill-report.sh BIN [ITERATIONS] [ROWS]
# environment: ROBUST_DIR scratch directory (default tests/out/robust)
#              ROBUST_SEED seed of the random delays (default: from the clock)
set -u
bin=$1 iters=${2:-10} rows=${3:-200000}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${ROBUST_DIR:-$root/tests/out/robust}/kill-report
seed=${ROBUST_SEED:-$(date +%s)}
export LC_ALL=C SOURCE_DATE_EPOCH=1767225600
unset CO2LEDGER_DB

die() { echo "kill-report: $*" >&2; exit 1; }
ms() { echo $(($(date +%s%N) / 1000000)); }

rm -rf "$dir"; mkdir -p "$dir/data" || die "cannot create $dir"
${CC:-cc} -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -o "$dir/gen" "$root/bench/gen.c" ||
	die "cannot build the generator"
"$dir/gen" "$rows" "$dir/data" >"$dir/gen.out" || die "the generator failed"
db=$dir/test.db
"$bin" --db "$db" -q init || die "init failed"
"$bin" --db "$db" -q org import "$dir/data/org.csv" >/dev/null || die "org import failed"
for f in "$root"/factors/data/*.json; do
	"$bin" --db "$db" -q factors import "$f" >/dev/null || die "factors import $f failed"
done
"$bin" --db "$db" -q import energy "$dir/data/energy.csv" >/dev/null || die "import failed"
"$bin" --db "$db" -q calc --year 2024 >/dev/null || die "calc failed"
cd "$dir" || die "cannot enter $dir"
# the first report also calculates the previous year's run, once
"$bin" --db test.db -q report --run 1 --xlsx ref.xlsx --csv ref >/dev/null || die "the report failed"
t0=$(ms)
"$bin" --db test.db -q report --run 1 --xlsx out.xlsx >/dev/null || die "the workbook failed"
t1=$(ms)
"$bin" --db test.db -q report --run 1 --csv out >/dev/null || die "the CSV folder failed"
t2=$(ms)
tx=$((t1 - t0)) tc=$((t2 - t1))
cmp -s out.xlsx ref.xlsx || die "two writes of the same workbook differ"
diff -r out ref >/dev/null || die "two writes of the same CSV folder differ"
echo "kill-report: $(wc -l <"$dir/data/energy.csv") energy rows; undisturbed workbook ${tx} ms, csv ${tc} ms; seed $seed"

delay() {
	awk -v s="$seed" -v i="$1" -v m="$2" \
		'BEGIN { srand((s % 1000000) * 100 + i); printf "%.3f", (0.25 + rand()) * m / 1000 }'
}

# kill_run K MAX_MS ARGS...: report ARGS, SIGKILL after delay K; $how
kill_run() {
	k=$1 max=$2; shift 2
	d=$(delay "$k" "$max")
	"$bin" --db test.db -q report --run 1 "$@" >out.log 2>&1 &
	pid=$!
	sleep "$d"
	kill -KILL $pid 2>/dev/null
	{ wait $pid; } 2>/dev/null
	rc=$?
	case $rc in
	137) how=killed ;;
	0) how=finished ;;
	*) cat out.log >&2; die "report $* exited with status $rc before the kill (delay ${d}s)" ;;
	esac
}

xk=0 xf=0 ck=0 cf=0 tmp=0 i=1
while [ $i -le "$iters" ]; do
	kill_run $((2 * i)) $tx --xlsx out.xlsx
	cmp -s out.xlsx ref.xlsx || die "workbook $i ($how after ${d}s): not the old or the new workbook ($(stat -c %s out.xlsx) bytes)"
	[ $how = killed ] && xk=$((xk + 1)) || xf=$((xf + 1))
	kill_run $((2 * i + 1)) $tc --csv out
	diff -r out ref >/dev/null || die "csv folder $i ($how after ${d}s): not the old or the new folder"
	[ $how = killed ] && ck=$((ck + 1)) || cf=$((cf + 1))
	n=$(ls -A | grep -c '\.tmp-')
	tmp=$((tmp + n))
	rm -rf .out.xlsx.tmp-* .out.tmp-*
	i=$((i + 1))
done
echo "kill-report: workbook $xk killed, $xf finished; csv folder $ck killed, $cf finished;" \
	"every time the old or the complete new output ($tmp temporary files of killed writes removed)"
