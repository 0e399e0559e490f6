package interop

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helloworld builds examples/helloworld (through the replace directive,
// so from the working tree) and starts it on a port the kernel picks. It
// returns the URL it announced and a stop function that sends SIGINT and
// returns the exit error; the process is killed at cleanup if still
// running.
func helloworld(t *testing.T, loops string) (string, func() error) {
	t.Helper()
	bin := t.TempDir() + "/helloworld"
	build := exec.Command("go", "build", "-o", bin, "github.com/gornado/gornado/examples/helloworld")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build helloworld: %s", out)

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-loops", loops)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		exited <- cmd.Wait() // after stdout reached EOF, as Wait requires
	}()
	waitExit := func() error {
		select {
		case err := <-exited:
			exited <- err
			return err
		case <-time.After(hangGuard):
			cmd.Process.Kill()
			return <-exited
		}
	}
	t.Cleanup(func() {
		cmd.Process.Kill() // harmless if it has exited
		waitExit()
	})

	var line string
	select {
	case line = <-lines:
	case err := <-exited:
		exited <- err
		t.Fatalf("helloworld exited before serving: %v", err)
	case <-time.After(hangGuard):
		t.Fatal("helloworld did not announce its address (hang guard)")
	}
	url := regexp.MustCompile(`http://\S+/`).FindString(line)
	require.NotEmpty(t, url, "announcement: %q", line)
	stop := func() error {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			return err
		}
		return waitExit()
	}
	return url, stop
}

// abField returns the value after "Name:" in ab's report, or "" if the
// line is missing.
func abField(report, name string) string {
	for _, l := range strings.Split(report, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ApacheBench with keep-alive (HTTP/1.0 with Connection: Keep-Alive) and
// without, against the helloworld example on one and on two loops; the
// example then stops cleanly on SIGINT.
func TestApacheBenchHelloWorld(t *testing.T) {
	ab := needPeer(t, "ab")
	for _, loops := range []string{"1", "2"} {
		t.Run("loops="+loops, func(t *testing.T) {
			url, stop := helloworld(t, loops)

			r := mustRun(t, ab, "-k", "-n", "2000", "-c", "10", "-s", "60", url)
			assert.Equal(t, "0", abField(r.stdout, "Failed requests"), r.stdout)
			assert.Equal(t, "2000", abField(r.stdout, "Complete requests"), r.stdout)
			assert.Equal(t, "2000", abField(r.stdout, "Keep-Alive requests"), r.stdout)
			assert.Empty(t, abField(r.stdout, "Non-2xx responses"), r.stdout)
			assert.Equal(t, "13 bytes", abField(r.stdout, "Document Length"), r.stdout)
			assert.Equal(t, "26000 bytes", abField(r.stdout, "HTML transferred"), r.stdout)

			// No keep-alive: a connection per request, closed by the server.
			r = mustRun(t, ab, "-n", "500", "-c", "10", "-s", "60", url)
			assert.Equal(t, "0", abField(r.stdout, "Failed requests"), r.stdout)
			assert.Equal(t, "500", abField(r.stdout, "Complete requests"), r.stdout)
			assert.Contains(t, []string{"", "0"}, abField(r.stdout, "Keep-Alive requests"), r.stdout)
			assert.Empty(t, abField(r.stdout, "Non-2xx responses"), r.stdout)

			// A POST body through ab too (-p), kept alive.
			post := writeTemp(t, "post.txt", []byte(strings.Repeat("gornado ", 1000)))
			r = mustRun(t, ab, "-k", "-n", "300", "-c", "5", "-s", "60", "-p", post, "-T", "text/plain", url)
			assert.Equal(t, "0", abField(r.stdout, "Failed requests"), r.stdout)
			assert.Equal(t, "300", abField(r.stdout, "Keep-Alive requests"), r.stdout)
			assert.Equal(t, "300", abField(r.stdout, "Complete requests"), r.stdout)
			assert.Empty(t, abField(r.stdout, "Non-2xx responses"), r.stdout)

			err := stop()
			assert.NoError(t, err, "helloworld exits 0 after SIGINT")
		})
	}
}
