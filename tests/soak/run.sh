#!/bin/sh
# make soak: `tcpdoc watch --batch -d 0.1` for SOAK_SECONDS (default 600) over a
# namespace whose connections churn (churn.c: RATE, default 2000 a second). Checks
# that no count is ever negative, that every refresh printed a well-formed line,
# and that the resident memory after the first 70 s (TIME_WAIT's 60 s, and a margin)
# stays flat: it may not grow by more than SOAK_SLACK_KB (default 256).
# Cleans up its namespace and processes on any exit.
set -u
TCPDOC=${TCPDOC:?TCPDOC names the binary}
CHURN=${CHURN:?CHURN names the churn program}
secs=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-2000}
slack=${SOAK_SLACK_KB:-256}
ns=tcpdoc-soak-$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/tcpdoc-soak.XXXXXX")
churn_pid='' watch_pid=''

cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	[ -n "$churn_pid" ] && kill "$churn_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "soak: FAIL: $*" >&2
	exit 1
}

ip netns add "$ns" || fail "cannot create namespace $ns"
ip -n "$ns" link set lo up
# a wide port range, so a fast churn does not run out of ports
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1

mkfifo "$dir/in"
ip netns exec "$ns" "$CHURN" 7777 "$rate" <"$dir/in" >"$dir/churn.out" 2>"$dir/churn.err" &
churn_pid=$!
exec 8>"$dir/in" # keeps churn's stdin open
i=0
until grep -q ready "$dir/churn.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "churn did not start: $(cat "$dir/churn.err")"
	sleep 0.1
done

"$TCPDOC" watch --batch -d 0.1 -N "$ns" >"$dir/watch.log" 2>"$dir/watch.err" &
watch_pid=$!
# TIME_WAIT lasts 60 s: the socket count (and what tcpdoc keeps per route, up to its
# bounds) is steady only after that; memory is measured from then on.
settle=${SOAK_SETTLE:-70}
echo "soak: $secs s of watch --batch -d 0.1 over $rate connections a second; memory measured from $settle s"
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$watch_pid/status" 2>/dev/null; }
start_rss='' base_rss='' max_rss=0 t=0
while [ $t -lt "$secs" ]; do
	sleep 5
	t=$((t + 5))
	kill -0 "$watch_pid" 2>/dev/null || fail "watch stopped after $t s: $(cat "$dir/watch.err")"
	r=$(rss)
	[ -n "$start_rss" ] || start_rss=$r
	if [ $t -ge "$settle" ]; then
		[ -n "$base_rss" ] || base_rss=$r
		[ "$r" -le "$max_rss" ] || max_rss=$r
	fi
	echo "soak: $t s: RSS $r KiB, $(wc -l <"$dir/watch.log") lines"
done
end_rss=$(rss)
kill "$watch_pid"
wait "$watch_pid" 2>/dev/null
watch_pid=''
lines=$(grep -c '^[0-9]' "$dir/watch.log")
expect=$((secs * 10 / 2)) # at least half the refreshes: a refresh costs time too
[ "$lines" -ge "$expect" ] || fail "$lines refreshes in $secs s, expected at least $expect"
bad=$(grep -v ' finding ' "$dir/watch.log" | grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2} LISTEN=[0-9]+ SYN_SENT=[0-9]+ SYN_RECV=[0-9]+ ESTABLISHED=[0-9]+ FIN_WAIT1=[0-9]+ FIN_WAIT2=[0-9]+ CLOSE_WAIT=[0-9]+ CLOSING=[0-9]+ LAST_ACK=[0-9]+ TIME_WAIT=[0-9]+ CLOSE=[0-9]+ TOTAL=[0-9]+ ')
[ "$bad" -eq 0 ] || fail "$bad malformed lines (or negative counts), e.g. $(grep -v ' finding ' "$dir/watch.log" | grep -vE 'LISTEN=[0-9]+ .*TOTAL=[0-9]+ ' | head -1)"
grep -qE '=-[0-9]' "$dir/watch.log" && fail "a negative number: $(grep -E '=-[0-9]' "$dir/watch.log" | head -1)"
tw_max=$(sed -n 's/.* TIME_WAIT=\([0-9]*\) .*/\1/p' "$dir/watch.log" | sort -n | tail -1)
growth=$((max_rss - base_rss))
echo "soak: $lines refreshes; TIME_WAIT up to $tw_max; RSS start $start_rss KiB, at $settle s $base_rss KiB, peak after $max_rss KiB, end $end_rss KiB (growth $growth KiB)"
if [ "$secs" -lt $((settle + 30)) ]; then
	echo "soak: too short to judge memory (steady from $settle s): not checked"
	exit 0
fi
[ "$growth" -le "$slack" ] || fail "resident memory grew by $growth KiB after $settle s (allowed $slack)"
echo "soak: ok"
