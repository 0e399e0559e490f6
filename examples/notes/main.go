// Command notes is a small notes service, the same as notes.py beside it
// in Tornado: log in with a signed cookie, add notes through an
// XSRF-protected form on a template page or through a JSON API, fetch a
// quote from another service in a coroutine, prune old notes every
// minute, and stop gracefully on SIGINT.
//
//	go run ./examples/notes -addr 127.0.0.1:8888
package main

import (
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

//go:embed templates
var templates embed.FS

type note struct {
	ID      int       `json:"id"`
	Owner   string    `json:"-"`
	Text    string    `json:"text"`
	Created time.Time `json:"created"`
}

// store is the notes, oldest first; loop-only like the handlers that use it.
type store struct {
	next  int
	notes []*note
}

func (s *store) add(owner, text string, now time.Time) *note {
	s.next++
	s.notes = append(s.notes, &note{ID: s.next, Owner: owner, Text: text, Created: now})
	return s.notes[len(s.notes)-1]
}

func (s *store) mine(owner string) []*note {
	return slices.DeleteFunc(slices.Clone(s.notes), func(n *note) bool { return n.Owner != owner })
}

func (s *store) prune(before time.Time) {
	s.notes = slices.DeleteFunc(s.notes, func(n *note) bool { return n.Created.Before(before) })
}

// base is what every handler shares: the store, and who is logged in
// (the signed cookie Config.UserCookie names).
type base struct {
	web.RequestHandler
	store *store
}

func (h *base) user() string {
	u, _ := web.User[string](h)
	return u
}

type loginHandler struct{ base }

func (h *loginHandler) Get(co *gen.Co) error { return h.Render("login.html", nil) }

func (h *loginHandler) Post(co *gen.Co) error {
	name, err := h.GetArgument("name")
	if err != nil {
		return err
	}
	if err := h.SetSignedCookie("user", name, web.CookieConfig{}); err != nil {
		return err
	}
	return h.Redirect("/", false)
}

type indexHandler struct{ base }

func (h *indexHandler) Get(co *gen.Co) error { return h.Render("index.html", h.store.mine(h.user())) }

func (h *indexHandler) Post(co *gen.Co) error {
	text, err := h.GetArgument("text")
	if err != nil {
		return err
	}
	h.store.add(h.user(), text, h.Loop().Time())
	return h.Redirect("/", false)
}

// apiHandler serves /api/notes and /api/notes/ID as JSON; it is called
// with the login cookie, and needs no XSRF token (no form posts to it).
type apiHandler struct{ base }

func (h *apiHandler) CheckXSRFCookie() error { return nil }

func (h *apiHandler) Get(co *gen.Co) error {
	if h.PathArgs[0] == "" {
		return h.Write(h.store.mine(h.user()))
	}
	for _, n := range h.store.mine(h.user()) {
		if strconv.Itoa(n.ID) == h.PathArgs[0] {
			return h.Write(n)
		}
	}
	return web.NewHTTPError(404, "no note %s", h.PathArgs[0])
}

func (h *apiHandler) Post(co *gen.Co) error {
	var in struct{ Text string }
	if err := json.Unmarshal(h.Request.Body, &in); err != nil || in.Text == "" {
		return web.NewHTTPError(400, "want {\"text\": ...}")
	}
	h.SetStatus(201)
	return h.Write(h.store.add(h.user(), in.Text, h.Loop().Time()))
}

// quoteHandler fetches a quote from another service without blocking
// the loop: the coroutine waits, other requests go on.
type quoteHandler struct {
	base
	client *httpclient.AsyncHTTPClient
	source string
}

func (h *quoteHandler) Get(co *gen.Co) error {
	resp, err := gen.Await(co, h.client.FetchURL(h.source))
	if err != nil {
		return web.NewHTTPError(502, "quote source: %v", err)
	}
	return h.Write(map[string]string{"quote": string(resp.Body)})
}

type sourceHandler struct{ web.RequestHandler }

func (h *sourceHandler) Get(co *gen.Co) error { return h.Write("Simple is better than complex.") }

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	source := flag.String("quote-url", "", "where /api/quote fetches from (default: this server's /quote-source)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *source, "change me"); err != nil {
		fmt.Fprintln(os.Stderr, "notes:", err)
		os.Exit(1)
	}
}

// run serves the notes on addr until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr, source, secret string) error {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		return err
	}
	defer loop.Close()
	st := &store{}
	client := httpclient.New(loop, httpclient.Config{})
	defer client.Close()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Authenticated(web.Init(func(h *indexHandler) { h.store = st }))},
		{Pattern: `/login`, Handler: web.Init(func(h *loginHandler) { h.store = st })},
		{Pattern: `/api/notes/?([0-9]*)`, Handler: web.Authenticated(web.Init(func(h *apiHandler) { h.store = st }))},
		{Pattern: `/api/quote`, Handler: web.Init(func(h *quoteHandler) { h.store, h.client, h.source = st, client, source })},
		{Pattern: `/quote-source`, Handler: web.Make[sourceHandler]()},
	}, web.Config{CookieSecret: secret, XSRFCookies: true, LoginURL: "/login",
		UserCookie: "user", TemplateFS: templates, TemplatePath: "templates"})
	if err != nil {
		return err
	}
	srv, err := app.Listen(loop, addr)
	if err != nil {
		return err
	}
	base := fmt.Sprintf("http://%s", srv.Addrs()[0])
	if source == "" {
		source = base + "/quote-source"
	}
	ioloop.NewPeriodicCallback(loop, func() { st.prune(loop.Time().Add(-24 * time.Hour)) }, time.Minute).Start()
	fmt.Fprintf(out, "Notes on %s/\n", base)
	return srv.Run(ctx)
}
