package httpserver

import (
	"net"
	"net/netip"
	"runtime/debug"
	"strconv"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/internal/logattr"
	"github.com/gornado/gornado/iostream"
)

// Connection states.
const (
	stHead     = iota // waiting for (the rest of) a request head
	stBody            // reading a request body
	stHandling        // the delegate has the whole request
	stClosed
	stDetached // the connection was taken over (Response.Detach)
)

// conn is one HTTP/1.1 connection: a state machine driven by the stream's
// push reads. It owns no goroutine; between requests it holds no buffer.
type conn struct {
	// Tens of thousands of these may sit idle: keep it small (80 bytes),
	// and keep it the stream's read handler itself rather than a method
	// value, which would cost an allocation of its own.
	srv      *Server
	s        *iostream.IOStream
	ex       *exchange // the request in progress; nil between requests
	deadline int64     // unix nanoseconds; 0 for none
	peerIP   string
	// The write progress (IOStream.WriteProgress) last seen by the
	// sweeper while output was queued, and since when it has not moved
	// (unix nanoseconds; 0 while nothing is queued).
	progress   int64
	stallSince int64
	idx        int32 // index in srv.conns; -1 once dropped

	state       uint8
	headStarted bool // some bytes of the next head arrived
	lineOK      bool // the request line of a partial head is valid
	closeAfter  bool
	earlyFinish bool // the response finished before the body was read
	paused      bool // reading stopped (a delegate's pause, or an answer to come)
	https       bool
}

func newConn(srv *Server, s *iostream.IOStream, idx int32) *conn {
	c := &conn{srv: srv, s: s, idx: idx}
	if a, ok := s.RemoteAddr().(*net.TCPAddr); ok {
		peer, _ := netip.AddrFromSlice(a.IP)
		c.peerIP = peer.Unmap().String()
	} else {
		c.peerIP = "0.0.0.0" // a Unix socket has no address: Tornado's stand-in
	}
	if ts, ok := any(s).(interface{ TLS() bool }); ok && ts.TLS() {
		c.https = true
	}
	c.deadline = srv.after(srv.cfg.IdleTimeout)
	// Responses go out whole; Nagle's delay would only hold back the last
	// segment (Go's net and Tornado turn it off too).
	s.SetNodelay(true)
	s.SetCloseCallback(c.onClose)
	s.SetReadHandler(c)
	return c
}

// protocol is the request's Protocol: "http" or "https".
func (c *conn) protocol() string {
	if c.https {
		return "https"
	}
	return "http"
}

// HandleRead is the stream's read handler: it parses what arrived and
// returns how much it consumed; what it leaves (a partial head, a
// pipelined request while a handler runs) is offered again with the next
// bytes, or when reading resumes. Every delegate call happens under it,
// so a delegate's panic is recovered here.
func (c *conn) HandleRead(data []byte) (n int) {
	defer func() {
		if v := recover(); v != nil {
			c.panicked(v)
			n = len(data)
		}
	}()
	for n < len(data) && !c.paused {
		switch c.state {
		case stHead:
			used, ok := c.readHead(data[n:])
			n += used
			if !ok {
				return n
			}
		case stBody:
			used := c.readBody(data[n:])
			n += used
			if used == 0 {
				return n
			}
		default:
			return n
		}
	}
	return n
}

// panicked answers a request whose delegate panicked: 500 if nothing was
// sent yet, else the connection is cut.
func (c *conn) panicked(v any) {
	c.srv.log.Error("httpserver: handler panicked", "panic", v, logattr.Stack(debug.Stack()))
	if c.ex != nil && !c.ex.resp.started && !c.ex.resp.finished {
		c.reject(errHandlerPanicked)
	} else {
		c.close()
	}
}

// pause stops reading: the kernel holds what the client sends meanwhile,
// so a client pipelining requests (or pushing a body nobody is ready
// for) waits there, not in our buffer. The stream still notices the
// client closing, for long polls.
func (c *conn) pause() {
	if !c.paused && c.state != stClosed && c.state != stDetached {
		c.paused = true
		c.s.SetReadHandler(nil)
	}
}

// resume reads again, delivering at once what is buffered (from inside a
// read, the delivery simply goes on).
func (c *conn) resume() {
	if c.paused {
		c.paused = false
		c.s.SetReadHandler(c)
	}
}

// willClose reports whether the connection closes after this response.
func (c *conn) willClose() bool {
	return c.closeAfter || !c.ex.req.keepOpen || c.srv.cfg.NoKeepAlive || c.srv.shuttingDown
}

// finishRequest runs when the response is finished: the connection closes
// once the response is flushed, or waits for the next request.
func (c *conn) finishRequest() {
	if c.state == stClosed || c.state == stDetached {
		return
	}
	c.ex.done = true
	if c.state == stBody && c.ex.inflating {
		// Answered while the body inflates: all of it was read, so
		// there is nothing to drop; inflating stops.
		c.ex.inflating = false
		c.state = stHandling
	}
	if c.state == stHead || c.state == stBody {
		// Finished before the body was read (from HeadersReceived or
		// DataReceived): the body is dropped, then the exchange ends.
		if c.state == stBody && !c.earlyFinish {
			c.earlyFinish = true
			if c.ex.wantContinue {
				// The client holds the body back for a 100 Continue
				// that will not come: close after the answer.
				c.ex.wantContinue = false
				c.closeAfter = true
				c.state = stHandling
				c.finishRequest()
				return
			}
			c.resume()
		}
		return
	}
	if c.willClose() {
		c.state = stClosed
		c.s.OnFlush(c.close)
		return
	}
	c.srv.releaseExchange(c.ex)
	c.ex = nil
	c.state = stHead
	c.headStarted, c.lineOK = false, false
	c.deadline = c.srv.after(c.srv.cfg.IdleTimeout)
	if c.s.WriteBuffered() > pipelineWatermark {
		// The client is not reading as fast as we answer: the next
		// request waits (in the kernel, if it is there already) until
		// this response has gone, so a client that pipelines and never
		// reads costs one response of memory, not one per request.
		c.pause()
		c.s.OnFlush(c.drained)
		return
	}
	c.resume() // delivers a pipelined request at once
}

// drained resumes reading once a response that held the connection back
// has left.
func (c *conn) drained() {
	if c.state == stHead && c.ex == nil {
		c.deadline = c.srv.after(c.srv.cfg.IdleTimeout)
		c.resume()
	}
}

// detach hands the connection over: the server forgets it, and the
// stream is the caller's, with whatever it has buffered.
func (c *conn) detach() {
	if c.ex != nil {
		c.ex.done = true
	}
	c.state = stDetached
	c.paused = false
	c.deadline = 0
	c.s.SetReadHandler(nil)
	c.s.SetCloseCallback(nil)
	if c.ex != nil {
		c.srv.uncharge(c.ex)
	}
	c.ex = nil // the caller may still hold the request
	c.srv.removeConn(c)
}

// reject answers a request that cannot be served (bad syntax, a limit)
// with an error status and closes the connection; the handler is never
// called (or, if it was, its response is abandoned).
func (c *conn) reject(err error) {
	if c.state == stClosed || c.state == stDetached {
		return
	}
	status := statusOf(err)
	c.state = stClosed
	c.closeAfter = true
	if c.ex != nil && (c.ex.resp.started || c.ex.resp.finished) {
		c.close()
		return
	}
	body := httputil.StatusText(status)
	out := httputil.AppendResponseLine(c.srv.out[:0], "HTTP/1.1", status, "")
	out = append(out, c.srv.date()...)
	out = append(out, "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(body)+1), 10)
	out = append(out, "\r\n\r\n"...)
	out = append(out, body...)
	out = append(out, '\n')
	c.s.Send(out)
	c.srv.out = out[:0]
	if c.ex != nil {
		c.ex.resp.finished = true
	}
	c.paused = true
	c.s.SetReadHandler(nil)
	c.s.OnFlush(c.close)
}

func (c *conn) close() { c.s.Close() }

// onClose is the stream's close callback. A delegate whose response is
// not finished hears of it (OnConnectionClose), and then the response's
// close callback (SetCloseCallback) runs.
func (c *conn) onClose() {
	ex := c.ex
	c.state = stClosed
	// An exchange whose handler still holds it is left to the collector.
	if ex != nil {
		c.srv.uncharge(ex)
	}
	c.ex = nil
	c.srv.removeConn(c)
	if ex != nil && ex.delegate != nil && !ex.done {
		ex.done = true
		c.notifyClose(ex.delegate.OnConnectionClose)
		if fn := ex.resp.onClose; fn != nil {
			c.notifyClose(fn)
		}
	}
}

// notifyClose calls fn (a delegate's OnConnectionClose, a response's
// close callback), recovering a panic.
func (c *conn) notifyClose(fn func()) {
	defer func() {
		if v := recover(); v != nil {
			c.srv.log.Error("httpserver: OnConnectionClose panicked", "panic", v, logattr.Stack(debug.Stack()))
		}
	}()
	fn()
}

// stalled reports whether output has been queued with no progress for
// longer than StallTimeout at now, keeping count for the next sweep.
func (c *conn) stalled(now int64) bool {
	limit := c.srv.cfg.StallTimeout
	if limit < 0 || c.state == stDetached {
		return false
	}
	if c.s.WriteBuffered() == 0 {
		c.stallSince = 0
		return false
	}
	if p := c.s.WriteProgress(); p != c.progress || c.stallSince == 0 {
		c.progress, c.stallSince = p, now
		return false
	}
	return now-c.stallSince > int64(limit)
}

// expired reports whether the connection's deadline passed at now.
func (c *conn) expired(now int64) bool {
	if c.deadline == 0 || now <= c.deadline || c.state == stHandling {
		return false
	}
	if c.state == stHead && !c.headStarted && c.s.WriteBuffered() > 0 {
		// The last response is still going out: the connection is idle
		// from when it is sent (StallTimeout watches it meanwhile).
		c.deadline = c.srv.after(c.srv.cfg.IdleTimeout)
		return false
	}
	return true
}

// trustsProxyHeaders reports whether the peer may set RemoteIP and
// Protocol through proxy headers (Config.TrustedProxies).
func (c *conn) trustsProxyHeaders() bool {
	trusted := c.srv.cfg.TrustedProxies
	if len(trusted) == 0 {
		return true
	}
	a, err := netip.ParseAddr(c.peerIP)
	return err == nil && inPrefixes(a, trusted)
}
