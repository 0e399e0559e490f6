// Command nethttp serves an ordinary net/http application (an
// http.ServeMux that knows nothing of Gornado) the way Waitress serves a
// WSGI one: a loop reads requests and sends responses, a pool of workers
// runs the handlers, and a slow client never holds a worker.
//
//	go run ./examples/nethttp -addr 127.0.0.1:8888 -threads 4
//	go run ./examples/nethttp -mode mounted
//
// The application: GET / says hello, GET /bytes/N sends N bytes, GET
// /sleep/MS sleeps MS milliseconds on its worker (a database call, say),
// and /upload takes a form with a file. With -mode mounted the same mux
// is mounted in a web.Application beside a native route, /async/MS,
// which waits MS milliseconds on the loop with no worker at all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

// legacy is the existing net/http application.
func legacy() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "Hello from net/http, served by Gornado\n")
	})
	mux.HandleFunc("GET /bytes/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 || n > 100<<20 {
			http.Error(w, "n must be 0 to 104857600", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(n))
		chunk := make([]byte, 32<<10)
		for i := range chunk {
			chunk[i] = byte('a' + i%26)
		}
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.Write(chunk[:k]); err != nil {
				return // the client went away
			}
			n -= k
		}
	})
	mux.HandleFunc("GET /sleep/{ms}", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.PathValue("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			fmt.Fprintf(w, "slept %d ms on a worker\n", ms)
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("GET /upload", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<form method="post" enctype="multipart/form-data">
<input name="title"> <input type="file" name="file"> <button>Upload</button></form>`)
	})
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "title=%q\n", r.FormValue("title"))
		for _, fh := range r.MultipartForm.File["file"] {
			fmt.Fprintf(w, "file %q: %d bytes\n", fh.Filename, fh.Size)
		}
	})
	return mux
}

// asyncHandler is the native route of -mode mounted: it waits on the
// loop, holding no worker and no goroutine of its own.
type asyncHandler struct{ web.RequestHandler }

func (h *asyncHandler) Get(co *gen.Co) error {
	ms, _ := strconv.Atoi(h.PathArgs[0])
	if err := gen.Sleep(co, time.Duration(ms)*time.Millisecond); err != nil {
		return err
	}
	return h.Write(fmt.Sprintf("waited %d ms on the loop\n", ms))
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	threads := flag.Int("threads", 4, "workers running the net/http handlers")
	mode := flag.String("mode", "waitress", `"waitress" (the mux alone) or "mounted" (in a web.Application)`)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *threads, *mode); err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr string, threads int, mode string) error {
	announce := func(addrs []net.Addr) {
		fmt.Fprintf(out, "Serving on http://%s/ (%s, %d threads)\n", addrs[0], mode, threads)
	}
	switch mode {
	case "waitress":
		return nethttp.Serve(ctx, addr, legacy(), nethttp.Config{Threads: threads, Ready: announce})
	case "mounted":
		return serveMounted(ctx, addr, threads, announce)
	}
	return errors.New(`-mode is "waitress" or "mounted"`)
}

// serveMounted mounts the mux in a web.Application beside a native route.
func serveMounted(ctx context.Context, addr string, threads int, announce func([]net.Addr)) error {
	c := nethttp.NewContainer(legacy(), nethttp.Config{Threads: threads})
	defer c.Close()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/async/([0-9]+)`, Handler: web.Make[asyncHandler]()},
		{Pattern: `/.*`, Handler: c.Handler()},
	}, web.Config{})
	if err != nil {
		return err
	}
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		return err
	}
	defer loop.Close()
	srv, err := app.Listen(loop, addr)
	if err != nil {
		return err
	}
	announce(srv.Addrs())
	return srv.Run(ctx) // graceful shutdown when ctx ends
}
