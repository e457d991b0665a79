#!/bin/bash
# The findings against live sockets: each test builds one situation in a network
# namespace of its own (scenario.c puts the sockets in place), then checks what
# tcpdoc says about it: the rule id, severity, scope and numbers (--json), the
# --check exit status and first line, the sockets `states -l` marks with the id
# (ss is the oracle), that the hint's `check` command lists those sockets, and
# that raising the threshold past the number or `ID=off` silences the rule.
# Each namespace and helper process goes when its test ends, pass or fail.
# Needs root, gcc and jq. The rule checks do not stop at the first mismatch:
# every expectation of a test is tried, and each miss is printed as "FAIL: ...".
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_findings.sh needs root" >&2
	exit 1
fi
command -v jq >/dev/null || {
	echo "test_findings.sh needs jq" >&2
	exit 1
}

SCENARIO_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpdoc-scenario.XXXXXX") || exit 1
trap 'rm -rf "$SCENARIO_TMP"' EXIT
# Ctrl-C or kill: the running test's subshell cleans up its scene (lib.sh's traps), then this
# shell stops instead of going on with the next test
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -z "${SCENARIO:-}" ]; then
	SCENARIO=$SCENARIO_TMP/scenario
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
		-Wmissing-prototypes -Werror -o "$SCENARIO" "$ZOO_LIBDIR/scenario.c" || exit 1
fi

# ---- soft expectations: a miss is reported and the test goes on ----

NMISS=0

miss() {
	echo "FAIL: $*" >&2
	NMISS=$((NMISS + 1))
}

# expect_eq WANT GOT WHAT
expect_eq() {
	[ "$1" = "$2" ] || miss "$3: expected '$1', got '$2'"
}

# expect_glob PATTERN GOT WHAT: GOT matches the shell pattern
expect_glob() {
	# shellcheck disable=SC2053 # the pattern is meant to be one
	[[ $2 == $1 ]] || miss "$3: expected '$1', got '$2'"
}

# expect_re REGEX TEXT WHAT
expect_re() {
	printf '%s\n' "$2" | grep -Eq -- "$1" || miss "$3: no /$1/ in: $2"
}

# expect_ge MIN GOT WHAT
expect_ge() {
	[ "$2" -ge "$1" ] 2>/dev/null || miss "$3: expected at least $1, got '$2'"
}

# checks_done: end of a test; fails it if anything was missed.
checks_done() {
	[ "$NMISS" -eq 0 ] || fail "$NMISS expectation(s) missed"
}

# ---- scenes ----

# scene: a fresh namespace for this test: lo up, 10.9.9.0/24 routed to lo (so SYNs to it and
# SYN-ACKs to spoofed sources loop back and die: nothing leaves the namespace). Gone when
# the test's subshell exits.
scene() {
	unset ZOO_DIR ZOO_NS ZOO_PID
	zoo_init
	zoo_netns
	in_ns ip link set lo up
	in_ns ip route add 10.9.9.0/24 dev lo src 127.0.0.1
}

# scene_start TAG MODE ARGS: scenario MODE in the scene; back once it said "ready".
scene_start() {
	local tag=$1
	shift
	zoo_spawn "$tag" "$SCENARIO" "$@" || fail "scenario $* did not start"
}

# td ARGS: tcpdoc states on the scene
td() {
	"$TCPDOC" states -N "$ZOO_NS" "$@"
}

# tdj ARGS: the JSON findings report
tdj() {
	td --json "$@"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# wait_until SECONDS CMD...: retry CMD every 0.1 s until it succeeds; false if it never did.
wait_until() {
	local max=$(($1 * 10)) i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$max" ] || return 1
		sleep 0.1
	done
}

# ss_count SS_STATE [ss filter]: how many sockets ss sees
ss_count() {
	local st=$1
	shift
	in_ns ss -Htan state "$st" "$@" | wc -l
}

ss_count_is() {
	[ "$(ss_count "$2" "${@:3}")" -eq "$1" ]
}

# ss_socks STATE SS_STATE [ss filter]: "STATE LOCAL PEER" per socket ss sees, sorted
# (one state in the filter: ss leaves the state column out)
ss_socks() {
	local st=$1 ss_st=$2
	shift 2
	in_ns ss -Htan state "$ss_st" "$@" | awk -v st="$st" '{ print st, $3, $4 }' | sort
}

# ---- reading tcpdoc's answers ----

# ids JSON: the ids of the findings, sorted, unique, on one line
ids() {
	jq -r '[.findings[].id] | unique | join(" ")' <<<"$1"
}

# fnd JSON ID [SCOPE]: "SEVERITY KIND SCOPE SOCKETS VALUE THRESHOLD" of the one finding ID
# (with that scope value), or "N findings" when there are N != 1
fnd() {
	jq -r --arg id "$2" --arg sc "${3:-}" '[.findings[] | select(.id == $id and
		($sc == "" or .scope.value == $sc))] | if length == 1 then .[0] |
		"\(.severity) \(.scope.kind) \(.scope.value) \(.sockets) \(.value) \(.threshold)"
		else "\(length) findings" end' <<<"$1"
}

# field JSON ID FIELD [SCOPE]: one field of the first finding ID
field() {
	jq -r --arg id "$2" --arg f "$3" --arg sc "${4:-}" '[.findings[] | select(.id == $id and
		($sc == "" or .scope.value == $sc))][0][$f] // ""' <<<"$1"
}

# expect_finding JSON ID "SEVERITY KIND SCOPE SOCKETS VALUE THRESHOLD" (shell pattern)
expect_finding() {
	local scope
	scope=$(awk '{ print $3 }' <<<"$3")
	expect_glob "$3" "$(fnd "$1" "$2" "$scope")" "finding $2"
}

# expect_msg JSON ID PREFIX [SCOPE]: the finding's message starts with PREFIX (more, such as
# the owning process, may follow)
expect_msg() {
	local m
	m=$(field "$1" "$2" message "${4:-}")
	[[ $m == "$3"* ]] || miss "$2 message: expected it to start with '$3', got '$m'"
}

# expect_none JSON ID WHAT: no finding ID
expect_none() {
	expect_eq "0 findings" "$(fnd "$1" "$2")" "$3"
}

# expect_check WANT_RC FIRST_LINE_REGEX ARGS: `states --check ARGS`
expect_check() {
	local want=$1 re=$2
	shift 2
	run_cmd td --check "$@"
	expect_eq "$want" "$rc" "--check $* exit status"
	expect_re "$re" "$(head -n 1 <<<"$out")" "--check $* first line"
}

# list_socks: "STATE LOCAL PEER" of the socket lines of a `states -l` table on stdin
list_socks() {
	awk 'NR == 1 && $1 == "STATE" { next } NF == 0 { exit } { print $1, $4, $5 }' | sort
}

# marked ID ARGS: "STATE LOCAL PEER" of the sockets `states -l ARGS` marks with ID, sorted
marked() {
	local id=$1
	shift
	td -l "$@" | awk -v id="$id" 'NR == 1 { next } NF == 0 { exit }
		{ n = split($NF, a, ","); for (i = 1; i <= n; i++) if (a[i] == id) { print $1, $4, $5; next } }' |
		sort
}

# mark_counts ARGS: "ID COUNT" for every id in the FINDING column of `states -l ARGS`
mark_counts() {
	td -l "$@" | awk 'NR == 1 { next } NF == 0 { exit } $NF != "-" {
		n = split($NF, a, ","); for (i = 1; i <= n; i++) c[a[i]]++ }
		END { for (k in c) print k, c[k] }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# run_hint JSON ID [SCOPE]: run the finding's `check` command, $TCPDOC for `tcpdoc`; sets
# $hint (the command), $out, $err and $rc
run_hint() {
	local -a w
	hint=$(jq -r --arg id "$2" --arg sc "${3:-}" '[.findings[] | select(.id == $id and
		($sc == "" or .scope.value == $sc))][0].check // ""' <<<"$1")
	read -ra w <<<"$hint"
	if [ "${w[0]:-}" != tcpdoc ]; then
		miss "finding $2: check command '$hint' does not start with tcpdoc"
		out="" err="" rc=99
		return
	fi
	w[0]=$TCPDOC
	run_cmd "${w[@]}"
	expect_eq 0 "$rc" "check command of $2 ($hint) exit status, stderr: $err"
	expect_re " -N $ZOO_NS( |$)" "$hint" "check command of $2 names the namespace"
}

# groups STATE: "KEY COUNT" of column STATE in a `-b` table on stdin, rows where it is > 0
groups() {
	awk -v st="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == st) c = i; next }
		NF == 0 { exit } c && $c > 0 { print $1, $c }' | sort
}

# expect_silenced ID WHAT ARGS: with these tcpdoc options there is no finding ID
expect_silenced() {
	local id=$1 what=$2 j
	shift 2
	j=$(tdj "$@")
	expect_none "$j" "$id" "$what ($*)"
}

# ---- the scenarios ----

test_close_wait_leak() {
	local j want n
	scene
	scene_start cw close-wait 12 8080
	want=$(ss_socks CLOSE_WAIT close-wait '( sport = :8080 )')
	assert_eq 12 "$(grep -c . <<<"$want")" "ss sees 12 CLOSE-WAIT on :8080"
	n=$(in_ns ss -Htanp state close-wait | grep -c '"leaky-server"' || true)
	expect_eq 12 "$n" "ss -p attributes the CLOSE-WAIT sockets to leaky-server"

	j=$(tdj)
	expect_eq "close-wait-leak" "$(ids "$j")" "findings"
	expect_finding "$j" close-wait-leak "warning port :8080 12 12 10"
	expect_msg "$j" close-wait-leak "12 sockets in CLOSE_WAIT on local port 8080; the oldest idle for "
	# with -p, the owner tcpdoc names is the scenario, under its prctl name
	expect_eq "" "$(field "$j" close-wait-leak owners)" "no owners without -p"
	expect_eq "leaky-server/$ZOO_PID" "$(field "$(tdj -p)" close-wait-leak owners)" \
		"close-wait-leak owners with -p"
	expect_check 1 '^TCPDOC WARNING - close-wait-leak :8080 \|'
	# its five examples are among ss's, and came from the counting walk: one sock_diag
	# request per family, no second dump to find them
	expect_eq 5 "$(jq '[.findings[] | select(.id == "close-wait-leak") | .examples[]] | length' <<<"$j")" \
		"close-wait-leak examples"
	if command -v strace >/dev/null; then
		# (LeakSanitizer cannot run under ptrace: no leak check in this one run)
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			in_ns strace -f -e trace=sendto -o "$SCENARIO_TMP/strace" "$TCPDOC" states >/dev/null
		expect_eq 2 "$(grep -c 'sendto(' "$SCENARIO_TMP/strace")" "sock_diag requests"
	fi

	# the orphaned FIN_WAIT2 clients have no owner: no fin-wait2-pile even at 1
	expect_silenced fin-wait2-pile "orphaned FIN_WAIT2 are not a fin-wait2 pile" \
		--threshold fin-wait2-pile=1

	expect_eq "close-wait-leak 12" "$(mark_counts)" "-l marks"
	expect_eq "$want" "$(marked close-wait-leak)" "-l marks the CLOSE_WAIT sockets on :8080"
	run_hint "$j" close-wait-leak
	expect_eq "$want" "$(list_socks <<<"$out")" "check command ($hint) lists the flagged sockets"

	j=$(tdj --threshold close-wait-leak.critical=12)
	expect_finding "$j" close-wait-leak "critical port :8080 12 12 10"
	expect_check 2 '^TCPDOC CRITICAL - close-wait-leak :8080 \|' --threshold close-wait-leak.critical=12

	expect_finding "$(tdj --threshold close-wait-leak=12)" close-wait-leak "warning port :8080 12 12 12"
	expect_silenced close-wait-leak "threshold above the count" --threshold close-wait-leak=13
	expect_check 0 '^TCPDOC OK - no warnings \|' --threshold close-wait-leak=13
	expect_silenced close-wait-leak "ID=off" --threshold close-wait-leak=off

	# /proc has no idle times, the rule still sees the sockets
	j=$(tdj --source proc)
	expect_finding "$j" close-wait-leak "warning port :8080 12 12 10"
	checks_done
}

test_time_wait_ports() {
	local j want n
	scene
	in_ns sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0 \
		net.ipv4.tcp_max_tw_buckets=120
	scene_start tw time-wait 5000
	assert_match '^errno EADDRNOTAVAIL$' "$(cat "$ZOO_DIR/tw.out")" "connect() did not run out of ports"
	n=$(awk '$1 == "connects" { print $2 }' "$ZOO_DIR/tw.out")
	assert_eq 100 "$n" "connects before EADDRNOTAVAIL with 100 ports"
	want=$(ss_socks TIME_WAIT time-wait)
	assert_eq 100 "$(grep -c . <<<"$want")" "ss sees 100 TIME-WAIT"

	j=$(tdj)
	expect_eq "time-wait-buckets time-wait-ports" "$(ids "$j")" "findings"
	expect_finding "$j" time-wait-ports "critical route 127.0.0.1->127.0.0.1:5000 100 100 50"
	expect_eq "net.ipv4.ip_local_port_range = 40000 40099" "$(field "$j" time-wait-ports sysctl)" \
		"time-wait-ports sysctl"
	expect_msg "$j" time-wait-ports \
		"100 TIME_WAIT sockets from 127.0.0.1 to 127.0.0.1:5000: 100% of the 100 ephemeral ports"
	# 100 of tcp_max_tw_buckets 120: 83%
	expect_finding "$j" time-wait-buckets "warning host host 100 83 80"
	expect_check 2 '^TCPDOC CRITICAL - time-wait-ports 127\.0\.0\.1->127\.0\.0\.1:5000; time-wait-buckets host \|'

	expect_eq "time-wait-buckets 100 time-wait-ports 100" "$(mark_counts)" "-l marks"
	expect_eq "$want" "$(marked time-wait-ports)" "-l marks the TIME_WAIT sockets"
	run_hint "$j" time-wait-ports
	expect_eq "$want" "$(list_socks <<<"$out")" "check command ($hint) lists the flagged sockets"
	# by peer: the one destination holding all 100
	run_hint "$j" time-wait-buckets
	expect_eq "127.0.0.1 100" "$(groups TIME_WAIT <<<"$out")" \
		"check command ($hint) groups them by peer"

	j=$(tdj --threshold time-wait-ports.critical=101 --threshold time-wait-buckets=off)
	expect_finding "$j" time-wait-ports "warning route 127.0.0.1->127.0.0.1:5000 100 100 50"
	expect_check 1 '^TCPDOC WARNING - time-wait-ports 127\.0\.0\.1->127\.0\.0\.1:5000 \|' \
		--threshold time-wait-ports.critical=101 --threshold time-wait-buckets=off
	expect_finding "$(tdj --threshold time-wait-ports=100)" time-wait-ports \
		"critical route 127.0.0.1->127.0.0.1:5000 100 100 100"
	expect_silenced time-wait-ports "threshold above the share" --threshold time-wait-ports=101
	expect_silenced time-wait-ports "ID=off" --threshold time-wait-ports=off
	expect_silenced time-wait-buckets "threshold above the share" --threshold time-wait-buckets=84
	# the client closed first: its ports hold the TIME_WAIT, not the listening port
	expect_silenced time-wait-server "client-side TIME_WAIT" --threshold time-wait-server=1
	checks_done
}

# syn_sample N ARGS: `states --json --sample 2 ARGS` while N spoofed SYNs go out 0.5 s in
syn_sample() {
	local n=$1 pid before
	shift
	before=$(wc -l <"$ZOO_DIR/syn.out")
	(
		sleep 0.5
		zoo_send syn "syn $n"
	) &
	pid=$!
	tdj --sample 2 "$@"
	wait "$pid"
	wait_until 5 said_after syn "$before" "sent $n" || fail "the scenario did not send $n SYNs"
}

# said_after TAG N LINE: the scenario's output has LINE after its first N lines
said_after() {
	tail -n "+$(($2 + 1))" "$ZOO_DIR/$1.out" | grep -qx -- "$3"
}

test_syn_flood() {
	local j want
	scene
	scene_start syn syn-flood 8081 16 10
	assert_match '^syn_recv 10$' "$(cat "$ZOO_DIR/syn.out")" "10 spoofed SYNs, 10 SYN_RECV"
	want=$(ss_socks SYN_RECV syn-recv '( sport = :8081 )')
	assert_eq 10 "$(grep -c . <<<"$want")" "ss sees 10 SYN-RECV"

	j=$(tdj)
	expect_eq "syn-flood" "$(ids "$j")" "findings"
	expect_finding "$j" syn-flood "warning listener :8081 10 62 50"
	expect_msg "$j" syn-flood \
		"10 half-open connections (SYN_RECV) on listener port 8081 from 10 sources: 62% of its backlog of 16"
	expect_eq "net.ipv4.tcp_syncookies = 1" "$(field "$j" syn-flood sysctl)" "syn-flood sysctl"
	expect_check 1 '^TCPDOC WARNING - syn-flood :8081 \|'
	expect_eq "syn-flood 10" "$(mark_counts)" "-l marks"
	expect_eq "$want" "$(marked syn-flood)" "-l marks the SYN_RECV sockets"
	run_hint "$j" syn-flood
	expect_eq "$(awk '{ sub(/:[0-9]+$/, "", $3); print $3, 1 }' <<<"$want" | sort)" \
		"$(groups SYN_RECV <<<"$out")" "check command ($hint) shows the 10 sources"

	expect_finding "$(tdj --threshold syn-flood=62)" syn-flood "warning listener :8081 10 62 62"
	expect_silenced syn-flood "threshold above the share" --threshold syn-flood=63
	expect_check 0 '^TCPDOC OK - no warnings \|' --threshold syn-flood=63
	expect_silenced syn-flood "ID=off" --threshold syn-flood=off

	# 30 more: the request queue holds backlog+1 = 17, the other 23 get SYN cookies
	zoo_send syn "syn 30"
	zoo_await syn "sent 30"
	wait_until 5 ss_count_is 17 syn-recv '( sport = :8081 )' || fail "SYN_RECV did not reach 17"
	j=$(tdj)
	expect_finding "$j" syn-flood "critical listener :8081 17 106 50"
	expect_msg "$j" syn-flood \
		"17 half-open connections (SYN_RECV) on listener port 8081 from 17 sources: 106% of its backlog of 16; the queue is full"
	expect_check 2 '^TCPDOC CRITICAL - syn-flood :8081 \|'

	# syncookies off: SYNs to the full queue are dropped (TCPReqQFullDrop)
	in_ns sysctl -qw net.ipv4.tcp_syncookies=0
	j=$(syn_sample 20)
	expect_finding "$j" syn-flood "critical host host 20 10 1"
	expect_msg "$j" syn-flood \
		"listen queues overflowing with SYNs: 0 SYN cookies and 20 dropped SYNs in 2.0 s (10.0/s)" host
	run_hint "$j" syn-flood host
	# the listener with its half-open connections (how many are left depends on
	# how long this test has run: requests expire after their SYN-ACK retries)
	expect_glob "8081 *" "$(groups SYN_RECV <<<"$out")" "check command ($hint) shows the listener"
	j=$(syn_sample 20 --threshold syn-flood.rate=11)
	expect_eq "critical listener :8081 17 106 50" "$(jq -r '.findings[] |
		"\(.severity) \(.scope.kind) \(.scope.value) \(.sockets) \(.value) \(.threshold)"' <<<"$j")" \
		"syn-flood.rate=11 above the rate (10/s) leaves only the listener finding"

	# syncookies on: each SYN past the full queue is one cookie. The kernel counts it in
	# both SyncookiesSent and TCPReqQFullDoCookies.
	in_ns sysctl -qw net.ipv4.tcp_syncookies=1
	j=$(syn_sample 20)
	expect_finding "$j" syn-flood "warning host host 20 10 1"
	expect_msg "$j" syn-flood \
		"listen queues overflowing with SYNs: 20 SYN cookies and 0 dropped SYNs in 2.0 s (10.0/s)" host
	checks_done
}

test_syn_flood_cookies_always() {
	local j
	scene
	in_ns sysctl -qw net.ipv4.tcp_syncookies=2
	scene_start syn syn-flood 8088 16 10
	assert_match '^syn_recv 0$' "$(cat "$ZOO_DIR/syn.out")" "tcp_syncookies=2 leaves no SYN_RECV"

	j=$(tdj)
	expect_eq "" "$(ids "$j")" "findings without --sample"
	expect_check 0 '^TCPDOC OK - no warnings \|'
	j=$(syn_sample 20)
	expect_eq "syn-flood" "$(ids "$j")" "findings with --sample"
	# 20 SYNs, 20 cookies: SyncookiesSent and TCPReqQFullDoCookies both count each one
	expect_finding "$j" syn-flood "warning host host 20 10 1"
	expect_eq "net.ipv4.tcp_syncookies = 2" "$(field "$j" syn-flood sysctl)" "syn-flood sysctl"
	expect_eq "" "$(mark_counts)" "-l marks nothing (no socket is left)"
	checks_done
}

retrans_seen() {
	[ "$(fnd "$(tdj --threshold retransmitting=1)" retransmitting)" != "0 findings" ]
}

test_syn_sent_stuck() {
	local j want
	scene
	scene_start ss syn-sent 6
	want=$(ss_socks SYN_SENT syn-sent)
	assert_eq 6 "$(grep -c . <<<"$want")" "ss sees 6 SYN-SENT"

	j=$(tdj)
	expect_eq "syn-sent-stuck" "$(ids "$j")" "findings"
	expect_finding "$j" syn-sent-stuck "warning destination 10.9.9.2:443 6 6 5"
	expect_msg "$j" syn-sent-stuck "6 connections to 10.9.9.2:443 waiting for an answer (SYN_SENT)"
	expect_eq "net.ipv4.tcp_syn_retries = 6" "$(field "$j" syn-sent-stuck sysctl)" "sysctl"
	expect_check 1 '^TCPDOC WARNING - syn-sent-stuck 10\.9\.9\.2:443 \|'
	expect_eq "syn-sent-stuck 6" "$(mark_counts)" "-l marks"
	expect_eq "$want" "$(marked syn-sent-stuck)" "-l marks the SYN_SENT sockets"
	run_hint "$j" syn-sent-stuck
	expect_eq "$want" "$(list_socks <<<"$out")" "check command ($hint) lists the flagged sockets"

	expect_finding "$(tdj --threshold syn-sent-stuck=6)" syn-sent-stuck \
		"warning destination 10.9.9.2:443 6 6 6"
	expect_silenced syn-sent-stuck "threshold above the count" --threshold syn-sent-stuck=7
	expect_silenced syn-sent-stuck "ID=off" --threshold syn-sent-stuck=off

	# SYN retries are this rule's business, not retransmitting's, even once
	# the first SYN was resent (after 1 s)
	sleep 2
	expect_silenced retransmitting "SYN retries" --threshold retransmitting=1
	expect_eq "syn-sent-stuck 6" "$(mark_counts --threshold retransmitting=1)" \
		"-l marks with retransmitting=1"
	checks_done
}

test_scan_like() {
	local j
	scene
	scene_start scan syn-sent 60 60 80
	assert_eq 60 "$(ss_count syn-sent)" "ss sees 60 SYN-SENT"

	j=$(tdj)
	expect_eq "scan-like" "$(ids "$j")" "findings"
	expect_finding "$j" scan-like "warning host host 60 60 50"
	expect_msg "$j" scan-like "60 connection attempts in progress to 60 different addresses"
	expect_check 1 '^TCPDOC WARNING - scan-like host \|'
	expect_eq "scan-like 60" "$(mark_counts)" "-l marks"
	run_hint "$j" scan-like
	expect_eq 50 "$(groups SYN_SENT <<<"$out" | grep -c '^10\.9\.9\.')" \
		"check command ($hint) shows the top 50 destinations"
	expect_silenced scan-like "threshold above the count" --threshold scan-like=61
	expect_silenced scan-like "ID=off" --threshold scan-like=off
	checks_done
}

test_accept_queue_full() {
	local j pid
	scene
	scene_start af accept-full 8082
	assert_eq 4 "$(ss_count syn-sent)" "4 clients stuck in SYN-SENT"

	j=$(tdj)
	expect_eq "accept-queue-full" "$(ids "$j")" "findings"
	expect_finding "$j" accept-queue-full "critical listener 127.0.0.1:8082 2 200 80"
	expect_msg "$j" accept-queue-full \
		"accept queue of 127.0.0.1:8082 holds 2 connections for a backlog of 1: full, new connections are being dropped"
	expect_check 2 '^TCPDOC CRITICAL - accept-queue-full 127\.0\.0\.1:8082 \|'
	expect_eq "accept-queue-full 1" "$(mark_counts)" "-l marks"
	expect_eq "LISTEN 127.0.0.1:8082 0.0.0.0:*" "$(marked accept-queue-full)" "-l marks the listener"
	run_hint "$j" accept-queue-full
	expect_eq "LISTEN 127.0.0.1:8082 0.0.0.0:*" "$(list_socks <<<"$out")" \
		"check command ($hint) lists the listener"

	expect_finding "$(tdj --threshold accept-queue-full=200)" accept-queue-full \
		"critical listener 127.0.0.1:8082 2 200 200"
	expect_silenced accept-queue-full "threshold above the share" --threshold accept-queue-full=201
	expect_silenced accept-queue-full "ID=off" --threshold accept-queue-full=off

	# 10 more SYNs to the full queue in the sample: ListenOverflows rises by 10 or more
	(
		sleep 0.5
		zoo_send af "connect 10"
	) &
	pid=$!
	j=$(tdj --sample 2)
	wait "$pid"
	expect_eq "accept-queue-full syn-sent-stuck" "$(ids "$j")" "findings with --sample"
	expect_finding "$j" accept-queue-full "critical listener 127.0.0.1:8082 2 200 80"
	expect_glob "warning host host * * 1" "$(fnd "$j" accept-queue-full host)" "accept-queue-full rate"
	expect_ge 10 "$(jq '.findings[] | select(.id == "accept-queue-full" and .scope.kind == "host") | .sockets' <<<"$j")" \
		"ListenOverflows in the sample"
	expect_ge 5 "$(jq '.findings[] | select(.id == "accept-queue-full" and .scope.kind == "host") | .value' <<<"$j")" \
		"ListenOverflows per second"
	expect_finding "$j" syn-sent-stuck "warning destination 127.0.0.1:8082 14 14 5"
	run_hint "$j" accept-queue-full host
	expect_eq "LISTEN 127.0.0.1:8082 0.0.0.0:*" "$(list_socks <<<"$out")" \
		"check command ($hint) lists the listener"
	checks_done
}

test_idle_no_keepalive() {
	local j t0 plain ka elapsed v
	scene
	scene_start idle idle 3 2 8083
	t0=$(now_ms)
	# ss -o shows the keepalive timer: the plain pairs are the sockets without one
	plain=$(in_ns ss -Htano state established | grep -v 'timer:(keepalive' |
		awk '{ print "ESTABLISHED", $3, $4 }' | sort)
	ka=$(in_ns ss -Htano state established | grep 'timer:(keepalive' |
		awk '{ print "ESTABLISHED", $3, $4 }' | sort)
	assert_eq 6 "$(grep -c . <<<"$plain")" "6 sockets without keepalive"
	assert_eq 4 "$(grep -c . <<<"$ka")" "4 sockets with keepalive"

	# keepalive-slow is about the host's defaults; nothing is idle for 2 hours
	j=$(tdj)
	expect_eq "keepalive-slow" "$(ids "$j")" "findings with the default idle limit"
	expect_finding "$j" keepalive-slow "info host host 4 7875 3600"
	expect_eq "net.ipv4.tcp_keepalive_time = 7200" "$(field "$j" keepalive-slow sysctl)" "sysctl"
	expect_check 0 '^TCPDOC OK - no warnings \|'
	expect_eq "$ka" "$(marked keepalive-slow)" "-l marks the keepalive sockets"
	run_hint "$j" keepalive-slow
	expect_eq "" "$(comm -23 <(echo "$ka") <(list_socks <<<"$out"))" \
		"check command ($hint) lists the keepalive sockets"

	# the pairs were made before t0: 2.2 s later all are idle for over 2 s
	while [ $(($(now_ms) - t0)) -lt 2200 ]; do
		sleep 0.1
	done
	j=$(tdj --threshold idle-no-keepalive=2)
	elapsed=$((($(now_ms) - t0 + 999) / 1000))
	expect_eq "idle-no-keepalive keepalive-slow" "$(ids "$j")" "findings with a 2 s idle limit"
	expect_glob "info state ESTABLISHED 6 * 2" "$(fnd "$j" idle-no-keepalive)" "finding idle-no-keepalive"
	expect_msg "$j" idle-no-keepalive "6 ESTABLISHED sockets idle for over 2.0s without keepalive"
	expect_check 0 '^TCPDOC OK - no warnings \|' --threshold idle-no-keepalive=2
	expect_eq "idle-no-keepalive 6 keepalive-slow 4" "$(mark_counts --threshold idle-no-keepalive=2)" \
		"-l marks"
	expect_eq "$plain" "$(marked idle-no-keepalive --threshold idle-no-keepalive=2)" \
		"-l marks the sockets without keepalive"
	run_hint "$j" idle-no-keepalive
	expect_eq "" "$(comm -23 <(echo "$plain") <(list_socks <<<"$out"))" \
		"check command ($hint) lists the idle sockets"

	j=$(tdj --threshold idle-no-keepalive=2 --threshold idle-no-keepalive.warning=6)
	expect_glob "warning state ESTABLISHED 6 * 2" "$(fnd "$j" idle-no-keepalive)" \
		"idle-no-keepalive with warning=6"
	expect_check 1 '^TCPDOC WARNING - idle-no-keepalive ESTABLISHED \|' \
		--threshold idle-no-keepalive=2 --threshold idle-no-keepalive.warning=6
	expect_silenced idle-no-keepalive "idle limit above the idle time" --threshold idle-no-keepalive=60
	expect_silenced idle-no-keepalive "ID=off" --threshold idle-no-keepalive=2 \
		--threshold idle-no-keepalive=off
	expect_finding "$(tdj --threshold keepalive-slow=7875)" keepalive-slow "info host host 4 7875 7875"
	expect_silenced keepalive-slow "threshold above the detection time" --threshold keepalive-slow=7876
	expect_silenced keepalive-slow "ID=off" --threshold keepalive-slow=off

	# value is "the number compared with the threshold": with unit "s" and a 2 s limit that
	# is an idle time (at most the time since the pairs were made), not the socket count
	v=$(field "$j" idle-no-keepalive value)
	# the pairs were made a little before t0: allow for a slow setup
	[ "$v" -ge 2 ] && [ "$v" -le $((elapsed + 5)) ] ||
		miss "idle-no-keepalive value: expected the longest idle time in s (2..$elapsed), got $v (unit s, threshold 2)"

	# with keepalive found in 600 + 9 x 75 s the host's defaults are fine
	in_ns sysctl -qw net.ipv4.tcp_keepalive_time=600
	j=$(tdj --threshold idle-no-keepalive=2)
	expect_eq "idle-no-keepalive" "$(ids "$j")" "findings after tcp_keepalive_time=600"
	checks_done
}

# persist_backoff_ge N SS_STATE: every socket in SS_STATE has ss's backoff >= N
persist_backoff_ge() {
	in_ns ss -HtniO state "$2" | awk -v n="$1" '{ b = 0; for (i = 1; i <= NF; i++)
		if ($i ~ /^backoff:/) { sub(/^backoff:/, "", $i); b = $i } if (b < n) bad++; c++ }
		END { exit !(c > 0 && !bad) }'
}

test_fin_wait1_pile() {
	local j want servers th=(--threshold fin-wait1-pile=5)
	scene
	scene_start fw1 fin-wait1 5 8084
	want=$(ss_socks FIN_WAIT1 fin-wait-1)
	assert_eq 5 "$(grep -c . <<<"$want")" "ss sees 5 FIN-WAIT-1"
	servers=$(ss_socks ESTABLISHED established '( sport = :8084 )')

	# retransmitting is checked on its own below
	j=$(tdj "${th[@]}" --threshold retransmitting=off)
	expect_eq "fin-wait1-pile zero-window" "$(ids "$j")" "findings"
	expect_finding "$j" fin-wait1-pile "warning state FIN_WAIT1 5 5 5"
	expect_msg "$j" fin-wait1-pile "5 sockets in FIN_WAIT1"
	expect_eq "net.ipv4.tcp_orphan_retries = 0" "$(field "$j" fin-wait1-pile sysctl)" "sysctl"
	expect_finding "$j" zero-window "warning peer 127.0.0.1 5 5 3"
	expect_check 1 '^TCPDOC WARNING - fin-wait1-pile FIN_WAIT1; zero-window 127\.0\.0\.1 \|' \
		"${th[@]}" --threshold retransmitting=off
	expect_eq "fin-wait1-pile 5 zero-window 5" "$(mark_counts "${th[@]}" --threshold retransmitting=off)" \
		"-l marks"
	expect_eq "$want" "$(marked fin-wait1-pile "${th[@]}")" "-l marks the FIN_WAIT1 sockets"
	expect_eq "$want" "$(marked zero-window "${th[@]}")" "-l marks them as zero-window"
	run_hint "$j" fin-wait1-pile
	expect_eq "127.0.0.1 5" "$(groups FIN_WAIT1 <<<"$out")" "check command ($hint) shows the peer"
	run_hint "$j" zero-window
	expect_eq "" "$(comm -23 <(echo "$want") <(list_socks <<<"$out"))" \
		"check command ($hint) lists the zero-window sockets"

	expect_silenced fin-wait1-pile "default threshold (50)" --threshold retransmitting=off
	expect_silenced fin-wait1-pile "threshold above the count" --threshold fin-wait1-pile=6
	expect_silenced fin-wait1-pile "ID=off" "${th[@]}" --threshold fin-wait1-pile=off
	expect_finding "$(tdj --threshold zero-window=5)" zero-window "warning peer 127.0.0.1 5 5 5"
	expect_silenced zero-window "threshold above the count" --threshold zero-window=6
	expect_silenced zero-window "ID=off" --threshold zero-window=off

	# the servers never read: 2048 bytes each in Recv-Q
	j=$(tdj --threshold recv-queue-backlog=1000 --threshold retransmitting=off)
	expect_finding "$j" recv-queue-backlog "warning port :8084 5 2048 1000"
	expect_eq "$servers" "$(marked recv-queue-backlog --threshold recv-queue-backlog=1000)" \
		"-l marks the servers that do not read"
	expect_silenced recv-queue-backlog "threshold at the queue" --threshold recv-queue-backlog=2048

	# Zero-window probes are answered (ss: no retrans), yet tcpi_backoff grows with each
	# one: backing off on the persist timer is not retransmitting.
	wait_until 8 persist_backoff_ge 3 fin-wait-1 || fail "ss shows no backoff of 3 on the probes"
	j=$(tdj)
	expect_none "$j" retransmitting \
		"answered zero-window probes (ss: $(in_ns ss -HtniO state fin-wait-1 | grep -o 'backoff:[0-9]*' | head -n 1), no retrans) are no retransmitting"
	checks_done
}

test_last_ack_pile() {
	local j want clients th=(--threshold last-ack-pile=5 --threshold retransmitting=off)
	scene
	scene_start la last-ack 5 8085
	want=$(ss_socks LAST_ACK last-ack)
	assert_eq 5 "$(grep -c . <<<"$want")" "ss sees 5 LAST-ACK"
	clients=$(ss_socks FIN_WAIT2 fin-wait-2)
	assert_eq 5 "$(grep -c . <<<"$clients")" "ss sees 5 FIN-WAIT-2"

	j=$(tdj "${th[@]}")
	expect_eq "last-ack-pile zero-window" "$(ids "$j")" "findings"
	expect_finding "$j" last-ack-pile "warning state LAST_ACK 5 5 5"
	expect_msg "$j" last-ack-pile "5 sockets in LAST_ACK"
	expect_finding "$j" zero-window "warning peer 127.0.0.1 5 5 3"
	expect_check 1 '^TCPDOC WARNING - last-ack-pile LAST_ACK; zero-window 127\.0\.0\.1 \|' "${th[@]}"
	expect_eq "last-ack-pile 5 zero-window 5" "$(mark_counts "${th[@]}")" "-l marks"
	expect_eq "$want" "$(marked last-ack-pile "${th[@]}")" "-l marks the LAST_ACK sockets"
	run_hint "$j" last-ack-pile
	expect_eq "127.0.0.1 5" "$(groups LAST_ACK <<<"$out")" "check command ($hint) shows the peer"
	expect_silenced last-ack-pile "default threshold (50)"
	expect_silenced last-ack-pile "threshold above the count" --threshold last-ack-pile=6
	expect_silenced last-ack-pile "ID=off" --threshold last-ack-pile=5 --threshold last-ack-pile=off

	# the clients shut down their side and still hold their sockets: a live FIN_WAIT2 pile
	j=$(tdj --threshold fin-wait2-pile=5)
	expect_finding "$j" fin-wait2-pile "warning state FIN_WAIT2 5 5 5"
	expect_msg "$j" fin-wait2-pile "5 sockets in FIN_WAIT2 still owned by a program"
	expect_eq "$clients" "$(marked fin-wait2-pile --threshold fin-wait2-pile=5)" \
		"-l marks the FIN_WAIT2 clients"
	expect_silenced fin-wait2-pile "threshold above the count" --threshold fin-wait2-pile=6
	checks_done
}

test_closing_seen() {
	local j want servers
	scene
	scene_start cl closing 5 8086
	want=$(ss_socks CLOSING closing)
	assert_eq 5 "$(grep -c . <<<"$want")" "ss sees 5 CLOSING"
	servers=$(ss_socks FIN_WAIT2 fin-wait-2)
	assert_eq 5 "$(grep -c . <<<"$servers")" "ss sees 5 FIN-WAIT-2"

	j=$(tdj --threshold retransmitting=off)
	expect_eq "closing-seen zero-window" "$(ids "$j")" "findings"
	expect_finding "$j" closing-seen "info state CLOSING 5 5 1"
	expect_msg "$j" closing-seen "5 sockets in CLOSING"
	expect_finding "$j" zero-window "warning peer 127.0.0.1 5 5 3"
	# closing-seen is only info: with zero-window off the check is OK
	expect_check 1 '^TCPDOC WARNING - zero-window 127\.0\.0\.1 \|' --threshold retransmitting=off
	expect_check 0 '^TCPDOC OK - no warnings \|' --threshold retransmitting=off --threshold zero-window=off
	expect_eq "closing-seen 5 zero-window 5" "$(mark_counts --threshold retransmitting=off)" "-l marks"
	expect_eq "$want" "$(marked closing-seen)" "-l marks the CLOSING sockets"
	run_hint "$j" closing-seen
	expect_eq "127.0.0.1 5" "$(groups CLOSING <<<"$out")" "check command ($hint) shows the peer"
	expect_finding "$(tdj --threshold closing-seen=5)" closing-seen "info state CLOSING 5 5 5"
	expect_silenced closing-seen "threshold above the count" --threshold closing-seen=6
	expect_silenced closing-seen "ID=off" --threshold closing-seen=off
	expect_eq "$servers" "$(marked fin-wait2-pile --threshold fin-wait2-pile=5)" \
		"-l marks the FIN_WAIT2 servers as a live pile"
	checks_done
}

test_healthy_namespace() {
	local j
	scene
	scene_start ok healthy 500 8087
	assert_eq 1000 "$(ss_count established)" "ss sees 1000 ESTABLISHED"

	# no finding at all, not even an info, from either source
	j=$(tdj)
	expect_eq "" "$(ids "$j")" "findings (netlink)"
	expect_eq 1000 "$(jq .states.ESTABLISHED <<<"$j")" "ESTABLISHED count"
	expect_eq "" "$(ids "$(tdj --source proc)")" "findings (/proc)"
	expect_check 0 '^TCPDOC OK - no warnings \| listen=1 syn_sent=0 syn_recv=0 established=1000 fin_wait1=0 '
	expect_eq "" "$(mark_counts)" "-l marks"
	# and nothing from the counters over a second
	expect_check 0 '^TCPDOC OK - no warnings \|' --sample 1
	checks_done
}

run_tests
