package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/gornado/gornado/ioloop"
)

// Render executes the template name from Settings.TemplatePath (or
// TemplateFS) with data, writes the result and finishes, as Tornado's
// render. Templates are html/template, so output is escaped by context.
//
// Each page is parsed together with every other template file in the
// directory, the page last, so a page can fill a layout's blocks:
//
//	base.html:  <html><body>{{block "content" .}}{{end}}</body></html>
//	index.html: {{template "base.html" .}}{{define "content"}}<p>{{.Msg}}</p>{{end}}
//
// Besides Settings.TemplateFuncs, templates may call static_url "path",
// reverse_url "name" args..., xsrf_form_html, xsrf_token and
// current_user. Parsed templates are cached; in Debug mode they are read
// from disk again on every render. An error (a missing template, a
// parse or execution error) writes nothing and returns a 500 *HTTPError
// carrying the message, which the debug error page shows.
func (h *RequestHandler) Render(name string, data any) error {
	start := len(h.buf)
	if err := h.Application.executeTemplate(h, h.Writer(), name, data); err != nil {
		h.buf = h.buf[:start]
		return err
	}
	return h.Finish()
}

// RenderString executes the template name as Render does and returns the
// result instead of writing it (Tornado's render_string).
func (h *RequestHandler) RenderString(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := h.Application.executeTemplate(h, &b, name, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// templateCache holds each loop's parsed templates. Their functions
// (xsrf_form_html, current_user) answer for the handler rendering on that
// loop; a render runs to its end without yielding, so one "current"
// handler per loop is enough, and no lock is held while rendering.
type templateCache struct {
	perLoop sync.Map // *ioloop.IOLoop → *loopTemplates
}

type loopTemplates struct {
	cur  *RequestHandler
	sets map[string]*template.Template
}

func (a *Application) loopTemplates(loop *ioloop.IOLoop) *loopTemplates {
	if lt, ok := a.templates.perLoop.Load(loop); ok {
		return lt.(*loopTemplates)
	}
	lt, _ := a.templates.perLoop.LoadOrStore(loop, &loopTemplates{sets: make(map[string]*template.Template)})
	return lt.(*loopTemplates)
}

func (a *Application) executeTemplate(h *RequestHandler, w interface{ Write([]byte) (int, error) }, name string, data any) error {
	lt := a.loopTemplates(h.loop)
	t, ok := lt.sets[name]
	if !ok || a.settings.Debug {
		var err error
		if t, err = a.parseTemplate(lt, name); err != nil {
			return &HTTPError{Code: 500, Message: err.Error()}
		}
		if !a.settings.Debug {
			lt.sets[name] = t
		}
	}
	prev := lt.cur
	lt.cur = h
	defer func() { lt.cur = prev }()
	if err := t.Execute(w, data); err != nil {
		return &HTTPError{Code: 500, Message: err.Error()}
	}
	return nil
}

// templateFS returns where templates come from, or nil.
func (a *Application) templateFS() fs.FS {
	if a.settings.TemplateFS != nil {
		return a.settings.TemplateFS
	}
	if a.settings.TemplatePath != "" {
		return os.DirFS(a.settings.TemplatePath)
	}
	return nil
}

// parseTemplate parses the page name with every other template file.
func (a *Application) parseTemplate(lt *loopTemplates, name string) (*template.Template, error) {
	fsys := a.templateFS()
	if fsys == nil {
		return nil, fmt.Errorf("template %q: Settings.TemplatePath is not set", name)
	}
	name = path.Clean(strings.TrimPrefix(name, "/"))
	page, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	t := template.New(name).Funcs(a.templateFuncs(lt))
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || p == name || strings.HasPrefix(path.Base(p), ".") {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		_, err = t.New(p).Parse(string(src))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	if _, err := t.Parse(string(page)); err != nil {
		return nil, err
	}
	return t, nil
}

func (a *Application) templateFuncs(lt *loopTemplates) template.FuncMap {
	fm := template.FuncMap{
		"static_url":  a.StaticURL,
		"reverse_url": a.ReverseURL,
		"xsrf_form_html": func() template.HTML {
			return template.HTML(lt.cur.XSRFFormHTML())
		},
		"xsrf_token":   func() string { return lt.cur.XSRFToken() },
		"current_user": func() any { return lt.cur.CurrentUser() },
	}
	for k, v := range a.settings.TemplateFuncs {
		fm[k] = v
	}
	return fm
}
