package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// corpusDoc is a made-up document: words drawn from a vocabulary where a
// few words are everywhere and most are rare, as in real plans.
func corpusDoc(r *rand.Rand, id, rev int) Doc {
	word := func() string {
		// Zipf-like: small numbers far more often.
		n := int(20000 * r.Float64() * r.Float64() * r.Float64())
		return fmt.Sprintf("w%d", n)
	}
	var body strings.Builder
	for s := range 3 {
		fmt.Fprintf(&body, `<h2 id="s%d">Part %s</h2><p>`, s, word())
		for range 30 + r.IntN(40) {
			body.WriteString(word() + " ")
		}
		body.WriteString("</p>")
	}
	if rev > 0 {
		fmt.Fprintf(&body, "<p>Edited, rev %d: r%dx%d</p>", rev, id, rev)
	}
	return Doc{Title: fmt.Sprintf("Doc %d %s", id, word()), URL: fmt.Sprintf("/d%d/", id), Status: "in-progress",
		Headings: []string{"Part"}, Tasks: []string{fmt.Sprintf("1.%d %s", id%5, word())}, Body: []byte(body.String())}
}

func corpusDocs(r *rand.Rand, n int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = corpusDoc(r, i, 0)
	}
	return docs
}

// coldFiles is every file of the index of docs made at once, and its state.
func coldFiles(t *testing.T, docs []Doc) (map[string]string, *State, []Record) {
	t.Helper()
	x := New()
	files := map[string]string{}
	recs := make([]Record, len(docs))
	for i, d := range docs {
		rel, data, rec, err := x.AddDoc(i, d)
		if err != nil {
			t.Fatal(err)
		}
		recs[i] = rec
		if rel != "" {
			files[rel] = string(data)
		}
	}
	if err := x.Files(func(rel string, data []byte) error { files[rel] = string(data); return nil }); err != nil {
		t.Fatal(err)
	}
	return files, x.State(), recs
}

// An index updated with the changes of a few documents, round after round,
// is the index made at once of the changed documents, byte for byte: the
// chunks the changes touch are cut again, the others kept as they were.
func TestUpdateEqualsCold(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	docs := corpusDocs(r, 700)
	files, st, recs := coldFiles(t, docs)
	if len(st.chunks) < 8 {
		t.Fatalf("only %d chunks: the test needs more", len(st.chunks))
	}
	rewritten := 0 // chunks rewritten for a paragraph added to a few documents
	for round := 1; round <= 12; round++ {
		var changes []Change
		changed := map[int]bool{}
		for range 1 + r.IntN(5) {
			id := r.IntN(len(docs))
			if changed[id] {
				continue
			}
			changed[id] = true
			switch round % 4 {
			case 0: // a new text
				docs[id] = corpusDoc(r, id, round)
			case 1: // a paragraph added, with words no other document has
				d := docs[id]
				d.Body = append(slices.Clip(d.Body), fmt.Sprintf("<p>Edited, rev %d: aaa%d zzz%d</p>", round, round, round)...)
				docs[id] = d
			case 2: // only the status: the fragment changes, no term
				docs[id].Status = fmt.Sprintf("s%d", round)
			case 3: // back to a text without the words added before
				docs[id] = corpusDoc(r, id, 0)
			}
			rec, err := New().Record(docs[id])
			if err != nil {
				t.Fatal(err)
			}
			changes = append(changes, Change{ID: id, Old: recs[id], New: rec})
			recs[id] = rec
		}
		next, out, keep, err := Update(st, changes, func(rel string) ([]byte, error) {
			data, ok := files[rel]
			if !ok {
				return nil, fmt.Errorf("no %s", rel)
			}
			return []byte(data), nil
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		got := map[string]string{}
		for _, rel := range keep {
			got[rel] = files[rel]
		}
		for _, f := range out {
			if _, dup := got[f.Rel]; dup {
				t.Fatalf("round %d: %s both kept and written", round, f.Rel)
			}
			got[f.Rel] = string(f.Data)
			if strings.HasPrefix(f.Rel, "search/c/") && round%4 == 1 {
				rewritten++
			}
		}
		want, wantState, _ := coldFiles(t, docs)
		for rel, data := range want {
			if got[rel] != data {
				t.Errorf("round %d: %s differs from a cold build's (%d bytes, want %d)", round, rel, len(got[rel]), len(data))
			}
		}
		for rel := range got {
			if _, ok := want[rel]; !ok {
				t.Errorf("round %d: %s is not in a cold build", round, rel)
			}
		}
		if !slices.Equal(next.chunks, wantState.chunks) || !slices.Equal(next.lengths, wantState.lengths) {
			t.Errorf("round %d: the state differs from a cold build's", round)
		}
		if t.Failed() {
			t.FailNow()
		}
		files, st = got, next
	}
	// The point of it: a paragraph added to a few documents leaves most
	// chunks as they were.
	if perRound := rewritten / 3; perRound*4 > len(st.chunks) {
		t.Errorf("%d chunks of %d rewritten for a paragraph added", perRound, len(st.chunks))
	}
	t.Logf("%d chunks; %d rewritten in the 3 rounds that add a paragraph", len(st.chunks), rewritten)
}

// A state survives its encoding; a damaged one is an error.
func TestStateEncoding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	docs := corpusDocs(r, 50)
	_, st, _ := coldFiles(t, docs)
	b := st.AppendBinary(nil)
	got, err := DecodeState(b)
	if err != nil || !slices.Equal(got.chunks, st.chunks) || !slices.Equal(got.lengths, st.lengths) {
		t.Fatalf("decoded state differs (%v)", err)
	}
	for _, bad := range [][]byte{b[:len(b)-1], append(slices.Clip(b), 0), b[:3], nil} {
		if _, err := DecodeState(bad); err == nil {
			t.Errorf("a damaged state of %d bytes decoded", len(bad))
		}
	}
}

// Chunks whose short names collide are named apart by a cold build, and an
// update that would give two chunks one name, or keep a chunk named apart,
// fails (the build then makes the index whole) rather than differ.
func TestChunkNamesCollide(t *testing.T) {
	defer func(n int) { nameBytes = n }(nameBytes)
	nameBytes = 1 // 256 names: chunks share them
	r := rand.New(rand.NewPCG(5, 6))
	docs := corpusDocs(r, 700)
	files, st, recs := coldFiles(t, docs)
	long := 0
	for _, c := range st.chunks {
		if _, ok := files[chunkPath(c.Name)]; !ok {
			t.Fatalf("chunk %s has no file", c.Name)
		}
		if len(c.Name) > 2 {
			long++
		}
	}
	if n := len(st.chunks); len(files) != n+2+(len(docs)+FragsPerFile-1)/FragsPerFile {
		t.Errorf("%d files for %d chunks: chunks share a file", len(files), n)
	}
	if long == 0 {
		t.Fatalf("no two of %d chunks share a short name: the test needs more", len(st.chunks))
	}
	failed := 0
	for round := range 20 {
		id := r.IntN(len(docs))
		docs[id] = corpusDoc(r, id, round+1)
		rec, err := New().Record(docs[id])
		if err != nil {
			t.Fatal(err)
		}
		next, out, keep, err := Update(st, []Change{{ID: id, Old: recs[id], New: rec}}, func(rel string) ([]byte, error) {
			return []byte(files[rel]), nil
		})
		want, wantState, wantRecs := coldFiles(t, docs)
		if err == nil {
			got := map[string]string{}
			for _, rel := range keep {
				got[rel] = files[rel]
			}
			for _, f := range out {
				got[f.Rel] = string(f.Data)
			}
			if !maps.Equal(got, want) || !slices.Equal(next.chunks, wantState.chunks) {
				t.Fatalf("round %d: the update differs from a cold build", round)
			}
		} else {
			failed++
		}
		files, st, recs = want, wantState, wantRecs
	}
	if failed == 0 {
		t.Error("no update met a shared name")
	}
}

// A chunk whose terms did not change is kept by an update, so it must end
// where a cold build ends it even when the chunk after it changed: here,
// at every chunk's start, the first term is taken out of all but one of
// the documents that have it (its entry shrinks), and each update must be
// the cold build of the changed documents, byte for byte.
func TestUpdateWhereAChunkStartsShrinks(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	base := corpusDocs(r, 700)
	files, st, recs := coldFiles(t, base)
	tried := 0
	for i := 1; i < len(st.chunks); i++ {
		term := st.chunks[i].First
		docs := slices.Clone(base)
		var changes []Change
		keeps := false // one document keeps the term, so it stays in the index
		for id, d := range docs {
			body := strings.ReplaceAll(string(d.Body), " "+term+" ", " ")
			if body == string(d.Body) {
				continue
			}
			if !keeps {
				keeps = true
				continue
			}
			d.Body = []byte(body)
			docs[id] = d
			rec, err := New().Record(d)
			if err != nil {
				t.Fatal(err)
			}
			changes = append(changes, Change{ID: id, Old: recs[id], New: rec})
		}
		if len(changes) == 0 {
			continue
		}
		tried++
		next, out, keep, err := Update(st, changes, func(rel string) ([]byte, error) {
			data, ok := files[rel]
			if !ok {
				return nil, fmt.Errorf("no %s", rel)
			}
			return []byte(data), nil
		})
		if err != nil {
			t.Fatalf("chunk %d (%q): %v", i, term, err)
		}
		got := map[string]string{}
		for _, rel := range keep {
			got[rel] = files[rel]
		}
		for _, f := range out {
			got[f.Rel] = string(f.Data)
		}
		want, wantState, _ := coldFiles(t, docs)
		if !maps.Equal(got, want) || !slices.Equal(next.chunks, wantState.chunks) {
			t.Errorf("chunk %d (%q shrunk in %d documents): the update differs from a cold build", i, term, len(changes))
		}
	}
	if tried < len(st.chunks)/2 {
		t.Fatalf("only %d of %d chunk starts could be shrunk: the test needs more", tried, len(st.chunks))
	}
	t.Logf("%d chunk starts shrunk", tried)
}
