package iostream

import (
	"io"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/internal/sysio"
)

// errWouldBlock is what the adapter's Read returns, after the handshake,
// when the socket has nothing: a temporary net.Error, which crypto/tls
// passes up and does not remember.
var errWouldBlock net.Error = wouldBlockError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "iostream: TLS read would block" }
func (wouldBlockError) Timeout() bool   { return true }
func (wouldBlockError) Temporary() bool { return true }

// tlsConn is the net.Conn crypto/tls runs over: the stream's socket.
type tlsConn struct{ t *tlsState }

func (c *tlsConn) Read(p []byte) (int, error)  { return c.t.rawRead(p) }
func (c *tlsConn) Write(p []byte) (int, error) { return c.t.rawWrite(p) }

// Close does nothing: the stream closes the socket.
func (c *tlsConn) Close() error         { return nil }
func (c *tlsConn) LocalAddr() net.Addr  { return c.t.s.LocalAddr() }
func (c *tlsConn) RemoteAddr() net.Addr { return c.t.s.RemoteAddr() }

// Deadlines do nothing: the loop's timeouts bound the waits.
func (c *tlsConn) SetDeadline(time.Time) error      { return nil }
func (c *tlsConn) SetReadDeadline(time.Time) error  { return nil }
func (c *tlsConn) SetWriteDeadline(time.Time) error { return nil }

// earlyFuture returns the future of the write just held back.
func (t *tlsState) earlyFuture() *future.Future[struct{}] {
	f := future.New[struct{}](t.s.loop)
	t.early[len(t.early)-1].f = f
	return f
}

// rawRead reads ciphertext: first what was buffered before StartTLS, then
// the socket. During the handshake it parks the coroutine until the socket
// is readable; after it, it returns errWouldBlock instead.
func (t *tlsState) rawRead(p []byte) (int, error) {
	if len(t.pre) > 0 {
		n := copy(p, t.pre)
		t.pre = t.pre[n:]
		return n, nil
	}
	s := t.s
	for {
		if s.closed {
			return 0, s.closedErr()
		}
		n, err := sysio.Read(s.fd, p)
		switch {
		case err == nil && n > 0:
			return n, nil
		case err == nil:
			return 0, io.EOF
		case err == unix.EINTR:
			continue
		case err != unix.EAGAIN:
			return 0, wrap("read", err)
		case t.co == nil:
			return 0, errWouldBlock
		}
		r := future.New[struct{}](s.loop)
		t.readable = r
		s.updateInterest()
		if _, err := gen.Await(t.co, r); err != nil {
			return 0, err
		}
	}
}

// rawWrite queues ciphertext on the stream; it never blocks.
func (t *tlsState) rawWrite(p []byte) (int, error) {
	s := t.s
	if t.quiet {
		if !s.closed {
			writeOnce(s.fd, p)
		}
		return len(p), nil
	}
	if err := s.sendRaw(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// read decrypts into p with read(2)'s conventions, for handleRead.
func (t *tlsState) read(p []byte) (int, error) {
	if t.rerr != nil {
		if t.rerr == io.EOF {
			return 0, nil
		}
		return 0, t.rerr
	}
	n, err := t.conn.Read(p)
	switch {
	case err == nil:
		return n, nil
	case err == errWouldBlock:
		if n > 0 {
			return n, nil
		}
		return 0, unix.EAGAIN
	case n > 0:
		t.rerr = err
		return n, nil
	case err == io.EOF:
		t.rerr = err
		return 0, nil
	}
	return 0, err
}

// send encrypts b onto the write queue, or holds it during the handshake.
func (t *tlsState) send(b []byte) error {
	s := t.s
	if t.handshaking {
		t.early = append(t.early, earlyWrite{data: append([]byte(nil), b...)})
		t.earlySize += len(b)
		return nil
	}
	if _, err := t.conn.Write(b); err != nil {
		if !s.closed {
			s.closeWith(wrap("write", err))
		}
		return s.closedErr()
	}
	return nil
}

// closeNotify sends a close_notify alert if the socket takes it at once.
func (t *tlsState) closeNotify() {
	t.quiet = true
	t.conn.CloseWrite()
	t.quiet = false
}

// maybeKick queues a read pass when a reader waits and crypto/tls may hold
// input that no readiness event will announce.
func (t *tlsState) maybeKick() {
	if t.buffered && !t.kicking && t.s.wantsData() {
		t.kicking = true
		t.s.loop.AddCallback(t.kick)
	}
}

func (t *tlsState) kick() {
	t.kicking = false
	s := t.s
	if s.closed || !t.buffered || !s.wantsData() {
		return
	}
	s.handleRead()
	s.updateInterest()
}
