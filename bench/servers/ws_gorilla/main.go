// Command ws_gorilla is the gorilla/websocket echo server of the
// benchmarks: gorilla's own echo example (a default Upgrader, no
// compression; ReadMessage then WriteMessage, one goroutine per
// connection) on net/http.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/gorilla/websocket"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

var upgrader = websocket.Upgrader{} // gorilla's defaults: 4 KiB buffers, no compression

func echo(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade answered the request
	}
	defer c.Close()
	for {
		mt, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		if err := c.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18182", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	benchutil.FreeMemoryOnSignal()
	ctx, stop := benchutil.SignalContext()
	defer stop()
	if err := benchutil.ServeNetHTTP(ctx, "gorilla/websocket", *addr, http.HandlerFunc(echo)); err != nil {
		fmt.Fprintln(os.Stderr, "ws_gorilla:", err)
		os.Exit(1)
	}
}
