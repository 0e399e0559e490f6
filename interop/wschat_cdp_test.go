package interop

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// examples/wschat, Tornado's WebSocket chat demo, in headless Chromium:
// the example runs as its own process, as a user would run it, and two
// browser windows chat through it.

// runWSChat builds examples/wschat with the race detector, runs it on a
// port the kernel picks (-addr 127.0.0.1:0) and returns the base URL it
// prints ("http://127.0.0.1:PORT"). At the end of the test it stops the
// example with SIGTERM, as Ctrl-C would, and checks that it exited 0 with
// no race reported.
func runWSChat(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "wschat")
	build := exec.Command(goBin, "build", "-race", "-o", bin, "github.com/gornado/gornado/examples/wschat")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build examples/wschat:\n%s", out)

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			assert.NoError(t, err, "wschat's exit; stderr:\n%s", clip(stderr.String()))
		case <-time.After(hangGuard):
			cmd.Process.Kill()
			<-exited
			t.Errorf("wschat did not stop on SIGTERM (hang guard); stderr:\n%s", clip(stderr.String()))
		}
		assert.NotContains(t, stderr.String(), "DATA RACE")
	})

	announce := regexp.MustCompile(`http://\S+/`)
	deadline := time.Now().Add(hangGuard)
	for {
		if u := announce.FindString(stdout.String()); u != "" {
			return strings.TrimSuffix(u, "/")
		}
		select {
		case err := <-exited:
			t.Fatalf("wschat exited before serving (%v); stderr:\n%s", err, clip(stderr.String()))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("wschat printed no URL (hang guard); stdout %q, stderr:\n%s", stdout.String(), clip(stderr.String()))
		}
	}
}

// wsChatInbox is a JavaScript expression: the texts of the page's
// messages, in order.
const wsChatInbox = `Array.from(document.querySelectorAll("#inbox .message")).map(m => m.textContent)`

// Two people chat in two browser windows (browser contexts of their own,
// so their own cookies): what one posts over the page's WebSocket, both
// pages show at once, without reloading, once each and in order; markup
// and non-ASCII text show as typed. A visitor who comes later gets the
// messages in the page as served. No page logs an error.
func TestWSChatInChromium(t *testing.T) {
	needChromium(t)
	base := runWSChat(t)
	b := launchBrowser(t)
	alice := b.newVisitor(base + "/")
	bob := b.newVisitor(base + "/")
	for _, p := range []*page{alice, bob} {
		// Open: the server has the socket among its room's waiters (Open
		// runs as it sends the 101, before it reads anything more).
		p.waitUntil(`window.chatSocket && window.chatSocket.readyState === WebSocket.OPEN`, "the chat's socket to open")
		p.mustEval(`window.notReloaded = true`, nil)
	}

	say := []struct {
		who   *page
		text  string
		click bool // the Post button, else the Enter key
	}{
		{alice, "Hello from Alice!", false},
		{bob, "Hi Alice, Bob here.", true},
		{alice, `<script>alert("x")</script> <b>bold?</b> & &amp; héllo wörld ✓ 日本語`, false},
		{bob, "naïve café — “quotes” 𝄞 🙂 <i>", true},
	}
	var want []string
	for _, s := range say {
		s.who.click("#message")
		s.who.typeText(s.text)
		if s.click {
			s.who.click(`input[type=submit]`)
		} else {
			s.who.pressEnter()
		}
		want = append(want, s.text)
		cond := wsChatInbox + `.join("\n") === ` + jsString(strings.Join(want, "\n"))
		alice.waitUntil(cond, "message "+jsString(s.text)+" on Alice's page")
		bob.waitUntil(cond, "message "+jsString(s.text)+" on Bob's page")
		s.who.waitUntil(`document.getElementById("message").value === ""`, "the input to clear")
	}

	var ids [2][]string
	for i, p := range []*page{alice, bob} {
		var seen struct {
			NotReloaded bool     `json:"notReloaded"`
			IDs         []string `json:"ids"`
			Markup      int      `json:"markup"`
		}
		p.mustEval(`({notReloaded: window.notReloaded === true,
			ids: Array.from(document.querySelectorAll("#inbox .message")).map(m => m.id),
			markup: document.querySelectorAll("#inbox script, #inbox b, #inbox i").length})`, &seen)
		assert.True(t, seen.NotReloaded, "page %d was reloaded", i)
		assert.Zero(t, seen.Markup, "markup in a message became elements on page %d", i)
		assert.Len(t, seen.IDs, len(want))
		ids[i] = seen.IDs
	}
	assert.Equal(t, ids[0], ids[1], "both pages show the same messages")

	carol := b.newVisitor(base + "/")
	var later []string
	carol.mustEval(wsChatInbox, &later)
	assert.Equal(t, want, later, "the page as served to a later visitor")

	assert.Empty(t, b.Problems(), "errors in the pages")
	if t.Failed() {
		t.Logf("page console:\n%s", b.Console())
	}
}
