package main

import (
	"context"
	"io"
	"net/http"
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

// syncBuffer collects output written by another goroutine.
type syncBuffer struct{ ch chan string }

func (b *syncBuffer) Write(p []byte) (int, error) { b.ch <- string(p); return len(p), nil }

func TestHelloWorldServesOnTwoLoops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{ch: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, "127.0.0.1:0", 2) }()
	var url string
	select {
	case line := <-out.ch:
		url = regexp.MustCompile(`http://\S+/`).FindString(line)
		assert.Contains(t, line, "2 loop(s)")
	case err := <-done:
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 20 { // new connections, spread by the kernel over both loops
		resp, err := client.Get(url)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "Hello, world!", string(body))
	}
	cancel()
	require.NoError(t, <-done)
}

// The built program prints its URL and exits cleanly on SIGINT.
func TestHelloWorldStopsOnSIGINT(t *testing.T) {
	bin := t.TempDir() + "/helloworld"
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	buf := make([]byte, 256)
	n, err := stdout.Read(buf)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(buf[:n]), "Serving on http://127.0.0.1:"))
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		assert.NoError(t, err, "exit status 0 after SIGINT")
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("helloworld did not stop on SIGINT")
	}
}
