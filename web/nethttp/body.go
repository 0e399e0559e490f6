package nethttp

import (
	"bytes"
	"io"
	"os"
)

// requestBody is a request body as it arrives: in memory up to
// Config.InbufOverflow, then in a temporary file (Waitress's
// inbuf_overflow), read back by the handler from a worker. Loop-only while
// it fills; the worker's once the request is handed over.
type requestBody struct {
	c    *Container
	mem  []byte
	file *os.File
	size int64
	err  error
}

// write takes a chunk of the body. Loop-only.
func (b *requestBody) write(p []byte) error {
	if b.err != nil {
		return b.err
	}
	if b.file == nil && int64(len(b.mem)+len(p)) > b.c.inOverflow {
		f, err := os.CreateTemp(b.c.cfg.TempDir, "gornado-inbuf-*")
		if err != nil {
			b.err = err
			return err
		}
		os.Remove(f.Name())
		b.file = f
		b.c.inSpills.Add(1)
	}
	if b.file != nil {
		if _, err := b.file.Write(p); err != nil {
			b.err = err
			return err
		}
	} else {
		b.mem = append(b.mem, p...)
	}
	b.size += int64(len(p))
	return nil
}

// reader returns the whole body to read from the start.
func (b *requestBody) reader() io.Reader {
	if b.file == nil {
		return bytes.NewReader(b.mem)
	}
	return io.MultiReader(bytes.NewReader(b.mem), io.NewSectionReader(b.file, 0, b.size-int64(len(b.mem))))
}

// close removes what the body holds. Loop-only, once the handler is done.
func (b *requestBody) close() {
	if b != nil && b.file != nil {
		b.file.Close()
		b.file = nil
	}
}
