package chart

import (
	"fmt"
	"strings"
)

// Badge is a shields-style status badge for READMEs: "label | message".
// Its colour class names the status; colours are fixed so it reads on any
// background.
func Badge(label, message, status string) string {
	lw := 6*len(label) + 12
	mw := 6*len([]rune(message)) + 12
	color := badgeColors[status]
	if color == "" {
		color = badgeColors["unknown"]
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">`, lw+mw, esc(label), esc(message))
	fmt.Fprintf(&s, `<title>%s: %s</title>`, esc(label), esc(message))
	fmt.Fprintf(&s, `<rect width="%d" height="20" rx="3" fill="#555"/><rect x="%d" width="%d" height="20" rx="3" fill="%s"/><rect x="%d" width="4" height="20" fill="%s"/>`,
		lw+mw, lw, mw, color, lw, color)
	fmt.Fprintf(&s, `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="%d" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>`,
		lw/2, esc(label), lw+mw/2, esc(message))
	return s.String()
}

// badgeColors have white text at 4.5:1 contrast or better.
var badgeColors = map[string]string{
	"not-started": "#57606a",
	"in-progress": "#0757c7",
	"blocked":     "#b3261e",
	"deferred":    "#6e5400",
	"complete":    "#1a7f37",
	"failed":      "#a40e26",
	"unknown":     "#57606a",
}
