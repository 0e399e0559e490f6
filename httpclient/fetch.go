package httpclient

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

type futureUnit = future.Future[struct{}]

func resolvedUnit(l *ioloop.IOLoop) *futureUnit { return future.Resolved(l, struct{}{}) }

// fetch is one call of Fetch, through its redirects: it waits in the queue,
// gets a connection, runs exchanges, and completes its future once.
type fetch struct {
	c    *AsyncHTTPClient
	orig *Request // as given to Fetch
	req  *Request // the request of the current hop
	t    target
	fut  future.Future[*Response] // embedded: one allocation less

	start     int64 // loop time of Fetch, unix ns
	hops      int   // redirects followed
	maxHops   int
	done      bool
	queued    bool
	queueTo   *ioloop.Timeout
	requestTo *ioloop.Timeout
	connectTo *ioloop.Timeout
	stopCtx   func() bool

	conn          *conn                              // the exchange's connection
	connecting    *future.Future[*iostream.IOStream] // a connect in progress
	tunnel        *iostream.IOStream                 // a proxy tunnel being set up
	tunnelConnect *future.Future[*iostream.IOStream] // its connect to the proxy
	timing        Timing
}

func (f *fetch) now() int64           { return f.c.loop.Time().UnixNano() }
func (f *fetch) since() time.Duration { return time.Duration(f.now() - f.start) }
func (f *fetch) nowTime() time.Time   { return time.Unix(0, f.start) }
func (f *fetch) watchContext(ctx context.Context) {
	if ctx == nil || ctx.Done() == nil {
		return
	}
	loop := f.c.loop
	f.stopCtx = context.AfterFunc(ctx, func() {
		loop.AddCallback(func() {
			f.fail(transportError("fetch cancelled", ctx.Err()))
		})
	})
}

// run starts the fetch once it has a slot.
func (f *fetch) run() {
	if f.queued {
		f.queued = false
		f.timing.Queue = f.since()
	}
	if f.queueTo != nil {
		f.c.loop.RemoveTimeout(f.queueTo)
		f.queueTo = nil
	}
	if d := f.req.requestTimeout(); d > 0 {
		f.requestTo = f.c.loop.CallLater(d, func() {
			f.requestTo = nil
			f.fail(transportError("timeout during request", ErrTimeout))
		})
	}
	f.send()
}

// send runs the current hop's exchange on a pooled connection or a new one.
func (f *fetch) send() {
	key, err := f.c.poolKey(f.req, &f.t)
	if err != nil {
		f.fail(transportError("TLS configuration", err))
		return
	}
	if cn := f.c.idle(key); cn != nil {
		f.timing.Connect = 0
		cn.exchange(f, true)
		return
	}
	f.connect(key)
}

// connFailed is told by the connection that the exchange failed. A request
// that failed on a reused connection before any byte came back is retried
// on a fresh one when it is safe to send it again (the server likely closed
// the idle connection as the request went out).
func (f *fetch) connFailed(err error, retry bool) {
	if f.done {
		return
	}
	if retry && f.req.BodyProducer == nil && idempotent(f.t.method) {
		f.send()
		return
	}
	f.fail(transportError("connection failed", err))
}

func idempotent(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// shouldFollow reports whether a response with code is a redirect that the
// fetch will follow (Tornado's _should_follow_redirect).
func (f *fetch) shouldFollow(code int, h *httputil.Headers) bool {
	if f.req.NoFollowRedirects || f.hops >= f.maxHops || !h.Has("Location") {
		return false
	}
	switch code {
	case 301, 302, 303:
		return true
	case 307, 308:
		return f.req.BodyProducer == nil
	}
	return false
}

// onResponse takes a complete response: it follows a redirect or ends the
// fetch.
func (f *fetch) onResponse(resp *Response) {
	if f.done {
		return
	}
	if f.shouldFollow(resp.Code, &resp.Header) {
		next, err := f.redirect(resp)
		if err == nil {
			f.hops++
			f.timing.Redirects = f.hops
			f.req, f.t = next.req, next.t
			f.send()
			return
		}
		// The 3xx is the answer, and the error says why it was not
		// followed.
		resp.Error = &HTTPError{Code: resp.Code, Message: resp.Reason, Response: resp,
			Err: fmt.Errorf("%w: Location %q: %w", ErrRedirectRefused, resp.Header.Get("Location"), err)}
		f.end(resp)
		return
	}
	f.finish(resp)
}

type hop struct {
	req *Request
	t   target
}

// redirect makes the request that follows resp's Location.
func (f *fetch) redirect(resp *Response) (hop, error) {
	loc, err := f.t.u.Parse(resp.Header.Get("Location"))
	if err != nil {
		return hop{}, err
	}
	if loc.Fragment == "" {
		// A Location without a fragment inherits the request's (RFC 9110
		// §10.2.2); it is never sent, but EffectiveURL shows it.
		loc.Fragment, loc.RawFragment = f.t.u.Fragment, f.t.u.RawFragment
	}
	next := *f.req
	next.URL = loc.String()
	next.Header = *f.req.Header.Clone()
	next.Header.Del("Host")
	if resp.Code == 303 && f.t.method != "HEAD" || (resp.Code == 301 || resp.Code == 302) && f.t.method == "POST" {
		next.Method = "GET"
		next.Body = nil
		next.BodyProducer = nil
		for _, h := range []string{"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"} {
			next.Header.Del(h)
		}
	}
	if !strings.EqualFold(loc.Hostname(), f.t.host) || f.t.https && !strings.EqualFold(loc.Scheme, "https") {
		// Credentials are for the host they were given for (Go's
		// net/http does the same; Tornado does not), and what was sent
		// encrypted is not then sent in the clear. A change of port
		// keeps them, as in net/http.
		next.Header.Del("Authorization")
		next.Header.Del("Cookie")
		next.AuthUsername, next.AuthPassword = "", ""
	}
	t, err := next.resolve(f.c, next.URL)
	if err != nil {
		return hop{}, err
	}
	return hop{&next, t}, nil
}

// finish ends the fetch with a response.
func (f *fetch) finish(resp *Response) {
	if f.done {
		return
	}
	if !resp.OK() && resp.Stream == nil {
		msg := resp.Reason
		var err error
		if f.hops >= f.maxHops && f.shouldFollowIgnoringLimit(resp) {
			err = ErrTooManyRedirects
		}
		resp.Error = &HTTPError{Code: resp.Code, Message: msg, Response: resp, Err: err}
	}
	f.end(resp)
}

func (f *fetch) shouldFollowIgnoringLimit(resp *Response) bool {
	if f.req.NoFollowRedirects || !resp.Header.Has("Location") {
		return false
	}
	switch resp.Code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// fail ends the fetch with a transport failure: a 599 response.
func (f *fetch) fail(e *HTTPError) {
	if f.done {
		return
	}
	resp := &Response{Code: 599, Reason: "Unknown", Error: e}
	e.Response = resp
	f.end(resp)
}

// end releases what the fetch holds and completes its future.
func (f *fetch) end(resp *Response) {
	f.done = true
	c := f.c
	for _, t := range []**ioloop.Timeout{&f.queueTo, &f.requestTo, &f.connectTo} {
		if *t != nil {
			c.loop.RemoveTimeout(*t)
			*t = nil
		}
	}
	if f.stopCtx != nil {
		f.stopCtx()
	}
	if cn := f.conn; cn != nil {
		f.conn = nil
		cn.f = nil
		cn.close()
	}
	if f.connecting != nil {
		f.connecting.Cancel()
		f.connecting = nil
	}
	if f.tunnelConnect != nil {
		f.tunnelConnect.Cancel()
		f.tunnelConnect = nil
	}
	if f.tunnel != nil {
		f.tunnel.Close()
		f.tunnel = nil
	}
	if f.queued {
		c.unqueue(f)
	} else if _, ok := c.flight[f]; ok { // not if it never started
		delete(c.flight, f)
		c.active--
		if !c.closed {
			c.admit()
		}
	}
	resp.Request = f.orig
	resp.EffectiveURL = f.req.URL
	resp.StartTime = f.nowTime()
	resp.RequestTime = f.since()
	f.timing.Total = resp.RequestTime
	resp.Timing = f.timing
	if resp.Error != nil && !f.orig.NoRaise {
		f.fut.SetError(resp.Error)
		return
	}
	f.fut.SetResult(resp)
}

// appendHead appends the request head of the current hop to buf.
func (f *fetch) appendHead(buf []byte) []byte {
	req, t := f.req, f.t
	target := t.u.RequestURI()
	if req.ProxyHost != "" && !t.https {
		u := *t.u
		u.User, u.Fragment = nil, ""
		target = u.String()
	}
	buf = httputil.AppendRequestLine(buf, t.method, target, "HTTP/1.1")
	if !req.Header.Has("Host") {
		buf = appendField(buf, "Host", t.hostPort)
	}
	buf = req.Header.AppendTo(buf)
	if !req.Header.Has("User-Agent") {
		ua := req.UserAgent
		if ua == "" {
			ua = DefaultUserAgent
		}
		buf = appendField(buf, "User-Agent", ua)
	}
	if req.decompress() && req.StreamingCallback == nil && !req.Header.Has("Accept-Encoding") {
		buf = appendField(buf, "Accept-Encoding", "gzip")
	}
	if t.hasUser && !req.Header.Has("Authorization") {
		buf = appendField(buf, "Authorization", basicAuth(t.user, t.pass))
	}
	if req.ProxyHost != "" && !t.https && req.ProxyUsername != "" {
		buf = appendField(buf, "Proxy-Authorization", basicAuth(req.ProxyUsername, req.ProxyPassword))
	}
	switch {
	case req.BodyProducer != nil:
		if !req.Header.Has("Content-Length") {
			buf = appendField(buf, "Transfer-Encoding", "chunked")
		}
	case req.Body != nil || t.method == "POST" || t.method == "PUT" || t.method == "PATCH":
		if !req.Header.Has("Content-Length") {
			buf = append(buf, "Content-Length: "...)
			buf = strconv.AppendInt(buf, int64(len(req.Body)), 10)
			buf = append(buf, "\r\n"...)
		}
	}
	if req.Expect100Continue && (req.Body != nil || req.BodyProducer != nil) {
		buf = appendField(buf, "Expect", "100-continue")
	}
	return append(buf, "\r\n"...)
}

func appendField(buf []byte, name, value string) []byte {
	buf = append(buf, name...)
	buf = append(buf, ": "...)
	buf = append(buf, value...)
	return append(buf, "\r\n"...)
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// callSafely runs fn (user code on the exchange's path), turning a panic
// into an error so the connection's state stays consistent.
func callSafely(fn func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("callback panicked: %v", v)
			if e, ok := v.(error); ok {
				err = fmt.Errorf("callback panicked: %w", e)
			}
		}
	}()
	fn()
	return nil
}

type futureStream = future.Future[*iostream.IOStream]

func durationOf(ns int64) time.Duration { return time.Duration(ns) }

type futureResponse = future.Future[*Response]
