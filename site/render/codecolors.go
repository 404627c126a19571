package render

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

// Code colours: chroma's github style in light mode and github-dark in dark
// mode, every token class written for both (a class only the light style
// colours would otherwise keep its dark-on-light colour in dark mode), and
// each colour moved towards the text colour until it reads at 4.5:1 or
// better on the code background (WCAG AA).

// codeTheme is one mode's code colours.
type codeTheme struct {
	style string // chroma style name
	bg    string // --code-bg of colors.css
	fg    string // --fg of colors.css
}

var (
	lightCode = codeTheme{style: "github", bg: "#f6f8fa", fg: "#1f2328"}
	darkCode  = codeTheme{style: "github-dark", bg: "#161b22", fg: "#e6edf3"}
)

// minContrast is WCAG 2.2 AA for text.
const minContrast = 4.5

// chromaCSS is the code colours: light, then dark when the reader chose it,
// or when the system asks for it and the reader did not choose light.
func chromaCSS() string {
	light := lightCode.css("")
	dark := darkCode.css(":root[data-theme=dark] ")
	darkAuto := darkCode.css(":root:not([data-theme=light]) ")
	return light + dark + "@media (prefers-color-scheme: dark){" + darkAuto + "}"
}

// tokenColours is the colour of every token class the light or dark style
// colours, readable on the theme's background, by class.
func (t codeTheme) tokenColours() map[string]chroma.StyleEntry {
	st := styles.Get(t.style)
	text := st.Get(chroma.Text).Colour
	if !text.IsSet() {
		text = chroma.ParseColour(t.fg)
	}
	colourful := map[chroma.TokenType]bool{}
	for _, name := range []string{lightCode.style, darkCode.style} {
		s := styles.Get(name)
		for _, tt := range s.Types() {
			if s.Get(tt).Colour.IsSet() {
				colourful[tt] = true
			}
		}
	}
	out := map[string]chroma.StyleEntry{}
	bg := chroma.ParseColour(t.bg)
	for tt := range colourful {
		class := chroma.StandardTypes[tt]
		if class == "" || tt == chroma.Background || tt == chroma.PreWrapper || tt == chroma.Line || tt == chroma.LineNumbers ||
			tt == chroma.LineNumbersTable || tt == chroma.LineHighlight || tt == chroma.LineTable || tt == chroma.LineTableTD || tt == chroma.LineLink || tt == chroma.CodeLine {
			continue
		}
		e := st.Get(tt)
		if !e.Colour.IsSet() {
			e.Colour = text
		}
		e.Colour = readable(e.Colour, bg, chroma.ParseColour(t.fg))
		e.Background = 0
		out[class] = e
	}
	return out
}

func (t codeTheme) css(prefix string) string {
	cs := t.tokenColours()
	classes := make([]string, 0, len(cs))
	for c := range cs {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	for _, c := range classes {
		e := cs[c]
		fmt.Fprintf(&b, "%s.chroma .%s{color:%s", prefix, c, e.Colour.String())
		if e.Bold == chroma.Yes {
			b.WriteString(";font-weight:bold")
		}
		if e.Italic == chroma.Yes {
			b.WriteString(";font-style:italic")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// readable moves c towards fg in small steps until it reads on bg.
func readable(c, bg, fg chroma.Colour) chroma.Colour {
	out := c
	for i := 1; i <= 20 && contrast(out, bg) < minContrast; i++ {
		out = mix(c, fg, float64(i)/20)
	}
	return out
}

func mix(a, b chroma.Colour, f float64) chroma.Colour {
	ch := func(x, y uint8) int { return int(math.Round(float64(x)*(1-f) + float64(y)*f)) }
	return chroma.NewColour(uint8(ch(a.Red(), b.Red())), uint8(ch(a.Green(), b.Green())), uint8(ch(a.Blue(), b.Blue())))
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b chroma.Colour) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c chroma.Colour) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.Red()) + 0.7152*lin(c.Green()) + 0.0722*lin(c.Blue())
}
