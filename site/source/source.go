// Package source walks a source tree and lists the Markdown documents to
// read, with every other path kept for link checking.
package source

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/plansite/plansite/site/plan"
)

// Tree is what a walk found.
type Tree struct {
	Root     string          // absolute
	Docs     []string        // Markdown documents, slash-separated paths relative to Root, sorted
	Paths    map[string]bool // every file and directory found (relative), for link resolution
	Problems []*plan.Problem // paths that could not be walked
}

// alwaysSkipped are directories no plan lives in.
var alwaysSkipped = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// Walk lists the tree under root. Dot directories such as .claude are read;
// .git, node_modules, vendor, the destination and the exclude patterns are
// not. A symbolic link to a file inside the tree is listed as that file; a
// link to a directory inside it is not walked (its files are walked where
// they are, and no loop can trap the walk); a link that leads outside the
// tree is never read and is reported (CodeSymlinkOutside).
func Walk(root, dest string, exclude []string) (*Tree, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(absRoot); err != nil {
		return nil, err
	}
	absDest := ""
	if dest != "" {
		if absDest, err = filepath.Abs(dest); err != nil {
			return nil, err
		}
	}
	t := &Tree{Root: absRoot, Paths: map[string]bool{}}
	realRoot := realPath(absRoot)
	err = filepath.WalkDir(absRoot, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(absRoot, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			t.Problems = append(t.Problems, &plan.Problem{Source: rel, Line: 0, Severity: plan.SevError, Code: plan.CodeUnreadable, Message: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if rel == "." {
			return nil
		}
		isDir := d.IsDir()
		if d.Type()&fs.ModeSymlink != 0 {
			if alwaysSkipped[d.Name()] || strings.HasPrefix(d.Name(), ".plansite-") {
				return nil
			}
			var outside bool
			if isDir, outside = followLink(realRoot, p); outside {
				if !Excluded(rel, exclude) {
					t.Problems = append(t.Problems, &plan.Problem{Source: rel, Line: 0, Severity: plan.SevWarning, Code: plan.CodeSymlinkOutside,
						Message: "symbolic link leads outside the source directory; not read"})
				}
				return nil
			}
			if isDir { // walked where it really is
				if !Excluded(rel+"/", exclude) {
					t.Paths[rel] = true
				}
				return nil
			}
		}
		if isDir {
			if alwaysSkipped[d.Name()] || p == absDest || strings.HasPrefix(d.Name(), ".plansite-") || Excluded(rel+"/", exclude) {
				return fs.SkipDir
			}
			t.Paths[rel] = true
			return nil
		}
		if Excluded(rel, exclude) {
			return nil
		}
		t.Paths[rel] = true
		if isMarkdown(d.Name()) {
			t.Docs = append(t.Docs, rel)
		}
		return nil
	})
	sort.Strings(t.Docs)
	return t, err
}

// FollowLink says where the symbolic link at rel under root leads: to a
// directory, or outside the tree. A dangling link is neither.
func FollowLink(root, rel string) (isDir, outside bool) {
	return followLink(realPath(root), filepath.Join(root, filepath.FromSlash(rel)))
}

func followLink(realRoot, p string) (isDir, outside bool) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false, false
	}
	if _, ok := within(realRoot, target); !ok {
		return false, true
	}
	fi, err := os.Stat(target)
	return err == nil && fi.IsDir(), false
}

func isMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown":
		return true
	}
	return false
}

// Excluded reports whether rel matches one of the patterns. A pattern
// matches the whole path, a leading part of it ("drafts/" or "drafts"), or
// the base name; "**" stands for any number of directories.
func Excluded(rel string, patterns []string) bool {
	isDir := strings.HasSuffix(rel, "/")
	rel = strings.TrimSuffix(rel, "/")
	for _, p := range patterns {
		p = strings.TrimPrefix(strings.TrimSpace(p), "./")
		dirOnly := strings.HasSuffix(p, "/")
		p = strings.TrimSuffix(p, "/")
		if p == "" || dirOnly && !isDir {
			continue
		}
		if globMatch(p, rel) || !strings.Contains(p, "/") && globMatch(p, path.Base(rel)) {
			return true
		}
		if strings.HasSuffix(p, "/**") && (rel == strings.TrimSuffix(p, "/**") || globMatch(strings.TrimSuffix(p, "/**"), rel)) {
			return true
		}
	}
	return false
}

// globMatch matches a slash-separated path against a doublestar pattern:
// "*" within a segment, "**" for any number of segments, {a,b} for either.
func globMatch(pattern, name string) bool {
	ok, _ := doublestar.Match(pattern, name)
	return ok
}
