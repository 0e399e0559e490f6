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

# Go 1.26's fuzzing coordinator sometimes fails a target with a bare
# "context deadline exceeded" as -fuzztime runs out, having found nothing
# (go.dev/issue/75804, fixed in Go 1.27): a real finding always writes its
# input to testdata/fuzz/. Such a run is reported as a flake and run once
# more; only a second one in a row fails the script.
failed=0 ran=0 flaked=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz_one() { # dir name: 0 passed, 1 failed, 2 the coordinator's flake
	local dir=$1 name=$2 new
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir" 2>&1 | tee "$log"; then
		return 0
	fi
	new=$(git ls-files --others -- "$dir/testdata/fuzz/$name" 2>/dev/null)
	if [[ -z "$new" ]] && grep -q 'context deadline exceeded' "$log" &&
		! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$log"; then
		return 2
	fi
	return 1
}
while read -r dir name; do
	if [[ $# -gt 0 ]] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	ran=$((ran + 1))
	echo "fuzz: $name in ./$dir for $FUZZTIME"
	rc=0
	fuzz_one "$dir" "$name" || rc=$?
	if [[ $rc -eq 2 ]]; then
		echo "fuzz: $name: the coordinator's deadline flake (go.dev/issue/75804), nothing found; once more" >&2
		flaked=$((flaked + 1))
		rc=0
		fuzz_one "$dir" "$name" || rc=$?
	fi
	if [[ $rc -ne 0 ]]; then
		# The new input is untracked: print it too, for a CI log whose
		# workspace is gone.
		for f in $(git ls-files --others -- "$dir/testdata/fuzz/$name" 2>/dev/null); do
			echo "fuzz: $name FAILED on $f (replay: go test -run '^$name\$' ./$dir):" >&2
			cat "$f" >&2
		done
		failed=$((failed + 1))
	fi
done <<<"$targets"
echo "fuzz.sh: $ran targets, $failed failed, $flaked deadline flakes run again"

if [[ $ran -eq 0 ]]; then
	echo "fuzz.sh: no target named $*" >&2
	exit 1
fi
if [[ $failed -gt 0 ]]; then
	echo "fuzz.sh: $failed of $ran targets failed" >&2
	exit 1
fi
