package render_test

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"github.com/plansite/plansite/internal/testcorpus"
)

// siteLink is one href or src found in a built page.
type siteLink struct {
	page, target string
}

// deadLinks lists every link of a built site that points inside the site
// (no scheme, no host) at a file the site does not have. Links the
// renderer marks broken (class="broken-link", a target the author wrote
// that plansite could not resolve) are shown as broken on purpose and left
// out.
func deadLinks(t *testing.T, site, base string) (dead []siteLink, checked int) {
	t.Helper()
	err := filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		page := "/" + filepath.ToSlash(rel)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, target := range pageLinks(raw) {
			u, err := url.Parse(target)
			if err != nil {
				dead = append(dead, siteLink{page, target})
				continue
			}
			if u.Scheme != "" || u.Host != "" || u.Path == "" {
				continue
			}
			checked++
			p := u.Path
			if !strings.HasPrefix(p, "/") {
				p = path.Join(path.Dir(page), p)
			} else if base != "" {
				if !strings.HasPrefix(p, base+"/") {
					dead = append(dead, siteLink{page, target})
					continue
				}
				p = strings.TrimPrefix(p, base)
			}
			if !exists(site, p) {
				dead = append(dead, siteLink{page, target})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dead, checked
}

// pageLinks is every href and src of a page, but for elements marked
// broken-link.
func pageLinks(raw []byte) []string {
	var out []string
	l := html.NewLexer(parse.NewInputBytes(raw))
	var attrs map[string]string
	flush := func() {
		if attrs == nil || strings.Contains(" "+attrs["class"]+" ", " broken-link ") {
			return
		}
		for _, k := range []string{"href", "src"} {
			if v, ok := attrs[k]; ok {
				out = append(out, v)
			}
		}
	}
	for {
		tt, _ := l.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out
		case html.StartTagToken:
			flush()
			attrs = map[string]string{}
		case html.AttributeToken:
			v := l.AttrVal()
			if len(v) > 1 && (v[0] == '"' || v[0] == '\'') {
				v = v[1 : len(v)-1]
			}
			attrs[string(l.Text())] = htmlUnescape(v)
		default:
			flush()
			attrs = nil
		}
	}
}

func htmlUnescape(v []byte) string {
	if !bytes.ContainsRune(v, '&') {
		return string(v)
	}
	r := strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">")
	return r.Replace(string(v))
}

// exists reports whether the site has the file a URL path names: a file,
// or a directory with an index.html.
func exists(site, p string) bool {
	f := filepath.Join(site, filepath.FromSlash(strings.TrimPrefix(p, "/")))
	fi, err := os.Stat(f)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		_, err = os.Stat(filepath.Join(f, "index.html"))
		return err == nil
	}
	return true
}

func assertNoDeadLinks(t *testing.T, site, base string) {
	t.Helper()
	dead, checked := deadLinks(t, site, base)
	if checked < 50 {
		t.Errorf("only %d internal links checked", checked)
	}
	sort.Slice(dead, func(i, j int) bool { return dead[i].page+dead[i].target < dead[j].page+dead[j].target })
	for i, d := range dead {
		if i == 40 {
			t.Errorf("… and %d more", len(dead)-i)
			break
		}
		t.Errorf("%s links to %s, which the site does not have", d.page, d.target)
	}
	t.Logf("%d internal links checked, %d dead", checked, len(dead))
}

func TestInternalLinksResolveCorpus(t *testing.T) {
	assertNoDeadLinks(t, builtCorpus(t), "")
}

func TestInternalLinksResolveConventions(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, testcorpus.Conventions(t), site, false)
	assertNoDeadLinks(t, site, "")
}

// Under a base path every internal link carries it.
func TestInternalLinksResolveContentUnderBase(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	res, err := buildWithBase(filepath.Join(repoRoot(t), "content"), site, "https://example.org/plans/")
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	assertNoDeadLinks(t, site, "/plans")
}
