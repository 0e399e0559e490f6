package iostream

import (
	"errors"
	"fmt"
)

// Errors of streams. Match them with errors.Is.
var (
	// ErrStreamClosed is the error of operations on a closed stream; the
	// *StreamClosedError carrying it says why the stream closed.
	ErrStreamClosed = errors.New("iostream: stream closed")
	// ErrBufferFull is returned when a read buffer would grow past
	// MaxBufferSize (the stream is closed) or a write would queue more than
	// MaxWriteBufferSize (the write fails, the stream stays open).
	ErrBufferFull = errors.New("iostream: buffer full")
	// ErrUnsatisfiableRead is returned when ReadUntil or ReadUntilRegex
	// reaches its max bytes without finding the delimiter; the stream is
	// closed, as Tornado does.
	ErrUnsatisfiableRead = errors.New("iostream: delimiter not found within max bytes")
	// ErrAlreadyReading is returned by a read started while another read
	// is pending or a read handler (SetReadHandler) is set.
	ErrAlreadyReading = errors.New("iostream: a read is already pending or a read handler is set")
	// ErrTLSActive is returned by StartTLS on a stream that already uses
	// TLS or is still connecting.
	ErrTLSActive = errors.New("iostream: stream already uses TLS or is not connected")
	// ErrNoAddress is returned when a name resolves to no address of the
	// asked family (by Resolver.Resolve, TCPClient.Connect, BindSockets).
	ErrNoAddress = errors.New("iostream: no address of the asked family")
	// ErrNoTLSConfig is returned by StartTLS given a nil *tls.Config.
	ErrNoTLSConfig = errors.New("iostream: StartTLS needs a *tls.Config")
)

// StreamClosedError is the error of operations on a closed stream. Cause
// is why it closed: nil for a clean close or EOF, else the socket's error
// (a *net.OpError wrapping the errno), ErrBufferFull, ErrUnsatisfiableRead
// or a TLS handshake error. errors.Is(err, ErrStreamClosed) matches it, and
// errors.Is and errors.As see through it to the cause.
type StreamClosedError struct {
	Cause error
}

// Error says the stream is closed, and why.
func (e *StreamClosedError) Error() string {
	if e.Cause == nil {
		return ErrStreamClosed.Error()
	}
	return fmt.Sprintf("%v: %v", ErrStreamClosed, e.Cause)
}

// Is makes errors.Is(err, ErrStreamClosed) true.
func (e *StreamClosedError) Is(target error) bool { return target == ErrStreamClosed }

// Unwrap returns the cause, so errors.Is finds a socket errno too.
func (e *StreamClosedError) Unwrap() error { return e.Cause }
