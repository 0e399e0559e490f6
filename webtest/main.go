package webtest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Program is a program's run function running for a test: an example's
// main, minus its flags and signals. Examples have the shape
//
//	func run(ctx context.Context, out io.Writer, addr string) error
//
// serving until ctx ends, with the URL they serve in the first line they
// print, so a test runs the very code `go run` does:
//
//	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
//		return run(ctx, out, "127.0.0.1:0")
//	})
//	resp, err := http.Get(p.URL + "/")
//	...
//	require.NoError(t, p.Stop()) // or let the test's end stop it
type Program struct {
	// Line is the first line the program printed, URL the http:// or
	// https:// URL in it, without a trailing slash.
	Line, URL string

	cancel  context.CancelFunc
	done    chan error
	stopped bool
	err     error
}

// urlRE finds the URL in a program's first line.
var urlRE = regexp.MustCompile(`https?://[^\s/]+`)

// RunMain calls run on a goroutine and returns once it has printed its
// first line; if run returns first, the test fails with its error. The
// program is stopped at the end of the test if Stop was not called, and
// its error then fails the test.
func RunMain(t testing.TB, run func(ctx context.Context, out io.Writer) error) *Program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &firstLine{ch: make(chan string, 1)}
	p := &Program{cancel: cancel, done: make(chan error, 1)}
	go func() { p.done <- run(ctx, out) }()
	select {
	case p.Line = <-out.ch:
	case err := <-p.done:
		cancel()
		t.Fatalf("the program returned before printing its URL: %v", err)
	case <-time.After(hangGuard):
		cancel()
		t.Fatal("the program printed nothing")
	}
	p.URL = urlRE.FindString(p.Line)
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("the program returned %v", err)
		}
	})
	return p
}

// Stop cancels the program's context and returns what run returned (an
// error if it did not return within the hang guard). It may be called
// more than once, from the test's goroutine.
func (p *Program) Stop() error {
	if !p.stopped {
		p.stopped = true
		p.cancel()
		select {
		case p.err = <-p.done:
		case <-time.After(hangGuard):
			p.err = errHung
		}
	}
	return p.err
}

// hangGuard bounds a wait for a program; it is not a timing assertion.
const hangGuard = 30 * time.Second

var errHung = errors.New("webtest: the program did not return after its context ended")

// firstLine passes on the first line written to it and drops the rest
// (every later write too), so a program never blocks on its output. Any
// goroutine may write to it.
type firstLine struct {
	ch   chan string
	mu   sync.Mutex
	buf  strings.Builder
	sent bool
}

func (f *firstLine) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.sent {
		f.buf.Write(p)
		if s := f.buf.String(); strings.Contains(s, "\n") {
			f.sent = true
			line, _, _ := strings.Cut(s, "\n")
			f.ch <- line + "\n"
		}
	}
	return len(p), nil
}

// CheckStopsOnSignals builds the main package in the test's directory
// (`go build .`), runs it with `-addr 127.0.0.1:0` and args, and checks,
// once for SIGINT and once for SIGTERM, that it prints the URL it serves
// (a line with http:// or https://) and exits with status 0 after the
// signal: what every example that serves promises.
func CheckStopsOnSignals(t *testing.T, args ...string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "main")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			cmd.Stderr = os.Stderr
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			go func() {
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				if urlRE.FindString(line) == "" {
					cmd.Process.Kill()
					t.Errorf("the first line has no URL: %q", line)
				} else {
					cmd.Process.Signal(sig)
				}
				io.Copy(io.Discard, stdout)
				exited <- cmd.Wait()
			}()
			select {
			case err := <-exited:
				assert.NoError(t, err, "exit status 0 after %v", sig)
			case <-time.After(hangGuard):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("the program did not stop on %v", sig)
			}
		})
	}
}
