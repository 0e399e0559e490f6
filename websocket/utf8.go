package websocket

import "unicode/utf8"

// validUTF8Prefix reports whether b is valid UTF-8 up to an incomplete
// last character that could still be completed, and returns how many
// bytes of b end with a complete character (where checking resumes once
// more data arrives). A text message is checked fragment by fragment with
// it, so one that goes wrong fails as soon as it does (Autobahn's
// "fail fast" cases), and at the end with utf8.Valid on the rest.
func validUTF8Prefix(b []byte) (complete int, ok bool) {
	// Find where the last, possibly incomplete, character starts: at
	// most 3 bytes back.
	end := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				end = i
			}
			break
		}
	}
	if !utf8.Valid(b[:end]) {
		return 0, false
	}
	if end == len(b) {
		return end, true
	}
	return end, completable(b[end:])
}

// completable reports whether p, the start of a multi-byte character,
// can be completed into a valid one. Only the second byte has a range
// narrower than 0x80-0xBF (after E0, ED, F0, F4), so trying three second
// bytes and padding with 0x80 covers every case.
func completable(p []byte) bool {
	var full int
	switch c := p[0]; {
	case c >= 0xC2 && c <= 0xDF:
		full = 2
	case c >= 0xE0 && c <= 0xEF:
		full = 3
	case c >= 0xF0 && c <= 0xF4:
		full = 4
	default:
		return false
	}
	var buf [4]byte
	copy(buf[:], p)
	if len(p) > 1 {
		for i := len(p); i < full; i++ {
			buf[i] = 0x80
		}
		return utf8.Valid(buf[:full])
	}
	for _, second := range [...]byte{0x80, 0x90, 0xA0} {
		buf[1] = second
		for i := 2; i < full; i++ {
			buf[i] = 0x80
		}
		if utf8.Valid(buf[:full]) {
			return true
		}
	}
	return false
}
