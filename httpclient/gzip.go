package httpclient

import (
	"bytes"
	"compress/gzip"
	"io"
)

// gunzip inflates a whole gzip body (several members, as gzip allows).
// Inflating needs the body complete: compress/flate pulls its input and
// cannot resume after running short, and a connection may not block.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return out, zr.Close()
}
