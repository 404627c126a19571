package check_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/check"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/plan"
)

// tree writes files (slash paths → text) into a temporary directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run checks dir as the CLI does, as of now.
func run(t *testing.T, dir string, now time.Time) (*check.Report, error) {
	t.Helper()
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := build.Load(dir, "", "test", cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	known, err := check.KnownAgents(dir)
	if err != nil {
		t.Fatal(err)
	}
	// No source reader: the lines of agent names come from the model.
	return check.Run(m.Site, check.Options{Now: now, StaleDays: cfg.Check.StaleDays, Rules: cfg.Check.Rules, KnownAgents: known})
}

// task is a task section assigned to agent.
func task(id, agent string) string {
	return "\n#### " + id + " Do something\n- **Status**: Not Started\n- **Assigned**: " + agent + "\n"
}

var day = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestRules(t *testing.T) {
	inProgress := "# Phase 1: Build\n\n**Status**: In Progress\n**Last Updated**: 2026-02-01\n\n## Work Log\n\n### 2026-02-10: Started\n\nNotes.\n"
	tests := []struct {
		name  string
		files map[string]string
		now   time.Time
		want  []string // "source:line: severity: code", in order; only these codes are compared
		codes []plan.Code
	}{
		{
			name: "agent typo against a name used more often",
			files: map[string]string{"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "python-backend-engineer") + task("1.2", "python-backend-engineer") +
				task("1.3", "pyhton-backend-engineer")},
			codes: []plan.Code{check.CodeAgentTypo},
			want:  []string{"plan.md:15: warning: agent-typo"},
		},
		{
			name:  "separators and case differ",
			files: map[string]string{"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "ui-engineer") + task("1.2", "ui-engineer") + task("1.3", "ui_engineer")},
			codes: []plan.Code{check.CodeAgentTypo},
			want:  []string{"plan.md:15: warning: agent-typo"},
		},
		{
			name: "agent typo against .claude/agents",
			files: map[string]string{".claude/agents/ui-engineer.md": "# UI engineer\n",
				"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "ui-enginer")},
			codes: []plan.Code{check.CodeAgentTypo},
			want:  []string{"plan.md:7: warning: agent-typo"},
		},
		{
			name: "two defined agents a letter apart are both real",
			files: map[string]string{".claude/agents/ui-engineer.md": "x\n", ".claude/agents/ux-engineer.md": "x\n",
				"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "ui-engineer") + task("1.2", "ui-engineer") + task("1.3", "ux-engineer")},
			codes: []plan.Code{check.CodeAgentTypo},
		},
		{
			name:  "names that differ in digits are different agents",
			files: map[string]string{"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "worker-v1") + task("1.2", "worker-v1") + task("1.3", "worker-v2")},
			codes: []plan.Code{check.CodeAgentTypo},
		},
		{
			name:  "short names are not typos of each other",
			files: map[string]string{"plan.md": "# Plan\n\n## Tasks\n" + task("1.1", "qa") + task("1.2", "qa") + task("1.3", "pm")},
			codes: []plan.Code{check.CodeAgentTypo},
		},
		{
			name:  "stale: newest work-log entry is too old",
			files: map[string]string{"phase-1-build.md": inProgress},
			now:   day,
			codes: []plan.Code{check.CodeStale},
			want:  []string{"phase-1-build.md:8: warning: stale"},
		},
		{
			name:  "not stale within the configured days",
			files: map[string]string{"phase-1-build.md": inProgress, "plansite.toml": "[check]\nstale_days = 30\n"},
			now:   day,
			codes: []plan.Code{check.CodeStale},
		},
		{
			name:  "stale at the updated line when there is no work log",
			files: map[string]string{"phase-1-build.md": "# Phase 1: Build\n\n**Status**: In Progress\n**Last Updated**: 2026-02-01\n"},
			now:   day,
			codes: []plan.Code{check.CodeStale},
			want:  []string{"phase-1-build.md:4: warning: stale"},
		},
		{
			name:  "complete documents are never stale",
			files: map[string]string{"phase-1-build.md": "# Phase 1: Build\n\n**Status**: Complete\n**Last Updated**: 2020-02-01\n"},
			now:   day,
			codes: []plan.Code{check.CodeStale},
		},
		{
			name: "next not reciprocal, at the Next Phase line",
			files: map[string]string{
				"p/phase-1-a.md": "# Phase 1: A\n\n**Status**: Complete\n\n---\n\n**Next Phase**: [Phase 3](./phase-3-c.md)\n",
				"p/phase-2-b.md": "# Phase 2: B\n\n**Status**: Complete\n\n---\n\n**Previous Phase**: [Phase 1](./phase-1-a.md)\n",
				"p/phase-3-c.md": "# Phase 3: C\n\n**Status**: Complete\n\n---\n\n**Previous Phase**: [Phase 2](./phase-2-b.md)\n",
			},
			codes: []plan.Code{"prev-next-not-reciprocal"},
			want:  []string{"p/phase-1-a.md:7: warning: prev-next-not-reciprocal"},
		},
		{
			name:  "a rule raised to error",
			files: map[string]string{"a.md": "# A\n\nSee [b](./b.md).\n", "plansite.toml": "[check.rules]\nbroken-link = \"error\"\n"},
			codes: []plan.Code{"broken-link"},
			want:  []string{"a.md:3: error: broken-link"},
		},
		{
			name:  "a rule turned off",
			files: map[string]string{"a.md": "# A\n\nSee [b](./b.md).\n", "plansite.toml": "[check.rules]\nbroken-link = \"off\"\n"},
			codes: []plan.Code{"broken-link"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := run(t, tree(t, tt.files), tt.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				for _, c := range tt.codes {
					if f.Code == c {
						got = append(got, f.Source+":"+strconv.Itoa(f.Line)+": "+string(f.Severity)+": "+string(f.Code))
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s\nall: %+v", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), rep.Findings)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	dir := tree(t, map[string]string{"a.md": "# A\n\nSee [b](./b.md).\n", "plansite.toml": "[check.rules]\nbroken-link = \"error\"\n"})
	rep, err := run(t, dir, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 1 || rep.Warnings != 0 || !rep.Failed(false) {
		t.Errorf("errors %d warnings %d failed %v", rep.Errors, rep.Warnings, rep.Failed(false))
	}
}

func TestValidateRules(t *testing.T) {
	for _, rules := range []map[string]string{{"broken-links": "off"}, {"broken-link": "fatal"}} {
		err := check.ValidateRules("dir/plansite.toml", rules)
		if err == nil || !strings.Contains(err.Error(), "dir/plansite.toml") {
			t.Errorf("%v: got %v, want an error naming plansite.toml", rules, err)
		}
	}
	if err := check.ValidateRules("plansite.toml", map[string]string{"stale": "off", "agent-typo": "error", "unreadable": "warning"}); err != nil {
		t.Error(err)
	}
}
