package locale_test

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/locale"
)

// Tornado's locale_test.py, test_csv.
func TestTornadoCSV(t *testing.T) {
	tr, err := locale.LoadCSV("testdata/tornado/csv")
	require.NoError(t, err)
	assert.Equal(t, []string{"en_US", "fr_FR"}, tr.Supported())
	fr := tr.Get("fr_FR")
	assert.Equal(t, "fr_FR", fr.Code())
	assert.Equal(t, "école", fr.Translate("school"))
	assert.Equal(t, "Français", fr.Name())
	assert.Equal(t, "French", fr.EnglishName())
	assert.Equal(t, "unknown message", fr.Translate("unknown message"))
	// CSV has no contexts: Pgettext is Translate.
	assert.Equal(t, "école", fr.Pgettext("building", "school"))
}

// Tornado's test_csv_bom: UTF-8 with a byte-order mark, and UTF-16 in
// both byte orders.
func TestCSVByteOrderMarks(t *testing.T) {
	src, err := os.ReadFile("testdata/tornado/csv/fr_FR.csv")
	require.NoError(t, err)
	units := utf16.Encode([]rune(string(src)))
	le, be := []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	for _, u := range units {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{
		"utf-8-sig": append([]byte("\xEF\xBB\xBF"), src...),
		"utf-16le":  le,
		"utf-16be":  be,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "fr_FR.csv"), data, 0o644))
			tr, err := locale.LoadCSV(dir)
			require.NoError(t, err)
			assert.Equal(t, "école", tr.Get("fr_FR").Translate("school"))
		})
	}
}

// Tornado's docstring example: singular and plural rows of a message.
func TestCSVPlural(t *testing.T) {
	tr, err := locale.LoadCSV("testdata/csv")
	require.NoError(t, err)
	es := tr.Get("es_LA")
	assert.Equal(t, "Te amo", es.Translate("I love you"))
	assert.Equal(t, "escuela", es.Translate("school"), "an empty indicator is unknown")
	one := es.TranslatePlural("%(name)s liked this", "%(name)s liked this", 1)
	many := es.TranslatePlural("%(name)s liked this", "%(name)s liked this", 2)
	assert.Equal(t, "A Ana le gustó esto", locale.Format(one, map[string]any{"name": "Ana"}))
	assert.Equal(t, "A Ana y Luis les gustó esto", locale.Format(many, map[string]any{"name": es.List([]string{"Ana", "Luis"})}))
	// Untranslated: singular for one, plural otherwise, zero included.
	assert.Equal(t, "1 apple", es.TranslatePlural("1 apple", "%(n)d apples", 1))
	assert.Equal(t, "%(n)d apples", es.TranslatePlural("1 apple", "%(n)d apples", 0))
}

func TestCSVErrors(t *testing.T) {
	for name, tc := range map[string]struct{ file, body string }{
		"indicator": {"fr_FR.csv", "\"a\",\"b\"\n\"c\",\"d\",\"dual\"\n"},
		"file name": {"French.csv", "\"a\",\"b\"\n"},
		"quoting":   {"fr.csv", "\"a\"x,\"b\"\n"},
		"encoding":  {"fr.csv", "\"a\",\"\xff\"\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.body), 0o644))
			_, err := locale.LoadCSV(dir)
			var fe *locale.FormatError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.file, fe.File)
			if name == "indicator" {
				assert.Equal(t, 2, fe.Line)
			}
		})
	}
	_, err := locale.LoadCSV(filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// Tornado's test_gettext, on the .mo file and on the .po file alone.
func TestTornadoGettext(t *testing.T) {
	poOnly := t.TempDir()
	po, err := os.ReadFile("testdata/tornado/gettext/fr_FR/LC_MESSAGES/tornado_test.po")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(poOnly, "fr_FR", "LC_MESSAGES"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(poOnly, "fr_FR", "LC_MESSAGES", "tornado_test.po"), po, 0o644))

	for name, dir := range map[string]string{"mo": "testdata/tornado/gettext", "po": poOnly} {
		t.Run(name, func(t *testing.T) {
			tr, err := locale.LoadGettext(dir, "tornado_test")
			require.NoError(t, err)
			assert.Equal(t, []string{"en_US", "fr_FR"}, tr.Supported())
			fr := tr.Get("fr_FR")
			assert.Equal(t, "école", fr.Translate("school"))
			assert.Equal(t, "le droit", fr.Pgettext("law", "right"))
			assert.Equal(t, "le bien", fr.Pgettext("good", "right"))
			assert.Equal(t, "right", fr.Pgettext("moral", "right"))
			assert.Equal(t, "right", fr.Translate("right"), "a message with a context is not found without it")
			assert.Equal(t, "le club", fr.PgettextPlural("organization", "club", "clubs", 1))
			assert.Equal(t, "les clubs", fr.PgettextPlural("organization", "club", "clubs", 2))
			assert.Equal(t, "le bâton", fr.PgettextPlural("stick", "club", "clubs", 1))
			assert.Equal(t, "les bâtons", fr.PgettextPlural("stick", "club", "clubs", 2))
			// French's rule is n > 1: zero is singular.
			assert.Equal(t, "le bâton", fr.PgettextPlural("stick", "club", "clubs", 0))
			assert.Equal(t, "clubs", fr.PgettextPlural("golf", "club", "clubs", 2))
		})
	}
	// Another domain finds nothing: the default locale only.
	tr, err := locale.LoadGettext("testdata/tornado/gettext", "other")
	require.NoError(t, err)
	assert.Equal(t, []string{"en_US"}, tr.Supported())
}

func TestGettextPluralForms(t *testing.T) {
	tr, err := locale.LoadGettext("testdata/gettext", "app")
	require.NoError(t, err)
	assert.Equal(t, []string{"en_US", "ja", "pt_BR", "ru_RU"}, tr.Supported())

	ru := tr.Get("ru")
	for n, want := range map[int]string{1: "1 файл", 2: "2 файла", 4: "4 файла", 5: "5 файлов",
		11: "11 файлов", 12: "12 файлов", 21: "21 файл", 22: "22 файла", 25: "25 файлов", 0: "0 файлов", 101: "101 файл"} {
		got := locale.Format(ru.TranslatePlural("%(n)d file", "%(n)d files", n), map[string]any{"n": n})
		assert.Equal(t, want, got, "n=%d", n)
	}
	assert.Equal(t, "Hello", ru.Translate("Hello"), "fuzzy entries are left out")
	assert.Equal(t, "Untranslated", ru.Translate("Untranslated"))
	assert.Equal(t, "Obsolete", ru.Translate("Obsolete"))
	assert.Equal(t, "Многострок\n\t\"quoted\" \\ AB", ru.Translate("Multiline"))

	ja := tr.Get("ja_JP")
	for _, n := range []int{0, 1, 2, 100} {
		assert.Equal(t, "%(n)d ファイル", ja.TranslatePlural("%(n)d file", "%(n)d files", n))
	}

	pt := tr.Get("pt-BR") // ISO-8859-1, converted
	assert.Equal(t, "arquivo à", pt.TranslatePlural("file", "files", 0))
	assert.Equal(t, "arquivo à", pt.TranslatePlural("file", "files", 1))
	assert.Equal(t, "arquivos à", pt.TranslatePlural("file", "files", 2))
	assert.Equal(t, "sim", pt.Translate("yes"))

	// Untranslated messages follow English's rule, whatever the catalog's.
	assert.Equal(t, "%(n)d folders", ja.TranslatePlural("%(n)d folder", "%(n)d folders", 1+1))
	assert.Equal(t, "%(n)d folder", ru.TranslatePlural("%(n)d folder", "%(n)d folders", 1))
}

func TestGettextErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "de", "LC_MESSAGES"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "de", "LC_MESSAGES", "app.po"), []byte("msgid \"a\"\nmsgstr \"b\"\nbogus \"c\"\n"), 0o644))
	_, err := locale.LoadGettext(dir, "app")
	var fe *locale.FormatError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, filepath.Join("de", "LC_MESSAGES", "app.po"), fe.File)
	assert.Equal(t, 3, fe.Line)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "de", "LC_MESSAGES", "app.mo"), []byte("not a catalog at all"), 0o644))
	_, err = locale.LoadGettext(dir, "app")
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Error(), "app.mo: not a .mo file")
}

func TestGet(t *testing.T) {
	tr, err := locale.LoadCSV(t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, "en_US", tr.Get("fr").Code(), "nothing loaded: the default")

	dir := t.TempDir()
	for _, code := range []string{"fr_FR", "pt_BR", "zh_CN", "es_LA", "de", "en_GB"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, code+".csv"), []byte(`"a","b"`), 0o644))
	}
	tr, err = locale.LoadCSV(dir)
	require.NoError(t, err)
	for _, tc := range []struct {
		codes []string
		want  string
	}{
		{[]string{"fr_FR"}, "fr_FR"},
		{[]string{"FR-fr"}, "fr_FR"},
		{[]string{"de_AT"}, "de"},                // Tornado: the bare language
		{[]string{"fr_CA"}, "fr_FR"},             // the Matcher: same language
		{[]string{"fr"}, "fr_FR"},                // the Matcher: the only French
		{[]string{"pt"}, "pt_BR"},                //
		{[]string{"es-MX"}, "es_LA"},             //
		{[]string{"en_GB"}, "en_GB"},             //
		{[]string{"en_AU"}, "en_GB"},             // the Matcher's choice of English
		{[]string{"zh_TW"}, "en_US"},             // another script is not close
		{[]string{"ja", "sv"}, "en_US"},          // nothing: the default
		{[]string{"ja", "fr_CA", "de"}, "fr_FR"}, // the first that fits
		{[]string{"", "x-bogus-!", "de"}, "de"},
		{nil, "en_US"},
	} {
		assert.Equal(t, tc.want, tr.Get(tc.codes...).Code(), "%q", tc.codes)
	}

	es := tr.WithDefault("es_LA")
	assert.Equal(t, "es_LA", es.Get("ja").Code())
	assert.Equal(t, "es_LA", es.Default().Code())
	assert.Equal(t, "en_US", tr.Get("ja").Code(), "WithDefault leaves the original alone")
	assert.NotContains(t, es.Supported(), "en_US")
}

func TestAcceptLanguage(t *testing.T) {
	assert.Equal(t, []string{"da", "en-GB", "en"}, locale.ParseAcceptLanguage("da, en-GB;q=0.8, en;q=0.7"))
	assert.Equal(t, []string{"en", "fr", "de"}, locale.ParseAcceptLanguage("de;q=0.5 ,fr;q=0.9, en, it;q=0, es;q=bad, nl;q=-1"))
	assert.Equal(t, []string{"a", "b", "c"}, locale.ParseAcceptLanguage("a;q=0.5, b;q=0.5, c;q=0.5"), "ties keep the header's order")
	assert.Empty(t, locale.ParseAcceptLanguage(""))

	tr, err := locale.LoadCSV("testdata/csv")
	require.NoError(t, err)
	for header, want := range map[string]string{
		"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5": "fr_FR",
		"de-DE, es;q=0.3, fr;q=0.2":                    "es_LA",
		"en-US,en;q=0.9,fr;q=0.8":                      "en_US",
		"ja,zh;q=0.5":                                  "en_US",
		"fr;q=0, es":                                   "es_LA",
		"":                                             "en_US",
	} {
		assert.Equal(t, want, tr.FromAcceptLanguage(header).Code(), header)
	}
}

func TestNilTranslations(t *testing.T) {
	var tr *locale.Translations
	l := tr.Get("fr_FR")
	assert.Equal(t, "en_US", l.Code())
	assert.Same(t, l, locale.Get("de"))
	assert.Same(t, l, tr.FromAcceptLanguage("fr"))
	assert.Same(t, l, tr.Default())
	assert.Equal(t, []string{"en_US"}, tr.Supported())
	assert.Equal(t, "school", l.Translate("school"))
	assert.Equal(t, "ecoles", l.TranslatePlural("ecole", "ecoles", 3))
	assert.Equal(t, "fr", tr.WithDefault("fr").Get("en").Code())
}

func TestRTL(t *testing.T) {
	dir := t.TempDir()
	for _, code := range []string{"fa_IR", "he_IL", "ar_AR", "fr_FR"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, code+".csv"), nil, 0o644))
	}
	tr, err := locale.LoadCSV(dir)
	require.NoError(t, err)
	for code, rtl := range map[string]bool{"fa_IR": true, "he_IL": true, "ar_AR": true, "fr_FR": false, "en_US": false} {
		assert.Equal(t, rtl, tr.Get(code).RTL(), code)
	}
	assert.Equal(t, "A \u0648 B and C", tr.Get("fa_IR").List([]string{"A", "B", "C"}))
}

// Loaded translations are read-only: any goroutine may use them.
func TestConcurrentUse(t *testing.T) {
	tr, err := locale.LoadGettext("testdata/gettext", "app")
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for i := range 200 {
				l := tr.FromAcceptLanguage("ru-RU, en;q=0.5")
				if got := l.TranslatePlural("%(n)d file", "%(n)d files", i); got == "" {
					errs <- errors.New("empty translation")
				}
				_ = tr.Get("ja").List([]string{"a", "b"})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
