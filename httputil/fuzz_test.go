package httputil

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func FuzzParseHeaders(f *testing.F) {
	for _, s := range []string{
		"Host: a\r\nContent-Length: 5\r\n\r\n",
		"host: a\nx-y:  z \n",
		"A: 1\r\n 2\r\n",
		"Bad Name: x\r\n",
		"X: a\rb\r\n",
		"X: \x00\r\n",
		": x\r\n",
		"\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h Headers
		if err := ParseHeaders(data, &h); err != nil {
			if StatusCode(err) != 400 {
				t.Fatalf("unexpected status %d for %v", StatusCode(err), err)
			}
			return
		}
		for n, v := range h.All() {
			if !ValidHeaderName(n) || CanonicalName(n) != n || !ValidHeaderValue(v) {
				t.Fatalf("accepted invalid field %q: %q", n, v)
			}
		}
		// Serialising and re-parsing is the identity.
		var h2 Headers
		if err := ParseHeaders(h.AppendTo(nil), &h2); err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !slices.Equal(h.fields, h2.fields) {
			t.Fatalf("round trip: %q != %q", h.fields, h2.fields)
		}
	})
}

func FuzzChunkedDecoder(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n",
		"3;ext=1\r\nabc\r\n0\r\nA: b\r\n\r\nrest",
		"a\r\n0123456789\r\n0\r\n\r\n",
		"ffffffffffffffff\r\n",
		"0\r\n\n",
		"5 \r\nhello\r\n0\r\n\r\n",
	} {
		f.Add([]byte(s), uint64(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		one := decodeSplit(data, whole)
		if one.err != nil && StatusCode(one.err) != 400 && StatusCode(one.err) != 431 {
			t.Fatalf("unexpected status for %v", one.err)
		}
		if one.consumed > len(data) {
			t.Fatalf("consumed %d of %d", one.consumed, len(data))
		}
		if b := decodeSplit(data, oneByte); !sameResult(one, b) {
			t.Fatalf("byte-at-a-time differs:\n%+v\n%+v", one, b)
		}
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		if s := decodeSplit(data, func(rem int) int { return 1 + rng.IntN(rem) }); !sameResult(one, s) {
			t.Fatalf("random split differs:\n%+v\n%+v", one, s)
		}
		if one.done && one.err == nil {
			// Re-encoding what was decoded decodes to the same body.
			enc := AppendChunk(nil, []byte(one.body))
			r := decodeSplit(AppendLastChunk(enc, nil), whole)
			if r.err != nil || r.body != one.body {
				t.Fatalf("re-encode: %+v", r)
			}
		}
	})
}

func FuzzParseStartLines(f *testing.F) {
	for _, s := range []string{"GET / HTTP/1.1", "HTTP/1.1 200 OK", "GET  / HTTP/1.1", "HTTP/1.0 99"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if rl, err := ParseRequestLine(line); err == nil {
			back := AppendRequestLine(nil, rl.Method, rl.Target, rl.Version)
			rl2, err := ParseRequestLine(back)
			if err != nil || rl2 != rl {
				t.Fatalf("request line round trip %q: %+v %v", back, rl2, err)
			}
		}
		if rl, err := ParseResponseLine(line); err == nil {
			if rl.Code < 100 || rl.Code > 999 || !validValueChars(rl.Reason) {
				t.Fatalf("accepted %+v", rl)
			}
		}
	})
}

func FuzzParseMultipart(f *testing.F) {
	f.Add("xyz", []byte("--xyz\r\nContent-Disposition: form-data; name=a; filename=b\r\n\r\n1\r\n--xyz--"))
	f.Add("b", []byte("pre\r\n--b \r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		var args Args
		files := map[string][]HTTPFile{}
		if err := ParseMultipartFormData(boundary, body, &args, files); err != nil && StatusCode(err) != 400 {
			t.Fatalf("unexpected error %v", err)
		}
		ParseHeaderParams(string(body))
		ParseCookie(string(body))
		var a Args
		ParseQuery(string(body), &a)
	})
}
