#!/bin/bash
# Command-line contract: help, version, exit codes and messages for bad input,
# closed pipes, and the JSON and Prometheus outputs parsing as such.
# Needs no root: every socket comes from the fixtures.
. "$(dirname "$0")/harness.sh"

test_help_and_version() {
	run_cmd "$TCPDOC" --help
	assert_eq 0 "$rc"
	assert_match '^usage: tcpdoc' "$out"
	assert_match 'states' "$out"
	run_cmd "$TCPDOC" --version
	assert_eq 0 "$rc"
	assert_match '^tcpdoc [0-9]+\.[0-9]+\.[0-9]+$' "$out"
	run_cmd "$TCPDOC" help states
	assert_eq 0 "$rc"
	assert_match -- '--state LIST' "$out"
	run_cmd "$TCPDOC" states --help
	assert_eq 0 "$rc"
	assert_match -- '--diag-file' "$out"
	run_cmd "$TCPDOC" st -V
	assert_eq 0 "$rc"
	assert_match '^tcpdoc ' "$out"
}

# usage_error ARGS...: exit 2, a first line "tcpdoc: ...", then the usage
usage_error() {
	run_cmd "$TCPDOC" "$@"
	assert_eq 2 "$rc" "exit status of: tcpdoc $*"
	assert_eq "" "$out" "stdout of: tcpdoc $*"
	assert_match '^tcpdoc: ' "$(printf '%s\n' "$err" | head -1)"
	assert_match '^usage: tcpdoc' "$(printf '%s\n' "$err" | sed -n 2p)"
}

test_bad_command_lines() {
	usage_error states --state nosuchstate
	assert_match "nosuchstate" "$err"
	usage_error states -s established,
	usage_error states --port 70000
	assert_match "70000" "$err"
	usage_error states --dport 10-5
	usage_error states --sport abc
	usage_error states --host 10.0.0.1/33
	assert_match "10.0.0.1/33" "$err"
	usage_error states --dst ::1/129
	usage_error states --src not-an-address
	usage_error states --top -1
	usage_error states -o xml
	usage_error states --color sometimes
	usage_error states --source carrier-pigeon
	usage_error states --by colour
	usage_error states --no-such-option
	assert_match "no-such-option" "$err"
	usage_error states -Z
	usage_error states -l -b lport
	usage_error states -e
	usage_error states -l -o prom
	usage_error states extra-argument
	usage_error states --procfs /a --diag-file /b
	usage_error states --source proc --procfs /a
	usage_error states --procfs /a --source proc
	usage_error states --state
}

test_unknown_command() {
	run_cmd "$TCPDOC" frobnicate
	assert_eq 2 "$rc"
	assert_match "frobnicate" "$err"
	run_cmd "$TCPDOC" help frobnicate
	assert_eq 2 "$rc"
}

test_missing_sources_fail_with_one_line() {
	run_cmd "$TCPDOC" states --procfs /nonexistent/dir
	assert_eq 1 "$rc"
	assert_eq 1 "$(printf '%s\n' "$err" | wc -l)"
	assert_match '/nonexistent/dir/net/tcp' "$err"
	run_cmd "$TCPDOC" states --diag-file /nonexistent/file
	assert_eq 1 "$rc"
	assert_match '^tcpdoc: states: cannot open /nonexistent/file' "$err"
	run_cmd "$TCPDOC" states -N no-such-namespace-here
	assert_eq 1 "$rc"
	assert_match 'no-such-namespace-here' "$err"
}

test_garbage_sources_fail_with_one_line() {
	local d
	d=$(mktemp -d)
	mkdir -p "$d/net"
	printf 'header\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n   1: garbage here\n' >"$d/net/tcp"
	run_cmd "$TCPDOC" states --procfs "$d"
	assert_eq 1 "$rc"
	assert_eq 1 "$(printf '%s\n' "$err" | wc -l)"
	assert_match "$d/net/tcp:3: bad row" "$err"
	head -c 4096 /dev/urandom >"$d/net/tcp"
	run_cmd "$TCPDOC" states --procfs "$d"
	assert_eq 1 "$rc"
	: >"$d/net/tcp"
	run_cmd "$TCPDOC" states --procfs "$d"
	assert_eq 0 "$rc" "an empty table is no sockets"
	head -c 1000 /dev/urandom >"$d/diag"
	run_cmd "$TCPDOC" states --diag-file "$d/diag"
	assert_eq 1 "$rc"
	assert_eq 1 "$(printf '%s\n' "$err" | wc -l)"
	: >"$d/diag"
	run_cmd "$TCPDOC" states --diag-file "$d/diag"
	assert_eq 1 "$rc"
	assert_match 'empty' "$err"
	head -c 300 "$FIXTURES/iproute2-ss/ss1.dump" >"$d/diag"
	run_cmd "$TCPDOC" states --diag-file "$d/diag"
	assert_eq 1 "$rc"
	assert_match 'cut short|truncated' "$err"
	rm -rf "$d"
}

test_closed_pipe_is_quiet() {
	local d i errf
	d=$(mktemp -d)
	mkdir -p "$d/net"
	{
		echo "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
		for i in $(seq 0 49999); do
			printf '%6d: 0100007F:%04X 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 0 0 %d 1\n' \
				"$i" $((i % 60000 + 1024)) $((i + 1000))
		done
	} >"$d/net/tcp"
	errf=$(mktemp)
	set +e
	"$TCPDOC" states -l --procfs "$d" 2>"$errf" | head -1 >/dev/null
	local st=${PIPESTATUS[0]}
	set -e
	assert_eq 0 "$st" "exit status after the reader went away"
	assert_eq "" "$(cat "$errf")" "stderr after the reader went away"
	set +e
	"$TCPDOC" states -l --json --procfs "$d" 2>"$errf" | head -c 100 >/dev/null
	st=${PIPESTATUS[0]}
	set -e
	assert_eq 0 "$st"
	assert_eq "" "$(cat "$errf")"
	rm -rf "$d" "$errf"
}

test_pipe_output_is_awk_friendly() {
	run_cmd "$TCPDOC" states --no-findings --procfs "$ZOO_FIX"
	assert_eq 0 "$rc"
	assert_eq 13 "$(printf '%s\n' "$out" | wc -l)" "header, 11 states, total"
	assert_eq "STATE COUNT IPV4 IPV6" "$(printf '%s\n' "$out" | head -1)"
	assert_eq "LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE TOTAL" \
		"$(printf '%s\n' "$out" | awk 'NR>1{printf "%s%s", sep, $1; sep=" "}')"
	assert_eq 25 "$(printf '%s\n' "$out" | awk '$1=="ESTABLISHED"{print $2}')"
	run_cmd "$TCPDOC" states --no-findings -H --procfs "$ZOO_FIX"
	assert_eq 12 "$(printf '%s\n' "$out" | wc -l)"
	# every list line has the same number of fields: no blanks inside a field
	run_cmd "$TCPDOC" states --no-findings -l -e -H --procfs "$ZOO_FIX"
	assert_eq 81 "$(printf '%s\n' "$out" | wc -l)"
	assert_eq 12 "$(printf '%s\n' "$out" | awk '{print NF}' | sort -u)"
	# no color escapes on a pipe, even with a TERM
	assert_eq 0 "$(printf '%s' "$out" | grep -c $'\033' || true)"
	# with findings, the list gains a FINDING column: 13 fields on every line
	run_cmd "$TCPDOC" states -l -e -H --procfs "$ZOO_FIX"
	assert_eq 13 "$(printf '%s\n' "$out" | sed '/^$/,$d' | awk '{print NF}' | sort -u)"
	assert_match '^CLOSING .* closing-seen$' "$out"
}

test_color() {
	run_cmd "$TCPDOC" states --color always --procfs "$ZOO_FIX"
	assert_match $'\033\\[' "$out"
	NO_COLOR=1 run_cmd "$TCPDOC" states --procfs "$ZOO_FIX"
	assert_eq 0 "$(printf '%s' "$out" | grep -c $'\033' || true)"
}

test_json_parses() {
	local j
	j=$("$TCPDOC" states --json --procfs "$ZOO_FIX")
	assert_eq 81 "$(printf '%s' "$j" | jq .total)"
	assert_eq 20 "$(printf '%s' "$j" | jq .states.SYN_RECV)"
	assert_eq 6 "$(printf '%s' "$j" | jq .families.ipv6.ESTABLISHED)"
	assert_eq '"procfs"' "$(printf '%s' "$j" | jq .source)"
	j=$("$TCPDOC" states -l -e -o json --procfs "$ZOO_FIX")
	printf '%s' "$j" | python3 -m json.tool >/dev/null || fail "json.tool rejects the list"
	assert_eq 81 "$(printf '%s' "$j" | jq '.sockets | length')"
	assert_eq 81 "$(printf '%s' "$j" | jq .count)"
	assert_eq 4 "$(printf '%s' "$j" | jq '[.sockets[] | select(.state=="CLOSE_WAIT")] | length')"
	assert_eq 8080 "$(printf '%s' "$j" | jq '[.sockets[] | select(.state=="CLOSE_WAIT")][0].local.port')"
	j=$("$TCPDOC" states -l --json --procfs "$ZOO_FIX" -s listening --sport 9999)
	assert_eq 0 "$(printf '%s' "$j" | jq '.sockets | length')"
	j=$("$TCPDOC" states -b lport --top 3 --json --procfs "$ZOO_FIX")
	assert_eq 3 "$(printf '%s' "$j" | jq '.groups | length')"
	assert_eq '"9000"' "$(printf '%s' "$j" | jq '.groups[0].key')"
	assert_eq 21 "$(printf '%s' "$j" | jq '.groups[0].total')"
}

test_prom_parses() {
	local p
	p=$("$TCPDOC" states -o prom --procfs "$ZOO_FIX")
	assert_match '^# TYPE tcpdoc_sockets gauge$' "$p"
	assert_match '^tcpdoc_sockets\{state="time_wait",family="ipv4"\} 5$' "$p"
	assert_eq 22 "$(printf '%s\n' "$p" | grep -c '^tcpdoc_sockets{')"
	if command -v promtool >/dev/null; then
		printf '%s\n' "$p" | promtool check metrics || fail "promtool rejects the summary"
		"$TCPDOC" states -o prom -b peer --procfs "$ZOO_FIX" | promtool check metrics ||
			fail "promtool rejects the grouped output"
	else
		fail "promtool is missing (make deps installs the prometheus package)"
	fi
}

test_rules_listing_and_contrib_alerts() {
	local ids id rules
	run_cmd "$TCPDOC" states --rules
	assert_eq 0 "$rc"
	ids=$(printf '%s\n' "$out" | awk 'NR>1 {print $1}' | sort -u)
	assert_eq 19 "$(printf '%s\n' "$ids" | wc -l)" "rule count"
	rules="$(dirname "$0")/../../contrib/prometheus/tcpdoc.rules.yml"
	promtool check rules "$rules" >/dev/null || fail "promtool rejects $rules"
	# every rule that can warn has an alert
	for id in $ids; do
		case $id in time-wait-server | keepalive-slow | closing-seen | exposed-listener) continue ;; esac
		grep -q "id=\"$id\"" "$rules" || fail "no alert for $id"
	done
	run_cmd "$TCPDOC" states --rules --threshold close-wait-leak=7 --threshold syn-flood=off
	assert_match '^close-wait-leak - 7 sockets --threshold$' "$out"
	assert_match '^syn-flood - off % --threshold$' "$out"
	run_cmd "$TCPDOC" states --rules --json
	assert_eq 19 "$(printf '%s' "$out" | jq length)"
}

test_threshold_and_config_errors() {
	local d
	usage_error states --threshold nosuchrule=3
	assert_match "nosuchrule" "$err"
	usage_error states --threshold close-wait-leak=many
	usage_error states --threshold close-wait-leak.nosuch=3
	usage_error states --threshold close-wait-leak
	usage_error states --sample 0
	usage_error states --sample abc
	usage_error states --no-findings --check
	d=$(mktemp -d)
	printf '# thresholds\nclose-wait-leak = 3\n\nsyn-flood.rate = 5 # per second\n' >"$d/ok.conf"
	run_cmd "$TCPDOC" states --rules --config "$d/ok.conf"
	assert_eq 0 "$rc"
	assert_match "^close-wait-leak - 3 sockets $d/ok.conf:2\$" "$out"
	assert_match "^syn-flood rate 5 /s $d/ok.conf:4\$" "$out"
	printf 'close-wait-leak = 3\nthis line is wrong\n' >"$d/bad.conf"
	run_cmd "$TCPDOC" states --config "$d/bad.conf" --procfs "$ZOO_FIX"
	assert_eq 1 "$rc"
	assert_match "^tcpdoc: states: $d/bad.conf:2: " "$err"
	printf 'no-such-rule = 3\n' >"$d/bad2.conf"
	run_cmd "$TCPDOC" states --config "$d/bad2.conf" --procfs "$ZOO_FIX"
	assert_eq 1 "$rc"
	assert_match "bad2.conf:1: unknown rule 'no-such-rule'" "$err"
	run_cmd "$TCPDOC" states --config "$d/missing.conf"
	assert_eq 1 "$rc"
	# the user's file is read from XDG_CONFIG_HOME
	mkdir -p "$d/xdg/tcpdoc"
	printf 'close-wait-leak = 4\n' >"$d/xdg/tcpdoc/config"
	out=$(XDG_CONFIG_HOME="$d/xdg" "$TCPDOC" states --rules)
	assert_match "^close-wait-leak - 4 sockets $d/xdg/tcpdoc/config:1\$" "$out"
	rm -rf "$d"
}

test_findings_on_fixtures() {
	local j
	# the zoo's 4 CLOSE_WAIT on :8080 fire at threshold 4, not at 5
	j=$("$TCPDOC" states --json --procfs "$ZOO_FIX" --threshold close-wait-leak=4)
	assert_eq '"warning"' "$(printf '%s' "$j" | jq '.findings[] | select(.id=="close-wait-leak") | .severity')"
	assert_eq '":8080"' "$(printf '%s' "$j" | jq '.findings[] | select(.id=="close-wait-leak") | .scope.value')"
	assert_eq 4 "$(printf '%s' "$j" | jq '.findings[] | select(.id=="close-wait-leak") | .examples | length')"
	j=$("$TCPDOC" states --json --procfs "$ZOO_FIX" --threshold close-wait-leak=5)
	assert_eq 0 "$(printf '%s' "$j" | jq '[.findings[] | select(.id=="close-wait-leak")] | length')"
	# the diag dump has backlogs: the full accept queue of :7700 is critical
	run_cmd "$TCPDOC" states --check --diag-file "$ZOO_FIX/expected/ss-diag.dump"
	assert_eq 2 "$rc"
	assert_match '^TCPDOC CRITICAL - accept-queue-full 127.0.0.1:7700 \|' "$(printf '%s\n' "$out" | head -1)"
	run_cmd "$TCPDOC" states --check --procfs "$ZOO_FIX" --threshold close-wait-leak=4
	assert_eq 1 "$rc"
	assert_match '^TCPDOC WARNING - close-wait-leak :8080 \|' "$(printf '%s\n' "$out" | head -1)"
	run_cmd "$TCPDOC" states --check --procfs "$ZOO_FIX"
	assert_eq 0 "$rc"
	assert_match '^TCPDOC OK - ' "$out"
	run_cmd "$TCPDOC" states --check --procfs /nonexistent
	assert_eq 3 "$rc"
	assert_match '^TCPDOC UNKNOWN - ' "$out"
	# prom carries the findings
	"$TCPDOC" states -o prom --procfs "$ZOO_FIX" --threshold close-wait-leak=4 >"${TMPDIR:-/tmp}/td.prom.$$"
	grep -q '^tcpdoc_finding{id="close-wait-leak",severity="warning",scope=":8080"} 1$' "${TMPDIR:-/tmp}/td.prom.$$" ||
		fail "no close-wait-leak series"
	promtool check metrics <"${TMPDIR:-/tmp}/td.prom.$$" || fail "promtool rejects findings"
	rm -f "${TMPDIR:-/tmp}/td.prom.$$"
}

run_tests
