package render

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// widgetTemplates are the theme's partials as they were before the widgets
// moved to Go: the reference the Go widgets must print byte for byte.
const widgetTemplates = `{{define "toc"}}{{range .}}<li class="toc-{{.Level}}"><a href="#{{.Anchor}}">{{.Text}}</a></li>{{end}}{{end}}` +
	`{{define "gates"}}{{range .}}<li class="gate {{if .Passed}}passed{{else}}open{{end}}" data-done="{{.Done}}" data-total="{{.Total}}"><span class="gate-name">{{if .Phase}}<span class="gate-phase">Phase {{.Phase}}</span> {{end}}<a href="#{{.Anchor}}" class="gate-title">{{.Title}}</a></span>
<progress max="{{.Total}}" value="{{.Done}}" aria-label="{{if .Phase}}Phase {{.Phase}} {{end}}{{.Title}}: {{.Done}} of {{.Total}}">{{.Done}}/{{.Total}}</progress>
<span class="gate-count">{{.Done}}/{{.Total}}</span>
<span class="gate-state">{{if .Passed}}passed{{else if eq .Total 0}}empty{{else}}not passed{{end}}</span>{{template "openItems" .}}</li>{{end}}{{end}}` +
	`{{define "openItems"}}{{$n := 0}}{{range .Items}}{{if and (not .Checked) (lt $n 8)}}{{if eq $n 0}}<ul class="gate-open-items" aria-label="Unchecked">{{end}}<li>{{.Text}}</li>{{$n = add1 $n}}{{end}}{{end}}{{if $n}}{{if gt (sub .Total .Done) $n}}<li class="more">and {{sub (sub .Total .Done) $n}} more unchecked</li>{{end}}</ul>{{end}}{{end}}` +
	`{{define "tasks"}}{{range .}}<tr><td>{{.ID}}</td><td><a href="#{{.Anchor}}">{{.Title}}</a></td><td><span class="status status-{{.Status}}">{{statusLabel .Status}}</span></td><td>{{if .Total}}{{.Done}}/{{.Total}}{{end}}</td><td>{{range $i, $a := .Agents}}{{if $i}}, {{end}}{{with agentURL $a.Name}}<a href="{{url .}}">{{$a.Name}}</a>{{else}}<span class="agent">{{$a.Name}}</span>{{end}} <span class="role">{{$a.Role}}</span>{{end}}</td></tr>{{end}}{{end}}` +
	`{{define "matrix"}}<div class="scroll" role="region" aria-label="{{.Caption}}" tabindex="0"><table class="matrix"><caption>{{.Caption}}</caption><thead><tr><th scope="col">Agent</th>{{range .Cols}}<th scope="col">{{if .Href}}<a href="{{.Href}}" title="{{.Title}}">{{.Label}}</a>{{else}}<span title="{{.Title}}">{{.Label}}</span>{{end}}</th>{{end}}</tr></thead><tbody>{{range .Rows}}<tr><th scope="row">{{if agentURL .Agent}}<a href="{{url .URL}}">{{.Agent}}</a>{{else}}<span class="agent">{{.Agent}}</span>{{end}}</th>{{range .Cells}}<td class="role-{{.Class}}">{{if .Text}}<abbr title="{{.Title}}">{{.Text}}</abbr>{{end}}</td>{{end}}</tr>{{end}}</tbody></table></div><p class="legend">P primary · B backup · R review</p>{{end}}` +
	`{{define "planNav"}}{{range .}}<li class="status-{{.Reading.Status}}">{{if .Current}}<a href="{{url .Doc.URL}}" aria-current="page">{{.Doc.Title}}</a>{{else}}<a href="{{url .Doc.URL}}">{{.Doc.Title}}</a>{{end}} <span class="nav-state">{{if .Reading.Template}}template{{else}}{{statusLabel .Reading.Status}}{{end}}</span></li>{{end}}{{end}}` +
	`{{define "agentRows"}}{{range .}}<tr data-status="{{.Status}}"><td>{{.ID}}</td><td><a href="{{url .Href}}">{{.Title}}</a></td><td data-label="In"><a href="{{url .Doc.URL}}">{{.Doc.Title}}</a></td><td data-label="Role">{{.Role}}</td><td><span class="status status-{{.Status}}">{{statusLabel .Status}}</span></td></tr>{{end}}{{end}}` +
	`{{define "problemItems"}}{{range .}}<li class="sev-{{.Severity}}" data-sev="{{.Severity}}"><span class="sev">{{.Severity}}</span> <a href="{{.Href}}">line {{.Line}}</a> {{.Message}} <code>{{.Code}}</code></li>{{end}}{{end}}` +
	`{{define "related"}}{{range .}}<li><a href="{{url .URL}}">{{.Title}}</a> <span class="kind">{{.Kind}}</span></li>{{end}}{{end}}`

// TestWidgetsMatchTemplates renders the widgets of every corpus document,
// and of a document of hostile text, both ways and wants the same bytes.
func TestWidgetsMatchTemplates(t *testing.T) {
	s := &Site{base: "/sub"}
	fm := s.funcs()
	fm["add1"] = func(n int) int { return n + 1 }
	fm["sub"] = func(a, b int) int { return a - b }
	ref := template.Must(template.New("w").Funcs(fm).Parse(widgetTemplates))
	exec := func(name string, data any) string {
		var b bytes.Buffer
		if err := ref.ExecuteTemplate(&b, name, data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	var docs []*plan.Doc
	root := testcorpus.MeatyMusic(t)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			raw, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			docs = append(docs, extract.Extract(filepath.ToSlash(rel), raw, extract.Options{}).Doc)
		}
		return nil
	})
	hostile := "# Plan <b>\"x\"</b> & 'y' + z\x00\n\n## Gate 1: <script>alert(1)</script> ✅ é+&\n\n- [x] a\n- [ ] b\n\n" +
		"## Gate 2: Empty\n\n#### 1.1 Task \"one\" <i>+</i>\n- **Assigned**: agent-one\n- **Backup**: agent-two\n- [x] s\n- [ ] t\n\n" +
		"#### 1.2 Ünïcode & more\n- **Assigned**: agent-two\n"
	for _, src := range []string{"weird/ä b&c.md", "weird/100%25 done?.md"} {
		docs = append(docs, extract.Extract(src, []byte(hostile), extract.Options{}).Doc)
	}
	var nav []navDoc
	for i, d := range docs {
		nav = append(nav, navDoc{Doc: d, Reading: readDoc(d), Current: i%3 == 0})
	}
	if got, ref := string(s.planNavItems(nav)), exec("planNav", nav); got != ref {
		t.Errorf("plan navigation widget differs from the template's\n got: %.400s\nwant: %.400s", got, ref)
	}
	if got, ref := string(s.relatedItems(docs)), exec("related", docs); got != ref {
		t.Errorf("related documents widget differs from the template's\n got: %.400s\nwant: %.400s", got, ref)
	}
	var rows []agentItem
	for _, d := range docs {
		for _, t := range d.Tasks {
			rows = append(rows, agentItem{Doc: d, ID: t.ID, Title: t.Title, Href: d.URL + "#" + t.Anchor, Role: "primary", Status: t.Status})
		}
	}
	if got, ref := string(s.agentTaskRows(rows)), exec("agentRows", rows); got != ref || len(rows) < 20 {
		t.Errorf("agent task rows widget (%d rows) differs from the template's\n got: %.400s\nwant: %.400s", len(rows), got, ref)
	}
	var problems []problemView
	for _, d := range docs {
		for _, p := range d.Problems {
			problems = append(problems, problemView{Problem: p, Source: d.Source, Href: (&Site{}).problemHref(d, p)})
		}
	}
	if got, ref := string(problemFileItems(problems)), exec("problemItems", problems); got != ref || len(problems) < 5 {
		t.Errorf("problem items widget (%d problems) differs from the template's\n got: %.400s\nwant: %.400s", len(problems), got, ref)
	}
	compared := 0
	for _, d := range docs {
		var toc []*plan.Heading
		for _, h := range d.Headings {
			if h.Level >= 2 && h.Level <= 3 {
				toc = append(toc, h)
			}
		}
		pairs := []struct {
			name     string
			got, ref string
		}{
			{"toc", string(tocItems(toc)), exec("toc", toc)},
			{"gates", string(gateItems(d.Gates)), exec("gates", d.Gates)},
			{"tasks", string(s.taskRows(d.Tasks)), exec("tasks", d.Tasks)},
		}
		for _, m := range []*matrix{taskMatrix(d), seriesMatrix([]*plan.Doc{d, d})} {
			if m != nil {
				pairs = append(pairs, struct{ name, got, ref string }{"matrix", string(s.matrixTable(m)), exec("matrix", m)})
			}
		}
		for _, p := range pairs {
			if p.got != p.ref {
				t.Errorf("%s: %s widget differs from the template's\n got: %.400s\nwant: %.400s", d.Source, p.name, p.got, p.ref)
			}
			if p.ref != "" {
				compared++
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d widgets compared", compared)
	}
}

// TestEscapersMatchTemplate: the Go pages' escapers write a value as
// html/template writes it in the same place (an href, after "#" in one, a
// quoted attribute, text), for hostile URLs and text: an unsafe scheme, a
// "%" that opens no escape, a scheme html/template folds to "https".
func TestEscapersMatchTemplate(t *testing.T) {
	tm := template.Must(template.New("x").Parse(`<a href="{{.}}">x</a><a href="#{{.}}">y</a><p title="{{.}}">{{.}}</p>`))
	for _, u := range []string{"/a/b/", "/100%/", "/a%zz/", "/a%2", "%41", "/a%2Fb%2f", "javascript:alert(1)", "JavaScript:x", " javascript:x",
		"httpſ://x", "HTTPS://x", "mailto:a@b", "data:x", "/a b/\"'<>&+", "/é\u2028\u2029\x00", "a/b:c", "?q=1&r=<", "java\nscript:x", "//evil.example"} {
		var want strings.Builder
		if err := tm.Execute(&want, u); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		got.WriteString(`<a href="`)
		escURL(&got, u)
		got.WriteString(`">x</a><a href="#`)
		escURLPart(&got, u)
		got.WriteString(`">y</a><p title="`)
		escHTML(&got, u)
		got.WriteString(`">`)
		escHTML(&got, u)
		got.WriteString(`</p>`)
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", u, got.String(), want.String())
		}
	}
}
