package httputil

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func fieldsOf(h *Headers) []string {
	var out []string
	for n, v := range h.All() {
		out = append(out, n+": "+v)
	}
	return out
}

func TestParseHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
		err  error
	}{
		{"empty", "", nil, nil},
		{"crlf", "Host: a\r\nContent-Length: 5\r\n", []string{"Host: a", "Content-Length: 5"}, nil},
		{"bare lf", "host: a\ncontent-length: 5\n", []string{"Host: a", "Content-Length: 5"}, nil},
		{"no final eol", "Host: a", []string{"Host: a"}, nil},
		{"trailing blank line", "Host: a\r\n\r\n", []string{"Host: a"}, nil},
		{"ows trimmed", "X-A:   v  \t\r\n", []string{"X-A: v"}, nil},
		{"empty value", "X-A:\r\n", []string{"X-A: "}, nil},
		{"inner spaces kept", "X-A: a  b\tc\r\n", []string{"X-A: a  b\tc"}, nil},
		{"obs-text", "X-A: caf\xc3\xa9\r\n", []string{"X-A: caf\xc3\xa9"}, nil},
		{"colon in value", "Host: a:80\r\n", []string{"Host: a:80"}, nil},
		{"duplicates kept", "A: 1\r\nB: 2\r\na: 3\r\n", []string{"A: 1", "B: 2", "A: 3"}, nil},
		{"long uncommon name", "x-a-very-long-header-name-that-is-not-in-the-common-table-at-all-really: 1\n",
			[]string{"X-A-Very-Long-Header-Name-That-Is-Not-In-The-Common-Table-At-All-Really: 1"}, nil},

		{"obs-fold", "X-A: 1\r\n  continued\r\n", nil, ErrObsFold},
		{"obs-fold tab", "X-A: 1\r\n\tcontinued\r\n", nil, ErrObsFold},
		{"leading ws first line", " Host: a\r\n", nil, ErrObsFold},
		{"missing colon", "Host a\r\n", nil, ErrMalformedHeader},
		{"missing colon token", "Host\r\n", nil, ErrMalformedHeader},
		{"space before colon", "Host : a\r\n", nil, ErrInvalidHeaderName},
		{"tab before colon", "Host\t: a\r\n", nil, ErrInvalidHeaderName},
		{"empty name", ": a\r\n", nil, ErrInvalidHeaderName},
		{"space in name", "Ho st: a\r\n", nil, ErrInvalidHeaderName},
		{"bad char in name", "Ho(st: a\r\n", nil, ErrInvalidHeaderName},
		{"non-ascii name", "H\xc3\xa9: a\r\n", nil, ErrInvalidHeaderName},
		{"nul in value", "X: a\x00b\r\n", nil, ErrInvalidHeaderValue},
		{"bare cr in value", "X: a\rb\r\n", nil, ErrInvalidHeaderValue},
		{"bare cr at end", "X: a\r", nil, ErrInvalidHeaderValue},
		{"cr cr lf", "X: a\r\r\n", nil, ErrInvalidHeaderValue},
		{"ctl in value", "X: a\x1bb\r\n", nil, ErrInvalidHeaderValue},
		{"del in value", "X: a\x7f\r\n", nil, ErrInvalidHeaderValue},
		{"bare cr in name", "X\r: a\r\n", nil, ErrInvalidHeaderName},
		{"blank line inside", "A: 1\r\n\r\nB: 2\r\n", nil, ErrMalformedHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Headers
			err := ParseHeaders([]byte(tc.in), &h)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				var pe *ParseError
				if !errors.As(err, &pe) || StatusCode(err) != 400 {
					t.Fatalf("not a *ParseError with 400: %#v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := fieldsOf(&h); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseHeadersAppends(t *testing.T) {
	var h Headers
	h.Add("A", "1")
	if err := ParseHeaders([]byte("B: 2\r\n"), &h); err != nil {
		t.Fatal(err)
	}
	if h.Len() != 2 {
		t.Errorf("Len = %d", h.Len())
	}
}

func TestFindHeaderEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", -1},
		{"GET / HTTP/1.1\r\n", -1},
		{"GET / HTTP/1.1\r\nHost: a\r\n", -1},
		{"GET / HTTP/1.1\r\nHost: a\r\n\r", -1},
		{"GET / HTTP/1.1\r\n\r\n", 18},
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY", 27},
		{"GET / HTTP/1.1\nHost: a\n\nBODY", 24},
		{"GET / HTTP/1.1\r\nHost: a\n\r\nBODY", 26},
		{"GET / HTTP/1.1\r\nHost: a\r\n\nBODY", 26},
		{"A\r\rB\r\n", -1},
	} {
		if got := FindHeaderEnd([]byte(tc.in)); got != tc.want {
			t.Errorf("FindHeaderEnd(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFindHeaderEndLimit(t *testing.T) {
	head := "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
	if end, err := FindHeaderEndLimit([]byte(head), 100); end != len(head) || err != nil {
		t.Errorf("= %d, %v", end, err)
	}
	if end, err := FindHeaderEndLimit([]byte(head), 10); end != -1 || !errors.Is(err, ErrHeaderTooLarge) || StatusCode(err) != 431 {
		t.Errorf("= %d, %v", end, err)
	}
	if end, err := FindHeaderEndLimit([]byte("GET / HTTP/1.1\r\nX: aaaaaaaa"), 10); end != -1 || !errors.Is(err, ErrHeaderTooLarge) {
		t.Errorf("incomplete over limit = %d, %v", end, err)
	}
	if end, err := FindHeaderEndLimit([]byte("GET / HT"), 10); end != -1 || err != nil {
		t.Errorf("incomplete = %d, %v", end, err)
	}
}

func TestSplitStartLine(t *testing.T) {
	for _, tc := range []struct{ in, line, rest string }{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "Host: a\r\n\r\n"},
		{"\r\n\r\nGET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1", "Host: a\n\n"},
		{"\nGET / HTTP/1.1", "GET / HTTP/1.1", ""},
		{"", "", ""},
	} {
		line, rest := SplitStartLine([]byte(tc.in))
		if string(line) != tc.line || string(rest) != tc.rest {
			t.Errorf("SplitStartLine(%q) = %q, %q", tc.in, line, rest)
		}
	}
}

func TestCtlFreeMatchesBytewise(t *testing.T) {
	naive := func(b []byte) bool { return ctlFreeSlow(b, 0, len(b)) }
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("aZ:- \t\r\n\x00\x1f\x7f\x80\xff\x20\x21\x7e")
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = byte(rng.Uint32())
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		if ctlFree(b) != naive(b) {
			t.Fatalf("ctlFree(%q) = %v", b, ctlFree(b))
		}
	}
	for c := range 256 {
		for pos := range 17 {
			b := []byte(strings.Repeat("x", 17))
			b[pos] = byte(c)
			if ctlFree(b) != naive(b) {
				t.Fatalf("ctlFree(%q) = %v", b, ctlFree(b))
			}
		}
	}
}
