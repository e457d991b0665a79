# lib.sh: helpers for tcpdoc integration tests; source it from sh scripts or bats files.
# Needs root, gcc, iproute2 (ip, ss). zoo_start runs $ZOO_BIN, else $SOCKZOO (as `make
# integration` sets it), else builds sockzoo.c (next to this file) into $ZOO_DIR.
#
# Plain sh:                               bats:
#   . "$(dirname "$0")/lib.sh"              . "$BATS_TEST_DIRNAME/lib.sh"
#   zoo_init   # traps EXIT INT TERM        setup_file()    { zoo_init; zoo_start -n 3; }
#   zoo_start -n 3                          teardown_file() { zoo_cleanup; }
#   [ "$(ss_counts)" = "$(zoo_expect)" ]    @test "..." { [ "$(ss_counts)" = "$(zoo_expect)" ]; }
# bats owns the EXIT trap, so zoo_init sets none there: call zoo_cleanup in teardown[_file].
# Never `run zoo_start`: it runs in a subshell and its exports are lost.
#
# State lives in files under $ZOO_DIR, so cleanup works from another process (teardown_file).
# Call zoo_init once in the shell that owns the zoos: a test run in a subshell can call it
# itself, and its zoos go when the subshell exits.
# `local` is not POSIX but dash, bash and busybox sh all have it.
# shellcheck shell=sh disable=SC3043,SC3028

# Where sockzoo.c is: bash knows the sourced file's path; POSIX sh does not, so there it is the
# directory of the script that sources this ($0), unless ZOO_LIBDIR is set.
ZOO_LIBDIR=${ZOO_LIBDIR:-$(cd "$(dirname "${BASH_SOURCE:-$0}")" && pwd)}

# zoo_init: make $ZOO_DIR; outside bats, clean up on exit, Ctrl-C and kill.
zoo_init() {
	if [ -z "${ZOO_DIR:-}" ] || [ ! -d "$ZOO_DIR" ]; then
		ZOO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tcpdoc-zoo.XXXXXX") || return 1
		export ZOO_DIR
	fi
	: >>"$ZOO_DIR/pids"
	: >>"$ZOO_DIR/netns"
	if [ -z "${BATS_TEST_FILENAME:-}" ]; then
		trap zoo_cleanup EXIT
		trap 'exit 130' INT # exit runs the EXIT trap
		trap 'exit 143' TERM
	fi
}

# zoo_build OUT: compile sockzoo with the project's warning flags.
zoo_build() {
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
		-Wmissing-prototypes -Werror -o "$1" "$ZOO_LIBDIR/sockzoo.c"
}

# zoo_alive PID: true while PID runs (a zombie counts as gone).
zoo_alive() {
	kill -0 "$1" 2>/dev/null && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null
}

# zoo_start [sockzoo args]: new namespace tcpdoc-test-$$-N with a sockzoo in it; waits for
# "ready" (20 s at most); exports ZOO_NS and ZOO_PID.
zoo_start() {
	local bin n ns pid i
	[ -n "${ZOO_DIR:-}" ] && [ -d "$ZOO_DIR" ] || zoo_init || return 1
	bin=${ZOO_BIN:-${SOCKZOO:-$ZOO_DIR/sockzoo}}
	[ -x "$bin" ] || zoo_build "$bin" || return 1

	n=1
	until ip netns add "tcpdoc-test-$$-$n" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 100 ]; then
			echo "zoo_start: ip netns add tcpdoc-test-$$-N failed" >&2
			return 1
		fi
	done
	ns=tcpdoc-test-$$-$n
	echo "$ns" >>"$ZOO_DIR/netns"

	# stdin is a FIFO held open read-write, so sockzoo never sees EOF; fd 3 is closed for bats
	mkfifo "$ZOO_DIR/$ns.in" || return 1
	: >"$ZOO_DIR/$ns.out"
	ip netns exec "$ns" "$bin" -v "$@" <>"$ZOO_DIR/$ns.in" >"$ZOO_DIR/$ns.out" \
		2>"$ZOO_DIR/$ns.err" 3>&- &
	pid=$!
	echo "$pid $ns" >>"$ZOO_DIR/pids"

	i=0
	while ! grep -qx ready "$ZOO_DIR/$ns.out"; do
		if ! zoo_alive "$pid"; then
			cat "$ZOO_DIR/$ns.err" >&2
			echo "zoo_start: sockzoo exited before it was ready" >&2
			return 1
		fi
		i=$((i + 1))
		if [ "$i" -gt 400 ]; then
			echo "zoo_start: sockzoo not ready after 20 s" >&2
			return 1
		fi
		sleep 0.05
	done
	ZOO_NS=$ns
	ZOO_PID=$pid
	export ZOO_NS ZOO_PID
}

# zoo_cleanup: stop every sockzoo started, delete every namespace made. Idempotent.
zoo_cleanup() {
	local pid ns i
	[ -n "${ZOO_DIR:-}" ] && [ -d "$ZOO_DIR" ] || return 0
	# only a process still in the namespace we started it in: a pid can be reused
	while read -r pid ns; do
		if [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done <"$ZOO_DIR/pids"
	while read -r pid ns; do
		i=0
		while zoo_alive "$pid" && [ "$i" -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		if [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done <"$ZOO_DIR/pids"
	while read -r ns; do
		ip netns delete "$ns" 2>/dev/null || true
	done <"$ZOO_DIR/netns"
	rm -rf "$ZOO_DIR"
	unset ZOO_DIR ZOO_NS ZOO_PID
}

# in_ns CMD...: run CMD inside the current zoo's namespace.
in_ns() {
	ip netns exec "${ZOO_NS:?in_ns: no zoo started}" "$@"
}

# ss_counts [ss options, e.g. -4]: "STATE COUNT" lines from ss -tan state all, by ss's names,
# sorted, zero counts left out.
ss_counts() {
	in_ns ss -tanH "$@" state all | awk '{ n[$1]++ } END { for (s in n) print s, n[s] }' |
		LC_ALL=C sort
}

# zoo_expect [-4|-6]: what the current zoo promised, in the format of ss_counts.
zoo_expect() {
	local fam=
	case ${1:-} in
	-4) fam=ipv4 ;;
	-6) fam=ipv6 ;;
	esac
	awk -v fam="$fam" '$1 == "expect" && (fam == "" || $2 == fam) { n[$3] += $4 }
		END { for (s in n) print s, n[s] }' "$ZOO_DIR/${ZOO_NS:?zoo_expect: no zoo started}.out" |
		LC_ALL=C sort
}
