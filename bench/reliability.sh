#!/usr/bin/env bash
# Reliability checks, Gornado's httpserver beside net/http: hostile clients
# (bench/reliability) against bench/servers/hostile, one server at a time,
# reading the server's RSS and open fds from /proc. Not a benchmark: the
# figures that matter are whether the server stays bounded and serves a
# probe meanwhile, and the machine's load is printed beside them.
#
#   bash bench/reliability.sh                       # every check, both servers, ~8 min
#   CHECKS="slowloris fds" bash bench/reliability.sh
#   SERVERS=gornado bash bench/reliability.sh
#
# Checks (see bench/reliability/main.go for each client):
#   slowloris  1,000 connections trickle header lines (one a second, never
#              the blank line) for 30 s, reopening any the server closes;
#              a probe requests GET / every 200 ms
#   idle       bench/idle: 10,000 keep-alive connections, one request
#              each, held idle, then closed: fds and RSS before, with
#              them, 5 s and 30 s after
#   slowread   200 clients (SO_RCVBUF 4096) each request 1 MiB and read
#              16 KiB/s for 20 s: /bytes (the handler writes it in one
#              go) and /stream (64 KiB pieces, each once the last is in
#              the kernel); peak RSS, probe
#   pipeline   1,000 pipelined GET /bytes/1048576 from a client with
#              SO_RCVBUF 4096 that reads nothing for 10 s, then reads all;
#              and 100,000 pipelined GET / read as they come
#   gzipbomb   10 POSTs at once of 1 GiB of zeros gzipped (~1 MiB each)
#              to a handler that reads the body whole (limit 100 MiB)
#   shutdown   SIGINT 3 s into wrk -c50 on /delay/20 (wrk's errors), then
#              into 50 clients that read whole responses (how each
#              request ended; "PARTIAL" is a cut response)
#   fds        the server under ulimit -n 128; 200 connections held 10 s
#              (accept fails with EMFILE); the server's CPU meanwhile,
#              a probe during and after
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKS=${CHECKS:-slowloris idle slowread pipeline gzipbomb shutdown fds}
SERVERS=${SERVERS:-gornado nethttp}
ADDR=127.0.0.1:18091

log() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { log "reliability.sh: needs wrk (apt-get install wrk)"; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
BIN=$(mktemp -d /tmp/gornado-rel.XXXXXX)
(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/hostile ./reliability ./idle)

SERVER_PID="" CLIENT_PID="" SAMPLER_PID=""
cleanup() {
	for pid in $SAMPLER_PID $CLIENT_PID $SERVER_PID; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	rm -rf "$BIN"
}
trap cleanup EXIT

rss() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
nfd() { ls "/proc/$SERVER_PID/fd" | wc -l; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
load() { awk '{print "load " $1 " " $2 " " $3}' /proc/loadavg; }

# start NAME [ULIMIT]: the server, its pid in SERVER_PID.
start() {
	local name=$1 lim=${2:-}
	if [ -n "$lim" ]; then
		(ulimit -n "$lim" && exec "$BIN/hostile" -server "$name" -addr "$ADDR") >"$BIN/server.log" 2>&1 &
	else
		"$BIN/hostile" -server "$name" -addr "$ADDR" >"$BIN/server.log" 2>&1 &
	fi
	SERVER_PID=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR#*:}") 2>/dev/null && break
		sleep 0.1
	done
	"$BIN/reliability" slowloris -addr "$ADDR" -n 1 -d 1ms >/dev/null # warm
	sleep 1
}

# stop: SIGINT, at most 15 s, and the exit status.
stop() {
	kill -INT "$SERVER_PID" 2>/dev/null || true
	local rc=0
	for _ in $(seq 150); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "  server did not stop within 15 s of SIGINT"
		kill -KILL "$SERVER_PID"
	fi
	wait "$SERVER_PID" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "  server exited with status $rc; its log:"
		tail -5 "$BIN/server.log" | sed 's/^/    /'
	fi
	SERVER_PID=""
}

# sample: the peak RSS (MiB) into $BIN/peak until stop_sample.
sample() {
	echo 0 >"$BIN/peak"
	(
		peak=0
		while kill -0 "$SERVER_PID" 2>/dev/null; do
			r=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
			[ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" >"$BIN/peak"
			sleep 0.2
		done
	) &
	SAMPLER_PID=$!
}
stop_sample() {
	kill "$SAMPLER_PID" 2>/dev/null || true
	wait "$SAMPLER_PID" 2>/dev/null || true
	SAMPLER_PID=""
	awk '{printf "%.1f", $1/1024}' "$BIN/peak"
}

# attack NAME ARGS...: one client run with RSS sampled.
attack() {
	local before after peak
	before=$(rss)
	sample
	"$BIN/reliability" "$@" -addr "$ADDR" | sed 's/^/  /'
	peak=$(stop_sample)
	after=$(rss)
	echo "  server RSS ${before} MiB before, peak ${peak}, ${after} after; fds $(nfd); $(load)"
}

check_slowloris() { attack slowloris -n 1000 -d 30s; }
check_slowread() {
	attack slowread -n 200 -path /bytes/1048576 -d 20s
	attack slowread -n 200 -path /stream/1048576 -d 20s
}
check_pipeline() {
	attack pipeline -n 1000 -path /bytes/1048576 -d 10s
	attack pipeline -n 100000 -path / -d 1s
}
check_gzipbomb() { attack gzipbomb -c 10 -size 1073741824; }

check_idle() {
	local before fd0 out="$BIN/idle.out"
	"$BIN/idle" -addr "$ADDR" -n 200 -hold=false >/dev/null
	sleep 2
	before=$(rss) fd0=$(nfd)
	"$BIN/idle" -addr "$ADDR" -n 10000 >"$out" 2>&1 &
	CLIENT_PID=$!
	for _ in $(seq 1200); do
		grep -q '^READY' "$out" && break
		kill -0 "$CLIENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	sleep 2
	echo "  $(grep '^READY' "$out" || cat "$out")"
	echo "  before: RSS $before MiB, fds $fd0; with the connections: RSS $(rss) MiB, fds $(nfd); $(load)"
	kill -INT "$CLIENT_PID"
	wait "$CLIENT_PID" || true
	CLIENT_PID=""
	echo "  $(grep '^ALIVE' "$out")"
	sleep 5
	echo "  5 s after they closed: RSS $(rss) MiB, fds $(nfd)"
	sleep 25
	echo "  30 s after: RSS $(rss) MiB, fds $(nfd); $(load)"
}

check_shutdown() {
	local out="$BIN/wrk.out"
	wrk -t1 -c50 -d8s "http://$ADDR/delay/20" >"$out" 2>&1 &
	CLIENT_PID=$!
	sleep 3
	stop
	wait "$CLIENT_PID" || true
	CLIENT_PID=""
	echo "  wrk: $(grep -E 'requests in' "$out" | sed 's/^ *//'); $(grep -E 'Socket errors|Non-2xx' "$out" | sed 's/^ *//' | tr '\n' ' ')"
	start "$1"
	"$BIN/reliability" shutdown -addr "$ADDR" -c 50 -path /delay/20 -d 20s >"$out" &
	CLIENT_PID=$!
	sleep 3
	stop
	wait "$CLIENT_PID" || true
	CLIENT_PID=""
	sed 's/^/  /' "$out"
	echo "  $(load)"
}

check_fds() {
	stop
	start "$1" 128
	local out="$BIN/fds.out" t0 c0 t1 c1
	"$BIN/reliability" fds -addr "$ADDR" -n 200 -d 10s >"$out" 2>&1 &
	CLIENT_PID=$!
	until grep -q PRESSURE "$out"; do
		kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$out"; return; }
		sleep 0.1
	done
	t0=$(date +%s.%N) c0=$(cpu_ticks)
	local fdp
	fdp=$(nfd)
	until grep -q RELEASE "$out"; do sleep 0.1; done
	t1=$(date +%s.%N) c1=$(cpu_ticks)
	echo "  server CPU under pressure: $(awk -v c="$((c1 - c0))" -v t="$t0" -v u="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f%% of a core over %.1f s", 100 * c / hz / (u - t), u - t }'); fds $fdp"
	wait "$CLIENT_PID" || true
	CLIENT_PID=""
	grep -v -e PRESSURE -e RELEASE "$out" | sed 's/^/  /'
	echo "  server log: $(grep -ci 'accept' "$BIN/server.log" || true) lines about accept; alive: $(kill -0 "$SERVER_PID" 2>/dev/null && echo yes || echo NO); fds $(nfd); $(load)"
}

echo "## Reliability checks ($(date -u +%Y-%m-%dT%H:%MZ)), $(nproc) cores, $(go version | awk '{print $3}')"
for check in $CHECKS; do
	for name in $SERVERS; do
		echo "### $check: $name"
		start "$name"
		"check_$check" "$name"
		[ -z "$SERVER_PID" ] || stop
	done
done
