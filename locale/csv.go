package locale

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The plural indicators of Tornado's CSV format.
const (
	pluralUnknown  = "unknown"
	pluralSingular = "singular"
	pluralPlural   = "plural"
)

// csvTable maps a plural indicator to the translations of its rows.
type csvTable map[string]map[string]string

// csvLocaleName is Tornado's rule for the name of a CSV file.
var csvLocaleName = regexp.MustCompile(`^[a-z]+(_[A-Z]+)?$`)

// LoadCSV loads the translations of a directory of Tornado's CSV files
// (Tornado's load_translations), one per locale, named for it: es_GT.csv,
// fr.csv. Each row is a message, its translation, and optionally a
// plural indicator, "singular", "plural", or "unknown" (the same as
// none):
//
//	"I love you","Te amo"
//	"%(name)s liked this","A %(name)s les gustó esto","plural"
//	"%(name)s liked this","A %(name)s le gustó esto","singular"
//
// Files are UTF-8, with or without a byte-order mark, or UTF-16 with one
// (Excel's habits). Files not ending in .csv are ignored; a .csv file
// whose name is not a locale code, or a row with another plural
// indicator, is a *FormatError, as is a file that is not CSV.
func LoadCSV(dir string) (*Translations, error) {
	return LoadCSVFS(os.DirFS(dir))
}

// LoadCSVFS is LoadCSV reading the top directory of fsys (an embed.FS,
// say).
func LoadCSVFS(fsys fs.FS) (*Translations, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	sources := map[string]source{}
	for _, e := range entries {
		code, ok := strings.CutSuffix(e.Name(), ".csv")
		if !ok || e.IsDir() {
			continue
		}
		if !csvLocaleName.MatchString(code) {
			return nil, &FormatError{File: e.Name(), Msg: "the name is not a locale code (like es_GT.csv)"}
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		table, err := parseCSV(e.Name(), data)
		if err != nil {
			return nil, err
		}
		sources[code] = source{csv: table}
	}
	return newTranslations(sources, DefaultCode), nil
}

// parseCSV reads one file of Tornado's CSV format.
func parseCSV(name string, data []byte) (csvTable, error) {
	text, err := decodeBOM(data)
	if err != nil {
		return nil, &FormatError{File: name, Msg: err.Error()}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	table := csvTable{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return table, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &FormatError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, &FormatError{File: name, Msg: err.Error()}
		}
		if len(row) < 2 {
			continue
		}
		line, _ := r.FieldPos(0)
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
		kind := pluralUnknown
		if len(row) > 2 && row[2] != "" {
			kind = row[2]
		}
		if kind != pluralUnknown && kind != pluralSingular && kind != pluralPlural {
			return nil, &FormatError{File: name, Line: line,
				Msg: fmt.Sprintf("unknown plural indicator %q (want singular, plural or unknown)", kind)}
		}
		if table[kind] == nil {
			table[kind] = map[string]string{}
		}
		table[kind][row[0]] = row[1]
	}
}

// decodeBOM returns data as text: UTF-16 when it starts with that
// byte-order mark, else UTF-8 without its optional mark.
func decodeBOM(data []byte) (string, error) {
	var order func([]byte) uint16
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = func(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = func(b []byte) uint16 { return uint16(b[1]) | uint16(b[0])<<8 }
	default:
		data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		if !utf8.Valid(data) {
			return "", errors.New("not UTF-8 (nor UTF-16 with a byte-order mark)")
		}
		return string(data), nil
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return "", errors.New("UTF-16 of an odd length")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order(data[2*i:])
	}
	return string(utf16.Decode(units)), nil
}
