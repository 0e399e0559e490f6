package main

import (
	"embed"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gornado/gornado/httpserver"
)

// site is the small web site the spider crawls when given no URL, so the
// demo runs offline.
//
//go:embed site
var site embed.FS

// siteHandler serves the embedded site: a path ending in "/" serves its
// index.html, a missing file is 404.
func siteHandler() httpserver.Handler {
	root, _ := fs.Sub(site, "site")
	return httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.Path), "/")
		if name == "" || strings.HasSuffix(r.Path, "/") {
			name = path.Join(name, "index.html")
		}
		b, err := fs.ReadFile(root, name)
		if err != nil {
			w.SetStatus(404)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteString("not found\n")
			w.Finish()
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(b)
		w.Finish()
	})
}
