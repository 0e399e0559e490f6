package web

import (
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
)

// BodyStreamer is a handler that takes its request body chunk by chunk as
// it arrives, instead of whole in Request.Body (Tornado's
// @stream_request_body), for uploads larger than memory.
//
// The handler is made when the request's head arrives; the XSRF check and
// Prepare run first (Prepare may set limits, or refuse with an error);
// then DataReceived gets each chunk, valid only during the call; the
// method (Put, Post...) runs once the body is complete. An error from
// DataReceived ends the request with its status (see HTTPError) and
// closes the connection: return NewHTTPError(413, ...) to refuse an
// upload that grows too large.
type BodyStreamer interface {
	DataReceived(chunk []byte) error
}

// bodyStream feeds a streaming handler its body. Chunks that arrive while
// Prepare runs are kept (copied) and replayed after it.
type bodyStream struct {
	h       *RequestHandler
	recv    BodyStreamer
	srv     *streamingServer
	key     *httpserver.Response
	ready   bool
	pending [][]byte
	done    future.Future[struct{}]
	err     error
}

// DataReceived is the server's BodyReceiver side.
func (b *bodyStream) DataReceived(chunk []byte) error {
	switch {
	case b.err != nil:
		return b.err
	case b.h.finished:
		return nil // answered already: the server drops the rest
	case !b.ready:
		b.pending = append(b.pending, append([]byte(nil), chunk...))
		return nil
	}
	return b.deliver(chunk)
}

func (b *bodyStream) deliver(chunk []byte) error {
	if err := b.recv.DataReceived(chunk); err != nil {
		b.fail(err)
		return err
	}
	return nil
}

// start runs after Prepare: the chunks kept so far go to the handler.
func (b *bodyStream) start() error {
	b.ready = true
	for len(b.pending) > 0 && b.err == nil {
		c := b.pending[0]
		b.pending = b.pending[1:]
		if err := b.deliver(c); err != nil {
			return err
		}
	}
	b.pending = nil
	return b.err
}

// complete runs when the whole body has arrived.
// Chunks still kept (Prepare is running) are delivered by wait.
func (b *bodyStream) complete() {
	if b.err == nil {
		b.done.SetResult(struct{}{})
	}
}

func (b *bodyStream) fail(err error) {
	if b.err == nil {
		b.err = err
		b.done.SetError(err)
	}
}

// wait runs in the handler's coroutine: deliver what came during Prepare,
// then wait for the end of the body.
func (b *bodyStream) wait(co *gen.Co) error {
	if err := b.start(); err != nil {
		return err
	}
	_, err := gen.Await(co, &b.done)
	return err
}

// end forgets the stream once the handler is finished.
func (b *bodyStream) end() {
	if b.srv != nil {
		delete(b.srv.pending, b.key)
		b.srv = nil
	}
}

// streamingServer is a loopServer for an application with streaming
// routes: it routes at the head, so streaming handlers see the body as it
// comes.
type streamingServer struct {
	*loopServer
	pending map[*httpserver.Response]*bodyStream
}

// HeadersReceived makes the handler of a streaming route and starts it.
func (s *streamingServer) HeadersReceived(w *httpserver.Response, r *httpserver.Request) httpserver.BodyReceiver {
	ru, args := s.app.route(r)
	if !ru.streams {
		return nil
	}
	h := s.app.newHandler(s.loop, ru, args, w, r)
	b := &bodyStream{h: h, recv: h.self.(BodyStreamer), srv: s, key: w}
	b.done.Init(s.loop)
	h.stream = b
	s.pending[w] = b
	gen.Go(s.loop, h.execute)
	return b
}

// ServeRequest completes a streamed body, or serves a buffered request.
func (s *streamingServer) ServeRequest(w *httpserver.Response, r *httpserver.Request) {
	if b, ok := s.pending[w]; ok {
		b.complete()
		return
	}
	s.loopServer.ServeRequest(w, r)
}
