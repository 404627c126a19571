package extract

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/plan"
)

func corpusDoc(t *testing.T, rel string) *plan.Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testcorpus.MeatyMusic(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return Extract(rel, b, Options{}).Doc
}

func TestCorpusHardCases(t *testing.T) {
	t.Run("lazy Return to under Supporting Docs", func(t *testing.T) {
		d := corpusDoc(t, "docs/project_plans/bootstrap-from-meatyprompts/phase-5-ui-adaptation.md")
		if d.Meta["prev"] == "" || d.Meta["next"] == "" {
			t.Errorf("prev/next fields not read: %v", d.Meta)
		}
	})
	t.Run("COMPLETE with a percentage below 100", func(t *testing.T) {
		d := corpusDoc(t, ".claude/progress/phase-3-domain-migration-progress.md")
		if d.Status != plan.Complete || d.Completion.Declared == nil || *d.Completion.Declared != 92 {
			t.Errorf("status %s declared %v", d.Status, d.Completion.Declared)
		}
	})
	t.Run("0% with checked items", func(t *testing.T) {
		d := corpusDoc(t, ".claude/progress/phase-4-workflow-orchestration-progress.md")
		if d.Status != plan.NotStarted || d.Completion.Done == 0 || !hasProblem(d, "completion-mismatch", 0) {
			t.Errorf("status %s done %d problems %+v", d.Status, d.Completion.Done, d.Problems)
		}
	})
	t.Run("## Metadata list", func(t *testing.T) {
		d := corpusDoc(t, "docs/project_plans/impl_tracking/bootstrap-hybrid/progress/phase-5-progress.md")
		if d.Completion.Declared == nil || *d.Completion.Declared != 80 || d.Meta["plan"] == "" {
			t.Errorf("declared %v meta %v", d.Completion.Declared, d.Meta)
		}
	})
	t.Run("colon inside bold with bold value", func(t *testing.T) {
		d := corpusDoc(t, "IMPLEMENTATION_COMPLETE.md")
		if d.Status != plan.Complete {
			t.Errorf("status %s (%q)", d.Status, d.StatusText)
		}
	})
	t.Run("template with enumerated status", func(t *testing.T) {
		d := corpusDoc(t, ".claude/skills/planning/templates/progress-tracking-template.md")
		if d.Kind != "template" || d.Status != plan.Unknown {
			t.Errorf("kind %s status %s", d.Kind, d.Status)
		}
	})
	t.Run("checklist tasks with continuation agents", func(t *testing.T) {
		d := corpusDoc(t, ".claude/progress/gap-analysis-p2/all-phases-progress.md")
		var rbac1 *plan.Task
		for _, task := range d.Tasks {
			if task.ID == "RBAC-001" {
				rbac1 = task
			}
		}
		if rbac1 == nil || len(rbac1.Agents) != 1 || rbac1.Agents[0].Name != "data-layer-expert" || rbac1.Points != 1 || rbac1.Phase != "1" {
			t.Errorf("RBAC-001 = %+v", rbac1)
		}
	})
	t.Run("N6 tasks with nested acceptance criteria", func(t *testing.T) {
		d := corpusDoc(t, ".claude/progress/backend-entity-services-v1/all-phases-progress.md")
		n := 0
		for _, task := range d.Tasks {
			if len(task.ID) > 3 && task.ID[:3] == "N6-" {
				n++
				if task.Status != plan.Complete {
					t.Errorf("%s status %s", task.ID, task.Status)
				}
			}
		}
		if n < 20 {
			t.Errorf("%d N6 tasks, want the tracker's ~30", n)
		}
	})
}

// TestPlainIsPlainText holds the walker's plain, which cuts a lone text from
// the source, to plainText on every node of every document of both corpora
// and our testdata, and on hand-made edges (a tab's padding, a hard break).
func TestPlainIsPlainText(t *testing.T) {
	docs := map[string][]byte{
		"edges.md": []byte("# \tTabbed  \n\n| a | `b` |\n|---|---|\n|  c\\| | [d](x.md) |\n\ntext  \nbroken [**bold** link](y.md)\n\n- [ ] box\n\n>  quoted\n"),
	}
	maps.Copy(docs, corpusDocs(t))
	lone := 0
	for name, raw := range docs {
		res := Extract(name, raw, Options{})
		w := &walker{src: res.Source}
		w.setText()
		_ = ast.Walk(res.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering || n.Type() == ast.TypeDocument {
				return ast.WalkContinue, nil
			}
			if got, want := w.plain(n), plainText(n, res.Source); got != want {
				t.Errorf("%s: plain of a %s = %q, plainText says %q", name, n.Kind(), got, want)
			}
			if _, ok := n.FirstChild().(*ast.Text); ok && n.FirstChild().NextSibling() == nil {
				lone++
			}
			return ast.WalkContinue, nil
		})
	}
	if lone < 1000 {
		t.Errorf("only %d nodes held one text: the check saw too little", lone)
	}
}
