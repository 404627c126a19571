package check

import (
	"fmt"
	"time"

	"github.com/plansite/plansite/site/plan"
)

// stale reports documents in progress whose last update — the later of
// their updated date and their newest work-log entry — is more than
// StaleDays before Now.
func stale(site *plan.Site, opts Options) []Finding {
	var out []Finding
	limit := time.Duration(opts.StaleDays) * 24 * time.Hour
	for _, d := range site.Docs {
		if d.Status != plan.InProgress || d.Kind == plan.KindTemplate {
			continue
		}
		last, line := time.Time{}, 0
		if t, ok := parseTime(d.Updated); ok {
			last, line = t, -1
		}
		for _, e := range d.Worklog {
			if t, ok := parseTime(e.Time); ok && t.After(last) {
				last, line = t, e.Line
			}
		}
		if last.IsZero() || opts.Now.Sub(last) <= limit {
			continue
		}
		if line < 0 {
			line = max(d.MetaLines["updated"], 1) // the model keeps the field's line
		}
		days := int(opts.Now.Sub(last).Hours() / 24)
		out = append(out, Finding{Source: d.Source, Line: line, Severity: plan.SevWarning, Code: CodeStale,
			Message: fmt.Sprintf("in progress but not updated for %d days (last update %s; stale after %d days)",
				days, last.Format("2006-01-02"), opts.StaleDays)})
	}
	return out
}

// parseTime reads a model time: RFC 3339, or a date alone.
func parseTime(s *string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, *s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
