package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func terms(s string) []string {
	var out []string
	Terms(s, func(t string) { out = append(out, t) })
	return out
}

func TestTerms(t *testing.T) {
	got := terms("Phase 2: Suno v5 — naïve CAFÉ, 検索エンジン; a_b/c.md")
	want := []string{"phase", "2", "suno", "v5", "naïve", "café", "検", "索", "エ", "ン", "ジ", "ン", "a", "b", "c", "md"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q\nwant %q", got, want)
	}
}

func TestSections(t *testing.T) {
	body := `<p>Intro &amp; more</p><h2 id="setup">Set up <a class="anchor" href="#setup" aria-label="Link">#</a></h2>` +
		`<p>Install <code>go</code>.</p><script>var x = 1</script><h3 id="db">Database</h3><ul><li>Postgres</li><li>Redis</li></ul>`
	got := Sections([]byte(body))
	want := []Section{{"", "", "Intro & more"}, {"setup", "Set up", "Install go ."}, {"db", "Database", "Postgres Redis"}}
	if !slices.Equal(got, want) {
		t.Errorf("Sections = %q\nwant %q", got, want)
	}
}

// Text is kept with white space collapsed, as strings.Fields and a join
// would make it, whatever the white space.
func TestAppendSpaced(t *testing.T) {
	texts := []string{"", "  ", "a", " a  b\t\nc ", "x\u00a0y\u2003 z\u0085", "é  ü\xff q", "日本 語"}
	r := rand.New(rand.NewPCG(9, 10))
	parts := []string{"a", "bc", " ", "  ", "\t", "\n", "é", "\u00a0", "日", "\xff", ".", "\f", "\v", "\r", "\x1f", "!",
		"words in a run", "lettersanddigits0123", "a\x7fb"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		// In one piece, and in two (text arrives a piece at a time).
		cut := len(s) / 2
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		for _, got := range []string{string(appendSpaced(nil, 0, s)), string(appendSpaced(appendSpaced(nil, 0, s[:cut]), 0, s[cut:]))} {
			if want := strings.Join(strings.Fields(s), " "); strings.TrimSuffix(got, " ") != want {
				t.Fatalf("appendSpaced(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// The index is cut into chunks, each from its first term to the next
// chunk's; every term is in the chunk whose range holds it, with its documents and counts as
// MiniSearch serializes them.
func TestFilesChunks(t *testing.T) {
	x := New()
	files := map[string][]byte{}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for w := 0; w < 60; w++ {
			fmt.Fprintf(&b, "<p>word%05d common</p>", i*60+w)
		}
		rel, frag, err := x.Add(i, Doc{Title: fmt.Sprintf("Doc %d", i), URL: fmt.Sprintf("/d%d/", i), Status: "in-progress",
			Tasks: []string{"1.1 Common task"}, Body: []byte(b.String())})
		if err != nil {
			t.Fatal(err)
		}
		if rel != "" {
			files[rel] = frag
		}
	}
	if err := x.Files(func(rel string, data []byte) error { files[rel] = data; return nil }); err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Docs   int
		Chunks [][2]string
		Fields []string
	}
	if err := json.Unmarshal(files["search/meta.json"], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Docs != 300 || len(meta.Chunks) < 3 || len(meta.Fields) != 4 {
		t.Fatalf("meta: %d docs, %d chunks, fields %v", meta.Docs, len(meta.Chunks), meta.Fields)
	}
	seen := 0
	for i, c := range meta.Chunks {
		if i > 0 && meta.Chunks[i-1][0] >= c[0] {
			t.Errorf("chunk %d starts at %q, not after %q", i, c[0], meta.Chunks[i-1][0])
		}
		raw := files["search/c/"+c[1]+".json"]
		if len(raw) > chunkBytes+1024 {
			t.Errorf("chunk %d is %d bytes", i, len(raw))
		}
		var chunk struct{ Index [][2]json.RawMessage }
		if err := json.Unmarshal(raw, &chunk); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		for _, e := range chunk.Index {
			var term string
			var fields map[string]map[string]int
			json.Unmarshal(e[0], &term)
			json.Unmarshal(e[1], &fields)
			if term < c[0] || i+1 < len(meta.Chunks) && term >= meta.Chunks[i+1][0] {
				t.Errorf("term %q in chunk %d, which starts at %q", term, i, c[0])
			}
			seen++
			switch term {
			case "common":
				if len(fields["3"]) != 300 || fields["3"]["7"] != 60 || len(fields["2"]) != 300 {
					t.Errorf("common: %d body documents (7 counts %d), %d task documents", len(fields["3"]), fields["3"]["7"], len(fields["2"]))
				}
			case "word00061":
				if len(fields) != 1 || fields["3"]["1"] != 1 {
					t.Errorf("word00061 = %v, want document 1 once in the body", fields)
				}
			}
		}
	}
	// The words, "common", "doc", "task", and the numbers 0–299 of the titles.
	if want := 300*60 + 3 + 300; seen != want {
		t.Errorf("%d terms in the chunks, want %d", seen, want)
	}
	// Every document's fragment, FragsPerFile to a file.
	for i := 0; i < 300; i++ {
		var pack []*struct{ T, U string }
		rel := fmt.Sprintf("search/f/%d.json", i/FragsPerFile)
		if err := json.Unmarshal(files[rel], &pack); err != nil || len(pack) != FragsPerFile {
			t.Fatalf("%s: %d fragments (%v)", rel, len(pack), err)
		}
		if f := pack[i%FragsPerFile]; f == nil || f.T != fmt.Sprintf("Doc %d", i) || f.U != fmt.Sprintf("/d%d/", i) {
			t.Errorf("fragment of document %d = %+v", i, f)
		}
	}
	if n := (300 + FragsPerFile - 1) / FragsPerFile; files[fmt.Sprintf("search/f/%d.json", n)] != nil {
		t.Errorf("fragment file %d written for %d documents", n, 300)
	}
	var lengths map[string][4]int
	if err := json.Unmarshal(files["search/lengths.json"], &lengths); err != nil || lengths["5"] != [4]int{2, 0, 4, 120} {
		t.Errorf("lengths of document 5 = %v (%v), want [2 0 4 120]", lengths["5"], err)
	}
}

// A document added from its record, as a later build adds the documents
// whose bodies did not change, makes the same index files as from the
// document; a damaged record is an error, not a wrong index.
func TestAddRecordMakesTheSameIndex(t *testing.T) {
	docs := make([]Doc, 70)
	for i := range docs {
		docs[i] = Doc{Title: fmt.Sprintf("Phase %d: Café ünïcode", i), URL: fmt.Sprintf("/d%d/", i), Status: "blocked",
			Headings: []string{"Goals", fmt.Sprintf("Step %d", i%7)}, Tasks: []string{"1.1 Write the 検索 index"},
			Body: []byte(fmt.Sprintf(`<h2 id="goals">Goals</h2><p>Shared words and word%d, &amp; more.</p><h3 id="s">Step</h3><p>%s</p>`, i, strings.Repeat("again ", i)))}
	}
	build := func(fromRecords bool) map[string]string {
		first, x := New(), New()
		files := map[string]string{}
		emit := func(rel string, data []byte) error { files[rel] = string(data); return nil }
		for i, d := range docs {
			rel, data, rec, err := first.AddDoc(i, d)
			if fromRecords {
				rel, data, err = x.AddRecord(i, rec)
			} else {
				x = first
			}
			if err != nil {
				t.Fatal(err)
			}
			if rel != "" {
				emit(rel, data)
			}
		}
		if err := x.Files(emit); err != nil {
			t.Fatal(err)
		}
		return files
	}
	direct, recorded := build(false), build(true)
	if len(direct) < 4 {
		t.Fatalf("only %d files", len(direct))
	}
	for rel, data := range direct {
		if recorded[rel] != data {
			t.Errorf("%s differs when made from records:\n%s\n%s", rel, data, recorded[rel])
		}
	}
	if len(recorded) != len(direct) {
		t.Errorf("%d files from records, %d from documents", len(recorded), len(direct))
	}

	_, _, rec, err := New().AddDoc(0, docs[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Record{rec[:len(rec)-1], rec[:3], append(rec[:len(rec):len(rec)], 7), nil} {
		if _, _, err := New().AddRecord(0, bad); err == nil {
			t.Errorf("a damaged record of %d bytes was added", len(bad))
		}
	}
}

// A document's terms are counted as Terms splits its text, whatever the
// text: scripts, marks, numbers, invalid bytes.
func TestAddSplitsAsTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	parts := []string{"Word", "wORd", "x1", "azAZ09", "0123456789", " ", "-", "é", "É", "naïve", "İstanbul", "ǅ", "ß", "²", "٣", "e\u0301", "検索", "エンジン", "한국어",
		"\xff", "\xe6\x97", ".", "_", "Ⅻ", "ΣΑΣ", "🙂", "\u00a0", "a\u200bb",
		// Eight ASCII bytes and more; a wider character lower-cased to ASCII (the Kelvin sign).
		"abcdefgh", "ABCDEFGHi", "Implementation", "Internationalization1234", "\u212a", "\u212aelvin", "Kabcdefgh", "Kabcdefghijklmno"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		text := b.String()
		want := map[string]int{}
		Terms(text, func(term string) { want[term]++ })
		var c docTerms
		n := c.add(FieldBody, text)
		n += c.add(FieldBody, text) // the vocabulary known the second time
		got := map[string]int{}
		for _, i := range c.used {
			got[c.terms[i]] = int(c.counts[i][FieldBody])
		}
		total := 0
		for term := range want {
			want[term] *= 2
			total += want[term]
		}
		if !maps.Equal(got, want) || int(n) != total {
			t.Fatalf("%q: counted %v (%d), Terms makes %v", text, got, n, want)
		}
	}
}

// A term's entry lists its fields and documents in order whatever the
// order its postings come in: as documents were added (about in order),
// from a chunk with changes after it, reversed, shuffled.
func TestWriteEntryOrdersPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{0, 1, 2, 5, 40, 3000} {
		var sorted []posting
		for doc := range uint32(n) {
			for f := range uint8(numFields) {
				if r.IntN(2) == 0 {
					sorted = append(sorted, posting{doc: doc * 3, field: f, tf: uint16(1 + r.IntN(500))})
				}
			}
		}
		slices.SortFunc(sorted, func(a, b posting) int {
			return cmp.Or(cmp.Compare(a.field, b.field), cmp.Compare(a.doc, b.doc))
		})
		var want bytes.Buffer
		writeEntry(&want, "term", sorted, nil)
		if n > 0 && (!strings.HasPrefix(want.String(), `["term",{"`) || strings.Count(want.String(), ":") != len(sorted)+numFieldsIn(sorted)) {
			t.Fatalf("entry of %d postings: %.200s", len(sorted), want.String())
		}
		byDoc := slices.Clone(sorted) // as documents are added
		slices.SortStableFunc(byDoc, func(a, b posting) int { return cmp.Compare(a.doc, b.doc) })
		nearly := slices.Clone(byDoc) // two workers
		for i := 0; i+1 < len(nearly); i += 3 {
			nearly[i], nearly[i+1] = nearly[i+1], nearly[i]
		}
		reversed := slices.Clone(sorted)
		slices.Reverse(reversed)
		shuffled := slices.Clone(sorted)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for name, ps := range map[string][]posting{"by document": byDoc, "nearly": nearly, "reversed": reversed, "shuffled": shuffled} {
			var got bytes.Buffer
			writeEntry(&got, "term", ps, nil)
			if got.String() != want.String() {
				t.Errorf("%d postings %s: %.300s\nwant %.300s", len(ps), name, got.String(), want.String())
			}
		}
	}
}

func numFieldsIn(ps []posting) int {
	seen := map[uint8]bool{}
	for _, p := range ps {
		seen[p.field] = true
	}
	return len(seen)
}

// A string is quoted as encoding/json quotes it, whatever its bytes: the
// browser reads fragments and terms with JSON.parse, and an index written
// before keeps its bytes.
func TestAppendJSONString(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	parts := []string{"plain", " ", `"`, `\`, "<", ">", "&", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f",
		"é", "検索", "\u2028", "\u2029", "\u2027", "🙂", "\xff", "\xe6\x97", "\xed\xa0\x80", "\ufffd", "/", "'"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		s := b.String()
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("%q: quoted %s, encoding/json %s", s, got[1:], want)
		}
		if got := appendJSONString(nil, []byte(s)); string(got) != string(want) {
			t.Fatalf("%q as bytes: quoted %s, encoding/json %s", s, got, want)
		}
	}
}

// A document's fragment is the JSON object encoding/json makes of it:
// title, URL, status, and each section's anchor, heading and text cut for
// snippets, null without sections.
func TestFragmentIsJSON(t *testing.T) {
	long := strings.Repeat("word ", 400)
	bodies := []string{"", "<p>no heading</p>",
		`<h2 id="a">A &lt;b&gt; "q"</h2><p>` + long + `</p><h2 id="b">B</h2><p>é 検索 ` + long + "</p><h3 id=\"c\">\u2028</h3>",
		`<p>` + strings.Repeat("x\u2029<&> ", 2000) + `</p>`}
	for _, body := range bodies {
		for _, d := range []Doc{{Title: `T "1" <b>`, URL: "/d/ü/", Status: "done", Body: []byte(body)}, {Body: []byte(body)}} {
			var c docTerms
			got, _, err := c.count(d)
			if err != nil {
				t.Fatal(err)
			}
			var xs [][3]string
			left := fragmentText
			for _, s := range Sections(d.Body) {
				if left <= 0 {
					break
				}
				text := s.Text
				if n := min(left, sectionText); len(text) > n {
					for n > 0 && !utf8.RuneStart(text[n]) {
						n--
					}
					text = text[:n]
				}
				left -= len(text)
				xs = append(xs, [3]string{s.Anchor, s.Heading, text})
			}
			want, _ := json.Marshal(struct {
				T string      `json:"t"`
				U string      `json:"u"`
				S string      `json:"s"`
				X [][3]string `json:"x"`
			}{d.Title, d.URL, d.Status, xs})
			if string(got) != string(want) {
				t.Errorf("fragment of %.60q:\n%s\nencoding/json:\n%s", body, got, want)
			}
		}
	}
}

// The table of characters' kinds says of every character what package
// unicode does.
func TestKindOfRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := kindOfRune(r), runeKindOf(r); got != want {
			t.Fatalf("%U is of kind %d, package unicode makes it %d", r, got, want)
		}
	}
}
