package locale

import (
	"fmt"
	"strconv"
	"strings"
)

// pluralRule is a compiled Plural-Forms expression: the index of the form
// for n things.
type pluralRule func(n int64) int64

// germanic is the rule of catalogs without a Plural-Forms header, and of
// English: one, and the rest.
func germanic(n int64) int64 {
	if n != 1 {
		return 1
	}
	return 0
}

// parsePluralForms compiles the plural= expression of a Plural-Forms
// header ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 &&
// n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"). The expression is C's,
// as gettext reads it: the variable n, decimal integers, ! and unary -,
// * / %, + -, < <= > >=, == !=, &&, ||, ?: and parentheses. That covers
// every rule in gettext's manual and the CLDR-derived headers of real
// catalogs: one form (ja, zh, ko), n != 1 (en, de, es, it...), n > 1
// (fr, pt_BR), the Slavic three (ru, uk, pl, cs), and Arabic's six.
func parsePluralForms(header string) (pluralRule, error) {
	_, expr, ok := strings.Cut(header, "plural=")
	if !ok {
		return nil, fmt.Errorf("Plural-Forms %q has no plural=", header)
	}
	expr, _, _ = strings.Cut(expr, ";")
	p := &pluralParser{src: expr}
	rule, err := p.ternary()
	if err == nil && p.skip() < len(p.src) {
		err = fmt.Errorf("unexpected %q", p.src[p.pos:])
	}
	if err != nil {
		return nil, fmt.Errorf("Plural-Forms %q: %w", header, err)
	}
	return rule, nil
}

type pluralParser struct {
	src string
	pos int
}

// skip moves past spaces and returns the position.
func (p *pluralParser) skip() int {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
	return p.pos
}

// accept consumes op if it comes next (and is not the start of a longer
// operator that begins with it: "<" before "<=", "!" before "!=").
func (p *pluralParser) accept(op string) bool {
	p.skip()
	if !strings.HasPrefix(p.src[p.pos:], op) {
		return false
	}
	if rest := p.src[p.pos+len(op):]; len(op) == 1 && strings.ContainsAny(op, "<>!=") && strings.HasPrefix(rest, "=") {
		return false
	}
	p.pos += len(op)
	return true
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (p *pluralParser) ternary() (pluralRule, error) {
	cond, err := p.binary(0)
	if err != nil || !p.accept("?") {
		return cond, err
	}
	yes, err := p.ternary()
	if err != nil {
		return nil, err
	}
	if !p.accept(":") {
		return nil, fmt.Errorf("missing : at %d", p.pos)
	}
	no, err := p.ternary()
	if err != nil {
		return nil, err
	}
	return func(n int64) int64 {
		if cond(n) != 0 {
			return yes(n)
		}
		return no(n)
	}, nil
}

// levels are C's binary operators from the loosest binding to the
// tightest.
var levels = [][]string{{"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}}

func (p *pluralParser) binary(level int) (pluralRule, error) {
	if level == len(levels) {
		return p.unary()
	}
	left, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := ""
		for _, o := range levels[level] {
			if p.accept(o) {
				op = o
				break
			}
		}
		if op == "" {
			return left, nil
		}
		right, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		left = combine(op, left, right)
	}
}

func combine(op string, l, r pluralRule) pluralRule {
	switch op {
	case "||":
		return func(n int64) int64 { return b2i(l(n) != 0 || r(n) != 0) }
	case "&&":
		return func(n int64) int64 { return b2i(l(n) != 0 && r(n) != 0) }
	case "==":
		return func(n int64) int64 { return b2i(l(n) == r(n)) }
	case "!=":
		return func(n int64) int64 { return b2i(l(n) != r(n)) }
	case "<=":
		return func(n int64) int64 { return b2i(l(n) <= r(n)) }
	case ">=":
		return func(n int64) int64 { return b2i(l(n) >= r(n)) }
	case "<":
		return func(n int64) int64 { return b2i(l(n) < r(n)) }
	case ">":
		return func(n int64) int64 { return b2i(l(n) > r(n)) }
	case "+":
		return func(n int64) int64 { return l(n) + r(n) }
	case "-":
		return func(n int64) int64 { return l(n) - r(n) }
	case "*":
		return func(n int64) int64 { return l(n) * r(n) }
	case "/":
		return func(n int64) int64 {
			if d := r(n); d != 0 {
				return l(n) / d
			}
			return 0
		}
	}
	return func(n int64) int64 { // "%"
		if d := r(n); d != 0 {
			return l(n) % d
		}
		return 0
	}
}

func (p *pluralParser) unary() (pluralRule, error) {
	switch {
	case p.accept("!"):
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(n int64) int64 { return b2i(x(n) == 0) }, nil
	case p.accept("-"):
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(n int64) int64 { return -x(n) }, nil
	case p.accept("("):
		x, err := p.ternary()
		if err != nil {
			return nil, err
		}
		if !p.accept(")") {
			return nil, fmt.Errorf("missing ) at %d", p.pos)
		}
		return x, nil
	case p.accept("n"):
		return func(n int64) int64 { return n }, nil
	}
	start := p.skip()
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if start == p.pos {
		if start == len(p.src) {
			return nil, fmt.Errorf("unexpected end")
		}
		return nil, fmt.Errorf("unexpected %q at %d", p.src[start:], start)
	}
	v, err := strconv.ParseInt(p.src[start:p.pos], 10, 64)
	if err != nil {
		return nil, err
	}
	return func(int64) int64 { return v }, nil
}
