package httpserver

import (
	"crypto/tls"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/iostream"
)

// Defaults for Config's zero fields.
const (
	DefaultMaxHeaderSize = httputil.DefaultMaxHeaderSize // 64 KiB
	DefaultMaxBodySize   = 100 << 20                     // 100 MiB, Tornado's
	DefaultHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout   = 60 * time.Second
	DefaultIdleTimeout   = 60 * time.Second
	DefaultStallTimeout  = 120 * time.Second // Waitress's channel_timeout
	// DefaultMaxWriteBufferSize bounds the output queued for one
	// connection (Config.Stream.MaxWriteBufferSize): a response the
	// socket has not taken. A handler with more to send streams it,
	// awaiting Flush.
	DefaultMaxWriteBufferSize = 64 << 20
	// DefaultMaxBufferedBodySize bounds the request bodies a server holds
	// in memory at once (Config.MaxBufferedBodySize): two bodies of the
	// default MaxBodySize, and then some.
	DefaultMaxBufferedBodySize = 256 << 20
)

// pipelineWatermark is the output a connection may have queued when it
// goes on to a pipelined request: past it, the next request is read only
// once the queue has drained, so a client that pipelines requests and
// never reads their answers holds at most one response in the server's
// memory, not one per request.
const pipelineWatermark = 64 << 10

// Config sets a server's limits and options. The zero value serves, with
// the defaults above.
type Config struct {
	// MaxHeaderSize bounds a request's head (start line and headers); a
	// larger one is answered 431 and the connection closed.
	MaxHeaderSize int
	// MaxBodySize bounds a request body as the handler sees it (inflated,
	// with DecompressRequest), whether the server buffers it or a
	// delegate takes it as it arrives; a larger one is answered 413 and
	// the connection closed. A delegate may raise it for its request
	// (Response.SetMaxBodySize), as Tornado's set_max_body_size.
	MaxBodySize int64
	// MaxBufferedBodySize bounds the memory request bodies hold at once,
	// across all the server's connections (the capacity of their
	// buffers, which appends grow ahead of their length): bodies collected in
	// Request.Body (by a HandlerFunc, or any delegate that appends them
	// there) and gzipped bodies waiting to be inflated, from their first
	// byte until their response is finished. A request whose body would
	// pass it is answered 503 and its connection closed; bodies a
	// delegate takes as they arrive and does not keep there do not count.
	// It refuses rather than waits: bodies that wait for each other's
	// memory can all wait until their timeout, and a 503 tells the client
	// at once to try later. Zero means DefaultMaxBufferedBodySize,
	// negative no bound; below MaxBodySize, a single large body meets it.
	MaxBufferedBodySize int64
	// HeaderTimeout bounds the time from a request's first byte to the
	// end of its head (slowloris); the connection is closed silently.
	//
	// Every timeout here follows net/http's rule: zero means the default
	// (DefaultHeaderTimeout, ...), negative means none.
	HeaderTimeout time.Duration
	// BodyTimeout bounds the time to read a request body.
	BodyTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout time.Duration
	// StallTimeout closes a connection whose queued response makes no
	// progress for this long: the client stopped reading (Waitress's
	// channel_timeout). A client that reads slowly keeps it open; so does
	// a handler that takes its time and sends nothing. The handler hears
	// of the close (OnConnectionClose), and a worker of web/nethttp
	// waiting for the client is released. Zero means DefaultStallTimeout,
	// negative no limit.
	StallTimeout time.Duration
	// MaxConnections, when positive, bounds open connections; at the
	// bound the server stops accepting until one closes.
	MaxConnections int
	// DecompressRequest inflates request bodies sent with
	// Content-Encoding: gzip before the handler sees them. The compressed
	// body is held until complete (at most MaxBodySize of it), then
	// inflated 256 KiB per loop callback, so a bomb delays no one; the
	// body limit applies to the inflated bytes.
	DecompressRequest bool
	// XHeaders makes Request.RemoteIP and Request.Protocol come from
	// X-Real-Ip, X-Forwarded-For, X-Forwarded-Proto, X-Scheme and
	// Forwarded, as set by a proxy in front of the server.
	XHeaders bool
	// TrustedProxies, with XHeaders, are the peers whose proxy headers
	// are believed (Waitress's trusted_proxy): a request from any other
	// address keeps its own RemoteIP and Protocol. Empty means every peer
	// (Tornado's xheaders), right only when nothing but the proxy can
	// reach the server. A Unix-socket peer counts as 0.0.0.0.
	TrustedProxies []netip.Prefix
	// TrustedDownstream lists proxies to skip when reading the client's
	// address from X-Forwarded-For (Tornado's trusted_downstream).
	TrustedDownstream []netip.Prefix
	// TLS, when set, serves HTTPS: connections are handed to the server
	// after the TLS handshake, and Request.Protocol is "https".
	TLS *tls.Config
	// AllowConnect lets CONNECT requests reach the handler, with an
	// authority-form target ("host:port", also Request.Host): a handler
	// that tunnels answers 200 and takes the connection over
	// (Response.Detach). Without it every CONNECT is answered 405 and the
	// connection closed, before the handler sees it: a server that is not
	// a proxy must not look like one that forgot to say no.
	AllowConnect bool
	// NoKeepAlive closes every connection after one response.
	NoKeepAlive bool
	// Stream sets the limits of each connection's stream. Its
	// MaxWriteBufferSize follows this package's rule rather than
	// iostream's: zero means DefaultMaxWriteBufferSize, negative no bound.
	// A response larger than it fails (Finish and Flush return an error)
	// and the connection closes.
	Stream iostream.Config
	// Logger receives errors; nil means the loop's logger.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.MaxHeaderSize <= 0 {
		c.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = DefaultMaxBodySize
	}
	if c.MaxBufferedBodySize == 0 {
		c.MaxBufferedBodySize = DefaultMaxBufferedBodySize
	}
	if c.HeaderTimeout == 0 {
		c.HeaderTimeout = DefaultHeaderTimeout
	}
	if c.BodyTimeout == 0 {
		c.BodyTimeout = DefaultBodyTimeout
	}
	if c.StallTimeout == 0 {
		c.StallTimeout = DefaultStallTimeout
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.Stream.MaxBufferSize <= 0 {
		// Enough for a full head and a read chunk of body; bodies are
		// consumed as they arrive.
		c.Stream.MaxBufferSize = c.MaxHeaderSize + 64<<10
	}
	switch {
	case c.Stream.MaxWriteBufferSize == 0:
		c.Stream.MaxWriteBufferSize = DefaultMaxWriteBufferSize
	case c.Stream.MaxWriteBufferSize < 0:
		c.Stream.MaxWriteBufferSize = 0 // iostream's "no bound"
	}
}
