package render

import (
	"bytes"
	"html/template"
	"path"
	"strings"
	"sync"

	theme "github.com/plansite/plansite/themes/default"
)

// A page's chrome — base.html around its layout's "main" — is the same on
// every page of a section but for the page's title and description, yet its
// thirty-odd actions, each a reflective call through html/template's
// escapers, ran again for each of ten thousand pages. When base.html is
// plansite's own, the chrome is executed once per model and section with
// markers in the places of the title, the description and "main", and a
// page is the chrome's text with those written between: the same bytes.
// A site's own base.html may use the title in any way, and is executed for
// each page.

// The markers stand where a page's title, description and main go. They
// are letters only, which no escaper changes.
const (
	titleMarker       = "plansiteChromeTitleMarker"
	descriptionMarker = "plansiteChromeDescriptionMarker"
	mainMarker        = "plansiteChromeMainMarker"
)

// chrome is base.html executed for one shape of page: parts are its text,
// and between parts[i] and parts[i+1] goes what slots[i] marks.
type chrome struct {
	parts []string
	slots []string
}

// chromeKey is a shape of page: base.html writes the title and the
// description only when they are given.
type chromeKey struct {
	section            string
	title, description bool
}

// chromes are the chromes made for the current model (Index resets them:
// the chrome names the model's generator and whether it has decisions).
type chromes struct {
	tmpl *template.Template // base.html with a "main" that writes mainMarker; nil: no chrome
	mu   sync.Mutex
	made map[chromeKey]*chrome // nil when base.html's output did not split as expected
}

// parseChrome parses base.html (as parseLayouts read it) with a "main" that
// writes its marker, when base.html is the theme's own.
func (s *Site) parseChrome(base []byte) error {
	if !s.ownLayouts("base.html") {
		return nil
	}
	t, err := template.New("chrome").Funcs(s.funcs()).Parse(string(base))
	if err != nil {
		return err
	}
	if _, err := t.New("main").Parse(mainMarker); err != nil {
		return err
	}
	s.chromes.tmpl = t
	return nil
}

// ownLayouts reports whether the site's layouts of those names are the
// theme's own, byte for byte: no other theme, and no file of the site's
// own that differs (widgets.html is read over the theme's, so one of the
// site's own counts even where it defines no more than the theme's).
func (s *Site) ownLayouts(names ...string) bool {
	if s.Opts.Theme != nil {
		return false
	}
	for _, name := range names {
		own, err := theme.FS.ReadFile(path.Join("layouts", name))
		if err != nil {
			return false
		}
		if src, err := s.files.read(path.Join("layouts", name)); err != nil || !bytes.Equal(src, own) {
			return false
		}
	}
	return true
}

// resetChromes forgets the chromes of the last model.
func (s *Site) resetChromes() {
	s.chromes.mu.Lock()
	s.chromes.made = map[chromeKey]*chrome{}
	s.chromes.mu.Unlock()
}

// chrome is the chrome of page p, made on first use; nil when base.html
// is executed for each page.
func (s *Site) chrome(p pageData) *chrome {
	if s.chromes.tmpl == nil {
		return nil
	}
	k := chromeKey{section: p.Section, title: p.Title != "", description: p.Description != ""}
	s.chromes.mu.Lock()
	defer s.chromes.mu.Unlock()
	c, ok := s.chromes.made[k]
	if !ok {
		c = s.makeChrome(k)
		s.chromes.made[k] = c
	}
	return c
}

// makeChrome executes the chrome of shape k, and checks it against base.html
// executed for a page whose title and description hold every character
// html/template escapes; nil when the two differ.
func (s *Site) makeChrome(k chromeKey) *chrome {
	marked := pageData{Section: k.section}
	probe := pageData{Section: k.section}
	const tricky = "<a href=\"x\">&'+\x00 é</a>"
	if k.title {
		marked.Title, probe.Title = titleMarker, "Title "+tricky
	}
	if k.description {
		marked.Description, probe.Description = descriptionMarker, "Description "+tricky
	}
	var out bytes.Buffer
	if err := s.chromes.tmpl.ExecuteTemplate(&out, "base", marked); err != nil {
		return nil
	}
	c := splitChrome(out.String())
	out.Reset()
	if err := s.chromes.tmpl.ExecuteTemplate(&out, "base", probe); err != nil {
		return nil
	}
	var filled bytes.Buffer
	if err := c.write(&filled, probe, func() error { filled.WriteString(mainMarker); return nil }); err != nil {
		return nil
	}
	if !bytes.Equal(filled.Bytes(), out.Bytes()) {
		return nil
	}
	return c
}

// splitChrome cuts base.html's output at each marker.
func splitChrome(out string) *chrome {
	c := &chrome{}
	for {
		i, marker := nextMarker(out)
		if i < 0 {
			c.parts = append(c.parts, out)
			return c
		}
		c.parts = append(c.parts, out[:i])
		c.slots = append(c.slots, marker)
		out = out[i+len(marker):]
	}
}

// nextMarker is the first marker in s and where it is (-1: none).
func nextMarker(s string) (int, string) {
	at, which := -1, ""
	for _, m := range []string{titleMarker, descriptionMarker, mainMarker} {
		if i := strings.Index(s, m); i >= 0 && (at < 0 || i < at) {
			at, which = i, m
		}
	}
	return at, which
}

// write writes page p in its chrome, main writing the page's "main".
func (c *chrome) write(buf *bytes.Buffer, p pageData, main func() error) error {
	for i, part := range c.parts {
		buf.WriteString(part)
		if i == len(c.slots) {
			break
		}
		switch c.slots[i] {
		case titleMarker:
			escHTML(buf, p.Title)
		case descriptionMarker:
			escHTML(buf, p.Description)
		case mainMarker:
			if err := main(); err != nil {
				return err
			}
		}
	}
	return nil
}
