#!/usr/bin/env bash
# Memory per idle keep-alive connection, Gornado side by side with its peers.
#
#   bash bench/idle.sh            # N=10000, every server, ~2 min
#
# For each server in turn: start it (nothing pinned, its defaults), warm it
# up with 200 connections of one request each (closed again), wait SETTLE
# seconds and read its RSS (VmRSS in /proc/PID/status); then bench/idle
# opens N keep-alive connections from 127.0.0.1 ... 127.0.0.10, sends one
# GET / on each and reads the response, and holds them idle; after SETTLE
# seconds the RSS is read again. bytes/conn = (after - before) / N. RSS
# includes whatever the runtime has not returned to the OS (a GC cannot be
# forced from outside), so it is an upper bound of what a connection keeps.
#
# Environment: N (10000), SERVERS (all), SETTLE (2), SRC (10 source
# addresses), C (32 connections set up at a time).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

N=${N:-10000}
SERVERS=${SERVERS:-$ALL_SERVERS}
SETTLE=${SETTLE:-2}
SRC=${SRC:-10}
C=${C:-32}

ensure_tools
raise_nofile
build_servers
trap cleanup EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

declare -A BEFORE AFTER ALIVE
for name in $SERVERS; do
	log "idle: $name"
	SERVER_PREFIX=()
	start_server "$name" || continue
	addr="127.0.0.1:${PORT[$name]}"
	"$BIN/idle" -addr "$addr" -n 200 -src "$SRC" -c "$C" -hold=false >/dev/null
	sleep "$SETTLE"
	BEFORE[$name]=$(rss_kb "$SERVER_PID")
	"$BIN/idle" -addr "$addr" -n "$N" -src "$SRC" -c "$C" >"$BIN/idle.out" 2>&1 &
	client=$!
	CLIENT_PID=$client
	for _ in $(seq 600); do
		grep -q '^READY' "$BIN/idle.out" && break
		kill -0 "$client" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^READY' "$BIN/idle.out"; then
		log "idle client failed against $name:"
		cat "$BIN/idle.out" >&2
		kill -INT "$client" 2>/dev/null || true
		wait "$client" 2>/dev/null || true
		stop_server
		continue
	fi
	sleep "$SETTLE"
	AFTER[$name]=$(rss_kb "$SERVER_PID")
	kill -INT "$client"
	wait "$client" || true
	CLIENT_PID=""
	ALIVE[$name]=$(awk '/^ALIVE/ {print $2}' "$BIN/idle.out")
	log "  $(grep '^READY' "$BIN/idle.out"); RSS ${BEFORE[$name]} kB -> ${AFTER[$name]} kB; ${ALIVE[$name]} still open"
	stop_server
done

echo "## Idle keep-alive connections ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
machine_info
echo "- $N connections from $SRC source addresses, one request each, then idle; RSS read $SETTLE s after warm-up and $SETTLE s after the last connection"
echo
echo "| server | RSS before (KiB) | RSS with $N idle (KiB) | bytes / connection | peer / gornado | still open |"
echo "|---|---:|---:|---:|---:|---:|"
per() { awk -v a="$1" -v b="$2" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }'; }
g=""
[ -n "${AFTER[gornado]:-}" ] && g=$(per "${BEFORE[gornado]}" "${AFTER[gornado]}")
for name in $ALL_SERVERS; do
	[ -n "${AFTER[$name]:-}" ] || continue
	b=$(per "${BEFORE[$name]}" "${AFTER[$name]}")
	echo "| ${LABEL[$name]} | ${BEFORE[$name]} | ${AFTER[$name]} | $b | $(ratio "$b" "$g") | ${ALIVE[$name]:-?} |"
done
