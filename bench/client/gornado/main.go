// Command gornado is the client benchmark for Gornado's AsyncHTTPClient: one
// loop, MaxClients = c, and c fetch loops, each a chain of done callbacks
// (with -co, each a coroutine). See bench/client.sh.
package main

import (
	"flag"

	"github.com/gornado/gornado/bench/internal/clientbench"
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/ioloop"
)

func main() {
	co := flag.Bool("co", false, "run each fetch loop as a coroutine")
	impl := func() string {
		if *co {
			return "gornado-co"
		}
		return "gornado"
	}
	clientbench.Main(impl, func(url string, conc int, c *clientbench.Counters) { run(url, conc, *co, c) })
}

func run(url string, conc int, coroutines bool, c *clientbench.Counters) {
	loop, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	if err != nil {
		panic(err)
	}
	defer loop.Close()
	client := httpclient.New(loop, httpclient.Config{MaxClients: conc})
	req := &httpclient.Request{URL: url}
	running := conc
	finished := func() {
		if running--; running == 0 {
			client.Close()
			loop.Stop()
		}
	}
	record := func(resp *httpclient.Response, err error) {
		if err != nil || len(resp.Body) == 0 {
			c.Errors.Add(1)
		}
		c.Requests.Add(1)
	}
	loop.AddCallback(func() {
		for range conc {
			if coroutines {
				gen.Go(loop, func(co *gen.Co) (struct{}, error) {
					defer finished()
					for !c.Stop.Load() {
						record(gen.Await(co, client.Fetch(req)))
					}
					return struct{}{}, nil
				})
				continue
			}
			var next func()
			next = func() {
				if c.Stop.Load() {
					finished()
					return
				}
				client.Fetch(req).AddDoneCallback(func(f *future.Future[*httpclient.Response]) {
					record(f.Result())
					next()
				})
			}
			next()
		}
	})
	loop.Start()
}
