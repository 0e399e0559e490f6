// Command nbhttp is the nbio HTTP benchmark server, configured as nbio's
// own examples do (non-blocking I/O mode, the engine's defaults otherwise).
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

var bodyLen = strconv.Itoa(len(benchutil.Body))

func main() {
	addr := flag.String("addr", "127.0.0.1:8085", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	logging.SetLevel(logging.LevelError)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		// nbhttp sends a body without Content-Length chunked: set it.
		w.Header().Set("Content-Length", bodyLen)
		w.Write([]byte(benchutil.Body))
	})
	engine := nbhttp.NewEngine(nbhttp.Config{
		Network:                 "tcp",
		Addrs:                   []string{*addr},
		MaxLoad:                 1000000,
		ReleaseWebsocketPayload: true,
		Handler:                 mux,
	})
	if err := engine.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "nbhttp:", err)
		os.Exit(1)
	}
	benchutil.Ready("nbhttp", *addr)
	ctx, stop := benchutil.SignalContext()
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	engine.Shutdown(sctx)
}
