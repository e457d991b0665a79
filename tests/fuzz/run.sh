#!/bin/sh
# Build and run libFuzzer targets: tests/fuzz/run.sh SECONDS TARGET...
#
# Each TARGET (fuzz_NAME, a tests/fuzz/fuzz_NAME.c) is built into build-fuzz/
# with clang -fsanitize=fuzzer,address,undefined against every src/*/*.c but
# main.c, then run for SECONDS on a scratch copy of tests/fuzz/corpus/NAME
# (build-fuzz/corpus/fuzz_NAME, kept between runs; the committed seeds never
# grow). Prints one line per target; stops at the first crash with status 1
# and leaves the input in build-fuzz/artifacts/.
#
# Environment: CC (default clang), FUZZ_FRESH=1 (start again from the
# committed seeds only), FUZZ_ARGS (extra libFuzzer flags, e.g. -fork=4).
set -eu

usage() {
	echo "usage: tests/fuzz/run.sh SECONDS TARGET..." >&2
	exit 2
}

[ $# -ge 2 ] || usage
seconds=$1
shift
case $seconds in
'' | *[!0-9]*) usage ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

cc=${CC:-clang}
# The targets need clang's libFuzzer: a CC of cc or gcc from the environment does not do.
case $cc in
cc | gcc | *-gcc) cc=clang ;;
esac
out=build-fuzz
extra=${FUZZ_ARGS:-}
mkdir -p "$out/obj" "$out/artifacts" "$out/logs" "$out/corpus"

cflags='-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all'
# The targets get the project's warnings; the library's are the normal build's business.
warn='-Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes'
mnl_cflags=$(pkg-config --cflags libmnl)
mnl_libs=$(pkg-config --libs libmnl)

# shellcheck disable=SC2086 # word splitting of the flag lists is intended
compile() {
	"$cc" $cflags -D_GNU_SOURCE '-DTCPDOC_VERSION="fuzz"' -Isrc $mnl_cflags "$@"
}

lib_src=$(ls src/*/*.c) # src/main.c is one level up, so not in the list

# One build at a time when several run.sh share build-fuzz/ (released before fuzzing).
exec 9>"$out/lock"
lock() { flock 9 2>/dev/null || true; }
unlock() { flock -u 9 2>/dev/null || true; }

# The library objects are rebuilt when any source or header changed since the
# last build (a hash of them all and of the flags is the stamp).
# shellcheck disable=SC2086
stamp=$(cat $lib_src src/*/*.h | cksum | cut -d' ' -f1)-$(echo "$cc $cflags" | cksum | cut -d' ' -f1)
lock
if [ "$(cat "$out/obj/stamp" 2>/dev/null || true)" != "$stamp" ]; then
	echo "fuzz: building the library with $cc" >&2
	rm -f "$out"/obj/*.o "$out/obj/stamp"
	for f in $lib_src; do
		o=$out/obj/$(echo "$f" | sed 's|^src/||; s|/|_|g; s|\.c$|.o|')
		compile -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	done
	# An archive, as the Makefile links: only the members a target needs.
	rm -f "$out/libtcpdoc.a"
	"${AR:-ar}" rcs "$out/libtcpdoc.a" "$out"/obj/*.o
	echo "$stamp" >"$out/obj/stamp"
fi
unlock

# -max_len per target: whole files get 64 KiB, lines and arguments 4 KiB.
max_len() {
	case $1 in
	fuzz_proc_file | fuzz_diagfile) echo 65536 ;;
	fuzz_netlink) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

# field N of libFuzzer's final stats ("stat::number_of_executed_units: 123")
stat() {
	sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n 1
}

for t in "$@"; do
	t=$(basename "$t" .c)
	src=tests/fuzz/$t.c
	if [ ! -f "$src" ]; then
		echo "fuzz: no such target: $src" >&2
		exit 2
	fi
	bin=$out/$t
	tstamp="$stamp-$(cat "$src" tests/fuzz/*.h | cksum | cut -d' ' -f1)"
	lock
	if [ ! -x "$bin" ] || [ "$(cat "$bin.stamp" 2>/dev/null || true)" != "$tstamp" ]; then
		# shellcheck disable=SC2086
		compile $warn -fsanitize=fuzzer -o "$bin" "$src" "$out/libtcpdoc.a" $mnl_libs
		echo "$tstamp" >"$bin.stamp"
	fi
	unlock

	name=${t#fuzz_}
	corpus=$out/corpus/$t
	[ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$corpus"
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -p tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
	fi
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"

	log=$out/logs/$t.log
	art=$out/artifacts/$t-
	status=0
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"./$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art" \
		$dict $extra "$corpus" >"$log" 2>&1 || status=$?

	runs=$(stat number_of_executed_units "$log")
	# after a crash there are no final stats: take the last status line "#N ..."
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	rate=$(stat average_exec_per_sec "$log")
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	if [ "$status" -ne 0 ]; then
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "$t: CRASH after ${runs:-0} runs (exit $status): ${crash:-no input saved}; log: $log"
		grep -E 'fuzz contract broken|runtime error|^SUMMARY|ALARM|ERROR: libFuzzer' "$log" |
			head -n 5 >&2 || true
		[ -z "$crash" ] || echo "reproduce: ./$bin $crash" >&2
		exit 1
	fi
	echo "$t: ${runs:-0} runs, no crash ($seconds s, ${rate:-0} exec/s, cov ${cov:-?}, corpus $(find "$corpus" -type f | wc -l))"
done
