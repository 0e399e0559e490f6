package httputil

import "strconv"

// DefaultMaxChunkLineLength is the default limit on a chunk-size line,
// chunk extensions included, without its CRLF.
const DefaultMaxChunkLineLength = 4096

// maxChunkSizeDigits bounds the hex digits of a chunk-size (leading zeros
// included), which keeps the value within 64 bits.
const maxChunkSizeDigits = 16

// decoder states
const (
	csSize    uint8 = iota // reading chunk-size hex digits
	csSizeWS               // whitespace after the digits (BWS before ";" or CRLF)
	csExt                  // inside chunk extensions, up to CR
	csSizeLF               // saw CR of the chunk-size line, want LF
	csData                 // inside chunk data
	csDataCR               // chunk data done, want CR
	csDataLF               // want LF after the chunk data
	csTrailer              // inside the trailer section
	csDone                 // body complete
)

// ChunkedDecoder incrementally decodes a body in the chunked transfer
// coding (RFC 9112 §7.1). It keeps its state between calls, so an event
// loop can feed it whatever bytes have arrived: a chunk-size line or a
// CRLF split across reads is handled. It does no I/O and starts no
// goroutines.
//
// Typical use:
//
//	for len(buf) > 0 && !d.Done() {
//		data, n, err := d.Decode(buf)
//		if err != nil { /* 400 + close (StatusCode(err)) */ }
//		deliver(data) // aliases buf: copy it if buf will be reused
//		buf = buf[n:]
//	}
//	// Done: d.Trailers holds the trailer fields; buf holds the next message.
//
// The zero value is ready to use with the default limits. Reset prepares
// a decoder for the next message while keeping its buffers.
type ChunkedDecoder struct {
	// MaxLineLength limits a chunk-size line (size plus extensions).
	// Zero means DefaultMaxChunkLineLength.
	MaxLineLength int
	// MaxTrailerSize limits the trailer section. Zero means
	// DefaultMaxHeaderSize.
	MaxTrailerSize int
	// Trailers receives the trailer fields once Done reports true.
	Trailers Headers

	state     uint8
	digits    int    // hex digits read so far
	lineLen   int    // length of the current chunk-size or trailer line
	remaining int64  // bytes left in the current chunk
	trailer   []byte // raw trailer section, CRLFs included
	trailerCR bool   // the last trailer byte was CR
	err       error  // sticky error
}

// Reset prepares d to decode a new body. Limits are kept, Trailers is
// reset, and buffers keep their capacity.
func (d *ChunkedDecoder) Reset() {
	*d = ChunkedDecoder{
		MaxLineLength:  d.MaxLineLength,
		MaxTrailerSize: d.MaxTrailerSize,
		Trailers:       d.Trailers,
		trailer:        d.trailer[:0],
	}
	d.Trailers.Reset()
}

// Done reports whether the last chunk and the trailer section have been
// decoded: the body is complete.
func (d *ChunkedDecoder) Done() bool { return d.state == csDone }

// Decode consumes bytes from the start of in and returns the body data
// they contain and the number of bytes of in consumed. data is a
// subslice of in (no copy), and at most one contiguous piece of data is
// returned per call, so the caller loops while n < len(in) and !Done().
// After Done, the unconsumed bytes belong to the next message.
//
// Decode returns a *ParseError wrapping ErrBadChunkSize (empty, non-hex,
// more than 16 digits, overflowing, or not ending in CRLF),
// ErrBadChunkExtension (control characters, or line over MaxLineLength),
// ErrBadChunk (data not followed by CRLF, trailer line not ending in
// CRLF), ErrHeaderTooLarge (trailers over MaxTrailerSize), or any error of
// ParseHeaders for the trailer fields. Errors are sticky: later calls
// return the same error. Bare LF line endings are rejected throughout, as
// they are a known source of parser discrepancies between proxies.
func (d *ChunkedDecoder) Decode(in []byte) (data []byte, n int, err error) {
	if d.err != nil {
		return nil, 0, d.err
	}
	i := 0
	for i < len(in) {
		c := in[i]
		switch d.state {
		case csData:
			avail := int64(len(in) - i)
			if avail > d.remaining {
				avail = d.remaining
			}
			d.remaining -= avail
			if d.remaining == 0 {
				d.state = csDataCR
			}
			end := i + int(avail)
			return in[i:end], end, nil
		case csSize:
			if charClass[c]&cHex != 0 {
				if d.digits == maxChunkSizeDigits {
					return nil, i, d.fail(ErrBadChunkSize, "more than %d hex digits", maxChunkSizeDigits)
				}
				if d.remaining > (1<<63-1)>>4 {
					return nil, i, d.fail(ErrBadChunkSize, "chunk size overflows int64")
				}
				d.remaining = d.remaining<<4 | int64(unhex(c))
				d.digits++
				d.lineLen++
				break
			}
			if d.digits == 0 {
				return nil, i, d.fail(ErrBadChunkSize, "expected hex digit, got %q", c)
			}
			switch c {
			case ' ', '\t':
				d.state = csSizeWS
			case ';':
				d.state = csExt
			case '\r':
				d.state = csSizeLF
				i++
				continue
			default:
				return nil, i, d.fail(ErrBadChunkSize, "unexpected %q after chunk size", c)
			}
			d.lineLen++
		case csSizeWS:
			switch c {
			case ' ', '\t':
			case ';':
				d.state = csExt
			case '\r':
				d.state = csSizeLF
				i++
				continue
			default:
				return nil, i, d.fail(ErrBadChunkSize, "unexpected %q after chunk size", c)
			}
			d.lineLen++
		case csExt:
			if c == '\r' {
				d.state = csSizeLF
				i++
				continue
			}
			if charClass[c]&cValue == 0 {
				return nil, i, d.fail(ErrBadChunkExtension, "control character %q", c)
			}
			d.lineLen++
		case csSizeLF:
			if c != '\n' {
				return nil, i, d.fail(ErrBadChunkSize, "chunk-size line not terminated by CRLF")
			}
			d.digits, d.lineLen = 0, 0
			if d.remaining == 0 {
				d.state = csTrailer
			} else {
				d.state = csData
			}
		case csDataCR:
			if c != '\r' {
				return nil, i, d.fail(ErrBadChunk, "chunk data not followed by CRLF")
			}
			d.state = csDataLF
		case csDataLF:
			if c != '\n' {
				return nil, i, d.fail(ErrBadChunk, "chunk data not followed by CRLF")
			}
			d.state = csSize
		case csTrailer:
			m, err := d.decodeTrailer(in[i:])
			return nil, i + m, err
		case csDone:
			return nil, i, nil
		}
		if d.lineLen > d.maxLine() {
			return nil, i, d.fail(ErrBadChunkExtension, "chunk-size line longer than %d bytes", d.maxLine())
		}
		i++
	}
	return nil, i, nil
}

// decodeTrailer consumes trailer-section bytes (RFC 9112 §7.1.2) until
// the empty line that ends the body, and returns how many it consumed.
func (d *ChunkedDecoder) decodeTrailer(in []byte) (int, error) {
	limit := d.MaxTrailerSize
	if limit <= 0 {
		limit = DefaultMaxHeaderSize
	}
	for i, c := range in {
		if d.trailerCR {
			if c != '\n' {
				return i, d.fail(ErrBadChunk, "bare CR in trailer section")
			}
			d.trailerCR = false
			if d.lineLen == 0 {
				d.state = csDone
				if err := ParseHeaders(d.trailer, &d.Trailers); err != nil {
					d.err = err
					return i + 1, err
				}
				return i + 1, nil
			}
			d.trailer = append(d.trailer, '\r', '\n')
			d.lineLen = 0
			continue
		}
		switch c {
		case '\r':
			d.trailerCR = true
		case '\n':
			return i, d.fail(ErrBadChunk, "trailer line not terminated by CRLF")
		default:
			d.trailer = append(d.trailer, c)
			d.lineLen++
		}
		if len(d.trailer)+2 > limit {
			return i, d.fail(ErrHeaderTooLarge, "trailer section longer than %d bytes", limit)
		}
	}
	return len(in), nil
}

func (d *ChunkedDecoder) maxLine() int {
	if d.MaxLineLength > 0 {
		return d.MaxLineLength
	}
	return DefaultMaxChunkLineLength
}

func (d *ChunkedDecoder) fail(kind error, format string, args ...any) error {
	d.err = perr(kind, format, args...)
	return d.err
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// AppendChunk appends data to buf as one chunk ("hex-size CRLF data CRLF")
// and returns the extended buffer. Empty data appends nothing, since a
// zero-size chunk would end the body; use AppendLastChunk for that.
func AppendChunk(buf, data []byte) []byte {
	if len(data) == 0 {
		return buf
	}
	buf = strconv.AppendUint(buf, uint64(len(data)), 16)
	buf = append(buf, '\r', '\n')
	buf = append(buf, data...)
	return append(buf, '\r', '\n')
}

// AppendLastChunk appends the last chunk ("0\r\n"), the trailer fields
// (nil for none, formatted as by Headers.AppendTo) and the final CRLF to
// buf, and returns the extended buffer.
func AppendLastChunk(buf []byte, trailers *Headers) []byte {
	buf = append(buf, '0', '\r', '\n')
	if trailers != nil {
		buf = trailers.AppendTo(buf)
	}
	return append(buf, '\r', '\n')
}
