package websocket_test

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// A connection failed while the peer is still sending (here a message
// over MaxMessageSize, refused from its header) must still get its close
// frame to the peer. Closing the socket at once, with the peer's bytes
// unread in it, makes the kernel send a reset instead of a FIN, and a
// peer that is still writing fails on the reset before it reads the
// close frame: Chromium reported 1006, not 1009. So the close frame is
// followed by a FIN (the peer reads it, then EOF), and what the peer
// still sends is read and dropped until it closes (RFC 6455 §7.1.1's
// clean closure) or CloseTimeout.
func TestFailWhilePeerSends(t *testing.T) {
	loop := looptest.New(t)
	done := make(chan *peer, 1)
	sv := newServer(t, loop, websocket.Config{MaxMessageSize: 1 << 10}, func() *peer { return &peer{done: done} })
	runServer(t, loop)

	c, err := net.Dial("tcp", sv.addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(20 * time.Second)) // a hang guard, not a measure
	defer c.Close()
	// The handshake, then at once (not waiting for the 101) the header
	// of a 64 MiB binary frame and 1 MiB of its payload, all in one
	// write: when the server reads the header, most of the megabyte
	// waits unread in its socket. Then more, while the server fails the
	// connection.
	first := fmt.Appendf(nil, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", sv.addr, testKey)
	first = append(first, 0x82, 0x80|127)
	first = binary.BigEndian.AppendUint64(first, 64<<20)
	first = append(first, 1, 2, 3, 4)
	first = append(first, make([]byte, 1<<20)...)
	wrote := make(chan error, 1)
	go func() {
		_, err := c.Write(first)
		chunk := make([]byte, 64<<10)
		for i := 0; i < 64 && err == nil; i++ {
			_, err = c.Write(chunk)
		}
		wrote <- err
	}()

	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	require.NoError(t, err)
	require.Equal(t, 101, resp.StatusCode)
	r := &raw{t: t, c: c, br: br, resp: resp}
	f, p, err := r.read()
	if assert.NoError(t, err, "no close frame") && assert.Equal(t, byte(0x88), f) && assert.GreaterOrEqual(t, len(p), 2) {
		assert.Equal(t, websocket.CloseMessageTooBig, int(binary.BigEndian.Uint16(p)), "close reason %q", p[2:])
	}
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server's FIN after its close frame, not a reset")

	assert.NoError(t, <-wrote, "the server reads on, and drops, what follows")
	c.Close()
	p2 := <-done
	assert.ErrorIs(t, p2.err, websocket.ErrMessageTooLarge)
	assert.Equal(t, websocket.CloseAbnormal, p2.code, "no close frame came from the client")
}
