package plan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// acronyms are words folder and file names write in lower case that a title
// writes in capitals. One table: add a word here and every title made from a
// name spells it so.
var acronyms = wordSet(
	"adr", "ai", "api", "aws", "cd", "ci", "cli", "cms", "crm", "css", "db", "dns", "e2e", "faq",
	"gpu", "html", "http", "id", "io", "json", "jwt", "k8s", "llm", "mcp", "ml", "mvp", "okr",
	"pr", "prd", "qa", "rfc", "sdk", "seo", "sla", "slo", "sql", "sso", "uat", "ui", "url", "ux",
	"xml",
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// NameTitle makes a title of a folder or file name: "-" and "_" become
// spaces and the first letter a capital, as Hugo and MkDocs name a section.
// A word keeps the spelling acronyms and brand names have: a known acronym
// is written in capitals ("adr" is ADR), a word one of the texts (the titles
// of the documents the name stands for) spells with a capital inside it is
// spelled so ("grpc" beside "the gRPC gateway" is gRPC), and a word the
// name itself writes with a capital is kept ("iOS", "GraphQL").
func NameTitle(name string, texts ...string) string {
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	if strings.TrimSpace(name) == "" {
		return name
	}
	words := strings.Split(name, " ")
	first := -1
	for i, w := range words {
		if w == "" {
			continue
		}
		if first < 0 {
			first = i
		}
		if w != strings.ToLower(w) {
			continue
		}
		if sp := spelledInside(w, texts); sp != "" {
			words[i] = sp
		} else if acronyms[w] {
			words[i] = strings.ToUpper(w)
		}
	}
	if w := words[first]; w == strings.ToLower(w) {
		r, size := utf8.DecodeRuneInString(w)
		words[first] = string(unicode.ToUpper(r)) + w[size:] // the first letter, not byte
	}
	return strings.Join(words, " ")
}

// spelledInside is how one of texts spells word, as a word of its own, when
// it writes a capital after the word's first letter ("GRPC", "gRPC"; not
// "Grpc", which is only a sentence's start). A word inside a longer one
// ("ADRS") or hyphened to one ("RATE-LIMITED" is shouting, not an acronym;
// "ADR-0001" is the acronym) does not count.
func spelledInside(word string, texts []string) string {
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			return "" // folded spellings of other scripts may differ in length
		}
	}
	n := len(word)
	for _, t := range texts {
		for i := 0; i+n <= len(t); i++ {
			if t[i]|0x20 != word[0]|0x20 { // not the first letter in either case
				continue
			}
			sp := t[i : i+n]
			if !strings.EqualFold(sp, word) || strings.ToLower(sp[1:]) == sp[1:] {
				continue
			}
			if !joined(t[:i], true) && !joined(t[i+n:], false) {
				return sp
			}
		}
	}
	return ""
}

// joined reports whether the text beside a word (before it when before is
// set, else after it) continues that word: a letter or digit, or a hyphen
// and a letter.
func joined(beside string, before bool) bool {
	next := func(s string) (rune, string) {
		if before {
			r, n := utf8.DecodeLastRuneInString(s)
			return r, s[:len(s)-n]
		}
		r, n := utf8.DecodeRuneInString(s)
		return r, s[n:]
	}
	if beside == "" {
		return false
	}
	r, rest := next(beside)
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	if r != '-' || rest == "" {
		return false
	}
	r, _ = next(rest)
	return unicode.IsLetter(r)
}
