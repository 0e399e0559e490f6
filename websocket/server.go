package websocket

import (
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
)

// Handler receives a server connection's events, on the loop (Tornado's
// WebSocketHandler methods): Open once the 101 is sent, with the
// connection to keep for writing; OnMessage for each message; OnClose
// once, when the connection is closed, whichever side closed it and
// however (CloseCode and Err say how). A handler may also implement
// PingHandler and PongHandler. A panic in a method is logged and fails
// the connection with 1011.
type Handler interface {
	Open(c *Conn)
	OnMessage(msg *Message)
	OnClose()
}

// PingHandler is implemented by a Handler that wants the pings it
// receives (the pong is sent already).
type PingHandler interface {
	OnPing(data []byte)
}

// PongHandler is implemented by a Handler that wants the pongs it
// receives.
type PongHandler interface {
	OnPong(data []byte)
}

// Upgrade answers r, an opening handshake, and takes the connection
// over (Tornado's WebSocketHandler.get): it checks the request, lets
// cfg.CheckOrigin refuse it, picks a subprotocol with
// cfg.SelectSubprotocol and negotiates permessage-deflate if
// cfg.Compression is set, sends the 101 with what headers w already has
// (cookies, say), detaches the stream from the HTTP server, calls
// h.Open and starts reading frames.
//
// If the request is not a handshake it can accept, Upgrade returns a
// *HandshakeError and sets w's status (400; 403 from CheckOrigin; 405
// for a method other than GET, with Allow; 426 for another protocol
// version, with Sec-WebSocket-Version) but writes no body and does not
// finish w: the caller writes what it likes and calls w.Finish. If the
// client is gone it returns httpserver's error and w is finished.
// Loop-only.
func Upgrade(w *httpserver.Response, r *httpserver.Request, cfg Config, h Handler) (*Conn, error) {
	key, herr := checkRequest(w, r, &cfg)
	if herr != nil {
		w.SetStatus(herr.Status)
		return nil, herr
	}
	hdr := w.Header()
	var proto string
	if cfg.SelectSubprotocol != nil {
		offered := splitList(r.Header.Values("Sec-Websocket-Protocol"))
		if len(offered) > 0 {
			proto = cfg.SelectSubprotocol(offered)
		}
		if proto != "" && !slices.Contains(offered, proto) {
			proto = "" // not offered: none, rather than a handshake the client fails
		}
		if proto != "" {
			hdr.Set("Sec-WebSocket-Protocol", proto)
		}
	}
	var pmd *deflater
	if cfg.Compression != nil {
		if p, resp, ok := acceptDeflate(parseExtensions(r.Header.Values("Sec-Websocket-Extensions")), cfg.Compression); ok {
			pmd = &deflater{p: p}
			hdr.Set("Sec-WebSocket-Extensions", resp)
		}
	}
	w.SetStatus(101)
	hdr.Set("Upgrade", "websocket")
	hdr.Set("Connection", "Upgrade")
	hdr.Set("Sec-WebSocket-Accept", acceptKey(key))
	w.Flush() // the 101: Detach sends no head of its own
	s, err := w.Detach()
	if err != nil {
		return nil, err
	}
	c := newConn(s.Loop(), s, cfg.settings(), false)
	c.h, c.proto, c.pmd = h, proto, pmd
	c.start()
	return c, nil
}

// checkRequest checks a handshake as RFC 6455 §4.2.1 and Tornado do, and
// returns its key. Headers an error answer needs are set on w.
func checkRequest(w *httpserver.Response, r *httpserver.Request, cfg *Config) (string, *HandshakeError) {
	if r.Method != "GET" {
		w.Header().Set("Allow", "GET")
		return "", &HandshakeError{Status: 405, Message: "a WebSocket handshake is a GET"}
	}
	if !r.ProtoAtLeast(1, 1) {
		return "", &HandshakeError{Status: 400, Message: "a WebSocket handshake needs HTTP/1.1"}
	}
	if !headerHasToken(&r.Header, "Upgrade", "websocket") {
		return "", &HandshakeError{Status: 400, Message: `Can "Upgrade" only to "WebSocket".`}
	}
	if !headerHasToken(&r.Header, "Connection", "upgrade") {
		return "", &HandshakeError{Status: 400, Message: `"Connection" must be "Upgrade".`}
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = r.Header.Get("Sec-Websocket-Origin") // versions 7 and 8
	}
	if origin != "" {
		check := cfg.CheckOrigin
		if check == nil {
			check = sameOrigin
		}
		if !check(origin, r) {
			return "", &HandshakeError{Status: 403, Message: "Cross origin websockets not allowed"}
		}
	}
	switch r.Header.Get("Sec-Websocket-Version") {
	case "13", "8", "7": // the same framing; Tornado accepts the three
	default:
		w.Header().Set("Sec-WebSocket-Version", "7, 8, 13")
		return "", &HandshakeError{Status: 426, Message: "unsupported WebSocket version"}
	}
	key := strings.TrimSpace(r.Header.Get("Sec-Websocket-Key"))
	if k, err := base64.StdEncoding.DecodeString(key); err != nil || len(k) != 16 {
		return "", &HandshakeError{Status: 400, Message: "Missing/Invalid WebSocket key"}
	}
	return key, nil
}

// sameOrigin is Tornado's check_origin: the origin's host (and port) is
// the request's Host.
func sameOrigin(origin string, r *httpserver.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// acceptKey is Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2).
func acceptKey(key string) string {
	h := sha1.New()
	h.Write([]byte(key))
	h.Write([]byte("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// headerHasToken reports whether a comma-separated header has token,
// without regard to case.
func headerHasToken(h *httputil.Headers, name, token string) bool {
	for _, v := range h.Values(name) {
		if httputil.TokenListContains(v, token) {
			return true
		}
	}
	return false
}

// splitList splits comma-separated header values into trimmed items.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}
