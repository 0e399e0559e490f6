package http1

import (
	"strconv"

	"github.com/gornado/gornado/httputil"
)

// KeepAlive reports whether a message of this version and headers lets
// its connection carry another exchange (RFC 9112 §9.3): HTTP/1.1 unless
// Connection lists "close", HTTP/1.0 only if it lists "keep-alive". The
// other side's message and the body's framing may still end the
// connection (a body that runs until close, say).
func KeepAlive(version string, h *httputil.Headers) bool {
	conn := h.Get("Connection")
	if version == "HTTP/1.0" {
		return httputil.TokenListContains(conn, "keep-alive")
	}
	return !httputil.TokenListContains(conn, "close")
}

// WantsClose reports whether headers ask to close the connection after
// this message ("Connection: close").
func WantsClose(h *httputil.Headers) bool {
	return httputil.TokenListContains(h.Get("Connection"), "close")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
