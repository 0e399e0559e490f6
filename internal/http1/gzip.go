package http1

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"

	"github.com/gornado/gornado/httputil"
)

// inflateChunk is the size of the pieces Inflate hands on.
const inflateChunk = 32 << 10

// Inflate undoes Content-Encoding: gzip on a whole body b, passing the
// inflated bytes to fn in pieces of at most 32 KiB (valid only during the
// call). Several gzip members in a row are one body, as gzip allows; an
// empty b is an empty body (servers label empty answers gzip too).
//
// At most limit inflated bytes are passed on (limit <= 0: no limit): past
// it Inflate returns an error wrapping httputil.ErrBodyTooLarge, since a
// small body may inflate to gigabytes. A body that does not inflate, or
// that is cut short (no end of deflate data, no CRC, no length), is an
// error wrapping httputil.ErrBadGzip. An error of fn's is returned as is.
// The whole body is needed: compress/flate pulls its input, and cannot
// wait on a loop for more.
func Inflate(b []byte, limit int64, fn func([]byte) error) error {
	if len(b) == 0 {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return badGzip(err)
	}
	buf := make([]byte, inflateChunk)
	var total int64
	for {
		n, err := zr.Read(buf)
		if n > 0 {
			total += int64(n)
			if limit > 0 && total > limit {
				return tooLarge(limit)
			}
			if ferr := fn(buf[:n]); ferr != nil {
				return ferr
			}
		}
		switch {
		case err == io.EOF:
			return nil
		case err != nil:
			return badGzip(err)
		}
	}
}

// Gunzip is Inflate into one slice: the whole inflated body.
func Gunzip(b []byte, limit int64) ([]byte, error) {
	var out []byte
	err := Inflate(b, limit, func(p []byte) error {
		out = append(out, p...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func badGzip(err error) error {
	detail := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		detail = "truncated"
	}
	return &httputil.ParseError{Err: httputil.ErrBadGzip, Detail: detail}
}
