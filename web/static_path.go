package web

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"syscall"
)

// staticFiles is a tree of static files, a directory or an fs.FS, shared
// by every handler a StaticFiles.Handler factory makes and by
// Application.StaticURL. Its hash cache is locked: handlers on several
// loops use it at once.
type staticFiles struct {
	dir  string
	fsys fs.FS
	opts StaticFiles
	hashes
}

// staticName checks a URL path (relative to the static root, already
// percent-decoded) and returns the slash-separated name to open ("." for
// the root) and whether the path asked for a directory (a trailing
// slash). A path that reaches outside the root, lexically, is refused
// with 403 as Tornado's "is not in root static directory": an absolute
// path, a ".." above the root, a backslash (a separator on Windows) or a
// NUL. Symlinks are left to open, which refuses those that escape.
func staticName(p string) (name string, wantDir bool, err error) {
	if p == "" {
		return ".", true, nil
	}
	if strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false, &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is not in root static directory", p)}
	}
	depth := 0
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return "", false, &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is not in root static directory", p)}
			}
		default:
			depth++
		}
	}
	name = path.Clean(p)
	if !fs.ValidPath(name) {
		return "", false, &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is not in root static directory", p)}
	}
	return name, strings.HasSuffix(p, "/"), nil
}

// open opens name (from staticName) and stats it. A directory on disk is
// opened through an os.Root, so no symlink leads outside it; with
// O_NONBLOCK, so a FIFO planted in the tree cannot block the loop in
// open(2). Errors are *HTTPError: 404 for what does not exist, 403 for
// the rest (a path escaping the root, no permission).
func (s *staticFiles) open(name string) (fs.File, fs.FileInfo, error) {
	var f fs.File
	var err error
	if s.fsys != nil {
		f, err = s.fsys.Open(name)
	} else {
		var root *os.Root
		if root, err = os.OpenRoot(s.dir); err == nil {
			f, err = root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
			root.Close()
		}
	}
	if err != nil {
		return nil, nil, openError(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, openError(name, err)
	}
	return f, fi, nil
}

// openError maps an error opening a static file to the status Tornado
// answers with.
func openError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return &HTTPError{Code: http.StatusNotFound}
	}
	return &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is not in root static directory: %v", name, err)}
}

// resolve opens what the URL path p names: the file itself, or a
// directory's DefaultFilename. It returns (nil, nil, "", nil) when it has
// answered itself with a redirect (a directory without its trailing
// slash, as Tornado adds it).
func (h *StaticFileHandler) resolve(p string) (fs.File, fs.FileInfo, string, error) {
	s := h.files
	name, wantDir, err := staticName(p)
	if err != nil {
		return nil, nil, "", err
	}
	f, fi, err := s.open(name)
	if err != nil {
		return nil, nil, "", err
	}
	if fi.IsDir() {
		if s.opts.DefaultFilename == "" {
			f.Close()
			return nil, nil, "", &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is a directory", p)}
		}
		f.Close()
		if !strings.HasSuffix(h.Request.Path, "/") {
			if strings.HasPrefix(h.Request.Path, "//") {
				// "//host/" would be a protocol-relative redirect.
				return nil, nil, "", &HTTPError{Code: http.StatusForbidden, Message: "cannot redirect path with two initial slashes"}
			}
			return nil, nil, "", h.Redirect(h.Request.Path+"/", true)
		}
		name = path.Join(name, s.opts.DefaultFilename)
		wantDir = false
		if f, fi, err = s.open(name); err != nil {
			return nil, nil, "", err
		}
	}
	if !fi.Mode().IsRegular() || wantDir {
		f.Close()
		if wantDir {
			return nil, nil, "", &HTTPError{Code: http.StatusNotFound}
		}
		return nil, nil, "", &HTTPError{Code: http.StatusForbidden, Message: fmt.Sprintf("%q is not a file", p)}
	}
	return f, fi, name, nil
}
