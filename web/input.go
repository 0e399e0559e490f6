package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gornado/gornado/httputil"
)

// GetArgument returns the last value of the argument name, from the query
// string or a form body (Tornado's get_argument): stripped of surrounding
// whitespace, with control characters made spaces. If the request has no
// such argument it returns def[0] if given, else a *MissingArgumentError
// (a 400 when returned from the handler). A body that cannot be parsed is
// a 400 *HTTPError.
func (h *RequestHandler) GetArgument(name string, def ...string) (string, error) {
	if err := h.Request.parse(0); err != nil {
		return "", err
	}
	return lastArgument(name, def, &h.req.bodyArgs, &h.req.queryArgs)
}

// GetArguments returns every value of the argument name, query string
// first, then body (empty if none).
func (h *RequestHandler) GetArguments(name string) []string {
	h.Request.parse(0)
	return cleanArgs(append(h.req.queryArgs.Values(name), h.req.bodyArgs.Values(name)...))
}

// GetQueryArgument is GetArgument for the query string only.
func (h *RequestHandler) GetQueryArgument(name string, def ...string) (string, error) {
	h.Request.parse(0)
	return lastArgument(name, def, &h.req.queryArgs)
}

// GetQueryArguments is GetArguments for the query string only.
func (h *RequestHandler) GetQueryArguments(name string) []string {
	h.Request.parse(0)
	return cleanArgs(h.req.queryArgs.Values(name))
}

// GetBodyArgument is GetArgument for the body only.
func (h *RequestHandler) GetBodyArgument(name string, def ...string) (string, error) {
	if err := h.Request.parse(0); err != nil {
		return "", err
	}
	return lastArgument(name, def, &h.req.bodyArgs)
}

// GetBodyArguments is GetArguments for the body only.
func (h *RequestHandler) GetBodyArguments(name string) []string {
	h.Request.parse(0)
	return cleanArgs(h.req.bodyArgs.Values(name))
}

// lastArgument returns name's last value in the first of lists that has
// it.
func lastArgument(name string, def []string, lists ...*httputil.Args) (string, error) {
	for _, l := range lists {
		if l.Has(name) {
			return cleanArg(l.Last(name)), nil
		}
	}
	if len(def) > 0 {
		return def[0], nil
	}
	return "", &MissingArgumentError{Name: name}
}

func cleanArgs(vs []string) []string {
	for i, v := range vs {
		vs[i] = cleanArg(v)
	}
	return vs
}

// cleanArg strips whitespace and turns control characters (but tab, CR and
// LF) into spaces, as Tornado's decode_argument and strip; bytes that are
// not UTF-8 become U+FFFD.
func cleanArg(v string) string {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if strings.IndexFunc(v, isControl) >= 0 {
		v = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, v)
	}
	return strings.TrimSpace(v)
}

func isControl(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }

// DecodeJSON decodes the JSON request body into v; a body that is not
// JSON (or does not fit v) is a 400 *HTTPError.
func (h *RequestHandler) DecodeJSON(v any) error {
	if err := json.Unmarshal(h.Request.Body, v); err != nil {
		return &HTTPError{Code: 400, Message: fmt.Sprintf("bad JSON body: %v", err)}
	}
	return nil
}
