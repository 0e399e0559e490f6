// Command fasthttp is the fasthttp benchmark server (default settings).
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"github.com/valyala/fasthttp"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8084", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	srv := &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			ctx.SetContentType("text/plain")
			ctx.WriteString(benchutil.Body)
		},
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
		os.Exit(1)
	}
	ctx, stop := benchutil.SignalContext()
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Shutdown()
	}()
	benchutil.Ready("fasthttp", *addr)
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
	}
}
