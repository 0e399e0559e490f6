package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// XSRFCookieName is the cookie (and form field) of the XSRF token.
const XSRFCookieName = "_xsrf"

// XSRFToken returns the token a form or script must send back with a
// POST, PUT, PATCH, DELETE (any method but GET, HEAD and OPTIONS) when
// Config.XSRFCookies is on: as the _xsrf
// argument or an X-XSRFToken (or X-CSRFToken) header. The first call sets
// the _xsrf cookie if the request had none. The token is masked afresh for
// each request (Tornado's version 2 tokens), so it never repeats in pages
// and cannot be recovered by a compression side channel (BREACH).
func (h *RequestHandler) XSRFToken() string {
	if h.xsrfToken != "" {
		return h.xsrfToken
	}
	token, ts, fromCookie := h.rawXSRFToken()
	var mask [4]byte
	rand.Read(mask[:])
	h.xsrfToken = "2|" + hex.EncodeToString(mask[:]) + "|" + hex.EncodeToString(xorMask(mask, token)) + "|" + strconv.FormatInt(ts, 10)
	if !fromCookie {
		o := h.Application.settings.XSRFCookieConfig
		h.SetCookie(XSRFCookieName, h.xsrfToken, o)
	}
	return h.xsrfToken
}

// XSRFFormHTML returns the hidden form field carrying the token, for
// templates (xsrf_form_html).
func (h *RequestHandler) XSRFFormHTML() string {
	return `<input type="hidden" name="_xsrf" value="` + html.EscapeString(h.XSRFToken()) + `"/>`
}

// rawXSRFToken returns the unmasked token from the request's cookie, or a
// new random one.
func (h *RequestHandler) rawXSRFToken() (token []byte, ts int64, fromCookie bool) {
	if c, ok := h.Request.Cookie(XSRFCookieName); ok {
		if t, ts, ok := decodeXSRFToken(c); ok {
			return t, ts, true
		}
	}
	token = make([]byte, 16)
	rand.Read(token)
	return token, h.loop.Time().Unix(), false
}

// decodeXSRFToken unmasks a version 2 token ("2|mask|masked|timestamp"),
// or takes a version 1 token (the bare hex token) as is.
func decodeXSRFToken(s string) (token []byte, ts int64, ok bool) {
	if rest, v2 := strings.CutPrefix(s, "2|"); v2 {
		parts := strings.Split(rest, "|")
		if len(parts) != 3 {
			return nil, 0, false
		}
		m, err1 := hex.DecodeString(parts[0])
		masked, err2 := hex.DecodeString(parts[1])
		ts, err3 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || len(m) != 4 || len(masked) == 0 {
			return nil, 0, false
		}
		return xorMask([4]byte(m), masked), ts, true
	}
	t, err := hex.DecodeString(s)
	if err != nil || len(t) == 0 {
		return nil, 0, false
	}
	return t, 0, true
}

func xorMask(mask [4]byte, data []byte) []byte {
	out := make([]byte, len(data))
	for i, b := range data {
		out[i] = b ^ mask[i%4]
	}
	return out
}

// CheckXSRFCookie returns nil if the request carries the XSRF token of its
// _xsrf cookie, else a 403 *HTTPError saying what is wrong. The
// application calls it before Prepare for every method but GET, HEAD and
// OPTIONS when Config.XSRFCookies is on; a handler may override it (see
// XSRFChecker).
func (h *RequestHandler) CheckXSRFCookie() error {
	sent := h.Request.Header.Get("X-Xsrftoken")
	if sent == "" {
		sent = h.Request.Header.Get("X-Csrftoken")
	}
	if sent == "" {
		h.Request.parse(0)
		sent = h.Request.bodyArgs.Last(XSRFCookieName)
		if sent == "" {
			sent = h.Request.queryArgs.Last(XSRFCookieName)
		}
	}
	if sent == "" {
		return &HTTPError{Code: http.StatusForbidden, Message: "'_xsrf' argument missing from " + h.Request.Method}
	}
	token, _, ok := decodeXSRFToken(sent)
	if !ok {
		return &HTTPError{Code: http.StatusForbidden, Message: "'_xsrf' argument has invalid format"}
	}
	expected, _, fromCookie := h.rawXSRFToken()
	if !fromCookie || subtle.ConstantTimeCompare(token, expected) != 1 {
		return &HTTPError{Code: http.StatusForbidden, Message: "XSRF cookie does not match " + h.Request.Method + " argument"}
	}
	return nil
}
