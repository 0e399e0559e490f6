// Command ws_coder is the coder/websocket echo server of the benchmarks:
// Accept with its defaults (compression disabled, 32 KiB read limit),
// then Read and Write, one goroutine per connection, on net/http.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/coder/websocket"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func echo(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept answered the request
	}
	defer c.CloseNow()
	ctx := context.Background()
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, msg); err != nil {
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18183", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	benchutil.FreeMemoryOnSignal()
	srv := &http.Server{Addr: *addr, Handler: http.HandlerFunc(echo)}
	ctx, stop := benchutil.SignalContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	benchutil.Ready("coder/websocket", *addr)
	select {
	case err := <-errc:
		fmt.Fprintln(os.Stderr, "ws_coder:", err)
		os.Exit(1)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
}
