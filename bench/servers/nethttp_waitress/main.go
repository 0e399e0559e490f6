// Command nethttp_waitress serves one ordinary http.Handler either with
// net/http's http.Server (-serve nethttp) or with Gornado's Waitress mode,
// nethttp.Serve (-serve gornado, -threads workers), for bench/nethttp.sh:
// the same handler code on both servers.
//
//	nethttp_waitress -serve gornado -threads 4 -addr 127.0.0.1:18101
//
// Routes: / says "Hello, world!"; /sleep sleeps 10 ms (a database call);
// /bytes sends 1 MiB (32 KiB writes, Content-Length set); /debug answers
// runtime.NumGoroutine(), for the slow-reader test.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
	"github.com/gornado/gornado/web/nethttp"
)

// BytesSize is the size of /bytes's response.
const BytesSize = 1 << 20

func app() http.Handler {
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(benchutil.Body))
	})
	mux.HandleFunc("/sleep", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(benchutil.Body))
	})
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(BytesSize))
		for n := BytesSize; n > 0; n -= len(chunk) {
			if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/debug", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "goroutines %d\n", runtime.NumGoroutine())
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18101", "address to listen on")
	serve := flag.String("serve", "gornado", "gornado (nethttp.Serve) or nethttp (http.Server)")
	threads := flag.Int("threads", 4, "gornado: workers (Waitress's threads)")
	outbuf := flag.Int64("outbuf", 0, "gornado: OutbufOverflow in bytes (0: Waitress's 1 MiB)")
	conns := flag.Int("conns", 10000, "gornado: ConnectionLimit (Waitress's connection_limit; its default 100 would cap c1000)")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	ctx, stop := benchutil.SignalContext()
	defer stop()
	h := app()
	switch *serve {
	case "gornado":
		err := nethttp.Serve(ctx, *addr, h, nethttp.Config{
			Threads:         *threads,
			ConnectionLimit: *conns,
			OutbufOverflow:  *outbuf,
			Ready: func(a []net.Addr) {
				benchutil.Ready(fmt.Sprintf("gornado Waitress mode (%d threads)", *threads), a[0].String())
			},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "nethttp_waitress:", err)
			os.Exit(1)
		}
	case "nethttp":
		if err := benchutil.ServeNetHTTP(ctx, "net/http", *addr, h); err != nil {
			fmt.Fprintln(os.Stderr, "nethttp_waitress:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "nethttp_waitress: -serve must be gornado or nethttp")
		os.Exit(2)
	}
}
