package locale

import (
	"strconv"
	"strings"
)

// Locale is one language's translations and formats (Tornado's
// Locale, CSVLocale and GettextLocale in one type). Get one from
// Translations.Get or Translations.FromAcceptLanguage. A Locale never
// changes: any goroutine may use it.
type Locale struct {
	code string
	rtl  bool
	csv  csvTable // CSV translations; nil for gettext
	gt   *catalog // gettext translations; nil for CSV

	months   [12]string
	weekdays [7]string // Monday first, as Python's weekday()
}

func newLocale(code string, src source) *Locale {
	l := &Locale{code: code, csv: src.csv, gt: src.gt}
	for _, p := range []string{"fa", "ar", "he"} {
		if strings.HasPrefix(code, p) {
			l.rtl = true
		}
	}
	for i, m := range [...]string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"} {
		l.months[i] = l.Translate(m)
	}
	for i, d := range [...]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		l.weekdays[i] = l.Translate(d)
	}
	return l
}

// Code returns the locale's code as its translations are named
// ("fr_FR", "en_US").
func (l *Locale) Code() string { return l.code }

// Name returns the language's name in that language ("Français"), or
// "Unknown" for a code Tornado's table of names lacks.
func (l *Locale) Name() string {
	if n, ok := names[l.code]; ok {
		return n[1]
	}
	return "Unknown"
}

// EnglishName returns the language's name in English ("French"), or
// "Unknown".
func (l *Locale) EnglishName() string {
	if n, ok := names[l.code]; ok {
		return n[0]
	}
	return "Unknown"
}

// RTL reports whether the language is written right to left (Persian,
// Arabic, Hebrew), as Tornado's rtl.
func (l *Locale) RTL() bool { return l.rtl }

// Translate returns the translation of message, or message itself when
// the locale has none (Tornado's translate(message)). CSV translations
// come from rows whose plural indicator is "unknown" or empty.
func (l *Locale) Translate(message string) string {
	if l.gt != nil {
		if s, ok := l.gt.get(message); ok {
			return s
		}
		return message
	}
	if s, ok := l.csv[pluralUnknown][message]; ok {
		return s
	}
	return message
}

// TranslatePlural returns the form of a message for count things
// (Tornado's translate(message, plural_message, count)). Gettext
// translations choose the form with the catalog's Plural-Forms rule; CSV
// translations, which have only two, take the "plural" row's translation
// of plural when count != 1 and the "singular" row's translation of
// singular otherwise. Untranslated, it returns singular when count == 1
// and plural otherwise.
func (l *Locale) TranslatePlural(singular, plural string, count int) string {
	if l.gt != nil {
		return l.gt.nget(singular, singular, plural, count)
	}
	kind, msg := pluralSingular, singular
	if count != 1 {
		kind, msg = pluralPlural, plural
	}
	if s, ok := l.csv[kind][msg]; ok {
		return s
	}
	return msg
}

// Pgettext returns the translation of message in context (gettext's
// msgctxt: "law" and "right" apart from "good" and "right"), or message
// itself when there is none. CSV translations have no contexts: for them
// it is Translate(message).
func (l *Locale) Pgettext(context, message string) string {
	if l.gt == nil {
		return l.Translate(message)
	}
	if s, ok := l.gt.get(context + contextSeparator + message); ok {
		return s
	}
	return message
}

// PgettextPlural is TranslatePlural in context (Tornado's
// pgettext(context, message, plural_message, count)); as in Tornado, a
// message with no translation in context is translated without one.
func (l *Locale) PgettextPlural(context, singular, plural string, count int) string {
	if l.gt == nil {
		return l.TranslatePlural(singular, plural, count)
	}
	if _, ok := l.gt.msgs[context+contextSeparator+singular]; ok {
		return l.gt.nget(context+contextSeparator+singular, singular, plural, count)
	}
	return l.gt.nget(singular, singular, plural, count)
}

// List joins parts as a sentence does: "A, B and C", "A and B", "A"
// ("" for none); the " and " comes from the translation of
// "%(commas)s and %(last)s".
func (l *Locale) List(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	comma := ", "
	if strings.HasPrefix(l.code, "fa") {
		comma = " \u0648 "
	}
	return Format(l.Translate("%(commas)s and %(last)s"), map[string]any{
		"commas": strings.Join(parts[:len(parts)-1], comma),
		"last":   parts[len(parts)-1],
	})
}

// FriendlyNumber returns n with thousands separated by commas for
// English ("1,234,567"), and plain digits for other locales, as Tornado.
func (l *Locale) FriendlyNumber(n int) string {
	s := strconv.Itoa(n)
	if l.code != "en" && l.code != "en_US" {
		return s
	}
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
