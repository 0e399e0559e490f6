// Package web is Gornado's web framework, Tornado's tornado.web in Go: an
// Application routes requests to handlers, and each handler is a struct of
// yours that embeds RequestHandler and has a method per HTTP method.
//
//	type MainHandler struct {
//		web.RequestHandler
//	}
//
//	func (h *MainHandler) Get(co *gen.Co) error {
//		name, err := h.GetArgument("name", "world")
//		if err != nil {
//			return err
//		}
//		return h.Write("Hello, " + name)
//	}
//
//	func main() {
//		app, err := web.NewApplication([]web.Route{
//			{Pattern: `/`, Handler: web.Make[MainHandler]()},
//		}, web.Config{})
//		if err != nil {
//			log.Fatal(err)
//		}
//		loop, err := ioloop.New(ioloop.Config{})
//		if err != nil {
//			log.Fatal(err)
//		}
//		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
//		defer stop()
//		if err := app.Serve(ctx, loop, "127.0.0.1:8888"); err != nil {
//			log.Fatal(err)
//		}
//	}
//
// Make is the route's factory for a handler with nothing to set up; Init
// gives each new handler its dependencies (Tornado's initialize):
//
//	{Pattern: `/notes/([0-9]+)`, Handler: web.Init(func(h *NoteHandler) { h.store = store })}
//
// # A request's life
//
// For each request the application finds the first route whose pattern
// matches the whole path (and whose Host, if set, matches the host), makes
// a fresh handler with the route's factory, and runs, as one coroutine on
// the loop: the method check (405 with Allow), the XSRF check
// (Config.XSRFCookies), Prepare, the authentication check
// (Authenticated), the method, and Finish if the method did not finish.
// Finish runs OnFinish and writes the access log. The client closing the
// connection first runs OnConnectionClose.
//
// Handler methods are coroutines: they may gen.Await futures, gen.Sleep and
// so on, and a method that never waits costs no goroutine switch. They
// return an error to end the request: an *HTTPError (or any error with a
// StatusCode method) answers with its status, a FinishError ends early
// without an error (Tornado's raise Finish()), and anything else is a
// 500, logged with its stack. Error pages
// come from SendError and WriteError, which a handler may override
// (ErrorWriter).
//
// # What a handler has
//
// Input: GetArgument and its query- and body-only variants, DecodeJSON,
// Request (headers, cookies, remote IP, protocol, host, files, body).
// Output: SetStatus, SetHeader, Write (bytes, strings, or JSON), Flush
// (a future, for streaming), Finish, Redirect, Render (html/template).
// Cookies, plain and signed (Tornado's format). XSRF tokens. The logged-in
// user: CurrentUser, typed with User[T], from the handler's
// GetCurrentUser or a signed cookie (Config.UserCookie), required with
// Authenticated. Locale, the reader's language (package locale,
// Config.Translations, GetUserLocale), and _ in templates to translate.
// ETags with 304s, gzip (Config.Compress), a streamed request body
// (BodyStreamer). WebSockets: embed WebSocketHandler instead of
// RequestHandler.
//
// # Serving
//
// Serve runs a loop serving the application until a context ends; Listen
// serves on a loop you run; ListenAndServe on several loops, one per core;
// Handler plugs the application into an httpserver.Server of your own. An
// Application is also an http.Handler: net/http can serve it (with HTTP/2),
// running its handlers on a loop of the application's own (Loop), or on
// Config.Loop. A route may mount any http.Handler through package
// web/nethttp (a Container's Handler); it runs on a worker pool, never on
// the loop.
//
// Package webtest serves an application on a loopback port for tests.
package web
