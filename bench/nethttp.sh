#!/usr/bin/env bash
# Issue 15's benchmark: one ordinary http.Handler served by net/http's
# http.Server and by Gornado's Waitress mode (web/nethttp's Serve), beside
# the same WSGI application on Waitress (Debian's python3-waitress).
#
#   bash bench/nethttp.sh          # one round, ~6 min
#
# Servers (bench/servers/):
#   nethttp_waitress -serve nethttp            net/http, a goroutine per connection
#   nethttp_waitress -serve gornado -threads T nethttp.Serve: one loop, T workers
#   waitress_app.py --threads T                waitress.serve(app, threads=T)
# Gornado and Waitress run with T = 4 (Waitress's default) and T = 16;
# both with connection_limit 10000 (Waitress's 100 would cap c1000), and
# Waitress with its poll() loop (select() stops at descriptor 1023).
# Endpoints: / ("Hello, world!") and /sleep (10 ms of time.sleep before
# the same answer: a database call, which holds the worker).
#
# Throughput: for each server in turn, pinned to CPU 0 (taskset; Go
# servers GOMAXPROCS=1), for each endpoint: warm up (wrk -c50 for WARMUP),
# then wrk -t1 -cC -d$DURATION --timeout 10s for each C in CONNS, on CPU 1
# (a 10 ms handler on 4 workers at c1000 answers in 2.5 s, past wrk's 2 s
# default timeout). Then the slow-reader test: bench/slowread opens
# READERS connections that each GET /bytes (1 MiB) with SO_RCVBUF 4 KiB
# and read 4 KiB every 300 ms; once all have their first bytes and 3 s
# have passed, it reads the server's goroutine count (GET /debug), VmRSS
# and threads, and times 20 GET / one after another (the probe). Run on
# net/http, on Gornado with 4 threads, and on Gornado with 4 threads and
# OutbufOverflow 64 KiB (the spill file path).
#
# Environment: ROUNDS (1), SERVERS ("nethttp gornado4 waitress4 gornado16
# waitress16"), ENDPOINTS ("hello sleep"), DURATION (10s), WARMUP (2s),
# CONNS ("50 1000"), READERS (1000), SLOW ("nethttp gornado4 gornado4s";
# empty: skip the slow-reader test).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-1}
ALL="nethttp gornado4 waitress4 gornado16 waitress16"
SERVERS=${SERVERS:-$ALL}
ENDPOINTS=${ENDPOINTS:-hello sleep}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-50 1000}
READERS=${READERS:-1000}
SLOW=${SLOW-nethttp gornado4 gornado4s}

PORT+=([nethttp]=18101 [gornado4]=18102 [gornado16]=18103 [gornado4s]=18104 [waitress4]=18105 [waitress16]=18106)
LABEL+=([nethttp]="net/http" [gornado4]="gornado Waitress mode, 4 threads" [gornado16]="gornado Waitress mode, 16 threads"
	[gornado4s]="gornado Waitress mode, 4 threads, OutbufOverflow 64 KiB"
	[waitress4]="waitress, 4 threads" [waitress16]="waitress, 16 threads")
declare -A PATHOF=([hello]=/ [sleep]=/sleep)

server_cmd() {
	local b="$BIN/nethttp_waitress"
	case $1 in
	nethttp) CMD=("$b" -serve nethttp -addr "$2") ;;
	gornado4) CMD=("$b" -serve gornado -threads 4 -addr "$2") ;;
	gornado16) CMD=("$b" -serve gornado -threads 16 -addr "$2") ;;
	gornado4s) CMD=("$b" -serve gornado -threads 4 -outbuf 65536 -addr "$2") ;;
	waitress4) CMD=("$TORNADO_PY" "$BENCH_DIR/servers/waitress_app.py" --threads 4 --addr "$2") ;;
	waitress16) CMD=("$TORNADO_PY" "$BENCH_DIR/servers/waitress_app.py" --threads 16 --addr "$2") ;;
	*)
		log "unknown server $1"
		return 1
		;;
	esac
}
is_go() { [ "${1#waitress}" = "$1" ]; }

ensure_tools
if ! "$TORNADO_PY" -c 'import waitress' 2>/dev/null; then
	log "installing python3-waitress"
	apt-get install -y python3-waitress >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 || true; apt-get install -y python3-waitress >/dev/null; }
fi
raise_nofile
BIN=$(mktemp -d /tmp/gornado-bench.XXXXXX)
trap cleanup EXIT
log "building servers into $BIN"
(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/nethttp_waitress ./slowread)

# wrk_run CONNS DURATION URL: prints "req/s errors requests" (errors:
# wrk's socket errors plus non-2xx responses).
wrk_run() {
	local out
	out=$(taskset -c 1 wrk -t1 -c"$1" -d"$2" --timeout 10s "$3" 2>&1) || true
	awk '
		/requests in/ { reqs = $1 }
		/Requests\/sec/ { rps = $2 }
		/Socket errors/ { gsub(/,/, ""); errs += $4 + $6 + $8 + $10 }
		/Non-2xx/ { errs += $NF }
		END { printf "%s %d %d\n", (rps == "" ? "0" : rps), errs, reqs }' <<<"$out"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

prefix() { # NAME: sets PREFIX, the server's pinning
	if is_go "$1"; then PREFIX=(env GOMAXPROCS=1 taskset -c 0); else PREFIX=(taskset -c 0); fi
}

declare -A RPS ERRS CPU SLOWRES

run_one() { # NAME
	local name=$1 ep c u rps errs reqs t0 t1 us
	prefix "$name"
	start_server "$name" "${PREFIX[@]}" || return 0
	for ep in $ENDPOINTS; do
		u="http://127.0.0.1:${PORT[$name]}${PATHOF[$ep]}"
		wrk_run 50 "$WARMUP" "$u" >/dev/null
		for c in $CONNS; do
			t0=$(cpu_ticks "$SERVER_PID")
			read -r rps errs reqs < <(wrk_run "$c" "$DURATION" "$u")
			t1=$(cpu_ticks "$SERVER_PID")
			us=$(awk -v d=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n }')
			RPS[$name,$ep,$c]="${RPS[$name,$ep,$c]:-} $rps"
			CPU[$name,$ep,$c]="${CPU[$name,$ep,$c]:-} $us"
			ERRS[$name,$ep,$c]=$((${ERRS[$name,$ep,$c]:-0} + errs))
			log "  $name $ep c$c: $rps req/s, $errs errors, server CPU $us µs/request"
		done
	done
	stop_server
}

slow_one() { # NAME
	local name=$1 out
	prefix "$name"
	start_server "$name" "${PREFIX[@]}" || return 0
	log "  slow readers on $name"
	out=$(taskset -c 1 "$BIN/slowread" -addr "127.0.0.1:${PORT[$name]}" -pid "$SERVER_PID" -n "$READERS" 2>>"$BIN/slowread.log") || true
	SLOWRES[$name]=$(grep '^RESULT' <<<"$out" | sed 's/^RESULT //')
	log "  $name: ${SLOWRES[$name]}"
	stop_server
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
read -ra list <<<"$SERVERS"
n=${#list[@]}
for round in $(seq "$ROUNDS"); do
	for i in $(seq 0 $((n - 1))); do
		name=${list[$(((i + round - 1) % n))]}
		log "round $round: $name"
		run_one "$name"
	done
done
LOAD_MID=$(cut -d' ' -f1-3 /proc/loadavg)
for name in $SLOW; do slow_one "$name"; done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The report.
med() { median ${RPS[$1]:-}; }
int() { [ -n "$1" ] && printf '%.0f' "$1" || echo "—"; }
verdict() { # A B TARGET
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "—"; else { r = a / b; printf "%.2f× (%s)", r, (r >= t ? "met" : "missed") } }'
}
commit=$(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""
[ -n "$(git -C "$BENCH_DIR/.." status --porcelain -- . 2>/dev/null)" ] && dirty=" (with uncommitted changes in the tree)"
echo "## net/http handlers: net/http, Gornado's Waitress mode, Waitress ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP READERS=$READERS bash bench/nethttp.sh\`; commit \`$commit\`$dirty"
machine_info
echo "- Waitress $("$TORNADO_PY" -c 'import importlib.metadata as m; print(m.version("waitress"))') (Debian python3-waitress)"
echo "- Load average before / after the throughput part / after the slow readers: $LOAD_BEFORE / $LOAD_MID / $LOAD_AFTER; the run took $(($(date +%s) - START)) s"
echo "- Pinned: each server on CPU 0 (taskset; Go servers GOMAXPROCS=1), wrk -t1 -d$DURATION --timeout 10s on CPU 1, after a $WARMUP warm-up at c50 per endpoint"
echo
echo "### Requests/s (median of $ROUNDS round(s)) and server CPU µs/request"
echo
printf '| server |'
for ep in $ENDPOINTS; do for c in $CONNS; do printf ' %s c%s req/s | µs/req |' "${PATHOF[$ep]}" "$c"; done; done
echo
printf '|---|'
for ep in $ENDPOINTS; do for c in $CONNS; do printf -- '---:|---:|'; done; done
echo
for name in $ALL; do
	[ -n "$(for ep in $ENDPOINTS; do for c in $CONNS; do printf '%s' "${RPS[$name,$ep,$c]:-}"; done; done)" ] || continue
	printf '| %s |' "${LABEL[$name]}"
	for ep in $ENDPOINTS; do for c in $CONNS; do
		e=""
		[ "${ERRS[$name,$ep,$c]:-0}" -gt 0 ] && e=" (${ERRS[$name,$ep,$c]} errors)"
		printf ' %s%s | %s |' "$(int "$(med "$name,$ep,$c")")" "$e" "$(median ${CPU[$name,$ep,$c]:-})"
	done; done
	echo
done
echo
echo "### Ratios (> 1: Gornado is faster)"
echo
printf '| ratio |'
for ep in $ENDPOINTS; do for c in $CONNS; do printf ' %s c%s |' "${PATHOF[$ep]}" "$c"; done; done
echo
printf '|---|'
for ep in $ENDPOINTS; do for c in $CONNS; do printf -- '---:|'; done; done
echo
for pair in "gornado4 waitress4" "gornado16 waitress16" "gornado4 nethttp" "gornado16 nethttp" "nethttp waitress4"; do
	read -r a b <<<"$pair"
	printf '| %s / %s |' "${LABEL[$a]}" "${LABEL[$b]}"
	for ep in $ENDPOINTS; do for c in $CONNS; do printf ' %s |' "$(ratio "$(med "$a,$ep,$c")" "$(med "$b,$ep,$c")")"; done; done
	echo
done
echo
echo "### Targets"
echo
for c in $CONNS; do
	echo "- / c$c: gornado (4 threads) / waitress (4 threads) = **$(verdict "$(med "gornado4,hello,$c")" "$(med "waitress4,hello,$c")" 8)**, target ≥ 8×; gornado (4 threads) / net/http = **$(verdict "$(med "gornado4,hello,$c")" "$(med "nethttp,hello,$c")" 1)**, target ≥ 1.0×"
done
for c in $CONNS; do
	echo "- /sleep c$c: gornado / waitress, 4 threads each = **$(verdict "$(med "gornado4,sleep,$c")" "$(med "waitress4,sleep,$c")" 8)**; 16 threads each = **$(verdict "$(med "gornado16,sleep,$c")" "$(med "waitress16,sleep,$c")" 8)**, target ≥ 8×"
done
if [ -n "$SLOW" ]; then
	echo
	echo "### $READERS slow readers of 1 MiB each, and a probe"
	echo
	echo "Each reader: SO_RCVBUF 4 KiB, reads 4 KiB every 300 ms. Figures taken while all are connected, 3 s after the last has its first bytes: the server's goroutines (GET /debug: runtime.NumGoroutine()), VmRSS and OS threads; then 20 GET / one after another (a new connection each). \"after\": 1 s after the readers closed."
	echo
	echo "| server | readers connected (failed) | still reading | goroutines | VmRSS MiB | OS threads | probe p50 ms | probe max ms | probe errors | goroutines after | VmRSS after MiB |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for name in $SLOW; do
		r=${SLOWRES[$name]:-}
		get() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$r"; }
		printf '| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$name]}" "$(get readers)" "$(get failed)" "$(get open)" \
			"$(get goroutines)" "$(get rss_mib)" "$(get threads)" "$(get probe_p50_ms)" "$(get probe_max_ms)" "$(get probe_errors)" "$(get goroutines_after)" "$(get rss_after_mib)"
	done
fi
if [ "$ROUNDS" -gt 1 ]; then
	echo
	echo "Per round (req/s, in round order):"
	echo
	for name in $ALL; do for ep in $ENDPOINTS; do for c in $CONNS; do
		[ -n "${RPS[$name,$ep,$c]:-}" ] && echo "- ${LABEL[$name]} ${PATHOF[$ep]} c$c:$(printf ' %.0f' ${RPS[$name,$ep,$c]})"
	done; done; done
fi
exit 0
