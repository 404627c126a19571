package check

import (
	"bytes"
	"strings"
	"testing"
)

func TestNearMiss(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"pyhton-backend-engineer", "python-backend-engineer", true}, // swapped letters
		{"python-backend-enginer", "python-backend-engineer", true},
		{"python-backend-egineerr", "python-backend-engineer", true}, // two edits, long name
		{"Python_Backend_Engineer", "python-backend-engineer", true}, // separators and case
		{"ui-enginer", "ui-engineer", true},
		{"ux-engineer", "ui-engineer", true},
		{"ui-designer", "ui-engineer", false},
		{"ui-engineer", "ui-engineer-enhanced", false},
		{"worker-v1", "worker-v2", false},
		{"qa", "pm", false},
		{"coder", "codex", false}, // two short words a letter apart need an exact squash
		{"same", "same", false},
	}
	for _, tt := range tests {
		if got := nearMiss(tt.a, tt.b); got != tt.want {
			t.Errorf("nearMiss(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	r := &Report{Findings: []Finding{{Source: "a,b:c%.md", Line: 3, Severity: "error", Code: "broken-link", Message: "100% broken\r\nnext: line, here"}}}
	var b bytes.Buffer
	if err := Write(&b, "github", "content", r); err != nil {
		t.Fatal(err)
	}
	want := "::error file=content/a%2Cb%3Ac%25.md,line=3,title=broken-link::100%25 broken%0D%0Anext: line, here\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", ".", &Report{})
	if err == nil || !strings.Contains(err.Error(), "github") {
		t.Errorf("got %v, want an error listing the formats", err)
	}
}
