// Package logattr holds the log attributes the packages share.
package logattr

import (
	"bytes"
	"log/slog"
	"strconv"
)

// Stack turns a stack as debug.Stack prints it into a log attribute
// that reads well in any slog handler: a group "stack" with one entry per
// frame, "0", "1", ..., each "function file:line", innermost first,
// instead of one string whose newlines a text handler would escape. A
// panic's stack starts at the frame that panicked: the frames of
// debug.Stack, the recovering function and runtime's panic are dropped.
func Stack(stack []byte) slog.Attr {
	lines := bytes.Split(bytes.TrimSpace(stack), []byte("\n"))
	start := 1 // lines[0] is "goroutine N [running]:"
	for i := 1; i+1 < len(lines); i += 2 {
		if bytes.HasPrefix(lines[i], []byte("panic(")) {
			start = i + 2
			break
		}
	}
	var frames []any
	for i := start; i+1 < len(lines); i += 2 {
		fn := string(bytes.TrimSpace(lines[i]))
		loc := bytes.TrimSpace(lines[i+1])
		if j := bytes.LastIndex(loc, []byte(" +0x")); j > 0 {
			loc = loc[:j]
		}
		frames = append(frames, slog.String(strconv.Itoa(len(frames)), fn+" "+string(loc)))
	}
	return slog.Group("stack", frames...)
}
