package iostream

import (
	"bytes"
	"regexp"

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

// readOp is the one pending read. A stream allocates it with its first
// future-based read and reuses it: streams in push mode (the HTTP
// server's) never need one.
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
// *StreamClosedError if the stream closes first (errors.Is finds
// ErrStreamClosed, and the socket's error if there was one), with
// ErrAlreadyReading if a read is pending or a read handler is set, and
// with ErrBufferFull (closing the stream) if n exceeds MaxBufferSize, once
// that much has arrived.
// Loop-only.
func (s *IOStream) ReadBytes(n int, partial bool) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readBytes, n: n, partial: partial})
}

// ReadUntil reads up to and including the first delim. With max > 0 it
// fails with ErrUnsatisfiableRead, closing the stream, if max bytes arrive
// without the delimiter (or the delimiter ends past max). Other failures
// are ReadBytes's. Loop-only.
func (s *IOStream) ReadUntil(delim []byte, max int) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readUntil, delim: delim, max: max})
}

// ReadUntilRegex reads up to and including the end of the first match of
// re in the buffered data, with max and failures as in ReadUntil. As in
// Tornado, the match is taken as soon as one exists, so a pattern that
// could match more (`a+`) matches what has arrived. Loop-only.
func (s *IOStream) ReadUntilRegex(re *regexp.Regexp, max int) *future.Future[[]byte] {
	return s.startRead(readOp{kind: readRegex, re: re, max: max})
}

// ReadUntilClose reads everything until the peer closes the stream, and
// completes with it (also when the stream is closed locally). It fails
// only if the stream closes with an error, or with ErrBufferFull past
// MaxBufferSize. Loop-only.
func (s *IOStream) ReadUntilClose() *future.Future[[]byte] {
	return s.startRead(readOp{kind: readClose})
}

// ReadInto fills buf and completes with the count; with partial, as soon
// as any bytes arrived. buf belongs to the stream until the future is done.
// Failures are ReadBytes's. Loop-only.
func (s *IOStream) ReadInto(buf []byte, partial bool) *future.Future[int] {
	f := future.New[int](s.loop).SetOrigin("stream read")
	if s.wantsData() {
		f.SetError(ErrAlreadyReading)
		return f
	}
	s.setRead(readOp{kind: readInto, into: buf, partial: partial, intoFut: f})
	s.afterStart()
	return f
}

// Buffered returns the number of bytes read from the socket (decrypted,
// for TLS) and not yet consumed.
func (s *IOStream) Buffered() int { return len(s.rbuf) - s.rpos }

// wantsData reports whether someone waits for more data.
func (s *IOStream) wantsData() bool { return s.reading() || s.push != nil }

// reading reports whether a future-based read is pending.
func (s *IOStream) reading() bool { return s.rd != nil && s.rd.kind != readNone }

// setRead makes op the pending read.
func (s *IOStream) setRead(op readOp) {
	if s.rd == nil {
		s.rd = new(readOp)
	}
	*s.rd = op
}

// endRead clears the pending read and returns what it was.
func (s *IOStream) endRead() readOp {
	op := *s.rd
	*s.rd = readOp{}
	return op
}

func (s *IOStream) startRead(op readOp) *future.Future[[]byte] {
	f := future.New[[]byte](s.loop).SetOrigin("stream read")
	if s.wantsData() {
		f.SetError(ErrAlreadyReading)
		return f
	}
	op.fut = f
	s.setRead(op)
	s.afterStart()
	return f
}

// afterStart settles a new read, unless a read handler is running: the
// bytes it is about to consume must not go to the read, so deliverPush
// settles it when the handler returns.
func (s *IOStream) afterStart() {
	if !s.pushing {
		s.settleRead()
	}
}

// settleRead completes the pending read from the buffer if it can, fails
// it if the stream is closed, and else waits for the socket.
func (s *IOStream) settleRead() {
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
	if !s.reading() {
		return false
	}
	avail := s.rbuf[s.rpos:]
	op := s.rd
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
			f := s.endRead().intoFut
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
	f := s.endRead().fut
	s.consume(n)
	f.SetResult(data)
}

func (s *IOStream) failRead(err error) {
	op := s.endRead()
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
	case !s.reading():
	case s.rd.kind == readClose && s.err == nil:
		s.completeBytes(len(s.rbuf) - s.rpos)
	case !s.trySatisfy():
		s.failRead(s.closedErr())
	}
	if !s.reading() && s.rpos >= len(s.rbuf) {
		s.releaseRead()
	}
}
