package interop

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
)

// nginxConf is the configuration README.md shows for running several
// Gornado processes behind nginx, with the paths a test needs.
const nginxConf = `
worker_processes 1;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;

    upstream gornado {
        server %[2]s;
        server %[3]s;
        keepalive 16;
    }
    server {
        listen %[4]s;
        location / {
            proxy_pass http://gornado;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}
`

// Two Gornado servers behind nginx on loopback: nginx spreads requests
// over both, reuses its upstream connections, and the backends see the
// client's address through X-Forwarded-For from a trusted proxy.
func TestNginxInFrontOfTwoServers(t *testing.T) {
	nginx := needPeer(t, "nginx")
	cfg := httpserver.Config{XHeaders: true, TrustedDownstream: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	a := strings.TrimPrefix(serve(t, cfg), "http://")
	b := strings.TrimPrefix(serve(t, cfg), "http://")
	front := freeAddr(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(nginxConf, dir, a, b, front)), 0o644))
	cmd := exec.Command(nginx, "-c", conf, "-p", dir)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	waitListening(t, front)

	client := &http.Client{Timeout: 10 * time.Second}
	seqs := map[int]int{}
	for i := range 20 {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/echo?i=%d", front, i), nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		resp, err := client.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode, string(body))
		e := decodeEcho(t, string(body))
		assert.Equal(t, "203.0.113.7", e.RemoteIP, "the client's address, past the trusted proxy")
		assert.Equal(t, fmt.Sprintf("i=%d", i), e.Query)
		seqs[e.Seq]++
	}
	// Round robin over two backends: each server counts its own requests,
	// so the same request numbers come back twice.
	assert.Equal(t, 2, seqs[1], "both backends served: %v", seqs)
}

// freeAddr returns a loopback address nothing listens on (a moment ago).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return addr
}

// waitListening waits (bounded) until addr accepts connections.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}
