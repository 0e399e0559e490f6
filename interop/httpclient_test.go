package interop

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
)

type httpClientStep struct {
	Name        string            `json:"name"`
	Status      int               `json:"status"`
	Version     int               `json:"version"`
	Headers     map[string]string `json:"headers"`
	Chunked     bool              `json:"chunked"`
	WillClose   bool              `json:"will_close"`
	Len         int               `json:"len"`
	SHA256      string            `json:"sha256"`
	Reads       int               `json:"reads"`
	LocalPort   int               `json:"local_port"`
	ClosedAfter bool              `json:"closed_after"`
	Echo        *echo             `json:"echo"`
	Text        string            `json:"text"`
}

// Python's http.client on one connection: keep-alive over many requests,
// bodies with Content-Length and chunked, an Expect: 100-continue whose
// interim reply it must skip, a chunked response read a few KiB at a
// time, HEAD, 204, 304, and Connection: close.
func TestPythonHTTPClient(t *testing.T) {
	needPythonModule(t, "http.client")
	base := serve(t, httpserver.Config{})
	u, err := url.Parse(base)
	require.NoError(t, err)
	r := mustRun(t, python, "testdata/httpclient_client.py", u.Hostname(), u.Port())
	var rep struct {
		BodySHA256 string           `json:"body_sha256"`
		BodyLen    int64            `json:"body_len"`
		Steps      []httpClientStep `json:"steps"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), "report: %s\nstderr: %s", clip(r.stdout), clip(r.stderr))
	steps := map[string]httpClientStep{}
	for _, s := range rep.Steps {
		steps[s.Name] = s
		assert.Equal(t, 11, s.Version, "%s: HTTP/1.1 status line", s.Name)
		assert.NotEmpty(t, s.Headers["date"], "%s: Date", s.Name)
	}
	require.Len(t, steps, 13, "every step ran")

	// Everything up to "close" is one connection, on the server too.
	first := steps["get1"].LocalPort
	for _, s := range rep.Steps[:12] {
		assert.Equal(t, first, s.LocalPort, "%s: same local port (connection kept alive)", s.Name)
		if s.Name != "close" {
			assert.False(t, s.WillClose, "%s: keep-alive", s.Name)
			assert.False(t, s.ClosedAfter, "%s", s.Name)
		}
		if s.Echo != nil {
			assert.Equal(t, 1, s.Echo.OpenConns, "%s: one connection open on the server", s.Name)
		}
	}

	get2 := steps["get2"]
	require.NotNil(t, get2.Echo)
	assert.Equal(t, 200, get2.Status)
	assert.Equal(t, "i=2", get2.Echo.Query)
	assert.Equal(t, []string{"a"}, get2.Echo.Header["x-multi"])
	assert.Equal(t, "identity", get2.Echo.Header["accept-encoding"][0])
	assert.Equal(t, 2, get2.Echo.Seq)

	assert.Equal(t, "Hello, world!", steps["hello"].Text)
	assert.Equal(t, "13", steps["hello"].Headers["content-length"])
	assert.False(t, steps["hello"].Chunked)

	for _, name := range []string{"post", "expect", "chunked_upload"} {
		s := steps[name]
		require.NotNil(t, s.Echo, name)
		assert.Equal(t, 200, s.Status, name)
		assert.Equal(t, "POST", s.Echo.Method, name)
		assert.Equal(t, rep.BodyLen, s.Echo.BodyLen, name)
		assert.Equal(t, rep.BodySHA256, s.Echo.BodySHA256, name)
	}
	assert.Equal(t, []string{"100-continue"}, steps["expect"].Echo.Header["expect"])
	assert.Equal(t, []string{"chunked"}, steps["chunked_upload"].Echo.Header["transfer-encoding"])
	assert.True(t, steps["chunked_upload"].Echo.Streamed)

	big := steps["big"]
	size := 2<<20 + 3
	assert.Equal(t, 200, big.Status)
	assert.True(t, big.Chunked, "streamed response is chunked")
	assert.Equal(t, "chunked", big.Headers["transfer-encoding"])
	assert.Equal(t, size, big.Len)
	assert.Equal(t, sha256Hex(pattern(size)), big.SHA256)
	assert.Greater(t, big.Reads, 100)

	head := steps["head"]
	assert.Equal(t, 200, head.Status)
	assert.Equal(t, 0, head.Len)
	assert.Equal(t, "13", head.Headers["content-length"])

	for name, code := range map[string]int{"s204": 204, "s304": 304} {
		s := steps[name]
		assert.Equal(t, code, s.Status, name)
		assert.Equal(t, 0, s.Len, name)
		assert.NotContains(t, s.Headers, "content-length", name)
		assert.NotContains(t, s.Headers, "transfer-encoding", name)
	}

	cl := steps["close"]
	require.NotNil(t, cl.Echo)
	assert.Equal(t, "close", cl.Headers["connection"])
	assert.True(t, cl.WillClose)
	assert.True(t, cl.ClosedAfter)

	after := steps["after_close"]
	require.NotNil(t, after.Echo)
	assert.Equal(t, 200, after.Status)
	assert.NotEqual(t, first, after.LocalPort, "a new connection after the close")
	assert.Equal(t, 13, after.Echo.Seq, "the server's thirteenth request")
}
