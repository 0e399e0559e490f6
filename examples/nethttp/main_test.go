package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"
)

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
			p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
				return run(ctx, out, "127.0.0.1:0", 2, mode)
			})
			base := p.URL
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
			require.NoError(t, p.Stop())
		})
	}
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
