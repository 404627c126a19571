package serve

import (
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Handler serves the pages from memory and the event stream. Only paths of
// the in-memory site are ever answered, so no request can read a file, and
// only requests addressed to this machine by a name that cannot be rebound
// (see allowedHost).
type Handler struct {
	Pages  *Pages
	Events http.Handler
	// Bind is the --bind address; a name given there is also answered.
	Bind string
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowedHost(r.Host, h.Bind) {
		http.Error(w, "forbidden: plansite serve answers only localhost, IP addresses and the --bind name, not Host "+strconv.Quote(r.Host), http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == EventsPath {
		h.Events.ServeHTTP(w, r)
		return
	}
	upath := r.URL.Path // decoded: %2e%2e and %2f are seen as what they are
	if !safePath(upath) || !safePath(r.URL.RawPath) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	rel := strings.TrimPrefix(path.Clean("/"+upath), "/")
	if strings.HasSuffix(upath, "/") {
		rel = strings.TrimPrefix(rel+"/index.html", "/")
	}
	data, ok, err := h.Pages.Get(rel)
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	case !ok && !strings.HasSuffix(upath, "/") && h.Pages.Has(rel+"/index.html"):
		// A page's URL ends in a slash, as its relative links expect. The
		// cleaned path, never the requested one: "//evil.example/x" would
		// send the browser to another site.
		http.Redirect(w, r, (&urlPath{"/" + rel + "/"}).String(), http.StatusMovedPermanently)
		return
	case !ok:
		h.notFound(w)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(rel))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}

func (h *Handler) notFound(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	if page, ok, _ := h.Pages.Get("404.html"); ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(page)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// allowedHost reports whether a request's Host names this machine in a way
// no other site can take over: an IP address, localhost or a name under
// .localhost, or the --bind name. A page elsewhere can point its own name at
// 127.0.0.1 (DNS rebinding) and read the preview; its requests then carry
// that name and are refused, as Vite and webpack-dev-server refuse them.
func allowedHost(hostport, bind string) bool {
	if hostport == "" { // HTTP/1.0 without a Host: no browser sends that
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	switch {
	case net.ParseIP(host) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	}
	return bind != "" && host == strings.TrimSuffix(strings.ToLower(strings.Trim(bind, "[]")), ".")
}

// safePath refuses what has no business in a URL of the site: a ".."
// segment, a NUL, a backslash (a separator on Windows).
func safePath(p string) bool {
	if strings.ContainsAny(p, "\x00\\") {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// urlPath escapes a path for a Location header.
type urlPath struct{ p string }

func (u *urlPath) String() string {
	var b strings.Builder
	for _, c := range []byte(u.p) {
		if c > 0x20 && c < 0x7f && c != '%' && c != '?' && c != '#' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}
