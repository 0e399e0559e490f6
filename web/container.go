package web

// The container: any net/http Handler mounted on a route
// (Route.HTTPHandler) runs on the application's worker pool, never on the
// loop, as Tornado's WSGIContainer runs a WSGI app and Waitress its
// tasks. The loop has read the whole request; a worker runs the handler,
// which writes into a buffer (containerWriter); the loop sends the
// buffered bytes (containerResponse.deliver). Workers never touch a
// socket.
//
// Memory: a body is handed to the loop in chunks of containerChunkSize,
// and a worker that has handed over more than containerHighWater bytes
// the loop has not yet sent waits for the loop to drain them, so a slow
// client holds at most about containerHighWater+containerChunkSize bytes
// per response, and a worker for as long as it is slow. The design's
// other option, overflowing to a temporary file (Waitress), is left out:
// it frees the worker sooner but puts the body on disk, and backpressure
// alone already bounds memory.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

const (
	// containerChunkSize is the body a worker buffers before handing it
	// to the loop: a larger response streams.
	containerChunkSize = 64 << 10
	// containerHighWater bounds the bytes a worker has handed to the loop
	// that are not yet sent; past it the worker waits.
	containerHighWater = 1 << 20
)

// containerStarted, if set (by tests), sees each mounted response made.
var containerStarted func(*containerResponse)

// errClientGone is what a mounted handler's Write returns once the client
// has closed the connection.
var errClientGone = errors.New("web: client closed the connection")

// executor returns the worker pool of mounted handlers: Settings.Executor,
// or one the application makes on first use (and Close shuts down). It
// returns nil after Close.
func (a *Application) executor() *ioloop.Executor {
	a.execOnce.Do(func() {
		if a.settings.Executor != nil {
			a.exec = a.settings.Executor
			return
		}
		a.exec = ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: ioloop.DefaultExecutorWorkers, Logger: a.logger})
		a.bridge.ownExec = true
	})
	return a.exec
}

// serveMounted serves sr with the net/http handler h on a worker. Loop-only.
func (a *Application) serveMounted(loop *ioloop.IOLoop, h http.Handler, out responder, sr *httpserver.Request) {
	// sr is reused once the response is finished: copy what the worker and
	// the access log need now.
	cr := &containerResponse{app: a, loop: loop, out: out, start: a.now(),
		method: sr.Method, target: sr.Target, remoteIP: sr.RemoteIP}
	cr.cond.L = &cr.mu
	if containerStarted != nil {
		containerStarted(cr)
	}
	req := containerRequest(sr)
	ctx, cancel := context.WithCancel(context.Background())
	cr.cancel = cancel
	req = req.WithContext(ctx)
	out.SetCloseCallback(cr.clientGone)
	exec := a.executor()
	if exec == nil {
		cr.unavailable()
		return
	}
	// The future fails only if the pool dropped the task (Shutdown).
	ioloop.RunInExecutor(loop, exec, func() (struct{}, error) {
		cr.run(h, req)
		return struct{}{}, nil
	}).OnDone(cr.ran)
}

// ran runs on the loop once the worker is done with the handler, or the
// pool dropped it: then the request is answered 503.
func (cr *containerResponse) ran() {
	if !cr.started && !cr.closed {
		cr.unavailable()
	}
}

// unavailable answers 503: the worker pool is shut down. Loop-only.
func (cr *containerResponse) unavailable() {
	cr.cancel()
	cr.closed = true
	out := cr.out
	out.SetStatus(http.StatusServiceUnavailable)
	out.Header().Set("Content-Type", "text/plain; charset=utf-8")
	out.Write([]byte("503: Service Unavailable\n"))
	out.Finish()
	cr.app.logAccess(http.StatusServiceUnavailable, cr.method, cr.target, cr.remoteIP, cr.start)
}

// containerRequest builds the net/http request of sr, with a copy of its
// body. RemoteAddr is the client's IP with port 0 (the server knows no
// more); TLS is an empty ConnectionState when the request came over
// HTTPS (or a proxy said so, with Config.XHeaders).
func containerRequest(sr *httpserver.Request) *http.Request {
	u, err := url.ParseRequestURI(sr.Target)
	if err != nil {
		u = &url.URL{Path: sr.Path, RawQuery: sr.Query}
	}
	major, minor, ok := http.ParseHTTPVersion(sr.Version)
	if !ok {
		major, minor = 1, 1
	}
	hd := make(http.Header, sr.Header.Len())
	for k, v := range sr.Header.All() {
		hd.Add(k, v)
	}
	hd.Del("Host") // net/http keeps it in Request.Host only
	// The body is whole: it is no longer chunked, and its length is known.
	hd.Del("Transfer-Encoding")
	r := &http.Request{
		Method:     sr.Method,
		URL:        u,
		Proto:      sr.Version,
		ProtoMajor: major,
		ProtoMinor: minor,
		Header:     hd,
		Body:       http.NoBody,
		Host:       sr.Host,
		RemoteAddr: net.JoinHostPort(sr.RemoteIP, "0"),
		RequestURI: sr.Target,
		Close:      tokenListContains(hd.Get("Connection"), "close") || (major == 1 && minor == 0 && !tokenListContains(hd.Get("Connection"), "keep-alive")),
	}
	if len(sr.Body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(bytes.Clone(sr.Body)))
		r.ContentLength = int64(len(sr.Body))
	}
	if sr.Trailer.Len() > 0 {
		r.Trailer = make(http.Header, sr.Trailer.Len())
		for k, v := range sr.Trailer.All() {
			r.Trailer.Add(k, v)
		}
	}
	if sr.Protocol == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true}
	}
	return r
}

// containerResponse is one mounted handler's response, shared by its
// worker (which fills chunks) and the loop (which sends them). mu guards
// the fields below it; the others are loop-only, except the copies of
// the request made before the handoff.
type containerResponse struct {
	app    *Application
	loop   *ioloop.IOLoop
	out    responder
	cancel context.CancelFunc
	start  time.Time

	method, target, remoteIP string

	status   int  // loop-only: the status sent
	started  bool // loop-only: the first chunk came
	closed   bool // loop-only: the client went away, or the response is finished
	finished bool // loop-only

	mu      sync.Mutex
	cond    sync.Cond
	gone    bool // the client went away: the worker stops
	pending int  // bytes handed to the loop and not yet sent
	peak    int  // the most pending ever was, for tests
	waits   int  // times the worker waited for the loop, for tests
}

// containerChunk is a piece of a response handed from a worker to the
// loop. The first one carries the status and headers.
type containerChunk struct {
	head   bool
	status int
	header http.Header
	body   []byte
	final  bool
	abort  bool // end the response as cut short
}

// clientGone is the response's close callback: the client closed the
// connection before the response was finished. Loop-only.
func (cr *containerResponse) clientGone() {
	cr.closed = true
	cr.cancel()
	cr.mu.Lock()
	cr.gone = true
	cr.cond.Broadcast()
	cr.mu.Unlock()
}

// handOff gives c to the loop and, unless it is the last, waits while
// too many bytes are not yet sent. It reports false if the client went
// away. Worker-only.
func (cr *containerResponse) handOff(c *containerChunk) bool {
	n := len(c.body)
	cr.mu.Lock()
	if cr.gone && !c.final {
		cr.mu.Unlock()
		return false
	}
	cr.pending += n
	cr.peak = max(cr.peak, cr.pending)
	cr.mu.Unlock()
	cr.loop.AddCallback(func() { cr.deliver(c) })
	if c.final {
		return true
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for cr.pending > containerHighWater && !cr.gone {
		cr.waits++
		cr.cond.Wait()
	}
	return !cr.gone
}

// sent counts n bytes as sent and wakes a waiting worker. Loop-only.
func (cr *containerResponse) sent(n int) {
	cr.mu.Lock()
	cr.pending -= n
	cr.cond.Broadcast()
	cr.mu.Unlock()
}

// deliver sends a chunk from the worker. Loop-only.
func (cr *containerResponse) deliver(c *containerChunk) {
	n := len(c.body)
	if cr.closed {
		cr.sent(n)
		if c.final {
			cr.cancel()
		}
		return
	}
	out := cr.out
	cr.started = true
	if c.head {
		cr.status = c.status
		out.SetStatus(c.status)
		hd := out.Header()
		for k, vs := range c.header {
			for _, v := range vs {
				hd.Add(k, v)
			}
		}
	}
	out.Write(c.body)
	if !c.final {
		out.Flush().OnDone(func() { cr.sent(n) })
		return
	}
	cr.closed, cr.finished = true, true
	cr.cancel()
	if c.abort && !c.head {
		cr.app.logger.Warn("web: mounted handler aborted a response already started", "uri", cr.target)
	}
	if err := out.Finish(); err != nil {
		cr.app.logger.Error("web: mounted handler's response", "method", cr.method, "uri", cr.target, "error", err)
	}
	cr.sent(n)
	cr.app.logAccess(cr.status, cr.method, cr.target, cr.remoteIP, cr.start)
}

// run calls the handler on a worker and hands its response to the loop.
// A panic answers 500 if the headers are not sent yet, and is logged,
// except http.ErrAbortHandler, which only cuts the response short.
func (cr *containerResponse) run(h http.Handler, r *http.Request) {
	w := &containerWriter{cr: cr, header: make(http.Header), method: r.Method}
	defer func() {
		v := recover()
		if v == nil {
			w.finish(false)
			return
		}
		if v != http.ErrAbortHandler {
			cr.app.logger.Error("web: mounted handler panicked", "method", r.Method, "uri", r.RequestURI,
				"panic", fmt.Sprint(v), "stack", string(stack()))
		}
		if w.sentHead {
			w.buf = nil
			w.finish(true)
			return
		}
		w.header = http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"}}
		if v == http.ErrAbortHandler {
			w.header.Set("Connection", "close")
		}
		w.status = 0
		w.WriteHeader(http.StatusInternalServerError)
		w.buf = append(w.buf[:0], "500: Internal Server Error\n"...)
		w.finish(false)
	}()
	h.ServeHTTP(w, r)
}

// logAccess writes the access log record of a request served without a
// RequestHandler, as logRequest does for one.
func (a *Application) logAccess(status int, method, uri, remoteIP string, start time.Time) {
	if a.settings.NoAccessLog {
		return
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	ctx := context.Background()
	if !a.access.Enabled(ctx, level) {
		return
	}
	a.access.LogAttrs(ctx, level, "request",
		slog.Int("status", status),
		slog.String("method", method),
		slog.String("uri", uri),
		slog.String("remote_ip", remoteIP),
		slog.Duration("duration", a.now().Sub(start)))
}
