// Command ws_gornado is the Gornado WebSocket echo server of the
// benchmarks: websocket/doc.go's echo on an httpserver, uncompressed,
// on -loops loops (1 in the benchmarks), with -cpuprofile so a run under
// load can be profiled; -reuse sets websocket.Config.ReuseBuffers (each
// message's buffer lent to OnMessage and reused, as gws and nbio do).
//
//	go run ./servers/ws_gornado -addr 127.0.0.1:18181 -loops 1
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/gornado/gornado/bench/internal/benchutil"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/websocket"
)

// echo sends every message back as it came, text or binary.
type echo struct{ c *websocket.Conn }

func (e *echo) Open(c *websocket.Conn)         { e.c = c }
func (e *echo) OnMessage(m *websocket.Message) { e.c.WriteMessage(m.Data, m.Binary) }
func (e *echo) OnClose()                       {}

var wsConfig websocket.Config

var upgrade = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	if _, err := websocket.Upgrade(w, r, wsConfig, &echo{}); err != nil {
		w.WriteString(err.Error()) // a *HandshakeError set the status
		w.Finish()
	}
})

func main() {
	addr := flag.String("addr", "127.0.0.1:18181", "address to listen on")
	loops := flag.Int("loops", 1, "event loops sharing the port (SO_REUSEPORT)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here until the server stops")
	flag.BoolVar(&wsConfig.ReuseBuffers, "reuse", false, "lend each message's buffer to OnMessage and reuse it (websocket.Config.ReuseBuffers)")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	benchutil.FreeMemoryOnSignal()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	ctx, stop := benchutil.SignalContext()
	defer stop()
	g, err := httpserver.NewGroup(*addr, *loops, func(*ioloop.IOLoop) httpserver.Handler { return upgrade }, httpserver.Config{})
	if err != nil {
		fail(err)
	}
	benchutil.Ready(fmt.Sprintf("gornado websocket (%d loops)", len(g.Loops)), g.Addr().String())
	if err := g.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ws_gornado:", err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ws_gornado:", err)
	os.Exit(1)
}
