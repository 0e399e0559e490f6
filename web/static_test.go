package web_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/webtest"
)

const helloText = "Hello, static"

// staticTree writes a tree of static files in a temporary directory,
// beside a secret that must never be served, and returns the tree's root.
func staticTree(t *testing.T) string {
	t.Helper()
	top := t.TempDir()
	root := filepath.Join(top, "root")
	files := map[string]string{
		"hello.txt":        helloText,
		"empty.txt":        "",
		"style.css":        "body { color: red }",
		"app.js":           "alert(1)",
		"page.html":        "<p>page</p>",
		"image.png":        "\x89PNG",
		"blob.unknownext":  "???",
		"archive.tar.gz":   "\x1f\x8b",
		"data.bz2":         "BZh",
		"favicon.ico":      "icon",
		"robots.txt":       "User-agent: *",
		"sub/index.html":   "<p>sub index</p>",
		"sub/deep/a.txt":   "deep a",
		"noindex/file.txt": "no index here",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(top, "secret.txt"), []byte("TOP SECRET"), 0o644))
	require.NoError(t, os.Symlink("../secret.txt", filepath.Join(root, "escape.txt")))
	require.NoError(t, os.Symlink(top, filepath.Join(root, "escapedir")))
	require.NoError(t, os.Symlink("hello.txt", filepath.Join(root, "inlink.txt")))
	return root
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// rawGet sends a request with the target exactly as given (Go's client
// would clean it) and returns the response with its body read.
func rawGet(s *webtest.Server, target string, hdr ...string) (*http.Response, string) {
	s.T.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(s.T, err)
	defer conn.Close()
	req := "GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
	for i := 0; i+1 < len(hdr); i += 2 {
		req += hdr[i] + ": " + hdr[i+1] + "\r\n"
	}
	_, err = io.WriteString(conn, req+"\r\n")
	require.NoError(s.T, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(s.T, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.T, err)
	return resp, string(b)
}

func allowStaticLogs(t *testing.T, s *webtest.Server) {
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `request|not in root|not a file|is a directory|two initial slashes`)
}

func TestStaticServesFiles(t *testing.T) {
	root := staticTree(t)
	s := serveApp(t, []web.Route{
		{Pattern: `/files/(.*)`, Handler: web.StaticFiles{Dir: root, DefaultFilename: "index.html"}.Handler()},
	}, web.Config{StaticPath: root})
	allowStaticLogs(t, s)

	cases := []struct {
		path, status, ctype, body, location string
	}{
		{"/static/hello.txt", "200", "text/plain; charset=utf-8", helloText, ""},
		{"/static/empty.txt", "200", "text/plain; charset=utf-8", "", ""},
		{"/static/style.css", "200", "text/css; charset=utf-8", "body { color: red }", ""},
		{"/static/app.js", "200", "text/javascript; charset=utf-8", "alert(1)", ""},
		{"/static/page.html", "200", "text/html; charset=utf-8", "<p>page</p>", ""},
		{"/static/image.png", "200", "image/png", "\x89PNG", ""},
		{"/static/blob.unknownext", "200", "application/octet-stream", "???", ""},
		{"/static/archive.tar.gz", "200", "application/gzip", "\x1f\x8b", ""},
		{"/static/data.bz2", "200", "application/octet-stream", "BZh", ""},
		{"/static/sub/deep/a.txt", "200", "text/plain; charset=utf-8", "deep a", ""},
		{"/static/inlink.txt", "200", "text/plain; charset=utf-8", helloText, ""}, // a symlink inside the root
		{"/static/sub%2Fdeep/a.txt", "200", "text/plain; charset=utf-8", "deep a", ""},
		{"/favicon.ico", "200", "image/vnd.microsoft.icon", "icon", ""},
		{"/robots.txt", "200", "text/plain; charset=utf-8", "User-agent: *", ""},
		{"/static/missing.txt", "404", "", "", ""},
		{"/static/hello.txt/", "404", "", "", ""},
		{"/static/hello.txt/x", "404", "", "", ""},
		{"/static/sub/", "403", "", "", ""}, // the application's own route has no default file
		{"/static/", "403", "", "", ""},
		{"/files/sub", "301", "", "", "/files/sub/"},
		{"/files/sub/deep", "301", "", "", "/files/sub/deep/"},
		{"/files/sub/", "200", "text/html; charset=utf-8", "<p>sub index</p>", ""},
		{"/files/", "404", "", "", ""}, // no index.html at the top
		{"/files/noindex/", "404", "", "", ""},
		{"/files/hello.txt", "200", "text/plain; charset=utf-8", helloText, ""},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			resp, body := s.Get(c.path)
			assert.Equal(t, c.status, fmt.Sprint(resp.StatusCode))
			assert.Equal(t, c.location, resp.Header.Get("Location"))
			if c.status != "200" {
				return
			}
			if c.ctype == "image/vnd.microsoft.icon" && resp.Header.Get("Content-Type") == "image/x-icon" {
				c.ctype = "image/x-icon" // the system's mime table may say either
			}
			assert.Equal(t, c.ctype, resp.Header.Get("Content-Type"))
			assert.Equal(t, c.body, body)
			assert.Equal(t, int64(len(c.body)), resp.ContentLength)
			assert.Equal(t, `"`+sha(c.body)[:32]+`"`, resp.Header.Get("Etag"))
			assert.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))
			assert.NotEmpty(t, resp.Header.Get("Last-Modified"))
			assert.Empty(t, resp.Header.Get("Cache-Control"))
		})
	}

	resp, _ := s.Do("POST", "/static/hello.txt", "x")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
}

// TestStaticTraversal sends paths that try to leave the root, raw, as no
// well-behaved client would; none may reach the secret beside the root.
func TestStaticTraversal(t *testing.T) {
	root := staticTree(t)
	s := serveApp(t, []web.Route{
		{Pattern: `/files/(.*)`, Handler: web.StaticFiles{Dir: root, DefaultFilename: "index.html"}.Handler()},
		{Pattern: `/fs/(.*)`, Handler: web.NewStaticFSHandler(os.DirFS(root), "")},
	}, web.Config{StaticPath: root})
	allowStaticLogs(t, s)

	cases := []struct {
		target string
		status int
	}{
		{"/static/../secret.txt", 403},
		{"/static/%2e%2e/secret.txt", 403},
		{"/static/%2E%2E/secret.txt", 403},
		{"/static/..%2fsecret.txt", 403},
		{"/static/%2e%2e%2fsecret.txt", 403},
		{"/static/sub/../../secret.txt", 403},
		{"/static/sub/%2e%2e/%2e%2e/secret.txt", 403},
		{"/static/./../secret.txt", 403},
		{"/static//etc/passwd", 403},
		{"/static/%2fetc%2fpasswd", 403},
		{"/static/..\\secret.txt", 403},
		{"/static/..%5csecret.txt", 403},
		{"/static/hello.txt%00", 403},
		{"/static/escape.txt", 403},           // a symlink out of the root
		{"/static/escapedir/secret.txt", 403}, // a directory symlink out of the root
		{"/files/../secret.txt", 403},
		{"/files/escapedir/", 403},
		{"/fs/%2e%2e/secret.txt", 403},
		{"/fs/../secret.txt", 403},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			resp, body := rawGet(s, c.target)
			assert.Equal(t, c.status, resp.StatusCode)
			assert.NotContains(t, body, "TOP SECRET")
		})
	}

	// ".." that stays inside the root is only a path, as in Tornado.
	for _, target := range []string{"/static/sub/../hello.txt", "/static/sub/%2e%2e/hello.txt", "/static/./hello.txt"} {
		resp, body := rawGet(s, target)
		assert.Equal(t, 200, resp.StatusCode, target)
		assert.Equal(t, helloText, body, target)
	}
}

func TestStaticConditional(t *testing.T) {
	root := staticTree(t)
	mod := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(root, "hello.txt"), mod, mod.Add(500*time.Millisecond)))
	s := serveApp(t, nil, web.Config{StaticPath: root})

	resp, _ := s.Get("/static/hello.txt")
	etag := resp.Header.Get("Etag")
	require.NotEmpty(t, etag)
	assert.Equal(t, "Mon, 06 May 2024 07:08:09 GMT", resp.Header.Get("Last-Modified"))

	before, after := httputil.FormatDate(mod.Add(-time.Second)), httputil.FormatDate(mod.Add(time.Hour))
	cases := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"none", nil, 200},
		{"etag", []string{"If-None-Match", etag}, 304},
		{"weak etag", []string{"If-None-Match", "W/" + etag}, 304},
		{"etag in list", []string{"If-None-Match", `"x", ` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other etag", []string{"If-None-Match", `"other"`}, 200},
		{"same date", []string{"If-Modified-Since", httputil.FormatDate(mod)}, 304},
		{"later date", []string{"If-Modified-Since", after}, 304},
		{"earlier date", []string{"If-Modified-Since", before}, 200},
		{"bad date", []string{"If-Modified-Since", "yesterday"}, 200},
		{"etag wins over date", []string{"If-None-Match", `"other"`, "If-Modified-Since", after}, 200},
		{"range ignored on 304", []string{"If-None-Match", etag, "Range", "bytes=0-1"}, 304},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := s.Get("/static/hello.txt", c.hdr...)
			assert.Equal(t, c.status, resp.StatusCode)
			if c.status == 304 {
				assert.Empty(t, body)
				assert.Empty(t, resp.Header.Get("Content-Type"))
				assert.Empty(t, resp.Header.Get("Content-Length"))
				assert.Equal(t, etag, resp.Header.Get("Etag"))
			} else {
				assert.Equal(t, helloText, body)
			}
		})
	}

	// A new content is a new ETag.
	require.NoError(t, os.WriteFile(filepath.Join(root, "hello.txt"), []byte("changed"), 0o644))
	resp, body := s.Get("/static/hello.txt", "If-None-Match", etag)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "changed", body)
	assert.Equal(t, `"`+sha("changed")[:32]+`"`, resp.Header.Get("Etag"))
}

func TestStaticRange(t *testing.T) {
	root := staticTree(t)
	s := serveApp(t, nil, web.Config{StaticPath: root})
	resp, _ := s.Get("/static/hello.txt")
	etag, lastMod := resp.Header.Get("Etag"), resp.Header.Get("Last-Modified")
	n := len(helloText) // 13

	cases := []struct {
		rng, ifRange string
		status       int
		body, cr     string
	}{
		{"bytes=0-4", "", 206, "Hello", "bytes 0-4/13"},
		{"bytes=7-", "", 206, "static", "bytes 7-12/13"},
		{"bytes=-6", "", 206, "static", "bytes 7-12/13"},
		{"bytes=12-12", "", 206, "c", "bytes 12-12/13"},
		{"bytes=5-100", "", 206, ", static", "bytes 5-12/13"},
		{" bytes = 0-4 ", "", 206, "Hello", "bytes 0-4/13"},
		{"bytes=0-", "", 200, helloText, ""},
		{"bytes=0-12", "", 200, helloText, ""},
		{"bytes=0-1000", "", 200, helloText, ""},
		{"bytes=-100", "", 200, helloText, ""},
		{"bytes=5-2", "", 416, "", "bytes */13"},
		{"bytes=13-", "", 416, "", "bytes */13"},
		{"bytes=100-200", "", 416, "", "bytes */13"},
		{"bytes=-0", "", 416, "", "bytes */13"},
		{"bytes=0-1,3-4", "", 200, helloText, ""}, // several ranges: the whole file
		{"bytes=-", "", 200, helloText, ""},
		{"bytes=a-b", "", 200, helloText, ""},
		{"bytes=+1-2", "", 200, helloText, ""},
		{"items=0-4", "", 200, helloText, ""},
		{"bytes=0-4", etag, 206, "Hello", "bytes 0-4/13"},
		{"bytes=0-4", `"stale"`, 200, helloText, ""},
		{"bytes=0-4", "W/" + etag, 200, helloText, ""}, // If-Range compares strongly
		{"bytes=0-4", lastMod, 206, "Hello", "bytes 0-4/13"},
		{"bytes=0-4", "Mon, 01 Jan 2001 00:00:00 GMT", 200, helloText, ""},
	}
	for _, c := range cases {
		t.Run(c.rng+" "+c.ifRange, func(t *testing.T) {
			hdr := []string{"Range", c.rng}
			if c.ifRange != "" {
				hdr = append(hdr, "If-Range", c.ifRange)
			}
			resp, body := s.Get("/static/hello.txt", hdr...)
			assert.Equal(t, c.status, resp.StatusCode)
			assert.Equal(t, c.body, body)
			assert.Equal(t, c.cr, resp.Header.Get("Content-Range"))
			assert.Equal(t, int64(len(c.body)), resp.ContentLength)
			if c.status == 416 {
				assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
			}
			if c.status == 206 {
				assert.Equal(t, etag, resp.Header.Get("Etag"), "a part has the whole file's ETag")
			}
		})
	}
	_ = n

	resp, body := s.Get("/static/empty.txt", "Range", "bytes=0-")
	assert.Equal(t, 416, resp.StatusCode)
	assert.Equal(t, "bytes */0", resp.Header.Get("Content-Range"))
	assert.Empty(t, body)
}

// writeBig writes a file of pseudo-random bytes and returns its content.
func writeBig(t *testing.T, p string, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return b
}

func TestStaticBigFile(t *testing.T) {
	root := staticTree(t)
	const size = 5<<20 + 12345 // not a multiple of the chunk
	want := writeBig(t, filepath.Join(root, "big.bin"), size)
	s := serveApp(t, nil, web.Config{StaticPath: root})

	resp, body := s.Get("/static/big.bin")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(size), resp.ContentLength)
	assert.Empty(t, resp.TransferEncoding, "sent with Content-Length, not chunked")
	assert.True(t, bytes.Equal(want, []byte(body)), "the body differs from the file")

	// A range across several chunks, from the middle.
	start, end := 100000, 3<<20+7
	resp, body = s.Get("/static/big.bin", "Range", fmt.Sprintf("bytes=%d-%d", start, end))
	require.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", start, end, size), resp.Header.Get("Content-Range"))
	assert.Equal(t, int64(end-start+1), resp.ContentLength)
	assert.True(t, bytes.Equal(want[start:end+1], []byte(body)), "the range differs from the file")

	// Several clients at once, one of them gone after the first bytes:
	// the others get every byte, and nothing leaks (looptest checks).
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	_, err = io.WriteString(conn, "GET /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	_, err = io.ReadFull(conn, make([]byte, 1000))
	require.NoError(t, err)
	require.NoError(t, conn.Close())

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			resp, err := s.Client.Get(s.URL + "/static/big.bin")
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			assert.NoError(t, err)
			assert.True(t, bytes.Equal(want, got), "a concurrent body differs from the file")
		})
	}
	wg.Wait()
}

// TestStaticHead checks HEAD answers the headers of GET without the body,
// and keeps the connection usable.
func TestStaticHead(t *testing.T) {
	root := staticTree(t)
	writeBig(t, filepath.Join(root, "big.bin"), 1<<20)
	s := serveApp(t, nil, web.Config{StaticPath: root})

	for _, p := range []string{"/static/hello.txt", "/static/big.bin"} {
		get, _ := s.Get(p)
		resp, body := s.Do("HEAD", p, "")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Empty(t, body)
		assert.Equal(t, get.ContentLength, resp.ContentLength)
		assert.Equal(t, get.Header.Get("Etag"), resp.Header.Get("Etag"))
		assert.Equal(t, get.Header.Get("Content-Type"), resp.Header.Get("Content-Type"))
	}
	resp, _ := s.Do("HEAD", "/static/hello.txt", "", "Range", "bytes=0-4")
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, int64(5), resp.ContentLength)

	// Two HEADs and a GET on one connection: nothing of a body is expected
	// after a HEAD, and the connection stays open.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "HEAD /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n"+
		"HEAD /static/hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	for i, method := range []string{"HEAD", "HEAD", "GET"} {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		require.NoError(t, err, i)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, i)
		if method == "GET" {
			assert.Equal(t, helloText, string(b))
		} else {
			assert.False(t, resp.Close, "a HEAD response must not close the connection")
		}
	}
}

func TestStaticCacheHeaders(t *testing.T) {
	root := staticTree(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := serveApp(t, nil, web.Config{StaticPath: root}, ioloop.Config{Clock: looptest.NewFakeClock(now)})

	resp, _ := s.Get("/static/hello.txt?v=abcde")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "max-age=31536000", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "Fri, 02 Jan 2026 03:04:05 GMT", resp.Header.Get("Expires"))

	resp, _ = s.Get("/static/hello.txt?x=1")
	assert.Empty(t, resp.Header.Get("Cache-Control"))
	assert.Empty(t, resp.Header.Get("Expires"))
}

func TestStaticURL(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprint("debug=", debug), func(t *testing.T) {
			root := staticTree(t)
			s := serveApp(t, nil, web.Config{StaticPath: root, Debug: debug, StaticURLPrefix: "/assets/"})
			u, err := s.App.StaticURL("hello.txt")
			require.NoError(t, err)
			assert.Equal(t, "/assets/hello.txt?v="+sha(helloText)[:5], u)

			resp, body := s.Get(u)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, helloText, body)
			assert.Equal(t, "max-age=31536000", resp.Header.Get("Cache-Control"))

			require.NoError(t, os.WriteFile(filepath.Join(root, "hello.txt"), []byte("new content"), 0o644))
			u2, err := s.App.StaticURL("hello.txt")
			require.NoError(t, err)
			if debug {
				assert.Equal(t, "/assets/hello.txt?v="+sha("new content")[:5], u2, "debug mode hashes every time")
			} else {
				assert.Equal(t, u, u2, "the hash is cached")
			}
			// The ETag follows the content either way.
			resp, body = s.Get("/assets/hello.txt")
			assert.Equal(t, "new content", body)
			assert.Equal(t, `"`+sha("new content")[:32]+`"`, resp.Header.Get("Etag"))

			u, err = s.App.StaticURL("sub/deep/a.txt")
			require.NoError(t, err)
			assert.Equal(t, "/assets/sub/deep/a.txt?v="+sha("deep a")[:5], u)

			looptest.Logs(s.Loop).Expect(t, slog.LevelError, `could not open static file path=missing.css`)
			u, err = s.App.StaticURL("missing.css")
			require.NoError(t, err)
			assert.Equal(t, "/assets/missing.css", u, "a missing file has no version, as in Tornado")

			for _, bad := range []string{"../secret.txt", "/etc/passwd", "a\\..\\..\\b"} {
				_, err = s.App.StaticURL(bad)
				var he *web.HTTPError
				assert.ErrorAs(t, err, &he, bad)
			}
		})
	}

	app, err := web.NewApplication(nil, web.Config{})
	require.NoError(t, err)
	_, err = app.StaticURL("x.css")
	assert.ErrorIs(t, err, web.ErrNoStaticPath)
}

// TestStaticURLConcurrent has StaticURL filled and read from many
// goroutines at once, for the race detector.
func TestStaticURLConcurrent(t *testing.T) {
	root := staticTree(t)
	app, err := web.NewApplication(nil, web.Config{StaticPath: root})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for _, p := range []string{"hello.txt", "style.css", "app.js", "sub/index.html"} {
				u, err := app.StaticURL(p)
				assert.NoError(t, err)
				assert.Contains(t, u, "?v=", i)
			}
		})
	}
	wg.Wait()
}

func TestStaticFS(t *testing.T) {
	mod := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"hello.txt":          {Data: []byte(helloText), ModTime: mod},
		"docs/index.html":    {Data: []byte("<h1>docs</h1>"), ModTime: mod},
		"robots.txt":         {Data: []byte("User-agent: *")},
		"docs/guide/x.json":  {Data: []byte(`{}`)},
		"docs/guide/y.jsonx": {Data: []byte(`{}`)},
	}
	s := serveApp(t, []web.Route{
		{Pattern: `/d/(.*)`, Handler: web.NewStaticFSHandler(fsys, "index.html")},
	}, web.Config{StaticFS: fsys})
	allowStaticLogs(t, s)

	resp, body := s.Get("/static/hello.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, helloText, body)
	assert.Equal(t, httputil.FormatDate(mod), resp.Header.Get("Last-Modified"))

	resp, body = s.Get("/static/hello.txt", "Range", "bytes=7-")
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, "static", body)

	resp, _ = s.Get("/robots.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Last-Modified"), "no modification time, no Last-Modified")
	resp, _ = s.Get("/robots.txt", "If-Modified-Since", httputil.FormatDate(time.Now()))
	assert.Equal(t, 200, resp.StatusCode, "no modification time, no 304 by date")

	resp, _ = s.Get("/d/docs")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/d/docs/", resp.Header.Get("Location"))
	resp, body = s.Get("/d/docs/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<h1>docs</h1>", body)
	resp, _ = s.Get("/d/docs/guide/")
	assert.Equal(t, 404, resp.StatusCode)
	resp, _ = s.Get("/d/docs/guide/x.json")
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	u, err := s.App.StaticURL("hello.txt")
	require.NoError(t, err)
	assert.Equal(t, "/static/hello.txt?v="+sha(helloText)[:5], u)
}

func TestStaticCompressAndExtraHeaders(t *testing.T) {
	root := staticTree(t)
	css := strings.Repeat("p { margin: 0 }\n", 10000) // 160 KB: streamed in chunks
	require.NoError(t, os.WriteFile(filepath.Join(root, "big.css"), []byte(css), 0o644))
	s := serveApp(t, []web.Route{
		{Pattern: `/x/(.*)`, Handler: web.StaticFiles{Dir: root, ExtraHeaders: func(h *web.StaticFileHandler, name string) {
			h.SetHeader("X-Static-Name", name)
			h.SetHeader("Cache-Control", "no-cache")
		}}.Handler()},
	}, web.Config{StaticPath: root, Compress: true})

	for _, p := range []string{"/static/big.css", "/static/style.css"} {
		resp, body := s.Get(p) // Go's client asks for gzip and decodes it
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
		if p == "/static/big.css" {
			assert.True(t, resp.Uncompressed, "a large text file is compressed")
			assert.Equal(t, css, body)
		}
	}

	// A part is sent as is: Content-Range counts the file's own bytes.
	// (Go's client asks no gzip with a Range: ask explicitly.)
	resp, body := s.Get("/static/big.css", "Range", "bytes=100-70099", "Accept-Encoding", "gzip")
	assert.Equal(t, 206, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, css[100:70100], body)

	resp, body = s.Get("/x/sub/deep/a.txt?v=1")
	assert.Equal(t, "deep a", body)
	assert.Equal(t, "sub/deep/a.txt", resp.Header.Get("X-Static-Name"))
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), "ExtraHeaders has the last word")
}

type staticPage struct{ web.RequestHandler }

func (h *staticPage) Get(co *gen.Co) error { return h.Render("page.html", nil) }

func TestStaticURLInTemplate(t *testing.T) {
	root := staticTree(t)
	tpl := fstest.MapFS{"page.html": {Data: []byte(`<link href="{{static_url "style.css"}}">`)}}
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Handler: web.Make[staticPage]()},
	}, web.Config{StaticPath: root, TemplateFS: tpl})
	_, body := s.Get("/")
	assert.Equal(t, `<link href="/static/style.css?v=`+sha("body { color: red }")[:5]+`">`, body)
}

// TestStaticNotRegular checks that what is not a regular file is refused
// at once: a FIFO would block the loop in open(2) or read(2).
func TestStaticNotRegular(t *testing.T) {
	root := staticTree(t)
	require.NoError(t, syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644))
	s := serveApp(t, []web.Route{
		{Pattern: `/files/(.*)`, Handler: web.NewStaticFileHandler(root, "pipe")},
	}, web.Config{StaticPath: root})
	allowStaticLogs(t, s)
	for _, p := range []string{"/static/pipe", "/files/sub/../", "/files/"} {
		resp, _ := s.Get(p)
		assert.Equal(t, 403, resp.StatusCode, p)
	}
}

func ExampleApplication_StaticURL() {
	fsys := fstest.MapFS{"css/site.css": {Data: []byte("body{}")}}
	app, err := web.NewApplication([]web.Route{
		// Another tree, with index.html for its directories.
		{Pattern: `/docs/(.*)`, Handler: web.StaticFiles{Dir: "docs", DefaultFilename: "index.html"}.Handler()},
	}, web.Config{StaticFS: fsys}) // served under /static/
	if err != nil {
		panic(err)
	}
	u, err := app.StaticURL("css/site.css")
	fmt.Println(u, err)
	// Output: /static/css/site.css?v=7c980 <nil>
}

// TemplatePath and StaticPath name directories inside TemplateFS and
// StaticFS when both are set, as with an embed.FS of "templates".
func TestPathInsideFS(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/page.html": {Data: []byte(`<link href="{{static_url "style.css"}}">`)},
		"assets/style.css":    {Data: []byte("body { color: red }")},
	}
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Handler: web.Make[staticPage]()},
	}, web.Config{TemplateFS: fsys, TemplatePath: "templates", StaticFS: fsys, StaticPath: "assets"})
	_, body := s.Get("/")
	assert.Equal(t, `<link href="/static/style.css?v=`+sha("body { color: red }")[:5]+`">`, body)
	resp, body := s.Get("/static/style.css")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "body { color: red }", body)
	_, err := web.NewApplication(nil, web.Config{TemplateFS: fsys, TemplatePath: "../x"})
	assert.Error(t, err)
}
