package web

// The bridge: the Application as an http.Handler. Native handlers are
// loop code, so the application runs a loop of its own for net/http's
// requests; each request is handed to it, and the response comes back to
// the net/http goroutine through a bridgeResponse.

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// bridgeState is the loop ServeHTTP serves native handlers on, started
// on first use, and what Close must release.
type bridgeState struct {
	mu      sync.Mutex
	loop    *ioloop.IOLoop
	stopped chan struct{} // closed when the loop's Start returns (or at Close, for Config.Loop)
	closed  bool
	own     bool // the application made the loop
}

// ServeHTTP serves a request from net/http, so the application can run
// behind http.Server (and so speak HTTP/2), or be mounted in a net/http
// mux. Safe from any goroutine, as net/http calls it.
//
// The body is read first, on the calling goroutine, bounded by
// Config.Server.MaxBodySize (httpserver.DefaultMaxBodySize if zero): a
// larger one is answered 413. A route's mounted http.Handler is then
// called directly, on the calling goroutine. A native handler runs on a
// loop the application starts on its own goroutine on the first call
// (see Close); its response (status, headers, body, each Flush) comes
// back to this goroutine, which writes it to w and returns once the
// handler has finished. The handler's Flush future completes when w has
// flushed. When the request's context ends (the client went away) the
// handler's OnConnectionClose runs on the loop, and ServeHTTP returns.
//
// Differences from the HTTP/1.1 server: a streaming handler
// (BodyStreamer) gets the whole body as one chunk, once read, and the
// bound above applies to it; Config.XHeaders and DecompressRequest are
// not applied (put your own middleware in front); Request.Version is
// net/http's Proto ("HTTP/2.0" for HTTP/2); no access log record is
// written for a mounted handler called this way. After Close, ServeHTTP
// answers 503.
func (a *Application) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	limit := a.settings.Server.MaxBodySize
	if limit <= 0 {
		limit = httpserver.DefaultMaxBodySize
	}
	start := time.Now()
	if r.ContentLength > limit {
		a.bridgeError(w, r, http.StatusRequestEntityTooLarge, start)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		a.bridgeError(w, r, http.StatusBadRequest, start)
		return
	case int64(len(body)) > limit:
		a.bridgeError(w, r, http.StatusRequestEntityTooLarge, start)
		return
	}
	sr := bridgeRequest(r, body)
	ru, args := a.route(sr)
	if ru.direct != nil {
		// A mounted net/http handler (nethttp.Container): net/http's
		// goroutine is its worker.
		r.Body = io.NopCloser(bytes.NewReader(body))
		ru.direct.ServeHTTP(w, r)
		return
	}
	loop, stopped := a.bridgeLoop()
	if loop == nil {
		a.bridgeError(w, r, http.StatusServiceUnavailable, start)
		return
	}
	b := newBridgeResponse(loop, stopped)
	loop.AddCallback(func() { a.serveBridged(loop, ru, args, b, sr) })
	b.pump(w, r, stopped)
}

// bridgeError answers a request the application could not hand to a
// handler.
func (a *Application) bridgeError(w http.ResponseWriter, r *http.Request, status int, start time.Time) {
	w.Header().Set("Connection", "close")
	http.Error(w, strconv.Itoa(status)+": "+http.StatusText(status), status)
	a.LogAccess(status, r.Method, r.RequestURI, remoteIP(r.RemoteAddr), time.Since(start))
}

// serveBridged runs the handler of route ru for a request from
// ServeHTTP. Loop-only.
func (a *Application) serveBridged(loop *ioloop.IOLoop, ru *rule, args []string, b *bridgeResponse, sr *httpserver.Request) {
	if !ru.streams {
		h := a.newHandler(loop, ru, args, b, sr)
		b.SetCloseCallback(h.onConnectionClose)
		gen.Go(loop, h.execute)
		return
	}
	body := sr.Body
	sr.Body = nil
	h := a.newHandler(loop, ru, args, b, sr)
	b.SetCloseCallback(h.onConnectionClose)
	// The body waits for Prepare as it would from the server, then
	// comes as one chunk.
	bs := newBodyStream(h)
	bs.start = func() {
		if len(body) == 0 || bs.deliver(body) == nil {
			bs.complete()
		}
	}
	gen.Go(loop, h.execute)
}

// bridgeRequest builds the server request of r, whose body was read.
func bridgeRequest(r *http.Request, body []byte) *httpserver.Request {
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	sr := &httpserver.Request{
		Method:   r.Method,
		Target:   target,
		Version:  r.Proto,
		Path:     r.URL.EscapedPath(),
		Query:    r.URL.RawQuery,
		Host:     r.Host,
		Body:     body,
		RemoteIP: remoteIP(r.RemoteAddr),
		Protocol: "http",
	}
	if r.TLS != nil {
		sr.Protocol = "https"
	}
	if r.URL.Opaque != "" || target == "*" {
		sr.Path = target
	}
	if r.Host != "" {
		sr.Header.Add("Host", r.Host)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			sr.Header.Add(k, v)
		}
	}
	for k, vs := range r.Trailer {
		for _, v := range vs {
			sr.Trailer.Add(k, v)
		}
	}
	return sr
}

// remoteIP is the host part of a net/http RemoteAddr.
func remoteIP(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// Loop returns the loop ServeHTTP serves native handlers on:
// Config.Loop if set (you run it), else one the application starts on
// its own goroutine, here if not yet, and stops at Close. Code of yours
// that shares state with those handlers (a PeriodicCallback, say) runs on
// this loop, through its AddCallback, and so never races them. It
// returns nil after Close, or if the loop cannot be made. Safe from any
// goroutine.
func (a *Application) Loop() *ioloop.IOLoop {
	l, _ := a.bridgeLoop()
	return l
}

// bridgeLoop returns the loop ServeHTTP serves on, starting it on first
// use, and a channel closed when it stops (never, for Config.Loop);
// nil after Close.
func (a *Application) bridgeLoop() (*ioloop.IOLoop, <-chan struct{}) {
	s := &a.bridge
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil
	}
	if s.loop == nil && a.settings.Loop != nil {
		s.loop, s.stopped = a.settings.Loop, make(chan struct{})
	}
	if s.loop == nil {
		l, err := ioloop.New(ioloop.Config{Logger: a.logger})
		if err != nil {
			a.logger.Error("web: cannot start the application's loop", "error", err)
			return nil, nil
		}
		stopped := make(chan struct{})
		s.loop, s.stopped, s.own = l, stopped, true
		go func() {
			defer close(stopped)
			if err := l.Start(); err != nil {
				a.logger.Error("web: the application's loop", "error", err)
			}
		}()
	}
	return s.loop, s.stopped
}

// Close releases what the application started for itself: the loop
// ServeHTTP serves native handlers on, unless it is Config.Loop
// (stopped and closed: coroutines still waiting get
// ioloop.ErrLoopClosed, and requests in flight under ServeHTTP are
// answered 503, or cut short if their headers went out). Call it once
// the servers using the application have shut down; afterwards
// ServeHTTP answers 503. A second Close does nothing. Safe from any
// goroutine except a loop serving the application.
//
// An application never served through ServeHTTP started nothing: Close
// is then optional.
func (a *Application) Close() error {
	s := &a.bridge
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	l, stopped, own := s.loop, s.stopped, s.own
	s.mu.Unlock()
	if l == nil {
		return nil
	}
	if !own {
		close(stopped) // requests in flight stop waiting for it
		return nil
	}
	l.Stop()
	<-stopped
	return l.Close()
}
