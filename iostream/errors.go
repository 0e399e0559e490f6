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
	// is pending.
	ErrAlreadyReading = errors.New("iostream: a read is already pending")
)

// StreamClosedError is the error of operations on a closed stream. Cause
// is why it closed: nil for a clean close or EOF, else the socket's error.
// errors.Is(err, ErrStreamClosed) matches it.
type StreamClosedError struct {
	Cause error
}

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
