package plan

import (
	"net/url"
	"strings"
)

// EscapePath percent-escapes each segment of a slash-separated path for a
// URL: a file named "hash#tag.md" or "what?.md" has its page at
// /hash%23tag/, not at /hash followed by a fragment. Spaces, "%", control
// characters and non-ASCII letters are escaped too; "/" stays a separator.
func EscapePath(p string) string {
	if !needsEscape(p) {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func needsEscape(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0) {
			return true
		}
	}
	return false
}
