package httputil

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestCanonicalName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"content-type", "Content-Type"},
		{"CONTENT-TYPE", "Content-Type"},
		{"Content-Type", "Content-Type"},
		{"x-forwarded-for", "X-Forwarded-For"},
		{"etag", "Etag"},
		{"a", "A"},
		{"x--y", "X--Y"},
		{"-x", "-X"},
		{"foo_bar", "Foo_bar"},
		{"with space", "with space"}, // invalid: unchanged
		{"", ""},
		{"très", "très"},
	} {
		if got := CanonicalName(tc.in); got != tc.want {
			t.Errorf("CanonicalName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { CanonicalName("content-type") }); n != 0 {
		t.Errorf("CanonicalName of common header allocates %v times", n)
	}
}

func TestHeadersBasics(t *testing.T) {
	var h Headers
	h.Add("content-type", "text/html")
	h.Add("Set-Cookie", "a=1")
	h.Add("X-Thing", "x")
	h.Add("set-cookie", "b=2")

	if h.Len() != 4 {
		t.Fatalf("Len = %d", h.Len())
	}
	if got := h.Get("CONTENT-TYPE"); got != "text/html" {
		t.Errorf("Get = %q", got)
	}
	if got := h.Get("missing"); got != "" {
		t.Errorf("Get(missing) = %q", got)
	}
	if got := h.Values("set-cookie"); !slices.Equal(got, []string{"a=1", "b=2"}) {
		t.Errorf("Values = %q", got)
	}
	if h.Values("nope") != nil {
		t.Error("Values(nope) != nil")
	}
	if !h.Has("x-thing") || h.Has("x-other") {
		t.Error("Has wrong")
	}
	// Kelvin sign must not fold to k.
	if h.Has("X-Thin\u212a") {
		t.Error("non-ASCII folding")
	}

	h.Set("SET-COOKIE", "c=3")
	want := []field{{"Content-Type", "text/html"}, {"Set-Cookie", "c=3"}, {"X-Thing", "x"}}
	if !slices.Equal(h.fields, want) {
		t.Errorf("after Set: %v", h.fields)
	}
	h.Set("New", "n")
	if h.fields[len(h.fields)-1] != (field{"New", "n"}) {
		t.Errorf("Set of new name did not append: %v", h.fields)
	}

	c := h.Clone()
	h.Del("x-thing")
	if h.Has("X-Thing") || !c.Has("X-Thing") || h.Len() != 3 || c.Len() != 4 {
		t.Errorf("Del/Clone: %v %v", h.fields, c.fields)
	}
	var names []string
	for n, v := range c.All() {
		names = append(names, n+"="+v)
		if n == "Set-Cookie" {
			break
		}
	}
	if !slices.Equal(names, []string{"Content-Type=text/html", "Set-Cookie=c=3"}) {
		t.Errorf("All = %q", names)
	}
	if (*Headers)(nil).Clone() != nil {
		t.Error("nil Clone")
	}

	capBefore := cap(c.fields)
	c.Reset()
	if c.Len() != 0 || cap(c.fields) != capBefore {
		t.Error("Reset")
	}
}

func TestHeadersSerialise(t *testing.T) {
	var h Headers
	h.Add("Content-Type", "text/plain")
	h.Add("X-Evil", "a\r\nSet-Cookie: pwned")
	h.Add("Bad Name", "v")
	h.Add("X-Nul", "a\x00b")
	want := "Content-Type: text/plain\r\nX-Evil: a  Set-Cookie: pwned\r\nX-Nul: a b\r\n"
	if got := string(h.AppendTo(nil)); got != want {
		t.Errorf("AppendTo = %q", got)
	}
	if h.String() != want {
		t.Error("String")
	}
	var w bytes.Buffer
	n, err := h.WriteTo(&w)
	if err != nil || n != int64(len(want)) || w.String() != want {
		t.Errorf("WriteTo = %d, %v, %q", n, err, w.String())
	}
	if err := h.Validate(); !errors.Is(err, ErrInvalidHeaderValue) {
		t.Errorf("Validate = %v", err)
	}
	h.Del("X-Evil")
	if err := h.Validate(); !errors.Is(err, ErrInvalidHeaderName) {
		t.Errorf("Validate = %v", err)
	}
	h.Del("Bad Name")
	h.Del("X-Nul")
	if err := h.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
}

func TestValidHeaderValue(t *testing.T) {
	for v, want := range map[string]bool{
		"":            true,
		"abc def":     true,
		"a\tb":        true,
		"caf\xc3\xa9": true,
		" lead":       false,
		"trail\t":     false,
		"a\rb":        false,
		"a\nb":        false,
		"a\x00b":      false,
		"a\x7fb":      false,
		"a\x01b":      false,
	} {
		if ValidHeaderValue(v) != want {
			t.Errorf("ValidHeaderValue(%q) != %v", v, want)
		}
	}
}
