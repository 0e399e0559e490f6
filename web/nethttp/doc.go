// Package nethttp mounts net/http handlers in a Gornado application,
// Tornado's WSGIContainer and FallbackHandler in Go, run the way Waitress
// runs a WSGI application: on a fixed pool of workers that never touch a
// socket.
//
//	legacy := nethttp.NewContainer(mux, nethttp.Config{Threads: 4})
//	defer legacy.Close()
//	app, err := web.NewApplication([]web.Route{
//		{Pattern: `/`, Handler: web.Make[MainHandler]()},
//		{Pattern: `/legacy/.*`, Handler: legacy.Handler()},
//	}, web.Config{})
//
// The loop reads the whole request; a worker runs the handler, which
// writes into a buffer; the loop sends what it wrote. A body over 64 KiB,
// or one the handler flushes (http.Flusher), streams; a worker more than
// 1 MiB ahead of a slow client waits for it, so memory stays bounded. A
// panic answers 500 (and is logged) unless the headers went out; the
// request's context ends when the client goes away. The handler may take
// the connection over (http.Hijacker): the socket leaves the loop and
// becomes an ordinary net.Conn on the handler's goroutine, so
// gorilla/websocket and other hijacking handlers work mounted.
//
// The mounted route is a web handler (FallbackHandler), so the
// application's checks apply to it as to any handler: web.Config.XSRFCookies
// checks POST, PUT, PATCH and DELETE (as Tornado's FallbackHandler does;
// Config.NoXSRF turns that off for an application with checks of its
// own), and web.Authenticated(c.Handler()) sends visitors who are not
// logged in (Config.CurrentUser says who is) to the login page.
//
// When the application itself is served by net/http (Application's
// ServeHTTP), a mounted handler is called directly on net/http's
// goroutine.
package nethttp
