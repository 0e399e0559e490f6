#!/usr/bin/env bash
# HTTP client throughput and memory: Gornado's AsyncHTTPClient side by side
# with net/http's Client, fasthttp.Client and Tornado's AsyncHTTPClient
# (simple, and curl when Debian's python3-pycurl installs), in one run.
#
#   bash bench/client.sh                 # 1 round, 10 s per client, ~2 min
#   ROUNDS=3 bash bench/client.sh        # medians of 3 rounds
#
# One keep-alive server for every client: the fasthttp server of
# bench/servers (GET / answers "Hello, world!"), pinned to CPU 0 with
# GOMAXPROCS=1. Each client in turn runs pinned to CPU 1 (Go clients with
# GOMAXPROCS=1): 50 concurrent fetch loops (CONC), a warm-up (WARMUP), then
# DURATION measured. The clients rotate order each round. Each reports
# requests/s, its CPU time per request (user+system, over the measured
# run), and its resident memory at the end of the run: RSS, and its
# anonymous part (the process's own memory, without the pages of the mapped
# binary or interpreter). The server's CPU use during each client's run is
# shown too: near 100% means the server, not the client, set the pace.
#
# Writes bench/RESULTS_CLIENT.md. Environment: ROUNDS (1), DURATION (10),
# WARMUP (2), CONC (50), CLIENTS (all).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONC=${CONC:-50}
ADDR=127.0.0.1:18184
OUT="$BENCH_DIR/RESULTS_CLIENT.md"

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }
apt_get() {
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 "$@"
}
need=()
installed python3-tornado || need+=(python3-tornado)
installed python3-pycurl || need+=(python3-pycurl)
if ((${#need[@]} > 0)); then
	log "installing ${need[*]}"
	apt_get update -qq >/dev/null 2>&1 || true
	for p in "${need[@]}"; do
		apt_get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || log "could not install $p"
	done
fi
"$TORNADO_PY" -c 'import tornado' || { log "python3-tornado is required"; exit 1; }
ALL_CLIENTS="gornado gornado-co nethttp fasthttp tornado-simple"
if "$TORNADO_PY" -c 'import pycurl' 2>/dev/null; then
	ALL_CLIENTS="$ALL_CLIENTS tornado-curl"
else
	log "python3-pycurl is not available: tornado-curl is left out"
fi
CLIENTS=${CLIENTS:-$ALL_CLIENTS}

raise_nofile
BIN=$(mktemp -d /tmp/gornado-clientbench.XXXXXX)
trap cleanup EXIT
log "building into $BIN"
(cd "$BENCH_DIR" && mkdir -p "$BIN/clients" && go build -o "$BIN/clients/" ./client/gornado ./client/nethttp ./client/fasthttp &&
	go build -o "$BIN/server" ./servers/fasthttp)

client_cmd() { # NAME: sets CMD
	local common=(-url "http://$ADDR/" -c "$CONC" -d "${DURATION}s" -warmup "${WARMUP}s")
	local pycommon=(--url "http://$ADDR/" --c "$CONC" --d "$DURATION" --warmup "$WARMUP")
	case $1 in
	gornado) CMD=(env GOMAXPROCS=1 "$BIN/clients/gornado" "${common[@]}") ;;
	gornado-co) CMD=(env GOMAXPROCS=1 "$BIN/clients/gornado" -co "${common[@]}") ;;
	nethttp | fasthttp) CMD=(env GOMAXPROCS=1 "$BIN/clients/$1" "${common[@]}") ;;
	tornado-simple) CMD=("$TORNADO_PY" "$BENCH_DIR/client/tornado_client.py" --impl simple "${pycommon[@]}") ;;
	tornado-curl) CMD=("$TORNADO_PY" "$BENCH_DIR/client/tornado_client.py" --impl curl "${pycommon[@]}") ;;
	*) log "unknown client $1"; return 1 ;;
	esac
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

log "starting the server on CPU 0"
taskset -c 0 env GOMAXPROCS=1 "$BIN/server" -addr "$ADDR" >"$BIN/server.log" 2>&1 &
SERVER_PID=$!
wait_port 127.0.0.1 "${ADDR##*:}" || { log "server did not start"; cat "$BIN/server.log" >&2; exit 1; }

declare -A RPS CPU RSS ANON SRV ERRS
read -r -a order <<<"$CLIENTS"
for ((round = 1; round <= ROUNDS; round++)); do
	for ((i = 0; i < ${#order[@]}; i++)); do
		name=${order[$(((i + round - 1) % ${#order[@]}))]}
		client_cmd "$name"
		t0=$(cpu_ticks "$SERVER_PID")
		s0=$(date +%s.%N)
		line=$(taskset -c 1 "${CMD[@]}")
		t1=$(cpu_ticks "$SERVER_PID")
		s1=$(date +%s.%N)
		srv=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN{print b-a}')" 'BEGIN { printf "%.0f", 100 * d / hz / s }')
		log "  round $round $name: $line server_cpu=${srv}%"
		RPS[$name]="${RPS[$name]:-} $(field "$line" rps)"
		CPU[$name]="${CPU[$name]:-} $(field "$line" cpu_us_per_req)"
		RSS[$name]="${RSS[$name]:-} $(field "$line" rss_kb)"
		ANON[$name]="${ANON[$name]:-} $(field "$line" anon_kb)"
		SRV[$name]="${SRV[$name]:-} $srv"
		ERRS[$name]=$((${ERRS[$name]:-0} + $(field "$line" errors)))
	done
done
kill -INT "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
declare -A M_RPS M_CPU M_RSS M_ANON M_SRV
for name in $CLIENTS; do
	# shellcheck disable=SC2086
	{
		M_RPS[$name]=$(median ${RPS[$name]})
		M_CPU[$name]=$(median ${CPU[$name]})
		M_RSS[$name]=$(median ${RSS[$name]})
		M_ANON[$name]=$(median ${ANON[$name]})
		M_SRV[$name]=$(median ${SRV[$name]})
	}
done

declare -A LABEL=([gornado]="Gornado AsyncHTTPClient (callbacks)" [gornado-co]="Gornado AsyncHTTPClient (coroutines)"
	[nethttp]="net/http Client" [fasthttp]="fasthttp.Client" [tornado-simple]="Tornado AsyncHTTPClient (simple)"
	[tornado-curl]="Tornado AsyncHTTPClient (curl)")
{
	echo "# HTTP client benchmark"
	echo
	echo "Written by \`bash bench/client.sh\` (ROUNDS=$ROUNDS, DURATION=${DURATION}s, WARMUP=${WARMUP}s, CONC=$CONC) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Redo with the same command; see the script's header for what it measures."
	echo
	echo "$CONC concurrent fetch loops against one local keep-alive server (fasthttp's, pinned to CPU 0,"
	echo "GOMAXPROCS=1); each client pinned to CPU 1 (Go clients with GOMAXPROCS=1), run one at a time."
	echo "Figures are medians of $ROUNDS round(s). **The machine is shared with other engineers' builds"
	echo "and tests and was noisy during the run: read the ratios, not the absolute figures, and expect"
	echo "them to move between runs.**"
	echo
	echo "| client | req/s | CPU µs/req | RSS MiB | anon RSS MiB | server CPU | req/s vs net/http | RSS vs net/http | anon vs net/http | req/s vs Tornado simple | errors |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for name in $CLIENTS; do
		echo "| ${LABEL[$name]} | ${M_RPS[$name]} | ${M_CPU[$name]} | $(mb "${M_RSS[$name]}") | $(mb "${M_ANON[$name]}") | ${M_SRV[$name]}% |" \
			"$(ratio "${M_RPS[$name]}" "${M_RPS[nethttp]:-}") | $(ratio "${M_RSS[$name]}" "${M_RSS[nethttp]:-}") |" \
			"$(ratio "${M_ANON[$name]}" "${M_ANON[nethttp]:-}") | $(ratio "${M_RPS[$name]}" "${M_RPS[tornado-simple]:-}") | ${ERRS[$name]} |"
	done
	echo
	echo "Targets (issue 6): ≥ 1.2× net/http's requests/s at ≤ 0.5× its RSS, and ≥ 10× Tornado's requests/s."
	echo
	echo "Reading the figures: RSS includes the pages of the mapped binary (or of the Python interpreter"
	echo "and its modules); anon RSS is the process's own memory (heap, stacks, runtime). A Go process"
	echo "that makes any garbage lets its heap grow to the GC's minimum target (4 MiB) before collecting,"
	echo "so clients that allocate per request (Gornado's, net/http's) sit at several MiB of anonymous"
	echo "memory however few connections they hold, while fasthttp, which reuses every buffer, stays near"
	echo "its floor. CPU µs/req is the client's own CPU time per request: it does not depend on whether"
	echo "the server (server CPU near 100%) or the client set the pace. Tornado's simple client opens a"
	echo "connection per fetch (simple_httpclient has no keep-alive); its curl client reuses them."
	echo
	echo "Per-round figures:"
	echo
	for name in $CLIENTS; do
		echo "- ${LABEL[$name]}: req/s${RPS[$name]}; CPU µs/req${CPU[$name]}; RSS KiB${RSS[$name]}; anon KiB${ANON[$name]}; server CPU %${SRV[$name]}"
	done
	echo
	echo "Machine:"
	echo
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
	echo "- Kernel: $(uname -r); $(go version)"
	echo "- Tornado $("$TORNADO_PY" -c 'import tornado; print(tornado.version)') on $("$TORNADO_PY" --version 2>&1)$("$TORNADO_PY" -c 'import pycurl; print(", " + pycurl.version.split()[0])' 2>/dev/null || true)"
	echo "- fasthttp $(cd "$BENCH_DIR" && go list -m -f '{{.Version}}' github.com/valyala/fasthttp)"
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
