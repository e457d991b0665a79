#!/bin/sh
# bench/run.sh: tcpdoc against ss, netstat, /proc and the sock_diag floor, on the same sockets.
#
# For each size N (10k and 100k sockets; 1M too when BENCH_MAX=1000000) it makes a network
# namespace tcpdoc-bench-PID-N, fills it with bench/farm (N sockets: ESTABLISHED pairs over
# IPv4 and IPv6 plus TIME_WAIT, CLOSE_WAIT, FIN_WAIT2, SYN_SENT and LISTEN), and measures
# every command inside it (`ip netns exec NS hyperfine ...`, so all tools see the same
# sockets in the same way): the median time with hyperfine (warm-up, at least 5 runs) and the
# peak RSS with /usr/bin/time -v. Output goes to /dev/null. Then the commands each target
# compares run in alternation (bench/alternate), for the targets' ratios. Then it tears the
# namespace down.
# At the end it prints one table and writes bench/results.md: the machine, the table, the
# targets of issue 7 met or not, and a callgrind profile of `tcpdoc states`.
#
# `make bench` runs it as root; the environment tells it what to run:
#   TCPDOC FLOOR FARM ALTERNATE  the binaries (default build/tcpdoc, build/bench/{floor,farm,
#                      alternate})
#   BENCH_MAX          the largest N (default 100000; 1000000 needs about 4 GiB)
#   BENCH_SIZES        the sizes to try (default "10000 100000 1000000", capped by BENCH_MAX)
#   BENCH_RUNS         the least number of runs of a command (default 6; at most BENCH_RUNS_MAX, 21)
#   BENCH_ROUNDS       interleaved rounds the runs are spread over (default 3)
#   BENCH_CYCLES       cycles of the alternated runs behind the targets (default 11)
#   BENCH_SLOW         seconds one run may take before a command is skipped at that N (60)
#   BENCH_PROFILE      1 (default): callgrind profile at N = 100k (or the largest below); 0: none
#   BENCH_RESULTS      where to write the report (default bench/results.md)
#   BENCH_REVISION     what was measured, for the report when ROOT is not a git checkout
# Missing tools (hyperfine, GNU time, jq, valgrind) are installed with apt-get.
#
# Cleanup follows tests/integration/lib.sh: the namespaces and pids made are recorded in a
# temporary directory; an EXIT trap (also run on INT and TERM) stops the farm, kills what is
# left in each namespace, deletes it, and checks that nothing remains.
# `local` is not POSIX but dash, bash and busybox sh all have it.
# shellcheck disable=SC3043
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TCPDOC=${TCPDOC:-$ROOT/build/tcpdoc}
FLOOR=${FLOOR:-$ROOT/build/bench/floor}
FARM=${FARM:-$ROOT/build/bench/farm}
ALTERNATE=${ALTERNATE:-$ROOT/build/bench/alternate}
BENCH_MAX=${BENCH_MAX:-100000}
BENCH_SIZES=${BENCH_SIZES:-10000 100000 1000000}
BENCH_RUNS=${BENCH_RUNS:-6}
BENCH_RUNS_MAX=${BENCH_RUNS_MAX:-21}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_CYCLES=${BENCH_CYCLES:-11}
BENCH_SLOW=${BENCH_SLOW:-60}
BENCH_PROFILE=${BENCH_PROFILE:-1}
BENCH_RESULTS=${BENCH_RESULTS:-$ROOT/bench/results.md}

say() {
	printf 'bench: %s\n' "$*" >&2
}

die() {
	say "$*"
	exit 1
}

# ---- setup and teardown ------------------------------------------------------------------

# ensure_tools: install what is missing; apt-get update only when an install fails without it.
ensure_tools() {
	local pkgs=""
	command -v hyperfine >/dev/null 2>&1 || pkgs="$pkgs hyperfine"
	[ -x /usr/bin/time ] || pkgs="$pkgs time"
	command -v jq >/dev/null 2>&1 || pkgs="$pkgs jq"
	command -v ss >/dev/null 2>&1 || pkgs="$pkgs iproute2"
	command -v netstat >/dev/null 2>&1 || pkgs="$pkgs net-tools"
	if [ "$BENCH_PROFILE" = 1 ] && ! command -v callgrind_annotate >/dev/null 2>&1; then
		pkgs="$pkgs valgrind"
	fi
	[ -z "$pkgs" ] && return 0
	say "installing$pkgs"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! apt-get install -y -qq --no-install-recommends $pkgs >&2; then
		apt-get update -qq >&2
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $pkgs >&2
	fi
}

# interruptible CMD...: run CMD and wait for it, so that INT and TERM reach the traps at once instead of
# after CMD (cleanup kills what is left in the namespace); returns CMD's status.
interruptible() {
	"$@" &
	wait $!
}

# alive PID: true while PID runs (a zombie counts as gone).
alive() {
	kill -0 "$1" 2>/dev/null && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null
}

# farm_start N: a new namespace with a farm of N sockets in it; waits for "ready". Sets NS,
# FARM_PID and EXPECT (the farm's own count).
farm_start() {
	local n="$1" i=0 limit
	NS=tcpdoc-bench-$$-$n
	ip netns add "$NS" || die "ip netns add $NS failed"
	echo "$NS" >>"$WORK/netns"
	mkfifo "$WORK/farm-$n.in"
	# stdin is a FIFO held open read-write: the farm never sees EOF, cleanup sends TERM
	ip netns exec "$NS" "$FARM" -n "$n" <>"$WORK/farm-$n.in" >"$WORK/farm-$n.out" \
		2>"$WORK/farm-$n.err" &
	FARM_PID=$!
	echo "$FARM_PID $NS" >>"$WORK/pids"
	# the TIME_WAIT ramp takes 60 s; building 1M sockets takes about as long again
	limit=$((5 * (120 + n / 2000)))
	while ! grep -qx ready "$WORK/farm-$n.out"; do
		if ! alive "$FARM_PID"; then
			cat "$WORK/farm-$n.err" >&2
			die "farm exited before it was ready"
		fi
		i=$((i + 1))
		[ "$i" -le "$limit" ] || die "farm not ready after $((limit / 5)) s"
		sleep 0.2
	done
	cat "$WORK/farm-$n.err" >&2
	EXPECT=$(awk '$1 == "expect" && $2 == "total" { print $3 }' "$WORK/farm-$n.out")
}

# ns_stop NS: stop the farm(s) started in NS, kill whatever else runs there, delete it.
ns_stop() {
	local ns="$1" pid pns i
	if [ -s "$WORK/pids" ]; then
		while read -r pid pns; do
			[ "$pns" = "$ns" ] || continue
			# only a process still in the namespace we started it in: a pid can be reused
			if [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
				kill -TERM "$pid" 2>/dev/null || true
			fi
			i=0
			while alive "$pid" && [ "$i" -lt 300 ]; do
				sleep 0.1
				i=$((i + 1))
			done
		done <"$WORK/pids"
	fi
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	ip netns delete "$ns" 2>/dev/null || true
}

cleanup() {
	local ns left=0
	trap - EXIT INT TERM
	[ -n "${WORK:-}" ] && [ -d "$WORK" ] || return 0
	if [ -s "$WORK/netns" ]; then
		while read -r ns; do
			ns_stop "$ns"
		done <"$WORK/netns"
		while read -r ns; do
			if ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qx "$ns"; then
				say "namespace $ns is still there"
				left=1
			fi
		done <"$WORK/netns"
	fi
	if [ -s "$WORK/pids" ]; then
		while read -r pid ns; do
			if alive "$pid" && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
				say "process $pid is still running in $ns"
				left=1
			fi
		done <"$WORK/pids"
	fi
	rm -rf "$WORK"
	[ "$left" = 0 ] && say "cleaned up: no namespace or farm process left"
	return 0
}

# ---- measuring ----------------------------------------------------------------------------

# The commands, one a line: KEY@LABEL@COMMAND. KEY names the row for the targets below.
commands() {
	cat <<EOF
floor@floor@$FLOOR
floor_i@floor -i (tcp_info)@$FLOOR -i
td@tcpdoc states@$TCPDOC states
ss_awk@ss -tan state all \\| awk (count)@ss -tan state all | awk '{++S[\$1]} END {for (s in S) print s, S[s]}'
td_nf@tcpdoc states --no-findings@$TCPDOC states --no-findings
floor_i_cw@floor -i -s close-wait@$FLOOR -i -s close-wait
td_cw@tcpdoc states -s close-wait@$TCPDOC states -s close-wait
ss@ss -tan state all@ss -tan state all
td_l@tcpdoc states -l@$TCPDOC states -l
td_l_nf@tcpdoc states -l --no-findings@$TCPDOC states -l --no-findings
cat@cat /proc/net/tcp /proc/net/tcp6@cat /proc/net/tcp /proc/net/tcp6
td_proc@tcpdoc states --source proc@$TCPDOC states --source proc
netstat@netstat -tan@netstat -tan
td_p@tcpdoc states -p@$TCPDOC states -p
ss_p@ss -tanp state all@ss -tanp state all
td_lp@tcpdoc states -l -p@$TCPDOC states -l -p
td_bp@tcpdoc states -b process@$TCPDOC states -b process
td_w@tcpdoc watch --batch -n 2 -d 0.1@$TCPDOC watch --batch -n 2 -d 0.1
EOF
}

# The commands run in BENCH_ROUNDS interleaved rounds (all of them, then all again): a burst
# of load from elsewhere on this shared VM then falls on a few runs of several commands
# rather than on every run of one, and each command's median is over the runs of all rounds.
# The targets do not use these: they compare runs made in alternation (alternate_group).
#
# first_run N KEY CMD: one run under /usr/bin/time -v for the peak RSS. A command slower
# than BENCH_SLOW is stopped there; a failure or a skip is noted in $WORK/note-N-KEY and the
# command sits out the rounds (false).
first_run() {
	local n="$1" key="$2" cmd="$3" tv="$WORK/time.txt" rc=0
	# timeout stops the whole process group; a shell only for a pipeline, as dash alone
	# peaks at about as much memory as the floor
	# shellcheck disable=SC2086 # split on blanks: the paths have no spaces
	case $cmd in
	*"|"*) set -- sh -c "$cmd" ;;
	*) set -f && set -- $cmd && set +f ;;
	esac
	interruptible timeout "$BENCH_SLOW" ip netns exec "$NS" /usr/bin/time -v -o "$tv" "$@" \
		>/dev/null 2>"$WORK/cmd.err" || rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "skipped (one run > $BENCH_SLOW s)" >"$WORK/note-$n-$key"
		return 1
	elif [ "$rc" -ne 0 ]; then
		echo "failed (exit $rc)" >"$WORK/note-$n-$key"
		printf 'bench: N=%s %s failed (exit %s): %s\n' "$n" "$key" "$rc" \
			"$(head -c 200 "$WORK/cmd.err")" >&2
		return 1
	fi
	awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv" >"$WORK/rss-$n-$key"
	return 0
}

# round N KEY CMD: hyperfine, its share of the runs; appends each run's time to
# $WORK/times-N-KEY and "RUNS USER SYS" (means) to $WORK/cpu-N-KEY.
round() {
	local n="$1" key="$2" cmd="$3" js="$WORK/hf.json"
	local min=$(((BENCH_RUNS + BENCH_ROUNDS - 1) / BENCH_ROUNDS))
	local max=$(((BENCH_RUNS_MAX + BENCH_ROUNDS - 1) / BENCH_ROUNDS))
	[ "$min" -ge 2 ] || min=2 # hyperfine's least
	[ "$max" -ge "$min" ] || max=$min
	if ! interruptible ip netns exec "$NS" hyperfine --style none --warmup 1 --min-runs "$min" \
		--max-runs "$max" --export-json "$js" "$cmd > /dev/null" \
		>/dev/null 2>"$WORK/cmd.err"; then
		echo "hyperfine failed" >"$WORK/note-$n-$key"
		printf 'bench: N=%s %s: hyperfine failed: %s\n' "$n" "$key" \
			"$(head -c 200 "$WORK/cmd.err")" >&2
		return 0
	fi
	jq -r '.results[0].times[]' "$js" >>"$WORK/times-$n-$key"
	jq -r '.results[0] | "\(.times | length) \(.user) \(.system)"' "$js" >>"$WORK/cpu-$n-$key"
}

# finish N KEY LABEL: the row of $WORK/data for one command (tab-separated, times in
# seconds): N KEY LABEL MEDIAN USER SYS RSS_KB RUNS NOTE.
finish() {
	local n="$1" key="$2" label="$3" med usr sys runs rss note
	note=$(cat "$WORK/note-$n-$key" 2>/dev/null || true)
	if [ -n "$note" ] || [ ! -s "$WORK/times-$n-$key" ]; then
		printf 'bench: N=%s %-34s %s\n' "$n" "$label" "${note:-not measured}" >&2
		printf '%s\t%s\t%s\t\t\t\t%s\t0\t%s\n' "$n" "$key" "$label" \
			"$(cat "$WORK/rss-$n-$key" 2>/dev/null || true)" "${note:-not measured}" >>"$WORK/data"
		return 0
	fi
	med=$(sort -g "$WORK/times-$n-$key" | awk '{ t[NR] = $1 }
		END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
	read -r runs usr sys <<EOF2
$(awk '{ r += $1; u += $1 * $2; s += $1 * $3 } END { print r, u / r, s / r }' "$WORK/cpu-$n-$key")
EOF2
	rss=$(cat "$WORK/rss-$n-$key")
	printf 'bench: N=%s %-34s %8.1f ms  %6.1f MiB  (%s runs in %s rounds)\n' "$n" "$label" \
		"$(echo "$med" | awk '{ print $1 * 1000 }')" \
		"$(echo "$rss" | awk '{ print $1 / 1024 }')" "$runs" "$BENCH_ROUNDS" >&2
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$n" "$key" "$label" "$med" "$usr" "$sys" \
		"$rss" "$runs" >>"$WORK/data"
}

# The commands the targets compare, in groups run in alternation: each target's two
# commands are in one group. One per line.
groups() {
	cat <<EOF
floor_i td ss_awk
floor_i_cw td_cw
ss td_l td_l_nf
cat td_proc netstat
td_p ss_p td_lp
td td_w
EOF
}

# alternate_group N G KEYS: BENCH_CYCLES cycles of one run of each command of KEYS, in turn
# (bench/alternate), when all of them are still measured at N (a group with a command that
# failed or was skipped is skipped); appends "N G KEY TIMES" to $WORK/cycles, TIMES the
# command's run of each cycle, comma-separated.
alternate_group() {
	local n="$1" g="$2" keys="$3" k i=0
	set --
	for k in $keys; do
		grep -qx "$k" "$WORK/live-$n" || return 0
		set -- "$@" "$(awk -F'@' -v k="$k" '$1 == k { sub(/^[^@]*@[^@]*@/, ""); print }' \
			"$WORK/commands")"
	done
	say "N=$n: alternating $keys"
	if ! interruptible ip netns exec "$NS" "$ALTERNATE" "$BENCH_CYCLES" "$@" \
		>"$WORK/alt.out" 2>"$WORK/cmd.err" </dev/null; then
		say "N=$n: alternating $keys failed: $(head -c 200 "$WORK/cmd.err")"
		return 0
	fi
	for k in $keys; do
		printf '%s\t%s\t%s\t%s\n' "$n" "$g" "$k" \
			"$(awk -v i="$i" '$2 == i { printf "%s%s", sep, $3; sep = "," }' "$WORK/alt.out")" \
			>>"$WORK/cycles"
		i=$((i + 1))
	done
}

# profile N: callgrind over `tcpdoc states` and `tcpdoc states -l`, top 10 functions by
# instructions (self cost) into $WORK/profile.
profile() {
	local n="$1" args out
	for args in "states" "states -l"; do
		out="$WORK/callgrind.$(echo "$args" | tr -c 'a-z\n' '_')"
		say "callgrind: tcpdoc $args at N=$n"
		# shellcheck disable=SC2086
		interruptible ip netns exec "$NS" valgrind --tool=callgrind --callgrind-out-file="$out" \
			"$TCPDOC" $args >/dev/null 2>"$WORK/cg.err" ||
			{
				say "callgrind failed: $(tail -n 3 "$WORK/cg.err")"
				continue
			}
		{
			# shellcheck disable=SC2016 # backquotes for markdown
			printf '\n`tcpdoc %s` at N = %s (user-space instructions; the kernel side of ' \
				"$args" "$n"
			printf 'the dump is not counted):\n\n```\n'
			# file:function without the directories and the [object]
			callgrind_annotate --inclusive=no "$out" 2>/dev/null |
				awk '/PROGRAM TOTALS/ { print; next }
				     /file:function/ { go = 1; next }
				     go && /^-+$/ { next }
				     go && NF && n < 10 {
					sub(/ \[[^]]*\]$/, ""); sub(/[^ ]*\//, ""); print; n++ }'
			printf '```\n'
		} >>"$WORK/profile"
	done
	# where the system time goes, which callgrind cannot see
	if command -v strace >/dev/null 2>&1; then
		interruptible ip netns exec "$NS" strace -c -f -o "$WORK/strace" "$TCPDOC" states >/dev/null 2>&1 ||
			true
		{
			# shellcheck disable=SC2016 # backquotes for markdown
			printf '\nSystem calls of `tcpdoc states` at N = %s (`strace -c -f`; ' "$n"
			printf 'strace slows each call down, the counts are what matters):\n\n```\n'
			head -n 14 "$WORK/strace"
			printf '```\n'
		} >>"$WORK/profile"
	fi
}

# ---- the report ---------------------------------------------------------------------------

# report: the table (markdown) and the targets, from $WORK/data.
report() {
	awk -F'\t' -v sizes="$SIZES" -v slow="$BENCH_SLOW" -v actual_file="$WORK/actual" \
		-v cycles_file="$WORK/cycles" -v cycles="$BENCH_CYCLES" '
	function fmt_t(s) {
		if (s == "") return "-"
		if (s >= 1) return sprintf("%.2f s", s)
		if (s >= 0.01) return sprintf("%.1f ms", s * 1000)
		return sprintf("%.2f ms", s * 1000)
	}
	function fmt_rss(k) { return k == "" ? "-" : sprintf("%.1f MiB", k / 1024) }
	function fmt_n(n) {
		if (n >= 1000000 && n % 1000000 == 0) return (n / 1000000) "M"
		if (n >= 1000 && n % 1000 == 0) return (n / 1000) "k"
		return n
	}
	function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
	function fmt_r(r) { return r == "" ? "-" : sprintf("%.2f", r) }
	# which floor a row is held against: the one that asks the kernel for the same
	function floor_of(key) {
		if (key == "td_cw") return "floor_i_cw"
		if (key ~ /^td/ && key != "td_proc" && key !~ /_nf$/) return "floor_i"
		return "floor"
	}
	function median(v, c,    i, j, t) {
		for (i = 2; i <= c; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	# pratio N A B [REFRESH]: A against B from their alternated runs (one group holds
	# both): the median of the per-cycle ratios, each of two runs a moment apart, so that
	# the shifts in the speed of this VM cancel, which a ratio of two medians does not; with
	# REFRESH, A is watch -n 2 -d 0.1 and its time t is made one refresh: min(t/2, t-0.1).
	function pratio(n, a, b, refresh,    g, c, i, v, ta, tb, x) {
		for (g = 1; g <= ngroups; g++)
			if ((n, g, a) in cyc && (n, g, b) in cyc) break
		if (g > ngroups) return ""
		c = split(cyc[n, g, a], ta, ",")
		if (split(cyc[n, g, b], tb, ",") != c) return ""
		for (i = 1; i <= c; i++) {
			x = ta[i]
			if (refresh) x = x / 2 < x - 0.1 ? x / 2 : x - 0.1
			if (tb[i] <= 0) return ""
			v[i] = x / tb[i]
		}
		return c ? median(v, c) : ""
	}
	# check NAME N VALUE LIMIT: one target line
	function check(name, n, v, limit,    ok) {
		if (v == "") {
			printf("| %s | %s | - | not measured |\n", name, fmt_n(n))
			return
		}
		ok = v <= limit
		printf("| %s | %s | %s (target <= %s) | %s |\n", name, fmt_n(n),
		       sprintf("%.2f", v), limit, ok ? "**met**" : "**not met**")
		if (n >= 100000 || n == maxn) { total++; if (ok) met++ }
	}
	# owners NAME N KEY: a -p row against ss -tanp; when ss -tanp was skipped for taking over
	# slow seconds, the ratio is below KEY / slow: met if that bound is, else unknown
	function owners(name, n, key,    r) {
		if (note[n, "ss_p"] !~ /^skipped/ || med[n, key] == "") {
			check(name, n, pratio(n, key, "ss_p"), 0.1)
			return
		}
		r = ratio(med[n, key], slow)
		if (r != "" && r <= 0.1) {
			check(name " (ss -tanp over " slow " s)", n, r, 0.1)
			return
		}
		printf("| %s | %s | below %s (ss -tanp over %s s, not run) | unknown |\n", name,
		       fmt_n(n), r == "" ? "?" : sprintf("%.2f", r), slow)
		unknown++
	}
	BEGIN {
		while ((getline line < actual_file) > 0) {
			split(line, a, " ")
			actual[a[1]] = a[2]
		}
		ngroups = 0
		while ((getline line < cycles_file) > 0) {
			split(line, a, "\t")
			cyc[a[1], a[2], a[3]] = a[4]
			if (a[2] > ngroups) ngroups = a[2]
		}
	}
	{
		n = $1; k = $2
		label[k] = $3; med[n, k] = $4; usr[n, k] = $5; sys[n, k] = $6
		rss[n, k] = $7; runs[n, k] = $8; note[n, k] = $9
		if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
	}
	END {
		ns = split(sizes, S, " ")
		maxn = S[ns]
		print "| command | N | median | user | sys | peak RSS | x floor | x ss |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i <= ns; i++) {
			n = S[i]
			for (j = 1; j <= nk; j++) {
				k = order[j]
				if (!((n, k) in med)) continue
				m = med[n, k]
				t = note[n, k] != "" ? note[n, k] : fmt_t(m)
				printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", label[k], fmt_n(n), t,
				       fmt_t(usr[n, k]), fmt_t(sys[n, k]), fmt_rss(rss[n, k]),
				       fmt_r(ratio(m, med[n, floor_of(k)])), fmt_r(ratio(m, med[n, "ss"])))
			}
		}
		print ""
		print "x floor: tcpdoc rows against the floor that asks the kernel for the same (tcp_info,"
		print "which tcpdoc requests for its findings; the close-wait mask for `-s close-wait`),"
		print "every other row (--no-findings included) against the plain floor. x ss: against"
		print "`ss -tan state all`."
		printf("Sockets counted by the floor at each N:")
		for (i = 1; i <= ns; i++)
			printf(" %s = %s%s", fmt_n(S[i]), actual[S[i]], i < ns ? ";" : ".\n")
		print ""
		print "## Targets (issue 7)"
		print ""
		print "Each ratio here is the median of " cycles " per-cycle ratios: the commands compared"
		print "ran in alternation (bench/alternate), one run of each per cycle, a moment apart."
		print "The table above divides the overall medians."
		print ""
		print "| target | N | measured | status |"
		print "|---|---:|---|---|"
		for (i = 1; i <= ns; i++) {
			n = S[i]
			if (n < 100000 && n != maxn) continue
			check("`tcpdoc states` / floor -i", n, pratio(n, "td", "floor_i"), 1.15)
			check("`tcpdoc states` / ss + awk", n, pratio(n, "td", "ss_awk"), 0.6)
			check("`tcpdoc states -l` / `ss -tan`", n, pratio(n, "td_l", "ss"), 0.9)
			check("`--source proc` / cat /proc/net/tcp{,6}", n,
			      pratio(n, "td_proc", "cat"), 1.2)
			check("`--source proc` / `netstat -tan`", n,
			      pratio(n, "td_proc", "netstat"), 0.6)
			check("`-s close-wait` / floor -i -s close-wait", n,
			      pratio(n, "td_cw", "floor_i_cw"), 1.2)
			owners("`tcpdoc states -p` / `ss -tanp`", n, "td_p")
			check("peak RSS `tcpdoc states`, MiB", n,
			      rss[n, "td"] == "" ? "" : rss[n, "td"] / 1024, 4)
			check("peak RSS `tcpdoc states -l` / ss", n, ratio(rss[n, "td_l"], rss[n, "ss"]), 1)
		}
		if (ns > 1) {
			worst = 0
			for (i = 2; i <= ns; i++) {
				pa = med[S[i - 1], "td"] / S[i - 1]; pb = med[S[i], "td"] / S[i]
				if (pa > 0 && pb / pa > worst) worst = pb / pa
			}
			check("time per socket, `tcpdoc states`, largest step up between sizes", maxn,
			      worst, 1.2)
		}
		printf("\n%d of %d targets met%s (those at N >= 100k, or at the largest N run).\n",
		       met, total, unknown ? sprintf(", %d unknown", unknown) : "")
		print ""
		# Checks tcpdoc sets itself on commands issue 7 measures but sets no target
		# for; counted apart so that they never blur whether the targets of the issue hold.
		print "## Further checks (set by tcpdoc itself; issue 7 sets no target for these)"
		print ""
		print "| check | N | measured | status |"
		print "|---|---:|---|---|"
		met = 0; total = 0; unknown = 0
		for (i = 1; i <= ns; i++) {
			n = S[i]
			if (n < 100000 && n != maxn) continue
			# without findings -l is one dump; with them two (the FINDING column needs
			# the findings before the first row)
			check("`tcpdoc states -l --no-findings` / `ss -tan`", n,
			      pratio(n, "td_l_nf", "ss"), 0.9)
			owners("`tcpdoc states -l -p` / `ss -tanp`", n, "td_lp")
			# watch -n 2 -d 0.1: two refreshes R that start 0.1 s apart or back to
			# back, so the time is 0.1 + R when R < 0.1 and 2R after: R = min(t/2, t-0.1)
			check("one `watch --batch` refresh / `tcpdoc states`", n,
			      pratio(n, "td_w", "td", 1), 1)
		}
		printf("\n%d of %d further checks met%s.\n", met, total,
		       unknown ? sprintf(", %d unknown", unknown) : "")
		print ""
		print "Time per socket (median / N, fixed start-up cost included), `tcpdoc states` and,"
		print "for the part the kernel takes, floor -i, measured in the same rounds:"
		for (i = 1; i <= ns; i++)
			if (med[S[i], "td"] != "")
				printf("%s: %.2f us (floor -i %.2f us)%s", fmt_n(S[i]),
				       med[S[i], "td"] / S[i] * 1e6, med[S[i], "floor_i"] / S[i] * 1e6,
				       i < ns ? "; " : "\n")
	}' "$WORK/data"
}

# revision: the commit measured, from git, else from BENCH_REVISION.
revision() {
	if [ -n "${BENCH_REVISION:-}" ]; then
		echo "$BENCH_REVISION"
	elif git -C "$ROOT" rev-parse --short HEAD >/dev/null 2>&1; then
		printf 'commit %s' "$(git -C "$ROOT" rev-parse --short HEAD)"
		git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || printf ' with changes in src/'
		echo
	else
		echo "revision unknown"
	fi
}

write_results() {
	local table="$1"
	{
		echo "# tcpdoc benchmark results"
		echo
		echo "Written by \`make bench\` (bench/run.sh); see issue 7 for the targets."
		echo
		echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "- machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory"
		echo "- kernel: $(uname -r)"
		echo "- tcpdoc: $("$TCPDOC" --version 2>/dev/null | head -n 1), $(revision)"
		echo "- tools: $(ss -V 2>/dev/null), $(netstat -V 2>/dev/null | head -n 1), $(hyperfine --version)"
		echo "- run: BENCH_MAX=$BENCH_MAX, sizes $SIZES, at least $BENCH_RUNS runs in $BENCH_ROUNDS interleaved rounds, $BENCH_CYCLES alternated cycles for the targets, BENCH_SLOW=$BENCH_SLOW s"
		echo "- load average before each size: $(cat "$WORK/load")"
		echo
		echo "The farm (bench/farm.c), per N: 5% TIME_WAIT (held by a steady churn), 2% CLOSE_WAIT"
		echo "and 2% FIN_WAIT2, 1% SYN_SENT, 0.1% LISTEN, ESTABLISHED loopback pairs for the rest,"
		echo "20% of them IPv6, over 18,000-descriptor worker processes. Every command runs inside"
		echo "the farm's namespace, output to /dev/null. Every command runs in each of"
		echo "$BENCH_ROUNDS rounds (all commands, then all again), hyperfine with one warm-up each time,"
		echo "at least $BENCH_RUNS runs in all: the median of all of them; user and sys are means."
		echo "Peak RSS: one run under /usr/bin/time -v (for the pipeline, its largest process)."
		echo
		echo "## Results"
		echo
		printf '%s\n' "$table"
		if [ -s "$WORK/profile" ]; then
			echo
			echo "## Profile"
			echo
			echo "callgrind, top 10 functions by instructions executed in the function itself"
			echo "(inclusive=no), from \`callgrind_annotate\`."
			cat "$WORK/profile"
		fi
	} >"$BENCH_RESULTS"
}

# ---- main -----------------------------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
for b in "$TCPDOC" "$FLOOR" "$FARM" "$ALTERNATE"; do
	[ -x "$b" ] || die "$b is missing: run make bench"
done
ensure_tools

SIZES=""
for n in $BENCH_SIZES; do
	[ "$n" -le "$BENCH_MAX" ] && SIZES="$SIZES $n"
done
SIZES=${SIZES# }
[ -n "$SIZES" ] || die "no size up to BENCH_MAX=$BENCH_MAX in BENCH_SIZES=$BENCH_SIZES"
PROFILE_N=""
if [ "$BENCH_PROFILE" = 1 ]; then
	for n in $SIZES; do
		[ "$n" -le 100000 ] && PROFILE_N=$n
	done
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tcpdoc-bench.XXXXXX")
: >"$WORK/netns"
: >"$WORK/pids"
: >"$WORK/data"
: >"$WORK/actual"
: >"$WORK/cycles"
: >"$WORK/load"
trap cleanup EXIT
trap 'exit 130' INT # exit runs the EXIT trap
trap 'exit 143' TERM

for n in $SIZES; do
	say "N=$n: building the farm"
	farm_start "$n"
	actual=$(ip netns exec "$NS" "$FLOOR")
	say "N=$n: the farm promised $EXPECT sockets, the floor counts $actual"
	echo "$n $actual" >>"$WORK/actual"
	printf '%s: %s; ' "$n" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/load"
	# a loop in this shell (not a pipeline's subshell), so the traps run between commands
	commands >"$WORK/commands"
	: >"$WORK/live-$n"
	for r in $(seq 1 "$BENCH_ROUNDS"); do
		say "N=$n: round $r of $BENCH_ROUNDS"
		while IFS='@' read -r key label cmd; do
			if [ "$r" = 1 ]; then
				first_run "$n" "$key" "$cmd" </dev/null || continue
				echo "$key" >>"$WORK/live-$n"
			fi
			grep -qx "$key" "$WORK/live-$n" || continue
			round "$n" "$key" "$cmd" </dev/null
		done <"$WORK/commands"
	done
	g=0
	groups >"$WORK/groups"
	while read -r keys; do
		g=$((g + 1))
		alternate_group "$n" "$g" "$keys"
	done <"$WORK/groups"
	while IFS='@' read -r key label cmd; do
		finish "$n" "$key" "$label"
	done <"$WORK/commands"
	[ "$n" = "$PROFILE_N" ] && profile "$n"
	say "N=$n: tearing the farm down"
	ns_stop "$NS"
done

table=$(report)
printf '\n%s\n' "$table"
write_results "$table"
say "wrote $BENCH_RESULTS"
