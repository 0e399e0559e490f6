// Command wsload drives a WebSocket echo server the way wrk drives an
// HTTP server: -c connections, each sending one binary message of -size
// bytes and waiting for its echo before the next (closed loop), for -d
// after a -warmup, on one thread with epoll. It prints the messages per
// second and, given the server's -pid, the server's CPU time per message
// (utime+stime from /proc/PID/stat, all threads, over the measured span).
//
//	wsload -addr 127.0.0.1:18181 -c 1000 -size 64 -d 10s -pid 1234
//
// Every echo is checked: a single data message, binary, of the size sent,
// whose bytes are the ones sent (each connection's payload differs, and
// its first 8 bytes carry the message's sequence number); the first
// mismatch ends the run with an error. Frames are built once per
// connection, masked with the connection's key; only the sequence number
// is masked again per message, so the generator spends its time in
// system calls, not in Go.
//
// With -idle it opens -c connections, completes each handshake and sends
// nothing: it prints "READY <n>" and holds them until SIGTERM or SIGINT,
// then prints "ALIVE <n>", the connections the server still kept open
// (for a script that reads the server's memory per idle connection).
//
// Connections come from 127.0.0.1 ... 127.0.0.<src> in turn, so tens of
// thousands of them never run out of ephemeral ports.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18181", "server address")
	path := flag.String("path", "/", "request path of the handshake")
	n := flag.Int("c", 1000, "connections")
	size := flag.Int("size", 64, "message payload bytes")
	dur := flag.Duration("d", 10*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "warm-up before the measurement")
	pid := flag.Int("pid", 0, "server process: report its CPU time per message")
	src := flag.Int("src", 10, "source addresses 127.0.0.1 ... 127.0.0.<src>")
	dialers := flag.Int("dialers", 32, "handshakes done concurrently")
	idle := flag.Bool("idle", false, "open the connections and hold them idle until SIGTERM or SIGINT")
	flag.Parse()
	if *size < 8 || *n < 1 || *src < 1 || *src > 254 {
		fail(fmt.Errorf("need -size >= 8, -c >= 1, 1 <= -src <= 254"))
	}
	benchutil.RaiseNofile(uint64(*n) + 1024)

	start := time.Now()
	fds, err := dialAll(*addr, *path, *n, *src, *dialers)
	if err != nil {
		fail(err)
	}
	defer closeAll(fds)
	fmt.Printf("READY %d connections in %v\n", len(fds), time.Since(start).Round(time.Millisecond))
	if *idle {
		// SIGTERM or SIGINT ends the hold; before it, stops the program.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		fmt.Printf("ALIVE %d\n", countAlive(fds))
		return
	}
	r, err := runEcho(fds, *size, *warmup, *dur, *pid)
	if err != nil {
		fail(err)
	}
	secs := r.span.Seconds()
	fmt.Printf("RESULT msgs=%d secs=%.3f rate=%.0f server_us_per_msg=%s client_cpu=%.0f%%\n",
		r.msgs, secs, float64(r.msgs)/secs, r.serverUs(), 100*r.clientCPU.Seconds()/secs)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wsload:", err)
	os.Exit(1)
}
