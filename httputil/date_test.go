package httputil

import (
	"errors"
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	ts := time.Date(1994, 11, 6, 8, 49, 37, 999, time.UTC)
	if got := FormatDate(ts); got != "Sun, 06 Nov 1994 08:49:37 GMT" {
		t.Errorf("FormatDate = %q", got)
	}
	loc := time.FixedZone("PST", -8*3600)
	if got := FormatDate(time.Date(2024, 2, 29, 23, 0, 5, 0, loc)); got != "Fri, 01 Mar 2024 07:00:05 GMT" {
		t.Errorf("FormatDate(non-UTC) = %q", got)
	}
	// Agrees with the time package's formatting.
	for _, ts := range []time.Time{time.Unix(0, 0), time.Unix(1<<31, 0), time.Date(9, 1, 2, 3, 4, 5, 0, time.UTC)} {
		want := ts.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
		if got := FormatDate(ts); got != want {
			t.Errorf("FormatDate(%v) = %q, want %q", ts, got, want)
		}
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = AppendDate(buf[:0], ts) }); n != 0 {
		t.Errorf("AppendDate allocates %v", n)
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, s := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
		"Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
		"Sun Nov  6 08:49:37 1994",       // asctime
	} {
		got, err := ParseDate(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	if got, err := ParseDate("Thu Nov 14 08:49:37 1994"); err != nil || got.Day() != 14 {
		t.Errorf("asctime two-digit day: %v %v", got, err)
	}

	// RFC 850 two-digit years: at most 50 years in the future.
	now := time.Now().UTC().Year()
	future := (now + 10) % 100
	past := (now + 60) % 100
	for yy, wantYear := range map[int]int{future: now + 10, past: now + 60 - 100} {
		s := time.Date(2000+yy, 1, 2, 3, 4, 5, 0, time.UTC).Format("Monday, 02-Jan-06 15:04:05 GMT")
		got, err := ParseDate(s)
		if err != nil || got.Year() != wantYear {
			t.Errorf("ParseDate(%q) = %v, %v; want year %d", s, got, err, wantYear)
		}
	}

	for _, s := range []string{
		"",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 +0000",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT",
		"Xyz, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 06 Nov 1994 08:49:60 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT ",
		"Sun, 06 Nov 1994 0a:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun Nov 06 08:49:37 94",
		"1994-11-06T08:49:37Z",
	} {
		if got, err := ParseDate(s); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrBadDate", s, got, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseDate("Sun, 06 Nov 1994 08:49:37 GMT") }); n != 0 {
		t.Errorf("ParseDate(IMF-fixdate) allocates %v", n)
	}
}

func TestDateRoundTrip(t *testing.T) {
	for i := int64(0); i < 2000; i++ {
		ts := time.Unix(i*7919*3607, 0).UTC()
		got, err := ParseDate(FormatDate(ts))
		if err != nil || !got.Equal(ts) {
			t.Fatalf("round trip %v -> %v, %v", ts, got, err)
		}
	}
}
