package logattr

import (
	"bytes"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStack(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("panic", Stack(debug.Stack()))
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "\n"), "one line, no escaped newlines: %s", out)
	assert.NotContains(t, out, `\n`)
	assert.Contains(t, out, "stack.0=")
	assert.Regexp(t, `stack\.\d+="?github.com/gornado/gornado/internal/logattr.TestStack\(.*\) \S+logattr_test.go:\d+"?`, out)
}
