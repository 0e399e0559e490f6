package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/gornado/gornado/ioloop"
)

// Render executes the template name from Config.TemplatePath (or
// TemplateFS) with data, writes the result and finishes, as Tornado's
// render. Templates are html/template, so output is escaped by context.
//
// A page is parsed with the template files it uses, and those they use,
// the page last, so a page can fill a layout's blocks:
//
//	base.html:  <html><body>{{block "content" .}}{{end}}</body></html>
//	index.html: {{template "base.html" .}}{{define "content"}}<p>{{.Msg}}</p>{{end}}
//
// Besides Config.TemplateFuncs, templates may call static_url "path",
// reverse_url "name" args..., xsrf_form_html, xsrf_token, current_user,
// _ "message" or _ "singular" "plural" count (translated with the
// request's Locale), and locale (the Locale). Parsed templates are
// cached; in Debug mode they are read from disk again on every render. An error (a missing template, a
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

// parseTemplate parses the page name with the template files it uses
// ({{template "base.html" .}}), and those they use, dependencies first and
// the page last, so the page's definitions fill its layout's blocks and
// no other page's definitions can leak in.
func (a *Application) parseTemplate(lt *loopTemplates, name string) (*template.Template, error) {
	fsys := a.templateFS()
	if fsys == nil {
		return nil, fmt.Errorf("template %q: Config.TemplatePath is not set", name)
	}
	funcs := a.templateFuncs(lt)
	name = path.Clean(strings.TrimPrefix(name, "/"))
	// Discover the files, breadth first from the page.
	order := []string{name}
	sources := map[string]string{}
	for i := 0; i < len(order); i++ {
		src, err := fs.ReadFile(fsys, order[i])
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", order[i], err)
		}
		sources[order[i]] = string(src)
		scratch, err := template.New(order[i]).Funcs(funcs).Parse(string(src))
		if err != nil {
			return nil, err
		}
		for _, ref := range templateRefs(scratch) {
			if _, seen := sources[ref]; !seen && !slices.Contains(order, ref) && isFile(fsys, ref) {
				order = append(order, ref)
			}
		}
	}
	t := template.New(name).Funcs(funcs)
	for i := len(order) - 1; i > 0; i-- {
		if _, err := t.New(order[i]).Parse(sources[order[i]]); err != nil {
			return nil, err
		}
	}
	return t.Parse(sources[name])
}

func isFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// templateRefs lists the names a template set invokes with {{template}}
// (and {{block}}) but does not define itself.
func templateRefs(t *template.Template) []string {
	var refs []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			if d := t.Lookup(n.Name); d == nil || d.Tree == nil {
				refs = append(refs, n.Name)
			}
		}
	}
	for _, d := range t.Templates() {
		if d.Tree != nil {
			walk(d.Tree.Root)
		}
	}
	return refs
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
	for k, v := range localeFuncs(lt) {
		fm[k] = v
	}
	for k, v := range a.settings.TemplateFuncs {
		fm[k] = v
	}
	return fm
}
