package web

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// ETagComputer is a handler that computes its own ETag (Tornado's
// compute_etag); returning "" sends none. The default is DefaultETag.
type ETagComputer interface{ ComputeETag() string }

// ETagChecker is a handler that decides itself whether the client's
// cached copy is current (check_etag_header); the default is
// CheckETagHeader.
type ETagChecker interface{ CheckETagHeader() bool }

// DefaultETag returns the ETag Finish sets unless the handler has one: a
// quoted SHA-1 of the body written so far, as Tornado's compute_etag.
func (h *RequestHandler) DefaultETag() string {
	sum := sha1.Sum(h.buf)
	var b [2 + 2*sha1.Size]byte
	b[0] = '"'
	hex.Encode(b[1:], sum[:])
	b[len(b)-1] = '"'
	return string(b[:])
}

func (h *RequestHandler) computeETag() string {
	if c, ok := h.self.(ETagComputer); ok {
		return c.ComputeETag()
	}
	return h.DefaultETag()
}

func (h *RequestHandler) checkETag() bool {
	if c, ok := h.self.(ETagChecker); ok {
		return c.CheckETagHeader()
	}
	return h.CheckETagHeader()
}

// CheckETagHeader reports whether the request's If-None-Match matches the
// response's Etag header (weak comparison, "*" matches any), so that the
// client's copy is current and a 304 will do.
func (h *RequestHandler) CheckETagHeader() bool {
	tag := h.out.Header().Get("Etag")
	inm := h.Request.Header.Get("If-None-Match")
	if tag == "" || inm == "" {
		return false
	}
	return etagMatches(inm, tag)
}

// etagMatches reports whether an If-None-Match list names tag, comparing
// weakly (RFC 9110 §13.1.2).
func etagMatches(list, tag string) bool {
	tag = strings.TrimPrefix(tag, "W/")
	for list != "" {
		var t string
		t, list, _ = strings.Cut(list, ",")
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}
