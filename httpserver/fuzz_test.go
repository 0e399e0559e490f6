package httpserver_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// errorCounter is a slog handler that counts records at Error level: a
// server that panics on its own (not in a handler) logs one.
type errorCounter struct{ n *atomic.Int64 }

func (h errorCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h errorCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.n.Add(1)
	}
	return nil
}
func (h errorCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h errorCounter) WithGroup(string) slog.Handler      { return h }

// FuzzServer sends random bytes to a live server over a socket, then
// half-closes: the server never logs an error (a recovered panic), and
// what it sends back is always a sequence of well-formed responses. The
// handler answers every request with an empty 200, so a HEAD and a GET
// look alike on the wire.
func FuzzServer(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
		"PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
		"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n",
		"GET http://a/b HTTP/1.0\r\n\r\n",
		"\r\n\r\nGET /\r\n",
		"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	var errs atomic.Int64
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) { w.Finish() })
	cfg := httpserver.Config{
		MaxHeaderSize: 4096, MaxBodySize: 4096, DecompressRequest: true,
		Logger: slog.New(errorCounter{&errs}),
	}
	// A loop of its own rather than serve's: the fuzzing engine starts
	// goroutines (a signal handler) that looptest's leak check would
	// take for the server's.
	l, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	if err != nil {
		f.Fatal(err)
	}
	srv := httpserver.New(l, h, cfg)
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		f.Fatal(err)
	}
	addr := srv.Addrs()[0].String()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	f.Cleanup(func() {
		l.AddCallback(func() {
			srv.Close()
			l.Stop()
		})
		<-stopped
		l.Close()
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
		br := bufio.NewReader(c)
		for {
			if _, err := br.Peek(1); err != nil {
				break // the server closed: all it sent was read
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("%q: the server sent what does not parse: %v", data, err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Fatalf("%q: a response body does not parse: %v", data, err)
			}
			resp.Body.Close()
		}
		if n := errs.Load(); n > 0 {
			t.Fatalf("%q: the server logged %d errors", data, n)
		}
	})
}
