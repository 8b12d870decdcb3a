#!/bin/sh
# Build every fuzz target with clang's libFuzzer (+ASan+UBSan) and run each
# for SECONDS (default 60), growing its corpus in tests/fuzz/corpus/<target>.
# A crash is saved under tests/fuzz/regress/<target>/; `make check` replays
# the corpus and the regressions forever. Usage: sh tests/fuzz/run.sh [SECONDS] [TARGET...]
set -e
secs=${1:-60}; shift 2>/dev/null || true
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v clang >/dev/null 2>&1 || { echo "fuzz: installing clang"; apt-get install -y clang libclang-rt-dev >/dev/null; }
make --no-print-directory CC=clang BUILD=build-fuzz OPT=-O1 \
	SANITIZE=address,undefined CFLAGS='-g -fsanitize=fuzzer-no-link' build-fuzz/libco2ledger.a
targets=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's#.*/fuzz_##; s#\.c$##')}
for t in $targets; do
	bin=build-fuzz/fuzz_$t
	clang -std=c17 -g -O1 -I. -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined \
		$(pkg-config --cflags sqlite3 jansson xlsxwriter libpcre2-8) \
		-o "$bin" tests/fuzz/fuzz_$t.c build-fuzz/libco2ledger.a \
		$(pkg-config --libs sqlite3 jansson xlsxwriter libpcre2-8) -lm
	mkdir -p tests/fuzz/corpus/$t tests/fuzz/regress/$t build-fuzz/new-$t
	echo "fuzz: $t for ${secs}s"
	"$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix=tests/fuzz/regress/$t/ -print_final_stats=1 \
		build-fuzz/new-$t tests/fuzz/corpus/$t 2>&1 | tail -n 12
	# keep a minimised corpus in the repository
	"$bin" -merge=1 tests/fuzz/corpus/$t build-fuzz/new-$t >/dev/null 2>&1 || true
done
