package web

import (
	"net/http"
	"strings"
)

// AddSlash wraps a Route.Handler so that a path without a trailing slash
// is redirected (301) to the same path with one, query kept, for GET and
// HEAD, and answered 404 otherwise (Tornado's @addslash). The route's
// pattern must match both forms (`/docs/?`).
func AddSlash(factory func() Handler) func() Handler {
	return slashed(factory, 1)
}

// RemoveSlash is AddSlash the other way: a trailing slash is taken off
// (Tornado's @removeslash), "/" itself excepted.
func RemoveSlash(factory func() Handler) func() Handler {
	return slashed(factory, -1)
}

func slashed(factory func() Handler, mark int8) func() Handler {
	return func() Handler {
		h := factory()
		h.requestHandler().slash = mark
		return h
	}
}

// fixSlash redirects a request whose path's trailing slash is not as
// AddSlash or RemoveSlash wants; it runs after Prepare, before the method.
func (h *RequestHandler) fixSlash() error {
	path := h.Request.Path
	var to string
	switch {
	case h.slash > 0 && !strings.HasSuffix(path, "/"):
		to = path + "/"
	case h.slash < 0 && strings.HasSuffix(path, "/") && path != "/":
		to = strings.TrimRight(path, "/")
		if to == "" {
			to = "/"
		}
	default:
		return nil
	}
	if m := h.Request.Method; m != "GET" && m != "HEAD" {
		return &HTTPError{Code: http.StatusNotFound}
	}
	if h.Request.Query != "" {
		to += "?" + h.Request.Query
	}
	if err := h.Redirect(to, true); err != nil {
		return err
	}
	return FinishError{}
}
