package websocket

import (
	"math/bits"
	"sync"
)

// Message buffers lent under Config.ReuseBuffers come from pools by size
// class, powers of two from 512 B to 64 KiB, shared by every connection
// of every loop. A buffer is taken when a whole message's frame header
// says how long it is, and given back when OnMessage returns.
const (
	minLentShift = 9  // 512 B
	maxLentShift = 16 // 64 KiB
	maxLent      = 1 << maxLentShift
)

var lentPools [maxLentShift - minLentShift + 1]sync.Pool

// lentClass is the pool for a buffer of at least n bytes (0 < n ≤
// maxLent).
func lentClass(n int) int {
	return max(bits.Len(uint(n-1)), minLentShift) - minLentShift
}

// getLent returns an empty buffer, in its box, with room for n bytes.
func getLent(n int) *[]byte {
	k := lentClass(n)
	if b, ok := lentPools[k].Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 1<<(k+minLentShift))
	return &b
}

// putLent gives back a buffer getLent returned; data is what it held,
// which nobody may use any more.
func putLent(box *[]byte, data []byte) {
	*box = data[:0]
	lentPools[lentClass(cap(data))].Put(box)
}
