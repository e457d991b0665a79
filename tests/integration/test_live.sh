#!/bin/bash
# tcpdoc against the live kernel, with ss as the oracle: a namespace of our own
# holds sockets in every state the zoo can make, over IPv4 and IPv6; counts and
# socket-by-socket lists must match `ss -tan state all`, from netlink and from
# /proc, with and without each filter. Needs root (CI runs as root).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_live.sh needs root" >&2
	exit 1
fi
[ -n "${SOCKZOO:-}" ] && ZOO_BIN=$SOCKZOO && export ZOO_BIN
zoo_init
zoo_start -n 2 || exit 1

# ss's state names to tcpdoc's
ss_state_sed='s/^ESTAB /ESTABLISHED /; s/^SYN-SENT /SYN_SENT /; s/^SYN-RECV /SYN_RECV /;
s/^FIN-WAIT-1 /FIN_WAIT1 /; s/^FIN-WAIT-2 /FIN_WAIT2 /; s/^TIME-WAIT /TIME_WAIT /;
s/^UNCONN /CLOSE /; s/^CLOSE-WAIT /CLOSE_WAIT /; s/^LAST-ACK /LAST_ACK /'

# ss_list [ss filter...]: "STATE RECV-Q SEND-Q LOCAL PEER" per socket, sorted.
# ss writes a dual-stack wildcard as "*"; tcpdoc writes the address the kernel
# holds, "[::]". With a single state in the filter, ss leaves the State column
# out: put it back from the filter.
ss_list() {
	local one="" prev="" a nstates=0
	for a in "$@"; do
		if [ "$prev" = state ]; then
			nstates=$((nstates + 1))
			one=$a
		fi
		prev=$a
	done
	[ "$nstates" -eq 1 ] || one=""
	one=$(ss_state_name "$one")
	[ "$nstates" -gt 0 ] || set -- state all "$@"
	in_ns ss -Htan "$@" |
		awk -v one="$one" '$1 ~ /^[0-9]+$/ {print one, $1, $2, $3, $4; next} {print $1, $2, $3, $4, $5}' |
		sed -e "$ss_state_sed" -e 's/ \*:/ [::]:/g' | sort
}

# ss's name of one state in a filter ("listening") to the column it prints.
ss_state_name() {
	case "$1" in
	established) echo ESTAB ;;
	syn-sent) echo SYN-SENT ;;
	syn-recv) echo SYN-RECV ;;
	fin-wait-1) echo FIN-WAIT-1 ;;
	fin-wait-2) echo FIN-WAIT-2 ;;
	time-wait) echo TIME-WAIT ;;
	closed) echo UNCONN ;;
	close-wait) echo CLOSE-WAIT ;;
	last-ack) echo LAST-ACK ;;
	listening) echo LISTEN ;;
	closing) echo CLOSING ;;
	*) echo "" ;;
	esac
}

# td_list SOURCE [tcpdoc options...]: the same from tcpdoc. From /proc the
# Send-Q of a listener is 0 (the backlog is not there): blank it for both.
td_list() {
	local src=$1
	shift
	"$TCPDOC" states --no-findings -l -H --source "$src" -N "$ZOO_NS" "$@" | sort
}

no_listen_sendq() {
	awk '$1=="LISTEN"{$3="-"} {print}' | sort
}

# compare_lists SS_ARGS -- TCPDOC_ARGS: both sources against ss; retried when
# ss itself saw a change between two looks (a TIME_WAIT expiring).
compare_lists() {
	local ssargs=() tdargs=() a s1 s2 nl pr try
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		ssargs+=("$1")
		shift
	done
	shift
	tdargs=("$@")
	for try in 1 2 3 4 5; do
		s1=$(ss_list "${ssargs[@]}")
		nl=$(td_list netlink "${tdargs[@]}")
		pr=$(td_list proc "${tdargs[@]}")
		s2=$(ss_list "${ssargs[@]}")
		[ "$s1" = "$s2" ] && break
	done
	[ "$s1" = "$s2" ] || fail "the sockets kept changing under ss"
	# an empty match on both sides proves nothing
	[ -n "$s1" ] || [ -n "${EMPTY_OK:-}" ] || fail "ss matched no socket for: ${ssargs[*]}"
	if [ "$nl" != "$s1" ]; then
		diff <(echo "$s1") <(echo "$nl") >&2 || true
		fail "netlink list differs from ss for: ${tdargs[*]}"
	fi
	a=$(echo "$s1" | no_listen_sendq)
	if [ "$(echo "$pr" | no_listen_sendq)" != "$a" ]; then
		diff <(echo "$a") <(echo "$pr" | no_listen_sendq) >&2 || true
		fail "/proc list differs from ss for: ${tdargs[*]}"
	fi
	echo "${#s1} bytes, $(echo "$s1" | grep -c . || true) sockets: ${tdargs[*]:-all}"
}

test_counts_match_ss() {
	local s1 s2 try nl pr want
	for try in 1 2 3 4 5; do
		s1=$(ss_list | awk '{c[$1]++} END {for (s in c) print s, c[s]}' | sort)
		nl=$("$TCPDOC" states --no-findings -H --source netlink -N "$ZOO_NS" | awk '$1!="TOTAL" && $2>0 {print $1, $2}' | sort)
		pr=$("$TCPDOC" states --no-findings -H --source proc -N "$ZOO_NS" | awk '$1!="TOTAL" && $2>0 {print $1, $2}' | sort)
		s2=$(ss_list | awk '{c[$1]++} END {for (s in c) print s, c[s]}' | sort)
		[ "$s1" = "$s2" ] && break
	done
	assert_eq "$s1" "$nl" "netlink counts vs ss"
	assert_eq "$s1" "$pr" "/proc counts vs ss"
	# the zoo really holds the states the issue names
	for want in LISTEN ESTABLISHED CLOSE_WAIT FIN_WAIT2 TIME_WAIT SYN_SENT SYN_RECV; do
		assert_match "^$want [0-9]+" "$s1" "the zoo made no $want"
	done
	echo "$s1"
}

test_both_families_present() {
	local l
	l=$(ss_list)
	assert_match '^ESTABLISHED .* \[::1\]:' "$l" "no IPv6 ESTABLISHED"
	assert_match '^LISTEN .* \[' "$l" "no IPv6 LISTEN"
	assert_match '^TIME_WAIT .* \[' "$l" "no IPv6 TIME_WAIT"
	assert_match '^ESTABLISHED .* 127\.0\.0\.1:' "$l" "no IPv4 ESTABLISHED"
}

test_list_matches_ss() {
	compare_lists --
}

test_state_filters_match_ss() {
	compare_lists state listening -- -s listen
	compare_lists state established state time-wait -- -s ESTAB,time_wait
	compare_lists state syn-recv -- -s SYN_RCVD
	compare_lists state syn-sent -- -s 02
	compare_lists state close-wait state fin-wait-2 -- -s close-wait,FIN-WAIT-2
	compare_lists state connected -- -s connected
	compare_lists state synchronized -- -s synchronized
	compare_lists state fin-wait-1 state fin-wait-2 state close-wait state last-ack state closing state time-wait -- -s teardown
}

# The zoo's IPv4 ESTABLISHED pattern listens on BASE+1 (sockzoo.c's port plan).
zoo_lport() {
	echo 7001
}

test_port_filters_match_ss() {
	local p lo hi
	p=$(zoo_lport)
	[ -n "$p" ] || fail "no IPv4 listener in the zoo"
	compare_lists "( sport = :$p or dport = :$p )" -- --port "$p"
	compare_lists "sport = :$p" -- --sport "$p"
	compare_lists "dport = :$p" -- --dport "$p"
	lo=$((p - 5)) hi=$((p + 20))
	compare_lists "( sport >= :$lo and sport <= :$hi )" -- --sport "$lo-$hi"
	compare_lists "( dport >= :$lo and dport <= :$hi )" -- --dport "$lo-$hi"
	compare_lists "( ( sport >= :$lo and sport <= :$hi ) or ( dport >= :$lo and dport <= :$hi ) )" -- --port "$lo-$hi"
	compare_lists state established "sport = :$p" -- -s estab --sport "$p"
	EMPTY_OK=1 compare_lists "( dport >= :1 and dport <= :1023 )" -- --dport 1-1023
}

test_address_filters_match_ss() {
	compare_lists "( src 127.0.0.1 or dst 127.0.0.1 )" -- --host 127.0.0.1
	compare_lists "src 127.0.0.0/8" -- --src 127.0.0.0/8
	compare_lists "dst 10.9.9.0/24" -- --dst 10.9.9.0/24
	compare_lists "src [::1]" -- --src ::1
	compare_lists "( src [::1] or dst [::1] )" -- --host ::1
	compare_lists "dst ::1/128" -- --dst "[::1]/128"
	compare_lists "src 0.0.0.0/0" -- --src 0.0.0.0/0
}

test_family_filters_match_ss() {
	compare_lists -4 -- -4
	compare_lists -6 -- -6
	compare_lists state listening -6 -- -6 -s listen
}

test_combined_filters_match_ss() {
	local p
	p=$(zoo_lport)
	compare_lists state established "src 127.0.0.1 and dport = :$p" -- -s estab --src 127.0.0.1 --dport "$p"
	compare_lists -4 state time-wait "dst 127.0.0.1" -- -4 -s time-wait --dst 127.0.0.1
}

test_groups_add_up() {
	local total sum
	total=$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" | awk '$1=="TOTAL"{print $2}')
	sum=$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" -b lport --top 0 | awk '{s+=$2} END {print s}')
	assert_eq "$total" "$sum" "lport groups add up to the total"
	sum=$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" -b peer --top 0 | awk '{s+=$2} END {print s}')
	assert_eq "$total" "$sum" "peer groups add up to the total"
	assert_eq 2 "$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" -b rport --top 2 | wc -l)"
}

test_extended_list_has_timers() {
	local l
	l=$("$TCPDOC" states --no-findings -l -e -H -N "$ZOO_NS")
	assert_match '^TIME_WAIT .* timewait [0-9.]+[ms]' "$l" "TIME_WAIT without its timer"
	assert_match '^SYN_SENT .* on [0-9.a-z]+ [0-9]+ ' "$l" "SYN_SENT without its retransmit timer"
	# idle ($9) a duration, uid ($10), inode ($11) numbers, rtt ($12) in ms
	printf '%s\n' "$l" | awk '$1 == "ESTABLISHED" && $9 ~ /^[0-9.]+(ms|s)$|^[0-9]+[mhd][0-9]+[smh]$/ &&
		$10 ~ /^[0-9]+$/ && $11 ~ /^[1-9][0-9]*$/ && $12 ~ /^[0-9]+\.[0-9][0-9][0-9]ms$/ {ok=1}
		END {exit !ok}' || fail "ESTABLISHED without idle, uid, inode, rtt"
}

test_netns_by_path() {
	local a b
	a=$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" | awk '$1=="TOTAL"{print $2}')
	b=$("$TCPDOC" states --no-findings -H -N "/proc/$ZOO_PID/ns/net" | awk '$1=="TOTAL"{print $2}')
	assert_eq "$a" "$b"
	[ "$a" -gt 10 ] || fail "the zoo namespace looks empty ($a sockets)"
}

run_tests
