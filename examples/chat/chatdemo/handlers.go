package chatdemo

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

// mainHandler renders the room: the cached messages and the form.
type mainHandler struct {
	web.RequestHandler
	room *MessageBuffer
}

// indexPage is index.html's data.
type indexPage struct {
	Messages []Message
	Path     string // where the form's next sends a browser without JavaScript
}

func (h *mainHandler) Get(co *gen.Co) error {
	return h.Render("index.html", indexPage{Messages: h.room.Messages(), Path: h.Request.Path})
}

// messageNewHandler posts a message to the room. It answers the message
// as JSON, or, for a form posted without JavaScript (it carries next),
// redirects back to the page.
type messageNewHandler struct {
	web.RequestHandler
	room *MessageBuffer
}

func (h *messageNewHandler) Post(co *gen.Co) error {
	body, err := h.GetArgument("body")
	if err != nil {
		return err // a 400 naming the missing argument
	}
	msg := Message{ID: newID(), Body: body}
	if msg.HTML, err = h.RenderString("message.html", msg); err != nil {
		return err
	}
	next, _ := h.GetArgument("next", "")
	if next != "" {
		err = h.Redirect(localPath(next), false)
	} else {
		err = h.Write(msg)
	}
	h.room.Add(msg)
	return err
}

// localPath returns next if it is a path on this site, else "/": a
// posted next must not send the browser to another site (an open
// redirect). "//host" and "/\host" are other sites to a browser.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return "/"
	}
	return next
}

// messageUpdatesHandler is the long poll: it answers {"messages": [...]}
// with the messages after the posted cursor, waiting for the next one if
// there are none yet.
type messageUpdatesHandler struct {
	web.RequestHandler
	room *MessageBuffer
	wait *future.Future[struct{}] // the wait in progress, for OnConnectionClose
}

// updates is the long poll's answer.
type updates struct {
	Messages []Message `json:"messages"`
}

func (h *messageUpdatesHandler) Post(co *gen.Co) error {
	cursor, _ := h.GetArgument("cursor", "")
	msgs := h.room.MessagesSince(cursor)
	for len(msgs) == 0 {
		h.wait = h.room.Wait()
		_, err := gen.Await(co, h.wait)
		h.wait = nil
		switch {
		case errors.Is(err, future.ErrCancelled):
			return nil // the client went away: no one to answer
		case errors.Is(err, ErrClosed):
			return &web.HTTPError{Code: http.StatusServiceUnavailable, Message: "the chat is shutting down"}
		case err != nil:
			return err
		}
		msgs = h.room.MessagesSince(cursor)
	}
	return h.Write(updates{Messages: msgs})
}

// OnConnectionClose stops the wait of a client that left, so the room
// does not keep its future until the next message.
func (h *messageUpdatesHandler) OnConnectionClose() {
	h.room.CancelWait(h.wait)
}
