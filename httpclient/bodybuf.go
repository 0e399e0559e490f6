package httpclient

// bodyBuf collects a response body whose size is not known in advance
// (chunked, until close, or inflated) in parts that are never copied as
// it grows: appending to one slice would copy it at each growth and leave
// the old copies to the collector, so a body cut at MaxBodySize would
// cost several times that in memory at its peak. The parts are joined
// once, when the body is complete: the peak is the body twice, and the
// body once if it fails on the way. The zero value is an empty body.
type bodyBuf struct {
	parts [][]byte
	size  int
}

// Parts grow from bodyPartMin to bodyPartMax bytes, doubling.
const (
	bodyPartMin = 16 << 10
	bodyPartMax = 1 << 20
)

// reserve makes room for n bytes in one part, for a body whose length is
// declared: then bytes returns that part, with no join.
func (b *bodyBuf) reserve(n int) {
	if b.size == 0 && n > 0 {
		b.parts = append(b.parts[:0], make([]byte, 0, n))
	}
}

func (b *bodyBuf) write(p []byte) {
	b.size += len(p)
	for len(p) > 0 {
		if n := len(b.parts); n > 0 {
			last := b.parts[n-1]
			c := copy(last[len(last):cap(last)], p)
			b.parts[n-1] = last[:len(last)+c]
			p = p[c:]
			if len(p) == 0 {
				return
			}
		}
		next := bodyPartMin
		if n := len(b.parts); n > 0 {
			next = min(2*cap(b.parts[n-1]), bodyPartMax)
		}
		b.parts = append(b.parts, make([]byte, 0, max(next, min(len(p), bodyPartMax))))
	}
}

// bytes returns the whole body (nil if empty) and empties b.
func (b *bodyBuf) bytes() []byte {
	var out []byte
	switch len(b.parts) {
	case 0:
	case 1:
		out = b.parts[0]
	default:
		out = make([]byte, 0, b.size)
		for i, p := range b.parts {
			out = append(out, p...)
			b.parts[i] = nil
		}
	}
	if len(out) == 0 {
		out = nil
	}
	b.parts, b.size = nil, 0
	return out
}
