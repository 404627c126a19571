package render

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tdewolff/minify/v2"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/history"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/search"
)

// Options shape the rendered site.
type Options struct {
	BaseURL string // absolute URL or path prefix the site is served under
	Minify  bool
	// SourceDir is the source root: its layouts/, assets/ and static/
	// override the theme's files, and its git history feeds the burndown.
	SourceDir string
	// Theme replaces the default theme (nil: themes/default, embedded).
	Theme fs.FS
	// Inject is raw HTML inserted before </body> of every page, such as the
	// live-reload script of plansite serve.
	Inject template.HTML
	// NoGit turns off the burndown series read from git history.
	NoGit bool
	// StableAssets keeps assets at their plain names (/assets/main.css):
	// plansite serve, which caches nothing, swaps a changed stylesheet in
	// place, and a fingerprint in its URL would change every page.
	StableAssets bool
	// Now is the day the site is built as of (staleness, this week's
	// changes); zero means the time of the build.
	Now time.Time
}

// Site renders the pages of a site. After New and Index it is safe for
// concurrent use by page workers.
type Site struct {
	Model    *plan.Site
	Config   *config.Config
	Opts     Options
	resolver *link.Resolver
	base     string // path prefix, no trailing slash
	bySource map[string]*plan.Doc
	files    *files
	tmpl     map[string]*template.Template
	assets   map[string]*asset
	min      *minify.M
	idx      *siteIndex
	git      *history.Repo
	search   *search.Index // filled by SearchDoc as pages render
	chromes  chromes
	// docMainInGo: doc.html's "main" is written by writeDocMain (docmain.go);
	// goMains are the other layouts whose "main" is written in Go (sitemain.go).
	docMainInGo bool
	goMains     map[string]goMain
	badges      sync.Map // a badge's SVG → minified, for the current model
	partials    partials
	repo        repository
	// published are the files beside the documents their bodies link to
	// or show, recorded as the bodies are rendered.
	published publishedSet
}

// New prepares the renderer for a site: it parses the layouts and bundles
// the assets once.
func New(model *plan.Site, cfg *config.Config, resolver *link.Resolver, opts Options) (*Site, error) {
	if cfg == nil {
		cfg = &config.Config{Branch: "main"}
	}
	s := &Site{Config: cfg, Opts: opts, resolver: resolver, bySource: map[string]*plan.Doc{}, min: newMinifier()}
	s.base = BasePath(opts.BaseURL)
	s.published.m = map[string]bool{}
	s.repo = findRepository(cfg.RepoURL, opts.SourceDir)
	s.files = newFiles(opts.SourceDir, opts.Theme)
	if err := s.parseLayouts(); err != nil {
		return nil, err
	}
	if err := s.bundleAssets(); err != nil {
		return nil, err
	}
	if !opts.NoGit && opts.SourceDir != "" {
		s.git = history.Open(s.repo.top, s.repo.prefix)
	}
	if model != nil {
		s.Index(model)
	}
	return s, nil
}

// Index points the renderer at a (new) model and precomputes what every
// page looks up: series, related documents, agents, problems.
func (s *Site) Index(model *plan.Site) {
	s.Model = model
	s.bySource = make(map[string]*plan.Doc, len(model.Docs))
	for _, d := range model.Docs {
		s.bySource[d.Source] = d
	}
	s.idx = s.buildIndex(model)
	s.search = search.New()
	s.resetChromes()
	s.badges.Clear()
	s.partials.made.Clear()
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

// OutputPath is the file a page URL is written to: "/a/b/" → "a/b/index.html",
// "/a%20b%231/" → "a b#1/index.html" (URLs are escaped, files are not).
func OutputPath(u string) string {
	if raw, err := url.PathUnescape(u); err == nil {
		u = raw
	}
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// pageData is what every layout receives: base.html reads the page fields,
// the page layout its Data.
type pageData struct {
	Title       string
	Description string
	Section     string // dashboard | plan | doc | agents | problems | search
	Data        any
}

// execute renders layout with data. When the site minifies, its layouts
// were minified as they were parsed (parseLayouts), so the page is too.
func (s *Site) execute(layout string, p pageData) ([]byte, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.page(buf, layout, p); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// page writes page p of layout to buf: its "main" in the chrome made once
// (chrome.go), or else base.html executed for the page.
func (s *Site) page(buf *bytes.Buffer, layout string, p pageData) error {
	t := s.tmpl[layout]
	if c := s.chrome(p); c != nil {
		if m, ok := s.goMains[layout]; ok {
			return c.write(buf, p, func() error { return m.write(s, layoutWriter{Buffer: buf, minify: s.Opts.Minify}, p.Data) })
		}
		return c.write(buf, p, func() error { return t.ExecuteTemplate(buf, "main", p) })
	}
	return t.ExecuteTemplate(buf, "base", p)
}

// DocPage renders the page of one document around its rendered body. The
// document at "/" (a root README) is the dashboard, with the body below it.
func (s *Site) DocPage(d *plan.Doc, body []byte) ([]byte, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.docPageTo(buf, d, body); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

func (s *Site) docPageTo(buf *bytes.Buffer, d *plan.Doc, body []byte) error {
	if d.URL == "/" {
		page, err := s.dashboard(bodyHTML(body))
		buf.Write(page)
		return err
	}
	v := s.docView(d, body)
	p := pageData{Title: d.Title, Description: d.Goal, Section: "doc", Data: v}
	if s.docMainInGo {
		if c := s.chrome(p); c != nil {
			return c.write(buf, p, func() error { return s.writeDocMain(buf, v, body) })
		}
	}
	// The body is written in place of a marker, not printed by the
	// template: html/template prints a value through fmt, which copied
	// every body into a buffer of its own.
	v.Body = bodyMarker
	start := buf.Len()
	if err := s.page(buf, "doc", p); err != nil {
		return err
	}
	if spliceBody(buf, start, body) {
		return nil
	}
	// A site's own doc.html that writes the body elsewhere than once as
	// HTML is executed with it.
	buf.Truncate(start)
	v.Body = bodyHTML(body)
	return s.page(buf, "doc", p)
}

// bodyMarker stands in a page for its body. Text on a page is escaped,
// NUL included, so only the layout's own {{.Body}} writes it.
const bodyMarker template.HTML = "\x00plansite body\x00"

// spliceBody puts body in place of the one bodyMarker in buf after start;
// false when buf has none there, or more than one.
func spliceBody(buf *bytes.Buffer, start int, body []byte) bool {
	page := buf.Bytes()[start:]
	i := bytes.Index(page, []byte(bodyMarker))
	if i < 0 || bytes.Contains(page[i+len(bodyMarker):], []byte(bodyMarker)) {
		return false
	}
	i += start
	end := buf.Len()
	if grow := len(body) - len(bodyMarker); grow > 0 {
		buf.Write(body[:grow]) // room: overwritten below
	}
	b := buf.Bytes()
	copy(b[i+len(body):], b[i+len(bodyMarker):end])
	copy(b[i:], body)
	buf.Truncate(end + len(body) - len(bodyMarker))
	return true
}

// bodyHTML is a rendered body as template.HTML without a copy: Body's
// bytes are never written again, and a copy of every body was a tenth of
// what a large build allocated.
func bodyHTML(body []byte) template.HTML {
	if len(body) == 0 {
		return ""
	}
	return template.HTML(unsafe.String(&body[0], len(body)))
}

// DocFiles renders a document's page and its status badge; emit receives
// each output path and content, which is valid only during the call (the
// page's buffer is reused). body is not kept after the call.
func (s *Site) DocFiles(d *plan.Doc, body []byte, emit func(rel string, data []byte) error) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.docPageTo(buf, d, body); err != nil {
		return err
	}
	if err := emit(OutputPath(d.URL), buf.Bytes()); err != nil {
		return err
	}
	if rel, badge := s.badge(d); rel != "" {
		b, err := s.minifiedBadge(rel, badge)
		if err != nil {
			return err
		}
		return emit(rel, b)
	}
	return nil
}

// minifiedBadge is a badge minified, once for each badge the site has:
// most documents share theirs (phase 2, complete 100%) with others.
func (s *Site) minifiedBadge(rel string, badge []byte) ([]byte, error) {
	if b, ok := s.badges.Load(string(badge)); ok {
		return b.([]byte), nil
	}
	b, err := s.Minify(rel, badge)
	if err != nil {
		return nil, err
	}
	s.badges.Store(string(badge), b)
	return b, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
