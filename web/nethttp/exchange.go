package nethttp

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

const (
	// chunkSize is the body a worker buffers before handing it to the
	// loop: a larger response streams.
	chunkSize = 64 << 10
	// highWater bounds the bytes a worker has handed to the loop that are
	// not yet sent; past it the worker waits.
	highWater = 1 << 20
)

// exchange is one request on its way through the container: the loop's
// side (out, the raw response) and the worker's (which fills chunks) meet
// here. It is the one handoff between them: the worker hands a chunk to
// the loop with AddCallback, and waits on cond while the loop holds more
// than highWater bytes it has not sent. mu guards the fields below it;
// the others are loop-only, except the copies of the request made before
// the handoff.
type exchange struct {
	c      *Container
	app    *web.Application
	log    logger
	loop   *ioloop.IOLoop
	out    *httpserver.Response
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
}

// logger is the part of slog.Logger the exchange uses.
type logger interface {
	Error(msg string, args ...any)
	Warn(msg string, args ...any)
}

// chunk is a piece of a response handed from a worker to the loop. The
// first one carries the status and headers.
type chunk struct {
	head   bool
	status int
	header http.Header
	body   []byte
	final  bool
	abort  bool // end the response as cut short
}

// serve hands the request of f, whose raw response is out, to a worker.
// Loop-only.
func (c *Container) serve(f *FallbackHandler, out *httpserver.Response) *exchange {
	sr := f.Request.Request
	// sr is reused once the response is finished: copy what the worker
	// and the access log need now.
	log := c.log
	if log == nil {
		log = f.Application.Logger()
	}
	ex := &exchange{c: c, app: f.Application, log: log, loop: f.Loop(), out: out, start: f.Request.StartTime,
		method: sr.Method, target: sr.Target, remoteIP: sr.RemoteIP}
	ex.cond.L = &ex.mu
	req := newRequest(sr)
	ctx, cancel := context.WithCancel(context.Background())
	ex.cancel = cancel
	req = req.WithContext(ctx)
	// The future fails only if the pool dropped the task (Shutdown).
	ioloop.RunInExecutor(ex.loop, c.exec, func() (struct{}, error) {
		ex.run(c.h, req)
		return struct{}{}, nil
	}).OnDone(ex.ran)
	return ex
}

// ran runs on the loop once the worker is done with the handler, or the
// pool dropped it: then the request is answered 503.
func (ex *exchange) ran() {
	if !ex.started && !ex.closed {
		ex.unavailable()
	}
}

// unavailable answers 503: the worker pool is shut down. Loop-only.
func (ex *exchange) unavailable() {
	ex.cancel()
	ex.closed = true
	out := ex.out
	out.SetStatus(http.StatusServiceUnavailable)
	out.Header().Set("Content-Type", "text/plain; charset=utf-8")
	out.Write([]byte("503: Service Unavailable\n"))
	out.Finish()
	ex.app.LogAccess(http.StatusServiceUnavailable, ex.method, ex.target, ex.remoteIP, ex.loop.Time().Sub(ex.start))
}

// clientGone runs when the client closed the connection before the
// response was finished. Loop-only.
func (ex *exchange) clientGone() {
	ex.closed = true
	ex.cancel()
	ex.mu.Lock()
	ex.gone = true
	ex.cond.Broadcast()
	ex.mu.Unlock()
}

// handOff gives c to the loop and, unless it is the last, waits while
// too many bytes are not yet sent. It reports false if the client went
// away. Worker-only.
func (ex *exchange) handOff(c *chunk) bool {
	n := len(c.body)
	ex.mu.Lock()
	if ex.gone && !c.final {
		ex.mu.Unlock()
		return false
	}
	ex.pending += n
	for p := int64(ex.pending); p > ex.c.peak.Load(); {
		if ex.c.peak.CompareAndSwap(ex.c.peak.Load(), p) {
			break
		}
	}
	ex.mu.Unlock()
	ex.loop.AddCallback(func() { ex.deliver(c) })
	if c.final {
		return true
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for ex.pending > highWater && !ex.gone {
		ex.c.waits.Add(1)
		ex.cond.Wait()
	}
	return !ex.gone
}

// sent counts n bytes as sent and wakes a waiting worker. Loop-only.
func (ex *exchange) sent(n int) {
	ex.mu.Lock()
	ex.pending -= n
	ex.cond.Broadcast()
	ex.mu.Unlock()
}

// deliver sends a chunk from the worker. Loop-only.
func (ex *exchange) deliver(c *chunk) {
	n := len(c.body)
	if ex.closed {
		ex.sent(n)
		if c.final {
			ex.cancel()
		}
		return
	}
	out := ex.out
	ex.started = true
	if c.head {
		ex.status = c.status
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
		out.Flush().OnDone(func() { ex.sent(n) })
		return
	}
	ex.closed, ex.finished = true, true
	ex.cancel()
	if c.abort && !c.head {
		ex.log.Warn("nethttp: mounted handler aborted a response already started", "uri", ex.target)
	}
	if err := out.Finish(); err != nil {
		ex.log.Error("nethttp: mounted handler's response", "method", ex.method, "uri", ex.target, "error", err)
	}
	ex.sent(n)
	ex.app.LogAccess(ex.status, ex.method, ex.target, ex.remoteIP, ex.loop.Time().Sub(ex.start))
}
