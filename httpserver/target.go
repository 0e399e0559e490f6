package httpserver

import (
	"strings"

	"github.com/gornado/gornado/httputil"
)

var errConnectRefused = &StatusError{Code: 405, Msg: "httpserver: CONNECT is not allowed (Config.AllowConnect)"}

// parseTarget checks the request-target's form against the method (RFC
// 9112 §3.2) and fills Path, Query and, from an absolute-form or
// authority-form target, Host. The forms a server takes:
//
//   - origin-form, "/path?query": every method;
//   - absolute-form, "http://host/path?query" (what a client sends to a
//     proxy; a server must take it too): only the http and https schemes,
//     a valid host and no userinfo; its host wins over the Host header;
//   - asterisk-form, "*": OPTIONS only;
//   - authority-form, "host:port": CONNECT only, and only with
//     Config.AllowConnect (otherwise any CONNECT is answered 405).
//
// Anything else is a 400: in particular a target such as
// "x?u=http://evil.example/admin", whose "://" is not at its start, is
// not absolute-form, and its host is never taken.
func (r *Request) parseTarget(allowConnect bool) error {
	t := r.Target
	if r.Method == "CONNECT" {
		if !allowConnect {
			return errConnectRefused
		}
		host, port, ok := strings.Cut(t, ":")
		if !ok || host == "" || port == "" || !httputil.ValidHost(t) {
			return badRequest("a CONNECT target is host:port")
		}
		r.Host = t
		return nil
	}
	switch {
	case t[0] == '/':
		r.Path, r.Query, _ = strings.Cut(t, "?")
		return nil
	case t == "*":
		if r.Method != "OPTIONS" {
			return badRequest("the target * is for OPTIONS")
		}
		r.Path = t
		return nil
	}
	rest, ok := cutScheme(t)
	if !ok {
		return badRequest("the target is neither a path nor an absolute URI")
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	if strings.IndexByte(authority, '@') >= 0 {
		return badRequest("userinfo in the target")
	}
	if !httputil.ValidHost(authority) {
		return badRequest("invalid host in the target")
	}
	r.Host = authority
	path := rest[end:]
	switch {
	case path == "":
		path = "/"
	case path[0] != '/':
		path = "/" + path // "http://host?q": an empty path is "/"
	}
	r.Path, r.Query, _ = strings.Cut(path, "?")
	return nil
}

// cutScheme returns what follows "http://" or "https://" (in any case) at
// the start of t.
func cutScheme(t string) (string, bool) {
	for _, scheme := range [...]string{"http://", "https://"} {
		if len(t) >= len(scheme) && strings.EqualFold(t[:len(scheme)], scheme) {
			return t[len(scheme):], true
		}
	}
	return "", false
}
