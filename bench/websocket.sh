#!/usr/bin/env bash
# WebSocket echo throughput and memory per idle connection, Gornado side
# by side with its peers; writes bench/RESULTS_WEBSOCKET.md.
#
#   bash bench/websocket.sh                  # 3 rounds + the idle test, ~11 min
#   ROUNDS=1 DURATION=3s bash bench/websocket.sh   # a smoke run, ~2 min
#
# Echo servers (servers/ws_*, servers/tornado_ws.py), all uncompressed:
# Gornado (websocket on an httpserver, 1 loop), gorilla/websocket and
# coder/websocket on net/http, lxzan/gws's own server, nbio's
# nbhttp/websocket, Tornado. The load is wsload: CONNS connections, each
# sending a binary message and waiting for its echo before the next
# (closed loop, as wrk does), every echo checked, WARMUP then DURATION,
# for each message size in SIZES.
#
# Pinned, as http.sh's pinned mode: the server on CPU 0 (taskset), Go
# servers with GOMAXPROCS=1; wsload on CPU 1. Servers run one at a time,
# interleaved in one run (the order rotates each round); the tables show
# the median of the rounds, and the per-round figures follow them. Server
# CPU per message: utime+stime of the server (/proc/PID/stat, all
# threads) over the measured span, divided by the messages echoed.
#
# Then the idle test, once per server, nothing pinned, each with its
# defaults (as idle.sh): a warm-up (200 connections echo for 1 s, then
# close), SETTLE s, a garbage collection (SIGUSR2: debug.FreeOSMemory in
# the Go servers, gc.collect() in Tornado), 1 s, RSS (VmRSS); then IDLE_N
# connections complete the handshake and stay silent; SETTLE s, SIGUSR2,
# 1 s, RSS again. bytes/conn = (after - before) / IDLE_N.
#
# Environment: ROUNDS (3), SERVERS (all), DURATION (10s), WARMUP (2s),
# CONNS (1000), SIZES ("64 16384"), IDLE_N (10000; 0 skips the idle
# test), SETTLE (2), SRC (10 source addresses), OUT (the results file,
# RESULTS_WEBSOCKET.md beside this script; "-" for stdout only),
# BASELINE (a git revision: Gornado's library at that revision, built
# with this tree's servers/ws_gornado, runs too as "gornado @<rev>"),
# GORNADO_FLAGS (extra flags for the Gornado server, -cpuprofile FILE say).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-1000}
SIZES=${SIZES:-64 16384}
IDLE_N=${IDLE_N:-10000}
SETTLE=${SETTLE:-2}
SRC=${SRC:-10}
OUT=${OUT:-$BENCH_DIR/RESULTS_WEBSOCKET.md}

# This script's servers replace common.sh's HTTP ones.
ALL_SERVERS="gornado gornado_lent gorilla coder gws nbio tornado"
PORT=([gornado]=18181 [gorilla]=18182 [coder]=18183 [gws]=18184 [nbio]=18185 [tornado]=18186 [gornado_lent]=18188)
LABEL=([gornado]="gornado (1 loop)" [gornado_lent]="gornado (1 loop, ReuseBuffers)"
	[gorilla]="gorilla/websocket" [coder]="coder/websocket"
	[gws]="lxzan/gws" [nbio]="nbio websocket" [tornado]="tornado")
if [ -n "$BASELINE" ]; then
	ALL_SERVERS="gornado gornado_base gornado_lent gorilla coder gws nbio tornado"
	PORT+=([gornado_base]=18187)
	LABEL+=([gornado_base]="gornado (1 loop) @$BASE_TAG")
fi
SERVERS=${SERVERS:-$ALL_SERVERS}

server_cmd() {
	local name=$1 addr=$2
	case $name in
	# shellcheck disable=SC2086 # GORNADO_FLAGS is a list of flags
	gornado) CMD=("$BIN/ws_gornado" -addr "$addr" -loops 1 ${GORNADO_FLAGS:-}) ;;
	gornado_base) CMD=("$BIN/base/ws_gornado" -addr "$addr" -loops 1) ;;
	gornado_lent) CMD=("$BIN/ws_gornado" -addr "$addr" -loops 1 -reuse) ;;
	gorilla | coder | gws | nbio) CMD=("$BIN/ws_$name" -addr "$addr") ;;
	tornado) CMD=("$TORNADO_PY" "$BENCH_DIR/servers/tornado_ws.py" --addr "$addr") ;;
	*)
		log "unknown server $name"
		return 1
		;;
	esac
}

# build_ws builds the servers and wsload into $BIN and, with BASELINE,
# this tree's ws_gornado (and benchutil) against the baseline's library
# into $BIN/base.
build_ws() {
	BIN=$(mktemp -d /tmp/gornado-wsbench.XXXXXX)
	# The tree the binaries come from, for the report (which, being
	# written into the tree, must not look at it again).
	COMMIT=$(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
	DIRTY=""
	[ -z "$(git -C "$BENCH_DIR/.." status --porcelain -- . ':(exclude)bench/RESULTS_*' 2>/dev/null)" ] ||
		DIRTY=" (with uncommitted changes in the tree)"
	log "building servers into $BIN"
	(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/ws_gornado ./servers/ws_gorilla ./servers/ws_coder \
		./servers/ws_gws ./servers/ws_nbio ./wsload)
	[ -n "$BASELINE" ] || return 0
	BASE_WT=$(mktemp -d /tmp/gornado-baseline.XXXXXX)
	log "building ws_gornado on the library of $BASE_TAG (worktree $BASE_WT) into $BIN/base"
	git -C "$BENCH_DIR" worktree add --quiet --detach "$BASE_WT" "$BASE_TAG" >&2
	rm -rf "$BASE_WT/bench/servers/ws_gornado" "$BASE_WT/bench/internal/benchutil"
	mkdir -p "$BASE_WT/bench/servers" "$BASE_WT/bench/internal" "$BIN/base"
	cp -r "$BENCH_DIR/servers/ws_gornado" "$BASE_WT/bench/servers/"
	cp -r "$BENCH_DIR/internal/benchutil" "$BASE_WT/bench/internal/"
	(cd "$BASE_WT/bench" && go build -o "$BIN/base/" ./servers/ws_gornado)
	remove_baseline
}

machine_info() {
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
	echo "- Kernel: $(uname -r); memory $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "- $(go version)"
	echo "- Tornado $("$TORNADO_PY" -c 'import tornado; print(tornado.version)') on $("$TORNADO_PY" --version 2>&1)"
	echo "- Peers: $(cd "$BENCH_DIR" && go list -m -f '{{.Path}} {{.Version}}' github.com/gorilla/websocket \
		github.com/coder/websocket github.com/lxzan/gws github.com/lesismal/nbio | paste -sd, - | sed 's/,/, /g')"
}

if ! "$TORNADO_PY" -c 'import tornado' 2>/dev/null; then
	log "installing python3-tornado"
	apt-get install -y python3-tornado >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y python3-tornado >/dev/null; }
fi
raise_nofile
build_ws
trap cleanup EXIT

declare -A RATE CPU CLI FAILS KILLED BEFORE AFTER ALIVE

# run_one NAME: the echo load at every size against NAME, pinned.
run_one() {
	local name=$1 addr="127.0.0.1:${PORT[$1]}" size out rate us cli
	if ! start_server "$name" env GOMAXPROCS=1 taskset -c 0; then
		FAILS[$name]=$((${FAILS[$name]:-0} + 1))
		return 0
	fi
	for size in $SIZES; do
		if ! out=$(taskset -c 1 "$BIN/wsload" -addr "$addr" -c "$CONNS" -size "$size" -d "$DURATION" \
			-warmup "$WARMUP" -src "$SRC" -pid "$SERVER_PID" 2>&1); then
			log "  wsload against $name at $size B failed: $out"
			FAILS[$name]=$((${FAILS[$name]:-0} + 1))
			continue
		fi
		read -r rate us cli < <(sed -n 's/^RESULT .*rate=\([0-9]*\) server_us_per_msg=\([0-9.-]*\) client_cpu=\([0-9]*\)%.*/\1 \2 \3/p' <<<"$out")
		RATE[$name,$size]="${RATE[$name,$size]:-} $rate"
		CPU[$name,$size]="${CPU[$name,$size]:-} $us"
		CLI[$name,$size]="${CLI[$name,$size]:-} $cli"
		log "  $name $size B: $rate msg/s, server CPU $us µs/msg, wsload CPU $cli%"
	done
	stop_server
	KILLED[$name]=$((${KILLED[$name]:-0} + STOP_KILLED))
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# settled_rss: SETTLE s, a garbage collection, 1 s, then the server's RSS.
settled_rss() {
	sleep "$SETTLE"
	kill -USR2 "$SERVER_PID"
	sleep 1
	rss_kb "$SERVER_PID"
}

# idle_one NAME: RSS before and with IDLE_N idle connections.
idle_one() {
	local name=$1 addr="127.0.0.1:${PORT[$1]}" client i
	start_server "$name" || return 0
	if ! "$BIN/wsload" -addr "$addr" -c 200 -size 64 -d 1s -warmup 0s -src "$SRC" >"$BIN/warm.out" 2>&1; then
		log "  warm-up against $name failed: $(cat "$BIN/warm.out")"
	fi
	BEFORE[$name]=$(settled_rss)
	# A file the last server's client wrote must not be read as this one's.
	rm -f "$BIN/idle.out"
	"$BIN/wsload" -idle -addr "$addr" -c "$IDLE_N" -src "$SRC" >"$BIN/idle.out" 2>&1 &
	client=$!
	CLIENT_PID=$client
	for i in $(seq 1200); do
		grep -qs '^READY' "$BIN/idle.out" && break
		kill -0 "$client" 2>/dev/null || break
		sleep 0.1
	done
	if grep -qs '^READY' "$BIN/idle.out"; then
		AFTER[$name]=$(settled_rss)
	else
		log "  idle client failed against $name: $(cat "$BIN/idle.out" 2>/dev/null)"
	fi
	# SIGTERM: a background job of a script ignores SIGINT until Go's
	# signal.Notify takes it, so a SIGINT before READY would be lost.
	kill -TERM "$client" 2>/dev/null || true
	wait "$client" || true
	CLIENT_PID=""
	ALIVE[$name]=$(awk '/^ALIVE/ {print $2}' "$BIN/idle.out" 2>/dev/null || true)
	log "  idle $name: $(grep -s '^READY' "$BIN/idle.out" || true); RSS ${BEFORE[$name]} kB -> ${AFTER[$name]:-?} kB; ${ALIVE[$name]:-?} still open"
	stop_server
	KILLED[$name]=$((${KILLED[$name]:-0} + STOP_KILLED))
}

UPTIME_BEFORE=$(uptime)
START=$(date +%s)
read -ra server_list <<<"$SERVERS"
n=${#server_list[@]}
for round in $(seq "$ROUNDS"); do
	for i in $(seq 0 $((n - 1))); do
		name=${server_list[$(((i + round - 1) % n))]}
		log "round $round: $name"
		run_one "$name"
	done
done
if [ "$IDLE_N" -gt 0 ]; then
	for name in "${server_list[@]}"; do
		log "idle: $name"
		idle_one "$name"
	done
fi
UPTIME_AFTER=$(uptime)
TOOK=$(($(date +%s) - START))

# shellcheck source=lib/websocket_report.sh
source "$BENCH_DIR/lib/websocket_report.sh"
if [ "$OUT" = - ]; then
	report
else
	write_results "$OUT"
	log "wrote $OUT"
fi
