package web_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// funcHandler serves every method with fn.
type funcHandler struct {
	web.RequestHandler
	fn func(h *funcHandler, co *gen.Co) error
}

func (h *funcHandler) Get(co *gen.Co) error  { return h.fn(h, co) }
func (h *funcHandler) Post(co *gen.Co) error { return h.fn(h, co) }

func handle(fn func(h *funcHandler, co *gen.Co) error) func() web.Handler {
	return func() web.Handler { return &funcHandler{fn: fn} }
}

type teapotError struct{}

func (teapotError) Error() string   { return "short and stout" }
func (teapotError) StatusCode() int { return 418 }

func TestErrorsAsValues(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/http`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.Write("lost")
			return web.NewHTTPError(403, "user %s may not", "bob")
		})},
		{Pattern: `/reason`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			return &web.HTTPError{Code: 499, Reason: "Client Was Slow"}
		})},
		{Pattern: `/plain`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return errors.New("db down") })},
		{Pattern: `/panic`, Handler: handle(func(h *funcHandler, co *gen.Co) error { panic("boom") })},
		{Pattern: `/own`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return teapotError{} })},
		{Pattern: `/finish`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetStatus(401)
			return web.FinishError{Body: "go away"}
		})},
		{Pattern: `/finish-pointer`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetStatus(401)
			return fmt.Errorf("wrapped: %w", &web.FinishError{Body: "go away"})
		})},
		{Pattern: `/twice`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			require.NoError(t, h.Finish("once"))
			assert.ErrorIs(t, h.Finish(), web.ErrFinished)
			assert.ErrorIs(t, h.Write("more"), web.ErrFinished)
			return nil
		})},
	}, web.Config{})
	looptest.ExpectLog(t, s.Loop, slog.LevelWarn, `user bob may not`)
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `request failed.*db down`)
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `request failed.*boom`)
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `request`)
	looptest.Logs(s.Loop).Allow(t, slog.LevelError, `request`)

	cases := []struct {
		path, body string
		status     int
	}{
		{"/http", "<html><title>403: Forbidden</title><body>403: Forbidden</body></html>", 403},
		{"/reason", "<html><title>499: Client Was Slow</title><body>499: Client Was Slow</body></html>", 499},
		{"/plain", "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>", 500},
		{"/panic", "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>", 500},
		{"/own", "<html><title>418: I&#39;m a Teapot</title><body>418: I&#39;m a Teapot</body></html>", 418},
		{"/finish", "go away", 401},
		{"/finish-pointer", "go away", 401},
		{"/twice", "once", 200},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			resp, body := s.Get(c.path)
			assert.Equal(t, c.status, resp.StatusCode)
			assert.Equal(t, c.body, body)
			if c.path == "/reason" {
				assert.Equal(t, "499 Client Was Slow", resp.Status, "the status line's reason")
			}
		})
	}
}

func TestDebugErrorPageShowsTraceback(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/panic`, Handler: handle(func(h *funcHandler, co *gen.Co) error { panic("kaboom") })},
	}, web.Config{Debug: true})
	looptest.Logs(s.Loop).Allow(t, slog.LevelError, `.`)
	resp, body := s.Get("/panic")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, body, "kaboom")
	assert.Contains(t, body, "output_test.go") // the stack
}

type customErrorHandler struct{ web.RequestHandler }

func (h *customErrorHandler) Get(co *gen.Co) error { return web.NewHTTPError(404, "") }
func (h *customErrorHandler) SetDefaultHeaders()   { h.SetHeader("X-Default", "yes") }
func (h *customErrorHandler) WriteError(status int, err error) {
	h.Write(map[string]any{"code": status})
}

func TestWriteErrorAndDefaultHeaders(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[customErrorHandler]()}}, web.Config{})
	resp, body := s.Get("/")
	assert.Equal(t, 404, resp.StatusCode)
	assert.JSONEq(t, `{"code":404}`, body)
	assert.Equal(t, "yes", resp.Header.Get("X-Default"))
}

func TestHeadersAndRedirect(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/h`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetHeader("X-One", "1")
			h.AddHeader("X-Many", "a")
			h.AddHeader("X-Many", "b")
			h.SetHeader("X-Gone", "x")
			h.ClearHeader("X-Gone")
			h.SetHeader("X-Evil", "a\r\nSet-Cookie: pwned=1")
			h.SetStatus(201)
			return nil
		})},
		{Pattern: `/a/b`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Redirect("../c?x=1", false) })},
		{Pattern: `/perm`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Redirect("/new", true) })},
		{Pattern: `/old/(.*)`, Handler: web.NewRedirectHandler("/new/{0}", true)},
	}, web.Config{})
	resp, _ := s.Get("/h")
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("X-One"))
	assert.Equal(t, []string{"a", "b"}, resp.Header.Values("X-Many"))
	assert.Empty(t, resp.Header.Get("X-Gone"))
	assert.Equal(t, "a  Set-Cookie: pwned=1", resp.Header.Get("X-Evil"))
	assert.Empty(t, resp.Cookies())

	resp, _ = s.Get("/a/b")
	assert.Equal(t, 302, resp.StatusCode)
	assert.Equal(t, "/c?x=1", resp.Header.Get("Location"))
	resp, _ = s.Get("/perm")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/new", resp.Header.Get("Location"))
	resp, _ = s.Get("/old/photo%201?size=2")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/new/photo%201?size=2", resp.Header.Get("Location"))
}

func TestETagAndNotModified(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Handler: web.Make[helloHandler]()},
		{Pattern: `/post`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("posted") })},
	}, web.Config{})
	resp, _ := s.Get("/")
	tag := resp.Header.Get("Etag")
	require.NotEmpty(t, tag)
	assert.True(t, strings.HasPrefix(tag, `"`) && strings.HasSuffix(tag, `"`))

	resp, body := s.Get("/", "If-None-Match", tag)
	assert.Equal(t, 304, resp.StatusCode)
	assert.Empty(t, body)
	assert.Empty(t, resp.Header.Get("Content-Type"))
	resp, _ = s.Get("/", "If-None-Match", `"other", W/`+tag)
	assert.Equal(t, 304, resp.StatusCode)
	resp, _ = s.Get("/", "If-None-Match", "*")
	assert.Equal(t, 304, resp.StatusCode)
	resp, _ = s.Get("/", "If-None-Match", `"other"`)
	assert.Equal(t, 200, resp.StatusCode)

	resp, _ = s.Do("POST", "/post", "x")
	assert.Empty(t, resp.Header.Get("Etag"), "only GET and HEAD get an ETag")
}

func TestGzipOutput(t *testing.T) {
	big := strings.Repeat("compress me please ", 200)
	s := serveApp(t, []web.Route{
		{Pattern: `/big`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write(big) })},
		{Pattern: `/small`, Handler: handle(func(h *funcHandler, co *gen.Co) error { return h.Write("tiny") })},
		{Pattern: `/png`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetHeader("Content-Type", "image/png")
			return h.Write(big)
		})},
		{Pattern: `/stream`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			for i := 0; i < 3; i++ {
				h.Write(big)
				if _, err := gen.Await(co, h.Flush()); err != nil {
					return err
				}
			}
			return nil
		})},
	}, web.Config{Compress: true})
	// Go's client asks for gzip and decodes it itself unless we ask.
	get := func(path, ae string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.Header.Set("Accept-Encoding", ae)
		resp, err := s.Client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, b
	}
	gunzip := func(b []byte) string {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		out, err := io.ReadAll(zr)
		require.NoError(t, err)
		return string(out)
	}
	resp, b := get("/big", "gzip, deflate")
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
	assert.Less(t, len(b), len(big))
	assert.Equal(t, big, gunzip(b))

	resp, b = get("/big", "identity")
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
	assert.Equal(t, big, string(b))
	resp, _ = get("/big", "gzip;q=0")
	assert.Empty(t, resp.Header.Get("Content-Encoding"))

	resp, b = get("/small", "gzip")
	assert.Empty(t, resp.Header.Get("Content-Encoding"), "too small to be worth it")
	assert.Equal(t, "tiny", string(b))
	resp, _ = get("/png", "gzip")
	assert.Empty(t, resp.Header.Get("Content-Encoding"))

	resp, b = get("/stream", "gzip")
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	assert.Equal(t, big+big+big, gunzip(b))
}
