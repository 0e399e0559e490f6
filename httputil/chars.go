package httputil

// Character classes used by the parsers, as a 256-entry table so the hot
// loops do one load and one test per byte.
const (
	cToken  = 1 << iota // tchar, RFC 9110 §5.6.2
	cValue              // field-vchar, SP or HTAB: allowed in a field value (RFC 9110 §5.5)
	cTarget             // allowed in a request-target: anything but CTLs, SP and DEL
	cHex                // HEXDIG
	cLower              // a-z
	cUpper              // A-Z
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		isAlnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		if isAlnum {
			t[c] |= cToken
		}
		switch b {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			t[c] |= cToken
		}
		if b == ' ' || b == '\t' || b > 0x20 && b != 0x7f {
			t[c] |= cValue
		}
		if b > 0x20 && b != 0x7f {
			t[c] |= cTarget
		}
		if '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' {
			t[c] |= cHex
		}
		if 'a' <= b && b <= 'z' {
			t[c] |= cLower
		}
		if 'A' <= b && b <= 'Z' {
			t[c] |= cUpper
		}
	}
	return t
}()

func isTokenChar(b byte) bool { return charClass[b]&cToken != 0 }

// ValidHeaderName reports whether name is a valid field name: a non-empty
// token (RFC 9110 §5.1). It returns false for anything else.
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if charClass[name[i]]&cToken == 0 {
			return false
		}
	}
	return true
}

// ValidHeaderValue reports whether value may be sent as a field value: no
// NUL, CR, LF, DEL or other control characters except HTAB, and no
// leading or trailing whitespace (RFC 9110 §5.5). It returns false
// otherwise.
func ValidHeaderValue(value string) bool {
	if value != "" && (isOWS(value[0]) || isOWS(value[len(value)-1])) {
		return false
	}
	return validValueChars(value)
}

func validValueChars[T ~string | ~[]byte](v T) bool {
	for i := 0; i < len(v); i++ {
		if charClass[v[i]]&cValue == 0 {
			return false
		}
	}
	return true
}

func isOWS(b byte) bool { return b == ' ' || b == '\t' }

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS[T ~string | ~[]byte](s T) T {
	i, j := 0, len(s)
	for i < j && isOWS(s[i]) {
		i++
	}
	for j > i && isOWS(s[j-1]) {
		j--
	}
	return s[i:j]
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// equalFold reports whether a and b are equal under ASCII case folding.
// Unlike strings.EqualFold it never folds non-ASCII runes (such as the
// Kelvin sign to "k"), which matters for security-relevant header names.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// isCanonical reports whether the token s is already in canonical form.
func isCanonical[T ~string | ~[]byte](s T) bool {
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return true
}

// canonicalize writes the canonical form of token s into dst (len(dst) >=
// len(s)).
func canonicalize[T ~string | ~[]byte](dst []byte, s T) {
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
		upper = c == '-'
	}
}

// CanonicalName returns the canonical form of a header field name: the
// first letter and every letter after a hyphen upper-cased, the rest
// lower-cased ("content-type" -> "Content-Type"), as
// net/textproto.CanonicalMIMEHeaderKey and Tornado do. If name is not a
// valid token it is returned unchanged. Well-known names are interned, so
// canonicalising them does not allocate.
func CanonicalName(name string) string {
	if !ValidHeaderName(name) || isCanonical(name) {
		return name
	}
	return canonicalString(name)
}

// canonicalString returns the canonical form of the (valid, non-canonical)
// token s, allocating only for names that are not well known.
func canonicalString[T ~string | ~[]byte](s T) string {
	var buf [64]byte
	if len(s) <= len(buf) {
		canonicalize(buf[:len(s)], s)
		if c, ok := commonHeaders[string(buf[:len(s)])]; ok {
			return c
		}
		return string(buf[:len(s)])
	}
	b := make([]byte, len(s))
	canonicalize(b, s)
	return string(b)
}

// commonHeaders interns well-known canonical names.
var commonHeaders = func() map[string]string {
	names := []string{
		"Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language",
		"Accept-Ranges", "Access-Control-Allow-Credentials",
		"Access-Control-Allow-Headers", "Access-Control-Allow-Methods",
		"Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
		"Access-Control-Max-Age", "Access-Control-Request-Headers",
		"Access-Control-Request-Method", "Age", "Allow", "Authorization",
		"Cache-Control", "Connection", "Content-Disposition",
		"Content-Encoding", "Content-Language", "Content-Length",
		"Content-Location", "Content-Range", "Content-Type", "Cookie", "Date",
		"Dnt", "Etag", "Expect", "Expires", "Forwarded", "From", "Host",
		"If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
		"If-Unmodified-Since", "Keep-Alive", "Last-Modified", "Link",
		"Location", "Max-Forwards", "Origin", "Pragma", "Priority",
		"Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
		"Range", "Referer", "Retry-After", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile",
		"Sec-Ch-Ua-Platform", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
		"Sec-Fetch-Site", "Sec-Fetch-User", "Sec-Websocket-Accept",
		"Sec-Websocket-Extensions", "Sec-Websocket-Key",
		"Sec-Websocket-Protocol", "Sec-Websocket-Version", "Server",
		"Set-Cookie", "Strict-Transport-Security", "Te", "Trailer",
		"Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests",
		"User-Agent", "Vary", "Via", "Warning", "Www-Authenticate",
		"X-Content-Type-Options", "X-Csrftoken", "X-Forwarded-For",
		"X-Forwarded-Host", "X-Forwarded-Proto", "X-Frame-Options",
		"X-Real-Ip", "X-Requested-With", "X-Xsrftoken",
	}
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = n
	}
	return m
}()
