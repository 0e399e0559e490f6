// Command locale greets each reader in their language, Tornado's
// tornado.locale on Gornado: translations in Tornado's CSV format
// (translations/*.csv, embedded), the reader's locale from a ?lang=
// choice kept in a cookie or else from Accept-Language, translated
// templates ({{_ "Hello"}}), plural forms, and dates relative to now in
// the reader's language.
//
//	go run ./examples/locale -addr 127.0.0.1:8888
//	curl -H 'Accept-Language: fr' http://127.0.0.1:8888/
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locale"
	"github.com/gornado/gornado/web"
)

//go:embed translations templates
var files embed.FS

// greeter is the page; its fields are shared by every request (loop-only).
type greeter struct {
	web.RequestHandler
	started time.Time
	visits  *int
}

// GetUserLocale is Tornado's get_user_locale: a language chosen with
// ?lang= (and remembered in a cookie) wins over the browser's.
func (h *greeter) GetUserLocale() *locale.Locale {
	code, _ := h.GetArgument("lang", "")
	if code != "" {
		h.SetCookie("lang", code, web.CookieConfig{})
	} else if code = h.GetCookie("lang", ""); code == "" {
		return nil // the browser's Accept-Language decides
	}
	return h.Application.Config().Translations.Get(code)
}

func (h *greeter) Get(co *gen.Co) error {
	*h.visits++
	l := h.Locale()
	tr := h.Application.Config().Translations
	var langs []*locale.Locale
	for _, code := range tr.Supported() {
		langs = append(langs, tr.Get(code))
	}
	visits := l.TranslatePlural("1 visit", "%(count)d visits", *h.visits)
	started := l.FormatDate(h.started, locale.DateConfig{Now: h.Loop().Time()})
	return h.Render("index.html", map[string]any{
		"Visits":    locale.Format(visits, map[string]any{"count": *h.visits}),
		"Started":   locale.Format(l.Translate("The server started %(when)s."), map[string]any{"when": started}),
		"Languages": langs,
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "locale:", err)
		os.Exit(1)
	}
}

// run serves the page on addr until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr string) error {
	dir, err := fs.Sub(files, "translations")
	if err != nil {
		return err
	}
	tr, err := locale.LoadCSVFS(dir)
	if err != nil {
		return err
	}
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		return err
	}
	defer loop.Close()
	started, visits := loop.Time(), 0
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Init(func(h *greeter) { h.started, h.visits = started, &visits })},
	}, web.Config{Translations: tr, TemplateFS: files, TemplatePath: "templates"})
	if err != nil {
		return err
	}
	srv, err := app.Listen(loop, addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Greeting on http://%s/\n", srv.Addrs()[0])
	return srv.Run(ctx)
}
