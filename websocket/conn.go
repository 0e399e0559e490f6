package websocket

import (
	"encoding/binary"
	"runtime/debug"
	"unicode/utf8"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

type connState uint8

const (
	stateOpen    connState = iota
	stateClosing           // a close frame went out or came in
	stateClosed            // the stream is closed
)

// Message is one received message: text (valid UTF-8) or binary. Data is
// the receiver's to keep, except under Config.ReuseBuffers, where it may
// be only lent to OnMessage until it returns (see there).
type Message struct {
	Data   []byte
	Binary bool
}

// Text returns the message's data as a string.
func (m *Message) Text() string { return string(m.Data) }

// Conn is a WebSocket connection, either side: Upgrade returns the
// server's, Dial a ClientConn around the client's. It parses frames in
// its stream's read handler and owns no goroutine; it holds no buffer
// while idle. Loop-only.
type Conn struct {
	loop   *ioloop.IOLoop
	s      *iostream.IOStream
	set    settings
	h      Handler     // the server's handler
	cc     *ClientConn // or the client's side
	client bool
	proto  string
	pmd    *deflater // nil without permessage-deflate
	ka     *keepalive

	// The frame being read: its header, payload bytes still to come,
	// and where in the masking key they start.
	hdr     header
	inFrame bool
	left    uint64
	maskPos int
	// The message being read.
	msgOp      byte // opText or opBinary; 0 between messages
	msgDeflate bool
	utf8Done   int // bytes of msg checked as complete UTF-8
	msg        []byte
	lent       *[]byte // msg's box when msg is lent (Config.ReuseBuffers)

	state     connState
	stopRead  bool // a close came in or the connection failed: drop input
	paused    bool // a ClientConn holds an unread message
	sentClose bool
	recvClose bool
	code      int // the peer's close code: CloseCode
	reason    string
	err       *CloseError
	closer    *ioloop.Timeout // drops a connection whose close stalls
}

func newConn(loop *ioloop.IOLoop, s *iostream.IOStream, set settings, client bool) *Conn {
	return &Conn{loop: loop, s: s, set: set, client: client}
}

// start takes the stream over: the handler's Open, keepalive pings, then
// frames, starting with any already buffered.
func (c *Conn) start() {
	if c.s.Closed() {
		c.loop.AddCallback(c.streamClosed)
		return
	}
	c.s.SetCloseCallback(c.streamClosed)
	if c.h != nil {
		c.callOpen()
	}
	c.startKeepalive()
	if c.state != stateClosed && !c.paused {
		c.s.SetReadHandler((*connReader)(c))
	}
}

// Loop returns the connection's loop.
func (c *Conn) Loop() *ioloop.IOLoop { return c.loop }

// Stream returns the underlying stream (for its addresses, say). Reading
// or writing it directly breaks the connection.
func (c *Conn) Stream() *iostream.IOStream { return c.s }

// Subprotocol returns the subprotocol agreed in the handshake, or "".
func (c *Conn) Subprotocol() string { return c.proto }

// Compressed reports whether permessage-deflate was agreed.
func (c *Conn) Compressed() bool { return c.pmd != nil }

// SetNodelay turns Nagle's algorithm off (true) or on, as Tornado's
// set_nodelay; see iostream.IOStream.SetNodelay. Loop-only.
func (c *Conn) SetNodelay(on bool) error { return c.s.SetNodelay(on) }

// CloseCode returns the code of the close frame the peer sent (Tornado's
// close_code): 0 while no close frame came and the connection is open,
// CloseNoStatus (1005) for a close frame without a code, CloseAbnormal
// (1006) once closed without one. CloseReason is the frame's reason.
// Loop-only.
func (c *Conn) CloseCode() int { return c.code }

// CloseReason returns the reason of the peer's close frame, or "".
// Loop-only.
func (c *Conn) CloseReason() string { return c.reason }

// Err returns why the connection is closing or closed, a *CloseError
// (see there), or nil while it is open. Loop-only.
func (c *Conn) Err() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// Closing reports whether the connection is closing or closed: a close
// frame went out or came in, or the stream closed. Loop-only.
func (c *Conn) Closing() bool { return c.state != stateOpen }

// closedErr is what writes to a closing connection fail with.
func (c *Conn) closedErr() error {
	if c.err != nil {
		return c.err
	}
	return &CloseError{Code: CloseAbnormal, Err: ErrClosed}
}

// Close starts the closing handshake (Tornado's close): it sends a close
// frame with code and reason, then waits for the peer's, at most
// CloseTimeout, and closes the connection (a client waits for the server
// to close the TCP connection). Code 0 sends a close frame without a
// code (and without reason); a code an endpoint may not send (1004 to
// 1006, 1015, out of 1000-4999) is sent as 1000. A reason longer than a
// control frame allows (123 bytes) is cut at a character boundary.
// Closing a closing connection does nothing. OnClose follows once the
// stream is closed. Loop-only.
func (c *Conn) Close(code int, reason string) {
	if c.sentClose || c.state == stateClosed {
		return
	}
	if code != 0 && !sendableCode(code) {
		code = CloseNormal
	}
	if code == 0 {
		reason = ""
	}
	reason = cutReason(reason)
	if c.err == nil {
		rc := code
		if rc == 0 {
			rc = CloseNoStatus
		}
		c.err = &CloseError{Code: rc, Reason: reason}
	}
	c.sendClose(code, reason)
	c.stopKeepalive()
	if c.recvClose && !c.client {
		c.closeWhenFlushed()
	}
	c.armCloser()
}

// abort closes the stream at once, Tornado's _abort.
func (c *Conn) abort() { c.s.Close() }

func sendableCode(code int) bool {
	return code >= 1000 && code <= 4999 && code != 1004 && code != 1005 && code != 1006 && code != 1015
}

func cutReason(r string) string {
	const max = maxControlPayload - 2
	if len(r) <= max {
		return r
	}
	r = r[:max]
	for len(r) > 0 && !utf8.ValidString(r) {
		r = r[:len(r)-1]
	}
	return r
}

// fail fails the connection (RFC 6455 §7.1.7): a close frame with code,
// then the sending half of the TCP connection closes as soon as the
// frame is sent, and what the peer still sends is read and dropped until
// it closes its half (at most CloseTimeout). Closing the whole socket at
// once would answer the peer's unread bytes (a message it is still
// sending, say) with a reset, and a peer still writing may fail on the
// reset before it reads the close frame: Chromium then reported 1006,
// not the code.
func (c *Conn) fail(code int, cause error) {
	if c.state == stateClosed {
		return
	}
	c.stopRead = true
	if c.err == nil {
		c.err = &CloseError{Code: code, Reason: failReason(cause), Err: cause}
	}
	if !c.sentClose {
		c.sendClose(code, failReason(cause))
	}
	c.stopKeepalive()
	c.s.CloseWrite()
	c.armCloser()
}

func failReason(err error) string {
	switch err {
	case ErrProtocol:
		return "protocol error"
	case ErrInvalidUTF8:
		return "invalid UTF-8"
	case ErrMessageTooLarge:
		return "message too large"
	case ErrBadCompressedData:
		return "bad compressed data"
	case ErrPingTimeout:
		return "ping timed out"
	}
	return ""
}

func (c *Conn) sendClose(code int, reason string) {
	c.sentClose = true
	if c.state == stateOpen {
		c.state = stateClosing
	}
	var p [maxControlPayload]byte
	n := 0
	if code != 0 {
		binary.BigEndian.PutUint16(p[:], uint16(code))
		n = 2 + copy(p[2:], reason)
	}
	c.writeControl(opClose, p[:n])
}

// closeWhenFlushed closes the stream once what is queued is sent.
func (c *Conn) closeWhenFlushed() {
	s := c.s
	s.OnFlush(s.Close)
}

// armCloser drops the connection if it is not closed within
// CloseTimeout: the peer does not answer, or does not read.
func (c *Conn) armCloser() {
	if c.closer == nil && c.state != stateClosed {
		c.closer = c.loop.CallLater(c.set.closeTimeout, c.abort)
	}
}

// handleClose is a close frame from the peer.
func (c *Conn) handleClose(p []byte) {
	code := CloseNoStatus
	var reason []byte
	switch {
	case len(p) == 1:
		c.fail(CloseProtocolError, ErrProtocol)
		return
	case len(p) >= 2:
		code = int(binary.BigEndian.Uint16(p))
		reason = p[2:]
		if !validCloseCode(code) {
			c.fail(CloseProtocolError, ErrProtocol)
			return
		}
		if !utf8.Valid(reason) {
			c.fail(CloseInvalidPayload, ErrInvalidUTF8)
			return
		}
	}
	c.recvClose, c.stopRead = true, true
	c.code, c.reason = code, string(reason)
	if c.state == stateOpen {
		c.state = stateClosing
	}
	if c.err == nil {
		c.err = &CloseError{Code: code, Reason: c.reason, Remote: true}
	}
	if !c.sentClose {
		echo := code // as Tornado: the code, without the reason
		if code == CloseNoStatus {
			echo = 0
		}
		c.sendClose(echo, "")
	}
	c.stopKeepalive()
	if !c.client {
		c.closeWhenFlushed() // the server closes the TCP connection first
	}
	c.armCloser()
}

// streamClosed is the stream's close callback: the end of the connection.
func (c *Conn) streamClosed() {
	if c.state == stateClosed {
		return
	}
	c.state = stateClosed
	c.stopRead = true
	if c.closer != nil {
		c.loop.RemoveTimeout(c.closer)
		c.closer = nil
	}
	c.stopKeepalive()
	if !c.recvClose {
		c.code = CloseAbnormal
	}
	if c.err == nil {
		c.err = &CloseError{Code: CloseAbnormal, Err: c.s.Error()}
	}
	c.msg = nil
	if c.pmd != nil {
		c.pmd.release()
	}
	if c.cc != nil {
		c.cc.closed()
		return
	}
	defer c.recoverHandler()
	c.h.OnClose()
}

// control handles a control frame's payload (unmasked, at most 125
// bytes, valid only during the call).
func (c *Conn) control(op byte, p []byte) {
	switch op {
	case opPing:
		if !c.sentClose {
			c.writeControl(opPong, p)
		}
		c.callPing(p)
	case opPong:
		if c.ka != nil {
			c.ka.lastPong = c.loop.Time()
		}
		c.callPong(p)
	case opClose:
		c.handleClose(p)
	}
}

// The handler's methods run under recoverHandler: a panic is logged and
// fails the connection with 1011, as Tornado aborts it.

func (c *Conn) recoverHandler() {
	if r := recover(); r != nil {
		c.loop.Logger().Error("websocket: handler panicked", "panic", r, "stack", string(debug.Stack()))
		c.fail(CloseInternalError, nil)
	}
}

func (c *Conn) callOpen() {
	defer c.recoverHandler()
	c.h.Open(c)
}

// lends reports whether this connection's messages may be lent: Config.
// ReuseBuffers, and on a client a callback (a message read with
// ReadMessage outlives any call).
func (c *Conn) lends() bool {
	return c.set.reuse && (c.cc == nil || c.cc.onMessage != nil)
}

func (c *Conn) deliver(m *Message) {
	if c.cc != nil {
		c.cc.received(m)
		return
	}
	defer c.recoverHandler()
	c.h.OnMessage(m)
}

func (c *Conn) callPing(p []byte) {
	if ph, ok := c.h.(PingHandler); ok {
		defer c.recoverHandler()
		ph.OnPing(p)
	} else if c.cc != nil && c.cc.onPing != nil {
		c.cc.onPing(p)
	}
}

func (c *Conn) callPong(p []byte) {
	if ph, ok := c.h.(PongHandler); ok {
		defer c.recoverHandler()
		ph.OnPong(p)
	} else if c.cc != nil && c.cc.onPong != nil {
		c.cc.onPong(p)
	}
}
