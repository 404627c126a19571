// Command floor is what plansite's speed is measured against: goldmark with
// GFM parsing and rendering every Markdown file under a source directory on
// every core, and writing each as HTML in plansite's layout
// (docs/x.md → docs/x/index.html), as a whole process. It does nothing a
// plansite build could skip, so a build cannot beat it cold.
//
//	floor SOURCE DEST
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/plansite/plansite/internal/workers"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: floor SOURCE DEST")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(src, dest string) error {
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	var failed atomic.Value
	workers.Each(len(files), func(i int) {
		raw, err := os.ReadFile(files[i])
		if err == nil {
			var out bytes.Buffer
			if err = md.Convert(raw, &out); err == nil {
				rel, _ := filepath.Rel(src, files[i])
				p := filepath.Join(dest, strings.TrimSuffix(rel, filepath.Ext(rel)), "index.html")
				if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
					err = os.WriteFile(p, out.Bytes(), 0o644)
				}
			}
		}
		if err != nil {
			failed.CompareAndSwap(nil, err)
		}
	})
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	return nil
}
