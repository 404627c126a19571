package explain

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/config"
)

var update = flag.Bool("update", false, "rewrite the golden explain output")

// TestGoldenExplain holds plansite explain's output for each of our own
// documents in every convention (testdata/conventions) to its golden file:
// what a user is told was read, line by line.
func TestGoldenExplain(t *testing.T) {
	src := testcorpus.Testdata(t, "conventions")
	var docs []string
	_ = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(src, p)
			docs = append(docs, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(docs) < 15 {
		t.Fatalf("only %d documents in %s", len(docs), src)
	}
	for _, rel := range docs {
		t.Run(rel, func(t *testing.T) {
			rep, err := Document(src, rel, &config.Config{}, "test")
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := rep.Write(&got, "text"); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", strings.NewReplacer("/", "__", ".", "_").Replace(rel)+".golden")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./site/explain -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("explain %s differs from %s:\n--- got\n%s--- want\n%s", rel, golden, got.String(), want)
			}
		})
	}
}

// TestExplainCorpus explains real documents of the conventions corpus and
// looks for what a person reading them sees (MANIFEST.md).
func TestExplainCorpus(t *testing.T) {
	src := testcorpus.Conventions(t)
	rep, err := Document(src, "ALLiDoizCode__Permaweb-MCP/docs/stories/10.4.story.md", &config.Config{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.Write(&b, "json"); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	find := func(what, text string) *Entry {
		for i, e := range back.Read {
			if e.What == what && strings.Contains(e.Text, text) {
				return &back.Read[i]
			}
		}
		return nil
	}
	if back.Convention != "bmad" || back.Status != "not-started" {
		t.Errorf("10.4: %s %s", back.Convention, back.Status)
	}
	if e := find("status", "written \"Approved\""); e == nil || e.Line != 5 {
		t.Errorf("status entry %+v", e)
	}
	if e := find("gate", "result failed"); e == nil || e.Line != 653 {
		t.Errorf("QA gate entry %+v", e)
	}
	if e := find("prev", "10.3.story.md"); e == nil {
		t.Errorf("no previous story in %+v", back.Read)
	}
	skippedBox := false
	for _, e := range back.Skipped {
		skippedBox = skippedBox || strings.Contains(e.Text, "not counted")
	}
	if !skippedBox {
		t.Errorf("the QA checklist boxes are not said to be skipped: %+v", back.Skipped)
	}
	if _, err := Document(src, "no/such.md", &config.Config{}, "test"); err == nil || !strings.Contains(err.Error(), "no/such.md") {
		t.Errorf("missing document: %v", err)
	}
}

// TestExplainTextIsOneLinePerEntry: what a document writes cannot drive the
// terminal or reorder a line: escapes, carriage returns and bidirectional
// overrides print as their escapes.
func TestExplainTextIsOneLinePerEntry(t *testing.T) {
	src := t.TempDir()
	doc := "# Ship it\n\n**Status:** In progress \u202eevil\n**Owner:** \x1b[31mred\x1b[0m\r\n\n- [ ] Paint\n- [x] Done\n"
	if err := os.WriteFile(filepath.Join(src, "tasks.md"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Document(src, "tasks.md", &config.Config{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := rep.Write(&got, "text"); err != nil {
		t.Fatal(err)
	}
	out := got.String()
	for _, bad := range []string{"\x1b", "\r", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("explain printed %q raw:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\x1b[31m`) {
		t.Errorf("explain should show what the line holds, escaped:\n%s", out)
	}
}
