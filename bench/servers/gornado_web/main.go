// Command gornado_web is the web framework benchmark server: a
// web.Application with three routes, each through a RequestHandler.
//
//	/plaintext  "Hello, world!" as text/plain
//	/json       h.Write(map) → {"message":"Hello, world!"}
//	/template   h.Render of templates/page.html (a title and 10 items)
//	/mounted    a net/http HandlerFunc writing "Hello, world!", mounted
//	            on the application: it runs on the worker pool
//
// The access log is off. -cpuprofile writes a CPU profile until the
// server stops (SIGINT or SIGTERM), to see where a request's time goes.
//
//	go run ./servers/gornado_web -addr 127.0.0.1:18091
package main

import (
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"runtime/pprof"

	"github.com/gornado/gornado/bench/internal/benchutil"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

//go:embed templates
var templates embed.FS

// page is what /template renders; nethttp_web and tornado_web.py render
// the same.
var page = struct {
	Title string
	Items []string
}{
	Title: "Gornado benchmark",
	Items: []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten & <more>"},
}

// PlaintextHandler answers the same body as the bare servers.
type PlaintextHandler struct{ web.RequestHandler }

func (h *PlaintextHandler) Get(co *gen.Co) error {
	h.SetHeader("Content-Type", "text/plain")
	return h.Write(benchutil.Body)
}

// JSONHandler writes a map, which the framework encodes as JSON.
type JSONHandler struct{ web.RequestHandler }

func (h *JSONHandler) Get(co *gen.Co) error {
	return h.Write(map[string]string{"message": benchutil.Body})
}

// TemplateHandler renders the page.
type TemplateHandler struct{ web.RequestHandler }

func (h *TemplateHandler) Get(co *gen.Co) error {
	return h.Render("page.html", page)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18091", "address to listen on")
	loops := flag.Int("loops", 1, "event loops sharing the port (SO_REUSEPORT)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here until the server stops")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	tfs, err := fs.Sub(templates, "templates")
	if err != nil {
		fail(err)
	}
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/plaintext`, Handler: web.Make[PlaintextHandler]()},
		{Pattern: `/json`, Handler: web.Make[JSONHandler]()},
		{Pattern: `/template`, Handler: web.Make[TemplateHandler]()},
		{Pattern: `/mounted`, Handler: nethttp.NewContainer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(benchutil.Body))
		}), nethttp.Config{}).Handler()},
	}, web.Config{NoAccessLog: true, TemplateFS: tfs})
	if err != nil {
		fail(err)
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
	g, err := httpserver.NewGroup(*addr, *loops, app.Handler, httpserver.Config{})
	if err != nil {
		fail(err)
	}
	benchutil.Ready(fmt.Sprintf("gornado web (%d loops)", len(g.Loops)), g.Addr().String())
	if err := g.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gornado_web:", err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gornado_web:", err)
	os.Exit(1)
}
