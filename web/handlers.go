package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gornado/gornado/gen"
)

// ErrorHandler answers every request with an error status (Tornado's
// ErrorHandler); the application's default handler is one for 404.
type ErrorHandler struct {
	RequestHandler
	Status int
}

// NewErrorHandler returns a Route.Handler answering status.
func NewErrorHandler(status int) func() Handler {
	return func() Handler { return &ErrorHandler{Status: status} }
}

// Prepare ends the request with the handler's status, so every method
// gets it.
func (h *ErrorHandler) Prepare(co *gen.Co) error { return &HTTPError{Code: h.Status} }

// CheckXSRFCookie passes every request, so that a POST to an unknown
// path is a 404, not an XSRF 403 (as in Tornado).
func (h *ErrorHandler) CheckXSRFCookie() error { return nil }

// RedirectHandler redirects every GET to URL (Tornado's RedirectHandler).
// URL may name the route's groups: {0}, {1}... are replaced by the path
// arguments (and {name} by a named group). With Permanent it answers
// 301, else 302; the query string is carried over unless URL has one.
//
//	{Pattern: `/photos/(.*)`, Handler: web.NewRedirectHandler("/pictures/{0}", true)}
type RedirectHandler struct {
	RequestHandler
	URL       string
	Permanent bool
}

// NewRedirectHandler returns a Route.Handler redirecting to url.
func NewRedirectHandler(url string, permanent bool) func() Handler {
	return func() Handler { return &RedirectHandler{URL: url, Permanent: permanent} }
}

var groupRef = regexp.MustCompile(`\{([0-9]+|[A-Za-z_][A-Za-z0-9_]*)\}`)

// Get sends the redirect.
func (h *RedirectHandler) Get(co *gen.Co) error {
	to := groupRef.ReplaceAllStringFunc(h.URL, func(ref string) string {
		name := ref[1 : len(ref)-1]
		if i, err := strconv.Atoi(name); err == nil {
			if i < len(h.PathArgs) {
				return h.PathArgs[i]
			}
			return ""
		}
		return h.PathKwarg(name)
	})
	if q := h.Request.Query; q != "" && !strings.Contains(to, "?") {
		to += "?" + q
	}
	code := http.StatusFound
	if h.Permanent {
		code = http.StatusMovedPermanently
	}
	return h.RedirectStatus(to, code)
}
