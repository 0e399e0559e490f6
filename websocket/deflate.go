package websocket

import (
	"bytes"
	"compress/flate"
	"io"
	"sync"
)

// windowSize is DEFLATE's largest window (15 bits), the history a
// receiver keeps between messages when the peer takes over its context.
const windowSize = 32 << 10

// deflateTail ends a message's compressed data for inflating: the
// 00 00 FF FF a sender strips (RFC 7692 §7.2.2), then an empty final
// block, so the end of the data reads as io.EOF and a truncated block as
// an error.
var deflateTail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// deflater is a connection's permessage-deflate state. What takes memory
// exists only while it must: the compressor from the first compressed
// message sent with context takeover on, the inflate history from the
// first compressed message received with the peer's context takeover on;
// otherwise both are borrowed from pools for one message.
type deflater struct {
	p    deflateParams
	comp *compressor // kept between messages with context takeover
	dict []byte      // the last 32 KiB inflated, with the peer's takeover
}

// compressor is a flate writer with the buffer it writes to.
type compressor struct {
	w    *flate.Writer
	sink sink
}

type sink struct{ b []byte }

func (s *sink) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

// compressors pools writers by level (flate.HuffmanOnly, -2, to 9).
var compressors [12]sync.Pool

func getCompressor(level int) *compressor {
	if c, ok := compressors[level+2].Get().(*compressor); ok {
		c.w.Reset(&c.sink)
		return c
	}
	c := new(compressor)
	c.w, _ = flate.NewWriter(&c.sink, level) // level is valid: checked at negotiation
	return c
}

func (d *deflater) level() int {
	if d.p.huffmanOnly {
		return flate.HuffmanOnly
	}
	return d.p.level
}

// compress appends data's compressed form (without the trailing
// 00 00 FF FF) to dst.
func (d *deflater) compress(dst, data []byte) []byte {
	c := d.comp
	if c == nil {
		c = getCompressor(d.level())
	}
	c.sink.b = dst
	c.w.Write(data) // a sink never fails
	c.w.Flush()
	out := c.sink.b
	c.sink.b = nil
	if n := len(out); n >= 4 && out[n-4] == 0 && out[n-3] == 0 && out[n-2] == 0xff && out[n-1] == 0xff {
		out = out[:n-4]
	}
	if d.p.ownNoTakeover {
		compressors[d.level()+2].Put(c)
		d.comp = nil
	} else {
		d.comp = c
	}
	return out
}

// decompressor is a flate reader with its source; pooled, since between
// messages the history lives in deflater.dict.
type decompressor struct {
	r   io.ReadCloser
	src bytes.Reader
}

var decompressors = sync.Pool{New: func() any {
	d := new(decompressor)
	d.r = flate.NewReader(&d.src)
	return d
}}

// inflate returns the message compressed in data (which it may append
// to), failing with ErrMessageTooLarge past limit bytes and with
// ErrBadCompressedData if data does not inflate.
func (d *deflater) inflate(data []byte, limit int) ([]byte, error) {
	data = append(data, deflateTail...)
	dc := decompressors.Get().(*decompressor)
	defer decompressors.Put(dc)
	dc.src.Reset(data)
	if err := dc.r.(flate.Resetter).Reset(&dc.src, d.dict); err != nil {
		return nil, ErrBadCompressedData
	}
	out := make([]byte, 0, min(max(512, 4*len(data)), limit+1))
	for {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		n, err := dc.r.Read(out[len(out):min(cap(out), limit+1)])
		out = out[:len(out)+n]
		if len(out) > limit {
			return nil, ErrMessageTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrBadCompressedData
		}
	}
	dc.src.Reset(nil)
	if !d.p.peerNoTakeover {
		d.remember(out)
	}
	return out, nil
}

// remember keeps the last 32 KiB of what was inflated, the window the
// peer's next message may refer to.
func (d *deflater) remember(out []byte) {
	if len(out) >= windowSize {
		if d.dict == nil {
			d.dict = make([]byte, windowSize)
		}
		d.dict = d.dict[:windowSize]
		copy(d.dict, out[len(out)-windowSize:])
		return
	}
	if d.dict == nil {
		d.dict = make([]byte, 0, windowSize)
	}
	if drop := len(d.dict) + len(out) - windowSize; drop > 0 {
		d.dict = d.dict[:copy(d.dict, d.dict[drop:])]
	}
	d.dict = append(d.dict, out...)
}

// release returns what the connection holds to the pools.
func (d *deflater) release() {
	if d.comp != nil {
		compressors[d.level()+2].Put(d.comp)
		d.comp = nil
	}
	d.dict = nil
}
