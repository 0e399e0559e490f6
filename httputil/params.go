package httputil

import (
	"strings"
	"unicode/utf8"
)

// ParseHeaderParams parses a header value of the form
// `main-value; name=value; name="quoted value"`, such as a Content-Type
// or Content-Disposition, like Tornado's _parse_header. It returns the
// main value, lower-cased and trimmed, and the parameters keyed by
// lower-cased name.
//
//   - Semicolons inside double quotes do not split parameters.
//   - Quoted values are unquoted; inside them only \\ and \" are escapes,
//     so Windows paths such as "C:\dir\f.txt" (sent unescaped by old
//     browsers) survive, as in Python's email.utils.unquote.
//   - An extended parameter (RFC 8187 / RFC 2231) such as
//     filename*=UTF-8”na%C3%AFve.txt is percent-decoded and stored under
//     the name without the "*", overriding the plain parameter. UTF-8 and
//     ISO-8859-1 (converted to UTF-8) are supported; other charsets are
//     dropped. RFC 2231 continuations (name*0, name*1) are not joined.
//   - Parameters without "=" are ignored; for repeated names the last one
//     wins.
//
// ParseHeaderParams never fails; params may be nil when there are none.
func ParseHeaderParams(s string) (value string, params map[string]string) {
	main, rest := cutParam(s)
	value = strings.ToLower(trimOWS(main))
	var ext map[string]bool // names set by an extended parameter
	for rest != "" {
		var p string
		p, rest = cutParam(rest)
		name, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name = strings.ToLower(trimOWS(name))
		v = trimOWS(v)
		if name == "" {
			continue
		}
		if params == nil {
			params = map[string]string{}
		}
		if base, isExt := strings.CutSuffix(name, "*"); isExt {
			if dec, ok := decodeExtValue(v); ok && base != "" {
				params[base] = dec
				if ext == nil {
					ext = map[string]bool{}
				}
				ext[base] = true
			}
			continue
		}
		if ext[name] {
			continue
		}
		params[name] = unquoteParam(v)
	}
	return value, params
}

// cutParam returns the text up to the first ";" that is not inside a
// quoted string, and the text after it.
func cutParam(s string) (before, after string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			if inQuote {
				i++
			}
		case ';':
			if !inQuote {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// unquoteParam strips surrounding double quotes and undoes \\ and \".
func unquoteParam(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	v = v[1 : len(v)-1]
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) && (v[i+1] == '\\' || v[i+1] == '"') {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// decodeExtValue decodes an RFC 8187 ext-value: charset'lang'pct-encoded.
func decodeExtValue(v string) (string, bool) {
	v = unquoteParam(v) // tolerate a quoted ext-value
	charset, rest, ok := strings.Cut(v, "'")
	if !ok {
		return "", false
	}
	_, enc, ok := strings.Cut(rest, "'")
	if !ok {
		return "", false
	}
	raw := []byte(nil)
	for i := 0; i < len(enc); i++ {
		c := enc[i]
		if c == '%' {
			if i+2 >= len(enc) || charClass[enc[i+1]]&cHex == 0 || charClass[enc[i+2]]&cHex == 0 {
				return "", false
			}
			c = unhex(enc[i+1])<<4 | unhex(enc[i+2])
			i += 2
		}
		raw = append(raw, c)
	}
	switch strings.ToLower(charset) {
	case "utf-8":
		return string(raw), true
	case "iso-8859-1", "latin1":
		out := make([]byte, 0, len(raw))
		for _, c := range raw {
			out = utf8.AppendRune(out, rune(c))
		}
		return string(out), true
	}
	return "", false
}
