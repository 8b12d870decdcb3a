#!/bin/sh
# End-to-end cases: every folder tests/cases/NAME holds
#   cmd            shell lines run in a fresh scratch directory, with $CO2LEDGER
#                  the binary, $CASE the case folder, $ROOT the repository, and
#                  $CO2LEDGER_DB pointing at a fresh database there;
#   stdout, stderr expected output (optional; compared exactly when present);
#   status         expected exit status of the last command (default 0);
#   and any input files: they are copied into the scratch directory first, so
#   commands name them without a path and messages stay machine-independent.
# Output files a case writes can be compared by the cmd itself (diff -u).
# Run: sh tests/run_cases.sh /path/to/co2ledger [case ...]
set -u
bin=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/tests/out
pass=0; fail=0
cases=${*:-$(ls "$root/tests/cases")}
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01T00:00:00Z: pinned timestamps
export LC_ALL=C TZ=UTC
for name in $cases; do
	dir=$root/tests/cases/$name
	[ -f "$dir/cmd" ] || continue
	work=$out/$name
	rm -rf "$work"; mkdir -p "$work"
	for f in "$dir"/*; do
		case ${f##*/} in cmd|stdout|stderr|status) ;; *) cp -R "$f" "$work/" ;; esac
	done
	expect_status=0
	[ -f "$dir/status" ] && expect_status=$(cat "$dir/status")
	( cd "$work" && CO2LEDGER="$bin" CASE="$dir" ROOT="$root" \
	  CO2LEDGER_DB=test.db sh -e "$dir/cmd" >"$work/stdout" 2>"$work/stderr" )
	status=$?
	ok=1
	if [ "$status" != "$expect_status" ]; then
		echo "FAIL $name: exit status $status, expected $expect_status"; ok=0
	fi
	for f in stdout stderr; do
		if [ -f "$dir/$f" ] && ! diff -u "$dir/$f" "$work/$f" >"$work/$f.diff"; then
			echo "FAIL $name: $f differs"; cat "$work/$f.diff"; ok=0
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		[ -s "$work/stderr" ] && { echo "--- stderr of $name:"; head -20 "$work/stderr"; }
	fi
done
echo "  end-to-end cases: $pass passed, $fail failed"
[ $fail = 0 ]
