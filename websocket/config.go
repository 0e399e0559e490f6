package websocket

import (
	"compress/flate"
	"time"

	"github.com/gornado/gornado/httpserver"
)

// Defaults of Config's zero fields, Tornado's where Tornado has one.
const (
	DefaultMaxMessageSize = 10 << 20 // Tornado's websocket_max_message_size
	DefaultCloseTimeout   = 5 * time.Second
	minPingTimeout        = 30 * time.Second
)

// Config sets up a connection, on either side. The zero value works:
// messages up to 10 MiB, no keepalive pings, no compression, whole
// messages in one frame.
type Config struct {
	// MaxMessageSize bounds a received message, after inflating if it
	// was compressed: a larger one fails the connection with 1009
	// (ErrMessageTooLarge). Zero means 10 MiB.
	MaxMessageSize int
	// PingInterval sends a ping this often (Tornado's
	// websocket_ping_interval); zero sends none. If no pong has come
	// PingTimeout after a ping, the connection fails with 1011
	// (ErrPingTimeout). PingTimeout zero means the larger of three
	// intervals and 30 s, as in Tornado.
	PingInterval time.Duration
	PingTimeout  time.Duration
	// CloseTimeout is how long a closing connection waits for the peer's
	// part of the close handshake (its close frame, or on the client the
	// server closing the TCP connection) before dropping the connection.
	// Zero means 5 s, Tornado's.
	CloseTimeout time.Duration
	// Compression, when set, offers (Dial) or accepts (Upgrade)
	// permessage-deflate (RFC 7692). nil, the default as in Tornado, sends
	// every message uncompressed.
	Compression *CompressionConfig
	// FragmentSize, when positive, sends messages larger than this as
	// several frames of at most this many payload bytes each. Zero sends
	// each message as one frame.
	FragmentSize int
	// ReuseBuffers lends a received message's Data to the handler's
	// OnMessage (or DialConfig.OnMessage) only until it returns: the
	// buffer then goes back to a pool shared by all connections, for a
	// later message, which saves an allocation and its garbage per
	// message (a third of the server's CPU per 16 KiB echo in
	// bench/websocket.sh). A handler that keeps Data, or hands it to
	// another goroutine, must copy it; WriteMessage does not keep it, so
	// an echo need not. Off by default, as in Tornado: Data is then the
	// receiver's to keep. Messages read with ReadMessage, compressed
	// messages, fragmented ones and those over 64 KiB are always the
	// receiver's.
	ReuseBuffers bool

	// SelectSubprotocol picks one of the subprotocols the client offered
	// (Sec-WebSocket-Protocol), or "" for none (Tornado's
	// select_subprotocol). nil selects none. It must return one of
	// offered or "". Server only.
	SelectSubprotocol func(offered []string) string
	// CheckOrigin accepts or refuses a handshake by its Origin header,
	// which a browser always sends: false answers 403 (Tornado's
	// check_origin). nil accepts an origin whose host is the request's
	// Host, and requests without Origin (not from a browser). Server
	// only.
	CheckOrigin func(origin string, r *httpserver.Request) bool
}

// CompressionConfig tunes permessage-deflate. The zero value compresses
// with flate.BestSpeed and takes over the compression context from one
// message to the next, both ways, as Tornado does.
//
// Memory: a connection with context takeover keeps its compressor (a
// compress/flate writer: 1.2 MB at BestSpeed, 0.8 MB at level 6; see the
// package doc) from its first compressed message on, and 32 KiB of
// history for inflating from its first received compressed message on.
// NoContextTakeover compresses each message on its own with a writer
// borrowed from a pool, so an idle connection holds no compressor.
type CompressionConfig struct {
	// Level is compress/flate's level; zero (or a level flate does not
	// have) means flate.BestSpeed.
	Level int
	// NoContextTakeover makes this side compress each message on its
	// own: the server answers server_no_context_takeover, the client
	// offers client_no_context_takeover (and compresses each message on
	// its own whatever the server answers).
	NoContextTakeover bool
}

// settings is a Config with defaults applied: what a connection keeps.
type settings struct {
	maxMessage   int
	pingInterval time.Duration
	pingTimeout  time.Duration
	closeTimeout time.Duration
	fragment     int
	reuse        bool
}

func (c *Config) settings() settings {
	s := settings{
		maxMessage:   c.MaxMessageSize,
		pingInterval: c.PingInterval,
		pingTimeout:  c.PingTimeout,
		closeTimeout: c.CloseTimeout,
		fragment:     c.FragmentSize,
		reuse:        c.ReuseBuffers,
	}
	if s.maxMessage <= 0 {
		s.maxMessage = DefaultMaxMessageSize
	}
	if s.pingTimeout <= 0 {
		s.pingTimeout = max(3*s.pingInterval, minPingTimeout)
	}
	if s.closeTimeout <= 0 {
		s.closeTimeout = DefaultCloseTimeout
	}
	return s
}

// level is the flate level to use: BestSpeed for zero or a level
// compress/flate does not have.
func (c *CompressionConfig) level() int {
	if c == nil || c.Level == 0 || c.Level < flate.HuffmanOnly || c.Level > flate.BestCompression {
		return flate.BestSpeed
	}
	return c.Level
}
