package web

import (
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// loopServer serves the application's requests on one loop: it is the
// httpserver.Handler, and routes each request once, at its head.
type loopServer struct {
	app  *Application
	loop *ioloop.IOLoop
}

// StartRequest routes a request by its head and returns its handler,
// as the request's delegate.
func (s *loopServer) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	ru, args := s.app.route(r)
	return (*handlerDelegate)(s.app.newHandler(s.loop, ru, args, w, r))
}

// handlerDelegate is a handler seen by the connection: the request's
// MessageDelegate. (A named type of RequestHandler, so the handler's own
// Finish and the delegate's do not meet.)
type handlerDelegate RequestHandler

// HeadersReceived starts a streaming handler at once: its XSRF check and
// Prepare run before the body is read, which waits until then.
func (d *handlerDelegate) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	h := (*RequestHandler)(d)
	if h.route.streams {
		b := newBodyStream(h)
		b.start = w.ResumeReading
		w.PauseReading()
		gen.Go(h.loop, h.execute)
	}
	return nil
}

// DataReceived passes a chunk to a streaming handler, or collects it.
func (d *handlerDelegate) DataReceived(chunk []byte) error {
	if d.stream != nil {
		return d.stream.deliver(chunk)
	}
	r := d.req.Request
	r.Body = append(r.Body, chunk...)
	return nil
}

// Finish runs the handler, or tells a streaming one its body is complete.
func (d *handlerDelegate) Finish() {
	if d.stream != nil {
		d.stream.complete()
		return
	}
	h := (*RequestHandler)(d)
	gen.Go(h.loop, h.execute)
}

// OnConnectionClose tells the handler the client went away.
func (d *handlerDelegate) OnConnectionClose() { (*RequestHandler)(d).onConnectionClose() }
