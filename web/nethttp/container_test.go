package nethttp_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

func TestMountedHandlerDoesNotBlockTheLoop(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release // the worker blocks; the loop must not
		io.WriteString(w, "slow")
	})
	s := serveApp(t, []web.Route{
		{Pattern: `/slow`, Handler: mountH(t, slow)},
		{Pattern: `/fast`, Handler: web.Make[helloHandler]()},
	}, web.Config{})

	var order []string
	slowDone := make(chan string)
	go func() {
		_, body := s.Get("/slow")
		slowDone <- body
	}()
	waitFor(t, started, "the mounted handler")
	_, body := s.Get("/fast") // answered while the mounted handler blocks
	order = append(order, body)
	close(release)
	order = append(order, <-slowDone)
	assert.Equal(t, []string{"Hello, world", "slow"}, order)
}

func TestMountedSleepingHandlerAndFileServer(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello from disk\n"), 0o644))
	sleeping := make(chan struct{})
	sleep := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(sleeping)
		time.Sleep(200 * time.Millisecond)
		io.WriteString(w, "slept")
	})
	s := serveApp(t, []web.Route{
		{Pattern: `/files/.*`, Handler: mountH(t, http.StripPrefix("/files", http.FileServer(http.Dir(dir))))},
		{Pattern: `/sleep`, Handler: mountH(t, sleep)},
		{Pattern: `/fast`, Handler: web.Make[helloHandler]()},
	}, web.Config{})
	done := make(chan string, 2)
	go func() {
		_, body := s.Get("/sleep")
		done <- body
	}()
	waitFor(t, sleeping, "the sleeping handler")
	go func() {
		_, body := s.Get("/fast")
		done <- body
	}()
	// The native route answers while the worker sleeps: it finishes first.
	assert.Equal(t, "Hello, world", <-done)
	assert.Equal(t, "slept", <-done)

	resp, body := s.Get("/files/hello.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello from disk\n", body)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.NotEmpty(t, resp.Header.Get("Last-Modified"))

	resp, body = s.Do("HEAD", "/files/hello.txt", "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "", body)
	assert.Equal(t, int64(len("hello from disk\n")), resp.ContentLength)

	resp, _ = s.Get("/files/hello.txt", "If-Modified-Since", resp.Header.Get("Last-Modified"))
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	resp, _ = s.Get("/files/missing.txt")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// echo answers with what net/http shows it of the request.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	fmt.Fprintf(w, "%s %s %s %s q=%s x=%v body=%s len=%d remote=%s/%s/%v tls=%v ctx=%v",
		r.Method, r.RequestURI, r.URL.Path, r.Proto, r.URL.Query().Get("q"), r.Header.Values("X-Multi"),
		body, r.ContentLength, host, port, err, r.TLS != nil, r.Context().Err())
	if r.Host == "" || r.Header.Get("Host") != "" {
		fmt.Fprintf(w, " bad host %q", r.Host)
	}
})

// statuses answers with the status, headers and body its query asks for.
var statuses = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, c := range q["cookie"] {
		http.SetCookie(w, &http.Cookie{Name: c, Value: "v-" + c, Path: "/"})
	}
	if ct := q.Get("ct"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	var code int
	fmt.Sscan(q.Get("code"), &code)
	if code != 0 {
		w.WriteHeader(code)
	}
	if b := q.Get("body"); b != "" {
		_, err := io.WriteString(w, b)
		if err != nil {
			w.Header().Set("X-Late", "ignored") // too late: headers went out
		}
	}
})

func TestMountedRequestAndResponsePassThrough(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/echo/.*`, Handler: mountH(t, echo)},
		{Pattern: `/status`, Handler: mountH(t, statuses)},
	}, web.Config{})
	// Mounted handlers write the access log as native ones do.
	looptest.ExpectLog(t, s.Loop, slog.LevelInfo, `^request status=201 method=GET uri=/status\?code=201&body=made remote_ip=127.0.0.1 duration=`)
	looptest.ExpectLog(t, s.Loop, slog.LevelWarn, `^request status=404 method=GET uri=/status\?code=404`)

	req, err := http.NewRequest("PUT", s.URL+"/echo/a%20b?q=1", strings.NewReader("payload"))
	require.NoError(t, err)
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	resp, err := s.Client.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "PUT /echo/a%20b?q=1 /echo/a b HTTP/1.1 q=1 x=[one two] body=payload len=7 remote=127.0.0.1/0/<nil> tls=false ctx=<nil>", string(b))

	cases := []struct {
		name, query string
		method      string
		code        int
		body        string
		ctype       string
		cookies     []string
	}{
		{name: "default 200, sniffed type", query: "body=<html><body>hi", code: 200, body: "<html><body>hi", ctype: "text/html; charset=utf-8"},
		{name: "explicit type", query: "body={}&ct=application/json", code: 200, body: "{}", ctype: "application/json"},
		{name: "201", query: "code=201&body=made", code: 201, body: "made"},
		{name: "404 with body", query: "code=404&body=gone", code: 404, body: "gone"},
		{name: "418 without body", query: "code=418", code: 418, body: ""},
		{name: "204 refuses a body", query: "code=204&body=nope", code: 204, body: ""},
		{name: "304 refuses a body", query: "code=304&body=nope", code: 304, body: ""},
		{name: "cookies", query: "cookie=a&cookie=b&body=c", code: 200, body: "c", cookies: []string{"a=v-a; Path=/", "b=v-b; Path=/"}},
		{name: "HEAD", method: "HEAD", query: "body=12345", code: 200, body: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.method
			if m == "" {
				m = "GET"
			}
			resp, body := s.Do(m, "/status?"+tc.query, "")
			assert.Equal(t, tc.code, resp.StatusCode)
			assert.Equal(t, tc.body, body)
			if tc.ctype != "" {
				assert.Equal(t, tc.ctype, resp.Header.Get("Content-Type"))
			}
			if tc.cookies != nil {
				assert.Equal(t, tc.cookies, resp.Header.Values("Set-Cookie"))
			}
			assert.Empty(t, resp.Header.Get("X-Late"))
			if m == "HEAD" {
				assert.Equal(t, int64(5), resp.ContentLength)
			}
		})
	}
}

func TestMountedStreamingResponse(t *testing.T) {
	const chunks, size = 300, 3000
	stream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for i := range chunks {
			fmt.Fprintf(w, "%05d%s\n", i, strings.Repeat("x", size-6))
			w.(http.Flusher).Flush()
		}
	})
	big := bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16) // 5 MiB in one Write
	large := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(big)
	})
	s := serveApp(t, []web.Route{
		{Pattern: `/stream`, Handler: mountH(t, stream)},
		{Pattern: `/large`, Handler: mountH(t, large)},
	}, web.Config{})

	resp, err := s.Client.Get(s.URL + "/stream")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, size+1), size+1)
	n := 0
	for sc.Scan() {
		assert.Equal(t, fmt.Sprintf("%05d", n), sc.Text()[:5])
		assert.Len(t, sc.Text(), size-1)
		n++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, chunks, n)

	_, body := s.Get("/large")
	assert.True(t, body == string(big), "the large body arrived intact (%d of %d bytes)", len(body), len(big))
}

func TestMountedPanicAnswers500(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/panic`, Handler: mountH(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Before", "dropped")
			io.WriteString(w, "partial, dropped")
			panic("boom")
		}))},
		{Pattern: `/abort`, Handler: mountH(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			panic(http.ErrAbortHandler)
		}))},
		{Pattern: `/late`, Handler: mountH(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			io.WriteString(w, "started")
			w.(http.Flusher).Flush()
			panic("late boom")
		}))},
	}, web.Config{})
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `mounted handler panicked .*panic=boom`)
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `mounted handler panicked .*panic=late boom`)
	logs := looptest.Logs(s.Loop)
	logs.Allow(t, slog.LevelError, `^request status=500`)
	logs.Allow(t, slog.LevelWarn, `aborted a response already started`)
	logs.Allow(t, slog.LevelError, `mounted handler's response`)

	resp, body := s.Get("/panic")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "500: Internal Server Error\n", body)
	assert.Empty(t, resp.Header.Get("X-Before"))

	resp, _ = s.Get("/abort") // not logged as a panic
	assert.Equal(t, 500, resp.StatusCode)
	assert.True(t, resp.Close)

	// Headers went out: the response is cut short, the client sees an
	// error rather than a complete body.
	resp, err := s.Client.Get(s.URL + "/late")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Error(t, err)

	_, body = s.Get("/abort-not-routed")
	assert.Contains(t, body, "404")
}

func TestMountedClientDisconnectCancelsContext(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	s := serveApp(t, []web.Route{
		{Pattern: `/wait`, Handler: mountH(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-r.Context().Done()
			close(cancelled)
		}))},
	}, web.Config{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	_, err = io.WriteString(conn, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	waitFor(t, started, "the mounted handler")
	conn.Close()
	waitFor(t, cancelled, "the request context to be cancelled")
}

type echoNative struct{ web.RequestHandler }

func (h *echoNative) Get(co *gen.Co) error { return h.Write("native") }

func TestMountedHandlerWithoutWorkersAnswers503(t *testing.T) {
	exec := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 1})
	started, release := make(chan struct{}), make(chan struct{})
	var first sync.Once
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() {
			close(started)
			<-release
		})
		io.WriteString(w, "ran")
	})
	_, route := mount(t, h, nethttp.Config{Executor: exec})
	s := serveApp(t, []web.Route{{Pattern: `/h`, Handler: route}}, web.Config{})
	looptest.Logs(s.Loop).Allow(t, slog.LevelError, `^request status=503`)
	t.Cleanup(func() { exec.Shutdown(ioloop.ShutdownConfig{Timeout: time.Second}) })

	// The only worker is busy: the second request waits in the queue,
	// and is answered 503 when the pool drops it.
	firstDone := make(chan string)
	go func() {
		_, body := s.Get("/h")
		firstDone <- body
	}()
	waitFor(t, started, "the first request")
	secondDone := make(chan int)
	go func() {
		resp, _ := s.Get("/h")
		secondDone <- resp.StatusCode
	}()
	waitUntil(t, "the second request to queue", func() bool { return exec.QueueDepth() == 1 })
	go exec.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: 10 * time.Second})
	assert.Equal(t, http.StatusServiceUnavailable, <-secondDone)
	close(release)
	assert.Equal(t, "ran", <-firstDone)

	// After the container's Close, with a pool of its own, its routes
	// answer 503 too.
	c2, route2 := mount(t, h, nethttp.Config{})
	s2 := serveApp(t, []web.Route{{Pattern: `/h`, Handler: route2}}, web.Config{})
	looptest.Logs(s2.Loop).Allow(t, slog.LevelError, `^request status=503`)
	_, body := s2.Get("/h")
	assert.Equal(t, "ran", body)
	require.NoError(t, c2.Close())
	resp, _ := s2.Get("/h")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

// mountH mounts h in a container of its own, closed at the end of the test.
func mountH(t *testing.T, h http.Handler) func() web.Handler {
	_, route := mount(t, h, nethttp.Config{})
	return route
}
