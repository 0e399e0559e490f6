package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
)

func TestLinks(t *testing.T) {
	html := `<a href="a.html">A</a> <A HREF='b.html'>B</A> <a href = "c.html" >C</a>
		<link rel=stylesheet href=d.css> <div data-href="no.html"></div> <a href="">empty</a>`
	assert.Equal(t, []string{"a.html", "b.html", "c.html", "d.css", ""}, links(html))
	assert.Equal(t,
		[]string{"http://h/docs/g.html", "http://h/x", "http://h/docs/i.html", "https://o/"},
		resolveLinks("http://h/docs/i.html", []string{"g.html#sec", "/x", "", "https://o/"}))
}

func TestUnder(t *testing.T) {
	for _, tc := range []struct {
		u, base string
		want    bool
	}{
		{"http://h/a.html", "http://h/", true},
		{"http://h/docs/a.html", "http://h/docs/", true},
		{"http://H/a.html", "http://h", true},
		{"http://h/other/a.html", "http://h/docs/", false},
		{"http://h.evil.com/a.html", "http://h", false},
		{"http://h:8080/a.html", "http://h/", false},
		{"https://h/a.html", "http://h/", false},
	} {
		assert.Equal(t, tc.want, under(tc.u, tc.base), "%s under %s", tc.u, tc.base)
	}
}

func TestCrawlEmbeddedSite(t *testing.T) {
	loop := looptest.New(t)
	var out bytes.Buffer
	rep := looptest.RunValue(t, loop, 20*time.Second, func(co *gen.Co) (report, error) {
		srv := httpserver.New(loop, siteHandler(), httpserver.Config{})
		if err := srv.Listen("127.0.0.1:0"); err != nil {
			return report{}, err
		}
		defer srv.Close()
		return crawl(co, loop, &out, "http://"+srv.Addrs()[0].String()+"/", 3, 10*time.Second)
	})
	var paths []string
	for _, u := range rep.Fetched {
		paths = append(paths, u[strings.Index(u[len("http://"):], "/")+len("http://"):])
	}
	assert.ElementsMatch(t, []string{"/", "/style.css", "/about.html", "/docs/", "/docs/guide.html",
		"/docs/api.html?page=1", "/docs/api.html?page=2"}, paths, "output:\n%s", out.String())
	require.Len(t, rep.Dead, 1)
	assert.True(t, strings.HasSuffix(rep.Dead[0], "/missing.html"))
	assert.NotContains(t, out.String(), "tornadoweb", "another site is not crawled")
	assert.Contains(t, out.String(), "HTTP 404")
}

func TestRunPrintsReport(t *testing.T) {
	looptest.CheckLeaks(t)
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 2, 10*time.Second))
	assert.Contains(t, out.String(), "fetched 7 URLs")
	assert.Contains(t, out.String(), "Unable to fetch 1 URLs")
}
