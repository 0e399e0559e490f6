#!/usr/bin/env bash
# A mounted net/http handler next to a busy loop: does the worker pool get
# the processor? Gornado's web.Application runs a route's http.Handler on
# its executor; the loop's socket calls are raw system calls, which never
# hand the processor to the Go scheduler, so with one P (GOMAXPROCS=1) the
# workers run only when the loop yields it (it does once per iteration
# while executor work is out) or when the runtime preempts the loop.
#
#   bash bench/mounted.sh                   # 3 rounds, ~1 min
#
# For each server (gornado_web, nethttp_web), pinned to CPU 0 with
# GOMAXPROCS=1: wrk -t1 -c50 on /plaintext (a native RequestHandler in
# Gornado) and, at the same time, wrk -t1 -c2 --latency on /mounted (a
# net/http HandlerFunc: mounted on Gornado's worker pool; in net/http the
# same kind of handler as /plaintext), both on CPU 1. Reports the
# requests/s of each and the latency of /mounted (median of ROUNDS).
#
# Environment: ROUNDS (3), DURATION (8s), SERVERS ("gornado_web nethttp_web").
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8s}
SERVERS=${SERVERS:-gornado_web nethttp_web}
PORT+=([gornado_web]=18091 [nethttp_web]=18093)
LABEL+=([gornado_web]="gornado web (mounted http.Handler on the worker pool)" [nethttp_web]="net/http")

eval "common_$(declare -f server_cmd)"
server_cmd() {
	case $1 in
	gornado_web | nethttp_web) CMD=("$BIN/$1" -addr "$2") ;;
	*) common_server_cmd "$@" ;;
	esac
}

ensure_tools
raise_nofile
BIN=$(mktemp -d /tmp/gornado-bench.XXXXXX)
trap cleanup EXIT
log "building servers into $BIN"
(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/gornado_web ./servers/nethttp_web)

declare -A NATIVE MOUNTED P50 P99

# wrk_field FILE: "req/s p50 p99" from a wrk --latency output (latencies
# in ms).
wrk_field() {
	awk '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		END { printf "%s %s %s\n", (rps == "" ? 0 : rps), (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99) }' "$1"
}

run_one() { # NAME
	local name=$1 base out_n out_m rps p50 p99
	start_server "$name" env GOMAXPROCS=1 taskset -c 0 || return 0
	base="http://127.0.0.1:${PORT[$name]}"
	out_n=$(mktemp) out_m=$(mktemp)
	taskset -c 1 wrk -t1 -c50 -d"$DURATION" "$base/plaintext" >"$out_n" 2>&1 &
	local bg=$!
	sleep 1
	taskset -c 1 wrk -t1 -c2 -d"$(( ${DURATION%s} - 2 ))s" --latency "$base/mounted" >"$out_m" 2>&1 || true
	wait "$bg" || true
	read -r rps _ _ < <(wrk_field "$out_n")
	NATIVE[$name]="${NATIVE[$name]:-} $rps"
	read -r rps p50 p99 < <(wrk_field "$out_m")
	MOUNTED[$name]="${MOUNTED[$name]:-} $rps"
	P50[$name]="${P50[$name]:-} $p50"
	P99[$name]="${P99[$name]:-} $p99"
	log "  $name: /plaintext $(wrk_field "$out_n" | cut -d' ' -f1) req/s; /mounted $rps req/s, p50 $p50 ms, p99 $p99 ms"
	rm -f "$out_n" "$out_m"
	stop_server
}

START=$(date +%s)
read -ra list <<<"$SERVERS"
for round in $(seq "$ROUNDS"); do
	for i in "${!list[@]}"; do
		name=${list[$(((i + round - 1) % ${#list[@]}))]}
		log "round $round: $name"
		run_one "$name"
	done
done

commit=$(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "## A mounted handler beside a busy loop ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- Command: \`ROUNDS=$ROUNDS DURATION=$DURATION bash bench/mounted.sh\`; commit \`$commit\`; the run took $(($(date +%s) - START)) s"
machine_info
echo "- Server on CPU 0 with GOMAXPROCS=1; wrk -t1 -c50 on /plaintext and wrk -t1 -c2 --latency on /mounted, at the same time, on CPU 1"
echo
echo "| server | /plaintext req/s | /mounted req/s | /mounted p50 ms | /mounted p99 ms |"
echo "|---|---:|---:|---:|---:|"
for name in "${list[@]}"; do
	printf '| %s | %s | %s | %s | %s |\n' "${LABEL[$name]}" "$(median ${NATIVE[$name]:-})" "$(median ${MOUNTED[$name]:-})" "$(median ${P50[$name]:-})" "$(median ${P99[$name]:-})"
done
echo
echo "Medians of $ROUNDS round(s). Per round:"
echo
for name in "${list[@]}"; do
	echo "- ${LABEL[$name]}: /plaintext${NATIVE[$name]:-}; /mounted${MOUNTED[$name]:-}; p50${P50[$name]:-}; p99${P99[$name]:-}"
done
