#!/bin/sh
# The synopsis lines of `co2ledger --help` and of every `COMMAND --help`
# must be the man page's SYNOPSIS, so the two cannot drift apart.
# Usage: sh scripts/check-synopsis.sh HELP.txt docs/co2ledger.1
#   HELP.txt: the output of every --help, one after the other.
# Prints "synopsis: N lines match docs/co2ledger.1" or the differences
# (- only in the help, + only in the man page) and exits 1.
set -u
help=$1; man=$2
tmp=${TMPDIR:-/tmp}/synopsis.$$
trap 'rm -f "$tmp".h "$tmp".m' EXIT

# From the help: "usage: co2ledger ..." and the alternatives below it
# ("       co2ledger ..."); an indented line that is no alternative continues
# the line before it.
awk '
	/^usage: co2ledger/ { flush(); line = substr($0, 8); inuse = 1; next }
	inuse && /^ +co2ledger / { flush(); line = $0; next }
	inuse && /^ +[^ ]/ { line = line " " $0; next }
	{ flush(); inuse = 0 }
	END { flush() }
	function flush() {
		if (line != "") { gsub(/ +/, " ", line); sub(/^ /, "", line); print line }
		line = ""
	}' "$help" | sort >"$tmp".h

# From the man page: the lines of the .nf block under .SH SYNOPSIS, with
# the roff escapes for "-" and fonts removed; an indented line continues
# the line before it.
awk '
	/^\.SH SYNOPSIS/ { s = 1; next }
	/^\.SH / { s = 0 }
	s && /^\.nf/ { nf = 1; next }
	s && /^\.fi/ { nf = 0; next }
	s && nf && !/^\./ {
		gsub(/\\-/, "-"); gsub(/\\f[BIRP]/, ""); gsub(/\\e/, "\\")
		if (/^ / && line != "") { line = line $0; next }
		flush(); line = $0
	}
	END { flush() }
	function flush() {
		if (line != "") { gsub(/ +/, " ", line); sub(/^ /, "", line); print line }
		line = ""
	}' "$man" | sort >"$tmp".m

if [ ! -s "$tmp".h ]; then
	echo "synopsis: no usage lines in $help"; exit 1
fi
if diff "$tmp".h "$tmp".m >/dev/null; then
	echo "synopsis: $(wc -l <"$tmp".h | tr -d ' ') lines match ${man##*/}"
	exit 0
fi
echo "synopsis: the help and ${man##*/} differ (- help only, + man page only):"
diff "$tmp".h "$tmp".m | sed -n 's/^< /- /p; s/^> /+ /p'
exit 1
