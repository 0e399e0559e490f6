#!/usr/bin/env bash
# Plaintext HTTP throughput, Gornado side by side with its peers.
#
#   bash bench/http.sh                 # 3 pinned rounds + 1 shared, ~10 min
#   ROUNDS=1 bash bench/http.sh        # one round of each mode, ~5 min
#
# Every server answers GET / with "Hello, world!" (text/plain,
# Content-Length, keep-alive). For each server in turn: start it, warm up
# 2 s, then wrk -t1 -c50 -d10s and wrk -t1 -c1000 -d10s, then stop it
# (SIGINT) and check that it stopped. Servers run one at a time,
# interleaved in one run (the order rotates each round) so they see the
# same machine state; the tables show the median of the rounds, and the
# per-round figures follow them.
#
# The machine has 2 cores, shared by the server and wrk. Two modes:
#   pinned  wrk on CPU 1; every server on CPU 0 (taskset), Go servers with
#           GOMAXPROCS=1 (gnet and nbhttp then size their loops/pollers
#           to 1 core): throughput per core, the same for every peer.
#           Gornado with 2 loops makes no sense on one core: not run.
#   shared  nothing pinned, every server with its defaults (GOMAXPROCS=2,
#           gnet multicore, nbhttp's pollers), wrk competes for the same 2
#           cores: what each server does as deployed on this machine, and
#           the mode where gornado (2 loops) runs.
#
# Environment: ROUNDS (3: rounds of the pinned mode), SHARED_ROUNDS (1:
# rounds of the shared mode, run within the first ones), MODES ("pinned
# shared"), SERVERS (all), DURATION (10s), WARMUP (2s), CONNS ("50 1000"),
# BASELINE (a git revision: its Gornado servers run too, as
# "gornado (1 loop) @<rev>" and "gornado (2 loops) @<rev>", so a change is
# measured before and after in one run; see lib/common.sh).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-3}
SHARED_ROUNDS=${SHARED_ROUNDS:-1}
[ "$SHARED_ROUNDS" -le "$ROUNDS" ] || SHARED_ROUNDS=$ROUNDS
MODES=${MODES:-pinned shared}
SERVERS=${SERVERS:-$ALL_SERVERS}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-50 1000}

ensure_tools
raise_nofile
build_servers
trap cleanup EXIT

declare -A RPS ERRS CPU

# wrk_run CONNS DURATION URL: prints "req/s errors requests" (errors:
# wrk's socket errors plus non-2xx responses).
wrk_run() {
	local out
	out=$("${WRK_PREFIX[@]}" wrk -t1 -c"$1" -d"$2" "$3" 2>&1) || true
	awk '
		/requests in/ { reqs = $1 }
		/Requests\/sec/ { rps = $2 }
		/Socket errors/ { gsub(/,/, ""); errs += $4 + $6 + $8 + $10 }
		/Non-2xx/ { errs += $NF }
		END { printf "%s %d %d\n", (rps == "" ? "0" : rps), errs, reqs }' <<<"$out"
}

# cpu_ticks PID: the process's user+system time, all threads, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

run_one() { # MODE NAME
	local mode=$1 name=$2 url="http://127.0.0.1:${PORT[$2]}/" c rps errs reqs t0 t1 us
	start_server "$name" "${SERVER_PREFIX[@]}" || return 0
	wrk_run 50 "$WARMUP" "$url" >/dev/null
	for c in $CONNS; do
		t0=$(cpu_ticks "$SERVER_PID")
		read -r rps errs reqs < <(wrk_run "$c" "$DURATION" "$url")
		t1=$(cpu_ticks "$SERVER_PID")
		us=$(awk -v d=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n }')
		RPS[$mode,$name,$c]="${RPS[$mode,$name,$c]:-} $rps"
		CPU[$mode,$name,$c]="${CPU[$mode,$name,$c]:-} $us"
		ERRS[$mode,$name,$c]=$((${ERRS[$mode,$name,$c]:-0} + errs))
		log "  $mode $name c$c: $rps req/s, $errs errors, server CPU $us µs/request"
	done
	stop_server
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
read -ra server_list <<<"$SERVERS"
for round in $(seq "$ROUNDS"); do
	for mode in $MODES; do
		[ "$mode" = shared ] && [ "$round" -gt "$SHARED_ROUNDS" ] && continue
		case $mode in
		pinned) SERVER_PREFIX=(env GOMAXPROCS=1 taskset -c 0) WRK_PREFIX=(taskset -c 1) ;;
		shared) SERVER_PREFIX=(env) WRK_PREFIX=() ;;
		*)
			log "unknown mode $mode"
			exit 2
			;;
		esac
		n=${#server_list[@]}
		for i in $(seq 0 $((n - 1))); do
			name=${server_list[$(((i + round - 1) % n))]}
			[ "$mode" = pinned ] && [ "${name%_base}" = gornado2 ] && continue
			log "round $round, $mode: $name"
			run_one "$mode" "$name"
		done
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The report.
med() { median ${RPS[$1]:-}; }
commit=$(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""
[ -n "$(git -C "$BENCH_DIR/.." status --porcelain -- . 2>/dev/null)" ] && dirty=" (with uncommitted changes in the tree)"
echo "## Plaintext throughput ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- Command: \`${BASELINE:+BASELINE=$BASELINE }ROUNDS=$ROUNDS SHARED_ROUNDS=$SHARED_ROUNDS MODES=\"$MODES\" DURATION=$DURATION WARMUP=$WARMUP bash bench/http.sh\`; commit \`$commit\`$dirty"
machine_info
echo "- Load average before/after: $LOAD_BEFORE / $LOAD_AFTER; the run took $(($(date +%s) - START)) s"
echo "- wrk -t1 -c50 -d$DURATION, then -t1 -c1000 -d$DURATION, after a $WARMUP warm-up at c50"
for mode in $MODES; do
	echo
	rounds=$ROUNDS
	case $mode in
	pinned) echo "### pinned: server on CPU 0 (Go servers GOMAXPROCS=1), wrk on CPU 1" ;;
	shared)
		rounds=$SHARED_ROUNDS
		echo "### shared: nothing pinned, servers with their defaults, wrk on the same 2 cores"
		;;
	esac
	echo
	echo "Median of $rounds round(s). Ratio > 1: Gornado is faster. Server CPU: the server's user+system time (all threads) during the run over the requests served; the kernel's loopback work is split between server and wrk, so it is a rough efficiency figure, less sensitive than req/s to other load on the machine."
	echo
	g50=$(med "$mode,gornado,50") g1k=$(med "$mode,gornado,1000")
	h50=$(med "$mode,gornado2,50") h1k=$(med "$mode,gornado2,1000")
	two=""
	[ -n "$h50$h1k" ] && two=1
	if [ -n "$two" ]; then
		echo "| server | req/s c50 | req/s c1000 | gornado (1 loop) / peer, c50 | c1000 | gornado (2 loops) / peer, c50 | c1000 | server CPU µs/req c50 | c1000 |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	else
		echo "| server | req/s c50 | req/s c1000 | gornado (1 loop) / peer, c50 | c1000 | server CPU µs/req c50 | c1000 |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
	fi
	for name in $ALL_SERVERS; do
		[ -n "${RPS[$mode,$name,50]:-}${RPS[$mode,$name,1000]:-}" ] || continue
		r50=$(med "$mode,$name,50") r1k=$(med "$mode,$name,1000")
		e=""
		errs=$((${ERRS[$mode,$name,50]:-0} + ${ERRS[$mode,$name,1000]:-0}))
		[ "$errs" -gt 0 ] && e=" ($errs wrk errors)"
		row="| ${LABEL[$name]}$e | ${r50%.*} | ${r1k%.*} | $(ratio "$g50" "$r50") | $(ratio "$g1k" "$r1k") |"
		[ -n "$two" ] && row="$row $(ratio "$h50" "$r50") | $(ratio "$h1k" "$r1k") |"
		echo "$row $(median ${CPU[$mode,$name,50]:-}) | $(median ${CPU[$mode,$name,1000]:-}) |"
	done
	echo
	echo "Per round (req/s, in round order):"
	echo
	for name in $ALL_SERVERS; do
		for c in $CONNS; do
			[ -n "${RPS[$mode,$name,$c]:-}" ] && echo "- ${LABEL[$name]} c$c:$(printf ' %.0f' ${RPS[$mode,$name,$c]})"
		done
	done
done
