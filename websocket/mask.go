package websocket

import (
	"encoding/binary"
	"math/bits"
)

// mask XORs b in place with the 4-byte masking key, starting at position
// pos of the key (pos counts payload bytes already masked), and returns
// the position after b. It goes 8 bytes at a time: masking is symmetric,
// so the same call masks and unmasks.
func mask(key uint32, pos int, b []byte) int {
	// key holds the masking key's bytes in wire order as a little-endian
	// word: byte i of the key is bits 8i..8i+7.
	k := bits.RotateLeft32(key, -8*(pos&3))
	if len(b) >= 16 {
		k64 := uint64(k) | uint64(k)<<32
		for len(b) >= 32 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^k64)
			binary.LittleEndian.PutUint64(b[8:], binary.LittleEndian.Uint64(b[8:])^k64)
			binary.LittleEndian.PutUint64(b[16:], binary.LittleEndian.Uint64(b[16:])^k64)
			binary.LittleEndian.PutUint64(b[24:], binary.LittleEndian.Uint64(b[24:])^k64)
			b = b[32:]
			pos += 32
		}
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^k64)
			b = b[8:]
			pos += 8
		}
	}
	for i := range b {
		b[i] ^= byte(k)
		k = bits.RotateLeft32(k, -8)
	}
	return pos + len(b)
}
