#!/bin/bash
# tcpdoc explain: topics, states in every spelling, live numbers from a
# namespace of our own (keepalive sysctls, sockets in known states), and
# explain ADDR:PORT on live sockets. Needs root for the namespace.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

[ -n "${SOCKZOO:-}" ] && ZOO_BIN=$SOCKZOO && export ZOO_BIN
zoo_init
zoo_start -n 2 || exit 1

test_list_of_topics() {
	local j t
	run_cmd "$TCPDOC" explain
	assert_eq 0 "$rc"
	for t in handshake teardown simultaneous-open simultaneous-close transitions time-wait \
		keepalive half-open syn-flood backlog port-exhaustion close-wait-leak exposed-listener; do
		assert_match "^(topic|finding) $t " "$out" "no topic $t"
	done
	assert_match '^state CLOSE_WAIT ' "$out"
	assert_match '^state NEW_SYN_RECV ' "$out"
	j=$("$TCPDOC" explain --json)
	assert_eq 13 "$(printf '%s' "$j" | jq '.states | length')"
	# every finding id is a topic
	for t in $("$TCPDOC" states --rules | awk 'NR>1 {print $1}' | sort -u); do
		printf '%s' "$j" | jq -e --arg t "$t" '.topics[] | select(.name == $t and .kind == "finding")' >/dev/null ||
			fail "finding $t has no topic"
	done
}

test_every_state_spelling() {
	local w
	for w in ESTABLISHED estab established SYN_RECV syn-recv SYN_RCVD synrecv TIME_WAIT \
		time-wait LISTEN LISTENING listen CLOSE UNCONN 0A 08 8 close-wait CLOSE-WAIT; do
		run_cmd "$TCPDOC" explain "$w" --no-live
		assert_eq 0 "$rc" "explain $w"
	done
	run_cmd "$TCPDOC" explain 0A --no-live
	assert_match '^LISTEN  \(state 10; ss: LISTEN; /proc: 0A\)' "$out"
	run_cmd "$TCPDOC" explain syn_rcvd --no-live
	assert_match '^SYN_RECV ' "$out"
	run_cmd "$TCPDOC" explain new_syn_recv --no-live
	assert_match 'kernel-internal' "$out"
	run_cmd "$TCPDOC" explain bound-inactive --no-live
	assert_eq 0 "$rc"
}

test_unknown_topic_and_usage() {
	run_cmd "$TCPDOC" explain no-such-topic
	assert_eq 1 "$rc"
	assert_match "^tcpdoc: explain: no topic, state or endpoint 'no-such-topic'" "$err"
	run_cmd "$TCPDOC" explain one two
	assert_eq 2 "$rc"
	run_cmd "$TCPDOC" explain --width 5 time-wait
	assert_eq 2 "$rc"
	run_cmd "$TCPDOC" explain -o prom
	assert_eq 2 "$rc"
}

test_wrapping() {
	local w
	for w in 80 40; do
		run_cmd "$TCPDOC" explain time-wait --no-live -w "$w"
		assert_eq 0 "$rc"
		# prose wraps at the width; only verbatim blocks and long words may not
		printf '%s\n' "$out" | awk -v w="$w" 'length($0) > w && $0 !~ /^    [^ ]/ && $0 !~ /:\/\// {bad=1; print} END {exit bad}' >&2 ||
			fail "lines over $w columns"
	done
	# on a pipe the default is 80
	run_cmd "$TCPDOC" explain close-wait --no-live
	assert_eq "" "$(printf '%s\n' "$out" | awk 'length($0) > 80 && $0 !~ /^    [^ ]/')"
}

test_keepalive_live_numbers() {
	in_ns sysctl -qw net.ipv4.tcp_keepalive_time=60 net.ipv4.tcp_keepalive_intvl=20 net.ipv4.tcp_keepalive_probes=3
	run_cmd "$TCPDOC" explain keepalive -N "$ZOO_NS"
	assert_eq 0 "$rc"
	assert_match 'net.ipv4.tcp_keepalive_time = 60' "$out"
	assert_match 'net.ipv4.tcp_keepalive_intvl = 20' "$out"
	assert_match 'net.ipv4.tcp_keepalive_probes = 3' "$out"
	assert_match '60 \+ 3 x 20 = 120 s' "$out"
	assert_eq 120 "$("$TCPDOC" explain keepalive -N "$ZOO_NS" --json | jq '.live.sysctls["net.ipv4.tcp_keepalive_time"] + .live.sysctls["net.ipv4.tcp_keepalive_probes"] * .live.sysctls["net.ipv4.tcp_keepalive_intvl"]')"
	in_ns sysctl -qw net.ipv4.tcp_keepalive_time=7200 net.ipv4.tcp_keepalive_intvl=75 net.ipv4.tcp_keepalive_probes=9
}

test_state_live_numbers() {
	local n j
	n=$("$TCPDOC" states --no-findings -H -N "$ZOO_NS" | awk '$1=="CLOSE_WAIT" {print $2}')
	[ "$n" -gt 0 ] || fail "the zoo has no CLOSE_WAIT"
	run_cmd "$TCPDOC" explain close-wait -N "$ZOO_NS"
	assert_match "^    $n of [0-9]+ sockets are in CLOSE_WAIT" "$out"
	assert_match '^    local ports: ' "$out"
	j=$("$TCPDOC" explain CLOSE_WAIT -N "$ZOO_NS" --json)
	assert_eq "$n" "$(printf '%s' "$j" | jq .live.states.CLOSE_WAIT)"
	assert_eq '"state"' "$(printf '%s' "$j" | jq .kind)"
}

test_explain_endpoint() {
	local j
	# the zoo's CLOSE_WAIT pattern listens on 127.0.0.1:7002 (sockzoo's port plan)
	run_cmd "$TCPDOC" explain 127.0.0.1:7002 -N "$ZOO_NS"
	assert_eq 0 "$rc"
	assert_match '^LISTEN 127.0.0.1:7002 -> ' "$out"
	assert_match '^CLOSE_WAIT 127.0.0.1:7002 -> ' "$out"
	assert_match '^FIN_WAIT2 127.0.0.1:[0-9]+ -> 127.0.0.1:7002' "$out"
	assert_match 'server side: accepted on listening port 7002' "$out"
	assert_match 'client side' "$out"
	j=$("$TCPDOC" explain 127.0.0.1:7002 -N "$ZOO_NS" --json)
	assert_eq "$(in_ns ss -Htan state all '( sport = :7002 or dport = :7002 )' src 127.0.0.1 | wc -l)" \
		"$(printf '%s' "$j" | jq '.sockets | length')"
	# TIME_WAIT and SYN_SENT timers in words
	run_cmd "$TCPDOC" explain :7004 -N "$ZOO_NS" -s time-wait
	assert_match 'TIME_WAIT ends in [0-9]+' "$out"
	# SYN_SENT to the silent 10.9.9.2 on BASE+10 (sockzoo's port plan)
	run_cmd "$TCPDOC" explain 10.9.9.2:7010 -N "$ZOO_NS"
	assert_match 'retransmitting SYN, attempt [0-9]+, next in ' "$out"
	run_cmd "$TCPDOC" explain 127.0.0.1:1 -N "$ZOO_NS"
	assert_eq 0 "$rc"
	assert_match '^No socket matches' "$out"
}

run_tests
