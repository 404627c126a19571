package output

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func skipWithoutSpare(t *testing.T) {
	if !spareSupported {
		t.Skip("no spare where directories cannot be swapped")
	}
}

// tree is every file and directory under dir: path → content ("/" for a
// directory), the spare's record left out.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case rel == ".":
		case d.IsDir():
			out[filepath.ToSlash(rel)] = "/"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for rel, w := range want {
		if g, ok := got[rel]; !ok {
			diffs = append(diffs, "missing "+rel)
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("%s: %q, want %q", rel, g, w))
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			diffs = append(diffs, "extra "+rel)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Fatalf("%s: %d differences: %s", what, len(diffs), strings.Join(diffs[:min(len(diffs), 8)], "; "))
	}
}

// Builds through the spare leave the destination as builds without one:
// on a run of random changes to the site, and to the destination by
// someone (files added, removed, edited in place, directories added and
// removed), every build's result is the same, byte for byte, as the slow
// path's, which links the whole site into a fresh directory.
func TestSpareBuildsEqualFullBuilds(t *testing.T) {
	skipWithoutSpare(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	fast := filepath.Join(t.TempDir(), "public")
	slow := filepath.Join(t.TempDir(), "public")
	site := map[string]string{}
	for i := range 40 {
		site[fmt.Sprintf("d%d/p%d/index.html", i%5, i)] = fmt.Sprintf("page %d", i)
	}
	site["index.html"], site["plan.json"] = "home", "{}"
	pick := func(m map[string]string) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys[rnd.IntN(len(keys))]
	}
	for step := range 30 {
		// The site changes: a few pages edited, one added, one removed.
		for range rnd.IntN(4) {
			site[pick(site)] = fmt.Sprintf("edited at %d", step)
		}
		site[fmt.Sprintf("d%d/new%d/index.html", rnd.IntN(7), step)] = "new"
		if rnd.IntN(2) == 0 {
			delete(site, pick(site))
		}
		site["plan.json"] = fmt.Sprintf("{%d}", step)
		// Someone changes the destinations alike.
		if step > 0 {
			seed := rnd.Uint64()
			someone(t, seed, fast)
			someone(t, seed, slow)
		}
		_ = os.RemoveAll(spareOf(slow))
		tampered := step > 0 && step%3 == 0
		if tampered { // someone changes the spare: what it holds must not reach the site
			tamper(t, rnd.Uint64(), spareOf(fast))
		}
		spare, _ := os.Lstat(spareOf(fast))
		build(t, fast, site)
		if now, _ := os.Lstat(fast); step > 0 && !tampered && !os.SameFile(spare, now) {
			t.Fatalf("step %d: the build did not bring the spare up", step)
		}
		build(t, slow, site)
		sameTree(t, fmt.Sprintf("step %d", step), tree(t, fast), tree(t, slow))
		if readRecord(spareOf(fast)) == nil {
			t.Fatalf("step %d: the spare has no record", step)
		}
	}
}

// tamper changes the spare sp as someone might.
func tamper(t *testing.T, seed uint64, sp string) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 9))
	files := tree(t, sp)
	var rels, dirs []string
	for rel, c := range files {
		if c == "/" {
			dirs = append(dirs, rel)
		} else if rel != ManifestName && rel != recordName {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	sort.Strings(dirs)
	at := func(rel string) string { return filepath.Join(sp, filepath.FromSlash(rel)) }
	switch rnd.IntN(4) {
	case 0:
		must(t, os.WriteFile(at(dirs[rnd.IntN(len(dirs))]+"/stray.html"), []byte("stray"), 0o644))
	case 1:
		replace(t, at(rels[rnd.IntN(len(rels))]), "replaced in the spare")
	case 2:
		must(t, os.Remove(at(rels[rnd.IntN(len(rels))])))
	case 3:
		must(t, os.RemoveAll(at(dirs[rnd.IntN(len(dirs))])))
	}
}

// someone changes the site at dest as a person might, the same way for
// the same seed wherever it is.
func someone(t *testing.T, seed uint64, dest string) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 7))
	files := tree(t, dest)
	var rels []string
	for rel, c := range files {
		if c != "/" && rel != ManifestName {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	at := func(rel string) string { return filepath.Join(dest, filepath.FromSlash(rel)) }
	switch rnd.IntN(6) {
	case 0: // a file of theirs beside a page
		rel := filepath.ToSlash(filepath.Join(filepath.Dir(rels[rnd.IntN(len(rels))]), "theirs.txt"))
		must(t, os.WriteFile(at(rel), []byte("theirs"), 0o644))
	case 1: // a directory of theirs
		must(t, os.MkdirAll(at("extra/deep"), 0o755))
		must(t, os.WriteFile(at("extra/deep/x.txt"), []byte("x"), 0o644))
	case 2: // a page edited in place
		f, err := os.OpenFile(at(rels[rnd.IntN(len(rels))]), os.O_WRONLY|os.O_APPEND, 0)
		must(t, err)
		f.WriteString(" and edited")
		f.Close()
	case 3: // a page deleted
		must(t, os.Remove(at(rels[rnd.IntN(len(rels))])))
	case 4: // their directory removed
		must(t, os.RemoveAll(at("extra")))
	case 5: // a file of theirs removed
		for _, rel := range rels {
			if strings.HasSuffix(rel, "theirs.txt") {
				must(t, os.Remove(at(rel)))
				break
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The site's directory keeps its mode when the spare is swapped in.
func TestSpareKeepsTheSitesMode(t *testing.T) {
	skipWithoutSpare(t)
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"a/index.html": "a"})
	must(t, os.Chmod(dest, 0o750))
	build(t, dest, map[string]string{"a/index.html": "a2"})
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o750 {
		t.Errorf("the site's directory is %v after a build, want 0750 as it was (%v)", fi.Mode(), err)
	}
}

// A spare shares every file that did not change with the site: it costs
// the disk its directories and what changed.
func TestSpareSharesUnchangedFiles(t *testing.T) {
	skipWithoutSpare(t)
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"a/index.html": "a", "b/index.html": "b"})
	build(t, dest, map[string]string{"a/index.html": "a", "b/index.html": "b2"})
	same := func(rel string) bool {
		a, err1 := os.Lstat(filepath.Join(dest, rel))
		b, err2 := os.Lstat(filepath.Join(spareOf(dest), rel))
		return err1 == nil && err2 == nil && os.SameFile(a, b)
	}
	if !same("a/index.html") {
		t.Error("an unchanged page is a copy in the spare")
	}
	if same("b/index.html") || read(t, filepath.Join(spareOf(dest), "b", "index.html")) != "b" {
		t.Error("the spare does not hold the last site's page")
	}
}

// Without its spare, or with a spare someone changed, a build takes the
// slow path and gives the same site; the spare is made again.
func TestSpareMissingOrChanged(t *testing.T) {
	skipWithoutSpare(t)
	dest := filepath.Join(t.TempDir(), "public")
	sp := spareOf(dest)
	v1 := map[string]string{"index.html": "v1", "a/index.html": "a", "b/index.html": "b"}
	v2 := map[string]string{"index.html": "v2", "a/index.html": "a", "b/index.html": "b2", "c/index.html": "c"}
	build(t, dest, v1)
	build(t, dest, v2)
	for name, change := range map[string]func(){
		"missing":         func() { must(t, os.RemoveAll(sp)) },
		"file added":      func() { must(t, os.WriteFile(filepath.Join(sp, "a", "stray.html"), []byte("stray"), 0o644)) },
		"file replaced":   func() { replace(t, filepath.Join(sp, "a", "index.html"), "not a") },
		"file removed":    func() { must(t, os.Remove(filepath.Join(sp, "b", "index.html"))) },
		"dir removed":     func() { must(t, os.RemoveAll(filepath.Join(sp, "a"))) },
		"dir added":       func() { must(t, os.MkdirAll(filepath.Join(sp, "z", "y"), 0o755)) },
		"record damaged":  func() { must(t, os.WriteFile(filepath.Join(sp, recordName), []byte("plansite spare 1\nxx"), 0o644)) },
		"record removed":  func() { must(t, os.Remove(filepath.Join(sp, recordName))) },
		"replaced whole":  func() { must(t, os.RemoveAll(sp)); must(t, os.MkdirAll(filepath.Join(sp, "q"), 0o755)) },
		"root file added": func() { must(t, os.WriteFile(filepath.Join(sp, "stray.txt"), []byte("stray"), 0o644)) },
	} {
		change()
		next := map[string]string{"index.html": "v3 " + name, "a/index.html": "a", "b/index.html": "b2", "d/index.html": "d"}
		build(t, dest, next)
		want := map[string]string{"a": "/", "b": "/", "d": "/", ManifestName: tree(t, dest)[ManifestName]}
		for rel, c := range next {
			want[rel] = c
		}
		sameTree(t, "spare "+name, tree(t, dest), want)
		if readRecord(sp) == nil {
			t.Errorf("spare %s: no spare after the build", name)
		}
		build(t, dest, v2) // the next change starts from v2 again
		sameTree(t, "spare "+name+", then back", withoutManifest(tree(t, dest)), map[string]string{
			"index.html": "v2", "a": "/", "a/index.html": "a", "b": "/", "b/index.html": "b2", "c": "/", "c/index.html": "c"})
	}
}

// replace puts a new file at p, as an editor saving it does.
func replace(t *testing.T, p, content string) {
	t.Helper()
	must(t, os.WriteFile(p+".new", []byte(content), 0o644))
	must(t, os.Rename(p+".new", p))
}

func withoutManifest(m map[string]string) map[string]string {
	delete(m, ManifestName)
	return m
}

// A build killed while it brings the spare up leaves the old site in the
// destination, whole; the next build discards the spare and builds the
// new site.
func TestKilledWhileBringingUpTheSpare(t *testing.T) {
	skipWithoutSpare(t)
	if os.Getenv("PLANSITE_SPARE_KILL_AT") != "" {
		return // the child: see killedBuild
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	old := map[string]string{}
	next := map[string]string{}
	for i := range 30 {
		rel := fmt.Sprintf("d%d/p%d/index.html", i%3, i)
		old[rel] = "old " + rel
		if i%4 != 0 { // some pages go
			next[rel] = "new " + rel
		}
	}
	next["fresh/index.html"] = "fresh"
	build(t, dest, old)
	oldTree := tree(t, dest)
	for _, at := range []int{1, 5, 20, 40} {
		// A killed build leaves a spare without its record, which the next
		// build drops: two builds make a spare to bring up again.
		build(t, dest, map[string]string{"only/index.html": "between"})
		build(t, dest, old)
		sameTree(t, "before the kill", tree(t, dest), oldTree)
		if readRecord(spareOf(dest)) == nil {
			t.Fatal("no spare to bring up")
		}
		killedBuild(t, dest, next, at)
		sameTree(t, fmt.Sprintf("killed at step %d", at), tree(t, dest), oldTree)
	}
	build(t, dest, next)
	want := map[string]string{}
	for rel, c := range next {
		want[rel] = c
		for d := filepath.ToSlash(filepath.Dir(rel)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
			want[d] = "/"
		}
	}
	sameTree(t, "after a whole build", withoutManifest(tree(t, dest)), want)
}

// killedBuild runs a build of site into dest in a child process that
// stops dead (no deferred cleanup) at the given step of bringing the spare
// up.
func killedBuild(t *testing.T, dest string, site map[string]string, at int) {
	t.Helper()
	var args []string
	for rel, c := range site {
		args = append(args, rel+"="+c)
	}
	sort.Strings(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpareKillChild$")
	cmd.Env = append(os.Environ(), "PLANSITE_SPARE_KILL_AT="+strconv.Itoa(at), "PLANSITE_SPARE_DEST="+dest,
		"PLANSITE_SPARE_SITE="+strings.Join(args, "\n"))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("the build was not stopped at step %d: %v\n%s", at, err, out)
	}
}

// TestSpareKillChild is the child process of killedBuild.
func TestSpareKillChild(t *testing.T) {
	at, _ := strconv.Atoi(os.Getenv("PLANSITE_SPARE_KILL_AT"))
	if at == 0 {
		t.Skip("run by TestKilledWhileBringingUpTheSpare")
	}
	n := 0
	spareStep = func() error {
		if n++; n == at {
			os.Exit(3)
		}
		return nil
	}
	site := map[string]string{}
	for _, kv := range strings.Split(os.Getenv("PLANSITE_SPARE_SITE"), "\n") {
		rel, c, _ := strings.Cut(kv, "=")
		site[rel] = c
	}
	build(t, os.Getenv("PLANSITE_SPARE_DEST"), site)
	os.Exit(4) // the spare was brought up in fewer steps
}

// A spare a first build began before it finished (PrepareSpare) is the
// spare it would have made after: every file of the site linked, those
// staged after it began too, and the next build brings it up.
func TestPreparedSpareIsTheSite(t *testing.T) {
	preparedSpare(t, nil)
}

// So is one whose directories a first build began before its pages
// (BeginSpare), those it expected and did not make included: a page that
// was not made, and a directory where the site has a file.
func TestBegunSpareIsTheSite(t *testing.T) {
	preparedSpare(t, []string{"d0/p0", "d1/p1", "d1/p5", "d3/p3", "gone/p9", "d2/gone", "plan.json", "d0/p4/plan.json/x"})
}

func preparedSpare(t *testing.T, begin []string) {
	skipWithoutSpare(t)
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	must(t, err)
	if begin != nil {
		w.BeginSpare(begin)
		<-w.pre.done
		if _, err := os.Lstat(filepath.Join(spareOf(dest), "gone", "p9")); err != nil {
			t.Fatalf("BeginSpare made no directory: %v", err)
		}
	}
	site := map[string]string{}
	write := func(rel, data string) {
		t.Helper()
		site[rel] = data
		must(t, w.Write(rel, []byte(data)))
	}
	for i := range 30 {
		write(fmt.Sprintf("d%d/p%d/index.html", i%4, i), fmt.Sprintf("page %d", i))
	}
	w.PrepareSpare()
	<-w.pre.done
	if _, err := os.Lstat(filepath.Join(spareOf(dest), "d3", "p3", "index.html")); err != nil {
		t.Fatalf("PrepareSpare linked no page: %v", err)
	}
	write("search/chunk-1.json", "[1]") // a directory of its own, after
	write("d1/late/index.html", "late") // a new directory under a mirrored one
	write("d2/p2/extra.svg", "<svg/>")  // a file beside mirrored ones
	write("plan.json", "{}")            // a file where a directory was begun
	write("d0/p4/plan.json", "{}")
	_, err = w.Commit("plansite test")
	must(t, err)
	spareTree := tree(t, spareOf(dest))
	delete(spareTree, recordName)
	sameTree(t, "spare", spareTree, tree(t, dest))
	for rel := range site {
		a, err1 := os.Lstat(filepath.Join(dest, rel))
		b, err2 := os.Lstat(filepath.Join(spareOf(dest), rel))
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			t.Errorf("%s: the spare's is not the site's file (%v, %v)", rel, err1, err2)
		}
	}
	if readRecord(spareOf(dest)) == nil {
		t.Fatal("the prepared spare has no record")
	}
	spare, _ := os.Lstat(spareOf(dest))
	site["d1/late/index.html"] = "later"
	build(t, dest, site)
	if now, _ := os.Lstat(dest); !os.SameFile(spare, now) {
		t.Error("the next build did not bring the prepared spare up")
	}
	slow := filepath.Join(t.TempDir(), "public")
	build(t, slow, site)
	sameTree(t, "the next build", tree(t, dest), tree(t, slow))
}

// A build abandoned after it began its spare leaves neither.
func TestAbortDropsAPreparedSpare(t *testing.T) {
	skipWithoutSpare(t)
	for _, begin := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "public")
		w, err := New(dest, Options{})
		must(t, err)
		if begin {
			var dirs []string
			for i := range 2000 {
				dirs = append(dirs, fmt.Sprintf("d%d/p%d", i%50, i))
			}
			w.BeginSpare(dirs) // abandoned while it makes them, or after
		}
		must(t, w.Write("a/index.html", []byte("a")))
		w.PrepareSpare()
		w.Abort()
		assertNoLeftovers(t, dest)
		for _, p := range []string{dest, spareOf(dest)} {
			if _, err := os.Lstat(p); !os.IsNotExist(err) {
				t.Errorf("begun=%v: %s is there after an abandoned first build (%v)", begin, p, err)
			}
		}
	}
}

// A first build leaves alone a spare that another first build into the
// same destination made meanwhile, and holds.
func TestFirstBuildLeavesAnotherBuildsSpare(t *testing.T) {
	skipWithoutSpare(t)
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	must(t, err)
	sp := spareOf(dest)
	must(t, os.Mkdir(sp, 0o755))
	must(t, os.WriteFile(filepath.Join(sp, "theirs"), []byte("x"), 0o644))
	other := lockDir(sp)
	if other == nil {
		t.Fatal("cannot lock the other build's spare")
	}
	defer other.Close()
	w.BeginSpare([]string{"a"})
	must(t, w.Write("a/index.html", []byte("a")))
	w.PrepareSpare()
	_, err = w.Commit("plansite test")
	must(t, err)
	assertFiles(t, dest, map[string]string{"a/index.html": "a"})
	if read(t, filepath.Join(sp, "theirs")) != "x" {
		t.Error("the other build's spare was changed")
	}
}
