package web_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// The framework's cost per request, in-process: the client of
// httpserver/bench_test.go (one keep-alive loopback connection pipelining
// batches of pre-built requests, counting responses by their body's last
// bytes, allocating nothing) against a web.Application, and against the
// bare httpserver handler of the same file, so ns/op and allocs/op of the
// two can be read side by side. allocs/op counts every goroutine: the
// client's share is zero (BenchmarkServeHelloClientOnly in httpserver).
//
//	go test -run '^$' -bench 'Web' -benchmem ./web
//
// bench/web.sh measures the same endpoints under wrk, against net/http
// and Tornado; bench/RESULTS_WEB.md has the figures.

type benchPlain struct{ web.RequestHandler }

func (h *benchPlain) Get(co *gen.Co) error {
	h.SetHeader("Content-Type", "text/plain")
	return h.Write("Hello, world!")
}

type benchJSON struct{ web.RequestHandler }

func (h *benchJSON) Get(co *gen.Co) error {
	return h.Write(map[string]string{"message": "Hello, world!"})
}

type benchPage struct{ web.RequestHandler }

func (h *benchPage) Get(co *gen.Co) error {
	return h.Render("page.html", benchPageData)
}

var benchPageData = struct {
	Title string
	Items []string
}{"Gornado benchmark", []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten & <more>"}}

// benchTemplates is bench/servers/gornado_web/templates.
var benchTemplates = fstest.MapFS{"page.html": {Data: []byte(`<!DOCTYPE html>
<html>
<head><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
</body>
</html>
`)}}

// benchBare is httpserver's BenchmarkServeHello handler.
var benchBare = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString("Hello, world!")
	w.Finish()
})

const benchBatch = 64 // requests per write

func benchRequest(path string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: bench\r\nUser-Agent: gornado-bench\r\nAccept: */*\r\n\r\n"
}

// benchServe serves h on a loop of its own goroutine until the end of b
// and returns the address.
func benchServe(b *testing.B, h func(*ioloop.IOLoop) httpserver.Handler) string {
	b.Helper()
	l := looptest.New(b)
	srv := httpserver.New(l, h(l), httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	looptest.Start(b, l, func() {
		srv.Shutdown(context.Background())
		srv.Close()
	})
	return srv.Addrs()[0].String()
}

func benchApp(b *testing.B) func(*ioloop.IOLoop) httpserver.Handler {
	b.Helper()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/plaintext`, Handler: web.Make[benchPlain]()},
		{Pattern: `/json`, Handler: web.Make[benchJSON]()},
		{Pattern: `/template`, Handler: web.Make[benchPage]()},
	}, web.Config{NoAccessLog: true, TemplateFS: benchTemplates})
	if err != nil {
		b.Fatal(err)
	}
	return app.Handler
}

// endCounter counts occurrences of a marker across reads without
// allocating. The marker must not overlap itself, so on a mismatch the
// scan restarts at the current byte.
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
	req  string
	reqs []byte
	buf  []byte
	ends endCounter
}

func newPipeliner(b *testing.B, addr, path, marker string) *pipeliner {
	b.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	req := benchRequest(path)
	return &pipeliner{c: c, req: req, reqs: bytes.Repeat([]byte(req), benchBatch),
		buf: make([]byte, 64<<10), ends: endCounter{marker: []byte(marker)}}
}

// run sends n requests, benchBatch at a time, and waits for n responses.
func (p *pipeliner) run(b *testing.B, n int) {
	for n > 0 {
		k := min(n, benchBatch)
		if _, err := p.c.Write(p.reqs[:k*len(p.req)]); err != nil {
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

// checkFirst reads one response with a fresh reader and checks its status
// and body, before the measured loop.
func (p *pipeliner) checkFirst(b *testing.B, body string) {
	b.Helper()
	if _, err := io.WriteString(p.c, p.req); err != nil {
		b.Fatal(err)
	}
	p.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got []byte
	for !bytes.HasSuffix(got, p.ends.marker) {
		m, err := p.c.Read(p.buf)
		if err != nil {
			b.Fatalf("first response: %v (got %q)", err, got)
		}
		got = append(got, p.buf[:m]...)
	}
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.Contains(got, []byte(body)) {
		b.Fatalf("unexpected response %q", got)
	}
	p.c.SetReadDeadline(time.Time{})
}

func benchRun(b *testing.B, h func(*ioloop.IOLoop) httpserver.Handler, path, marker, body string) {
	p := newPipeliner(b, benchServe(b, h), path, marker)
	p.checkFirst(b, body)
	p.run(b, 4*benchBatch) // warm up: buffers, pools, parsed templates
	b.ReportAllocs()
	b.ResetTimer()
	p.run(b, b.N)
}

// BenchmarkWebHello is /plaintext through the framework: routing, a
// handler per request, its coroutine, ETag, Finish.
func BenchmarkWebHello(b *testing.B) {
	benchRun(b, benchApp(b), "/plaintext", "Hello, world!", "\r\n\r\nHello, world!")
}

// BenchmarkWebHelloBare is the same response from the bare server's
// handler: BenchmarkWebHello minus this is the framework's cost.
func BenchmarkWebHelloBare(b *testing.B) {
	benchRun(b, func(*ioloop.IOLoop) httpserver.Handler { return benchBare }, "/plaintext", "Hello, world!", "\r\n\r\nHello, world!")
}

// BenchmarkWebJSON is /json: a map written as JSON.
func BenchmarkWebJSON(b *testing.B) {
	benchRun(b, benchApp(b), "/json", "Hello, world!\"}", `{"message":"Hello, world!"}`)
}

// BenchmarkWebTemplate is /template: html/template with a loop over 10
// items, 288 bytes.
func BenchmarkWebTemplate(b *testing.B) {
	benchRun(b, benchApp(b), "/template", "</html>\n", "<li>ten &amp; &lt;more&gt;</li>")
}
