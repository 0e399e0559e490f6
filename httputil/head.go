package httputil

import (
	"strings"
	"unsafe"
)

// ParseRequestHead parses a whole request head — the request line and the
// header block, as delimited by FindHeaderEnd — held in one string, and
// appends the headers to h. The target, the method and every header name
// and value are substrings of head (canonicalised names excepted), so a
// server that converts each head to a string once pays one allocation per
// request, and the strings stay valid (and immutable) for as long as the
// handler keeps them. Errors are ParseRequestLine's and ParseHeaders's.
func ParseRequestHead(head string, h *Headers) (RequestLine, error) {
	for len(head) > 0 && (head[0] == '\n' || head[0] == '\r' && len(head) > 1 && head[1] == '\n') {
		if head[0] == '\r' {
			head = head[1:]
		}
		head = head[1:]
	}
	line, block, _ := strings.Cut(head, "\n")
	line = strings.TrimSuffix(line, "\r")
	rl, err := parseRequestLine(bytesOf(line))
	if err != nil {
		return rl, err
	}
	if rl.Target == "" {
		// The target is line's second field: slice it rather than copy.
		sp1 := strings.IndexByte(line, ' ')
		sp2 := strings.IndexByte(line[sp1+1:], ' ')
		rl.Target = line[sp1+1 : sp1+1+sp2]
	}
	if block == "" {
		return rl, nil
	}
	return rl, parseHeaderBlock(block, ctlFree(bytesOf(block)), h)
}

// bytesOf views s as bytes, for read-only scans; the bytes must not be
// written or kept.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
