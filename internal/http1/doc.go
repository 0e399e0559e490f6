// Package http1 is the HTTP/1 connection core that the server
// (httpserver) and the client (httpclient) share, Tornado's
// http1connection in pieces a state machine can drive: the rules that
// are the same whichever end reads the message.
//
//   - Body frames one message body as its bytes arrive: a Content-Length,
//     the chunked coding with its trailers, or (responses only) until the
//     connection closes, with a limit on the decoded size.
//   - KeepAlive says whether a message lets its connection carry another
//     exchange (HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
//     "keep-alive").
//   - Inflate and Gunzip undo Content-Encoding: gzip, bounded, and tell a
//     truncated stream from a complete one.
//
// What differs between the two ends (which start line is read, what a
// parse error becomes: a 400 on the server, a 599 on the client) stays
// with them. Nothing here does I/O or starts a goroutine.
package http1
