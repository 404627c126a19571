package search_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/render"
	"github.com/plansite/plansite/site/search"
)

// bodies renders every document under src as a build does.
func bodies(t testing.TB, src string) [][]byte {
	t.Helper()
	cfg, err := config.LoadWith(src, "")
	if err != nil {
		t.Fatal(err)
	}
	tree, resolver, err := build.Scan(src, "", cfg)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := render.New(nil, cfg, resolver, render.Options{SourceDir: src, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var out [][]byte
	_, err = build.Read(tree, resolver, "test", cfg, nil, func(res *extract.Result) error {
		body, err := render.Body(res, rs.Links(res.Doc.Source))
		mu.Lock()
		out = append(out, body)
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The scanner reads every body the corpora and the repository's own
// documents render to as the HTML lexer does, section for section, and
// hands none of them to the lexer.
func TestScanReadsRenderedBodies(t *testing.T) {
	dirs := []string{testcorpus.Testdata(t), testcorpus.Content(t), testcorpus.MeatyMusic(t), testcorpus.Conventions(t)}
	n := 0
	for _, dir := range dirs {
		for _, body := range bodies(t, dir) {
			scanned, lexed, ok := search.ReadBoth(body)
			if !ok {
				t.Errorf("the scanner gave up on a body:\n%.300s", body)
				continue
			}
			if !slices.Equal(scanned, lexed) {
				t.Errorf("the scanner read\n%q\nthe lexer\n%q\nof\n%.2000s", scanned, lexed, body)
			}
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d bodies read", n)
	}
}

// pieces of HTML, odd ones included, that random bodies are made of.
var pieces = []string{
	"<p>", "</p>", "text ", "Café ", "&amp;", "&lt;b&gt;", "&quot;", "&#39;", "&nbsp;", "&copy", "&#x41;", "&", "&am",
	`<h2 id="a">`, "</h2>", `<h3 id='b c'>`, "</H3 >", "<h4 id=x>", "<h2>", `<H2 ID="up">`, "</h4\n>",
	`<a class="anchor" href="#a">#</a>`, `<a class=anchor>`, `<a class="x anchor y">`, "<a>", "</a>", "</A>",
	"<script>var x = '</p>';</script>", "<style>p{}</style>", "<svg><text>in svg</text></svg>", "<textarea>t</textarea>",
	"<!-- comment -->", "<!-- a -- b --!>", "<!-->", "<!---->", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?php ?>", "</ x>",
	"< p>", "<", ">", "</", "</>", "<3", "a<b", "<p/>", "<br/>", "<img alt=\"a > b\" src=x>", "<input disabled>",
	`<p class="x" / >`, "<p =x>", "<p a = 'b'>", "<p a=\"unterminated", "<p a='b", "<h2 id=\"", "<a class=\"anc",
	"\n", "\t", "  ", "\f", "\u00a0", "\u2003", "日本", "\x00", "\xff",
}

// Random bodies made of those pieces: wherever the scanner takes one, it
// reads it as the lexer does.
func TestScanMatchesLexer(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	taken := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		body := []byte(b.String())
		scanned, lexed, ok := search.ReadBoth(body)
		if !ok {
			continue
		}
		taken++
		if !slices.Equal(scanned, lexed) {
			t.Fatalf("%q: the scanner read\n%q\nthe lexer\n%q", body, scanned, lexed)
		}
	}
	if taken < 5000 {
		t.Errorf("the scanner took only %d of 20000 bodies", taken)
	}
}

func FuzzScanMatchesLexer(f *testing.F) {
	for _, p := range pieces {
		f.Add([]byte(p + "<p>x</p>" + p))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if scanned, lexed, ok := search.ReadBoth(body); ok && !slices.Equal(scanned, lexed) {
			t.Fatalf("%q: the scanner read\n%q\nthe lexer\n%q", body, scanned, lexed)
		}
	})
}

// A body that is valid UTF-8 has its text kept as read and spaced only
// where a snippet shows it: its record (terms, counts, lengths, the
// fragment's text by section, cut where it was) is the one its text spaced
// as it is read makes, whatever its white space and wherever the cuts fall.
func TestUnspacedTextIndexesAsSpaced(t *testing.T) {
	long := []string{strings.Repeat("word ", 150), strings.Repeat("x", 700), " \n\t ", "\u00a0\u2003", "é", "日本語", "a\u0301",
		"&amp; ", "&eacute;t&eacute; ", "<p>", "</p>", "<em>", "</em>", `<h2 id="s">`, "</h2>", `<h3 id="t">`, "</h3>",
		"<pre><code>", "</code></pre>", "  x  ", "\n"}
	r := rand.New(rand.NewPCG(13, 14))
	var all [][]byte
	for _, dir := range []string{testcorpus.MeatyMusic(t), testcorpus.Testdata(t)} {
		all = append(all, bodies(t, dir)...)
	}
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(60) {
			if r.IntN(3) == 0 {
				b.WriteString(pieces[r.IntN(len(pieces))])
			} else {
				b.WriteString(long[r.IntN(len(long))])
			}
		}
		if s := b.String(); utf8.ValidString(s) {
			all = append(all, []byte(s))
		}
	}
	for _, body := range all {
		unspaced, spaced, err := search.RecordBoth(search.Doc{Title: "T", URL: "/u/", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(unspaced, spaced) {
			t.Fatalf("the text kept as read indexes as\n%q\nspaced as read\n%q\nof\n%.3000q", unspaced, spaced, body)
		}
	}
}
