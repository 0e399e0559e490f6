package locale

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// poEntry is one message of a .po file as it is read.
type poEntry struct {
	ctx       string
	hasCtx    bool
	id        string
	hasID     bool
	plural    string
	strs      []string
	hasStr    bool
	fuzzy     bool
	continues *string // the field a "..." line continues
}

// parsePO reads a gettext .po file: entries of
//
//	#, fuzzy
//	msgctxt "context"
//	msgid "singular"
//	msgid_plural "plural"
//	msgstr[0] "form 0"
//	msgstr[1] "form "
//	"1"
//
// with C-escaped strings that go on over "..." lines. The entry whose
// msgid is "" is the header.
func parsePO(file string, data []byte) (*catalog, error) {
	msgs := map[string][]string{}
	var e poEntry
	flush := func() {
		if e.hasID && e.hasStr && (!e.fuzzy || (e.id == "" && !e.hasCtx)) && slicesAnyNonEmpty(e.strs) {
			key := e.id
			if e.hasCtx {
				key = e.ctx + contextSeparator + e.id
			}
			msgs[key] = e.strs
		}
		e = poEntry{}
	}
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	sc.Buffer(nil, len(data)+1)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		bad := func(format string, args ...any) error {
			return &FormatError{File: file, Line: lineNo, Msg: fmt.Sprintf(format, args...)}
		}
		if line == "" || line[0] == '#' {
			if e.hasStr {
				flush()
			}
			if strings.HasPrefix(line, "#,") && strings.Contains(line, "fuzzy") {
				e.fuzzy = true
			}
			continue
		}
		if line[0] == '"' {
			s, err := unquotePO(line)
			if err != nil {
				return nil, bad("%v", err)
			}
			if e.continues == nil {
				return nil, bad("a string that continues nothing")
			}
			*e.continues += s
			continue
		}
		keyword, rest := line, ""
		if i := strings.IndexAny(line, " \t\""); i >= 0 {
			keyword, rest = line[:i], line[i:]
		}
		s, err := unquotePO(strings.TrimSpace(rest))
		if err != nil {
			return nil, bad("%s: %v", keyword, err)
		}
		if (keyword == "msgctxt" || keyword == "msgid") && e.hasStr {
			flush()
		}
		switch {
		case keyword == "msgctxt" && !e.hasID:
			e.ctx, e.hasCtx = s, true
			e.continues = &e.ctx
		case keyword == "msgid" && !e.hasID:
			e.id, e.hasID = s, true
			e.continues = &e.id
		case keyword == "msgid_plural" && e.hasID && !e.hasStr:
			e.plural = s
			e.continues = &e.plural
		case keyword == "msgstr" && e.hasID && !e.hasStr:
			e.strs, e.hasStr = []string{s}, true
			e.continues = &e.strs[0]
		case strings.HasPrefix(keyword, "msgstr[") && strings.HasSuffix(keyword, "]") && e.hasID:
			i, err := strconv.Atoi(keyword[len("msgstr[") : len(keyword)-1])
			if err != nil || i != len(e.strs) {
				return nil, bad("%s out of order", keyword)
			}
			e.strs, e.hasStr = append(e.strs, s), true
			e.continues = &e.strs[i]
		default:
			return nil, bad("unexpected %s", keyword)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &FormatError{File: file, Msg: err.Error()}
	}
	flush()
	return newCatalog(file, msgs)
}

func slicesAnyNonEmpty(ss []string) bool {
	for _, s := range ss {
		if s != "" {
			return true
		}
	}
	return false
}

// unquotePO reads a C string literal, as .po files write them.
func unquotePO(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", fmt.Errorf("want a quoted string, have %q", s)
	}
	s = s[1 : len(s)-1]
	if !strings.ContainsAny(s, `\"`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return "", fmt.Errorf("unescaped quote in %q", s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i++; i == len(s) {
			return "", fmt.Errorf("string ends in a backslash")
		}
		switch c = s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\\', '"', '\'', '?':
			b.WriteByte(c)
		case 'x':
			j := i + 1
			for j < len(s) && j < i+3 && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
				j++
			}
			v, err := strconv.ParseUint(s[i+1:j], 16, 8)
			if err != nil {
				return "", fmt.Errorf("bad \\x escape in %q", s)
			}
			b.WriteByte(byte(v))
			i = j - 1
		default:
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			if j == i {
				return "", fmt.Errorf("unknown escape \\%c", c)
			}
			v, err := strconv.ParseUint(s[i:j], 8, 8)
			if err != nil {
				return "", fmt.Errorf("bad octal escape in %q", s)
			}
			b.WriteByte(byte(v))
			i = j - 1
		}
	}
	return b.String(), nil
}
