// Package httputil implements HTTP/1.1 message syntax on byte slices:
// the parsing and formatting half of an HTTP/1.1 server or client, with
// no sockets, no goroutines and no event loop. It is the Go counterpart of
// Tornado's tornado/httputil.py and of the parsing parts of
// http1connection.py, made as strict as RFC 9112 and RFC 9110 require.
//
// # The model
//
// A connection owned by a single-goroutine event loop accumulates bytes in
// a buffer and calls into this package to make sense of them:
//
//  1. FindHeaderEndLimit tells whether the message head (start line and
//     header block) has fully arrived, and enforces the head size limit
//     (431 Request Header Fields Too Large).
//  2. SplitStartLine separates the start line, which ParseRequestLine or
//     ParseResponseLine decode, from the header block, which ParseHeaders
//     appends to a Headers value that the connection Resets and reuses.
//  3. BodyLength decides how the body is framed — Content-Length, chunked,
//     or (responses only) until close — rejecting every ambiguity that
//     enables request smuggling.
//  4. A chunked body is fed, as it arrives, to a ChunkedDecoder, which
//     returns the data without copying and parses the trailers.
//  5. The application may then use ParseQuery, ParseBodyArguments,
//     ParseCookie and ParseDate on what it received, and Cookie,
//     FormatDate, AppendResponseLine, Headers.AppendTo and AppendChunk to
//     build what it sends.
//
// Every parse error wraps one of the package's sentinel errors (ErrObsFold,
// ErrBadChunkSize, ...), usually inside a *ParseError carrying details;
// StatusCode maps an error to the status a server should answer with
// (400, 413, 431, 501 or 505).
//
// # Example
//
//	buf := []byte("GET /search?q=go HTTP/1.1\r\nHost: example.com\r\n\r\n")
//	end, err := httputil.FindHeaderEndLimit(buf, httputil.DefaultMaxHeaderSize)
//	if err != nil || end < 0 { /* 431, or wait for more bytes */ }
//	line, block := httputil.SplitStartLine(buf[:end])
//	req, err := httputil.ParseRequestLine(line)
//	if err != nil { /* answer httputil.StatusCode(err) and close */ }
//	var h httputil.Headers
//	if err := httputil.ParseHeaders(block, &h); err != nil { /* ... */ }
//	n, chunked, err := httputil.BodyLength(&h, true)
//	// req.Method == "GET", h.Get("host") == "example.com", n == 0, !chunked
//
// # Allocation
//
// The hot paths are written to allocate little: ParseHeaders makes one
// copy of the header block and slices every name and value out of it
// (well-known names in non-canonical case are interned), ParseRequestLine
// allocates only the target, the ChunkedDecoder returns subslices of its
// input, and the Append* functions append to a caller-owned buffer.
package httputil
