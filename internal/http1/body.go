package http1

import "github.com/gornado/gornado/httputil"

// How a body is delimited.
const (
	frameNone    uint8 = iota // no body, or the body is complete
	frameLength               // exactly n bytes
	frameChunked              // the chunked coding
	frameClose                // until the connection closes (responses only)
)

// Body frames one message body as its bytes arrive. Reset it with the
// framing that httputil.BodyLength decided, then pass it whatever the
// connection has read: Next returns the body bytes in it and how much it
// used, and says when the body is complete; the bytes after that belong
// to the next message. The zero value is a complete, empty body.
//
// The limit bounds the decoded body: past it Next returns an error
// wrapping httputil.ErrBodyTooLarge (413 on a server). A Content-Length
// over the limit is refused by the first Next, before any byte is
// passed on; CheckLimit tells at once.
type Body struct {
	mode  uint8
	left  int64 // frameLength: bytes still to come
	read  int64 // body bytes passed on so far
	limit int64
	dec   httputil.ChunkedDecoder
}

// Reset prepares b for a new body framed as httputil.BodyLength reported:
// chunked, length bytes, or (length < 0) until the connection closes. A
// limit <= 0 means no limit.
func (b *Body) Reset(length int64, chunked bool, limit int64) {
	b.read, b.limit = 0, limit
	switch {
	case chunked:
		b.mode = frameChunked
		b.dec.Reset()
	case length < 0:
		b.mode = frameClose
	case length == 0:
		b.mode = frameNone
	default:
		b.mode, b.left = frameLength, length
	}
}

// SetLimit changes the limit of a body in progress (Tornado's
// set_max_body_size, from a handler that streams a large upload).
func (b *Body) SetLimit(limit int64) { b.limit = limit }

// CheckLimit returns an error wrapping httputil.ErrBodyTooLarge if the
// body's declared length is over the limit: a server refuses it before
// reading (and before sending 100 Continue).
func (b *Body) CheckLimit() error {
	if b.mode == frameLength && b.limit > 0 && b.read+b.left > b.limit {
		return tooLarge(b.limit)
	}
	return nil
}

// SetMaxTrailerSize bounds a chunked body's trailer section.
func (b *Body) SetMaxTrailerSize(n int) { b.dec.MaxTrailerSize = n }

// Done reports whether the body is complete (or there is none).
func (b *Body) Done() bool { return b.mode == frameNone }

// UntilClose reports whether the body ends when the connection does.
func (b *Body) UntilClose() bool { return b.mode == frameClose }

// Remaining returns the bytes still to come of a Content-Length body, 0
// for another framing.
func (b *Body) Remaining() int64 {
	if b.mode == frameLength {
		return b.left
	}
	return 0
}

// Received returns the body bytes passed on so far.
func (b *Body) Received() int64 { return b.read }

// Trailers returns the trailer fields of a chunked body, once it is done.
func (b *Body) Trailers() *httputil.Headers { return &b.dec.Trailers }

// Next takes bytes read from the connection and returns the body bytes
// at their start (a subslice of data, or nil) and how many bytes of data
// it used. It returns one piece at a time: call it again with data[used:]
// while used > 0 and the body is not Done. Errors are framing errors
// (httputil's chunked-coding ones, 400) or the limit (413); after one,
// the connection cannot be trusted and must close.
func (b *Body) Next(data []byte) (chunk []byte, used int, err error) {
	switch b.mode {
	case frameLength:
		if err := b.CheckLimit(); err != nil {
			b.mode = frameNone
			return nil, 0, err
		}
		n := int(min(int64(len(data)), b.left))
		b.left -= int64(n)
		if b.left == 0 {
			b.mode = frameNone
		}
		chunk, used = data[:n], n
	case frameChunked:
		chunk, used, err = b.dec.Decode(data)
		if err != nil {
			b.mode = frameNone
			return nil, used, err
		}
		if b.dec.Done() {
			b.mode = frameNone
		}
	case frameClose:
		chunk, used = data, len(data)
	default:
		return nil, 0, nil
	}
	b.read += int64(len(chunk))
	if b.limit > 0 && b.read > b.limit {
		b.mode = frameNone
		return nil, used, tooLarge(b.limit)
	}
	if len(chunk) == 0 {
		chunk = nil
	}
	return chunk, used, nil
}

func tooLarge(limit int64) error {
	return &httputil.ParseError{Err: httputil.ErrBodyTooLarge, Detail: "over the limit of " + itoa(limit) + " bytes"}
}
