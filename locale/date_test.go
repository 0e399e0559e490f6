package locale_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/locale"
)

// now is a Friday evening, the present of every relative date here.
var now = time.Date(2024, 3, 15, 18, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return now.Add(-d) }

const day = 24 * time.Hour

func TestFormatDateEnglish(t *testing.T) {
	en := locale.Get("en_US")
	for _, tc := range []struct {
		t    time.Time
		o    locale.DateConfig
		want string
	}{
		{now, locale.DateConfig{}, "0 seconds ago"},
		{ago(time.Second), locale.DateConfig{}, "1 second ago"},
		{ago(2 * time.Second), locale.DateConfig{}, "2 seconds ago"},
		{ago(49 * time.Second), locale.DateConfig{}, "49 seconds ago"},
		{ago(50 * time.Second), locale.DateConfig{}, "1 minute ago"},
		{ago(90 * time.Second), locale.DateConfig{}, "2 minutes ago"},
		{ago(150 * time.Second), locale.DateConfig{}, "2 minutes ago"}, // 2.5 rounds to even, as Python
		{ago(3 * time.Minute), locale.DateConfig{}, "3 minutes ago"},
		{ago(50*time.Minute - time.Second), locale.DateConfig{}, "50 minutes ago"},
		{ago(50 * time.Minute), locale.DateConfig{}, "1 hour ago"},
		{ago(2 * time.Hour), locale.DateConfig{}, "2 hours ago"},
		{ago(day - time.Minute), locale.DateConfig{}, "24 hours ago"},
		// Slightly in the future is now; further is written in full.
		{now.Add(30 * time.Second), locale.DateConfig{}, "0 seconds ago"},
		{now.Add(2 * time.Minute), locale.DateConfig{}, "March 15, 2024 at 6:02 pm"},
		{now.Add(2 * time.Minute), locale.DateConfig{Shorter: true}, "March 15, 2024"},
		// Yesterday is a calendar day, in the reader's time zone.
		{ago(day), locale.DateConfig{}, "yesterday at 6:00 pm"},
		{ago(day), locale.DateConfig{Shorter: true}, "yesterday"},
		{ago(40 * time.Hour), locale.DateConfig{}, "yesterday at 2:00 am"},
		{ago(47 * time.Hour), locale.DateConfig{}, "Wednesday at 7:00 pm"},
		{ago(3 * day), locale.DateConfig{}, "Tuesday at 6:00 pm"},
		{ago(3 * day), locale.DateConfig{Shorter: true}, "Tuesday"},
		{ago(5*day - time.Second), locale.DateConfig{}, "Sunday at 6:00 pm"},
		{ago(5 * day), locale.DateConfig{}, "March 10 at 6:00 pm"},
		{ago(300 * day), locale.DateConfig{}, "May 20 at 6:00 pm"},
		{ago(300 * day), locale.DateConfig{Shorter: true}, "May 20"},
		{ago(333 * day), locale.DateConfig{}, "April 17 at 6:00 pm"},
		{ago(334 * day), locale.DateConfig{}, "April 16, 2023 at 6:00 pm"},
		{ago(500 * day), locale.DateConfig{Shorter: true}, "November 1, 2022"},
		// Absolute: today's time, no "yesterday".
		{ago(2 * time.Hour), locale.DateConfig{Absolute: true}, "4:00 pm"},
		{ago(day), locale.DateConfig{Absolute: true}, "Thursday at 6:00 pm"},
		{ago(18 * time.Hour), locale.DateConfig{Absolute: true}, "12:00 am"},
		{ago(6 * time.Hour), locale.DateConfig{Absolute: true}, "12:00 pm"},
		{ago(2 * time.Minute), locale.DateConfig{FullFormat: true}, "March 15, 2024 at 5:58 pm"},
		// Tornado's test_format_date.
		{time.Date(2013, 4, 28, 18, 35, 0, 0, time.UTC), locale.DateConfig{FullFormat: true}, "April 28, 2013 at 6:35 pm"},
		// The same instant in another zone is the same date.
		{time.Date(2013, 4, 28, 20, 35, 0, 0, time.FixedZone("CEST", 2*3600)), locale.DateConfig{FullFormat: true}, "April 28, 2013 at 6:35 pm"},
		// New York (UTC-5): 03:00 UTC on Thursday is Wednesday evening there.
		{time.Date(2024, 3, 14, 3, 0, 0, 0, time.UTC), locale.DateConfig{}, "yesterday at 3:00 am"},
		{time.Date(2024, 3, 14, 3, 0, 0, 0, time.UTC), locale.DateConfig{GMTOffset: 300}, "Wednesday at 10:00 pm"},
		{ago(3 * day), locale.DateConfig{GMTOffset: 300}, "Tuesday at 1:00 pm"},
		{ago(3 * day), locale.DateConfig{GMTOffset: -60}, "Tuesday at 7:00 pm"},
	} {
		tc.o.Now = now
		assert.Equal(t, tc.want, en.FormatDate(tc.t, tc.o), "%v before now, %+v", now.Sub(tc.t), tc.o)
	}
}

func TestFormatDateNowDefault(t *testing.T) {
	// Without Now, the present is the clock's: a date of an hour ago
	// (give or take how long this test takes) is hours, not a date.
	got := locale.Get().FormatDate(time.Now().Add(-90*time.Minute), locale.DateConfig{})
	assert.Contains(t, []string{"1 hour ago", "2 hours ago"}, got)
}

func loadDir(t *testing.T, files map[string]string) *locale.Translations {
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	tr, err := locale.LoadCSV(dir)
	require.NoError(t, err)
	return tr
}

func TestFormatDateTranslated(t *testing.T) {
	tr, err := locale.LoadCSV("testdata/csv")
	require.NoError(t, err)
	fr := tr.Get("fr_FR")
	for _, tc := range []struct {
		t    time.Time
		o    locale.DateConfig
		want string
	}{
		{ago(time.Minute), locale.DateConfig{}, "il y a 1 minute"},
		{ago(3 * time.Minute), locale.DateConfig{}, "il y a 3 minutes"},
		{ago(2 * time.Hour), locale.DateConfig{}, "2 hours ago"}, // not in the file
		{ago(day), locale.DateConfig{}, "hier à 18:00"},
		{ago(3 * day), locale.DateConfig{}, "mardi à 18:00"},
		{ago(300 * day), locale.DateConfig{}, "20 mai à 18:00"},
		{time.Date(2013, 4, 28, 18, 35, 0, 0, time.UTC), locale.DateConfig{FullFormat: true}, "28 avril 2013 à 18:35"},
		{ago(2 * time.Hour), locale.DateConfig{Absolute: true}, "16:00"},
	} {
		tc.o.Now = now
		assert.Equal(t, tc.want, fr.FormatDate(tc.t, tc.o), "%v before now", now.Sub(tc.t))
	}

	// The clock: 12 hours for English and Simplified Chinese, 24 for
	// the others, British English included, as Tornado.
	tr = loadDir(t, map[string]string{"zh_CN.csv": "", "en_GB.csv": "", "en.csv": ""})
	date := time.Date(2013, 4, 28, 18, 35, 0, 0, time.UTC)
	morning := time.Date(2013, 4, 28, 9, 5, 0, 0, time.UTC)
	full := locale.DateConfig{Now: now, FullFormat: true}
	assert.Equal(t, "April 28, 2013 at 下午6:35", tr.Get("zh_CN").FormatDate(date, full))
	assert.Equal(t, "April 28, 2013 at 上午9:05", tr.Get("zh_CN").FormatDate(morning, full))
	assert.Equal(t, "April 28, 2013 at 18:35", tr.Get("en_GB").FormatDate(date, full))
	assert.Equal(t, "April 28, 2013 at 6:35 pm", tr.Get("en").FormatDate(date, full))
}

// Tornado's test_format_day.
func TestFormatDay(t *testing.T) {
	en := locale.Get()
	date := time.Date(2013, 4, 28, 18, 35, 0, 0, time.UTC)
	assert.Equal(t, "Sunday, April 28", en.FormatDay(date, 0, true))
	assert.Equal(t, "April 28", en.FormatDay(date, 0, false))
	assert.Equal(t, "Saturday, April 27", en.FormatDay(date.Add(-19*time.Hour), 0, true))
	assert.Equal(t, "Sunday, April 28", en.FormatDay(time.Date(2013, 4, 29, 2, 0, 0, 0, time.UTC), 300, true))

	tr, err := locale.LoadCSV("testdata/csv")
	require.NoError(t, err)
	assert.Equal(t, "dimanche 28 avril", tr.Get("fr").FormatDay(date, 0, true))
}

// Tornado's test_list.
func TestList(t *testing.T) {
	en := locale.Get()
	assert.Equal(t, "", en.List(nil))
	assert.Equal(t, "A", en.List([]string{"A"}))
	assert.Equal(t, "A and B", en.List([]string{"A", "B"}))
	assert.Equal(t, "A, B and C", en.List([]string{"A", "B", "C"}))
	tr, err := locale.LoadCSV("testdata/csv")
	require.NoError(t, err)
	assert.Equal(t, "A, B et C", tr.Get("fr").List([]string{"A", "B", "C"}))
	assert.Equal(t, "A y B", tr.Get("es").List([]string{"A", "B"}))
}

// Tornado's test_friendly_number, and the edges.
func TestFriendlyNumber(t *testing.T) {
	en := locale.Get()
	for n, want := range map[int]string{1000000: "1,000,000", 0: "0", 999: "999", 1000: "1,000",
		1234567: "1,234,567", -1234: "-1,234", -100000: "-100,000", -999: "-999"} {
		assert.Equal(t, want, en.FriendlyNumber(n))
	}
	tr := loadDir(t, map[string]string{"de_DE.csv": ""})
	assert.Equal(t, "1000000", tr.Get("de").FriendlyNumber(1000000))
}

func TestFormat(t *testing.T) {
	args := map[string]any{"name": "Ana", "n": 3, "f": 2.9, "pct": 50}
	for format, want := range map[string]string{
		"plain":               "plain",
		"%(name)s liked this": "Ana liked this",
		"%(n)d files, %(n)s":  "3 files, 3",
		"%(f)d":               "2",
		"%(pct)d%% done":      "50% done",
		"%(missing)s stays":   "%(missing)s stays",
		"%(name)r stays":      "%(name)r stays",
		"100% sure, %(n)d":    "100% sure, 3",
		"trailing %":          "trailing %",
		"%(unclosed":          "%(unclosed",
		"%(name)s%(name)s":    "AnaAna",
		"ends %(name)":        "ends %(name)",
	} {
		assert.Equal(t, want, locale.Format(format, args), format)
	}
}
