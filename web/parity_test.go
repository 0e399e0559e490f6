package web_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

// Edge cases where Gornado answers as Tornado does.

// tokenAPI authenticates by a header, so it turns the XSRF check off as a
// Tornado handler overriding check_xsrf_cookie would.
type tokenAPI struct{ web.RequestHandler }

func (h *tokenAPI) CheckXSRFCookie() error {
	if h.Request.Header.Get("Authorization") == "Bearer ok" {
		return nil
	}
	return &web.HTTPError{Code: http.StatusForbidden, Message: "no bearer token"}
}
func (h *tokenAPI) Post(co *gen.Co) error { return h.Write("api ok") }

func TestXSRFOverrideAndUnknownPaths(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/api`, Handler: web.Make[tokenAPI]()},
		{Pattern: `/form`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("form ok") })},
	}, web.Config{XSRFCookies: true})
	for _, tc := range []struct {
		path, auth string
		want       int
	}{
		{"/api", "Bearer ok", 200},  // the handler's own check passes
		{"/api", "", 403},           // and refuses
		{"/form", "Bearer ok", 403}, // the cookie check still guards the others
		{"/missing", "", 404},       // an unknown path is not found, not forbidden
	} {
		resp, body := s.Do("POST", tc.path, "x=1", "Content-Type", "application/x-www-form-urlencoded", "Authorization", tc.auth)
		assert.Equal(t, tc.want, resp.StatusCode, "%s %q: %s", tc.path, tc.auth, body)
	}
}

func TestNotModifiedOnlyForGetAndHead(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/doc`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
		h.SetHeader("Etag", `"v1"`)
		return h.Write("the document")
	})}}, web.Config{})
	resp, _ := s.Get("/doc", "If-None-Match", `"v1"`)
	assert.Equal(t, 304, resp.StatusCode)
	// A POST with the same validator is answered in full (RFC 9110 §13.1.2).
	resp, body := s.Do("POST", "/doc", "", "If-None-Match", `"v1"`)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "the document", body)
}

type account struct{ name string }

// nilUserHandler's lookup finds nobody and says so with a nil *account.
type nilUserHandler struct{ web.RequestHandler }

func (h *nilUserHandler) GetCurrentUser() (any, error) {
	var a *account
	return a, nil
}
func (h *nilUserHandler) Get(co *gen.Co) error { return h.Write("secret") }

func TestTypedNilUserIsNobody(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/admin`, Handler: web.Authenticated(web.Make[nilUserHandler]())}},
		web.Config{LoginURL: "/login"})
	resp, body := s.Get("/admin")
	assert.Equal(t, 302, resp.StatusCode, body)
	assert.Equal(t, "/login?next=%2Fadmin", resp.Header.Get("Location"))
	assert.NotContains(t, body, "secret")
}

func TestHostRoutingIgnoresCase(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Host: `api\.example\.com`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("api") })},
		{Pattern: `/`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("www") })},
	}, web.Config{})
	for host, want := range map[string]string{
		"API.Example.COM":      "200 api",
		"api.example.com:8080": "200 api",
		"Www.Example.com":      "200 www",
	} {
		c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
		require.NoError(t, err)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		b := new(strings.Builder)
		_, _ = bufio.NewReader(resp.Body).WriteTo(b)
		resp.Body.Close()
		c.Close()
		assert.Equal(t, want, fmt.Sprint(resp.StatusCode, " ", b.String()), host)
	}
}

// davHandler serves a method outside the standard seven.
type davHandler struct{ web.RequestHandler }

func (h *davHandler) SupportedMethods() []string { return []string{"GET", "PROPFIND"} }
func (h *davHandler) Get(co *gen.Co) error       { return h.Write("get") }
func (h *davHandler) ServeMethod(co *gen.Co, method string) error {
	h.SetStatus(207)
	return h.Write(strings.ToLower(method))
}

func TestOtherMethods(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/dav`, Handler: web.Make[davHandler]()},
		{Pattern: `/plain`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("plain") })},
	}, web.Config{})
	resp, body := s.Do("PROPFIND", "/dav", "")
	assert.Equal(t, 207, resp.StatusCode)
	assert.Equal(t, "propfind", body)
	resp, _ = s.Do("POST", "/dav", "")
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "GET, PROPFIND", resp.Header.Get("Allow"))
	// A handler that does not list it refuses it.
	resp, _ = s.Do("PROPFIND", "/plain", "")
	assert.Equal(t, 405, resp.StatusCode)
}

// A 304 has the standard reason, whatever the handler set for its 200
// (Tornado's finish calls set_status(304)).
func TestNotModifiedHasTheStandardReason(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/doc`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
		h.SetReason("Fine Thanks")
		h.SetHeader("Etag", `"v1"`)
		return h.Write("the document")
	})}}, web.Config{})
	resp, _ := s.Get("/doc")
	assert.Equal(t, "200 Fine Thanks", resp.Status)
	resp, _ = s.Get("/doc", "If-None-Match", `"v1"`)
	assert.Equal(t, "304 Not Modified", resp.Status)
}
