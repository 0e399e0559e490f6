package web

import (
	"fmt"
	"html/template"
	"reflect"

	"github.com/gornado/gornado/locale"
)

// UserLocaleGetter is a handler that knows its user's language (Tornado's
// get_user_locale), from a profile or a cookie. It runs once per request,
// the first time Locale is asked; a nil result falls back to the
// browser's Accept-Language.
type UserLocaleGetter interface {
	GetUserLocale() *locale.Locale
}

// Locale returns the locale of this request (Tornado's
// RequestHandler.locale), chosen the first time it is asked: what
// SetLocale set, else the handler's GetUserLocale, else BrowserLocale.
// Without Config.Translations it is English (en_US), translating nothing.
// Loop-only.
func (h *RequestHandler) Locale() *locale.Locale {
	if h.loc == nil {
		if g, ok := h.self.(UserLocaleGetter); ok {
			h.loc = g.GetUserLocale()
		}
		if h.loc == nil {
			h.loc = h.BrowserLocale()
		}
	}
	return h.loc
}

// SetLocale sets this request's locale; nil chooses it again. Loop-only.
func (h *RequestHandler) SetLocale(l *locale.Locale) { h.loc = l }

// BrowserLocale returns the supported locale closest to the request's
// Accept-Language header, or the default locale (Tornado's
// get_browser_locale; see locale.Translations.FromAcceptLanguage).
// Loop-only.
func (h *RequestHandler) BrowserLocale() *locale.Locale {
	return h.Application.settings.Translations.FromAcceptLanguage(h.Request.Header.Get("Accept-Language"))
}

// translateFunc is the templates' _: {{_ "message"}} translates with the
// request's locale, {{_ "singular" "plural" count}} picks the form for
// count.
func translateFunc(lt *loopTemplates) func(message string, plural ...any) (string, error) {
	return func(message string, plural ...any) (string, error) {
		l := lt.cur.Locale()
		switch len(plural) {
		case 0:
			return l.Translate(message), nil
		case 2:
			p, ok := plural[0].(string)
			n, isInt := toInt(plural[1])
			if ok && isInt {
				return l.TranslatePlural(message, p, n), nil
			}
		}
		return "", fmt.Errorf(`_ takes "message", or "singular" "plural" count; have %q %v`, message, plural)
	}
}

// localeFuncs are the templates' functions of the request's locale.
func localeFuncs(lt *loopTemplates) template.FuncMap {
	return template.FuncMap{
		"_":      translateFunc(lt),
		"locale": func() *locale.Locale { return lt.cur.Locale() },
	}
}

func toInt(v any) (int, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int(rv.Uint()), true
	}
	return 0, false
}
