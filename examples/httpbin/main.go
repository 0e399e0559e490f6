// Command httpbin serves the common httpbin endpoints (/get, /post,
// /status/{code}, /redirect/{n}, /cookies, /bytes/{n}, /stream/{n},
// /drip, /delay/{s}, /gzip...) with Gornado, answering as go-httpbin
// does. The handlers are in package
// github.com/gornado/gornado/examples/httpbin/httpbin.
//
//	go run ./examples/httpbin -addr 127.0.0.1:8888
//	curl -s 'http://127.0.0.1:8888/get?a=1'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "httpbin:", err)
		os.Exit(1)
	}
}

// run serves httpbin on addr until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr string) error {
	app, err := httpbin.NewApplication(httpbin.Config{}, web.Config{})
	if err != nil {
		return err
	}
	g, err := httpserver.NewGroup(addr, 1, app.Handler, app.Config().Server)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Serving httpbin on http://%s/\n", g.Addr())
	return g.Run(ctx)
}
