package web

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"
)

// gzipMinLength is the smallest body worth compressing when the whole
// body is known at Finish (Tornado's GZipContentEncoding.MIN_LENGTH).
const gzipMinLength = 1024

// compressibleTypes are the non-text types worth compressing, as Tornado's.
var compressibleTypes = map[string]bool{
	"application/javascript":   true,
	"application/x-javascript": true,
	"application/xml":          true,
	"application/atom+xml":     true,
	"application/json":         true,
	"application/xhtml+xml":    true,
	"image/svg+xml":            true,
}

func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	return strings.HasPrefix(ct, "text/") || compressibleTypes[ct]
}

// gzipState compresses one streamed or finished response.
type gzipState struct {
	buf bytes.Buffer
	w   *gzip.Writer
}

var gzipPool = sync.Pool{New: func() any {
	g := &gzipState{}
	g.w = gzip.NewWriter(&g.buf)
	return g
}}

func (g *gzipState) release() {
	g.buf.Reset()
	g.w.Reset(&g.buf)
	gzipPool.Put(g)
}

// startTransforms decides, as the headers are about to go out, whether
// the body is compressed (Config.Compress): the client accepts gzip, the
// type is compressible, nothing encoded it already, it is not a part
// (Content-Range counts unencoded bytes), and a body finished
// in one piece is long enough. Vary: Accept-Encoding goes on every
// response, compressed or not, so caches keep the two apart.
func (h *RequestHandler) startTransforms(finishing bool) {
	if !h.Application.settings.Compress {
		return
	}
	hd := h.out.Header()
	if v := hd.Get("Vary"); v == "" {
		hd.Set("Vary", "Accept-Encoding")
	} else if !strings.Contains(strings.ToLower(v), "accept-encoding") {
		hd.Set("Vary", v+", Accept-Encoding")
	}
	if !acceptsGzip(h.Request.Header.Get("Accept-Encoding")) ||
		!compressible(hd.Get("Content-Type")) || hd.Has("Content-Encoding") || hd.Has("Content-Range") ||
		h.status == 204 || h.status == 304 || (finishing && len(h.buf) < gzipMinLength) {
		return
	}
	hd.Set("Content-Encoding", "gzip")
	hd.Del("Content-Length")
	h.gz = gzipPool.Get().(*gzipState)
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip (and
// does not refuse it with q=0).
func acceptsGzip(ae string) bool {
	for ae != "" {
		var part string
		part, ae, _ = strings.Cut(ae, ",")
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		p := strings.ReplaceAll(params, " ", "")
		return !(strings.HasPrefix(p, "q=0") && strings.Trim(p[2:], "0.") == "")
	}
	return false
}

// transform returns chunk as it goes on the wire: compressed, with the
// stream flushed (or closed when finishing) so the client can decode what
// it has.
func (h *RequestHandler) transform(chunk []byte, finishing bool) []byte {
	g := h.gz
	if g == nil {
		return chunk
	}
	g.buf.Reset()
	g.w.Write(chunk)
	if finishing {
		g.w.Close()
	} else {
		g.w.Flush()
	}
	return g.buf.Bytes()
}
