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

# BASELINE=<rev> (any git revision) adds the Gornado servers of that
# revision, built from a temporary worktree of it, as extra servers in the
# same run: gornado_base and gornado2_base here, gornado_web_base in
# web.sh, labelled "...@<rev>". BASE_TAG is the short revision.
BASELINE=${BASELINE:-}
BASE_TAG="" BASE_WT=""
if [ -n "$BASELINE" ]; then
	BASE_TAG=$(git -C "$BENCH_DIR" rev-parse --short "$BASELINE^{commit}") || {
		log "BASELINE=$BASELINE is not a revision of this repository"
		exit 2
	}
	ALL_SERVERS="gornado gornado_base gornado2 gornado2_base nethttp fasthttp nbhttp gnet tornado"
	PORT+=([gornado_base]=18088 [gornado2_base]=18089)
	LABEL+=([gornado_base]="gornado (1 loop) @$BASE_TAG" [gornado2_base]="gornado (2 loops) @$BASE_TAG")
fi

# build_baseline PKG...: with BASELINE set, checks the revision out into a
# temporary worktree (git worktree add --detach), builds its
# bench/servers/PKG into $BIN/base/, and removes the worktree again (cleanup
# removes it too if the build fails).
build_baseline() {
	[ -n "$BASELINE" ] || return 0
	local pkg pkgs=()
	BASE_WT=$(mktemp -d /tmp/gornado-baseline.XXXXXX)
	log "building $* of $BASE_TAG (worktree $BASE_WT) into $BIN/base"
	git -C "$BENCH_DIR" worktree add --quiet --detach "$BASE_WT" "$BASE_TAG" >&2
	for pkg in "$@"; do pkgs+=("./servers/$pkg"); done
	mkdir -p "$BIN/base"
	(cd "$BASE_WT/bench" && go build -o "$BIN/base/" "${pkgs[@]}")
	remove_baseline
}

remove_baseline() {
	if [ -n "$BASE_WT" ]; then
		git -C "$BENCH_DIR" worktree remove --force "$BASE_WT" 2>/dev/null || rm -rf "$BASE_WT"
		git -C "$BENCH_DIR" worktree prune 2>/dev/null || true
		BASE_WT=""
	fi
}

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
	build_baseline gornado
}

# server_cmd NAME ADDR prints nothing; it sets the array CMD to the command.
server_cmd() {
	local name=$1 addr=$2
	case $name in
	gornado) CMD=("$BIN/gornado" -addr "$addr" -loops 1 ${GORNADO_FLAGS:-}) ;;
	gornado2) CMD=("$BIN/gornado" -addr "$addr" -loops 2 ${GORNADO_FLAGS:-}) ;;
	gornado_base) CMD=("$BIN/base/gornado" -addr "$addr" -loops 1) ;;
	gornado2_base) CMD=("$BIN/base/gornado" -addr "$addr" -loops 2) ;;
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

# wait_other_wrk: the machine is shared; while a wrk not started by this
# script runs (none of ours is running when a server starts), wait for it,
# up to 10 minutes.
wait_other_wrk() {
	local i
	for i in $(seq 600); do
		pgrep -x wrk >/dev/null || return 0
		[ "$i" = 1 ] && log "another wrk is running ($(pgrep -ax wrk | head -1)); waiting for it"
		sleep 1
	done
	log "WARNING: another wrk still runs after 10 minutes; going on"
}

# start_server NAME [PREFIX...]: starts NAME on its port, behind the given
# command prefix (taskset, env), and sets SERVER_PID.
start_server() {
	local name=$1
	shift
	wait_other_wrk
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
# SIGKILL (reported, and STOP_KILLED=1; 0 when SIGINT stopped it).
STOP_KILLED=0
stop_server() {
	local pid=$SERVER_PID i
	STOP_KILLED=0
	kill -INT "$pid" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "WARNING: pid $pid did not stop on SIGINT within 10 s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
		STOP_KILLED=1
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
	remove_baseline
	[ -n "${BIN:-}" ] && rm -rf "$BIN"
}
