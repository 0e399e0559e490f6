#!/usr/bin/env bash
# Fuzz every fuzz target of the module briefly, one at a time (go test
# -fuzz takes one target per package). test.sh calls it, so CI fuzzes
# each target for FUZZTIME (default 5s); a failure fails the script and
# go test leaves the input that failed in the package's
# testdata/fuzz/FuzzX/ (and this script prints it), where every later
# `go test` replays it.
#
#   ./fuzz.sh                      # every target, 5 s each
#   FUZZTIME=1m ./fuzz.sh          # every target, a minute each
#   ./fuzz.sh FuzzServer           # only the targets named
#
# The targets are found by name (func FuzzX in a _test.go file) under the
# module's packages; bench/ and interop/ are modules of their own and have
# none.
set -euo pipefail
cd "$(dirname "$0")"
FUZZTIME=${FUZZTIME:-5s}

targets=$(grep -rE --include='*_test.go' --exclude-dir=bench --exclude-dir=interop \
	--exclude-dir=testdata -o '^func Fuzz[A-Za-z0-9_]*\(' . |
	sed -E 's|^\./(.*)/[^/]*:func (Fuzz[A-Za-z0-9_]*)\($|\1 \2|' | sort -u)
if [[ -z "$targets" ]]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

failed=0 ran=0
while read -r dir name; do
	if [[ $# -gt 0 ]] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	ran=$((ran + 1))
	echo "fuzz: $name in ./$dir for $FUZZTIME"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir"; then
		# The new input is untracked: print it too, for a CI log whose
		# workspace is gone.
		for f in $(git ls-files --others -- "$dir/testdata/fuzz/$name" 2>/dev/null); do
			echo "fuzz: $name FAILED on $f (replay: go test -run '^$name\$' ./$dir):" >&2
			cat "$f" >&2
		done
		failed=$((failed + 1))
	fi
done <<<"$targets"

if [[ $ran -eq 0 ]]; then
	echo "fuzz.sh: no target named $*" >&2
	exit 1
fi
if [[ $failed -gt 0 ]]; then
	echo "fuzz.sh: $failed of $ran targets failed" >&2
	exit 1
fi
