// Command helloworld is the smallest Gornado HTTP server: it answers every
// request with "Hello, world!". With -loops N it runs N event loops that
// share the port through SO_REUSEPORT, one per core.
//
//	go run ./examples/helloworld -addr 127.0.0.1:8888 -loops 2
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// hello is the whole application.
var hello = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString("Hello, world!")
	w.Finish()
})

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	loops := flag.Int("loops", 1, "event loops sharing the port")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *loops); err != nil {
		fmt.Fprintln(os.Stderr, "helloworld:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr string, loops int) error {
	g, err := httpserver.NewGroup(addr, loops, func(*ioloop.IOLoop) httpserver.Handler { return hello }, httpserver.Config{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Serving on http://%s/ with %d loop(s)\n", g.Addr(), len(g.Loops))
	return g.Run(ctx)
}
