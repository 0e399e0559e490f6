package iostream

import (
	"crypto/tls"
	"log/slog"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// Handler receives each connection a TCPServer accepts.
type Handler interface {
	// HandleStream is called on the loop with each new stream (for a
	// TLS server, once its handshake is done), and must not block: it
	// starts a coroutine or sets a read handler, and owns s from then on.
	HandleStream(s *IOStream)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(s *IOStream)

// HandleStream calls f(s).
func (f HandlerFunc) HandleStream(s *IOStream) { f(s) }

// acceptBatch is how many connections one readiness event may accept.
const acceptBatch = 128

// acceptRetry is how long a server out of file descriptors (or memory)
// stops accepting before it tries again, instead of spinning on a listener
// that stays readable.
const acceptRetry = 100 * time.Millisecond

// ServerConfig configures a TCPServer. The zero value works.
type ServerConfig struct {
	// Stream sets the limits of accepted streams.
	Stream Config
	// MaxConnections, when positive, bounds open connections: at the
	// bound the server stops accepting (the kernel's backlog holds new
	// ones) until a connection closes.
	MaxConnections int
	// Logger receives accept errors (and, at debug level, failed TLS
	// handshakes); nil means the loop's logger.
	Logger *slog.Logger
	// TLS, when set, makes the server speak TLS: each accepted stream
	// does the server side of the handshake (StartTLS) and is handed to
	// the Handler only once it succeeded, so HandleStream can read the
	// negotiated ALPN protocol with ConnectionState. A connection whose
	// handshake fails is closed and never seen. Pick certificates per
	// client with GetCertificate (SNI) or GetConfigForClient.
	TLS *tls.Config
	// HandshakeTimeout, when positive, closes a TLS connection whose
	// handshake has not completed that long after it was accepted. A
	// client that has sent nothing costs no goroutine, but one stalled
	// mid-handshake holds one until then.
	HandshakeTimeout time.Duration
}

// TCPServer accepts connections on one loop and hands each, as an
// IOStream, to a Handler (Tornado's TCPServer). Listen binds and starts
// in one call; Bind then Start, or AddSockets with sockets from
// BindSockets, split the steps (to bind before dropping privileges, or to
// share SO_REUSEPORT sockets between loops). Loop-only.
type TCPServer struct {
	loop    *ioloop.IOLoop
	handler Handler
	cfg     ServerConfig
	log     *slog.Logger

	bound     []int // bound, not yet started
	listeners []int
	conns     []*IOStream     // open accepted streams; each knows its index (ownerIdx)
	paused    bool            // at MaxConnections
	backoff   *ioloop.Timeout // out of fds: accepting resumes when it fires
	starved   acceptStarved
}

// acceptStarved keeps the log of a server out of file descriptors to one
// record when it starts, one per acceptLogEvery while it lasts (with how
// many pauses it counted), and one when accepting works again: not one
// per acceptRetry.
type acceptStarved struct {
	since, logged time.Time // zero while accepting works
	last          time.Time // the last failure
	pauses        int       // since the last record
}

const acceptLogEvery = 10 * time.Second

// NewTCPServer returns a server that is not listening yet; h receives
// each accepted stream, on the loop. Loop-only.
func NewTCPServer(loop *ioloop.IOLoop, h Handler, cfg ServerConfig) *TCPServer {
	log := cfg.Logger
	if log == nil {
		log = loop.Logger()
	}
	return &TCPServer{loop: loop, handler: h, cfg: cfg, log: log}
}

// Listen binds addr ("host:port"; an empty host is every interface, IPv4
// and IPv6, a name every address it resolves to; port 0 a free port, the
// same for each socket) and starts accepting. It returns the error of
// parsing, resolving or binding, with nothing left open. Loop-only.
func (s *TCPServer) Listen(addr string) error {
	fds, err := BindSockets(addr, BindConfig{})
	if err != nil {
		return err
	}
	return s.AddSockets(fds)
}

// Bind binds sockets as BindSockets does, without accepting yet (bind
// before dropping privileges, start later); Start starts accepting on
// them. It returns BindSockets's error. Loop-only.
func (s *TCPServer) Bind(addr string, cfg BindConfig) error {
	fds, err := BindSockets(addr, cfg)
	if err != nil {
		return err
	}
	s.bound = append(s.bound, fds...)
	return nil
}

// Start starts accepting on the sockets Bind bound. It fails only if the
// loop cannot watch a socket. Loop-only.
func (s *TCPServer) Start() error {
	fds := s.bound
	s.bound = nil
	return s.AddSockets(fds)
}

// AddSockets starts accepting on listening sockets (from BindSockets or
// BindUnixSocket); the server owns them from then on and Stop closes them.
// If one cannot be added, it and the ones after it are closed and the
// error returned; those before it stay added. Loop-only.
func (s *TCPServer) AddSockets(fds []int) error {
	for i, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			closeAll(fds[i:])
			return wrap("set non-blocking", err)
		}
		if err := s.loop.AddHandler(fd, s.acceptEvents(), ioloop.HandlerFunc(s.accept)); err != nil {
			closeAll(fds[i:])
			return err
		}
		s.listeners = append(s.listeners, fd)
	}
	return nil
}

// Addrs returns the addresses the server listens on, or has bound (to
// learn the port the kernel picked for port 0). Loop-only.
func (s *TCPServer) Addrs() []net.Addr {
	var out []net.Addr
	for _, fd := range append(s.listeners, s.bound...) {
		if sa, err := unix.Getsockname(fd); err == nil {
			out = append(out, sockaddrToAddr(sa))
		}
	}
	return out
}

// Connections returns the number of open accepted connections, those
// still in their TLS handshake included. Loop-only.
func (s *TCPServer) Connections() int { return len(s.conns) }

// Stop stops listening and closes the listening sockets (new connections
// are refused). Open connections are left alone (the HTTP server's
// Shutdown closes them gracefully). Loop-only.
func (s *TCPServer) Stop() {
	if s.backoff != nil {
		s.loop.RemoveTimeout(s.backoff)
		s.backoff = nil
	}
	for _, fd := range s.listeners {
		s.loop.RemoveHandler(fd)
		unix.Close(fd)
	}
	closeAll(s.bound)
	s.listeners, s.bound = nil, nil
}

// CloseConnections closes every open accepted connection. Loop-only.
func (s *TCPServer) CloseConnections() {
	// Each Close removes its stream, the last one when walking backwards.
	for i := len(s.conns) - 1; i >= 0; i-- {
		if i < len(s.conns) {
			s.conns[i].Close()
		}
	}
}

func closeAll(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// accept is the listening socket's handler: it accepts up to acceptBatch
// connections per event.
func (s *TCPServer) accept(lfd int, _ ioloop.Events) {
	for range acceptBatch {
		if s.paused || s.backoff != nil {
			return
		}
		fd, sa, err := accept(lfd)
		switch err {
		case nil:
		case unix.EAGAIN:
			return
		case unix.EINTR, unix.ECONNABORTED, unix.EPROTO:
			continue
		case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
			// The listener stays readable: stop watching it for a while
			// rather than spin on the error.
			s.starving(err)
			s.backoff = s.loop.CallLater(acceptRetry, s.endBackoff)
			s.updateListeners()
			return
		default:
			s.log.Error("iostream: accept failed", "err", err)
			return
		}
		if !s.starved.since.IsZero() {
			s.log.Warn("iostream: accepting again", "failed_for", s.starved.last.Sub(s.starved.since).Round(time.Millisecond), "pauses", s.starved.pauses)
			s.starved = acceptStarved{}
		}
		st, err := newStream(s.loop, fd, s.cfg.Stream)
		if err != nil {
			unix.Close(fd)
			s.log.Error("iostream: cannot register connection", "err", err)
			continue
		}
		st.owner, st.ownerIdx = s, int32(len(s.conns))
		s.conns = append(s.conns, st)
		if max := s.cfg.MaxConnections; max > 0 && len(s.conns) >= max {
			s.paused = true
			s.updateListeners()
		}
		if s.cfg.TLS != nil {
			s.handshake(st, sa)
			continue
		}
		s.handler.HandleStream(st)
	}
}

// starving notes one accept that failed for want of descriptors or
// memory, and logs as acceptStarved says.
func (s *TCPServer) starving(err error) {
	now := s.loop.Time()
	st := &s.starved
	if !st.since.IsZero() && now.Sub(st.last) > acceptLogEvery {
		// The last episode ended without an accept to say so: this is
		// a new one.
		*st = acceptStarved{}
	}
	st.pauses++
	st.last = now
	switch {
	case st.since.IsZero():
		st.since, st.logged, st.pauses = now, now, 0
		s.log.Error("iostream: accept failed; pausing, and retrying every interval", "err", err, "interval", acceptRetry)
	case now.Sub(st.logged) >= acceptLogEvery:
		s.log.Error("iostream: accept still failing", "err", err, "since", now.Sub(st.since).Round(time.Second), "pauses", st.pauses)
		st.logged, st.pauses = now, 0
	}
}

// handshake hands st to the handler once its TLS handshake succeeds.
func (s *TCPServer) handshake(st *IOStream, sa unix.Sockaddr) {
	f := st.startTLS(true, s.cfg.TLS, s.cfg.HandshakeTimeout)
	f.AddDoneCallback(func(f *future.Future[*IOStream]) {
		if err := f.Err(); err != nil {
			s.log.Debug("iostream: TLS handshake failed", "remote", sockaddrToAddr(sa), "err", err)
			return
		}
		s.handler.HandleStream(st)
	})
}

// connClosed drops a closed stream from conns: the last stream takes its
// place, so the set costs one pointer per connection and no map.
func (s *TCPServer) connClosed(st *IOStream) {
	i, last := int(st.ownerIdx), len(s.conns)-1
	s.conns[i] = s.conns[last]
	s.conns[i].ownerIdx = int32(i)
	s.conns[last] = nil
	s.conns = s.conns[:last]
	if c := cap(s.conns); c > 1024 && len(s.conns) < c/4 {
		s.conns = append(make([]*IOStream, 0, c/2), s.conns...) // after a burst
	}
	if s.paused && len(s.conns) < s.cfg.MaxConnections {
		s.paused = false
		s.updateListeners()
	}
}

func (s *TCPServer) endBackoff() {
	s.backoff = nil
	s.updateListeners()
}

// acceptEvents is what the listeners wait for: nothing while paused.
func (s *TCPServer) acceptEvents() ioloop.Events {
	if s.paused || s.backoff != nil {
		return 0
	}
	return ioloop.Read
}

func (s *TCPServer) updateListeners() {
	events := s.acceptEvents()
	for _, fd := range s.listeners {
		s.loop.UpdateHandler(fd, events)
	}
}
