package webtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/webtest"
)

type mainHandler struct{ web.RequestHandler }

func (h *mainHandler) Get(co *gen.Co) error {
	name, err := h.GetArgument("name", "world")
	if err != nil {
		return err
	}
	return h.Write("Hello, " + name)
}

func TestServe(t *testing.T) {
	s := webtest.Serve(t, []web.Route{{Pattern: `/`, Handler: web.Make[mainHandler]()}}, web.Config{})
	resp, body := s.Get("/?name=test")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Hello, test", body)
}

func TestServeHandlerOverTLS(t *testing.T) {
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.WriteString(r.Protocol)
		w.Finish()
	})
	s := webtest.ServeHandler(t, h, httpserver.Config{TLS: webtest.ServerTLS(t)})
	_, body := s.Get("/")
	assert.Equal(t, "https", body, "the client trusts the shared test CA")
}
