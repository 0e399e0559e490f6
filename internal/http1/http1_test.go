package http1

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"

	"github.com/gornado/gornado/httputil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// feed passes data to b one byte at a time at most step bytes, as reads
// split anywhere would, and returns the body and what was left over.
func feed(t *testing.T, b *Body, data []byte, step int) (body, rest []byte, err error) {
	t.Helper()
	for len(data) > 0 && !b.Done() {
		n := min(step, len(data))
		in := data[:n]
		for len(in) > 0 && !b.Done() {
			chunk, used, err := b.Next(in)
			if err != nil {
				return body, nil, err
			}
			body = append(body, chunk...)
			in = in[used:]
			if used == 0 {
				break
			}
		}
		data = append(in, data[n:]...)
		if len(in) == n { // nothing used: needs more than step bytes
			step++
		}
	}
	return body, data, nil
}

func TestBodyFramings(t *testing.T) {
	cases := []struct {
		name    string
		length  int64
		chunked bool
		wire    string
		body    string
		rest    string
	}{
		{"length", 5, false, "hello GET /", "hello", " GET /"},
		{"empty", 0, false, "GET /", "", "GET /"},
		{"chunked", -1, true, "3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\nnext", "abcde", "next"},
		{"until close", -1, false, "all of it", "all of it", ""},
	}
	for _, c := range cases {
		for _, step := range []int{1, 3, 1 << 10} {
			var b Body
			b.Reset(c.length, c.chunked, 0)
			body, rest, err := feed(t, &b, []byte(c.wire), step)
			require.NoError(t, err, c.name)
			assert.Equal(t, c.body, string(body), "%s step %d", c.name, step)
			if c.length >= 0 || c.chunked {
				assert.True(t, b.Done(), c.name)
				assert.Equal(t, c.rest, string(rest), "%s step %d", c.name, step)
			}
			assert.Equal(t, int64(len(c.body)), b.Received())
		}
	}
	var b Body
	b.Reset(-1, true, 0)
	_, _, err := feed(t, &b, []byte("3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"), 1<<10)
	require.NoError(t, err)
	assert.Equal(t, "1", b.Trailers().Get("X-T"))
}

func TestBodyLimit(t *testing.T) {
	var b Body
	b.Reset(11, false, 10)
	assert.ErrorIs(t, b.CheckLimit(), httputil.ErrBodyTooLarge, "a declared length over the limit")
	_, _, err := b.Next([]byte("0123456789a"))
	assert.ErrorIs(t, err, httputil.ErrBodyTooLarge, "refused before any byte is passed on")
	assert.True(t, b.Done())
	b.Reset(11, false, 10)
	b.SetLimit(11)
	assert.NoError(t, b.CheckLimit(), "a limit raised before reading")

	b.Reset(-1, true, 10)
	_, _, err = feed(t, &b, []byte("6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n"), 1<<10)
	assert.ErrorIs(t, err, httputil.ErrBodyTooLarge, "a chunked body over the limit")
	assert.Equal(t, 413, httputil.StatusCode(err))

	b.Reset(-1, true, 10)
	b.SetLimit(20) // a handler raising it for an upload
	body, _, err := feed(t, &b, []byte("6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n"), 1<<10)
	require.NoError(t, err)
	assert.Equal(t, "abcdefghijkl", string(body))
}

func TestBodyBadChunk(t *testing.T) {
	var b Body
	b.Reset(-1, true, 0)
	_, _, err := feed(t, &b, []byte("zz\r\nabc\r\n"), 1<<10)
	assert.ErrorIs(t, err, httputil.ErrBadChunkSize)
	assert.True(t, b.Done(), "a framing error ends the body")
}

func gz(t *testing.T, parts ...string) []byte {
	var buf bytes.Buffer
	for _, p := range parts {
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write([]byte(p))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
	}
	return buf.Bytes()
}

func TestGunzip(t *testing.T) {
	body := gz(t, "hello, ", "world")
	out, err := Gunzip(body, 0)
	require.NoError(t, err)
	assert.Equal(t, "hello, world", string(out), "members in a row are one body")

	out, err = Gunzip(nil, 0)
	require.NoError(t, err)
	assert.Empty(t, out, "an empty body is an empty body")

	one := gz(t, "hello, world")
	for _, cut := range []int{len(one) / 2, len(one) - 8, len(one) - 1} {
		_, err = Gunzip(one[:cut], 0)
		assert.ErrorIs(t, err, httputil.ErrBadGzip, "cut at %d of %d", cut, len(one))
		assert.Equal(t, 400, httputil.StatusCode(err))
	}
	_, err = Gunzip([]byte("not gzip at all"), 0)
	assert.ErrorIs(t, err, httputil.ErrBadGzip)

	bomb := gz(t, string(make([]byte, 1<<20)))
	_, err = Gunzip(bomb, 1000)
	assert.ErrorIs(t, err, httputil.ErrBodyTooLarge)
}

func TestInflatePassesFnError(t *testing.T) {
	stop := errors.New("stop")
	err := Inflate(gz(t, "abc"), 0, func([]byte) error { return stop })
	assert.Same(t, stop, err)
}

func TestKeepAlive(t *testing.T) {
	h := func(conn string) *httputil.Headers {
		var hd httputil.Headers
		if conn != "" {
			hd.Set("Connection", conn)
		}
		return &hd
	}
	assert.True(t, KeepAlive("HTTP/1.1", h("")))
	assert.False(t, KeepAlive("HTTP/1.1", h("close")))
	assert.False(t, KeepAlive("HTTP/1.1", h("Upgrade, Close")))
	assert.True(t, KeepAlive("HTTP/1.1", h("closed")), "closed is not close")
	assert.False(t, KeepAlive("HTTP/1.0", h("")))
	assert.True(t, KeepAlive("HTTP/1.0", h("Keep-Alive")))
	assert.False(t, KeepAlive("HTTP/1.0", h("keep-alived")))
	assert.True(t, WantsClose(h("close")))
	assert.False(t, WantsClose(h("closed")))
}

func TestInflaterSteps(t *testing.T) {
	body := gz(t, string(bytes.Repeat([]byte("gornado "), 20000))) // 160000 bytes
	var z Inflater
	for range 2 { // an Inflater is reused across bodies
		z.Reset(body, 0)
		var got []byte
		pieces := 0
		for {
			p, err := z.Next()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			assert.LessOrEqual(t, len(p), 32<<10)
			got = append(got, p...)
			pieces++
		}
		assert.Equal(t, 160000, len(got))
		assert.Equal(t, int64(160000), z.Total())
		assert.Greater(t, pieces, 4, "one piece per call")
	}
	z.Reset(body, 1000)
	_, err := z.Next()
	assert.ErrorIs(t, err, httputil.ErrBodyTooLarge)
	_, err = z.Next()
	assert.ErrorIs(t, err, httputil.ErrBodyTooLarge, "errors are sticky")
}
