package source

import "testing"

func TestExcluded(t *testing.T) {
	for _, c := range []struct {
		rel      string
		patterns []string
		want     bool
	}{
		{"drafts/phase-1.md", []string{"drafts/**"}, true},
		{"drafts/", []string{"drafts/"}, true},
		{"drafts/a/b/phase-1.md", []string{"drafts"}, false}, // the walk skips drafts/ itself
		{"plans/notes.tmp.md", []string{"*.tmp.md"}, true},   // a base name anywhere
		{"plans/a/b/notes.md", []string{"plans/**/notes.md"}, true},
		{"plans/notes.md", []string{"plans/**/notes.md"}, true}, // ** is zero directories too
		{"archive/2025/x.md", []string{"{old,archive}/**"}, true},
		{"current/x.md", []string{"{old,archive}/**"}, false},
		{"plans/phase-1.md", []string{"plans/phase-[0-9].md"}, true},
		{"plans/phase-1.md", []string{"./plans/phase-1.md"}, true},
		{"plans/phase-1.md", []string{"other/**"}, false},
	} {
		if got := Excluded(c.rel, c.patterns); got != c.want {
			t.Errorf("Excluded(%q, %q) = %v, want %v", c.rel, c.patterns, got, c.want)
		}
	}
}
