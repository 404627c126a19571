package main

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/plansite/plansite/site/extract"
)

func main() {
	root := os.Args[1]
	for _, p := range os.Args[2:] {
		b, _ := os.ReadFile(root + "/" + p)
		r := extract.Extract(strings.TrimPrefix(p, "./"), b, extract.Options{})
		e := json.NewEncoder(os.Stdout)
		e.SetIndent("", " ")
		e.Encode(r.Doc)
	}
}
