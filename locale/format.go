package locale

import (
	"fmt"
	"strings"
)

// Format fills Python's named placeholders in a translated message, as
// Tornado's translations are written and as Python's % operator does:
// %(name)s is fmt.Sprint(args["name"]), %(name)d the same for an integer
// (a float is truncated, as Python's %d), and %% is a percent sign.
//
//	msg := l.TranslatePlural("%(name)s liked this", "%(name)s liked this", len(people))
//	locale.Format(msg, map[string]any{"name": l.List(people)})
//
// A placeholder whose name args lacks, or with another conversion, is
// left as it is, so a mistake shows in the page rather than panicking.
func Format(format string, args map[string]any) string {
	if !strings.Contains(format, "%") {
		return format
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 || i+1 >= len(format) {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		format = format[i:]
		if format[1] == '%' {
			b.WriteByte('%')
			format = format[2:]
			continue
		}
		end := strings.IndexByte(format, ')')
		if format[1] != '(' || end < 0 || end+1 >= len(format) {
			b.WriteByte('%')
			format = format[1:]
			continue
		}
		name, verb := format[2:end], format[end+1]
		v, ok := args[name]
		if !ok || (verb != 's' && verb != 'd') {
			b.WriteString(format[:end+2])
			format = format[end+2:]
			continue
		}
		if verb == 'd' {
			switch f := v.(type) {
			case float64:
				v = int64(f)
			case float32:
				v = int64(f)
			}
		}
		fmt.Fprint(&b, v)
		format = format[end+2:]
	}
}
