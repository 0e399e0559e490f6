package interop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/webtest"
)

// hangGuard bounds every peer process: a hung peer or server fails the
// test instead of wedging it. It is not a timing assertion.
const hangGuard = 90 * time.Second

// python is Debian's interpreter, the one python3-requests installs for;
// a pyenv python3 earlier on PATH would not have it.
const python = "/usr/bin/python3"

// serve runs a test server with cfg on a loop of its own goroutine
// (webtest.ServeHandler) and returns its base URL
// ("http://127.0.0.1:PORT"). The loop stops and closes at the end of the
// test; looptest checks that no goroutine or descriptor outlives it.
func serve(t *testing.T, cfg httpserver.Config) string {
	t.Helper()
	h := &testHandler{}
	s := webtest.ServeHandler(t, h, cfg)
	s.OnLoop(func() { h.loop, h.srv = s.Loop, s.Server }) // before any request
	return s.URL
}

// echo is what the test handler answers on most paths: the request as the
// server saw it, the request's number on the server and how many
// connections the server had open when it arrived. (The public API does not
// name a request's connection, so keep-alive is checked on the client's
// side: curl's num_connects, urllib3's pool, http.client's local port.)
type echo struct {
	Method     string              `json:"method"`
	Target     string              `json:"target"`
	Path       string              `json:"path"`
	Query      string              `json:"query"`
	Version    string              `json:"version"`
	Host       string              `json:"host"`
	RemoteIP   string              `json:"remote_ip"`
	Header     map[string][]string `json:"headers"`
	Trailer    map[string][]string `json:"trailers"`
	BodyLen    int64               `json:"body_len"`
	BodySHA256 string              `json:"body_sha256"`
	Body       string              `json:"body,omitempty"` // small UTF-8 bodies only
	Streamed   bool                `json:"streamed"`
	Chunks     int                 `json:"chunks"`
	Seq        int                 `json:"seq"`        // 1 for the server's first request
	OpenConns  int                 `json:"open_conns"` // Server.Connections() at the request
}

// testHandler serves the routes the interop tests use:
//
//	/hello              "Hello, world!" as text/plain
//	/status/CODE        an empty response with that status (304 gets an
//	                    ETag); ?body=1 makes the handler write a body anyway,
//	                    which the server must drop for 204 and 304
//	/big?size=N&chunk=M N bytes of pattern(N), flushed M at a time by a
//	                    coroutine that awaits each Flush (chunked on 1.1)
//	/stream...          like the echo, but the body is taken chunk by chunk
//	                    by the request's delegate instead of buffered
//	/reject...          answered 403 from the head alone, body unread
//	anything else       the echo, as JSON
//
// It is loop-only, like every handler. Each request's state lives in its
// delegate (testRequest).
type testHandler struct {
	loop *ioloop.IOLoop
	srv  *httpserver.Server
	seq  int
}

// testRequest is one request's delegate: it hashes a /stream body as it
// arrives, or collects any other, and serves the request at its end.
type testRequest struct {
	h  *testHandler
	w  *httpserver.Response
	r  *httpserver.Request
	rc *hashReceiver
}

func (h *testHandler) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	return &testRequest{h: h, w: w, r: r}
}

func (tr *testRequest) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	switch {
	case strings.HasPrefix(r.Path, "/stream"):
		tr.rc = &hashReceiver{h: sha256.New()}
	case strings.HasPrefix(r.Path, "/reject"):
		w.SetStatus(403)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("rejected from the head\n")
		w.Finish()
	}
	return nil
}

func (tr *testRequest) DataReceived(chunk []byte) error {
	if tr.rc != nil {
		return tr.rc.DataReceived(chunk)
	}
	tr.r.Body = append(tr.r.Body, chunk...)
	return nil
}

func (tr *testRequest) Finish()            { tr.h.serveRequest(tr.w, tr.r, tr.rc) }
func (tr *testRequest) OnConnectionClose() {}

// hashReceiver hashes a streamed body as it arrives.
type hashReceiver struct {
	h      hash.Hash
	n      int64
	chunks int
}

func (r *hashReceiver) DataReceived(chunk []byte) error {
	r.h.Write(chunk)
	r.n += int64(len(chunk))
	r.chunks++
	return nil
}

func (h *testHandler) serveRequest(w *httpserver.Response, r *httpserver.Request, rc *hashReceiver) {
	h.seq++
	q, _ := url.ParseQuery(r.Query)
	switch {
	case r.Path == "/hello":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("Hello, world!")
		w.Finish()
	case strings.HasPrefix(r.Path, "/status/"):
		code, err := strconv.Atoi(strings.TrimPrefix(r.Path, "/status/"))
		if err != nil || code < 200 || code > 599 {
			code = 400
		}
		w.SetStatus(code)
		if code == 304 {
			w.Header().Set("ETag", `"v1"`)
		}
		if q.Get("body") == "1" {
			w.WriteString("this body must not be sent\n")
		}
		w.Finish()
	case r.Path == "/big":
		size, _ := strconv.Atoi(q.Get("size"))
		chunk, _ := strconv.Atoi(q.Get("chunk"))
		if chunk <= 0 {
			chunk = 64 << 10
		}
		data := pattern(size)
		w.Header().Set("Content-Type", "application/octet-stream")
		gen.Go(h.loop, func(co *gen.Co) (struct{}, error) {
			for len(data) > 0 {
				n := min(chunk, len(data))
				w.Write(data[:n])
				data = data[n:]
				if _, err := gen.Await(co, w.Flush()); err != nil {
					w.Finish() // the client went away; Finish only tidies up
					return struct{}{}, err
				}
			}
			return struct{}{}, w.Finish()
		})
	default:
		e := echo{
			Method: r.Method, Target: r.Target, Path: r.Path, Query: r.Query,
			Version: r.Version, Host: r.Host, RemoteIP: r.RemoteIP,
			Header: map[string][]string{}, Trailer: map[string][]string{},
			Seq: h.seq, OpenConns: h.srv.Connections(),
		}
		for k, v := range r.Header.All() {
			k = strings.ToLower(k)
			e.Header[k] = append(e.Header[k], v)
		}
		for k, v := range r.Trailer.All() {
			k = strings.ToLower(k)
			e.Trailer[k] = append(e.Trailer[k], v)
		}
		if rc != nil {
			e.Streamed, e.Chunks = true, rc.chunks
			e.BodyLen, e.BodySHA256 = rc.n, hex.EncodeToString(rc.h.Sum(nil))
		} else {
			sum := sha256.Sum256(r.Body)
			e.BodyLen, e.BodySHA256 = int64(len(r.Body)), hex.EncodeToString(sum[:])
			if len(r.Body) <= 64<<10 && utf8.Valid(r.Body) {
				e.Body = string(r.Body)
			}
		}
		b, _ := json.Marshal(e)
		w.Header().Set("Content-Type", "application/json")
		w.Write(append(b, '\n'))
		w.Finish()
	}
}

// pattern returns n deterministic pseudo-random bytes (the same for the
// same n), so a test can hash what the server should have sent.
func pattern(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{'g', 'o', 'r', 'n', 'a', 'd', 'o'}).Read(b)
	return b
}

// compressible returns n deterministic bytes of text that gzip shrinks
// several times but not to nothing.
func compressible(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"tornado", "gornado", "loop", "future", "coroutine", "stream", "chunk", "header", "\n"}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteByte(' ')
	}
	return b.Bytes()[:n]
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// writeTemp writes data to a file in the test's temporary directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// needPeer returns the path of a peer program, or fails the test telling
// how to install it: a missing peer is a broken setup, not a skip.
func needPeer(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("interop peer %q is missing (%v): run interop/run.sh, which installs the peers", name, err)
	}
	return p
}

// needPythonModule checks Debian's python3 has module mod.
func needPythonModule(t *testing.T, mod string) {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("%s is missing: run interop/run.sh, which installs the peers", python)
	}
	if out, err := exec.Command(python, "-c", "import "+mod).CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import %s (%v: %s): run interop/run.sh, which installs the peers", python, mod, err, out)
	}
}

// result is what a peer process did.
type result struct {
	stdout, stderr string
	err            error // nil, or how the process failed (exit status, hang guard)
}

// runPeer runs a peer to completion under the hang guard and returns its
// output; the process is killed if the guard fires or the test ends.
func runPeer(t *testing.T, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s hung: killed after %v (hang guard): %w", name, hangGuard, err)
	}
	return result{stdout.String(), stderr.String(), err}
}

// mustRun is runPeer that fails the test unless the peer exits 0.
func mustRun(t *testing.T, name string, args ...string) result {
	t.Helper()
	r := runPeer(t, name, args...)
	if r.err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), r.err, clip(r.stdout), clip(r.stderr))
	}
	return r
}

// clip shortens long peer output for a failure message.
func clip(s string) string {
	const max = 8 << 10
	if len(s) <= max {
		return s
	}
	return s[:max/2] + "\n...[clipped]...\n" + s[len(s)-max/2:]
}

// decodeEcho parses one echo response body.
func decodeEcho(t *testing.T, body string) echo {
	t.Helper()
	var e echo
	dec := json.NewDecoder(strings.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("not an echo (%v): %q", err, clip(body))
	}
	return e
}

// exitCode returns the exit status in err, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// lockedBuffer collects a peer process's output (written by os/exec's
// goroutine) for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
