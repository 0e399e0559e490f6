package web

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// CurrentUserGetter is a handler that knows who is logged in (Tornado's
// get_current_user), typically from a signed cookie. It runs once per
// request, the first time CurrentUser is asked. A lookup that must wait
// (a database) belongs in Prepare, which then calls SetCurrentUser.
type CurrentUserGetter interface {
	GetCurrentUser() (any, error)
}

// CurrentUser returns the logged-in user: what SetCurrentUser set, or
// what the handler's GetCurrentUser returns (nil, or a nil pointer, for
// nobody; its error is logged and counts as nobody). A handler without
// GetCurrentUser, in an application with Config.UserCookie set, has the
// value of that signed cookie as its user (a string), as the
// get_current_user most Tornado applications write would give.
func (h *RequestHandler) CurrentUser() any {
	if !h.userSet {
		h.userSet = true
		switch g, ok := h.self.(CurrentUserGetter); {
		case ok:
			u, err := g.GetCurrentUser()
			if err != nil {
				h.Application.logger.Warn("web: GetCurrentUser failed", "uri", h.Request.Target, "error", err)
				u = nil
			}
			h.SetCurrentUser(u)
		case h.Application.settings.UserCookie != "":
			if name, err := h.GetSignedCookie(h.Application.settings.UserCookie, 0); err == nil {
				h.SetCurrentUser(name)
			}
		}
	}
	return h.user
}

// isNilValue reports whether v is nil or holds a nil pointer, map, slice,
// func, channel or interface.
func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

// SetCurrentUser sets the logged-in user for this request.
// A nil pointer (or map, slice...) in u means nobody, as nil does.
func (h *RequestHandler) SetCurrentUser(u any) {
	if isNilValue(u) {
		u = nil
	}
	h.user, h.userSet = u, true
}

// RequireUser returns nil if a user is logged in. Otherwise a GET or HEAD
// is redirected to Config.LoginURL with ?next= the page asked for, and
// the returned FinishError ends the request; other methods get a 403
// *HTTPError. Without a LoginURL, a GET is a 500 (a setup mistake).
//
//	func (h *AdminHandler) Get(co *gen.Co) error {
//		if err := h.RequireUser(); err != nil {
//			return err
//		}
//		...
func (h *RequestHandler) RequireUser() error {
	if h.CurrentUser() != nil {
		return nil
	}
	m := h.Request.Method
	if m != "GET" && m != "HEAD" {
		return &HTTPError{Code: http.StatusForbidden}
	}
	login := h.Application.settings.LoginURL
	if login == "" {
		return &HTTPError{Code: http.StatusInternalServerError, Message: "RequireUser: Config.LoginURL is not set"}
	}
	if !strings.Contains(login, "?") {
		next := h.Request.Target
		if u, err := url.Parse(login); err == nil && u.Scheme != "" {
			next = h.Request.FullURL() // an absolute login URL is on another host
		}
		login += "?" + url.Values{"next": {next}}.Encode()
	}
	if err := h.Redirect(login, false); err != nil {
		return err
	}
	return FinishError{}
}

// Authenticated wraps a Route.Handler so that every method of its
// handlers requires a logged-in user (Tornado's @authenticated): the check
// runs after Prepare and before the method, as RequireUser.
//
//	{Pattern: `/admin`, Handler: web.Authenticated(web.Make[AdminHandler]())}
func Authenticated(factory func() Handler) func() Handler {
	return func() Handler {
		h := factory()
		h.requestHandler().authMark = true
		return h
	}
}

// User returns the logged-in user of h's request as a U (what
// GetCurrentUser or SetCurrentUser gave), and false when nobody is logged
// in or the user is not a U: CurrentUser without the type assertion.
//
//	if acct, ok := web.User[*Account](h); ok { ... }
func User[U any](h Handler) (U, bool) {
	u, ok := h.requestHandler().CurrentUser().(U)
	return u, ok
}
