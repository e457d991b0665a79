#!/bin/sh
# valgrind memcheck over the commands: no leak, no read of uninitialised
# memory, no invalid access. Prints one line per command and a closing count.
set -u
TCPDOC=${TCPDOC:?TCPDOC names the binary}
FIX=${TCPDOC_FIXTURES:?TCPDOC_FIXTURES names the fixtures}
pass=0 fail=0
log=$(mktemp)
run() {
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 "$TCPDOC" "$@" >/dev/null 2>"$log"; then
		pass=$((pass + 1))
		echo "ok   memcheck: tcpdoc $*"
	elif [ $? -eq 99 ]; then
		fail=$((fail + 1))
		echo "FAIL memcheck: tcpdoc $*"
		sed 's/^/     | /' "$log"
	else
		pass=$((pass + 1)) # a failing command is fine: its memory must be clean
		echo "ok   memcheck: tcpdoc $* (exit nonzero, memory clean)"
	fi
}
run states
run states -l -e
run states -l -e -p
run states -b process
run states -b peer --json
run states -o prom
run states --all-netns
run states --procfs "$FIX/linux-6.18-zoo" --threshold close-wait-leak=2
run states -l --procfs "$FIX/linux-6.18-zoo" --json
run states --diag-file "$FIX/linux-6.18-zoo/expected/ss-diag.dump" --check
run states --host 127.0.0.1 --port 1-65535 -s all
run states --rules
run explain
run explain close-wait
run explain keepalive --json
run explain :2024
run watch --batch -n 5 -d 0.1
run watch -o json -n 3 -d 0.1
run watch --batch -n 2 -d 0.1 -b process
run watch --procfs "$FIX/linux-6.18-zoo" -n 2 -d 0.1
run errno 104
run errno -l
run errno -s reset
run states --procfs /nonexistent
rm -f "$log"
echo "memcheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
