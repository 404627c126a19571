package scaffold

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// edit is a change to an existing document, made in memory first.
type edit struct {
	path  string
	data  []byte
	notes []string
}

var (
	// The Next Phase field, as extraction reads it: key and colon kept, value replaced.
	nextPhaseRe = regexp.MustCompile(`(?i)^(\s*(?:[-*+]\s+)?\*\*next phase(?::\*\*|\*\*:))(.*?)(\r?)$`)
	prevPhaseRe = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?\*\*prev(?:ious)?(?: phase)?(?::\*\*|\*\*:)`)
	boldKeyRe   = regexp.MustCompile(`^(\s*(?:[-*+]\s+)?)\*\*[^*]+\*\*`)
	breakRe     = regexp.MustCompile(`^ {0,3}(?:-[ \t]*){3,}$|^ {0,3}(?:\*[ \t]*){3,}$|^ {0,3}(?:_[ \t]*){3,}$`)
	mdTargetRe  = regexp.MustCompile(`\]\(<?([^)\s>]+)`)
)

// linkNext points the document at p (raw) to the new phase: it replaces the
// value of its Next Phase field, or adds the field to its footer (after the
// last "---"), or adds a footer. Every other byte is kept. A Next Phase that
// already links to an existing file is not replaced.
func linkNext(p string, raw []byte, newLink, target string) (*edit, error) {
	nl := "\n"
	if bytes.Contains(raw, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := strings.Split(string(raw), "\n")
	e := &edit{path: p}
	outside := outsideFences(lines)
	for i, l := range lines {
		m := nextPhaseRe.FindStringSubmatch(l)
		if m == nil || !outside[i] {
			continue
		}
		old := strings.TrimSpace(m[2])
		if t := mdTargetRe.FindStringSubmatch(old); t != nil && t[1] != target {
			if _, err := os.Stat(filepath.Join(filepath.Dir(p), filepath.FromSlash(strings.SplitN(t[1], "#", 2)[0]))); err == nil {
				return nil, fmt.Errorf("%s:%d: Next Phase already links to %s; not replacing it (edit it by hand, or give --dir another plan)", p, i+1, t[1])
			}
		}
		lines[i] = m[1] + " " + newLink + m[3]
		if old != "" && old != NotPlanned {
			e.notes = append(e.notes, fmt.Sprintf("%s:%d: Next Phase was %q", p, i+1, old))
		}
		e.data = []byte(strings.Join(lines, "\n"))
		return e, nil
	}
	field := "**Next Phase**: " + newLink
	if brk, at := footer(lines, outside); brk >= 0 {
		// Directly under the footer's last field line, in the same paragraph
		// (after Previous Phase when there is one); else after a blank line.
		for i := at; i > brk; i-- {
			if prevPhaseRe.MatchString(lines[i]) && outside[i] {
				at = i
				break
			}
		}
		cr := strings.TrimSuffix(nl, "\n")
		var insert []string
		if m := boldKeyRe.FindStringSubmatch(lines[at]); m != nil {
			insert = []string{m[1] + field + cr} // same list or paragraph as the line above
		} else {
			insert = []string{cr, field + cr}
		}
		lines = append(lines[:at+1], append(insert, lines[at+1:]...)...)
		e.data = []byte(strings.Join(lines, "\n"))
		return e, nil
	}
	text := string(raw)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += nl
	}
	e.data = []byte(text + nl + "---" + nl + nl + field + nl)
	return e, nil
}

// footer finds the footer, the part after a final thematic break with no
// heading below it: the break's line and the footer's last non-blank line
// (0-based), or -1, -1.
func footer(lines []string, outside []bool) (brk, end int) {
	brk = -1
	for i, l := range lines {
		if !outside[i] {
			continue
		}
		t := strings.TrimRight(l, "\r")
		switch {
		case strings.HasPrefix(strings.TrimLeft(t, " "), "#"):
			brk = -1
		case i > 0 && breakRe.MatchString(t) && strings.TrimSpace(lines[i-1]) == "":
			// A "---" right under text is a heading underline, not a break;
			// one on the first line opens front matter.
			brk = i
		}
	}
	if brk < 0 {
		return -1, -1
	}
	end = brk
	for i := brk + 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			end = i
		}
	}
	return brk, end
}

// outsideFences marks the lines that are not inside a fenced code block.
func outsideFences(lines []string) []bool {
	out := make([]bool, len(lines))
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		for _, c := range []string{"`", "~"} {
			if n := len(t) - len(strings.TrimLeft(t, c)); n >= 3 {
				fence = strings.Repeat(c, n)
			}
		}
		out[i] = fence == ""
	}
	return out
}

// write replaces the file through a temporary file beside it, so a failed
// write never leaves it half written; its mode is kept.
func (e *edit) write() error {
	fi, err := os.Stat(e.path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(e.path), ".plansite-new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(e.data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), e.path)
}
