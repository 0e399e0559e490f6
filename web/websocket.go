package web

import (
	"errors"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/websocket"
)

// WebSocketHandler is Tornado's WebSocketHandler: embed it in a handler
// struct with an OnMessage method, and the route's GET becomes a
// WebSocket. The upgrade request goes through the handler's life like any
// (Prepare, cookies, CurrentUser, Authenticated); then the connection is
// taken over, and the handler's methods run on the loop for each event,
// with no goroutine of its own:
//
//	type EchoSocket struct {
//		web.WebSocketHandler
//	}
//
//	func (h *EchoSocket) OnMessage(m *websocket.Message) {
//		h.WriteMessage(m.Data, m.Binary)
//	}
//
// Optional methods, each as in Tornado: Open() (PathArgs has the route's
// groups), OnClose(), OnPing(data), OnPong(data),
// SelectSubprotocol(offered) string, CheckOrigin(origin) bool (the
// default accepts the same origin only), GetCompressionOptions()
// *websocket.CompressionConfig (nil: none). The application's
// Config.WebSocket sets the limits and keepalive (MaxMessageSize, 10 MiB
// by default; PingInterval, PingTimeout).
//
// Under ServeHTTP (net/http) there is no connection to take over: the
// upgrade is answered 501.
type WebSocketHandler struct {
	RequestHandler
	ws *websocket.Conn
}

// The optional methods of a WebSocketHandler's struct.
type (
	// WebSocketReceiver gets each message: text (Binary false, valid
	// UTF-8) or binary. It is the one method a WebSocket handler must have.
	WebSocketReceiver interface{ OnMessage(msg *websocket.Message) }
	// WebSocketOpener runs once the connection is open.
	WebSocketOpener interface{ Open() }
	// WebSocketCloser runs once when the connection has closed, whoever
	// closed it (CloseCode and CloseReason say how).
	WebSocketCloser interface{ OnClose() }
	// SubprotocolSelector picks one of the subprotocols the client
	// offered, or "" for none (Tornado's select_subprotocol).
	SubprotocolSelector interface{ SelectSubprotocol(offered []string) string }
	// OriginChecker accepts (true) or refuses (403) a handshake by its
	// Origin header (Tornado's check_origin); without it
	// Config.WebSocket.CheckOrigin decides (nil: the same origin only).
	OriginChecker interface{ CheckOrigin(origin string) bool }
	// CompressionChooser turns permessage-deflate on for the
	// connection when it returns non-nil, and off with nil, in place of
	// Config.WebSocket.Compression (Tornado's get_compression_options).
	CompressionChooser interface {
		GetCompressionOptions() *websocket.CompressionConfig
	}
)

var errNoWebSocketHere = &HTTPError{Code: 501, Message: "a WebSocket needs the HTTP/1.1 server, not net/http"}

// Get answers the opening handshake and takes the connection over.
func (h *WebSocketHandler) Get(co *gen.Co) error {
	recv, ok := h.self.(WebSocketReceiver)
	if !ok {
		return &HTTPError{Code: 500, Message: "a WebSocketHandler without OnMessage"}
	}
	w, err := h.RawResponse()
	if errors.Is(err, ErrNoRawResponse) {
		return errNoWebSocketHere
	}
	if err != nil {
		return err
	}
	cfg := h.Application.settings.WebSocket
	if s, ok := h.self.(SubprotocolSelector); ok {
		cfg.SelectSubprotocol = s.SelectSubprotocol
	}
	if c, ok := h.self.(OriginChecker); ok {
		cfg.CheckOrigin = func(origin string, _ *httpserver.Request) bool { return c.CheckOrigin(origin) }
	}
	if c, ok := h.self.(CompressionChooser); ok {
		cfg.Compression = c.GetCompressionOptions()
	}
	start := h.Request.StartTime
	req := h.Request.Request
	method, target, ip := req.Method, req.Target, req.RemoteIP
	_, err = websocket.Upgrade(w, req, cfg, &socketEvents{h: h, recv: recv})
	var he *websocket.HandshakeError
	if errors.As(err, &he) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteString(he.Message + "\n")
		w.Finish()
		h.Application.logAccess(he.Status, method, target, ip, h.loop.Time().Sub(start), he.Message)
		return nil
	}
	if err == nil {
		h.Application.LogAccess(101, method, target, ip, h.loop.Time().Sub(start))
	}
	return nil
}

// socketEvents hands the connection's events to the handler.
type socketEvents struct {
	h    *WebSocketHandler
	recv WebSocketReceiver
}

func (e *socketEvents) Open(c *websocket.Conn) {
	e.h.ws = c
	if o, ok := e.h.self.(WebSocketOpener); ok {
		o.Open()
	}
}

func (e *socketEvents) OnMessage(msg *websocket.Message) { e.recv.OnMessage(msg) }

func (e *socketEvents) OnClose() {
	if c, ok := e.h.self.(WebSocketCloser); ok {
		c.OnClose()
	}
}

func (e *socketEvents) OnPing(data []byte) {
	if p, ok := e.h.self.(websocket.PingHandler); ok {
		p.OnPing(data)
	}
}

func (e *socketEvents) OnPong(data []byte) {
	if p, ok := e.h.self.(websocket.PongHandler); ok {
		p.OnPong(data)
	}
}

// WriteMessage sends a message, binary or text (which must be UTF-8),
// and returns a future that completes once it is handed to the socket:
// a producer awaits it so as never to buffer without bound. It fails with
// websocket.ErrClosed once the connection is closing. Loop-only.
func (h *WebSocketHandler) WriteMessage(data []byte, binary bool) *future.Future[struct{}] {
	if h.ws == nil {
		return future.Failed[struct{}](h.loop, websocket.ErrClosed)
	}
	return h.ws.WriteMessage(data, binary)
}

// Close starts the closing handshake with code and reason (Tornado's
// close(code, reason)); OnClose runs once it is over. Loop-only.
func (h *WebSocketHandler) Close(code int, reason string) {
	if h.ws != nil {
		h.ws.Close(code, reason)
	}
}

// Ping sends a ping with data (at most 125 bytes). Loop-only.
func (h *WebSocketHandler) Ping(data []byte) error {
	if h.ws == nil {
		return websocket.ErrClosed
	}
	return h.ws.Ping(data)
}

// CloseCode and CloseReason are the peer's close code and reason, once
// the connection is closed (Tornado's close_code, close_reason).
func (h *WebSocketHandler) CloseCode() int {
	if h.ws == nil {
		return 0
	}
	return h.ws.CloseCode()
}

// CloseReason returns the peer's close reason, once the connection is
// closed: see CloseCode.
func (h *WebSocketHandler) CloseReason() string {
	if h.ws == nil {
		return ""
	}
	return h.ws.CloseReason()
}

// WebSocket returns the connection once open (nil before Open).
func (h *WebSocketHandler) WebSocket() *websocket.Conn { return h.ws }
