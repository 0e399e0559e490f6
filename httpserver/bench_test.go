package httpserver_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
)

// The server hot path, measured with -benchmem: one keep-alive connection
// pipelines pre-built requests in batches and counts the responses as they
// arrive, reading into a fixed buffer. The client allocates nothing per
// request, so allocs/op (which counts every goroutine's allocations) is
// the server's; BenchmarkServeHelloClientOnly runs the same client against
// a canned responder to show the client's share is zero.
//
//	go test -run '^$' -bench ServeHello -benchmem ./httpserver

// benchHello is examples/helloworld's handler.
var benchHello = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString("Hello, world!")
	w.Finish()
})

const (
	benchRequest = "GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: gornado-bench\r\nAccept: */*\r\n\r\n"
	benchBatch   = 64 // requests per write
)

// benchServe runs an HTTP server for h on a loop of its own goroutine and
// returns its address; the loop stops and closes at the end of b.
func benchServe(b *testing.B, h httpserver.Handler) string {
	b.Helper()
	l := looptest.New(b)
	srv := httpserver.New(l, h, httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	addr := srv.Addrs()[0].String()
	looptest.Start(b, l, func() {
		srv.Shutdown(context.Background())
		srv.Close()
	})
	return addr
}

// endCounter counts occurrences of a marker (the response body) across
// reads, without allocating. The marker must not overlap itself ("Hello,
// world!" does not: its first byte occurs nowhere else in it), so on a
// mismatch the scan restarts at the current byte.
type endCounter struct {
	marker []byte
	at     int
}

func (e *endCounter) count(p []byte) int {
	n := 0
	for _, c := range p {
		if c == e.marker[e.at] {
			e.at++
			if e.at == len(e.marker) {
				n++
				e.at = 0
			}
			continue
		}
		e.at = 0
		if c == e.marker[0] {
			e.at = 1
		}
	}
	return n
}

// pipeliner is the allocation-free client.
type pipeliner struct {
	c    net.Conn
	reqs []byte
	buf  []byte
	ends endCounter
}

func newPipeliner(b *testing.B, addr string) *pipeliner {
	b.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return &pipeliner{
		c:    c,
		reqs: bytes.Repeat([]byte(benchRequest), benchBatch),
		buf:  make([]byte, 64<<10),
		ends: endCounter{marker: []byte("Hello, world!")},
	}
}

// run sends n requests, benchBatch at a time, and waits for n responses.
func (p *pipeliner) run(b *testing.B, n int) {
	for n > 0 {
		k := min(n, benchBatch)
		if _, err := p.c.Write(p.reqs[:k*len(benchRequest)]); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < k; {
			m, err := p.c.Read(p.buf)
			if err != nil {
				b.Fatalf("after %d of %d responses: %v", got, k, err)
			}
			got += p.ends.count(p.buf[:m])
		}
		n -= k
	}
}

// checkFirst reads one response with a fresh reader and checks it, before
// the measured loop.
func (p *pipeliner) checkFirst(b *testing.B) {
	b.Helper()
	if _, err := io.WriteString(p.c, benchRequest); err != nil {
		b.Fatal(err)
	}
	p.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got []byte
	for !bytes.HasSuffix(got, []byte("Hello, world!")) {
		m, err := p.c.Read(p.buf)
		if err != nil {
			b.Fatalf("first response: %v (got %q)", err, got)
		}
		got = append(got, p.buf[:m]...)
	}
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.Contains(got, []byte("Content-Length: 13\r\n")) {
		b.Fatalf("unexpected response %q", got)
	}
	p.c.SetReadDeadline(time.Time{})
}

func BenchmarkServeHello(b *testing.B) {
	p := newPipeliner(b, benchServe(b, benchHello))
	p.checkFirst(b)
	p.run(b, 4*benchBatch) // warm up: buffers, free lists, header capacity
	b.ReportAllocs()
	b.ResetTimer()
	p.run(b, b.N)
}

// BenchmarkServeHelloClientOnly is the client against a canned responder
// that allocates nothing in its loop: its allocs/op is the client's (and
// the runtime's network poller's) share of BenchmarkServeHello's.
func BenchmarkServeHelloClientOnly(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!")
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 64<<10)
		out := make([]byte, 0, benchBatch*len(resp))
		pending := 0 // bytes of a request head seen so far
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			out = out[:0]
			for _, ch := range buf[:n] {
				pending++
				if ch == '\n' && pending >= len(benchRequest) {
					// Requests are all benchRequest: its length ends one.
					out = append(out, resp...)
					pending = 0
				}
			}
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { <-done })
	p := newPipeliner(b, ln.Addr().String())
	p.checkFirst(b)
	p.run(b, 4*benchBatch)
	b.ReportAllocs()
	b.ResetTimer()
	p.run(b, b.N)
	b.StopTimer()
	p.c.Close()
}
