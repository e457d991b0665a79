#!/bin/bash
# Bad input: /proc snapshots cut short, binary, empty or a gibibyte in one line; sock_diag
# dumps whose lengths lie; config files of garbage; absurd options. Each run must give
# exactly one clear line on stderr (and the usage line for a usage error, exit 2; a
# runtime failure exits 1), never crash, never hang, and write nothing: it runs in an empty
# directory of its own, which must stay empty. test_cli.sh has the first cases of most of
# these; this file does not repeat them. Needs no root.
# shellcheck disable=SC2154 # out, err and rc are set by harness.sh's run_cmd
. "$(dirname "$0")/harness.sh"

IN=$(mktemp -d)
trap 'rm -rf "$IN"' EXIT
DUMP=$ZOO_FIX/expected/ss-diag.dump

# td ARGS: tcpdoc ARGS in a new empty directory, 20 s at most, through run_cmd; fails the
# test on a timeout, a signal, or a file left behind. Sets $secs, the time it took.
td() {
	local cwd t0
	cwd=$(mktemp -d)
	t0=$(date +%s%N)
	run_cmd env -C "$cwd" timeout 20 "$TCPDOC" "$@"
	secs=$((($(date +%s%N) - t0) / 1000000))
	secs=$((secs / 1000)).$(printf '%03d' $((secs % 1000)))
	[ "$rc" -ne 124 ] || fail "tcpdoc $* hung"
	[ "$rc" -lt 128 ] || fail "tcpdoc $* died of signal $((rc - 128))"
	[ -z "$(ls -A "$cwd")" ] || fail "tcpdoc $* wrote $(ls -A "$cwd")"
	rmdir "$cwd"
}

# fails RC REGEX ARGS: `tcpdoc states ARGS` exits RC with nothing on stdout and one line
# "tcpdoc: states: ..." matching REGEX on stderr, plus the usage line when RC is 2
fails() {
	local want=$1 re=$2 lines=1
	shift 2
	td states "$@"
	assert_eq "$want" "$rc" "exit status of: tcpdoc states $* (stderr: $err)"
	assert_eq "" "$out" "stdout of: tcpdoc states $*"
	[ "$want" -eq 2 ] && lines=2
	assert_eq "$lines" "$(printf '%s\n' "$err" | wc -l)" "stderr lines of: tcpdoc states $*: $err"
	assert_match "^tcpdoc: states: $re" "$(printf '%s\n' "$err" | head -1)"
	[ "$want" -ne 2 ] || assert_match '^usage: tcpdoc states ' "$(printf '%s\n' "$err" | sed -n 2p)"
	# nothing from the input reaches the terminal raw
	case $err in
	*[$'\001'-$'\011\013'-$'\037\177']*) fail "control characters on stderr: $(printf '%s' "$err" | od -c | head -3)" ;;
	esac
}

# snapshot NAME: a copy of the zoo snapshot in $IN/NAME (echoed)
snapshot() {
	rm -rf "${IN:?}/$1"
	cp -r "$ZOO_FIX" "$IN/$1"
	chmod -R u+w "$IN/$1"
	echo "$IN/$1"
}

# patch FILE OFFSET BYTES: overwrite FILE at OFFSET with BYTES (printf escapes)
patch() {
	# shellcheck disable=SC2059 # BYTES is the format, on purpose
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# A row cut at any byte either fails naming its line, or counts as a row (cut inside its
# trailing fields, which a row may lack) or as nothing (cut in its leading blanks).
test_procfs_cut_at_every_byte_of_a_row() {
	local d cut n=0 bad=0
	d=$(snapshot cut)
	rm "$d/net/tcp6"
	# lines are 150 bytes: the third row (line 4) is bytes 450..599
	for cut in $(seq 450 599); do
		head -c "$cut" "$ZOO_FIX/net/tcp" >"$d/net/tcp"
		td states --procfs "$d" -H --no-findings
		if [ "$rc" -eq 0 ]; then
			assert_match '^TOTAL [23] ' "$(printf '%s\n' "$out" | grep '^TOTAL')"
			n=$((n + 1))
		else
			assert_eq 1 "$rc" "cut at $cut"
			assert_eq 1 "$(printf '%s\n' "$err" | wc -l)" "cut at $cut: $err"
			assert_match "^tcpdoc: states: $d/net/tcp:4: bad row: " "$err"
			bad=$((bad + 1))
		fi
	done
	echo "$bad cuts refused, $n counted"
	[ "$bad" -gt 40 ] || fail "only $bad of 150 cuts were refused"
	# cut in the middle of the remote address: named
	head -c 500 "$ZOO_FIX/net/tcp" >"$d/net/tcp"
	fails 1 "$d/net/tcp:4: bad row: too few fields\$" --procfs "$d"
	# the same in tcp6, after a whole tcp
	cp "$ZOO_FIX/net/tcp" "$d/net/tcp"
	head -c 400 "$ZOO_FIX/net/tcp6" >"$d/net/tcp6"
	fails 1 "$d/net/tcp6:[0-9]+: bad row: " --procfs "$d"
}

test_procfs_binary() {
	local d
	d=$(snapshot bin)
	head -c 4096 /dev/zero >"$d/net/tcp"
	fails 1 "$d/net/tcp:1: binary data in a text table\$" --procfs "$d"
	cp "$(type -P true)" "$d/net/tcp"
	fails 1 "$d/net/tcp:1: binary data in a text table\$" --procfs "$d"
	# a NUL in the middle of a good row
	cp "$ZOO_FIX/net/tcp" "$d/net/tcp"
	patch "$d/net/tcp" 180 '\000'
	fails 1 "$d/net/tcp:2: binary data in a text table\$" --procfs "$d"
	# text that is no table, and terminal escapes in a row: the message does not echo them
	cp "$ZOO_FIX/net/tcp" "$d/net/tcp"
	printf '   9: \033]0;pwned\a 0100007F:1F90\n' >>"$d/net/tcp"
	fails 1 "$d/net/tcp:$(wc -l <"$d/net/tcp"): bad row: too few fields\$" --procfs "$d"
	cp "$ZOO_FIX/net/tcp" "$d/net/tcp"
	head -c 3000 /dev/urandom | base64 -w 100 >"$d/net/tcp6"
	fails 1 "$d/net/tcp6:2: bad row: " --procfs "$d"
	# a directory, /dev/zero, /dev/null in its place
	rm "$d/net/tcp6"
	mkdir "$d/net/tcp6"
	fails 1 "cannot read $d/net/tcp6: Is a directory\$" --procfs "$d"
	rmdir "$d/net/tcp6"
	ln -s /dev/zero "$d/net/tcp6"
	fails 1 "$d/net/tcp6:1: line longer than 4096 bytes\$" --procfs "$d"
	rm "$d/net/tcp6"
	ln -s /dev/null "$d/net/tcp6"
	td states --procfs "$d" -H --no-findings
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_eq "TOTAL 73 73 0" "$(printf '%s\n' "$out" | grep '^TOTAL')"
}

# Empty tables are no sockets; a header alone too; no table at all is an error.
test_procfs_empty() {
	local d
	d=$(snapshot empty)
	: >"$d/net/tcp6"
	td states --procfs "$d" -H --no-findings
	assert_eq 0 "$rc"
	assert_eq "TOTAL 73 73 0" "$(printf '%s\n' "$out" | grep '^TOTAL')"
	head -1 "$ZOO_FIX/net/tcp" >"$d/net/tcp"
	head -1 "$ZOO_FIX/net/tcp6" >"$d/net/tcp6"
	td states --procfs "$d" -H --no-findings
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_eq "TOTAL 0 0 0" "$(printf '%s\n' "$out" | grep '^TOTAL')"
	rm "$d/net/tcp"
	fails 1 "cannot open $d/net/tcp: No such file or directory\$" --procfs "$d"
}

# A gibibyte in one line (a sparse file: NULs) is refused at the first read, not read.
test_procfs_gibibyte_line() {
	local d
	d=$(snapshot huge)
	rm "$d/net/tcp"
	truncate -s 1G "$d/net/tcp"
	fails 1 "$d/net/tcp:1: line longer than 4096 bytes\$" --procfs "$d"
	echo "1 GiB of NULs refused in $secs s"
	[ "${secs%.*}" -lt 2 ] || fail "took $secs s"
	# after a good header and a row start, in tcp6
	cp "$ZOO_FIX/net/tcp" "$d/net/tcp"
	head -c 170 "$ZOO_FIX/net/tcp6" >"$d/net/tcp6"
	truncate -s 1G "$d/net/tcp6"
	fails 1 "$d/net/tcp6:2: line longer than 4096 bytes\$" --procfs "$d"
	echo "1 GiB tcp6 refused in $secs s"
	[ "${secs%.*}" -lt 2 ] || fail "took $secs s"
	# counter tables that big weaken the rules, they do not stop the count
	cp "$ZOO_FIX/net/tcp6" "$d/net/tcp6"
	rm -f "$d/net/netstat"
	truncate -s 1G "$d/net/netstat"
	td states --procfs "$d" -H
	assert_eq 0 "$rc"
	assert_eq "" "$err"
	assert_match '^TOTAL 81 73 8$' "$out"
	[ "${secs%.*}" -lt 2 ] || fail "took $secs s"
	# a config file and a dump of a gibibyte
	truncate -s 1G "$IN/huge.conf"
	fails 1 "cannot read config $IN/huge.conf: larger than 64 KiB\$" --procfs "$ZOO_FIX" \
		--config "$IN/huge.conf"
	fails 1 "$IN/huge.conf: offset 0: bad message length 0\$" --diag-file "$IN/huge.conf"
	rm "$IN/huge.conf"
}

# diag NAME: a copy of the zoo's dump in $IN/NAME (echoed); its first message is 124
# bytes: header 16, inet_diag_msg 72, then attributes at 88, 96, 104 and 116.
diag() {
	cp "$DUMP" "$IN/$1"
	chmod u+w "$IN/$1"
	echo "$IN/$1"
}

test_diagfile_lying_lengths() {
	local f len
	for len in '\000\000\000\000:0' '\010\000\000\000:8' '\017\000\000\000:15' \
		'\160\021\001\000:70000' '\377\377\377\377:4294967295'; do
		f=$(diag "len${len#*:}")
		patch "$f" 0 "${len%:*}"
		fails 1 "$f: offset 0: bad message length ${len#*:}\$" --diag-file "$f"
	done
	# long enough for a header, too short for a socket
	f=$(diag len20)
	patch "$f" 0 '\024\000\000\000'
	fails 1 "$f: offset 0: message too short for inet_diag_msg\$" --diag-file "$f"
	# past the end of the file: the first message alone, then the second in the whole dump
	f=$(diag pastend)
	head -c 124 "$DUMP" >"$f"
	patch "$f" 0 '\350\003\000\000'
	fails 1 "$f: offset 0: message of 1000 bytes cut short by end of file\$" --diag-file "$f"
	f=$(diag pastend2)
	patch "$f" 124 '\000\100\000\000'
	fails 1 "$f: offset 124: message of 16384 bytes cut short by end of file\$" --diag-file "$f"
	# a header cut short
	head -c 130 "$DUMP" >"$f"
	fails 1 "$f: offset 124: truncated message header\$" --diag-file "$f"
	# attribute lengths: zero, shorter than its header, past the message, the largest
	for len in '\000\000' '\002\000' '\310\000' '\377\377'; do
		f=$(diag rta)
		patch "$f" 88 "$len"
		fails 1 "$f: offset 0: attribute length out of bounds\$" --diag-file "$f"
	done
	f=$(diag rta-last)
	patch "$f" 116 '\014\000'
	fails 1 "$f: offset 0: attribute length out of bounds\$" --diag-file "$f"
	# a message type that has no business there
	f=$(diag type)
	patch "$f" 4 '\377\000'
	fails 1 "$f: offset 0: unexpected message type 255\$" --diag-file "$f"
	# not a file of messages at all
	fails 1 "cannot read /: Is a directory\$" --diag-file /
	fails 1 "/dev/zero: offset 0: bad message length 0\$" --diag-file /dev/zero
	fails 1 "/dev/null: empty file, not a sock_diag dump\$" --diag-file /dev/null
}

test_config_garbage() {
	local c=$IN/conf
	cp "$(type -P true)" "$c"
	fails 1 "$c: binary data in a config file\$" --procfs "$ZOO_FIX" --config "$c"
	# what the file says is quoted escaped, not acted on by the terminal
	printf '\033]0;pwned\a = 3\n' >"$c"
	fails 1 "$c:1: unknown rule '\\\\x1b\\]0;pwned\\\\x07' " --procfs "$ZOO_FIX" --config "$c"
	printf 'close-wait-leak = 3\n\377\376 = 1\n' >"$c"
	fails 1 "$c:2: unknown rule '\\\\xff\\\\xfe' " --procfs "$ZOO_FIX" --config "$c"
	head -c 5000 /dev/zero | tr '\0' a >"$c"
	fails 1 "$c:1: " --procfs "$ZOO_FIX" --config "$c"
	printf 'close-wait-leak = 99999999999999999999999\n' >"$c"
	fails 1 "$c:1: bad value '99999999999999999999999' for close-wait-leak" --procfs "$ZOO_FIX" --config "$c"
	printf 'close-wait-leak = -5\n' >"$c"
	fails 1 "$c:1: bad value '-5' for close-wait-leak" --procfs "$ZOO_FIX" --config "$c"
	printf 'close-wait-leak =\n' >"$c"
	fails 1 "$c:1: " --procfs "$ZOO_FIX" --config "$c"
	fails 1 "cannot read config /: Is a directory\$" --procfs "$ZOO_FIX" --config /
	fails 1 "cannot read config /dev/zero: larger than 64 KiB\$" --procfs "$ZOO_FIX" --config /dev/zero
	# CRLF line ends are fine
	printf 'close-wait-leak = 3\r\n' >"$c"
	td states --procfs "$ZOO_FIX" --config "$c" --rules
	assert_eq 0 "$rc"
	assert_match "^close-wait-leak - 3 sockets $c:1\$" "$out"
}

# Options out of range or empty: usage errors (test_cli.sh has the first of each kind).
test_absurd_options() {
	local long
	long=$(head -c 100000 /dev/zero | tr '\0' a)
	fails 2 "bad prefix length in '::/129' \(0-128\)\$" --host ::/129
	fails 2 "bad prefix length in '10.0.0.1/' " --src 10.0.0.1/
	fails 2 "bad address '1.2.3.4.5' " --host 1.2.3.4.5
	fails 2 "bad address 'fe80::1%eth0' " --host 'fe80::1%eth0'
	fails 2 "bad address ''" --dst ''
	fails 2 "bad --sample '1e9' " --sample 1e9
	fails 2 "bad --sample 'nan' " --sample nan
	fails 2 "bad --sample 'inf' " --sample inf
	fails 2 "bad --sample '-1' " --sample -1
	fails 2 "bad --sample '1e-9' " --sample 1e-9
	fails 2 "bad --sample '' " --sample ''
	fails 2 "empty state list\$" -s ''
	fails 2 "empty state list\$" --state=
	fails 2 "unknown state '' " -s ,
	fails 2 "unknown state 'nosuch' " -s all,nosuch
	fails 2 "unknown state '0x0A' " -s 0x0A
	fails 2 "unknown state 'a{40}' " -s "$long"
	fails 2 "unknown state '\\\\x1b\\]0;pwned\\\\x07' " -s $'\e]0;pwned\a'
	fails 2 "bad --top '99999999999999999999' " --top 99999999999999999999
	fails 2 "bad --top '' " --top ''
	fails 2 "bad port '' " --port ''
	fails 2 "bad port range '-1' " --port -1
	fails 2 "bad port '0x50' " --port 0x50
	fails 2 "bad port '99999999999999999999' " --port 99999999999999999999
	fails 2 "bad port range '80-' " --sport 80-
	fails 2 "bad port range '1-2-3' " --dport 1-2-3
	fails 2 "bad --threshold '=3' " --threshold =3
	fails 2 "--threshold: bad value '99999999999999999999999' " \
		--threshold close-wait-leak=99999999999999999999999
	fails 2 "empty namespace name\$" -N ''
	fails 2 "bad namespace name '\.'\$" -N .
	fails 2 "empty --procfs path\$" --procfs ''
	fails 2 "empty --diag-file path\$" --diag-file ''
	fails 2 "unknown color mode '' " --color ''
	fails 2 "unknown format '' " -o ''
	fails 2 "unknown group '' " --by ''
}

run_tests
