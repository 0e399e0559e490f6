// Package chatdemo is Tornado's long-polling chat demo (demos/chat) on
// Gornado: the application that examples/chat serves, in a package of its
// own so tests elsewhere (the interop module's browser test) can serve it.
//
// A page (GET /) shows the recent messages and a form. Its script posts
// new messages to /a/message/new and long-polls /a/message/updates: each
// poll waits on a future of its own in the room's MessageBuffer until a
// message arrives, or until its client disconnects (OnConnectionClose
// cancels the wait). XSRF protection is on: every POST carries the _xsrf
// cookie's token, which the script reads from the cookie. Templates and
// static files are embedded in the program.
//
//	loop, _ := ioloop.New(ioloop.Config{})
//	room := chatdemo.NewMessageBuffer(loop)
//	app, _ := chatdemo.NewApplication(room, web.Config{})
//	if _, err := app.Listen(loop, "127.0.0.1:8888"); err != nil {
//		log.Fatal(err)
//	}
//	loop.Start()
//
// The room lives on one loop, so the application must be served on the
// room's loop only (one Listen, or one Handler): handlers on another loop
// would touch the room from a second goroutine. A chat across several
// loops or processes needs a shared message store, left, as Tornado says,
// as an exercise for the reader.
package chatdemo

import (
	"embed"
	"html/template"
	"io/fs"
	"regexp"
	"strings"

	"github.com/gornado/gornado/web"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Templates holds index.html and message.html; Static holds chat.js and
// chat.css.
var (
	Templates = mustSub(templateFiles, "templates")
	Static    = mustSub(staticFiles, "static")
)

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // a bad literal directory name: a bug, found by any test
	}
	return sub
}

// NewApplication returns the chat application for room. It takes s as
// the base settings (a logger, Debug, Server limits...) and sets what the
// chat needs: XSRFCookies on, the embedded templates and static files
// (unless s names its own), and the linkify template function. Serve it on
// room's loop only (see the package doc).
func NewApplication(room *MessageBuffer, s web.Config) (*web.Application, error) {
	s.XSRFCookies = true
	if s.TemplateFS == nil && s.TemplatePath == "" {
		s.TemplateFS = Templates
	}
	if s.StaticFS == nil && s.StaticPath == "" {
		s.StaticFS = Static
	}
	funcs := template.FuncMap{"linkify": Linkify}
	for k, v := range s.TemplateFuncs {
		funcs[k] = v
	}
	s.TemplateFuncs = funcs
	return web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: func() web.Handler { return &mainHandler{room: room} }, Name: "main"},
		{Pattern: `/a/message/new`, Handler: func() web.Handler { return &messageNewHandler{room: room} }, Name: "new"},
		{Pattern: `/a/message/updates`, Handler: func() web.Handler { return &messageUpdatesHandler{room: room} }, Name: "updates"},
	}, s)
}

// urlPattern finds the http and https URLs Linkify turns into links.
var urlPattern = regexp.MustCompile(`\bhttps?://[^\s<>"']+[^\s<>"'.,;:!?)\]]`)

// Linkify escapes text for HTML and makes its http and https URLs links
// (a small tornado.escape.linkify), for message.html.
func Linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		u := template.HTMLEscapeString(text[m[0]:m[1]])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}
