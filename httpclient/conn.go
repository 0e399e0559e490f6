package httpclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/internal/http1"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Connection states.
const (
	stIdle = iota // in the pool, or between exchanges
	stHead        // waiting for (the rest of) a response head
	stBody        // reading a response body
	stClosed
)

// conn is one client connection: a state machine driven by the stream's
// push reads, like the server's. It owns no goroutine. Between exchanges it
// sits in the client's pool; any byte or close then retires it.
type conn struct {
	c   *AsyncHTTPClient
	key string
	s   *iostream.IOStream

	state  int
	f      *fetch // the exchange in progress; nil when idle
	reused bool   // the exchange runs on a connection that served before
	idleAt int64  // loop time (unix ns) it went idle

	// The exchange's response, as it is parsed.
	got          bool // some bytes of the response arrived
	waitContinue bool // the body waits for 100 Continue
	continueTo   *ioloop.Timeout
	bodySent     bool   // the whole request reached the kernel (the connection may serve again)
	seq          uint64 // counts exchanges, so a late flush callback knows its own
	keepAlive    bool
	chunked      bool
	follow       bool // a redirect that will be followed: body discarded
	gzip         bool
	line         httputil.ResponseLine
	header       httputil.Headers
	frame        http1.Body // frames the response body
	body         bodyBuf
	interim      int // interim (1xx) responses so far
}

func newConn(c *AsyncHTTPClient, key string, s *iostream.IOStream) *conn {
	cn := &conn{c: c, key: key, s: s}
	s.SetNodelay(true)
	s.SetCloseCallback(cn.onClose)
	s.SetReadHandler(cn)
	c.conns[cn] = struct{}{}
	return cn
}

// exchange sends f's request and reads its response.
func (cn *conn) exchange(f *fetch, reused bool) {
	cn.f, cn.reused, cn.state = f, reused, stHead
	cn.seq++
	cn.got, cn.keepAlive, cn.chunked, cn.follow, cn.gzip = false, false, false, false, false
	cn.body = bodyBuf{}
	cn.interim = 0
	cn.bodySent = false
	cn.header = httputil.Headers{}
	cn.frame.Reset(0, false, 0)
	cn.frame.SetMaxTrailerSize(cn.c.opts.MaxHeaderSize)
	f.conn = cn
	f.timing.Reused = reused

	req := f.req
	head := f.appendHead(cn.c.headBuf[:0])
	cn.c.headBuf = head[:0]
	cn.waitContinue = req.Expect100Continue && (req.Body != nil || req.BodyProducer != nil)
	var err error
	switch {
	case cn.waitContinue || req.BodyProducer != nil:
		err = cn.s.Send(head)
		switch {
		case err != nil:
		case !cn.waitContinue:
			cn.sendBody()
		case cn.c.opts.ExpectContinueTimeout > 0:
			// A server that ignores Expect never answers 100; send the body
			// after a while anyway, as curl does (RFC 9110 §10.1.1).
			cn.continueTo = cn.c.loop.CallLater(cn.c.opts.ExpectContinueTimeout, func() {
				cn.continueTo = nil
				if cn.f == f && cn.waitContinue {
					cn.sendBody()
				}
			})
		}
	case len(req.Body) > 0 && len(req.Body) <= 16<<10:
		err = cn.s.Send(append(head, req.Body...))
		cn.c.headBuf = head[:0]
	case len(req.Body) > 0:
		if err = cn.s.Send(head); err == nil {
			err = cn.s.Send(req.Body)
		}
	default:
		err = cn.s.Send(head)
	}
	if err != nil {
		cn.fail(err)
		return
	}
	if !cn.waitContinue && req.BodyProducer == nil {
		cn.sentOnFlush()
	}
}

// sentOnFlush marks the request as sent once the stream has handed every
// queued byte to the kernel: at once if it has. Until then the connection
// must not serve again, whatever the server answers: a response that comes
// early (a 413 from the head alone) leaves the rest of the body queued, and
// the next request would follow it on the wire. If the stream closes first,
// the flush never comes, and the connection is gone anyway.
func (cn *conn) sentOnFlush() {
	f, seq := cn.f, cn.seq
	cn.s.OnFlush(func() {
		if cn.f == f && cn.seq == seq {
			cn.bodySent = true
		}
	})
}

// sendBody sends the request body after the head (at once, or on 100
// Continue).
func (cn *conn) sendBody() {
	cn.waitContinue = false
	cn.stopContinueTimer()
	f := cn.f
	req := f.req
	if req.BodyProducer == nil {
		if err := cn.s.Send(req.Body); err != nil {
			cn.fail(err)
			return
		}
		cn.sentOnFlush()
		return
	}
	chunked := !req.Header.Has("Content-Length")
	s := cn.s
	write := func(p []byte) *futureUnit {
		if cn.f != f {
			// The exchange ended (answered early, failed, timed out): the
			// connection is not the producer's any more.
			return future.Failed[struct{}](cn.c.loop, ErrStreamClosed)
		}
		if chunked {
			if len(p) == 0 {
				return resolvedUnit(cn.c.loop)
			}
			return s.Write(httputil.AppendChunk(nil, p))
		}
		return s.Write(p)
	}
	done := req.BodyProducer(write)
	done.AddDoneCallback(func(d *futureUnit) {
		if cn.f != f {
			return // the exchange is over (failed, timed out, answered early)
		}
		if err := d.Err(); err != nil {
			cn.fail(fmt.Errorf("body producer: %w", err))
			return
		}
		if chunked {
			if err := cn.s.Send(httputil.AppendLastChunk(nil, nil)); err != nil {
				cn.fail(err)
				return
			}
		}
		cn.sentOnFlush()
	})
}

func (cn *conn) stopContinueTimer() {
	if cn.continueTo != nil {
		cn.c.loop.RemoveTimeout(cn.continueTo)
		cn.continueTo = nil
	}
}

// HandleRead is the stream's read handler: it parses what arrived and
// returns how much it consumed.
func (cn *conn) HandleRead(data []byte) int {
	n := 0
	for n < len(data) {
		switch cn.state {
		case stHead:
			used, ok := cn.readHead(data[n:])
			n += used
			if !ok {
				return n
			}
		case stBody:
			used, ok := cn.readBody(data[n:])
			n += used
			if !ok {
				return n
			}
		default:
			// Bytes nobody asked for: the connection cannot be trusted.
			cn.close()
			return len(data)
		}
	}
	return n
}

// readHead parses a response head from data. ok is false when more bytes are
// needed or the exchange ended.
func (cn *conn) readHead(data []byte) (int, bool) {
	f := cn.f
	if !cn.got {
		cn.got = true
		f.timing.FirstByte = f.since()
	}
	end, err := httputil.FindHeaderEndLimit(data, cn.c.opts.MaxHeaderSize)
	if err != nil {
		cn.fail(fmt.Errorf("response head: %w", err))
		return 0, false
	}
	if end < 0 {
		return 0, false
	}
	head := data[:end]
	lineB, block := httputil.SplitStartLine(head)
	line, err := httputil.ParseResponseLine(lineB)
	if err == nil {
		cn.header.Reset()
		err = httputil.ParseHeaders(block, &cn.header)
	}
	if err != nil {
		cn.fail(err)
		return 0, false
	}
	if line.Code < 200 && line.Code != 101 {
		// Interim responses are skipped, as Tornado does; 100 releases a
		// body held for it. 101 is not one of them: it is the last HTTP on
		// the connection (what follows speaks the protocol switched to).
		cn.interim++
		if max := cn.c.opts.MaxInterimResponses; max > 0 && cn.interim > max {
			cn.fail(fmt.Errorf("%w: more than %d", ErrTooManyInterim, max))
			return 0, false
		}
		if line.Code == 100 && cn.waitContinue {
			cn.sendBody()
		}
		return end, cn.state == stHead
	}
	cn.line = line
	req := f.req
	cn.follow = f.shouldFollow(line.Code, &cn.header)
	if req.HeaderCallback != nil && !cn.follow {
		err := callSafely(func() {
			for len(head) > 0 {
				i := bytes.IndexByte(head, '\n')
				if i < 0 {
					i = len(head) - 1
				}
				req.HeaderCallback(string(head[:i+1]))
				head = head[i+1:]
			}
		})
		if err != nil {
			cn.fail(fmt.Errorf("header callback: %w", err))
			return 0, false
		}
	}
	cn.keepAlive = http1.KeepAlive(line.Version, &cn.header)
	if line.Code == 101 {
		if req.Takeover {
			cn.takeover(end)
			return end, false
		}
		// Nobody asked for the switched connection: the fetch ends with
		// the 101, and the connection is closed.
		cn.keepAlive = false
	}
	if cn.waitContinue {
		cn.stopContinueTimer()
		// A final answer before 100 Continue: the body is never sent, and
		// the server may or may not expect it; start afresh next time.
		cn.waitContinue = false
		cn.keepAlive = false
	}
	if !httputil.ResponseHasBody(f.t.method, line.Code) {
		cn.complete(len(data) == end)
		return end, false
	}
	length, chunked, err := httputil.BodyLength(&cn.header, false)
	if err != nil {
		cn.fail(err)
		return 0, false
	}
	maxBody := cn.c.opts.MaxBodySize
	cn.frame.Reset(length, chunked, maxBody)
	if err := cn.frame.CheckLimit(); err != nil {
		cn.fail(fmt.Errorf("%w: Content-Length %d over MaxBodySize %d", ErrBodyTooLarge, length, maxBody))
		return 0, false
	}
	switch {
	case chunked:
		cn.chunked = true
		if line.Version != "HTTP/1.1" {
			cn.keepAlive = false
		}
	case length < 0:
		cn.keepAlive = false // the body ends with the connection
	case !cn.follow && req.StreamingCallback == nil && length <= 1<<20:
		cn.body.reserve(int(length))
	}
	if req.decompress() && !cn.follow && strings.EqualFold(cn.header.Get("Content-Encoding"), "gzip") {
		cn.gzip = true
		cn.header.Set("X-Consumed-Content-Encoding", cn.header.Get("Content-Encoding"))
		cn.header.Del("Content-Encoding")
		// It counted the compressed bytes; the body will be the inflated
		// ones (net/http drops it too).
		cn.header.Del("Content-Length")
	}
	cn.state = stBody
	if cn.frame.Done() {
		cn.complete(len(data) == end)
		return end, false
	}
	return end, true
}

// readBody consumes body bytes from data.
func (cn *conn) readBody(data []byte) (int, bool) {
	n := 0
	for n < len(data) && !cn.frame.Done() {
		p, used, err := cn.frame.Next(data[n:])
		n += used
		if err != nil {
			if errors.Is(err, ErrBodyTooLarge) {
				err = fmt.Errorf("%w: over MaxBodySize %d", ErrBodyTooLarge, cn.c.opts.MaxBodySize)
			}
			cn.fail(err)
			return 0, false
		}
		if p != nil && !cn.deliver(p) {
			return 0, false
		}
	}
	if cn.frame.Done() {
		cn.complete(n == len(data))
		return n, false
	}
	return n, true
}

// deliver hands body bytes on: to the gzip buffer, the streaming callback or
// the body. It reports false if the exchange failed.
func (cn *conn) deliver(p []byte) bool {
	switch {
	case cn.follow:
	case cn.gzip || cn.f.req.StreamingCallback == nil:
		cn.body.write(p)
	default:
		f := cn.f
		if err := callSafely(func() { f.req.StreamingCallback(p) }); err != nil {
			cn.fail(err)
			return false
		}
		return cn.f == f
	}
	return true
}

// complete ends the exchange with the parsed response. clean says that
// nothing followed the response in the buffer, so the connection may serve
// again.
func (cn *conn) complete(clean bool) {
	f := cn.f
	resp := &Response{
		Code:   cn.line.Code,
		Reason: cn.line.Reason,
		Header: cn.header,
	}
	body := cn.body.bytes()
	if !cn.gzip {
		resp.Body = body
	}
	if cn.chunked {
		resp.Trailer = *cn.frame.Trailers().Clone()
	} else {
		resp.Trailer = httputil.Headers{}
	}
	cn.header = httputil.Headers{}
	if resp.Reason == "" {
		resp.Reason = httputil.StatusText(resp.Code)
	}
	cn.f = nil
	f.conn = nil
	if cn.keepAlive && clean && !cn.waitContinue && cn.bodySent {
		cn.state = stIdle
		cn.c.release(cn)
	} else {
		cn.close()
	}
	if cn.gzip {
		cb := f.req.StreamingCallback
		var inflated bodyBuf
		err := http1.Inflate(body, cn.c.opts.MaxBodySize, func(p []byte) error {
			if cb == nil {
				inflated.write(p)
				return nil
			}
			if err := callSafely(func() { cb(p) }); err != nil {
				return &callbackError{err}
			}
			return nil
		})
		var cbErr *callbackError
		switch {
		case errors.As(err, &cbErr):
			f.fail(transportError("streaming callback", cbErr.err))
			return
		case errors.Is(err, httputil.ErrBadGzip):
			f.fail(transportError("bad gzip body", fmt.Errorf("%w: %w", ErrBadResponse, err)))
			return
		case err != nil:
			f.fail(transportError("bad gzip body", fmt.Errorf("%w: inflated body over MaxBodySize %d", ErrBodyTooLarge, cn.c.opts.MaxBodySize)))
			return
		}
		resp.Body = inflated.bytes()
	}
	f.onResponse(resp)
}

// fail ends the exchange with a transport error and closes the connection.
func (cn *conn) fail(err error) {
	f := cn.f
	got, reused := cn.got, cn.reused
	cn.f = nil
	cn.close()
	if f != nil {
		f.conn = nil
		f.connFailed(err, reused && !got)
	}
}

// close closes the connection; the close callback takes it off the books.
func (cn *conn) close() {
	cn.stopContinueTimer()
	cn.state = stClosed
	cn.s.Close()
}

// onClose runs when the stream closes, for whatever reason.
func (cn *conn) onClose() {
	delete(cn.c.conns, cn)
	cn.state = stClosed
	if cn.f == nil {
		cn.c.forget(cn) // idle, or the exchange already ended
		return
	}
	if cn.frame.UntilClose() && cn.s.Error() == nil {
		cn.complete(false)
		return
	}
	cause := cn.s.Error()
	if cause == nil {
		cause = io.ErrUnexpectedEOF
	}
	cn.fail(&iostream.StreamClosedError{Cause: fmt.Errorf("connection closed before the response was complete: %w", cause)})
}

// callbackError carries a streaming callback's failure out of Inflate.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

// takeover ends the exchange with a 101 that the request asked to keep:
// the client forgets the connection and the response carries its stream,
// with whatever followed the head still buffered.
func (cn *conn) takeover(end int) {
	f := cn.f
	resp := &Response{Code: 101, Reason: cn.line.Reason, Header: cn.header, Stream: cn.s}
	if resp.Reason == "" {
		resp.Reason = httputil.StatusText(101)
	}
	cn.header = httputil.Headers{}
	cn.f = nil
	f.conn = nil
	cn.state = stClosed
	cn.s.SetReadHandler(nil)
	cn.s.SetCloseCallback(nil)
	delete(cn.c.conns, cn)
	cn.c.forget(cn)
	f.finish(resp)
}
