package websocket

import "unicode/utf8"

// connReader is the connection as its stream's read handler: a
// conversion of the *Conn, so setting it allocates nothing and Conn
// exports no HandleRead.
type connReader Conn

// HandleRead parses frames from what the stream has buffered and returns
// how much it consumed. A data frame's payload is taken as it arrives
// (unmasked into the message), so the stream never buffers more than a
// frame header or one control frame: at most 131 bytes.
func (r *connReader) HandleRead(data []byte) int {
	c := (*Conn)(r)
	n := 0
	for !c.stopRead {
		if !c.inFrame {
			h, hn, ok := parseHeader(data[n:])
			if !ok {
				c.fail(CloseProtocolError, ErrProtocol)
				break
			}
			if hn == 0 {
				return n // wait for the rest of the header
			}
			if code, err := c.checkHeader(&h); err != nil {
				c.fail(code, err)
				break
			}
			if h.control() {
				end := n + hn + int(h.length)
				if end > len(data) {
					return n // control frames are taken whole
				}
				var buf [maxControlPayload]byte
				p := buf[:copy(buf[:], data[n+hn:end])]
				if h.masked {
					mask(h.key, 0, p)
				}
				n = end
				c.control(h.op(), p)
				continue
			}
			n += hn
			c.startFrame(&h, len(data)-n)
		}
		take := int(min(c.left, uint64(len(data)-n)))
		if take > 0 {
			start := len(c.msg)
			c.msg = append(c.msg, data[n:n+take]...)
			if c.hdr.masked {
				c.maskPos = mask(c.hdr.key, c.maskPos, c.msg[start:])
			}
			n += take
			c.left -= uint64(take)
		}
		if c.left > 0 {
			return n
		}
		c.inFrame = false
		c.endFrame()
		if c.paused {
			return n
		}
	}
	return len(data) // closing: what follows a close frame is dropped
}

// checkHeader checks a frame header against RFC 6455 §5 and the state of
// the message being read, and returns the close code to fail with.
func (c *Conn) checkHeader(h *header) (int, error) {
	if h.first&(rsv2Bit|rsv3Bit) != 0 {
		return CloseProtocolError, ErrProtocol
	}
	if h.masked == c.client {
		return CloseProtocolError, ErrProtocol // clients mask, servers do not
	}
	op := h.op()
	if h.control() {
		if op > opPong || !h.fin() || h.length > maxControlPayload || h.rsv1() {
			return CloseProtocolError, ErrProtocol
		}
		return 0, nil
	}
	switch op {
	case opContinuation:
		if c.msgOp == 0 || h.rsv1() {
			return CloseProtocolError, ErrProtocol
		}
	case opText, opBinary:
		if c.msgOp != 0 || (h.rsv1() && c.pmd == nil) {
			return CloseProtocolError, ErrProtocol
		}
	default:
		return CloseProtocolError, ErrProtocol
	}
	if h.length > uint64(c.set.maxMessage-len(c.msg)) {
		return CloseMessageTooBig, ErrMessageTooLarge
	}
	return 0, nil
}

// startFrame begins a data frame whose header passed checkHeader; avail
// bytes of it are buffered.
func (c *Conn) startFrame(h *header, avail int) {
	c.hdr, c.inFrame, c.left, c.maskPos = *h, true, h.length, 0
	if op := h.op(); op != opContinuation {
		c.msgOp, c.msgDeflate, c.utf8Done = op, h.rsv1(), 0
		c.lent = nil
		if h.fin() && h.length > 0 {
			// Sized once when it has arrived, as most messages have;
			// otherwise no more than what a header alone can make a
			// peer's connection hold before it sends the bytes.
			// A lent buffer (Config.ReuseBuffers) is whole, but holds no
			// more than a stream read's worth of bytes not yet come.
			if h.length <= maxLent && h.length <= uint64(avail)+lentAhead && !h.rsv1() && c.lends() {
				c.lent = getLent(int(h.length))
				c.msg = *c.lent
			} else {
				c.msg = make([]byte, 0, min(h.length, uint64(avail)+prealloc))
			}
		}
	}
}

// prealloc is what a message's buffer holds beyond the bytes that came;
// lentAhead, what a lent one may.
const (
	prealloc  = 4 << 10
	lentAhead = 16 << 10
)

// endFrame checks a text message's UTF-8 so far and, at the last frame,
// delivers the message.
func (c *Conn) endFrame() {
	text := c.msgOp == opText && !c.msgDeflate
	if text {
		done, ok := validUTF8Prefix(c.msg[c.utf8Done:])
		c.utf8Done += done
		if !ok || (c.hdr.fin() && c.utf8Done != len(c.msg)) {
			c.fail(CloseInvalidPayload, ErrInvalidUTF8)
			return
		}
	}
	if !c.hdr.fin() {
		return
	}
	data, op, compressed := c.msg, c.msgOp, c.msgDeflate
	c.msg, c.msgOp, c.msgDeflate, c.utf8Done = nil, 0, false, 0
	if compressed {
		out, err := c.pmd.inflate(data, c.set.maxMessage)
		switch {
		case err == ErrMessageTooLarge:
			c.fail(CloseMessageTooBig, err)
			return
		case err != nil:
			c.fail(CloseInvalidPayload, err)
			return
		case op == opText && !utf8.Valid(out):
			c.fail(CloseInvalidPayload, ErrInvalidUTF8)
			return
		}
		data = out
	}
	if data == nil {
		data = []byte{}
	}
	lent := c.lent
	c.lent = nil
	c.deliver(&Message{Data: data, Binary: op == opBinary})
	if lent != nil {
		putLent(lent, data) // OnMessage has returned: Data was only lent
	}
}
