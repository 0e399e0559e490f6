package websocket

import (
	"encoding/binary"
	"math"
)

// Opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

const (
	finBit  = 0x80
	rsv1Bit = 0x40 // "compressed" under permessage-deflate
	rsv2Bit = 0x20
	rsv3Bit = 0x10
	maskBit = 0x80

	maxControlPayload = 125
	maxHeaderSize     = 14
)

// header is a frame header as read from the wire.
type header struct {
	first  byte // FIN, RSV1-3 and the opcode
	masked bool
	key    uint32 // the masking key, little-endian word of its wire bytes
	length uint64
}

func (h *header) fin() bool     { return h.first&finBit != 0 }
func (h *header) rsv1() bool    { return h.first&rsv1Bit != 0 }
func (h *header) op() byte      { return h.first & 0x0f }
func (h *header) control() bool { return h.first&0x08 != 0 }

// parseHeader reads a frame header from the front of b and returns its
// size, or 0 if b does not hold all of it yet. The errors are those of the
// length's encoding (RFC 6455 §5.2): a 64-bit length with its top bit
// set, or a length not in its shortest form (126 sent in 8 bytes, say),
// which the RFC says MUST NOT be sent; the caller checks the rest.
func parseHeader(b []byte) (h header, n int, ok bool) {
	if len(b) < 2 {
		return h, 0, true
	}
	h.first = b[0]
	h.masked = b[1]&maskBit != 0
	n = 2
	switch l := b[1] & 0x7f; l {
	case 126:
		if len(b) < 4 {
			return h, 0, true
		}
		h.length = uint64(binary.BigEndian.Uint16(b[2:]))
		if h.length <= 125 {
			return h, 0, false
		}
		n = 4
	case 127:
		if len(b) < 10 {
			return h, 0, true
		}
		h.length = binary.BigEndian.Uint64(b[2:])
		if h.length > math.MaxInt64 || h.length <= math.MaxUint16 {
			return h, 0, false
		}
		n = 10
	default:
		h.length = uint64(l)
	}
	if h.masked {
		if len(b) < n+4 {
			return h, 0, true
		}
		h.key = binary.LittleEndian.Uint32(b[n:])
		n += 4
	}
	return h, n, true
}

// appendHeader appends a frame header: first is FIN, RSV1 and the
// opcode; a client passes masked and its key.
func appendHeader(dst []byte, first byte, length int, masked bool, key uint32) []byte {
	var m byte
	if masked {
		m = maskBit
	}
	switch {
	case length <= 125:
		dst = append(dst, first, m|byte(length))
	case length <= math.MaxUint16:
		dst = append(dst, first, m|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(length))
	default:
		dst = append(dst, first, m|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(length))
	}
	if masked {
		dst = binary.LittleEndian.AppendUint32(dst, key)
	}
	return dst
}
