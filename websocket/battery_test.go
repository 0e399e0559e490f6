package websocket_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// The protocol battery: a raw client sends what each case of the
// Autobahn test suite's groups sends, to an echo server, and checks the
// answer frame by frame and the close code RFC 6455 requires.

// Frame first bytes: FIN plus opcode, and the reserved bits.
const (
	fText   = 0x81
	fBinary = 0x82
	fClose  = 0x88
	fPing   = 0x89
	fPong   = 0x8A
	contNF  = 0x00 // continuation, not final
	textNF  = 0x01
	contF   = 0x80
	rsv1    = 0x40
	rsv2    = 0x20
	rsv3    = 0x10
)

type rawCase struct {
	name string
	run  func(r *raw)
}

func runBattery(t *testing.T, cfg websocket.Config, extra string, cases []rawCase) {
	loop := looptest.New(t)
	sv := newServer(t, loop, cfg, nil)
	runServer(t, loop)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(upgraded(t, sv.addr, extra))
		})
	}
}

func TestBatteryFraming(t *testing.T) { // Autobahn 1.x
	var cases []rawCase
	for _, n := range []int{0, 125, 126, 127, 128, 65535, 65536, 1 << 20} {
		for _, op := range []byte{fText, fBinary} {
			p := bytes.Repeat([]byte("*"), n)
			cases = append(cases, rawCase{name: "echo", run: func(r *raw) {
				r.send(frame(op, p))
				r.expect(op, p)
			}})
		}
	}
	cases = append(cases, rawCase{"byte by byte", func(r *raw) {
		for _, b := range frame(fText, []byte("Hello, world")) {
			r.send([]byte{b})
		}
		r.expect(fText, []byte("Hello, world"))
	}}, rawCase{"many in one write", func(r *raw) {
		var all [][]byte
		for range 50 {
			all = append(all, frame(fBinary, []byte("x")))
		}
		r.send(all...)
		for range 50 {
			r.expect(fBinary, []byte("x"))
		}
	}}, rawCase{"length 5 in 16 bits: 1002", func(r *raw) {
		// RFC 6455 §5.2: the shortest encoding of the length MUST be used.
		// A zero masking key leaves the payload as it is.
		r.send(append([]byte{fText, 0x80 | 126, 0, 5, 0, 0, 0, 0}, "hello"...))
		r.expectClose(1002)
	}}, rawCase{"length 200 in 64 bits: 1002", func(r *raw) {
		b := []byte{fBinary, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 0}
		r.send(append(b, make([]byte, 200)...))
		r.expectClose(1002)
	}})
	for _, reuse := range []bool{false, true} {
		t.Run(fmt.Sprintf("ReuseBuffers=%v", reuse), func(t *testing.T) {
			runBattery(t, websocket.Config{ReuseBuffers: reuse}, "", cases)
		})
	}
}

func TestBatteryPings(t *testing.T) { // Autobahn 2.x
	runBattery(t, websocket.Config{}, "", []rawCase{
		{"empty ping", func(r *raw) {
			r.send(frame(fPing, nil))
			r.expect(fPong, nil)
		}},
		{"ping 125 bytes", func(r *raw) {
			p := bytes.Repeat([]byte{0xfe}, 125)
			r.send(frame(fPing, p))
			r.expect(fPong, p)
		}},
		{"ping 126 bytes: 1002", func(r *raw) {
			r.send(frame(fPing, make([]byte, 126)))
			r.expectClose(1002)
		}},
		{"unsolicited pong is ignored", func(r *raw) {
			r.send(frame(fPong, []byte("x")), frame(fText, []byte("after")))
			r.expect(fText, []byte("after"))
		}},
		{"ten pings, ten pongs", func(r *raw) {
			for i := range 10 {
				r.send(frame(fPing, []byte{byte(i)}))
			}
			for i := range 10 {
				r.expect(fPong, []byte{byte(i)})
			}
		}},
		{"fragmented ping: 1002", func(r *raw) {
			r.send(frame(0x09, []byte("a")), frame(contF, []byte("b")))
			r.expectClose(1002)
		}},
		{"ping then close", func(r *raw) {
			r.send(frame(fPing, []byte("p")), frame(fClose, closePayload(1000, "")))
			r.expect(fPong, []byte("p"))
			r.expectClose(1000)
		}},
	})
}

func TestBatteryReservedBits(t *testing.T) { // Autobahn 3.x
	var cases []rawCase
	for _, f := range []struct {
		name  string
		first byte
	}{
		{"RSV1 text without deflate", fText | rsv1},
		{"RSV2 text", fText | rsv2},
		{"RSV3 text", fText | rsv3},
		{"RSV1+RSV3 binary", fBinary | rsv1 | rsv3},
		{"RSV2 ping", fPing | rsv2},
		{"all RSV close", fClose | rsv1 | rsv2 | rsv3},
	} {
		cases = append(cases, rawCase{f.name + ": 1002", func(r *raw) {
			r.send(frame(fText, []byte("ok")), frame(f.first, []byte("bad")), frame(fPing, nil))
			r.expect(fText, []byte("ok"))
			r.expectClose(1002) // and no pong: the ping came after the failure
		}})
	}
	runBattery(t, websocket.Config{}, "", cases)
}

func TestBatteryOpcodes(t *testing.T) { // Autobahn 4.x
	var cases []rawCase
	for _, op := range []byte{3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF} {
		cases = append(cases, rawCase{"reserved opcode: 1002", func(r *raw) {
			r.send(frame(0x80|op, []byte("x")))
			r.expectClose(1002)
		}})
	}
	runBattery(t, websocket.Config{}, "", cases)
}

func TestBatteryFragmentation(t *testing.T) { // Autobahn 5.x
	runBattery(t, websocket.Config{}, "", []rawCase{
		{"two fragments", func(r *raw) {
			r.send(frame(textNF, []byte("frag")), frame(contF, []byte("ment")))
			r.expect(fText, []byte("fragment"))
		}},
		{"ping between fragments", func(r *raw) {
			r.send(frame(textNF, []byte("a")), frame(fPing, []byte("p")))
			r.expect(fPong, []byte("p")) // answered before the message ends
			r.send(frame(contNF, []byte("b")), frame(fPong, []byte("q")), frame(contF, []byte("c")))
			r.expect(fText, []byte("abc"))
		}},
		{"one-byte fragments", func(r *raw) {
			r.send(frame(0x02, []byte{1}))
			for i := 2; i < 100; i++ {
				r.send(frame(contNF, []byte{byte(i)}))
			}
			r.send(frame(contF, nil))
			want := make([]byte, 99)
			for i := range want {
				want[i] = byte(i + 1)
			}
			r.expect(fBinary, want)
		}},
		{"continuation with no message: 1002", func(r *raw) {
			r.send(frame(contF, []byte("x")))
			r.expectClose(1002)
		}},
		{"unfinished continuation first: 1002", func(r *raw) {
			r.send(frame(contNF, []byte("x")), frame(contF, []byte("y")))
			r.expectClose(1002)
		}},
		{"new message inside a fragmented one: 1002", func(r *raw) {
			r.send(frame(textNF, []byte("a")), frame(fText, []byte("b")))
			r.expectClose(1002)
		}},
		{"fragmented close: 1002", func(r *raw) {
			r.send(frame(0x08, nil), frame(contF, nil))
			r.expectClose(1002)
		}},
	})
}

func TestBatteryUTF8(t *testing.T) { // Autobahn 6.x
	valid := []string{"", "κόσμε", "\u0080\u07ff\u0800\uffff", "\U00010000\U0010ffff", "\xef\xbb\xbfBOM"}
	invalid := []string{"\xce", "κόσμε\xed\xa0\x80edited", "\xf4\x90\x80\x80", "\xc0\xaf", "\xff", "\x80", "a\xe0\x80\xaf", "\xf8\x88\x80\x80\x80"}
	var cases []rawCase
	for _, s := range valid {
		cases = append(cases, rawCase{"valid", func(r *raw) {
			r.send(frame(fText, []byte(s)))
			r.expect(fText, []byte(s))
			// the same, one byte per fragment
			b := []byte("x" + s)
			r.send(frame(textNF, b[:1]))
			for i := 1; i < len(b); i++ {
				r.send(frame(contNF, b[i:i+1]))
			}
			r.send(frame(contF, nil))
			r.expect(fText, b)
		}})
	}
	for _, s := range invalid {
		cases = append(cases, rawCase{"invalid: 1007", func(r *raw) {
			r.send(frame(fText, []byte(s)))
			r.expectClose(1007)
		}}, rawCase{"invalid across fragments: 1007", func(r *raw) {
			b := []byte("ok" + s + "ok")
			r.send(frame(textNF, b[:3]), frame(contNF, b[3:]), frame(contF, nil))
			r.expectClose(1007)
		}})
	}
	cases = append(cases, rawCase{"fails fast: 1007 before the message ends", func(r *raw) {
		// The first fragment is already wrong: the server closes
		// without waiting for the rest, which never comes.
		r.send(frame(textNF, []byte("bad \xf4\x90 and more")))
		r.expectClose(1007)
	}}, rawCase{"split character completed across fragments", func(r *raw) {
		r.send(frame(textNF, []byte("\xf0\x9d")), frame(contNF, []byte("\x84")), frame(contF, []byte("\x9e")))
		r.expect(fText, []byte("𝄞"))
	}}, rawCase{"binary is not checked", func(r *raw) {
		r.send(frame(fBinary, []byte("\xff\xfe")))
		r.expect(fBinary, []byte("\xff\xfe"))
	}})
	runBattery(t, websocket.Config{}, "", cases)
}

func TestBatteryClose(t *testing.T) { // Autobahn 7.x
	var cases []rawCase
	cases = append(cases,
		rawCase{"empty close is echoed empty", func(r *raw) {
			r.send(frame(fClose, nil))
			r.expectClose(1005)
		}},
		rawCase{"data after close is dropped", func(r *raw) {
			r.send(frame(fClose, closePayload(1000, "bye")), frame(fText, []byte("ignored")), frame(fPing, nil))
			r.expectClose(1000)
		}},
		rawCase{"close reason of 123 bytes", func(r *raw) {
			r.send(frame(fClose, closePayload(1000, strings.Repeat("r", 123))))
			r.expectClose(1000)
		}},
		rawCase{"one-byte close payload: 1002", func(r *raw) {
			r.send(frame(fClose, []byte{0x03}))
			r.expectClose(1002)
		}},
		rawCase{"reason not UTF-8: 1007", func(r *raw) {
			r.send(frame(fClose, closePayload(1000, "\xce\xba\xe1\xbd")))
			r.expectClose(1007)
		}},
		rawCase{"close during a fragmented message", func(r *raw) {
			r.send(frame(textNF, []byte("half")), frame(fClose, closePayload(1000, "")))
			r.expectClose(1000)
		}},
	)
	for _, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999} {
		cases = append(cases, rawCase{"valid code is echoed", func(r *raw) {
			r.send(frame(fClose, closePayload(code, "x")))
			r.expectClose(code)
		}})
	}
	for _, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535} {
		cases = append(cases, rawCase{"invalid code: 1002", func(r *raw) {
			r.send(frame(fClose, closePayload(code, "")))
			r.expectClose(1002)
		}})
	}
	runBattery(t, websocket.Config{}, "", cases)
}

func TestBatteryMasking(t *testing.T) {
	runBattery(t, websocket.Config{}, "", []rawCase{
		{"unmasked client frame: 1002", func(r *raw) {
			r.send(maskedFrame(fText, []byte("plain"), false))
			r.expectClose(1002)
		}},
		{"unmasked empty close: 1002", func(r *raw) {
			r.send(maskedFrame(fClose, nil, false))
			r.expectClose(1002)
		}},
	})
}

func TestBatteryLimits(t *testing.T) { // Autobahn 9.x, with a small limit
	runBattery(t, websocket.Config{MaxMessageSize: 1000}, "", []rawCase{
		{"at the limit", func(r *raw) {
			p := bytes.Repeat([]byte("a"), 1000)
			r.send(frame(fText, p))
			r.expect(fText, p)
		}},
		{"declared over the limit: 1009 before the payload", func(r *raw) {
			// Only the header: the server refuses from the length.
			r.send(frame(fBinary, make([]byte, 1001))[:8])
			r.expectClose(1009)
		}},
		{"fragments over the limit: 1009", func(r *raw) {
			r.send(frame(0x02, make([]byte, 600)), frame(contF, make([]byte, 401)))
			r.expectClose(1009)
		}},
		{"64-bit length with the top bit: 1002", func(r *raw) {
			r.send([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4})
			r.expectClose(1002)
		}},
	})
}

func TestBatteryCompression(t *testing.T) { // Autobahn 12.x and 13.x
	cfg := websocket.Config{Compression: &websocket.CompressionConfig{}, MaxMessageSize: 100_000}
	offer := "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
	long := bytes.Repeat([]byte("compress me, compress me again "), 100)
	runBattery(t, cfg, offer, []rawCase{
		{"negotiated as offered", func(r *raw) {
			require.Equal(t, "permessage-deflate", r.resp.Header.Get("Sec-WebSocket-Extensions"))
			// An uncompressed message is still a message; the echo is
			// compressed.
			r.send(frame(fText, []byte("plain still works")))
			f, p, err := r.read()
			require.NoError(t, err)
			require.Equal(t, byte(fText|rsv1), f)
			out, err := inflate(p)
			require.NoError(t, err)
			require.Equal(t, "plain still works", string(out))
		}},
		{"compressed messages with context takeover", func(r *raw) {
			d := newDeflate()
			for range 3 {
				r.send(frame(fText|rsv1, d.compress(long)))
			}
			// The server's replies use its own context: inflate them in
			// one stream.
			var in bytes.Buffer
			for range 3 {
				f, p, err := r.read()
				require.NoError(t, err)
				require.Equal(t, byte(fText|rsv1), f)
				in.Write(p)
				in.Write([]byte{0, 0, 0xff, 0xff})
			}
			out, _ := inflate(in.Bytes())
			require.Equal(t, bytes.Repeat(long, 3), out)
		}},
		{"compressed and fragmented", func(r *raw) {
			p := newDeflate().compress(long)
			r.send(frame(textNF|rsv1, p[:10]), frame(fPing, nil), frame(contF, p[10:]))
			r.expect(fPong, nil)
			f, _, err := r.read()
			require.NoError(t, err)
			require.Equal(t, byte(fText|rsv1), f)
		}},
		{"RSV1 on a continuation: 1002", func(r *raw) {
			p := newDeflate().compress(long)
			r.send(frame(textNF|rsv1, p[:10]), frame(contF|rsv1, p[10:]))
			r.expectClose(1002)
		}},
		{"RSV1 on a ping: 1002", func(r *raw) {
			r.send(frame(fPing|rsv1, nil))
			r.expectClose(1002)
		}},
		{"bad compressed data: 1007", func(r *raw) {
			r.send(frame(fBinary|rsv1, []byte{0xff, 0xff, 0xff, 0x00, 0x13}))
			r.expectClose(1007)
		}},
		{"inflates past the limit: 1009", func(r *raw) {
			r.send(frame(fBinary|rsv1, newDeflate().compress(make([]byte, 100_001))))
			r.expectClose(1009)
		}},
		{"compressed text not UTF-8: 1007", func(r *raw) {
			r.send(frame(fText|rsv1, newDeflate().compress([]byte("ok \xff"))))
			r.expectClose(1007)
		}},
	})
}
