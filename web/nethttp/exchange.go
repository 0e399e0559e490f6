package nethttp

import (
	"context"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// chunkSize is the body a worker buffers before handing it to the loop
// (a larger response streams), and the piece the loop reads back from a
// spill file at a time.
const chunkSize = 64 << 10

// exchange is one request on its way through the container: the loop's
// side (out, the raw response) and the worker's (which fills chunks) meet
// here. It is the one handoff between them, Waitress's channel and task:
// the worker hands each chunk to the loop with AddCallback; the loop
// sends chunks in order, one piece in flight at a time. What the worker
// hands over beyond Config.OutbufOverflow unsent bytes goes to a spill
// file instead of memory, and the worker waits only when more than
// Config.OutbufHighWatermark bytes are unsent. mu guards the fields below
// it; the others are loop-only, except the copies of the request made
// before the handoff and the worker's own (spillEnd).
type exchange struct {
	c      *Container
	app    *web.Application
	log    logger
	loop   *ioloop.IOLoop
	out    *httpserver.Response
	cancel context.CancelFunc
	start  time.Time
	body   *requestBody // the request body, if it came streamed

	method, target, remoteIP string

	status     int      // loop-only: the status sent
	started    bool     // loop-only: the first chunk came
	closed     bool     // loop-only: the client went away, or the response is finished
	finished   bool     // loop-only
	queue      []*chunk // loop-only: chunks to send, in order
	sending    bool     // loop-only: a piece is in flight
	workerDone bool     // loop-only: the worker is done with the exchange
	spillEnd   int64    // worker-only: the spill file's length
	spillBuf   []byte   // loop-only: reused to read pieces of the spill file

	mu      sync.Mutex
	cond    sync.Cond
	gone    bool     // the client went away: the worker stops
	pending int64    // bytes handed to the loop and not yet sent
	inMem   int64    // of which in memory
	spill   *os.File // the spill file, once needed; closed by the loop
}

// logger is the part of slog.Logger the exchange uses.
type logger interface {
	Error(msg string, args ...any)
	Warn(msg string, args ...any)
}

// chunk is a piece of a response handed from a worker to the loop: bytes
// in memory, or n bytes of the spill file at off. The first one carries
// the status and headers.
type chunk struct {
	head   bool
	status int
	header http.Header
	body   []byte
	off, n int64 // in the spill file, when body is nil and n > 0
	final  bool
	abort  bool // end the response as cut short
}

// size is the chunk's body length.
func (c *chunk) size() int64 {
	if c.body != nil {
		return int64(len(c.body))
	}
	return c.n
}

// serve hands the request of f, whose raw response is out, to a worker.
// Loop-only.
func (c *Container) serve(f *FallbackHandler, out *httpserver.Response) *exchange {
	sr := f.Request.Request
	log := c.log
	if log == nil {
		log = f.Application.Logger()
	}
	// sr is reused once the response is finished: copy what the worker
	// and the access log need now.
	ex := &exchange{c: c, app: f.Application, log: log, loop: f.Loop(), out: out, start: f.Request.StartTime,
		method: sr.Method, target: sr.Target, remoteIP: sr.RemoteIP, body: f.body}
	ex.cond.L = &ex.mu
	req := newRequest(sr, f.body)
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
	ex.workerDone = true
	ex.body.close()
	if !ex.started && !ex.closed {
		ex.unavailable()
	}
	ex.release()
}

// release closes the spill file once neither side needs it. Loop-only.
func (ex *exchange) release() {
	if !ex.workerDone || !ex.closed {
		return
	}
	ex.mu.Lock()
	f := ex.spill
	ex.spill = nil
	ex.mu.Unlock()
	if f != nil {
		f.Close()
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
// response was finished (or it was cut for making no progress). Loop-only.
func (ex *exchange) clientGone() {
	ex.closed = true
	ex.queue = nil
	ex.cancel()
	ex.mu.Lock()
	ex.gone = true
	ex.cond.Broadcast()
	ex.mu.Unlock()
	ex.release()
}
