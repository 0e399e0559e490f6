#!/usr/bin/env bash
# Micro-benchmarks of Gornado's loop, coroutines and futures next to
# Tornado's equivalents. Runs the Go benchmarks of ./ioloop ./gen ./future
# (COUNT runs each, median) and bench/tornado_micro.py (Debian's
# python3-tornado, median of its own runs), then prints a markdown table.
#
#   bash bench/micro.sh                 # the full run (about 10 minutes)
#   COUNT=1 BENCHTIME=200ms TORNADO_MICRO_SCALE=0.1 bash bench/micro.sh  # quick look
#
# Environment: COUNT (5), BENCHTIME (1s), BENCH (Go -bench regexp, "."),
# TORNADO_MICRO_REPEAT (5), TORNADO_MICRO_SCALE (1.0), MICRO_OUT (a
# directory to keep the raw outputs in; a temporary one otherwise).
# Raw benchmark output goes to stderr, the table to stdout.
set -euo pipefail

cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
BENCH=${BENCH:-.}
PY=/usr/bin/python3 # Debian's python3 with python3-tornado, not a pyenv one

if ! { [ -x "$PY" ] && "$PY" -c 'import tornado' 2>/dev/null; }; then
	echo "micro.sh: installing python3-tornado" >&2
	SUDO=
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-tornado >&2
fi

if [ -n "${MICRO_OUT:-}" ]; then
	out=$MICRO_OUT
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

echo "micro.sh: go test -run '^\$' -bench '$BENCH' -benchmem -count $COUNT -benchtime $BENCHTIME ./ioloop ./gen ./future" >&2
go test -run '^$' -bench "$BENCH" -benchmem -count "$COUNT" -benchtime "$BENCHTIME" \
	./ioloop ./gen ./future | tee "$out/go.txt" >&2

echo "micro.sh: $PY bench/tornado_micro.py" >&2
"$PY" bench/tornado_micro.py | tee "$out/tornado.txt" >&2

# Medians of the Go runs: name ns/op allocs/op switches/op ("-" if none).
awk '
function median(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	if (n == 0) return "-"
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	if (n % 2) return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}
/^Benchmark/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++count] = name }
	for (i = 3; i <= NF; i++) {
		if ($i == "ns/op") ns[name] = ns[name] " " $(i - 1)
		if ($i == "allocs/op") al[name] = al[name] " " $(i - 1)
		if ($i == "switches/op") sw[name] = sw[name] " " $(i - 1)
	}
}
END {
	for (k = 1; k <= count; k++) {
		n = order[k]
		print n, median(ns[n]), median(al[n]), median(sw[n])
	}
}' "$out/go.txt" >"$out/go.median"

# The table. Each row: operation | Go benchmark | Tornado benchmark |
# ns/op bound | allocs/op bound | switches/op bound | target text
# (a bound "-" means none). Rows with a Tornado number also want
# Tornado/Gornado >= 20.
rows='AddCallback + run, 1024 per iteration|AddCallback|AddCallback|100|0|-|≤ 100 ns, 0 allocs
AddCallback + run, 1 per iteration (poll syscall included)|AddCallbackChain|AddCallbackChain|-|0|-|-
AddCallback from another goroutine (thread)|AddCallbackFromGoroutine|AddCallbackFromGoroutine|-|-|-|-
timer schedule + fire/cancel, rounds of 1M, half cancelled|Timer|Timer|300|-|-|≤ 300 ns amortized
timer schedule + fire/cancel, rounds of 1024, half cancelled|TimerSmallHeap|TimerSmallHeap|-|-|-|-
Await of a done future|AwaitDone|AwaitDone|50|-|0|≤ 50 ns, no switch
gen.Go, never suspends (Tornado: ensure_future)|GoNoSuspend|GoNoSuspend|-|-|0|no switch
gen.Go, never suspends (Tornado: spawn_callback)|GoNoSuspend|GoNoSuspendSpawnCallback|-|-|0|no switch
gen.Go, suspends once (Moment; Tornado: sleep(0))|GoSuspendOnce|GoSuspendOnce|-|-|-|-
Await that suspends, resumed by a callback|AwaitSuspend|AwaitSuspend|1000|-|-|≤ 1 µs round trip
ping-pong between two coroutines, per round trip|AwaitPingPong|AwaitPingPong|-|-|-|-
bare Suspend/Resume handoff (ioloop)|SuspendResume|-|-|-|-|-
RunInExecutor submit → result, sequential|RunInExecutor|RunInExecutor|-|-|-|measured
RunInExecutor submit → result, 64 in flight|RunInExecutor64|RunInExecutor64|-|-|-|measured
Await of RunInExecutor, sequential|AwaitExecutor|AwaitExecutor|-|-|-|-
future New + SetResult + Result|FutureSetResult|-|-|-|-|-
future New + OnDone + SetResult + callback run|FutureOnDone|-|-|-|-|-
future New + AddDoneCallback + SetResult + callback run|FutureAddDoneCallback|-|-|-|-|-
future completed on another goroutine, callback back|FutureSetResultFromGoroutine|-|-|-|-|-'

printf '%s\n' "$rows" | awk -F'|' -v gofile="$out/go.median" -v pyfile="$out/tornado.txt" '
function fmt(x) {
	if (x == "-" || x == "") return "-"
	if (x + 0 >= 100) return sprintf("%.0f", x)
	if (x + 0 >= 10) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
BEGIN {
	while ((getline line < gofile) > 0) {
		split(line, f, " ")
		gns[f[1]] = f[2]; gal[f[1]] = f[3]; gsw[f[1]] = f[4]
	}
	while ((getline line < pyfile) > 0) {
		if (line ~ /^#/) continue
		split(line, f, " ")
		pns[f[1]] = f[2]
	}
	print "| operation | Gornado ns/op | allocs/op | Tornado ns/op | ratio (Tornado/Gornado) | target |"
	print "|---|---:|---:|---:|---:|---|"
}
{
	op = $1; g = $2; p = $3; nsmax = $4; almax = $5; swmax = $6; target = $7
	ns = (g in gns) ? gns[g] : "-"
	al = (g in gal) ? gal[g] : "-"
	sw = (g in gsw) ? gsw[g] : "-"
	py = (p != "-" && (p in pns)) ? pns[p] : "-"
	ratio = (py != "-" && ns != "-" && ns + 0 > 0) ? sprintf("%.1f×", py / ns) : "-"
	miss = ""
	if (ns == "-") miss = miss ", not run"
	if (nsmax != "-" && ns != "-" && ns + 0 > nsmax + 0) miss = miss ", " fmt(ns) " ns > " nsmax
	if (almax != "-" && al != "-" && al + 0 > almax + 0) miss = miss ", " al " allocs"
	if (swmax != "-" && sw != "-" && sw + 0 > swmax + 0) miss = miss ", " sw " switches/op"
	if (py != "-" && ns != "-" && py / ns < 20) miss = miss ", < 20× Tornado"
	verdict = ""
	if (target != "-" || py != "-") {
		if (miss == "") verdict = "met"
		else verdict = "**missed**: " substr(miss, 3)
	}
	if (sw != "-") target = target " (" sw " switches/op)"
	if (target == "-") target = ""
	cell = target
	if (verdict != "") cell = (cell == "" ? "" : cell "; ") (target == "" ? "≥ 20× Tornado: " : "") verdict
	printf "| %s | %s | %s | %s | %s | %s |\n", op, fmt(ns), al, fmt(py), ratio, cell
}'
