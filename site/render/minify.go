package render

import (
	"bytes"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// newMinifier shrinks every kind of file the site writes. It is safe for
// concurrent use, so each render worker minifies what it rendered.
func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/javascript", js.Minify)
	// plan.json is a contract: numbers stay as written (1000, not 1e3).
	m.AddRegexp(regexp.MustCompile("[/+]json$"), &json.Minifier{KeepNumbers: true})
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	return m
}

// layoutMinifier minifies a layout's source, leaving its {{ actions }} as
// they are.
var layoutMinifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, TemplateDelims: html.GoTemplateDelims})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	return m
}()

func minifyLayout(src []byte) ([]byte, error) {
	return layoutMinifier.Bytes("text/html", src)
}

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".svg": "image/svg+xml", ".js": "application/javascript",
	".json": "application/json", ".xml": "application/xml",
}

// Minify shrinks data by the kind its output path names; with minifying off,
// or for a kind it does not know, data is returned as it is.
func (s *Site) Minify(rel string, data []byte) ([]byte, error) {
	mt := mediaTypes[path.Ext(rel)]
	if !s.Opts.Minify || mt == "" {
		return data, nil
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := s.min.Minify(mt, &out, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
