// Command gornado is the Gornado benchmark server: the helloworld example
// plus -cpuprofile/-memprofile, so a run under wrk can be profiled.
//
//	go run ./servers/gornado -addr 127.0.0.1:8081 -loops 1
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/gornado/gornado/bench/internal/benchutil"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// hello is examples/helloworld's handler.
var hello = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString(benchutil.Body)
	w.Finish()
})

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	loops := flag.Int("loops", 1, "event loops sharing the port (SO_REUSEPORT)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here until the server stops")
	memprofile := flag.String("memprofile", "", "write an allocation profile here when the server stops, and a heap profile to FILE.heap on SIGUSR1")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	if *memprofile != "" {
		runtime.MemProfileRate = 512
		usr1 := make(chan os.Signal, 1)
		signal.Notify(usr1, syscall.SIGUSR1)
		go func() {
			for range usr1 {
				runtime.GC()
				if f, err := os.Create(*memprofile + ".heap"); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Fprintf(os.Stderr, "heap in use %d B, heap sys %d B, stack in use %d B, sys %d B\n", ms.HeapInuse, ms.HeapSys, ms.StackInuse, ms.Sys)
			}
		}()
	}
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
	g, err := httpserver.NewGroup(*addr, *loops, func(*ioloop.IOLoop) httpserver.Handler { return hello }, httpserver.Config{})
	if err != nil {
		fail(err)
	}
	benchutil.Ready(fmt.Sprintf("gornado (%d loops)", len(g.Loops)), g.Addr().String())
	if err := g.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gornado:", err)
	}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			fail(err)
		}
		pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gornado:", err)
	os.Exit(1)
}
