package render

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/plansite/plansite/site/extract"
)

// LinkState says how a link written in a document is rendered.
type LinkState uint8

const (
	// LinkOK is a link to a page, a published file, a repository URL or
	// the web: rendered as written, its href rewritten.
	LinkOK LinkState = iota
	// LinkSuggested is a broken link pointed at the one document it most
	// likely meant, marked broken.
	LinkSuggested
	// LinkBroken is a target plansite cannot resolve: rendered as text,
	// marked broken, with its target, so the site has no dead link.
	LinkBroken
)

// publishedExts are the files beside the documents that the site publishes
// when a document links to them or shows them.
var publishedExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true, ".avif": true,
	".ico": true, ".bmp": true, ".pdf": true, ".txt": true, ".csv": true, ".yaml": true,
	".yml": true, ".mp4": true, ".webm": true, ".mp3": true, ".zip": true,
}

// Publishable reports whether the file at rel is published beside the pages.
func Publishable(rel string) bool { return publishedExts[strings.ToLower(path.Ext(rel))] }

// Links is the LinkFunc for the body of the document at source: links to
// documents go to their pages, files beside the documents to their
// published copies, other files of the repository to its web URL; a broken
// link goes to the page it most likely meant, else it is shown as text.
func (s *Site) Links(source string) LinkFunc {
	return func(target string) (string, LinkState) {
		if target == "" || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "//") || schemeRe.MatchString(target) {
			return target, LinkOK
		}
		frag := ""
		if i := strings.Index(target, "#"); i >= 0 {
			frag = target[i:]
		}
		res, sug := s.resolver.Resolve(source, target)
		switch {
		case res == ".." || strings.HasPrefix(res, "../"):
			// A file of the repository outside the source: on the
			// repository's web site, when it is known.
			if u := s.outsideSource(source, target); u != "" {
				return u + frag, LinkOK
			}
			return target, LinkBroken
		case res != "" && s.resolver.IsDoc(res):
			return s.URL(extract.URLFor(res)) + frag, LinkOK
		case res != "":
			if readme := path.Join(res, "README.md"); s.resolver.IsDoc(readme) {
				return s.URL(extract.URLFor(readme)) + frag, LinkOK
			}
			if Publishable(res) && s.fileExists(res) {
				s.publish(res)
				return s.URL("/"+res) + frag, LinkOK
			}
			if u := s.repoLink("blob", res); u != "" {
				return u + frag, LinkOK
			}
		case sug != "":
			return s.URL(extract.URLFor(sug)) + frag, LinkSuggested
		default:
			if u := s.outsideSource(source, target); u != "" {
				return u + frag, LinkOK
			}
		}
		return target, LinkBroken
	}
}

// outsideSource is the repository URL of a file of the repository outside
// the source root ("../../README.md" from a document under docs/), or "".
func (s *Site) outsideSource(from, target string) string {
	if s.repo.web == "" || s.Opts.SourceDir == "" {
		return ""
	}
	t := target
	if i := strings.IndexAny(t, "#?"); i >= 0 {
		t = t[:i]
	}
	if strings.HasPrefix(t, "/") {
		return ""
	}
	p := path.Join(path.Dir(from), t)
	if !strings.HasPrefix(p, "../") {
		return ""
	}
	inRepo := path.Join(s.repo.prefix, p)
	if inRepo == ".." || strings.HasPrefix(inRepo, "../") {
		return "" // outside the repository too
	}
	if _, err := os.Stat(filepath.Join(s.Opts.SourceDir, filepath.FromSlash(p))); err != nil {
		return ""
	}
	return s.repo.fileURL("blob", s.branch(), inRepo)
}

func (s *Site) fileExists(rel string) bool {
	if s.Opts.SourceDir == "" {
		return false
	}
	st, err := os.Stat(filepath.Join(s.Opts.SourceDir, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}

// publish records a file to copy into the site beside the pages.
func (s *Site) publish(rel string) {
	s.published.Lock()
	s.published.m[rel] = true
	s.published.Unlock()
}

// Published lists the files beside the documents that pages link to or
// show, slash-separated and relative to the source root, sorted.
func (s *Site) Published() []string {
	s.published.Lock()
	defer s.published.Unlock()
	out := make([]string, 0, len(s.published.m))
	for p := range s.published.m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

type publishedSet struct {
	sync.Mutex
	m map[string]bool
}

// repoLink is the repository URL of a source file ("blob" to view, "edit"
// to edit), or "" when the repository's web address is not known.
func (s *Site) repoLink(kind, source string) string {
	if s.repo.web == "" {
		return ""
	}
	return s.repo.fileURL(kind, s.branch(), path.Join(s.repo.prefix, source))
}

func (s *Site) branch() string {
	if s.Config != nil && s.Config.Branch != "" {
		return s.Config.Branch
	}
	return "main"
}

// repository is where the source tree lives on the web: repo_url, or the
// git remote when it is not set, and the source root's folder within it.
type repository struct {
	web    string // https://host/org/repo, no trailing slash; "" when unknown
	top    string // the git work tree's root, "" when the source is in none
	prefix string // the source root relative to top, slash-separated, "" at the top
}

func (r repository) fileURL(kind, branch, p string) string {
	return r.web + "/" + kind + "/" + branch + "/" + p
}

// findRepository reads repo_url (configured) and, for what it leaves out,
// the git work tree holding sourceDir: its top, and its origin remote.
func findRepository(configured, sourceDir string) repository {
	r := repository{web: strings.TrimSuffix(configured, "/")}
	if sourceDir == "" {
		return r
	}
	abs, err := filepath.Abs(sourceDir)
	if err != nil {
		return r
	}
	out, err := exec.Command("git", "-C", abs, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return r
	}
	top, _ := filepath.EvalSymlinks(strings.TrimSpace(string(out)))
	real, _ := filepath.EvalSymlinks(abs)
	rel, err := filepath.Rel(top, real)
	if err != nil || strings.HasPrefix(rel, "..") {
		return r
	}
	r.top = top
	if rel != "." {
		r.prefix = filepath.ToSlash(rel)
	}
	if r.web == "" {
		if out, err := exec.Command("git", "-C", top, "remote", "get-url", "origin").Output(); err == nil {
			r.web = WebURL(strings.TrimSpace(string(out)))
		}
	}
	return r
}

// schemeRe tells a URL with a scheme (https:, mailto:) from a path.
var schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

var scpRemoteRe = regexp.MustCompile(`^(?:[\w.-]+@)?([\w.-]+):([^/].*)$`)

// WebURL is the web address of a git remote: git@github.com:org/repo.git
// and https://user@github.com/org/repo.git are https://github.com/org/repo;
// "" for a remote that is not on a web host (a local path).
func WebURL(remote string) string {
	remote = strings.TrimSuffix(strings.TrimSuffix(remote, "/"), ".git")
	var host, p string
	switch {
	case strings.HasPrefix(remote, "https://"), strings.HasPrefix(remote, "http://"), strings.HasPrefix(remote, "ssh://"), strings.HasPrefix(remote, "git://"):
		rest := remote[strings.Index(remote, "://")+3:]
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return ""
		}
		host, p = rest[:i], rest[i+1:]
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
		if c := strings.IndexByte(host, ':'); c >= 0 && strings.HasPrefix(remote, "ssh://") {
			host = host[:c] // an ssh port is not the web's
		}
	default:
		m := scpRemoteRe.FindStringSubmatch(remote)
		if m == nil || strings.Contains(remote, "://") {
			return ""
		}
		host, p = m[1], m[2]
	}
	if host == "" || p == "" || !strings.Contains(host, ".") && host != "localhost" {
		return ""
	}
	return "https://" + host + "/" + strings.Trim(p, "/")
}
