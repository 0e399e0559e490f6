package chatdemo_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/chat/chatdemo"
)

// The page has the form with its XSRF field, sets the _xsrf cookie the
// script reads (so not HttpOnly), links the static files, and shows the
// messages posted before it was opened, escaped.
func TestPageRendersFormAndMessages(t *testing.T) {
	c := serveChat(t)
	alice := c.newClient()
	resp, page := alice.get("/")
	require.Equal(t, 200, resp.StatusCode, page)
	assert.Equal(t, "text/html; charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, page, `<form action="/a/message/new" method="post" id="messageform">`)
	assert.Contains(t, page, `<input type="hidden" name="next" value="/">`)
	assert.Contains(t, page, `<input type="hidden" name="_xsrf" value="2|`)
	// The script and the style sheet are served, from the embedded files.
	for _, tc := range []struct{ file, ctype, has string }{
		{"chat.js", "javascript", "/a/message/updates"},
		{"chat.css", "text/css", "#inbox"},
	} {
		src := regexp.MustCompile(`"(/static/` + regexp.QuoteMeta(tc.file) + `[^"]*)"`).FindStringSubmatch(page)
		require.NotNil(t, src, "the page links %s", tc.file)
		resp, body := alice.get(html.UnescapeString(src[1]))
		assert.Equal(t, 200, resp.StatusCode, src[1])
		assert.Contains(t, resp.Header.Get("Content-Type"), tc.ctype)
		assert.Contains(t, body, tc.has)
	}
	require.NotEmpty(t, alice.xsrf(), "the page sets the _xsrf cookie")
	var setCookie string
	for _, sc := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "_xsrf=") {
			setCookie = sc
		}
	}
	assert.NotContains(t, strings.ToLower(setCookie), "httponly", "chat.js must be able to read the cookie")

	m := alice.say("<b>hi</b> see https://example.com/x?a=1&b=2.")
	bob := c.newClient()
	_, page = bob.get("/")
	assert.Contains(t, page, `<div class="message" id="m`+m.ID+`">&lt;b&gt;hi&lt;/b&gt; see <a href="https://example.com/x?a=1&amp;b=2">https://example.com/x?a=1&amp;b=2</a>.</div>`)
	assert.NotContains(t, page, "<b>hi</b>")
}

// POSTs need the _xsrf cookie's token: no token, a token that is not the
// cookie's, or no cookie at all is a 403, and nothing is posted.
func TestPostNeedsXSRFToken(t *testing.T) {
	c := serveChat(t)
	alice := c.newClient()
	alice.get("/")
	mallory := c.newClient()
	mallory.get("/")
	stranger := c.newClient() // never opened the page: no cookie

	cases := []struct {
		name  string
		cl    *client
		path  string
		token string
	}{
		{"new, no token", alice, "/a/message/new", ""},
		{"new, another visitor's token", alice, "/a/message/new", mallory.xsrf()},
		{"new, token but no cookie", stranger, "/a/message/new", alice.xsrf()},
		{"new, garbage token", alice, "/a/message/new", "2|zz|zz|1"},
		{"updates, no token", alice, "/a/message/updates", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.cl.post(tc.path, url.Values{"body": {"sneaky"}, "_xsrf": {tc.token}})
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, body)
		})
	}
	assert.Empty(t, onLoop(c, c.room.Messages))
	assert.Equal(t, 0, onLoop(c, c.room.Waiters))
}

// A message posted with the token comes back as JSON (id, body, the
// rendered html) and is in the room; with next (a form posted without
// JavaScript) the answer is a redirect back, to this site only.
func TestPostMessage(t *testing.T) {
	c := serveChat(t)
	alice := c.newClient()
	alice.get("/")

	resp, body := alice.post("/a/message/new", url.Values{"body": {"  hello, world  "}})
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "application/json; charset=UTF-8", resp.Header.Get("Content-Type"))
	m := alice.say("second")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, m.ID)
	assert.Equal(t, "second", m.Body)
	assert.Equal(t, `<div class="message" id="m`+m.ID+`">second</div>`, strings.TrimSpace(m.HTML))
	msgs := onLoop(c, c.room.Messages)
	require.Len(t, msgs, 2)
	assert.Equal(t, "hello, world", msgs[0].Body, "arguments are trimmed, as Tornado's")
	assert.Equal(t, m, msgs[1])

	for _, tc := range []struct{ next, location string }{
		{"/", "/"},
		{"/room?x=1", "/room?x=1"},
		{"//evil.example/", "/"},
		{`/\evil.example/`, "/"},
		{"https://evil.example/", "/"},
	} {
		resp, body = alice.post("/a/message/new", url.Values{"body": {"via form"}, "next": {tc.next}})
		assert.Equal(t, http.StatusFound, resp.StatusCode, body)
		assert.Equal(t, tc.location, resp.Header.Get("Location"), "next=%q", tc.next)
	}
	assert.Len(t, onLoop(c, c.room.Messages), 2+5)

	resp, body = alice.post("/a/message/new", url.Values{})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	resp, _ = alice.get("/a/message/new")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// A poll with no cursor gets the whole room at once; with the cursor of
// an older message, what came after it; with an unknown cursor (evicted
// or made up), the whole room again.
func TestPollCatchesUp(t *testing.T) {
	c := serveChat(t)
	alice := c.newClient()
	alice.get("/")
	m1, m2, m3 := alice.say("one"), alice.say("two"), alice.say("three")
	for _, tc := range []struct {
		cursor string
		want   []chatdemo.Message
	}{
		{"", []chatdemo.Message{m1, m2, m3}},
		{m1.ID, []chatdemo.Message{m2, m3}},
		{m2.ID, []chatdemo.Message{m3}},
		{"no-such-message", []chatdemo.Message{m1, m2, m3}},
	} {
		r := alice.startPoll(tc.cursor).result(t)
		require.NoError(t, r.err)
		assert.Equal(t, 200, r.status, r.body)
		assert.Equal(t, tc.want, r.messages, "cursor %q", tc.cursor)
	}
	assert.Equal(t, 0, onLoop(c, c.room.Waiters))
}

// A poll whose cursor is the newest message waits; a message posted by
// another visitor answers it, and every other waiting poll, with just
// that message.
func TestPollWaitsForAnotherClientsMessage(t *testing.T) {
	c := serveChat(t)
	alice, bob, carol := c.newClient(), c.newClient(), c.newClient()
	for _, cl := range []*client{alice, bob, carol} {
		cl.get("/")
	}
	first := alice.say("first")

	pb := bob.startPoll(first.ID)
	pc := carol.startPoll(first.ID)
	c.waitForWaiters(2)
	assert.True(t, pb.pending(), "a current cursor waits")
	assert.True(t, pc.pending(), "a current cursor waits")

	m := alice.say("hello from alice")
	for _, p := range []*poll{pb, pc} {
		r := p.result(t)
		require.NoError(t, r.err)
		assert.Equal(t, 200, r.status, r.body)
		assert.Equal(t, []chatdemo.Message{m}, r.messages)
	}
	assert.Equal(t, 0, onLoop(c, c.room.Waiters))

	// In an empty room, a poll with no cursor waits too.
	c2 := serveChat(t)
	dave := c2.newClient()
	dave.get("/")
	p := dave.startPoll("")
	c2.waitForWaiters(1)
	assert.True(t, p.pending())
	m = dave.say("anyone?")
	r := p.result(t)
	require.NoError(t, r.err)
	assert.Equal(t, []chatdemo.Message{m}, r.messages)
}

// A waiting poll whose client disconnects is removed from the room by
// OnConnectionClose, and the room goes on serving others.
func TestPollOfDisconnectedClientIsRemoved(t *testing.T) {
	c := serveChat(t)
	alice, bob := c.newClient(), c.newClient()
	alice.get("/")
	bob.get("/")
	first := alice.say("first")

	gone := bob.startPoll(first.ID)
	stays := alice.startPoll(first.ID)
	c.waitForWaiters(2)
	gone.cancel() // bob closes the tab: the connection closes
	r := gone.result(t)
	assert.Error(t, r.err)
	c.waitForWaiters(1)
	assert.True(t, stays.pending())

	m := bob.say("back again")
	r = stays.result(t)
	require.NoError(t, r.err)
	assert.Equal(t, []chatdemo.Message{m}, r.messages)
	assert.Equal(t, 0, onLoop(c, c.room.Waiters))
}

// Closing the room (the server is shutting down) answers waiting polls
// 503 at once, and polls that come later too.
func TestClosedRoomAnswersPolls(t *testing.T) {
	c := serveChat(t)
	alice := c.newClient()
	alice.get("/")
	first := alice.say("first")
	p := alice.startPoll(first.ID)
	c.waitForWaiters(1)
	onLoop(c, func() bool { c.room.Close(); return true })
	r := p.result(t)
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	r = alice.startPoll(first.ID).result(t)
	assert.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	assert.Equal(t, 0, onLoop(c, c.room.Waiters))
}
