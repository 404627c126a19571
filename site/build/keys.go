package build

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
)

// Every page declares what it is made from as a key: the hash of its
// inputs. A page whose key is the one it had is not rendered again; a page
// whose key the cache holds is copied from it. The keys:
//
//	doc key   a document's model after the link pass: its source and
//	          content (extraction is a function of them, the version and
//	          the time zone), and what the pass gave it
//	doc page  the site key, the document's key and body, its previous and
//	          next documents, its series and the plan it is shown in (the
//	          sidebar's documents), its related documents, whether the
//	          agents it names have pages, and the git history
//	plan page the site key, the series and its documents (joined plans
//	          included), the git history
//	dashboard each page after the home page: the site key, the history,
//	          the figures every page shows and the documents of its rows
//	problems  each page of the lists: the site key and the problems it
//	          lists, with the counts every page shows
//	agent     the site key, the agent's tasks and phases, the documents
//	          they are in and the plans its rows are grouped by
//	feed      the site key, the feed's title and entries (render's FeedView)
//	search    the whole model, every document's URL and body
//	site      every other page and plan.json: the whole model, the day
//
// The site key is the version, configuration, options and theme. A layout
// or view that comes to read something else must add it to its page's key;
// TestCachedRebuildEqualsColdBuild holds the keys to a build from nothing.

// version identifies the program that makes the cache's entries: the
// running executable itself, so that a cache made by another build of
// plansite (a release, or a checkout with local changes) is never read.
var version = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return unknownVersion()
	}
	return programVersion(exe)
})

// programVersion is version for the executable exe. Its Go build ID says
// so without reading the executable (whose hash was a twentieth of a
// rebuild's CPU), when the go command made it: then its last part is a
// hash of the executable's content. An ID made otherwise may name many
// programs (a build system's "-buildid=redacted"), and an executable
// without one is hashed whole.
func programVersion(exe string) string {
	if id := goBuildID(exe); goCommandBuildID(id) {
		return "go build id " + id
	}
	if f, err := os.Open(exe); err == nil {
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err == nil {
			return hex.EncodeToString(h.Sum(nil))
		}
	}
	return unknownVersion()
}

// unknownVersion is the version of a program that cannot be read: one of
// this process alone, so that its entries are read by no other program,
// which might read them differently.
func unknownVersion() string { return "unknown " + rand.Text() }

// goCommandBuildID reports whether id is a build ID as the go command
// makes an executable's: four parts, the action IDs of the link and of
// the main package, the main package's content ID and the executable's,
// each 20 characters of unpadded URL-safe base64.
func goCommandBuildID(id string) bool {
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) != 20 || strings.Trim(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return false
		}
	}
	return true
}

// goBuildID is the Go build ID of the executable exe, or "" when it has
// none that can be read: from its ELF note, else from the marker the
// linker writes near the start of other formats' text (as go tool buildid
// reads them).
func goBuildID(exe string) string {
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		sec := f.Section(".note.go.buildid")
		if sec == nil {
			return ""
		}
		note, err := sec.Data()
		// namesz, descsz, type, then the name "Go\x00\x00" and the ID.
		if err != nil || len(note) < 16 || f.ByteOrder.Uint32(note) != 4 || string(note[12:16]) != "Go\x00\x00" {
			return ""
		}
		n := int(f.ByteOrder.Uint32(note[4:]))
		if n <= 0 || 16+n > len(note) {
			return ""
		}
		return string(note[16 : 16+n])
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 32<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	const marker = "\xff Go build ID: \""
	i := bytes.Index(head, []byte(marker))
	if i < 0 {
		return ""
	}
	id, _, ok := bytes.Cut(head[i+len(marker):], []byte("\"\n \xff"))
	if !ok || len(id) == 0 {
		return ""
	}
	return string(id)
}

// SiteKey sums what every page depends on: the program, the generator
// line and the renderer (configuration, options, theme).
func SiteKey(generator string, rs *render.Site) cache.Key {
	return cache.NewHasher("site").String(version()).String(generator).String(rs.Fingerprint()).Sum()
}

// OwnKeys are the keys of the site's pages that have their own: plan
// pages, the dashboard's pages, the problem lists, each agent's pages (all
// of an agent's pages, however many it is paged into, share its key) and
// the feed.
type OwnKeys struct {
	pages  map[string]cache.Key // output path → key
	agents map[string]cache.Key // agent name → key
}

// OwnKeys keys the pages of a model that have their own key.
func (k *Keys) OwnKeys(m *plan.Site, rs *render.Site) *OwnKeys {
	return k.OwnKeysUntil(m, rs, func() bool { return false })
}

// OwnKeysUntil is OwnKeys, stopped between its kinds of page when stop
// says so (then nil): plansite serve's pass gives way to a newer edit.
func (k *Keys) OwnKeysUntil(m *plan.Site, rs *render.Site, stop func() bool) *OwnKeys {
	o := &OwnKeys{pages: map[string]cache.Key{}, agents: map[string]cache.Key{}}
	for _, sr := range m.Series {
		if _, isDoc := k.docs[sr.ID]; !isDoc { // a multi-phase document's page shows its series
			o.pages[render.OutputPath(sr.URL)] = k.PlanPage(sr, rs)
		}
	}
	if stop() {
		return nil
	}
	docKey := func(source string) string { d := k.docs[source]; return string(d[:]) }
	for rel, view := range rs.DashboardViews(docKey) {
		o.pages[rel] = cache.NewHasher("dashboard").Key(k.site).String(k.history).String(view).Sum()
	}
	if stop() {
		return nil
	}
	for rel, view := range rs.ProblemViews() {
		o.pages[rel] = cache.NewHasher("problems").Key(k.site).String(view).Sum()
	}
	if stop() {
		return nil
	}
	for _, a := range m.Agents {
		o.agents[a.Name] = k.AgentPage(a, rs)
	}
	o.pages[feedFile] = cache.NewHasher("feed").Key(k.site).String(rs.FeedView()).Sum()
	return o
}

// Of is the key of the page at the output path rel, when it has its own.
func (o *OwnKeys) Of(rel string) (cache.Key, bool) {
	if k, ok := o.pages[rel]; ok {
		return k, true
	}
	// agents/NAME/index.html, agents/NAME/page/2/index.html, …
	if name, rest, ok := strings.Cut(strings.TrimPrefix(rel, agentsDir), "/"); ok && strings.HasPrefix(rel, agentsDir) && rest != "" {
		k, ok := o.agents[name]
		return k, ok
	}
	return cache.Key{}, false
}

// feedFile is the site's Atom feed: a page with a key of its own, since
// most edits leave it as it was.
const feedFile = "feed.xml"

// agentsDir holds the agents' pages (plan.AgentURL).
const agentsDir = "agents/"

// docEntryKey names a document's cached extraction and body.
func docEntryKey(site cache.Key, rel, contentHash string) cache.Key {
	return cache.NewHasher("doc").Key(site).String(rel).String(contentHash).Sum()
}

// linkedKey is a document's key after the link pass.
func linkedKey(d *plan.Doc) cache.Key {
	// Status and figures too: the pass settles GSD plans and ROADMAP boxes
	// from the SUMMARY files beside them.
	h := cache.NewHasher("linked").String(d.Source).String(d.Hash).String(deref(d.Prev)).String(deref(d.Next)).String(d.Series).
		String(d.Status).String(strconv.Itoa(d.Completion.Done))
	for _, l := range d.Links {
		h.String(deref(l.Resolved)).String(deref(l.Suggested))
	}
	for _, p := range d.Problems {
		h.String(string(p.Code)).String(string(p.Severity)).String(strconv.Itoa(p.Line)).String(p.Message)
	}
	return h.Sum()
}

// Keys are the page keys of one model.
type Keys struct {
	site    cache.Key
	history string // the git history burndowns read, "" when none
	docs    map[string]cache.Key
	series  map[string]cache.Key
	model   cache.Key
}

// NewKeys keys the pages of a linked model; rs must be indexed with it.
func NewKeys(site cache.Key, m *plan.Site, rs *render.Site) *Keys {
	k := &Keys{site: site, history: rs.HistoryKey(), docs: make(map[string]cache.Key, len(m.Docs)), series: map[string]cache.Key{}}
	for _, d := range m.Docs {
		k.docs[d.Source] = linkedKey(d)
	}
	// The dashboard reads the day too (staleness, this week's changes).
	mh := cache.NewHasher("model").Key(site).String(m.Generator).String(k.history).String(rs.Today())
	for _, d := range m.Docs {
		mh.Key(k.docs[d.Source])
	}
	for _, sr := range m.Series {
		h := cache.NewHasher("series").String(sr.ID).String(sr.Title).String(sr.URL)
		for _, p := range sr.Phases {
			h.String(p).Key(k.docs[p])
		}
		k.series[sr.ID] = h.Sum()
		mh.Key(k.series[sr.ID])
	}
	for _, p := range m.Problems {
		mh.String(p.Source).String(string(p.Code)).String(string(p.Severity)).String(strconv.Itoa(p.Line)).String(p.Message)
	}
	k.model = mh.Sum()
	return k
}

// DocPage is the key of a document's page (and its badge).
func (k *Keys) DocPage(d *plan.Doc, body cache.Key, rs *render.Site) cache.Key {
	if d.URL == "/" {
		// The dashboard, with the document below it: the whole model.
		return cache.NewHasher("home").Key(k.model).Key(body).Sum()
	}
	h := cache.NewHasher("page").Key(k.site).Key(k.docs[d.Source]).Key(body).String(k.history)
	h.Key(k.docs[deref(d.Prev)]).Key(k.docs[deref(d.Next)]).Key(k.series[d.Series])
	for _, r := range rs.Related(d.Source) {
		h.Key(k.docs[r.Source])
	}
	if d.Series != "" {
		h.Key(k.series[rs.PlanOf(d.Series)])
	}
	for _, o := range rs.PlanDocs(d) {
		h.Key(k.docs[o.Source])
	}
	for _, name := range agentsNamed(d) {
		h.String(name).String(strconv.FormatBool(rs.HasAgentPage(name)))
	}
	return h.Sum()
}

// PlanPage is the key of a series' page.
func (k *Keys) PlanPage(sr *plan.Series, rs *render.Site) cache.Key {
	h := cache.NewHasher("plan").Key(k.site).Key(k.series[sr.ID]).String(k.history)
	for _, d := range rs.SeriesDocs(sr.ID) {
		h.Key(k.docs[d.Source])
	}
	return h.Sum()
}

// AgentPage is the key of an agent's page: its tasks and phases, the
// documents they are in and the plans its rows are grouped by.
func (k *Keys) AgentPage(a *plan.Agent, rs *render.Site) cache.Key {
	h := cache.NewHasher("agent").Key(k.site).String(a.Name).String(a.URL)
	last := "\x00" // an agent's rows run document by document
	inPlan := func(source string) {
		if source == last {
			return
		}
		last = source
		key, title, url := rs.AgentPlan(source)
		h.Key(k.docs[source]).String(key).String(title).String(url)
	}
	for _, t := range a.Tasks {
		h.String(t.Source).String(t.Task).String(t.Title).String(t.Status).String(t.Role)
		inPlan(t.Source)
	}
	for _, p := range a.Phases {
		h.String(p.Source).String(p.Phase).String(p.Title).String(p.Anchor).String(p.Status)
		inPlan(p.Source)
	}
	return h.Sum()
}

// Rest is the key of every other file: the site's own pages, feeds,
// assets, the files published beside the documents, plan.json.
func (k *Keys) Rest(published []string, source string) cache.Key {
	h := cache.NewHasher("rest").Key(k.model)
	for _, rel := range published {
		h.String(rel).String(fileSum(filepath.Join(source, filepath.FromSlash(rel))))
	}
	return h.Sum()
}

// agentsNamed lists the agents a document names, in its tasks and phases.
func agentsNamed(d *plan.Doc) []string {
	var out []string
	for _, t := range d.Tasks {
		for _, a := range t.Agents {
			out = append(out, a.Name)
		}
	}
	for _, p := range d.Phases {
		out = append(out, p.Agents...)
	}
	return out
}

func fileSum(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return "missing"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(h.Sum(nil))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
