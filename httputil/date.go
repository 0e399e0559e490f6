package httputil

import "time"

var (
	dayNames   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// Layouts of the two obsolete HTTP date formats (RFC 9110 §5.6.7).
const (
	rfc850Layout  = "Monday, 02-Jan-06 15:04:05 GMT"
	asctimeLayout = "Mon Jan _2 15:04:05 2006"
)

// FormatDate returns t in the IMF-fixdate format of RFC 9110 §5.6.7,
// always in GMT: "Sun, 06 Nov 1994 08:49:37 GMT". Use it for Date,
// Last-Modified, Expires and cookie Expires values.
func FormatDate(t time.Time) string {
	var buf [29]byte
	return string(AppendDate(buf[:0], t))
}

// AppendDate appends t formatted as by FormatDate to buf and returns the
// extended buffer; it does not allocate when buf has room for 29 bytes.
// Years outside 0..9999 cannot be represented and are clamped.
func AppendDate(buf []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	year = min(max(year, 0), 9999)
	buf = append(buf, dayNames[t.Weekday()]...)
	buf = append(buf, ',', ' ')
	buf = append2(buf, day)
	buf = append(buf, ' ')
	buf = append(buf, monthNames[month-1]...)
	buf = append(buf, ' ')
	buf = append2(buf, year/100)
	buf = append2(buf, year%100)
	buf = append(buf, ' ')
	buf = append2(buf, hour)
	buf = append(buf, ':')
	buf = append2(buf, minute)
	buf = append(buf, ':')
	buf = append2(buf, sec)
	return append(buf, " GMT"...)
}

func append2(buf []byte, n int) []byte { return append(buf, byte('0'+n/10), byte('0'+n%10)) }

// ParseDate parses an HTTP date in any of the three formats recipients
// must accept (RFC 9110 §5.6.7):
//
//	Sun, 06 Nov 1994 08:49:37 GMT   ; IMF-fixdate (preferred)
//	Sunday, 06-Nov-94 08:49:37 GMT  ; obsolete RFC 850 format
//	Sun Nov  6 08:49:37 1994        ; ANSI C's asctime() format
//
// The result is in UTC. A two-digit RFC 850 year that would be more than
// 50 years in the future is taken to be in the past century, as RFC 9110
// requires. It returns a *ParseError wrapping ErrBadDate for anything else,
// including out-of-range fields such as "31 Feb".
func ParseDate(s string) (time.Time, error) {
	if t, ok := parseIMFFixdate(s); ok {
		return t, nil
	}
	if t, err := time.Parse(rfc850Layout, s); err == nil {
		yy := t.Year() % 100
		now := time.Now().UTC().Year()
		year := now - now%100 + yy
		if year > now+50 {
			year -= 100
		}
		t2 := time.Date(year, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		if t2.Day() == t.Day() { // 29-Feb may not exist in the other century
			return t2, nil
		}
	}
	if t, err := time.Parse(asctimeLayout, s); err == nil {
		return t, nil
	}
	return time.Time{}, perr(ErrBadDate, "%s", snippet(s))
}

// parseIMFFixdate is an allocation-free parser for the preferred format,
// the only one modern peers send.
func parseIMFFixdate(s string) (time.Time, bool) {
	// "Sun, 06 Nov 1994 08:49:37 GMT"
	//  0123456789012345678901234567
	if len(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
		s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25:] != " GMT" {
		return time.Time{}, false
	}
	wd := -1
	for i, d := range dayNames {
		if s[:3] == d {
			wd = i
		}
	}
	month := 0
	for i, m := range monthNames {
		if s[8:11] == m {
			month = i + 1
		}
	}
	day, ok1 := atoi2(s[5:7])
	y1, ok2 := atoi2(s[12:14])
	y2, ok3 := atoi2(s[14:16])
	hour, ok4 := atoi2(s[17:19])
	minute, ok5 := atoi2(s[20:22])
	sec, ok6 := atoi2(s[23:25])
	if wd < 0 || month == 0 || !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y1*100+y2, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // e.g. 31 Feb, normalised by time.Date
		return time.Time{}, false
	}
	return t, true
}

func atoi2(s string) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}
