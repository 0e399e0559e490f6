package iostream

import (
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/internal/sysio"
)

// The read path: bytes come from the socket (through TLS, if on) into the
// read buffer, and go to the pending read or to the read handler.

// ReadHandler receives a stream's data in push mode (SetReadHandler).
// HandleRead is called on the loop with all buffered, unread data and
// returns how many bytes it consumed; data is valid only during the call.
type ReadHandler interface {
	HandleRead(data []byte) int
}

// ReadHandlerFunc adapts a function to ReadHandler.
type ReadHandlerFunc func(data []byte) int

// HandleRead calls f(data).
func (f ReadHandlerFunc) HandleRead(data []byte) int { return f(data) }

// SetReadHandler puts the stream in push mode, for protocols that parse
// what they get (the HTTP server uses it): h.HandleRead is called with all
// buffered, unread data and returns how many bytes it consumed. While it
// consumes something and data remains, it is called again at once with
// the rest; once it consumes nothing, the rest is offered again, with what
// follows, when more arrives. data is valid only during the call. If data
// is buffered, h is first called before SetReadHandler returns (when
// called from inside a read handler, the delivery simply goes on with h).
//
// nil leaves push mode: reading pauses, the kernel holds what the peer
// sends, and the stream stops watching for the peer's close while data
// is buffered. While a read handler is set, future-based reads fail with
// ErrAlreadyReading; a read handler may set nil and start one, and that
// read sees the data after what the handler consumed. If unconsumed data
// reaches MaxBufferSize, the stream closes with ErrBufferFull.
//
// While h runs the stream is corked: its first write goes to the socket at
// once, and writes after it are held back and leave in one writev when the
// delivery ends, so a client that pipelines gets the answers to one read
// in two system calls, not one each. Writing reports held bytes.
//
// An object that parses one stream (a protocol's connection) can be its
// own ReadHandler: the stream keeps the object, where a method value
// would cost an allocation per stream. Loop-only.
func (s *IOStream) SetReadHandler(h ReadHandler) {
	s.push = h
	if s.pushing {
		// Called from the read handler: deliverPush goes on with h, and
		// its caller settles the poller interest once, when delivery is
		// over. (A handler that pauses and resumes within one event, as
		// the HTTP server's does for each request, then costs no
		// epoll_ctl.)
		return
	}
	if h != nil && s.rpos < len(s.rbuf) {
		s.deliverPush()
	}
	s.updateInterest()
}

// SetReadHandlerFunc is SetReadHandler with a function; nil leaves push
// mode. Loop-only.
func (s *IOStream) SetReadHandlerFunc(fn func(data []byte) int) {
	if fn == nil {
		s.SetReadHandler(nil)
		return
	}
	s.SetReadHandler(ReadHandlerFunc(fn))
}

// handleRead reads what the socket has while someone wants it, delivers
// it, and closes the stream on EOF once the data is delivered. With no
// reader it reads one chunk (to notice EOF for a close callback) and
// leaves the rest in the kernel: a paused stream does not buffer.
func (s *IOStream) handleRead() {
	for {
		space, err := s.makeRoom()
		if err != nil {
			s.closeWith(err)
			return
		}
		n, err := s.readSome(space)
		if s.closed {
			return // a TLS read wrote a reply that failed
		}
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			if s.tls != nil {
				s.tls.buffered = false
			}
			break
		}
		if err != nil {
			s.closeWith(err)
			return
		}
		if n == 0 {
			s.eof = true
			break
		}
		s.rbuf = s.rbuf[:len(s.rbuf)+n]
		s.deliver()
		if s.closed {
			return
		}
		if !s.wantsData() {
			if s.tls != nil {
				s.tls.buffered = true
			}
			break
		}
		if s.tls == nil && n < len(space) {
			break // drained, most likely; level-triggered polling tells us if not
		}
	}
	if s.rpos >= len(s.rbuf) {
		s.releaseRead()
	}
	if s.eof && !s.closed {
		s.closeWith(nil)
	}
}

// readSome reads into p from the socket, or through TLS, with read(2)'s
// conventions: 0, nil is EOF; EAGAIN is nothing to read.
func (s *IOStream) readSome(p []byte) (int, error) {
	if s.tls != nil {
		return s.tls.read(p)
	}
	n, err := sysio.Read(s.fd, p)
	if err != nil && err != unix.EAGAIN && err != unix.EINTR {
		err = wrap("read", err)
	}
	return n, err
}

// deliver hands buffered data to the pending read, then to the push
// handler.
func (s *IOStream) deliver() {
	if s.reading() {
		s.trySatisfy()
	}
	if s.push != nil && !s.closed {
		s.deliverPush()
	}
}

// deliverPush offers buffered data to the read handler until it consumes
// nothing or nothing is left. It does not nest: a handler that sets another
// handler, or starts a read, has it served by this loop once it returns.
func (s *IOStream) deliverPush() {
	if s.pushing {
		return
	}
	s.pushing = true
	s.cork = corkOn
	defer s.endPush()
	for s.push != nil && !s.closed && !s.reading() && s.rpos < len(s.rbuf) {
		n := s.push.HandleRead(s.rbuf[s.rpos:])
		if s.closed {
			return
		}
		if n > 0 {
			s.consume(min(n, len(s.rbuf)-s.rpos))
		}
		if s.reading() {
			s.pushing = false
			s.settleRead()
			return
		}
		if n <= 0 {
			return
		}
	}
}

// endPush ends a delivery: the writes held back during it leave now.
func (s *IOStream) endPush() {
	s.pushing = false
	s.flushCork()
}

// makeRoom returns free space at the end of the read buffer, taking a
// buffer from the pool, compacting or growing it as needed, never more
// than MaxBufferSize allows. It fails with ErrBufferFull when the buffer
// holds MaxBufferSize unread bytes.
func (s *IOStream) makeRoom() ([]byte, error) {
	buffered := len(s.rbuf) - s.rpos
	if buffered >= s.cfg.MaxBufferSize {
		return nil, ErrBufferFull
	}
	if s.rbuf == nil {
		s.rbuf = getBuf()
	}
	if cap(s.rbuf)-len(s.rbuf) < readChunk/4 {
		if s.rpos > 0 && buffered < cap(s.rbuf)/2 {
			n := copy(s.rbuf, s.rbuf[s.rpos:])
			s.rbuf, s.rpos = s.rbuf[:n], 0
		} else {
			grown := make([]byte, buffered, min(2*cap(s.rbuf), s.cfg.MaxBufferSize+readChunk))
			copy(grown, s.rbuf[s.rpos:])
			putBuf(s.rbuf)
			s.rbuf, s.rpos = grown, 0
		}
	}
	space := s.rbuf[len(s.rbuf):cap(s.rbuf)]
	if room := s.cfg.MaxBufferSize - buffered; len(space) > room {
		space = space[:room]
	}
	return space, nil
}

func (s *IOStream) consume(n int) {
	s.rpos += n
	if s.rpos >= len(s.rbuf) {
		s.releaseRead()
	}
}

func (s *IOStream) releaseRead() {
	if s.rbuf != nil {
		putBuf(s.rbuf)
	}
	s.rbuf, s.rpos = nil, 0
}
