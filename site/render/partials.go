package render

import (
	"html/template"
	"strings"
	"sync"

	"github.com/plansite/plansite/site/plan"
)

// The "reading" and "completion" partials are printed on every document's
// page, and for every document on the dashboard and the plan pages: a
// dozen reflective actions each time, for a few hundred distinct values in
// a whole site. The HTML of each distinct value is made once, by executing
// the partial (the theme's, or a site's own partials.html), and reused.

// partialKey is a partial and the value it is printed for.
type partialKey struct {
	name  string
	value any // comparable, standing for the partial's data
}

// partials are the partials printed so far for the current model.
type partials struct{ made sync.Map } // partialKey → template.HTML

// partial is partial name printed for data, whose value key stands for.
func (s *Site) partial(name string, key, data any) (template.HTML, error) {
	k := partialKey{name, key}
	if h, ok := s.partials.made.Load(k); ok {
		return h.(template.HTML), nil
	}
	var b strings.Builder
	// Every layout is parsed with the same partials.
	if err := s.tmpl["doc"].ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	s.partials.made.Store(k, h)
	return h, nil
}

// showReading is the "reading" partial for r.
func (s *Site) showReading(r Reading) (template.HTML, error) { return s.partial("reading", r, r) }

// completionKey is a completion as a comparable value.
type completionKey struct {
	plan.Completion
	declared    float64
	hasDeclared bool
}

// showCompletion is the "completion" partial for c.
func (s *Site) showCompletion(c plan.Completion) (template.HTML, error) {
	k := completionKey{Completion: c}
	if c.Declared != nil {
		k.declared, k.hasDeclared = *c.Declared, true
	}
	k.Completion.Declared = nil
	return s.partial("completion", k, c)
}
