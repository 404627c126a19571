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
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
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
		if code != 400 && code != 404 {
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
