package web

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
)

// bridgeResponse is the responder of a native handler serving a request
// from ServeHTTP. The handler's side (Header, SetStatus, Write, Flush,
// Finish) is loop-only and never blocks: Flush and Finish queue a
// message, and the net/http goroutine (pump) takes the queue and writes
// it to its ResponseWriter. mu guards the queue and gone.
type bridgeResponse struct {
	loop     *ioloop.IOLoop
	header   httputil.Headers
	status   int
	body     []byte
	started  bool // the head was queued
	finished bool
	closed   bool // the client went away
	onClose  func()

	// stopped is closed when the loop stops (Close): what handlers send
	// afterwards, released by the loop's closing, is dropped.
	stopped <-chan struct{}

	mu    sync.Mutex
	queue []*bridgeMsg
	gone  bool          // the net/http side has returned
	ready chan struct{} // signalled when the queue grows
}

// bridgeMsg is a piece of the response, from the loop to the net/http
// goroutine: the head (first message only), a body chunk, and a Flush
// future to complete or the end of the response.
type bridgeMsg struct {
	head    bool
	status  int
	header  *httputil.Headers
	body    []byte
	flushed *future.Future[struct{}]
	final   bool
}

func newBridgeResponse(loop *ioloop.IOLoop, stopped <-chan struct{}) *bridgeResponse {
	return &bridgeResponse{loop: loop, stopped: stopped, status: http.StatusOK, ready: make(chan struct{}, 1)}
}

func (b *bridgeResponse) Header() *httputil.Headers { return &b.header }

func (b *bridgeResponse) SetStatus(code int) { b.status = code }

// SetReason does nothing: a net/http ResponseWriter always sends the
// standard reason phrase.
func (b *bridgeResponse) SetReason(string) {}

func (b *bridgeResponse) Write(p []byte) (int, error) {
	if b.finished {
		return 0, httpserver.ErrFinished
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

func (b *bridgeResponse) SetCloseCallback(fn func()) { b.onClose = fn }

// Flush queues the head (the first time) and the body so far; the
// future completes once the net/http goroutine has written and flushed
// them, or fails if the client went away.
func (b *bridgeResponse) Flush() *future.Future[struct{}] {
	switch {
	case b.finished:
		return future.Failed[struct{}](b.loop, httpserver.ErrFinished)
	case b.closed:
		return future.Failed[struct{}](b.loop, httpserver.ErrConnectionClosed)
	}
	f := future.New[struct{}](b.loop)
	if !b.post(&bridgeMsg{flushed: f}) {
		f.SetError(httpserver.ErrConnectionClosed)
	}
	return f
}

// Finish queues the end of the response. A second call returns
// httpserver.ErrFinished.
func (b *bridgeResponse) Finish() error {
	if b.finished {
		return httpserver.ErrFinished
	}
	b.finished = true
	b.post(&bridgeMsg{final: true})
	return nil
}

// post fills m with the head and body and queues it; it reports false if
// the net/http side has gone. Loop-only.
func (b *bridgeResponse) post(m *bridgeMsg) bool {
	if !b.started {
		b.started = true
		m.head, m.status, m.header = true, b.status, b.header.Clone()
	}
	m.body, b.body = b.body, nil
	select {
	case <-b.stopped:
		return false
	default:
	}
	b.mu.Lock()
	if b.gone {
		b.mu.Unlock()
		return false
	}
	b.queue = append(b.queue, m)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
	return true
}

// clientGone runs the handler's close callback, when the request's
// context ended before the response was finished. Loop-only.
func (b *bridgeResponse) clientGone() {
	if b.closed || b.finished {
		return
	}
	b.closed = true
	if b.onClose != nil {
		b.onClose()
	}
}

// pump writes the queued messages to w until the final one, the end of
// r's context, or the loop stopping (Close): then it answers 503, or
// aborts the response (http.ErrAbortHandler) if its head went out. It
// runs on the net/http goroutine.
func (b *bridgeResponse) pump(w http.ResponseWriter, r *http.Request, stopped <-chan struct{}) {
	p := bridgePump{w: w, rc: http.NewResponseController(w), head: r.Method == "HEAD"}
	for {
		select {
		case <-b.ready:
			if p.drain(b) {
				return
			}
		case <-r.Context().Done():
			b.leave()
			b.loop.AddCallback(b.clientGone)
			return
		case <-stopped:
			if p.drain(b) {
				return
			}
			b.leave()
			if p.wroteHead {
				// net/http's way to cut a response short: the client
				// sees an error, not a complete body.
				panic(http.ErrAbortHandler)
			}
			w.Header().Set("Connection", "close")
			http.Error(w, "503: Service Unavailable", http.StatusServiceUnavailable)
			return
		}
	}
}

// leave marks the net/http side gone and fails the Flush futures still
// queued.
func (b *bridgeResponse) leave() {
	b.mu.Lock()
	b.gone = true
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	for _, m := range q {
		if m.flushed != nil {
			m.flushed.SetError(httpserver.ErrConnectionClosed)
		}
	}
}

// bridgePump is the net/http side's state while it writes a response.
type bridgePump struct {
	w         http.ResponseWriter
	rc        *http.ResponseController
	head      bool // a HEAD request: no body goes out
	status    int
	wroteHead bool
	err       error // writing failed: the client went away
}

// drain writes what is queued, and reports whether the response ended.
func (p *bridgePump) drain(b *bridgeResponse) bool {
	b.mu.Lock()
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	for _, m := range q {
		p.write(m)
		if m.flushed != nil {
			if p.err != nil {
				m.flushed.SetError(httpserver.ErrConnectionClosed)
			} else {
				m.flushed.SetResult(struct{}{})
			}
		}
		if m.final {
			return true
		}
	}
	return false
}

// write writes one message to the ResponseWriter.
func (p *bridgePump) write(m *bridgeMsg) {
	if p.err != nil {
		return
	}
	if m.head {
		p.status = m.status
		hd := p.w.Header()
		for k, v := range m.header.All() {
			hd.Add(k, v)
		}
		// A response finished at once gets its length, as from the
		// HTTP/1.1 server, HEAD included.
		if m.final && !m.header.Has("Content-Length") && bodyAllowedForStatus(m.status) {
			hd.Set("Content-Length", strconv.Itoa(len(m.body)))
		}
		p.w.WriteHeader(m.status)
		p.wroteHead = true
	}
	if len(m.body) > 0 && !p.head && bodyAllowedForStatus(p.status) {
		if _, err := p.w.Write(m.body); err != nil {
			p.err = err
			return
		}
	}
	if m.flushed != nil {
		if err := p.rc.Flush(); err != nil && err != http.ErrNotSupported {
			p.err = err
		}
	}
}

// bodyAllowedForStatus reports whether a response with status may have
// a body (not 1xx, 204 or 304).
func bodyAllowedForStatus(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
