package build

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/source"
)

// racyWindow: a file changed this close to when it was looked at may
// change again without its times showing it, so it is hashed next time.
var racyWindow = 2 * time.Second

// docFilesKey names the record of the documents' files under src.
func docFilesKey(src string) cache.Key {
	abs, err := filepath.Abs(src)
	if err != nil {
		abs = src
	}
	return cache.NewHasher("doc files").String(abs).Sum()
}

// sums hashes every document of the tree ("" where it cannot be read: the
// read stage reports it), taking from known the hash of a file that did not
// change since; it returns what is known of each file now.
func sums(tree *source.Tree, known map[string]docFile) ([]string, map[string]docFile) {
	out, stats := statSums(tree, known, true)
	return out, fileRecord(tree, stats, out)
}

// statSums looks at every document of the tree: its hash where known
// tells it (the file did not change since), else, when hashAll, read and
// hashed ("" where it cannot be read: the read stage reports it), else ""
// for the read stage to fill in as it reads the document (a build that
// cannot be the last one again reads each document once, not twice). The
// stats are what vouches for each hash (see fileRecord).
func statSums(tree *source.Tree, known map[string]docFile, hashAll bool) ([]string, []docFile) {
	out := make([]string, len(tree.Docs))
	stats := make([]docFile, len(tree.Docs))
	now := time.Now().Add(-racyWindow).UnixNano()
	readDoc, closeDocs := openDocs(tree.Root)
	defer closeDocs()
	workers.Each(len(tree.Docs), func(i int) {
		rel := tree.Docs[i]
		fi, err := os.Stat(filepath.Join(tree.Root, filepath.FromSlash(rel)))
		var f docFile
		if err == nil && fi.Mode().IsRegular() {
			f = docFile{Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
			f.Ino, f.CTime = fileID(fi)
			if k, ok := known[rel]; ok && k.Sum != "" && f.Ino != 0 && k == (docFile{f.Size, f.MTime, f.CTime, f.Ino, k.Sum}) {
				out[i], stats[i] = k.Sum, k
				return
			}
		}
		if f.MTime >= now || f.CTime >= now {
			f = docFile{} // too fresh to vouch for its content next time
		}
		if !hashAll {
			stats[i] = f
			return
		}
		if raw, err := readDoc(rel); err == nil {
			s := sha256.Sum256(raw)
			out[i] = hex.EncodeToString(s[:])
			if f.Size == int64(len(raw)) {
				stats[i] = f
			}
		}
	})
	return out, stats
}

// fileRecord is what the next build may take on trust: each document's
// hash, with the identity and times it had when looked at before it was
// read. (Changed after that, its times or size differ next time and it is
// read again.)
func fileRecord(tree *source.Tree, stats []docFile, sums []string) map[string]docFile {
	files := make(map[string]docFile, len(tree.Docs))
	for i, rel := range tree.Docs {
		if f := stats[i]; f.Ino != 0 && sums[i] != "" {
			f.Sum = sums[i]
			files[rel] = f
		}
	}
	return files
}

// lastDocFiles is what the last build knew of the documents' files.
func (e *engine) lastDocFiles() map[string]docFile {
	b, ok := e.cache.Get(docFilesKey(e.opts.Source))
	if !ok {
		return nil
	}
	var m docFiles
	if _, err := m.UnmarshalMsg(b); err != nil {
		return nil
	}
	return m
}

// rememberDocFiles keeps what this build knew of the documents' files, when
// it differs from what the last one did.
func (e *engine) rememberDocFiles(last, now map[string]docFile) {
	if e.cache == nil || len(now) == 0 || maps.Equal(last, now) {
		return
	}
	if b, err := docFiles(now).MarshalMsg(nil); err == nil {
		_ = e.cache.Put(docFilesKey(e.opts.Source), b)
	}
}
