#!/bin/bash
# Runs every tests/integration/test_*.sh and prints one closing line:
# "integration: N passed, N failed". Exit status 1 when anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
RESULTS=$(mktemp)
export RESULTS
for f in "$here"/test_*.sh; do
	[ -n "${ONLY:-}" ] && [[ "$f" != *"$ONLY"* ]] && continue
	echo "== $(basename "$f")"
	bash "$f" || echo "fail $(basename "$f"):(script aborted)" >>"$RESULTS"
done
pass=$(grep -c '^pass ' "$RESULTS")
failn=$(grep -c '^fail ' "$RESULTS")
if [ "$failn" -gt 0 ]; then
	echo "failed tests:"
	grep '^fail ' "$RESULTS" | sed 's/^fail /  /'
fi
rm -f "$RESULTS"
echo "integration: $pass passed, $failn failed"
[ "$failn" -eq 0 ] && [ "$pass" -gt 0 ]
