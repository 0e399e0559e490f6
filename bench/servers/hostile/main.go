// Command hostile serves the same few routes with Gornado's httpserver or
// with net/http, for bench/reliability.sh: each server with its defaults
// (Gornado's zero Config plus DecompressRequest; a zero http.Server).
//
//	hostile -server gornado -addr 127.0.0.1:18091
//	hostile -server nethttp -addr 127.0.0.1:18092
//
// Routes:
//
//	/            "Hello, world!"
//	/bytes/N     N bytes, written in one go (Content-Length)
//	/stream/N    N bytes in 64 KiB pieces, each written when the previous
//	             one is in the kernel (Gornado: awaiting Response.Flush)
//	/delay/MS    "Hello, world!" after MS milliseconds
//	/post        the request body's length, the body read whole first
//	             (gzip inflated; over 100 MiB inflated: 413)
//
// It exits on SIGINT or SIGTERM after a graceful shutdown (at most 10 s).
package main

import (
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

const (
	piece   = 64 << 10
	maxBody = 100 << 20 // Gornado's DefaultMaxBodySize
)

// filler is what /bytes and /stream send, a piece at a time.
var filler = []byte(strings.Repeat("x", piece))

func main() {
	server := flag.String("server", "gornado", "gornado or nethttp")
	addr := flag.String("addr", "127.0.0.1:18091", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	ctx, stop := benchutil.SignalContext()
	defer stop()
	var err error
	switch *server {
	case "gornado":
		err = serveGornado(ctx, *addr)
	case "nethttp":
		err = serveNetHTTP(ctx, *addr)
	default:
		err = fmt.Errorf("unknown server %q", *server)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

// arg returns the number after prefix in path, or -1.
func arg(path, prefix string) int {
	s, ok := strings.CutPrefix(path, prefix)
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func serveGornado(ctx context.Context, addr string) error {
	newHandler := func(loop *ioloop.IOLoop) httpserver.Handler {
		return httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
			switch p := r.Path; {
			case p == "/":
				w.WriteString(benchutil.Body)
				w.Finish()
			case arg(p, "/bytes/") >= 0:
				n := arg(p, "/bytes/")
				for n > 0 {
					k := min(n, piece)
					w.Write(filler[:k])
					n -= k
				}
				w.Finish()
			case arg(p, "/stream/") >= 0:
				n := arg(p, "/stream/")
				w.Header().Set("Content-Length", strconv.Itoa(n))
				streamGornado(w, n)
			case arg(p, "/delay/") >= 0:
				loop.CallLater(time.Duration(arg(p, "/delay/"))*time.Millisecond, func() {
					w.WriteString(benchutil.Body)
					w.Finish()
				})
			case p == "/post":
				w.WriteString(strconv.Itoa(len(r.Body)))
				w.Finish()
			default:
				w.SetStatus(http.StatusNotFound)
				w.Finish()
			}
		})
	}
	g, err := httpserver.NewGroup(addr, 1, newHandler, httpserver.Config{DecompressRequest: true})
	if err != nil {
		return err
	}
	benchutil.Ready("gornado", g.Addr().String())
	return g.Run(ctx)
}

// streamGornado writes n bytes in pieces, each once the previous one is in
// the kernel: a handler's own flow control.
func streamGornado(w *httpserver.Response, n int) {
	if n == 0 {
		w.Finish()
		return
	}
	k := min(n, piece)
	w.Write(filler[:k])
	w.Flush().AddDoneCallback(func(f *future.Future[struct{}]) {
		if f.Err() == nil {
			streamGornado(w, n-k)
		}
	})
}

func serveNetHTTP(ctx context.Context, addr string) error {
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/":
			w.Write([]byte(benchutil.Body))
		case arg(p, "/bytes/") >= 0:
			// One write, as Gornado's handler: net/http sends it as the
			// client takes it, from the handler's slice.
			n := arg(p, "/bytes/")
			body := make([]byte, 0, n)
			for len(body) < n {
				body = append(body, filler[:min(n-len(body), piece)]...)
			}
			w.Header().Set("Content-Length", strconv.Itoa(n))
			w.Write(body)
		case arg(p, "/stream/") >= 0:
			n := arg(p, "/stream/")
			w.Header().Set("Content-Length", strconv.Itoa(n))
			for n > 0 {
				k := min(n, piece)
				if _, err := w.Write(filler[:k]); err != nil {
					return
				}
				n -= k
			}
		case arg(p, "/delay/") >= 0:
			time.Sleep(time.Duration(arg(p, "/delay/")) * time.Millisecond)
			w.Write([]byte(benchutil.Body))
		case p == "/post":
			var body io.Reader = r.Body
			if r.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(r.Body)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				body = zr
			}
			// The body whole in memory, as Request.Body, within the same
			// limit on the inflated bytes.
			b, err := io.ReadAll(io.LimitReader(body, maxBody+1))
			switch {
			case err != nil:
				http.Error(w, err.Error(), http.StatusBadRequest)
			case len(b) > maxBody:
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			default:
				w.Write([]byte(strconv.Itoa(len(b))))
			}
		default:
			http.NotFound(w, r)
		}
	})
	return benchutil.ServeNetHTTP(ctx, "net/http", addr, mux)
}
