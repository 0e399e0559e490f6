package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

func TestCookies(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/set`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			require.NoError(t, h.SetCookie("plain", "v1", web.CookieConfig{}))
			require.NoError(t, h.SetCookie("plain", "v2", web.CookieConfig{})) // replaces
			require.NoError(t, h.SetCookie("full", "x", web.CookieConfig{Path: "/p", Domain: "example.com",
				MaxAge: 60, Secure: true, HttpOnly: true, SameSite: httputil.SameSiteStrict}))
			assert.Error(t, h.SetCookie("bad", "a;b", web.CookieConfig{}))
			return h.Write(h.GetCookie("sent", "none"))
		})},
		{Pattern: `/error`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetCookie("kept", "1", web.CookieConfig{})
			return web.NewHTTPError(400, "")
		})},
		{Pattern: `/clear`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.ClearCookie("plain", web.CookieConfig{})
			return nil
		})},
	}, web.Config{})
	resp, body := s.Get("/set", "Cookie", "sent=hello")
	assert.Equal(t, "hello", body)
	sc := resp.Header.Values("Set-Cookie")
	require.Len(t, sc, 2)
	assert.Equal(t, "plain=v2; Path=/", sc[0])
	for _, attr := range []string{"full=x", "Path=/p", "Domain=example.com", "Max-Age=60", "Secure", "HttpOnly", "SameSite=Strict"} {
		assert.Contains(t, sc[1], attr)
	}
	resp, _ = s.Get("/error")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, []string{"kept=1; Path=/"}, resp.Header.Values("Set-Cookie"), "cookies survive an error page")
	resp, _ = s.Get("/clear")
	c := resp.Header.Get("Set-Cookie")
	assert.Contains(t, c, "plain=;")
	assert.Contains(t, c, "Max-Age=0")
	assert.Contains(t, c, "Expires=")
}

func TestSignedCookies(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	clock := looptest.NewFakeClock(now) // moved by the test, read by the loop
	routes := []web.Route{
		{Pattern: `/set`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			return h.SetSignedCookie("user", "alice|admin", web.CookieConfig{})
		})},
		{Pattern: `/get`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			v, err := h.GetSignedCookie("user", time.Hour)
			if err != nil {
				return h.Write("error: " + err.Error())
			}
			return h.Write("user=" + v)
		})},
	}
	s := serveApp(t, routes, web.Config{CookieSecret: "s3cret"}, ioloop.Config{Clock: clock})
	resp, _ := s.Get("/set")
	set := resp.Header.Get("Set-Cookie")
	require.NotEmpty(t, set)
	value := strings.TrimPrefix(strings.SplitN(set, ";", 2)[0], "user=")
	assert.Regexp(t, regexp.MustCompile(`^2\|1:0\|10:\d{10}\|4:user\|16:YWxpY2V8YWRtaW4=\|[0-9a-f]{64}$`), value)
	assert.Contains(t, set, "Expires=")

	get := func(cookie string) string {
		req, _ := http.NewRequest("GET", s.URL+"/get", nil)
		req.Header.Set("Cookie", "user="+cookie)
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b := make([]byte, 200)
		n, _ := resp.Body.Read(b)
		return string(b[:n])
	}
	assert.Equal(t, "user=alice|admin", get(value))
	forged := strings.Replace(value, "YWxpY2V8YWRtaW4=", "Ym9ifGFkbWluIGE=", 1)
	assert.Equal(t, "error: "+web.ErrCookieSignature.Error(), get(forged))
	assert.Equal(t, "error: "+web.ErrCookieSignature.Error(), get("garbage"))
	later := now.Add(2 * time.Hour)
	clock.Set(later)
	assert.Equal(t, "error: "+web.ErrCookieExpired.Error(), get(value))
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()

	// Tornado's format, byte for byte: the vector is what Debian's
	// python3-tornado 6.2 prints for create_signed_value("s3cret", "user",
	// "alice|admin", clock=lambda: 1764072000).
	app, err := web.NewApplication(nil, web.Config{CookieSecret: "s3cret"})
	require.NoError(t, err)
	tv := web.CreateSignedValue("s3cret", 0, "user", "alice|admin", time.Unix(1764072000, 0))
	assert.Equal(t, "2|1:0|10:1764072000|4:user|16:YWxpY2V8YWRtaW4=|1200ab6215762ffbe8d8464bca7d1757f142f822215f2cb8120cf2152ee93691", tv)
	got, err := app.DecodeSignedValue("user", tv, 0, time.Unix(1764072000, 0))
	require.NoError(t, err)
	assert.Equal(t, "alice|admin", got)
	_, err = app.DecodeSignedValue("other", tv, 0, time.Unix(1764072000, 0))
	assert.ErrorIs(t, err, web.ErrCookieSignature, "a value signed for another name")
}

func TestSignedCookieKeyRotation(t *testing.T) {
	old, err := web.NewApplication(nil, web.Config{CookieSecrets: map[int]string{1: "k1"}, CookieKeyVersion: 1})
	require.NoError(t, err)
	cur, err := web.NewApplication(nil, web.Config{CookieSecrets: map[int]string{1: "k1", 2: "k2"}, CookieKeyVersion: 2})
	require.NoError(t, err)
	v1 := web.CreateSignedValue("k1", 1, "n", "v", time.Now())
	got, err := cur.DecodeSignedValue("n", v1, 0, time.Now())
	require.NoError(t, err)
	assert.Equal(t, "v", got)
	v2 := web.CreateSignedValue("k2", 2, "n", "v", time.Now())
	_, err = old.DecodeSignedValue("n", v2, 0, time.Now())
	assert.ErrorIs(t, err, web.ErrCookieSignature)
	none, err := web.NewApplication(nil, web.Config{})
	require.NoError(t, err)
	_, err = none.DecodeSignedValue("n", v2, 0, time.Now())
	assert.ErrorIs(t, err, web.ErrNoCookieSecret)
}

type xsrfPage struct{ web.RequestHandler }

func (h *xsrfPage) Get(co *gen.Co) error  { return h.Write(h.XSRFFormHTML()) }
func (h *xsrfPage) Post(co *gen.Co) error { return h.Write("accepted") }

func TestXSRF(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[xsrfPage]()}}, web.Config{XSRFCookies: true})
	resp, page := s.Get("/")
	m := regexp.MustCompile(`name="_xsrf" value="([^"]+)"`).FindStringSubmatch(page)
	require.Len(t, m, 2)
	token := m[1]
	cookie := resp.Header.Get("Set-Cookie")
	require.True(t, strings.HasPrefix(cookie, "_xsrf=2|"), cookie)

	// A second page load masks the same token differently.
	_, page2 := s.Get("/")
	token2 := regexp.MustCompile(`name="_xsrf" value="([^"]+)"`).FindStringSubmatch(page2)[1]
	assert.NotEqual(t, token, token2)

	form := func(tok string) string { return url.Values{"_xsrf": {tok}}.Encode() }
	cases := []struct {
		name   string
		body   string
		hdr    []string
		status int
	}{
		{"field", form(token), []string{"Content-Type", "application/x-www-form-urlencoded"}, 200},
		{"other masking of the same token", form(token2), []string{"Content-Type", "application/x-www-form-urlencoded"}, 200},
		{"X-XSRFToken", "", []string{"X-XSRFToken", token}, 200},
		{"X-CSRFToken", "", []string{"X-CSRFToken", token}, 200},
		{"missing", "", nil, 403},
		{"garbled", form("2|zz|zz|1"), []string{"Content-Type", "application/x-www-form-urlencoded"}, 403},
		{"wrong", form("2|00000000|00112233445566778899aabbccddeeff|1"), []string{"Content-Type", "application/x-www-form-urlencoded"}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := s.Do("POST", "/", c.body, c.hdr...)
			assert.Equal(t, c.status, resp.StatusCode, body)
		})
	}
	t.Run("no cookie", func(t *testing.T) {
		req, _ := http.NewRequest("POST", s.URL+"/", strings.NewReader(form(token)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		assert.Equal(t, 403, resp.StatusCode)
	})
}

type userHandler struct{ web.RequestHandler }

func (h *userHandler) GetCurrentUser() (any, error) {
	if u := h.GetCookie("user", ""); u != "" {
		return u, nil
	}
	return nil, nil
}
func (h *userHandler) Get(co *gen.Co) error  { return h.Write("hello " + h.CurrentUser().(string)) }
func (h *userHandler) Post(co *gen.Co) error { return h.Write("posted") }

func TestAuthenticated(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/admin`, Handler: web.Authenticated(web.Make[userHandler]())}},
		web.Config{LoginURL: "/login"})
	resp, _ := s.Get("/admin?tab=1")
	assert.Equal(t, 302, resp.StatusCode)
	assert.Equal(t, "/login?next=%2Fadmin%3Ftab%3D1", resp.Header.Get("Location"))
	resp, _ = s.Do("POST", "/admin", "x")
	assert.Equal(t, 403, resp.StatusCode)
	resp, body := s.Get("/admin", "Cookie", "user=ann")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello ann", body)
}

// cookieUser has no GetCurrentUser: Config.UserCookie names its user.
type cookieUser struct{ web.RequestHandler }

func (h *cookieUser) Get(co *gen.Co) error {
	u, _ := web.User[string](h)
	return h.Write("hello " + u)
}

func (h *cookieUser) Post(co *gen.Co) error {
	name, err := h.GetArgument("name")
	if err != nil {
		return err
	}
	return h.SetSignedCookie("user", name, web.CookieConfig{})
}

func TestUserCookie(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/admin`, Handler: web.Authenticated(web.Make[cookieUser]())},
		{Pattern: `/login`, Handler: web.Make[cookieUser]()},
	}, web.Config{LoginURL: "/login", UserCookie: "user", CookieSecret: "s3cret"})
	resp, _ := s.Get("/admin")
	assert.Equal(t, 302, resp.StatusCode, "no cookie: nobody")
	resp, _ = s.Get("/admin", "Cookie", "user=ann")
	assert.Equal(t, 302, resp.StatusCode, "an unsigned cookie is nobody")
	resp, _ = s.Do("POST", "/login?name=ann", "")
	require.Equal(t, 200, resp.StatusCode)
	resp, body := s.Get("/admin") // the jar sends the signed cookie
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello ann", body)
}

func TestUserCookieNeedsASecret(t *testing.T) {
	_, err := web.NewApplication(nil, web.Config{UserCookie: "user"})
	assert.ErrorContains(t, err, "CookieSecret")
}
