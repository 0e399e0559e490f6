package iostream

import (
	"errors"
	"net"
	"os"
)

// ErrCannotRelease is returned by Release for a TLS stream (its session
// lives in the stream) or one with bytes still queued to send.
var ErrCannotRelease = errors.New("iostream: stream cannot be released: TLS, or bytes queued to send")

// Release takes the socket off the loop and hands it to Go's net package,
// for code that must use it from an ordinary goroutine (a net/http
// handler that hijacks its connection). It returns the socket as a
// net.Conn and the bytes the stream had read but nobody consumed, which
// come before anything the Conn reads. The stream is closed afterwards
// without closing the socket (the close callback does not run; a server
// that accepted it stops counting it), and Release after Close returns
// ErrStreamClosed. Wait for queued writes first (OnFlush): Release refuses
// a stream with bytes to send, and a TLS stream. Loop-only.
func (s *IOStream) Release() (net.Conn, []byte, error) {
	switch {
	case s.closed:
		return nil, nil, s.closedErr()
	case s.tls != nil || s.pendingWrite() > 0:
		return nil, nil, ErrCannotRelease
	}
	buffered := append([]byte(nil), s.rbuf[s.rpos:]...)
	s.releaseRead()
	if s.registered {
		s.loop.RemoveHandler(s.fd)
		s.registered = false
	}
	fd := s.fd
	s.closed = true
	s.finishReadOnClose()
	if s.w != nil {
		s.w.release()
	}
	if s.owner != nil {
		s.owner.connClosed(s)
		s.owner = nil
	}
	s.onClose = nil
	// net.FileConn duplicates the descriptor (and makes the copy
	// non-blocking, on Go's poller); the stream's own is closed here.
	f := os.NewFile(uintptr(fd), "iostream")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, nil, err
	}
	return c, buffered, nil
}
