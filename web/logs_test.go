package web_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

func TestOneRecordPerFailedRequest(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/arg`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			q, err := h.GetArgument("q")
			if err != nil {
				return err
			}
			return h.Write(q)
		})},
		{Pattern: `/gone`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			return web.NewHTTPError(410, "story %d was deleted", 7)
		})},
		{Pattern: `/panic`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			panic("kaboom")
		})},
		{Pattern: `/empty`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			h.SetStatus(204)
			return nil
		})},
	}, web.Config{})
	logs := looptest.Logs(s.Loop)
	logs.SetFailUnexpected(true) // a second record for a request fails the test
	// A client error: one access record, with the reason Tornado logs.
	looptest.ExpectLog(t, s.Loop, slog.LevelWarn, `^request status=400 method=GET uri=/arg .* error=Missing argument q$`)
	looptest.ExpectLog(t, s.Loop, slog.LevelWarn, `^request status=410 method=GET uri=/gone .* error=story 7 was deleted$`)
	// A panic: its own record, with the stack one frame per attribute
	// (no escaped newlines), and the access record.
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `^web: request failed method=GET uri=/panic status=500 error=panic: kaboom stack\.0=github\.com/gornado/gornado/web_test\.TestOneRecordPerFailedRequest\.func3\(.*\) \S+/logs_test\.go:\d+ stack\.1=`)
	looptest.ExpectLog(t, s.Loop, slog.LevelError, `^request status=500 method=GET uri=/panic `)

	resp, _ := s.Get("/arg")
	assert.Equal(t, 400, resp.StatusCode)
	resp, _ = s.Get("/gone")
	assert.Equal(t, 410, resp.StatusCode)
	resp, _ = s.Get("/panic")
	assert.Equal(t, 500, resp.StatusCode)

	// A 204 says nothing about a body it has not (Tornado 6.2).
	resp, _ = s.Get("/empty")
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Type"))
}

func TestCoroutinesURL(t *testing.T) {
	s := serveApp(t, []web.Route{
		{Pattern: `/slow`, Handler: handle(func(h *funcHandler, co *gen.Co) error {
			if err := gen.Sleep(co, time.Hour); err != nil {
				return err
			}
			return h.Write("late")
		})},
	}, web.Config{CoroutinesURL: "/debug/coroutines", Server: httpserver.Config{XHeaders: true}})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `status=403`)
	go s.Client.Get(s.URL + "/slow") // parks on its sleep; ends with the test
	var body string
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(body, "waiting for sleep"); {
		require.False(t, time.Now().After(deadline), "the parked handler never showed: %s", body)
		_, body = s.Get("/debug/coroutines")
		time.Sleep(time.Millisecond)
	}
	assert.Contains(t, body, "1 coroutine(s) parked")
	assert.Contains(t, body, "logs_test.go", "with the stack where it parked")
	resp, _ := s.Get("/debug/coroutines", "X-Real-Ip", "203.0.113.7")
	assert.Equal(t, 403, resp.StatusCode, "not to a client off the machine")
}
