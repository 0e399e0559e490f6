package interop

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/websocket"
)

// Chromium's WebSocket (its network service, RFC 6455 and
// permessage-deflate) against Gornado's websocket server, through
// web.WebSocketHandler: testdata/ws_chromium.html, served by the same
// application so that the default same-origin check passes, opens the
// sockets and reports what it received, and the server records what it
// received. A browser is only ever a client, so unlike the Python peers
// there is no "Gornado's client against the peer's server" half here.

// chromeMax is the servers' MaxMessageSize: 16 MiB messages fit.
const chromeMax = 17 << 20

// chromeRecord describes one message, as the page's summary() does.
type chromeRecord struct {
	Binary bool   `json:"binary"`
	Len    int    `json:"len"`
	SHA    string `json:"sha"`
}

func chromeRecordOf(data []byte, binary bool) chromeRecord {
	sum := sha256.Sum256(data)
	return chromeRecord{Binary: binary, Len: len(data), SHA: hex.EncodeToString(sum[:])}
}

// chromeClose is the page's close event.
type chromeClose struct {
	Code     int    `json:"code"`
	Reason   string `json:"reason"`
	WasClean bool   `json:"wasClean"`
}

// chromeOpen is what the page's open() resolves with.
type chromeOpen struct {
	Open       bool        `json:"open"`
	Extensions string      `json:"extensions"`
	Protocol   string      `json:"protocol"`
	Close      chromeClose `json:"close"`
}

// chromeServerClose is how a connection ended, as its handler's OnClose saw
// it.
type chromeServerClose struct {
	Path   string
	Code   int // CloseCode: the peer's close frame
	Reason string
	Err    error
}

// chromeMessage is one message the /script socket sends.
type chromeMessage struct {
	data   []byte
	binary bool
}

// chromeWSServer is a web.Application on a loop of the test process:
//
//	/                  testdata/ws_chromium.html
//	/echo?deflate=D    echoes each message, and records it
//	/script?deflate=D  on "send", sends script with pings between;
//	                   on "close", closes with 4001 and chromeCloseReason
//
// permessage-deflate is declined or accepted as D (a chromeCompression's
// arg) says; the subprotocol "gornado.v2" is chosen when offered. The
// fields after script are loop-only.
type chromeWSServer struct {
	base   string // http://127.0.0.1:PORT
	loop   *ioloop.IOLoop
	script []chromeMessage

	got    []chromeRecord // what /echo received, in order
	pongs  []string
	closes []chromeServerClose
	open   map[*chromeSocket]bool
}

type chromeSocket struct {
	web.WebSocketHandler
	srv    *chromeWSServer
	script bool
}

func (h *chromeSocket) GetCompressionOptions() *websocket.CompressionConfig {
	switch v, _ := h.GetArgument("deflate", ""); v {
	case "on":
		return &websocket.CompressionConfig{}
	case "no-takeover":
		return &websocket.CompressionConfig{NoContextTakeover: true}
	}
	return nil
}

func (h *chromeSocket) SelectSubprotocol(offered []string) string {
	if slices.Contains(offered, "gornado.v2") {
		return "gornado.v2"
	}
	return ""
}

func (h *chromeSocket) Open()              { h.srv.open[h] = true }
func (h *chromeSocket) OnPong(data []byte) { h.srv.pongs = append(h.srv.pongs, string(data)) }

func (h *chromeSocket) OnClose() {
	delete(h.srv.open, h)
	h.srv.closes = append(h.srv.closes, chromeServerClose{Path: h.Request.Path, Code: h.CloseCode(), Reason: h.CloseReason(), Err: h.WebSocket().Err()})
}

func (h *chromeSocket) OnMessage(m *websocket.Message) {
	if !h.script {
		h.srv.got = append(h.srv.got, chromeRecordOf(m.Data, m.Binary))
		h.WriteMessage(m.Data, m.Binary)
		return
	}
	switch m.Text() {
	case "send":
		for i, msg := range h.srv.script {
			h.WriteMessage(msg.data, msg.binary)
			if i < 2 {
				// Between messages: a ping goes out whole, never
				// inside a fragmented message (RFC 6455 allows it,
				// the writer does not do it).
				h.Ping([]byte("ping " + string(rune('1'+i)) + " ✓"))
			}
		}
	case "close":
		h.Close(4001, chromeCloseReason)
	}
}

// chromeCloseReason is too long for a close frame (137 bytes, 123 fit):
// Close sends chromeCloseReasonCut, cut at a character (122 bytes: a
// 36th ✓ would make 125).
var (
	chromeCloseReason    = "bye from Gornado " + strings.Repeat("✓", 40)
	chromeCloseReasonCut = "bye from Gornado " + strings.Repeat("✓", 35)
)

type chromePage struct {
	web.RequestHandler
	html []byte
}

func (h *chromePage) Get(co *gen.Co) error {
	h.SetHeader("Content-Type", "text/html; charset=utf-8")
	return h.Finish(h.html)
}

// serveChromeWS serves the page and the sockets with cfg (its
// Compression is the handlers' business) until the end of the test.
func serveChromeWS(t *testing.T, cfg websocket.Config) *chromeWSServer {
	t.Helper()
	html, err := os.ReadFile("testdata/ws_chromium.html")
	require.NoError(t, err)
	l := looptest.New(t)
	looptest.Logs(l).Allow(t, slog.LevelWarn, `status=404 method=GET uri=/favicon.ico`) // the browser's own
	s := &chromeWSServer{loop: l, script: chromeScript(), open: map[*chromeSocket]bool{}}
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Init(func(h *chromePage) { h.html = html })},
		{Pattern: `/echo`, Handler: web.Init(func(h *chromeSocket) { h.srv = s })},
		{Pattern: `/script`, Handler: web.Init(func(h *chromeSocket) { h.srv, h.script = s, true })},
	}, web.Config{Logger: looptest.Logs(l).Logger(), WebSocket: cfg})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	looptest.Start(t, l, func() {
		srv.Close()
		for h := range s.open { // taken over: the server forgot them
			h.WebSocket().Stream().Close()
		}
	})
	s.base = "http://" + srv.Addrs()[0].String()
	return s
}

// onLoop runs fn on the server's loop and waits for it.
func (s *chromeWSServer) onLoop(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	s.loop.AddCallback(func() {
		defer close(done)
		fn()
	})
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("the server's loop ran no callback (hang guard)")
	}
}

// waitOnLoop evaluates cond on the loop until it is true, within waitFor.
func (s *chromeWSServer) waitOnLoop(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		var ok bool
		s.onLoop(t, func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s on the server, in vain", waitFor, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// chromeCompression is what a socket's handler is asked to do about
// permessage-deflate (Chromium always offers it), and the page's
// ws.extensions that should follow.
type chromeCompression struct{ arg, extensions string }

var (
	chromeUncompressed = chromeCompression{"off", ""}
	chromeDeflate      = chromeCompression{"on", "permessage-deflate"}
	chromeNoTakeover   = chromeCompression{"no-takeover", "permessage-deflate; server_no_context_takeover"}
)

func (c chromeCompression) String() string {
	if c.extensions == "" {
		return "uncompressed"
	}
	return c.extensions
}

// wsURL is the ws:// URL of a socket of s.
func (s *chromeWSServer) wsURL(path string, c chromeCompression) string {
	return "ws" + strings.TrimPrefix(s.base, "http") + path + "?deflate=" + c.arg
}

// chromePayload is the page's payload(): exactly n bytes, binary or
// UTF-8 text repeating a phrase with characters of 1 to 4 bytes, with
// dots where a character would not fit.
func chromePayload(n int, binary bool) []byte {
	b := make([]byte, n)
	if binary {
		for i := range b {
			b[i] = byte(i*7 + i>>8)
		}
		return b
	}
	const unit = "Gornado héllo wörld ✓ 𝄞 "
	for i := range b {
		b[i] = unit[i%len(unit)]
	}
	k := n
	for k > 0 && !utf8.RuneStart(unit[k%len(unit)]) {
		k--
	}
	for i := k; i < n; i++ {
		b[i] = '.'
	}
	return b
}

// chromeBurst is the i-th message of the page's burst(): text and
// binary in turn, of 0 to 399 bytes.
func chromeBurst(i int) chromeRecord {
	if i%2 == 1 {
		return chromeRecordOf(chromePayload(i*37%400, true), true)
	}
	return chromeRecordOf(chromePayload(i*53%300, false), false)
}

// chromeScript is what /script sends on "send": fragmented (with
// Config.FragmentSize 4 KiB) even when compressed, since the first two
// hardly compress; the text's characters straddle fragments.
func chromeScript() []chromeMessage {
	r := rand.New(rand.NewPCG(1, 2))
	runes := []rune("aé✓𝄞 z<>&ü日本")
	var text strings.Builder
	for text.Len() < 200<<10 {
		text.WriteRune(runes[r.IntN(len(runes))])
	}
	noise := make([]byte, 256<<10)
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	return []chromeMessage{
		{[]byte(text.String()), false},
		{noise, true},
		{[]byte("short ✓"), false},
		{nil, true},
		{chromePayload(1<<20, false), false},
	}
}
