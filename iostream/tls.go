package iostream

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// TLS on a stream
//
// crypto/tls is written for blocking connections: its handshake keeps its
// state on the stack and reads until it has a whole message, and a failed
// read during the handshake is remembered for good. So the handshake runs
// as a coroutine (gen.Go) on the stream's loop, over a net.Conn adapter
// (tlsConn) whose Read parks the coroutine in gen.Await until the socket is
// readable: the goroutine keeps the handshake's stack while the loop goes
// on. Ciphertext that crypto/tls writes goes straight to the stream's write
// queue. Once the handshake is done, the adapter never parks: a Read with
// nothing to read returns a temporary net.Error, which crypto/tls passes
// up without poisoning the connection (readRecordOrCCS keeps a partial
// record and only records non-temporary errors), so reads decrypt on the
// loop with no goroutine at all.

// tlsState is a stream's TLS layer.
type tlsState struct {
	s    *IOStream
	conn *tls.Conn
	done *future.Future[*IOStream] // StartTLS's future

	handshaking bool
	helloWait   bool    // server side: waiting for the client to speak first
	co          *gen.Co // the handshake coroutine, while it runs
	readable    *future.Future[struct{}]
	timer       *ioloop.Timeout
	pre         []byte // bytes read before StartTLS: the peer's handshake
	early       []earlyWrite
	earlySize   int

	buffered bool  // crypto/tls may hold input the socket will not signal
	kicking  bool  // a read pass is queued to drain it
	rerr     error // what to report after the data read with it
	quiet    bool  // sending close_notify: best effort, never queued
}

// earlyWrite is plaintext written during the handshake, sent after it.
type earlyWrite struct {
	data []byte
	f    *future.Future[struct{}]
}

// StartTLS turns the stream into a TLS stream (Tornado's start_tls) and
// returns a future of the same stream that completes when the handshake
// does. serverSide picks the server or the client end; cfg is used as
// tls.Server or tls.Client would (a client config needs ServerName, or
// InsecureSkipVerify). The whole IOStream API then works on plaintext.
//
// The stream may be used at once: reads complete with decrypted data after
// the handshake, and writes are held during it and encrypted after it.
// Data written before StartTLS goes out first, in clear; bytes already read
// and not consumed are taken as the start of the peer's handshake (the
// server of a STARTTLS protocol may have read the ClientHello with the
// command).
//
// If the handshake fails, the stream closes and the future fails with a
// *StreamClosedError whose cause wraps crypto/tls's error, so errors.As
// finds *tls.CertificateVerificationError, x509.HostnameError,
// x509.UnknownAuthorityError or tls.RecordHeaderError (a peer that does
// not speak TLS). It fails at once with
// ErrTLSActive if the stream already uses TLS or is still connecting, with
// ErrNoTLSConfig for a nil cfg (the stream stays as it was), and with a
// *StreamClosedError on a closed stream. Abandon a slow handshake by
// closing the stream (gen.WithTimeout tells when).
//
// The handshake costs a goroutine while it waits for the peer (see the
// comment at the top of tls.go); a server end starts it only when the
// client's first bytes arrive, so a connection that never speaks costs
// none. After the handshake a TLS stream owns no goroutine. Loop-only.
func (s *IOStream) StartTLS(serverSide bool, cfg *tls.Config) *future.Future[*IOStream] {
	return s.startTLS(serverSide, cfg, 0)
}

// startTLS is StartTLS with a handshake timeout (none if zero).
func (s *IOStream) startTLS(serverSide bool, cfg *tls.Config, timeout time.Duration) *future.Future[*IOStream] {
	f := future.New[*IOStream](s.loop)
	switch {
	case s.closed:
		f.SetError(s.closedErr())
		return f
	case s.tls != nil || s.connecting != nil:
		f.SetError(ErrTLSActive)
		return f
	case cfg == nil:
		f.SetError(ErrNoTLSConfig)
		return f
	}
	t := &tlsState{s: s, done: f, handshaking: true}
	if n := s.Buffered(); n > 0 {
		t.pre = bytes.Clone(s.rbuf[s.rpos:])
		s.consume(n)
		if s.rd != nil {
			s.rd.scanned = 0
		}
	}
	if serverSide {
		t.conn = tls.Server(&tlsConn{t}, cfg)
	} else {
		t.conn = tls.Client(&tlsConn{t}, cfg)
	}
	s.tls = t
	if timeout > 0 {
		t.timer = s.loop.CallLater(timeout, t.timedOut)
	}
	if serverSide && len(t.pre) == 0 {
		t.helloWait = true
	} else {
		t.begin()
	}
	s.updateInterest()
	return f
}

// TLS reports whether the stream uses TLS (StartTLS was called, the
// handshake done or not).
func (s *IOStream) TLS() bool { return s.tls != nil }

// ConnectionState returns the TLS state of the connection (negotiated
// version, cipher suite, ALPN protocol, peer certificates, ...) and true
// once a handshake has completed; a zero state and false on a plain stream
// or during the handshake. Loop-only.
func (s *IOStream) ConnectionState() (tls.ConnectionState, bool) {
	if s.tls == nil || s.tls.handshaking {
		return tls.ConnectionState{}, false
	}
	cs := s.tls.conn.ConnectionState()
	return cs, cs.HandshakeComplete
}

// begin starts the handshake coroutine.
func (t *tlsState) begin() {
	hs := gen.Go(t.s.loop, t.handshake)
	hs.OnDone(func() {
		if err := hs.Err(); err != nil {
			t.finish(err) // crypto/tls panicked
		}
	})
}

func (t *tlsState) handshake(co *gen.Co) (struct{}, error) {
	t.co = co
	err := t.conn.HandshakeContext(context.Background())
	t.co = nil
	t.finish(err)
	return struct{}{}, nil
}

// finish ends the handshake: on failure it closes the stream; on success
// it sends what was written meanwhile and reads what came with the
// handshake's last message.
func (t *tlsState) finish(err error) {
	s := t.s
	if !t.handshaking {
		return
	}
	t.handshaking, t.co, t.pre = false, nil, nil
	if t.timer != nil {
		s.loop.RemoveTimeout(t.timer)
		t.timer = nil
	}
	if err != nil || s.closed {
		s.closeWith(&net.OpError{Op: "tls handshake", Net: "tcp", Addr: s.RemoteAddr(), Err: err})
		t.done.SetError(s.closedErr())
		return
	}
	early := t.early
	t.early, t.earlySize = nil, 0
	for _, e := range early {
		err := t.send(e.data)
		if e.f == nil {
			continue
		}
		if err != nil {
			e.f.SetError(err)
		} else {
			future.Chain(s.writeFuture(), e.f)
		}
	}
	if s.closed {
		t.done.SetError(s.closedErr())
		return
	}
	t.done.SetResult(s)
	t.done = nil // whoever waits holds it; an idle stream need not
	t.buffered = true
	if s.wantsData() {
		s.handleRead()
	}
	s.flushed()
	s.updateInterest()
}

// timedOut closes a stream whose handshake is late.
func (t *tlsState) timedOut() {
	t.timer = nil
	if t.handshaking && !t.s.closed {
		t.s.closeWith(&net.OpError{Op: "tls handshake", Net: "tcp", Addr: t.s.RemoteAddr(), Err: ioloop.ErrTimeout})
	}
}

// streamClosed wakes a waiting handshake and fails what waited for it.
func (t *tlsState) streamClosed() {
	s := t.s
	if t.timer != nil {
		s.loop.RemoveTimeout(t.timer)
		t.timer = nil
	}
	if r := t.readable; r != nil {
		t.readable = nil
		r.SetResult(struct{}{})
	}
	for _, e := range t.early {
		if e.f != nil {
			e.f.SetError(s.closedErr())
		}
	}
	t.early, t.earlySize, t.pre = nil, 0, nil
	if t.handshaking {
		t.done.SetError(s.closedErr())
	}
}

// handleEvents is the stream's fd handler during the handshake: readiness
// wakes the coroutine (or starts it, on a server waiting for the client's
// first bytes); the write queue flushes as usual.
func (t *tlsState) handleEvents(ev ioloop.Events) {
	s := t.s
	if ev&(ioloop.Read|ioloop.Error) != 0 {
		if t.helloWait {
			t.helloWait = false
			t.begin()
		}
		if r := t.readable; r != nil {
			t.readable = nil
			r.SetResult(struct{}{})
		}
	}
	if ev&ioloop.Write != 0 {
		s.handleWrite()
	}
	s.updateInterest()
}

// interest is what the handshake waits for on the read side.
func (t *tlsState) interest() ioloop.Events {
	if t.helloWait || t.readable != nil {
		return ioloop.Read
	}
	return 0
}
