#!/bin/sh
# Install the build and test dependencies that are missing on a Debian or
# Ubuntu machine. Does nothing when everything is present.
set -e
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
have_pc sqlite3    || need="$need libsqlite3-dev"
have_pc jansson    || need="$need libjansson-dev"
have_pc xlsxwriter || need="$need libxlsxwriter-dev"
have_pc libpcre2-8 || need="$need libpcre2-dev"
have_pc cmocka     || need="$need libcmocka-dev"
# PostgreSQL: libpq for the backend, the server for the test cluster
have_pc libpq      || need="$need libpq-dev"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
command -v unzip >/dev/null 2>&1 || need="$need unzip"
[ -x /usr/bin/time ] || need="$need time"
# the report tests validate JSON reports against their schema
[ -x /usr/bin/python3 ] || need="$need python3"
/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 || need="$need python3-jsonschema"
# the web page test (tests/cases/report-html) runs it headless
command -v chromium >/dev/null 2>&1 || need="$need chromium"
# make bench measures against DuckDB (from the npm registry) and pandas
if [ "${1:-}" = "--bench" ]; then
	command -v npm >/dev/null 2>&1 || need="$need npm"
	/usr/bin/python3 -c 'import pandas' >/dev/null 2>&1 || need="$need python3-pandas"
fi
[ -n "$need" ] || exit 0
echo "installing:$need"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "error: missing packages:$need (run as root or install them)" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends $need >/dev/null 2>&1 || {
	$SUDO apt-get update -qq
	$SUDO apt-get install -y --no-install-recommends $need
}
