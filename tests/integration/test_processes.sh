#!/bin/bash
# Who owns the sockets: `states -l -p`, `-b process`, `-b user` and `--all-netns` against
# processes with chosen names (owners.c) holding known sockets in three network namespaces
# the test makes: A (named) with an owner for every state and kind of socket, shared
# sockets after fork, hostile process names and non-root owners; B (named) and C (made
# named, then unnamed, so --all-netns must find it through its processes) each with a
# CLOSE_WAIT leak. ss -tanp is the oracle for owners and counts. The scene is built once;
# the tests only read it. Everything goes when the file ends, pass or fail.
# Needs root, gcc, iproute2, jq, promtool, setpriv and nsenter.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_processes.sh needs root" >&2
	exit 1
fi
for tool in jq promtool setpriv nsenter; do
	command -v "$tool" >/dev/null || {
		echo "test_processes.sh needs $tool" >&2
		exit 1
	}
done

# Process names a program can give itself: a terminal escape sequence (sets the window
# title), a newline, invalid UTF-8; and the one naming the unnamed namespace C.
H1=$'\e]0;pwned\a'
H2=$'td\nnewline'
H3=$'td-\xff\xfe-bad'
HC=$'ns-\xff\e[7m'
# how tcpdoc's tables write them
H1_ESC='\x1b]0;pwned\x07'
H2_ESC='td\x0anewline'
H3_ESC='td-\xff\xfe-bad'
HC_ESC='ns-\xff\x1b[7m'

# ss prints those names raw: leave their sockets out where ss is read line by line
SS_NOT_HOSTILE='( sport < :7010 or sport > :7012 )'

zoo_init
# C has no name once the scene is up: zoo_cleanup cannot find its processes by name, so
# they go by the identity of their namespace (a pid may be reused)
unnamed_cleanup() {
	local pid ino i
	[ -n "${ZOO_DIR:-}" ] && [ -f "$ZOO_DIR/c.ns" ] || return 0
	read -r pid ino <"$ZOO_DIR/c.ns"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(stat -L -c %d:%i "/proc/$pid/ns/net" 2>/dev/null)" = "$ino" ] || return 0
		if [ "$i" -lt 10 ]; then
			kill -TERM "$pid" 2>/dev/null || true
		else
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.1
	done
}
trap 'unnamed_cleanup; zoo_cleanup' EXIT

OWNERS=$ZOO_DIR/owners
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Werror -o "$OWNERS" "$ZOO_LIBDIR/owners.c" || exit 1

# wait_until SECONDS CMD...: retry CMD every 0.1 s until it succeeds
wait_until() {
	local max=$(($1 * 10)) i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$max" ] || return 1
		sleep 0.1
	done
}

# ss_states NS|PID: "STATE COUNT ..." on one line, as ss sees the namespace (a pid: the
# namespace of that process)
ss_states() {
	ns_exec "$1" ss -Htan state all | awk '{ n[$1]++ } END { for (s in n) print s, n[s] }' |
		LC_ALL=C sort | tr '\n' ' '
}

# ns_exec NS|PID CMD...: run CMD in a named namespace or in the namespace of process PID
ns_exec() {
	local ns=$1
	shift
	case $ns in
	[0-9]*) nsenter --net="/proc/$ns/ns/net" "$@" ;;
	*) ip netns exec "$ns" "$@" ;;
	esac
}

scene_is() {
	[ "$(ss_states "$1")" = "$2" ]
}

# the scene: A, B, C
zoo_netns || exit 1
NS_A=$ZOO_NS
in_ns ip link set lo up
in_ns sysctl -qw net.ipv4.tcp_fin_timeout=120 # a client closed first stays an orphan
zoo_spawn a "$OWNERS" a "$H1" "$H2" "$H3" || exit 1
A_WANT='CLOSE-WAIT 1 ESTAB 7 FIN-WAIT-2 1 LISTEN 10 SYN-RECV 1 TIME-WAIT 1 '
zoo_netns || exit 1
NS_B=$ZOO_NS
in_ns ip link set lo up
zoo_spawn b "$OWNERS" b 7101 || exit 1
B_WANT='CLOSE-WAIT 3 FIN-WAIT-2 3 LISTEN 1 '
zoo_netns || exit 1
in_ns ip link set lo up
zoo_spawn c "$OWNERS" b 7201 "$HC" || exit 1
PID_C=$ZOO_PID
echo "$PID_C $(stat -L -c %d:%i "/proc/$PID_C/ns/net")" >"$ZOO_DIR/c.ns"
ip netns delete "$ZOO_NS" || exit 1
wait_until 5 scene_is "$NS_A" "$A_WANT" || {
	echo "namespace A: want $A_WANT, ss sees $(ss_states "$NS_A")" >&2
	exit 1
}
wait_until 5 scene_is "$NS_B" "$B_WANT" || {
	echo "namespace B: want $B_WANT, ss sees $(ss_states "$NS_B")" >&2
	exit 1
}
wait_until 5 scene_is "$PID_C" "$B_WANT" || {
	echo "namespace C: want $B_WANT, ss sees $(ss_states "$PID_C")" >&2
	exit 1
}

# pid_of TAG ROLE: the pid owners printed for ROLE
pid_of() {
	awk -v r="$2" '$1 == "pid" && $2 == r { print $3 }' "$ZOO_DIR/$1.out"
}
P_SRV=$(pid_of a td-srv)
P_CLI=$(pid_of a td-cli)
P_LAZY=$(pid_of a td-lazy)
P_DEFER=$(pid_of a td-defer)
P_PAR=$(pid_of a td-par)
P_KID=$(pid_of a td-kid)
P_V6=$(pid_of a td-v6)
P_NOBODY=$(pid_of a td-nobody)
P_4242=$(pid_of a td-4242)
P_H1=$(pid_of a hostile1)
P_H2=$(pid_of a hostile2)
P_H3=$(pid_of a hostile3)
P_LEAK=$(pid_of b td-leak)
P_LEAK_C=$(pid_of c td-leak)
# the owners of the shared listener, lowest pid first (the child's, should pids wrap)
if [ "$P_PAR" -lt "$P_KID" ]; then
	SHARED="td-par/$P_PAR,td-kid/$P_KID"
else
	SHARED="td-kid/$P_KID,td-par/$P_PAR"
fi

# td NS ARGS: tcpdoc states in a namespace
td() {
	local ns=$1
	shift
	"$TCPDOC" states -N "$ns" "$@"
}

# owner_of LIST LOCAL PEER: the PROCESS field of the socket LOCAL -> PEER in `-l -p -H`
# output (the last field with --no-findings)
owner_of() {
	printf '%s\n' "$1" | awk -v l="$2" -v p="$3" '$4 == l && $5 == p { print $6 }'
}

# peer_of LIST LOCAL STATE: the peer of the one STATE socket on LOCAL
peer_of() {
	printf '%s\n' "$1" | awk -v l="$2" -v s="$3" '$1 == s && $4 == l { print $5 }'
}

# no_raw_bytes TEXT WHAT: no control byte but newline, no byte above 0x7f
no_raw_bytes() {
	local n
	n=$(printf '%s\n' "$1" | LC_ALL=C grep -c $'[\x01-\x09\x0b-\x1f\x7f\x80-\xff]' || true)
	assert_eq 0 "$n" "raw control or non-ASCII bytes in $2"
}

test_owners_of_each_state() {
	local l peer j
	l=$(td "$NS_A" -l -p -H --no-findings)
	# every socket in one line of 6 fields
	assert_eq 21 "$(printf '%s\n' "$l" | awk 'NF == 6' | wc -l)" "lines of 6 fields"
	assert_eq 21 "$(printf '%s\n' "$l" | wc -l)" "lines"
	assert_eq "td-srv/$P_SRV" "$(owner_of "$l" 127.0.0.1:7001 0.0.0.0:*)" "owner of LISTEN :7001"
	peer=$(printf '%s\n' "$l" | awk '$1 == "ESTABLISHED" && $5 == "127.0.0.1:7001" { print $4 }')
	assert_eq "td-cli/$P_CLI" "$(owner_of "$l" "$peer" 127.0.0.1:7001)" "client of :7001"
	assert_eq "td-srv/$P_SRV" "$(owner_of "$l" 127.0.0.1:7001 "$peer")" "accepted from :7001"
	peer=$(peer_of "$l" 127.0.0.1:7001 CLOSE_WAIT)
	assert_eq "td-srv/$P_SRV" "$(owner_of "$l" 127.0.0.1:7001 "$peer")" "owner of CLOSE_WAIT"
	assert_eq "td-lazy/$P_LAZY" "$(owner_of "$l" 127.0.0.1:7002 0.0.0.0:*)" "LISTEN :7002"
	assert_eq "td-defer/$P_DEFER" "$(owner_of "$l" 127.0.0.1:7004 0.0.0.0:*)" "LISTEN :7004"
	assert_eq "td-nobody/$P_NOBODY" "$(owner_of "$l" 127.0.0.1:7006 0.0.0.0:*)" "LISTEN :7006"
	assert_eq "td-4242/$P_4242" "$(owner_of "$l" 127.0.0.1:7007 0.0.0.0:*)" "LISTEN :7007"
	assert_eq "td-cli" "$(printf '%s\n' "$l" | awk '$5 == "127.0.0.1:7004" { print $6 }' |
		cut -d/ -f1)" "client of the deferred listener"
	# JSON: processes with comm, pid and uid; owner null when there are processes
	j=$(td "$NS_A" -l -p --no-findings --json)
	assert_eq "null td-srv $P_SRV 0" "$(jq -r '.sockets[] | select(.state == "CLOSE_WAIT") |
		"\(.owner) \(.processes[0].comm) \(.processes[0].pid) \(.processes[0].uid)"' <<<"$j")"
	assert_eq "td-nobody $P_NOBODY 65534" "$(jq -r '.sockets[] | select(.local.port == 7006) |
		.processes[] | "\(.comm) \(.pid) \(.uid)"' <<<"$j")" "uid of a process in JSON"
	assert_eq 21 "$(jq '.count' <<<"$j")"
}

# Every socket's owners as ss -tanp names them, lowest pid first, "-" for none; the
# hostile names (ports 7010-7012) are left out, ss prints them raw.
test_owners_match_ss() {
	local s t
	s=$(ip netns exec "$NS_A" ss -Htanp state all "$SS_NOT_HOSTILE" |
		sed -e 's/^ESTAB /ESTABLISHED /; s/^SYN-RECV /SYN_RECV /; s/^FIN-WAIT-2 /FIN_WAIT2 /' \
			-e 's/^TIME-WAIT /TIME_WAIT /; s/^CLOSE-WAIT /CLOSE_WAIT /; s/ \*:/ [::]:/g' |
		awk '{
			o = "-"
			if (match($0, /users:\(.*\)/)) {
				u = substr($0, RSTART + 7, RLENGTH - 8)
				n = split(u, parts, /\),\(/)
				o = ""
				for (i = 1; i <= n; i++) {
					c = parts[i]; sub(/^\(*"/, "", c)
					name = c; sub(/".*/, "", name)
					pid = c; sub(/.*pid=/, "", pid); sub(/,.*/, "", pid)
					pids[i] = pid + 0; names[pid + 0] = name
				}
				# lowest pid first
				for (i = 1; i <= n; i++) for (k = i + 1; k <= n; k++)
					if (pids[k] < pids[i]) { x = pids[i]; pids[i] = pids[k]; pids[k] = x }
				for (i = 1; i <= n; i++) o = o (i > 1 ? "," : "") names[pids[i]] "/" pids[i]
			}
			print $1, $4, $5, o
		}' | sed 's/\[::\]:\*/[::]:*/' | LC_ALL=C sort)
	t=$(td "$NS_A" -l -p -H --no-findings |
		awk '$4 !~ /:701[012]$/ { o = $6; if (o ~ /^\(/) o = "-"; print $1, $4, $5, o }' |
		LC_ALL=C sort)
	assert_eq 18 "$(printf '%s\n' "$s" | wc -l)" "sockets ss sees"
	assert_eq "$s" "$t" "owners by ss -tanp and by tcpdoc -p"
}

test_owner_kinds() {
	local l j
	l=$(td "$NS_A" -l -p -H --no-findings)
	assert_eq "(timewait)" "$(printf '%s\n' "$l" | awk '$1 == "TIME_WAIT" { print $6 }')"
	assert_eq "(request)" "$(printf '%s\n' "$l" | awk '$1 == "SYN_RECV" { print $6 }')"
	assert_eq "(orphan)" "$(printf '%s\n' "$l" | awk '$1 == "FIN_WAIT2" { print $6 }')"
	assert_eq "(not-accepted)" "$(printf '%s\n' "$l" |
		awk '$1 == "ESTABLISHED" && $4 == "127.0.0.1:7002" { print $6 }')"
	# the request: on the deferred listener's port; the orphan: the client of the CLOSE_WAIT
	assert_match '^127\.0\.0\.1:7004 ' "$(printf '%s\n' "$l" | awk '$1 == "SYN_RECV" { print $4, $5 }')"
	assert_eq "$(peer_of "$l" 127.0.0.1:7001 CLOSE_WAIT)" \
		"$(printf '%s\n' "$l" | awk '$1 == "FIN_WAIT2" { print $4 }')" "the orphan's port"
	j=$(td "$NS_A" -l -p --no-findings --json)
	assert_eq "(not-accepted) (orphan) (request) (timewait)" "$(jq -r '[.sockets[] |
		select(.owner != null) | "\(.owner)\(.processes | length)"] | sort | join(" ")' <<<"$j" |
		sed 's/)0/)/g')" "owner kinds in JSON, with no processes"
	# ss agrees these four have no process
	assert_eq 4 "$(ip netns exec "$NS_A" ss -Htanp state all "$SS_NOT_HOSTILE" | grep -vc 'users:')"
}

# A listener shared by td-par and its child td-kid after fork, like ss's users:(...)
test_shared_after_fork() {
	local l ss_users j
	l=$(td "$NS_A" -l -p -H --no-findings --sport 7003)
	assert_eq "$SHARED" "$(printf '%s\n' "$l" | awk '{ print $6 }')" \
		"owners of the shared listener, lowest pid first"
	ss_users=$(ip netns exec "$NS_A" ss -Htlnp 'sport = :7003' | grep -o '"[^"]*",pid=[0-9]*' |
		sed 's/"\(.*\)",pid=\(.*\)/\2 \1/' | sort -n | awk '{ print $2 "/" $1 }' | paste -sd,)
	assert_eq "$ss_users" "$(printf '%s\n' "$l" | awk '{ print $6 }')" "the same as ss -tlnp"
	j=$(td "$NS_A" -l -p --no-findings --sport 7003 --json)
	assert_eq "$SHARED" "$(jq -r '[.sockets[0].processes | sort_by(.pid)[] |
		"\(.comm)/\(.pid)"] | join(",")' <<<"$j")" "both owners in JSON"
	# -b process counts it once, for the lowest pid
	j=$(td "$NS_A" -b process --no-findings --json --top 0)
	assert_eq "${SHARED%%,*} 1" "$(jq -r '.groups[] | select(.key | test("^td-(par|kid)/")) |
		"\(.key) \(.total)"' <<<"$j")"
}

test_by_process() {
	local j want got t
	j=$(td "$NS_A" -b process --no-findings --json --top 0)
	got=$(jq -r '.groups[] | "\(.key) \(.total)" + ([.states | to_entries[] | select(.value > 0) |
		" \(.key)=\(.value)"] | join(""))' <<<"$j" | LC_ALL=C sort)
	want=$(LC_ALL=C sort <<EOF
td-srv/$P_SRV 3 LISTEN=1 ESTABLISHED=1 CLOSE_WAIT=1
td-cli/$P_CLI 4 ESTABLISHED=4
td-lazy/$P_LAZY 1 LISTEN=1
td-defer/$P_DEFER 1 LISTEN=1
${SHARED%%,*} 1 LISTEN=1
td-v6/$P_V6 2 LISTEN=1 ESTABLISHED=1
td-nobody/$P_NOBODY 1 LISTEN=1
td-4242/$P_4242 1 LISTEN=1
$H1_ESC/$P_H1 1 LISTEN=1
$H2_ESC/$P_H2 1 LISTEN=1
$H3_ESC/$P_H3 1 LISTEN=1
(not-accepted) 1 ESTABLISHED=1
(request) 1 SYN_RECV=1
(orphan) 1 FIN_WAIT2=1
(timewait) 1 TIME_WAIT=1
EOF
	)
	assert_eq "$want" "$got" "-b process groups"
	assert_eq 15 "$(jq .groups_total <<<"$j")"
	# the table: the largest first, per-state columns
	t=$(td "$NS_A" -b process --no-findings -H)
	assert_eq "td-cli/$P_CLI 4 0 0 0 4 0 0 0 0 0 0 0" "$(printf '%s\n' "$t" | head -1)"
	assert_match "^td-srv/$P_SRV 3 1 0 0 1 0 0 1 0 0 0 0$" "$t"
	# --top
	assert_eq 2 "$(td "$NS_A" -b process --no-findings -H --top 2 | wc -l)"
	# with -p a finding names its owners: the exposed [::]:7005 and 0.0.0.0:7010
	j=$(td "$NS_A" -b process -p --json)
	assert_eq "$H1_ESC/$P_H1 td-v6/$P_V6" "$(jq -r '.findings[] | select(.id == "exposed-listener") |
		.owners | split(", ") | sort | join(" ")' <<<"$j")"
}

test_by_user() {
	local j
	if getent passwd 4242 >/dev/null; then
		fail "uid 4242 has a name here: the test needs one without"
	fi
	j=$(td "$NS_A" -b user --no-findings --json)
	# a socket belongs to the uid that made it; 4242 has no name in the password database
	assert_eq "4242 1,nobody 1,root 19" "$(jq -r '[.groups[] | "\(.key) \(.total)"] | sort | join(",")' <<<"$j")"
	assert_eq "root 19" "$(jq -r '.groups[0] | "\(.key) \(.total)"' <<<"$j")" "the largest first"
	assert_match '^nobody 1 1 ' "$(td "$NS_A" -b user --no-findings -H)"
}

test_hostile_names() {
	local l j b
	l=$(td "$NS_A" -l -p -H --no-findings --sport 7010-7012)
	assert_eq "$H1_ESC/$P_H1" "$(owner_of "$l" 0.0.0.0:7010 0.0.0.0:*)" "escape sequence"
	assert_eq "$H2_ESC/$P_H2" "$(owner_of "$l" 127.0.0.1:7011 0.0.0.0:*)" "newline"
	assert_eq "$H3_ESC/$P_H3" "$(owner_of "$l" 127.0.0.1:7012 0.0.0.0:*)" "invalid UTF-8"
	assert_eq 3 "$(printf '%s\n' "$l" | awk 'NF == 6' | wc -l)" "one line of 6 fields each"
	no_raw_bytes "$l" "the list"
	# on a terminal (script gives it one) and with color, still escaped
	if command -v script >/dev/null; then
		l=$(script -qec "$TCPDOC states -N $NS_A -l -p --color always --sport 7010-7012" /dev/null |
			sed 's/\x1b\[[0-9;]*m//g' | tr -d '\r')
		no_raw_bytes "$l" "the list on a terminal"
	fi
	b=$(td "$NS_A" -b process -p --top 0)
	no_raw_bytes "$b" "-b process"
	# a finding's owner line: 0.0.0.0:7010 is exposed
	assert_match "^  owner: .*$(printf '%s' "$H1_ESC" | sed 's/[]\\[]/\\&/g')/$P_H1" "$b"
	assert_match "^$(printf '%s' "$H1_ESC" | sed 's/[]\\[]/\\&/g')/$P_H1 1 " "$b"
	# JSON: valid, and the names exactly as the kernel has them (invalid UTF-8 replaced)
	j=$(td "$NS_A" -l -p --no-findings --json --sport 7010-7012)
	jq -e . >/dev/null <<<"$j" || fail "jq rejects the list"
	assert_eq "$H1" "$(jq -r '.sockets[] | select(.local.port == 7010) | .processes[0].comm' <<<"$j")"
	assert_eq "$H2" "$(jq -r '.sockets[] | select(.local.port == 7011) | .processes[0].comm' <<<"$j")"
	assert_eq $'td-\xef\xbf\xbd\xef\xbf\xbd-bad' "$(jq -r '.sockets[] | select(.local.port == 7012) |
		.processes[0].comm' <<<"$j")" "invalid UTF-8 as U+FFFD"
	assert_match '"comm":"td-\\ufffd\\ufffd-bad"' "$j"
	no_raw_bytes "$j" "the JSON list"
	td "$NS_A" -b process --json --top 0 | jq -e . >/dev/null || fail "jq rejects -b process"
	# prom: a valid exposition
	td "$NS_A" -b process -o prom --top 0 | promtool check metrics ||
		fail "promtool rejects -b process -o prom with hostile process names"
}

# An IPv6 listener on [::] accepts an IPv4 client: its socket is AF_INET6 with
# v4-mapped addresses, owned like any other.
test_v4_mapped() {
	local l j
	l=$(td "$NS_A" -l -p -H --no-findings -6)
	assert_eq "td-v6/$P_V6" "$(printf '%s\n' "$l" |
		awk '$1 == "ESTABLISHED" && $4 == "[::ffff:127.0.0.1]:7005" { print $6 }')"
	assert_eq "td-v6/$P_V6" "$(owner_of "$l" "[::]:7005" "[::]:*")"
	# its client, the IPv4 end
	assert_eq "td-cli/$P_CLI" "$(td "$NS_A" -l -p -H --no-findings -4 --dport 7005 | awk '{ print $6 }')"
	j=$(td "$NS_A" -l -p --no-findings --json -6)
	assert_eq "ipv6 ::ffff:127.0.0.1 td-v6" "$(jq -r '.sockets[] | select(.state == "ESTABLISHED") |
		"\(.family) \(.local.addr) \(.processes[0].comm)"' <<<"$j")"
	# the same from /proc/net/tcp6
	l=$(td "$NS_A" -l -p -H --no-findings -6 --source proc)
	assert_eq "td-v6/$P_V6" "$(printf '%s\n' "$l" |
		awk '$1 == "ESTABLISHED" && $4 == "[::ffff:127.0.0.1]:7005" { print $6 }')" "from /proc"
}

# nobody_bin: a path to tcpdoc that nobody may run (a copy when $TCPDOC is under a
# directory closed to others)
nobody_bin() {
	if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TCPDOC"; then
		echo "$TCPDOC"
		return
	fi
	mkdir -p "$ZOO_DIR/bin"
	cp "$TCPDOC" "$ZOO_DIR/bin/tcpdoc"
	chmod 711 "$ZOO_DIR" "$ZOO_DIR/bin"
	echo "$ZOO_DIR/bin/tcpdoc"
}

# as_nobody ARGS: tcpdoc states ARGS as uid 65534 in A, with the environment su gives
# nobody (its own home), through run_cmd
as_nobody() {
	run_cmd ip netns exec "$NS_A" env -u XDG_CONFIG_HOME HOME=/nonexistent \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$(nobody_bin)" states "$@"
}

# As nobody: no failure, root's sockets (unknown), nobody's own process named, one note.
test_non_root() {
	as_nobody -l -p -H
	assert_eq 0 "$rc" "exit status as nobody (stderr: $err)"
	assert_eq 1 "$(printf '%s\n' "$err" | grep -c 'note:' || true)" "notes on stderr: $err"
	assert_match '^tcpdoc: note: [0-9]+ processes could not be read: .*\(unknown\); root sees' "$err"
	assert_eq "(unknown)" "$(owner_of "$out" 127.0.0.1:7001 0.0.0.0:*)" "root's listener"
	assert_eq "td-nobody/$P_NOBODY" "$(owner_of "$out" 127.0.0.1:7006 0.0.0.0:*)" "nobody's own"
	assert_eq "(timewait)" "$(printf '%s\n' "$out" | awk '$1 == "TIME_WAIT" { print $6 }')"
	assert_eq "(request)" "$(printf '%s\n' "$out" | awk '$1 == "SYN_RECV" { print $6 }')"
	# -b process as nobody: 21 sockets = td-nobody 1 + 4 without a file + 16 unknown
	as_nobody -b process --json --no-findings --top 0
	assert_eq 0 "$rc"
	assert_eq 1 "$(printf '%s\n' "$err" | grep -c 'note:' || true)" "notes with -b process: $err"
	assert_eq "16 1" "$(jq -r --arg k "td-nobody/$P_NOBODY" '"\(.groups[] |
		select(.key == "(unknown)") | .total) \(.groups[] | select(.key == $k) | .total)"' <<<"$out")"
	# -l -p --json: the same owners
	as_nobody -l -p --json --no-findings
	assert_eq 0 "$rc"
	assert_eq 16 "$(jq '[.sockets[] | select(.owner == "(unknown)")] | length' <<<"$out")"
	# without -p and findings, no process is read and there is no note
	as_nobody -l --no-findings
	assert_eq 0 "$rc"
	assert_eq "" "$err" "stderr without -p"
}

# `setpriv` and `sudo -E` keep root's HOME: the user config under it cannot be read,
# which must not make the run fail.
test_non_root_keeps_home() {
	run_cmd ip netns exec "$NS_A" env -u XDG_CONFIG_HOME HOME=/root \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$(nobody_bin)" states -l -p -H
	assert_eq 0 "$rc" "exit status as nobody with HOME=/root (stderr: $err)"
	assert_eq "td-nobody/$P_NOBODY" "$(owner_of "$out" 127.0.0.1:7006 0.0.0.0:*)" "nobody's own"
}

test_usage_errors() {
	local a
	for a in "-l -p --procfs $ZOO_FIX" "-b process --procfs $ZOO_FIX" \
		"-l -p --diag-file $ZOO_FIX/expected/ss-diag.dump" \
		"-b process --diag-file $ZOO_FIX/expected/ss-diag.dump" "-p --procfs $ZOO_FIX" "-b netns" \
		"--all-netns -l" "--all-netns -b process" "--all-netns -b user" "--all-netns -N $NS_A" \
		"--all-netns --procfs $ZOO_FIX" "--all-netns --sample 1"; do
		# shellcheck disable=SC2086 # word splitting wanted
		run_cmd "$TCPDOC" states $a
		assert_eq 2 "$rc" "exit status of: tcpdoc states $a"
		assert_eq "" "$out" "stdout of: tcpdoc states $a"
		assert_match '^usage: tcpdoc' "$(printf '%s\n' "$err" | sed -n 2p)"
	done
}

# all_netns VAR ARGS: VAR = the output of tcpdoc states --all-netns ARGS; an exit status
# other than 0 or stderr other than notes (a namespace of someone else's may go meanwhile)
# is noted in $ALL_BAD, which the test checks last, so the output is checked first
ALL_BAD=
all_netns() {
	local var=$1
	shift
	run_cmd "$TCPDOC" states --all-netns "$@"
	printf -v "$var" '%s' "$out"
	if [ "$rc" -ne 0 ] || printf '%s\n' "$err" | grep -qv '^tcpdoc: note: \|^$'; then
		ALL_BAD+="--all-netns $*: exit $rc, stderr '$err'; "
	fi
}

# ns_total JSON KEY: the total of the --all-netns row KEY
ns_total() {
	jq -r --arg k "$2" '.groups[] | select(.key == $k) | .total' <<<"$1"
}

test_all_netns_totals() {
	local j t b p keys ia ib ic
	all_netns j --no-findings --json
	assert_eq netns "$(jq -r .by <<<"$j")"
	for ns in "$NS_A" "$NS_B"; do
		assert_eq "$(ip netns exec "$ns" ss -Htan state all | wc -l)" "$(ns_total "$j" "$ns")" \
			"total of $ns"
	done
	# C has no name: named after its lowest pid, the coordinator
	assert_eq "$(nsenter --net="/proc/$PID_C/ns/net" ss -Htan state all | wc -l)" \
		"$(ns_total "$j" "$PID_C/$HC_ESC")" "total of the unnamed namespace $PID_C/$HC_ESC"
	assert_eq "1 3 0 0" "$(jq -r --arg k "$NS_B" '.groups[] | select(.key == $k) |
		"\(.states.LISTEN) \(.states.CLOSE_WAIT) \(.states.ESTABLISHED) \(.states.TIME_WAIT)"' <<<"$j")"
	# each namespace once; the own first, then the named ones, then the unnamed
	keys=$(jq -r '.groups[].key' <<<"$j")
	assert_eq "" "$(printf '%s\n' "$keys" | sort | uniq -d)" "a namespace listed twice"
	ia=$(printf '%s\n' "$keys" | grep -nxF -- "$NS_A" | cut -d: -f1)
	ic=$(printf '%s\n' "$keys" | grep -nxF -- "$PID_C/$HC_ESC" | cut -d: -f1)
	ib=$(printf '%s\n' "$keys" | grep -nxF -- "$NS_B" | cut -d: -f1)
	if ! [ "$ia" -gt 1 ] || ! [ "$ib" -gt 1 ] || ! [ "$ic" -gt "$ia" ] || ! [ "$ic" -gt "$ib" ]; then
		fail "order of namespaces: A at $ia, B at $ib, C at $ic in: $keys"
	fi
	assert_eq "$NS_A 21" "$(ip netns exec "$NS_A" "$TCPDOC" states --all-netns --no-findings --json |
		jq -r '.groups[0] | "\(.key) \(.total)"')" "the namespace tcpdoc runs in comes first"
	# the table: one row per namespace, key NETNS; -b netns is the same
	all_netns t --no-findings
	assert_match '^NETNS +TOTAL +LISTEN ' "$t"
	assert_match "^$NS_B 7 1 0 0 0 0 3 3 0 0 0 0\$" "$t"
	no_raw_bytes "$t" "the --all-netns table"
	all_netns b --no-findings -b netns
	assert_eq "$t" "$b" "-b netns"
	assert_eq "" "$ALL_BAD" "exit status and stderr"
}

# prom: a netns label on every series and finding; a valid exposition even when a
# namespace is named after a process with a hostile name (C)
test_all_netns_prom() {
	local p
	all_netns p --no-findings -o prom
	assert_eq 21 "$(printf '%s\n' "$p" | awk -v ns="netns=\"$NS_A\"" 'index($0, ns) { n += $NF } END { print n }')"
	assert_eq 7 "$(printf '%s\n' "$p" | awk -v ns="netns=\"$NS_B\"" 'index($0, ns) { n += $NF } END { print n }')"
	all_netns p --threshold close-wait-leak=2 -o prom
	assert_match "^tcpdoc_finding\{id=\"close-wait-leak\",severity=\"warning\",scope=\":7101\",netns=\"$NS_B\"\} 1\$" "$p"
	assert_match "^tcpdoc_finding_sockets\{id=\"close-wait-leak\",scope=\":7101\",netns=\"$NS_B\"\} 3\$" "$p"
	printf '%s\n' "$p" | promtool check metrics || fail "promtool rejects --all-netns -o prom"
}

test_all_netns_findings() {
	local j t f chk out_chk
	all_netns j --threshold close-wait-leak=2 --json
	jq -e . >/dev/null <<<"$j" || fail "jq rejects: $j"
	# the leak of B, tagged with B
	f=$(jq -c --arg ns "$NS_B" '.findings[] | select(.id == "close-wait-leak" and .netns == $ns and
		.scope.value == ":7101")' <<<"$j")
	[ -n "$f" ] || fail "no close-wait-leak on :7101 tagged $NS_B in: $(jq -c '.findings' <<<"$j")"
	assert_eq 3 "$(jq .sockets <<<"$f")"
	# none for A, which has one CLOSE_WAIT
	assert_eq "" "$(jq -r --arg ns "$NS_A" '.findings[] | select(.id == "close-wait-leak" and
		.netns == $ns) | .scope.value' <<<"$j")" "a close-wait-leak in A"
	# its check command names the namespace, and works
	chk=$(jq -r .check <<<"$f")
	assert_match " -N $NS_B( |\$)" "$chk"
	# shellcheck disable=SC2086 # the command line as the finding gives it
	out_chk=$("$TCPDOC" ${chk#tcpdoc })
	assert_eq 3 "$(printf '%s\n' "$out_chk" | grep -c '^CLOSE_WAIT .*:7101 ')" "the check command lists: $out_chk"
	# the leak of C: named after its process, the check command goes by /proc/PID/ns/net
	f=$(jq -c --arg pfx "$PID_C/" '.findings[] | select(.id == "close-wait-leak" and
		(.netns // "" | startswith($pfx)) and .scope.value == ":7201")' <<<"$j")
	[ -n "$f" ] || fail "no close-wait-leak on :7201 tagged $PID_C/... in: $(jq -c '.findings' <<<"$j")"
	chk=$(jq -r .check <<<"$f")
	assert_match " -N /proc/$PID_C/ns/net( |\$)" "$chk"
	# shellcheck disable=SC2086
	out_chk=$("$TCPDOC" ${chk#tcpdoc })
	assert_eq 3 "$(printf '%s\n' "$out_chk" | grep -c '^CLOSE_WAIT .*:7201 ')" "the check command lists: $out_chk"
	# the table tags them; hostile namespace names escaped
	all_netns t --threshold close-wait-leak=2
	assert_match "^warning close-wait-leak port :7101 netns $NS_B\$" "$t"
	assert_match "^warning close-wait-leak port :7201 netns $PID_C/$(printf '%s' "$HC_ESC" | sed 's/[]\\[]/\\&/g')\$" "$t"
	no_raw_bytes "$t" "the --all-netns table with findings"
	# --check: the worst of every namespace
	run_cmd "$TCPDOC" states --all-netns --threshold close-wait-leak=2 --check
	assert_eq 1 "$rc" "--check --all-netns"
	assert_match '^TCPDOC WARNING - .*close-wait-leak :7101' "$out"
	assert_eq "" "$ALL_BAD" "exit status and stderr"
}

# Process attribution works across namespaces: the findings of --all-netns name their
# owners as they do for one namespace.
test_all_netns_finding_owners() {
	local j t
	all_netns j -p --threshold close-wait-leak=2 --json
	assert_eq "td-leak/$P_LEAK" "$(jq -r --arg ns "$NS_B" '.findings[] | select(.id ==
		"close-wait-leak" and .netns == $ns and .scope.value == ":7101") | .owners' <<<"$j")" \
		"owners of the finding in B"
	assert_eq "td-leak/$P_LEAK_C" "$(jq -r '.findings[] | select(.id == "close-wait-leak" and
		.scope.value == ":7201") | .owners' <<<"$j")" "owners of the finding in C"
	all_netns t -p --threshold close-wait-leak=2
	assert_match "^  owner: +td-leak/$P_LEAK\$" "$t"
}

# One namespace: with -p the finding names its owner in table and JSON; without -p
# tcpdoc does not read every process's fds.
test_finding_owners() {
	local j t
	j=$(td "$NS_B" --threshold close-wait-leak=2 --json)
	assert_eq "" "$(jq -r '.findings[] | select(.owners != null) | .id' <<<"$j")" "owners without -p"
	j=$(td "$NS_B" -p --threshold close-wait-leak=2 --json)
	assert_eq "td-leak/$P_LEAK" "$(jq -r '.findings[] | select(.id == "close-wait-leak" and
		.scope.value == ":7101") | .owners' <<<"$j")"
	assert_eq null "$(jq -r '.findings[0].netns' <<<"$j")" "netns tag without --all-netns"
	t=$(td "$NS_B" -p --threshold close-wait-leak=2)
	assert_match "^  owner: +td-leak/$P_LEAK\$" "$t"
	# from a saved snapshot there are no owners to name
	j=$("$TCPDOC" states --procfs "$ZOO_FIX" --json)
	assert_eq "" "$(jq -r '.findings[] | select(.owners != null) | .id' <<<"$j")"
}

run_tests
