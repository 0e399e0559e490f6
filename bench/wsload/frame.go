package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
)

// conn is one connection's client side: the frame it sends, the payload
// it expects back, and where it is in reading the echo.
type conn struct {
	fd    int
	frame []byte // the masked frame, built once; only the sequence number changes
	at    int    // where the payload starts in frame
	key   uint64 // the masking key, twice, as the little-endian word that masks 8 bytes
	want  []byte // the payload, unmasked: what the echo must hold
	seq   uint64
	wpos  int  // bytes of frame written, while a write is partial
	wWait bool // waiting for EPOLLOUT

	// Reading the echo: a partial frame header, the payload bytes left
	// in the current frame (or control frame), the message bytes so far.
	hdr     [14]byte
	hn      int
	inFrame bool
	left    int
	ctl     bool // the current frame is a control frame: skip its payload
	fin     bool
	got     int
}

var errClosed = errors.New("the server closed the connection")

// newConn builds fd's frame: a binary message of size bytes, the first 8
// the sequence number, the rest a pattern that differs per connection.
func newConn(fd, id, size int) *conn {
	c := &conn{fd: fd, want: make([]byte, size)}
	for i := 8; i < size; i++ {
		c.want[i] = byte(i*7 + id*13)
	}
	k := rand.Uint32()
	c.key = uint64(k) | uint64(k)<<32
	hdr := []byte{0x80 | 0x2, 0x80}
	switch {
	case size <= 125:
		hdr[1] |= byte(size)
	case size <= 0xffff:
		hdr[1] |= 126
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(size))
	default:
		hdr[1] |= 127
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(size))
	}
	hdr = binary.LittleEndian.AppendUint32(hdr, k)
	c.at = len(hdr)
	c.frame = append(hdr, c.want...)
	for i := range c.want {
		c.frame[c.at+i] ^= byte(k >> (8 * (i & 3)))
	}
	return c
}

// nextMessage sets the next sequence number into the frame and the
// expected payload, and rewinds the write and read state.
func (c *conn) nextMessage() {
	c.seq++
	binary.LittleEndian.PutUint64(c.want, c.seq)
	binary.LittleEndian.PutUint64(c.frame[c.at:], c.seq^c.key)
	c.wpos, c.got = 0, 0
}

// consume takes bytes read from the socket and reports whether they
// completed the echo. Bytes past a complete echo are an error: one
// message is in flight at a time.
func (c *conn) consume(p []byte) (done bool, err error) {
	for len(p) > 0 {
		if done {
			return false, errors.New("bytes after the echo")
		}
		if !c.inFrame {
			k := copy(c.hdr[c.hn:], p)
			m := headerLen(c.hdr[:c.hn+k])
			if m < 0 {
				return false, errors.New("the server masked a frame")
			}
			if m == 0 || c.hn+k < m {
				c.hn += k // all of p: the rest of the header is to come
				return false, nil
			}
			p = p[m-c.hn:]
			if err := c.startFrame(c.hdr[:m]); err != nil {
				return false, err
			}
		}
		take := min(c.left, len(p))
		if !c.ctl {
			if !bytes.Equal(p[:take], c.want[c.got:c.got+take]) {
				return false, fmt.Errorf("echo differs from the message sent (seq %d, bytes %d..%d)", c.seq, c.got, c.got+take)
			}
			c.got += take
		}
		c.left -= take
		p = p[take:]
		if c.left == 0 {
			c.inFrame = false
			if !c.ctl && c.fin {
				if c.got != len(c.want) {
					return false, fmt.Errorf("echo of %d bytes, %d sent", c.got, len(c.want))
				}
				done = true
			}
		}
	}
	return done, nil
}

// headerLen returns the length of the frame header that b begins, 0 if b
// is too short to tell, or -1 if the frame is masked.
func headerLen(b []byte) int {
	switch {
	case len(b) < 2:
		return 0
	case b[1]&0x80 != 0:
		return -1
	case b[1]&0x7f == 126:
		return 4
	case b[1]&0x7f == 127:
		return 10
	}
	return 2
}

// startFrame starts the frame whose header is h.
func (c *conn) startFrame(h []byte) error {
	c.hn = 0
	var length uint64
	switch len(h) {
	case 2:
		length = uint64(h[1] & 0x7f)
	case 4:
		length = uint64(binary.BigEndian.Uint16(h[2:]))
	case 10:
		length = binary.BigEndian.Uint64(h[2:])
	}
	op := h[0] & 0x0f
	c.fin, c.ctl = h[0]&0x80 != 0, op >= 0x8
	switch {
	case h[0]&0x70 != 0:
		return fmt.Errorf("reserved bits set in the echo (%#x)", h[0])
	case op == 0x8:
		return errClosed
	case c.ctl: // a ping or a pong: skipped
	case op == 0x2 && c.got == 0, op == 0x0 && c.got > 0:
	default:
		return fmt.Errorf("echo frame with opcode %#x after %d bytes", op, c.got)
	}
	if !c.ctl && length > uint64(len(c.want)-c.got) {
		return fmt.Errorf("echo frame of %d bytes after %d of %d", length, c.got, len(c.want))
	}
	c.left, c.inFrame = int(length), true
	return nil
}
