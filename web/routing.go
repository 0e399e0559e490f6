package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Route maps a path pattern to the handler that serves it, as a Tornado
// URLSpec (url(pattern, handler, kwargs, name)).
//
// Pattern is a regular expression matched against the whole request path
// (a trailing "$" is implied, as in Tornado). Its groups become the
// handler's path arguments: PathArgs for all of them in order, PathKwarg
// for the named ones ((?P<id>[0-9]+)). Groups are percent-decoded before
// the handler sees them.
//
// Handler makes a fresh handler for each request: Make for a handler with
// nothing to set up, Init for one given its dependencies (Tornado's
// initialize arguments), or any function of your own that returns a new
// handler:
//
//	{Pattern: `/`, Handler: web.Make[MainHandler]()},
//	{Pattern: `/story/([0-9]+)`, Handler: web.Init(func(h *StoryHandler) { h.db = db }), Name: "story"},
//
// To mount a net/http handler, give the route the factory of a
// nethttp.Container (package web/nethttp): it runs the handler on a
// worker pool, never on the loop, as Tornado's FallbackHandler runs a
// WSGIContainer.
type Route struct {
	Pattern string
	Handler func() Handler
	// Name, if set, lets ReverseURL build this route's path.
	Name string
	// Host, if set, is a regular expression the request's host (without
	// port, lowercased) must match in full, as Tornado's
	// add_handlers(host_pattern).
	Host string
}

// Make returns a Route.Handler that makes a zero T for each request: the
// factory for handlers with nothing to initialize.
//
//	{Pattern: `/`, Handler: web.Make[MainHandler]()}
func Make[T any, PT interface {
	*T
	Handler
}]() func() Handler {
	return func() Handler { return PT(new(T)) }
}

// rule is a compiled Route.
type rule struct {
	Route
	re      *regexp.Regexp
	host    *regexp.Regexp
	literal string // the path, when the pattern has no metacharacters
	isLit   bool
	names   []string
	reverse []string // the pattern split around its groups, for ReverseURL
	nGroups int
	streams bool         // its handler is a BodyStreamer
	direct  http.Handler // its handlers are http.Handlers: ServeHTTP calls one directly
}

func compileRoute(r Route) (*rule, error) {
	if r.Handler == nil {
		return nil, fmt.Errorf("web: route %q has no Handler", r.Pattern)
	}
	pat := r.Pattern
	if !strings.HasSuffix(pat, "$") {
		pat += "$"
	}
	if !strings.HasPrefix(pat, "^") {
		pat = "^" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("web: route %q: %w", r.Pattern, err)
	}
	ru := &rule{Route: r, re: re, nGroups: re.NumSubexp(), names: re.SubexpNames()}
	if lit := strings.TrimSuffix(strings.TrimPrefix(r.Pattern, "^"), "$"); regexp.QuoteMeta(lit) == lit {
		ru.literal, ru.isLit = lit, true
	}
	if r.Host != "" {
		h := r.Host
		if !strings.HasSuffix(h, "$") {
			h += "$"
		}
		if !strings.HasPrefix(h, "^") {
			h = "^" + h
		}
		if ru.host, err = regexp.Compile(h); err != nil {
			return nil, fmt.Errorf("web: route %q: host %q: %w", r.Pattern, r.Host, err)
		}
	}
	ru.reverse = reversePieces(r.Pattern)
	return ru, nil
}

// match reports whether path matches and returns the decoded groups.
func (ru *rule) match(path string) (args []string, ok bool) {
	if ru.isLit {
		return nil, path == ru.literal
	}
	m := ru.re.FindStringSubmatch(path)
	if m == nil {
		return nil, false
	}
	args = m[1:]
	for i, a := range args {
		if strings.IndexByte(a, '%') >= 0 {
			if d, err := url.PathUnescape(a); err == nil {
				args[i] = d
			}
		}
	}
	return args, true
}

// reversePieces splits a pattern into the literal text between its
// top-level groups, for ReverseURL; nil if the pattern cannot be
// reversed (nested groups, alternation or other metacharacters outside
// groups), as Tornado's URLSpec._find_groups.
func reversePieces(pattern string) []string {
	p := strings.TrimSuffix(strings.TrimPrefix(pattern, "^"), "$")
	var pieces []string
	var cur strings.Builder
	depth := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			if depth == 0 {
				cur.WriteByte(p[i+1])
			}
			i++
		case c == '(':
			if depth == 0 {
				pieces = append(pieces, cur.String())
				cur.Reset()
			}
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return nil
			}
		case depth == 0 && strings.IndexByte(".*+?[]{}|", c) >= 0:
			return nil
		case depth == 0:
			cur.WriteByte(c)
		}
	}
	if depth != 0 {
		return nil
	}
	return append(pieces, cur.String())
}

// reverseURL fills the rule's groups with args.
func (ru *rule) reverseURL(args []any) (string, error) {
	if ru.reverse == nil {
		return "", fmt.Errorf("web: route %q cannot be reversed", ru.Pattern)
	}
	if len(args) != len(ru.reverse)-1 {
		return "", fmt.Errorf("web: route %q takes %d arguments, got %d", ru.Name, len(ru.reverse)-1, len(args))
	}
	var b strings.Builder
	for i, piece := range ru.reverse {
		b.WriteString(piece)
		if i < len(args) {
			b.WriteString(url.PathEscape(fmt.Sprint(args[i])))
		}
	}
	return b.String(), nil
}

// router finds the rule for a request.
type router struct {
	rules []*rule
	named map[string]*rule
}

func newRouter(routes []Route) (*router, error) {
	rt := &router{named: make(map[string]*rule)}
	for _, r := range routes {
		if err := rt.add(r); err != nil {
			return nil, err
		}
	}
	return rt, nil
}

func (rt *router) add(r Route) error {
	ru, err := compileRoute(r)
	if err != nil {
		return err
	}
	if r.Name != "" {
		if _, dup := rt.named[r.Name]; dup {
			return fmt.Errorf("web: two routes named %q", r.Name)
		}
		rt.named[r.Name] = ru
	}
	rt.rules = append(rt.rules, ru)
	return nil
}

// find returns the first rule matching host and path, in the order the
// routes were given.
func (rt *router) find(host, path string) (*rule, []string) {
	for _, ru := range rt.rules {
		if ru.host != nil && !ru.host.MatchString(host) {
			continue
		}
		if args, ok := ru.match(path); ok {
			return ru, args
		}
	}
	return nil, nil
}

// hostOnly strips the port from a Host header value and lowercases it
// (host names are case-insensitive; patterns match the lowercase form).
func hostOnly(host string) string {
	return strings.ToLower(stripPort(host))
}

func stripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			return host[1:i]
		}
		return host
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		return host[:i]
	}
	return host
}

// Init returns a Route.Handler that makes a zero T for each request and
// passes it to init first, Tornado's initialize(**kwargs): the way to give
// a handler its dependencies.
//
//	{Pattern: `/notes/([0-9]+)`, Handler: web.Init(func(h *NoteHandler) { h.store = store })}
//
// (Fields of embedded structs are set the same way.)
func Init[T any, PT interface {
	*T
	Handler
}](init func(PT)) func() Handler {
	return func() Handler {
		h := PT(new(T))
		init(h)
		return h
	}
}
