// Command nethttp_web serves the web framework benchmark's three
// endpoints with the standard library only: net/http, encoding/json and
// html/template.
//
//	/plaintext  "Hello, world!" as text/plain
//	/json       json.Marshal(map) → {"message":"Hello, world!"}
//	/template   templates/page.html (a title and 10 items)
//
// Each handler builds its body in memory and writes it once, as the
// Gornado framework does, so net/http sets Content-Length.
package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

//go:embed templates
var templates embed.FS

// page is what /template renders, the same as gornado_web's.
var page = struct {
	Title string
	Items []string
}{
	Title: "Gornado benchmark",
	Items: []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten & <more>"},
}

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func main() {
	addr := flag.String("addr", "127.0.0.1:18093", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	tmpl := template.Must(template.ParseFS(templates, "templates/page.html"))
	mux := http.NewServeMux()
	plain := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(benchutil.Body))
	}
	mux.HandleFunc("GET /plaintext", plain)
	mux.HandleFunc("GET /mounted", plain) // bench/mounted.sh's second route

	mux.HandleFunc("GET /json", func(w http.ResponseWriter, r *http.Request) {
		b, err := json.Marshal(map[string]string{"message": benchutil.Body})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Write(b)
	})
	mux.HandleFunc("GET /template", func(w http.ResponseWriter, r *http.Request) {
		b := bufs.Get().(*bytes.Buffer)
		defer bufs.Put(b)
		b.Reset()
		if err := tmpl.ExecuteTemplate(b, "page.html", page); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=UTF-8")
		h.Set("Content-Length", strconv.Itoa(b.Len()))
		w.Write(b.Bytes())
	})
	ctx, stop := benchutil.SignalContext()
	defer stop()
	if err := benchutil.ServeNetHTTP(ctx, "net/http web", *addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, "nethttp_web:", err)
		os.Exit(1)
	}
}
