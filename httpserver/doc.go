// Package httpserver is an HTTP/1.1 server on an ioloop.IOLoop, Tornado's
// HTTPServer and HTTP1Connection in Go.
//
// Each connection is a state machine that the loop's read and write events
// drive: the stream hands it bytes, it parses heads and bodies as they
// arrive (package httputil), calls the Handler, and writes the response.
// No goroutine belongs to a connection; a handler that never waits costs
// no goroutine switch, and one that waits (a gen coroutine, a timeout)
// finishes its Response later. Between requests a connection holds no
// buffer.
//
//	hello := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
//		w.Header().Set("Content-Type", "text/plain")
//		w.WriteString("Hello, world!")
//		w.Finish()
//	})
//	srv := httpserver.New(loop, hello, httpserver.Config{})
//	if err := srv.Listen("127.0.0.1:8888"); err != nil {
//		log.Fatal(err)
//	}
//	loop.Start()
//
// The server keeps HTTP/1.1 and HTTP/1.0 connections alive, answers
// pipelined requests in order, sends 100 Continue when a body is wanted,
// frames responses with Content-Length when the body is known at Finish
// and chunked otherwise, and closes after Connection: close either way.
// It rejects what RFC 9112 says a server must (both Content-Length and
// Transfer-Encoding, conflicting lengths, bad chunk sizes, invalid header
// bytes, obs-fold, a missing Host) with 400 and a closed connection, and
// enforces the limits and timeouts of Config (431, 413, slow heads and
// bodies, idle connections). Shutdown stops gracefully; Server.Run serves
// until a context ends; Group runs one loop per core on a shared port
// (SO_REUSEPORT).
//
// # Handlers and delegates
//
// A Handler is asked, once per request and as soon as its head has
// arrived, for a MessageDelegate: the object that receives that request's
// head, body pieces and end (Tornado's HTTPServerConnectionDelegate and
// HTTPMessageDelegate). HandlerFunc is the Handler whose delegate
// collects the whole body into Request.Body and then calls a function,
// which is what most code wants. A delegate of one's own takes the body as it arrives
// (an upload streamed to disk), refuses it from the head (answering, or
// returning a *StatusError), holds it back with Response.PauseReading,
// or takes the connection over with Response.Detach (a WebSocket, a
// CONNECT tunnel). Package web's Application is such a Handler: it routes
// once, at the head.
//
// Everything here is loop-only, except Server.Run, Group.Run and
// ListenAndServe, which run the loops themselves.
package httpserver
