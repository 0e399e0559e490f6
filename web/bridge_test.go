package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

// Native handlers for the bridge tests: each exercises the loop (Await,
// Flush, cookies, errors) through ServeHTTP.

type bridgeSleep struct{ web.RequestHandler }

func (h *bridgeSleep) Get(co *gen.Co) error {
	if err := gen.Sleep(co, time.Millisecond); err != nil {
		return err
	}
	h.SetHeader("X-Proto", h.Request.Version+" "+h.Request.Protocol)
	return h.Write("awoke")
}

type bridgeStream struct{ web.RequestHandler }

func (h *bridgeStream) Get(co *gen.Co) error {
	h.SetHeader("Content-Type", "text/plain")
	for i := range 50 {
		h.Write(fmt.Sprintf("line %02d %s\n", i, strings.Repeat("z", 4000)))
		if _, err := gen.Await(co, h.Flush()); err != nil {
			return err
		}
	}
	return nil
}

type bridgeCookies struct{ web.RequestHandler }

func (h *bridgeCookies) Get(co *gen.Co) error {
	h.SetCookie("a", "1", web.CookieConfig{})
	h.SetCookie("b", "2", web.CookieConfig{})
	return h.Write("seen=" + h.GetCookie("c", "none"))
}

type bridgeError struct{ web.RequestHandler }

func (h *bridgeError) Get(co *gen.Co) error {
	return web.NewHTTPError(http.StatusForbidden, "")
}

type bridgeEcho struct{ web.RequestHandler }

func (h *bridgeEcho) Post(co *gen.Co) error {
	k, err := h.GetArgument("k", "")
	if err != nil {
		return err
	}
	return h.Write(fmt.Sprintf("%s %s %s arg=%s body=%d", h.Request.Method, h.Request.Path,
		h.Request.Host, k, len(h.Request.Body)))
}

type bridgeUpload struct {
	web.RequestHandler
	n int
}

func (h *bridgeUpload) DataReceived(chunk []byte) error { h.n += len(chunk); return nil }
func (h *bridgeUpload) Put(co *gen.Co) error            { return h.Write(fmt.Sprintf("streamed %d", h.n)) }

// bridgeApp serves routes through net/http: httptest's server in front
// of Application.ServeHTTP. At the end of the test the server and the
// application are closed, and no goroutine may be left.
func bridgeApp(t *testing.T, routes []web.Route, s web.Config, tls2 bool) (*web.Application, *httptest.Server, *looptest.LogRecorder) {
	t.Helper()
	looptest.CheckLeaks(t)
	rec := looptest.NewLogRecorder(t)
	s.Logger = rec.Logger()
	app, err := web.NewApplication(routes, s)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(app)
	if tls2 {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.Close()
		srv.Client().CloseIdleConnections()
		assert.NoError(t, app.Close())
	})
	return app, srv, rec
}

func bridgeGet(t *testing.T, c *http.Client, method, url string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

var bridgeRoutes = []web.Route{
	{Pattern: `/`, Handler: web.Make[helloHandler]()},
	{Pattern: `/sleep`, Handler: web.Make[bridgeSleep]()},
	{Pattern: `/stream`, Handler: web.Make[bridgeStream]()},
	{Pattern: `/cookies`, Handler: web.Make[bridgeCookies]()},
	{Pattern: `/error`, Handler: web.Make[bridgeError]()},
	{Pattern: `/echo/.*`, Handler: web.Make[bridgeEcho]()},
	{Pattern: `/upload`, Handler: web.Make[bridgeUpload]()},
	{Pattern: `/mounted`, Handler: nethttp.NewContainer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "mounted %s %d", r.Proto, len(b))
	}), nethttp.Config{Threads: 1}).Handler()},
}

func TestServeHTTPNativeHandlers(t *testing.T) {
	_, srv, rec := bridgeApp(t, bridgeRoutes, web.Config{Server: httpserver.Config{MaxBodySize: 1 << 20}}, false)
	rec.Allow(t, slog.LevelWarn, `^request status=4`)
	c := srv.Client()

	resp, body := bridgeGet(t, c, "GET", srv.URL+"/", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Hello, world", body)
	assert.Equal(t, "text/html; charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, int64(len(body)), resp.ContentLength)
	etag := resp.Header.Get("Etag")
	assert.NotEmpty(t, etag)

	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	resp, body = bridgeGet(t, c, "HEAD", srv.URL+"/", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "", body)
	assert.Equal(t, int64(len("Hello, world")), resp.ContentLength)

	resp, body = bridgeGet(t, c, "GET", srv.URL+"/sleep", nil)
	assert.Equal(t, "awoke", body)
	assert.Equal(t, "HTTP/1.1 http", resp.Header.Get("X-Proto"))

	resp, body = bridgeGet(t, c, "GET", srv.URL+"/cookies", nil)
	assert.Equal(t, "seen=none", body)
	assert.Equal(t, []string{"a=1; Path=/", "b=2; Path=/"}, resp.Header.Values("Set-Cookie"))

	resp, body = bridgeGet(t, c, "GET", srv.URL+"/error", nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, body, "403: Forbidden")

	resp, body = bridgeGet(t, c, "POST", srv.URL+"/echo/a?k=v", strings.NewReader("xyz"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "POST /echo/a "+strings.TrimPrefix(srv.URL, "http://")+" arg=v body=3", body)

	resp, body = bridgeGet(t, c, "PUT", srv.URL+"/upload", strings.NewReader(strings.Repeat("u", 5000)))
	assert.Equal(t, "streamed 5000", body)

	resp, body = bridgeGet(t, c, "POST", srv.URL+"/mounted", strings.NewReader("abc"))
	assert.Equal(t, "mounted HTTP/1.1 3", body)

	resp, _ = bridgeGet(t, c, "POST", srv.URL+"/echo/big", strings.NewReader(strings.Repeat("b", 1<<20+1)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	resp, _ = bridgeGet(t, c, "GET", srv.URL+"/nowhere", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// A streamed response arrives piece by piece and complete.
	resp, err = c.Get(srv.URL + "/stream")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, int64(-1), resp.ContentLength)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 8192), 8192)
	n := 0
	for sc.Scan() {
		assert.True(t, strings.HasPrefix(sc.Text(), fmt.Sprintf("line %02d ", n)))
		n++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 50, n)
}

func TestServeHTTPOverHTTP2(t *testing.T) {
	_, srv, _ := bridgeApp(t, bridgeRoutes, web.Config{}, true)
	c := srv.Client()

	resp, body := bridgeGet(t, c, "GET", srv.URL+"/sleep", nil)
	assert.Equal(t, 2, resp.ProtoMajor)
	assert.Equal(t, "awoke", body)
	assert.Equal(t, "HTTP/2.0 https", resp.Header.Get("X-Proto"))

	resp, body = bridgeGet(t, c, "GET", srv.URL+"/stream", nil)
	assert.Equal(t, 2, resp.ProtoMajor)
	assert.Equal(t, 50, strings.Count(body, "\n"))

	resp, body = bridgeGet(t, c, "POST", srv.URL+"/mounted", strings.NewReader("abc"))
	assert.Equal(t, "mounted HTTP/2.0 3", body)
}

// longPoll waits for a future nobody completes, until the client goes.
type longPoll struct {
	web.RequestHandler
	started, gone chan struct{}
}

func (h *longPoll) Get(co *gen.Co) error {
	if h.Request.Query == "flush" {
		if _, err := gen.Await(co, h.Flush()); err != nil {
			return err
		}
	}
	close(h.started)
	_, err := gen.Await(co, future.New[struct{}](h.Loop()))
	return err
}

func (h *longPoll) OnConnectionClose() { close(h.gone) }

func TestServeHTTPClientGoneRunsOnConnectionClose(t *testing.T) {
	started, gone := make(chan struct{}), make(chan struct{})
	app, srv, _ := bridgeApp(t, []web.Route{
		{Pattern: `/poll`, Handler: func() web.Handler { return &longPoll{started: started, gone: gone} }},
	}, web.Config{}, false)

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/poll", nil)
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, started, "the long poll to start")
	cancel()
	waitFor(t, gone, "OnConnectionClose")
	assert.ErrorIs(t, <-errc, context.Canceled)

	// The coroutine still parked in Await is released by Close, and the
	// leak check (at cleanup) sees every goroutine gone.
	require.NoError(t, app.Close())
	resp, _ := bridgeGet(t, srv.Client(), "GET", srv.URL+"/poll", nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

// An Application is an http.Handler: net/http serves it (and so speaks
// HTTP/2 for it), with native handlers running on a loop of the
// application's own, which Close stops.
func ExampleApplication_ServeHTTP() {
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Make[helloHandler]()},
	}, web.Config{NoAccessLog: true})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(app) // or http.ListenAndServe(addr, app)
	defer app.Close()
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 Hello, world
}

func TestServeHTTPCloseAnswersRequestsInFlight(t *testing.T) {
	started, gone := make(chan struct{}), make(chan struct{})
	app, srv, rec := bridgeApp(t, []web.Route{
		{Pattern: `/poll`, Handler: func() web.Handler { return &longPoll{started: started, gone: gone} }},
	}, web.Config{}, false)
	// The parked coroutine gets ErrLoopClosed when Close closes the loop.
	rec.Allow(t, slog.LevelError, `request failed|^request status=5`)

	codes := make(chan int, 1)
	go func() {
		resp, err := srv.Client().Get(srv.URL + "/poll")
		if err != nil {
			codes <- 0
			return
		}
		resp.Body.Close()
		codes <- resp.StatusCode
	}()
	waitFor(t, started, "the long poll to start")
	require.NoError(t, app.Close())
	assert.Equal(t, http.StatusServiceUnavailable, <-codes)
}

func TestServeHTTPCloseCutsAStartedResponseShort(t *testing.T) {
	started, gone := make(chan struct{}), make(chan struct{})
	app, srv, rec := bridgeApp(t, []web.Route{
		{Pattern: `/poll`, Handler: func() web.Handler { return &longPoll{started: started, gone: gone} }},
	}, web.Config{}, false)
	rec.Allow(t, slog.LevelError, `request failed|cannot send an error page|^request status=5`)

	resp, err := srv.Client().Get(srv.URL + "/poll?flush")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	waitFor(t, started, "the long poll to start")
	require.NoError(t, app.Close())
	_, err = io.ReadAll(resp.Body)
	assert.Error(t, err, "the body ends in an error, not as if complete")
}

// ticks is shared, without a lock, by a PeriodicCallback and a handler:
// both run on the same loop.
type ticksHandler struct {
	web.RequestHandler
	ticks map[string]int
}

func (h *ticksHandler) Get(co *gen.Co) error { return h.Write(fmt.Sprint(h.ticks["n"] > 0)) }

func TestServeHTTPOnYourLoop(t *testing.T) {
	l := looptest.New(t)
	ticks := map[string]int{}
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/ticks`, Handler: func() web.Handler { return &ticksHandler{ticks: ticks} }},
	}, web.Config{Loop: l, NoAccessLog: true})
	require.NoError(t, err)
	assert.Same(t, l, app.Loop(), "Config.Loop is the loop ServeHTTP uses")
	pc := ioloop.NewPeriodicCallback(l, func() { ticks["n"]++ }, time.Millisecond)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	l.AddCallback(pc.Start)
	srv := httptest.NewServer(app)
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, app.Close())
		l.AddCallback(func() {
			pc.Stop()
			l.Stop()
		})
		<-stopped
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, body := bridgeGet(t, srv.Client(), "GET", srv.URL+"/ticks", nil)
		assert.Equal(t, 200, resp.StatusCode)
		if body == "true" || time.Now().After(deadline) {
			assert.Equal(t, "true", body)
			break
		}
	}
}
