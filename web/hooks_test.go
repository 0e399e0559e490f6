package web_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

type renderHandler struct{ web.RequestHandler }

func (h *renderHandler) GetCurrentUser() (any, error) { return "ann", nil }
func (h *renderHandler) Get(co *gen.Co) error {
	name, _ := h.GetArgument("t", "page.html")
	return h.Render(name, map[string]any{"Name": "One", "Msg": "<b>hi</b>"})
}

func TestTemplates(t *testing.T) {
	settings := web.Config{TemplatePath: "testdata/templates", XSRFCookies: true,
		TemplateFuncs: map[string]any{"shout": strings.ToUpper}}
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Handler: web.Make[renderHandler]()},
		{Pattern: `/item/([0-9]+)`, Handler: web.Make[helloHandler](), Name: "item"},
	}, settings)
	looptest.Logs(s.Loop).Allow(t, slog.LevelError, `request`)
	resp, body := s.Get("/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "<title>Page One</title>")
	assert.Contains(t, body, "<p>&lt;b&gt;hi&lt;/b&gt;</p>", "html/template escapes")
	assert.Contains(t, body, `<input type="hidden" name="_xsrf" value="2|`)
	assert.Contains(t, body, `<a href="/item/7">ONE</a>`)
	_, body = s.Get("/?t=other.html")
	assert.Equal(t, "<html><head><title>Default</title></head><body>other ann</body></html>\n\n", body)

	for _, name := range []string{"broken.html", "fails.html", "nope.html"} {
		resp, body = s.Get("/?t=" + name)
		assert.Equal(t, 500, resp.StatusCode, name)
		assert.NotContains(t, body, name, "no details outside debug")
	}
}

func TestTemplatesReloadInDebug(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	require.NoError(t, os.WriteFile(page, []byte("v1 {{.}}"), 0o644))
	render := handle(func(h *funcHandler, co *gen.Co) error { return h.Render("p.html", "x") })
	debug := serveApp(t, []web.Route{{Pattern: `/`, Handler: render}}, web.Config{TemplatePath: dir, Debug: true})
	cached := serveApp(t, []web.Route{{Pattern: `/`, Handler: render}}, web.Config{TemplatePath: dir})
	_, b := debug.Get("/")
	assert.Equal(t, "v1 x", b)
	_, b = cached.Get("/")
	assert.Equal(t, "v1 x", b)
	require.NoError(t, os.WriteFile(page, []byte("v2 {{.}} {{if}}"), 0o644))
	resp, b := debug.Get("/")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, b, "p.html", "debug pages show the template error")
	require.NoError(t, os.WriteFile(page, []byte("v2 {{.}}"), 0o644))
	_, b = debug.Get("/")
	assert.Equal(t, "v2 x", b)
	_, b = cached.Get("/")
	assert.Equal(t, "v1 x", b)
}

// lifeHandler records its hooks.
type lifeHandler struct {
	web.RequestHandler
	log *[]string
}

func (h *lifeHandler) Prepare(co *gen.Co) error {
	*h.log = append(*h.log, "prepare")
	if h.Request.Path == "/stop" {
		return web.FinishError{Body: "stopped in prepare"}
	}
	return nil
}
func (h *lifeHandler) Get(co *gen.Co) error {
	*h.log = append(*h.log, "get")
	return h.Write("ok")
}
func (h *lifeHandler) OnFinish()                  { *h.log = append(*h.log, "finish "+h.Request.Path) }
func (h *lifeHandler) SupportedMethods() []string { return []string{"GET"} }

func TestLifecycleHooks(t *testing.T) {
	var log []string // loop-owned; read after each response
	s := serveApp(t, []web.Route{{Pattern: `/.*`, Handler: func() web.Handler { return &lifeHandler{log: &log} }}}, web.Config{})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `request`)
	snapshot := func() []string {
		ch := make(chan []string)
		s.Loop.AddCallback(func() { ch <- append([]string(nil), log...); log = log[:0] })
		return <-ch
	}
	_, body := s.Get("/go")
	assert.Equal(t, "ok", body)
	assert.Equal(t, []string{"prepare", "get", "finish /go"}, snapshot())
	_, body = s.Get("/stop")
	assert.Equal(t, "stopped in prepare", body)
	assert.Equal(t, []string{"prepare", "finish /stop"}, snapshot())
	resp, _ := s.Do("POST", "/go", "x")
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "GET", resp.Header.Get("Allow"))
	assert.Equal(t, []string{"finish /go"}, snapshot(), "no Prepare for an unsupported method")
}

// pollHandler waits for a future that never completes, until the client
// goes away.
type pollHandler struct {
	web.RequestHandler
	closed chan<- string
	wait   *future.Future[string]
}

func (h *pollHandler) Get(co *gen.Co) error {
	h.wait = future.New[string](h.Loop())
	v, err := gen.Await(co, h.wait)
	if err != nil {
		h.closed <- "get returned: " + err.Error()
		return nil
	}
	return h.Write(v)
}
func (h *pollHandler) OnConnectionClose() { h.closed <- "connection closed"; h.wait.Cancel() }
func (h *pollHandler) OnFinish()          { h.closed <- "finished" }

func TestOnConnectionCloseCancelsLongPoll(t *testing.T) {
	closed := make(chan string, 8)
	s := serveApp(t, []web.Route{{Pattern: `/poll`, Handler: func() web.Handler { return &pollHandler{closed: closed} }}}, web.Config{})
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	fmt.Fprintf(c, "GET /poll HTTP/1.1\r\nHost: x\r\n\r\n")
	// The server has the request once the handler is parked; then hang up.
	time.Sleep(20 * time.Millisecond) // not an assertion: lets the request arrive first
	c.Close()
	select {
	case msg := <-closed:
		assert.Equal(t, "connection closed", msg)
	case <-time.After(10 * time.Second):
		t.Fatal("OnConnectionClose never ran")
	}
	assert.Equal(t, "get returned: "+future.ErrCancelled.Error(), <-closed)
	assert.Equal(t, "finished", <-closed)
	s.OnLoop(func() {}) // anything still due on the loop has run
	assert.Empty(t, closed, "OnConnectionClose ran once")
}

// uploadHandler streams its body, counting bytes.
type uploadHandler struct {
	web.RequestHandler
	n      int
	chunks int
	limit  int
}

func (h *uploadHandler) Prepare(co *gen.Co) error {
	h.limit = 1 << 20
	return gen.Sleep(co, time.Millisecond) // chunks arriving meanwhile are kept
}
func (h *uploadHandler) DataReceived(chunk []byte) error {
	h.n += len(chunk)
	h.chunks++
	if h.n > h.limit {
		return web.NewHTTPError(413, "upload over %d bytes", h.limit)
	}
	return nil
}
func (h *uploadHandler) Put(co *gen.Co) error {
	return h.Write(fmt.Sprintf("got %d bytes, body buffered: %d", h.n, len(h.Request.Body)))
}

func TestStreamRequestBody(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/up`, Handler: web.Make[uploadHandler]()},
		{Pattern: `/plain`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			return h.Write(fmt.Sprint(len(h.Request.Body)))
		})},
	}, web.Config{})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `.`)
	body := strings.Repeat("x", 300_000)
	resp, got := s.Do("PUT", "/up", body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "got 300000 bytes, body buffered: 0", got)
	_, got = s.Do("POST", "/plain", body)
	assert.Equal(t, "300000", got, "other routes still get whole bodies")

	// Too big: refused while it streams, and the connection closes.
	req, _ := http.NewRequestWithContext(context.Background(), "PUT", s.URL+"/up", strings.NewReader(strings.Repeat("y", 3<<20)))
	resp, err := s.Client.Do(req)
	if err == nil {
		defer resp.Body.Close()
		assert.Equal(t, 413, resp.StatusCode)
	} else {
		// The server may close before the client finished sending.
		assert.True(t, errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "broken pipe"), err)
	}
}

func TestHostRoutingAndDefaultHandler(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Host: `api\.example\.com`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("api") })},
		{Pattern: `/`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("www") })},
	}, web.Config{DefaultHandler: handle(func(h *funcHandler, co *gen.Co) error {
		h.SetStatus(404)
		return h.Write("custom not found")
	})})
	raw := func(host, path string) string {
		c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
		require.NoError(t, err)
		defer c.Close()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		b := new(strings.Builder)
		_, _ = bufio.NewReader(resp.Body).WriteTo(b)
		return fmt.Sprint(resp.StatusCode, " ", b.String())
	}
	assert.Equal(t, "200 api", raw("api.example.com:8080", "/"))
	assert.Equal(t, "200 www", raw("www.example.com", "/"))
	assert.Equal(t, "404 custom not found", raw("api.example.com", "/missing"))
}

func TestAccessLog(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/ok`, Handler: web.Make[helloHandler]()},
	}, web.Config{})
	ok := looptest.ExpectLog(t, s.Loop, slog.LevelInfo, `request status=200 method=GET uri=/ok\?a=1 remote_ip=127\.0\.0\.1 duration=`)
	nf := looptest.ExpectLog(t, s.Loop, slog.LevelWarn, `request status=404 method=GET uri=/nope`)
	s.Get("/ok?a=1")
	s.Get("/nope")
	assert.Equal(t, 1, ok.Count())
	assert.Equal(t, 1, nf.Count())
}

// bigUpload streams its body, and takes more than the server's limit.
type bigUpload struct {
	web.RequestHandler
	prepared bool
	early    bool // a chunk came before Prepare was done
	n        int
}

func (h *bigUpload) Prepare(co *gen.Co) error {
	h.SetMaxBodySize(1 << 20)
	if err := gen.Sleep(co, 20*time.Millisecond); err != nil {
		return err
	}
	h.prepared = true
	return nil
}
func (h *bigUpload) DataReceived(chunk []byte) error {
	h.early = h.early || !h.prepared
	h.n += len(chunk)
	return nil
}
func (h *bigUpload) Put(co *gen.Co) error {
	return h.Write(fmt.Sprintf("got %d, early %v", h.n, h.early))
}

func TestPipelinedBehindStreamedUpload(t *testing.T) {
	// A streamed upload whose Prepare waits, with a request pipelined
	// behind it in the same write: the body is read only after Prepare
	// (it waits in the kernel meanwhile), may pass the server's limit
	// because Prepare raised it, and the next request is served after.
	s := serveApp(t, []web.Route{
		{Pattern: `/up`, Handler: web.Make[bigUpload]()},
		{Pattern: `/hello`, Handler: web.Make[helloHandler]()},
	}, web.Config{Server: httpserver.Config{MaxBodySize: 1000}})
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	body := strings.Repeat("u", 200_000)
	go fmt.Fprintf(c, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%sGET /hello HTTP/1.1\r\nHost: x\r\n\r\n", len(body), body)
	br := bufio.NewReader(c)
	for _, want := range []string{"got 200000, early false", "Hello, world"} {
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, want, string(b))
	}
}
