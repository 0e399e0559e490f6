package interop

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// Chromium's WebSocket against Gornado's server (the harness, and why
// there is no client half, are in websocket_chromium_harness_test.go).

// chromeSizes are the echo's message sizes: at the edges of the 7-bit,
// 16-bit and 64-bit payload lengths, and large.
var chromeSizes = []int{0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20}

// chromeBurstLen is how many messages the page's burst sends at once.
const chromeBurstLen = 1000

// openChromeSocket opens the page's socket to path on s, and checks the
// extensions the handshake agreed.
func openChromeSocket(t *testing.T, p *page, s *chromeWSServer, path string, c chromeCompression) {
	t.Helper()
	var o chromeOpen
	p.mustEval("open("+jsString(s.wsURL(path, c))+")", &o)
	require.True(t, o.Open, "%s %s: the socket did not open: %+v\npage console:\n%s", path, c, o.Close, p.b.Console())
	assert.Equal(t, c.extensions, o.Extensions, "%s %s: ws.extensions", path, c)
}

// The page sends text and binary messages of every size, then a burst of
// small ones; the test compares the SHA-256 of what the server received,
// and of what the page got back, with its own of what was meant to be
// sent. Then the page closes with 1000, which the server sees.
func TestChromiumWebSocketEcho(t *testing.T) {
	needChromium(t)
	s := serveChromeWS(t, websocket.Config{MaxMessageSize: chromeMax})
	b := launchBrowser(t)
	p := b.newVisitor(s.base + "/")
	for i, mode := range []chromeCompression{chromeUncompressed, chromeDeflate} {
		openChromeSocket(t, p, s, "/echo", mode)
		var want []chromeRecord
		for _, n := range chromeSizes {
			for _, binary := range []bool{false, true} {
				what := fmt.Sprintf("%s, %d bytes, binary %t", mode, n, binary)
				w := chromeRecordOf(chromePayload(n, binary), binary)
				var got chromeRecord
				p.mustEval(fmt.Sprintf("echo(%d, %t)", n, binary), &got)
				assert.Equal(t, w, got, "%s: the echo, as the page got it", what)
				want = append(want, w)
			}
		}
		// Many small messages at once: frames that share a read, or
		// straddle two, each way.
		var got []chromeRecord
		p.mustEval(fmt.Sprintf("burst(%d)", chromeBurstLen), &got)
		for j := range chromeBurstLen {
			w := chromeBurst(j)
			if !assert.Equal(t, w, got[j], "%s: burst message %d, as the page got it", mode, j) {
				break
			}
			want = append(want, w)
		}

		// The server's answering close frame echoes the code, not the
		// reason (as Tornado's), and the close event shows that frame.
		var c chromeClose
		p.mustEval(`ws.close(1000, "bye from Chromium"), closed`, &c)
		assert.Equal(t, chromeClose{Code: 1000, WasClean: true}, c, "%s: the page's close event", mode)
		s.waitOnLoop(t, func() bool { return len(s.closes) == i+1 }, "OnClose")
		var closed chromeServerClose
		s.onLoop(t, func() { got, s.got, closed = s.got, nil, s.closes[i] })
		assert.Equal(t, want, got, "%s: what the server received", mode)
		assert.Equal(t, 1000, closed.Code, "%s: the server's CloseCode", mode)
		assert.Equal(t, "bye from Chromium", closed.Reason, "%s: the server's CloseReason", mode)
	}
	assert.Empty(t, b.Problems(), "errors in the page")
}

// The server sends messages in 4 KiB fragments, compressed (with context
// takeover or without) or not, with pings between them, which Chromium
// answers; then it closes with 4001 and a reason too long for a close
// frame: the page's close event shows the code, and the reason cut at a
// character (Chromium fails a connection whose reason is not UTF-8).
func TestChromiumWebSocketFragments(t *testing.T) {
	needChromium(t)
	s := serveChromeWS(t, websocket.Config{MaxMessageSize: chromeMax, FragmentSize: 4 << 10})
	b := launchBrowser(t)
	p := b.newVisitor(s.base + "/")
	var want []chromeRecord
	for _, m := range s.script {
		want = append(want, chromeRecordOf(m.data, m.binary))
	}
	for i, mode := range []chromeCompression{chromeUncompressed, chromeDeflate, chromeNoTakeover} {
		openChromeSocket(t, p, s, "/script", mode)
		var got []chromeRecord
		p.mustEval(fmt.Sprintf(`ws.send("send"), receive(%d)`, len(want)), &got)
		assert.Equal(t, want, got, "%s: the messages, as the page got them", mode)
		s.waitOnLoop(t, func() bool { return len(s.pongs) == 2 }, "the pongs")
		var pongs []string
		s.onLoop(t, func() { pongs, s.pongs = s.pongs, nil })
		assert.Equal(t, []string{"ping 1 ✓", "ping 2 ✓"}, pongs, "%s: Chromium's pongs", mode)

		var c chromeClose
		p.mustEval(`ws.send("close"), closed`, &c)
		assert.Equal(t, chromeClose{Code: 4001, Reason: chromeCloseReasonCut, WasClean: true}, c, "%s: the page's close event", mode)
		s.waitOnLoop(t, func() bool { return len(s.closes) == i+1 }, "OnClose")
		var closed chromeServerClose
		s.onLoop(t, func() { closed = s.closes[i] })
		assert.Equal(t, 4001, closed.Code, "%s: the code of Chromium's answering close frame", mode)
	}
	assert.Empty(t, b.Problems(), "errors in the page")
}

// WebSocketHandler accepts the same origin only, by default: a page from
// another origin (the same host, another port) is refused with 403, and
// sees the connection fail. From its own origin it connects, with the
// subprotocol the server picks from those the page offers, and closes
// without a code: 1005 on both sides.
func TestChromiumWebSocketOrigin(t *testing.T) {
	needChromium(t)
	s := serveChromeWS(t, websocket.Config{})
	other := serveChromeWS(t, websocket.Config{})
	refused := looptest.ExpectLog(t, s.loop, slog.LevelWarn, `status=403 method=GET uri=/echo`)
	b := launchBrowser(t)
	p := b.newVisitor(other.base + "/")

	var o chromeOpen
	p.mustEval("open("+jsString(s.wsURL("/echo", chromeUncompressed))+")", &o)
	assert.False(t, o.Open, "a socket from another origin opened")
	assert.Equal(t, chromeClose{Code: 1006, WasClean: false}, o.Close, "the page's close event")
	s.onLoop(t, func() {
		assert.Empty(t, s.open, "a handler opened")
		assert.Empty(t, s.closes)
	})
	refused.Check() // after onLoop: the record is logged once the 403 is written
	problems := strings.Join(b.Problems(), "\n")
	assert.Contains(t, problems, "403", "Chromium's own account of the refusal")

	p.mustEval("open("+jsString(other.wsURL("/echo", chromeUncompressed))+`, ["gornado.v1", "gornado.v2"])`, &o)
	require.True(t, o.Open, "from its own origin: %+v", o.Close)
	assert.Equal(t, "gornado.v2", o.Protocol, "ws.protocol")
	var c chromeClose
	p.mustEval(`ws.close(), closed`, &c)
	assert.Equal(t, chromeClose{Code: websocket.CloseNoStatus, WasClean: true}, c, "the page's close event")
	other.waitOnLoop(t, func() bool { return len(other.closes) == 1 }, "OnClose")
	other.onLoop(t, func() {
		assert.Equal(t, websocket.CloseNoStatus, other.closes[0].Code, "the server's CloseCode")
	})
}

// Closing at the edges. A message over the server's MaxMessageSize
// fails the connection with 1009, found from the frame's length before
// its payload is read, or while inflating: the page's close event shows
// the code and reason, even though Chromium is still sending the message
// when the server fails the connection (see websocket's
// TestFailWhilePeerSends). Keepalive pings (PingInterval) get Chromium's
// pongs. Close frames that may cross: the page asks the server to close
// and closes at once; the page's close event shows the server's frame.
func TestChromiumWebSocketCloseEdges(t *testing.T) {
	needChromium(t)
	s := serveChromeWS(t, websocket.Config{MaxMessageSize: 1 << 20, PingInterval: 20 * time.Millisecond})
	b := launchBrowser(t)
	p := b.newVisitor(s.base + "/")
	for i, mode := range []chromeCompression{chromeUncompressed, chromeDeflate} {
		openChromeSocket(t, p, s, "/echo", mode)
		var c chromeClose
		p.mustEval(fmt.Sprintf(`ws.send(payload(%d, true)), closed`, 1<<20+1), &c)
		assert.Equal(t, websocket.CloseMessageTooBig, c.Code, "%s: the page's close event", mode)
		assert.Equal(t, "message too large", c.Reason, "%s: the page's close event", mode)
		s.waitOnLoop(t, func() bool { return len(s.closes) == i+1 }, "OnClose")
		s.onLoop(t, func() {
			assert.ErrorIs(t, s.closes[i].Err, websocket.ErrMessageTooLarge, mode.String())
			assert.Empty(t, s.got, "%s: a message was delivered", mode)
		})
	}

	openChromeSocket(t, p, s, "/script", chromeUncompressed)
	s.onLoop(t, func() { s.pongs = nil })
	s.waitOnLoop(t, func() bool { return len(s.pongs) >= 3 }, "pongs to three keepalive pings")
	var c chromeClose
	p.mustEval(`ws.send("close"), ws.close(1000, "crossing"), closed`, &c)
	assert.Equal(t, chromeClose{Code: 4001, Reason: chromeCloseReasonCut, WasClean: true}, c, "crossing: the page's close event")
	s.waitOnLoop(t, func() bool { return len(s.closes) == 3 }, "OnClose")
	// Chromium sends its own close frame if the page's close reaches its
	// network service before the server's frame does, else it echoes
	// the server's code and reason.
	var closed chromeServerClose
	s.onLoop(t, func() { closed = s.closes[2] })
	crossed := closed.Code == 1000 && closed.Reason == "crossing"
	echoed := closed.Code == 4001 && closed.Reason == chromeCloseReasonCut
	assert.True(t, crossed || echoed, "the server's CloseCode %d and CloseReason %q", closed.Code, closed.Reason)
	t.Logf("close frames crossed: %t", crossed)
	assert.Empty(t, b.Problems(), "errors in the page")
}
