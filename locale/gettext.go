package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// contextSeparator joins a message's context to its msgid in a catalog,
// as gettext's .mo files do ("law\x04right").
const contextSeparator = "\x04"

// catalog is one locale's gettext translations.
type catalog struct {
	// msgs maps a msgid, with its context if any, to its forms: one for
	// a message, nplurals for one with msgid_plural.
	msgs   map[string][]string
	plural pluralRule
}

// get returns the (first) translation of key.
func (c *catalog) get(key string) (string, bool) {
	if forms := c.msgs[key]; len(forms) > 0 && forms[0] != "" {
		return forms[0], true
	}
	return "", false
}

// nget returns key's form for n things, or, untranslated, singular for
// one and plural for any other number (gettext's ngettext).
func (c *catalog) nget(key, singular, plural string, n int) string {
	if forms, ok := c.msgs[key]; ok {
		if i := c.plural(int64(n)); i >= 0 && i < int64(len(forms)) && forms[i] != "" {
			return forms[i]
		}
	}
	if n == 1 {
		return singular
	}
	return plural
}

// newCatalog makes a catalog of msgs as read from file, reading the
// header entry (msgid "") for the Plural-Forms rule and the charset the
// strings are in.
func newCatalog(file string, msgs map[string][]string) (*catalog, error) {
	c := &catalog{msgs: msgs, plural: germanic}
	var header string
	if forms := msgs[""]; len(forms) > 0 {
		header = forms[0]
	}
	delete(msgs, "")
	charset := ""
	for line := range strings.SplitSeq(header, "\n") {
		name, value, _ := strings.Cut(line, ":")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "content-type":
			if _, cs, ok := strings.Cut(value, "charset="); ok {
				charset = strings.TrimSpace(cs)
			}
		case "plural-forms":
			rule, err := parsePluralForms(strings.TrimSpace(value))
			if err != nil {
				return nil, &FormatError{File: file, Msg: err.Error()}
			}
			c.plural = rule
		}
	}
	switch strings.ToLower(charset) {
	case "", "utf-8", "utf8", "charset": // "CHARSET" is the template's placeholder
		return c, nil
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, &FormatError{File: file, Msg: fmt.Sprintf("unknown charset %q", charset)}
	}
	dec := enc.NewDecoder()
	decoded := make(map[string][]string, len(msgs))
	for k, forms := range msgs {
		dk, err := dec.String(k)
		if err != nil {
			return nil, &FormatError{File: file, Msg: fmt.Sprintf("not %s: %v", charset, err)}
		}
		for i := range forms {
			if forms[i], err = dec.String(forms[i]); err != nil {
				return nil, &FormatError{File: file, Msg: fmt.Sprintf("not %s: %v", charset, err)}
			}
		}
		decoded[dk] = forms
	}
	c.msgs = decoded
	return c, nil
}

// LoadGettext loads the gettext catalogs of domain from a locale tree
// (Tornado's load_gettext_translations), as the system's
// /usr/share/locale:
//
//	DIR/fr_FR/LC_MESSAGES/DOMAIN.mo
//	DIR/pt_BR/LC_MESSAGES/DOMAIN.po
//
// Both of gettext's formats are read: the compiled .mo (what msgfmt
// writes) and the .po source; where a locale has both, the .mo is taken.
// Entries of a .po file marked fuzzy, obsolete (#~) or untranslated are
// left out, as msgfmt leaves them out. Plural forms follow each
// catalog's Plural-Forms header (see Locale.TranslatePlural), strings
// are converted from its charset. A file that does not parse is a
// *FormatError.
func LoadGettext(dir, domain string) (*Translations, error) {
	return LoadGettextFS(os.DirFS(dir), domain)
}

// LoadGettextFS is LoadGettext reading the top directory of fsys.
func LoadGettextFS(fsys fs.FS, domain string) (*Translations, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	sources := map[string]source{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		base := path.Join(e.Name(), "LC_MESSAGES", domain)
		var c *catalog
		data, err := fs.ReadFile(fsys, base+".mo")
		if err == nil {
			c, err = parseMO(base+".mo", data)
		} else if errors.Is(err, fs.ErrNotExist) {
			data, err = fs.ReadFile(fsys, base+".po")
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err == nil {
				c, err = parsePO(base+".po", data)
			}
		}
		if err != nil {
			var fe *FormatError
			if errors.As(err, &fe) {
				return nil, err
			}
			return nil, fmt.Errorf("locale: %w", err)
		}
		sources[e.Name()] = source{gt: c}
	}
	return newTranslations(sources, DefaultCode), nil
}
