package web_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

type wrongGet struct{ web.RequestHandler }

func (h *wrongGet) Get() error { return nil }

type wrongPrepare struct{ web.RequestHandler }

func (h *wrongPrepare) Get(co *gen.Co) error { return nil }
func (h *wrongPrepare) Prepare() error       { return nil }

type postOnly struct{ web.RequestHandler }

func (h *postOnly) Post(co *gen.Co) error { return nil }

func TestMistakesCaughtAtStart(t *testing.T) {
	_, err := web.NewApplication([]web.Route{{Pattern: `/oops`, Handler: web.Make[wrongGet]()}}, web.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `route "/oops": *web_test.wrongGet.Get is func() error, but the application calls Get(*gen.Co) error`)

	_, err = web.NewApplication([]web.Route{{Pattern: `/p`, Handler: web.Make[wrongPrepare]()}}, web.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Prepare is func() error")

	_, err = web.NewApplication([]web.Route{{Pattern: `/admin`, Handler: web.Authenticated(web.Make[helloHandler]())}}, web.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Config.LoginURL is not set")

	// Fine: a login URL, or a route with no GET (others answer 403).
	_, err = web.NewApplication([]web.Route{{Pattern: `/admin`, Handler: web.Authenticated(web.Make[helloHandler]())}}, web.Config{LoginURL: "/login"})
	assert.NoError(t, err)
	_, err = web.NewApplication([]web.Route{{Pattern: `/api`, Handler: web.Authenticated(web.Make[postOnly]())}}, web.Config{})
	assert.NoError(t, err)
}

type store struct{ notes map[string]string }

type base struct {
	web.RequestHandler
	store *store
}

type noteHandler struct{ base }

func (h *noteHandler) GetCurrentUser() (any, error) { return &noteAccount{name: "ann"}, nil }

type noteAccount struct{ name string }

func (h *noteHandler) Get(co *gen.Co) error {
	acct, ok := web.User[*noteAccount](h)
	if !ok {
		return web.NewHTTPError(403, "")
	}
	_, wrong := web.User[string](h)
	return h.Write(acct.name + ": " + h.store.notes[h.PathArgs[0]] + " " + map[bool]string{false: "typed"}[wrong])
}

func TestInitAndTypedUser(t *testing.T) {
	st := &store{notes: map[string]string{"1": "buy milk"}}
	s := serveApp(t, []web.Route{
		{Pattern: `/notes/([0-9]+)`, Handler: web.Init(func(h *noteHandler) { h.store = st })},
	}, web.Config{})
	_, body := s.Get("/notes/1")
	assert.Equal(t, "ann: buy milk typed", body)
}

func TestAddAndRemoveSlash(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/docs/?`, Handler: web.AddSlash(web.Make[helloHandler]())},
		{Pattern: `/page/?`, Handler: web.RemoveSlash(web.Make[helloHandler]())},
	}, web.Config{})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `status=404`)
	resp, _ := s.Get("/docs?x=1")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/docs/?x=1", resp.Header.Get("Location"))
	_, body := s.Get("/docs/")
	assert.Equal(t, "Hello, world", body)
	resp, _ = s.Get("/page/")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/page", resp.Header.Get("Location"))
	_, body = s.Get("/page")
	assert.Equal(t, "Hello, world", body)
	resp, _ = s.Do("POST", "/docs", "x")
	assert.Equal(t, 404, resp.StatusCode, "not GET or HEAD: no redirect")
}
