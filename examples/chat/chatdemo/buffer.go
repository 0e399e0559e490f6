package chatdemo

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// CacheSize is how many recent messages a MessageBuffer keeps: what a new
// page shows, and how far back a poll's cursor can reach.
const CacheSize = 200

// ErrClosed is the error of a wait on a MessageBuffer that was closed.
var ErrClosed = errors.New("chatdemo: message buffer closed")

// Message is one chat message, as the JSON of /a/message/new and
// /a/message/updates carries it.
type Message struct {
	// ID is a random UUID; a poll's cursor is the ID of the last message
	// the page has.
	ID string `json:"id"`
	// Body is the text as posted (whitespace trimmed).
	Body string `json:"body"`
	// HTML is message.html rendered for the message, which pages add to
	// their inbox as is.
	HTML string `json:"html"`
}

// MessageBuffer is the chat room: the most recent messages (at most
// CacheSize) and the polls waiting for the next one, Tornado's
// chatdemo.MessageBuffer.
//
// Each waiting poll holds a future of its own (Wait); Add completes them
// all, and a poll whose client goes away cancels its own (CancelWait), so
// the room keeps nothing for clients that left. It is loop-owned: every
// method must be called on the loop it was made with, where the chat's
// handlers run, and then it needs no lock.
type MessageBuffer struct {
	loop    *ioloop.IOLoop
	cache   []Message
	waiters map[*future.Future[struct{}]]struct{}
	closed  bool
}

// NewMessageBuffer returns an empty room whose waits complete on loop. It
// may be called before the loop starts.
func NewMessageBuffer(loop *ioloop.IOLoop) *MessageBuffer {
	return &MessageBuffer{loop: loop, waiters: make(map[*future.Future[struct{}]]struct{})}
}

// Messages returns the messages in the cache, oldest first. The slice is
// the buffer's own: read it before the loop runs another callback.
func (b *MessageBuffer) Messages() []Message { return b.cache }

// MessagesSince returns the messages newer than the one whose ID is
// cursor, oldest first. A cursor the cache does not hold (none yet, or a
// message long evicted) returns the whole cache, as Tornado's
// get_messages_since does: a page then sees what it missed, and skips
// what it already shows by ID.
func (b *MessageBuffer) MessagesSince(cursor string) []Message {
	for i := len(b.cache) - 1; i >= 0; i-- {
		if b.cache[i].ID == cursor {
			return append([]Message(nil), b.cache[i+1:]...)
		}
	}
	return append([]Message(nil), b.cache...)
}

// Add appends msg to the cache, dropping the oldest past CacheSize, and
// completes every waiting poll's future. After Close it still stores the
// message, but no one is waiting.
func (b *MessageBuffer) Add(msg Message) {
	b.cache = append(b.cache, msg)
	if over := len(b.cache) - CacheSize; over > 0 {
		// Copy down rather than reslice, so the backing array does not
		// grow without bound.
		b.cache = append(b.cache[:0], b.cache[over:]...)
	}
	ws := b.waiters
	b.waiters = make(map[*future.Future[struct{}]]struct{})
	for f := range ws {
		f.SetResult(struct{}{})
	}
}

// Wait returns a future that completes when the next message is added.
// It fails with ErrClosed if the buffer is closed (now, or before a
// message comes). Give it back with CancelWait if the poll stops waiting
// for another reason.
func (b *MessageBuffer) Wait() *future.Future[struct{}] {
	if b.closed {
		return future.Failed[struct{}](b.loop, ErrClosed)
	}
	f := future.New[struct{}](b.loop)
	b.waiters[f] = struct{}{}
	return f
}

// CancelWait forgets the wait f and cancels it (its awaiting coroutine
// gets future.ErrCancelled). A nil f, or one already completed, is no
// error: a client may leave just as its message arrives.
func (b *MessageBuffer) CancelWait(f *future.Future[struct{}]) {
	if f == nil {
		return
	}
	delete(b.waiters, f)
	f.Cancel()
}

// Waiters returns how many polls are waiting.
func (b *MessageBuffer) Waiters() int { return len(b.waiters) }

// Close fails every waiting poll with ErrClosed, and every later Wait, so
// the server can shut down without holding long polls open until its
// shutdown timeout.
func (b *MessageBuffer) Close() {
	b.closed = true
	ws := b.waiters
	b.waiters = make(map[*future.Future[struct{}]]struct{})
	for f := range ws {
		f.SetError(ErrClosed)
	}
}

// newID returns a random (version 4) UUID, as Tornado's uuid.uuid4().
func newID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
