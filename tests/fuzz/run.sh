#!/bin/sh
# Build every fuzz target with clang's libFuzzer (+ASan+UBSan) and run each
# for SECONDS (default 60), growing its corpus in tests/fuzz/corpus/<target>
# (kept under 500 files and 2 MB; the full log is in build-fuzz/fuzz-<target>.log).
# A crash is saved under tests/fuzz/regress/<target>/; `make check` replays
# the corpus and the regressions forever. Usage: sh tests/fuzz/run.sh [SECONDS] [TARGET...]
set -e
secs=${1:-60}; shift 2>/dev/null || true
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v clang >/dev/null 2>&1 || { echo "fuzz: installing clang"; apt-get install -y clang libclang-rt-dev >/dev/null; }
make --no-print-directory CC=clang BUILD=build-fuzz OPT=-O1 \
	SANITIZE=address,undefined CFLAGS='-g -fsanitize=fuzzer-no-link' build-fuzz/libco2ledger.a
crashed=""
targets=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's#.*/fuzz_##; s#\.c$##')}
for t in $targets; do
	bin=build-fuzz/fuzz_$t
	clang -std=c17 -g -O1 -I. -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined \
		$(pkg-config --cflags sqlite3 jansson xlsxwriter libpcre2-8 libpq) \
		-o "$bin" tests/fuzz/fuzz_$t.c build-fuzz/libco2ledger.a \
		$(pkg-config --libs sqlite3 jansson xlsxwriter libpcre2-8 libpq) -lm
	mkdir -p tests/fuzz/corpus/$t tests/fuzz/regress/$t build-fuzz/new-$t
	echo "fuzz: $t for ${secs}s"
	log=build-fuzz/fuzz-$t.log
	"$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix=tests/fuzz/regress/$t/ -print_final_stats=1 \
		build-fuzz/new-$t tests/fuzz/corpus/$t >"$log" 2>&1 || true
	tail -n 12 "$log"
	grep -q 'Test unit written' "$log" && crashed="$crashed $t"
	# keep the corpus in the repository small: add the new finds that add
	# coverage; when it outgrows 500 files or 2 MB, minimise it by merging
	# into a fresh directory (which renames the files by their SHA-1)
	"$bin" -merge=1 -artifact_prefix=tests/fuzz/regress/$t/ tests/fuzz/corpus/$t \
		build-fuzz/new-$t >build-fuzz/merge-$t.log 2>&1 || true
	if [ "$(ls tests/fuzz/corpus/$t | wc -l)" -gt 500 ] ||
		[ "$(cat tests/fuzz/corpus/$t/* | wc -c)" -gt 2097152 ]; then
		rm -rf build-fuzz/min-$t; mkdir -p build-fuzz/min-$t
		if "$bin" -merge=1 -artifact_prefix=tests/fuzz/regress/$t/ build-fuzz/min-$t \
			tests/fuzz/corpus/$t >>build-fuzz/merge-$t.log 2>&1 &&
			[ -n "$(ls build-fuzz/min-$t)" ]; then
			rm -rf tests/fuzz/corpus/$t && mv build-fuzz/min-$t tests/fuzz/corpus/$t
		fi
	fi
	echo "fuzz: $t corpus: $(ls tests/fuzz/corpus/$t | wc -l) files," \
		"$(cat tests/fuzz/corpus/$t/* | wc -c | awk "{printf \"%d KB\", \$1 / 1024}"); crashes kept: $(ls tests/fuzz/regress/$t | wc -l)"
done
[ -z "$crashed" ] || { echo "fuzz: crashes found in:$crashed (see tests/fuzz/regress/)"; exit 1; }
