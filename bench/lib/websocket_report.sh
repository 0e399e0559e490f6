# The report of websocket.sh: source it after the run; it reads the run's
# arrays (RATE, CPU, CLI, FAILS, KILLED, BEFORE, AFTER, ALIVE), settings,
# COMMIT and DIRTY.

# The line that ends the generated part of the results file: what follows
# it (notes, profiles, A/B runs written by hand) is kept by write_results.
RESULTS_MARKER="<!-- Written by bench/websocket.sh down to here; what follows this line is kept when it runs again. -->"

size_label() { awk -v s="$1" 'BEGIN { if (s >= 1024 && s % 1024 == 0) printf "%d KiB", s / 1024; else printf "%d B", s }'; }

# at_least RATIO MIN: "met" or "MISSED" (RATIO like "1.23×", or "—").
at_least() { awk -v r="${1%×}" -v m="$2" 'BEGIN { print (r != "—" && r + 0 >= m ? "met" : "MISSED") }'; }

# throughput_target PEER MIN [OURS]: a row of the targets table, met when
# Gornado's (or OURS', a variant) median msg/s is at least MIN times
# PEER's at every size.
throughput_target() {
	local peer=$1 min=$2 ours=${3:-gornado} size r g p all=met parts=() cpus=() who=""
	[ "$ours" = gornado ] || who=", ${LABEL[$ours]}"
	for size in $SIZES; do
		r=$(ratio "$(median ${RATE[$ours,$size]:-})" "$(median ${RATE[$peer,$size]:-})")
		g=$(median ${CPU[$ours,$size]:-}) p=$(median ${CPU[$peer,$size]:-})
		parts+=("$(size_label "$size") $r")
		cpus+=("$(size_label "$size") ${g:-—} vs ${p:-—}")
		[ "$(at_least "$r" "$min")" = met ] || all=MISSED
	done
	[ "$r" != — ] || all="not run"
	echo "| echo ≥ ${min}× ${LABEL[$peer]}$who | $(printf '%s, ' "${parts[@]}" | sed 's/, $//') | $(printf '%s, ' "${cpus[@]}" | sed 's/, $//') | **$all** |"
}

# saturated: the runs where wsload's median CPU use was 90% or more.
saturated() {
	local name size c out=()
	for name in $ALL_SERVERS; do
		for size in $SIZES; do
			c=$(median ${CLI[$name,$size]:-})
			[ -n "$c" ] && awk -v c="$c" 'BEGIN { exit !(c >= 90) }' && out+=("${LABEL[$name]} at $(size_label "$size") (${c}%)")
		done
	done
	[ ${#out[@]} -eq 0 ] || printf '%s, ' "${out[@]}" | sed 's/, $//'
}

per_conn() { awk -v a="$1" -v b="$2" -v n="$IDLE_N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }'; }

report() {
	local size name row sep r g b
	echo "## WebSocket echo and idle connections ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	echo "- Command: \`${BASELINE:+BASELINE=$BASELINE }ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS SIZES=\"$SIZES\" IDLE_N=$IDLE_N bash bench/websocket.sh\`; commit \`$COMMIT\`$DIRTY"
	machine_info
	echo "- Load at the start (uptime): \`${UPTIME_BEFORE# }\`; at the end: \`${UPTIME_AFTER# }\`; the run took $TOOK s"
	echo
	echo "### Targets"
	echo
	echo "| target | gornado / peer, median msg/s | server CPU µs/msg, gornado vs peer | met? |"
	echo "|---|---|---|---|"
	throughput_target gorilla 1.2
	throughput_target gws 1.0
	[ -z "${RATE[gornado_lent,${SIZES%% *}]:-}" ] || throughput_target gws 1.0 gornado_lent
	throughput_target tornado 10
	if [ -n "${AFTER[gornado]:-}" ]; then
		b=$(per_conn "${BEFORE[gornado]}" "${AFTER[gornado]}")
		echo "| ≤ 1 KiB per idle uncompressed connection | $b B | | **$(awk -v b="$b" 'BEGIN { print (b <= 1024 ? "met" : "MISSED") }')** |"
	fi
	r=$(saturated)
	if [ -n "$r" ]; then
		echo
		echo "wsload used 90% or more of its core against: $r. There the load generator was about as much a limit as the server, and msg/s understates the faster server's lead; the server CPU column does not."
	fi
	echo
	echo "### Echo throughput, pinned: server on CPU 0 (Go servers GOMAXPROCS=1), wsload on CPU 1"
	echo
	echo "$CONNS connections, each sending a binary message and waiting for its echo before the next, every echo checked; $WARMUP warm-up, then $DURATION measured, for each size. Median of $ROUNDS round(s). Ratio > 1: Gornado is faster. Server CPU: the server's user+system time (all threads) over the measured span, per message echoed (the kernel's loopback work is split between server and wsload, so it is a rough efficiency figure, steadier than msg/s when the machine is shared). wsload CPU: the load generator's own CPU use; near 100% it, not the server, would be the limit."
	echo
	row="| server |" sep="|---|"
	for size in $SIZES; do row="$row msg/s $(size_label "$size") |" sep="$sep---:|"; done
	for size in $SIZES; do row="$row gornado / peer, $(size_label "$size") |" sep="$sep---:|"; done
	for size in $SIZES; do row="$row server CPU µs/msg, $(size_label "$size") |" sep="$sep---:|"; done
	for size in $SIZES; do row="$row wsload CPU, $(size_label "$size") |" sep="$sep---:|"; done
	echo "$row"
	echo "$sep"
	for name in $ALL_SERVERS; do
		row="| ${LABEL[$name]} |"
		r=""
		for size in $SIZES; do r="$r${RATE[$name,$size]:-}"; done
		[ -n "$r" ] || continue
		for size in $SIZES; do r=$(median ${RATE[$name,$size]:-}) && row="$row ${r%.*} |"; done
		for size in $SIZES; do
			row="$row $(ratio "$(median ${RATE[gornado,$size]:-})" "$(median ${RATE[$name,$size]:-})") |"
		done
		for size in $SIZES; do row="$row $(median ${CPU[$name,$size]:-}) |"; done
		for size in $SIZES; do row="$row $(median ${CLI[$name,$size]:-})% |"; done
		echo "$row"
	done
	echo
	echo "Per round (msg/s; server CPU µs/msg), in round order:"
	echo
	for name in $ALL_SERVERS; do
		for size in $SIZES; do
			[ -n "${RATE[$name,$size]:-}" ] &&
				echo "- ${LABEL[$name]}, $(size_label "$size"):$(printf ' %.0f' ${RATE[$name,$size]}); ${CPU[$name,$size]# }"
		done
	done
	if [ "$IDLE_N" -gt 0 ]; then
		echo
		echo "### Idle connections: $IDLE_N, handshake done, then silent"
		echo
		echo "Nothing pinned, every server with its defaults. RSS (VmRSS) after a warm-up (200 connections echo for 1 s, then close) and with $IDLE_N idle connections open, each read $SETTLE s after the last connection and 1 s after a garbage collection (SIGUSR2: debug.FreeOSMemory in the Go servers, gc.collect() in Tornado)."
		echo
		echo "| server | RSS before (KiB) | RSS with $IDLE_N idle (KiB) | bytes / connection | peer / gornado | still open |"
		echo "|---|---:|---:|---:|---:|---:|"
		g=""
		[ -n "${AFTER[gornado]:-}" ] && g=$(per_conn "${BEFORE[gornado]}" "${AFTER[gornado]}")
		for name in $ALL_SERVERS; do
			[ -n "${AFTER[$name]:-}" ] || continue
			b=$(per_conn "${BEFORE[$name]}" "${AFTER[$name]}")
			echo "| ${LABEL[$name]} | ${BEFORE[$name]} | ${AFTER[$name]} | $b | $(ratio "$b" "$g") | ${ALIVE[$name]:-?} |"
		done
	fi
	echo
	echo "### Failures"
	echo
	local any=""
	for name in $ALL_SERVERS; do
		if [ "${FAILS[$name]:-0}" -gt 0 ]; then
			echo "- ${LABEL[$name]}: ${FAILS[$name]} failed start(s) or load run(s) (see the script's log)"
			any=1
		fi
		if [ "${KILLED[$name]:-0}" -gt 0 ]; then
			echo "- ${LABEL[$name]}: did not stop on SIGINT within 10 s ${KILLED[$name]} time(s); killed"
			any=1
		fi
	done
	[ -n "$any" ] || echo "None: every load run completed with every echo correct, and every server stopped on SIGINT."
}

# write_results FILE: the report, under a title, replacing the generated
# part of FILE and keeping what follows RESULTS_MARKER.
write_results() {
	local file=$1 tail=""
	if [ -f "$file" ] && grep -qF "$RESULTS_MARKER" "$file"; then
		tail=$(sed "1,/^$(printf '%s' "$RESULTS_MARKER" | sed 's/[][\/.*^$]/\\&/g')\$/d" "$file")
	fi
	{
		echo "# Gornado WebSocket benchmarks, side by side"
		echo
		echo "Echo throughput and memory per idle connection of Gornado's \`websocket\` package against gorilla/websocket, coder/websocket, lxzan/gws, nbio's websocket and Tornado, from one run of \`bench/websocket.sh\` (the servers are in \`servers/ws_*\` and \`servers/tornado_ws.py\`, the load generator in \`wsload/\`). The machine is shared with other engineers' test runs: read the ratios and the CPU columns rather than the absolute figures."
		echo
		report
		echo
		echo "$RESULTS_MARKER"
		[ -z "$tail" ] || printf '%s\n' "$tail"
	} >"$file.tmp"
	mv "$file.tmp" "$file"
	cat "$file"
}
