package extract

import (
	"encoding/json"
	"strings"
	"testing"
)

// Front matter that does not parse is reported and none of it is used:
// not the keys before the mistake, not what an alias bomb expanded to.
func TestInvalidFrontMatterIsNotUsed(t *testing.T) {
	// yaml.v3 decodes every key it can and then reports the one it cannot.
	src := "---\ntitle: From the front matter\nstatus: complete\nowner: someone\n? [a, b]\n: a list as a key\n---\n# The heading\n\nBody.\n"
	d := Extract("plan/a.md", []byte(src), Options{}).Doc
	if !hasProblem(d, "front-matter-invalid", 1) {
		t.Errorf("no front-matter-invalid problem: %+v", d.Problems)
	}
	if d.Title != "The heading" || d.Status == "complete" || d.Meta["status"] != "" || d.Meta["title"] != "" {
		t.Errorf("keys of invalid front matter were used: title %q, status %q, meta %v", d.Title, d.Status, d.Meta)
	}

	// A billion laughs: yaml.v3 stops it as excessive aliasing, after it
	// decoded the first levels.
	var b strings.Builder
	b.WriteString("---\nowner: someone\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, k := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(k + ": &" + k + " [")
		for i := range 9 {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = k
	}
	b.WriteString("---\n# Bomb\n")
	d = Extract("plan/bomb.md", []byte(b.String()), Options{}).Doc
	model, _ := json.Marshal(d)
	if !hasProblem(d, "front-matter-invalid", 1) || len(model) > 16<<10 || d.Meta["assigned"] != "" || d.Meta["a"] != "" {
		t.Errorf("alias bomb: %d bytes of model, problems %+v", len(model), d.Problems)
	}
}

// Nested front matter reads as text: a map as "key: value" pairs, a list
// of maps joined by semicolons, never Go's map syntax.
func TestNestedFrontMatterAsText(t *testing.T) {
	src := "---\nmust_haves:\n  key_links:\n    - from: a.go\n      to: b.go\n    - from: c.go\n      to: d.go\n  truths: [one, two]\n---\n\nBody.\n"
	d := Extract(".planning/phases/01-x/01-01-PLAN.md", []byte(src), Options{}).Doc
	if got := d.Meta["must-haves-key-links"]; got != "from: a.go, to: b.go; from: c.go, to: d.go" {
		t.Errorf("key_links read as %q", got)
	}
	if got := d.Meta["must-haves-truths"]; got != "one, two" {
		t.Errorf("truths read as %q", got)
	}
}
