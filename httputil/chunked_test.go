package httputil

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// chunkResult is everything observable about decoding one input.
type chunkResult struct {
	body     string
	consumed int // bytes of input consumed (up to the end of the body or error)
	done     bool
	err      error
	trailers []string
}

// decodeSplit feeds in to a fresh decoder in pieces whose lengths come
// from next (0 means the rest), mimicking an event loop that appends
// arriving bytes to a buffer and hands the unconsumed part to Decode.
func decodeSplit(in []byte, next func(remaining int) int) chunkResult {
	var d ChunkedDecoder
	return decodeWith(&d, in, next)
}

func decodeWith(d *ChunkedDecoder, in []byte, next func(remaining int) int) chunkResult {
	var body bytes.Buffer
	var r chunkResult
	avail := 0 // bytes of in that have "arrived"
	for !d.Done() {
		if r.consumed == avail {
			if avail == len(in) {
				break
			}
			step := next(len(in) - avail)
			if step <= 0 || step > len(in)-avail {
				step = len(in) - avail
			}
			avail += step
		}
		data, n, err := d.Decode(in[r.consumed:avail])
		body.Write(data)
		r.consumed += n
		if err != nil {
			r.err = err
			break
		}
	}
	r.body, r.done = body.String(), d.Done()
	r.trailers = fieldsOf(&d.Trailers)
	return r
}

func whole(int) int   { return 0 }
func oneByte(int) int { return 1 }

func sameResult(a, b chunkResult) bool {
	sameErr := (a.err == nil) == (b.err == nil)
	if a.err != nil && b.err != nil {
		sameErr = errors.Unwrap(a.err) == errors.Unwrap(b.err) || a.err.Error() == b.err.Error()
	}
	return a.body == b.body && a.consumed == b.consumed && a.done == b.done && sameErr &&
		slices.Equal(a.trailers, b.trailers)
}

func TestChunkedDecode(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		body     string
		rest     string // bytes left after the body
		trailers []string
		err      error
	}{
		{"simple", "5\r\nhello\r\n0\r\n\r\n", "hello", "", nil, nil},
		{"two chunks", "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", "hello, world", "", nil, nil},
		{"hex upper lower", "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij", "", nil, nil},
		{"leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello", "", nil, nil},
		{"extensions", "5;name=value;x\r\nhello\r\n0;last\r\n\r\n", "hello", "", nil, nil},
		{"ext quoted", "5;a=\"b;c\"\r\nhello\r\n0\r\n\r\n", "hello", "", nil, nil},
		{"bws before ext", "5 ;a=b\r\nhello\r\n0\r\n\r\n", "hello", "", nil, nil},
		{"trailing ws", "5 \t\r\nhello\r\n0\r\n\r\n", "hello", "", nil, nil},
		{"empty body", "0\r\n\r\n", "", "", nil, nil},
		{"trailers", "3\r\nabc\r\n0\r\nChecksum: xyz\r\nx-more: 1\r\n\r\n", "abc", "", []string{"Checksum: xyz", "X-More: 1"}, nil},
		{"pipelined rest", "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n", "abc", "GET / HTTP/1.1\r\n", nil, nil},
		{"binary data with crlf", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n", "", nil, nil},

		{"empty size", "\r\nhello\r\n0\r\n\r\n", "", "", nil, ErrBadChunkSize},
		{"non-hex", "g\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"0x prefix", "0x5\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"negative", "-5\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"plus", "+5\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"leading space", " 5\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"inner space", "5 5\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"too many digits", "00000000000000005\r\nhello\r\n", "", "", nil, ErrBadChunkSize},
		{"overflow", "8000000000000000\r\n", "", "", nil, ErrBadChunkSize},
		{"bare LF size", "5\nhello\r\n0\r\n\r\n", "", "", nil, ErrBadChunkSize},
		{"bare CR size", "5\rhello\r\n0\r\n\r\n", "", "", nil, ErrBadChunkSize},
		{"ext ctl", "5;a\x00\r\nhello\r\n", "", "", nil, ErrBadChunkExtension},
		{"ext bare LF", "5;a\nhello\r\n", "", "", nil, ErrBadChunkExtension},
		{"ext too long", "5;" + strings.Repeat("a", DefaultMaxChunkLineLength) + "\r\nhello\r\n", "", "", nil, ErrBadChunkExtension},
		{"data too long", "5\r\nhello!\r\n0\r\n\r\n", "hello", "", nil, ErrBadChunk},
		{"data bare LF", "5\r\nhello\n0\r\n\r\n", "hello", "", nil, ErrBadChunk},
		{"trailer bare LF", "0\r\nA: b\n\r\n", "", "", nil, ErrBadChunk},
		{"final bare LF", "0\r\n\n", "", "", nil, ErrBadChunk},
		{"trailer bare CR", "0\r\nA: b\rc\r\n\r\n", "", "", nil, ErrBadChunk},
		{"trailer obs-fold", "0\r\nA: b\r\n c\r\n\r\n", "", "", nil, ErrObsFold},
		{"trailer bad name", "0\r\nA b: c\r\n\r\n", "", "", nil, ErrInvalidHeaderName},
		{"trailer too large", "0\r\nA: " + strings.Repeat("b", DefaultMaxHeaderSize) + "\r\n\r\n", "", "", nil, ErrHeaderTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := decodeSplit([]byte(tc.in), whole)
			if tc.err != nil {
				if !errors.Is(r.err, tc.err) {
					t.Fatalf("err = %v, want %v", r.err, tc.err)
				}
				if !strings.HasPrefix(tc.body, r.body) {
					t.Errorf("body before error = %q", r.body)
				}
			} else {
				if r.err != nil || !r.done {
					t.Fatalf("err = %v, done = %v", r.err, r.done)
				}
				if r.body != tc.body || tc.in[r.consumed:] != tc.rest || !slices.Equal(r.trailers, tc.trailers) {
					t.Errorf("got body %q rest %q trailers %q", r.body, tc.in[r.consumed:], r.trailers)
				}
			}
			if b := decodeSplit([]byte(tc.in), oneByte); !sameResult(r, b) {
				t.Errorf("byte-at-a-time differs:\n%+v\n%+v", r, b)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.in))))
			for range 20 {
				s := decodeSplit([]byte(tc.in), func(rem int) int { return 1 + rng.IntN(rem) })
				if !sameResult(r, s) {
					t.Fatalf("random split differs:\n%+v\n%+v", r, s)
				}
			}
		})
	}
}

func TestChunkedIncomplete(t *testing.T) {
	in := "5\r\nhello\r\n0\r\nA: b\r\n"
	for i := 0; i <= len(in); i++ {
		r := decodeSplit([]byte(in[:i]), oneByte)
		if r.err != nil || r.done || r.consumed != i {
			t.Fatalf("prefix %d: %+v", i, r)
		}
	}
}

func TestChunkedStickyErrorAndReset(t *testing.T) {
	d := ChunkedDecoder{MaxLineLength: 8, MaxTrailerSize: 16}
	_, _, err := d.Decode([]byte("5;abcdefgh\r\n"))
	if !errors.Is(err, ErrBadChunkExtension) {
		t.Fatalf("err = %v", err)
	}
	if _, n, err2 := d.Decode([]byte("0\r\n\r\n")); err2 != err || n != 0 {
		t.Fatalf("error not sticky: %v", err2)
	}
	d.Reset()
	if d.MaxLineLength != 8 || d.MaxTrailerSize != 16 {
		t.Fatal("Reset lost limits")
	}
	r := decodeWith(&d, []byte("1\r\nx\r\n0\r\nA: 1234567890\r\n\r\n"), whole)
	if !errors.Is(r.err, ErrHeaderTooLarge) {
		t.Fatalf("trailer limit: %+v", r)
	}
	d.Reset()
	r = decodeWith(&d, []byte("1\r\nx\r\n0\r\nA: 1\r\n\r\n"), whole)
	if r.err != nil || r.body != "x" || !slices.Equal(r.trailers, []string{"A: 1"}) {
		t.Fatalf("after Reset: %+v", r)
	}
	if data, n, err := d.Decode([]byte("more")); data != nil || n != 0 || err != nil {
		t.Fatal("Decode after Done consumed input")
	}
}

func TestChunkedNoCopy(t *testing.T) {
	in := []byte("5\r\nhello\r\n0\r\n\r\n")
	var d ChunkedDecoder
	data, n, err := d.Decode(in)
	if err != nil || string(data) != "hello" || n != 8 || &data[0] != &in[3] {
		t.Fatalf("got %q %d %v (copied?)", data, n, err)
	}
}

func TestChunkedEncodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var want, enc []byte
	for range 50 {
		p := make([]byte, rng.IntN(300))
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		want = append(want, p...)
		enc = AppendChunk(enc, p)
	}
	var tr Headers
	tr.Add("x-checksum", "abc")
	enc = AppendLastChunk(enc, &tr)
	for _, next := range []func(int) int{whole, oneByte, func(rem int) int { return 1 + rng.IntN(rem) }} {
		r := decodeSplit(enc, next)
		if r.err != nil || !r.done || r.body != string(want) || r.consumed != len(enc) ||
			!slices.Equal(r.trailers, []string{"X-Checksum: abc"}) {
			t.Fatalf("round trip failed: err=%v done=%v", r.err, r.done)
		}
	}
	if got := string(AppendChunk([]byte("x"), nil)); got != "x" {
		t.Errorf("empty chunk appended %q", got)
	}
	if got := string(AppendChunk(nil, make([]byte, 255))[:4]); got != "ff\r\n" {
		t.Errorf("size line %q", got)
	}
	if got := string(AppendLastChunk(nil, nil)); got != "0\r\n\r\n" {
		t.Errorf("last chunk %q", got)
	}
}
