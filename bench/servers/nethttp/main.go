// Command nethttp is the net/http benchmark server.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8083", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	ctx, stop := benchutil.SignalContext()
	defer stop()
	if err := benchutil.ServeNetHTTP(ctx, "net/http", *addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(benchutil.Body)) // net/http adds Content-Length for a small body
	})); err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	}
}
