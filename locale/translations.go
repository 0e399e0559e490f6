package locale

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// DefaultCode is the default locale's code: the language the
// application's own strings are written in, which needs no translation
// file (Tornado's default, set_default_locale).
const DefaultCode = "en_US"

// Translations are the locales an application supports, loaded once by
// LoadCSV or LoadGettext, and the default locale. A nil *Translations
// supports the default locale only: every Get returns it, and it
// translates nothing. Translations never change once loaded (WithDefault
// returns a new value): any goroutine may use them.
type Translations struct {
	def     string
	sources map[string]source
	locales map[string]*Locale
	// codes[i] is the locale whose language tag is the matcher's i-th.
	codes   []string
	matcher language.Matcher
}

// source is one locale's loaded translations: a CSV table or a gettext
// catalog.
type source struct {
	csv csvTable
	gt  *catalog
}

// english is what a nil *Translations answers with; it never changes.
var english = newTranslations(nil, DefaultCode)

func newTranslations(sources map[string]source, def string) *Translations {
	t := &Translations{def: def, sources: sources, locales: make(map[string]*Locale, len(sources)+1)}
	t.locales[def] = newLocale(def, sources[def])
	for code, src := range sources {
		if code != def {
			t.locales[code] = newLocale(code, src)
		}
	}
	// The default first: the matcher falls back on its first tag.
	order := []string{def}
	for _, code := range t.supported() {
		if code != def {
			order = append(order, code)
		}
	}
	var tags []language.Tag
	for _, code := range order {
		if tag, err := parseTag(code); err == nil {
			tags = append(tags, tag)
			t.codes = append(t.codes, code)
		}
	}
	if len(tags) > 0 {
		t.matcher = language.NewMatcher(tags)
	}
	return t
}

// parseTag reads a locale code ("pt_BR", "sr@latin") as a BCP 47 tag.
func parseTag(code string) (language.Tag, error) {
	if i := strings.IndexByte(code, '@'); i >= 0 {
		code = code[:i]
	}
	return language.Parse(strings.ReplaceAll(code, "_", "-"))
}

// WithDefault returns the same translations with another default
// locale, code (Tornado's set_default_locale): the language the
// application's strings are written in, and the one Get returns when no
// other fits. t is unchanged.
func (t *Translations) WithDefault(code string) *Translations {
	if t == nil {
		t = english
	}
	return newTranslations(t.sources, code)
}

// Supported returns the codes of the supported locales, sorted: those
// loaded and the default (Tornado's get_supported_locales).
func (t *Translations) Supported() []string {
	if t == nil {
		t = english
	}
	return t.supported()
}

func (t *Translations) supported() []string {
	codes := make([]string, 0, len(t.locales))
	for code := range t.locales {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// Default returns the default locale.
func (t *Translations) Default() *Locale {
	if t == nil {
		t = english
	}
	return t.locales[t.def]
}

// Get returns the supported locale closest to the first of codes that
// has one, or the default locale (Tornado's locale.get). Codes are
// written "fr_FR", "fr-FR" or "fr". For each code in turn it takes the
// locale of that code, then the one of its bare language ("fr" for
// "fr_CA"), as Tornado does, and then the closest by
// golang.org/x/text/language's Matcher when it is a close match (High
// confidence or better: "fr_FR" for "fr_CA", "pt_BR" for "pt", "en_US"
// for "en_GB", but not "zh_CN" for "zh_TW").
func (t *Translations) Get(codes ...string) *Locale {
	if t == nil {
		t = english
	}
	for _, code := range codes {
		if code == "" {
			continue
		}
		code = strings.ReplaceAll(code, "-", "_")
		parts := strings.Split(code, "_")
		if len(parts) == 2 {
			code = strings.ToLower(parts[0]) + "_" + strings.ToUpper(parts[1])
		}
		if len(parts) <= 2 {
			if l, ok := t.locales[code]; ok {
				return l
			}
			if l, ok := t.locales[strings.ToLower(parts[0])]; ok {
				return l
			}
		}
		if tag, err := parseTag(code); err == nil && t.matcher != nil {
			if _, i, conf := t.matcher.Match(tag); conf >= language.High {
				return t.locales[t.codes[i]]
			}
		}
	}
	return t.locales[t.def]
}

// Get returns the locale of codes with no translations loaded: the
// default locale, en_US, whatever the codes. Applications load their
// translations and call Translations.Get.
func Get(codes ...string) *Locale { return (*Translations)(nil).Get(codes...) }

// FromAcceptLanguage returns the locale closest to an Accept-Language
// header's languages, most wanted first (Tornado's get_browser_locale):
// Get of ParseAcceptLanguage(header).
func (t *Translations) FromAcceptLanguage(header string) *Locale {
	return t.Get(ParseAcceptLanguage(header)...)
}

// ParseAcceptLanguage returns the language ranges of an Accept-Language
// header ("da, en-GB;q=0.8, en;q=0.7") by decreasing quality, those of
// equal quality in the header's order, without the ones of quality 0.
// A malformed quality counts as 0, as in Tornado.
func ParseAcceptLanguage(header string) []string {
	type ranged struct {
		code string
		q    float64
	}
	var rs []ranged
	for item := range strings.SplitSeq(header, ",") {
		code, params, _ := strings.Cut(item, ";")
		code = strings.TrimSpace(code)
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 {
					f = 0
				}
				q = f
			}
		}
		if code != "" && q > 0 {
			rs = append(rs, ranged{code, q})
		}
	}
	slices.SortStableFunc(rs, func(a, b ranged) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.code
	}
	return codes
}

// FormatError is a translation file that could not be read: a CSV row
// with an unknown plural indicator, a .po line that is not gettext's
// syntax, a .mo file that is truncated, a Plural-Forms rule that does not
// parse. Line is 0 where lines do not apply.
type FormatError struct {
	File string
	Line int
	Msg  string
}

// Error names the file, the line (if any) and what is wrong.
func (e *FormatError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("locale: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("locale: %s: %s", e.File, e.Msg)
}
