package locale

import (
	"fmt"
	"math"
	"time"
)

// DateConfig says how FormatDate writes a date. The zero value is
// Tornado's default: relative to the present, in UTC.
type DateConfig struct {
	// Now is the present the date is relative to; zero means
	// time.Now(). Tests set it.
	Now time.Time
	// GMTOffset is Tornado's gmt_offset: the minutes to subtract from
	// UTC for the reader's clock, as JavaScript's getTimezoneOffset
	// (300 in New York in winter, -60 in Paris).
	GMTOffset int
	// Absolute writes the date and time even for recent dates
	// ("April 28 at 6:35 pm", never "2 hours ago"): Tornado's
	// relative=False.
	Absolute bool
	// Shorter leaves the time of day out of dates past today
	// ("yesterday", "Monday", "April 28, 2013").
	Shorter bool
	// FullFormat always writes the month, day and year
	// ("April 28, 2013 at 6:35 pm").
	FullFormat bool
}

// FormatDate writes t as Tornado's format_date does: "1 second ago",
// "3 minutes ago" and "2 hours ago" within a day; then "yesterday at
// 1:00 pm", "Monday at 1:00 pm" within 5 days, "January 22 at 1:00 pm"
// within 334 days, and "January 22, 2020 at 1:00 pm" beyond, each
// phrase translated through the locale (the English strings, with their
// %(name)s placeholders, are the messages to translate). English and
// Simplified Chinese use a 12-hour clock ("1:00 pm", "下午1:00"), other
// locales a 24-hour one ("13:00"), as Tornado. A date less than a minute
// in the future counts as now (clocks drift); one further ahead is
// written in full. Minutes and hours are rounded half to even, as
// Python's round. The clock shown is the reader's, cfg.GMTOffset from UTC,
// not t's own time zone: t is an instant.
func (l *Locale) FormatDate(t time.Time, cfg DateConfig) string {
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	relative, full := !cfg.Absolute, cfg.FullFormat
	if t.After(now) {
		if relative && t.Sub(now) < time.Minute {
			t = now
		} else {
			full = true
		}
	}
	offset := time.Duration(cfg.GMTOffset) * time.Minute
	local := t.UTC().Add(-offset)
	yesterday := now.UTC().Add(-offset - 24*time.Hour)
	diff := now.Sub(t)
	days := int(diff / (24 * time.Hour))
	seconds := int(diff % (24 * time.Hour) / time.Second)

	format := ""
	if !full {
		if relative && days == 0 {
			switch {
			case seconds < 50:
				return Format(l.TranslatePlural("1 second ago", "%(seconds)d seconds ago", seconds),
					map[string]any{"seconds": seconds})
			case seconds < 50*60:
				minutes := int(math.RoundToEven(float64(seconds) / 60))
				return Format(l.TranslatePlural("1 minute ago", "%(minutes)d minutes ago", minutes),
					map[string]any{"minutes": minutes})
			}
			hours := int(math.RoundToEven(float64(seconds) / 3600))
			return Format(l.TranslatePlural("1 hour ago", "%(hours)d hours ago", hours),
				map[string]any{"hours": hours})
		}
		switch {
		case days == 0:
			format = l.Translate("%(time)s")
		case days == 1 && local.Day() == yesterday.Day() && relative:
			format = l.pick(cfg.Shorter, "yesterday", "yesterday at %(time)s")
		case days < 5:
			format = l.pick(cfg.Shorter, "%(weekday)s", "%(weekday)s at %(time)s")
		case days < 334: // 11 months: the same month last year would confuse
			format = l.pick(cfg.Shorter, "%(month_name)s %(day)s", "%(month_name)s %(day)s at %(time)s")
		}
	}
	if format == "" {
		format = l.pick(cfg.Shorter, "%(month_name)s %(day)s, %(year)s", "%(month_name)s %(day)s, %(year)s at %(time)s")
	}
	return Format(format, map[string]any{
		"month_name": l.months[local.Month()-1],
		"weekday":    l.weekdays[weekday(local)],
		"day":        local.Day(),
		"year":       local.Year(),
		"time":       l.clock(local),
	})
}

func (l *Locale) pick(shorter bool, short, long string) string {
	if shorter {
		return l.Translate(short)
	}
	return l.Translate(long)
}

// clock writes the time of day as the locale's readers expect it.
func (l *Locale) clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	switch l.code {
	case "en", "en_US":
		if h >= 12 {
			return fmt.Sprintf("%d:%02d pm", h12, m)
		}
		return fmt.Sprintf("%d:%02d am", h12, m)
	case "zh_CN":
		if h >= 12 {
			return fmt.Sprintf("\u4e0b\u5348%d:%02d", h12, m) // afternoon
		}
		return fmt.Sprintf("\u4e0a\u5348%d:%02d", h12, m) // morning
	}
	return fmt.Sprintf("%d:%02d", h, m)
}

// weekday numbers days from Monday, as the weekday table.
func weekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// FormatDay writes t's day, "Monday, January 22", or "January 22"
// without the day of the week (dow false), translated through the
// locale (Tornado's format_day). gmtOffset is as DateConfig.GMTOffset.
func (l *Locale) FormatDay(t time.Time, gmtOffset int, dow bool) string {
	local := t.UTC().Add(-time.Duration(gmtOffset) * time.Minute)
	args := map[string]any{
		"month_name": l.months[local.Month()-1],
		"weekday":    l.weekdays[weekday(local)],
		"day":        local.Day(),
	}
	if dow {
		return Format(l.Translate("%(weekday)s, %(month_name)s %(day)s"), args)
	}
	return Format(l.Translate("%(month_name)s %(day)s"), args)
}
