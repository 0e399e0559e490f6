package websocket

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
)

// DialConfig sets up Dial: the connection's Config (whose
// SelectSubprotocol and CheckOrigin do not apply) and the handshake's
// request. The zero value works.
type DialConfig struct {
	Config
	// Subprotocols are offered in Sec-WebSocket-Protocol, in order of
	// preference; ClientConn.Subprotocol is the server's choice.
	Subprotocols []string
	// Header holds extra handshake headers (Cookie, Authorization,
	// Origin, ...).
	Header httputil.Headers
	// ConnectTimeout bounds connecting, proxy tunnel and TLS handshake
	// included; zero means httpclient's default (20 s), negative none.
	ConnectTimeout time.Duration
	// Request, when set, is the template of the handshake request: its
	// proxy, TLS, authentication, timeouts and headers are used (Dial
	// sets URL, Method, Takeover and the handshake headers on a copy).
	Request *httpclient.Request
	// OnMessage, when set, receives each message instead of ReadMessage
	// (Tornado's on_message_callback), and nil once the connection is
	// closed.
	OnMessage func(msg *Message)
	// OnPing and OnPong, when set, receive the pings (already answered)
	// and pongs that arrive.
	OnPing func(data []byte)
	OnPong func(data []byte)
}

// ClientConn is a client connection (Tornado's
// WebSocketClientConnection): a Conn, with ReadMessage to receive.
// Loop-only.
type ClientConn struct {
	*Conn
	queue     []*Message // received, not read yet: at most one
	readers   []*future.Future[*Message]
	onMessage func(*Message)
	onPing    func([]byte)
	onPong    func([]byte)
}

// Dial opens a WebSocket connection to rawURL, ws:// or wss:// (Tornado's
// websocket_connect), through client, or a client of its own if nil (so
// with client's proxy and TLS defaults, or cfg.Request's). The future
// fails with the *httpclient.HTTPError of a fetch that fails or gets an
// answer other than 101 (a 599 for a connection that failed), with a
// *HandshakeError matching ErrBadHandshake for a 101 that breaks RFC
// 6455, or with an error for a URL that is not ws or wss. Cancelling it
// abandons the handshake. Loop-only.
func Dial(loop *ioloop.IOLoop, client *httpclient.AsyncHTTPClient, rawURL string, cfg DialConfig) *future.Future[*ClientConn] {
	req, key, err := handshakeRequest(rawURL, &cfg)
	if err != nil {
		return future.Failed[*ClientConn](loop, err)
	}
	own := client == nil
	if own {
		client = httpclient.New(loop, httpclient.Config{MaxIdlePerHost: -1})
	}
	f := future.New[*ClientConn](loop)
	fetch := client.Fetch(req)
	f.AddDoneCallback(func(f *future.Future[*ClientConn]) {
		if f.Cancelled() {
			fetch.Cancel()
		}
	})
	fetch.AddDoneCallback(func(fetch *future.Future[*httpclient.Response]) {
		if own {
			client.Close()
		}
		resp, err := fetch.Result()
		switch {
		case f.Done():
			if err == nil && resp.Stream != nil {
				resp.Stream.Close()
			}
		case err != nil:
			f.SetError(err)
		case resp.Stream == nil:
			f.SetError(&HandshakeError{Status: resp.Code, Message: "the server did not switch protocols", Err: ErrBadHandshake})
		default:
			cc, err := open(loop, resp, key, &cfg)
			if err != nil {
				resp.Stream.Close()
				f.SetError(err)
				return
			}
			f.SetResult(cc)
			cc.start()
		}
	})
	return f
}

// handshakeRequest builds the opening handshake for rawURL and returns
// it with its key.
func handshakeRequest(rawURL string, cfg *DialConfig) (*httpclient.Request, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("websocket: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ws":
		u.Scheme = "http"
	case "wss":
		u.Scheme = "https"
	default:
		return nil, "", fmt.Errorf("websocket: URL scheme %q is not ws or wss", u.Scheme)
	}
	u.Fragment = ""
	req := new(httpclient.Request)
	if cfg.Request != nil {
		*req = *cfg.Request
		req.Header = *cfg.Request.Header.Clone()
	}
	req.URL, req.Method, req.Body, req.BodyProducer = u.String(), "GET", nil, nil
	req.Takeover, req.NoDecompress, req.NoFollowRedirects = true, true, true
	req.StreamingCallback, req.Expect100Continue = nil, false
	if cfg.ConnectTimeout != 0 {
		req.ConnectTimeout = cfg.ConnectTimeout
	}
	for k, v := range cfg.Header.All() {
		req.Header.Add(k, v)
	}
	var raw [16]byte
	rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", key)
	req.Header.Set("Sec-WebSocket-Version", "13")
	if len(cfg.Subprotocols) > 0 {
		req.Header.Set("Sec-WebSocket-Protocol", strings.Join(cfg.Subprotocols, ", "))
	}
	if cfg.Compression != nil {
		req.Header.Set("Sec-WebSocket-Extensions", deflateOffer(cfg.Compression))
	}
	return req, key, nil
}

// open checks the server's 101 and makes the connection.
func open(loop *ioloop.IOLoop, resp *httpclient.Response, key string, cfg *DialConfig) (*ClientConn, error) {
	bad := func(msg string) error {
		return &HandshakeError{Status: resp.Code, Message: msg, Err: ErrBadHandshake}
	}
	h := &resp.Header
	if !headerHasToken(h, "Upgrade", "websocket") {
		return nil, bad(`no "Upgrade: websocket"`)
	}
	if !headerHasToken(h, "Connection", "upgrade") {
		return nil, bad(`no "Connection: Upgrade"`)
	}
	if h.Get("Sec-Websocket-Accept") != acceptKey(key) {
		return nil, bad("wrong Sec-WebSocket-Accept")
	}
	proto := h.Get("Sec-Websocket-Protocol")
	if proto != "" && !slices.Contains(cfg.Subprotocols, proto) {
		return nil, bad("subprotocol " + proto + " was not offered")
	}
	p, on, ok := agreeDeflate(parseExtensions(h.Values("Sec-Websocket-Extensions")), cfg.Compression)
	if !ok {
		return nil, bad("extensions not offered: " + strings.Join(h.Values("Sec-Websocket-Extensions"), ", "))
	}
	c := newConn(loop, resp.Stream, cfg.settings(), true)
	c.proto = proto
	if on {
		c.pmd = &deflater{p: p}
	}
	cc := &ClientConn{Conn: c, onMessage: cfg.OnMessage, onPing: cfg.OnPing, onPong: cfg.OnPong}
	c.cc = cc
	return cc, nil
}

// ReadMessage returns the future of the next message, or of nil once the
// connection is closed and every message was read (Tornado's
// read_message). While a received message waits to be read the
// connection reads no further (pings included), so a slow reader holds
// one message, not a queue. Reads may be pending several at a time and
// complete in order. With DialConfig.OnMessage set it fails: messages go
// to the callback. Loop-only.
func (cc *ClientConn) ReadMessage() *future.Future[*Message] {
	if cc.onMessage != nil {
		return future.Failed[*Message](cc.loop, fmt.Errorf("websocket: ReadMessage with DialConfig.OnMessage set"))
	}
	if len(cc.queue) > 0 {
		m := cc.queue[0]
		cc.queue = slices.Delete(cc.queue, 0, 1)
		cc.resume()
		return future.Resolved(cc.loop, m)
	}
	if cc.state == stateClosed {
		return future.Resolved[*Message](cc.loop, nil)
	}
	f := future.New[*Message](cc.loop)
	cc.readers = append(cc.readers, f)
	cc.resume()
	return f
}

// received takes a message from the connection.
func (cc *ClientConn) received(m *Message) {
	if cc.onMessage != nil {
		cc.onMessage(m)
		return
	}
	for len(cc.readers) > 0 {
		f := cc.readers[0]
		cc.readers = slices.Delete(cc.readers, 0, 1)
		if f.SetResult(m) {
			return // (a cancelled read takes nothing)
		}
	}
	cc.queue = append(cc.queue, m)
	cc.pause()
}

func (cc *ClientConn) pause() {
	if !cc.paused && cc.state != stateClosed {
		cc.paused = true
		cc.s.SetReadHandler(nil)
	}
}

func (cc *ClientConn) resume() {
	if cc.paused && len(cc.queue) == 0 {
		cc.paused = false
		if cc.state != stateClosed {
			cc.s.SetReadHandler((*connReader)(cc.Conn))
		}
	}
}

// closed ends the reads: nil for each pending one and for the callback.
func (cc *ClientConn) closed() {
	if cc.onMessage != nil {
		cc.onMessage(nil)
		return
	}
	for _, f := range cc.readers {
		f.SetResult(nil)
	}
	cc.readers = nil
}
