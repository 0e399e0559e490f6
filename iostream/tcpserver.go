package iostream

import (
	"log/slog"
	"net"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/ioloop"
)

// Handler receives each connection a TCPServer accepts.
type Handler interface {
	HandleStream(s *IOStream)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(s *IOStream)

// HandleStream calls f(s).
func (f HandlerFunc) HandleStream(s *IOStream) { f(s) }

// acceptBatch is how many connections one readiness event may accept.
const acceptBatch = 128

// ServerConfig configures a TCPServer. The zero value works.
type ServerConfig struct {
	// Stream sets the limits of accepted streams.
	Stream Config
	// MaxConnections, when positive, bounds open connections: at the
	// bound the server stops accepting (the kernel's backlog holds new
	// ones) until a connection closes.
	MaxConnections int
	// Logger receives accept errors; nil means the loop's logger.
	Logger *slog.Logger
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
	conns     map[*IOStream]struct{}
	paused    bool
}

// NewTCPServer returns a server that is not listening yet.
func NewTCPServer(loop *ioloop.IOLoop, h Handler, cfg ServerConfig) *TCPServer {
	log := cfg.Logger
	if log == nil {
		log = loop.Logger()
	}
	return &TCPServer{loop: loop, handler: h, cfg: cfg, log: log, conns: map[*IOStream]struct{}{}}
}

// Listen binds addr ("host:port"; an empty host is every interface, port
// 0 a free port) and starts accepting.
func (s *TCPServer) Listen(addr string) error {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return &net.AddrError{Err: "invalid port", Addr: addr}
	}
	fds, err := BindSockets(port, host, FamilyAny, 0, false)
	if err != nil {
		return err
	}
	return s.AddSockets(fds)
}

// Bind binds sockets as BindSockets does; Start starts accepting on them.
func (s *TCPServer) Bind(port int, address string, family, backlog int, reusePort bool) error {
	fds, err := BindSockets(port, address, family, backlog, reusePort)
	if err != nil {
		return err
	}
	s.bound = append(s.bound, fds...)
	return nil
}

// Start starts accepting on the sockets Bind bound.
func (s *TCPServer) Start() error {
	fds := s.bound
	s.bound = nil
	return s.AddSockets(fds)
}

// AddSockets starts accepting on listening sockets; the server owns them
// from then on and Stop closes them.
func (s *TCPServer) AddSockets(fds []int) error {
	for i, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			closeAll(fds[i:])
			return wrap("set non-blocking", err)
		}
		events := ioloop.Read
		if s.paused {
			events = 0
		}
		if err := s.loop.AddHandler(fd, events, s.accept); err != nil {
			closeAll(fds[i:])
			return err
		}
		s.listeners = append(s.listeners, fd)
	}
	return nil
}

// Addrs returns the addresses the server listens on (to learn the port
// the kernel picked for port 0).
func (s *TCPServer) Addrs() []net.Addr {
	var out []net.Addr
	for _, fd := range append(s.listeners, s.bound...) {
		if sa, err := unix.Getsockname(fd); err == nil {
			out = append(out, sockaddrToAddr(sa))
		}
	}
	return out
}

// Connections returns the number of open accepted connections.
func (s *TCPServer) Connections() int { return len(s.conns) }

// Stop stops listening and closes the listening sockets. Open connections
// are left alone (the HTTP server's Shutdown closes them gracefully).
func (s *TCPServer) Stop() {
	for _, fd := range s.listeners {
		s.loop.RemoveHandler(fd)
		unix.Close(fd)
	}
	closeAll(s.bound)
	s.listeners, s.bound = nil, nil
}

// CloseConnections closes every open accepted connection.
func (s *TCPServer) CloseConnections() {
	for c := range s.conns {
		c.Close()
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
		if s.paused {
			return
		}
		fd, _, err := accept(lfd)
		switch err {
		case nil:
		case unix.EAGAIN:
			return
		case unix.EINTR, unix.ECONNABORTED, unix.EPROTO:
			continue
		default:
			// EMFILE and friends: log, and let the next event retry.
			s.log.Error("iostream: accept failed", "err", err)
			return
		}
		st, err := newStream(s.loop, fd, s.cfg.Stream)
		if err != nil {
			unix.Close(fd)
			s.log.Error("iostream: cannot register connection", "err", err)
			continue
		}
		s.conns[st] = struct{}{}
		st.afterClose = s.connClosed
		if max := s.cfg.MaxConnections; max > 0 && len(s.conns) >= max {
			s.pause(true)
		}
		s.handler.HandleStream(st)
	}
}

func (s *TCPServer) connClosed(st *IOStream) {
	delete(s.conns, st)
	if s.paused && len(s.conns) < s.cfg.MaxConnections {
		s.pause(false)
	}
}

func (s *TCPServer) pause(on bool) {
	s.paused = on
	events := ioloop.Read
	if on {
		events = 0
	}
	for _, fd := range s.listeners {
		s.loop.UpdateHandler(fd, events)
	}
}
