package web

import (
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
)

// BodyStreamer is a handler that takes its request body chunk by chunk as
// it arrives, instead of whole in Request.Body (Tornado's
// @stream_request_body), for uploads larger than memory.
//
// The handler is made when the request's head arrives; the XSRF check and
// Prepare run first, while the body waits in the kernel (Prepare may set
// a larger limit with SetMaxBodySize, or refuse with an error); then
// DataReceived gets each chunk, valid only during the call; the method
// (Put, Post...) runs once the body is complete. An error from
// DataReceived ends the request with its status (see HTTPError) and
// closes the connection: return NewHTTPError(413, ...) to refuse an
// upload that grows too large. The body is bounded, as any, by
// Config.Server.MaxBodySize unless the handler raises it.
type BodyStreamer interface {
	DataReceived(chunk []byte) error
}

// bodyStream feeds a streaming handler its body. The connection does not
// read the body until the handler waits for it (after Prepare).
type bodyStream struct {
	h     *RequestHandler
	recv  BodyStreamer
	start func() // reads the body: the connection's ResumeReading
	done  future.Future[struct{}]
	err   error
}

func newBodyStream(h *RequestHandler) *bodyStream {
	b := &bodyStream{h: h, recv: h.self.(BodyStreamer)}
	b.done.Init(h.loop)
	h.stream = b
	return b
}

// deliver passes a chunk to the handler.
func (b *bodyStream) deliver(chunk []byte) error {
	if b.err != nil {
		return b.err
	}
	if b.h.finished {
		return nil // answered already: the rest is dropped
	}
	if err := b.recv.DataReceived(chunk); err != nil {
		b.fail(err)
		return err
	}
	return nil
}

// complete runs when the whole body has arrived.
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

// wait runs in the handler's coroutine after Prepare: the body is read
// now, and wait returns once it is complete.
func (b *bodyStream) wait(co *gen.Co) error {
	b.start()
	_, err := gen.Await(co, &b.done)
	return err
}

// SetMaxBodySize sets the largest request body this request may have, in
// place of Config.Server.MaxBodySize (Tornado's
// request.connection.set_max_body_size): a BodyStreamer calls it from
// Prepare, before its body is read, to take a larger upload. Under
// net/http (ServeHTTP) the body is read before the handler runs, so it
// has no effect there. Loop-only.
func (h *RequestHandler) SetMaxBodySize(n int64) {
	if s, ok := h.out.(interface{ SetMaxBodySize(int64) }); ok {
		s.SetMaxBodySize(n)
	}
}
