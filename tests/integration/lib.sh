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
# Tests that build their own scene use zoo_netns (an empty namespace), then zoo_spawn TAG CMD
# for each helper process (zoo_send and zoo_await talk to it); zoo_cleanup removes it all.
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
	local bin
	[ -n "${ZOO_DIR:-}" ] && [ -d "$ZOO_DIR" ] || zoo_init || return 1
	bin=${ZOO_BIN:-${SOCKZOO:-$ZOO_DIR/sockzoo}}
	[ -x "$bin" ] || zoo_build "$bin" || return 1
	zoo_new_netns zoo_start || return 1
	zoo_run zoo_start "$zoo_made_ns" "$zoo_made_ns" "$bin" -v "$@" || return 1
	ZOO_NS=$zoo_made_ns
	ZOO_PID=$zoo_run_pid
	export ZOO_NS ZOO_PID
}

# zoo_netns: a new empty namespace tcpdoc-test-$$-N (lo still down) for a test to fill itself;
# zoo_cleanup deletes it. Exports ZOO_NS (in_ns and zoo_spawn use it).
zoo_netns() {
	[ -n "${ZOO_DIR:-}" ] && [ -d "$ZOO_DIR" ] || zoo_init || return 1
	zoo_new_netns zoo_netns || return 1
	ZOO_NS=$zoo_made_ns
	export ZOO_NS
}

# zoo_spawn TAG CMD [ARGS]: run CMD in $ZOO_NS like zoo_start runs sockzoo (stdin a FIFO that
# never gives EOF, $ZOO_DIR/TAG.out and TAG.err) and wait for its line "ready" (20 s at
# most); zoo_cleanup stops it. Exports ZOO_PID. TAG names its files for zoo_send, zoo_await.
zoo_spawn() {
	local tag="$1"
	shift
	zoo_run zoo_spawn "${ZOO_NS:?zoo_spawn: no namespace}" "$tag" "$@" || return 1
	ZOO_PID=$zoo_run_pid
	export ZOO_PID
}

# zoo_send TAG LINE: write LINE to the standard input of what zoo_spawn TAG started.
zoo_send() {
	printf '%s\n' "$2" >"$ZOO_DIR/$1.in"
}

# zoo_await TAG REGEX [SECONDS]: wait until a line of TAG's output matches REGEX (grep -E,
# whole line; 10 s at most); fails when none came in time.
zoo_await() {
	local i=0 max=$((${3:-10} * 20))
	until grep -Eqx -- "$2" "$ZOO_DIR/$1.out"; do
		i=$((i + 1))
		if [ "$i" -gt "$max" ]; then
			echo "zoo_await: no line /$2/ from $1 after ${3:-10} s" >&2
			return 1
		fi
		sleep 0.05
	done
}

# zoo_new_netns WHO: add a namespace tcpdoc-test-$$-N, record it for zoo_cleanup; its name
# goes in $zoo_made_ns.
zoo_new_netns() {
	local n=1
	until ip netns add "tcpdoc-test-$$-$n" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 100 ]; then
			echo "$1: ip netns add tcpdoc-test-$$-N failed" >&2
			return 1
		fi
	done
	zoo_made_ns=tcpdoc-test-$$-$n
	echo "$zoo_made_ns" >>"$ZOO_DIR/netns"
}

# zoo_run WHO NS TAG CMD [ARGS]: start CMD in NS in the background, record it for zoo_cleanup
# and wait for "ready"; its pid goes in $zoo_run_pid.
zoo_run() {
	local who="$1" ns="$2" tag="$3" pid i name
	shift 3
	name=$(basename "$1")
	# stdin is a FIFO held open read-write, so CMD never sees EOF; fd 3 is closed for bats
	mkfifo "$ZOO_DIR/$tag.in" || return 1
	: >"$ZOO_DIR/$tag.out"
	ip netns exec "$ns" "$@" <>"$ZOO_DIR/$tag.in" >"$ZOO_DIR/$tag.out" \
		2>"$ZOO_DIR/$tag.err" 3>&- &
	pid=$!
	echo "$pid $ns" >>"$ZOO_DIR/pids"

	i=0
	while ! grep -qx ready "$ZOO_DIR/$tag.out"; do
		if ! zoo_alive "$pid"; then
			cat "$ZOO_DIR/$tag.err" >&2
			echo "$who: $name exited before it was ready" >&2
			return 1
		fi
		i=$((i + 1))
		if [ "$i" -gt 400 ]; then
			echo "$who: $name not ready after 20 s" >&2
			return 1
		fi
		sleep 0.05
	done
	zoo_run_pid=$pid
}

# zoo_cleanup: stop every sockzoo (and zoo_spawn command) started, delete every namespace
# made, with whatever still runs in it. Idempotent.
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
	# anything else still in a namespace of ours was started there by the test
	while read -r ns; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || true
		done
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
