package iostream

import "sync"

// Read and write buffers of readChunk bytes come from a pool, so a stream
// holds a buffer only while it has data in it: an idle keep-alive
// connection holds none. The pool keeps array pointers, which go in and
// out of an interface without allocating.
var bufPool = sync.Pool{New: func() any { return new([readChunk]byte) }}

func getBuf() []byte {
	return bufPool.Get().(*[readChunk]byte)[:0]
}

// putBuf returns b to the pool if it is a pool-sized buffer (b must be the
// whole buffer, not a slice of its middle).
func putBuf(b []byte) {
	if cap(b) != readChunk {
		return
	}
	bufPool.Put((*[readChunk]byte)(b[:readChunk]))
}
