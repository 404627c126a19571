package render

import (
	"strings"
	"testing"

	"github.com/plansite/plansite/site/extract"
)

// User text is escaped and raw HTML is not passed through: a plan is data,
// and a page must not run what a plan author (or a tool writing plans) put
// in it.
func TestBodyEscapesRawHTMLAndDropsScriptLinks(t *testing.T) {
	src := "# T\n\n<script>alert(1)</script>\n\nText with <living artist> and PaginatedResponse<T>.\n\n" +
		"[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com/)\n\n" +
		"<!-- a comment -->\n\n<img src=x onerror=alert(1)>\n"
	res := extract.Extract("t.md", []byte(src), extract.Options{})
	body, err := Body(res, nil)
	if err != nil {
		t.Fatal(err)
	}
	html := string(body)
	for _, bad := range []string{"<script", "javascript:", "data:text/html", "<img", "<living"} {
		if strings.Contains(html, bad) {
			t.Errorf("body contains %q:\n%s", bad, html)
		}
	}
	for _, want := range []string{"&lt;living artist&gt;", "PaginatedResponse&lt;T&gt;", `href="https://example.com/"`, "&lt;script&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("body lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "a comment") {
		t.Errorf("HTML comment shown: %s", html)
	}
}
