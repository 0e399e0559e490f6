// Package websocket is RFC 6455 WebSocket with RFC 7692 permessage-deflate
// on the loop, Tornado's tornado.websocket in Go: a server side that takes
// over an HTTP request (Upgrade, which package web's WebSocketHandler
// calls) and a client (Dial, Tornado's websocket_connect).
//
// A connection is a state machine in its stream's read handler: frames
// are parsed as bytes arrive, a payload is unmasked into its message as
// it comes (the stream buffers at most a frame header or one control
// frame), and a Handler's methods are called on the loop. No goroutine
// belongs to a connection, and an idle one holds no buffer: its cost is
// the stream's, plus the Conn (see "Memory" below).
//
// The smallest echo server, on an httpserver:
//
//	type echo struct{ c *websocket.Conn }
//
//	func (e *echo) Open(c *websocket.Conn)          { e.c = c }
//	func (e *echo) OnMessage(m *websocket.Message) { e.c.WriteMessage(m.Data, m.Binary) }
//	func (e *echo) OnClose()                       {}
//
//	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
//		if _, err := websocket.Upgrade(w, r, websocket.Config{}, &echo{}); err != nil {
//			w.WriteString(err.Error()) // a *HandshakeError set the status
//			w.Finish()
//		}
//	}), httpserver.Config{})
//
// and a client, in a coroutine:
//
//	c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://127.0.0.1:8888/", websocket.DialConfig{}))
//	if err != nil {
//		return err
//	}
//	defer c.Close(websocket.CloseNormal, "")
//	if _, err := gen.Await(co, c.WriteMessage([]byte("hello"), false)); err != nil {
//		return err
//	}
//	m, err := gen.Await(co, c.ReadMessage()) // nil once closed
//
// # The protocol
//
// Messages may come fragmented, with control frames between fragments,
// and go out fragmented with Config.FragmentSize. The connection fails
// (a close frame with the code, then the end of the connection) with
// 1002 for reserved bits or opcodes, a length not in its shortest
// encoding, a fragmented or oversized control frame, a continuation out
// of place, an unmasked frame from a client or a masked one from a
// server, or a close frame with a bad code; 1007 for
// text (whole or across fragments, checked as each fragment arrives) or
// a close reason that is not UTF-8, and for compressed data that does
// not inflate; 1009 for a message over Config.MaxMessageSize (Tornado's
// 10 MiB default), checked against each frame's declared length before
// its payload is read and, for a compressed message, while inflating.
// A failing connection shuts its sending half down after the close frame
// and drops what the peer still sends until the peer closes its end (at
// most CloseTimeout): closing the socket at once would answer the peer's
// unread bytes with a reset, on which a peer still writing may fail
// before it reads the close frame. The close handshake echoes the peer's
// code; the server closes the TCP connection, the client waits for it,
// both at most CloseTimeout.
// Keepalive pings (PingInterval, PingTimeout) use one loop timer per
// connection.
//
// # Compression
//
// permessage-deflate is off unless Config.Compression is set, as in
// Tornado. The server accepts the client's first offer it can honour and
// echoes its parameters, as Tornado; the client offers
// "permessage-deflate; client_max_window_bits". Context takeover is on
// both ways unless a side turns it off (CompressionConfig.NoContextTakeover,
// or the peer's *_no_context_takeover). Go's compress/flate always
// compresses with a 32 KiB (15-bit) window and cannot be given a smaller
// one, so: a bound on the peer's window costs nothing (flate inflates any
// window); a bound below 15 on this side's window (server_max_window_bits
// offered to a server, client_max_window_bits answered to a client) is
// honoured by compressing with Huffman coding only, which makes no
// back-references at all.
//
// # Memory
//
// Heap per idle server connection, its stream included, after one
// message each way, measured with BenchmarkIdleConnMemory (go test -run
// '^$' -bench IdleConnMemory -benchtime 1x ./websocket; clients are raw
// sockets, so only the server is counted):
//
//	uncompressed                                   750 B
//	deflate, context takeover both ways (default)  1.24 MB
//	deflate, server no context takeover            33.5 KB
//	deflate, no context takeover either way        790 B
//
// With context takeover the connection keeps its compress/flate writer,
// which is 1.2 MB at flate.BestSpeed (the default level; 0.8 MB at level
// 6, 0.7 MB Huffman-only: its hash tables are arrays, whatever the
// level), and 32 KiB of history to inflate the peer's messages. Without
// it (CompressionConfig.NoContextTakeover) the writer comes from a pool
// for one message at a time, and without the peer's, so does the reader:
// what is left is the deflater's few words. Tornado's zlib compressor
// with its default mem_level 8 keeps about 256 KB per connection.
//
// # Which goroutine
//
// Upgrade, Dial and every method of Conn and ClientConn are loop-only;
// Handler methods and the futures' callbacks run on the loop.
package websocket
