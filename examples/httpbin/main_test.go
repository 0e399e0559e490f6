package main

import (
	"context"
	"encoding/json"
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

// run serves until its context ends, after printing the URL it serves.
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{ch: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, "127.0.0.1:0") }()
	var url string
	select {
	case line := <-out.ch:
		url = regexp.MustCompile(`http://\S+/`).FindString(line)
		require.NotEmpty(t, url, "printed %q", line)
	case err := <-done:
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	resp, err := client.Get(url + "get?x=1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	assert.Equal(t, map[string]any{"x": []any{"1"}}, m["args"])

	cancel()
	require.NoError(t, <-done)
	_, err = client.Get(url + "get")
	assert.Error(t, err, "the listener is closed")
}

// run fails on an address it cannot listen on.
func TestRunBadAddress(t *testing.T) {
	err := run(context.Background(), io.Discard, "256.0.0.1:99999")
	assert.Error(t, err)
}

// The built program prints its URL and exits cleanly on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) {
	bin := t.TempDir() + "/httpbin"
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		buf := make([]byte, 256)
		n, err := stdout.Read(buf)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(buf[:n]), "Serving httpbin on http://127.0.0.1:"), "printed %q", buf[:n])
		require.NoError(t, cmd.Process.Signal(sig))
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			assert.NoError(t, err, "exit status 0 after %v", sig)
		case <-time.After(20 * time.Second): // a hang guard
			cmd.Process.Kill()
			t.Fatalf("httpbin did not stop on %v", sig)
		}
	}
}
