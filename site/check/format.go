package check

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/textout"
)

// Formats are the output formats of a report.
var Formats = []string{"text", "json", "github"}

// Write prints the report in format. Each finding's path is root joined with
// its source, so paths read from where the command ran.
func Write(w io.Writer, format, root string, r *Report) error {
	switch format {
	case "text":
		return writeText(w, root, r)
	case "json":
		return writeJSON(w, root, r)
	case "github":
		return writeGitHub(w, root, r)
	}
	return fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(Formats, ", "))
}

// Path is where a finding is, as printed: slash-separated, under root.
func Path(root, source string) string {
	if source == "" {
		source = "."
	}
	return path.Join(strings.ReplaceAll(root, `\`, "/"), source)
}

// writeText prints path:line: severity: message [code], the form editors
// and CI log scanners read; the code is the name to use in [check.rules].
// Paths and messages are escaped, so that no file name starts a line.
func writeText(w io.Writer, root string, r *Report) error {
	for _, f := range r.Findings {
		if _, err := fmt.Fprintf(w, "%s:%d: %s: %s [%s]\n", textout.Escape(Path(root, f.Source)), max(f.Line, 1), f.Severity, textout.Escape(f.Message), f.Code); err != nil {
			return err
		}
	}
	return nil
}

type jsonFinding struct {
	Path string `json:"path"`
	Finding
}

func writeJSON(w io.Writer, root string, r *Report) error {
	out := struct {
		Problems []jsonFinding `json:"problems"`
		Errors   int           `json:"errors"`
		Warnings int           `json:"warnings"`
	}{Problems: []jsonFinding{}, Errors: r.Errors, Warnings: r.Warnings}
	for _, f := range r.Findings {
		out.Problems = append(out.Problems, jsonFinding{Path: Path(root, f.Source), Finding: f})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeGitHub prints workflow commands, which GitHub Actions shows as
// annotations on the lines of a pull request.
func writeGitHub(w io.Writer, root string, r *Report) error {
	for _, f := range r.Findings {
		cmd := "warning"
		switch f.Severity {
		case plan.SevError:
			cmd = "error"
		case plan.SevInfo:
			cmd = "notice"
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", cmd,
			escapeProperty(Path(root, f.Source)), max(f.Line, 1), escapeProperty(string(f.Code)), escapeData(f.Message))
		if err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message as the runner requires,
// and the other control characters as textout does (an escape sequence
// would rewrite the log's display).
func escapeData(s string) string {
	return textout.Escape(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a workflow command's property value, where , and :
// would end the value.
func escapeProperty(s string) string {
	return textout.Escape(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
