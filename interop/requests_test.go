package interop

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
)

// requestsReport is what testdata/requests_client.py prints.
type requestsReport struct {
	Version   string `json:"requests_version"`
	GetParams struct {
		Status      int    `json:"status"`
		ContentType string `json:"content_type"`
		Echo        echo   `json:"echo"`
	} `json:"get_params"`
	Hello struct {
		Status     int     `json:"status"`
		Text       string  `json:"text"`
		Connection *string `json:"connection"`
	} `json:"hello"`
	PostForm struct {
		Status int    `json:"status"`
		Echo   echo   `json:"echo"`
		Sent   string `json:"sent"`
	} `json:"post_form"`
	PostJSON struct {
		Status         int  `json:"status"`
		Echo           echo `json:"echo"`
		RoundtripEqual bool `json:"roundtrip_equal"`
	} `json:"post_json"`
	ChunkedSHA256 string          `json:"chunked_expected_sha256"`
	ChunkedLen    int64           `json:"chunked_expected_len"`
	ChunkedEcho   chunkedUpload   `json:"chunked_upload_echo"`
	ChunkedStream chunkedUpload   `json:"chunked_upload_stream"`
	Head          json.RawMessage `json:"head"`
	Status204     json.RawMessage `json:"status_204"`
	Status304     json.RawMessage `json:"status_304"`
	Big           struct {
		Status           int    `json:"status"`
		TransferEncoding string `json:"transfer_encoding"`
		Len              int    `json:"len"`
		SHA256           string `json:"sha256"`
		Size             int    `json:"size"`
	} `json:"big"`
	Last struct {
		Echo echo `json:"echo"`
	} `json:"last"`
	PoolConnections int `json:"pool_connections"`
}

type chunkedUpload struct {
	Status               int    `json:"status"`
	SentTransferEncoding string `json:"sent_transfer_encoding"`
	Echo                 echo   `json:"echo"`
}

// A python-requests session: keep-alive across every step, GET with
// params, POST form and JSON, chunked uploads from a generator, HEAD,
// 204, 304 and a large chunked download, all on one connection.
func TestPythonRequests(t *testing.T) {
	needPythonModule(t, "requests")
	base := serve(t, httpserver.Config{})
	r := mustRun(t, python, "testdata/requests_client.py", base)
	var rep requestsReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), "report: %s\nstderr: %s", clip(r.stdout), clip(r.stderr))
	t.Logf("python-requests %s", rep.Version)

	g := rep.GetParams
	assert.Equal(t, 200, g.Status)
	assert.Equal(t, "application/json", g.ContentType)
	assert.Equal(t, "GET", g.Echo.Method)
	assert.Equal(t, "/echo", g.Echo.Path)
	assert.Equal(t, "a=1&b=two+words&c=x&c=y&u=%C3%A9%26%3D", g.Echo.Query)
	assert.Equal(t, "/echo?"+g.Echo.Query, g.Echo.Target)
	assert.Equal(t, []string{"keep-alive"}, g.Echo.Header["connection"])
	assert.Contains(t, g.Echo.Header["user-agent"][0], "python-requests/")

	assert.Equal(t, 200, rep.Hello.Status)
	assert.Equal(t, "Hello, world!", rep.Hello.Text)
	assert.Nil(t, rep.Hello.Connection, "no Connection header on a kept-alive 1.1 response")

	f := rep.PostForm
	assert.Equal(t, 200, f.Status)
	assert.Equal(t, "POST", f.Echo.Method)
	assert.Equal(t, f.Sent, f.Echo.Body)
	assert.Equal(t, "name=gornado&tricky=a%26b%3Dc+d%2Be&empty=", f.Echo.Body)
	assert.Equal(t, []string{"application/x-www-form-urlencoded"}, f.Echo.Header["content-type"])

	j := rep.PostJSON
	assert.Equal(t, 200, j.Status)
	assert.True(t, j.RoundtripEqual, "JSON body arrived as sent: %q", j.Echo.Body)
	assert.Equal(t, []string{"application/json"}, j.Echo.Header["content-type"])

	for name, c := range map[string]chunkedUpload{"/echo": rep.ChunkedEcho, "/stream": rep.ChunkedStream} {
		assert.Equal(t, 200, c.Status, name)
		assert.Equal(t, "chunked", c.SentTransferEncoding, name)
		assert.Equal(t, rep.ChunkedLen, c.Echo.BodyLen, name)
		assert.Equal(t, rep.ChunkedSHA256, c.Echo.BodySHA256, name)
		assert.Equal(t, name == "/stream", c.Echo.Streamed, name)
		assert.Equal(t, []string{"chunked"}, c.Echo.Header["transfer-encoding"], name)
	}

	assert.JSONEq(t, `{"status": 200, "content_length": "13", "body_len": 0}`, string(rep.Head))
	assert.JSONEq(t, `{"status": 204, "body_len": 0}`, string(rep.Status204))
	assert.JSONEq(t, `{"status": 304, "body_len": 0, "etag": "\"v1\""}`, string(rep.Status304))

	b := rep.Big
	assert.Equal(t, 200, b.Status)
	assert.Equal(t, "chunked", b.TransferEncoding)
	assert.Equal(t, b.Size, b.Len)
	assert.Equal(t, sha256Hex(pattern(b.Size)), b.SHA256)

	// Every request went over the first connection.
	assert.Equal(t, 1, rep.PoolConnections, "urllib3 opened one connection")
	for _, e := range []echo{g.Echo, f.Echo, j.Echo, rep.ChunkedEcho.Echo, rep.ChunkedStream.Echo, rep.Last.Echo} {
		assert.Equal(t, 1, e.OpenConns, "request %s %s: one connection open on the server", e.Method, e.Target)
	}
	assert.Equal(t, 11, rep.Last.Echo.Seq, "the eleventh request")
}
