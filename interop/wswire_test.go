package interop

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wsWire watches one WebSocket connection from a peer's socket: it
// parses the bytes each way as they pass, the HTTP head and then the
// frames, so a test checks what went over the wire (permessage-deflate
// offered and agreed, compressed messages, one frame per message or
// fragments) whatever the peer's API tells.
type wsWire struct {
	in  wsTally // what the peer read: Gornado's side
	out wsTally // what the peer wrote
}

// wsTally is one direction of a connection.
type wsTally struct {
	mu     sync.Mutex
	head   []byte // the HTTP head, then done
	done   bool
	hdr    []byte // a frame header, as its bytes come
	skip   uint64 // payload bytes still to pass
	counts wsCounts
}

// wsCounts is what one direction carried. Control frames are not
// counted.
type wsCounts struct {
	head       string
	frames     int // data frames: text, binary, continuation
	messages   int // final data frames
	compressed int // messages with RSV1 set (permessage-deflate)
}

func (t *wsTally) feed(p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done {
		t.head = append(t.head, p...)
		i := bytes.Index(t.head, []byte("\r\n\r\n"))
		if i < 0 {
			return
		}
		p = t.head[i+4:]
		t.counts.head, t.done = string(t.head[:i+4]), true
	}
	for len(p) > 0 {
		if t.skip > 0 {
			n := min(uint64(len(p)), t.skip)
			t.skip -= n
			p = p[n:]
			continue
		}
		t.hdr = append(t.hdr, p[0])
		p = p[1:]
		if len(t.hdr) == wsHeaderLen(t.hdr) {
			t.frame()
		}
	}
}

// wsHeaderLen is the length of the frame header that starts with h, as
// far as h tells.
func wsHeaderLen(h []byte) int {
	if len(h) < 2 {
		return 2
	}
	n := 2
	switch h[1] & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if h[1]&0x80 != 0 {
		n += 4 // the mask
	}
	return n
}

// frame counts the frame whose header is t.hdr and skips its payload.
func (t *wsTally) frame() {
	b0, b1 := t.hdr[0], t.hdr[1]
	size := uint64(b1 & 0x7f)
	switch size {
	case 126:
		size = uint64(binary.BigEndian.Uint16(t.hdr[2:]))
	case 127:
		size = binary.BigEndian.Uint64(t.hdr[2:])
	}
	if op := b0 & 0x0f; op < 8 {
		t.counts.frames++
		if b0&0x80 != 0 {
			t.counts.messages++
		}
		if op != 0 && b0&0x40 != 0 {
			t.counts.compressed++
		}
	}
	t.skip, t.hdr = size, t.hdr[:0]
}

func (t *wsTally) get() wsCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts
}

// check asserts what one echo session of c.sizes, text and binary,
// carried each way: permessage-deflate in both heads and compressed
// messages, or neither; one frame per message, or more frames than
// messages.
func (w *wsWire) check(t *testing.T, c wsCase) {
	t.Helper()
	for _, d := range []struct {
		name string
		n    wsCounts
	}{{"Gornado's", w.in.get()}, {"the peer's", w.out.get()}} {
		assert.Equal(t, c.deflate, strings.Contains(strings.ToLower(d.n.head), "permessage-deflate"), "%s head:\n%s", d.name, d.n.head)
		assert.Equal(t, 2*len(c.sizes()), d.n.messages, "%s messages", d.name)
		if c.deflate {
			assert.Positive(t, d.n.compressed, "%s compressed messages", d.name)
		} else {
			assert.Zero(t, d.n.compressed, "%s compressed messages", d.name)
		}
		if c.fragment {
			assert.Greater(t, d.n.frames, d.n.messages, "%s messages went in fragments", d.name)
		} else {
			assert.Equal(t, d.n.messages, d.n.frames, "%s messages went in one frame each", d.name)
		}
	}
}

// wsWires collects the wires of a peer's connections.
type wsWires struct {
	mu  sync.Mutex
	all []*wsWire
}

type wsWireConn struct {
	net.Conn
	w *wsWire
}

func (c *wsWireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.in.feed(p[:n])
	return n, err
}

func (c *wsWireConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.w.out.feed(p[:n])
	return n, err
}

func (ws *wsWires) wrap(c net.Conn) net.Conn {
	w := &wsWire{}
	ws.mu.Lock()
	ws.all = append(ws.all, w)
	ws.mu.Unlock()
	return &wsWireConn{Conn: c, w: w}
}

// dial is a peer client's dialer (net.Dialer's DialContext) that watches
// the connections it makes.
func (ws *wsWires) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return ws.wrap(c), nil
}

// listen is a listener on loopback for a peer server that watches the
// connections it accepts.
func (ws *wsWires) listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return wsWireListener{ln, ws}
}

type wsWireListener struct {
	net.Listener
	ws *wsWires
}

func (l wsWireListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.ws.wrap(c), nil
}

// one returns the wire of the only connection.
func (ws *wsWires) one(t *testing.T) *wsWire {
	t.Helper()
	ws.mu.Lock()
	defer ws.mu.Unlock()
	require.Len(t, ws.all, 1, "connections")
	return ws.all[0]
}
