package http1

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"

	"github.com/gornado/gornado/httputil"
)

// inflateChunk is the size of the pieces an Inflater hands on.
const inflateChunk = 32 << 10

// Inflater undoes Content-Encoding: gzip on a whole body, one piece of at
// most 32 KiB per call to Next, so that a loop can inflate a large body
// in steps between its other work rather than all at once. Several gzip
// members in a row are one body, as gzip allows; an empty body is an
// empty body (servers label empty answers gzip too).
//
// The whole compressed body is needed before the first Next:
// compress/flate pulls its input, and cannot wait on a loop for more. An
// Inflater keeps its buffers across Reset, for the next body.
type Inflater struct {
	src   bytes.Reader
	zr    *gzip.Reader
	buf   []byte
	total int64
	limit int64
	err   error // sticky: io.EOF once done
}

// Reset prepares z to inflate b, passing on at most limit inflated bytes
// (limit <= 0: no limit). b must not change until the body is done.
func (z *Inflater) Reset(b []byte, limit int64) {
	z.total, z.limit, z.err = 0, limit, nil
	if len(b) == 0 {
		z.err = io.EOF
		return
	}
	z.src.Reset(b)
	var err error
	if z.zr == nil {
		z.zr, err = gzip.NewReader(&z.src)
	} else {
		err = z.zr.Reset(&z.src)
	}
	if err != nil {
		z.err = badGzip(err)
	}
}

// Next returns the next piece of the inflated body (valid until the next
// call), or io.EOF once the body is complete. Past the limit it returns
// an error wrapping httputil.ErrBodyTooLarge, since a small body may
// inflate to gigabytes; a body that does not inflate, or that is cut
// short (no end of deflate data, no CRC, no length), is an error wrapping
// httputil.ErrBadGzip. Errors are sticky.
func (z *Inflater) Next() ([]byte, error) {
	if z.err != nil {
		return nil, z.err
	}
	if z.buf == nil {
		z.buf = make([]byte, inflateChunk)
	}
	for {
		n, err := z.zr.Read(z.buf)
		if n > 0 {
			z.total += int64(n)
			if z.limit > 0 && z.total > z.limit {
				z.err = tooLarge(z.limit)
				return nil, z.err
			}
			if err != nil && err != io.EOF {
				z.err = badGzip(err)
			}
			return z.buf[:n], nil
		}
		switch {
		case err == io.EOF:
			z.err = io.EOF
			return nil, io.EOF
		case err != nil:
			z.err = badGzip(err)
			return nil, z.err
		}
	}
}

// Total returns the inflated bytes passed on so far.
func (z *Inflater) Total() int64 { return z.total }

// Inflate undoes Content-Encoding: gzip on a whole body b at once,
// passing the inflated bytes to fn in pieces of at most 32 KiB (valid
// only during the call), with an Inflater's limit and errors. An error of
// fn's is returned as is.
func Inflate(b []byte, limit int64, fn func([]byte) error) error {
	var z Inflater
	z.Reset(b, limit)
	for {
		p, err := z.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
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
