package httputil

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseCookie parses a Cookie request header into a name -> value map,
// exactly as Tornado's parse_cookie does, which in turn mimics browsers
// rather than RFC 6265:
//
//   - the header is split on ";", and each piece on its first "=";
//   - a piece without "=" is a value with an empty name (Mozilla bug
//     169091);
//   - names and values are trimmed of whitespace; pieces where both are
//     empty are dropped;
//   - values in double quotes are unquoted with Python's http.cookies
//     rules (\ooo octal escapes and \c escapes);
//   - a later cookie with the same name overwrites an earlier one.
//
// ParseCookie never fails; it returns an empty (non-nil) map for an empty
// header.
func ParseCookie(header string) map[string]string {
	m := make(map[string]string, strings.Count(header, ";")+1)
	for header != "" {
		var chunk string
		chunk, header, _ = strings.Cut(header, ";")
		name, value, ok := strings.Cut(chunk, "=")
		if !ok {
			name, value = "", chunk
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if name != "" || value != "" {
			m[name] = unquoteCookie(value)
		}
	}
	return m
}

// unquoteCookie is Python's http.cookies._unquote.
func unquoteCookie(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) && '0' <= s[i+1] && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			r := rune(s[i+1]-'0')<<6 | rune(s[i+2]-'0')<<3 | rune(s[i+3]-'0')
			b = utf8.AppendRune(b, r) // a code point, as Python's chr()
			i += 3
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

// SameSite is the value of a cookie's SameSite attribute.
type SameSite uint8

// SameSite values. SameSiteDefault omits the attribute. Browsers reject
// SameSite=None without Secure.
const (
	SameSiteDefault SameSite = iota
	SameSiteLax
	SameSiteStrict
	SameSiteNone
)

// Cookie is a cookie to send in a Set-Cookie response header (RFC 6265
// §4.1).
type Cookie struct {
	Name     string
	Value    string
	Path     string    // omitted if empty
	Domain   string    // omitted if empty
	Expires  time.Time // omitted if zero
	MaxAge   int       // 0: omitted; < 0: "Max-Age=0" (delete now); > 0: seconds
	Secure   bool
	HttpOnly bool
	SameSite SameSite
}

// Valid reports whether c can be serialised into a valid Set-Cookie
// header. It returns nil, or a *ParseError wrapping ErrInvalidCookie when
// the name is not a token; the value contains characters outside RFC 6265
// cookie-octets other than space and comma (a value with those is sent
// quoted, as net/http does), such as control characters, '"', ';', '\'
// or non-ASCII bytes; Path or Domain contain control characters or ';';
// Domain contains anything but letters, digits, '.', '-' and '_'; or
// Expires is before year 1601. Encode arbitrary data (e.g. base64url)
// before putting it in a cookie.
func (c *Cookie) Valid() error {
	if !ValidHeaderName(c.Name) {
		return perr(ErrInvalidCookie, "name %s", snippet(c.Name))
	}
	for i := 0; i < len(c.Value); i++ {
		if b := c.Value[i]; !cookieOctet(b) && b != ' ' && b != ',' {
			return perr(ErrInvalidCookie, "value %s", snippet(c.Value))
		}
	}
	for i := 0; i < len(c.Path); i++ {
		if b := c.Path[i]; b < 0x20 || b == 0x7f || b == ';' {
			return perr(ErrInvalidCookie, "path %s", snippet(c.Path))
		}
	}
	for i := 0; i < len(c.Domain); i++ {
		b := c.Domain[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-' || b == '_') {
			return perr(ErrInvalidCookie, "domain %s", snippet(c.Domain))
		}
	}
	if !c.Expires.IsZero() && c.Expires.Year() < 1601 {
		return perr(ErrInvalidCookie, "expires before 1601")
	}
	if c.SameSite > SameSiteNone {
		return perr(ErrInvalidCookie, "unknown SameSite %d", c.SameSite)
	}
	return nil
}

// cookieOctet reports whether b is a cookie-octet (RFC 6265 §4.1.1).
func cookieOctet(b byte) bool {
	return 0x20 < b && b < 0x7f && b != '"' && b != ',' && b != ';' && b != '\\'
}

// String returns the cookie serialised as a Set-Cookie header value, e.g.
// "sid=abc; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly".
// It returns "" if Valid reports an error, so an invalid cookie can never
// produce a malformed (or injected) header.
func (c *Cookie) String() string {
	if c.Valid() != nil {
		return ""
	}
	b := make([]byte, 0, 64+len(c.Name)+len(c.Value)+len(c.Path)+len(c.Domain))
	b = append(b, c.Name...)
	b = append(b, '=')
	if strings.ContainsAny(c.Value, " ,") {
		b = append(b, '"')
		b = append(b, c.Value...)
		b = append(b, '"')
	} else {
		b = append(b, c.Value...)
	}
	if c.Domain != "" {
		b = append(b, "; Domain="...)
		b = append(b, c.Domain...)
	}
	if c.Path != "" {
		b = append(b, "; Path="...)
		b = append(b, c.Path...)
	}
	if !c.Expires.IsZero() {
		b = append(b, "; Expires="...)
		b = AppendDate(b, c.Expires)
	}
	switch {
	case c.MaxAge > 0:
		b = append(b, "; Max-Age="...)
		b = strconv.AppendInt(b, int64(c.MaxAge), 10)
	case c.MaxAge < 0:
		b = append(b, "; Max-Age=0"...)
	}
	if c.Secure {
		b = append(b, "; Secure"...)
	}
	if c.HttpOnly {
		b = append(b, "; HttpOnly"...)
	}
	switch c.SameSite {
	case SameSiteLax:
		b = append(b, "; SameSite=Lax"...)
	case SameSiteStrict:
		b = append(b, "; SameSite=Strict"...)
	case SameSiteNone:
		b = append(b, "; SameSite=None"...)
	}
	return string(b)
}
