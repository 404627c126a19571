package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// corpusDocs are the documents of both corpora and of our own testdata, by
// their paths: the tests that hold a hand-written reader to what it
// replaces run it on every one of them.
func corpusDocs(t *testing.T) map[string][]byte {
	docs := map[string][]byte{}
	for _, dir := range []string{testcorpus.MeatyMusic(t), testcorpus.Conventions(t), testcorpus.Testdata(t)} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				b, _ := os.ReadFile(p)
				docs[p] = b
			}
			return nil
		})
	}
	return docs
}

// corpusLines are the lines of every document of corpusDocs.
func corpusLines(t *testing.T) []string {
	var lines []string
	for _, b := range corpusDocs(t) {
		lines = append(lines, strings.Split(string(b), "\n")...)
	}
	return lines
}
