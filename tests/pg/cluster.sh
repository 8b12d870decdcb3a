#!/bin/sh
# A throwaway PostgreSQL cluster for the tests: initdb into a temporary
# folder (C locale, UTF-8), a unix socket in that folder, no TCP, a free
# port number (it names the socket file), started with pg_ctl -w.
#
#   sh tests/pg/cluster.sh start DIR   create and start; prints the URL
#   sh tests/pg/cluster.sh url DIR     the URL of a running cluster
#   sh tests/pg/cluster.sh stop DIR    stop it and remove DIR
#   sh tests/pg/cluster.sh run CMD...  start in a fresh temporary folder,
#                                      run CMD with $CO2LEDGER_PG_URL set,
#                                      stop and remove it (also on a signal);
#                                      the status is CMD's
#
# The server refuses to run as root: as root the cluster belongs to the
# unprivileged user $CO2LEDGER_PG_USER (default postgres, created by
# Debian's postgresql package) and the commands run through runuser or su.
# The URL's user is the cluster's superuser (that same account), with
# trust authentication on the socket only. PG_BINDIR overrides where
# initdb and pg_ctl are found.
set -eu

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "cluster.sh: initdb not found (install Debian's postgresql package, or set PG_BINDIR)" >&2
	exit 1
fi

pguser=$(id -un)
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	pguser=${CO2LEDGER_PG_USER:-postgres}
	if ! id "$pguser" >/dev/null 2>&1; then
		echo "cluster.sh: running as root and user '$pguser' does not exist (set CO2LEDGER_PG_USER to an unprivileged account)" >&2
		exit 1
	fi
	if command -v runuser >/dev/null 2>&1; then
		as_user() { runuser -u "$pguser" -- "$@"; }
	else
		as_user() {
			q=""
			for a in "$@"; do q="$q '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"; done
			su -s /bin/sh "$pguser" -c "$q"
		}
	fi
fi

# A port number no server on this machine uses: its socket file and lock
# are what would collide (listen_addresses is empty, so no TCP port).
free_port() {
	p=$(( 20000 + $$ % 20000 ))
	while [ -e "/tmp/.s.PGSQL.$p" ] || [ -e "/var/run/postgresql/.s.PGSQL.$p" ] ||
		ls /tmp/co2pg.*/.s.PGSQL.$p >/dev/null 2>&1; do
		p=$(( p + 1 ))
	done
	echo "$p"
}

url_of() {
	echo "postgresql:///postgres?host=$1&port=$(cat "$1/port")&user=$(cat "$1/user")"
}

start() {
	dir=$1
	mkdir -p "$dir"
	chmod 700 "$dir"
	[ "$(id -u)" = 0 ] && chown "$pguser" "$dir"
	port=$(free_port)
	as_user "$bindir/initdb" -D "$dir/data" --locale=C -E UTF8 -U "$pguser" \
		--auth=trust --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		echo "cluster.sh: initdb failed" >&2
		exit 1
	}
	echo "$port" >"$dir/port"
	echo "$pguser" >"$dir/user"
	as_user "$bindir/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		echo "cluster.sh: the server did not start" >&2
		exit 1
	}
	url_of "$dir"
}

stop() {
	dir=$1
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_user "$bindir/pg_ctl" -D "$dir/data" -w -t 30 -m fast stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

cmd=${1:-}
case $cmd in
start) [ $# = 2 ] || { echo "usage: cluster.sh start DIR" >&2; exit 2; }; start "$2" ;;
url) [ $# = 2 ] || { echo "usage: cluster.sh url DIR" >&2; exit 2; }; url_of "$2" ;;
stop) [ $# = 2 ] || { echo "usage: cluster.sh stop DIR" >&2; exit 2; }; stop "$2" ;;
run)
	shift
	[ $# -gt 0 ] || { echo "usage: cluster.sh run CMD..." >&2; exit 2; }
	dir=$(mktemp -d /tmp/co2pg.XXXXXX)
	trap 'stop "$dir"' EXIT
	trap 'exit 130' INT TERM HUP
	CO2LEDGER_PG_URL=$(start "$dir")
	export CO2LEDGER_PG_URL
	set +e
	"$@"
	rc=$?
	set -e
	exit $rc
	;;
*) echo "usage: cluster.sh start|stop|url DIR, or cluster.sh run CMD..." >&2; exit 2 ;;
esac
