package httpserver

import (
	"bytes"
	"strings"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/internal/http1"
)

// Reading a request head: find its end, check its request line early,
// parse it, and hand it to the handler's delegate.

// readHead parses a complete head, if one has arrived, and reports
// whether parsing can go on.
func (c *conn) readHead(data []byte) (int, bool) {
	if !c.headStarted {
		c.headStarted = true
		c.deadline = c.srv.after(c.srv.cfg.HeaderTimeout)
	}
	if data[0] == '\r' || data[0] == '\n' {
		if skip := emptyLines(data); skip > 0 {
			return skip, true
		}
	}
	end, err := httputil.FindHeaderEndLimit(data, c.srv.cfg.MaxHeaderSize)
	if err != nil {
		c.reject(err)
		return len(data), false
	}
	if end < 0 {
		if !c.lineOK {
			return c.checkLine(data)
		}
		return 0, false
	}
	c.ex = c.srv.takeExchange(c)
	if err := c.startRequest(data[:end]); err != nil {
		c.reject(err)
		return len(data), false
	}
	return end, true
}

// emptyLines returns the length of the empty lines (CRLF or LF) at the
// start of data, which a server ignores before a request line (RFC 9112
// §2.2): some clients send a CRLF after a POST body. They count toward
// the head's timeout, not its size.
func emptyLines(data []byte) int {
	n := 0
	for n < len(data) {
		switch {
		case data[n] == '\n':
			n++
		case data[n] == '\r' && n+1 < len(data) && data[n+1] == '\n':
			n += 2
		default:
			return n
		}
	}
	return n
}

// checkLine checks the request line of a head that has not all arrived,
// once the line has: a line that will never parse (an HTTP/0.9 request,
// "GET /", which has no head to end) is answered 400 at once rather than
// left to the head timeout.
func (c *conn) checkLine(data []byte) (int, bool) {
	rest := data
	// Empty lines before a request are allowed (RFC 9112 §2.2).
	for len(rest) > 0 && (rest[0] == '\n' || rest[0] == '\r' && len(rest) > 1 && rest[1] == '\n') {
		if rest[0] == '\r' {
			rest = rest[1:]
		}
		rest = rest[1:]
	}
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		return 0, false // the line is not complete yet
	}
	if _, err := httputil.ParseRequestLine(rest[:i+1]); err != nil {
		c.reject(err)
		return len(data), false
	}
	c.lineOK = true
	return 0, false
}

// parseHead fills the exchange's request from its head and returns the
// body's framing.
func (c *conn) parseHead(head []byte) (length int64, chunked bool, err error) {
	r := &c.ex.req
	// One string for the whole head: every string of the request is a
	// substring of it, the one allocation a request costs.
	rl, err := httputil.ParseRequestHead(string(head), &r.Header)
	if err != nil {
		return 0, false, err
	}
	r.Method, r.Target, r.Version = rl.Method, rl.Target, rl.Version
	length, chunked, err = httputil.BodyLength(&r.Header, true)
	if err != nil {
		return 0, false, err
	}
	hosts := 0
	for name := range r.Header.All() {
		if len(name) == 4 && strings.EqualFold(name, "Host") {
			hosts++
		}
	}
	if hosts > 1 || (hosts == 0 && r.Version == "HTTP/1.1") {
		return 0, false, badRequest("a request needs exactly one Host header")
	}
	if h := r.Header.Get("Host"); h != "" && !httputil.ValidHost(h) {
		return 0, false, badRequest("invalid Host header")
	}
	if err := r.parseTarget(c.srv.cfg.AllowConnect); err != nil {
		return 0, false, err
	}
	if r.Host == "" {
		r.Host = r.Header.Get("Host")
	}
	r.keepOpen = http1.KeepAlive(r.Version, &r.Header)
	if chunked && r.Version != "HTTP/1.1" {
		c.closeAfter = true // RFC 9112 §6.1: faulty framing in 1.0
	}
	r.RemoteIP = c.peerIP
	r.Protocol = c.protocol()
	if c.srv.cfg.XHeaders {
		if c.trustsProxyHeaders() {
			r.applyXHeaders(c.srv.cfg.TrustedDownstream)
		}
	}
	return length, chunked, nil
}

func (c *conn) startRequest(head []byte) error {
	ex := c.ex
	r := &ex.req
	length, chunked, err := c.parseHead(head)
	if err != nil {
		return err
	}
	hasBody := chunked || length > 0
	expectContinue := hasBody && r.Version == "HTTP/1.1" && strings.EqualFold(r.Header.Get("Expect"), "100-continue")
	ex.gzipped = hasBody && c.srv.cfg.DecompressRequest && strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip")
	if ex.gzipped {
		// As Tornado: the delegate sees the body as if sent uncompressed.
		r.Header.Del("Content-Encoding")
		r.Header.Set("X-Consumed-Content-Encoding", "gzip")
	}
	ex.delegate = c.srv.handler.StartRequest(&ex.resp, r)
	if err := ex.delegate.HeadersReceived(&ex.resp, r); err != nil {
		return err
	}
	switch {
	case c.state != stHead:
		return nil // closed, or taken over
	case ex.resp.finished:
		// Answered from the head alone. The body is read and dropped, so
		// the connection can serve the next request, unless reading it
		// is not worth it: the client waits for a 100 Continue that will
		// not come, or the body is too large.
		ex.body.Reset(length, chunked, c.frameLimit())
		ex.body.SetMaxTrailerSize(c.srv.cfg.MaxHeaderSize)
		if !hasBody {
			c.state = stHandling
			c.finishRequest()
			return nil
		}
		if expectContinue || ex.body.CheckLimit() != nil {
			c.closeAfter = true
			c.state = stHandling
			c.finishRequest()
			return nil
		}
		c.earlyFinish = true
		c.resume()
		c.state = stBody
		c.deadline = c.srv.after(c.srv.cfg.BodyTimeout)
		return nil
	}
	ex.body.Reset(length, chunked, c.frameLimit())
	ex.body.SetMaxTrailerSize(c.srv.cfg.MaxHeaderSize)
	if !hasBody {
		c.bodyDone()
		return nil
	}
	c.state = stBody
	c.deadline = c.srv.after(c.srv.cfg.BodyTimeout)
	ex.wantContinue = expectContinue
	if !c.paused {
		// Else when the delegate resumes reading: it may raise the
		// limit meanwhile (SetMaxBodySize).
		return c.startBody()
	}
	return nil
}

// startBody starts reading a body the delegate is ready for: a declared
// length over the limit is refused first, then the client gets the 100
// Continue it may wait for.
func (c *conn) startBody() error {
	ex := c.ex
	if err := ex.body.CheckLimit(); err != nil {
		return err
	}
	if ex.wantContinue {
		ex.wantContinue = false
		c.s.Send(continueLine)
	}
	return nil
}
