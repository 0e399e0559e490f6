package websocket

import (
	"errors"
	"math/rand/v2"
	"sync"
	"unicode/utf8"

	"github.com/gornado/gornado/future"
)

// ErrControlTooLong is returned by Ping for a payload over 125 bytes.
var ErrControlTooLong = errors.New("websocket: control frame payload over 125 bytes")

// WriteMessage sends data as one message, text (which must be UTF-8) or
// binary (Tornado's write_message), compressed if permessage-deflate was
// agreed, in frames of Config.FragmentSize if set. The future completes
// when the message's last byte has been handed to the kernel, so a
// producer that awaits each write never buffers more than one message;
// data may be reused as soon as WriteMessage returns. It fails with
// ErrInvalidUTF8 for text that is not UTF-8 (nothing is sent), and with
// a *CloseError matching ErrClosed once the connection is closing.
// Loop-only.
func (c *Conn) WriteMessage(data []byte, binary bool) *future.Future[struct{}] {
	if c.sentClose || c.state == stateClosed {
		return future.Failed[struct{}](c.loop, c.closedErr())
	}
	op := byte(opBinary)
	if !binary {
		if !utf8.Valid(data) {
			return future.Failed[struct{}](c.loop, ErrInvalidUTF8)
		}
		op = opText
	}
	bp := getBuf()
	defer putBuf(bp)
	payload := data
	if c.pmd != nil {
		op |= rsv1Bit
		*bp = c.pmd.compress((*bp)[:0], data)
		payload = *bp
	}
	frag := c.set.fragment
	if frag <= 0 || frag >= len(payload) {
		if !c.client && len(payload) > largeWrite {
			// Not copied: the header goes to the stream, then the
			// payload, which the stream copies only if the socket
			// does not take it at once.
			var h [maxHeaderSize]byte
			if err := c.s.Send(appendHeader(h[:0], finBit|op, len(payload), false, 0)); err != nil {
				return future.Failed[struct{}](c.loop, err)
			}
			return c.s.Write(payload)
		}
		frag = len(payload)
	}
	out := getBuf()
	defer putBuf(out)
	for first := true; first || len(payload) > 0; first = false {
		n := min(frag, len(payload))
		b := op
		if !first {
			b = opContinuation
		}
		if n == len(payload) {
			b |= finBit
		}
		*out = c.appendFrame(*out, b, payload[:n])
		payload = payload[n:]
	}
	return c.s.Write(*out)
}

// largeWrite is the payload size above which a server's frame is not
// copied into one buffer with its header.
const largeWrite = 64 << 10

// Ping sends a ping with data (at most 125 bytes); the peer's pong comes
// to OnPong (Tornado's ping). It fails with ErrControlTooLong, or with a
// *CloseError matching ErrClosed once the connection is closing.
// Loop-only.
func (c *Conn) Ping(data []byte) error {
	if len(data) > maxControlPayload {
		return ErrControlTooLong
	}
	if c.sentClose || c.state == stateClosed {
		return c.closedErr()
	}
	c.writeControl(opPing, data)
	return nil
}

// writeControl sends a control frame; a failure closes the stream,
// which the close callback reports.
func (c *Conn) writeControl(op byte, p []byte) {
	var buf [maxHeaderSize + maxControlPayload]byte
	c.s.Send(c.appendFrame(buf[:0], finBit|op, p))
}

// appendFrame appends a frame with payload p, masked on the client.
func (c *Conn) appendFrame(dst []byte, first byte, p []byte) []byte {
	if !c.client {
		dst = appendHeader(dst, first, len(p), false, 0)
		return append(dst, p...)
	}
	key := rand.Uint32()
	dst = appendHeader(dst, first, len(p), true, key)
	start := len(dst)
	dst = append(dst, p...)
	mask(key, 0, dst[start:])
	return dst
}

// Write buffers, pooled: a frame is built in one and handed to the
// stream, which copies what the socket does not take at once.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

func getBuf() *[]byte { return bufs.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) <= 1<<20 {
		*b = (*b)[:0]
		bufs.Put(b)
	}
}
