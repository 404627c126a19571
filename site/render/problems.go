package render

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"sort"
	"strconv"

	"github.com/plansite/plansite/site/plan"
)

// The problems pages group problems by file, with the count of each rule
// and severity. Every rule has pages of its own (/problems/RULE/), so a
// filter by rule is a page, not a script over a list too long to send; the
// lists are paged by problemsPerPage.

const problemsPerPage = 300

// problemsView is what problems.html receives.
type problemsView struct {
	Rule     string // "" on the pages of every rule
	Total    int    // problems of the whole site
	Shown    int    // problems of this rule (or all)
	Rules    []countLink
	Severity []countLink
	Files    []problemFile
	Pager    pager
}

// countLink is a rule or severity with its count, linking to its pages.
type countLink struct {
	Name, URL string
	N         int
	Current   bool
}

// problemFile is the problems of one file on one page.
type problemFile struct {
	Source, Href string
	Problems     []problemView
	Continued    bool
}

func problemsURL(rule string, n int) string {
	u := "/problems/"
	if rule != "" {
		u += slug(rule) + "/"
	}
	if n > 1 {
		u += "page/" + strconv.Itoa(n) + "/"
	}
	return u
}

// problemPageCounts is how many pages each rule's list has ("" for all rules).
func (s *Site) problemPageCounts() map[string]int {
	counts := map[string]int{"": pageCount(len(s.idx.problems), problemsPerPage)}
	byRule := map[string]int{}
	for _, p := range s.idx.problems {
		byRule[string(p.Code)]++
	}
	for r, n := range byRule {
		counts[r] = pageCount(n, problemsPerPage)
	}
	return counts
}

// pageCount is how many pages n rows take, at least one.
func pageCount(n, perPage int) int { return max(1, (n+perPage-1)/perPage) }

// problemViews calls each with every page of the problems lists: its
// output path, title and view.
func (s *Site) problemViews(each func(rel, title string, v *problemsView) error) error {
	all := s.idx.problems
	byRule := map[string][]problemView{}
	sev := map[string]int{}
	for _, p := range all {
		byRule[string(p.Code)] = append(byRule[string(p.Code)], p)
		sev[string(p.Severity)]++
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if len(byRule[rules[i]]) != len(byRule[rules[j]]) {
			return len(byRule[rules[i]]) > len(byRule[rules[j]])
		}
		return rules[i] < rules[j]
	})
	var severity []countLink
	for _, sv := range []string{string(plan.SevError), string(plan.SevWarning), string(plan.SevInfo)} {
		if sev[sv] > 0 {
			severity = append(severity, countLink{Name: sv, N: sev[sv]})
		}
	}
	for _, rule := range append([]string{""}, rules...) {
		list := all
		if rule != "" {
			list = byRule[rule]
		}
		pages := pageCount(len(list), problemsPerPage)
		for n := 1; n <= pages; n++ {
			v := &problemsView{Rule: rule, Total: len(all), Shown: len(list), Severity: severity,
				Pager: newPager(n, pages, func(i int) string { return s.URL(problemsURL(rule, i)) })}
			v.Rules = append(v.Rules, countLink{Name: "all rules", URL: s.URL(problemsURL("", 1)), N: len(all), Current: rule == ""})
			for _, r := range rules {
				v.Rules = append(v.Rules, countLink{Name: r, URL: s.URL(problemsURL(r, 1)), N: len(byRule[r]), Current: r == rule})
			}
			lo, hi := (n-1)*problemsPerPage, min(n*problemsPerPage, len(list))
			for i, p := range list[lo:hi] {
				if i == 0 || p.Source != list[lo+i-1].Source {
					f := problemFile{Source: p.Source, Continued: lo+i > 0 && list[lo+i-1].Source == p.Source}
					if d := s.bySource[p.Source]; d != nil {
						f.Href = d.URL
					}
					v.Files = append(v.Files, f)
				}
				v.Files[len(v.Files)-1].Problems = append(v.Files[len(v.Files)-1].Problems, p)
			}
			title := "Problems"
			if rule != "" {
				title += ": " + rule
			}
			if n > 1 {
				title += ", page " + strconv.Itoa(n)
			}
			if err := each(OutputPath(problemsURL(rule, n)), title, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// problemPages renders the problems lists' pages, but those unchanged says
// are as they were.
func (s *Site) problemPages(page func(rel string, b []byte, err error) error, unchanged func(rel string) bool) error {
	return s.problemViews(func(rel, title string, v *problemsView) error {
		if unchanged(rel) {
			return nil
		}
		b, err := s.execute("problems", pageData{Title: title, Section: "problems", Data: v})
		return page(rel, b, err)
	})
}

// ProblemViews is, by output path, all that each page of the problems
// lists shows: a page whose view is what it was is what it was, so an edit
// that moves one document's problems re-renders the pages that list them.
func (s *Site) ProblemViews() map[string]string {
	out := map[string]string{}
	var b viewSum
	put := b.put
	_ = s.problemViews(func(rel, title string, v *problemsView) error {
		b.Reset()
		put(title, v.Rule, fmt.Sprint(v.Total, v.Shown, v.Rules, v.Severity, v.Pager))
		for _, f := range v.Files {
			put(f.Source, f.Href, strconv.FormatBool(f.Continued))
			for _, p := range f.Problems {
				put(p.Source, p.Href, strconv.Itoa(p.Line), string(p.Severity), string(p.Code), p.Message)
			}
		}
		out[rel] = b.String()
		return nil
	})
	return out
}

// viewSum sums what a page shows for its key, each part prefixed with
// its length: hashed as it comes (a page's view of ten thousand documents
// gathered whole was garbage of its size), String is the sum so far.
type viewSum struct {
	h   hash.Hash
	buf []byte
}

func (v *viewSum) put(parts ...string) {
	if v.h == nil {
		v.h = sha256.New()
	}
	for _, p := range parts {
		v.buf = strconv.AppendInt(v.buf, int64(len(p)), 10)
		v.buf = append(v.buf, ':')
		v.buf = append(v.buf, p...)
		if len(v.buf) >= 8<<10 {
			v.h.Write(v.buf)
			v.buf = v.buf[:0]
		}
	}
}

// String is the sum of the parts put since the last Reset.
func (v *viewSum) String() string {
	if v.h == nil {
		v.h = sha256.New()
	}
	v.h.Write(v.buf)
	v.buf = v.buf[:0]
	return string(v.h.Sum(nil))
}

// Reset starts a new sum.
func (v *viewSum) Reset() {
	if v.h != nil {
		v.h.Reset()
	}
	v.buf = v.buf[:0]
}
