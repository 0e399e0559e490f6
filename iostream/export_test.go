package iostream

// Hooks for the tests in package iostream_test.

// ReadBufferCap returns the capacity of the stream's read buffer: zero
// when the stream holds none.
func (s *IOStream) ReadBufferCap() int { return cap(s.rbuf) }

// WriteQueueBufs returns how many buffers the write queue holds.
func (s *IOStream) WriteQueueBufs() int { return len(s.w.bufs) }

// DialFunc is the type of a TCPClient's dialer.
type DialFunc = dialFunc

// Dial is the real dialer.
var Dial = dial

// SetDial replaces c's dialer.
func (c *TCPClient) SetDial(fn DialFunc) { c.dial = fn }
