package httpclient

import (
	"bytes"
	"time"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/iostream"
)

// Response is the result of a fetch, Tornado's HTTPResponse.
type Response struct {
	// Code is the status code, 599 when no response arrived.
	Code int
	// Reason is the reason phrase (the standard one when the server sent
	// none).
	Reason string
	// Header holds the response headers; Trailer a chunked body's
	// trailers.
	Header  httputil.Headers
	Trailer httputil.Headers
	// Body is the whole body (inflated), empty with a StreamingCallback.
	// Read it as a []byte, or as an io.Reader with BodyReader.
	Body []byte
	// EffectiveURL is the URL of the final response, after redirects.
	EffectiveURL string
	// Request is the request given to Fetch (Tornado's original_request).
	Request *Request
	// RequestTime is the time from Fetch to the end of the response,
	// queueing and redirects included; Timing breaks it down.
	RequestTime time.Duration
	// StartTime is when Fetch was called.
	StartTime time.Time
	Timing    Timing
	// Stream is the connection after a 101 Switching Protocols, for a
	// request with Takeover: the caller owns it (and must close it).
	Stream *iostream.IOStream
	// Error is the fetch's error: an *HTTPError for a non-2xx response or
	// a transport failure (599), nil for 2xx. It is what the fetch's
	// future fails with unless the request set NoRaise.
	Error error
}

// Timing is the breakdown of a fetch's time (Tornado's time_info), each
// measured on the loop's clock from Fetch. Phases that did not happen (no
// queueing, a reused connection) are zero.
type Timing struct {
	// Queue is the time spent waiting behind MaxClients.
	Queue time.Duration
	// Connect is the time to get a connection for the last request:
	// resolving, connecting, proxy tunnel and TLS handshake; zero when a
	// pooled connection was reused.
	Connect time.Duration
	// FirstByte is the time from Fetch to the first byte of the final
	// response.
	FirstByte time.Duration
	// Total is RequestTime.
	Total time.Duration
	// Redirects is how many redirects were followed.
	Redirects int
	// Reused reports whether the final response came over a pooled
	// keep-alive connection.
	Reused bool
}

// BodyReader returns a reader of Body.
func (r *Response) BodyReader() *bytes.Reader { return bytes.NewReader(r.Body) }

// OK reports whether the code is 2xx.
func (r *Response) OK() bool { return r.Code >= 200 && r.Code < 300 }
