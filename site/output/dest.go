package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CheckDest refuses destinations a build would ruin: the filesystem root,
// the home directory, the source itself or a directory that holds it (a
// build there would publish, and on the next build read back, its own
// output). Symbolic links are resolved first, so a link to one of them is
// refused too.
func CheckDest(dest, source string) error {
	d := resolved(dest)
	refuse := func(why string) error {
		return fmt.Errorf("refusing to build into %s: %s; choose another --dest, such as public", dest, why)
	}
	if filepath.Dir(d) == d {
		return refuse("it is the root of the filesystem")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && resolved(home) == d {
		return refuse("it is your home directory")
	}
	if source != "" {
		s := resolved(source)
		switch {
		case s == d:
			return refuse("it is the source directory")
		case isWithin(d, s):
			return refuse("it holds the source directory " + source)
		}
	}
	return nil
}

// resolved is p absolute with its symbolic links resolved, as far as it
// exists (a destination often does not, yet).
func resolved(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		if filepath.Dir(cur) == cur {
			return abs
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}

// isWithin reports whether p lies strictly under dir.
func isWithin(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ErrNotOurs is the error of a build that would replace files plansite did
// not write.
var ErrNotOurs = errors.New("files plansite did not write")

// checkForeign refuses a first build into a directory that holds files and
// no manifest: it is someone's directory, not a site plansite built.
func checkForeign(dest string) error {
	ents, err := os.ReadDir(dest)
	if err != nil || len(ents) == 0 {
		return err
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	return fmt.Errorf("%w: %s is not empty and holds no %s, so plansite did not build it (it holds %s); "+
		"build into a new or empty directory, or pass --force to build into it (files plansite makes then replace files of the same path; every other file is left alone)",
		ErrNotOurs, dest, ManifestName, listNames(names))
}

// foreignError names the files of someone else's that a build would replace.
func foreignError(dest string, rels []string) error {
	return fmt.Errorf("%w: the build would replace %d %s in %s that plansite did not write: %s; "+
		"move them away, or pass --force to replace them",
		ErrNotOurs, len(rels), plural(len(rels), "file"), dest, listNames(rels))
}

// listNames lists a few names, sorted, and how many more there are.
func listNames(names []string) string {
	const shown = 5
	sort.Strings(names)
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:shown], ", ") + fmt.Sprintf(" and %d more", len(names)-shown)
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// cleanLeftovers removes what builds into dest that were killed left
// beside it: staging directories no running build holds.
func cleanLeftovers(parent string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if f := lockDir(p); f != nil {
			_ = os.RemoveAll(p)
			f.Close()
		}
	}
}

// isNotExist is errors.Is(err, fs.ErrNotExist).
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
