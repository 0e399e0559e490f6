package websocket_test

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// raw is a hand-written WebSocket client on a plain socket, for the
// protocol battery: it sends exactly the bytes a case calls for.
type raw struct {
	t    *testing.T
	c    net.Conn
	br   *bufio.Reader
	resp *http.Response
}

const testKey = "dGhlIHNhbXBsZSBub25jZQ==" // RFC 6455's example

// dialRaw connects to addr and sends an opening handshake with extra
// header lines; the response's head is in r.resp.
func dialRaw(t *testing.T, addr, extra string) *raw {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(20 * time.Second)) // a hang guard, not a measure
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n", addr, testKey, extra)
	r := &raw{t: t, c: c, br: bufio.NewReader(c)}
	r.resp, err = http.ReadResponse(r.br, &http.Request{Method: "GET"})
	require.NoError(t, err)
	return r
}

// upgraded is dialRaw that requires a 101.
func upgraded(t *testing.T, addr, extra string) *raw {
	t.Helper()
	r := dialRaw(t, addr, extra)
	require.Equal(t, 101, r.resp.StatusCode)
	require.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.resp.Header.Get("Sec-WebSocket-Accept"))
	return r
}

// frame builds a masked client frame: first is FIN, RSV and opcode.
func frame(first byte, payload []byte) []byte {
	return maskedFrame(first, payload, true)
}

func maskedFrame(first byte, payload []byte, masked bool) []byte {
	b := []byte{first, 0}
	switch n := len(payload); {
	case n <= 125:
		b[1] = byte(n)
	case n <= 65535:
		b[1] = 126
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b[1] = 127
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if !masked {
		return append(b, payload...)
	}
	b[1] |= 0x80
	var key [4]byte
	binary.LittleEndian.PutUint32(key[:], rand.Uint32())
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}

func (r *raw) send(parts ...[]byte) {
	r.t.Helper()
	_, err := r.c.Write(bytes.Join(parts, nil))
	require.NoError(r.t, err)
}

// read reads one server frame: its first byte and payload. Server frames
// are never masked.
func (r *raw) read() (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r.br, h[:]); err != nil {
		return 0, nil, err
	}
	if h[1]&0x80 != 0 {
		return 0, nil, errors.New("a masked server frame")
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var l [2]byte
		if _, err := io.ReadFull(r.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		if _, err := io.ReadFull(r.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(l[:])
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r.br, p)
	return h[0], p, err
}

// expect reads the next frame and requires it to be first with payload.
func (r *raw) expect(first byte, payload []byte) {
	r.t.Helper()
	f, p, err := r.read()
	require.NoError(r.t, err)
	require.Equal(r.t, fmt.Sprintf("%#x", first), fmt.Sprintf("%#x", f))
	require.True(r.t, bytes.Equal(payload, p), "payload %q, want %q", trim(p), trim(payload))
}

func trim(p []byte) []byte {
	if len(p) > 64 {
		return p[:64]
	}
	return p
}

// expectClose reads frames up to a close frame (what comes before it
// must be in allowed, if given), requires its code, and then the end of
// the TCP connection.
func (r *raw) expectClose(code int) {
	r.t.Helper()
	for {
		f, p, err := r.read()
		require.NoError(r.t, err, "no close frame")
		if f&0x0f != 0x8 {
			continue // an echo or a pong sent before the failure
		}
		require.Equal(r.t, byte(0x88), f)
		if code == 1005 {
			require.Empty(r.t, p)
		} else {
			require.GreaterOrEqual(r.t, len(p), 2, "a close frame without a code")
			require.Equal(r.t, code, int(binary.BigEndian.Uint16(p)), "close reason %q", p[2:])
		}
		break
	}
	r.expectEOF()
}

// expectEOF requires the server to close the TCP connection, or its
// sending half, and then closes the client's, as a client does on EOF:
// a server that failed the connection waits for that (or CloseTimeout)
// before OnClose.
func (r *raw) expectEOF() {
	r.t.Helper()
	_, err := r.br.ReadByte()
	require.ErrorIs(r.t, err, io.EOF, "the server closes the TCP connection")
	r.c.Close()
}

// closeCode sends a close frame with code and reason.
func closePayload(code int, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

// deflate compresses messages as a permessage-deflate sender with
// context takeover does.
type deflate struct {
	w   *flate.Writer
	buf bytes.Buffer
}

func newDeflate() *deflate {
	d := &deflate{}
	d.w, _ = flate.NewWriter(&d.buf, flate.BestSpeed)
	return d
}

func (d *deflate) compress(p []byte) []byte {
	d.buf.Reset()
	d.w.Write(p)
	d.w.Flush()
	return bytes.Clone(bytes.TrimSuffix(d.buf.Bytes(), []byte{0, 0, 0xff, 0xff}))
}

// inflate inflates one message compressed without context takeover.
func inflate(p []byte) ([]byte, error) {
	r := flate.NewReader(io.MultiReader(bytes.NewReader(p), strings.NewReader("\x00\x00\xff\xff\x01\x00\x00\xff\xff")))
	return io.ReadAll(r)
}
