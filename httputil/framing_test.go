package httputil

import (
	"errors"
	"testing"
)

func headersFrom(t *testing.T, block string) *Headers {
	t.Helper()
	var h Headers
	if err := ParseHeaders([]byte(block), &h); err != nil {
		t.Fatalf("ParseHeaders(%q): %v", block, err)
	}
	return &h
}

func TestBodyLength(t *testing.T) {
	for _, tc := range []struct {
		name      string
		headers   string
		isRequest bool
		length    int64
		chunked   bool
		err       error
	}{
		{"no body request", "Host: a\r\n", true, 0, false, nil},
		{"response until close", "Server: a\r\n", false, -1, false, nil},
		{"content-length", "Content-Length: 42\r\n", true, 42, false, nil},
		{"content-length zero", "Content-Length: 0\r\n", true, 0, false, nil},
		{"leading zeros", "Content-Length: 007\r\n", true, 7, false, nil},
		{"max int64", "Content-Length: 9223372036854775807\r\n", true, 1<<63 - 1, false, nil},
		{"identical duplicates", "Content-Length: 5\r\nContent-Length: 5\r\n", true, 5, false, nil},
		{"identical list", "Content-Length: 5, 5\r\n", true, 5, false, nil},
		{"chunked", "Transfer-Encoding: chunked\r\n", true, -1, true, nil},
		{"chunked case", "transfer-encoding: CHUNKED\r\n", false, -1, true, nil},
		{"chunked empty elems", "Transfer-Encoding: , chunked\r\n", true, -1, true, nil},

		{"CL+TE", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", true, 0, false, ErrConflictingFraming},
		{"TE+CL response", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", false, 0, false, ErrConflictingFraming},
		{"differing CL", "Content-Length: 5\r\nContent-Length: 6\r\n", true, 0, false, ErrBadContentLength},
		{"differing CL list", "Content-Length: 5, 6\r\n", true, 0, false, ErrBadContentLength},
		{"CL empty", "Content-Length:\r\n", true, 0, false, ErrBadContentLength},
		{"CL empty elem", "Content-Length: 5,\r\n", true, 0, false, ErrBadContentLength},
		{"CL negative", "Content-Length: -1\r\n", true, 0, false, ErrBadContentLength},
		{"CL plus", "Content-Length: +5\r\n", true, 0, false, ErrBadContentLength},
		{"CL hex", "Content-Length: 0x10\r\n", true, 0, false, ErrBadContentLength},
		{"CL inner space", "Content-Length: 1 0\r\n", true, 0, false, ErrBadContentLength},
		{"CL overflow", "Content-Length: 9223372036854775808\r\n", true, 0, false, ErrBadContentLength},
		{"CL huge", "Content-Length: 99999999999999999999999\r\n", true, 0, false, ErrBadContentLength},
		{"TE not final", "Transfer-Encoding: chunked, gzip\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE gzip only", "Transfer-Encoding: gzip\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE identity", "Transfer-Encoding: identity\r\n", false, 0, false, ErrBadTransferEncoding},
		{"TE chunked twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE chunked param", "Transfer-Encoding: chunked;q=1\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE empty", "Transfer-Encoding: \r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE junk", "Transfer-Encoding: chun ked\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE xchunked", "Transfer-Encoding: xchunked\r\n", true, 0, false, ErrBadTransferEncoding},
		{"TE gzip chunked", "Transfer-Encoding: gzip, chunked\r\n", true, 0, false, ErrUnsupportedTransferEncoding},
		{"TE split gzip chunked", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", false, 0, false, ErrUnsupportedTransferEncoding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, chunked, err := BodyLength(headersFrom(t, tc.headers), tc.isRequest)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || n != tc.length || chunked != tc.chunked {
				t.Errorf("got %d, %v, %v; want %d, %v", n, chunked, err, tc.length, tc.chunked)
			}
		})
	}
}

func TestStatusCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 200},
		{errors.New("other"), 500},
		{ErrHeaderTooLarge, 431},
		{perr(ErrUnsupportedTransferEncoding, "x"), 501},
		{perr(ErrUnsupportedVersion, "x"), 505},
		{perr(ErrBadChunkSize, "x"), 400},
		{perr(ErrBodyTooLarge, "x"), 413},
		{ErrConflictingFraming, 400},
	} {
		if got := StatusCode(tc.err); got != tc.want {
			t.Errorf("StatusCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	pe := &ParseError{Err: ErrObsFold, Detail: "line 3"}
	if pe.Error() != "httputil: obsolete line folding in header: line 3" || pe.StatusCode() != 400 {
		t.Errorf("ParseError: %q %d", pe.Error(), pe.StatusCode())
	}
}
