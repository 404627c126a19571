// Package sitecheck reads a built site as a visitor would and lists what is
// wrong with its pages: text that is not valid UTF-8, a title shown twice,
// an image that does not load. Tests run it over every site they build.
package sitecheck

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
)

// Page is what a page shows that the checks read.
type Page struct {
	H1       string   // the text of the page's h1, badges and anchors left out
	Headings []string // the text of every other heading, in order
	Images   []string // the src of every img
}

// Site checks every HTML page of the site built in dir, whose pages are
// served under base ("" or "/docs"). It returns one line per problem,
// "page: problem", sorted.
func Site(dir, base string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for _, problem := range checkPage(dir, base, rel, b) {
			out = append(out, rel+": "+problem)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func checkPage(dir, base, rel string, b []byte) []string {
	var out []string
	if !utf8.Valid(b) {
		i := invalidAt(b)
		out = append(out, fmt.Sprintf("invalid UTF-8 at byte %d: %q", i, b[max(0, i-20):min(len(b), i+8)]))
	}
	pg := Read(b)
	if t := norm(pg.H1); t != "" {
		for _, h := range pg.Headings {
			if norm(h) == t {
				out = append(out, fmt.Sprintf("the title %q is shown again as a heading", pg.H1))
				break
			}
		}
	}
	for _, src := range pg.Images {
		if problem := resolveLocal(dir, base, rel, src); problem != "" {
			out = append(out, "image "+problem)
		}
	}
	return out
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// norm compares heading texts as a reader does: case, spacing and a
// trailing anchor mark aside.
func norm(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "#"))
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// resolveLocal says what is wrong with a URL of the site as seen from the
// page at rel: "" when it is another site's, or a file of the site.
func resolveLocal(dir, base, rel, src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return fmt.Sprintf("%q does not parse: %v", src, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return "" // another site's, or data:
	}
	p := u.Path
	if p == "" {
		return ""
	}
	if strings.HasPrefix(p, "/") {
		if base != "" {
			if !strings.HasPrefix(p, base+"/") {
				return fmt.Sprintf("%s is outside the site's base %s", src, base)
			}
			p = strings.TrimPrefix(p, base)
		}
	} else {
		p = path.Join("/", path.Dir(rel), p)
	}
	f := filepath.Join(dir, filepath.FromSlash(p))
	if st, err := os.Stat(f); err == nil && st.IsDir() {
		f = filepath.Join(f, "index.html")
	}
	if _, err := os.Stat(f); err != nil {
		return fmt.Sprintf("%s does not resolve", src)
	}
	return ""
}

// Read reads the headings and images of an HTML page.
func Read(b []byte) Page {
	var pg Page
	l := html.NewLexer(parse.NewInput(bytes.NewReader(b)))
	var cur *strings.Builder // the heading being read
	curTag := ""
	skip := 0 // depth inside spans and anchors of the h1
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			_ = l.Err() // io.EOF, or a page cut short: what was read stands
			return pg
		case html.StartTagToken:
			tag := strings.ToLower(string(l.Text()))
			switch {
			case tag == "img":
				for {
					at, _ := l.Next()
					if at != html.AttributeToken {
						break
					}
					if strings.EqualFold(string(l.Text()), "src") {
						pg.Images = append(pg.Images, attrValue(l.AttrVal()))
					}
				}
			case len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6':
				cur, curTag = &strings.Builder{}, tag
			case cur != nil && curTag == "h1" && (tag == "span" || tag == "a"):
				skip++
			}
		case html.EndTagToken:
			tag := strings.ToLower(string(l.Text()))
			switch {
			case cur != nil && tag == curTag:
				if tag == "h1" && pg.H1 == "" {
					pg.H1 = cur.String()
				} else {
					pg.Headings = append(pg.Headings, cur.String())
				}
				cur, skip = nil, 0
			case cur != nil && curTag == "h1" && (tag == "span" || tag == "a") && skip > 0:
				skip--
			}
		case html.TextToken:
			if cur != nil && skip == 0 {
				cur.WriteString(stdhtml.UnescapeString(string(data)))
			}
		}
	}
}

func attrValue(v []byte) string {
	s := string(v)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return stdhtml.UnescapeString(s)
}
