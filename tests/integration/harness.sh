# Minimal test harness for the integration tests (bash).
# A test file defines functions named test_*, then calls `run_tests`.
# Each test runs in a subshell with `set -e`; its output is shown on failure.
# Results go to $RESULTS (one "pass NAME" / "fail NAME" line each) for run.sh.

: "${TCPDOC:?TCPDOC must name the tcpdoc binary}"
FIXTURES=${TCPDOC_FIXTURES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../shared/fixtures" && pwd)}
ZOO_FIX="$FIXTURES/linux-6.18-zoo"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	if [ "$1" != "$2" ]; then
		echo "expected: $1" >&2
		echo "actual:   $2" >&2
		fail "${3:-values differ}"
	fi
}

# assert_match REGEX TEXT [WHAT]
assert_match() {
	printf '%s\n' "$2" | grep -Eq -- "$1" || fail "${3:-no match for /$1/ in: $2}"
}

# run_cmd CMD...: runs it, sets $out, $err, $rc (never fails the test itself)
run_cmd() {
	local of ef
	of=$(mktemp) ef=$(mktemp)
	set +e
	"$@" >"$of" 2>"$ef"
	rc=$?
	set -e
	out=$(cat "$of") err=$(cat "$ef")
	rm -f "$of" "$ef"
}

run_tests() {
	local t tmp status name file
	file=$(basename "$0")
	for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
		tmp=$(mktemp)
		set +e
		(set -e; "$t") >"$tmp" 2>&1
		status=$?
		set -e
		name="$file:$t"
		if [ $status -eq 0 ]; then
			echo "ok   $name"
			[ -n "${RESULTS:-}" ] && echo "pass $name" >>"$RESULTS"
		else
			echo "FAIL $name"
			sed 's/^/     | /' "$tmp"
			[ -n "${RESULTS:-}" ] && echo "fail $name" >>"$RESULTS"
		fi
		rm -f "$tmp"
	done
}
