package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
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

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestBothModes(t *testing.T) {
	for _, mode := range []string{"waitress", "mounted"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			out := &syncBuffer{ch: make(chan string, 1)}
			done := make(chan error, 1)
			go func() { done <- run(ctx, out, "127.0.0.1:0", 2, mode) }()
			var base string
			select {
			case line := <-out.ch:
				base = strings.TrimSuffix(regexp.MustCompile(`http://\S+/`).FindString(line), "/")
			case err := <-done:
				t.Fatal(err)
			}
			assert.Equal(t, "Hello from net/http, served by Gornado\n", get(t, base+"/"))
			assert.Len(t, get(t, base+"/bytes/100000"), 100000)
			assert.Equal(t, "slept 1 ms on a worker\n", get(t, base+"/sleep/1"))

			var form bytes.Buffer
			mw := multipart.NewWriter(&form)
			mw.WriteField("title", "notes")
			fw, _ := mw.CreateFormFile("file", "a.txt")
			fw.Write(bytes.Repeat([]byte("x"), 3000))
			mw.Close()
			resp, err := http.Post(base+"/upload", mw.FormDataContentType(), &form)
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, "title=\"notes\"\nfile \"a.txt\": 3000 bytes\n", string(b))

			if mode == "mounted" {
				assert.Equal(t, "waited 1 ms on the loop\n", get(t, base+"/async/1"))
			}
			http.DefaultClient.CloseIdleConnections()
			cancel()
			require.NoError(t, <-done)
		})
	}
}

// The built program prints its URL and exits cleanly on SIGINT.
func TestStopsOnSIGINT(t *testing.T) {
	bin := t.TempDir() + "/nethttp"
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
	assert.Contains(t, string(buf[:n]), "Serving on http://127.0.0.1:")
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "a clean exit")
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("did not stop on SIGINT")
	}
}
