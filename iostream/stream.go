package iostream

import (
	"net"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// DefaultMaxBufferSize is the read buffer bound when Config.MaxBufferSize
// is zero: 100 MiB, Tornado's max_buffer_size.
const DefaultMaxBufferSize = 100 << 20

// readChunk is how much a stream asks the socket for at a time.
const readChunk = 16 << 10

// Config sets a stream's limits. The zero value works.
type Config struct {
	// MaxBufferSize bounds the read buffer: the stream never holds more
	// unread bytes than this. Zero means 100 MiB. A pending read (or a
	// read handler) that needs more fails with ErrBufferFull and the
	// stream closes.
	MaxBufferSize int
	// MaxWriteBufferSize bounds the bytes queued for writing; zero means
	// no bound. A write past it fails with ErrBufferFull.
	MaxWriteBufferSize int
}

// IOStream is a non-blocking stream over a socket on one loop. Create one
// with New (or get one from TCPServer or TCPClient); StartTLS turns it into
// a TLS stream with the same API. Loop-only.
type IOStream struct {
	// An idle server connection is mostly this struct, so what only some
	// streams need lives behind pointers that stay nil until used: the
	// pending future-based read (rd), the write queue (w), TLS (tls).
	loop *ioloop.IOLoop
	fd   int
	cfg  Config

	interest   ioloop.Events // what the loop watches for
	ownerIdx   int32         // index in owner.conns
	registered bool
	closed     bool
	eof        bool
	pushing    bool  // inside deliverPush: reads wait, no nested delivery
	cork       cork  // what deliverPush did with the handler's writes
	err        error // why it closed; nil for a clean close
	onClose    func()
	owner      *TCPServer // the server that accepted it, told when it closes
	connecting *future.Future[*IOStream]
	tls        *tlsState // nil for a plain stream

	// Read side: rbuf[rpos:] is buffered, unread data.
	rbuf []byte
	rpos int
	rd   *readOp // allocated by the first future-based read, then reused
	push ReadHandler

	// Write side: allocated when a write has to wait for the socket, or
	// at the first Write (which keeps its resolved future there), then kept.
	w *writeQueue
}

// streamEvents is the stream as the loop's fd handler: a conversion of the
// stream pointer, so registering a stream allocates nothing, and IOStream
// itself exports no HandleEvents method.
type streamEvents IOStream

func (e *streamEvents) HandleEvents(_ int, ev ioloop.Events) { (*IOStream)(e).handleEvents(ev) }

// New wraps fd, a connected socket, in a stream on loop and sets it
// non-blocking. The stream owns fd from then on: Close closes it. It fails
// if fd cannot be made non-blocking or registered with the loop (the
// caller still owns fd then). Loop-only.
func New(loop *ioloop.IOLoop, fd int, cfg Config) (*IOStream, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, wrap("set non-blocking", err)
	}
	return newStream(loop, fd, cfg)
}

// Loop returns the stream's loop.
func (s *IOStream) Loop() *ioloop.IOLoop { return s.loop }

// FD returns the socket's file descriptor, or -1 once closed.
func (s *IOStream) FD() int {
	if s.closed {
		return -1
	}
	return s.fd
}

// Closed reports whether the stream is closed.
func (s *IOStream) Closed() bool { return s.closed }

// Error returns why the stream closed: nil while open or after a clean
// close or EOF, else the error (a socket error, ErrBufferFull, a TLS
// handshake error, ...).
func (s *IOStream) Error() error { return s.err }

// SetCloseCallback arranges for fn to run on the loop when the stream
// closes, for whatever reason; nil removes it. A stream with a close
// callback watches its socket even with no read pending, so a peer's close
// is noticed, as long as no unread data is buffered (as in Tornado: the
// stream reads at most one chunk ahead of its reader). Loop-only.
func (s *IOStream) SetCloseCallback(fn func()) {
	s.onClose = fn
	s.updateInterest()
}

// SetNodelay turns Nagle's algorithm off (true) or on for TCP sockets. It
// fails with a *StreamClosedError on a closed stream, or with the
// setsockopt error (on a Unix socket, say). Loop-only.
func (s *IOStream) SetNodelay(on bool) error {
	if s.closed {
		return s.closedErr()
	}
	v := 0
	if on {
		v = 1
	}
	return wrap("set TCP_NODELAY", unix.SetsockoptInt(s.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, v))
}

// LocalAddr returns the socket's own address (a *net.TCPAddr or
// *net.UnixAddr), or nil once closed. Loop-only.
func (s *IOStream) LocalAddr() net.Addr {
	if s.closed {
		return nil
	}
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return nil
	}
	return sockaddrToAddr(sa)
}

// RemoteAddr returns the peer's address, or nil once closed or before the
// socket connects. Loop-only.
func (s *IOStream) RemoteAddr() net.Addr {
	if s.closed {
		return nil
	}
	sa, err := unix.Getpeername(s.fd)
	if err != nil {
		return nil
	}
	return sockaddrToAddr(sa)
}

// Close closes the stream and its socket: a pending read fails with a
// *StreamClosedError (ReadUntilClose completes with the data), pending
// writes fail, and the close callback is scheduled. Data still queued for
// writing is dropped; await the last Write first to send it. (What a read
// handler wrote before closing, and the stream held back, is first offered
// to the socket once.) A TLS stream whose write queue is empty sends a
// close_notify alert first. Closing twice does nothing. Loop-only.
func (s *IOStream) Close() {
	s.flushCork() // what the handler sent before closing goes first
	if t := s.tls; t != nil && !s.closed && !t.handshaking && s.queuedBytes() == 0 {
		t.closeNotify()
	}
	s.closeWith(nil)
}

// CloseWrite shuts the sending half of the connection down once what is
// queued has been sent: a TLS stream sends a close_notify alert, then
// the socket a FIN, so the peer reads to the end of what was written.
// The stream goes on reading until the peer closes its half, or Close.
// It is the first step of a clean closure (RFC 6455 §7.1.1, net/http's
// closeWrite): a socket closed with the peer's bytes unread in it
// answers with a reset instead of a FIN, and a peer still writing may
// fail on the reset before it reads what was sent last. A write after it
// fails and closes the stream. On a TLS stream, call it once the
// handshake is done (the stream was handed over by a TCPServer or
// Connect): during the handshake it would cut it short. Loop-only.
func (s *IOStream) CloseWrite() {
	s.OnFlush(func() {
		if t := s.tls; t != nil && !t.handshaking {
			t.closeNotify()
		}
		if err := unix.Shutdown(s.fd, unix.SHUT_WR); err != nil && err != unix.ENOTCONN {
			s.closeWith(wrap("shutdown", err))
		}
	})
}

func (s *IOStream) closeWith(err error) {
	if s.closed {
		return
	}
	s.closed = true
	if s.err == nil {
		s.err = err
	}
	if s.registered {
		s.loop.RemoveHandler(s.fd)
		s.registered = false
	}
	unix.Close(s.fd)
	s.finishReadOnClose()
	if s.w != nil {
		s.w.fail(s.closedErr())
		s.w.release()
	}
	if s.connecting != nil {
		s.connecting.SetError(s.closedErr())
		s.connecting = nil
	}
	if s.tls != nil {
		s.tls.streamClosed()
	}
	if s.owner != nil {
		s.owner.connClosed(s)
		s.owner = nil
	}
	if cb := s.onClose; cb != nil {
		s.onClose = nil
		s.loop.AddCallback(cb)
	}
}

func (s *IOStream) closedErr() error { return &StreamClosedError{Cause: s.err} }

// handleEvents is the stream's fd handler (through streamEvents).
func (s *IOStream) handleEvents(ev ioloop.Events) {
	if s.closed {
		return
	}
	if s.connecting != nil {
		s.finishConnect()
		return
	}
	if t := s.tls; t != nil && t.handshaking {
		t.handleEvents(ev)
		return
	}
	if ev&(ioloop.Read|ioloop.Error) != 0 {
		s.handleRead()
	}
	if !s.closed && ev&ioloop.Write != 0 {
		s.handleWrite()
	}
	if !s.closed && ev&ioloop.Error != 0 && s.queuedBytes() == 0 {
		if errno, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR); err == nil && errno != 0 {
			s.closeWith(wrap("socket", unix.Errno(errno)))
		}
	}
	s.updateInterest()
}

// updateInterest tells the loop what the stream waits for: Read while a
// read is pending or a push reader is set, or while a close callback wants
// to know of EOF and nothing is buffered; Write while data is queued.
func (s *IOStream) updateInterest() {
	if s.closed || !s.registered {
		return
	}
	var want ioloop.Events
	switch {
	case s.connecting != nil:
		want = ioloop.Write
	case s.tls != nil && s.tls.handshaking:
		want = s.tls.interest()
		if s.queuedBytes() > 0 {
			want |= ioloop.Write
		}
	default:
		if s.wantsData() || (s.onClose != nil && s.rpos >= len(s.rbuf)) {
			want |= ioloop.Read
		}
		if s.queuedBytes() > 0 {
			want |= ioloop.Write
		}
		if s.tls != nil {
			s.tls.maybeKick()
		}
	}
	if want != s.interest {
		s.interest = want
		if err := s.loop.UpdateHandler(s.fd, want); err != nil {
			s.closeWith(err)
		}
	}
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &net.OpError{Op: op, Net: "tcp", Err: err}
}
