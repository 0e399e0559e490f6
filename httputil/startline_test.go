package httputil

import (
	"errors"
	"testing"
)

func TestParseRequestLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want RequestLine
		err  error
	}{
		{"GET / HTTP/1.1", RequestLine{"GET", "/", "HTTP/1.1"}, nil},
		{"GET / HTTP/1.1\r\n", RequestLine{"GET", "/", "HTTP/1.1"}, nil},
		{"POST /a?b=c HTTP/1.0\n", RequestLine{"POST", "/a?b=c", "HTTP/1.0"}, nil},
		{"OPTIONS * HTTP/1.1", RequestLine{"OPTIONS", "*", "HTTP/1.1"}, nil},
		{"CONNECT example.com:443 HTTP/1.1", RequestLine{"CONNECT", "example.com:443", "HTTP/1.1"}, nil},
		{"GET http://x/y HTTP/1.1", RequestLine{"GET", "http://x/y", "HTTP/1.1"}, nil},
		{"PROPFIND /d HTTP/1.1", RequestLine{"PROPFIND", "/d", "HTTP/1.1"}, nil},
		{"get / HTTP/1.1", RequestLine{"get", "/", "HTTP/1.1"}, nil},
		{"GET /caf\xc3\xa9 HTTP/1.1", RequestLine{"GET", "/caf\xc3\xa9", "HTTP/1.1"}, nil},

		{"HTTP/2.0", RequestLine{}, ErrBadRequestLine},
		{"GET / HTTP/2.0", RequestLine{}, ErrUnsupportedVersion},
		{"GET / HTTP/1.2", RequestLine{"GET", "/", "HTTP/1.1"}, nil}, // RFC 9110 §2.5
		{"GET / HTTP/1.9", RequestLine{"GET", "/", "HTTP/1.1"}, nil},
		{"GET / HTTP/0.9", RequestLine{}, ErrUnsupportedVersion},
		{"GET /", RequestLine{}, ErrBadRequestLine},
		{"", RequestLine{}, ErrBadRequestLine},
		{"GET  / HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET / HTTP/1.1 ", RequestLine{}, ErrBadRequestLine},
		{" GET / HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET\t/ HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"G(T / HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET /a\x00 HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET /a\x7f HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET /a\tb HTTP/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET / HTTP/1.1\r", RequestLine{}, ErrBadRequestLine},
		{"GET / http/1.1", RequestLine{}, ErrBadRequestLine},
		{"GET / HTTP/11", RequestLine{}, ErrBadRequestLine},
		{"GET / HTTP/1.10", RequestLine{}, ErrBadRequestLine},
	} {
		got, err := ParseRequestLine([]byte(tc.in))
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%q: err = %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %+v, %v", tc.in, got, err)
		}
	}
	_, err := ParseRequestLine([]byte("GET / HTTP/3.0"))
	if StatusCode(err) != 505 {
		t.Errorf("StatusCode(version) = %d", StatusCode(err))
	}
}

func TestParseResponseLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ResponseLine
		err  error
	}{
		{"HTTP/1.1 200 OK", ResponseLine{"HTTP/1.1", 200, "OK"}, nil},
		{"HTTP/1.0 404 Not Found\r\n", ResponseLine{"HTTP/1.0", 404, "Not Found"}, nil},
		{"HTTP/1.1 200 ", ResponseLine{"HTTP/1.1", 200, ""}, nil},
		{"HTTP/1.1 204", ResponseLine{"HTTP/1.1", 204, ""}, nil},
		{"HTTP/1.1 599 Custom\tthing", ResponseLine{"HTTP/1.1", 599, "Custom\tthing"}, nil},
		{"HTTP/1.1 200 D\xc3\xa9j\xc3\xa0", ResponseLine{"HTTP/1.1", 200, "D\xc3\xa9j\xc3\xa0"}, nil},

		{"HTTP/2 200 OK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/2.0 200 OK", ResponseLine{}, ErrUnsupportedVersion},
		{"HTTP/1.1 20 OK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/1.1 2000 OK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/1.1 099 OK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/1.1 2x0 OK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/1.1 200 O\rK", ResponseLine{}, ErrBadStatusLine},
		{"HTTP/1.1", ResponseLine{}, ErrBadStatusLine},
		{"ICY 200 OK", ResponseLine{}, ErrBadStatusLine},
	} {
		got, err := ParseResponseLine([]byte(tc.in))
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%q: err = %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %+v, %v", tc.in, got, err)
		}
	}
}

func TestAppendStartLines(t *testing.T) {
	if got := string(AppendRequestLine(nil, "GET", "/x", "HTTP/1.1")); got != "GET /x HTTP/1.1\r\n" {
		t.Errorf("AppendRequestLine = %q", got)
	}
	for _, tc := range []struct {
		code   int
		reason string
		want   string
	}{
		{200, "", "HTTP/1.1 200 OK\r\n"},
		{404, "Nope", "HTTP/1.1 404 Nope\r\n"},
		{599, "", "HTTP/1.1 599 \r\n"},
		{200, "OK\r\nSet-Cookie: x", "HTTP/1.1 200 OK  Set-Cookie: x\r\n"},
	} {
		if got := string(AppendResponseLine(nil, "HTTP/1.1", tc.code, tc.reason)); got != tc.want {
			t.Errorf("AppendResponseLine(%d, %q) = %q", tc.code, tc.reason, got)
		}
	}
	rl, err := ParseResponseLine(AppendResponseLine(nil, "HTTP/1.1", 418, ""))
	if err != nil || rl.Reason != "I'm a Teapot" {
		t.Errorf("round trip: %+v %v", rl, err)
	}
}

func TestResponseHasBody(t *testing.T) {
	for _, tc := range []struct {
		method string
		code   int
		want   bool
	}{
		{"GET", 200, true}, {"HEAD", 200, false}, {"GET", 101, false},
		{"GET", 204, false}, {"GET", 304, false}, {"CONNECT", 200, false},
		{"CONNECT", 407, true}, {"POST", 500, true},
	} {
		if got := ResponseHasBody(tc.method, tc.code); got != tc.want {
			t.Errorf("ResponseHasBody(%s, %d) = %v", tc.method, tc.code, got)
		}
	}
}
