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

# Debian packages the peers come from: curl, requests and ab drive the
# servers; python3-tornado runs Tornado servers, AsyncHTTPClient and Tornado's
# websocket peers; python3-websockets the websockets peers; nginx
# proxies; chromium runs the chat demo as a browser would.
packages=(curl python3-requests apache2-utils python3-tornado python3-websockets nginx-light chromium)

installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
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
