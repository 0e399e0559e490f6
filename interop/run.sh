#!/usr/bin/env bash
# Interop tests: Gornado's HTTP server driven by real peers (curl,
# python3-requests, Python's http.client, ApacheBench), and Gornado's HTTP
# client against real servers (go-httpbin from the Go module proxy, served
# in-process; a Tornado server). Installs the Debian
# packages of the peers that are missing (apt-get update only then), then
# runs the interop module's tests under the race detector. Extra arguments
# go to `go test` (e.g. -run Curl -v).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The peers, each checked for as the program (or Python module) the tests
# run, and the Debian package that brings it when missing: curl, requests
# and ab drive the servers; Tornado runs servers, AsyncHTTPClient and
# Tornado's websocket peers; websockets the websockets peers; nginx
# proxies; Chromium runs the chat demo as a browser would.
has() { command -v "$1" >/dev/null 2>&1; }
has_py() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }

missing=()
has curl || missing+=(curl)
has_py requests || missing+=(python3-requests)
has ab || missing+=(apache2-utils)
has_py tornado || missing+=(python3-tornado)
has_py websockets || missing+=(python3-websockets)
has nginx || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
has chromium || missing+=(chromium)
if ((${#missing[@]} > 0)); then
	echo "interop: installing ${missing[*]}" >&2
	sudo=()
	if [[ "$(id -u)" -ne 0 ]]; then
		sudo=(sudo)
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$here"
go test -race -count=1 "$@" ./...
