package serve

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func testHandler() *Handler {
	p := NewPages()
	p.put(map[string][]byte{
		"index.html":       []byte("<html><body>home</body></html>"),
		"a/b/index.html":   []byte("<html><body>page b</body></html>"),
		"404.html":         []byte("<html><body>not here</body></html>"),
		"assets/site.css":  []byte("body{}"),
		"dir with space/x": []byte("x"),
	})
	return &Handler{Pages: p, Events: NewBroker()}
}

func TestServesPages(t *testing.T) {
	h := testHandler()
	for _, c := range []struct {
		path, want string
		code       int
		ctype      string
	}{
		{"/", "home", 200, "text/html"},
		{"/a/b/", "page b", 200, "text/html"},
		{"/a/b/index.html", "page b", 200, "text/html"},
		{"/assets/site.css", "body{}", 200, "text/css"},
		{"/a/b", "", 301, ""},
		{"/nope/", "not here", 404, "text/html"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, localRequest("GET", c.path))
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.want) || !strings.HasPrefix(rec.Header().Get("Content-Type"), c.ctype) {
			t.Errorf("GET %s: %d %q %q", c.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
		if c.code == 301 && rec.Header().Get("Location") != c.path+"/" {
			t.Errorf("GET %s: redirect to %q", c.path, rec.Header().Get("Location"))
		}
	}
}

// TestNoRequestReadsOutsideTheSite sends hostile paths over a real
// connection, exactly as written, and checks no file content comes back.
func TestNoRequestReadsOutsideTheSite(t *testing.T) {
	srv := httptest.NewServer(testHandler())
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, p := range []string{
		"/../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"//etc/passwd",
		"/..%2fetc%2fpasswd",
		"/a/b/../../../../etc/passwd",
		"/..\\..\\etc\\passwd",
		"/%5c..%5c..%5cetc%5cpasswd",
		"/etc/passwd%00.html",
		"/" + strings.Repeat("../", 20) + "etc/passwd",
		"http://evil/../../etc/passwd",
		"/proc/self/environ",
	} {
		code, body := rawGet(t, addr, p)
		if code != 400 && code != 404 && code != 403 { // 403: the Host "evil" of an absolute URL
			t.Errorf("GET %s: status %d", p, code)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "PATH=") {
			t.Errorf("GET %s: leaked file content: %q", p, body)
		}
	}
}

func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestEventStream(t *testing.T) {
	b := NewBroker()
	srv := httptest.NewServer(&Handler{Pages: NewPages(), Events: b})
	defer srv.Close()
	resp, err := http.Get(srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	hello := readEvent(t, r)
	if !strings.Contains(hello, "event: hello\ndata: "+b.ID) {
		t.Fatalf("first event %q", hello)
	}
	b.PagesChanged([]string{"a/b/index.html", "index.html"})
	if ev := readEvent(t, r); !strings.Contains(ev, "event: reload\n") || !strings.Contains(ev, `"/a/b/"`) || !strings.Contains(ev, `"/"`) {
		t.Errorf("reload event %q", ev)
	}
	b.PagesChanged([]string{"assets/site.css"})
	if ev := readEvent(t, r); !strings.Contains(ev, "event: css\n") {
		t.Errorf("css-only change sent %q", ev)
	}
}

func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var buf bytes.Buffer
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\n" {
			if buf.Len() > 0 && !strings.HasPrefix(buf.String(), ":") {
				return buf.String()
			}
			buf.Reset()
			continue
		}
		buf.WriteString(line)
	}
}

func TestInject(t *testing.T) {
	got := string(inject([]byte("<body><p>a</body></p></body></html>"), "<s>"))
	if got != "<body><p>a</body></p><s></body></html>" {
		t.Errorf("inject: %q", got)
	}
	if got := string(inject([]byte("no body"), "<s>")); got != "no body<s>" {
		t.Errorf("inject without body: %q", got)
	}
}

func TestBusyPortMovesOn(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	var log bytes.Buffer
	s := &Server{opts: Options{Bind: "127.0.0.1", Port: port}, log: &log}
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := ln.Addr().(*net.TCPAddr).Port
	if got == port || !strings.Contains(log.String(), fmt.Sprintf("port %d is busy; serving on %d", port, got)) {
		t.Errorf("port %d busy: got %d, log %q", port, got, log.String())
	}
}

func TestExposedBindWarns(t *testing.T) {
	for _, c := range []struct {
		bind string
		warn bool
	}{{"127.0.0.1", false}, {"localhost", false}, {"::1", false}, {"0.0.0.0", true}, {"192.168.1.10", true}} {
		var log bytes.Buffer
		s := &Server{opts: Options{Bind: c.bind, Port: 1}, log: &log}
		ln, err := s.Listen() // may fail (address not here, port 1): the warning comes first
		if err == nil {
			ln.Close()
		}
		if got := strings.Contains(log.String(), "warning:"); got != c.warn {
			t.Errorf("--bind %s: warning %v, log %q", c.bind, got, log.String())
		}
	}
}

func TestDescribe(t *testing.T) {
	ch := &Change{Sources: []string{"content/plan/phase-1.md"}, Pages: []string{"plan/phase-1/index.html"}, Elapsed: 12 * time.Millisecond}
	if got, want := Describe(ch, nil), "rebuilt in 12ms: changed content/plan/phase-1.md (1 page)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

// localRequest is a request as a browser on this machine sends it.
func localRequest(method, target string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = "127.0.0.1:1313"
	return r
}

// A page on another site can point its own name at 127.0.0.1 (DNS
// rebinding); its requests carry that name, and are refused, the event
// stream included.
func TestForeignHostRefused(t *testing.T) {
	h := testHandler()
	h.Bind = "devbox.lan"
	for host, want := range map[string]int{
		"127.0.0.1:1313": 200, "localhost:1313": 200, "LOCALHOST": 200, "app.localhost:1313": 200,
		"[::1]:1313": 200, "192.168.1.20:1313": 200, "devbox.lan:1313": 200, "devbox.lan.": 200,
		"evil.example:1313": 403, "evil.example": 403, "localhost.evil.example": 403, "127.0.0.1.nip.io:1313": 403,
		"devbox.lan.evil.example": 403,
	} {
		for _, target := range []string{"/", EventsPath} {
			if want == 200 && target == EventsPath {
				continue // a stream: it does not end
			}
			r := localRequest("GET", target)
			r.Host = host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != want {
				t.Errorf("Host %s, GET %s: %d, want %d", host, target, rec.Code, want)
			}
			if want == 403 && strings.Contains(rec.Body.String(), "home") {
				t.Errorf("Host %s: the page was sent", host)
			}
		}
	}
}

func TestNeverRedirectsOffSite(t *testing.T) {
	h := testHandler()
	for target, want := range map[string]string{
		"/a/b":            "/a/b/",
		"//a/b":           "/a/b/",
		"///a/b":          "/a/b/",
		"//a//b":          "/a/b/",
		"/./a/b":          "/a/b/",
		"/dir with space": "",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, localRequest("GET", strings.ReplaceAll(target, " ", "%20")))
		loc := rec.Header().Get("Location")
		if strings.HasPrefix(loc, "//") || strings.Contains(loc, "\\") {
			t.Errorf("GET %s: redirect off the site to %q", target, loc)
		}
		if want != "" && (rec.Code != 301 || loc != want) {
			t.Errorf("GET %s: %d to %q, want 301 to %q", target, rec.Code, loc, want)
		}
	}
}

func TestHeadCarriesContentLength(t *testing.T) {
	srv := httptest.NewServer(testHandler())
	defer srv.Close()
	for target, want := range map[string]int{"/": 200, "/assets/site.css": 200, "/nope/": 404} {
		get, err := http.Get(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(get.Body)
		get.Body.Close()
		head, err := http.Head(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		head.Body.Close()
		if head.StatusCode != want || head.ContentLength != int64(len(body)) || head.Header.Get("Content-Length") == "" {
			t.Errorf("HEAD %s: %d, Content-Length %q; want %d and %d (as GET)", target, head.StatusCode, head.Header.Get("Content-Length"), want, len(body))
		}
	}
}
