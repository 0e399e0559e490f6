package httputil

import (
	"io"
	"iter"
	"strings"
)

// field is one name/value pair of a Headers or Args list.
type field struct {
	name, value string
}

// Headers is an ordered, multi-valued, case-insensitive collection of HTTP
// header fields, the Go counterpart of Tornado's HTTPHeaders.
//
// Names are stored in canonical form ("content-type" becomes
// "Content-Type"); lookups accept any case. Fields keep the order in which
// they were added, duplicates included, which is what a proxy or a
// signature check needs. The zero value is an empty, ready-to-use Headers.
//
// Headers is a slice of pairs rather than a map: for the dozen fields of a
// typical message a linear scan beats hashing, iteration order is free,
// and Reset lets a connection reuse the storage for the next message.
type Headers struct {
	fields []field
}

// Len returns the number of fields (lines), counting duplicates.
func (h *Headers) Len() int { return len(h.fields) }

// Add appends a field. name is canonicalised; neither name nor value is
// validated (see Validate and AppendTo).
func (h *Headers) Add(name, value string) {
	h.fields = append(h.fields, field{CanonicalName(name), value})
}

// Set replaces all values of name by value. The field keeps the position
// of the first existing occurrence, or is appended if there was none.
func (h *Headers) Set(name, value string) {
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			h.fields[i].value = value
			h.delFrom(name, i+1)
			return
		}
	}
	h.Add(name, value)
}

// Get returns the first value of name, or "" if there is none. Use Values
// to see every value, Has to distinguish an empty value from a missing one.
func (h *Headers) Get(name string) string {
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			return h.fields[i].value
		}
	}
	return ""
}

// Values returns all values of name in order, or nil if there are none.
// The returned slice is a fresh copy.
func (h *Headers) Values(name string) []string {
	var vs []string
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			vs = append(vs, h.fields[i].value)
		}
	}
	return vs
}

// Has reports whether at least one field is named name.
func (h *Headers) Has(name string) bool {
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			return true
		}
	}
	return false
}

// Del removes every field named name, keeping the order of the others.
func (h *Headers) Del(name string) { h.delFrom(name, 0) }

func (h *Headers) delFrom(name string, start int) {
	j := start
	for i := start; i < len(h.fields); i++ {
		if !equalFold(h.fields[i].name, name) {
			h.fields[j] = h.fields[i]
			j++
		}
	}
	clear(h.fields[j:])
	h.fields = h.fields[:j]
}

// All returns an iterator over the fields in order, yielding canonical
// names and values:
//
//	for name, value := range h.All() { ... }
func (h *Headers) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, f := range h.fields {
			if !yield(f.name, f.value) {
				return
			}
		}
	}
}

// Clone returns a deep copy of h (the strings are shared, being immutable).
// Clone of a nil *Headers returns nil.
func (h *Headers) Clone() *Headers {
	if h == nil {
		return nil
	}
	return &Headers{fields: append([]field(nil), h.fields...)}
}

// Reset removes all fields but keeps the allocated capacity, so a
// connection can parse its next message into the same Headers without
// allocating. It drops references to the old strings.
func (h *Headers) Reset() {
	clear(h.fields)
	h.fields = h.fields[:0]
}

// Validate checks that every name is a token and every value is a valid
// field value (see ValidHeaderName and ValidHeaderValue). It returns nil
// or a *ParseError wrapping ErrInvalidHeaderName or ErrInvalidHeaderValue
// for the first offending field. Call it before sending headers built from
// untrusted input if you want an error instead of AppendTo's sanitising.
func (h *Headers) Validate() error {
	for _, f := range h.fields {
		if !ValidHeaderName(f.name) {
			return perr(ErrInvalidHeaderName, "%s", snippet(f.name))
		}
		if !ValidHeaderValue(f.value) {
			return perr(ErrInvalidHeaderValue, "%s: %s", f.name, snippet(f.value))
		}
	}
	return nil
}

// AppendTo appends the fields to buf as "Name: value\r\n" lines, without
// the terminating blank line, and returns the extended buffer.
//
// As a last line of defence against header injection (response
// splitting), fields with an invalid name are skipped and CR, LF and NUL
// bytes in values are replaced by spaces, as net/http does. Use Validate
// to reject such input instead.
func (h *Headers) AppendTo(buf []byte) []byte {
	for _, f := range h.fields {
		if !ValidHeaderName(f.name) {
			continue
		}
		buf = append(buf, f.name...)
		buf = append(buf, ':', ' ')
		if strings.ContainsAny(f.value, "\r\n\x00") {
			for i := 0; i < len(f.value); i++ {
				c := f.value[i]
				if c == '\r' || c == '\n' || c == 0 {
					c = ' '
				}
				buf = append(buf, c)
			}
		} else {
			buf = append(buf, f.value...)
		}
		buf = append(buf, '\r', '\n')
	}
	return buf
}

// WriteTo writes the fields to w as AppendTo formats them, implementing
// io.WriterTo. It returns the number of bytes written and the first write
// error.
func (h *Headers) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(h.AppendTo(nil))
	return int64(n), err
}

// String returns the fields formatted as by AppendTo.
func (h *Headers) String() string { return string(h.AppendTo(nil)) }

// TokenListContains reports whether the comma-separated list (the value
// of Connection, say) has token as one of its elements, compared
// case-insensitively with surrounding whitespace ignored: "close" is in
// "keep-alive, Close", but not in "closed".
func TokenListContains(list, token string) bool {
	for list != "" {
		var elem string
		elem, list, _ = strings.Cut(list, ",")
		if equalFold(trimOWS(elem), token) {
			return true
		}
	}
	return false
}
