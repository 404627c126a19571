package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

var serveURLRe = regexp.MustCompile(`serving .* at (http://[^/]+)/`)

// startServeBinary runs plansite serve on a free port and returns its URL; the
// server is stopped when the test ends.
func startServeBinary(t *testing.T, src string) string {
	t.Helper()
	cmd := exec.Command(plansiteBinary(t), "serve", "--source", src, "--port", "0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := serveURLRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("plansite serve did not start")
	}
	return ""
}

// rawRequest sends a request exactly as written and returns the response.
func rawRequest(t *testing.T, base, method, target, host string) *http.Response {
	t.Helper()
	addr := strings.TrimPrefix(base, "http://")
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

func TestServeRefusesForeignHostAndOffSiteRedirects(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, smallSite)
	base := startServeBinary(t, src)
	addr := strings.TrimPrefix(base, "http://")
	_, port, _ := net.SplitHostPort(addr)

	if r := rawRequest(t, base, "GET", "/plan/phase-1-start/", "rebind.evil.example:"+port); r.StatusCode != 403 {
		t.Errorf("foreign Host: %d, want 403", r.StatusCode)
	}
	if r := rawRequest(t, base, "GET", "/_plansite/events", "rebind.evil.example:"+port); r.StatusCode != 403 {
		t.Errorf("foreign Host on the event stream: %d, want 403", r.StatusCode)
	}
	for _, host := range []string{addr, "localhost:" + port} {
		if r := rawRequest(t, base, "GET", "/plan/phase-1-start/", host); r.StatusCode != 200 {
			t.Errorf("Host %s: %d, want 200", host, r.StatusCode)
		}
	}
	for _, target := range []string{"//plan/phase-1-start", "///plan/phase-1-start", "/plan/phase-1-start"} {
		r := rawRequest(t, base, "GET", target, addr)
		if loc := r.Header.Get("Location"); r.StatusCode != 301 || loc != "/plan/phase-1-start/" {
			t.Errorf("GET %s: %d to %q, want 301 to /plan/phase-1-start/", target, r.StatusCode, loc)
		}
	}
	get := rawRequest(t, base, "GET", "/plan/phase-1-start/", addr)
	body, _ := io.ReadAll(get.Body)
	head := rawRequest(t, base, "HEAD", "/plan/phase-1-start/", addr)
	if head.StatusCode != 200 || head.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
		t.Errorf("HEAD: %d, Content-Length %q; want 200 and %d", head.StatusCode, head.Header.Get("Content-Length"), len(body))
	}
}
