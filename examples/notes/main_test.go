package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"
)

func TestNotes(t *testing.T) {
	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
		return run(ctx, out, "127.0.0.1:0", "", "test secret")
	})
	base := p.URL
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	do := func(method, path, ctype, body string) (*http.Response, string) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, page := do("GET", "/", "", "")
	assert.Equal(t, "/login", resp.Request.URL.Path, "not logged in: to the login page")
	token := regexp.MustCompile(`name="_xsrf" value="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, token, page)
	form := "application/x-www-form-urlencoded"
	resp, _ = do("POST", "/login", form, "name=ann")
	assert.Equal(t, 403, resp.StatusCode, "no XSRF token")
	_, page = do("POST", "/login", form, url.Values{"name": {"ann"}, "_xsrf": {token[1]}}.Encode())
	assert.Contains(t, page, "Notes of ann", "logged in with a signed cookie, redirected home")
	_, page = do("POST", "/", form, url.Values{"text": {"milk"}, "_xsrf": {token[1]}}.Encode())
	assert.Contains(t, page, "<li>milk ")

	resp, body := do("POST", "/api/notes", "application/json", `{"text": "eggs"}`)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Contains(t, body, `"text":"eggs"`)
	resp, _ = do("POST", "/api/notes", "application/json", `{}`)
	assert.Equal(t, 400, resp.StatusCode)
	_, body = do("GET", "/api/notes", "", "")
	assert.Regexp(t, `^\[\{"id":1,"text":"milk".*\},\{"id":2,"text":"eggs".*\}\]$`, body)
	resp, _ = do("GET", "/api/notes/9", "", "")
	assert.Equal(t, 404, resp.StatusCode)
	_, body = do("GET", "/api/quote", "", "")
	assert.Equal(t, `{"quote":"Simple is better than complex."}`, body)

	c.CloseIdleConnections()
	require.NoError(t, p.Stop())
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
