package iostream

import (
	"bytes"
	"regexp"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
)

type readKind uint8

const (
	readNone readKind = iota
	readBytes
	readUntil
	readRegex
	readClose
	readInto
)

// readOp is the one pending read.
type readOp struct {
	kind    readKind
	n       int
	partial bool
	delim   []byte
	re      *regexp.Regexp
	max     int
	scanned int // buffered bytes already searched for delim
	into    []byte
	fut     *future.Future[[]byte]
	intoFut *future.Future[int]
}

// ReadBytes reads n bytes. With partial, it completes as soon as any bytes
// are available, with at most n of them. It fails with a
// *StreamClosedError if the stream closes first.
func (s *IOStream) ReadBytes(n int, partial bool) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readBytes, n: n, partial: partial})
}

// ReadUntil reads up to and including the first delim. With max > 0 it
// fails with ErrUnsatisfiableRead, closing the stream, if max bytes arrive
// without the delimiter (or the delimiter ends past max).
func (s *IOStream) ReadUntil(delim []byte, max int) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readUntil, delim: delim, max: max})
}

// ReadUntilRegex reads up to and including the first match of re, with max
// as in ReadUntil.
func (s *IOStream) ReadUntilRegex(re *regexp.Regexp, max int) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readRegex, re: re, max: max})
}

// ReadUntilClose reads everything until the peer closes the stream. It
// fails only if the stream closes with an error.
func (s *IOStream) ReadUntilClose() *future.Future[[]byte] {
	return s.startRead(readOp{kind: readClose})
}

// ReadInto fills buf and completes with the count; with partial, as soon
// as any bytes arrived. buf belongs to the stream until the future is done.
func (s *IOStream) ReadInto(buf []byte, partial bool) *future.Future[int] {
	f := future.New[int](s.loop)
	if s.rd.kind != readNone {
		f.SetError(ErrAlreadyReading)
		return f
	}
	s.rd = readOp{kind: readInto, into: buf, partial: partial, intoFut: f}
	s.afterStart()
	return f
}

// SetReadHandler puts the stream in push mode, for protocols that parse
// what they get (the HTTP server uses it): fn is called with all buffered,
// unread data whenever more arrives and returns how many bytes it
// consumed; the rest is offered again, with what follows, next time. data
// is valid only during the call. nil leaves push mode (reading pauses
// unless a read is pending). If unconsumed data grows past MaxBufferSize
// the stream closes with ErrBufferFull.
func (s *IOStream) SetReadHandler(fn func(data []byte) int) {
	s.push = fn
	if fn != nil && s.rpos < len(s.rbuf) {
		s.deliverPush()
	}
	s.updateInterest()
}

// Buffered returns the number of bytes read from the socket and not yet
// consumed.
func (s *IOStream) Buffered() int { return len(s.rbuf) - s.rpos }

func (s *IOStream) startRead(op readOp) *future.Future[[]byte] {
	f := future.New[[]byte](s.loop)
	if s.rd.kind != readNone {
		f.SetError(ErrAlreadyReading)
		return f
	}
	op.fut = f
	s.rd = op
	s.afterStart()
	return f
}

// afterStart completes the new read from the buffer if it can, and else
// waits for the socket (or fails it if the stream is closed).
func (s *IOStream) afterStart() {
	if s.trySatisfy() {
		return
	}
	if s.closed {
		s.finishReadOnClose()
		return
	}
	s.updateInterest()
}

// trySatisfy completes the pending read from buffered data if it can and
// reports whether the read is over (done or failed).
func (s *IOStream) trySatisfy() bool {
	avail := s.rbuf[s.rpos:]
	op := &s.rd
	switch op.kind {
	case readBytes:
		if len(avail) >= op.n || (op.partial && len(avail) > 0) {
			s.completeBytes(min(op.n, len(avail)))
			return true
		}
	case readUntil, readRegex:
		end := -1
		if op.kind == readUntil {
			from := max(0, op.scanned-len(op.delim)+1)
			if i := bytes.Index(avail[from:], op.delim); i >= 0 {
				end = from + i + len(op.delim)
			}
			op.scanned = len(avail)
		} else if loc := op.re.FindIndex(avail); loc != nil {
			end = loc[1]
		}
		if end >= 0 && (op.max <= 0 || end <= op.max) {
			s.completeBytes(end)
			return true
		}
		if op.max > 0 && (end >= 0 || len(avail) >= op.max) {
			s.failRead(ErrUnsatisfiableRead)
			s.closeWith(ErrUnsatisfiableRead)
			return true
		}
	case readInto:
		n := copy(op.into, avail)
		if n == len(op.into) || (op.partial && n > 0) {
			f := op.intoFut
			s.rd = readOp{}
			s.consume(n)
			f.SetResult(n)
			return true
		}
	}
	return false
}

func (s *IOStream) completeBytes(n int) {
	data := bytes.Clone(s.rbuf[s.rpos : s.rpos+n])
	if data == nil {
		data = []byte{}
	}
	f := s.rd.fut
	s.rd = readOp{}
	s.consume(n)
	f.SetResult(data)
}

func (s *IOStream) failRead(err error) {
	op := s.rd
	s.rd = readOp{}
	if op.fut != nil {
		op.fut.SetError(err)
	}
	if op.intoFut != nil {
		op.intoFut.SetError(err)
	}
}

// finishReadOnClose ends the pending read of a closed stream: from the
// buffer if it can (ReadUntilClose takes everything), else with the close
// error. The buffer is released afterwards.
func (s *IOStream) finishReadOnClose() {
	switch {
	case s.rd.kind == readClose && s.err == nil:
		s.completeBytes(len(s.rbuf) - s.rpos)
	case s.rd.kind != readNone && !s.trySatisfy():
		s.failRead(s.closedErr())
	}
	if s.rd.kind == readNone && s.rpos >= len(s.rbuf) {
		s.releaseRead()
	}
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

// handleRead reads what the socket has, delivers it, and closes the stream
// on EOF once the data is delivered.
func (s *IOStream) handleRead() {
	for {
		space, err := s.makeRoom()
		if err != nil {
			s.closeWith(err)
			return
		}
		n, err := unix.Read(s.fd, space)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
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
		if n < len(space) {
			break // drained, most likely; level-triggered polling tells us if not
		}
		s.deliver() // let the reader consume before reading more
		if s.closed {
			return
		}
	}
	s.deliver()
	if s.eof && !s.closed {
		s.closeWith(nil)
	}
}

// deliver hands buffered data to the push handler or the pending read.
func (s *IOStream) deliver() {
	if s.push != nil {
		s.deliverPush()
	} else if s.rd.kind != readNone {
		s.trySatisfy()
	}
}

func (s *IOStream) deliverPush() {
	for s.push != nil && !s.closed && s.rpos < len(s.rbuf) {
		n := s.push(s.rbuf[s.rpos:])
		if s.closed || n <= 0 {
			return
		}
		s.consume(n)
	}
}

// makeRoom returns free space at the end of the read buffer, taking a
// buffer from the pool, compacting or growing it as needed. It fails with
// ErrBufferFull past MaxBufferSize.
func (s *IOStream) makeRoom() ([]byte, error) {
	if s.rbuf == nil {
		s.rbuf = getBuf()
	}
	if cap(s.rbuf)-len(s.rbuf) < readChunk/4 {
		buffered := len(s.rbuf) - s.rpos
		if buffered >= s.cfg.MaxBufferSize {
			return nil, ErrBufferFull
		}
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
	return s.rbuf[len(s.rbuf):cap(s.rbuf)], nil
}
