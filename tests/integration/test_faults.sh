#!/bin/bash
# Faults a real host can have, injected into a live run: sock_diag refused, /proc/net/tcp6
# missing (IPv6 disabled), a namespace that is gone, a dump interrupted by changes
# (NLM_F_DUMP_INTR) or failing in the middle (NLMSG_ERROR), a socket reported twice, and
# system calls interrupted by signals (EINTR). faultshim.c (built here, LD_PRELOAD) does
# the injecting; a sockzoo namespace holds the sockets and ss is the oracle for counts.
# Needs root, gcc, iproute2 and jq.
# shellcheck disable=SC2154 # out, err and rc are set by harness.sh's run_cmd
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_faults.sh needs root" >&2
	exit 1
fi
[ -n "${SOCKZOO:-}" ] && ZOO_BIN=$SOCKZOO && export ZOO_BIN
zoo_init
STALE=/run/netns/tcpdoc-test-$$-stale
trap 'rm -f "$STALE"; zoo_cleanup' EXIT
zoo_start -n 2 || exit 1

SHIM=$ZOO_DIR/faultshim.so
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Werror -shared -fPIC -o "$SHIM" "$ZOO_LIBDIR/faultshim.c" -ldl ||
	exit 1

# td ARGS: tcpdoc ARGS in the zoo's namespace, through run_cmd, 20 s at most; a timeout or
# a signal fails the test
td() {
	run_cmd timeout 20 "$TCPDOC" "$@"
	[ "$rc" -ne 124 ] || fail "tcpdoc $* hung"
	[ "$rc" -lt 128 ] || fail "tcpdoc $* died of signal $((rc - 128))"
}

# faulty VAR=VALUE... -- ARGS: td ARGS with the shim and the fault variables set
faulty() {
	local vars=()
	while [ "$1" != "--" ]; do
		vars+=("$1")
		shift
	done
	shift
	run_cmd env LD_PRELOAD="$SHIM" "${vars[@]}" timeout 20 "$TCPDOC" "$@"
	[ "$rc" -ne 124 ] || fail "tcpdoc $* hung with ${vars[*]}"
	[ "$rc" -lt 128 ] || fail "tcpdoc $* died of signal $((rc - 128)) with ${vars[*]}"
}

# ss_summary [ss options]: "STATE COUNT" per state in the zoo as ss sees it, by tcpdoc's
# names, zero counts left out, sorted
ss_summary() {
	in_ns ss -Htan "$@" state all | awk '{ n[$1]++ } END { for (s in n) print s, n[s] }' |
		sed -e 's/^ESTAB /ESTABLISHED /; s/^SYN-SENT /SYN_SENT /; s/^SYN-RECV /SYN_RECV /' \
			-e 's/^FIN-WAIT-1 /FIN_WAIT1 /; s/^FIN-WAIT-2 /FIN_WAIT2 /; s/^TIME-WAIT /TIME_WAIT /' \
			-e 's/^UNCONN /CLOSE /; s/^CLOSE-WAIT /CLOSE_WAIT /; s/^LAST-ACK /LAST_ACK /' |
		LC_ALL=C sort
}

# summary_of TEXT: the same from a `tcpdoc states -H` table
summary_of() {
	printf '%s\n' "$1" | awk '$1 != "TOTAL" && $2 > 0 { print $1, $2 }' | LC_ALL=C sort
}

# counts_match SS_OPTS -- FAULT_VARS... -- TCPDOC_ARGS: tcpdoc's counts (with the faults)
# equal ss's; ss looks before and after, and all is tried again while ss saw a change
# (a TIME_WAIT expiring). Leaves $out, $err, $rc of the tcpdoc run.
counts_match() {
	local ssopts=() vars=() s1 s2
	while [ "$1" != "--" ]; do
		ssopts+=("$1")
		shift
	done
	shift
	while [ "$1" != "--" ]; do
		vars+=("$1")
		shift
	done
	shift
	for _ in 1 2 3 4 5; do
		s1=$(ss_summary "${ssopts[@]}")
		faulty "${vars[@]}" -- states --no-findings -H -N "$ZOO_NS" "$@"
		s2=$(ss_summary "${ssopts[@]}")
		[ "$s1" = "$s2" ] && break
	done
	assert_eq 0 "$rc" "exit status with ${vars[*]} (stderr: $err)"
	[ -n "$s1" ] || fail "ss sees no socket in the zoo"
	assert_eq "$s1" "$(summary_of "$out")" "counts with ${vars[*]}: $*"
}

# one_line TEXT REGEX: TEXT is exactly one line and matches REGEX
one_line() {
	assert_eq 1 "$(printf '%s\n' "$1" | wc -l)" "one line: $1"
	assert_match "$2" "$1"
}

NOTE_FALLBACK='^tcpdoc: note: sock_diag unavailable \(%s\), read /proc/net instead$'

test_netlink_refused_falls_back_to_proc() {
	local e why
	for e in 13 93; do
		why=$([ "$e" = 13 ] && echo 'Permission denied' || echo 'Protocol not supported')
		counts_match -- FAULT_NETLINK="$e" --
		# shellcheck disable=SC2059 # the note is the format
		one_line "$err" "$(printf "$NOTE_FALLBACK" "$why")"
		# findings and the list walk twice: still one note, and the source says proc
		faulty FAULT_NETLINK="$e" -- states -l -o json -N "$ZOO_NS"
		assert_eq 0 "$rc"
		assert_eq 1 "$(printf '%s\n' "$err" | wc -l)" "one note for two walks: $err"
		assert_eq '"proc"' "$(printf '%s' "$out" | jq .source)"
	done
}

test_netlink_refused_fails_when_asked_for() {
	local e why
	for e in 13 93; do
		why=$([ "$e" = 13 ] && echo 'Permission denied' || echo 'Protocol not supported')
		faulty FAULT_NETLINK="$e" -- states --source netlink -N "$ZOO_NS"
		assert_eq 1 "$rc"
		assert_eq "" "$out"
		one_line "$err" "^tcpdoc: states: cannot open sock_diag netlink socket: $why\$"
	done
}

# A snapshot without net/tcp6 is a host with IPv6 disabled: its IPv4 sockets, no error.
test_tcp6_missing_from_snapshot() {
	local d
	d=$(mktemp -d)
	cp -r "$ZOO_FIX/." "$d/"
	rm "$d/net/tcp6"
	td states --procfs "$d" --no-findings -H
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_eq "TOTAL 73 73 0" "$(printf '%s\n' "$out" | grep '^TOTAL')"
	td states --procfs "$d" -6 --no-findings -H
	assert_eq 0 "$rc"
	assert_eq "TOTAL 0 0 0" "$(printf '%s\n' "$out" | grep '^TOTAL')"
	td states --procfs "$d" -l -H --no-findings
	assert_eq 73 "$(printf '%s\n' "$out" | wc -l)"
	rm -rf "$d"
}

# The live /proc/net/tcp6 missing: the IPv4 sockets, no error, from /proc or after a
# fallback to it.
test_tcp6_missing_live() {
	counts_match -4 -- FAULT_ENOENT=/proc/net/tcp6 -- --source proc
	assert_eq "" "$err"
	assert_match '^TOTAL [1-9][0-9]* [1-9][0-9]* 0$' "$(printf '%s\n' "$out" | grep '^TOTAL')"
	counts_match -4 -- FAULT_ENOENT=/proc/net/tcp6 FAULT_NETLINK=93 --
	# shellcheck disable=SC2059
	one_line "$err" "$(printf "$NOTE_FALLBACK" 'Protocol not supported')"
}

test_namespace_gone() {
	local ns=tcpdoc-test-$$-gone pid
	ip netns add "$ns"
	ip netns delete "$ns"
	td states -N "$ns"
	assert_eq 1 "$rc"
	assert_eq "" "$out"
	one_line "$err" "^tcpdoc: states: network namespace $ns: No such file or directory\$"
	# a name left behind without its namespace (a delete that was cut short)
	: >"$STALE"
	td states -N "$(basename "$STALE")"
	assert_eq 1 "$rc"
	one_line "$err" "^tcpdoc: states: cannot enter network namespace $(basename "$STALE"): not a network namespace\$"
	rm -f "$STALE"
	# the namespace of a process that has exited
	sleep 0 &
	pid=$!
	wait "$pid"
	td states -N "/proc/$pid/ns/net"
	assert_eq 1 "$rc"
	one_line "$err" "^tcpdoc: states: network namespace /proc/$pid/ns/net: No such file or directory\$"
	# --all-netns: one that goes between the listing and the visit is a note, the rest stay
	faulty FAULT_ENOENT="/run/netns/$ZOO_NS" -- states --all-netns --no-findings -H
	assert_eq 0 "$rc"
	one_line "$err" "^tcpdoc: note: network namespace $ZOO_NS is gone\$"
	if printf '%s\n' "$out" | grep -q "^$ZOO_NS "; then
		fail "the gone namespace still has a row: $out"
	fi
}

# NLM_F_DUMP_INTR: counting walks again once and gets it right; twice is an error; the
# list, already streamed, reports it.
test_dump_interrupted() {
	local msg='^tcpdoc: states: sock_diag: the socket dump was interrupted by changes to the sockets; run tcpdoc again$'
	# dump 1 is the first walk's IPv4, 2 its IPv6; the walk again is 3 and 4
	counts_match -- FAULT_DUMP_INTR=1 --
	assert_eq "" "$err"
	counts_match -- FAULT_DUMP_INTR=2 -- --source netlink
	assert_eq "" "$err"
	faulty FAULT_DUMP_INTR=1,3 -- states -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" "$msg"
	faulty FAULT_DUMP_INTR=1,3 -- states --source netlink -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" "$msg"
	# not a fallback to /proc: the dump is what was interrupted, not netlink
	assert_eq 0 "$(printf '%s' "$err" | grep -c 'note' || true)"
	# grouped: the groups start again too
	td states -N "$ZOO_NS" -b lport --top 0 --no-findings -o json
	local want=$out
	faulty FAULT_DUMP_INTR=1 -- states -N "$ZOO_NS" -b lport --top 0 --no-findings -o json
	assert_eq 0 "$rc"
	assert_eq "$(jq -c '[.groups[] | select(.key | tonumber < 32768)]' <<<"$want")" \
		"$(jq -c '[.groups[] | select(.key | tonumber < 32768)]' <<<"$out")" "groups by lport"
	# the second walk for the findings' examples (dump 3) starts again too
	td states -N "$ZOO_NS" -o json --threshold close-wait-leak=1
	want=$(jq -c '[.findings[] | [.id, (.examples | length)]]' <<<"$out")
	faulty FAULT_DUMP_INTR=3 -- states -N "$ZOO_NS" -o json --threshold close-wait-leak=1
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_match '"close-wait-leak"' "$want"
	assert_eq "$want" "$(jq -c '[.findings[] | [.id, (.examples | length)]]' <<<"$out")"
	# the list: streamed as it comes, so it cannot be taken back
	faulty FAULT_DUMP_INTR=1 -- states -l --no-findings -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" "$msg"
	faulty FAULT_DUMP_INTR=3 -- states -l -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" "$msg"
}

# An NLMSG_ERROR after some sockets: one line, exit 1, never /proc on top of what came.
# Before any socket: auto falls back to /proc.
test_dump_error_in_the_middle() {
	faulty FAULT_NLMSG_ERROR=5 -- states -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" '^tcpdoc: states: sock_diag: the kernel failed the dump: Input/output error$'
	faulty FAULT_NLMSG_ERROR=105 -- states -l -N "$ZOO_NS" --source netlink
	assert_eq 1 "$rc"
	one_line "$err" '^tcpdoc: states: sock_diag: the kernel failed the dump: No buffer space available$'
	counts_match -- FAULT_NLMSG_ERROR=5 FAULT_NLMSG_ERROR_AT=0 --
	# shellcheck disable=SC2059
	one_line "$err" "$(printf "$NOTE_FALLBACK" 'Input/output error')"
	faulty FAULT_NLMSG_ERROR=5 FAULT_NLMSG_ERROR_AT=0 -- states --source netlink -N "$ZOO_NS"
	assert_eq 1 "$rc"
	one_line "$err" '^tcpdoc: states: sock_diag: the kernel failed the dump: Input/output error$'
}

# A socket the kernel reports twice in one dump is counted and listed once.
test_repeated_socket_counted_once() {
	local want got
	counts_match -- FAULT_REPEAT=1 --
	assert_eq "" "$err"
	counts_match -6 -- FAULT_REPEAT=1 -- --source netlink -6
	for _ in 1 2 3 4 5; do
		want=$(in_ns ss -Htan state all | wc -l)
		faulty FAULT_REPEAT=1 -- states -l -H --no-findings -N "$ZOO_NS"
		got=$(printf '%s\n' "$out" | wc -l)
		[ "$want" = "$(in_ns ss -Htan state all | wc -l)" ] && break
	done
	assert_eq "$want" "$got" "sockets listed"
}

# Every other read, recvmsg, sendto, open and openat interrupted by a signal: the same
# answers as without.
test_eintr_everywhere() {
	local src want d
	counts_match -- FAULT_EINTR=1 --
	assert_eq "" "$err"
	counts_match -- FAULT_EINTR=1 -- --source proc
	assert_eq "" "$err"
	# -p reads every /proc/PID/fd and comm
	faulty FAULT_EINTR=1 -- states -l -p -H --no-findings -s listen -N "$ZOO_NS"
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_match "^LISTEN .* sockzoo/$ZOO_PID\$" "$out"
	assert_eq 0 "$(printf '%s\n' "$out" | grep -vc "sockzoo/$ZOO_PID\$" || true)"
	# snapshots, a dump and a config file: the output byte for byte
	d=$(mktemp -d)
	printf 'close-wait-leak = 3\n' >"$d/conf"
	for src in "--procfs $ZOO_FIX" "--diag-file $ZOO_FIX/expected/ss-diag.dump"; do
		# shellcheck disable=SC2086 # two words each
		td states $src -b lport --config "$d/conf" -o json
		want=$out
		# shellcheck disable=SC2086
		faulty FAULT_EINTR=1 -- states $src -b lport --config "$d/conf" -o json
		assert_eq 0 "$rc"
		assert_eq "" "$err"
		assert_eq "$want" "$out" "output with EINTR: $src"
	done
	assert_match '"close-wait-leak"' "$out"
	rm -rf "$d"
}

run_tests
