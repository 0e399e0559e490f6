package locale

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// parseMO reads a gettext .mo file: a header of 32-bit words in the
// writer's byte order (told by the magic number) giving the number of
// strings N and the offsets of two tables of N (length, offset) pairs,
// the msgids and their translations. A msgid with a plural is
// "singular\x00plural" and its translation the forms joined by NULs; a
// msgid with a context is "context\x04msgid".
func parseMO(file string, data []byte) (*catalog, error) {
	bad := func(format string, args ...any) error {
		return &FormatError{File: file, Msg: fmt.Sprintf(format, args...)}
	}
	if len(data) < 20 {
		return nil, bad("too short for a .mo file (%d bytes)", len(data))
	}
	var order binary.ByteOrder
	switch {
	case binary.LittleEndian.Uint32(data) == 0x950412de:
		order = binary.LittleEndian
	case binary.BigEndian.Uint32(data) == 0x950412de:
		order = binary.BigEndian
	default:
		return nil, bad("not a .mo file (magic number %#x)", binary.LittleEndian.Uint32(data))
	}
	word := func(off uint64) uint64 { return uint64(order.Uint32(data[off:])) }
	if major := word(4) >> 16; major > 1 {
		return nil, bad("unknown .mo revision %d", major)
	}
	n, origs, trans := word(8), word(12), word(16)
	size := uint64(len(data))
	if origs+8*n > size || trans+8*n > size {
		return nil, bad("string tables past the end of the file")
	}
	str := func(table, i uint64) (string, error) {
		length, off := word(table+8*i), word(table+8*i+4)
		if off+length > size {
			return "", bad("string %d past the end of the file", i)
		}
		return string(data[off : off+length]), nil
	}
	msgs := make(map[string][]string, n)
	for i := range n {
		id, err := str(origs, i)
		if err != nil {
			return nil, err
		}
		tr, err := str(trans, i)
		if err != nil {
			return nil, err
		}
		id, _, _ = strings.Cut(id, "\x00") // the plural is looked up by its singular
		msgs[id] = strings.Split(tr, "\x00")
	}
	return newCatalog(file, msgs)
}
