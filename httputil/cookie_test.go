package httputil

import (
	"errors"
	"maps"
	"testing"
	"time"
)

func TestParseCookie(t *testing.T) {
	// Cases from Tornado's httputil_test.ParseCookieTest (which come from
	// Django's cookie tests).
	for _, tc := range []struct {
		in   string
		want map[string]string
	}{
		{"chips=ahoy; vienna=finger", map[string]string{"chips": "ahoy", "vienna": "finger"}},
		{`keebler="E=mc2; L=\"Loves\"; fudge=\012;"`, map[string]string{"keebler": `"E=mc2`, "L": `\"Loves\"`, "fudge": `\012`, "": `"`}},
		{"keebler=E=mc2", map[string]string{"keebler": "E=mc2"}},
		{"key:term=value:term", map[string]string{"key:term": "value:term"}},
		{"a=b; c=[; d=r; f=h", map[string]string{"a": "b", "c": "[", "d": "r", "f": "h"}},
		{"a=b; ; c=d", map[string]string{"a": "b", "c": "d"}},
		{"  a  =  b  ;c", map[string]string{"a": "b", "": "c"}},
		{"a=1; a=2", map[string]string{"a": "2"}},
		{"", map[string]string{}},
		{`q="a\"b\\c\101\351"`, map[string]string{"q": "a\"b\\cAé"}},
		{`q="\"`, map[string]string{"q": `\`}},
		{`q="ab\"`, map[string]string{"q": `ab\`}},
		{`q="x\477"`, map[string]string{"q": "x477"}},
		{"saint=Andr\xc3\xa9 Bessette", map[string]string{"saint": "Andr\xc3\xa9 Bessette"}},
		{"  =  b  ;  ;  =  ;   c  =  ;  ", map[string]string{"": "b", "c": ""}},
	} {
		got := ParseCookie(tc.in)
		if got == nil || !maps.Equal(got, tc.want) {
			t.Errorf("ParseCookie(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCookieString(t *testing.T) {
	exp := time.Date(2015, 10, 21, 7, 28, 0, 0, time.FixedZone("X", 3600))
	for _, tc := range []struct {
		c    Cookie
		want string
	}{
		{Cookie{Name: "sid", Value: "abc"}, "sid=abc"},
		{Cookie{Name: "sid", Value: ""}, "sid="},
		{Cookie{Name: "sid", Value: "a b,c"}, `sid="a b,c"`},
		{Cookie{Name: "sid", Value: "YWJj+/=", Path: "/", Domain: "example.com", Expires: exp,
			MaxAge: 3600, Secure: true, HttpOnly: true, SameSite: SameSiteLax},
			"sid=YWJj+/=; Domain=example.com; Path=/; Expires=Wed, 21 Oct 2015 06:28:00 GMT; Max-Age=3600; Secure; HttpOnly; SameSite=Lax"},
		{Cookie{Name: "x", Value: "1", MaxAge: -1, SameSite: SameSiteStrict}, "x=1; Max-Age=0; SameSite=Strict"},
		{Cookie{Name: "x", Value: "1", Secure: true, SameSite: SameSiteNone}, "x=1; Secure; SameSite=None"},
	} {
		if err := tc.c.Valid(); err != nil {
			t.Errorf("%+v: Valid = %v", tc.c, err)
		}
		if got := tc.c.String(); got != tc.want {
			t.Errorf("String = %q, want %q", got, tc.want)
		}
	}
}

func TestCookieInvalid(t *testing.T) {
	for _, c := range []Cookie{
		{Name: "", Value: "v"},
		{Name: "a b", Value: "v"},
		{Name: "a;b", Value: "v"},
		{Name: "a=b", Value: "v"},
		{Name: "a\r\nSet-Cookie: x", Value: "v"},
		{Name: "a", Value: "x;y"},
		{Name: "a", Value: "x\r\ny"},
		{Name: "a", Value: `x"y`},
		{Name: "a", Value: `x\y`},
		{Name: "a", Value: "caf\xc3\xa9"},
		{Name: "a", Value: "x\x7f"},
		{Name: "a", Value: "v", Path: "/x;Domain=evil"},
		{Name: "a", Value: "v", Path: "/x\n"},
		{Name: "a", Value: "v", Domain: "a b"},
		{Name: "a", Value: "v", Domain: "a;b"},
		{Name: "a", Value: "v", Expires: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "a", Value: "v", SameSite: 9},
	} {
		if err := c.Valid(); !errors.Is(err, ErrInvalidCookie) {
			t.Errorf("%+v: Valid = %v", c, err)
		}
		if s := c.String(); s != "" {
			t.Errorf("%+v: String = %q, want empty", c, s)
		}
	}
}

func TestCookieRoundTrip(t *testing.T) {
	c := Cookie{Name: "pref", Value: "dark mode,large", Path: "/"}
	s := c.String()
	pair := s[:len(s)-len("; Path=/")]
	if got := ParseCookie(pair)["pref"]; got != c.Value {
		t.Errorf("round trip %q -> %q", s, got)
	}
}
