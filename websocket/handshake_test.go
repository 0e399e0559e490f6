package websocket_test

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
	"github.com/gornado/gornado/webtest"
)

func TestUpgradeRefusals(t *testing.T) {
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{}, nil)
	runServer(t, loop)
	good := "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	for _, c := range []struct {
		name, method, version, headers string
		status                         int
		header, value                  string
	}{
		{"a handshake", "GET", "1.1", good, 101, "Sec-Websocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
		{"same origin", "GET", "1.1", good + "Origin: http://" + sv.addr + "\r\n", 101, "Upgrade", "websocket"},
		{"POST", "POST", "1.1", good + "Content-Length: 0\r\n", 405, "Allow", "GET"},
		{"HTTP/1.0", "GET", "1.0", good, 400, "", ""},
		{"no Upgrade", "GET", "1.1", strings.Replace(good, "Upgrade: websocket\r\n", "", 1), 400, "", ""},
		{"Upgrade to another protocol", "GET", "1.1", strings.Replace(good, "websocket", "h2c", 1), 400, "", ""},
		{"Connection without upgrade", "GET", "1.1", strings.Replace(good, "keep-alive, Upgrade", "keep-alive", 1), 400, "", ""},
		{"version 12", "GET", "1.1", strings.Replace(good, "Version: 13", "Version: 12", 1), 426, "Sec-Websocket-Version", "7, 8, 13"},
		{"no version", "GET", "1.1", strings.Replace(good, "Sec-WebSocket-Version: 13\r\n", "", 1), 426, "", ""},
		{"short key", "GET", "1.1", strings.Replace(good, "dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=", 1), 400, "", ""},
		{"cross origin", "GET", "1.1", good + "Origin: http://evil.example\r\n", 403, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", sv.addr)
			require.NoError(t, err)
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(conn, "%s /ws HTTP/%s\r\nHost: %s\r\n%s\r\n", c.method, c.version, sv.addr, c.headers)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			assert.Equal(t, c.status, resp.StatusCode)
			if c.header != "" {
				assert.Equal(t, c.value, resp.Header.Get(c.header))
			}
			if c.status != 101 {
				body, _ := io.ReadAll(resp.Body)
				assert.NotEmpty(t, body, "the caller wrote the error")
			}
		})
	}
}

func TestCheckOrigin(t *testing.T) {
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{CheckOrigin: func(origin string, r *httpserver.Request) bool {
		return strings.HasSuffix(origin, ".example")
	}}, nil)
	runServer(t, loop)
	assert.Equal(t, 101, dialRaw(t, sv.addr, "Origin: https://app.example\r\n").resp.StatusCode)
	assert.Equal(t, 403, dialRaw(t, sv.addr, "Origin: http://"+sv.addr+"\r\n").resp.StatusCode)
}

// rawHTTP serves each connection with fn on a goroutine: a server that
// answers handshakes however a test needs.
func rawHTTP(t *testing.T, fn func(c net.Conn, key string)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				fn(c, req.Header.Get("Sec-WebSocket-Key"))
			}()
		}
	}()
	return ln.Addr().String()
}

func TestDialFailures(t *testing.T) {
	loop := looptest.New(t)
	wsAddr := newServer(t, loop, websocket.Config{}, nil).addr
	wrongAccept := rawHTTP(t, func(c net.Conn, key string) {
		io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n\r\n")
		io.Copy(io.Discard, c)
	})
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}()
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, websocket.Dial(loop, nil, "http://"+wsAddr+"/", websocket.DialConfig{}))
		assert.ErrorContains(t, err, "not ws or wss")

		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+wsAddr+"/", websocket.DialConfig{
			Header: headers("Sec-WebSocket-Version", "99", "Cookie", "a=b"),
		}))
		if assert.NoError(t, err, "Dial's own handshake headers win over Header") {
			c.Stream().Close()
		}

		// A server that refuses: its *httpclient.HTTPError, with the
		// status.
		var he *httpclient.HTTPError
		_, err = gen.Await(co, websocket.Dial(loop, nil, "ws://"+wsAddr+"/", websocket.DialConfig{
			Header: headers("Origin", "http://evil.example"),
		}))
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 403, he.Code)
		}

		_, err = gen.Await(co, websocket.Dial(loop, nil, "ws://"+wrongAccept+"/", websocket.DialConfig{}))
		assert.ErrorIs(t, err, websocket.ErrBadHandshake)
		var hs *websocket.HandshakeError
		assert.ErrorAs(t, err, &hs)

		_, err = gen.Await(co, websocket.Dial(loop, nil, "ws://"+refused+"/", websocket.DialConfig{}))
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 599, he.Code)
		}
		return nil
	})
}

func headers(kv ...string) (h httputil.Headers) {
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestExtensionNotOfferedFailsDial(t *testing.T) {
	addr := rawHTTP(t, func(c net.Conn, key string) {
		io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
			acceptFor(key)+"\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
		io.Copy(io.Discard, c)
	})
	loop := looptest.New(t)
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+addr+"/", websocket.DialConfig{}))
		assert.ErrorIs(t, err, websocket.ErrBadHandshake, "compression was not offered")
		// Offered, it is accepted.
		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+addr+"/", websocket.DialConfig{
			Config: websocket.Config{Compression: &websocket.CompressionConfig{}},
		}))
		if err != nil {
			return err
		}
		assert.True(t, c.Compressed())
		c.Stream().Close()
		return nil
	})
}

func TestWSSThroughProxy(t *testing.T) {
	ca, _ := webtest.TestCA(t)
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{}, nil, httpserver.Config{TLS: webtest.ServerTLS(t)})
	proxy := webtest.NewProxy(t, "")
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(loop, nil, "wss://"+sv.addr+"/secure", websocket.DialConfig{
			Request: &httpclient.Request{RootCAs: ca.Pool, ProxyHost: proxy.Host, ProxyPort: proxy.Port},
		}))
		if err != nil {
			return err
		}
		c.WriteMessage([]byte("over TLS"), false)
		m, err := gen.Await(co, c.ReadMessage())
		if err != nil {
			return err
		}
		assert.Equal(t, "over TLS", m.Text())
		c.Close(websocket.CloseNormal, "")
		m, err = gen.Await(co, c.ReadMessage())
		assert.Nil(t, m)
		return err
	})
	assert.Equal(t, []string{"CONNECT " + sv.addr + " HTTP/1.1"}, proxy.RequestLines(), "the connection went through the proxy")
}

// acceptFor is RFC 6455's Sec-WebSocket-Accept, computed here apart
// from the package.
func acceptFor(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}
