package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"path/filepath"
	"sort"

	"github.com/plansite/plansite/site/source"
	theme "github.com/plansite/plansite/themes/default"
)

// files is the theme as a site sees it: the site's own layouts/, assets/ and
// static/ over the theme's, file by file.
type files struct {
	site  fs.FS // the source root, or nil
	theme fs.FS
}

func newFiles(sourceDir string, th fs.FS) *files {
	f := &files{theme: th}
	if th == nil {
		f.theme = theme.FS
	}
	if sourceDir != "" {
		f.site = source.FS(filepath.Clean(sourceDir))
	}
	return f
}

// read returns the site's file at name, else the theme's.
func (f *files) read(name string) ([]byte, error) {
	if f.site != nil {
		if b, err := fs.ReadFile(f.site, name); err == nil {
			return b, nil
		}
	}
	return fs.ReadFile(f.theme, name)
}

// list is every file name directly in dir, from the site and the theme, sorted.
func (f *files) list(dir string) []string {
	seen := map[string]bool{}
	for _, fsys := range []fs.FS{f.site, f.theme} {
		if fsys == nil {
			continue
		}
		ents, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.Type()&fs.ModeSymlink != 0 {
				// Listed only when it can be read: a link outside the
				// source is not (source.FS refuses it).
				if fi, err := fs.Stat(fsys, path.Join(dir, e.Name())); err != nil || fi.IsDir() {
					continue
				}
			}
			if !e.IsDir() {
				seen[e.Name()] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// layers are the versions of a layout file parsed in order: the theme's,
// then the site's own. Parsed one over the other, a site's file replaces
// the templates it defines and keeps the theme's others.
func (f *files) layers(name string) ([][]byte, error) {
	var out [][]byte
	for _, fsys := range []fs.FS{f.theme, f.site} {
		if fsys == nil {
			continue
		}
		if b, err := fs.ReadFile(fsys, name); err == nil {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, fs.ErrNotExist
	}
	return out, nil
}

// pageLayouts are the layouts that make whole pages; each defines "main"
// and is parsed with base.html and partials.html.
var pageLayouts = []string{"dashboard", "doc", "plan", "agents", "agent", "decisions", "problems", "search", "404"}

// parseLayouts parses every page layout once.
func (s *Site) parseLayouts() error {
	common := []string{"base.html", "partials.html", "widgets.html"}
	s.tmpl = map[string]*template.Template{}
	var base []byte // base.html as parsed
	for _, name := range pageLayouts {
		t := template.New(name).Funcs(s.funcs())
		for _, file := range append(common, name+".html") {
			versions, err := s.layoutVersions(file)
			if err != nil {
				return err
			}
			for _, b := range versions {
				if _, err := t.New(file).Parse(string(b)); err != nil {
					return fmt.Errorf("theme: %w", err)
				}
			}
			if file == "base.html" {
				base = versions[0]
			}
		}
		s.tmpl[name] = t
	}
	if err := s.parseChrome(base); err != nil {
		return err
	}
	s.useGoLayouts()
	return nil
}

// layoutVersions is a layout file as parsed: the site's own, else the
// theme's; widgets.html is both, the site's over the theme's, so that a
// site's widgets.html written before a widget was added still has it.
// Minified when the site is.
func (s *Site) layoutVersions(file string) ([][]byte, error) {
	var versions [][]byte
	var err error
	if file == "widgets.html" {
		versions, err = s.files.layers(path.Join("layouts", file))
	} else {
		var b []byte
		b, err = s.files.read(path.Join("layouts", file))
		versions = [][]byte{b}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("theme: layouts/%s is missing", file)
		}
		return nil, err
	}
	if s.Opts.Minify {
		// Minified once here, with the template's actions kept, rather
		// than every page after it is executed: the same output for a
		// fraction of the work.
		for i, b := range versions {
			if versions[i], err = minifyLayout(b); err != nil {
				return nil, fmt.Errorf("theme: layouts/%s: %w", file, err)
			}
		}
	}
	return versions, nil
}
