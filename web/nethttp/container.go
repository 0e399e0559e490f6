package nethttp

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// Config configures a Container. The zero value works.
type Config struct {
	// Threads is the number of workers of the container's own pool
	// (Waitress's threads); zero means ioloop.DefaultExecutorWorkers (4).
	Threads int
	// Executor, if set, runs the handler instead of a pool of the
	// container's own (Close then leaves it alone).
	Executor *ioloop.Executor
	// OutbufOverflow is how many bytes of a response a worker may hand
	// to the loop, unsent, in memory; beyond it they go to a temporary
	// file, so the worker finishes and goes back to the pool however
	// slowly the client reads (Waitress's outbuf_overflow). Zero means
	// DefaultOutbufOverflow (1 MiB).
	OutbufOverflow int64
	// OutbufHighWatermark is how many unsent bytes (in memory and file)
	// make the worker wait for the client (Waitress's
	// outbuf_high_watermark). Zero means DefaultOutbufHighWatermark
	// (16 MiB).
	OutbufHighWatermark int64
	// InbufOverflow is how much of a request body is kept in memory;
	// the rest goes to a temporary file before the handler runs
	// (Waitress's inbuf_overflow). Zero means DefaultInbufOverflow
	// (512 KiB).
	InbufOverflow int64
	// TempDir is where the temporary files go; "" means os.TempDir().
	// Each is removed from the directory as soon as it is made (it lives
	// on, unnamed, until closed), so no outcome leaves one behind.
	TempDir string
	// NoXSRF exempts the mounted handler from the application's XSRF
	// check (web.Config.XSRFCookies), which otherwise applies to it as to
	// any handler.
	NoXSRF bool
	// CurrentUser tells who is logged in, for a container route wrapped
	// in web.Authenticated; nil means nobody.
	CurrentUser func(h *web.RequestHandler) (any, error)
	// Logger receives handler panics; nil means the application's.
	Logger *slog.Logger
	// ExposeTracebacks puts a panic's value and stack in its 500 page
	// (Waitress's expose_tracebacks; off, as it should be in production).
	ExposeTracebacks bool
	// Ident, if set, is the Server header of responses that have none
	// (Waitress's ident).
	Ident string

	// The rest is for Serve, which runs a server of its own; a container
	// mounted in an application uses the application's server settings.
	// Zero values are Waitress's defaults.
	//
	//	Waitress setting          Gornado
	//	threads (4)               Threads
	//	connection_limit (100)    ConnectionLimit
	//	channel_timeout (120 s)   ChannelTimeout (httpserver's StallTimeout)
	//	max_request_header_size   MaxRequestHeaderSize (256 KiB)
	//	max_request_body_size     MaxRequestBodySize (1 GiB)
	//	trusted_proxy             TrustedProxies (prefixes, not one address)
	//	trusted_proxy_headers     what httpserver reads with XHeaders:
	//	                          X-Forwarded-For, -Proto, X-Real-Ip, Forwarded
	//	trusted_proxy_count       TrustedDownstream (hops to skip, by address)
	//	url_scheme                URLScheme ("https" sets Request.TLS)
	//	url_prefix                URLPrefix (stripped; other paths get 404)
	//	expose_tracebacks (off)   ExposeTracebacks
	//	ident                     Ident (no Server header by default)
	//	backlog (1024)            Backlog
	//	unix_socket, _perms       UnixSocket, UnixSocketPerms (0600)
	//	outbuf_overflow, outbuf_high_watermark, inbuf_overflow
	//	                          OutbufOverflow, OutbufHighWatermark, InbufOverflow
	//	host, port, listen        Serve's addr
	//	send_bytes, asyncore_*    none: the loop writes what the socket takes
	//	cleanup_interval          none: the server sweeps its timeouts
	//	clear_untrusted_proxy_headers
	//	                          none: untrusted peers' proxy headers are
	//	                          ignored (the handler still sees them)
	//	log_socket_errors         none: socket errors go to the debug log
	ConnectionLimit      int
	ChannelTimeout       time.Duration
	MaxRequestHeaderSize int
	MaxRequestBodySize   int64
	TrustedProxies       []netip.Prefix
	TrustedDownstream    []netip.Prefix
	URLScheme            string
	URLPrefix            string
	Backlog              int
	UnixSocket           string
	UnixSocketPerms      uint32
	// TLS, if set, makes Serve serve HTTPS.
	TLS *tls.Config
	// Ready, if set, is called by Serve with the listening addresses once
	// its sockets listen, on Serve's goroutine just before its loop starts
	// answering: it must return without waiting for a response (start a
	// goroutine for that, see ExampleServe).
	Ready func(addrs []net.Addr)
}

// Defaults of Config's zero fields: Waitress's.
const (
	DefaultOutbufOverflow      = 1 << 20
	DefaultOutbufHighWatermark = 16 << 20
	DefaultInbufOverflow       = 512 << 10
)

// closeTimeout is how long Close waits for handlers still running.
const closeTimeout = 5 * time.Second

// ErrClosed is the error of Close while handlers are still running on
// the container's own pool after its timeout.
var ErrClosed = errors.New("nethttp: container closed with handlers still running")

// Container runs a net/http handler on a worker pool for a Gornado
// application, Tornado's WSGIContainer. Give a route its Handler; Close
// it once the servers using it have shut down. Safe from any goroutine.
type Container struct {
	h    http.Handler
	cfg  Config
	log  *slog.Logger
	exec *ioloop.Executor
	own  bool

	overflow, highWater, inOverflow int64

	waits    atomic.Int64 // times a worker waited for a slow client
	peak     atomic.Int64 // the most bytes one response held unsent
	spills   atomic.Int64 // responses that went to a spill file
	inSpills atomic.Int64 // request bodies that went to a file
}

// Stats is what Container.Stats reports: figures of a container's life
// so far, to see how often slow clients made workers wait or responses
// spill to disk.
type Stats struct {
	// Waits counts the times a worker waited because a client read its
	// response more slowly than the handler wrote it.
	Waits int64
	// PeakPending is the most bytes one response had handed to the loop
	// and not yet sent, in memory and spill file: at most about
	// OutbufHighWatermark plus a 64 KiB chunk.
	PeakPending int64
	// Spills counts responses that overflowed to a temporary file, and
	// BodySpills request bodies that did.
	Spills, BodySpills int64
}

// Stats returns the container's figures so far.
func (c *Container) Stats() Stats {
	return Stats{Waits: c.waits.Load(), PeakPending: c.peak.Load(), Spills: c.spills.Load(), BodySpills: c.inSpills.Load()}
}

// notePending records n unsent bytes of one response, for Stats.
func (c *Container) notePending(n int64) {
	for p := c.peak.Load(); n > p; p = c.peak.Load() {
		if c.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func orDefault(v, def int64) int64 {
	if v <= 0 {
		return def
	}
	return v
}

// NewContainer returns a container for h, with a pool of cfg.Threads
// workers (started now), or cfg.Executor.
func NewContainer(h http.Handler, cfg Config) *Container {
	c := &Container{h: h, cfg: cfg, log: cfg.Logger, exec: cfg.Executor,
		overflow:   orDefault(cfg.OutbufOverflow, DefaultOutbufOverflow),
		highWater:  orDefault(cfg.OutbufHighWatermark, DefaultOutbufHighWatermark),
		inOverflow: orDefault(cfg.InbufOverflow, DefaultInbufOverflow)}
	if c.exec == nil {
		n := cfg.Threads
		if n <= 0 {
			n = ioloop.DefaultExecutorWorkers
		}
		c.exec = ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: n, Logger: cfg.Logger})
		c.own = true
	}
	return c
}

// Handler returns the route's handler factory: each request gets a
// FallbackHandler that hands it to the container.
func (c *Container) Handler() func() web.Handler {
	return func() web.Handler { return &FallbackHandler{c: c} }
}

// Close shuts the container's own pool down (a Config.Executor is left
// alone): requests still queued are answered 503, and it waits up to 5
// seconds for handlers still running, returning ErrClosed if some still
// are. Requests that come later are answered 503.
func (c *Container) Close() error {
	if c.own && c.exec.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: closeTimeout}) {
		return ErrClosed
	}
	return nil
}
