// Package locale translates an application's strings and writes dates,
// lists and numbers the way a reader's language does: Tornado's
// tornado.locale in Go.
//
// # The model
//
// An application writes its strings in one language, the default locale
// (en_US unless you say otherwise), and loads, once at start-up, the
// translations of those strings into the others. The loaded
// Translations pick a *Locale for each reader: the one closest to the
// languages the reader asks for. A Locale translates messages
// (Translate, TranslatePlural, Pgettext) and formats dates (FormatDate,
// FormatDay), lists (List) and numbers (FriendlyNumber), translating the
// English phrases it uses ("yesterday at %(time)s") through its own
// translations, so one translation file covers both.
//
// # Translations in Tornado's CSV files
//
// A directory holds one file per locale, named for it (es_LA.csv, fr.csv),
// each row a message, its translation and an optional plural indicator:
//
//	"I love you","Te amo"
//	"%(name)s liked this","A %(name)s les gustó esto","plural"
//	"%(name)s liked this","A %(name)s le gustó esto","singular"
//
// Load it and pick a locale:
//
//	tr, err := locale.LoadCSV("translations")
//	if err != nil {
//		log.Fatal(err) // a *FormatError names the file and line
//	}
//	es := tr.Get("es_LA")
//	fmt.Println(es.Translate("I love you")) // Te amo
//
// Messages keep Python's named placeholders, as Tornado's translations
// are written; Format fills them once the message is translated:
//
//	msg := es.TranslatePlural("%(name)s liked this", "%(name)s liked this", len(people))
//	fmt.Println(locale.Format(msg, map[string]any{"name": es.List(people)}))
//
// # Translations in gettext catalogs
//
// Gettext's tools (xgettext, msgmerge, msgfmt, Poedit, Weblate) keep
// catalogs in a locale tree; LoadGettext reads its compiled .mo files and
// its .po sources alike, with no tool needed at run time:
//
//	translations/fr_FR/LC_MESSAGES/myapp.po
//	translations/ru/LC_MESSAGES/myapp.mo
//
//	tr, err := locale.LoadGettext("translations", "myapp")
//
// Gettext catalogs carry their language's plural rule (the Plural-Forms
// header), so TranslatePlural picks among as many forms as the language
// has: Russian's "1 файл", "2 файла", "5 файлов". Any rule written in
// gettext's C expressions is read (see Locale.TranslatePlural). Gettext
// also has contexts, to tell apart a message that reads the same in
// English but not in French: Pgettext("law", "right") and
// Pgettext("good", "right").
//
// # Choosing the reader's locale
//
// Get takes locale codes, most wanted first ("fr_CA", "fr-CA" and "fr" are
// all understood), and FromAcceptLanguage a browser's Accept-Language
// header; both return the closest supported locale, matched with
// golang.org/x/text/language (French from Canada gets fr_FR when that is
// the French you have), or the default locale when nothing is close:
//
//	l := tr.FromAcceptLanguage("fr-CH, fr;q=0.9, en;q=0.8")
//
// The web package does this for each request: set web.Config.Translations
// and call RequestHandler.Locale, or use _ in templates:
//
//	<h1>{{_ "Welcome"}}</h1>
//	<p>{{printf (_ "%d new message" "%d new messages" .Count) .Count}}</p>
//
// # Dates, lists and numbers
//
// FormatDate writes dates as Tornado does, relative to now for recent
// ones ("3 minutes ago", "yesterday at 1:00 pm", "Monday at 1:00 pm",
// "January 22 at 1:00 pm", "January 22, 2020 at 1:00 pm"), in the
// reader's time zone when you know it (DateConfig.GMTOffset):
//
//	l.FormatDate(comment.Posted, locale.DateConfig{GMTOffset: user.TZOffset})
//
// FormatDay writes "Monday, January 22", List "A, B and C" and
// FriendlyNumber "1,234,567".
//
// # Which goroutine
//
// Load translations once, before serving. Nothing in this package keeps
// mutable state: Translations and Locales never change once loaded (a
// nil *Translations is English only), so any goroutine, any loop, may
// use them at the same time without locks.
package locale
