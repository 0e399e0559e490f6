package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimersExampleRuns(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out))
	text := out.String()
	// The events that have a fixed order, whatever the machine's speed.
	order := []string{
		"slow sleeps 600ms",
		"quick woke up",
		"medium woke up",
		"slow woke up",
		"all sleepers done: [slow quick medium]",
		"computing primes on the executor",
		"148933 primes below 2,000,000",
		`child says "line 1"`,
		`child says "line 2"`,
		`child says "line 3"`,
		"child exited with status 0",
		"done after",
	}
	pos := 0
	for _, want := range order {
		i := strings.Index(text[pos:], want)
		require.GreaterOrEqual(t, i, 0, "%q missing or out of order in:\n%s", want, text)
		pos += i
	}
	assert.Regexp(t, regexp.MustCompile(`heartbeat 1\n`), text)
	assert.Contains(t, text, "CallLater fired after 100ms")
}
