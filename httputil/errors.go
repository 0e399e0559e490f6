package httputil

import (
	"errors"
	"fmt"
	"strconv"
)

// kindError is the type of the package's sentinel errors. Each sentinel
// carries the HTTP status code a server should answer with when it sees it.
type kindError struct {
	msg    string
	status int
}

func (e *kindError) Error() string { return e.msg }

// StatusCode returns the HTTP status code associated with the sentinel.
func (e *kindError) StatusCode() int { return e.status }

func newKind(msg string, status int) error {
	return &kindError{msg: "httputil: " + msg, status: status}
}

// Sentinel errors. Every error returned by a parser in this package either
// is one of these or wraps one (usually inside a *ParseError), so callers
// can classify failures with errors.Is and pick a response with StatusCode.
var (
	// ErrHeaderTooLarge reports a header block (or chunked trailer
	// section) larger than the configured limit. Status 431.
	ErrHeaderTooLarge = newKind("header block too large", 431)

	// ErrMalformedHeader reports a header line without a colon, or an
	// empty line in the middle of a header block. Status 400.
	ErrMalformedHeader = newKind("malformed header line", 400)

	// ErrInvalidHeaderName reports a field name that is empty, contains a
	// character that is not a token character (RFC 9110 §5.6.2), or is
	// followed by whitespace before the colon (RFC 9112 §5.1). Status 400.
	ErrInvalidHeaderName = newKind("invalid header field name", 400)

	// ErrInvalidHeaderValue reports a field value containing NUL, CR, LF or
	// another control character other than HTAB (RFC 9110 §5.5). Status 400.
	ErrInvalidHeaderValue = newKind("invalid header field value", 400)

	// ErrObsFold reports obsolete line folding: a header line that starts
	// with SP or HTAB (RFC 9112 §5.2). Status 400.
	ErrObsFold = newKind("obsolete line folding in header", 400)

	// ErrBadRequestLine reports a malformed request line: wrong number of
	// spaces, a method that is not a token, an empty or invalid target, or
	// a version that is not of the form HTTP/d.d. Status 400.
	ErrBadRequestLine = newKind("malformed request line", 400)

	// ErrBadStatusLine reports a malformed response status line. A client
	// has nobody to answer, so the status (502) is only indicative.
	ErrBadStatusLine = newKind("malformed status line", 502)

	// ErrUnsupportedVersion reports a well-formed HTTP version other than
	// HTTP/1.0 and HTTP/1.1. Status 505.
	ErrUnsupportedVersion = newKind("unsupported HTTP version", 505)

	// ErrBadContentLength reports a Content-Length that is not a decimal
	// number, is negative, overflows int64, or disagrees with another
	// Content-Length value (RFC 9112 §6.3). Status 400.
	ErrBadContentLength = newKind("invalid Content-Length", 400)

	// ErrConflictingFraming reports a message carrying both
	// Content-Length and Transfer-Encoding, a classic request-smuggling
	// vector (RFC 9112 §6.1, §6.3). Status 400.
	ErrConflictingFraming = newKind("both Content-Length and Transfer-Encoding present", 400)

	// ErrBadTransferEncoding reports a Transfer-Encoding whose final coding
	// is not "chunked", that applies chunked twice, or that is not a list
	// of tokens: the body length cannot be determined (RFC 9112 §6.3).
	// Status 400.
	ErrBadTransferEncoding = newKind("invalid Transfer-Encoding", 400)

	// ErrUnsupportedTransferEncoding reports a transfer coding this package
	// does not implement (anything but chunked, e.g. "gzip, chunked").
	// Status 501 (RFC 9112 §6.1).
	ErrUnsupportedTransferEncoding = newKind("unsupported transfer coding", 501)

	// ErrBadChunkSize reports a chunk-size that is empty, not hexadecimal,
	// longer than 16 digits, overflows int64, or whose line does not end
	// in CRLF. Status 400.
	ErrBadChunkSize = newKind("invalid chunk size", 400)

	// ErrBadChunkExtension reports a chunk extension that contains control
	// characters or makes the chunk-size line longer than the limit.
	// Status 400.
	ErrBadChunkExtension = newKind("invalid chunk extension", 400)

	// ErrBadChunk reports other chunked-coding errors: chunk data not
	// followed by CRLF, or a trailer line not ending in CRLF. Status 400.
	ErrBadChunk = newKind("malformed chunked body", 400)

	// ErrBodyTooLarge reports a body larger than the caller's limit.
	// Status 413.
	ErrBodyTooLarge = newKind("body too large", 413)

	// ErrBadGzip reports a body sent with Content-Encoding: gzip that does
	// not inflate: a bad header, corrupt data, or a stream cut short (a
	// missing end of the deflate data, CRC or length). Status 400.
	ErrBadGzip = newKind("malformed gzip body", 400)

	// ErrBadMultipart reports a malformed multipart/form-data body: missing
	// or invalid boundary, no closing delimiter, a part without headers or
	// without a form-data Content-Disposition carrying a name. Status 400.
	ErrBadMultipart = newKind("malformed multipart/form-data body", 400)

	// ErrBadDate reports a string that is none of the three HTTP date
	// formats of RFC 9110 §5.6.7. Status 400, though RFC 9110 asks
	// recipients of invalid conditional dates to ignore the field instead.
	ErrBadDate = newKind("invalid HTTP date", 400)

	// ErrInvalidCookie reports a Cookie whose name, value or attributes
	// would produce an invalid Set-Cookie header. It is a programming
	// error on the sending side, so its status is 500.
	ErrInvalidCookie = newKind("invalid cookie", 500)
)

// ParseError describes where and why parsing failed. Err is always one of
// the package's sentinel errors, so errors.Is(err, ErrObsFold) works on a
// *ParseError, and errors.As gives access to the details.
type ParseError struct {
	Err    error  // the sentinel error classifying the failure
	Detail string // human-readable explanation, may quote the input (escaped)
}

// Error returns the sentinel's message followed by the detail.
func (e *ParseError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel error, for errors.Is and errors.As.
func (e *ParseError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status code of the wrapped sentinel (see the
// package-level StatusCode function).
func (e *ParseError) StatusCode() int { return StatusCode(e.Err) }

// perr builds a *ParseError. It is only called on failure paths.
func perr(kind error, format string, args ...any) error {
	return &ParseError{Err: kind, Detail: fmt.Sprintf(format, args...)}
}

// snippet returns a short, quoted excerpt of b safe to put in a message.
func snippet[T ~string | ~[]byte](b T) string {
	const maxLen = 40
	if len(b) > maxLen {
		return strconv.Quote(string(b[:maxLen])) + "..."
	}
	return strconv.Quote(string(b))
}

// StatusCode returns the HTTP status code a server should send in response
// to err: 400 for malformed messages, 413 for ErrBodyTooLarge, 431 for
// ErrHeaderTooLarge, 501 for ErrUnsupportedTransferEncoding, 505 for
// ErrUnsupportedVersion. It returns 200 for a nil error and 500 for an
// error that does not come from this package (or does not wrap one of its
// sentinels). After any framing error (bad Content-Length,
// Transfer-Encoding or chunked coding) the server must also close the
// connection, because it no longer knows where the next request starts.
func StatusCode(err error) int {
	if err == nil {
		return 200
	}
	var k *kindError
	if errors.As(err, &k) {
		return k.status
	}
	return 500
}
