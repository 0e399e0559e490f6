package iostream

import (
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/internal/sysio"
)

// maxIovecs bounds the buffers passed to one writev (IOV_MAX is 1024).
const maxIovecs = 256

// writeQueue holds what the socket has not taken yet: bufs[0][head:] then
// the rest of bufs. Queued bytes are copies, so callers may reuse their
// slices as soon as Write returns. A stream allocates its queue the first
// time a write has to wait, or the first time Write (not Send) is called,
// since the queue keeps Write's resolved future: most writes
// of a request-response protocol go to the kernel whole, and an idle
// connection should not carry the queue's bookkeeping.
type writeQueue struct {
	bufs    [][]byte
	head    int
	size    int
	written int64 // bytes handed to the kernel since the queue exists
	waiters []writeWaiter
	iov     [][]byte
	onFlush []func()
	doneF   *future.Future[struct{}] // resolved; returned while nothing waits
}

type writeWaiter struct {
	end int64
	f   *future.Future[struct{}]
}

// Write sends b and returns a future that completes once every byte of it
// has been handed to the kernel (encrypted, on a TLS stream). It tries the
// socket at once and copies only what the socket did not take, so b may be
// reused when Write returns; inside a read handler, only the first write
// tries the socket, and the ones after it are copied and leave together
// when the delivery ends (see SetReadHandler), or sooner if holding them
// would pass MaxWriteBufferSize. Futures of successive
// writes complete in order. On a closed stream the future fails with a
// *StreamClosedError; past MaxWriteBufferSize with ErrBufferFull (the
// stream stays open). Loop-only.
func (s *IOStream) Write(b []byte) *future.Future[struct{}] {
	if err := s.Send(b); err != nil {
		return future.Failed[struct{}](s.loop, err)
	}
	if t := s.tls; t != nil && len(t.early) > 0 {
		return t.earlyFuture()
	}
	return s.writeFuture()
}

// writeFuture returns a future for everything queued so far.
func (s *IOStream) writeFuture() *future.Future[struct{}] {
	q := s.writeQueue()
	if q.size == 0 {
		if q.doneF == nil {
			q.doneF = future.Resolved(s.loop, struct{}{})
		}
		return q.doneF
	}
	f := future.New[struct{}](s.loop).SetOrigin("stream write")
	q.waiters = append(q.waiters, writeWaiter{end: q.written + int64(q.size), f: f})
	return f
}

// writeQueue returns the stream's write queue, allocating it on first use.
func (s *IOStream) writeQueue() *writeQueue {
	if s.w == nil {
		s.w = &writeQueue{}
	}
	return s.w
}

// queuedBytes is the bytes queued for the socket.
func (s *IOStream) queuedBytes() int {
	if s.w == nil {
		return 0
	}
	return s.w.size
}

// Send is Write without the future, for code that tracks flushing with
// OnFlush or not at all: it returns the error Write's future would fail
// with at once. Loop-only.
func (s *IOStream) Send(b []byte) error {
	if s.closed {
		return s.closedErr()
	}
	if max := s.cfg.MaxWriteBufferSize; max > 0 && s.pendingWrite()+len(b) > max {
		if s.cork == corkHeld {
			// The cork, not the socket, holds these bytes: send them now
			// and count only what the socket leaves.
			s.handleWrite()
			if s.closed {
				return s.closedErr()
			}
		}
		if s.pendingWrite()+len(b) > max {
			return ErrBufferFull
		}
	}
	if s.tls != nil {
		return s.tls.send(b)
	}
	return s.sendRaw(b)
}

// sendRaw writes b to the socket, queueing what it does not take.
func (s *IOStream) sendRaw(b []byte) error {
	if s.closed {
		return s.closedErr()
	}
	if s.queuedBytes() == 0 && s.cork != corkSent {
		if s.cork == corkOn {
			s.cork = corkSent
		}
		n, err := writeOnce(s.fd, b)
		if err != nil {
			s.closeWith(wrap("write", err))
			return s.closedErr()
		}
		if s.w != nil {
			s.w.written += int64(n)
		}
		b = b[n:]
		if len(b) == 0 {
			return nil
		}
	}
	if s.cork == corkSent && s.queuedBytes() == 0 {
		s.cork = corkHeld
	}
	s.writeQueue().append(b)
	if s.cork == corkHeld {
		return nil // deliverPush flushes it, and watches for Write if need be
	}
	s.updateInterest()
	return nil
}

// cork is how the stream treats writes during a push delivery (one read
// handler run over what one read brought). The first write goes to the
// socket at once, as any write; the ones after it are held back and leave
// together, in one writev, when the delivery ends. A pipelining client
// then gets the responses to one read in two writes rather than one each,
// and a request-response exchange pays nothing.
type cork uint8

const (
	corkOff  cork = iota // not delivering
	corkOn               // delivering, nothing written yet
	corkSent             // delivering, wrote once: hold what follows
	corkHeld             // holding bytes that flushCork sends
)

// flushCork ends the cork: held bytes go to the socket now.
func (s *IOStream) flushCork() {
	held := s.cork == corkHeld
	s.cork = corkOff
	if held && !s.closed {
		s.handleWrite()
		s.updateInterest()
	}
}

// pendingWrite is the bytes accepted by Write and Send and not yet handed
// to the kernel, counting plaintext held back during a TLS handshake.
func (s *IOStream) pendingWrite() int {
	n := s.queuedBytes()
	if s.tls != nil {
		n += s.tls.earlySize
	}
	return n
}

// Writing reports whether written data is waiting for the socket.
func (s *IOStream) Writing() bool { return s.pendingWrite() > 0 }

// WriteBuffered returns the bytes accepted by Write and Send that the
// socket has not taken yet (held back by the cork or by a TLS handshake
// included): what a protocol checks before producing more output for a
// peer that may not be reading. Loop-only.
func (s *IOStream) WriteBuffered() int { return s.pendingWrite() }

// WriteProgress is a count that moves while the peer takes what the
// stream sends and stops when it does not, so a writer can tell a peer
// that reads slowly from one that stopped reading. On Linux it is the
// bytes the peer's TCP acknowledged (TCP_INFO), which move even while a
// full kernel send buffer keeps the write queue still; elsewhere, and for
// sockets that are not TCP, the bytes that left the write queue. Only its
// changes mean something. Loop-only.
func (s *IOStream) WriteProgress() int64 {
	if n, ok := peerAcked(s.fd); ok && !s.closed {
		return n
	}
	if s.w == nil {
		return 0
	}
	return s.w.written
}

// OnFlush runs fn (on the loop, inline) once nothing is queued for
// writing: at once if the queue is empty. Functions registered while data
// is queued run in order when the queue drains. If the stream closes
// first, fn does not run. Loop-only.
func (s *IOStream) OnFlush(fn func()) {
	if !s.Writing() && !s.closed {
		fn()
		return
	}
	q := s.writeQueue()
	q.onFlush = append(q.onFlush, fn)
}

func writeOnce(fd int, b []byte) (int, error) {
	for {
		n, err := sysio.Write(fd, b)
		switch err {
		case nil:
			return n, nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return 0, nil
		default:
			return 0, err
		}
	}
}

// handleWrite flushes what the socket takes, in writev batches.
func (s *IOStream) handleWrite() {
	if s.w == nil {
		return
	}
	for s.w.size > 0 {
		n, err := writev(s.fd, s.w.iovecs())
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			s.closeWith(wrap("write", err))
			return
		}
		s.w.advance(n)
	}
	s.w.complete()
	s.flushed()
}

// flushed runs the OnFlush functions if nothing is left to write.
func (s *IOStream) flushed() {
	if s.closed || s.Writing() || s.w == nil || len(s.w.onFlush) == 0 {
		return
	}
	fns := s.w.onFlush
	s.w.onFlush = nil
	for _, fn := range fns {
		fn()
	}
}

func (q *writeQueue) append(b []byte) {
	q.size += len(b)
	if n := len(q.bufs); n > 0 {
		last := q.bufs[n-1]
		c := copy(last[len(last):cap(last)], b)
		q.bufs[n-1] = last[:len(last)+c]
		b = b[c:]
	}
	for len(b) > 0 {
		var chunk []byte
		if len(b) <= readChunk {
			chunk = getBuf()
		} else {
			chunk = make([]byte, 0, len(b))
		}
		c := copy(chunk[:cap(chunk)], b)
		q.bufs = append(q.bufs, chunk[:c])
		b = b[c:]
	}
}

func (q *writeQueue) iovecs() [][]byte {
	q.iov = q.iov[:0]
	for i, b := range q.bufs {
		if i == 0 {
			b = b[q.head:]
		}
		q.iov = append(q.iov, b)
		if len(q.iov) == maxIovecs {
			break
		}
	}
	return q.iov
}

func (q *writeQueue) advance(n int) {
	q.size -= n
	q.written += int64(n)
	for n > 0 {
		left := len(q.bufs[0]) - q.head
		if n < left {
			q.head += n
			return
		}
		n -= left
		putBuf(q.bufs[0])
		q.bufs[0] = nil
		q.bufs = q.bufs[1:]
		q.head = 0
	}
	if len(q.bufs) == 0 {
		q.bufs = q.bufs[:0:0]
	}
}

// complete resolves the write futures whose bytes are all written.
func (q *writeQueue) complete() {
	i := 0
	for ; i < len(q.waiters) && q.waiters[i].end <= q.written; i++ {
		q.waiters[i].f.SetResult(struct{}{})
		q.waiters[i] = writeWaiter{}
	}
	q.waiters = q.waiters[i:]
}

// fail fails every pending write future with err.
func (q *writeQueue) fail(err error) {
	for _, w := range q.waiters {
		w.f.SetError(err)
	}
	q.waiters = nil
	q.onFlush = nil
}

func (q *writeQueue) release() {
	for _, b := range q.bufs {
		putBuf(b)
	}
	q.bufs, q.head, q.size = nil, 0, 0
}
