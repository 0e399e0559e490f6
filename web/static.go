package web

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
)

// StaticCacheMaxAge is how long a client may cache a static file requested
// with a ?v= version argument (see Application.StaticURL): one year, the
// longest RFC 2616 allowed for Expires. (Tornado's CACHE_MAX_AGE is ten.)
const StaticCacheMaxAge = 365 * 24 * time.Hour

// staticChunkSize is how much of a file is read and sent at a time.
const staticChunkSize = 64 << 10

// StaticFiles configures a StaticFileHandler: where the files are and how
// to serve them. Its zero value is not useful; set Dir or FS.
//
//	web.Route{Pattern: `/docs/(.*)`, Handler: web.StaticFiles{Dir: "docs", DefaultFilename: "index.html"}.Handler()}
//
// The route's first group is the path of the file inside the tree.
type StaticFiles struct {
	// Dir is the directory served. Files are opened through an os.Root,
	// so nothing outside Dir can be reached, by ".." or by symlink.
	Dir string
	// FS, if set, is served instead of Dir (an embed.FS, an
	// fstest.MapFS...); what its Open reaches is up to it. For a
	// directory on disk prefer Dir (or os.Root.FS): os.DirFS follows
	// symlinks out of its directory.
	FS fs.FS
	// DefaultFilename is served for a directory ("index.html"), whose URL
	// must end in a slash (a request without one is redirected to it,
	// 301). If empty, directories are answered 403: no listing is served.
	DefaultFilename string
	// ExtraHeaders, if set, runs before a file's headers go out, to add
	// or change headers (Tornado's set_extra_headers); name is the file's
	// path inside the tree.
	ExtraHeaders func(h *StaticFileHandler, name string)
}

// Handler returns the Route.Handler factory serving the tree. The
// factories handlers share the tree's hash cache (used for ETags).
func (c StaticFiles) Handler() func() Handler { return c.files().handler }

func (c StaticFiles) files() *staticFiles {
	return &staticFiles{dir: c.Dir, fsys: c.FS, opts: c}
}

func (s *staticFiles) handler() Handler { return &StaticFileHandler{files: s} }

// NewStaticFileHandler returns a Route.Handler factory serving the
// directory dir, with defaultFilename for directories (or "" for none):
// StaticFiles{Dir: dir, DefaultFilename: defaultFilename}.Handler().
func NewStaticFileHandler(dir, defaultFilename string) func() Handler {
	return StaticFiles{Dir: dir, DefaultFilename: defaultFilename}.Handler()
}

// NewStaticFSHandler is NewStaticFileHandler for an fs.FS.
func NewStaticFSHandler(fsys fs.FS, defaultFilename string) func() Handler {
	return StaticFiles{FS: fsys, DefaultFilename: defaultFilename}.Handler()
}

// StaticFileHandler serves files from a directory or fs.FS, Tornado's
// StaticFileHandler. The first group of its route is the file's path in
// the tree. Build it with StaticFiles.Handler (or NewStaticFileHandler);
// an Application with Config.StaticPath or StaticFS has one already,
// under StaticURLPrefix and for /favicon.ico and /robots.txt.
//
// It answers GET and HEAD (other methods get 405) with:
//   - Content-Type from the file's extension (Go's mime table, whose text
//     types carry charset=utf-8; application/gzip for .gz and
//     application/octet-stream for other compressed or unknown files);
//   - an ETag (a hash of the content, cached while the file keeps its
//     size and modification time) and Last-Modified, and 304 Not Modified
//     when If-None-Match matches or, without it, If-Modified-Since is not
//     older than the file;
//   - a single byte Range as 206 Partial Content with Content-Range (an
//     unsatisfiable one as 416 with Content-Range: bytes */size; several
//     ranges, a malformed one, or one whose If-Range does not match, as the
//     whole file with 200);
//   - Cache-Control: max-age and Expires one year ahead
//     (StaticCacheMaxAge) when the URL carries ?v=, as StaticURL makes;
//   - 404 for a missing file, 403 for a path outside the tree (".." above
//     it, encoded or not, an absolute path, a backslash or NUL, a symlink
//     leading out) and for what is not a regular file.
//
// The body is read and sent 64 KiB at a time with Content-Length, each
// chunk awaiting the previous one's Flush, so a large file costs no more
// memory than a chunk and goes no faster than the client reads. Reading a
// local file blocks the loop for the time of the read, as in Tornado.
type StaticFileHandler struct {
	RequestHandler
	files *staticFiles
	name  string
}

// Name returns the path inside the tree of the file being served, once it
// is found (for ExtraHeaders).
func (h *StaticFileHandler) Name() string { return h.name }

// Get serves the file named by the route's first group; a HEAD request
// gets the same headers without the body.
func (h *StaticFileHandler) Get(co *gen.Co) error {
	var p string
	if len(h.PathArgs) > 0 {
		p = h.PathArgs[0]
	}
	f, fi, name, err := h.resolve(p)
	if err != nil || f == nil {
		return err
	}
	defer f.Close()
	h.name = name
	size := fi.Size()
	sum, err := h.files.contentHash(name, fi, true)
	if err != nil {
		return err
	}
	etag := `"` + sum[:32] + `"`
	modified := fi.ModTime().Truncate(time.Second)
	h.setStaticHeaders(name, etag, modified)

	if h.notModified(etag, modified) {
		h.SetStatus(http.StatusNotModified)
		return nil
	}
	start, end := int64(0), size
	if rs, re, ok := parseRange(h.Request.Header.Get("Range")); ok && h.ifRangeMatches(etag, modified) {
		var satisfiable bool
		start, end, satisfiable = rangeBounds(rs, re, size)
		if !satisfiable {
			h.SetStatus(http.StatusRequestedRangeNotSatisfiable)
			h.SetHeader("Content-Type", "text/plain")
			h.SetHeader("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
			return nil
		}
		if end-start != size {
			h.SetStatus(http.StatusPartialContent)
			h.SetHeader("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+
				strconv.FormatInt(end-1, 10)+"/"+strconv.FormatInt(size, 10))
		}
	}
	h.SetHeader("Content-Length", strconv.FormatInt(end-start, 10))
	if h.Request.Method == "HEAD" {
		return nil
	}
	return h.sendRange(co, f, start, end-start)
}

// setStaticHeaders sets the headers every answer about the file carries,
// Tornado's set_headers.
func (h *StaticFileHandler) setStaticHeaders(name, etag string, modified time.Time) {
	h.SetHeader("Accept-Ranges", "bytes")
	h.SetHeader("Etag", etag)
	if !modified.IsZero() {
		h.SetHeader("Last-Modified", httputil.FormatDate(modified))
	}
	h.SetHeader("Content-Type", staticContentType(name))
	if h.Request.QueryArguments().Has("v") {
		h.SetHeader("Expires", httputil.FormatDate(h.loop.Time().Add(StaticCacheMaxAge)))
		h.SetHeader("Cache-Control", "max-age="+strconv.Itoa(int(StaticCacheMaxAge/time.Second)))
	}
	if x := h.files.opts.ExtraHeaders; x != nil {
		x(h, name)
	}
}

// notModified reports whether the client's copy is current: If-None-Match
// names the ETag or, only when there is no If-None-Match, If-Modified-Since
// is not before the modification time (Tornado's should_return_304).
func (h *StaticFileHandler) notModified(etag string, modified time.Time) bool {
	if inm := h.Request.Header.Get("If-None-Match"); inm != "" {
		return etagMatches(inm, etag)
	}
	if ims := h.Request.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		if t, err := httputil.ParseDate(ims); err == nil && !t.Before(modified) {
			return true
		}
	}
	return false
}

// ifRangeMatches reports whether a Range may be honoured: there is no
// If-Range, or it names the current ETag (strongly) or Last-Modified date
// exactly (RFC 9110 §13.1.5). Otherwise the whole file is sent.
func (h *StaticFileHandler) ifRangeMatches(etag string, modified time.Time) bool {
	ir := h.Request.Header.Get("If-Range")
	if ir == "" {
		return true
	}
	if strings.HasPrefix(ir, `"`) || strings.HasPrefix(ir, "W/") {
		return ir == etag
	}
	t, err := httputil.ParseDate(ir)
	return err == nil && !modified.IsZero() && t.Equal(modified)
}

// sendRange sends n bytes of f from offset start: one piece for Finish
// when it fits a chunk, else chunk by chunk, each Flush awaited. If the
// client goes away the handler stops quietly, as Tornado's does on
// StreamClosedError.
func (h *StaticFileHandler) sendRange(co *gen.Co, f fs.File, start, n int64) error {
	if start > 0 {
		if err := seek(f, start); err != nil {
			return err
		}
	}
	var buf []byte
	for n > 0 {
		if buf == nil {
			buf = make([]byte, min(n, staticChunkSize))
		}
		m, err := io.ReadFull(f, buf[:min(n, int64(len(buf)))])
		if err != nil {
			// The file shrank under us; the Content-Length already
			// promised cannot be kept, so the connection is cut short.
			return err
		}
		n -= int64(m)
		h.Write(buf[:m])
		if n == 0 {
			break // Finish sends the last piece
		}
		if _, err := gen.Await(co, h.Flush()); err != nil {
			return nil
		}
	}
	return nil
}

// seek moves f to offset: by Seek if it can, else by reading.
func seek(f fs.File, offset int64) error {
	if s, ok := f.(io.Seeker); ok {
		_, err := s.Seek(offset, io.SeekStart)
		return err
	}
	_, err := io.CopyN(io.Discard, f, offset)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}
