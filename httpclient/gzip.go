package httpclient

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

// gunzip inflates a whole gzip body (several members, as gzip allows), to at
// most limit bytes: past it, ErrBodyTooLarge (a small body may inflate to
// gigabytes). An empty body is an empty body (servers label an empty
// answer gzip too); a corrupt one is ErrBadResponse. Inflating needs the body
// complete: compress/flate pulls its input and cannot resume after running
// short, and a connection may not block.
func gunzip(b []byte, limit int64) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("%w: inflated body over MaxBodySize %d", ErrBodyTooLarge, limit)
	}
	return out, nil
}
