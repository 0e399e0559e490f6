package interop

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
)

// Gornado's AsyncHTTPClient against a Tornado server (Debian's
// python3-tornado), testdata/tornado_server.py.

// serveTornado starts the Tornado server and returns its base URL; the
// process is killed at the end of the test.
func serveTornado(t *testing.T) string {
	t.Helper()
	needPythonModule(t, "tornado")
	cmd := exec.Command(python, "testdata/tornado_server.py")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "PORT "); ok {
				port <- p
			}
		}
		close(port)
	}()
	select {
	case p, ok := <-port:
		require.True(t, ok, "tornado_server.py exited: %s", stderr.String())
		return "http://127.0.0.1:" + p
	case <-time.After(hangGuard):
		t.Fatalf("tornado_server.py did not start: %s", stderr.String())
	}
	return ""
}

type tornadoEcho struct {
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func TestClientTornadoServer(t *testing.T) {
	base := serveTornado(t)
	loop, c := clientOn(t, httpclient.Config{})

	resp, err := clientFetch(t, loop, c, base+"/hello")
	require.NoError(t, err)
	assert.Equal(t, "Hello, world!", string(resp.Body))
	assert.Contains(t, resp.Header.Get("Server"), "Tornado")

	req := &httpclient.Request{URL: base + "/echo?x=1", Method: "POST", Body: []byte("from gornado")}
	req.Header.Set("X-Peer", "gornado")
	resp, err = clientFetch(t, loop, c, req)
	require.NoError(t, err)
	var e tornadoEcho
	require.NoError(t, json.Unmarshal(resp.Body, &e))
	assert.Equal(t, "POST", e.Method)
	assert.Equal(t, "/echo?x=1", e.URI)
	assert.Equal(t, "from gornado", e.Body)
	assert.Equal(t, "gornado", e.Headers["X-Peer"])

	// Chunked, flushed piece by piece, read whole and streamed.
	resp, err = clientFetch(t, loop, c, base+"/chunked?n=4")
	require.NoError(t, err)
	assert.Equal(t, "chunk 0\nchunk 1\nchunk 2\nchunk 3\n", string(resp.Body))
	var parts []string
	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: base + "/chunked?n=4",
		StreamingCallback: func(p []byte) { parts = append(parts, string(p)) }})
	require.NoError(t, err)
	assert.Equal(t, "chunk 0\nchunk 1\nchunk 2\nchunk 3\n", strings.Join(parts, ""))

	// Tornado's compress_response gzips for a client that asks.
	resp, err = clientFetch(t, loop, c, base+"/text")
	require.NoError(t, err)
	assert.Equal(t, "gzip", resp.Header.Get("X-Consumed-Content-Encoding"))
	assert.Equal(t, strings.Repeat("Tornado gzips this for clients that ask. ", 200), string(resp.Body))

	resp, err = clientFetch(t, loop, c, base+"/redirect/3")
	require.NoError(t, err)
	assert.Equal(t, base+"/echo", resp.EffectiveURL)

	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: base + "/auth", AuthUsername: "alice", AuthPassword: "s3cret"})
	require.NoError(t, err)
	assert.Equal(t, "welcome alice", string(resp.Body))
	_, err = clientFetch(t, loop, c, base+"/auth")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 401, he.Code)

	// Everything so far went over one keep-alive connection.
	resp, err = clientFetch(t, loop, c, base+"/conns")
	require.NoError(t, err)
	assert.Equal(t, "1", string(resp.Body))

	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: base + "/slow", RequestTimeout: 200 * time.Millisecond})
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrTimeout)
}

func TestClientTornadoStreamedUpload(t *testing.T) {
	base := serveTornado(t)
	loop, c := clientOn(t, httpclient.Config{})
	const parts, size = 16, 64 << 10
	h := sha256.New()
	producer := func(write func([]byte) *future.Future[struct{}]) *future.Future[struct{}] {
		return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for i := range parts {
				p := []byte(strings.Repeat(strconv.Itoa(i%10), size))
				h.Write(p)
				if _, err := gen.Await(co, write(p)); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
	}
	for _, expect := range []bool{false, true} {
		h.Reset()
		resp, err := clientFetch(t, loop, c, &httpclient.Request{URL: base + "/upload", Method: "POST",
			BodyProducer: producer, Expect100Continue: expect})
		require.NoError(t, err)
		var v struct {
			Bytes  int    `json:"bytes"`
			Chunks int    `json:"chunks"`
			SHA256 string `json:"sha256"`
		}
		require.NoError(t, json.Unmarshal(resp.Body, &v))
		assert.Equal(t, parts*size, v.Bytes)
		assert.Equal(t, hex.EncodeToString(h.Sum(nil)), v.SHA256)
		assert.Greater(t, v.Chunks, 1, "the body reached Tornado in pieces")
	}
}
