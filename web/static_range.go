package web

import (
	"mime"
	"path"
	"strconv"
	"strings"
)

// parseRange parses a Range header of one byte range, Tornado's
// _parse_request_range: "bytes=a-b" (b inclusive), "bytes=a-" or the
// suffix "bytes=-n". start and end are the half-open bounds with -1 for
// "not given"; a suffix is a negative start. ok is false for anything
// else, several ranges included, which the caller answers with the whole
// file as RFC 9110 allows.
func parseRange(h string) (start, end int64, ok bool) {
	unit, spec, found := strings.Cut(h, "=")
	if !found || strings.TrimSpace(unit) != "bytes" {
		return 0, 0, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	start, end = -1, -1
	var err error
	if a = strings.TrimSpace(a); a != "" {
		if start, err = parseDigits(a); err != nil {
			return 0, 0, false
		}
	}
	if b = strings.TrimSpace(b); b != "" {
		if end, err = parseDigits(b); err != nil {
			return 0, 0, false
		}
	}
	switch {
	case start < 0 && end < 0:
		return 0, 0, false
	case start < 0: // the last end bytes
		if end == 0 {
			return -1, 0, true // unsatisfiable, as Tornado
		}
		return -end, -1, true
	case end >= 0:
		return start, end + 1, true
	}
	return start, -1, true
}

// parseDigits parses a non-negative decimal, refusing signs and spaces
// that strconv would take or the RFC would not.
func parseDigits(s string) (int64, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// rangeBounds resolves a parsed range against the file's size into
// half-open [start, end), Tornado's rules: a suffix longer than the file
// is the whole file, an end past the file is capped, and a start at or
// past the end, an end before the start, or "-0" is unsatisfiable.
func rangeBounds(start, end, size int64) (int64, int64, bool) {
	if start == -1 && end == 0 {
		return 0, 0, false
	}
	if start < 0 {
		start = max(start+size, 0)
	}
	if start >= size || (end >= 0 && start >= end) {
		return 0, 0, false
	}
	if end < 0 || end > size {
		end = size
	}
	return start, end, true
}

// staticContentType returns the Content-Type of a static file from its
// name, as Tornado's get_content_type: a compressed file is
// application/gzip (.gz, RFC 6713) or application/octet-stream (other
// encodings), else the type of its extension from Go's mime table (whose
// text types say charset=utf-8), else application/octet-stream.
func staticContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".gz", ".tgz":
		return "application/gzip"
	case ".z", ".bz2", ".xz", ".br":
		return "application/octet-stream"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
