package websocket

import (
	"errors"
	"strconv"
)

// Close codes of RFC 6455 §7.4.1 (and IANA's registry) that this package
// sends or reports.
const (
	CloseNormal          = 1000 // the purpose of the connection is fulfilled
	CloseGoingAway       = 1001 // a server going down, a browser leaving the page
	CloseProtocolError   = 1002 // a frame broke the protocol
	CloseUnsupportedData = 1003 // a type of message the endpoint cannot take
	CloseNoStatus        = 1005 // reported, never sent: a close frame with no code
	CloseAbnormal        = 1006 // reported, never sent: no close frame at all
	CloseInvalidPayload  = 1007 // a text message that is not UTF-8, bad compressed data
	ClosePolicyViolation = 1008 // a message against the endpoint's policy
	CloseMessageTooBig   = 1009 // a message over MaxMessageSize
	CloseMandatoryExt    = 1010 // the client needed an extension the server refused
	CloseInternalError   = 1011 // a handler panicked, a keepalive ping timed out
)

var (
	// ErrClosed matches every error of a connection that is closing or
	// closed: WriteMessage and Ping after Close, or after the peer
	// closed, fail with an error that errors.Is matches to it (a
	// *CloseError).
	ErrClosed = errors.New("websocket: connection closed")
	// ErrMessageTooLarge is the cause of a connection failed with 1009: a
	// message (after inflating, if compressed) over Config.MaxMessageSize.
	ErrMessageTooLarge = errors.New("websocket: message too large")
	// ErrProtocol is the cause of a connection failed with 1002: a frame
	// that breaks RFC 6455 (reserved bits or opcodes, a fragmented or
	// oversized control frame, a continuation with no message, a client
	// frame not masked or a server frame masked, a bad close code).
	ErrProtocol = errors.New("websocket: protocol error")
	// ErrInvalidUTF8 is the cause of a connection failed with 1007: a text
	// message or a close reason that is not UTF-8. WriteMessage fails
	// with it, sending nothing, for text that is not UTF-8.
	ErrInvalidUTF8 = errors.New("websocket: invalid UTF-8")
	// ErrBadCompressedData is the cause of a connection failed with 1007:
	// a compressed message that does not inflate.
	ErrBadCompressedData = errors.New("websocket: bad compressed data")
	// ErrPingTimeout is the cause of a connection failed with 1011 when
	// no pong came within Config.PingTimeout.
	ErrPingTimeout = errors.New("websocket: ping timed out")
	// ErrBadHandshake is the cause of a failed Dial whose server answered
	// 101 without the headers RFC 6455 requires, or with a subprotocol or
	// an extension the client did not offer.
	ErrBadHandshake = errors.New("websocket: bad handshake")
)

// CloseError says why a connection ended: the code and reason of the
// close frame the peer sent, or of the one this side sent when it closed
// or failed the connection, and the cause when the connection failed
// (ErrProtocol, ErrInvalidUTF8, ErrMessageTooLarge, ErrPingTimeout, a
// stream error). Code is CloseAbnormal (1006) when the connection ended
// without a close frame. errors.Is matches it to ErrClosed and to its
// cause.
type CloseError struct {
	Code   int
	Reason string
	// Remote is true when the code and reason are the peer's.
	Remote bool
	Err    error
}

// Error gives the code, the reason, whose they are and the cause.
func (e *CloseError) Error() string {
	s := "websocket: closed with " + strconv.Itoa(e.Code)
	if e.Reason != "" {
		s += " " + strconv.Quote(e.Reason)
	}
	if e.Remote {
		s += " by the peer"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *CloseError) Unwrap() error { return e.Err }

// Is matches ErrClosed.
func (e *CloseError) Is(target error) bool { return target == ErrClosed }

// HandshakeError is an opening handshake refused: by Upgrade, the status
// it set on the response (400, 403, 405 or 426) and why; by Dial, the
// status of a server's answer that is not a usable 101 (an answer other
// than 101 fails Dial with the *httpclient.HTTPError itself).
type HandshakeError struct {
	Status  int
	Message string
	Err     error // ErrBadHandshake for Dial's
}

// Error gives the status and the message.
func (e *HandshakeError) Error() string {
	return "websocket: handshake refused (" + strconv.Itoa(e.Status) + "): " + e.Message
}

// Unwrap returns ErrBadHandshake for a client's error, else nil.
func (e *HandshakeError) Unwrap() error { return e.Err }

// validCloseCode reports whether a peer may send code in a close frame.
func validCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}
