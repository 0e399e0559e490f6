package httpclient

import (
	"fmt"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Defaults of Config's zero fields.
const (
	DefaultMaxClients    = 10
	DefaultMaxBufferSize = iostream.DefaultMaxBufferSize // 100 MiB
	DefaultMaxHeaderSize = httputil.DefaultMaxHeaderSize // 64 KiB
	DefaultIdleTimeout   = 90 * time.Second
	// DefaultMaxInterimResponses bounds the 1xx responses a fetch skips.
	DefaultMaxInterimResponses = 10
)

// Config configures an AsyncHTTPClient. The zero value works.
type Config struct {
	// MaxClients bounds the fetches in progress; the others wait in a
	// FIFO queue (Tornado's max_clients). Zero means 10.
	MaxClients int
	// MaxBufferSize bounds what a connection's stream buffers (Tornado's
	// max_buffer_size). Zero means 100 MiB.
	MaxBufferSize int
	// MaxBodySize bounds a response body, buffered or streamed; a larger
	// one fails the fetch with 599 and ErrBodyTooLarge. Zero means
	// MaxBufferSize.
	MaxBodySize int64
	// MaxHeaderSize bounds a response head; a larger one fails the fetch
	// with 599 and ErrHeaderTooLarge. Zero means 64 KiB.
	MaxHeaderSize int
	// MaxInterimResponses bounds the interim (1xx) responses a fetch
	// skips before its final response; past it the fetch fails with 599
	// and ErrTooManyInterim. Zero means 10; negative means no bound.
	MaxInterimResponses int
	// MaxIdlePerHost bounds the idle keep-alive connections kept per host
	// (scheme, host, port, proxy and TLS settings). Zero means
	// MaxClients; negative turns keep-alive off (a connection per fetch,
	// as Tornado's simple client does).
	MaxIdlePerHost int
	// IdleTimeout closes a pooled connection idle this long. Zero means
	// 90 s; negative means never (the server may still close it).
	//
	// A server closes idle keep-alive connections on its own schedule,
	// and a request may go out on a pooled connection just as the server
	// closes it. An idempotent request (GET, HEAD, OPTIONS, TRACE, PUT,
	// DELETE, without a BodyProducer) that gets no byte back is sent again
	// on a new connection (net/http retries GET, HEAD, OPTIONS and TRACE
	// only; PUT and DELETE are idempotent by RFC 9110 and retried here).
	// Any other (a POST, a streamed body) is not retried, as in net/http,
	// since the server may have acted on it: the fetch fails with 599 and
	// ErrStreamClosed. An IdleTimeout below the
	// server's keep-alive timeout avoids that race: the client then
	// retires idle connections before the server does.
	IdleTimeout time.Duration
	// ExpectContinueTimeout is how long a request with Expect100Continue
	// waits for 100 Continue before sending its body anyway (a server may
	// ignore Expect). Zero means 1 s; negative means wait for an answer.
	ExpectContinueTimeout time.Duration
	// Resolver resolves host names; nil means the system's, on the loop's
	// executor.
	Resolver *iostream.Resolver
}

func (o Config) withDefaults() Config {
	if o.MaxClients <= 0 {
		o.MaxClients = DefaultMaxClients
	}
	if o.MaxBufferSize <= 0 {
		o.MaxBufferSize = DefaultMaxBufferSize
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = int64(o.MaxBufferSize)
	}
	if o.MaxHeaderSize <= 0 {
		o.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if o.MaxInterimResponses == 0 {
		o.MaxInterimResponses = DefaultMaxInterimResponses
	}
	if o.MaxIdlePerHost == 0 {
		o.MaxIdlePerHost = o.MaxClients
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.ExpectContinueTimeout == 0 {
		o.ExpectContinueTimeout = time.Second
	}
	return o
}

// AsyncHTTPClient fetches HTTP and HTTPS URLs on a loop, Tornado's
// AsyncHTTPClient. Create one with New; it is loop-only (use Blocking from
// other goroutines).
type AsyncHTTPClient struct {
	loop *ioloop.IOLoop
	opts Config
	tcp  *iostream.TCPClient

	active int      // fetches holding a slot
	queue  []*fetch // FIFO of fetches waiting for a slot
	qhead  int

	pool   map[string][]*conn // idle connections, most recent last
	npool  int
	conns  map[*conn]struct{}  // every open connection
	flight map[*fetch]struct{} // fetches holding a slot
	sweep  *ioloop.Timeout
	tlsc   tlsCache
	closed bool

	headBuf []byte              // scratch for request heads
	urls    map[string]*urlInfo // parsed URLs, by URL
}

// maxCachedURLs bounds the parsed-URL cache; past it, it starts afresh.
const maxCachedURLs = 1024

// parseURL returns rawURL parsed, from the cache if it is there.
func (c *AsyncHTTPClient) parseURL(rawURL string) (*urlInfo, error) {
	if ui, ok := c.urls[rawURL]; ok {
		return ui, nil
	}
	ui, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if len(c.urls) >= maxCachedURLs {
		clear(c.urls)
	}
	c.urls[rawURL] = ui
	return ui, nil
}

// New returns a client that fetches on loop. Loop-only.
func New(loop *ioloop.IOLoop, cfg Config) *AsyncHTTPClient {
	cfg = cfg.withDefaults()
	return &AsyncHTTPClient{
		loop:   loop,
		opts:   cfg,
		tcp:    iostream.NewTCPClient(loop, iostream.ClientConfig{Resolver: cfg.Resolver}),
		pool:   map[string][]*conn{},
		conns:  map[*conn]struct{}{},
		flight: map[*fetch]struct{}{},
		urls:   map[string]*urlInfo{},
	}
}

// FetchURL fetches url with a GET and the client's defaults: Fetch of
// &Request{URL: url}. Loop-only.
func (c *AsyncHTTPClient) FetchURL(url string) *future.Future[*Response] {
	return c.Fetch(&Request{URL: url})
}

// Fetch starts fetching r and returns the future of its response
// (Tornado's fetch; FetchURL is the shorthand for a plain GET). The future
// fails with an *HTTPError: for a non-2xx response (Code is its status,
// Response the response), or with Code 599 for a failure to get one
// (timeout, refused connection, broken stream, malformed response; Err
// says which, see the package's errors). With Request.NoRaise it succeeds
// with Response.Error set instead. An invalid request (URL, method, body,
// headers) fails at once with ErrInvalidRequest, not an *HTTPError; TLS
// files that cannot be read fail the fetch as a 599 wrapping it.
// Cancelling the future abandons the fetch and closes its connection.
// Loop-only.
func (c *AsyncHTTPClient) Fetch(r *Request) *future.Future[*Response] {
	if r == nil {
		return future.Failed[*Response](c.loop, fmt.Errorf("%w: nil *Request", ErrInvalidRequest))
	}
	if c.closed {
		return future.Failed[*Response](c.loop, ErrClosed)
	}
	t, err := r.resolve(c, r.URL)
	if err != nil {
		return future.Failed[*Response](c.loop, err)
	}
	f := &fetch{c: c, orig: r, req: r, t: t, maxHops: r.maxRedirects()}
	f.fut.Init(c.loop)
	f.fut.SetOrigin("fetch")
	f.start = f.now()
	fut := &f.fut
	if ctx := r.Context; ctx != nil && ctx.Err() != nil {
		// The same 599 as a cancellation later on: with a Response, and
		// NoRaise honoured.
		f.fail(transportError("fetch cancelled", ctx.Err()))
		return fut
	}
	f.watchContext(r.Context)
	fut.OnDone(func() {
		if fut.Cancelled() && !f.done {
			f.fail(transportError("fetch cancelled", future.ErrCancelled))
		}
	})
	if c.active < c.opts.MaxClients {
		c.active++
		c.flight[f] = struct{}{}
		f.run()
		return fut
	}
	f.queued = true
	c.queue = append(c.queue, f)
	if d := queueTimeout(r); d > 0 {
		f.queueTo = c.loop.CallLater(d, func() {
			f.queueTo = nil
			f.fail(transportError("timeout in request queue", ErrTimeout))
		})
	}
	return fut
}

// queueTimeout is Tornado's: the smaller of the two timeouts.
func queueTimeout(r *Request) time.Duration {
	ct, rt := r.connectTimeout(), r.requestTimeout()
	switch {
	case ct == 0:
		return rt
	case rt == 0:
		return ct
	}
	return min(ct, rt)
}

// admit starts queued fetches while slots are free.
func (c *AsyncHTTPClient) admit() {
	for c.active < c.opts.MaxClients && c.qhead < len(c.queue) {
		f := c.queue[c.qhead]
		c.queue[c.qhead] = nil
		c.qhead++
		if f.done {
			continue
		}
		c.active++
		c.flight[f] = struct{}{}
		f.run()
	}
	if c.qhead == len(c.queue) {
		c.queue, c.qhead = c.queue[:0], 0
	}
}

// unqueue forgets a fetch that ended while queued.
func (c *AsyncHTTPClient) unqueue(f *fetch) {
	for i := c.qhead; i < len(c.queue); i++ {
		if c.queue[i] == f {
			copy(c.queue[i:], c.queue[i+1:])
			c.queue[len(c.queue)-1] = nil
			c.queue = c.queue[:len(c.queue)-1]
			return
		}
	}
}

// Active returns the number of fetches in progress (holding one of
// MaxClients slots). Loop-only.
func (c *AsyncHTTPClient) Active() int { return c.active }

// Queued returns the number of fetches waiting behind MaxClients. Loop-only.
func (c *AsyncHTTPClient) Queued() int { return len(c.queue) - c.qhead }

// Idle returns the number of pooled idle connections. Loop-only.
func (c *AsyncHTTPClient) Idle() int { return c.npool }

// Close fails every fetch in progress or queued with ErrClosed (as a 599),
// closes every connection, and makes later fetches fail at once. Closing
// twice does nothing. Loop-only.
func (c *AsyncHTTPClient) Close() {
	if c.closed {
		return
	}
	c.closed = true
	for c.qhead < len(c.queue) {
		f := c.queue[c.qhead]
		c.qhead++
		if f != nil && !f.done {
			f.fail(transportError("client closed", ErrClosed))
		}
	}
	c.queue, c.qhead = nil, 0
	for f := range c.flight {
		f.fail(transportError("client closed", ErrClosed))
	}
	for cn := range c.conns {
		cn.close()
	}
	if c.sweep != nil {
		c.loop.RemoveTimeout(c.sweep)
		c.sweep = nil
	}
	c.pool, c.npool = map[string][]*conn{}, 0
}
