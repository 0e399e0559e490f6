package websocket

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestMaskMatchesBytewise(t *testing.T) {
	// Every length and starting position against the definition:
	// byte i is XORed with key byte (pos+i) mod 4.
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	k := binary.LittleEndian.Uint32(key[:])
	src := make([]byte, 100)
	for i := range src {
		src[i] = byte(i * 7)
	}
	for n := 0; n <= len(src); n++ {
		for pos := range 8 {
			got := bytes.Clone(src[:n])
			end := mask(k, pos, got)
			assert.Equal(t, pos+n, end)
			for i := range n {
				if got[i] != src[i]^key[(pos+i)%4] {
					t.Fatalf("n=%d pos=%d: byte %d is %#x", n, pos, i, got[i])
				}
			}
		}
	}
	// Masking in pieces is masking at once.
	whole := bytes.Clone(src)
	mask(k, 0, whole)
	pieces := bytes.Clone(src)
	pos := 0
	for _, cut := range []int{3, 1, 17, 40, 39} {
		pos = mask(k, pos, pieces[pos:pos+cut])
	}
	assert.Equal(t, whole, pieces)
}

func TestValidUTF8Prefix(t *testing.T) {
	for _, c := range []struct {
		in       string
		complete int
		ok       bool
	}{
		{"", 0, true},
		{"abc", 3, true},
		{"a\xce", 1, true},         // κ's first byte: may complete
		{"a\xe2\x9c", 1, true},     // ✓ cut short
		{"a\xf0\x9d\x84", 1, true}, // 𝄞 cut short
		{"\xed\xa0", 0, false},     // a surrogate, even incomplete
		{"\xf4\x90", 0, false},     // past U+10FFFF
		{"\xe0\x80", 0, false},     // overlong
		{"\xc0", 0, false},
		{"\xff", 0, false},
		{"a\x80", 0, false},
		{"\xf0", 0, true},
		{"\xe0", 0, true},
		{"\xed", 0, true},
		{"\xf4", 0, true},
	} {
		n, ok := validUTF8Prefix([]byte(c.in))
		assert.Equal(t, c.ok, ok, "%q", c.in)
		if c.ok {
			assert.Equal(t, c.complete, n, "%q", c.in)
		}
	}
	// Exhaustively for two-byte tails: a prefix is accepted exactly when
	// some continuation makes it valid.
	for a := range 256 {
		for b := range 256 {
			p := []byte{byte(a), byte(b)}
			_, ok := validUTF8Prefix(p)
			want := utf8.Valid(p)
			for _, c := range [][]byte{{0x80}, {0x80, 0x80}, {0x80, 0x80, 0x80}, {0x90, 0x80, 0x80}, {0xa0}, {0xa0, 0x80}} {
				want = want || utf8.Valid(append(bytes.Clone(p), c...))
			}
			if ok != want {
				t.Fatalf("% x: got %v, want %v", p, ok, want)
			}
		}
	}
}

func TestAcceptDeflate(t *testing.T) {
	for _, c := range []struct {
		offer, resp string
		noTakeover  bool // CompressionConfig.NoContextTakeover
		ok          bool
		p           deflateParams
	}{
		{"permessage-deflate", "permessage-deflate", false, true, deflateParams{}},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate", false, true, deflateParams{}},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=10", false, true, deflateParams{}},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10", false, true,
			deflateParams{huffmanOnly: true}},
		{"permessage-deflate; server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15", false, true, deflateParams{}},
		{"permessage-deflate; client_no_context_takeover; server_no_context_takeover",
			"permessage-deflate; client_no_context_takeover; server_no_context_takeover", false, true,
			deflateParams{ownNoTakeover: true, peerNoTakeover: true}},
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover", true, true, deflateParams{ownNoTakeover: true}},
		{"permessage-deflate; server_max_window_bits=7", "", false, false, deflateParams{}},
		{"permessage-deflate; server_max_window_bits", "", false, false, deflateParams{}},
		{"permessage-deflate; foo=1", "", false, false, deflateParams{}},
		{"permessage-deflate; client_no_context_takeover; client_no_context_takeover", "", false, false, deflateParams{}},
		{"x-webkit-deflate-frame", "", false, false, deflateParams{}},
		// The first offer that can be honoured wins.
		{"permessage-deflate; foo, permessage-deflate; client_max_window_bits=12",
			"permessage-deflate; client_max_window_bits=12", false, true, deflateParams{}},
	} {
		cfg := &CompressionConfig{NoContextTakeover: c.noTakeover}
		p, resp, ok := acceptDeflate(parseExtensions([]string{c.offer}), cfg)
		assert.Equal(t, c.ok, ok, c.offer)
		if c.ok {
			c.p.level = 1
			assert.Equal(t, c.resp, resp, c.offer)
			assert.Equal(t, c.p, p, c.offer)
		}
	}
}

func TestAgreeDeflate(t *testing.T) {
	cfg := &CompressionConfig{}
	for _, c := range []struct {
		resp   string
		on, ok bool
		p      deflateParams
	}{
		{"", false, true, deflateParams{}},
		{"permessage-deflate", true, true, deflateParams{level: 1}},
		{"permessage-deflate; client_max_window_bits=9", true, true, deflateParams{level: 1, huffmanOnly: true}},
		{"permessage-deflate; server_max_window_bits=9; server_no_context_takeover", true, true,
			deflateParams{level: 1, peerNoTakeover: true}},
		{"permessage-deflate; client_no_context_takeover", true, true, deflateParams{level: 1, ownNoTakeover: true}},
		{"permessage-deflate; client_max_window_bits", false, false, deflateParams{}},
		{"permessage-deflate; bogus", false, false, deflateParams{}},
		{"permessage-deflate, permessage-deflate", false, false, deflateParams{}},
		{"x-other", false, false, deflateParams{}},
	} {
		var values []string
		if c.resp != "" {
			values = []string{c.resp}
		}
		p, on, ok := agreeDeflate(parseExtensions(values), cfg)
		assert.Equal(t, c.ok, ok, c.resp)
		assert.Equal(t, c.on, on, c.resp)
		if c.ok && c.on {
			assert.Equal(t, c.p, p, c.resp)
		}
	}
}

func TestHuffmanOnlyHasNoBackReferences(t *testing.T) {
	// With a window bound below 15 the compressor must not refer back:
	// inflating each message with no history still works, context
	// takeover or not.
	d := &deflater{p: deflateParams{huffmanOnly: true, level: 9}}
	in := &deflater{p: deflateParams{peerNoTakeover: true}}
	msg := bytes.Repeat([]byte("abcabcabc "), 500)
	for range 3 {
		out, err := in.inflate(d.compress(nil, msg), 1<<20)
		assert.NoError(t, err)
		assert.Equal(t, msg, out)
	}
}

func TestInflateHistory(t *testing.T) {
	// Context takeover: the second message refers to the first, across
	// more than one window's worth of data.
	out := &deflater{p: deflateParams{level: 1}}
	in := &deflater{p: deflateParams{}}
	for _, n := range []int{100, windowSize + 5000, 10, 3 * windowSize} {
		msg := bytes.Repeat([]byte("history matters "), n/16+1)[:n]
		got, err := in.inflate(out.compress(nil, msg), 1<<20)
		assert.NoError(t, err)
		assert.Equal(t, msg, got)
		assert.LessOrEqual(t, len(in.dict), windowSize)
	}
}
