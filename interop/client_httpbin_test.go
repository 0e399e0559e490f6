package interop

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

// Gornado's AsyncHTTPClient against go-httpbin, served in-process by
// net/http on loopback: a server no one here wrote, with httpbin's
// well-known endpoints.

// httpbinServer serves go-httpbin (over TLS with tlsOn) and counts the
// connections it accepted. It is closed at the end of the test.
type httpbinServer struct {
	url      string
	accepted atomic.Int32
	pool     *x509.CertPool // the TLS server's certificate, for tlsOn
}

func serveHTTPBin(t *testing.T, tlsOn bool) *httpbinServer {
	t.Helper()
	hb := &httpbinServer{}
	srv := httptest.NewUnstartedServer(httpbin.New(httpbin.WithMaxDuration(20 * time.Second)))
	// The TLS test's refused handshake is expected; keep it out of the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			hb.accepted.Add(1)
		}
	}
	if tlsOn {
		srv.StartTLS()
		hb.pool = x509.NewCertPool()
		hb.pool.AddCert(srv.Certificate())
	} else {
		srv.Start()
	}
	hb.url = srv.URL
	t.Cleanup(srv.Close)
	return hb
}

// clientOn makes a client on a fresh test loop; it is closed at the end of
// the test, before the loop's leak check.
func clientOn(t *testing.T, opts httpclient.Config) (*ioloop.IOLoop, *httpclient.AsyncHTTPClient) {
	t.Helper()
	loop := looptest.New(t)
	c := httpclient.New(loop, opts)
	t.Cleanup(func() {
		ioloop.RunSync(loop, func() *future.Future[struct{}] {
			c.Close()
			return future.Resolved(loop, struct{}{})
		}, 5*time.Second)
	})
	return loop, c
}

// clientFetch runs one fetch to completion.
func clientFetch(t *testing.T, loop *ioloop.IOLoop, c *httpclient.AsyncHTTPClient, req any) (*httpclient.Response, error) {
	t.Helper()
	type result struct {
		r   *httpclient.Response
		err error
	}
	res := looptest.RunValue(t, loop, hangGuard, func(co *gen.Co) (result, error) {
		r, err := gen.Await(co, c.Fetch(asRequest(req)))
		return result{r, err}, nil
	})
	return res.r, res.err
}

// hbJSON is the part of httpbin's JSON answers the tests read.
type hbJSON struct {
	Args    map[string][]string `json:"args"`
	Headers map[string][]string `json:"headers"`
	Data    string              `json:"data"`
	URL     string              `json:"url"`
	Method  string              `json:"method"`
	Gzipped bool                `json:"gzipped"`
	ID      int                 `json:"id"`
	Authed  bool                `json:"authenticated"`
	User    string              `json:"user"`
}

func decodeHB(t *testing.T, b []byte) hbJSON {
	t.Helper()
	var v hbJSON
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", clip(string(b)))
	return v
}

func TestClientHTTPBinBasics(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{})

	req := &httpclient.Request{URL: hb.url + "/get?q=gornado&n=1", UserAgent: "gornado-interop"}
	req.Header.Set("X-Custom", "value")
	resp, err := clientFetch(t, loop, c, req)
	require.NoError(t, err)
	v := decodeHB(t, resp.Body)
	assert.Equal(t, []string{"gornado"}, v.Args["q"])
	assert.Equal(t, []string{"value"}, v.Headers["X-Custom"])
	assert.Equal(t, []string{"gornado-interop"}, v.Headers["User-Agent"])

	for _, m := range []string{"POST", "PUT", "PATCH"} {
		resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/" + strings.ToLower(m), Method: m,
			Body: []byte(`{"x": 1}`), Header: textPlain()})
		require.NoError(t, err, m)
		v = decodeHB(t, resp.Body)
		assert.Equal(t, `{"x": 1}`, v.Data, m)
	}
	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/delete", Method: "DELETE"})
	require.NoError(t, err)
	assert.Equal(t, "DELETE", decodeHB(t, resp.Body).Method)

	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/head", Method: "HEAD"})
	require.NoError(t, err)
	assert.Empty(t, resp.Body)

	resp, err = clientFetch(t, loop, c, hb.url+"/bytes/200000")
	require.NoError(t, err)
	assert.Len(t, resp.Body, 200000)

	_, err = clientFetch(t, loop, c, hb.url+"/status/418")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 418, he.Code)

	// All of that over one keep-alive connection.
	assert.EqualValues(t, 1, hb.accepted.Load())
}

func TestClientHTTPBinStreamedUpload(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{})
	producer := func(write func([]byte) *future.Future[struct{}]) *future.Future[struct{}] {
		return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for _, part := range []string{"streamed ", "upload ", "in parts"} {
				if _, err := gen.Await(co, write([]byte(part))); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
	}
	resp, err := clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/post", Method: "POST", BodyProducer: producer, Header: textPlain()})
	require.NoError(t, err)
	assert.Equal(t, "streamed upload in parts", decodeHB(t, resp.Body).Data)

	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/post", Method: "POST",
		Body: []byte("after 100"), Expect100Continue: true, Header: textPlain()})
	require.NoError(t, err)
	assert.Equal(t, "after 100", decodeHB(t, resp.Body).Data)
}

func TestClientHTTPBinRedirects(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{})
	for _, path := range []string{"/redirect/3", "/relative-redirect/3", "/absolute-redirect/3"} {
		resp, err := clientFetch(t, loop, c, hb.url+path)
		require.NoError(t, err, path)
		assert.Equal(t, hb.url+"/get", resp.EffectiveURL, path)
		assert.Equal(t, 3, resp.Timing.Redirects, path)
	}
	_, err := clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/redirect/6"})
	assert.ErrorIs(t, err, httpclient.ErrTooManyRedirects)

	// 303 after POST becomes a GET; 307 keeps the POST and its body.
	resp, err := clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/redirect-to?status_code=303&url=/anything",
		Method: "POST", Body: []byte("payload"), Header: textPlain()})
	require.NoError(t, err)
	v := decodeHB(t, resp.Body)
	assert.Equal(t, "GET", v.Method)
	assert.Empty(t, v.Data)
	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/redirect-to?status_code=307&url=/anything",
		Method: "POST", Body: []byte("payload"), Header: textPlain()})
	require.NoError(t, err)
	v = decodeHB(t, resp.Body)
	assert.Equal(t, "POST", v.Method)
	assert.Equal(t, "payload", v.Data)
}

func TestClientHTTPBinGzipAndStreams(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{})

	resp, err := clientFetch(t, loop, c, hb.url+"/gzip")
	require.NoError(t, err)
	assert.True(t, decodeHB(t, resp.Body).Gzipped)
	assert.Equal(t, "gzip", resp.Header.Get("X-Consumed-Content-Encoding"))

	// /stream/N: N JSON lines, chunked, taken as they arrive.
	var got bytes.Buffer
	chunks := 0
	resp, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/stream/5",
		StreamingCallback: func(p []byte) { got.Write(p); chunks++ }})
	require.NoError(t, err)
	assert.Empty(t, resp.Body)
	lines := strings.Split(strings.TrimSpace(got.String()), "\n")
	require.Len(t, lines, 5)
	for i, l := range lines {
		assert.Equal(t, i, decodeHB(t, []byte(l)).ID)
	}

	// /drip sends bytes over time: the streaming callback sees them come.
	n := 0
	calls := 0
	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/drip?numbytes=5&duration=0.2&delay=0",
		StreamingCallback: func(p []byte) { n += len(p); calls++ }})
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	assert.Greater(t, calls, 1, "dripped bytes arrive in several pieces")

	// Trailers after a chunked body.
	resp, err = clientFetch(t, loop, c, hb.url+"/trailers?X-Check=yes")
	require.NoError(t, err)
	assert.Equal(t, "yes", resp.Trailer.Get("X-Check"))
}

func TestClientHTTPBinAuthAndTimeouts(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{})
	resp, err := clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/basic-auth/alice/s3cret", AuthUsername: "alice", AuthPassword: "s3cret"})
	require.NoError(t, err)
	v := decodeHB(t, resp.Body)
	assert.True(t, v.Authed)
	assert.Equal(t, "alice", v.User)
	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/basic-auth/alice/s3cret", AuthUsername: "alice", AuthPassword: "wrong"})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 401, he.Code)

	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/delay/10", RequestTimeout: 200 * time.Millisecond})
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrTimeout)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/delay/10", Context: ctx})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestClientHTTPBinTLS(t *testing.T) {
	hb := serveHTTPBin(t, true)
	loop, c := clientOn(t, httpclient.Config{})
	_, err := clientFetch(t, loop, c, hb.url+"/get")
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &ua, "the test CA is not trusted by default")
	for range 3 {
		resp, err := clientFetch(t, loop, c, &httpclient.Request{URL: hb.url + "/get?tls=1", RootCAs: hb.pool})
		require.NoError(t, err)
		assert.Equal(t, []string{"1"}, decodeHB(t, resp.Body).Args["tls"])
	}
	// The failed handshake's connection, then one reused for three fetches.
	assert.EqualValues(t, 2, hb.accepted.Load())
}

func TestClientHTTPBinConcurrency(t *testing.T) {
	hb := serveHTTPBin(t, false)
	loop, c := clientOn(t, httpclient.Config{MaxClients: 8})
	looptest.Run(t, loop, hangGuard, func(co *gen.Co) error {
		for round := range 3 {
			fs := make([]*future.Future[*httpclient.Response], 40)
			for i := range fs {
				fs[i] = c.FetchURL(hb.url + "/anything?i=" + itoa(round*100+i))
			}
			for i, f := range fs {
				resp, err := gen.Await(co, f)
				if !assert.NoError(t, err) {
					return nil
				}
				var v hbJSON
				assert.NoError(t, json.Unmarshal(resp.Body, &v))
				assert.Equal(t, []string{itoa(round*100 + i)}, v.Args["i"])
			}
		}
		return nil
	})
	// At most MaxClients connections, kept alive across the rounds.
	assert.LessOrEqual(t, hb.accepted.Load(), int32(8))
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// textPlain is a Content-Type that makes httpbin echo a body as text (it
// sends others back as a data: URL).
func textPlain() httputil.Headers {
	var h httputil.Headers
	h.Set("Content-Type", "text/plain")
	return h
}

// asRequest takes a *Request, or a URL string for a plain GET.
func asRequest(req any) *httpclient.Request {
	if r, ok := req.(*httpclient.Request); ok {
		return r
	}
	return &httpclient.Request{URL: req.(string)}
}
