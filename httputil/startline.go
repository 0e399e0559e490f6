package httputil

import (
	"bytes"
	"strconv"
)

// RequestLine is a parsed HTTP/1.x request line (RFC 9112 §3):
// "GET /index.html?x=1 HTTP/1.1".
type RequestLine struct {
	Method  string // a token, case-sensitive ("GET", "POST", ...)
	Target  string // the request-target as sent (origin, absolute, authority or asterisk form)
	Version string // "HTTP/1.0" or "HTTP/1.1"
}

// ResponseLine is a parsed HTTP/1.x status line (RFC 9112 §4):
// "HTTP/1.1 404 Not Found".
type ResponseLine struct {
	Version string // "HTTP/1.0" or "HTTP/1.1"
	Code    int    // three-digit status code, 100..999
	Reason  string // reason phrase, possibly empty
}

const (
	http10 = "HTTP/1.0"
	http11 = "HTTP/1.1"
)

// trimEOL removes one trailing CRLF or LF.
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line
}

// parseVersion checks an HTTP-version (RFC 9112 §2.3). ok is false if v
// is not of the form HTTP/DIGIT.DIGIT; s is "" if it is well-formed but
// not HTTP/1 (HTTP/1.2 and later minor versions are "HTTP/1.1").
func parseVersion(v []byte) (s string, ok bool) {
	if len(v) != 8 || string(v[:5]) != "HTTP/" || v[6] != '.' ||
		v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9' {
		return "", false
	}
	switch string(v) {
	case http11:
		return http11, true
	case http10:
		return http10, true
	}
	if v[5] == '1' {
		// A later minor version of HTTP/1 is read as the highest one
		// implemented (RFC 9110 §2.5): HTTP/1.2 is HTTP/1.1.
		return http11, true
	}
	return "", true
}

// ParseRequestLine parses a request line such as "GET / HTTP/1.1", with
// or without its trailing CRLF. The three parts must be separated by
// exactly one SP (RFC 9112 §3, no lenient whitespace splitting).
//
// It returns a *ParseError wrapping ErrBadRequestLine if the method is not
// a token, the target is empty or contains whitespace or control
// characters, or the version is not HTTP/DIGIT.DIGIT; and one wrapping
// ErrUnsupportedVersion (answer 505) for a well-formed version whose major
// number is not 1. A minor version past 1 reads as HTTP/1.1 (RFC 9110
// §2.5: HTTP/1.2 is processed as the highest 1.x implemented). Bytes >= 0x80 are accepted in the target, as
// Tornado does; decoding them is the application's business.
//
// Common methods are interned, so a typical call allocates only the
// target string (nothing for "/").
func ParseRequestLine(line []byte) (RequestLine, error) {
	rl, err := parseRequestLine(line)
	if err == nil && rl.Target == "" {
		sp1 := bytes.IndexByte(line, ' ')
		sp2 := bytes.IndexByte(line[sp1+1:], ' ')
		rl.Target = string(line[sp1+1 : sp1+1+sp2])
	}
	return rl, err
}

// parseRequestLine checks a request line and returns it with Target left
// empty unless it is "/", so callers choose how to make the string.
func parseRequestLine(line []byte) (RequestLine, error) {
	line = trimEOL(line)
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 {
		return RequestLine{}, perr(ErrBadRequestLine, "%s", snippet(line))
	}
	method := line[:sp1]
	for _, c := range method {
		if charClass[c]&cToken == 0 {
			return RequestLine{}, perr(ErrBadRequestLine, "invalid method %s", snippet(method))
		}
	}
	rest := line[sp1+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		return RequestLine{}, perr(ErrBadRequestLine, "%s", snippet(line))
	}
	target, version := rest[:sp2], rest[sp2+1:]
	for _, c := range target {
		if charClass[c]&cTarget == 0 {
			return RequestLine{}, perr(ErrBadRequestLine, "invalid target %s", snippet(target))
		}
	}
	v, ok := parseVersion(version)
	if !ok {
		return RequestLine{}, perr(ErrBadRequestLine, "invalid version %s", snippet(version))
	}
	if v == "" {
		return RequestLine{}, perr(ErrUnsupportedVersion, "%s", snippet(version))
	}
	rl := RequestLine{Method: internMethod(method), Version: v}
	if len(target) == 1 && target[0] == '/' {
		rl.Target = "/"
	}
	return rl, nil
}

func internMethod(m []byte) string {
	switch string(m) {
	case "GET":
		return "GET"
	case "POST":
		return "POST"
	case "HEAD":
		return "HEAD"
	case "PUT":
		return "PUT"
	case "DELETE":
		return "DELETE"
	case "OPTIONS":
		return "OPTIONS"
	case "PATCH":
		return "PATCH"
	case "CONNECT":
		return "CONNECT"
	case "TRACE":
		return "TRACE"
	}
	return string(m)
}

// ParseResponseLine parses a status line such as "HTTP/1.1 200 OK", with
// or without its trailing CRLF. The reason phrase may be empty, and the SP
// before it may be missing ("HTTP/1.1 204"), a common deviation.
//
// It returns a *ParseError wrapping ErrBadStatusLine if the version is
// malformed, the code is not three digits (100..999), or the reason
// contains control characters other than HTAB; and one wrapping
// ErrUnsupportedVersion for a version whose major number is not 1 (a later
// minor version reads as HTTP/1.1).
func ParseResponseLine(line []byte) (ResponseLine, error) {
	line = trimEOL(line)
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return ResponseLine{}, perr(ErrBadStatusLine, "%s", snippet(line))
	}
	v, ok := parseVersion(line[:sp])
	if !ok {
		return ResponseLine{}, perr(ErrBadStatusLine, "invalid version %s", snippet(line[:sp]))
	}
	if v == "" {
		return ResponseLine{}, perr(ErrUnsupportedVersion, "%s", snippet(line[:sp]))
	}
	rest := line[sp+1:]
	if len(rest) < 3 || len(rest) > 3 && rest[3] != ' ' {
		return ResponseLine{}, perr(ErrBadStatusLine, "invalid status code in %s", snippet(line))
	}
	code := 0
	for _, c := range rest[:3] {
		if c < '0' || c > '9' {
			return ResponseLine{}, perr(ErrBadStatusLine, "invalid status code in %s", snippet(line))
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return ResponseLine{}, perr(ErrBadStatusLine, "invalid status code in %s", snippet(line))
	}
	var reason []byte
	if len(rest) > 4 {
		reason = rest[4:]
	}
	if !validValueChars(reason) {
		return ResponseLine{}, perr(ErrBadStatusLine, "invalid reason %s", snippet(reason))
	}
	rl := ResponseLine{Version: v, Code: code}
	if std := StatusText(code); std == string(reason) {
		rl.Reason = std
	} else {
		rl.Reason = string(reason)
	}
	return rl, nil
}

// AppendRequestLine appends "method SP target SP version CRLF" to buf and
// returns the extended buffer. The caller is responsible for passing a
// token method and a target without whitespace or control characters.
func AppendRequestLine(buf []byte, method, target, version string) []byte {
	buf = append(buf, method...)
	buf = append(buf, ' ')
	buf = append(buf, target...)
	buf = append(buf, ' ')
	buf = append(buf, version...)
	return append(buf, '\r', '\n')
}

// AppendResponseLine appends "version SP code SP reason CRLF" to buf and
// returns the extended buffer. An empty reason is replaced by
// StatusText(code); control characters in reason are replaced by spaces so
// that a reason taken from user input cannot split the response.
func AppendResponseLine(buf []byte, version string, code int, reason string) []byte {
	if reason == "" {
		reason = StatusText(code)
	}
	buf = append(buf, version...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(code), 10)
	buf = append(buf, ' ')
	for i := 0; i < len(reason); i++ {
		c := reason[i]
		if charClass[c]&cValue == 0 {
			c = ' '
		}
		buf = append(buf, c)
	}
	return append(buf, '\r', '\n')
}
