package interop

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
	"github.com/gornado/gornado/webtest"
)

// Gornado's websocket package against the two Go libraries most Go
// programs use, gorilla/websocket and coder/websocket, run in this
// process: their servers on net/http and their clients, against
// Gornado's client and server, 0 B to 16 MiB each way (wsCase). Their
// sockets are watched (wsWire), so each test also checks what went over
// the wire: permessage-deflate offered, agreed and used, and messages in
// one frame each or fragmented by both sides. gorilla's server also runs
// mounted in a Gornado application through web/nethttp, on the
// connection Hijack hands it.

// wsGoPeer is a Go WebSocket library as a peer.
type wsGoPeer struct {
	name string
	// server is an echo handler for net/http; it sends the end of each
	// connection to ends.
	server func(c wsCase, ends chan<- wsPeerEnd) http.Handler
	// client runs an echo session against url (see wsPeerSession) and
	// closes with wsByeCode and wsByeReason; its connection is dialled
	// through wires.
	client func(t *testing.T, url string, wires *wsWires, c wsCase)
	// bye asks the server at url to close (wsByeRequest) and checks its
	// close frame arrives as sent.
	bye func(t *testing.T, url string)
}

// wsPeerEnd is how a peer server's connection ended: the close frame it
// received, or why it failed.
type wsPeerEnd struct {
	code   int
	reason string
	err    error
}

var wsGoPeers = []wsGoPeer{
	{"gorilla", gorillaServer, gorillaClient, gorillaBye},
	{"coder", coderServer, coderClient, coderBye},
}

// Gornado's server, the peers' clients; the peer closes.
func TestWebSocketGoClients(t *testing.T) {
	for _, p := range wsGoPeers {
		for _, c := range wsCases {
			t.Run(p.name+" "+c.String(), func(t *testing.T) {
				s := serveWS(t, c.config())
				wires := &wsWires{}
				p.client(t, s.url, wires, c)
				assert.Equal(t, wsClosed{c.deflate, wsByeCode, wsByeReason}, s.nextClosed(t),
					"Gornado's side: compressed, close code and reason")
				wires.one(t).check(t, c)
			})
		}
	}
}

// The peers' servers on net/http, Gornado's client; Gornado closes.
func TestWebSocketGoServers(t *testing.T) {
	for _, p := range wsGoPeers {
		for _, c := range wsCases {
			t.Run(p.name+" "+c.String(), func(t *testing.T) {
				wires := &wsWires{}
				ends := make(chan wsPeerEnd, 1)
				url := serveGoPeer(t, p.server(c, ends), wires)
				dialWS(t, url, c, wsByeCode, wsByeReason)
				assert.Equal(t, wsPeerEnd{code: wsByeCode, reason: wsByeReason}, wsNextEnd(t, ends), "the peer's close")
				wires.one(t).check(t, c)
			})
		}
	}
}

// The server closes first: its close frame reaches the client as sent,
// Gornado's at the peers' clients and the peers' at Gornado's.
func TestWebSocketGoServerCloses(t *testing.T) {
	for _, p := range wsGoPeers {
		t.Run(p.name+" client", func(t *testing.T) {
			s := serveWS(t, wsCase{}.config())
			p.bye(t, s.url)
			assert.Equal(t, wsByeCode, s.nextClosed(t).code, "the close code the peer echoed")
		})
		t.Run(p.name+" server", func(t *testing.T) {
			ends := make(chan wsPeerEnd, 1)
			dialWSBye(t, serveGoPeer(t, p.server(wsCase{}, ends), &wsWires{}))
			assert.NoError(t, wsNextEnd(t, ends).err, "the peer's close handshake")
		})
	}
}

// serveGoPeer serves a peer's handler on net/http, on a listener of
// wires, until the end of the test, and returns its ws:// URL.
func serveGoPeer(t *testing.T, h http.Handler, wires *wsWires) string {
	t.Helper()
	srv := &http.Server{Handler: h}
	ln := wires.listen(t)
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-served
	})
	return "ws://" + ln.Addr().String() + "/echo"
}

// gorilla/websocket's Upgrader in a Gornado application, mounted with
// web/nethttp: the README's claim that Hijack lets it run there. The
// other cases take the same paths through the hijacked connection.
func TestWebSocketGorillaMounted(t *testing.T) {
	for _, c := range []wsCase{{false, false}, {true, true}} {
		t.Run(c.String(), func(t *testing.T) {
			ends := make(chan wsPeerEnd, 1)
			mounted := nethttp.NewContainer(gorillaServer(c, ends), nethttp.Config{})
			t.Cleanup(func() { assert.NoError(t, mounted.Close()) })
			s := webtest.Serve(t, []web.Route{{Pattern: `/echo`, Handler: mounted.Handler()}}, web.Config{})
			dialWS(t, "ws"+strings.TrimPrefix(s.URL, "http")+"/echo", c, wsByeCode, wsByeReason)
			assert.Equal(t, wsPeerEnd{code: wsByeCode, reason: wsByeReason}, wsNextEnd(t, ends), "gorilla's close")
		})
	}
}

// wsEnd reports how a peer server's connection ended; a test looks at
// its only connection's.
func wsEnd(ends chan<- wsPeerEnd, e wsPeerEnd) {
	select {
	case ends <- e:
	default:
	}
}

// wsNextEnd waits for the end of a peer server's connection.
func wsNextEnd(t *testing.T, ends <-chan wsPeerEnd) wsPeerEnd {
	t.Helper()
	select {
	case e := <-ends:
		return e
	case <-time.After(hangGuard):
		t.Fatal("the peer's connection did not end (hang guard)")
		return wsPeerEnd{}
	}
}

// wsThirds cuts b in three, through UTF-8 characters as it may.
func wsThirds(b []byte) [][]byte {
	i, j := len(b)/3, 2*len(b)/3
	return [][]byte{b[:i], b[i:j], b[j:]}
}

// wsPeerSession is a peer client's echo session: send sends a message,
// recv receives one; it checks every echo of sizes, text and binary.
func wsPeerSession(t *testing.T, sizes []int, send func(data []byte, binary bool) error, recv func() ([]byte, bool, error)) {
	t.Helper()
	for _, n := range sizes {
		for _, binary := range []bool{false, true} {
			want := wsPayload(n, binary)
			require.NoError(t, send(want, binary), "sending %d bytes", n)
			got, gotBinary, err := recv()
			require.NoError(t, err, "receiving %d bytes", n)
			assert.Equal(t, binary, gotBinary)
			assert.True(t, bytes.Equal(want, got), "%d bytes, binary %v: %d came back", n, binary, len(got))
		}
	}
}

// gorilla/websocket.

// gorillaBuffer is the write buffer of a gorilla connection: gorilla
// sends a frame each time its buffer fills, so a large one sends each
// message whole, its 4 KiB default in fragments.
func gorillaBuffer(fragment bool) int {
	if fragment {
		return 0
	}
	return wsMax + 1024
}

// gorillaWrite sends a message whole, or in a writer with three writes.
func gorillaWrite(c *gorilla.Conn, typ int, data []byte, fragment bool) error {
	if !fragment {
		return c.WriteMessage(typ, data)
	}
	w, err := c.NextWriter(typ)
	if err != nil {
		return err
	}
	for _, part := range wsThirds(data) {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return w.Close()
}

func gorillaType(binary bool) int {
	if binary {
		return gorilla.BinaryMessage
	}
	return gorilla.TextMessage
}

func gorillaServer(c wsCase, ends chan<- wsPeerEnd) http.Handler {
	up := gorilla.Upgrader{
		EnableCompression: c.deflate,
		ReadBufferSize:    4096, // a reader of its own, not Hijack's
		WriteBufferSize:   gorillaBuffer(c.fragment),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			wsEnd(ends, wsPeerEnd{err: err})
			return
		}
		defer conn.Close()
		conn.SetReadLimit(wsMax)
		conn.SetReadDeadline(time.Now().Add(hangGuard))
		for {
			typ, data, err := conn.ReadMessage()
			if err != nil {
				var ce *gorilla.CloseError
				if errors.As(err, &ce) {
					wsEnd(ends, wsPeerEnd{code: ce.Code, reason: ce.Text})
				} else {
					wsEnd(ends, wsPeerEnd{err: err})
				}
				return
			}
			if typ == gorilla.TextMessage && string(data) == wsByeRequest {
				// Close first; the client's close frame ends the loop.
				bye := gorilla.FormatCloseMessage(wsByeCode, wsByeReason)
				err = conn.WriteControl(gorilla.CloseMessage, bye, time.Now().Add(hangGuard))
			} else {
				err = gorillaWrite(conn, typ, data, c.fragment)
			}
			if err != nil {
				wsEnd(ends, wsPeerEnd{err: err})
				return
			}
		}
	})
}

func gorillaClient(t *testing.T, url string, wires *wsWires, c wsCase) {
	d := gorilla.Dialer{
		NetDialContext:    wires.dial,
		EnableCompression: c.deflate,
		WriteBufferSize:   gorillaBuffer(c.fragment),
		HandshakeTimeout:  hangGuard,
	}
	conn, resp, err := d.Dial(url, nil)
	require.NoError(t, err)
	defer conn.Close()
	ext := resp.Header.Get("Sec-WebSocket-Extensions")
	assert.Equal(t, c.deflate, strings.Contains(ext, "permessage-deflate"), "gorilla's handshake: %q", ext)
	conn.SetReadLimit(wsMax)
	conn.SetReadDeadline(time.Now().Add(hangGuard))
	wsPeerSession(t, c.sizes(), func(data []byte, binary bool) error {
		return gorillaWrite(conn, gorillaType(binary), data, c.fragment)
	}, func() ([]byte, bool, error) {
		typ, data, err := conn.ReadMessage()
		return data, typ == gorilla.BinaryMessage, err
	})
	bye := gorilla.FormatCloseMessage(wsByeCode, wsByeReason)
	require.NoError(t, conn.WriteControl(gorilla.CloseMessage, bye, time.Now().Add(hangGuard)))
	_, _, err = conn.ReadMessage()
	var ce *gorilla.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, wsByeCode, ce.Code, "Gornado's close code")
}

func gorillaBye(t *testing.T, url string) {
	d := gorilla.Dialer{HandshakeTimeout: hangGuard}
	conn, _, err := d.Dial(url, nil)
	require.NoError(t, err)
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(hangGuard))
	require.NoError(t, conn.WriteMessage(gorilla.TextMessage, []byte(wsByeRequest)))
	_, _, err = conn.ReadMessage()
	var ce *gorilla.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, wsByeCode, ce.Code, "Gornado's close code")
	assert.Equal(t, wsByeReason, ce.Text, "Gornado's close reason")
}

// coder/websocket.

func coderMode(deflate bool) coder.CompressionMode {
	if deflate {
		return coder.CompressionContextTakeover
	}
	return coder.CompressionDisabled
}

func coderType(binary bool) coder.MessageType {
	if binary {
		return coder.MessageBinary
	}
	return coder.MessageText
}

// coderWrite sends a message in one frame (Write), or in a writer with
// three writes, a frame each (compressed: as flate outputs).
func coderWrite(ctx context.Context, c *coder.Conn, typ coder.MessageType, data []byte, fragment bool) error {
	if !fragment {
		return c.Write(ctx, typ, data)
	}
	w, err := c.Writer(ctx, typ)
	if err != nil {
		return err
	}
	for _, part := range wsThirds(data) {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return w.Close()
}

func coderServer(c wsCase, ends chan<- wsPeerEnd) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := coder.Accept(w, r, &coder.AcceptOptions{CompressionMode: coderMode(c.deflate)})
		if err != nil {
			wsEnd(ends, wsPeerEnd{err: err})
			return
		}
		defer conn.CloseNow()
		conn.SetReadLimit(wsMax)
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		defer cancel()
		for {
			typ, data, err := conn.Read(ctx)
			if err != nil {
				var ce coder.CloseError
				if errors.As(err, &ce) {
					wsEnd(ends, wsPeerEnd{code: int(ce.Code), reason: ce.Reason})
				} else {
					wsEnd(ends, wsPeerEnd{err: err})
				}
				return
			}
			if typ == coder.MessageText && string(data) == wsByeRequest {
				// Close waits for the client's close frame.
				wsEnd(ends, wsPeerEnd{err: conn.Close(wsByeCode, wsByeReason)})
				return
			}
			if err := coderWrite(ctx, conn, typ, data, c.fragment); err != nil {
				wsEnd(ends, wsPeerEnd{err: err})
				return
			}
		}
	})
}

func coderClient(t *testing.T, url string, wires *wsWires, c wsCase) {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	tr := &http.Transport{DialContext: wires.dial}
	defer tr.CloseIdleConnections()
	conn, resp, err := coder.Dial(ctx, url, &coder.DialOptions{
		HTTPClient:      &http.Client{Transport: tr},
		CompressionMode: coderMode(c.deflate),
	})
	require.NoError(t, err)
	defer conn.CloseNow()
	ext := resp.Header.Get("Sec-WebSocket-Extensions")
	assert.Equal(t, c.deflate, strings.Contains(ext, "permessage-deflate"), "coder's handshake: %q", ext)
	conn.SetReadLimit(wsMax)
	wsPeerSession(t, c.sizes(), func(data []byte, binary bool) error {
		return coderWrite(ctx, conn, coderType(binary), data, c.fragment)
	}, func() ([]byte, bool, error) {
		typ, data, err := conn.Read(ctx)
		return data, typ == coder.MessageBinary, err
	})
	// Close sends the close frame and waits for Gornado's.
	assert.NoError(t, conn.Close(wsByeCode, wsByeReason))
}

func coderBye(t *testing.T, url string) {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	conn, _, err := coder.Dial(ctx, url, &coder.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	defer conn.CloseNow()
	require.NoError(t, conn.Write(ctx, coder.MessageText, []byte(wsByeRequest)))
	_, _, err = conn.Read(ctx)
	var ce coder.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, coder.StatusCode(wsByeCode), ce.Code, "Gornado's close code")
	assert.Equal(t, wsByeReason, ce.Reason, "Gornado's close reason")
}
