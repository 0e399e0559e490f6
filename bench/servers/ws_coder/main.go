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
	ctx, stop := benchutil.SignalContext()
	defer stop()
	if err := benchutil.ServeNetHTTP(ctx, "coder/websocket", *addr, http.HandlerFunc(echo)); err != nil {
		fmt.Fprintln(os.Stderr, "ws_coder:", err)
		os.Exit(1)
	}
}
