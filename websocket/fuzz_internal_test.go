package websocket

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// FuzzFrameReader feeds arbitrary bytes to a connection's frame reader,
// all at once and one byte at a time, and requires the same outcome
// (messages, then how the connection ended) either way, text that is
// UTF-8, and messages within the limit. The first byte picks the side
// (bit 0: client, expecting unmasked frames) and compression (bit 1).
// Seeds are in testdata/fuzz/FuzzFrameReader.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte("\x00\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58")) // a masked "Hello"
	f.Add([]byte("\x01\x81\x05Hello\x89\x00\x88\x02\x03\xe8"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		mode, data := data[0], data[1:]
		whole := readAll(t, mode, data, len(data)+1)
		bytewise := readAll(t, mode, data, 1)
		if whole != bytewise {
			t.Fatalf("whole:\n%s\nbyte by byte:\n%s", whole, bytewise)
		}
	})
}

// fuzzHandler records what a connection delivers.
type fuzzHandler struct {
	t   *testing.T
	log []string
}

func (h *fuzzHandler) Open(*Conn) {}
func (h *fuzzHandler) OnClose()   {}
func (h *fuzzHandler) OnMessage(m *Message) {
	if !m.Binary && !utf8.Valid(m.Data) {
		h.t.Fatalf("text message not UTF-8: %q", m.Data)
	}
	if len(m.Data) > fuzzMax {
		h.t.Fatalf("message of %d bytes, over the limit", len(m.Data))
	}
	h.log = append(h.log, fmt.Sprintf("message binary=%v %q", m.Binary, m.Data))
}

const fuzzMax = 1 << 16

// readAll runs a connection over data offered in pieces of at most step
// bytes, as a stream does, and returns what it did.
func readAll(t *testing.T, mode byte, data []byte, step int) string {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer loop.Close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	s, err := iostream.New(loop, fds[0], iostream.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := &fuzzHandler{t: t}
	c := newConn(loop, s, (&Config{MaxMessageSize: fuzzMax}).settings(), mode&1 != 0)
	if c.client {
		c.cc = &ClientConn{Conn: c, onMessage: func(m *Message) {
			if m != nil {
				h.OnMessage(m)
			}
		}}
	} else {
		c.h = h
	}
	if mode&2 != 0 {
		c.pmd = &deflater{p: deflateParams{level: 1}}
	}
	r := (*connReader)(c)
	var pending []byte
	for len(data) > 0 || len(pending) > 0 {
		n := min(step, len(data))
		pending = append(pending, data[:n]...)
		data = data[n:]
		for len(pending) > 0 {
			used := r.HandleRead(pending)
			if used < 0 || used > len(pending) {
				t.Fatalf("HandleRead consumed %d of %d", used, len(pending))
			}
			pending = pending[used:]
			if used == 0 {
				break
			}
		}
		if n == 0 {
			break // the rest is an incomplete frame
		}
	}
	out := fmt.Sprint(h.log, " stopped=", c.stopRead)
	if c.err != nil {
		out += fmt.Sprint(" code=", c.err.Code, " remote=", c.err.Remote)
	}
	return out
}
