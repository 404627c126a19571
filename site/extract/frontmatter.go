package extract

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"github.com/plansite/plansite/site/plan"
)

// frontMatter reads YAML (---) or TOML (+++) front matter into fields and
// blanks it in the source, keeping its newlines so line numbers stay true.
func (w *walker) frontMatter() []field {
	src := w.src
	var delim []byte
	switch {
	case bytes.HasPrefix(src, []byte("---\n")):
		delim = []byte("---")
	case bytes.HasPrefix(src, []byte("+++\n")):
		delim = []byte("+++")
	default:
		return nil
	}
	end := -1
	for off := len(delim) + 1; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		line := src[off:]
		if nl >= 0 {
			line = src[off : off+nl]
		}
		if bytes.Equal(bytes.TrimRight(line, " \t"), delim) || string(delim) == "---" && bytes.Equal(bytes.TrimRight(line, " \t"), []byte("...")) {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		// "---" on line 1 with no closer is a thematic break, not front matter;
		// say so, since the author probably meant front matter.
		if string(delim) == "+++" || looksLikeYAMLKeys(src[4:]) {
			w.problem(1, plan.SevWarning, plan.CodeFrontMatterUnterminated, "front matter opened with %q on line 1 is never closed; read as Markdown", delim)
		}
		return nil
	}
	body := src[len(delim)+1 : end]
	var m map[string]any
	var err error
	if string(delim) == "---" {
		err = yaml.Unmarshal(body, &m)
	} else {
		_, err = toml.Decode(string(body), &m)
	}
	closeEnd := end + len(delim)
	for closeEnd < len(src) && src[closeEnd] != '\n' {
		closeEnd++
	}
	if err != nil {
		w.problem(1, plan.SevWarning, plan.CodeFrontMatterInvalid, "front matter does not parse: %v; none of it is used", err)
		// What the decoder read before it failed is not what the author
		// meant, and can be huge (an alias bomb stopped at its limit).
		m = nil
	}
	var out []field
	// Nested maps are read as dotted keys: progress.percent.
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			delete(m, k)
			for sk, sv := range sub {
				m[k+"."+sk] = sv
			}
		}
	}
	lineOfKey := func(k string) int {
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			k = k[i+1:]
		}
		if i := bytes.Index(body, []byte(k)); i >= 0 {
			return 2 + bytes.Count(body[:i], []byte("\n"))
		}
		return 1
	}
	for k, v := range m {
		f := field{key: normKey(k), label: k, value: yamlText(v), line: lineOfKey(k)}
		switch v.(type) {
		case int, float64:
			if f.key == "completion" {
				f.value += "%" // progress.percent: 90
			}
		}
		out = append(out, f)
	}
	// Blank the front matter, newlines kept.
	for i := 0; i < closeEnd && i < len(src); i++ {
		if src[i] != '\n' {
			src[i] = ' '
		}
	}
	return out
}

// yamlText writes a front-matter value as text: a list joined by commas,
// a map as "key: value" pairs (GSD's must_haves.key_links is a list of
// them, joined by semicolons), never Go's own map syntax.
func yamlText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case time.Time:
		// YAML reads an unquoted date as a time.
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format("2006-01-02")
		}
		return t.Format(time.RFC3339)
	case []any:
		parts := make([]string, 0, len(t))
		sep := ", "
		for _, e := range t {
			if _, ok := e.(map[string]any); ok {
				sep = "; "
			}
			parts = append(parts, yamlText(e))
		}
		return strings.Join(parts, sep)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+yamlText(t[k]))
		}
		return strings.Join(parts, ", ")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func looksLikeYAMLKeys(b []byte) bool {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		nl = len(b)
	}
	first := b[:nl]
	c := bytes.IndexByte(first, ':')
	return c > 0 && bytes.IndexByte(first[:c], ' ') < 0
}
