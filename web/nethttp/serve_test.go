package nethttp_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web/nethttp"
)

// serveWaitress runs nethttp.Serve until the end of the test and returns
// its address.
func serveWaitress(t *testing.T, h http.Handler, cfg nethttp.Config) net.Addr {
	t.Helper()
	looptest.CheckLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	cfg.Ready = func(addrs []net.Addr) { ready <- addrs[0] }
	done := make(chan error, 1)
	go func() { done <- nethttp.Serve(ctx, "127.0.0.1:0", h, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "Serve returns nil after a graceful shutdown")
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after its context ended")
		}
	})
	select {
	case a := <-ready:
		return a
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve never got ready")
	}
	return nil
}

func getBody(t *testing.T, c *http.Client, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func whoami() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		fmt.Fprintf(w, "%s %s tls=%v", r.URL.Path, host, r.TLS != nil)
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("oh no") })
	return mux
}

func TestServe(t *testing.T) {
	addr := serveWaitress(t, whoami(), nethttp.Config{
		Threads:          2,
		URLPrefix:        "/app",
		URLScheme:        "https",
		Ident:            "gornado-test",
		ExposeTracebacks: true,
		TrustedProxies:   []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	})
	c := &http.Client{Timeout: 10 * time.Second}
	base := "http://" + addr.String()
	resp, body := getBody(t, c, base+"/app/who", "X-Forwarded-For", "203.0.113.9")
	assert.Equal(t, "/who 203.0.113.9 tls=true", body, "prefix stripped, trusted proxy believed, scheme forced")
	assert.Equal(t, "gornado-test", resp.Header.Get("Server"))
	resp, _ = getBody(t, c, base+"/who")
	assert.Equal(t, 404, resp.StatusCode, "outside URLPrefix")
	resp, body = getBody(t, c, base+"/app/panic")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, body, "panic: oh no", "ExposeTracebacks")
}

func TestServeUntrustedProxyAndUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s.sock")
	serveWaitress(t, whoami(), nethttp.Config{
		UnixSocket:     sock,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
	})
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
	_, body := getBody(t, c, "http://unix/who", "X-Forwarded-For", "203.0.113.9")
	assert.Equal(t, "/who 0.0.0.0 tls=false", body, "a Unix-socket peer is 0.0.0.0, outside TrustedProxies")
	c.CloseIdleConnections()
}
