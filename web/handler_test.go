package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

type helloHandler struct{ web.RequestHandler }

func (h *helloHandler) Get(co *gen.Co) error { return h.Write("Hello, world") }

type storyHandler struct {
	web.RequestHandler
	prefix string
}

func (h *storyHandler) Get(co *gen.Co) error {
	return h.Write(fmt.Sprintf("%s %v id=%s", h.prefix, h.PathArgs, h.PathKwarg("id")))
}

type sleepyHandler struct{ web.RequestHandler }

func (h *sleepyHandler) Get(co *gen.Co) error {
	if err := gen.Sleep(co, 5*time.Millisecond); err != nil {
		return err
	}
	h.Write(map[string]any{"slept": true})
	return nil
}

func TestRoutingAndPathArgs(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/`, Handler: web.Make[helloHandler]()},
		{Pattern: `/story/(?P<id>[0-9]+)/(.*)`, Handler: func() web.Handler { return &storyHandler{prefix: "story"} }, Name: "story"},
		{Pattern: `/sleep`, Handler: web.Make[sleepyHandler]()},
	}, web.Config{})

	resp, body := s.Get("/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Hello, world", body)
	assert.Equal(t, "text/html; charset=UTF-8", resp.Header.Get("Content-Type"))

	_, body = s.Get("/story/42/a%20b")
	assert.Equal(t, "story [42 a b] id=42", body)

	resp, body = s.Get("/sleep")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/json; charset=UTF-8", resp.Header.Get("Content-Type"))
	var v map[string]bool
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	assert.True(t, v["slept"])

	resp, body = s.Get("/nowhere")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, body, "404: Not Found")

	resp, _ = s.Get("/story/x/y") // the pattern must match the whole path
	assert.Equal(t, 404, resp.StatusCode)

	u, err := s.App.ReverseURL("story", 7, "a b")
	require.NoError(t, err)
	assert.Equal(t, "/story/7/a%20b", u)
	_, err = s.App.ReverseURL("story", 7)
	assert.Error(t, err)
	_, err = s.App.ReverseURL("nope")
	assert.Error(t, err)
}

func TestMethodNotAllowedAndHead(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[helloHandler]()}}, web.Config{})
	resp, _ := s.Do("POST", "/", "x")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))

	resp, body := s.Do("HEAD", "/", "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "", body)
	assert.Equal(t, int64(len("Hello, world")), resp.ContentLength)
}
