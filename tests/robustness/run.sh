#!/bin/sh
# The robustness tests (docs/robustness.md): crash consistency under
# SIGKILL, concurrent use, and hostile or oversized inputs.
#   quick  a few seconds, part of `make check`: 2 kills of import and of
#          calc over 20,000 energy rows, 2 kills of report --xlsx and --csv
#          over 12,000, one round of races, the resource cases that need
#          no large files
#   full   `make check-robust`, minutes: 20 kills each over 300,000 energy
#          rows, 10 kills of each report output over 80,000, 5 rounds of races and a writer held past the busy timeout,
#          and the 2 GB streams and the tmpfs
# usage: sh tests/robustness/run.sh quick|full BIN LEDGER_CHECK
set -e
mode=$1 bin=$2 check=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v sqlite3 >/dev/null 2>&1 || { echo "robustness: the sqlite3 shell is missing (make deps)" >&2; exit 1; }
if [ "$mode" = full ]; then
	sh "$here/kill-import.sh" "$bin" "$check" 20 750000
	sh "$here/kill-report.sh" "$bin" 10 200000
	sh "$here/concurrent.sh" "$bin" "$check" 5 250000 hold
	sh "$here/limits.sh" "$bin" "$check" full
else
	sh "$here/kill-import.sh" "$bin" "$check" 2 50000 >/dev/null
	sh "$here/kill-report.sh" "$bin" 2 30000 >/dev/null
	sh "$here/concurrent.sh" "$bin" "$check" 1 50000 >/dev/null
	sh "$here/limits.sh" "$bin" "$check" quick >/dev/null
	echo "  robustness: kills, races and resource limits passed (quick)"
fi
