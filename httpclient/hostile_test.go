package httpclient_test

import (
	"bufio"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpclient"
)

// A server that sends interim responses without end fails the fetch with
// ErrTooManyInterim, rather than keeping it alive until its timeout (or
// forever, without one). A few are skipped as before.
func TestEndlessInterimResponsesFail(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		for {
			if _, err := io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\n"); err != nil {
				return
			}
		}
	})
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	require599(t, err, httpclient.ErrTooManyInterim)

	few := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, strings.Repeat("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n", 10)+
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	resp, err := fetch(t, loop, c, "http://"+few.Addr+"/")
	require.NoError(t, err)
	assert.Equal(t, "ok", string(resp.Body))
}

// A redirect the client will not follow ends the fetch with the 3xx, and
// the error says why it was not followed.
func TestRefusedRedirectKeepsItsReason(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n")
	})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 302, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrRedirectRefused)
	assert.ErrorIs(t, err, httpclient.ErrInvalidRequest, "the cause: a scheme the client does not fetch")
	assert.Contains(t, err.Error(), "file:///etc/passwd")
	if resp != nil {
		assert.Equal(t, 302, resp.Code)
	}
}

// An endless chunked body is cut at MaxBodySize, and collecting it costs
// about that much memory: no copies of a growing slice. (Fault 8 of the
// hardening issue: cut at 100 MiB, it peaked at 474 MB of RSS.) The
// bytes allocated while it arrives are the measure (under twice the
// limit: 200 MiB before, for 32), since a peak of
// resident memory depends on when the collector runs.
func TestEndlessChunkedBodyCostsItsLimit(t *testing.T) {
	const limit = 32 << 20
	chunk := []byte("8000\r\n" + strings.Repeat("z", 0x8000) + "\r\n")
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
		for {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	loop, c := newClient(t, httpclient.Config{MaxBodySize: limit})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	runtime.ReadMemStats(&after)
	require599(t, err, httpclient.ErrBodyTooLarge)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("an endless chunked body cut at %d MiB: %d MiB allocated while it arrived", limit>>20, allocated>>20)
	assert.Less(t, allocated, uint64(2*limit), "allocated %d MiB for a body cut at %d MiB", allocated>>20, limit>>20)
}
