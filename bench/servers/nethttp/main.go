// Command nethttp is the net/http benchmark server.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8083", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	srv := &http.Server{
		Addr: *addr,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(benchutil.Body)) // net/http adds Content-Length for a small body
		}),
	}
	ctx, stop := benchutil.SignalContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	benchutil.Ready("net/http", *addr)
	select {
	case err := <-errc:
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
}
