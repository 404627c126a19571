package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// zoneOffsets are the US and universal zone abbreviations plans write.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

var (
	isoDateRe   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?i:(am|pm|a\.m\.|p\.m\.))?\s*(Z|UTC|GMT|[ECMP][SD]T|[+-]\d{2}:?\d{2})?)?`)
	slashDateRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	monthRe     = regexp.MustCompile(`^(?i:(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})`)
	months      = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
)

// Timestamp is a date, and a time when one was written.
type Timestamp struct {
	T       time.Time
	HasTime bool
	HasZone bool
	Len     int // bytes of the input it was read from
}

// RFC3339 formats the timestamp: a full date alone when no time was written.
func (t Timestamp) RFC3339() string {
	if !t.HasTime {
		return t.T.Format("2006-01-02")
	}
	return t.T.Format(time.RFC3339)
}

// ParseTimestamp reads a date at the start of s: "2025-11-12", "2025-11-12
// 2:00 PM EST", "2025-11-12 14:30 EST", "2025-11-12T14:30:00Z", "November 17,
// 2025". zone is the offset (hours) to use when none is written. ok is false
// when s does not start with a date.
func ParseTimestamp(s string, zone *time.Location) (Timestamp, bool) {
	s = strings.TrimSpace(s)
	if !mayStartDate(s) {
		return Timestamp{}, false
	}
	if m := isoDateRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			return Timestamp{}, false
		}
		ts := Timestamp{Len: len(m[0])}
		loc := zone
		if loc == nil {
			loc = time.UTC
		}
		h, mi, sec := 0, 0, 0
		if m[4] != "" {
			h, _ = strconv.Atoi(m[4])
			mi, _ = strconv.Atoi(m[5])
			sec, _ = strconv.Atoi(m[6])
			switch strings.ToLower(strings.ReplaceAll(m[7], ".", "")) {
			case "pm":
				if h < 12 {
					h += 12
				}
			case "am":
				if h == 12 {
					h = 0
				}
			}
			if h > 23 || mi > 59 || sec > 59 {
				return Timestamp{}, false
			}
			ts.HasTime = true
			if m[8] != "" {
				l, err := zoneLocation(m[8])
				if err != nil {
					return Timestamp{}, false
				}
				loc, ts.HasZone = l, true
			}
		}
		ts.T = time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
		if ts.T.Day() != d {
			return Timestamp{}, false // 2025-02-31
		}
		return ts, true
	}
	if m := slashDateRe.FindStringSubmatch(s); m != nil {
		// 17/01/2025 (day first, as most of the world writes) or 01/17/2025
		// (US): read when one number can only be the day; 05/01/2025 could
		// be either, so it is not read.
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		switch {
		case d > 12 && mo <= 12:
		case mo > 12 && d <= 12:
			d, mo = mo, d
		default:
			return Timestamp{}, false
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
			return Timestamp{}, false
		}
		return Timestamp{T: t, Len: len(m[0])}, true
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		mo := months[strings.ToLower(m[1])[:3]]
		if strings.HasPrefix(strings.ToLower(m[1]), "sept") {
			mo = 9
		}
		d, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return Timestamp{}, false
		}
		return Timestamp{T: t, Len: len(m[0])}, true
	}
	return Timestamp{}, false
}

// mayStartDate is a cheap test that s could start with a date, before the
// regexps: "2025-…" or a month's name.
func mayStartDate(s string) bool {
	if len(s) >= 5 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '-' {
		return true
	}
	if len(s) >= 8 && isDigit(s[0]) && (s[1] == '/' || isDigit(s[1]) && s[2] == '/') {
		return true // 17/01/2025
	}
	if len(s) < 3 {
		return false
	}
	_, ok := months[strings.ToLower(s[:3])]
	return ok
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func zoneLocation(z string) (*time.Location, error) {
	if off, ok := zoneOffsets[strings.ToUpper(z)]; ok {
		return time.FixedZone(strings.ToUpper(z), off*3600), nil
	}
	z = strings.ReplaceAll(z, ":", "")
	if len(z) == 5 {
		h, err1 := strconv.Atoi(z[1:3])
		m, err2 := strconv.Atoi(z[3:5])
		if err1 == nil && err2 == nil {
			off := h*3600 + m*60
			if z[0] == '-' {
				off = -off
			}
			return time.FixedZone(z, off), nil
		}
	}
	return nil, fmt.Errorf("unknown time zone %q", z)
}

// looksLikeDateAttempt tells a value someone meant as a date ("2025-13-45",
// "11/12/2025") from prose, so only the former is reported as unparseable.
var dateAttemptRe = regexp.MustCompile(`^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2})`)
