#!/bin/bash
# tcpdoc errno: the name list against moreutils' errno(1), the ways to name an
# error, exit codes, JSON through jq, search, table layout on a pipe and on a
# terminal, and the suggested commands actually running.
# Needs no root; the suggested commands read the fixtures.
. "$(dirname "$0")/harness.sh"

# The socket errors that must be explained.
SOCKET_ERRNOS="EPERM EINTR EBADF EAGAIN EACCES EFAULT EINVAL ENFILE EMFILE EPIPE ENOTSOCK
EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP
EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET
ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY
EINPROGRESS"

# Output of a command run on a pseudo-terminal of the given width, without
# carriage returns.
on_tty() {
	local cols=$1
	shift
	local cmd
	cmd=$(printf '%q ' "$@")
	script -qec "stty cols $cols; $cmd" /dev/null | tr -d '\r'
}

test_errno_list_equals_moreutils() {
	command -v errno >/dev/null || fail "moreutils' errno is not installed (make deps)"
	local mine theirs
	mine=$("$TCPDOC" errno -l -H | awk '{print $1, $2}' | sort)
	theirs=$(errno -l | awk '{print $1, $2}' | sort)
	assert_eq "$theirs" "$mine" "names and numbers differ from errno -l"
	# the aliases are there, each under its own name
	assert_match '^EWOULDBLOCK 11$' "$mine"
	assert_match '^EDEADLOCK 35$' "$mine"
	assert_match '^ENOTSUP 95$' "$mine"
	# in the C locale the whole lines agree too, in the same order
	assert_eq "$(LC_ALL=C errno -l)" "$(LC_ALL=C "$TCPDOC" errno -l -H)"
	# with its header, on a pipe
	assert_eq "NAME NUMBER MESSAGE" "$("$TCPDOC" errno -l | head -1)"
}

test_errno_names_and_numbers() {
	local want="ECONNRESET 104 Connection reset by peer" a
	for a in 104 -104 ECONNRESET econnreset EConnReset; do
		run_cmd "$TCPDOC" errno -H "$a"
		assert_eq 0 "$rc" "exit status of errno $a"
		assert_eq "$want" "$(printf '%s\n' "$out" | head -1)" "errno $a"
	done
	run_cmd "$TCPDOC" errno -H EWOULDBLOCK
	assert_eq "EAGAIN 11 Resource temporarily unavailable" "$(printf '%s\n' "$out" | head -1)"
	assert_match '^Also named: +EWOULDBLOCK$' "$out"
	run_cmd "$TCPDOC" errno -H enotsup
	assert_match '^EOPNOTSUPP 95 ' "$out"
	# options after the argument, and a negative number after --
	assert_match '^ETIMEDOUT 110 ' "$("$TCPDOC" errno -110 -H)"
	assert_match '^ETIMEDOUT 110 ' "$("$TCPDOC" errno -H -- -110)"
	# an error that is not a socket error still gets its name and message
	run_cmd "$TCPDOC" errno -H 2
	assert_eq 0 "$rc"
	assert_match '^ENOENT 2 No such file or directory$' "$out"
	assert_match '^Notes: ' "$out"
	# the explanation's parts
	run_cmd "$TCPDOC" errno ETIMEDOUT
	local label
	for label in Summary 'Returned by' 'What happened' Afterwards 'What to do' States Explain \
		Findings 'Run next'; do
		assert_match "^$label: " "$out"
	done
	assert_match 'tcpdoc states -s time-wait -b peer' "$("$TCPDOC" errno EADDRNOTAVAIL)"
}

test_errno_exit_codes() {
	local a
	for a in EFOO ECONNRESE 0 -0 41 200 -99999 12x 99999999999999999999; do
		run_cmd "$TCPDOC" errno "$a"
		assert_eq 1 "$rc" "exit status of errno $a"
		assert_eq "" "$out" "stdout of errno $a"
		assert_eq 1 "$(printf '%s\n' "$err" | wc -l)" "one line for errno $a"
		assert_match '^tcpdoc: errno: ' "$err"
	done
	run_cmd "$TCPDOC" errno EFOO
	assert_match "unknown errno name 'EFOO'" "$err"
	run_cmd "$TCPDOC" errno 200
	assert_match "no errno 200" "$err"
	# a terminal escape in the argument does not reach the terminal raw
	run_cmd "$TCPDOC" errno $'E\033[2J'
	assert_eq 1 "$rc"
	assert_match '\\x1b' "$err"
	run_cmd "$TCPDOC" errno -s zzzqqqxx
	assert_eq 1 "$rc"
	assert_match "no errno matches 'zzzqqqxx'" "$err"

	local args
	for args in "" "1 2" "-l 5" "-l -s" "-s -l" "--bogus 1" "-Z 1" "-o prom 1" "-o xml 1" \
		"-o" "--color sometimes 1" "--format"; do
		# shellcheck disable=SC2086
		run_cmd "$TCPDOC" errno $args
		assert_eq 2 "$rc" "exit status of errno $args"
		assert_eq "" "$out" "stdout of errno $args"
		assert_match '^tcpdoc: errno: ' "$(printf '%s\n' "$err" | head -1)"
		assert_match '^usage: tcpdoc errno' "$(printf '%s\n' "$err" | sed -n 2p)"
	done
}

test_errno_help_and_version() {
	run_cmd "$TCPDOC" help errno
	assert_eq 0 "$rc"
	assert_match '^usage: tcpdoc errno' "$out"
	assert_match -- '--search' "$out"
	run_cmd "$TCPDOC" errno --help
	assert_eq 0 "$rc"
	assert_match -- '--list' "$out"
	run_cmd "$TCPDOC" errno -V
	assert_match '^tcpdoc [0-9]+\.[0-9]+\.[0-9]+$' "$out"
	# a unique prefix names the command
	assert_match '^ECONNRESET 104 ' "$("$TCPDOC" err -H 104)"
	assert_match 'errno' "$("$TCPDOC" --help)"
}

test_errno_json() {
	command -v jq >/dev/null || fail "jq is not installed"
	"$TCPDOC" errno --json 104 | jq -e '.name == "ECONNRESET" and .number == 104 and .socket
		and (.message | length > 0) and (.calls | index("recv") != null)
		and (.states | length > 0) and (.summary | length > 0) and .aliases == []' >/dev/null ||
		fail "errno --json 104"
	"$TCPDOC" errno -o json -104 | jq -e '.name == "ECONNRESET"' >/dev/null || fail "-o json -104"
	"$TCPDOC" errno --json EWOULDBLOCK | jq -e '.name == "EAGAIN" and .aliases == ["EWOULDBLOCK"]' \
		>/dev/null || fail "aliases in JSON"
	"$TCPDOC" errno --json EADDRNOTAVAIL |
		jq -e '.next == "tcpdoc states -s time-wait -b peer"' >/dev/null || fail "next in JSON"
	"$TCPDOC" errno --json 2 | jq -e '.socket == false and .name == "ENOENT"' >/dev/null ||
		fail "a non-socket error in JSON"
	local n
	n=$("$TCPDOC" errno -l --json | jq '.errnos | length')
	assert_eq "$("$TCPDOC" errno -l -H | wc -l)" "$n" "JSON list length"
	"$TCPDOC" errno -l --json | jq -e '[.errnos[] | select(.alias_of)] | map(.name) | sort ==
		["EDEADLOCK", "ENOTSUP", "EWOULDBLOCK"]' >/dev/null || fail "aliases in the JSON list"
	"$TCPDOC" errno -s --json reset | jq -e '.query == ["reset"] and
		(.errnos | map(.name) | index("ECONNRESET") != null)' >/dev/null || fail "search JSON"
	"$TCPDOC" errno -s --json | jq -e '.errnos | all(.socket)' >/dev/null || fail "-s JSON"
	# every socket error has every part, as JSON sees it
	local e
	for e in $SOCKET_ERRNOS; do
		"$TCPDOC" errno --json "$e" | jq -e '.socket and ([.summary, .cause, .after, .action]
			| all(length > 0)) and (.calls | length > 0)' >/dev/null ||
			fail "$e: incomplete in JSON"
	done
}

test_errno_search() {
	run_cmd "$TCPDOC" errno -s reset
	assert_eq 0 "$rc"
	assert_eq "NAME NUMBER SUMMARY" "$(printf '%s\n' "$out" | head -1)"
	assert_match '^ECONNRESET 104 ' "$out"
	run_cmd "$TCPDOC" errno -s Connection REFUSED
	assert_match '^ECONNREFUSED 111 ' "$out"
	run_cmd "$TCPDOC" errno -s wouldblock
	assert_match '^EAGAIN 11 ' "$out"
	run_cmd "$TCPDOC" errno -s -- -110
	assert_eq "ETIMEDOUT" "$(printf '%s\n' "$out" | sed -n 2p | awk '{print $1}')"
	# without words: the socket errors, each once, and nothing else
	run_cmd "$TCPDOC" errno -s -H
	assert_eq 0 "$rc"
	local e names
	names=$(printf '%s\n' "$out" | awk '{print $1}')
	for e in $SOCKET_ERRNOS; do
		printf '%s\n' "$names" | grep -qx "$e" || fail "$e missing from errno -s"
	done
	assert_eq "" "$(printf '%s\n' "$names" | grep -x 'ENOENT\|EWOULDBLOCK' || true)"
	assert_eq "$(printf '%s\n' "$names" | sort -u | wc -l)" "$(printf '%s\n' "$names" | wc -l)"
}

test_errno_layout() {
	local line e
	# a pipe: single spaces between the columns, 80 columns of prose
	run_cmd "$TCPDOC" errno 113
	assert_eq "NAME NUMBER MESSAGE" "$(printf '%s\n' "$out" | head -1)"
	assert_eq "EHOSTUNREACH 113 No route to host" "$(printf '%s\n' "$out" | sed -n 2p)"
	for e in $SOCKET_ERRNOS; do
		while IFS= read -r line; do
			case "$line" in "Run next:"*) continue ;; esac
			[ ${#line} -le 80 ] || fail "$e: line wider than 80 on a pipe: $line"
		done < <("$TCPDOC" errno "$e")
	done
	# a terminal: aligned columns, prose wrapped to its width
	command -v script >/dev/null || fail "script(1) is not installed"
	out=$(on_tty 50 "$TCPDOC" errno --color never ECONNRESET)
	assert_match '^NAME +NUMBER MESSAGE$' "$out"
	assert_match '^ECONNRESET +104 Connection reset by peer$' "$out"
	local wide=0
	while IFS= read -r line; do
		case "$line" in "Run next:"*) continue ;; esac
		[ ${#line} -le 50 ] || fail "line wider than the 50-column terminal: $line"
		[ ${#line} -gt 45 ] && wide=1
	done <<<"$out"
	assert_eq 1 "$wide" "the text should use the terminal's width"
	out=$(on_tty 120 "$TCPDOC" errno --color never ECONNRESET)
	assert_match '^What happened: .{90,}$' "$out"
	# a closed pipe ends quietly
	"$TCPDOC" errno -l 2>/dev/null | head -1 >/dev/null
	assert_eq 0 "${PIPESTATUS[0]}" "exit status on a closed pipe"
}

# Each suggested command is a valid tcpdoc command line (run here on the
# fixtures' saved /proc).
test_errno_next_commands_run() {
	command -v jq >/dev/null || fail "jq is not installed"
	local e next
	for e in $SOCKET_ERRNOS; do
		next=$("$TCPDOC" errno --json "$e" | jq -r '.next // empty')
		[ -n "$next" ] || continue
		case "$next" in "tcpdoc "*) ;; *) fail "$e: '$next' is not a tcpdoc command" ;; esac
		# shellcheck disable=SC2086
		run_cmd "$TCPDOC" ${next#tcpdoc } --procfs "$ZOO_FIX"
		assert_eq 0 "$rc" "$e: '$next' failed: $err"
	done
}

run_tests
