#!/bin/bash
# tcpdoc watch against the live kernel, with ss as the oracle. The screen runs in
# a tmux server of its own (a private socket, 120x40, UTF-8), driven with
# send-keys and read with capture-pane: counts, keys, resizing, and the terminal
# given back after q, SIGINT, SIGTERM and SIGHUP. Batch mode is read from pipes: its
# line format, JSON Lines, findings that appear and clear, closed pipes, usage errors.
# Every namespace, tmux server and process goes when the file ends, pass or fail.
# Needs root, tmux, jq and python3.
# shellcheck disable=SC2154 # out, err and rc are set by harness.sh's run_cmd
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_watch.sh needs root" >&2
	exit 1
fi
for c in tmux jq python3; do
	command -v "$c" >/dev/null || {
		echo "test_watch.sh needs $c" >&2
		exit 1
	}
done
[ -n "${SOCKZOO:-}" ] && ZOO_BIN=$SOCKZOO && export ZOO_BIN

TM_SOCK=tcpdoc-test-$$
WATCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpdoc-watch.XXXXXX") || exit 1

# tm ARGS: tmux on the private server, without anyone's configuration
tm() {
	tmux -L "$TM_SOCK" -f /dev/null "$@"
}

watch_cleanup() {
	tm kill-server 2>/dev/null || true
	# the server leaves its socket behind
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TM_SOCK"
	rm -rf "$WATCH_TMP"
	zoo_cleanup
}

zoo_init
trap watch_cleanup EXIT
zoo_start -n 2 || exit 1
SOCKZOO_PID=$ZOO_PID

if [ -z "${SCENARIO:-}" ]; then
	SCENARIO=$WATCH_TMP/scenario
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
		-Wmissing-prototypes -Werror -o "$SCENARIO" "$ZOO_LIBDIR/scenario.c" || exit 1
fi

# A helper that adds sockets to a namespace: a listener on 127.0.0.1:PORT and N
# connections to it, accepted: 1 LISTEN and 2N ESTABLISHED, held until killed.
cat >"$WATCH_TMP/conns.py" <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
lsn = socket.socket()
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsn.bind(("127.0.0.1", port))
lsn.listen(n)
keep = []
for _ in range(n):
    keep.append(socket.create_connection(("127.0.0.1", port)))
    keep.append(lsn.accept()[0])
print("ready", flush=True)
sys.stdin.read()
EOF

STATES="LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE"
STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}'

# ss_states: "STATE COUNT" for the 11 states in protocol order (tcpdoc's names, zeros
# included), then "TOTAL N", from ss in the zoo's namespace
ss_states() {
	in_ns ss -tanH state all | awk -v td="$STATES" '
		BEGIN { split("LISTEN SYN-SENT SYN-RECV ESTAB FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT UNCONN", ss)
			split(td, name) }
		{ n[$1]++; t++ }
		END { for (i = 1; i <= 11; i++) print name[i], n[ss[i]] + 0; print "TOTAL", t + 0 }'
}

# ---- the screen ----

# screen_start: a new tmux session running `tcpdoc watch -N ZOO_NS -d 0.3` in sh,
# which then prints EXIT=<status> and `stty -a`; back once the first frame with the
# sockets is up. The session goes when the test's subshell exits.
screen_start() {
	SESSION=s$RANDOM
	trap 'tm kill-session -t "$SESSION" 2>/dev/null || true' EXIT
	tm new-session -d -s "$SESSION" -x 120 -y 40 \
		env LANG=C.UTF-8 TERM=xterm-256color \
		sh -c '"$0" watch "$@"; echo EXIT=$?; stty -a; sleep 60' \
		"$TCPDOC" -N "$ZOO_NS" -d 0.3
	screen_wait '^ tcpdoc watch ' 10
	# the first frame is drawn before the first read: wait for the sockets
	screen_wait '^ TOTAL +[1-9][0-9]* ' 10
}

# screen: the pane's text now
screen() {
	tm capture-pane -p -t "$SESSION"
}

# keys KEY...: tmux key names (Enter, Escape, Down, C-u) or single characters
keys() {
	tm send-keys -t "$SESSION" "$@"
}

# type_text TEXT: literal text
type_text() {
	tm send-keys -t "$SESSION" -l -- "$1"
}

# screen_wait REGEX [SECONDS]: until a line of the screen matches (grep -E, 5 s by
# default); fails the test with the screen when none did.
screen_wait() {
	local i=0 max=$((${2:-5} * 10))
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ "$i" -ge "$max" ]; then
			screen | sed 's/^/  |/' >&2
			fail "no line /$1/ on the screen after ${2:-5} s"
		fi
		sleep 0.1
	done
}

# screen_gone REGEX [SECONDS]: until no line of the screen matches
screen_gone() {
	local i=0 max=$((${2:-5} * 10))
	while screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ "$i" -ge "$max" ]; then
			screen | sed 's/^/  |/' >&2
			fail "the line /$1/ is still on the screen after ${2:-5} s"
		fi
		sleep 0.1
	done
}

# screen_counts: "STATE COUNT" of the state table on the screen, then "TOTAL N"
screen_counts() {
	screen | awk -v td="$STATES TOTAL" 'BEGIN { n = split(td, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		NR >= 5 && NR <= 16 && ($1 in want) && $2 ~ /^[0-9]+$/ { print $1, $2 }'
}

# clock: the time in the header
clock() {
	screen | sed -n 1p | grep -Eo '[0-9]{2}:[0-9]{2}:[0-9]{2}' | tail -n 1
}

# expect_screen_counts_ss: the state table equals ss's counts, every state and the
# total; retried while the sockets change under ss (a TIME_WAIT expiring)
expect_screen_counts_ss() {
	local try a b s
	for try in 1 2 3 4 5 6 7 8; do
		a=$(ss_states)
		sleep 0.7 # two refreshes
		s=$(screen_counts)
		b=$(ss_states)
		[ "$a" = "$b" ] && [ "$s" = "$a" ] && return 0
	done
	diff <(echo "$b") <(echo "$s") >&2 || true
	screen | sed 's/^/  |/' >&2
	fail "the screen's counts differ from ss (try $try)"
}

# group_rows: the rows of the group table, "KEY TOTAL per-state..." as on the screen
group_rows() {
	screen | awk '/^ GROUPS BY / { g = 1; next } g == 1 && $1 == "KEY" { g = 2; next }
		g == 2 && NF >= 2 && $2 ~ /^[0-9]+$/ { print }'
}

# screen_exit STATUS: the program ended with STATUS, left the alternate screen, showed
# the cursor again, and the terminal is back in canonical mode with echo on
screen_exit() {
	screen_wait "^EXIT=[0-9]+$" 5
	assert_eq "EXIT=$1" "$(screen | grep -E '^EXIT=' | head -n 1)" "exit status on the screen"
	screen_wait '^speed [0-9]+ baud' 5
	assert_eq 0 "$(tm display -p -t "$SESSION" '#{alternate_on}')" "still on the alternate screen"
	assert_eq 1 "$(tm display -p -t "$SESSION" '#{cursor_flag}')" "cursor still hidden"
	local stty
	stty=$(screen | sed -n '/^speed /,$p')
	assert_match '(^| )echo( |$)' "$stty" "echo off after exit: $stty"
	assert_match '(^| )icanon( |$)' "$stty" "icanon off after exit: $stty"
	assert_match '(^| )icrnl( |$)' "$stty" "icrnl off after exit: $stty"
	if screen | grep -q '^ tcpdoc watch '; then
		screen | sed 's/^/  |/' >&2
		fail "the watch screen is still shown after exit"
	fi
}

# watch_pid: the pid of tcpdoc in the session (sh's child)
watch_pid() {
	local pp pid
	pp=$(tm display -p -t "$SESSION" '#{pane_pid}')
	pid=$(pgrep -P "$pp" | head -n 1)
	[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = tcpdoc ] ||
		fail "no tcpdoc under the pane's shell $pp"
	echo "$pid"
}

test_screen_counts_match_ss_and_follow_new_sockets() {
	local s st before after want
	screen_start
	s=$(screen)
	for st in $STATES; do
		assert_match "^ $st +[0-9]+ " "$s" "no $st line on the screen"
	done
	assert_match '^ STATE +COUNT +CHANGE +HISTORY \([0-9]+\) +SHARE$' "$s" "state table header"
	assert_match "netns $ZOO_NS  netlink  every 0\\.3s  [0-9]{2}:[0-9]{2}:[0-9]{2}$" "$(sed -n 1p <<<"$s")" "header line"
	expect_screen_counts_ss
	before=$(screen_counts | awk '$1 == "TOTAL" { print $2 }')
	# 1 listener and 5 connections, both ends: 11 more sockets
	zoo_spawn conns python3 "$WATCH_TMP/conns.py" 7950 5 || fail "the helper did not start"
	want=$(ss_states | awk '$1 == "TOTAL" { print $2 }')
	[ "$want" -gt "$before" ] || fail "ss does not see the new sockets ($before -> $want)"
	screen_wait "^ TOTAL +$want " 5
	expect_screen_counts_ss
	after=$(screen_counts | awk '$1 == "TOTAL" { print $2 }')
	[ "$after" -ge $((before + 11)) ] || fail "TOTAL grew from $before to $after, not by 11"
	kill -TERM "$ZOO_PID"
}

test_screen_pause_stops_the_clock() {
	local c1 c2
	screen_start
	keys p
	screen_wait '^ tcpdoc watch .*PAUSED$'
	c1=$(clock)
	sleep 1.4 # at 0.3 s a refresh would have moved the clock by now
	c2=$(clock)
	assert_eq "$c1" "$c2" "the clock moved while paused"
	keys p
	screen_gone 'PAUSED'
	sleep 1.4
	c2=$(clock)
	[ "$c1" != "$c2" ] || fail "the clock stays at $c1 after resuming"
}

# While paused, a key that changes what is read (g, a filter) must still bring a
# screen whose title, header and rows agree: the groups of the new key, the counts
# of the new filter; and it stays paused.
test_screen_group_key_while_paused() {
	local rows
	screen_start
	screen_wait '^ GROUPS BY local port '
	keys p
	screen_wait 'PAUSED$'
	keys g
	screen_wait '^ GROUPS BY peer '
	sleep 1
	rows=$(group_rows)
	[ -n "$rows" ] || fail "no group rows"
	if awk '$1 !~ /[.:]/ { bad = 1 } END { exit !bad }' <<<"$rows"; then
		screen | sed 's/^/  |/' >&2
		fail "paused, g titles the table 'GROUPS BY peer' over rows that are not peers"
	fi
	screen_wait 'PAUSED$'
}

test_screen_filter_while_paused() {
	screen_start
	keys p
	screen_wait 'PAUSED$'
	keys f
	type_text close-wait
	keys Enter
	screen_wait 'filter: close-wait'
	sleep 1
	if screen_counts | awk '$1 != "CLOSE_WAIT" && $1 != "TOTAL" && $2 != 0 { bad = 1 } END { exit !bad }'; then
		screen | sed 's/^/  |/' >&2
		fail "paused, the header says 'filter: close-wait' over unfiltered counts"
	fi
	screen_wait 'PAUSED$'
}

test_screen_group_keys() {
	local rows total
	screen_start
	screen_wait '^ GROUPS BY local port  sorted by total, largest first'
	rows=$(group_rows)
	if awk '$1 !~ /^[0-9]+$/ { bad = 1 } END { exit !bad }' <<<"$rows"; then
		fail "local port keys that are no ports: $rows"
	fi
	assert_match '^ 7009 ' "$rows" "the zoo's port 7009 among the largest groups"
	keys g
	screen_wait '^ GROUPS BY peer '
	screen_wait '^ 10\.9\.9\.2 +[0-9]+ '
	rows=$(group_rows)
	if awk '$1 !~ /[.:]/ { bad = 1 } END { exit !bad }' <<<"$rows"; then
		fail "peer keys that are no addresses: $rows"
	fi
	keys g
	screen_wait '^ GROUPS BY process '
	screen_wait "^ sockzoo/$SOCKZOO_PID +[0-9]+ "
	screen_wait '^ \(timewait\) +[0-9]+ '
	keys g
	screen_wait '^ GROUPS BY user '
	screen_wait '^ root +[0-9]+ '
	# every socket of the zoo is root's: the one row holds them all
	for _ in 1 2 3 4 5; do
		total=$(screen_counts | awk '$1 == "TOTAL" { print $2 }')
		rows=$(group_rows)
		[ "$rows" = "$(group_rows)" ] && [ "$(awk '{ print $1, $2 }' <<<"$rows")" = "root $total" ] && break
		sleep 0.3
	done
	assert_eq "root $total" "$(awk '{ print $1, $2 }' <<<"$rows")" "the user groups"
	keys g
	screen_wait '^ GROUPS BY local port '
}

# col NAME: the values of column NAME of the group rows, one a line
col() {
	screen | awk -v name="$1" '/^ GROUPS BY / { g = 1; next }
		g == 1 && $1 == "KEY" { for (i = 1; i <= NF; i++) if ($i == name) c = i; g = 2; next }
		g == 2 && c && NF >= 2 && $2 ~ /^[0-9]+$/ { print $c }'
}

nonincreasing() {
	awk 'NR > 1 && $1 > prev { bad = 1 } { prev = $1 } END { exit bad || NR < 2 }'
}

test_screen_sort_key() {
	screen_start
	screen_wait 'sorted by total, largest first'
	col TOTAL | nonincreasing || fail "rows not by TOTAL: $(col TOTAL | tr '\n' ' ')"
	keys s
	screen_wait 'sorted by ESTAB, largest first'
	sleep 0.4
	col ESTAB | nonincreasing || fail "rows not by ESTAB: $(col ESTAB | tr '\n' ' ')"
	keys s
	screen_wait 'sorted by T-WAIT, largest first'
	keys r
	screen_wait 'sorted by T-WAIT \(reversed\)'
}

test_screen_filter() {
	local s cw
	screen_start
	keys f
	screen_wait '^filter:$'
	type_text close-wait
	screen_wait '^filter: close-wait$'
	keys Enter
	screen_wait '^ sockstat: .*   filter: close-wait$'
	screen_wait '^filter applied$'
	sleep 0.7
	s=$(screen_counts)
	cw=$(ss_states | awk '$1 == "CLOSE_WAIT" { print $2 }')
	[ "$cw" -gt 0 ] || fail "the zoo has no CLOSE_WAIT"
	assert_eq "$(awk -v cw="$cw" '{ print $1, ($1 == "CLOSE_WAIT" || $1 == "TOTAL") ? cw : 0 }' <<<"$s")" "$s" \
		"counts under the filter close-wait"
	# f shows the filter again; ^U clears it, Enter applies nothing
	keys f
	screen_wait '^filter: close-wait$'
	keys C-u Enter
	screen_wait '^filter cleared$'
	screen_gone 'filter: close-wait'
	expect_screen_counts_ss
	# a filter that does not parse says why and keeps the counts
	keys f
	type_text '--port 99999'
	keys Enter
	screen_wait '99999'
	screen_gone 'filter: --port'
}

test_screen_help_and_explain() {
	local want
	screen_start
	keys '?'
	screen_wait '^  tcpdoc watch: TCP sockets by state, live$'
	screen_wait '^    g             group by local port, peer, process, user$'
	screen_gone '^ STATE +COUNT'
	# any key closes the help, and does nothing else
	keys g
	screen_wait '^ STATE +COUNT'
	screen_gone 'tcpdoc watch: TCP sockets by state, live'
	screen_wait '^ GROUPS BY local port '
	keys Down Enter
	screen_wait '^ SYN_SENT   \(Esc back, arrows scroll\)  1/[0-9]+$'
	screen_wait '^ SYN_SENT  \(state 2; ss: SYN-SENT; /proc: 02\)$'
	screen_wait '^ Who is in it$'
	# the pane's live numbers are the namespace's, further down (PgDn: tmux sends End
	# as ESC [ 4 ~, which xterm's terminfo does not know)
	keys NPage NPage NPage
	want=$(ss_states | awk '$1 == "SYN_SENT" { print $2 }')
	screen_wait '^ On this host now \(netlink'
	screen_wait "^     $want of [0-9]+ sockets are in SYN_SENT"
	keys Escape
	screen_wait '^ STATE +COUNT'
	screen_gone 'Esc back'
}

# The explain pane's live section is about the watched namespace: it must say so, as
# `tcpdoc explain -N NS` does, and its check commands must name it, as the findings on
# the main screen do, or they read another namespace when run as printed.
test_screen_explain_pane_names_the_namespace() {
	local s
	screen_start
	screen_wait "^   -> tcpdoc states .* -N $ZOO_NS( |$)"
	keys Down Enter
	screen_wait '^ SYN_SENT   \(Esc back, arrows scroll\)'
	keys NPage NPage NPage
	screen_wait '^ On this host now \(netlink'
	s=$(screen)
	assert_match "^ On this host now \\(netlink, network namespace $ZOO_NS\\)$" "$s" \
		"the pane's live section does not name the namespace: $(grep 'On this host now' <<<"$s")"
	if grep -E '^ +check: tcpdoc ' <<<"$s" | grep -Ev -- " -N $ZOO_NS( |$)"; then
		fail "check commands in the explain pane without -N $ZOO_NS"
	fi
}

test_screen_interval_keys() {
	screen_start
	screen_wait 'every 0\.3s'
	keys +
	screen_wait 'every 0\.5s'
	keys +
	screen_wait 'every 1s'
	keys -
	screen_wait 'every 0\.5s'
	keys - - - -
	screen_wait 'every 0\.1s'
	keys + + + + + + + + + + + + +
	screen_wait 'every 60s'
}

test_screen_follows_resize() {
	local n
	screen_start
	screen_wait '^ STATE +COUNT +CHANGE +HISTORY \(58\)'
	tm resize-window -t "$SESSION" -x 60 -y 15
	screen_wait '^ STATE +COUNT +CHANGE +HISTORY \(18\) +SHARE$'
	screen_wait '^q quit  p pause'
	n=$(screen | wc -l)
	assert_eq 15 "$n" "lines at 60x15"
	n=$(screen | LC_ALL=C.UTF-8 wc -L)
	[ "$n" -le 60 ] || fail "a line $n wide at 60 columns"
	tm resize-window -t "$SESSION" -x 50 -y 10
	screen_wait '^ +terminal too small: 50x10, need 60x15$'
	screen_gone '^ tcpdoc watch '
	tm resize-window -t "$SESSION" -x 120 -y 40
	screen_wait '^ STATE +COUNT +CHANGE +HISTORY \(58\)'
	screen_gone 'terminal too small'
	screen_wait '^ GROUPS BY local port '
	expect_screen_counts_ss
}

test_screen_quit_restores_terminal() {
	screen_start
	assert_eq 1 "$(tm display -p -t "$SESSION" '#{alternate_on}')" "watch is not on the alternate screen"
	keys q
	screen_exit 0
}

test_screen_sigterm_restores_terminal() {
	screen_start
	assert_eq 1 "$(tm display -p -t "$SESSION" '#{alternate_on}')" "watch is not on the alternate screen"
	kill -TERM "$(watch_pid)"
	screen_exit 143
}

# Ctrl-C quits like q (the pane's sh would die of the terminal's SIGINT too, so the
# signal goes to tcpdoc alone)
test_screen_sigint_quits() {
	screen_start
	kill -INT "$(watch_pid)"
	screen_exit 0
}

test_screen_sighup_restores_terminal() {
	screen_start
	kill -HUP "$(watch_pid)"
	screen_exit 129
}

# ---- batch ----

# batch_counts LINE: "STATE COUNT" and "TOTAL N" from one batch line
batch_counts() {
	tr ' ' '\n' <<<"$1" | awk -F= -v td="$STATES TOTAL" 'BEGIN { n = split(td, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		($1 in want) { print $1, $2 }'
}

# ss_stable CMD...: run CMD (which sets $out) between two equal looks of ss; sets $ss
ss_stable() {
	local try b
	for try in 1 2 3 4 5; do
		ss=$(ss_states)
		"$@"
		b=$(ss_states)
		[ "$ss" = "$b" ] && return 0
	done
	fail "the sockets kept changing under ss"
}

test_batch_text_lines() {
	local line n=0 t0 t1 stamp_s now
	t0=$(date +%s%N)
	ss_stable run_cmd "$TCPDOC" watch --batch -n 3 -d 0.2 -N "$ZOO_NS" --no-findings
	t1=$(date +%s%N)
	assert_eq 0 "$rc" "exit status; stderr: $err"
	assert_eq "" "$err" "stderr"
	assert_eq 3 "$(printf '%s\n' "$out" | wc -l)" "lines for -n 3"
	# -n 3 -d 0.2: two waits of 0.2 s, well under 3 s in all
	[ $(((t1 - t0) / 1000000)) -ge 400 ] || fail "3 refreshes 0.2 s apart took $(((t1 - t0) / 1000000)) ms"
	[ $(((t1 - t0) / 1000000)) -lt 3000 ] || fail "3 refreshes 0.2 s apart took $(((t1 - t0) / 1000000)) ms"
	while IFS= read -r line; do
		n=$((n + 1))
		assert_match "^$STAMP_RE LISTEN=[0-9]+ SYN_SENT=[0-9]+ SYN_RECV=[0-9]+ ESTABLISHED=[0-9]+ FIN_WAIT1=[0-9]+ FIN_WAIT2=[0-9]+ CLOSE_WAIT=[0-9]+ CLOSING=[0-9]+ LAST_ACK=[0-9]+ TIME_WAIT=[0-9]+ CLOSE=[0-9]+ TOTAL=[0-9]+ active_opens/s=[^ ]+ passive_opens/s=[^ ]+ attempt_fails/s=[^ ]+ estab_resets/s=[^ ]+ retrans_segs/s=[^ ]+ listen_overflows/s=[^ ]+ syncookies_sent/s=[^ ]+$" \
			"$line" "line $n: $line"
		assert_eq "$ss" "$(batch_counts "$line")" "line $n against ss"
		assert_match " ESTABLISHED=$(awk '$1 == "ESTABLISHED" { print $2 }' <<<"$ss") " "$line"
		if [ "$n" -eq 1 ]; then
			assert_match ' active_opens/s=- .* syncookies_sent/s=-$' "$line" "line 1 has no rates yet"
		else
			assert_match ' active_opens/s=[0-9]+\.[0-9] .* syncookies_sent/s=[0-9]+\.[0-9]$' "$line" "line $n has rates"
		fi
		# the stamp is now, in this host's time zone
		stamp_s=$(date -d "${line%% *}" +%s)
		now=$(date +%s)
		[ $((now - stamp_s)) -ge 0 ] && [ $((now - stamp_s)) -le 5 ] || fail "stamp ${line%% *} is not now"
	done <<<"$out"
}

test_batch_json_lines() {
	local line n=0 est
	ss_stable run_cmd "$TCPDOC" watch -o json -n 3 -d 0.2 -N "$ZOO_NS"
	assert_eq 0 "$rc" "exit status; stderr: $err"
	assert_eq 3 "$(printf '%s\n' "$out" | wc -l)" "JSON lines for -n 3"
	est=$(awk '$1 == "ESTABLISHED" { print $2 }' <<<"$ss")
	while IFS= read -r line; do
		n=$((n + 1))
		jq -e 'type == "object"' <<<"$line" >/dev/null || fail "line $n is no JSON object: $line"
		assert_eq "$est" "$(jq .states.established <<<"$line")" "line $n .states.established"
		assert_eq "$(awk '$1 == "TOTAL" { print $2 }' <<<"$ss")" "$(jq .total <<<"$line")" "line $n .total"
		assert_eq true "$(jq '.total == ([.states[]] | add) and (.states | length) == 11' <<<"$line")" "line $n: states add up"
		assert_match "^\"$STAMP_RE\"$" "$(jq .time <<<"$line")" "line $n .time"
		assert_eq '"netlink" 0.2' "$(jq -r '"\(.source | tojson) \(.interval)"' <<<"$line")" "line $n source, interval"
		assert_eq true "$(jq '.sockstat | (.inuse | type) == "number" and (.tw | type) == "number"' <<<"$line")" "line $n .sockstat"
		assert_eq true "$(jq '.findings.current | type == "array"' <<<"$line")" "line $n .findings.current"
		if [ "$n" -eq 1 ]; then
			assert_eq null "$(jq -c .rates <<<"$line")" "line 1 .rates"
			assert_eq null "$(jq -c .change <<<"$line")" "line 1 .change"
			assert_eq true "$(jq '.findings.new == .findings.current' <<<"$line")" "line 1: every finding is new"
		else
			assert_eq '["active_opens","attempt_fails","estab_resets","listen_overflows","passive_opens","retrans_segs","syncookies_sent"] true' \
				"$(jq -c '(.rates | keys), ([.rates[] | type == "number"] | all)' <<<"$line" | tr '\n' ' ' | sed 's/ $//')" "line $n .rates"
			assert_eq true "$(jq '(.change | length) == 11 and ([.change[] | type == "number"] | all)' <<<"$line")" "line $n .change"
		fi
	done <<<"$out"
}

test_batch_automatic_on_pipe_and_file() {
	local f
	f=$WATCH_TMP/batch.out
	"$TCPDOC" watch -n 2 -d 0.2 -N "$ZOO_NS" --no-findings | cat >"$f"
	assert_eq 2 "$(wc -l <"$f")" "lines on a pipe"
	assert_match "^$STAMP_RE LISTEN=[0-9]+ .* TOTAL=[0-9]+ " "$(head -n 1 "$f")"
	if grep -q $'\033' "$f"; then fail "escape sequences on a pipe"; fi
	"$TCPDOC" watch -n 1 -N "$ZOO_NS" >"$f"
	assert_eq 1 "$(grep -Ec "^$STAMP_RE LISTEN=" "$f")" "a count line into a file"
	if grep -q $'\033' "$f"; then fail "escape sequences in a file"; fi
}

test_batch_closed_pipe_is_quiet() {
	local errf st first
	errf=$WATCH_TMP/pipe.err
	set +e
	first=$(timeout 10 "$TCPDOC" watch -d 0.1 -N "$ZOO_NS" 2>"$errf" | head -n 1)
	st=${PIPESTATUS[0]}
	set -e
	assert_eq 0 "$st" "exit status after head -1 went away (124: it never noticed)"
	assert_eq "" "$(cat "$errf")" "stderr after head -1 went away"
	assert_match "^$STAMP_RE LISTEN=" "$first"
	set +e
	timeout 10 "$TCPDOC" watch -o json -d 0.1 -N "$ZOO_NS" 2>"$errf" | head -c 10 >/dev/null
	st=${PIPESTATUS[0]}
	set -e
	assert_eq 0 "$st" "JSON: exit status after head -c went away"
	assert_eq "" "$(cat "$errf")" "JSON: stderr after head -c went away"
}

test_batch_findings_new_and_cleared() {
	local f wpid i st
	# a namespace of its own, gone when this test's subshell exits
	unset ZOO_DIR ZOO_NS ZOO_PID
	zoo_init
	zoo_netns
	in_ns ip link set lo up
	f=$WATCH_TMP/findings.out
	"$TCPDOC" watch --batch -d 0.2 -N "$ZOO_NS" --threshold close-wait-leak=3 >"$f" 2>&1 &
	wpid=$!
	trap 'kill -TERM $wpid 2>/dev/null || true; zoo_cleanup' EXIT
	zoo_await_file() {
		local j=0
		until grep -Eq -- "$1" "$f"; do
			j=$((j + 1))
			[ "$j" -lt 100 ] || {
				sed 's/^/  |/' "$f" >&2
				fail "no line /$1/ from watch --batch after 10 s"
			}
			sleep 0.1
		done
	}
	zoo_await_file " CLOSE_WAIT=0 .* findings=0$"
	zoo_spawn cw "$SCENARIO" close-wait 3 8080 || fail "scenario close-wait did not start"
	zoo_await_file "^$STAMP_RE finding new warning close-wait-leak port :8080: 3 sockets in CLOSE_WAIT on local port 8080; "
	kill -TERM "$ZOO_PID"
	zoo_await_file "^$STAMP_RE finding cleared warning close-wait-leak port :8080$"
	sleep 0.5
	kill -TERM "$wpid"
	set +e
	wait "$wpid"
	st=$?
	set -e
	assert_eq 143 "$st" "watch --batch after SIGTERM"
	# each event once, right after the count line that shows it
	assert_eq 1 "$(grep -c 'finding new warning close-wait-leak port :8080' "$f")" "new lines"
	assert_eq 1 "$(grep -c 'finding cleared warning close-wait-leak port :8080' "$f")" "cleared lines"
	i=$(grep -n 'finding new warning close-wait-leak port :8080' "$f" | cut -d: -f1)
	assert_match " CLOSE_WAIT=3 .* findings=1$" "$(sed -n "$((i - 1))p" "$f")" "the line before 'new'"
	i=$(grep -n 'finding cleared warning close-wait-leak port :8080' "$f" | cut -d: -f1)
	assert_match " CLOSE_WAIT=[0-2] .* findings=0$" "$(sed -n "$((i - 1))p" "$f")" "the line before 'cleared'"
	# nothing but count lines and those two events
	assert_eq 2 "$(grep -Evc "^$STAMP_RE LISTEN=[0-9]+ .* findings=[0-9]+$" "$f")" "other lines: $(grep -Ev " LISTEN=" "$f")"
	[ -z "$(tail -c 1 "$f")" ] || fail "the last line is cut short"
}

# usage_error ARGS...: exit 2 at once, nothing on stdout, "tcpdoc: watch: ..." then the usage
usage_error() {
	run_cmd timeout 5 "$TCPDOC" watch "$@"
	assert_eq 2 "$rc" "exit status of: tcpdoc watch $*"
	assert_eq "" "$out" "stdout of: tcpdoc watch $*"
	assert_eq 2 "$(printf '%s\n' "$err" | wc -l)" "stderr lines of: tcpdoc watch $*: $err"
	assert_match '^tcpdoc: watch: ' "$(printf '%s\n' "$err" | head -n 1)"
	assert_match '^usage: tcpdoc watch ' "$(printf '%s\n' "$err" | sed -n 2p)"
}

test_usage_errors() {
	usage_error -n 0
	assert_match "'0'" "$err"
	usage_error -d 0
	usage_error -d 0.05
	assert_match "0\\.05" "$err"
	usage_error -d abc
	assert_match "abc" "$err"
	usage_error -d 86401
	usage_error -n abc
	usage_error --all-netns
	usage_error -b netns
	usage_error -b colour
	usage_error --diag-file -
	usage_error -o prom
	usage_error -b process --procfs "$ZOO_FIX"
	usage_error --no-findings --threshold close-wait-leak=1
	usage_error --batch extra-argument
}

test_batch_procfs_matches_states() {
	local want got nf
	run_cmd "$TCPDOC" watch --procfs "$ZOO_FIX" -n 1 --batch
	assert_eq 0 "$rc" "exit status; stderr: $err"
	got=$(batch_counts "$(head -n 1 <<<"$out")")
	want=$("$TCPDOC" states --procfs "$ZOO_FIX" --no-findings -H | awk '{ print $1, $2 }')
	assert_eq "$want" "$got" "watch --procfs against states --procfs"
	nf=$("$TCPDOC" states --procfs "$ZOO_FIX" --json | jq '.findings | length')
	assert_match " findings=$nf$" "$(head -n 1 <<<"$out")" "the findings of states"
	assert_eq "$nf" "$(grep -c ' finding new ' <<<"$out")" "a 'finding new' line for each"
	run_cmd "$TCPDOC" watch --procfs "$ZOO_FIX" -n 2 -d 0.1 -o json
	assert_eq '"procfs" 25 81' "$(head -n 1 <<<"$out" | jq -r '"\(.source | tojson) \(.states.established) \(.total)"')"
}

# ---- documentation ----

# Every long option `tcpdoc watch --help` names is in the man page's watch section and in
# the three completions' lists for watch; and nothing that watch refuses is offered.
test_docs_name_every_option() {
	local top opts o m man bash_opts zsh_opts fish_opts
	top=$(cd "$(dirname "$0")/../.." && pwd)
	opts=$("$TCPDOC" watch --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
	[ "$(wc -l <<<"$opts")" -ge 15 ] || fail "too few options in watch --help: $opts"
	man=$(sed -n '/^\.It Cm watch /,/^\.It Cm explain /p' "$top/man/tcpdoc.1")
	bash_opts=$(bash -c '. "$1"; echo "$_tcpdoc_watch_opts"' sh "$top/completions/tcpdoc.bash")
	zsh_opts=$(sed -n '/^  watch_opts=(/,/^  )/p' "$top/completions/_tcpdoc")
	# fish is no build dependency: without it, its list is taken from the file's lines
	if command -v fish >/dev/null; then
		# shellcheck disable=SC2016 # fish's $argv
		fish_opts=$(fish -N -c 'source $argv[1]; complete -C "tcpdoc watch --"' "$top/completions/tcpdoc.fish" | cut -f1)
	else
		fish_opts=$(grep -E '^complete -c tcpdoc -n __tcpdoc_(watch|selects|rules) ' "$top/completions/tcpdoc.fish" |
			grep -oE -- ' -l [a-z0-9-]+' | sed 's/ -l /--/')
		fish_opts+=$'\n--help\n--version'
	fi
	for o in $opts; do
		# mdoc: .Fl adds one dash, "\-" the others
		m=${o#-}
		m=${m//-/\\-}
		grep -qF -- "Fl $m" <<<"$man" || fail "man/tcpdoc.1 has no $o ($m) under watch"
		grep -qwF -- "$o" <<<"$bash_opts" || fail "bash completion has no $o for watch"
		grep -qF -- "$o" <<<"$zsh_opts" || fail "zsh completion has no $o for watch"
		grep -qxF -- "$o" <<<"$fish_opts" || fail "fish completion has no $o for watch"
	done
	for o in --all-netns --check --sample --rules --top --list; do
		grep -qwF -- "$o" <<<"$bash_opts" && fail "bash completion offers $o for watch"
		grep -qxF -- "$o" <<<"$fish_opts" && fail "fish completion offers $o for watch"
		run_cmd timeout 5 "$TCPDOC" watch "$o"
		assert_eq 2 "$rc" "watch $o is a usage error"
	done
}

run_tests
