// Package check turns the plan model into a list of findings for
// `plansite check`: every problem the model carries, plus site rules only
// the checker applies (agent typos, stale documents), with each rule's
// severity set by plansite.toml.
package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/plansite/plansite/site/plan"
)

// Finding is one problem, located in a document.
type Finding struct {
	Source   string        `json:"source"` // slash-separated, relative to the source root
	Line     int           `json:"line"`
	Severity plan.Severity `json:"severity"`
	Code     plan.Code     `json:"code"`
	Message  string        `json:"message"`
}

// Report is the outcome of a check.
type Report struct {
	Findings []Finding `json:"problems"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
}

// Failed reports whether the check fails: on errors, and on warnings when strict.
func (r *Report) Failed(strict bool) bool {
	return r.Errors > 0 || strict && r.Warnings > 0
}

// Options are the inputs of the checker's own rules.
type Options struct {
	Now         time.Time         // "today" for the stale rule; the zero time disables it
	StaleDays   int               // an in-progress document not updated for this many days is stale
	Rules       map[string]string // rule code → error | warning | off (plansite.toml [check.rules])
	KnownAgents []string          // agent names defined by the tree (.claude/agents); may be empty
	// ModelOnly reports the model's own problems and skips the checker's
	// rules (agent typos, staleness): what plansite build reports.
	ModelOnly bool
}

// Rules the checker adds to the model's problems.
const (
	CodeAgentTypo plan.Code = "agent-typo"
	CodeStale     plan.Code = "stale"
)

// Codes lists every rule, with its default severity: the model's problems
// first, then the checker's own.
var Codes = map[plan.Code]plan.Severity{
	plan.CodeBrokenLink:              plan.SevWarning,
	plan.CodeCompletionMismatch:      plan.SevWarning,
	plan.CodeStatusMismatch:          plan.SevWarning,
	plan.CodeHeaderFooterMismatch:    plan.SevWarning,
	plan.CodeDuplicateTaskID:         plan.SevWarning,
	plan.CodeBadDate:                 plan.SevWarning,
	plan.CodeNotUTF8:                 plan.SevWarning,
	plan.CodeTooLarge:                plan.SevError,
	plan.CodeFrontMatterUnterminated: plan.SevWarning,
	plan.CodeFrontMatterInvalid:      plan.SevWarning,
	plan.CodeUnreadable:              plan.SevError,
	plan.CodeSymlinkOutside:          plan.SevWarning,
	plan.CodeTooComplex:              plan.SevError,
	plan.CodeOutputCollision:         plan.SevError,
	plan.CodeNotReciprocal:           plan.SevWarning,
	CodeAgentTypo:                    plan.SevWarning,
	CodeStale:                        plan.SevWarning,
	plan.CodeUnknownStatus:           plan.SevInfo,
}

// Off is the severity that turns a rule off.
const Off plan.Severity = "off"

// ValidateRules reports the first rule setting that is not a known rule set
// to error, warning or off. file names the configuration in the error.
func ValidateRules(file string, rules map[string]string) error {
	keys := make([]string, 0, len(rules))
	for k := range rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := Codes[plan.Code(k)]; !ok {
			return fmt.Errorf("%s: [check.rules]: unknown rule %q (rules: %s)", file, k, strings.Join(codeNames(), ", "))
		}
		switch plan.Severity(rules[k]) {
		case plan.SevError, plan.SevWarning, Off:
		default:
			return fmt.Errorf("%s: [check.rules]: %s = %q: use \"error\", \"warning\" or \"off\"", file, k, rules[k])
		}
	}
	return nil
}

func codeNames() []string {
	out := make([]string, 0, len(Codes))
	for c := range Codes {
		out = append(out, string(c))
	}
	sort.Strings(out)
	return out
}

// Run checks the site: the model's problems and the checker's rules, with
// severities from opts.Rules, sorted by source and line.
func Run(site *plan.Site, opts Options) (*Report, error) {
	if err := ValidateRules("plansite.toml", opts.Rules); err != nil {
		return nil, err
	}
	var fs []Finding
	for _, p := range site.Problems {
		fs = append(fs, Finding{Source: p.Source, Line: p.Line, Severity: p.Severity, Code: p.Code, Message: p.Message})
	}
	for _, d := range site.Docs {
		for _, p := range d.Problems {
			f := Finding{Source: d.Source, Line: p.Line, Severity: p.Severity, Code: p.Code, Message: p.Message}
			if p.Code == plan.CodeNotReciprocal && p.Line <= 1 && d.MetaLines["next"] > 0 {
				// The written next link is where to look (the model keeps its line).
				f.Line = d.MetaLines["next"]
			}
			fs = append(fs, f)
		}
	}
	if !opts.ModelOnly {
		fs = append(fs, agentTypos(site, opts)...)
	}
	if !opts.ModelOnly && !opts.Now.IsZero() && opts.StaleDays > 0 {
		fs = append(fs, stale(site, opts)...)
	}
	r := &Report{Findings: []Finding{}}
	for _, f := range fs {
		sev := f.Severity
		if s, ok := opts.Rules[string(f.Code)]; ok {
			sev = plan.Severity(s)
		}
		if sev == Off {
			continue
		}
		f.Severity = sev
		switch sev {
		case plan.SevError:
			r.Errors++
		case plan.SevWarning:
			r.Warnings++
		}
		r.Findings = append(r.Findings, f)
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Line < b.Line
	})
	return r, nil
}
