package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/site/plan"
)

func TestNormalizeStatus(t *testing.T) {
	cases := map[string]string{
		"In Progress":                           plan.InProgress,
		"IN PROGRESS":                           plan.InProgress,
		"In Progress (0%)":                      plan.InProgress,
		"Not Started":                           plan.NotStarted,
		"Not Yet Started":                       plan.NotStarted,
		"Not implemented":                       plan.NotStarted,
		"Planned":                               plan.NotStarted,
		"Draft for Wave 2 Implementation":       plan.NotStarted,
		"Ready for Implementation":              plan.NotStarted,
		"⏳ Pending":                             plan.NotStarted,
		"**🔄 In Progress**":                     plan.InProgress,
		"⚠️ PARTIAL":                            plan.InProgress,
		"✅ PARTIAL SUCCESS (as expected)":       plan.InProgress,
		"Blocked":                               plan.Blocked,
		"DEFERRED (Manual validation complete)": plan.Deferred,
		"0% - Deferred to post-MVP":             plan.Deferred,
		"⏭️":                                    plan.Deferred,
		"Complete":                              plan.Complete,
		"COMPLETED ✓":                           plan.Complete,
		"✅":                                     plan.Complete,
		"✅ COMPLETE - 92% Complete (Ready for Phase 4)":                   plan.Complete,
		"Phase 5 Complete ✅ - All phases complete, ready for integration": plan.Complete,
		"Wave 3 Complete - Moving to Wave 4":                              plan.InProgress,
		"Phase 0 Complete, Phase 1 Ready to Start":                        plan.InProgress,
		"P0 Implementation In Progress (3 of 5 complete)":                 plan.InProgress,
		"🎉 ALL P0 TASKS COMPLETE! (81/81 pts)":                            plan.Complete,
		"PASS WITH MINOR DOCUMENTATION ISSUES":                            plan.Complete,
		"APPROVED for Phase 4.2":                                          plan.Complete,
		"Production Ready ✅":                                              plan.Complete,
		"❌ Critical":                                                      plan.Failed,
		"failed":                                                          plan.Failed,
		"NOT STARTED | IN PROGRESS | BLOCKED | COMPLETE":                  plan.Unknown,
		"[Current status]":                                                plan.Unknown,
		"{{STATUS}}":                                                      plan.Unknown,
		"":                                                                plan.Unknown,
		"Compatible with Python 3.8+":                                     plan.Unknown,
		"executing":                                                       plan.InProgress,
		"Paused":                                                          plan.Blocked,
		"已完成":                                                             plan.Complete,
		"进行中":                                                             plan.InProgress,
		"未着手":                                                             plan.NotStarted,
		"진행 중":                                                            plan.InProgress,
		"Hoàn thành":                                                      plan.Complete,
		"Đang thực hiện":                                                  plan.InProgress,
		"En curso":                                                        plan.InProgress,
		"Terminé":                                                         plan.Complete,
		"In Bearbeitung":                                                  plan.InProgress,
		"Concluído":                                                       plan.Complete,
		"В работе":                                                        plan.InProgress,
		"Не начато":                                                       plan.NotStarted,
		"未完成":                                                             plan.InProgress,
	}
	for in, want := range cases {
		if got := NormalizeStatus(in); got != want {
			t.Errorf("NormalizeStatus(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	cases := map[string]string{
		"2025-11-12":                "2025-11-12",
		"2025-11-12 2:00 PM EST":    "2025-11-12T14:00:00-05:00",
		"2025-11-12 12:05 AM PST":   "2025-11-12T00:05:00-08:00",
		"2025-11-12 14:30 EST":      "2025-11-12T14:30:00-05:00",
		"2025-07-01 9:15 am EDT":    "2025-07-01T09:15:00-04:00",
		"2025-11-12 14:30 CDT":      "2025-11-12T14:30:00-05:00",
		"2025-11-12 14:30 MST":      "2025-11-12T14:30:00-07:00",
		"2025-11-12 14:30 MDT":      "2025-11-12T14:30:00-06:00",
		"2025-11-12 14:30 PDT":      "2025-11-12T14:30:00-07:00",
		"2025-11-12 14:30 CST":      "2025-11-12T14:30:00-06:00",
		"2025-11-12 14:30 GMT":      "2025-11-12T14:30:00Z",
		"2025-11-12 14:30 UTC":      "2025-11-12T14:30:00Z",
		"2025-11-12T14:30:00Z":      "2025-11-12T14:30:00Z",
		"2025-11-12T14:30:00+02:00": "2025-11-12T14:30:00+02:00",
		"2025-11-19 16:45":          "2025-11-19T16:45:00Z",
		"November 17, 2025":         "2025-11-17",
		"Nov 12, 2025":              "2025-11-12",
		"Sept 3 2025":               "2025-09-03",
	}
	for in, want := range cases {
		ts, ok := ParseTimestamp(in, time.UTC)
		if !ok || ts.RFC3339() != want {
			t.Errorf("ParseTimestamp(%q) = %q, %v; want %q", in, ts.RFC3339(), ok, want)
		}
	}
	for _, bad := range []string{"2025-13-01", "2025-02-30", "2025-11-12 25:00", "YYYY-MM-DD", "soon", "12/11/2025"} {
		if ts, ok := ParseTimestamp(bad, time.UTC); ok && ts.Len == len(bad) {
			t.Errorf("ParseTimestamp(%q) accepted: %s", bad, ts.RFC3339())
		}
	}
}

func TestParseAgents(t *testing.T) {
	cases := map[string]string{
		"python-backend-engineer":                                       "python-backend-engineer:",
		"`python-backend-engineer` + `ui-engineer`":                     "python-backend-engineer: ui-engineer:",
		"python-backend-engineer (primary), backend-architect (review)": "python-backend-engineer:primary backend-architect:review",
		"**lead-architect** (infrastructure/architecture)":              "lead-architect:",
		"@frontend-developer":                                           "frontend-developer:",
		"data-layer-expert (1.2 only)":                                  "data-layer-expert:",
		"a-eng or b-eng":                                                "a-eng: b-eng:",
		"None needed":                                                   "",
		"—":                                                             "",
		"N/A":                                                           "",
		"Skill Dev Lead":                                                "",
		"TBD":                                                           "",
	}
	for in, want := range cases {
		got := ""
		for i, a := range parseAgents(in) {
			if i > 0 {
				got += " "
			}
			got += a.name + ":" + a.role
		}
		if got != want {
			t.Errorf("parseAgents(%q) = %q, want %q", in, got, want)
		}
	}
	if m := parseAgents("data-layer-expert (1.2 only)"); len(m) != 1 || len(m[0].only) != 1 || m[0].only[0] != "1.2" {
		t.Errorf("only-qualifier = %+v", m)
	}
}

// TestVocabularyPrechecks holds every pre-check derived from a vocabulary
// table to its regexp: no text the regexp matches fails the pre-check.
// Checked on every line of both corpora and of our own testdata, and on each
// table word in its written variants (Title Case, UPPER, snake_case,
// kebab-case, inside a sentence).
func TestVocabularyPrechecks(t *testing.T) {
	values := vocabValues(t)
	var words []vocabWord
	for _, m := range []wordMatcher{gateWords, logWords} {
		words = append(words, m.words...)
	}
	for _, s := range statusWords {
		words = append(words, s.words...)
	}
	matched, phases := 0, 0
	seen := map[string]bool{}
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		lower := strings.ToLower(v)
		for _, w := range words {
			if w.re.MatchString(lower) {
				matched++
				if !strings.Contains(lower, w.hint) {
					t.Errorf("%s matches %q but lacks its hint %q", w.re, lower, w.hint)
				}
			}
		}
		heading := cleanHeading(strings.TrimLeft(v, "# "))
		if phaseHeadRe.MatchString(heading) || phaseTitleRe.MatchString(heading) {
			phases++
			if !startsWithPhaseWord(heading) {
				t.Errorf("phase pattern matches %q but the phase-word pre-check refuses it", heading)
			}
		}
	}
	if matched < 2000 || phases < 100 {
		t.Errorf("only %d word and %d phase matches: the check saw too little", matched, phases)
	}
}

// TestKeyVocabularyIsAFunction: a name folds to one key only, and every key
// is its own name's fold (so a key written as the key reads as itself).
func TestKeyVocabularyIsAFunction(t *testing.T) {
	seen := map[string]string{}
	for _, k := range keyVocab {
		for _, n := range k.names {
			f := foldKey(n)
			if f == "" {
				t.Errorf("%q folds to nothing", n)
			}
			if prev, ok := seen[f]; ok && prev != k.key {
				t.Errorf("%q folds to %q, a name of both %s and %s", n, f, prev, k.key)
			}
			seen[f] = k.key
		}
	}
	for _, c := range []struct{ label, key string }{
		{"状态", "status"}, {"ステータス", "status"}, {"Trạng thái", "status"}, {"Estado", "status"}, {"Статус", "status"},
		{"完成度", "completion"}, {"Ngày cập nhật", "updated"}, {"Dernière mise à jour", "updated"}, {"Zuletzt aktualisiert", "updated"},
		{"测试状态", "test-status"}, {"Phiên bản", "version"}, {"Sprint hiện tại", "sprint"}, {"Assigned Subagent(s)", "assigned"},
	} {
		if got := normKey(c.label); got != c.key {
			t.Errorf("normKey(%q) = %q, want %q", c.label, got, c.key)
		}
	}
}

// vocabValues are every line of both corpora and of our own testdata, and
// each table word in its written variants (Title Case, UPPER, snake_case,
// kebab-case, inside a sentence).
func vocabValues(t *testing.T) []string {
	var values []string
	variants := func(w string) {
		title := strings.ToUpper(w[:1]) + w[1:]
		values = append(values, w, strings.ToUpper(w), title, strings.ReplaceAll(w, " ", "_"), strings.ReplaceAll(w, " ", "-"),
			"status: "+w+" since monday", "("+title+")", "**"+w+"**")
	}
	for _, s := range statusVocab {
		for _, w := range s.words {
			variants(w)
		}
	}
	for _, ws := range [][]string{gateVocab, logVocab, phaseVocab} {
		for _, w := range ws {
			variants(w)
			values = append(values, w+" 2: title", strings.ToUpper(w[:1])+w[1:]+" 3 — title")
		}
	}
	return append(values, corpusLines(t)...)
}

// TestWordMatchersAgreeWithRegexps holds the hand-written word matchers to
// the regexps the tables describe: on every value, the first word found (the
// longest there, the first listed of equals) is the one the earliest match
// of each word's regexp says, and match agrees with any regexp matching.
func TestWordMatchersAgreeWithRegexps(t *testing.T) {
	byRegexps := func(m *wordMatcher, lower string) (start, end int, class string) {
		start, end = -1, -1
		for _, w := range m.words {
			if loc := w.re.FindStringIndex(lower); loc != nil && (start < 0 || loc[0] < start || loc[0] == start && loc[1] > end) {
				start, end, class = loc[0], loc[1], w.class
			}
		}
		return start, end, class
	}
	matchers := map[string]*wordMatcher{"status": &statusMatcher, "gate": &gateWords, "log": &logWords}
	for i := range relations {
		matchers["relation "+relations[i].class] = &relations[i].wordMatcher
	}
	found := 0
	for _, v := range append(vocabValues(t), "in  -_progress", "a_complete", "completed_", "not-yet started", "échouée!", "xéchoué", "") {
		lower := strings.ToLower(v)
		for name, m := range matchers {
			ws, we, wc := byRegexps(m, lower)
			gs, ge, gc := m.find(lower)
			if gs != ws || ge != we || gc != wc {
				t.Errorf("%s words in %q: found [%d,%d) %q, the regexps say [%d,%d) %q", name, lower, gs, ge, gc, ws, we, wc)
			}
			if m.match(lower) != (ws >= 0) {
				t.Errorf("%s words in %q: match says %v", name, lower, m.match(lower))
			}
			if isASCII(v) {
				if fs, fe, fc := m.findASCII(v); fs != ws || fe != we || fc != wc {
					t.Errorf("%s words in %q as written: found [%d,%d) %q, the regexps say [%d,%d) %q", name, v, fs, fe, fc, ws, we, wc)
				}
			}
			if ws >= 0 {
				found++
			}
		}
	}
	if found < 2000 {
		t.Errorf("only %d values hold a word: the check saw too little", found)
	}
}
