package web_test

import (
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/locale"
	"github.com/gornado/gornado/web"
)

// schoolHandler says which locale the request got, and translates with it.
type schoolHandler struct{ web.RequestHandler }

func (h *schoolHandler) Get(co *gen.Co) error {
	l := h.Locale()
	return h.Write(l.Code() + " " + l.Translate("school") + " " + h.BrowserLocale().Code())
}

// profileHandler takes the language of the user's profile, here ?lang=.
type profileHandler struct {
	web.RequestHandler
	tr    *locale.Translations
	calls *atomic.Int32
}

func (h *profileHandler) GetUserLocale() *locale.Locale {
	h.calls.Add(1)
	if lang, _ := h.GetArgument("lang", ""); lang != "" {
		return h.tr.Get(lang)
	}
	return nil // the browser's, then
}

func (h *profileHandler) Get(co *gen.Co) error {
	first := h.Locale()
	if h.Locale() != first {
		return h.Write("Locale changed within the request")
	}
	if o, _ := h.GetArgument("override", ""); o != "" {
		h.SetLocale(h.tr.Get("es_LA"))
	}
	return h.Write(h.Locale().Code() + " " + h.Locale().Translate("school"))
}

// pageHandler renders a template that translates.
type pageHandler struct{ web.RequestHandler }

func (h *pageHandler) Get(co *gen.Co) error {
	name, _ := h.GetArgument("page", "page.html")
	return h.Render(name, map[string]any{"N": 3, "People": []string{"Ana", "Luis"}})
}

var localeTemplates = fstest.MapFS{
	"page.html": {Data: []byte(`{{_ "school"}}|{{_ "1 minute ago" "%(minutes)d minutes ago" .N}}|` +
		`{{_ "1 minute ago" "%(minutes)d minutes ago" 1}}|{{(locale).Code}}|{{(locale).List .People}}|{{_ "<b>"}}`)},
	"bad.html": {Data: []byte(`{{_ "one" "many"}}`)},
}

func loadTestTranslations(t *testing.T) *locale.Translations {
	tr, err := locale.LoadCSV("../locale/testdata/csv")
	require.NoError(t, err)
	return tr
}

func TestLocaleFromAcceptLanguage(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[schoolHandler]()}},
		web.Config{Translations: loadTestTranslations(t)})
	for header, want := range map[string]string{
		"fr-CA, en;q=0.5":         "fr_FR école fr_FR",
		"de, es;q=0.8, fr;q=0.9":  "fr_FR école fr_FR",
		"ja":                      "en_US school en_US",
		"":                        "en_US school en_US",
		"es-MX;q=0.9, fr;q=bogus": "es_LA escuela es_LA",
	} {
		var hdr []string
		if header != "" {
			hdr = []string{"Accept-Language", header}
		}
		resp, body := s.Get("/", hdr...)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, want, body, header)
	}
}

func TestLocaleWithoutTranslations(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[schoolHandler]()}}, web.Config{})
	_, body := s.Get("/", "Accept-Language", "fr-FR")
	assert.Equal(t, "en_US school en_US", body)
}

func TestGetUserLocale(t *testing.T) {
	tr := loadTestTranslations(t)
	var calls atomic.Int32
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Init(func(h *profileHandler) { h.tr, h.calls = tr, &calls })}},
		web.Config{Translations: tr})

	_, body := s.Get("/?lang=es", "Accept-Language", "fr")
	assert.Equal(t, "es_LA escuela", body, "the user's language wins over the browser's")
	assert.Equal(t, int32(1), calls.Load(), "GetUserLocale runs once per request")

	_, body = s.Get("/", "Accept-Language", "fr")
	assert.Equal(t, "fr_FR école", body, "no user language: the browser's")
	assert.Equal(t, int32(2), calls.Load())

	_, body = s.Get("/?override=1", "Accept-Language", "fr")
	assert.Equal(t, "es_LA escuela", body, "SetLocale")
}

func TestTemplateTranslate(t *testing.T) {
	s := serveApp(t, []web.Route{{Pattern: `/`, Handler: web.Make[pageHandler]()}},
		web.Config{Translations: loadTestTranslations(t), TemplateFS: localeTemplates})

	_, body := s.Get("/", "Accept-Language", "fr")
	assert.Equal(t, "école|il y a %(minutes)d minutes|il y a 1 minute|fr_FR|Ana et Luis|&lt;b&gt;", body)

	_, body = s.Get("/", "Accept-Language", "ja")
	assert.Equal(t, "school|%(minutes)d minutes ago|1 minute ago|en_US|Ana and Luis|&lt;b&gt;", body)

	resp, _ := s.Get("/?page=bad.html")
	assert.Equal(t, 500, resp.StatusCode, "_ with a plural and no count")
}

// wrongLocaleHandler's GetUserLocale has a signature the application
// never calls.
type wrongLocaleHandler struct{ web.RequestHandler }

func (h *wrongLocaleHandler) GetUserLocale() string { return "fr" }

func (h *wrongLocaleHandler) Get(co *gen.Co) error { return nil }

func TestGetUserLocaleSignatureChecked(t *testing.T) {
	_, err := web.NewApplication([]web.Route{{Pattern: `/`, Handler: web.Make[wrongLocaleHandler]()}}, web.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GetUserLocale")
}
