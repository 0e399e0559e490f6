package httpbin_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
)

// multipartBody is a form with a field and two files in one part name.
func multipartBody(t *testing.T) (string, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	require.NoError(t, w.WriteField("name", "gornado"))
	for _, c := range []string{"first file\n", "second file\n"} {
		f, err := w.CreateFormFile("upload", "f.txt")
		require.NoError(t, err)
		f.Write([]byte(c))
	}
	require.NoError(t, w.Close())
	return b.String(), w.FormDataContentType()
}

func TestEchoEndpoints(t *testing.T) {
	s := serve(t, httpbin.Config{})
	mp, mpType := multipartBody(t)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	tests := []struct {
		name  string
		req   req
		check func(t *testing.T, m map[string]any)
	}{
		{"get with args", req{path: "/get?a=1&a=2&b=two+words&c=%C3%A9", header: map[string]string{"X-Test": "yes"}},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"a": []any{"1", "2"}, "b": []any{"two words"}, "c": []any{"é"}}, m["args"])
				assert.Equal(t, "GET", m["method"])
				assert.Equal(t, "127.0.0.1", m["origin"])
				assert.Equal(t, s.base+"/get?a=1&a=2&b=two+words&c=%C3%A9", m["url"])
				h := m["headers"].(map[string]any)
				assert.Equal(t, []string{"yes"}, list(h["X-Test"]))
				assert.Equal(t, []string{s.base[len("http://"):]}, list(h["Host"]))
				assert.NotContains(t, m, "data", "no body fields on /get")
			}},
		{"post form", req{method: "POST", path: "/post?q=1", body: "x=1&x=2&y=a%26b", header: form},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"x": []any{"1", "2"}, "y": []any{"a&b"}}, m["form"])
				assert.Equal(t, map[string]any{"q": []any{"1"}}, m["args"])
				assert.Equal(t, "x=1&x=2&y=a%26b", m["data"])
				assert.Equal(t, map[string]any{}, m["files"])
				assert.Nil(t, m["json"])
			}},
		{"post json", req{method: "POST", path: "/post", body: `{"n": 1.5, "list": [true, null, "x"]}`, header: map[string]string{"Content-Type": "application/json; charset=utf-8"}},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"n": 1.5, "list": []any{true, nil, "x"}}, m["json"])
				assert.Equal(t, map[string]any{}, m["form"])
			}},
		{"put multipart", req{method: "PUT", path: "/put", body: mp, header: map[string]string{"Content-Type": mpType}},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"name": []any{"gornado"}}, m["form"])
				assert.Equal(t, map[string]any{"upload": []any{"first file\n", "second file\n"}}, m["files"])
				assert.Equal(t, "PUT", m["method"])
			}},
		{"patch text", req{method: "PATCH", path: "/patch", body: "just text", header: map[string]string{"Content-Type": "text/plain"}},
			func(t *testing.T, m map[string]any) { assert.Equal(t, "just text", m["data"]) }},
		{"delete binary as data URL", req{method: "DELETE", path: "/delete", body: "\x00\xff?", header: map[string]string{"Content-Type": "image/x-odd"}},
			func(t *testing.T, m map[string]any) { assert.Equal(t, "data:image/x-odd;base64,AP8_", m["data"]) }},
		{"delete empty", req{method: "DELETE", path: "/delete"},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, "", m["data"])
				assert.Equal(t, map[string]any{}, m["form"])
			}},
		{"anything GET with a form body", req{path: "/anything/deep/path?z=9", body: "k=v", header: form},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"k": []any{"v"}}, m["form"])
				assert.Equal(t, s.base+"/anything/deep/path?z=9", m["url"])
			}},
		{"anything POST", req{method: "POST", path: "/anything", body: "k=v", header: form},
			func(t *testing.T, m map[string]any) { assert.Equal(t, "POST", m["method"]) }},
		{"headers", req{path: "/headers", header: map[string]string{"x-lower-case": "v"}},
			func(t *testing.T, m map[string]any) {
				h := m["headers"].(map[string]any)
				assert.Equal(t, []string{"v"}, list(h["X-Lower-Case"]), "canonical names")
				assert.Len(t, m, 1)
			}},
		{"ip", req{path: "/ip"},
			func(t *testing.T, m map[string]any) { assert.Equal(t, map[string]any{"origin": "127.0.0.1"}, m) }},
		{"ip from X-Forwarded-For", req{path: "/ip", header: map[string]string{"X-Forwarded-For": "203.0.113.9, 10.0.0.1"}},
			func(t *testing.T, m map[string]any) { assert.Equal(t, "203.0.113.9", m["origin"]) }},
		{"url from X-Forwarded-Proto", req{path: "/get", header: map[string]string{"X-Forwarded-Proto": "https", "Host": "example.test"}},
			func(t *testing.T, m map[string]any) { assert.Equal(t, "https://example.test/get", m["url"]) }},
		{"user-agent", req{path: "/user-agent", header: map[string]string{"User-Agent": "gornado-test/1"}},
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, map[string]any{"user-agent": "gornado-test/1"}, m)
			}},
		{"headers any method", req{method: "POST", path: "/headers"},
			func(t *testing.T, m map[string]any) { assert.Contains(t, m, "headers") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.do(tc.req)
			require.Equal(t, 200, resp.StatusCode, "body: %s", body)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Empty(t, resp.Header.Get("Etag"), "httpbin sends no ETag")
			tc.check(t, object(t, body))
		})
	}
}

func TestIPAsText(t *testing.T) {
	s := serve(t, httpbin.Config{})
	resp, body := s.get("/ip?format=text")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "127.0.0.1\n", string(body))
}

func TestGzip(t *testing.T) {
	s := serve(t, httpbin.Config{})
	resp, body := s.do(req{path: "/gzip?x=1", header: map[string]string{"Accept-Encoding": "identity"}})
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), "compressed whatever the client accepts")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	m := object(t, plain)
	assert.Equal(t, true, m["gzipped"])
	assert.Equal(t, map[string]any{"x": []any{"1"}}, m["args"])
	assert.Equal(t, "", m["url"], "go-httpbin leaves it empty")

	resp, _ = s.do(req{method: "HEAD", path: "/gzip"})
	assert.Equal(t, 200, resp.StatusCode)
}

// Each body endpoint takes its own method only; OPTIONS is a preflight
// everywhere; HEAD of /get and /anything is GET without a body.
func TestMethods(t *testing.T) {
	s := serve(t, httpbin.Config{})
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/get", 200}, {"HEAD", "/get", 200}, {"POST", "/get", 405}, {"DELETE", "/get", 405},
		{"POST", "/post", 200}, {"GET", "/post", 405}, {"PUT", "/post", 405},
		{"PUT", "/put", 200}, {"POST", "/put", 405},
		{"PATCH", "/patch", 200}, {"GET", "/patch", 405},
		{"DELETE", "/delete", 200}, {"GET", "/delete", 405},
		{"GET", "/anything", 200}, {"HEAD", "/anything/x", 200}, {"PATCH", "/anything", 200}, {"DELETE", "/anything/y", 200},
		{"OPTIONS", "/get", 200}, {"OPTIONS", "/post", 200}, {"OPTIONS", "/nowhere", 200},
		{"GET", "/nowhere", 404}, {"POST", "/nowhere", 404}, {"GET", "/anythingelse", 404}, {"GET", "/get/", 404},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := s.do(req{method: tc.method, path: tc.path, header: map[string]string{"Origin": "http://site.test"}})
			assert.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			assert.Equal(t, "http://site.test", resp.Header.Get("Access-Control-Allow-Origin"), "CORS on every answer")
			assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
			switch {
			case tc.method == "HEAD":
				assert.Empty(t, body)
			case tc.method == "OPTIONS":
				assert.Empty(t, body)
				assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "PATCH")
				assert.Equal(t, "3600", resp.Header.Get("Access-Control-Max-Age"))
			case tc.status >= 400:
				m := object(t, body)
				assert.Equal(t, float64(tc.status), m["status_code"])
				assert.Equal(t, http.StatusText(tc.status), m["error"])
			}
		})
	}
	resp, _ := s.do(req{method: "OPTIONS", path: "/get", header: map[string]string{"Access-Control-Request-Headers": "X-A, X-B"}})
	assert.Equal(t, "X-A, X-B", resp.Header.Get("Access-Control-Allow-Headers"))
}

// Bodies that do not parse as their Content-Type says are a 400, and one
// over MaxBodySize is refused by the server.
func TestBadBodies(t *testing.T) {
	s := serve(t, httpbin.Config{MaxBodySize: 1024})
	tests := []struct {
		name   string
		req    req
		status int
	}{
		{"bad json", req{method: "POST", path: "/post", body: `{"a":`, header: map[string]string{"Content-Type": "application/json"}}, 400},
		{"multipart without boundary", req{method: "POST", path: "/post", body: "--x\r\n", header: map[string]string{"Content-Type": "multipart/form-data"}}, 400},
		{"too large", req{method: "POST", path: "/post", body: string(make([]byte, 2048)), header: map[string]string{"Content-Type": "text/plain"}}, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.do(tc.req)
			assert.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
		})
	}
}
