#!/usr/bin/env bash
# Every test: the library's under the race detector, then the interop tests
# against real peers (curl, Python requests and http.client, ab), which
# install their Debian packages when missing. Extra arguments go to
# `go test` in both (e.g. ./test.sh -count=1 -run Keep).
set -euo pipefail
cd "$(dirname "$0")"
go test -race "$@" ./...
interop/run.sh "$@"
