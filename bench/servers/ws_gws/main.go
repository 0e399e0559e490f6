// Command ws_gws is the lxzan/gws echo server of the benchmarks: gws's own
// server (gws.NewServer, which serves the handshake itself and runs one
// ReadLoop goroutine per connection) with the defaults: no compression,
// ParallelEnabled off (messages handled in order on the read loop), no
// UTF-8 check, 4 KiB read buffer. Its echo is gws's example's.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"github.com/lxzan/gws"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

type echo struct{ gws.BuiltinEventHandler }

func (echo) OnPing(c *gws.Conn, payload []byte) { c.WritePong(payload) }

func (echo) OnMessage(c *gws.Conn, m *gws.Message) {
	defer m.Close()
	c.WriteMessage(m.Opcode, m.Bytes())
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18184", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	benchutil.FreeMemoryOnSignal()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ws_gws:", err)
		os.Exit(1)
	}
	srv := gws.NewServer(echo{}, &gws.ServerOption{})
	ctx, stop := benchutil.SignalContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.RunListener(ln) }()
	benchutil.Ready("gws", *addr)
	select {
	case err := <-errc:
		fmt.Fprintln(os.Stderr, "ws_gws:", err)
		os.Exit(1)
	case <-ctx.Done():
	}
	// gws's Server has no shutdown: the process exits, as its examples do.
	ln.Close()
}
