// Package scaffold writes new plan documents for `plansite new`: the next
// phase of a plan, linked both ways to the one before it, or a new plan
// directory with an overview and its first phase.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
)

// Result says what was written, for the command to print.
type Result struct {
	Created []string // files created
	Edited  []string // files changed: the previous phase's Next Phase line
	Notes   []string // what the user should know about the edit
	// Overview is the plan's overview README that now lists the new phase,
	// "" when it was left alone.
	Overview string
}

// phaseFileRe is a phase document's file name: phase-3-name.md, phase-4.1-x.md.
var phaseFileRe = regexp.MustCompile(`^phase[-_ ]?(\d+)([a-z]?(?:[._-]\d+[a-z]?)*)(?:[-_ .]|$)`)

// accompanying marks the documents that accompany a phase rather than plan
// it: trackers, context notes, summaries, templates.
var accompanying = regexp.MustCompile(`progress|tracker|context|summary|complete|report|template|worknotes`)

// accompanyingDir reports whether dir holds trackers, notes or templates
// rather than plans (SURVEY §1: .claude/progress, worknotes, …).
func accompanyingDir(dir string) bool {
	for _, seg := range strings.Split(strings.ToLower(dir), "/") {
		switch seg {
		case "progress", "context", "worknotes", "summaries", "templates", "template", "examples":
			return true
		}
	}
	return false
}

// phaseDoc is a phase document found in a directory.
type phaseDoc struct {
	name   string // file name
	number string // as written: "4", "4.1", "3a"
	major  int    // leading integer
}

// phaseDocs lists the phase plans in dir (not their trackers or notes).
func phaseDocs(dir string) ([]phaseDoc, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []phaseDoc
	for _, e := range entries {
		if d, ok := asPhaseDoc(e.Name()); ok && !e.IsDir() {
			out = append(out, d)
		}
	}
	return out, nil
}

func asPhaseDoc(name string) (phaseDoc, bool) {
	lower := strings.ToLower(name)
	if path.Ext(lower) != ".md" || accompanying.MatchString(lower) {
		return phaseDoc{}, false
	}
	m := phaseFileRe.FindStringSubmatch(lower)
	if m == nil {
		return phaseDoc{}, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return phaseDoc{}, false
	}
	return phaseDoc{name: name, number: m[1] + m[2], major: n}, true
}

// last is the phase document with the highest number; of several with one
// number, the one with the shortest name (the plan, not an addendum).
func last(docs []phaseDoc) (phaseDoc, bool) {
	var best phaseDoc
	for i, d := range docs {
		c := link.ComparePhase(d.number, best.number)
		if i == 0 || c > 0 || c == 0 && len(d.name) < len(best.name) {
			best = d
		}
	}
	return best, len(docs) > 0
}

// DefaultDir picks where a new phase goes among the documents of a tree
// (slash paths relative to the root): the directory of phase plans with the
// highest phase number, or "" when the tree has none.
func DefaultDir(docs []string) string {
	byDir := map[string][]phaseDoc{}
	for _, p := range docs {
		if accompanyingDir(path.Dir(p)) {
			continue
		}
		if d, ok := asPhaseDoc(path.Base(p)); ok {
			byDir[path.Dir(p)] = append(byDir[path.Dir(p)], d)
		}
	}
	best, bestDoc := "", phaseDoc{}
	for dir, ds := range byDir {
		l, _ := last(ds)
		c := link.ComparePhase(l.number, bestDoc.number)
		if best == "" || c > 0 || c == 0 && (len(ds) > len(byDir[best]) || len(ds) == len(byDir[best]) && dir < best) {
			best, bestDoc = dir, l
		}
	}
	return best
}

// Phase writes the next phase document of the plan in dir, named
// phase-N-slug.md, and points the previous phase's Next Phase at it. It
// never overwrites a file.
func Phase(dir, name string, now time.Time) (*Result, error) {
	title, slug, err := names(name)
	if err != nil {
		return nil, err
	}
	docs, err := phaseDocs(dir)
	if err != nil {
		return nil, err
	}
	prev, hasPrev := last(docs)
	n := 1
	if hasPrev {
		n = prev.major + 1
	}
	file := fmt.Sprintf("phase-%d-%s.md", n, slug)
	d := doc{number: strconv.Itoa(n), title: title, date: now.Format("2006-01-02"), command: "plansite new phase"}
	res := &Result{}
	var edit *edit
	if hasPrev {
		prevPath := filepath.Join(dir, prev.name)
		raw, err := os.ReadFile(prevPath)
		if err != nil {
			return nil, err
		}
		prevTitle := extract.Extract(prev.name, raw, extract.Options{}).Doc.Title
		d.prev = fmt.Sprintf("[%s](./%s)", prevTitle, prev.name)
		newLink := fmt.Sprintf("[Phase %d: %s](./%s)", n, title, file)
		if edit, err = linkNext(prevPath, raw, newLink, "./"+file); err != nil {
			return nil, err
		}
		res.Notes = append(res.Notes, edit.notes...)
	}
	created := filepath.Join(dir, file)
	if err := create(created, d.phase()); err != nil {
		return nil, err
	}
	res.Created = append(res.Created, created)
	if edit != nil {
		if err := edit.write(); err != nil {
			os.Remove(created)
			return nil, err
		}
		res.Edited = append(res.Edited, edit.path)
	}
	listed, err := listInOverview(filepath.Join(dir, "README.md"), fmt.Sprintf("[Phase %d: %s](./%s)", n, title, file), "./"+file)
	if err != nil {
		return nil, err
	}
	res.Overview = listed
	return res, nil
}

// phasesHeadingRe is the heading of an overview's list of phases.
var phasesHeadingRe = regexp.MustCompile(`(?i)^#{2,3}\s+(phases|phase overview|phase list)\s*$`)

// listInOverview adds "- link" to the list of phases in the plan's
// overview, after its last item, as new plan writes it; it returns the
// overview's path, or "" when there is no overview, no such list, or the
// list already links target. Nothing else in the file changes.
func listInOverview(overview, link, target string) (string, error) {
	raw, err := os.ReadFile(overview)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if strings.Contains(string(raw), "]("+target+")") {
		return "", nil
	}
	lines := strings.SplitAfter(string(raw), "\n")
	last := -1
	for i, in := 0, false; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r\n")
		switch {
		case phasesHeadingRe.MatchString(l):
			in = true
		case in && strings.HasPrefix(l, "#"):
			in = false
		case in && (strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "* ")):
			last = i
		case in && last >= 0 && strings.TrimSpace(l) != "":
			in = false
		}
	}
	if last < 0 {
		return "", nil
	}
	item := lines[last][:2] + link + "\n"
	if !strings.HasSuffix(lines[last], "\n") {
		item = "\n" + item
	}
	out := strings.Join(lines[:last+1], "") + item + strings.Join(lines[last+1:], "")
	return overview, os.WriteFile(overview, []byte(out), 0o644)
}

// Plan writes a new plan: a directory named after it under parent, with an
// overview README and its first phase, titled firstPhase.
func Plan(parent, name, firstPhase string, now time.Time) (*Result, error) {
	title, slug, err := names(name)
	if err != nil {
		return nil, err
	}
	phaseTitle, phaseSlug, err := names(firstPhase)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(parent, slug)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s already exists; not overwriting it", dir)
		}
		return nil, err
	}
	date := now.Format("2006-01-02")
	file := "phase-1-" + phaseSlug + ".md"
	readme := filepath.Join(dir, "README.md")
	phase := filepath.Join(dir, file)
	d := doc{number: "1", title: phaseTitle, date: date, returnTo: "[Plan overview](./README.md)", command: "plansite new plan"}
	err = create(readme, overview(title, date, fmt.Sprintf("[Phase 1: %s](./%s)", phaseTitle, file)))
	if err == nil {
		err = create(phase, d.phase())
	}
	if err != nil {
		os.RemoveAll(dir) // ours: made above
		return nil, err
	}
	return &Result{Created: []string{readme, phase}}, nil
}

// names turns NAME into a title and a file-name slug: "Billing export" and
// "billing-export" both give "Billing export", "billing-export".
func names(name string) (title, slug string, err error) {
	title = strings.Join(strings.Fields(name), " ")
	if !strings.Contains(title, " ") && strings.ContainsAny(title, "-_") {
		title = strings.NewReplacer("-", " ", "_", " ").Replace(title)
	}
	slug = extract.Slug(title)
	if slug == "" {
		return "", "", fmt.Errorf("name %q has no letters or digits to name a file after", name)
	}
	r := []rune(title)
	r[0] = unicode.ToUpper(r[0])
	return string(r), slug, nil
}

// create writes a new file, failing if it exists.
func create(p, text string) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting it", p)
		}
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(p)
		return err
	}
	return f.Close()
}
