package httpserver

import (
	"net"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/iostream"
)

// Connection states.
const (
	stHead     = iota // waiting for (the rest of) a request head
	stBody            // reading a request body
	stHandling        // the handler has the request
	stClosed
)

// conn is one HTTP/1.1 connection: a state machine driven by the stream's
// push reads. It owns no goroutine; between requests it holds no buffer.
type conn struct {
	// Tens of thousands of these may sit idle: keep it small (64 bytes),
	// and keep it the stream's read handler itself rather than a method
	// value, which would cost an allocation of its own.
	srv      *Server
	s        *iostream.IOStream
	ex       *exchange // the request in progress; nil between requests
	deadline int64     // unix nanoseconds; 0 for none
	peerIP   string
	idx      int32 // index in srv.conns; -1 once dropped

	state       uint8
	inData      bool // inside HandleRead: don't re-enter the stream
	headStarted bool // some bytes of the next head arrived
	closeAfter  bool
	earlyFinish bool // the response finished before the body was read
	paused      bool // reading stopped while an asynchronous handler runs
	https       bool
}

func newConn(srv *Server, s *iostream.IOStream, idx int32) *conn {
	c := &conn{srv: srv, s: s, idx: idx}
	var peer netip.Addr
	if a, ok := s.RemoteAddr().(*net.TCPAddr); ok {
		peer, _ = netip.AddrFromSlice(a.IP)
		peer = peer.Unmap()
	}
	c.peerIP = peer.String()
	if ts, ok := any(s).(interface{ TLS() bool }); ok && ts.TLS() {
		c.https = true
	}
	c.deadline = srv.now + int64(srv.cfg.IdleTimeout)
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
// bytes, or when the response finishes.
func (c *conn) HandleRead(data []byte) int {
	c.inData = true
	defer func() { c.inData = false }()
	n := 0
	for n < len(data) {
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

// readHead parses a complete head, if one has arrived, and reports
// whether parsing can go on.
func (c *conn) readHead(data []byte) (int, bool) {
	if !c.headStarted {
		c.headStarted = true
		c.deadline = c.srv.now + int64(c.srv.cfg.HeaderTimeout)
	}
	end, err := httputil.FindHeaderEndLimit(data, c.srv.cfg.MaxHeaderSize)
	if err != nil {
		c.reject(err)
		return len(data), false
	}
	if end < 0 {
		return 0, false
	}
	c.ex = c.srv.takeExchange(c)
	if err := c.startRequest(data[:end]); err != nil {
		c.reject(err)
		return len(data), false
	}
	return end, true
}

func (c *conn) startRequest(head []byte) error {
	r := &c.ex.req
	// One string for the whole head: every string of the request is a
	// substring of it, the one allocation a request costs.
	rl, err := httputil.ParseRequestHead(string(head), &r.Header)
	if err != nil {
		return err
	}
	r.Method, r.Target, r.Version = rl.Method, rl.Target, rl.Version
	length, chunked, err := httputil.BodyLength(&r.Header, true)
	if err != nil {
		return err
	}
	hosts := 0
	for name := range r.Header.All() {
		if len(name) == 4 && strings.EqualFold(name, "Host") {
			hosts++
		}
	}
	if hosts > 1 || (hosts == 0 && r.Version == "HTTP/1.1") {
		return badRequest("a request needs exactly one Host header")
	}
	r.splitTarget()
	if r.Host == "" {
		r.Host = r.Header.Get("Host")
	}
	connHdr := r.Header.Get("Connection")
	if r.Version == "HTTP/1.1" {
		r.keepOpen = !tokenListHas(connHdr, "close")
	} else {
		r.keepOpen = tokenListHas(connHdr, "keep-alive")
		if chunked {
			c.closeAfter = true // RFC 9112 §6.1: faulty framing in 1.0
		}
	}
	r.RemoteIP = c.peerIP
	r.Protocol = c.protocol()
	if c.srv.cfg.XHeaders {
		r.applyXHeaders(c.srv.cfg.TrustedDownstream)
	}
	c.ex.chunked = chunked
	c.ex.bodyLeft = length
	if chunked {
		c.ex.dec.Reset()
	}
	hasBody := chunked || length > 0
	expectContinue := hasBody && r.Version == "HTTP/1.1" && strings.EqualFold(r.Header.Get("Expect"), "100-continue")
	gzipped := hasBody && c.srv.cfg.DecompressRequest && strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip")
	if gzipped {
		// As Tornado: the handler sees the body as if sent uncompressed.
		r.Header.Del("Content-Encoding")
		r.Header.Set("X-Consumed-Content-Encoding", "gzip")
	}
	if sh, ok := c.srv.handler.(StreamHandler); ok {
		c.ex.recv = sh.HeadersReceived(&c.ex.resp, r)
		if c.ex.resp.finished {
			c.afterEarlyFinish(hasBody && !expectContinue && length <= c.srv.cfg.MaxBodySize)
			return nil
		}
	}
	if c.ex.recv == nil && length > c.srv.cfg.MaxBodySize {
		return errBodyTooLarge // a streamed body's receiver sets its own limit
	}
	if gzipped && c.ex.recv != nil {
		// Inflating needs the whole compressed body (compress/flate pulls
		// from a reader); the inflated body still streams to the receiver.
		c.ex.gzipRecv, c.ex.recv = c.ex.recv, nil
	}
	if expectContinue {
		c.s.Send(continueLine) // only now that the body is wanted
	}
	if hasBody {
		c.state = stBody
		c.deadline = c.srv.now + int64(c.srv.cfg.BodyTimeout)
		return nil
	}
	c.dispatch()
	return nil
}

// afterEarlyFinish ends a request that the handler answered from its head
// alone. An outstanding body is read and dropped, so the connection can
// serve the next request, unless reading it is not worth it (the client
// waits for a 100 Continue that will not come, or the body is too
// large): then the connection closes after the response.
func (c *conn) afterEarlyFinish(readBody bool) {
	c.earlyFinish = false
	if c.ex.bodyLeft > 0 || c.ex.chunked {
		if readBody {
			c.earlyFinish = true
			c.ex.recv = discard{}
			c.state = stBody
			c.deadline = c.srv.now + int64(c.srv.cfg.BodyTimeout)
			return
		}
		c.closeAfter = true
	}
	c.state = stHandling
	c.finishRequest()
}

// discard drops a body nobody wants.
type discard struct{}

func (discard) DataReceived([]byte) error { return nil }

// dispatch hands the complete request to the handler.
func (c *conn) dispatch() {
	c.state = stHandling
	c.deadline = 0
	defer func() {
		if v := recover(); v != nil {
			c.srv.log.Error("httpserver: handler panicked", "panic", v, "stack", string(debug.Stack()))
			if !c.ex.resp.started && !c.ex.resp.finished {
				c.reject(errHandlerPanicked)
			} else {
				c.close()
			}
		}
	}()
	c.srv.handler.ServeRequest(&c.ex.resp, &c.ex.req)
	if c.state == stHandling && !c.s.Closed() {
		// The handler answers later: stop reading meanwhile, so a client
		// pipelining requests waits in the kernel, not in our buffer. The
		// stream still notices the client closing (for long polls).
		c.paused = true
		c.s.SetReadHandler(nil)
	}
}

// willClose reports whether the connection closes after this response.
func (c *conn) willClose() bool {
	return c.closeAfter || !c.ex.req.keepOpen || c.srv.cfg.NoKeepAlive || c.srv.shuttingDown
}

// finishRequest runs when the response is finished: the connection closes
// once the response is flushed, or waits for the next request.
func (c *conn) finishRequest() {
	if c.state == stClosed {
		return
	}
	if c.state == stHead || c.state == stBody {
		// Finished before the body was read (from HeadersReceived or a
		// BodyReceiver): finish once the body is dealt with.
		c.earlyFinish = true
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
	c.headStarted = false
	c.deadline = c.srv.now + int64(c.srv.cfg.IdleTimeout)
	if c.paused {
		c.paused = false
		c.s.SetReadHandler(c) // delivers a pipelined request at once
	}
}

// reject answers a request that cannot be served (bad syntax, a limit)
// with an error status and closes the connection; the handler is never
// called (or, if it was, its response is abandoned).
func (c *conn) reject(err error) {
	if c.state == stClosed {
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
	c.s.SetReadHandler(nil)
	c.s.OnFlush(c.close)
}

func (c *conn) close() { c.s.Close() }

// onClose is the stream's close callback.
func (c *conn) onClose() {
	wasHandling := c.state == stHandling && c.ex != nil && !c.ex.resp.finished
	c.state = stClosed
	if wasHandling && c.ex.resp.onClose != nil {
		c.ex.resp.onClose()
	}
	// An exchange whose handler still holds it is left to the collector.
	c.ex = nil
	c.srv.removeConn(c)
}

// expired reports whether the connection's deadline passed at now.
func (c *conn) expired(now int64) bool {
	return c.deadline != 0 && now > c.deadline && c.state != stHandling
}

func tokenListHas(list, token string) bool {
	for list != "" {
		var t string
		t, list, _ = strings.Cut(list, ",")
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}
