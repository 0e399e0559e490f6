package interop

import (
	"bytes"
	"compress/gzip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
)

// curl runs curl with args after options every test wants: no progress
// meter, errors shown, no proxy from the environment, and curl's own
// time limit inside the hang guard. It fails the test unless curl exits 0.
func curl(t *testing.T, args ...string) result {
	t.Helper()
	bin := needPeer(t, "curl")
	base := []string{"-sS", "--noproxy", "*", "--max-time", "60"}
	return mustRun(t, bin, append(base, args...)...)
}

// readFile reads a file curl wrote.
func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

// respBlocks splits the response lines ("< ...") of curl -v output into
// one block per response, interim 100 Continue responses included: the
// status line first, then the header lines in order.
func respBlocks(verbose string) [][]string {
	var blocks [][]string
	var cur []string
	for _, line := range strings.Split(verbose, "\n") {
		line = strings.TrimRight(line, "\r")
		if !strings.HasPrefix(line, "< ") {
			continue
		}
		l := strings.TrimPrefix(line, "< ")
		if strings.HasPrefix(l, "HTTP/") {
			if cur != nil {
				blocks = append(blocks, cur)
			}
			cur = []string{l}
			continue
		}
		if l == "" {
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	return blocks
}

// header returns the value of name in a block from respBlocks, and
// whether it is there.
func header(block []string, name string) (string, bool) {
	for _, l := range block[1:] {
		k, v, ok := strings.Cut(l, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// writeOut splits curl -w output lines into fields.
func writeOut(out string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

// Two URLs in one curl invocation reuse the connection, and the server
// sees both requests on it.
func TestCurlKeepAlive(t *testing.T) {
	base := serve(t, httpserver.Config{})
	dir := t.TempDir()
	r := curl(t, "-v", "-w", "%{num_connects} %{http_code}\n",
		"-o", dir+"/1", "-o", dir+"/2", "-o", dir+"/3",
		base+"/echo?n=1", base+"/echo?n=2", base+"/hello")
	assert.Equal(t, [][]string{{"1", "200"}, {"0", "200"}, {"0", "200"}}, writeOut(r.stdout),
		"curl opened one connection for three requests")
	assert.Equal(t, 2, strings.Count(r.stderr, "Re-using existing connection"), r.stderr)
	e1 := decodeEcho(t, string(readFile(t, dir+"/1")))
	e2 := decodeEcho(t, string(readFile(t, dir+"/2")))
	assert.Equal(t, "n=1", e1.Query)
	assert.Equal(t, "n=2", e2.Query)
	assert.Equal(t, []int{1, 2}, []int{e1.Seq, e2.Seq})
	assert.Equal(t, []int{1, 1}, []int{e1.OpenConns, e2.OpenConns}, "one connection open on the server")
	assert.Equal(t, "HTTP/1.1", e1.Version)
	assert.Equal(t, "127.0.0.1", e1.RemoteIP)
	assert.Equal(t, strings.TrimPrefix(base, "http://"), e1.Host)
	assert.Equal(t, "Hello, world!", string(readFile(t, dir+"/3")))
	for _, b := range respBlocks(r.stderr) {
		assert.Equal(t, "HTTP/1.1 200 OK", b[0])
		_, closes := header(b, "Connection")
		assert.False(t, closes, "no Connection header on a kept-alive 1.1 response: %v", b)
		_, hasDate := header(b, "Date")
		assert.True(t, hasDate, "Date header: %v", b)
	}
}

// A chunked upload of 1 MiB arrives intact, buffered (/echo) and streamed
// to a BodyReceiver (/stream).
func TestCurlChunkedUpload(t *testing.T) {
	base := serve(t, httpserver.Config{})
	data := pattern(1 << 20)
	file := writeTemp(t, "body.bin", data)
	for _, path := range []string{"/echo", "/stream"} {
		t.Run(path, func(t *testing.T) {
			r := curl(t, "-v", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/octet-stream",
				"--data-binary", "@"+file, base+path)
			require.Contains(t, r.stderr, "> Transfer-Encoding: chunked", "curl sent a chunked body")
			e := decodeEcho(t, r.stdout)
			assert.Equal(t, "POST", e.Method)
			assert.Equal(t, int64(len(data)), e.BodyLen)
			assert.Equal(t, sha256Hex(data), e.BodySHA256)
			assert.Equal(t, []string{"chunked"}, e.Header["transfer-encoding"])
			assert.NotContains(t, e.Header, "content-length")
			assert.Equal(t, path == "/stream", e.Streamed)
			if strings.Contains(r.stderr, "> Expect: 100-continue") {
				assert.Contains(t, r.stderr, "< HTTP/1.1 100 Continue")
			}
		})
	}
}

// HTTP/1.0: a response with Content-Length, the connection closed after
// it unless the client asked for keep-alive, and a streamed body
// delimited by the close.
func TestCurlHTTP10(t *testing.T) {
	base := serve(t, httpserver.Config{})

	t.Run("close", func(t *testing.T) {
		r := curl(t, "--http1.0", "-v", base+"/echo")
		require.Contains(t, r.stderr, "> GET /echo HTTP/1.0")
		e := decodeEcho(t, r.stdout)
		assert.Equal(t, "HTTP/1.0", e.Version)
		blocks := respBlocks(r.stderr)
		require.Len(t, blocks, 1)
		cl, ok := header(blocks[0], "Content-Length")
		assert.True(t, ok, "Content-Length on a complete 1.0 response")
		assert.Equal(t, strconv.Itoa(len(r.stdout)), cl)
		conn, _ := header(blocks[0], "Connection")
		assert.Equal(t, "close", strings.ToLower(conn))
		_, chunked := header(blocks[0], "Transfer-Encoding")
		assert.False(t, chunked, "no chunked coding for HTTP/1.0")
	})

	t.Run("keep-alive", func(t *testing.T) {
		dir := t.TempDir()
		r := curl(t, "--http1.0", "-v", "-H", "Connection: keep-alive",
			"-w", "%{num_connects} %{http_code}\n", "-o", dir+"/1", "-o", dir+"/2",
			base+"/echo?n=1", base+"/echo?n=2")
		assert.Equal(t, [][]string{{"1", "200"}, {"0", "200"}}, writeOut(r.stdout), r.stderr)
		e1 := decodeEcho(t, string(readFile(t, dir+"/1")))
		e2 := decodeEcho(t, string(readFile(t, dir+"/2")))
		assert.Equal(t, []int{1, 1}, []int{e1.OpenConns, e2.OpenConns})
		for _, b := range respBlocks(r.stderr) {
			v, _ := header(b, "Connection")
			assert.Equal(t, "keep-alive", strings.ToLower(v), b)
		}
	})

	t.Run("post", func(t *testing.T) {
		data := pattern(100 << 10)
		file := writeTemp(t, "body.bin", data)
		r := curl(t, "--http1.0", "-v", "--data-binary", "@"+file, base+"/echo")
		require.Contains(t, r.stderr, "> POST /echo HTTP/1.0")
		e := decodeEcho(t, r.stdout)
		assert.Equal(t, "HTTP/1.0", e.Version)
		assert.Equal(t, int64(len(data)), e.BodyLen)
		assert.Equal(t, sha256Hex(data), e.BodySHA256)
		assert.NotContains(t, r.stderr, "100 Continue", "no 100 Continue for HTTP/1.0")
	})

	t.Run("streamed body until close", func(t *testing.T) {
		dir := t.TempDir()
		size := 1<<20 + 12345
		r := curl(t, "--http1.0", "-v", "-o", dir+"/body",
			base+"/big?size="+strconv.Itoa(size)+"&chunk=100000")
		body := readFile(t, dir+"/body")
		assert.Equal(t, size, len(body))
		assert.Equal(t, sha256Hex(pattern(size)), sha256Hex(body))
		blocks := respBlocks(r.stderr)
		require.Len(t, blocks, 1)
		_, chunked := header(blocks[0], "Transfer-Encoding")
		assert.False(t, chunked, "no chunked coding for HTTP/1.0")
		_, cl := header(blocks[0], "Content-Length")
		assert.False(t, cl)
		conn, _ := header(blocks[0], "Connection")
		assert.Equal(t, "close", strings.ToLower(conn))
	})
}

// curl sends Expect: 100-continue for a large POST body, waits for the
// server's 100 Continue, then sends the body.
func TestCurlExpectContinue(t *testing.T) {
	base := serve(t, httpserver.Config{})
	data := pattern(2 << 20)
	file := writeTemp(t, "body.bin", data)
	for _, tc := range []struct{ name, path string }{{"buffered", "/echo"}, {"streamed", "/stream"}} {
		t.Run(tc.name, func(t *testing.T) {
			// Expect is set explicitly too, so the test does not depend on
			// curl's size threshold for adding it.
			r := curl(t, "-v", "-H", "Expect: 100-continue", "--data-binary", "@"+file, base+tc.path)
			require.Contains(t, r.stderr, "> Expect: 100-continue")
			blocks := respBlocks(r.stderr)
			require.Len(t, blocks, 2, r.stderr)
			assert.Equal(t, "HTTP/1.1 100 Continue", blocks[0][0])
			assert.Equal(t, "HTTP/1.1 200 OK", blocks[1][0])
			assert.NotContains(t, r.stderr, "Done waiting for 100-continue", "curl did not have to time out")
			e := decodeEcho(t, r.stdout)
			assert.Equal(t, int64(len(data)), e.BodyLen)
			assert.Equal(t, sha256Hex(data), e.BodySHA256)
			assert.Equal(t, []string{"100-continue"}, e.Header["expect"])
		})
	}

	t.Run("curl's own threshold", func(t *testing.T) {
		// No explicit header: whatever curl decides, the body arrives.
		r := curl(t, "-v", "--data-binary", "@"+file, base+"/echo")
		e := decodeEcho(t, r.stdout)
		assert.Equal(t, sha256Hex(data), e.BodySHA256)
		if strings.Contains(r.stderr, "> Expect: 100-continue") {
			assert.Contains(t, r.stderr, "< HTTP/1.1 100 Continue")
		}
	})
}

// A StreamHandler that answers from the head alone (403, before the
// body) must not have the server invite the body with 100 Continue and
// then parse it as the next request: the next request on the connection
// (or a new connection) must be served normally.
func TestCurlExpectContinueRejectedFromHead(t *testing.T) {
	base := serve(t, httpserver.Config{})
	data := pattern(2 << 20)
	file := writeTemp(t, "body.bin", data)
	dir := t.TempDir()
	r := curl(t, "-v", "-H", "Expect: 100-continue", "--data-binary", "@"+file,
		"-o", dir+"/1", "-w", "%{http_code}\n", base+"/reject",
		"--next", "-sS", "--noproxy", "*", "--max-time", "60", "-v",
		"-o", dir+"/2", "-w", "%{http_code}\n", base+"/hello")
	assert.Equal(t, [][]string{{"403"}, {"200"}}, writeOut(r.stdout), r.stderr)
	assert.Equal(t, "rejected from the head\n", string(readFile(t, dir+"/1")))
	assert.Equal(t, "Hello, world!", string(readFile(t, dir+"/2")))
	assert.NotContains(t, r.stderr, "< HTTP/1.1 100 Continue",
		"no 100 Continue for a request answered from its head")
}

// HEAD gets the headers a GET would (Content-Length included) and no
// body: the next request on the same connection parses cleanly.
func TestCurlHEAD(t *testing.T) {
	base := serve(t, httpserver.Config{})
	dir := t.TempDir()
	r := curl(t, "-v", "-I", "-w", "%{num_connects} %{http_code} %{size_download}\n", "-o", dir+"/head", base+"/hello",
		"--next", "-sS", "--noproxy", "*", "--max-time", "60", "-v",
		"-w", "%{num_connects} %{http_code} %{size_download}\n", "-o", dir+"/get", base+"/hello")
	rows := writeOut(r.stdout)
	require.Len(t, rows, 2, r.stderr)
	assert.Equal(t, []string{"1", "200", "0"}, rows[0])
	assert.Equal(t, []string{"0", "200", "13"}, rows[1], "GET after HEAD reused the connection")
	assert.Equal(t, "Hello, world!", string(readFile(t, dir+"/get")))
	blocks := respBlocks(r.stderr)
	require.Len(t, blocks, 2)
	cl, ok := header(blocks[0], "Content-Length")
	assert.True(t, ok, "HEAD carries the GET's Content-Length")
	assert.Equal(t, "13", cl)
	ct, _ := header(blocks[0], "Content-Type")
	assert.Equal(t, "text/plain", ct)
	assert.NotContains(t, r.stderr, "Excess found")
}

// 204 and 304 carry no body, even when the handler wrote one, and the
// connection goes on to the next request.
func TestCurlNoBodyStatuses(t *testing.T) {
	base := serve(t, httpserver.Config{})
	for _, q := range []string{"", "?body=1"} {
		t.Run("query="+q, func(t *testing.T) {
			dir := t.TempDir()
			r := curl(t, "-v", "-w", "%{num_connects} %{http_code} %{size_download}\n",
				"-o", dir+"/1", "-o", dir+"/2", "-o", dir+"/3",
				base+"/status/204"+q, base+"/status/304"+q, base+"/hello")
			assert.Equal(t, [][]string{{"1", "204", "0"}, {"0", "304", "0"}, {"0", "200", "13"}}, writeOut(r.stdout), r.stderr)
			assert.NotContains(t, r.stderr, "Excess found")
			blocks := respBlocks(r.stderr)
			require.Len(t, blocks, 3)
			assert.Equal(t, "HTTP/1.1 204 No Content", blocks[0][0])
			assert.Equal(t, "HTTP/1.1 304 Not Modified", blocks[1][0])
			for _, b := range blocks[:2] {
				_, cl := header(b, "Content-Length")
				assert.False(t, cl, "no Content-Length on %s", b[0])
				_, te := header(b, "Transfer-Encoding")
				assert.False(t, te, "no Transfer-Encoding on %s", b[0])
			}
			etag, _ := header(blocks[1], "ETag")
			assert.Equal(t, `"v1"`, etag)
			assert.Equal(t, "Hello, world!", string(readFile(t, dir+"/3")))
		})
	}
}

// Config.DecompressRequest inflates a gzip request body, sent with a
// Content-Length or chunked; without it the handler sees the gzip bytes.
func TestCurlGzipRequestBody(t *testing.T) {
	data := compressible(1 << 20)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	require.NoError(t, zw.Close())
	require.Less(t, gz.Len(), len(data)/2)
	file := writeTemp(t, "body.gz", gz.Bytes())

	t.Run("decompressed", func(t *testing.T) {
		base := serve(t, httpserver.Config{DecompressRequest: true})
		for _, te := range []string{"", "chunked"} {
			args := []string{"-H", "Content-Encoding: gzip", "-H", "Content-Type: text/plain", "--data-binary", "@" + file}
			if te != "" {
				args = append(args, "-H", "Transfer-Encoding: "+te)
			}
			r := curl(t, append(args, base+"/echo")...)
			e := decodeEcho(t, r.stdout)
			assert.Equal(t, int64(len(data)), e.BodyLen, "te=%q", te)
			assert.Equal(t, sha256Hex(data), e.BodySHA256, "te=%q", te)
			assert.NotContains(t, e.Header, "content-encoding", "te=%q", te)
			if te == "" {
				assert.Equal(t, []string{strconv.Itoa(len(data))}, e.Header["content-length"])
			}
		}
	})

	t.Run("streamed decompressed", func(t *testing.T) {
		// Tornado's decompress_request inflates streamed bodies too
		// (_GzipMessageDelegate wraps a streaming delegate): a
		// BodyReceiver sees the inflated bytes.
		base := serve(t, httpserver.Config{DecompressRequest: true})
		r := curl(t, "-H", "Content-Encoding: gzip", "--data-binary", "@"+file, base+"/stream")
		e := decodeEcho(t, r.stdout)
		assert.True(t, e.Streamed)
		assert.Equal(t, int64(len(data)), e.BodyLen)
		assert.Equal(t, sha256Hex(data), e.BodySHA256)
		assert.NotContains(t, e.Header, "content-encoding")
	})

	t.Run("left alone", func(t *testing.T) {
		base := serve(t, httpserver.Config{})
		r := curl(t, "-H", "Content-Encoding: gzip", "--data-binary", "@"+file, base+"/echo")
		e := decodeEcho(t, r.stdout)
		assert.Equal(t, int64(gz.Len()), e.BodyLen)
		assert.Equal(t, sha256Hex(gz.Bytes()), e.BodySHA256)
		assert.Equal(t, []string{"gzip"}, e.Header["content-encoding"])
	})

	t.Run("corrupt", func(t *testing.T) {
		base := serve(t, httpserver.Config{DecompressRequest: true})
		bad := writeTemp(t, "bad.gz", append([]byte{0x1f, 0x8b}, []byte("not really gzip at all")...))
		r := curl(t, "-w", "%{http_code}\n", "-o", "/dev/null", "-H", "Content-Encoding: gzip", "--data-binary", "@"+bad, base+"/echo")
		assert.Equal(t, "400", strings.TrimSpace(r.stdout))
	})
}

// A large response streamed with Flush goes out chunked and arrives
// whole.
func TestCurlLargeResponse(t *testing.T) {
	base := serve(t, httpserver.Config{})
	for _, tc := range []struct{ size, chunk int }{{8 << 20, 1 << 20}, {8<<20 + 7, 333333}} {
		t.Run(strconv.Itoa(tc.size)+"/"+strconv.Itoa(tc.chunk), func(t *testing.T) {
			dir := t.TempDir()
			r := curl(t, "-v", "-o", dir+"/body",
				base+"/big?size="+strconv.Itoa(tc.size)+"&chunk="+strconv.Itoa(tc.chunk))
			body := readFile(t, dir+"/body")
			assert.Equal(t, tc.size, len(body))
			assert.Equal(t, sha256Hex(pattern(tc.size)), sha256Hex(body))
			blocks := respBlocks(r.stderr)
			require.Len(t, blocks, 1)
			te, _ := header(blocks[0], "Transfer-Encoding")
			assert.Equal(t, "chunked", te)
			_, cl := header(blocks[0], "Content-Length")
			assert.False(t, cl)
		})
	}
}

// A urlencoded form posted by curl -d arrives as sent, with curl's
// Content-Type.
func TestCurlForm(t *testing.T) {
	base := serve(t, httpserver.Config{})
	r := curl(t, "-d", "name=gornado", "--data-urlencode", "q=a&b=c d", base+"/echo?x=1")
	e := decodeEcho(t, r.stdout)
	assert.Equal(t, "POST", e.Method)
	assert.Equal(t, "/echo", e.Path)
	assert.Equal(t, "x=1", e.Query)
	assert.Equal(t, "name=gornado&q=a%26b%3Dc+d", e.Body)
	assert.Equal(t, []string{"application/x-www-form-urlencoded"}, e.Header["content-type"])
}

var _ = regexp.MustCompile

// A request body is never a request: when a StreamHandler answers from
// the head alone, the server must skip the unread body (or close the
// connection), not parse it as the next request. Here the body of POST
// /reject is itself a valid request for /smuggled; curl (no Expect, so
// it sends the body at once) then asks for /hello on the same
// connection, and must get /hello's answer. A short --max-time guards
// against a server that never answers the second request.
func TestCurlBodyOfRequestAnsweredFromHead(t *testing.T) {
	base := serve(t, httpserver.Config{})
	host := strings.TrimPrefix(base, "http://")
	smuggled := "GET /smuggled HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	file := writeTemp(t, "body.txt", []byte(smuggled))
	dir := t.TempDir()
	r := curl(t, "-v", "--max-time", "15", "-H", "Expect:", "--data-binary", "@"+file,
		"-o", dir+"/1", "-w", "%{http_code}\n", base+"/reject",
		"--next", "-sS", "--noproxy", "*", "--max-time", "15", "-v",
		"-o", dir+"/2", "-w", "%{http_code}\n", base+"/hello")
	assert.Equal(t, [][]string{{"403"}, {"200"}}, writeOut(r.stdout), r.stderr)
	assert.Equal(t, "rejected from the head\n", string(readFile(t, dir+"/1")))
	assert.Equal(t, "Hello, world!", string(readFile(t, dir+"/2")), "the second response is /hello's, not the body's")
}

// A body over MaxBodySize announced with Content-Length and Expect:
// 100-continue is refused with 413 before the client is invited to send
// it: curl sees no 100 Continue, gets the 413, and sends no body.
func TestCurlExpectContinueTooLarge(t *testing.T) {
	base := serve(t, httpserver.Config{MaxBodySize: 1 << 20})
	file := writeTemp(t, "body.bin", pattern(4<<20))
	r := curl(t, "-v", "-H", "Expect: 100-continue", "--data-binary", "@"+file,
		"-o", "/dev/null", "-w", "%{http_code} %{size_upload}\n", base+"/echo")
	assert.Equal(t, [][]string{{"413", "0"}}, writeOut(r.stdout), r.stderr)
	assert.NotContains(t, r.stderr, "< HTTP/1.1 100 Continue", "no invitation to send a body that will be refused")
	blocks := respBlocks(r.stderr)
	require.NotEmpty(t, blocks)
	final := blocks[len(blocks)-1]
	assert.Equal(t, "HTTP/1.1 413 Content Too Large", final[0])
	_, hasDate := header(final, "Date")
	assert.True(t, hasDate, "RFC 9110 §6.6.1: a 4xx from a server with a clock carries Date: %v", final)
}
