#!/bin/sh
# Run the unit tests and every end-to-end case under valgrind's memcheck:
# any invalid access or definite/indirect leak fails the run.
# Usage: sh tests/valgrind.sh /path/to/co2ledger test-binary...
set -e
bin=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "installing valgrind"; apt-get install -y valgrind >/dev/null; }
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
fail=0
for t in "$@"; do
	# the PostgreSQL backend's test needs a throwaway cluster
	case $t in *test_db_pg) pg="sh $root/tests/pg/cluster.sh run" ;; *) pg="" ;; esac
	CO2LEDGER_SRCDIR=$root $pg $vg "$t" >"$t.vg.log" 2>&1 || { fail=1; tail -30 "$t.vg.log"; echo "FAIL (valgrind): $t"; }
done
wrap=$root/tests/out/co2ledger-valgrind
mkdir -p "$root/tests/out"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$vg" "$bin" > "$wrap"
chmod +x "$wrap"
sh "$root/tests/run_cases.sh" "$wrap" || fail=1
[ $fail = 0 ] && echo "  valgrind: clean"
exit $fail
