package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"regexp"
	"sync"
	"time"
)

// staticVersionLen is how many hex digits of a file's content hash go in
// the ?v= of a static URL, as Tornado's five.
const staticVersionLen = 5

// hashes caches the content hash of static files by name. An entry is
// good for ETags while the file keeps its size and modification time (in
// Debug mode too: an edit changes both or at least the time); StaticURL
// trusts it for the life of the application (Tornado's
// static_hash_cache), except in Debug mode, where it hashes every time.
type hashes struct {
	mu sync.Mutex
	m  map[string]fileHash
}

type fileHash struct {
	size int64
	mod  time.Time
	sum  string // hex
}

func (c *hashes) load(name string) (fileHash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[name]
	return e, ok
}

func (c *hashes) store(name string, e fileHash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]fileHash)
	}
	c.m[name] = e
}

// contentHash returns the hex SHA-256 of the file name, whose stat is fi,
// from the cache when allowed and still valid. It reads the whole file on
// the calling goroutine (the loop, for a request: Tornado does the same);
// the lock is not held while reading, so other loops are not held up.
func (s *staticFiles) contentHash(name string, fi fs.FileInfo, cache bool) (string, error) {
	if cache {
		if e, ok := s.load(name); ok && e.size == fi.Size() && e.mod.Equal(fi.ModTime()) {
			return e.sum, nil
		}
	}
	f, fi2, err := s.open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	e := fileHash{size: fi2.Size(), mod: fi2.ModTime(), sum: hex.EncodeToString(sum.Sum(nil))}
	if cache {
		s.store(name, e)
	}
	return e.sum, nil
}

// staticState is the application's own static tree, from
// Config.StaticPath or StaticFS, shared by its static routes and
// StaticURL.
type staticState struct {
	files *staticFiles
}

// staticRoutes returns Tornado's static routes when the settings name a
// static tree: StaticURLPrefix followed by the file's path, and
// /favicon.ico and /robots.txt from the tree's top.
func (a *Application) staticRoutes() []Route {
	s := &a.settings
	if s.StaticPath == "" && s.StaticFS == nil {
		return nil
	}
	a.static.files = StaticFiles{Dir: s.StaticPath, FS: s.StaticFS}.files()
	h := a.static.files.handler
	return []Route{
		{Pattern: regexp.QuoteMeta(s.StaticURLPrefix) + "(.*)", Handler: h},
		{Pattern: `/(favicon\.ico)`, Handler: h},
		{Pattern: `/(robots\.txt)`, Handler: h},
	}
}

// ErrNoStaticPath is returned by StaticURL when neither
// Config.StaticPath nor Config.StaticFS is set.
var ErrNoStaticPath = errors.New("web: static_url needs Config.StaticPath or Config.StaticFS")

// StaticURL returns the URL of the static file p (a path relative to the
// static tree, such as "css/site.css"): StaticURLPrefix, p, and "?v="
// with the first hex digits of a hash of the file's content, so that the
// URL changes when the file does and browsers may cache it for long
// (StaticFileHandler answers ?v= requests with a one-year Cache-Control).
// Templates call it as static_url.
//
// The hash is computed on first use by reading the file, then cached for
// the life of the application; in Debug mode it is computed on every call,
// so edits show at once. A file that cannot be read gets a URL without a
// version, and the error is logged, as Tornado does. The error returned is
// ErrNoStaticPath, or a *HTTPError (403) for a path outside the tree.
//
// Safe to call from any goroutine.
func (a *Application) StaticURL(p string) (string, error) {
	s := a.static.files
	if s == nil {
		return "", ErrNoStaticPath
	}
	name, _, err := staticName(p)
	if err != nil {
		return "", err
	}
	url := a.settings.StaticURLPrefix + p
	var sum string
	if e, ok := s.load(name); ok && !a.settings.Debug {
		sum = e.sum
	} else {
		sum, err = a.staticVersion(s, name)
		if err != nil {
			a.logger.Error("web: could not open static file", "path", p, "error", err)
			return url, nil
		}
	}
	return url + "?v=" + sum[:staticVersionLen], nil
}

func (a *Application) staticVersion(s *staticFiles, name string) (string, error) {
	f, fi, err := s.open(name)
	if err != nil {
		return "", err
	}
	f.Close()
	if !fi.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	return s.contentHash(name, fi, !a.settings.Debug)
}
