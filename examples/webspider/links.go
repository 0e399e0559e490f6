package main

import (
	"net/url"
	"strings"

	"github.com/gornado/gornado/future"
)

// links returns the targets of the href attributes in html, in order: a
// small tokenizer, enough for a demo (quoted or bare values, any case, spaces
// around "="), not an HTML parser.
func links(html string) []string {
	var out []string
	lower := strings.ToLower(html)
	for i := 0; ; {
		j := strings.Index(lower[i:], "href")
		if j < 0 {
			return out
		}
		i += j + len("href")
		if k := i - len("href") - 1; k >= 0 && !isSpace(lower[k]) {
			continue // part of a longer name (data-href)
		}
		k := skipSpace(lower, i)
		if k >= len(lower) || lower[k] != '=' {
			continue
		}
		k = skipSpace(lower, k+1)
		if k >= len(lower) {
			return out
		}
		var v string
		switch q := html[k]; q {
		case '"', '\'':
			end := strings.IndexByte(html[k+1:], q)
			if end < 0 {
				return out
			}
			v = html[k+1 : k+1+end]
			i = k + 1 + end + 1
		default:
			end := k
			for end < len(html) && !isSpace(html[end]) && html[end] != '>' {
				end++
			}
			v, i = html[k:end], end
		}
		out = append(out, strings.TrimSpace(v))
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// resolveLinks makes the links of a page absolute against its URL, without
// fragments (Tornado's demo: urljoin and remove_fragment).
func resolveLinks(page string, hrefs []string) []string {
	base, err := url.Parse(page)
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range hrefs {
		u, err := base.Parse(h)
		if err != nil {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		out = append(out, u.String())
	}
	return out
}

type futureUnit = future.Future[struct{}]

// under reports whether u is on base's site and below its path: the same
// scheme and host (compared as URLs, so a base of http://host does not
// take in http://host.evil.com, as the string prefix test of Tornado's
// demo would) and a path that starts with base's.
func under(u, base string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	pb, err := url.Parse(base)
	if err != nil {
		return false
	}
	return strings.EqualFold(pu.Scheme, pb.Scheme) && strings.EqualFold(pu.Host, pb.Host) &&
		strings.HasPrefix(pu.EscapedPath(), pb.EscapedPath())
}
