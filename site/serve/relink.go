package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
	"github.com/plansite/plansite/site/schema"
)

// errSuperseded stops a pass that a newer change made pointless: the
// next pass renders what it left, since every page it did not publish
// still has the key it had.
var errSuperseded = errors.New("superseded by a newer change")

// relink runs the link pass over every cached document and publishes the
// pages whose keys changed (build's keys: what each page is made from),
// first those of the documents just read (first), so the edited page reaches
// the browser without waiting for the rest. Only pages whose bytes changed
// are told. A newer change waiting stops it between pages (errSuperseded).
func (s *Site) relink(ch *Change, first []string) error {
	if s.superseded() { // the edited pages are out; the pass is the next one's
		return errSuperseded
	}
	inputs := make([]*link.Input, 0, len(s.docs))
	for _, e := range s.docs {
		inputs = append(inputs, &link.Input{Doc: e.doc, PrevTarget: e.prevTarget, NextTarget: e.nextTarget})
	}
	model := link.SiteUntil(inputs, s.resolver, s.generator, s.superseded)
	if model == nil {
		return errSuperseded
	}
	model.Problems = append(model.Problems, s.walkErrs...)
	for _, src := range slices.Sorted(maps.Keys(s.unread)) {
		model.Problems = append(model.Problems, s.unread[src])
	}
	for _, d := range model.Docs {
		s.docs[d.Source].linked = d
	}
	s.model = model
	// Each step over the whole site is a place to stop: what a stopped
	// pass leaves, the next pass does again from the start.
	if s.superseded() {
		return errSuperseded
	}
	s.rs.Index(model)
	if s.superseded() {
		return errSuperseded
	}
	s.rs.ReadHistory() // what it read at this commit is kept
	s.keys = build.NewKeys(s.siteKey, model, s.rs)
	ch.Problems = 0
	for _, d := range model.Docs {
		ch.Problems += len(d.Problems)
	}
	ch.Problems += len(model.Problems)
	ch.Errors = s.errorsOf(ch.Sources)

	// Pages of removed documents go first: a page open on one shows it gone.
	var gonePages []string
	for src, out := range s.docPage {
		if s.docs[src] == nil {
			delete(s.docPage, src)
			gonePages = append(gonePages, out)
		}
	}
	for src, out := range s.docBadge {
		if s.docs[src] == nil {
			delete(s.docBadge, src)
			gonePages = append(gonePages, out)
		}
	}
	for _, out := range gonePages {
		delete(s.pageKey, out)
	}
	gone := s.pages.remove(gonePages)
	// Pages published provisionally stay in First; a page the pass changed
	// again is told again.
	again := append(gone, s.publishDocs(first)...)
	s.notify(again)
	ch.First = append(ch.First, again...)
	slices.Sort(ch.First)
	ch.First = slices.Compact(ch.First)
	ch.Pages = slices.Clone(ch.First)
	if s.superseded() {
		return errSuperseded
	}

	rest := make([]string, 0, len(s.docs))
	for src := range s.docs {
		if !slices.Contains(first, src) {
			rest = append(rest, src)
		}
	}
	sort.Strings(rest)
	later := s.publishDocs(rest)
	s.notify(later)
	ch.Pages = append(ch.Pages, later...)
	if s.superseded() {
		return errSuperseded
	}
	sp, err := s.publishSitePages()
	s.notify(sp)
	ch.Pages = append(ch.Pages, sp...)
	return err
}

// publishProvisional publishes the pages of edited documents before the
// link pass runs, linked as the last pass linked them: their previous, next
// and series carried over, their links resolved again, the problems the
// pass found elsewhere in them kept. It is done only for a document whose
// previous/next targets and phase are as they were, the inputs the pass
// places it by; the pass that follows publishes the page again if it
// differs. It returns the pages published.
func (s *Site) publishProvisional(read []string, olds map[string]*entry) []string {
	m := map[string][]byte{}
	for _, rel := range read {
		old, e := olds[rel], s.docs[rel]
		if old == nil || e == nil || old.linked == nil || old.prevTarget != e.prevTarget || old.nextTarget != e.nextTarget ||
			old.doc.Phase != e.doc.Phase || e.doc.URL == "/" || s.docPage[rel] == "" {
			continue
		}
		p := *e.doc
		p.Prev, p.Next, p.Series = old.linked.Prev, old.linked.Next, old.linked.Series
		p.Problems = slices.Clone(e.doc.Problems)
		p.Links = unresolved(e.doc.Links)
		link.ResolveLinks(&p, s.resolver)
		// The problems the pass found beyond the document's own links.
		for _, pr := range old.linked.Problems {
			if pr.Code != plan.CodeBrokenLink && !slices.Contains(old.doc.Problems, pr) {
				p.Problems = append(p.Problems, pr)
			}
		}
		sort.SliceStable(p.Problems, func(i, j int) bool { return p.Problems[i].Line < p.Problems[j].Line })
		pe := *e
		pe.linked = &p
		m[render.OutputPath(p.URL)] = s.docPageHTML(&pe)
	}
	return s.pages.put(m)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Site) notify(pages []string) {
	if s.Notify != nil && len(pages) > 0 {
		s.Notify(pages)
	}
}

// publishDocs renders, in parallel, the pages of the documents named whose
// keys changed, and publishes those whose bytes changed. A newer change
// waiting stops it: the pages it did not reach keep their old keys.
func (s *Site) publishDocs(srcs []string) []string {
	s.pages.setLazyDir("search/", s.searchFiles) // the search index reads every body: made again when asked for
	outs := make([]string, len(srcs))
	keys := make([]cache.Key, len(srcs))
	pages := make([][]byte, len(srcs))
	badgeOuts := make([]string, len(srcs))
	badges := make([][]byte, len(srcs))
	workers.Each(len(srcs), func(i int) {
		e := s.docs[srcs[i]]
		if e == nil || e.linked == nil || s.superseded() {
			return
		}
		out := render.OutputPath(e.linked.URL)
		k := s.pageKeyOf(e)
		if s.pageKey[out] == k && s.docPage[srcs[i]] == out {
			return
		}
		outs[i], keys[i] = out, k
		pages[i] = s.docPageHTML(e)
		badgeOuts[i], badges[i] = s.rs.Badge(e.linked)
	})
	m := make(map[string][]byte, len(srcs))
	var stale []string
	for i, out := range outs {
		if out == "" {
			continue
		}
		m[out] = pages[i]
		s.pageKey[out] = keys[i]
		if old := s.docPage[srcs[i]]; old != "" && old != out {
			stale = append(stale, old)
			delete(s.pageKey, old)
		}
		s.docPage[srcs[i]] = out
		// The status badge beside the page, as plansite build writes it.
		if old := s.docBadge[srcs[i]]; old != "" && old != badgeOuts[i] {
			stale = append(stale, old)
			delete(s.docBadge, srcs[i])
		}
		if badgeOuts[i] != "" {
			m[badgeOuts[i]] = badges[i]
			s.docBadge[srcs[i]] = badgeOuts[i]
		}
	}
	return append(s.pages.put(m), s.pages.remove(stale)...)
}

// pageKeyOf is the key of a document's page as served: build's key, and
// what serving adds (the overlay of a document that failed to build).
func (s *Site) pageKeyOf(e *entry) cache.Key {
	h := cache.NewHasher("served").Key(s.keys.DocPage(e.linked, e.bodyKey, s.rs))
	for _, f := range fatal(e) {
		h.String(f)
	}
	return h.Sum()
}

// docPageHTML is a document's page as served: the rendered page with the
// live-reload script and, when the document failed to build, the overlay.
func (s *Site) docPageHTML(e *entry) []byte {
	errs := fatal(e)
	var page []byte
	if e.bodyErr == nil {
		p, err := safeDocPage(s.rs, e.linked, e.body.bytes())
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s:1: error: %v", e.doc.Source, err))
		}
		page = p
	}
	if page == nil {
		page = []byte("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
			html.EscapeString(e.doc.Source) + "</title></head><body></body></html>\n")
	}
	return inject(page, overlay(errs)+s.script())
}

func safeDocPage(rs *render.Site, d *plan.Doc, body []byte) (page []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			page, err = nil, fmt.Errorf("rendering failed: %v", r)
		}
	}()
	return rs.DocPage(d, body)
}

// publishSitePages renders the pages that are not a document's whose keys
// changed, dropping those no longer made.
func (s *Site) publishSitePages() ([]string, error) {
	rest := s.keys.Rest(s.rs.Published(), s.root)
	if rest == s.restKey {
		// Plan, dashboard and agent pages change only with the model, as
		// the rest does.
		return nil, nil
	}
	own := s.keys.OwnKeysUntil(s.model, s.rs, s.superseded)
	if own == nil || s.superseded() {
		return nil, errSuperseded
	}
	m := map[string][]byte{}
	kept := map[string]bool{}
	unchanged := func(rel string) bool {
		if k, ok := own.Of(rel); ok && s.pageKey[rel] == k {
			kept[rel] = true
			return true
		}
		return false
	}
	err := s.rs.SitePagesExcept(func(rel string, data []byte) error {
		if s.superseded() {
			return errSuperseded
		}
		if strings.HasSuffix(rel, ".html") {
			data = inject(data, s.script())
		}
		m[rel] = data
		return nil
	}, unchanged)
	if err != nil {
		return nil, err
	}
	m["plan.schema.json"] = schema.JSON()
	s.pages.setLazy("plan.json", s.planJSON)
	var stale []string
	for rel := range s.sitePages {
		if _, ok := m[rel]; !ok && !kept[rel] {
			stale = append(stale, rel)
			delete(s.pageKey, rel)
		}
	}
	s.sitePages = kept
	for rel := range m {
		s.sitePages[rel] = true
		if k, ok := own.Of(rel); ok {
			s.pageKey[rel] = k
		}
	}
	s.restKey = rest
	changed := append(s.pages.put(m), s.pages.remove(stale)...)
	sort.Strings(changed)
	return changed, nil
}

// planJSON is plan.json, made when asked for.
func (s *Site) planJSON() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.model == nil {
		return nil, fmt.Errorf("no site yet")
	}
	return json.MarshalIndent(s.model, "", " ")
}

// Fatal problem codes: the page cannot show what the author wrote. Any
// problem of severity error is fatal too.
var fatalCodes = map[plan.Code]bool{plan.CodeNotUTF8: true, plan.CodeFrontMatterUnterminated: true, plan.CodeFrontMatterInvalid: true}

// fatal lists why a document failed to build, as path:line: severity:
// message; none when it built.
func fatal(e *entry) []string {
	var out []string
	for _, p := range e.doc.Problems {
		if p.Severity == plan.SevError || fatalCodes[p.Code] {
			out = append(out, fmt.Sprintf("%s:%d: %s: %s", e.doc.Source, p.Line, p.Severity, p.Message))
		}
	}
	if e.bodyErr != nil {
		out = append(out, fmt.Sprintf("%s:1: error: %v", e.doc.Source, e.bodyErr))
	}
	return out
}

func (s *Site) errorsOf(srcs []string) []string {
	var out []string
	for _, src := range srcs {
		if e := s.docs[src]; e != nil {
			out = append(out, fatal(e)...)
		}
	}
	return out
}

// sameModels reports whether every document just read has the model it had
// before, but for its hash: then the link pass would change nothing.
func (s *Site) sameModels(read []string, olds map[string]*entry) bool {
	if len(read) == 0 {
		return false
	}
	for _, rel := range read {
		old, e := olds[rel], s.docs[rel]
		if old == nil || e == nil || old.linked == nil || old.prevTarget != e.prevTarget || old.nextTarget != e.nextTarget {
			return false
		}
		a, err1 := modelJSON(old.doc)
		b, err2 := modelJSON(e.doc)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}

// modelJSON is an extracted model without its hash, to compare two
// versions of a document.
func modelJSON(d *plan.Doc) ([]byte, error) {
	c := *d
	c.Hash = ""
	return json.Marshal(&c)
}

// unresolved copies links as extraction left them, without what the link
// pass resolved, leaving the originals alone.
func unresolved(links []*plan.Link) []*plan.Link {
	out := make([]*plan.Link, len(links))
	for i, l := range links {
		lc := *l
		lc.Resolved, lc.Suggested = nil, nil
		out[i] = &lc
	}
	return out
}

// overlay is the error overlay shown on a page whose document failed to
// build; empty when it built.
func overlay(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div id="plansite-overlay" role="alert" style="position:fixed;inset:auto 1rem 1rem 1rem;z-index:2147483647;` +
		`max-height:60vh;overflow:auto;background:#2b0b0e;color:#ffd7d7;border:2px solid #e5484d;border-radius:8px;` +
		`padding:1rem 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;box-shadow:0 8px 32px rgba(0,0,0,.5)">` +
		`<button type="button" onclick="this.parentNode.remove()" aria-label="close" style="float:right;background:none;border:0;color:inherit;font-size:18px;cursor:pointer">×</button>` +
		`<strong style="display:block;margin-bottom:.5rem">plansite: this document failed to build</strong>`)
	for _, e := range errs {
		b.WriteString(`<div class="plansite-error">` + html.EscapeString(e) + `</div>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}
