package httpclient_test

import (
	"testing"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
)

// BenchmarkFetch is one keep-alive GET at a time against a Gornado server on
// the same loop: the client's and the server's cost per request, syscalls
// included. -benchmem shows the allocations of both.
func BenchmarkFetch(b *testing.B) {
	loop := looptest.New(b)
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.WriteString("Hello, world!")
		w.Finish()
	}), httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	c := httpclient.New(loop, httpclient.Config{})
	req := &httpclient.Request{URL: "http://" + srv.Addrs()[0].String() + "/"}
	b.ReportAllocs()
	looptest.Run(b, loop, 0, func(co *gen.Co) error {
		defer srv.Close()
		defer c.Close()
		if _, err := gen.Await(co, c.Fetch(req)); err != nil { // connect outside the timing
			return err
		}
		b.ResetTimer()
		for range b.N {
			if _, err := gen.Await(co, c.Fetch(req)); err != nil {
				return err
			}
		}
		b.StopTimer()
		return nil
	})
}
