#!/usr/bin/env bash
# Every test: the library's under the race detector, then each fuzz target
# for a few seconds (fuzz.sh; FUZZTIME=0 skips it), then the interop tests
# against real peers (curl, Python requests and http.client, ab), which
# install their Debian packages when missing. Extra arguments go to
# `go test` in the tests (e.g. ./test.sh -count=1 -run Keep).
set -euo pipefail
cd "$(dirname "$0")"
go test -race "$@" ./...
# The race detector's build uses x/sys/unix for socket reads and writes
# (internal/sysio): the raw system calls of the normal build are tested
# here, in the packages on the loop's hot path.
go test "$@" ./internal/sysio ./ioloop ./iostream ./httpserver ./httpclient ./web
if [[ ${FUZZTIME:-5s} != 0 ]]; then
	./fuzz.sh
fi
interop/run.sh "$@"
