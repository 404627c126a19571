// Package search builds the site's full-text search index, split so a
// reader's first download stays small however large the site: a manifest
// (search/meta.json) of the index's chunks, each the terms of one
// alphabetical range in MiniSearch's serialized form (search/c/N.json),
// the field lengths its ranking needs (search/lengths.json), and one
// fragment per document (search/f/ID.json) holding its title and text for
// result snippets. The browser loads the manifest, then only the chunks
// holding a query's terms, then the fragments of the results it shows —
// Pagefind's model, with MiniSearch (bundled in the theme) as the engine.
package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	stdhtml "html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
)

// Fields of a document, in MiniSearch's field-id order.
const (
	FieldTitle = iota
	FieldHeadings
	FieldTasks
	FieldBody
	numFields
)

// FieldNames are the field names the browser's MiniSearch is created with.
var FieldNames = [numFields]string{"title", "headings", "tasks", "body"}

// chunkBytes is the size a chunk of the index is cut at: one fetch per
// query term, small enough on a phone. A term whose postings alone are
// larger gets a chunk of its own.
const chunkBytes = 48 << 10

// fragmentText caps the text a fragment keeps for snippets; the index
// itself holds every term of the document.
const fragmentText = 64 << 10

// Doc is what the index reads of one document.
type Doc struct {
	Title, URL, Status string
	Headings           []string
	Tasks              []string // "id title"
	Body               []byte   // rendered HTML
}

// Section is a run of a document's text under one heading.
type Section struct {
	Anchor, Heading, Text string
}

// posting is one document's count of a term in one field.
type posting struct {
	doc   uint32
	field uint8
	tf    uint16
}

// Index gathers the terms of every document. Add is safe for concurrent
// use; Files is called once every document was added.
type Index struct {
	mu       sync.Mutex
	postings map[string][]posting
	lengths  map[uint32][numFields]uint32
}

// New makes an empty index.
func New() *Index {
	return &Index{postings: map[string][]posting{}, lengths: map[uint32][numFields]uint32{}}
}

// Add indexes document id and returns its fragment (search/f/ID.json).
func (x *Index) Add(id int, d Doc) ([]byte, error) {
	sections := Sections(d.Body)
	counts := map[string]*[numFields]uint16{}
	var lengths [numFields]uint32
	add := func(field int, text string) {
		Terms(text, func(t string) {
			c := counts[t]
			if c == nil {
				c = new([numFields]uint16)
				counts[t] = c
			}
			if c[field] < 1<<16-1 {
				c[field]++
			}
			lengths[field]++
		})
	}
	add(FieldTitle, d.Title)
	for _, h := range d.Headings {
		add(FieldHeadings, h)
	}
	for _, t := range d.Tasks {
		add(FieldTasks, t)
	}
	for _, s := range sections {
		add(FieldBody, s.Text)
	}
	doc := uint32(id)
	x.mu.Lock()
	for t, c := range counts {
		for f, n := range c {
			if n > 0 {
				x.postings[t] = append(x.postings[t], posting{doc: doc, field: uint8(f), tf: n})
			}
		}
	}
	x.lengths[doc] = lengths
	x.mu.Unlock()
	return fragment(d, sections)
}

// fragment is a document's title, URL, status and text by section, the
// text cut at fragmentText in all.
func fragment(d Doc, sections []Section) ([]byte, error) {
	left := fragmentText
	var xs [][3]string
	for _, s := range sections {
		if left <= 0 {
			break
		}
		text := s.Text
		if len(text) > left {
			text = cutUTF8(text, left)
		}
		left -= len(text)
		xs = append(xs, [3]string{s.Anchor, s.Heading, text})
	}
	return json.Marshal(struct {
		T string      `json:"t"`
		U string      `json:"u"`
		S string      `json:"s"`
		X [][3]string `json:"x"`
	}{d.Title, d.URL, d.Status, xs})
}

// cutUTF8 is s cut to at most n bytes, never inside a character.
func cutUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Files writes the index: emit receives each output path and its content.
func (x *Index) Files(emit func(rel string, data []byte) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	terms := make([]string, 0, len(x.postings))
	for t := range x.postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	var chunks [][2]string
	var buf bytes.Buffer
	first := ""
	flush := func(last string) error {
		if buf.Len() == 0 {
			return nil
		}
		buf.WriteString("]}")
		if err := emit("search/c/"+strconv.Itoa(len(chunks))+".json", bytes.Clone(buf.Bytes())); err != nil {
			return err
		}
		chunks = append(chunks, [2]string{first, last})
		buf.Reset()
		return nil
	}
	var entry bytes.Buffer
	for i, t := range terms {
		entry.Reset()
		writeEntry(&entry, t, x.postings[t])
		if buf.Len() > 0 && buf.Len()+entry.Len() > chunkBytes {
			if err := flush(terms[i-1]); err != nil {
				return err
			}
		}
		if buf.Len() == 0 {
			first = t
			buf.WriteString(`{"index":[`)
		} else {
			buf.WriteByte(',')
		}
		buf.Write(entry.Bytes())
	}
	if len(terms) > 0 {
		if err := flush(terms[len(terms)-1]); err != nil {
			return err
		}
	}
	// Field lengths, for ranking: "id": [title, headings, tasks, body].
	var sum [numFields]float64
	ids := make([]uint32, 0, len(x.lengths))
	for id := range x.lengths {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var lb bytes.Buffer
	lb.WriteByte('{')
	for i, id := range ids {
		l := x.lengths[id]
		if i > 0 {
			lb.WriteByte(',')
		}
		fmt.Fprintf(&lb, `"%d":[%d,%d,%d,%d]`, id, l[0], l[1], l[2], l[3])
		for f := range l {
			sum[f] += float64(l[f])
		}
	}
	lb.WriteByte('}')
	if err := emit("search/lengths.json", lb.Bytes()); err != nil {
		return err
	}
	avg := make([]float64, numFields)
	for f := range sum {
		if len(ids) > 0 {
			avg[f] = sum[f] / float64(len(ids))
		}
	}
	meta, err := json.Marshal(struct {
		Version int         `json:"v"`
		Docs    int         `json:"docs"`
		NextID  int         `json:"next"`
		Fields  []string    `json:"fields"`
		Avg     []float64   `json:"avg"`
		Chunks  [][2]string `json:"chunks"`
	}{1, len(ids), nextID(ids), FieldNames[:], avg, chunks})
	if err != nil {
		return err
	}
	return emit("search/meta.json", meta)
}

func nextID(ids []uint32) int {
	if len(ids) == 0 {
		return 0
	}
	return int(ids[len(ids)-1]) + 1
}

// writeEntry writes one term as MiniSearch serializes it:
// ["term",{"fieldId":{"docId":tf,…},…}].
func writeEntry(b *bytes.Buffer, term string, ps []posting) {
	slices.SortFunc(ps, func(a, b posting) int {
		if a.field != b.field {
			return int(a.field) - int(b.field)
		}
		return int(a.doc) - int(b.doc)
	})
	q, _ := json.Marshal(term)
	b.WriteByte('[')
	b.Write(q)
	b.WriteString(",{")
	for i, p := range ps {
		if i == 0 || p.field != ps[i-1].field {
			if i > 0 {
				b.WriteString("},")
			}
			b.WriteString(`"` + strconv.Itoa(int(p.field)) + `":{`)
		} else {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.FormatUint(uint64(p.doc), 10) + `":` + strconv.Itoa(int(p.tf)))
	}
	if len(ps) > 0 {
		b.WriteByte('}')
	}
	b.WriteString("}]")
}

// Terms calls f with each term of text, as the browser's tokenizer splits
// it (search.ts holds the same rule): runs of letters, digits and marks,
// lower-cased; Han, kana and Hangul characters one by one, since those
// scripts do not space their words.
func Terms(text string, f func(string)) {
	start := -1
	emit := func(end int) {
		if start >= 0 && end > start {
			f(strings.ToLower(text[start:end]))
		}
		start = -1
	}
	for i, r := range text {
		switch {
		case isCJK(r):
			emit(i)
			f(string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			if start < 0 {
				start = i
			}
		default:
			emit(i)
		}
	}
	emit(len(text))
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Sections is the text of a rendered body, cut at each heading with an id.
// The heading's own "#" link and scripts and styles are left out.
func Sections(body []byte) []Section {
	var out []Section
	cur := Section{}
	var text, heading strings.Builder
	inHeading, skip := 0, 0
	flush := func() {
		cur.Text = strings.Join(strings.Fields(text.String()), " ")
		if cur.Text != "" || cur.Heading != "" {
			out = append(out, cur)
		}
		text.Reset()
	}
	l := html.NewLexer(parse.NewInputBytes(body))
	var tag []byte
	var attrs map[string]string
	open := func() {
		if tag == nil {
			return
		}
		name := string(tag)
		switch {
		case name == "script" || name == "style" || name == "a" && strings.Contains(" "+attrs["class"]+" ", " anchor "):
			skip++
		case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && attrs["id"] != "":
			flush()
			cur = Section{Anchor: attrs["id"]}
			heading.Reset()
			inHeading++
		}
		tag = nil
	}
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			open()
			flush()
			return out
		case html.StartTagToken:
			open()
			tag, attrs = bytes.ToLower(l.Text()), map[string]string{}
		case html.AttributeToken:
			v := l.AttrVal()
			if len(v) > 1 && (v[0] == '"' || v[0] == '\'') {
				v = v[1 : len(v)-1]
			}
			attrs[string(l.Text())] = string(v)
		case html.StartTagCloseToken, html.StartTagVoidToken:
			open()
		case html.EndTagToken:
			open()
			name := string(bytes.ToLower(l.Text()))
			switch {
			case (name == "script" || name == "style" || name == "a") && skip > 0:
				skip--
			case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && inHeading > 0:
				inHeading--
				cur.Heading = strings.Join(strings.Fields(heading.String()), " ")
			}
			// Block ends separate words.
			text.WriteByte(' ')
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := unescape(data)
			if inHeading > 0 {
				heading.WriteString(t)
			} else {
				text.WriteString(t)
			}
		}
	}
}

func unescape(b []byte) string {
	if !bytes.ContainsRune(b, '&') {
		return string(b)
	}
	return stdhtml.UnescapeString(string(b))
}
