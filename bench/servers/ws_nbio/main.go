// Command ws_nbio is nbio's WebSocket echo server of the benchmarks
// (nbhttp/websocket), configured as nbio's examples do: the nbhttp
// engine of servers/nbhttp (non-blocking mode, MaxLoad 1e6, payloads
// released after OnMessage), a default Upgrader (no compression),
// OnMessage writing the message back.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"
	"github.com/lesismal/nbio/nbhttp/websocket"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18185", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	benchutil.FreeMemoryOnSignal()
	logging.SetLevel(logging.LevelError)
	upgrader := websocket.NewUpgrader()
	upgrader.OnMessage(func(c *websocket.Conn, mt websocket.MessageType, data []byte) {
		c.WriteMessage(mt, data)
	})
	engine := nbhttp.NewEngine(nbhttp.Config{
		Network:                 "tcp",
		Addrs:                   []string{*addr},
		MaxLoad:                 1000000,
		ReleaseWebsocketPayload: true,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			upgrader.Upgrade(w, r, nil) // on failure it answered the request
		}),
	})
	if err := engine.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "ws_nbio:", err)
		os.Exit(1)
	}
	benchutil.Ready("nbio websocket", *addr)
	ctx, stop := benchutil.SignalContext()
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	engine.Shutdown(sctx)
}
