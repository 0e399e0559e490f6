package interop

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	gohttpbin "github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// hbServers are the two httpbins under comparison: Gornado's
// (examples/httpbin, on a loop of its own goroutine) and go-httpbin (on
// net/http), both on loopback.
type hbServers struct {
	gornado, reference string // base URLs, http://127.0.0.1:PORT
}

// serveHTTPBins starts both for the rest of the test. Gornado's loop is
// made first, so its leak check runs after go-httpbin and the clients
// are closed.
func serveHTTPBins(t *testing.T) hbServers {
	t.Helper()
	l := looptest.New(t)
	app, err := httpbin.NewApplication(httpbin.Config{}, web.Config{Logger: looptest.Logs(l).Logger(), NoAccessLog: true})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	looptest.Start(t, l, func() {
		srv.Shutdown(context.Background())
		srv.Close()
	})
	ref := httptest.NewServer(gohttpbin.New())
	t.Cleanup(ref.Close)
	return hbServers{gornado: "http://" + srv.Addrs()[0].String(), reference: ref.URL}
}

// hbRequest is one request sent to both servers.
type hbRequest struct {
	method, path string
	body         string
	header       map[string]string
	// headers are the response headers to compare, beside those every
	// answer is compared on (hbCommonHeaders).
	headers []string
	// statusOnly compares the status alone: the bodies legitimately
	// differ (405 and 404 pages).
	statusOnly bool
}

// hbCommonHeaders are compared on every answer.
var hbCommonHeaders = []string{"Content-Type", "Location", "Content-Encoding", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Www-Authenticate"}

// hbAnswer is an answer, normalised for comparison.
type hbAnswer struct {
	Status  int
	Headers map[string][]string
	Cookies []string
	Body    any // decoded JSON (JSON lines: a list), or the bytes as a string
}

// hbDo sends r to base and normalises the answer: the server's host:port
// becomes HOST everywhere, header names are canonical, content types
// lower-case without spaces, error details (whose wording is each
// server's own) are dropped, gzip bodies are inflated and JSON decoded.
func hbDo(t *testing.T, c *http.Client, base string, r hbRequest) hbAnswer {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	method := r.method
	if method == "" {
		method = "GET"
	}
	req, err := http.NewRequestWithContext(context.Background(), method, base+r.path, body)
	require.NoError(t, err)
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	require.NoError(t, err, "%s %s%s", method, base, r.path)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	host := strings.TrimPrefix(base, "http://")
	a := hbAnswer{Status: resp.StatusCode, Headers: map[string][]string{}}
	if r.statusOnly {
		return a
	}
	for _, name := range append(append([]string{}, hbCommonHeaders...), r.headers...) {
		for _, v := range resp.Header.Values(name) {
			v = strings.ReplaceAll(v, host, "HOST")
			if name == "Content-Type" {
				v = strings.ToLower(strings.ReplaceAll(v, " ", ""))
			}
			a.Headers[name] = append(a.Headers[name], v)
		}
	}
	for _, ck := range resp.Cookies() {
		a.Cookies = append(a.Cookies, hbCookie(ck))
	}
	sort.Strings(a.Cookies)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		require.NoError(t, err)
		raw, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	a.Body = hbBody(raw, host, resp.StatusCode >= 400)
	return a
}

// hbCookie is a Set-Cookie's attributes that matter, as one string.
func hbCookie(c *http.Cookie) string {
	expired := c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now()))
	b, _ := json.Marshal(map[string]any{"name": c.Name, "value": c.Value, "path": c.Path, "domain": c.Domain,
		"httponly": c.HttpOnly, "secure": c.Secure, "samesite": c.SameSite, "expired": expired})
	return string(b)
}

// hbBody decodes a body as JSON, as JSON lines, or keeps it as text.
func hbBody(raw []byte, host string, isError bool) any {
	var v any
	if json.Unmarshal(raw, &v) == nil {
		v = hbReplaceHost(v, host)
		if m, ok := v.(map[string]any); ok && isError {
			delete(m, "detail")
		}
		return v
	}
	if lines := bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n")); len(lines) > 1 {
		var out []any
		for _, l := range lines {
			if json.Unmarshal(l, &v) != nil {
				return string(raw)
			}
			out = append(out, hbReplaceHost(v, host))
		}
		return out
	}
	return string(raw)
}

// hbReplaceHost replaces host in every string of a decoded JSON value.
func hbReplaceHost(v any, host string) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, host, "HOST")
	case []any:
		for i := range x {
			x[i] = hbReplaceHost(x[i], host)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = hbReplaceHost(e, host)
		}
	}
	return v
}

// hbMultipart is a multipart body with a fixed boundary, so both servers
// get the same bytes.
func hbMultipart(t *testing.T) (string, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	require.NoError(t, w.SetBoundary("gornado-httpbin-boundary"))
	require.NoError(t, w.WriteField("field", "value"))
	require.NoError(t, w.WriteField("field", "second"))
	for name, content := range map[string]string{"one": "first file\n", "two": "second file"} {
		f, err := w.CreateFormFile(name, name+".txt")
		require.NoError(t, err)
		f.Write([]byte(content))
	}
	require.NoError(t, w.Close())
	return b.String(), w.FormDataContentType()
}

// The same requests to Gornado's httpbin and to go-httpbin get the same
// answers: status, the headers that matter, cookies, and the body
// (JSON compared as values, bytes as bytes).
func TestHTTPBinMatchesGoHTTPBin(t *testing.T) {
	s := serveHTTPBins(t)
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: tr, Timeout: hangGuard,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	mp, mpType := hbMultipart(t)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	jsonCT := map[string]string{"Content-Type": "application/json"}
	requests := []hbRequest{
		// echoes
		{path: "/get?a=1&a=2&b=two+words&c=%C3%A9&empty=", header: map[string]string{"X-Custom": "v", "User-Agent": "interop/1"}},
		{method: "HEAD", path: "/get"},
		{method: "POST", path: "/get", statusOnly: true},
		{method: "DELETE", path: "/get", statusOnly: true},
		{method: "POST", path: "/post?q=1", body: "x=1&x=2&y=a%26b&z=", header: form},
		{method: "POST", path: "/post", body: `{"n": 1.5, "s": "é", "l": [true, null, {"k": "v"}]}`, header: jsonCT},
		{method: "POST", path: "/post", body: mp, header: map[string]string{"Content-Type": mpType}},
		{method: "POST", path: "/post", body: "plain text", header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		{method: "POST", path: "/post", body: "\x00\x01binary\xff", header: map[string]string{"Content-Type": "application/octet-stream"}},
		{method: "POST", path: "/post", body: "no type"},
		{method: "POST", path: "/post", body: `{"bad": `, header: jsonCT},
		{method: "GET", path: "/post", statusOnly: true},
		{method: "PUT", path: "/put", body: `[1, 2, 3]`, header: jsonCT},
		{method: "PATCH", path: "/patch", body: "k=v", header: form},
		{method: "DELETE", path: "/delete"},
		{method: "DELETE", path: "/delete", body: "k=v", header: form},
		{path: "/anything"},
		{path: "/anything/a/b?c=d", body: "k=v", header: form},
		{method: "POST", path: "/anything", body: `{"a": 1}`, header: jsonCT},
		{method: "PUT", path: "/anything/x", body: mp, header: map[string]string{"Content-Type": mpType}},
		{method: "HEAD", path: "/anything"},
		{path: "/headers", header: map[string]string{"X-One": "1", "Accept": "text/plain"}},
		{path: "/ip"},
		{path: "/ip?format=text"},
		{path: "/ip", header: map[string]string{"X-Forwarded-For": "203.0.113.7, 10.0.0.1"}},
		{path: "/get", header: map[string]string{"X-Forwarded-Proto": "https"}},
		{path: "/user-agent", header: map[string]string{"User-Agent": "gornado-interop/1.0"}},
		{path: "/gzip?g=1"},
		{method: "OPTIONS", path: "/get", header: map[string]string{"Origin": "http://site.test", "Access-Control-Request-Headers": "X-A"},
			headers: []string{"Access-Control-Allow-Methods", "Access-Control-Max-Age", "Access-Control-Allow-Headers"}},
		{path: "/headers", header: map[string]string{"Origin": "http://site.test"}},
		{path: "/nowhere", statusOnly: true},
		// status codes
		{path: "/status/100"}, {path: "/status/103"},
		{path: "/status/200"}, {path: "/status/201"}, {path: "/status/202"}, {path: "/status/204"},
		{path: "/status/301"}, {path: "/status/302"}, {path: "/status/303"}, {path: "/status/307"}, {path: "/status/308"},
		{path: "/status/300"}, {path: "/status/304", headers: []string{"Content-Length"}},
		{path: "/status/400"}, {path: "/status/401"}, {path: "/status/402", headers: []string{"X-More-Info"}},
		{path: "/status/403"}, {path: "/status/404"}, {path: "/status/406"}, {path: "/status/407", headers: []string{"Proxy-Authenticate"}},
		{path: "/status/418", headers: []string{"X-More-Info"}},
		{path: "/status/500"}, {path: "/status/502"}, {path: "/status/503"}, {path: "/status/599"},
		{method: "POST", path: "/status/201"}, {method: "DELETE", path: "/status/500"},
		{path: "/status/500:0,201:1"},
		{path: "/status/abc"}, {path: "/status/600"}, {path: "/status/99"}, {path: "/status/1,x"}, {path: "/status/1:x,2"},
		// redirects
		{path: "/redirect/3"}, {path: "/redirect/1"}, {path: "/redirect/2?absolute=true"}, {path: "/redirect/0"}, {path: "/redirect/x"},
		{path: "/relative-redirect/3"}, {path: "/relative-redirect/1"},
		{path: "/absolute-redirect/3"}, {path: "/absolute-redirect/1"}, {path: "/absolute-redirect/0"},
		{method: "POST", path: "/redirect/2"},
		// cookies
		{path: "/cookies"},
		{path: "/cookies", header: map[string]string{"Cookie": "a=1; b=two; c="}},
		{path: "/cookies/set?k1=v1&k2=v2"},
		{path: "/cookies/set?k=v&attr[Secure]=true&attr[SameSite]=strict&attr[HttpOnly]=0&attr[Path]=/p"},
		{path: "/cookies/set?k=v", header: map[string]string{"X-Forwarded-Proto": "https"}},
		{path: "/cookies/delete?k1&k2"},
		// basic auth
		{path: "/basic-auth/user/passwd", header: map[string]string{"Authorization": "Basic dXNlcjpwYXNzd2Q="}},
		{path: "/basic-auth/user/passwd", header: map[string]string{"Authorization": "Basic dXNlcjp3cm9uZw=="}},
		{path: "/basic-auth/user/passwd"},
		{path: "/basic-auth/user/passwd", header: map[string]string{"Authorization": "Bearer x"}},
		// bytes and streams
		{path: "/bytes/100?seed=7"}, {path: "/bytes/1?seed=1234567"}, {path: "/bytes/65536?seed=-3"},
		{path: "/bytes/0", headers: []string{"Content-Length"}},
		{path: "/bytes/-1"}, {path: "/bytes/x"}, {path: "/bytes/1048577"}, {path: "/bytes/1?seed=x"},
		{path: "/stream/3?s=1"}, {path: "/stream/1"}, {path: "/stream/0"}, {path: "/stream/x"},
		{path: "/drip?duration=0&delay=0&numbytes=5", headers: []string{"Server-Timing", "Content-Length"}},
		{path: "/drip?duration=0.02&delay=0.01&numbytes=3&code=201", headers: []string{"Server-Timing", "Content-Length"}},
		{path: "/drip?duration=10ms&delay=0&numbytes=1", headers: []string{"Server-Timing"}},
		{path: "/drip?numbytes=0"}, {path: "/drip?numbytes=x"}, {path: "/drip?duration=6&delay=5"}, {path: "/drip?code=600"},
		{path: "/drip?duration=11"}, {path: "/drip?delay=-1"},
		{path: "/delay/0.01?d=1", headers: []string{"Server-Timing"}},
		{path: "/delay/20ms", headers: []string{"Server-Timing"}},
		{method: "POST", path: "/delay/0", body: `{"a": 1}`, header: jsonCT, headers: []string{"Server-Timing"}},
		{path: "/delay/11"}, {path: "/delay/-1"}, {path: "/delay/x"},
		// response headers
		{path: "/response-headers?X-A=1&X-A=2&Server=httpbin", headers: []string{"X-A", "Server"}},
		{path: "/response-headers?Content-Type=text/html&X-Evil=%3Cb%3E", headers: []string{"X-Evil"}},
		{path: "/response-headers?Content-Type=text/plain&X-Ok=%3Cb%3E", headers: []string{"X-Ok"}},
	}
	for _, r := range requests {
		name := r.method + " " + r.path
		if r.method == "" {
			name = "GET " + r.path
		}
		t.Run(name, func(t *testing.T) {
			want := hbDo(t, c, s.reference, r)
			got := hbDo(t, c, s.gornado, r)
			hbExplained(r, &want, &got)
			assert.Equal(t, want, got, "go-httpbin (want) and Gornado's httpbin (got) differ")
		})
	}
}

// hbExplained removes the differences the httpbin package and web
// document.
func hbExplained(r hbRequest, want, got *hbAnswer) {
	// go-httpbin's /stream has no Content-Type of its own: net/http
	// sniffs text/plain. Gornado's says application/json, as the original
	// httpbin. Nothing else may differ.
	if strings.HasPrefix(r.path, "/stream/") && hasType(got, "application/json") && hasType(want, "text/plain;charset=utf-8") {
		delete(want.Headers, "Content-Type")
		delete(got.Headers, "Content-Type")
	}
	// A 204 has no body, so Gornado (as Tornado 6.2) sends no
	// Content-Type with it; go-httpbin sends one.
	if want.Status == 204 && got.Status == 204 && got.Headers["Content-Type"] == nil {
		delete(want.Headers, "Content-Type")
	}
}

func hasType(a *hbAnswer, ct string) bool {
	v := a.Headers["Content-Type"]
	return len(v) == 1 && v[0] == ct
}

// hbPeerReports runs a Python script against both httpbins and returns
// the two reports, decoded: go-httpbin's first.
func hbPeerReports(t *testing.T, script string) (want, got map[string]any) {
	t.Helper()
	s := serveHTTPBins(t)
	decode := func(base string) map[string]any {
		r := mustRun(t, python, script, base)
		var rep map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), "report: %s\nstderr: %s", clip(r.stdout), clip(r.stderr))
		return rep
	}
	return decode(s.reference), decode(s.gornado)
}

// hbSame asserts that each step of two peer reports matches.
func hbSame(t *testing.T, want, got map[string]any) {
	t.Helper()
	for k, w := range want {
		assert.Equal(t, w, got[k], "step %q: go-httpbin (want) and Gornado's httpbin (got) differ", k)
	}
	for k := range got {
		assert.Contains(t, want, k, "step %q only in Gornado's report", k)
	}
}

// Python's requests drives both httpbins through one Session (GET with
// params, form, JSON and file uploads, redirects followed, a cookie
// session, Basic auth, gzip inflated, JSON lines streamed, a drip, a
// delay) and sees the same answers from each.
func TestHTTPBinFromPythonRequests(t *testing.T) {
	needPythonModule(t, "requests")
	want, got := hbPeerReports(t, "testdata/httpbin_requests.py")
	t.Logf("python-requests %v", got["requests_version"])
	hbSame(t, want, got)

	// What Gornado's answers must be, whatever go-httpbin says.
	get := got["get"].(map[string]any)
	assert.Equal(t, map[string]any{"a": []any{"1"}, "b": []any{"x", "y"}, "u": []any{"é&="}}, get["args"])
	assert.Equal(t, "http://HOST/get?a=1&b=x&b=y&u=%C3%A9%26%3D", get["url"])
	assert.Equal(t, map[string]any{"empty": []any{""}, "name": []any{"gornado"}, "tricky": []any{"a&b=c d+e"}}, got["post_form"].(map[string]any)["form"])
	assert.Equal(t, true, got["post_json"].(map[string]any)["roundtrip"])
	assert.Equal(t, map[string]any{"other": []any{"\x00\x01"}, "upload": []any{"hello, file\n"}}, got["post_files"].(map[string]any)["files"])
	assert.Equal(t, map[string]any{"field": []any{"v"}}, got["post_files"].(map[string]any)["form"])
	assert.Equal(t, float64(405), got["patch_get"].(map[string]any)["status"])
	red := got["follow /redirect/3"].(map[string]any)
	assert.Equal(t, "http://HOST/get", red["final"])
	assert.Equal(t, []any{float64(302), float64(302), float64(302)}, red["history"])
	assert.Equal(t, []any{"http://HOST/absolute-redirect/1", "http://HOST/get"}, got["follow /absolute-redirect/2"].(map[string]any)["locations"])
	assert.Equal(t, map[string]any{"session": "abc123", "theme": "dark"}, got["cookies_set"].(map[string]any)["cookies"])
	assert.Equal(t, map[string]any{"session": "abc123"}, got["cookies_deleted"].(map[string]any)["jar"])
	assert.Equal(t, float64(200), got["auth_ok"].(map[string]any)["status"])
	assert.Equal(t, float64(401), got["auth_bad"].(map[string]any)["status"])
	gz := got["gzip"].(map[string]any)
	assert.Equal(t, "gzip", gz["encoding"])
	assert.Equal(t, true, gz["gzipped"])
	st := got["stream"].(map[string]any)
	assert.Equal(t, []any{0.0, 1.0, 2.0, 3.0, 4.0}, st["ids"])
	assert.Equal(t, "chunked", st["transfer_encoding"])
	assert.Equal(t, float64(4096), got["bytes"].(map[string]any)["len"])
	dr := got["drip"].(map[string]any)
	assert.Equal(t, "****", dr["body"])
	assert.Equal(t, "4", dr["content_length"])
	assert.Equal(t, float64(400), got["delay_too_long"].(map[string]any)["status"])
	assert.Equal(t, "1, 2", got["response_headers"].(map[string]any)["x_test"])
}

// Tornado's AsyncHTTPClient fetches from both httpbins, many requests
// in flight at once (/delay among them: Gornado's sleeps are coroutines,
// so they overlap), and sees the same answers from each.
func TestHTTPBinFromTornadoClient(t *testing.T) {
	needPythonModule(t, "tornado.httpclient")
	want, got := hbPeerReports(t, "testdata/httpbin_tornado.py")
	t.Logf("tornado %v", got["tornado_version"])
	hbSame(t, want, got)

	gets := got["concurrent_get"].([]any)
	require.Len(t, gets, 10)
	for i, g := range gets {
		m := g.(map[string]any)
		assert.Equal(t, float64(200), m["code"])
		assert.Equal(t, []any{strconv.Itoa(i)}, m["i"])
	}
	for _, d := range got["concurrent_delay"].([]any) {
		m := d.(map[string]any)
		assert.Equal(t, float64(200), m["code"])
		assert.Equal(t, `initial_delay;dur=200.00;desc="initial delay"`, m["timing"])
	}
	assert.Equal(t, map[string]any{"tornado": true, "list": []any{1.0, 2.5, "three"}, "nested": map[string]any{"k": nil}}, got["post_json"].(map[string]any)["json"])
	assert.Equal(t, map[string]any{"a": []any{"1", "3"}, "b": []any{"2"}}, got["put_form"].(map[string]any)["form"])
	assert.Equal(t, true, got["gzip"].(map[string]any)["gzipped"])
	assert.Equal(t, []any{0.0, 1.0, 2.0, 3.0}, got["stream"].(map[string]any)["ids"])
	assert.Equal(t, "*****", got["drip"].(map[string]any)["body"])
	assert.Equal(t, float64(200), got["auth_ok"].(map[string]any)["code"])
	assert.Equal(t, float64(401), got["auth_bad"].(map[string]any)["code"])
	assert.Equal(t, "http://HOST/get", got["redirect"].(map[string]any)["effective_url"])
	assert.Equal(t, "http://HOST/get", got["absolute_redirect"].(map[string]any)["effective_url"])
	assert.Equal(t, map[string]any{"code": 302.0, "location": "/relative-redirect/1"}, got["redirect_not_followed"])
	assert.Equal(t, []any{200.0, 201.0, 400.0, 404.0, 418.0, 500.0, 503.0}, got["statuses"])
	assert.Equal(t, float64(1024), got["bytes"].(map[string]any)["len"])
	assert.Equal(t, map[string]any{"cookies": map[string]any{"t": "1", "u": "two"}}, got["cookies"])
	assert.Equal(t, "yes", got["response_headers"].(map[string]any)["x_tornado"])
}
