#!/usr/bin/env bash
# Interop tests: Gornado's HTTP server driven by real peers (curl,
# python3-requests, Python's http.client, ApacheBench), and Gornado's HTTP
# client against real servers (go-httpbin from the Go module proxy, served
# in-process; a Tornado server); its WebSocket side against Python's
# websockets, Tornado, gorilla/websocket and coder/websocket (Go modules,
# in-process) and Node's ws. Installs the Debian packages of the peers
# that are missing (apt-get update only then) and ws from npm into a cache
# outside the repository, then runs the interop module's tests under the
# race detector. Extra arguments go to `go test` (e.g. -run Curl -v).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The peers, each checked for as the program (or Python module) the tests
# run, and the Debian package that brings it when missing: curl, requests
# and ab drive the servers; Tornado runs servers, AsyncHTTPClient and
# Tornado's websocket peers; websockets the websockets peers; nginx
# proxies; Chromium runs the chat demo as a browser would; Node.js and npm
# run and install Node's ws.
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
has node || missing+=(nodejs)
has npm || missing+=(npm)
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

# Node's ws, major version 8, from npm into a cache of its own; the tests
# find it through this variable, and fail rather than skip when it is set.
node_modules="${XDG_CACHE_HOME:-$HOME/.cache}/gornado-interop/node_modules"
if ! NODE_PATH="$node_modules" node -e "process.exit(require('ws/package.json').version.startsWith('8.') ? 0 : 1)" >/dev/null 2>&1; then
	echo "interop: installing ws@8 from npm into ${node_modules%/node_modules}" >&2
	npm install --prefix "${node_modules%/node_modules}" --no-audit --no-fund --loglevel=error ws@8
fi
export GORNADO_INTEROP_NODE_MODULES="$node_modules"

cd "$here"
go test -race -count=1 "$@" ./...
