package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"
)

// Each reader gets the page in their language: the browser's, or the one
// they chose, remembered in a cookie; plurals and dates follow it.
func TestGreetsInTheReadersLanguage(t *testing.T) {
	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
		return run(ctx, out, "127.0.0.1:0")
	})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	defer c.CloseIdleConnections()
	get := func(path, acceptLanguage string) string {
		req, err := http.NewRequest("GET", p.URL+path, nil)
		require.NoError(t, err)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	page := get("/", "fr-CA,fr;q=0.9,en;q=0.5")
	assert.Contains(t, page, `<html lang="fr_FR">`, "fr-CA comes closest to fr_FR")
	assert.Contains(t, page, "<h1>Bonjour</h1>")
	assert.Contains(t, page, `<p id="visits">1 visite</p>`)
	assert.Regexp(t, `<p id="started">Le serveur a démarré il y a [0-9]+ secondes?\.</p>`, page)
	assert.Contains(t, page, `<a href="/?lang=es_ES">Español (España)</a>`)

	page = get("/?lang=es_ES", "fr")
	assert.Contains(t, page, "<h1>Hola</h1>", "a chosen language wins over the browser's")
	assert.Contains(t, page, `<p id="visits">2 visitas</p>`)
	page = get("/", "fr")
	assert.Contains(t, page, "<h1>Hola</h1>", "and is remembered in a cookie")

	jar, _ = cookiejar.New(nil)
	c.Jar = jar
	page = get("/", "de-DE")
	assert.Contains(t, page, "<h1>Hello</h1>", "an unsupported language gets the default, English")
	assert.Contains(t, page, `<p id="visits">4 visits</p>`)
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
