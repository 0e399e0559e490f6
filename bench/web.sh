#!/usr/bin/env bash
# The web framework benchmark: Gornado's web.Application against the same
# three endpoints in net/http (+ encoding/json, html/template) and in
# Tornado, with the bare Gornado HTTP server's plaintext beside them.
#
#   bash bench/web.sh                     # 3 rounds, ~6 min
#   ROUNDS=1 DURATION=2s bash bench/web.sh  # a smoke run, ~40 s
#
# Servers (bench/servers/):
#   gornado_web  web.Application, a RequestHandler per route, access log off
#   nethttp_web  net/http ServeMux, encoding/json, html/template
#   tornado_web  tornado.web.Application (Debian's python3-tornado), logging off
#   gornado      the bare httpserver HandlerFunc of http.sh (GET / only):
#                the framework's target is >= 0.85x its plaintext rate
# Endpoints: /plaintext ("Hello, world!", text/plain), /json
# ({"message":"Hello, world!"} from a map), /template (a title and a loop
# over 10 items, 288 bytes of HTML, the same page byte for byte).
#
# For each server in turn: start it pinned to CPU 0 (taskset; Go servers
# GOMAXPROCS=1), then for each endpoint warm up (wrk -c50 for WARMUP) and
# measure with wrk -t1 -c50 -d$DURATION on CPU 1; stop it (SIGINT) and
# check that it stopped. Servers are interleaved in one run, the order
# rotating each round; the tables show the median of the rounds and the
# per-round figures follow. The markdown report goes to stdout, progress
# to stderr.
#
# Environment: ROUNDS (3), SERVERS ("gornado_web nethttp_web tornado_web
# gornado"), ENDPOINTS ("plaintext json template"), DURATION (10s),
# WARMUP (2s), CONNS (50), BASELINE (a git revision: its gornado_web and
# bare gornado run too, labelled "@<rev>", for a before/after in one run;
# see lib/common.sh).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

ROUNDS=${ROUNDS:-3}
WEB_SERVERS="gornado_web nethttp_web tornado_web gornado"
if [ -n "$BASELINE" ]; then
	WEB_SERVERS="gornado_web gornado_web_base nethttp_web tornado_web gornado gornado_base"
fi
SERVERS=${SERVERS:-$WEB_SERVERS}
ENDPOINTS=${ENDPOINTS:-plaintext json template}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-50}

PORT+=([gornado_web]=18091 [nethttp_web]=18093 [tornado_web]=18097 [gornado_web_base]=18092)
LABEL+=([gornado_web]="gornado web" [nethttp_web]="net/http (+json, html/template)" [tornado_web]="tornado web" [gornado]="gornado bare httpserver"
	[gornado_web_base]="gornado web @$BASE_TAG" [gornado_base]="gornado bare httpserver @$BASE_TAG")

# The web servers join common.sh's; the rest is as http.sh starts them.
eval "common_$(declare -f server_cmd)"
server_cmd() {
	case $1 in
	gornado_web | nethttp_web) CMD=("$BIN/$1" -addr "$2") ;;
	gornado_web_base) CMD=("$BIN/base/gornado_web" -addr "$2") ;;
	tornado_web) CMD=("$TORNADO_PY" "$BENCH_DIR/servers/tornado_web.py" --addr "$2") ;;
	*) common_server_cmd "$@" ;;
	esac
}

# url NAME ENDPOINT: the bare server answers every path alike; it is
# measured on /plaintext only.
url() { echo "http://127.0.0.1:${PORT[$1]}/$2"; }
serves() { [ "${1%_base}" != gornado ] || [ "$2" = plaintext ]; }

ensure_tools
raise_nofile
BIN=$(mktemp -d /tmp/gornado-bench.XXXXXX)
trap cleanup EXIT
log "building servers into $BIN"
(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/gornado ./servers/gornado_web ./servers/nethttp_web)
build_baseline gornado gornado_web

# wrk_run CONNS DURATION URL: prints "req/s errors requests" (errors:
# wrk's socket errors plus non-2xx responses).
wrk_run() {
	local out
	out=$(taskset -c 1 wrk -t1 -c"$1" -d"$2" "$3" 2>&1) || true
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

declare -A RPS ERRS CPU

# check NAME ENDPOINT: one request, to see the endpoint answers 200 with a
# body before measuring it.
check() {
	local got
	got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$(url "$1" "$2")") || got="curl failed"
	if [ "${got%% *}" != 200 ] || [ "${got#* }" = 0 ]; then
		log "  $1 /$2 answered: $got"
		return 1
	fi
}

run_one() { # NAME
	local name=$1 ep u rps errs reqs t0 t1 us
	start_server "$name" env GOMAXPROCS=1 taskset -c 0 || return 0
	for ep in $ENDPOINTS; do
		serves "$name" "$ep" || continue
		check "$name" "$ep" || continue
		u=$(url "$name" "$ep")
		wrk_run "$CONNS" "$WARMUP" "$u" >/dev/null
		t0=$(cpu_ticks "$SERVER_PID")
		read -r rps errs reqs < <(wrk_run "$CONNS" "$DURATION" "$u")
		t1=$(cpu_ticks "$SERVER_PID")
		us=$(awk -v d=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n }')
		RPS[$name,$ep]="${RPS[$name,$ep]:-} $rps"
		CPU[$name,$ep]="${CPU[$name,$ep]:-} $us"
		ERRS[$name,$ep]=$((${ERRS[$name,$ep]:-0} + errs))
		log "  $name /$ep: $rps req/s, $errs errors, server CPU $us µs/request"
	done
	stop_server
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
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
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The report.
med() { median ${RPS[$1]:-}; }
int() { [ -n "$1" ] && printf '%.0f' "$1" || echo "—"; }
commit=$(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""
[ -n "$(git -C "$BENCH_DIR/.." status --porcelain -- . 2>/dev/null)" ] && dirty=" (with uncommitted changes in the tree)"
echo "## Web framework throughput ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- Command: \`${BASELINE:+BASELINE=$BASELINE }ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP bash bench/web.sh\`; commit \`$commit\`$dirty"
machine_info
echo "- Load average before/after: $LOAD_BEFORE / $LOAD_AFTER; the run took $(($(date +%s) - START)) s"
echo "- Pinned: each server on CPU 0 (taskset, Go servers GOMAXPROCS=1), wrk -t1 -c$CONNS -d$DURATION on CPU 1, after a $WARMUP warm-up per endpoint"
echo
echo "### Requests/s (median of $ROUNDS round(s)) and server CPU µs/request"
echo
printf '| server |'
for ep in $ENDPOINTS; do printf ' /%s req/s | µs/req |' "$ep"; done
echo
printf '|---|'
for ep in $ENDPOINTS; do printf -- '---:|---:|'; done
echo
for name in $WEB_SERVERS; do
	printf '| %s |' "${LABEL[$name]}"
	for ep in $ENDPOINTS; do
		e=""
		[ "${ERRS[$name,$ep]:-0}" -gt 0 ] && e=" (${ERRS[$name,$ep]} errors)"
		printf ' %s%s | %s |' "$(int "$(med "$name,$ep")")" "$e" "$(median ${CPU[$name,$ep]:-})"
	done
	echo
done
echo
echo "### Ratios (gornado web / peer; > 1: Gornado is faster)"
echo
printf '| gornado web vs |'
for ep in $ENDPOINTS; do printf ' /%s |' "$ep"; done
echo
printf '|---|'
for ep in $ENDPOINTS; do printf -- '---:|'; done
echo
peers="nethttp_web tornado_web"
[ -n "$BASELINE" ] && peers="gornado_web_base $peers"
for peer in $peers; do
	printf '| %s |' "${LABEL[$peer]}"
	for ep in $ENDPOINTS; do printf ' %s |' "$(ratio "$(med "gornado_web,$ep")" "$(med "$peer,$ep")")"; done
	echo
done
echo
g=$(med "gornado_web,plaintext") b=$(med "gornado,plaintext")
verdict="—"
if [ -n "$g" ] && [ -n "$b" ]; then
	verdict=$(awk -v a="$g" -v b="$b" 'BEGIN { r = a / b; printf "%.2f (%s)", r, (r >= 0.85 ? "met" : "missed") }')
fi
echo "Framework overhead: gornado web /plaintext ÷ bare gornado plaintext = **$verdict**, target ≥ 0.85."
if [ -n "$BASELINE" ]; then
	g=$(med "gornado_web_base,plaintext") b=$(med "gornado_base,plaintext")
	verdict="—"
	if [ -n "$g" ] && [ -n "$b" ]; then
		verdict=$(awk -v a="$g" -v b="$b" 'BEGIN { r = a / b; printf "%.2f (%s)", r, (r >= 0.85 ? "met" : "missed") }')
	fi
	echo
	echo "The same at $BASE_TAG (before): gornado web @$BASE_TAG /plaintext ÷ bare gornado @$BASE_TAG = **$verdict**. After ÷ before, bare server /plaintext: $(ratio "$(med "gornado,plaintext")" "$b")."
fi
if [ "$ROUNDS" -gt 1 ]; then
	echo
	echo "The same ratio per round: $(for r in $(seq "$ROUNDS"); do
		awk -v a="$(awk -v r="$r" '{print $r}' <<<"${RPS[gornado_web,plaintext]:-}")" -v b="$(awk -v r="$r" '{print $r}' <<<"${RPS[gornado,plaintext]:-}")" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f ", a / b }'
	done)"
fi
echo
echo "Per round (req/s, in round order):"
echo
for name in $WEB_SERVERS; do
	for ep in $ENDPOINTS; do
		[ -n "${RPS[$name,$ep]:-}" ] && echo "- ${LABEL[$name]} /$ep:$(printf ' %.0f' ${RPS[$name,$ep]})"
	done
done
exit 0
