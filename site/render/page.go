package render

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"strings"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
)

// Options shape the rendered site.
type Options struct {
	BaseURL string // absolute URL or path prefix the site is served under
	Minify  bool
}

// Site renders the pages of a site.
type Site struct {
	Model    *plan.Site
	Config   *config.Config
	Opts     Options
	resolver *link.Resolver
	base     string // path prefix, no trailing slash
	bySource map[string]*plan.Doc
	page     *template.Template
}

// New prepares the renderer for a site.
func New(model *plan.Site, cfg *config.Config, resolver *link.Resolver, opts Options) (*Site, error) {
	s := &Site{Model: model, Config: cfg, Opts: opts, resolver: resolver, bySource: map[string]*plan.Doc{}}
	s.base = BasePath(opts.BaseURL)
	if model != nil {
		s.Index(model)
	}
	t, err := template.New("page").Funcs(template.FuncMap{"url": s.URL}).Parse(plainPage)
	if err != nil {
		return nil, err
	}
	s.page = t
	return s, nil
}

// Index points the renderer at a (new) model.
func (s *Site) Index(model *plan.Site) {
	s.Model = model
	s.bySource = map[string]*plan.Doc{}
	for _, d := range model.Docs {
		s.bySource[d.Source] = d
	}
}

// BasePath is the path part of a base URL, without a trailing slash.
func BasePath(baseURL string) string {
	if baseURL == "" {
		return ""
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// URL prefixes a site URL with the base path.
func (s *Site) URL(u string) string { return s.base + u }

// Links is the LinkFunc for the body of the document at source: links to
// documents go to their pages; broken links go to the page they most likely
// meant, marked broken.
func (s *Site) Links(source string) LinkFunc {
	return func(target string) (string, bool) {
		if target == "" || strings.HasPrefix(target, "#") || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			return target, false
		}
		frag := ""
		if i := strings.Index(target, "#"); i >= 0 {
			frag = target[i:]
		}
		res, sug := s.resolver.Resolve(source, target)
		switch {
		case res != "" && s.resolver.IsDoc(res):
			return s.URL(extract.URLFor(res)) + frag, false
		case res != "":
			if readme := path.Join(res, "README.md"); s.resolver.IsDoc(readme) {
				return s.URL(extract.URLFor(readme)) + frag, false
			}
			if s.Config != nil && s.Config.RepoURL != "" {
				return strings.TrimSuffix(s.Config.RepoURL, "/") + "/blob/" + s.Config.Branch + "/" + res, false
			}
			return target, false
		case sug != "":
			return s.URL(extract.URLFor(sug)) + frag, true
		}
		return target, true
	}
}

// OutputPath is the file a page URL is written to: "/a/b/" → "a/b/index.html".
func OutputPath(u string) string {
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// DocPage renders the page of one document around its rendered body.
func (s *Site) DocPage(d *plan.Doc, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	err := s.page.Execute(&buf, map[string]any{"Doc": d, "Body": template.HTML(body), "Site": s.Model, "Prev": s.bySource[deref(d.Prev)], "Next": s.bySource[deref(d.Next)]})
	return buf.Bytes(), err
}

// SitePages renders every page that is not a document's: the home page for
// now. emit receives the output path and content.
func (s *Site) SitePages(emit func(rel string, data []byte) error) error {
	var buf bytes.Buffer
	if err := template.Must(template.New("home").Funcs(template.FuncMap{"url": s.URL}).Parse(plainHome)).Execute(&buf, s.Model); err != nil {
		return err
	}
	return emit("index.html", buf.Bytes())
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

const plainPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Doc.Title}}</title></head>
<body><main><h1>{{.Doc.Title}}</h1>
<p>Status: {{.Doc.Status}} · {{.Doc.Completion.Done}}/{{.Doc.Completion.Total}} checked</p>
{{if .Prev}}<a rel="prev" href="{{url .Prev.URL}}">← {{.Prev.Title}}</a>{{end}}
{{if .Next}}<a rel="next" href="{{url .Next.URL}}">{{.Next.Title}} →</a>{{end}}
<article>{{.Body}}</article></main></body></html>
`

const plainHome = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plans</title></head>
<body><main><h1>Plans</h1><ul>{{range .Docs}}<li><a href="{{url .URL}}">{{.Title}}</a> ({{.Status}})</li>{{end}}</ul></main></body></html>
`
