package httputil

import (
	"net/url"
	"slices"
	"testing"
)

func argsOf(a *Args) []string {
	var out []string
	for n, v := range a.All() {
		out = append(out, n+"="+v)
	}
	return out
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a=1&b=2&a=3", []string{"a=1", "b=2", "a=3"}},
		{"a=&b", []string{"a=", "b="}},
		{"=v", []string{"=v"}},
		{"a=1&&b=2&", []string{"a=1", "b=2"}},
		{"a=1;b=2", []string{"a=1;b=2"}},
		{"q=hello+world&x=%41%42%2b", []string{"q=hello world", "x=AB+"}},
		{"k%3D=v%3Dw=z", []string{"k==v=w=z"}},
		{"bad=%zz%4&end=%", []string{"bad=%zz%4", "end=%"}},
		{"raw=%ff%00", []string{"raw=\xff\x00"}},
		{"utf=caf%C3%A9", []string{"utf=café"}},
	} {
		var a Args
		ParseQuery(tc.in, &a)
		if got := argsOf(&a); !slices.Equal(got, tc.want) {
			t.Errorf("ParseQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestArgs(t *testing.T) {
	var a Args
	ParseQuery("a=1&b=2&a=3&c=x", &a)
	if a.Len() != 4 || a.Get("a") != "1" || a.Last("a") != "3" || a.Get("A") != "" || a.Last("z") != "" {
		t.Errorf("Get/Last: %v", argsOf(&a))
	}
	if !slices.Equal(a.Values("a"), []string{"1", "3"}) || a.Values("z") != nil || !a.Has("b") || a.Has("B") {
		t.Error("Values/Has")
	}
	c := a.Clone()
	a.Set("a", "9")
	if got := argsOf(&a); !slices.Equal(got, []string{"a=9", "b=2", "c=x"}) {
		t.Errorf("Set: %q", got)
	}
	a.Set("d", "4")
	a.Del("b")
	if got := argsOf(&a); !slices.Equal(got, []string{"a=9", "c=x", "d=4"}) {
		t.Errorf("Del: %q", got)
	}
	if c.Len() != 4 || (*Args)(nil).Clone() != nil {
		t.Error("Clone")
	}
	c.Reset()
	if c.Len() != 0 {
		t.Error("Reset")
	}

	var e Args
	e.Add("q", "a b&c")
	e.Add("é", "=")
	enc := e.Encode()
	if enc != "q=a+b%26c&%C3%A9=%3D" {
		t.Errorf("Encode = %q", enc)
	}
	var back Args
	ParseQuery(enc, &back)
	if !slices.Equal(argsOf(&back), argsOf(&e)) {
		t.Errorf("round trip %q", argsOf(&back))
	}
	if v, err := url.ParseQuery(enc); err != nil || v.Get("q") != "a b&c" {
		t.Error("not compatible with net/url")
	}
}

func TestParseHeaderParams(t *testing.T) {
	for _, tc := range []struct {
		in     string
		value  string
		params map[string]string
	}{
		{"text/html", "text/html", nil},
		{"Text/HTML; Charset=UTF-8", "text/html", map[string]string{"charset": "UTF-8"}},
		{`form-data; name="a;b"; filename="x.txt"`, "form-data", map[string]string{"name": "a;b", "filename": "x.txt"}},
		{`form-data; name="q\"uote"; filename="C:\dir\f.txt"`, "form-data", map[string]string{"name": `q"uote`, "filename": `C:\dir\f.txt`}},
		{`attachment; filename*=UTF-8''na%C3%AFve%20file.txt; filename="naive.txt"`, "attachment", map[string]string{"filename": "naïve file.txt"}},
		{`attachment; filename="naive.txt"; filename*=utf-8'en'%E2%82%AC.txt`, "attachment", map[string]string{"filename": "€.txt"}},
		{`attachment; filename*=iso-8859-1''%E9t%E9`, "attachment", map[string]string{"filename": "été"}},
		{`attachment; filename*=koi8-r''%E9; filename=x`, "attachment", map[string]string{"filename": "x"}},
		{`attachment; filename*=UTF-8''bad%zz`, "attachment", map[string]string{}},
		{"multipart/form-data; boundary=----abc", "multipart/form-data", map[string]string{"boundary": "----abc"}},
		{"a; novalue; =x; k = v ", "a", map[string]string{"k": "v"}},
	} {
		v, p := ParseHeaderParams(tc.in)
		if v != tc.value || len(p) != len(tc.params) {
			t.Errorf("ParseHeaderParams(%q) = %q, %q", tc.in, v, p)
			continue
		}
		for k, want := range tc.params {
			if p[k] != want {
				t.Errorf("ParseHeaderParams(%q)[%q] = %q, want %q", tc.in, k, p[k], want)
			}
		}
	}
}

func TestURLConcat(t *testing.T) {
	for _, c := range []struct {
		in   string
		args url.Values
		want string
	}{
		{"http://example.com/foo", url.Values{"c": {"d"}}, "http://example.com/foo?c=d"},
		{"http://example.com/foo?a=b", url.Values{"c": {"d"}}, "http://example.com/foo?a=b&c=d"},
		{"http://example.com/foo?a=b", url.Values{"a": {"x", "y"}}, "http://example.com/foo?a=b&a=x&a=y"},
		{"/p?a=1#frag", url.Values{"b": {"2 3"}}, "/p?a=1&b=2+3#frag"},
		{"/p?a=1", nil, "/p?a=1"},
	} {
		got, err := URLConcat(c.in, c.args)
		if err != nil || got != c.want {
			t.Errorf("URLConcat(%q, %v) = %q, %v; want %q", c.in, c.args, got, err, c.want)
		}
	}
	if _, err := URLConcat("http://[::1", nil); err == nil {
		t.Error("a URL that does not parse is an error")
	}
}
