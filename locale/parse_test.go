package locale

import (
	"encoding/binary"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPluralForms(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         map[int64]int64
	}{
		{"ja", "nplurals=1; plural=0;", map[int64]int64{0: 0, 1: 0, 2: 0, 100: 0}},
		{"en", "nplurals=2; plural=(n != 1);", map[int64]int64{0: 1, 1: 0, 2: 1, 21: 1}},
		{"de, no parentheses", "nplurals=2; plural=n != 1;", map[int64]int64{0: 1, 1: 0, 2: 1}},
		{"fr", "nplurals=2; plural=(n > 1);", map[int64]int64{0: 0, 1: 0, 2: 1, 100: 1}},
		{"ru, uk", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
			map[int64]int64{1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2, 111: 2, 112: 2, 0: 2}},
		{"pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
			map[int64]int64{1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 21: 2, 22: 1, 0: 2}},
		{"cs", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;", map[int64]int64{1: 0, 2: 1, 4: 1, 5: 2, 0: 2}},
		{"ga", "nplurals=5; plural=n==1 ? 0 : n==2 ? 1 : (n>2 && n<7) ? 2 :(n>6 && n<11) ? 3 : 4;",
			map[int64]int64{1: 0, 2: 1, 3: 2, 7: 3, 11: 4}},
		{"ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
			map[int64]int64{0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3}},
		{"lv, arithmetic and !", "nplurals=3; plural=!(n%10==1 && n%100!=11) + !n - -0 * 2 / 1;",
			map[int64]int64{0: 2, 1: 0, 2: 1, 11: 1}},
		{"division by zero", "plural=n/0 + n%0;", map[int64]int64{5: 0}},
	} {
		rule, err := parsePluralForms(tc.header)
		require.NoError(t, err, tc.name)
		for n, want := range tc.want {
			assert.Equal(t, want, rule(n), "%s: n=%d", tc.name, n)
		}
	}
	for _, bad := range []string{"nplurals=2;", "plural=(n != 1;", "plural=n ? 1;", "plural=n !! 1;", "plural=;", "plural=x"} {
		_, err := parsePluralForms(bad)
		assert.Error(t, err, bad)
	}
}

// buildMO writes msgs as msgfmt would, in order.
func buildMO(order binary.ByteOrder, msgs map[string]string) []byte {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range msgs {
			if !yield(k) {
				return
			}
		}
	})
	n := uint32(len(keys))
	head := make([]byte, 28+16*n)
	order.PutUint32(head, 0x950412de)
	order.PutUint32(head[8:], n)
	order.PutUint32(head[12:], 28)
	order.PutUint32(head[16:], 28+8*n)
	var strs []byte
	put := func(table uint32, i int, s string) {
		order.PutUint32(head[table+8*uint32(i):], uint32(len(s)))
		order.PutUint32(head[table+8*uint32(i)+4:], uint32(len(head)+len(strs)))
		strs = append(append(strs, s...), 0)
	}
	for i, k := range keys {
		put(28, i, k)
	}
	for i, k := range keys {
		put(28+8*n, i, msgs[k])
	}
	return append(head, strs...)
}

func TestMOByteOrders(t *testing.T) {
	msgs := map[string]string{
		"":                      "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;\n",
		"cat":                   "chat",
		"day\x00days":           "jour\x00deux jours\x00jours",
		"menu\x04open":          "ouvrir",
		"menu\x04file\x00files": "fichier\x00fichiers\x00fichiers",
	}
	for name, order := range map[string]binary.ByteOrder{"little": binary.LittleEndian, "big": binary.BigEndian} {
		c, err := parseMO(name+".mo", buildMO(order, msgs))
		require.NoError(t, err, name)
		l := newLocale("fr", source{gt: c})
		assert.Equal(t, "chat", l.Translate("cat"))
		assert.Equal(t, "jour", l.TranslatePlural("day", "days", 1))
		assert.Equal(t, "deux jours", l.TranslatePlural("day", "days", 2))
		assert.Equal(t, "jours", l.TranslatePlural("day", "days", 3))
		assert.Equal(t, "jour", l.Translate("day"), "a plural message's first form, as GNU gettext")
		assert.Equal(t, "ouvrir", l.Pgettext("menu", "open"))
		assert.Equal(t, "fichiers", l.PgettextPlural("menu", "file", "files", 2))
	}

	good := buildMO(binary.LittleEndian, msgs)
	for name, data := range map[string][]byte{
		"short":     good[:12],
		"magic":     append([]byte{1, 2, 3, 4}, good[4:]...),
		"truncated": good[:len(good)-10],
		"tables":    good[:40],
		"revision":  append(append(slices.Clone(good[:4]), 0, 0, 2, 0), good[8:]...),
	} {
		_, err := parseMO(name, data)
		var fe *FormatError
		assert.ErrorAs(t, err, &fe, name)
	}
}

// The .po and the .mo of Tornado's test catalog hold the same messages.
func TestPOMatchesMO(t *testing.T) {
	dir := "testdata/tornado/gettext/fr_FR/LC_MESSAGES/"
	mo, err := os.ReadFile(dir + "tornado_test.mo")
	require.NoError(t, err)
	po, err := os.ReadFile(dir + "tornado_test.po")
	require.NoError(t, err)
	fromMO, err := parseMO("mo", mo)
	require.NoError(t, err)
	fromPO, err := parsePO("po", po)
	require.NoError(t, err)
	assert.Equal(t, fromMO.msgs, fromPO.msgs)
	assert.Len(t, fromPO.msgs, 5)
	for n := range int64(4) {
		assert.Equal(t, fromMO.plural(n), fromPO.plural(n))
	}
}

func TestPOErrors(t *testing.T) {
	for name, src := range map[string]string{
		"continues nothing": "\"x\"\n",
		"unquoted":          "msgid x\nmsgstr \"y\"\n",
		"quote":             "msgid \"a\"b\"\nmsgstr \"y\"\n",
		"escape":            "msgid \"\\q\"\nmsgstr \"y\"\n",
		"backslash":         "msgid \"a\\\"\nmsgstr \"y\"\n",
		"msgstr first":      "msgstr \"y\"\n",
		"form order":        "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[1] \"y\"\n",
		"plural header":     "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n +;\\n\"\n",
		"charset":           "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=klingon\\n\"\n",
	} {
		_, err := parsePO(name, []byte(src))
		var fe *FormatError
		assert.ErrorAs(t, err, &fe, name)
	}
}

func TestUnquotePO(t *testing.T) {
	for in, want := range map[string]string{
		`""`:                "",
		`"plain"`:           "plain",
		`"a\nb\tc\r\\\"\'"`: "a\nb\tc\r\\\"'",
		`"\101\x41\x4a\7"`:  "AAJ\a",
		`"caf\303\251"`:     "café",
		`"\a\b\f\v\?"`:      "\a\b\f\v?",
	} {
		got, err := unquotePO(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := unquotePO(`"\xZZ"`)
	assert.Error(t, err)
}
