#!/bin/sh
# Resource limits: hostile inputs end with a clear error, bounded memory and
# the ledger exactly as it was (its SQL dump compared before and after, plus
# integrity_check and ledger-check). Cases:
#   line      an energy file with one 20 MB line
#   columns   a header of a million columns
#   rows      (full only) a 2 GB stream of one repeated invalid row, read
#             from standard input (generated with yes | head -c, never
#             stored): every row rejected, peak memory bounded
#   valid     (full only) a 2 GB stream of one repeated valid row with
#             --dry-run: every row checked, nothing kept, memory bounded
#   factors   a 100 MB factor file (refused before reading), JSON nested
#             100000 deep, and a factor set of 4 MB (accepted, memory bounded)
#   profile   a profile nested 100000 deep and one of 100 MB
#   diskfull  an import that hits a file size limit (RLIMIT_FSIZE through
#             prlimit, with SIGXFSZ ignored, so writes fail with EFBIG as
#             they fail with ENOSPC on a full disk): clear error
#   tmpfs     (full only, where mounting is allowed) the same on a tmpfs
#             that really fills up: ENOSPC, 'disk full'
# Time and peak memory come from /usr/bin/time -f '%e %M'; memory is not checked when
# ROBUST_SANITIZED is set (sanitizers multiply memory use).
#
# usage: sh tests/robustness/limits.sh BIN LEDGER_CHECK quick|full
# environment: ROBUST_DIR scratch directory (default tests/out/robust);
#              the 2 GB streams are never written to disk
set -u
bin=$1 check=$2 mode=${3:-quick}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${ROBUST_DIR:-$root/tests/out/robust}/limits
export LC_ALL=C
unset CO2LEDGER_DB
[ -x /usr/bin/time ] || { echo "limits: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }

umount_later=''
die() {
	[ -z "$umount_later" ] || umount "$umount_later"
	echo "limits: $*" >&2; exit 1
}

rm -rf "$dir"; mkdir -p "$dir" || die "cannot create $dir"
db=$dir/test.db
hdr='org,carrier,period_start,period_end,quantity,unit,meter,tariff'
row='MITTE-S001,electricity,2024-01-01,2024-01-31,1234.5,kWh,1ESY1160000001,'
cat >"$dir/org.csv" <<EOF
code,name,parent,kind,year,population,employees,floor_area_m2
BE,Land Berlin,,state,,,,
MITTE,Mitte,BE,district,2024,399120,2840,69006
MITTE-S001,Rathaus Mitte,MITTE,site,,,,
EOF
{ echo "$hdr"; echo "$row"; } >"$dir/small.csv"
"$bin" --db "$db" -q init || die "init failed"
"$bin" --db "$db" -q org import "$dir/org.csv" || die "org import failed"
"$bin" --db "$db" -q factors import "$root/factors/data/uba-strommix-cc16-2026.json" >/dev/null ||
	die "factors import failed"
"$bin" --db "$db" -q import energy "$dir/small.csv" >/dev/null || die "the small import failed"
dump() { sqlite3 "${1:-$db}" .dump | sha256sum; }
before=$(dump)

# expect NAME STATUS PATTERN MAX_MB CMD...: run CMD, which must exit with
# STATUS and print PATTERN (grep -E) on stderr within MAX_MB MB of peak
# memory; the ledger must be unchanged afterwards.
expect() {
	name=$1 status=$2 pattern=$3 maxmb=$4; shift 4
	/usr/bin/time -f '%e %M' -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
	rc=$?
	result "$name" "$status" "$pattern" "$maxmb" "$rc"
}

# result NAME STATUS PATTERN MAX_MB RC: the checks of expect, for commands
# run another way (in a pipeline or a subshell)
result() {
	name=$1 status=$2 pattern=$3 maxmb=$4 rc=$5
	secs=$(tail -n 1 "$dir/$name.time" | cut -d' ' -f1)
	kb=$(tail -n 1 "$dir/$name.time" | cut -d' ' -f2)
	[ "$rc" = "$status" ] ||
		{ head -c 2000 "$dir/$name.err" >&2; die "$name: exit status $rc, expected $status"; }
	grep -Eq "$pattern" "$dir/$name.err" ||
		{ head -c 2000 "$dir/$name.err" >&2; die "$name: no message matching '$pattern'"; }
	[ -n "${ROBUST_SANITIZED:-}" ] || [ "$kb" -le $((maxmb * 1024)) ] ||
		die "$name: peak memory $((kb / 1024)) MB, more than $maxmb MB"
	[ "$(dump "${rdb:-$db}")" = "$before" ] || die "$name: the ledger changed"
	ic=$(sqlite3 "${rdb:-$db}" 'PRAGMA integrity_check' 2>&1)
	[ "$ic" = ok ] || die "$name: integrity_check says: $ic"
	"$check" "${rdb:-$db}" >/dev/null || die "$name: ledger-check failed"
	printf '  %-12s exit %s, %6.2f s, %4d MB peak: %s\n' "$name" "$rc" "$secs" $((kb / 1024)) \
		"$(grep -E "$pattern" "$dir/$name.err" | head -n 1 | sed "s#$dir/##g" | cut -c1-100)"
}

echo "limits ($mode):"

# ---- a 20 MB line -------------------------------------------------------------
{ echo "$hdr"; printf 'MITTE-S001,electricity,2024-01-01,2024-01-31,1,kWh,'
  head -c 20000000 /dev/zero | tr '\0' 7; echo ','; echo "$row"; } >"$dir/line.csv"
expect line 1 'line.csv:2:.*(too long|longer|large)' 64 \
	"$bin" --db "$db" import energy "$dir/line.csv"
rm -f "$dir/line.csv"

# ---- a million columns ----------------------------------------------------------
awk -v h="$hdr" 'BEGIN { printf "%s", h; for (i = 0; i < 1000000; i++) printf ",c%d", i; print "" }' \
	>"$dir/columns.csv"
echo "$row" >>"$dir/columns.csv"
expect columns 1 'columns.csv:1:.*(too many|longer|fields|columns)' 64 \
	"$bin" --db "$db" import energy "$dir/columns.csv"
# and a million empty columns, which fit within the line length limit
{ printf '%s' "$hdr"; head -c 1000000 /dev/zero | tr '\0' ,; echo; echo "$row"; } >"$dir/commas.csv"
expect commas 1 'commas.csv:1:.*(too many|fields|columns)' 64 \
	"$bin" --db "$db" import energy "$dir/commas.csv"
rm -f "$dir/columns.csv" "$dir/commas.csv"

# ---- 2 GB of one repeated row, from a pipe ---------------------------------------------
if [ "$mode" = full ]; then
	bad='NOWHERE,electricity,2024-01-01,2024-01-31,1234.5,kWh,1ESY1160000001,'
	n=$((2000000000 / (${#bad} + 1)))
	{ echo "$hdr"; yes "$bad" | head -n $n; } |
		/usr/bin/time -f '%e %M' -o "$dir/rows.time" "$bin" --db "$db" import energy - \
		>"$dir/rows.out" 2>"$dir/rows.err"
	rc=$?
	result rows 1 "$((n)) errors|unknown org" 100 $rc
	# the same size of valid rows, checked but not kept
	n=$((2000000000 / (${#row} + 1)))
	{ echo "$hdr"; yes "$row" | head -n $n; } |
		/usr/bin/time -f '%e %M' -o "$dir/valid.time" "$bin" --db "$db" import energy - --dry-run \
		>"$dir/valid.out" 2>&1
	rc=$?
	cp "$dir/valid.out" "$dir/valid.err"
	result valid 0 "$n rows valid" 100 $rc
fi

# ---- factor sets ---------------------------------------------------------------------
truncate -s 100M "$dir/huge.json"
expect factors-huge 1 'huge.json: error: file too large for a factor set' 16 \
	"$bin" --db "$db" factors import "$dir/huge.json"
rm -f "$dir/huge.json"
awk 'BEGIN { printf "{\"format\": \"co2ledger-factors/1\", \"notes\": ";
	for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "}" }' \
	>"$dir/deep.json"
expect factors-deep 1 'deep.json:1:[0-9]+: error: invalid JSON: maximum parsing depth' 16 \
	"$bin" --db "$db" factors import "$dir/deep.json"
# a large valid set (4 MB, 12000 factors) is accepted within bounded memory;
# it goes to a copy of the ledger, since it changes it
awk 'BEGIN {
	print "{\"format\": \"co2ledger-factors/1\", \"name\": \"big\", \"version\": \"1\",";
	print " \"published\": \"2024-01-01\", \"description\": \"a large generated set\",";
	print " \"license\": \"CC0-1.0\", \"source\": \"generated\", \"factors\": [";
	for (i = 0; i < 12000; i++)
		printf "%s{\"id\": \"f%d\", \"activity\": \"procurement.cpv.%08d\", \"region\": \"DE\", \"unit\": \"EUR\", \"valid_from\": \"2020-01-01\", \"valid_to\": \"2024-12-31\", \"scope\": 3, \"category\": 1, \"co2e\": 0.123456, \"citation\": \"generated test data, factor %d of a large set, with a long citation to make it realistic\", \"notes\": \"%0200d\"}\n", i ? "," : "", i, 30000000 + i, i, i;
	print "]}" }' >"$dir/big.json"
cp "$db" "$dir/copy.db"
/usr/bin/time -f '%e %M' -o "$dir/big.time" "$bin" --db "$dir/copy.db" factors import "$dir/big.json" \
	>"$dir/big.out" 2>&1 || { cat "$dir/big.out" >&2; die "the large factor set was refused"; }
secs=$(tail -n 1 "$dir/big.time" | cut -d' ' -f1)
kb=$(tail -n 1 "$dir/big.time" | cut -d' ' -f2)
[ -n "${ROBUST_SANITIZED:-}" ] || [ "$kb" -le $((100 * 1024)) ] || die "factors-big: peak memory $((kb / 1024)) MB for a $(($(wc -c <"$dir/big.json") / 1048576)) MB set"
printf '  %-12s exit 0, %6.2f s, %4d MB peak: %s\n' factors-big "$secs" $((kb / 1024)) "$(head -n 1 "$dir/big.out" | cut -c1-60)"
rm -f "$dir/big.json" "$dir/copy.db"*

# ---- profiles ----------------------------------------------------------------------------
awk 'BEGIN { printf "{\"format\": \"co2ledger-profile/1\", \"columns\": {\"org\": ";
	for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "}}" }' \
	>"$dir/deep-profile.json"
expect profile-deep 1 'deep-profile.json:1:[0-9]+: error: .*(depth|nest)' 16 \
	"$bin" --db "$db" import energy "$dir/small.csv" --profile "$dir/deep-profile.json"
truncate -s 100M "$dir/huge-profile.json"
expect profile-huge 1 'huge-profile.json.*(larger|too large|MiB)' 16 \
	"$bin" --db "$db" import energy "$dir/small.csv" --profile "$dir/huge-profile.json"
rm -f "$dir/deep-profile.json" "$dir/huge-profile.json"

# ---- disk full ---------------------------------------------------------------------------
# A file large enough to need more than the limit allows; the limit is set
# above the ledger's current size so that only growth fails. With SIGXFSZ
# ignored, writes past the limit fail with EFBIG, as they fail with ENOSPC
# on a full disk.
awk -v h="$hdr" 'BEGIN { print h;
	for (i = 0; i < 60000; i++) printf "MITTE-S001,electricity,2024-01-01,2024-01-31,%d.5,kWh,M%06d,\n", i, i }' \
	>"$dir/big.csv"
limit=$(($(wc -c <"$db") + 256 * 1024))
( trap '' XFSZ
  exec /usr/bin/time -f '%e %M' -o "$dir/diskfull.time" prlimit --fsize=$limit \
	"$bin" --db "$db" import energy "$dir/big.csv" >"$dir/diskfull.out" 2>"$dir/diskfull.err" )
rc=$?
result diskfull 1 '(disk full|file too large|too large)' 64 $rc
# a really full disk: the ledger on a tmpfs with 256 KB to spare (full run,
# where mounting is allowed)
mnt=$dir/tmpfs
if [ "$mode" = full ] && mkdir -p "$mnt" &&
	mount -t tmpfs -o size=$((($(wc -c <"$db") / 4096 + 64) * 4096)) tmpfs "$mnt" 2>/dev/null; then
	cp "$db" "$mnt/test.db"
	/usr/bin/time -f '%e %M' -o "$dir/tmpfs.time" "$bin" --db "$mnt/test.db" import energy "$dir/big.csv" \
		>"$dir/tmpfs.out" 2>"$dir/tmpfs.err"
	rc=$?
	umount_later=$mnt rdb=$mnt/test.db
	result tmpfs 1 'disk full' 64 $rc
	rdb=''
	umount "$mnt"
elif [ "$mode" = full ]; then
	echo "  tmpfs        skipped: cannot mount a tmpfs here (needs root)"
fi
rm -f "$dir/big.csv"
echo "limits: every case ended with a clear error and the ledger unchanged"
