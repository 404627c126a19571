package render

import (
	"bytes"
	"strings"
	"testing"
)

// A body is put in place of the one marker after the page's start, whether
// it is longer or shorter than the marker; a page with no marker or two is
// left for the layout to be executed with the body.
func TestSpliceBody(t *testing.T) {
	m := string(bodyMarker)
	for _, c := range []struct {
		page, body, want string
		ok               bool
	}{
		{"<p>before</p>" + m + "<p>after</p>", "<h2>A long body, longer than the marker</h2>", "<p>before</p><h2>A long body, longer than the marker</h2><p>after</p>", true},
		{"<a>" + m + "</a>", "x", "<a>x</a>", true},
		{m, "", "", true},
		{"<a>no marker</a>", "x", "", false},
		{m + "<a>twice</a>" + m, "x", "", false},
	} {
		var buf bytes.Buffer
		buf.WriteString("HEAD")
		buf.WriteString(c.page)
		ok := spliceBody(&buf, len("HEAD"), []byte(c.body))
		if ok != c.ok || ok && buf.String() != "HEAD"+c.want {
			t.Errorf("spliceBody(%q, %q) = %v, %q; want %v, %q", c.page, c.body, ok, buf.String(), c.ok, "HEAD"+c.want)
		}
	}
	if strings.Contains(escapedForTest("\x00"), "\x00") {
		t.Error("escaped text keeps NUL: the marker could be written by a document")
	}
}

func escapedForTest(s string) string {
	var b strings.Builder
	escHTML(&b, s)
	return b.String()
}
