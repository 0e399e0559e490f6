package chatdemo_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/chat/chatdemo"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// hangGuard bounds every wait of these tests, so a bug fails a test
// instead of hanging it; it is never a timing assertion.
const hangGuard = 20 * time.Second

// chat is the chat application served on loopback by a loop of its own
// goroutine for one test.
type chat struct {
	t    *testing.T
	loop *ioloop.IOLoop
	room *chatdemo.MessageBuffer
	base string
	tr   *http.Transport
}

func serveChat(t *testing.T) *chat {
	t.Helper()
	l := looptest.New(t)
	room := chatdemo.NewMessageBuffer(l)
	app, err := chatdemo.NewApplication(room, web.Config{Logger: looptest.Logs(l).Logger()})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	looptest.Start(t, l, srv.Close)
	c := &chat{t: t, loop: l, room: room, base: "http://" + srv.Addrs()[0].String(), tr: &http.Transport{}}
	t.Cleanup(c.tr.CloseIdleConnections) // runs before the loop stops: cleanups run last first
	return c
}

// onLoop runs fn on the chat's loop and waits for it: the room is
// loop-owned, so tests read it there.
func onLoop[T any](c *chat, fn func() T) T {
	c.t.Helper()
	ch := make(chan T, 1)
	c.loop.AddCallback(func() { ch <- fn() })
	select {
	case v := <-ch:
		return v
	case <-time.After(hangGuard):
		c.t.Fatal("the loop did not run a callback (hang guard)")
		panic("unreachable")
	}
}

// waitForWaiters waits until n polls wait in the room. It checks on the
// loop after each callback round, not on a timer's guess.
func (c *chat) waitForWaiters(n int) {
	c.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for onLoop(c, c.room.Waiters) != n {
		if time.Now().After(deadline) {
			c.t.Fatalf("waiters: got %d, want %d (hang guard)", onLoop(c, c.room.Waiters), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// client is one visitor: a browser-like client with its own cookies.
type client struct {
	c   *chat
	hc  *http.Client
	url *url.URL
}

func (c *chat) newClient() *client {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(c.base)
	return &client{c: c, url: u, hc: &http.Client{Transport: c.tr, Jar: jar, Timeout: hangGuard,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// xsrf returns the client's _xsrf cookie ("" if it has none).
func (cl *client) xsrf() string {
	for _, ck := range cl.hc.Jar.Cookies(cl.url) {
		if ck.Name == "_xsrf" {
			return ck.Value
		}
	}
	return ""
}

// do sends a request and returns the response (body closed) and body.
func (cl *client) do(ctx context.Context, method, path string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, cl.c.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := cl.hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func (cl *client) get(path string) (*http.Response, string) {
	cl.c.t.Helper()
	resp, body, err := cl.do(context.Background(), "GET", path, nil)
	require.NoError(cl.c.t, err)
	return resp, body
}

// post sends a form, with the client's XSRF token added unless the form
// has an _xsrf already or noToken.
func (cl *client) post(path string, form url.Values) (*http.Response, string) {
	cl.c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_xsrf"]; !ok {
		form.Set("_xsrf", cl.xsrf())
	}
	resp, body, err := cl.do(context.Background(), "POST", path, form)
	require.NoError(cl.c.t, err)
	return resp, body
}

// say posts a message as the page's script does and returns it.
func (cl *client) say(text string) chatdemo.Message {
	cl.c.t.Helper()
	resp, body := cl.post("/a/message/new", url.Values{"body": {text}})
	require.Equal(cl.c.t, 200, resp.StatusCode, body)
	var m chatdemo.Message
	require.NoError(cl.c.t, json.Unmarshal([]byte(body), &m), body)
	return m
}

// poll is a long poll in flight.
type poll struct {
	done   chan pollResult
	cancel context.CancelFunc
}

type pollResult struct {
	status   int
	messages []chatdemo.Message
	body     string
	err      error
}

// startPoll starts a long poll from cursor ("" for none) in a goroutine.
func (cl *client) startPoll(cursor string) *poll {
	form := url.Values{"_xsrf": {cl.xsrf()}}
	if cursor != "" {
		form.Set("cursor", cursor)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &poll{done: make(chan pollResult, 1), cancel: cancel}
	go func() {
		resp, body, err := cl.do(ctx, "POST", "/a/message/updates", form)
		r := pollResult{body: body, err: err}
		if err == nil {
			r.status = resp.StatusCode
			var u struct {
				Messages []chatdemo.Message `json:"messages"`
			}
			if resp.StatusCode == 200 {
				r.err = json.Unmarshal([]byte(body), &u)
			}
			r.messages = u.Messages
		}
		p.done <- r
	}()
	return p
}

// result waits for the poll's answer.
func (p *poll) result(t *testing.T) pollResult {
	t.Helper()
	select {
	case r := <-p.done:
		p.cancel()
		return r
	case <-time.After(hangGuard):
		p.cancel()
		t.Fatal("the long poll got no answer (hang guard)")
		panic("unreachable")
	}
}

// pending reports whether the poll has not been answered yet.
func (p *poll) pending() bool {
	select {
	case r := <-p.done:
		p.done <- r
		return false
	default:
		return true
	}
}
