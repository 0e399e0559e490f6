package httputil

import "testing"

func TestValidHost(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"example.com", true},
		{"example.com:8080", true},
		{"127.0.0.1", true},
		{"127.0.0.1:80", true},
		{"[::1]", true},
		{"[::1]:443", true},
		{"[fe80::1%25eth0]", false}, // a zone needs "%25" and a letter: not accepted
		{"localhost:", true},        // port = *DIGIT
		{"xn--bcher-kva.example", true},
		{"", false},
		{":80", false},
		{"evil.com/x?y z", false},
		{"evil.com/x", false},
		{"a b", false},
		{"user@host", false},
		{"host:8x", false},
		{"[::1", false},
		{"[]", false},
		{"[::1]x", false},
		{"bücher.example", false},
		{"host\x00", false},
	} {
		if got := ValidHost(c.in); got != c.ok {
			t.Errorf("ValidHost(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
}
