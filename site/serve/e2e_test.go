package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chrome or Chromium binary. Without one the browser test
// is skipped on a developer's machine but fails in CI (CI set), so a green
// CI run always means a browser ran it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no chromium or chrome binary; set CI=1 to make this a failure")
	}
	t.Fatal("no chromium or chrome binary, and CI is set")
	return ""
}

// TestBrowserLiveReload opens a page in a real browser, edits its source
// and sees the new text appear without reloading by hand; breaks the
// document and sees the overlay with its path and line; fixes it and sees
// the overlay go. The scroll position survives the reloads, and the page
// comes back by itself after the server restarts.
func TestBrowserLiveReload(t *testing.T) {
	exe := chromium(t)
	files := map[string]string{}
	for k, v := range smallPlan {
		files[k] = v
	}
	long := strings.Repeat("A paragraph of the plan that makes the page tall enough to scroll.\n\n", 150)
	doc := func(text string) string {
		return "# Phase 2: Build\n\n**Status**: Not Started\n\nPrevious: [Phase 1](phase-1.md)\n\n" + text + "\n\n" + long
	}
	files["plan/phase-2.md"] = doc("The first draft.")
	files["assets/site.css"] = "main { outline: 3px solid rgb(9, 9, 9); }\n"
	dir := writeTree(t, files)

	s, err := New(Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := s.Watch(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s.Handler}
	go srv.Serve(ln)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	page := fmt.Sprintf("http://%s/plan/phase-2/", ln.Addr())
	// poll waits (generously: the machine may be loaded) for a condition
	// and returns its value.
	// A reload under a poll ends it with an error; poll again until the
	// deadline.
	poll := func(what, js string) float64 {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			v, err := chromedp.Run(bctx, chromedp.Poll[float64]("+("+js+")", chromedp.WithPollingTimeout(time.Until(deadline))))
			if err == nil {
				return v
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				t.Fatalf("%s: %v", what, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	listening := func() { poll("page listening for changes", `window.plansiteLive === true`) }

	if err := chromedp.Do(bctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("open page: %v", err)
	}
	poll("first draft shown", `document.body.innerText.includes("The first draft.")`)
	listening()
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](`scrollTo(0, 1500)`)); err != nil {
		t.Fatal(err)
	}

	write(t, dir, "plan/phase-2.md", doc("The second draft, written live."))
	poll("edit appears without a hand reload", `document.body.innerText.includes("The second draft, written live.")`)
	if y := poll("scroll position kept", `scrollY > 1000 ? scrollY : 0`); y < 1000 {
		t.Errorf("scrollY %v after reload", y)
	}
	listening()

	// Broken: front matter opened on line 1 and never closed.
	write(t, dir, "plan/phase-2.md", "---\ntitle: Phase 2\n"+doc("Broken."))
	poll("overlay appears", `document.getElementById("plansite-overlay") !== null`)
	// Read the overlay in the page's own script, not by DOM node id: one
	// save may bring a second reload, and a node id does not survive it.
	var overlay string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(document.getElementById("plansite-overlay") || {}).innerText || ""`))
		if err == nil && v != "" {
			overlay = v
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("overlay text: %v", err)
		}
	}
	if !strings.Contains(overlay, "plan/phase-2.md:1:") || !strings.Contains(overlay, "front matter") {
		t.Errorf("overlay lacks path, line or message: %q", overlay)
	}
	listening()

	write(t, dir, "plan/phase-2.md", doc("Fixed again."))
	poll("overlay goes after the fix", `document.getElementById("plansite-overlay") === null && document.body.innerText.includes("Fixed again.")`)
	listening()

	// A stylesheet of the site's own changes: swapped in place, no reload.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](`window.plansiteMark = 1`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "assets/site.css", "main { outline: 3px solid rgb(1, 2, 3); }\n")
	poll("stylesheet swapped", `getComputedStyle(document.querySelector("main")).outlineColor === "rgb(1, 2, 3)"`)
	if v := poll("no reload for a stylesheet", `window.plansiteMark === 1 ? 1 : 2`); v != 1 {
		t.Error("the page reloaded for a CSS-only change")
	}

	// The server restarts (with an edit made while it was down): the page
	// reconnects by itself and, seeing a new server, reloads.
	srv.Close()
	write(t, dir, "plan/phase-2.md", doc("Written while the server was down."))
	s2, err := New(Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	var ln2 net.Listener
	for ln2 == nil {
		if ln2, err = net.Listen("tcp", ln.Addr().String()); err != nil && ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv2 := &http.Server{Handler: s2.Handler}
	go srv2.Serve(ln2)
	defer srv2.Close()
	poll("page reloads after a restart", `document.body.innerText.includes("Written while the server was down.")`)
}
