# Shared by http.sh and idle.sh: building the servers, installing the
# tools, starting and stopping one server. Source it; it expects BENCH_DIR.

# log prints to stderr, so stdout stays the report.
log() { printf '%s\n' "$*" >&2; }

# The servers, in the order they run. gornado2 is Gornado with 2 loops.
ALL_SERVERS="gornado gornado2 nethttp fasthttp nbhttp gnet tornado"

declare -A PORT=([gornado]=18081 [gornado2]=18082 [nethttp]=18083 [fasthttp]=18084
	[nbhttp]=18085 [gnet]=18086 [tornado]=18087)
declare -A LABEL=([gornado]="gornado (1 loop)" [gornado2]="gornado (2 loops)" [nethttp]="net/http"
	[fasthttp]="fasthttp" [nbhttp]="nbhttp" [gnet]="gnet (raw)" [tornado]="tornado")

TORNADO_PY=/usr/bin/python3

ensure_tools() {
	local updated=0
	apt_install() {
		if [ "$updated" = 0 ] && ! apt-get install -y "$@" >/dev/null 2>&1; then
			apt-get update >/dev/null 2>&1 || true
			updated=1
			apt-get install -y "$@" >/dev/null
		elif [ "$updated" = 1 ]; then
			apt-get install -y "$@" >/dev/null
		fi
	}
	if ! command -v wrk >/dev/null; then
		log "installing wrk"
		apt_install wrk
	fi
	if ! "$TORNADO_PY" -c 'import tornado' 2>/dev/null; then
		log "installing python3-tornado"
		apt_install python3-tornado
	fi
}

raise_nofile() {
	ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
}

# build_servers builds every Go server and the idle client into $BIN.
build_servers() {
	BIN=$(mktemp -d /tmp/gornado-bench.XXXXXX)
	log "building servers into $BIN"
	(cd "$BENCH_DIR" && go build -o "$BIN/" ./servers/gornado ./servers/nethttp ./servers/fasthttp \
		./servers/nbhttp ./servers/gnet ./idle)
}

# server_cmd NAME ADDR prints nothing; it sets the array CMD to the command.
server_cmd() {
	local name=$1 addr=$2
	case $name in
	gornado) CMD=("$BIN/gornado" -addr "$addr" -loops 1 ${GORNADO_FLAGS:-}) ;;
	gornado2) CMD=("$BIN/gornado" -addr "$addr" -loops 2 ${GORNADO_FLAGS:-}) ;;
	nethttp | fasthttp | nbhttp | gnet) CMD=("$BIN/$name" -addr "$addr") ;;
	tornado) CMD=("$TORNADO_PY" "$BENCH_DIR/servers/tornado_hello.py" --addr "$addr") ;;
	*)
		log "unknown server $name"
		return 1
		;;
	esac
}

# wait_port HOST PORT waits up to 10 s for the port to accept.
wait_port() {
	local i
	for i in $(seq 100); do
		if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# start_server NAME [PREFIX...]: starts NAME on its port, behind the given
# command prefix (taskset, env), and sets SERVER_PID.
start_server() {
	local name=$1
	shift
	local addr="127.0.0.1:${PORT[$name]}"
	server_cmd "$name" "$addr"
	"$@" "${CMD[@]}" >"$BIN/$name.log" 2>&1 &
	SERVER_PID=$!
	if ! wait_port 127.0.0.1 "${PORT[$name]}"; then
		log "$name did not start; its log:"
		cat "$BIN/$name.log" >&2
		kill -KILL "$SERVER_PID" 2>/dev/null || true
		return 1
	fi
}

# stop_server: SIGINT, then up to 10 s for the process to exit, then
# SIGKILL (reported).
stop_server() {
	local pid=$SERVER_PID i
	kill -INT "$pid" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "WARNING: pid $pid did not stop on SIGINT within 10 s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	SERVER_PID=""
}

# median of the arguments (numbers).
median() {
	printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) {print ""} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}}'
}

# ratio A B: A/B with two decimals, or "—".
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b+0 == 0) print "—"; else printf "%.2f×\n", a/b }'
}

machine_info() {
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores (shared by server and load generator)"
	echo "- Kernel: $(uname -r); memory $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "- $(go version)"
	echo "- Tornado $("$TORNADO_PY" -c 'import tornado; print(tornado.version)') on $("$TORNADO_PY" --version 2>&1)"
	echo "- Peers: $(cd "$BENCH_DIR" && go list -m -f '{{.Path}} {{.Version}}' github.com/valyala/fasthttp github.com/lesismal/nbio github.com/panjf2000/gnet/v2 | tr '\n' ';' | sed 's/;$//; s/;/, /g')"
	echo "- wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
}

# cleanup, run on exit: stops a server or client left running by an error,
# and removes the binaries.
SERVER_PID="" CLIENT_PID=""
cleanup() {
	local pid
	for pid in $CLIENT_PID $SERVER_PID; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	[ -n "${BIN:-}" ] && rm -rf "$BIN"
}
