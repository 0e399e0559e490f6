package httpserver

// Handler is what a Server serves: it gives each request a delegate, the
// object that receives the request as the connection reads it (Tornado's
// HTTPServerConnectionDelegate.start_request). StartRequest is called
// when a request's head has arrived; it picks the delegate from the head
// alone (a router does so from r.Host and r.Path) and may keep w and r
// until the response is finished.
//
// Most handlers want the whole request at once: HandlerFunc is that case.
// A Handler of its own routes once, at the head, and can take the body
// chunk by chunk as it arrives (an upload larger than memory), refuse it
// early, or take the connection over (Response.Detach).
type Handler interface {
	StartRequest(w *Response, r *Request) MessageDelegate
}

// MessageDelegate receives one request as the connection reads it,
// Tornado's HTTPMessageDelegate. The server calls, in order:
//
//   - HeadersReceived, once, with the head (r's fields are set, r.Body
//     is empty). The delegate may answer at once from the head (a 401, a
//     413 for a declared length it will not take): the server then reads
//     and drops the body, or closes the connection if reading it is not
//     worth it. It may call w.PauseReading until it is ready for the
//     body, or w.SetMaxBodySize to take a larger one.
//   - DataReceived for each piece of the body, as it arrives (inflated
//     when Config.DecompressRequest applies). chunk is valid only during
//     the call: copy what must be kept (or append it to r.Body).
//   - Finish once the body is complete (trailers are in r.Trailer).
//     The request is then the delegate's to answer, now or later.
//
// An error from HeadersReceived or DataReceived ends the request: it is
// answered with the error's status (a *StatusError's, or an
// httputil error's; otherwise 400) and the connection closes.
// OnConnectionClose is called instead of whatever would come next if the
// connection closes before the response is finished (the client went
// away, a timeout, a framing error), so a long poll can stop waiting.
//
// Every call is on the loop. The delegate is the place for per-request
// state: the server never keeps a map of requests.
type MessageDelegate interface {
	HeadersReceived(w *Response, r *Request) error
	DataReceived(chunk []byte) error
	Finish()
	OnConnectionClose()
}

// HandlerFunc serves whole requests: the server reads the body into
// r.Body, then calls the function, which answers through w and must call
// w.Finish, at once or later (from a callback or a coroutine). A type
// with a ServeRequest method serves as HandlerFunc(v.ServeRequest).
type HandlerFunc func(w *Response, r *Request)

// StartRequest returns a delegate, kept with the request (no
// allocation), that collects the body and then calls f.
func (f HandlerFunc) StartRequest(w *Response, r *Request) MessageDelegate {
	ex := w.ex
	ex.serve = f
	return (*wholeRequest)(ex)
}

// ServeRequest calls f(w, r).
func (f HandlerFunc) ServeRequest(w *Response, r *Request) { f(w, r) }

// wholeRequest is HandlerFunc's delegate: an exchange seen as the
// collector of its own body.
type wholeRequest exchange

func (d *wholeRequest) HeadersReceived(*Response, *Request) error { return nil }

func (d *wholeRequest) DataReceived(chunk []byte) error {
	d.req.Body = append(d.req.Body, chunk...)
	return nil
}

func (d *wholeRequest) Finish() { d.serve(&d.resp, &d.req) }

// OnConnectionClose does nothing: the connection runs the response's
// close callback (SetCloseCallback) after it, for every delegate.
func (d *wholeRequest) OnConnectionClose() {}
