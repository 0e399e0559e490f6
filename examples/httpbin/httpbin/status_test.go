package httpbin_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
)

func TestStatus(t *testing.T) {
	s := serve(t, httpbin.Config{})
	tests := []struct {
		path   string
		status int
		header map[string]string
		body   string
	}{
		{"/status/200", 200, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, ""},
		{"/status/201", 201, nil, ""},
		{"/status/204", 204, nil, ""},
		{"/status/100", 200, nil, ""},
		{"/status/302", 302, map[string]string{"Location": "/redirect/1"}, ""},
		{"/status/304", 304, nil, ""},
		{"/status/308", 308, map[string]string{"Location": "/image/jpeg"}, "Permanently redirected"},
		{"/status/401", 401, map[string]string{"WWW-Authenticate": `Basic realm="Fake Realm"`}, ""},
		{"/status/402", 402, map[string]string{"X-More-Info": "http://vimeo.com/22053820"}, "Fuck you, pay me!"},
		{"/status/406", 406, map[string]string{"Content-Type": "application/json; charset=utf-8"}, `"message": "Client did not request a supported media type"`},
		{"/status/418", 418, map[string]string{"X-More-Info": "http://tools.ietf.org/html/rfc2324"}, "I'm a teapot!"},
		{"/status/500", 500, nil, ""},
		{"/status/599", 599, nil, ""},
		{"/status/503:0,504:1", 504, nil, ""}, // weight 0 is never picked
		{"/status/600", 400, nil, "not in range [100, 599]"},
		{"/status/99", 400, nil, "not in range"},
		{"/status/abc", 400, nil, "invalid status code"},
		{"/status/200,x", 400, nil, "invalid choice"},
		{"/status/200:x,201", 400, nil, "invalid weight"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := s.get(tc.path)
			assert.Equal(t, tc.status, resp.StatusCode)
			for k, v := range tc.header {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			assert.Contains(t, string(body), tc.body)
			if tc.body == "" {
				assert.Empty(t, body)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	s := serve(t, httpbin.Config{})
	host := strings.TrimPrefix(s.base, "http://")
	tests := []struct {
		path     string
		status   int
		location string
	}{
		{"/redirect/3", 302, "/relative-redirect/2"},
		{"/redirect/1", 302, "/get"},
		{"/redirect/2?absolute=true", 302, "http://" + host + "/absolute-redirect/1"},
		{"/redirect/2?absolute=TRUE", 302, "http://" + host + "/absolute-redirect/1"},
		{"/relative-redirect/5", 302, "/relative-redirect/4"},
		{"/relative-redirect/1", 302, "/get"},
		{"/absolute-redirect/3", 302, "http://" + host + "/absolute-redirect/2"},
		{"/absolute-redirect/1", 302, "http://" + host + "/get"},
		{"/redirect/0", 400, ""},
		{"/redirect/-1", 400, ""},
		{"/absolute-redirect/x", 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, _ := s.get(tc.path)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.location, resp.Header.Get("Location"))
		})
	}

	// A client that follows them ends on /get after n hops.
	for _, path := range []string{"/redirect/4", "/absolute-redirect/4", "/redirect/4?absolute=true"} {
		hops := 0
		c := &http.Client{Transport: s.c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { hops++; return nil }}
		resp, err := c.Get(s.base + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Equal(t, "/get", resp.Request.URL.Path, path)
		assert.Equal(t, 4, hops, path)
	}
}

func TestCookies(t *testing.T) {
	s := serve(t, httpbin.Config{})
	resp, body := s.do(req{path: "/cookies", header: map[string]string{"Cookie": "a=1; b=two"}})
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"cookies": {"a": "1", "b": "two"}}`, string(body))
	_, body = s.get("/cookies")
	assert.JSONEq(t, `{"cookies": {}}`, string(body))

	resp, _ = s.get("/cookies/set?k1=v1&k2=v2&attr[SameSite]=lax&attr[httponly]=false")
	assert.Equal(t, 302, resp.StatusCode)
	assert.Equal(t, "/cookies", resp.Header.Get("Location"))
	set := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		set[c.Name] = c
	}
	require.Len(t, set, 2, "the attr[] arguments are not cookies")
	assert.Equal(t, "v1", set["k1"].Value)
	assert.Equal(t, "/", set["k1"].Path)
	assert.False(t, set["k1"].HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, set["k2"].SameSite)

	resp, _ = s.get("/cookies/set?k=v")
	require.Len(t, resp.Cookies(), 1)
	assert.True(t, resp.Cookies()[0].HttpOnly, "HttpOnly by default")

	resp, _ = s.get("/cookies/set?k=a%3Bb")
	assert.Equal(t, 400, resp.StatusCode, "a value a Set-Cookie header cannot hold")

	resp, _ = s.get("/cookies/delete?k1")
	assert.Equal(t, 302, resp.StatusCode)
	require.Len(t, resp.Cookies(), 1)
	assert.Equal(t, "k1", resp.Cookies()[0].Name)
	assert.True(t, resp.Cookies()[0].MaxAge < 0, "expired: %v", resp.Header.Values("Set-Cookie"))

	// A browser-like session: set, follow to /cookies, delete.
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Transport: s.c.Transport, Jar: jar}
	resp, err = c.Get(s.base + "/cookies/set?session=abc&theme=dark")
	require.NoError(t, err)
	got := object(t, readAll(t, resp))
	assert.Equal(t, map[string]any{"session": "abc", "theme": "dark"}, got["cookies"])
	resp, err = c.Get(s.base + "/cookies/delete?theme")
	require.NoError(t, err)
	got = object(t, readAll(t, resp))
	assert.Equal(t, map[string]any{"session": "abc"}, got["cookies"])
}

func TestBasicAuth(t *testing.T) {
	s := serve(t, httpbin.Config{})
	basic := func(cred string) map[string]string {
		return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(cred))}
	}
	tests := []struct {
		name   string
		path   string
		header map[string]string
		status int
		user   string
	}{
		{"right", "/basic-auth/user/pass", basic("user:pass"), 200, "user"},
		{"password with colon", "/basic-auth/u/p:q", basic("u:p:q"), 200, "u"},
		{"wrong password", "/basic-auth/user/pass", basic("user:nope"), 401, "user"},
		{"wrong user", "/basic-auth/user/pass", basic("other:pass"), 401, "other"},
		{"none", "/basic-auth/user/pass", nil, 401, ""},
		{"not basic", "/basic-auth/user/pass", map[string]string{"Authorization": "Bearer xyz"}, 401, ""},
		{"bad base64", "/basic-auth/user/pass", map[string]string{"Authorization": "Basic %%%"}, 401, ""},
		{"lower-case scheme", "/basic-auth/user/pass", map[string]string{"Authorization": "basic " + base64.StdEncoding.EncodeToString([]byte("user:pass"))}, 200, "user"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.do(req{path: tc.path, header: tc.header})
			assert.Equal(t, tc.status, resp.StatusCode)
			m := object(t, body)
			assert.Equal(t, tc.status == 200, m["authenticated"])
			assert.Equal(t, tc.status == 200, m["authorized"])
			assert.Equal(t, tc.user, m["user"])
			if tc.status == 401 {
				assert.Equal(t, `Basic realm="Fake Realm"`, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	// net/http's own Basic auth is understood.
	hr, _ := http.NewRequestWithContext(context.Background(), "GET", s.base+"/basic-auth/a%20b/c", nil)
	hr.SetBasicAuth("a b", "c")
	resp, err := s.c.Do(hr)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "path arguments are percent-decoded")
}

func TestResponseHeaders(t *testing.T) {
	s := serve(t, httpbin.Config{})
	resp, body := s.get("/response-headers?X-Custom=1&X-Custom=2&Server=httpbin")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"1", "2"}, resp.Header.Values("X-Custom"))
	assert.Equal(t, "httpbin", resp.Header.Get("Server"))
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"X-Custom": ["1", "2"], "Server": ["httpbin"], "Content-Type": ["application/json; charset=utf-8"]}`, string(body))

	resp, body = s.get("/response-headers?Content-Type=text/html&X-Evil=%3Cscript%3E")
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Equal(t, "<script>", resp.Header.Get("X-Evil"))
	assert.JSONEq(t, `{"Content-Type": ["text/html"], "X-Evil": ["&lt;script&gt;"]}`, string(body), "escaped for a type that renders as HTML")

	resp, _ = s.get("/response-headers?ETag=%22x%22")
	assert.Equal(t, 200, resp.StatusCode)
	resp, _ = s.do(req{path: "/response-headers?ETag=%22x%22", header: map[string]string{"If-None-Match": `"x"`}})
	assert.Equal(t, 200, resp.StatusCode, "an ETag header is not a cache validator here")

	resp, body = s.get("/response-headers?Content-Length=5&Transfer-Encoding=chunked")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(len(body)), resp.ContentLength, "framing stays the server's")
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b
}
