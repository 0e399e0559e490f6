package httpserver

import (
	"github.com/gornado/gornado/iostream"
)

// PauseReading stops reading the connection until ResumeReading: a
// delegate that is not ready for the body (an asynchronous check of the
// head, a Prepare that waits) calls it from HeadersReceived, and the
// body waits in the kernel, not in memory; the client's 100 Continue, if
// it asked for one, waits too. It is Tornado's flow control, where
// headers_received and data_received return an awaitable. The body
// timeout still runs. Loop-only.
func (w *Response) PauseReading() {
	if w.c != nil && !w.ex.done {
		w.c.pause()
		if w.ex.inflating {
			w.ex.held = true
		}
	}
}

// ResumeReading reads the connection again after PauseReading: what is
// buffered is delivered at once. A delegate may also pause and resume
// while a gzipped body inflates (from DataReceived): inflating waits
// meanwhile. Loop-only.
func (w *Response) ResumeReading() {
	c := w.c
	if c == nil || c.ex != w.ex || c.state != stBody {
		return
	}
	if w.ex.inflating {
		w.ex.held = false
		c.nextStep(w.ex)
		return
	}
	if err := c.startBody(); err != nil {
		c.reject(err)
		return
	}
	c.resume()
}

// SetMaxBodySize sets the largest request body this request may have,
// in place of Config.MaxBodySize (Tornado's set_max_body_size): a
// delegate that streams an upload to disk calls it from
// HeadersReceived to take more than the server buffers. It applies to
// the body as the delegate sees it (inflated, with DecompressRequest);
// past it the request is answered 413 and the connection closed. A
// gzipped body is held compressed until it is complete (compress/flate
// cannot inflate as bytes trickle in without a goroutine), so its
// compressed size stays bounded by Config.MaxBodySize whatever n is.
// Loop-only.
func (w *Response) SetMaxBodySize(n int64) {
	if w.ex == nil {
		return
	}
	w.ex.maxBody = n
	if w.c != nil && w.c.ex == w.ex {
		w.ex.body.SetLimit(w.c.frameLimit())
	}
}

// Detach takes the connection over, Tornado's HTTP1Connection.detach:
// the server forgets the connection and the stream is the caller's, with
// any bytes the client sent after the request already in its buffer. The
// caller owns the stream from then on: it sets its read handler and close
// callback (the server's are removed), and closes it.
//
// What the response flushed is already queued on the stream, and what was
// written after that is sent too; a head never flushed is not sent. So a
// protocol switch flushes its 101 (or a proxy its 200 to a CONNECT)
// first, then detaches; code that speaks the raw protocol itself (a
// hijacking net/http handler) detaches without flushing.
//
// The response counts as finished, and a server Shutdown no longer waits
// for the connection. Detach returns ErrFinished after Finish (or a first
// Detach), ErrConnectionClosed if the client is gone, and
// ErrResponseTooLarge (closing the connection) if what it would send
// passes the write bound. A delegate may
// detach at any point; bytes of the request's body that have not been
// read yet are then the caller's too. Loop-only.
func (w *Response) Detach() (*iostream.IOStream, error) {
	c := w.c
	if w.finished || c.ex != w.ex {
		return nil, ErrFinished
	}
	if c.s.Closed() || c.state == stClosed {
		w.finished = true
		return nil, ErrConnectionClosed
	}
	if w.started && len(w.body) > 0 {
		out := w.appendBody(c.srv.out[:0])
		err := c.s.Send(out)
		c.srv.out = out[:0]
		if err != nil {
			w.finished = true
			if c.s.Closed() {
				return nil, ErrConnectionClosed
			}
			return nil, c.tooLarge(len(out), err)
		}
	}
	w.finished = true
	s := c.s
	c.detach()
	return s, nil
}
