package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/chat/chatdemo"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// chatServer is examples/chat's application served on a loop of the
// test process.
type chatServer struct {
	base string // http://127.0.0.1:PORT
	loop *ioloop.IOLoop
	room *chatdemo.MessageBuffer
}

// serveChat serves the chat demo until the end of the test; looptest
// checks that no goroutine or descriptor outlives it.
func serveChat(t *testing.T) *chatServer {
	t.Helper()
	l := looptest.New(t)
	room := chatdemo.NewMessageBuffer(l)
	app, err := chatdemo.NewApplication(room, web.Config{Logger: looptest.Logs(l).Logger()})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	looptest.Start(t, l, srv.Close)
	return &chatServer{base: "http://" + srv.Addrs()[0].String(), loop: l, room: room}
}

// messages returns the room's messages, read on its loop.
func (c *chatServer) messages(t *testing.T) []chatdemo.Message {
	t.Helper()
	ch := make(chan []chatdemo.Message, 1)
	c.loop.AddCallback(func() { ch <- append([]chatdemo.Message(nil), c.room.Messages()...) })
	select {
	case m := <-ch:
		return m
	case <-time.After(hangGuard):
		t.Fatal("the chat's loop ran no callback (hang guard)")
		return nil
	}
}

// Two people chat in headless Chromium: each opens the page in a browser
// context of their own (their own cookies, so their own XSRF tokens).
// Alice types a message and presses Enter; Bob's page shows it without
// reloading, through its long poll. Bob answers with the mouse on the
// Post button, with markup that must show as text; Alice's page shows it.
func TestChatInChromium(t *testing.T) {
	needChromium(t)
	chat := serveChat(t)
	b := launchBrowser(t)
	alice := b.newVisitor(chat.base + "/")
	bob := b.newVisitor(chat.base + "/")
	for _, p := range []*page{alice, bob} {
		p.waitUntil(`document.getElementById("messageform") !== null`, "the form")
		// A mark that a reload would wipe out.
		p.mustEval(`window.notReloaded = true`, nil)
	}
	// Both long polls wait before anyone speaks, so Bob's page can only
	// learn of Alice's message by its poll being answered.
	waitForWaiters(t, chat, 2)

	alice.click("#message")
	alice.typeText("Hello from Alice!")
	alice.pressEnter()
	const fromAlice = `Array.from(document.querySelectorAll("#inbox .message")).some(m => m.textContent === "Hello from Alice!")`
	bob.waitUntil(fromAlice, "Alice's message on Bob's page")
	alice.waitUntil(fromAlice, "Alice's message on her own page")
	alice.waitUntil(`document.getElementById("message").value === ""`, "Alice's input to clear")

	bob.click("#message")
	bob.typeText("<b>hi</b> Alice, see https://www.tornadoweb.org/")
	bob.click(`input[type=submit]`)
	const fromBob = `Array.from(document.querySelectorAll("#inbox .message")).some(m =>
		m.textContent === "<b>hi</b> Alice, see https://www.tornadoweb.org/" &&
		m.querySelector("b") === null &&
		m.querySelector("a") && m.querySelector("a").href === "https://www.tornadoweb.org/")`
	alice.waitUntil(fromBob, "Bob's message, as text with its link, on Alice's page")
	bob.waitUntil(fromBob, "Bob's message on his own page")

	for name, p := range map[string]*page{"alice": alice, "bob": bob} {
		var seen struct {
			NotReloaded bool     `json:"notReloaded"`
			Path        string   `json:"path"`
			IDs         []string `json:"ids"`
		}
		p.mustEval(`({notReloaded: window.notReloaded === true, path: location.pathname,
			ids: Array.from(document.querySelectorAll("#inbox .message")).map(m => m.id)})`, &seen)
		assert.True(t, seen.NotReloaded, "%s's page was reloaded", name)
		assert.Equal(t, "/", seen.Path, name)
		msgs := chat.messages(t)
		require.Len(t, msgs, 2)
		assert.Equal(t, []string{"m" + msgs[0].ID, "m" + msgs[1].ID}, seen.IDs, "%s sees each message once, in order", name)
	}

	// Someone who comes later sees both in the page as served.
	carol := b.newVisitor(chat.base + "/")
	var inbox string
	carol.mustEval(`document.getElementById("inbox").textContent`, &inbox)
	assert.Contains(t, inbox, "Hello from Alice!")
	assert.Contains(t, inbox, "<b>hi</b> Alice")
	if t.Failed() {
		t.Logf("page console:\n%s", b.Console())
	}
}

// waitForWaiters waits until n long polls wait in the chat's room.
func waitForWaiters(t *testing.T, c *chatServer, n int) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		ch := make(chan int, 1)
		c.loop.AddCallback(func() { ch <- c.room.Waiters() })
		var got int
		select {
		case got = <-ch:
		case <-time.After(hangGuard):
			t.Fatal("the chat's loop ran no callback (hang guard)")
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d long polls wait, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// chatReport is what testdata/chat_requests.py and chat_tornado.py print.
type chatReport struct {
	Client   string `json:"client"`
	PageXSRF bool   `json:"page_has_xsrf_field"`
	NoToken  int    `json:"post_without_token"`
	Posted   struct {
		Status int              `json:"status"`
		Msg    chatdemo.Message `json:"message"`
	} `json:"posted"`
	Poll struct {
		Status   int                `json:"status"`
		Messages []chatdemo.Message `json:"messages"`
	} `json:"poll"`
	Second struct {
		Status int              `json:"status"`
		Msg    chatdemo.Message `json:"message"`
	} `json:"second"`
}

// Python peers chat too: requests (a poll in a thread while the main
// thread posts) and Tornado's own AsyncHTTPClient (a poll fetch waiting on
// the loop while a post arrives).
func TestChatFromPython(t *testing.T) {
	for _, tc := range []struct{ name, module, script string }{
		{"requests", "requests", "testdata/chat_requests.py"},
		{"tornado", "tornado.httpclient", "testdata/chat_tornado.py"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			needPythonModule(t, tc.module)
			chat := serveChat(t)
			out := runChatPeer(t, chat, tc.script)
			var rep chatReport
			require.NoError(t, json.Unmarshal([]byte(out), &rep), "report: %s", clip(out))
			t.Logf("%s", rep.Client)
			assert.True(t, rep.PageXSRF, "the page has the _xsrf field")
			assert.Equal(t, 403, rep.NoToken, "a post without the token")
			assert.Equal(t, 200, rep.Posted.Status)
			assert.Equal(t, 200, rep.Second.Status)
			assert.Equal(t, 200, rep.Poll.Status)
			msgs := chat.messages(t)
			require.Len(t, msgs, 2)
			assert.Equal(t, msgs[0], rep.Posted.Msg)
			assert.Equal(t, msgs[1], rep.Second.Msg)
			// The poll's cursor was the first message: it waited, and got
			// the second alone.
			assert.Equal(t, []chatdemo.Message{msgs[1]}, rep.Poll.Messages)
			assert.True(t, strings.HasPrefix(msgs[1].HTML, `<div class="message" id="m`+msgs[1].ID+`">`), msgs[1].HTML)
		})
	}
}

// runChatPeer runs a chat script: when it prints "polling", its long poll
// has been sent; once the poll waits in the room, the script is told (a
// line on its stdin) to post the message that answers it. It returns the
// script's report, its last line.
func runChatPeer(t *testing.T, chat *chatServer, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, script, chat.base)
	cmd.WaitDelay = 5 * time.Second
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	fail := func(format string, args ...any) {
		t.Helper()
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s: "+format+"\nstderr:\n%s", append(append([]any{script}, args...), clip(stderr.String()))...)
	}
	if !lines.Scan() || lines.Text() != "polling" {
		fail("expected \"polling\", got %q (%v)", lines.Text(), lines.Err())
	}
	waitForWaiters(t, chat, 1)
	if _, err := io.WriteString(stdin, "post\n"); err != nil {
		fail("write stdin: %v", err)
	}
	var last string
	for lines.Scan() {
		last = lines.Text()
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		fail("%v (hang guard %v)", err, hangGuard)
	}
	return last
}
