package httputil

import (
	"iter"
	"net/url"
	"strings"
)

// Args is an ordered, multi-valued, case-sensitive list of name/value
// pairs: query-string and form arguments. It plays the role of the
// Dict[str, List[bytes]] Tornado builds with parse_qs_bytes, but keeps
// the order in which arguments appeared. Values are raw bytes held in Go
// strings: percent-decoding does not assume any character encoding.
// The zero value is an empty, ready-to-use Args.
type Args struct {
	fields []field
}

// Len returns the number of pairs, counting repeated names.
func (a *Args) Len() int { return len(a.fields) }

// Add appends a pair.
func (a *Args) Add(name, value string) {
	a.fields = append(a.fields, field{name, value})
}

// Set replaces all values of name by value, at the position of the first
// occurrence, or appends the pair if name is absent.
func (a *Args) Set(name, value string) {
	for i := range a.fields {
		if a.fields[i].name == name {
			a.fields[i].value = value
			a.delFrom(name, i+1)
			return
		}
	}
	a.Add(name, value)
}

// Get returns the first value of name, or "" if there is none.
func (a *Args) Get(name string) string {
	for i := range a.fields {
		if a.fields[i].name == name {
			return a.fields[i].value
		}
	}
	return ""
}

// Last returns the last value of name, or "" if there is none. This is
// what Tornado's RequestHandler.get_argument returns.
func (a *Args) Last(name string) string {
	for i := len(a.fields) - 1; i >= 0; i-- {
		if a.fields[i].name == name {
			return a.fields[i].value
		}
	}
	return ""
}

// Values returns all values of name in order, or nil if there are none.
func (a *Args) Values(name string) []string {
	var vs []string
	for i := range a.fields {
		if a.fields[i].name == name {
			vs = append(vs, a.fields[i].value)
		}
	}
	return vs
}

// Has reports whether name appears at least once.
func (a *Args) Has(name string) bool {
	for i := range a.fields {
		if a.fields[i].name == name {
			return true
		}
	}
	return false
}

// Del removes every pair named name.
func (a *Args) Del(name string) { a.delFrom(name, 0) }

func (a *Args) delFrom(name string, start int) {
	j := start
	for i := start; i < len(a.fields); i++ {
		if a.fields[i].name != name {
			a.fields[j] = a.fields[i]
			j++
		}
	}
	clear(a.fields[j:])
	a.fields = a.fields[:j]
}

// All returns an iterator over the pairs in order.
func (a *Args) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, f := range a.fields {
			if !yield(f.name, f.value) {
				return
			}
		}
	}
}

// Reset removes all pairs, keeping the capacity.
func (a *Args) Reset() {
	clear(a.fields)
	a.fields = a.fields[:0]
}

// Clone returns a copy of a; nil for a nil *Args.
func (a *Args) Clone() *Args {
	if a == nil {
		return nil
	}
	return &Args{fields: append([]field(nil), a.fields...)}
}

// Encode returns the pairs in order as an application/x-www-form-urlencoded
// string ("a=1&b=x+y"), escaping with url.QueryEscape.
func (a *Args) Encode() string {
	var b strings.Builder
	for i, f := range a.fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f.value))
	}
	return b.String()
}

// ParseQuery parses an application/x-www-form-urlencoded string (a URL
// query without its "?", or a form body) and appends the pairs to args,
// in order, like Tornado's parse_qs_bytes (Python's parse_qs with
// keep_blank_values=True):
//
//   - pairs are separated by "&" only (not ";"); empty pairs are skipped;
//   - "a" and "a=" both give a blank value, "=v" gives an empty name;
//   - "+" decodes to a space and %XX to the byte 0xXX; a "%" not followed
//     by two hex digits is kept literally.
//
// ParseQuery is lenient and never fails. Names and values that need no
// decoding are substrings of query.
func ParseQuery(query string, args *Args) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		args.fields = append(args.fields, field{unquotePlus(name), unquotePlus(value)})
	}
}

// unquotePlus decodes "+" and %XX escapes, leaving invalid escapes as is.
func unquotePlus(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && charClass[s[i+1]]&cHex != 0 && charClass[s[i+2]]&cHex != 0:
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// URLConcat adds args to the query of rawURL, after the arguments it
// already has (Tornado's url_concat): URLConcat("/p?a=1", url.Values{"b":
// {"2"}}) is "/p?a=1&b=2". Repeated names are kept; keys are added in
// sorted order, each with its values in order. The fragment stays last.
// It fails only for a URL that does not parse.
func URLConcat(rawURL string, args url.Values) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	if len(args) == 0 {
		return rawURL, nil
	}
	extra := args.Encode()
	if u.RawQuery == "" {
		u.RawQuery = extra
	} else {
		u.RawQuery += "&" + extra
	}
	return u.String(), nil
}
