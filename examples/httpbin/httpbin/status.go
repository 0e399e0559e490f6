package httpbin

import (
	"encoding/base64"
	"fmt"
	"html"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/web"
)

// statusCase is what /status/{code} adds to a bare status.
type statusCase struct {
	headers map[string]string
	body    string
}

var redirectCase = &statusCase{headers: map[string]string{"Location": "/redirect/1"}}

// statusCases are go-httpbin's special cases of /status/{code}.
var statusCases = map[int]*statusCase{
	300: {headers: map[string]string{"Location": "/image/jpeg"}, body: `<!doctype html>
<head>
<title>Multiple Choices</title>
</head>
<body>
<ul>
<li><a href="/image/jpeg">/image/jpeg</a></li>
<li><a href="/image/png">/image/png</a></li>
<li><a href="/image/svg">/image/svg</a></li>
</body>
</html>`},
	301: redirectCase, 302: redirectCase, 303: redirectCase, 305: redirectCase, 307: redirectCase,
	308: {headers: map[string]string{"Location": "/image/jpeg"}, body: `<!doctype html>
<head>
<title>Permanent Redirect</title>
</head>
<body>Permanently redirected to <a href="/image/jpeg">/image/jpeg</a>
</body>
</html>`},
	401: {headers: map[string]string{"WWW-Authenticate": `Basic realm="Fake Realm"`}},
	402: {headers: map[string]string{"X-More-Info": "http://vimeo.com/22053820"}, body: "Fuck you, pay me!"},
	406: {headers: map[string]string{"Content-Type": jsonType}, body: `{
  "message": "Client did not request a supported media type",
  "accept": [
    "image/webp",
    "image/svg+xml",
    "image/jpeg",
    "image/png",
    "image/"
  ]
}
`},
	407: {headers: map[string]string{"Proxy-Authenticate": `Basic realm="Fake Realm"`}},
	418: {headers: map[string]string{"X-More-Info": "http://tools.ietf.org/html/rfc2324"}, body: "I'm a teapot!"},
}

// parseStatus parses a status code in [lo, hi].
func parseStatus(s string, lo, hi int) (int, error) {
	code, err := strconv.Atoi(s)
	if err != nil {
		return 0, badRequest("invalid status code: %q", s)
	}
	if code < lo || code > hi {
		return 0, badRequest("invalid status code: %d not in range [%d, %d]", code, lo, hi)
	}
	return code, nil
}

// statusHandler serves /status/{codes}: one code, or a comma list of
// code[:weight] to pick from at random.
type statusHandler struct{ anyMethod }

func (h *statusHandler) Serve(*gen.Co) error {
	code, err := pickStatus(h.PathArgs[0])
	if err != nil {
		return err
	}
	h.SetHeader("Content-Type", textType)
	if code < 200 {
		// An interim status cannot end a response; go-httpbin's
		// clients see the 200 that follows it.
		code = http.StatusOK
	}
	h.SetStatus(code)
	if c, ok := statusCases[code]; ok {
		for k, v := range c.headers {
			h.SetHeader(k, v)
		}
		return h.Write(c.body)
	}
	return nil
}

// pickStatus parses /status's argument and picks the code.
func pickStatus(raw string) (int, error) {
	if !strings.Contains(raw, ",") {
		return parseStatus(raw, 100, 599)
	}
	var codes []int
	var weights []float64
	total := 0.0
	for _, pair := range strings.Split(raw, ",") {
		rawCode, rawWeight, found := strings.Cut(pair, ":")
		w := 1.0
		if found {
			var err error
			if w, err = strconv.ParseFloat(rawWeight, 64); err != nil || w < 0 {
				return 0, badRequest("invalid weight value: %q", rawWeight)
			}
		}
		code, err := strconv.Atoi(rawCode)
		if err != nil {
			return 0, badRequest("invalid choice value: %q", rawCode)
		}
		if code < 100 || code > 599 {
			return 0, badRequest("invalid status code: %d not in range [100, 599]", code)
		}
		codes, weights = append(codes, code), append(weights, w)
		total += w
	}
	x := rand.Float64() * total
	for i, w := range weights {
		if x < w {
			return codes[i], nil
		}
		x -= w
	}
	return codes[len(codes)-1], nil
}

// redirectHandler serves /redirect/{n} (relative unless ?absolute=true),
// /relative-redirect/{n} and /absolute-redirect/{n}: a 302 to the same
// endpoint with n-1, and to /get at the end.
type redirectHandler struct{ anyMethod }

func (h *redirectHandler) Serve(*gen.Co) error {
	kind, rawN := h.PathArgs[0], h.PathArgs[1]
	n, err := strconv.Atoi(rawN)
	if err != nil {
		return badRequest("invalid redirect count: %q", rawN)
	}
	if n < 1 {
		return badRequest("redirect count must be > 0")
	}
	relative := kind == "relative-redirect"
	if kind == "redirect" {
		abs, _ := h.GetQueryArgument("absolute", "")
		relative = strings.ToLower(abs) != "true"
	}
	path := "/get"
	switch {
	case n <= 1:
	case relative:
		path = fmt.Sprintf("/relative-redirect/%d", n-1)
	default:
		path = fmt.Sprintf("/absolute-redirect/%d", n-1)
	}
	if !relative {
		path = h.scheme() + "://" + h.Request.Host + path
	}
	h.ClearHeader("Content-Type")
	return h.Redirect(path, false)
}

// cookiesHandler serves /cookies: the request's cookies.
type cookiesHandler struct{ anyMethod }

func (h *cookiesHandler) Serve(*gen.Co) error {
	return h.writeJSON(map[string]any{"cookies": h.Request.Cookies()})
}

// setCookiesHandler serves /cookies/set and /cookies/delete: each query
// argument (but attr[Name]) sets or deletes a cookie, with HttpOnly, Path
// / and Secure over https unless attr[HttpOnly], attr[Path],
// attr[Secure], attr[Domain] or attr[SameSite] say otherwise; then a 302
// to /cookies.
type setCookiesHandler struct{ anyMethod }

func (h *setCookiesHandler) Serve(*gen.Co) error {
	del := h.PathArgs[0] == "delete"
	args := h.Request.QueryArguments()
	o := h.cookieOptions(args)
	seen := map[string]bool{}
	for name := range args.All() {
		if isCookieAttr(name) || seen[name] {
			continue
		}
		seen[name] = true
		if del {
			h.ClearCookie(name, o)
			continue
		}
		if err := h.SetCookie(name, args.Get(name), o); err != nil {
			return badRequest("cookie %q: %v", name, err)
		}
	}
	h.ClearHeader("Content-Type")
	return h.Redirect("/cookies", false)
}

func isCookieAttr(name string) bool {
	return strings.HasPrefix(name, "attr[") && strings.HasSuffix(name, "]")
}

func (h *setCookiesHandler) cookieOptions(args *httputil.Args) web.CookieConfig {
	o := web.CookieConfig{Path: "/", HttpOnly: true, Secure: h.scheme() == "https"}
	for name, v := range args.All() {
		if !isCookieAttr(name) {
			continue
		}
		switch strings.ToLower(name[5 : len(name)-1]) {
		case "domain":
			o.Domain = v
		case "httponly":
			o.HttpOnly = boolParam(v)
		case "path":
			o.Path = v
		case "secure":
			o.Secure = boolParam(v)
		case "samesite":
			switch strings.ToLower(v) {
			case "strict":
				o.SameSite = httputil.SameSiteStrict
			case "lax":
				o.SameSite = httputil.SameSiteLax
			case "none":
				o.SameSite = httputil.SameSiteNone
			}
		}
	}
	return o
}

func boolParam(s string) bool { return s == "1" || strings.EqualFold(s, "true") }

// basicAuthHandler serves /basic-auth/{user}/{password}: 200 if the
// request's Basic credentials are those, else 401 with a challenge.
type basicAuthHandler struct{ anyMethod }

func (h *basicAuthHandler) Serve(*gen.Co) error {
	user, pass, _ := basicAuth(h.Request.Header.Get("Authorization"))
	ok := user == h.PathArgs[0] && pass == h.PathArgs[1]
	if !ok {
		h.SetStatus(http.StatusUnauthorized)
		h.SetHeader("WWW-Authenticate", `Basic realm="Fake Realm"`)
	}
	return h.writeJSON(map[string]any{"authenticated": ok, "authorized": ok, "user": user})
}

// basicAuth parses Basic credentials, as net/http's Request.BasicAuth.
func basicAuth(header string) (user, pass string, ok bool) {
	const prefix = "basic "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(header[len(prefix):])
	if err != nil {
		return "", "", false
	}
	user, pass, ok = strings.Cut(string(raw), ":")
	if !ok {
		return "", "", false
	}
	return user, pass, true
}

// responseHeadersHandler serves /response-headers: each query argument
// becomes a response header (Content-Type defaults to JSON), and the body
// is those headers as JSON, HTML-escaped if the Content-Type asked for
// could render as HTML. Content-Length and Transfer-Encoding are the
// server's to set and are left out of the response headers.
type responseHeadersHandler struct{ anyMethod }

func (h *responseHeadersHandler) Serve(*gen.Co) error {
	args := h.Request.QueryArguments().Clone()
	ct := args.Get("Content-Type")
	if ct == "" {
		ct = jsonType
		args.Set("Content-Type", ct)
	}
	h.ClearHeader("Content-Type")
	for k, v := range args.All() {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Transfer-Encoding":
			continue
		}
		h.AddHeader(k, v)
	}
	body := argsMap(args)
	if dangerous(ct) {
		esc := make(map[string][]string, len(body))
		for k, vs := range body {
			for _, v := range vs {
				ek := html.EscapeString(k)
				esc[ek] = append(esc[ek], html.EscapeString(v))
			}
		}
		body = esc
	}
	return h.Write(jsonLine(body))
}

// dangerous reports whether a browser might render a body of content
// type ct as HTML (go-httpbin's isDangerousContentType).
func dangerous(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true
	}
	switch mt {
	case "text/plain", "application/json", "application/octet-string":
		return false
	}
	return true
}
