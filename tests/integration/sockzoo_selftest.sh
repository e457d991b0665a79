#!/bin/sh
# sockzoo_selftest.sh: build sockzoo, start zoos, check with ss that every promised state is
# there in the promised numbers, and that sockzoo starts, stops and refuses as documented.
# Needs root. Exit 0 pass, 1 fail, 77 skip. SELFTEST_LONG=1 also re-checks 55 s after ready.
# shellcheck disable=SC3043 # local: dash, bash and busybox sh have it
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "skip: needs root"
	exit 77
fi

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
flat() { tr '\n' ' '; }

# expected N: the totals documented at the top of sockzoo.c, one family
expected() {
	printf '%s\n' "CLOSE-WAIT $((2 * $1))" "CLOSING $1" "ESTAB $((6 * $1 + 2))" \
		"FIN-WAIT-1 $1" "FIN-WAIT-2 $((4 * $1))" "LAST-ACK $1" "LISTEN $(($1 + 9))" \
		"SYN-RECV $1" "SYN-SENT $((2 * $1))" "TIME-WAIT $1" | LC_ALL=C sort
}

# check_zoo N BASEPORT: the current zoo against ss, its own promise and the documented plan
check_zoo() {
	local fam st got ports
	for fam in -4 -6; do
		got=$(ss_counts "$fam")
		for st in LISTEN ESTAB SYN-SENT SYN-RECV FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT CLOSE-WAIT \
			LAST-ACK CLOSING; do
			echo "$got" | grep -q "^$st [1-9]" || fail "$ZOO_NS $fam: no $st in ss"
		done
		[ "$got" = "$(zoo_expect "$fam")" ] ||
			fail "$ZOO_NS $fam: ss: $(echo "$got" | flat)promised: $(zoo_expect "$fam" | flat)"
		[ "$got" = "$(expected "$1")" ] ||
			fail "$ZOO_NS $fam: ss: $(echo "$got" | flat)the plan: $(expected "$1" | flat)"
	done
	ports=$(in_ns ss -tanH state all | awk '$1 == "LISTEN" { sub(/.*:/, "", $4); print $4 }' | sort -u)
	for p in $ports; do
		[ "$p" -ge "$2" ] && [ "$p" -le $(($2 + 9)) ] ||
			{ [ "$p" -ge $(($2 + 100)) ] && [ "$p" -le $(($2 + 109)) ]; } ||
			fail "$ZOO_NS: listener on port $p is outside the plan for base $2"
	done
}

zoo_init
ZOO_BIN=$ZOO_DIR/sockzoo
export ZOO_BIN
zoo_build "$ZOO_BIN" || exit 1

t0=$(now_ms)
zoo_start || exit 1
echo "zoo_start (default) took $(($(now_ms) - t0)) ms, namespace $ZOO_NS"
ready_at=$(now_ms)
in_ns ss -tan state all
check_zoo 2 7000
first_ns=$ZOO_NS

t0=$(now_ms)
zoo_start -n 1 -p 8000 || exit 1
echo "zoo_start -n 1 -p 8000 took $(($(now_ms) - t0)) ms, namespace $ZOO_NS"
check_zoo 1 8000

t0=$(now_ms)
zoo_start -n 50 -p 9000 || exit 1
echo "zoo_start -n 50 -p 9000 took $(($(now_ms) - t0)) ms, namespace $ZOO_NS"
check_zoo 50 9000

# EOF on stdin ends it with 0
out=$(unshare -n "$ZOO_BIN" -n 1 </dev/null)
rc=$?
if [ "$rc" != 0 ] || [ "$out" != ready ]; then fail "stdin EOF: rc $rc, output '$out'"; fi

# SIGTERM ends it with 0
mkfifo "$ZOO_DIR/term.in"
unshare -n "$ZOO_BIN" -n 1 <>"$ZOO_DIR/term.in" >"$ZOO_DIR/term.out" &
pid=$!
i=0
while ! grep -qx ready "$ZOO_DIR/term.out" && [ "$i" -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "SIGTERM: rc $rc"

# it refuses to run in a namespace with more than lo, and rejects bad usage
# shellcheck disable=SC2016 # $0 is expanded by the inner sh
err=$(unshare -n sh -c 'ip link add zt0 type veth peer name zt1 && exec "$0" -n 1' "$ZOO_BIN" \
	</dev/null 2>&1)
rc=$?
if [ "$rc" != 1 ] || ! echo "$err" | grep -q '^sockzoo: refusing'; then
	fail "refusal: rc $rc, '$err'"
fi
"$ZOO_BIN" -n 0 </dev/null 2>/dev/null
rc=$?
[ "$rc" = 2 ] || fail "usage: -n 0 gave rc $rc"

if [ "${SELFTEST_LONG:-0}" = 1 ]; then
	ZOO_NS=$first_ns
	sleep $(((55000 - ($(now_ms) - ready_at)) / 1000))
	echo "re-checking $ZOO_NS $(($(now_ms) - ready_at)) ms after ready"
	check_zoo 2 7000
fi

pids=$(awk '{ print $1 }' "$ZOO_DIR/pids")
zoo_cleanup
zoo_cleanup # idempotent
for pid in $pids; do
	if zoo_alive "$pid"; then fail "sockzoo $pid survived zoo_cleanup"; fi
done
left=$(ip netns list | grep "tcpdoc-test-$$-")
[ -z "$left" ] || fail "namespaces left: $left"

if [ "$failures" = 0 ]; then
	echo "PASS"
else
	echo "$failures failure(s)"
	exit 1
fi
