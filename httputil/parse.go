package httputil

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// DefaultMaxHeaderSize is the default limit, in bytes, for a message head
// (start line plus header block), and for a chunked trailer section:
// 64 KiB, as in Tornado.
const DefaultMaxHeaderSize = 64 << 10

// FindHeaderEnd returns the index just past the blank line that ends a
// message head in buf: after "\r\n\r\n", "\n\n", "\r\n\n" or "\n\r\n"
// (bare LF is accepted as Tornado does). It returns -1 if the head is not
// complete yet.
//
// buf must start at the first byte of the start line. A server should
// first skip the empty lines RFC 9112 §2.2 allows before a request line
// (SplitStartLine does that), since a leading "\r\n" would otherwise look
// like the end of an empty head.
//
// To avoid rescanning on every read, a caller that already searched
// buf[:n] may search buf[max(0, n-3):] and add the offset back.
func FindHeaderEnd(buf []byte) int {
	i := 0
	for {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		if i < len(buf) && buf[i] == '\n' {
			return i + 1
		}
		if i+1 < len(buf) && buf[i] == '\r' && buf[i+1] == '\n' {
			return i + 2
		}
	}
}

// FindHeaderEndLimit is FindHeaderEnd with a size limit, the check a
// server does on every read: it returns the end index, or -1 with a nil
// error if more data is needed, or -1 with ErrHeaderTooLarge when the head
// is (or, being incomplete, already is longer than) limit bytes.
func FindHeaderEndLimit(buf []byte, limit int) (int, error) {
	end := FindHeaderEnd(buf)
	if end > limit || end < 0 && len(buf) > limit {
		return -1, ErrHeaderTooLarge
	}
	return end, nil
}

// SplitStartLine splits a message head (as delimited by FindHeaderEnd) into
// its start line, without the line terminator, and the header block that
// follows. Empty lines before the start line are skipped (RFC 9112 §2.2).
// If head contains no line feed, startLine is all of it and headerBlock is
// empty.
func SplitStartLine(head []byte) (startLine, headerBlock []byte) {
	for len(head) > 0 && (head[0] == '\n' || head[0] == '\r' && len(head) > 1 && head[1] == '\n') {
		if head[0] == '\r' {
			head = head[1:]
		}
		head = head[1:]
	}
	i := bytes.IndexByte(head, '\n')
	if i < 0 {
		return head, nil
	}
	line := head[:i]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, head[i+1:]
}

// ParseHeaders parses a header block (the lines between the start line and
// the blank line that ends the head) and appends the fields to h, which
// the caller typically Resets first. A trailing blank line is allowed, so
// the rest of a head as returned by SplitStartLine can be passed as is.
//
// Lines may end in CRLF or bare LF. Parsing is strict, following RFC 9112
// §5 and RFC 9110 §5: it returns a *ParseError wrapping
//   - ErrObsFold for a line starting with SP or HTAB (obsolete folding),
//   - ErrMalformedHeader for a line without a colon or a blank line
//     followed by more data,
//   - ErrInvalidHeaderName for an empty name, a name with a non-token
//     character, or whitespace between the name and the colon,
//   - ErrInvalidHeaderValue for a value with a control character other
//     than HTAB (NUL, DEL, a bare CR, ...).
//
// Leading and trailing whitespace is removed from values. On error h may
// hold the fields parsed before the bad line.
//
// ParseHeaders copies data once into a string that the names and values
// share, so it performs a single allocation when h has enough capacity.
func ParseHeaders(data []byte, h *Headers) error {
	if len(data) == 0 {
		return nil
	}
	// Validating value bytes one at a time is the bulk of the work; when a
	// word-at-a-time scan finds no forbidden control character anywhere in
	// the block, per-line value checks are skipped.
	return parseHeaderBlock(string(data), ctlFree(data), h)
}

// parseHeaderBlock is ParseHeaders on a string whose names and values it
// slices without copying. clean says no forbidden control character occurs.
func parseHeaderBlock(s string, clean bool, h *Headers) error {
	for len(s) > 0 {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
		} else {
			line, s = s, ""
		}
		if line == "" {
			if s != "" {
				return perr(ErrMalformedHeader, "empty line inside header block")
			}
			break
		}
		name, value, err := parseHeaderLine(line, clean)
		if err != nil {
			return err
		}
		h.fields = append(h.fields, field{name, value})
	}
	return nil
}

// parseHeaderLine splits and validates one field line (without its line
// terminator). The returned strings are substrings of line, except for a
// non-canonical name, which is canonicalised (interned when well known).
// If clean, the value is known to contain no forbidden characters.
func parseHeaderLine(line string, clean bool) (name, value string, err error) {
	// Scan the name, checking at the same time whether it is canonical:
	// a lower-case letter where an upper-case one is due, or vice versa.
	j := 0
	wrongCase := uint8(cLower)
	canonical := true
	for ; j < len(line); j++ {
		cls := charClass[line[j]]
		if cls&cToken == 0 {
			break
		}
		if cls&wrongCase != 0 {
			canonical = false
		}
		wrongCase = cUpper
		if line[j] == '-' {
			wrongCase = cLower
		}
	}
	if j == len(line) || line[j] != ':' {
		return "", "", headerLineError(line, j)
	}
	if j == 0 {
		return "", "", perr(ErrInvalidHeaderName, "empty name in %s", snippet(line))
	}
	name = line[:j]
	if !canonical {
		name = canonicalString(name)
	}
	value = trimOWS(line[j+1:])
	if !clean && !validValueChars(value) {
		return "", "", perr(ErrInvalidHeaderValue, "%s: %s", name, snippet(value))
	}
	return name, value, nil
}

// headerLineError classifies a line whose name part stops at index j on
// something other than a colon.
func headerLineError(line string, j int) error {
	if j == 0 && isOWS(line[0]) {
		return perr(ErrObsFold, "%s", snippet(line))
	}
	colon := strings.IndexByte(line, ':')
	if colon < 0 {
		return perr(ErrMalformedHeader, "missing colon in %s", snippet(line))
	}
	if trimOWS(line[j:colon]) == "" && j > 0 {
		return perr(ErrInvalidHeaderName, "whitespace before colon in %s", snippet(line[:colon+1]))
	}
	return perr(ErrInvalidHeaderName, "%s", snippet(line[:colon]))
}

// ctlFree reports whether b contains no DEL and no control character
// other than HTAB, LF, and CR immediately followed by LF. It tests eight
// bytes at a time: (x - 0x20*lo) &^ x has a high bit set exactly in words
// holding a byte below 0x20, and the same test on x ^ 0x7f*lo finds DEL.
func ctlFree(b []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		y := x ^ 0x7f*lo
		if ((x-0x20*lo)&^x|(y-lo)&^y)&hi != 0 && !ctlFreeSlow(b, i, i+8) {
			return false
		}
	}
	return ctlFreeSlow(b, i, len(b))
}

func ctlFreeSlow(b []byte, from, to int) bool {
	for i := from; i < to; i++ {
		c := b[i]
		if charClass[c]&cValue != 0 || c == '\n' || c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		return false
	}
	return true
}
