package main

import (
	"bufio"
	"fmt"
	"github.com/plansite/plansite/internal/procstat"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plansite/plansite/internal/testcorpus"
)

// BenchmarkCLI measures plansite as users run it: the binary, built once,
// run as a whole process on the corpus replicated to 1,000 and 10,000
// documents (PLANSITE_BENCH_DOCS=1000,10000 to choose), beside the floor
// (internal/floor: goldmark parsing, rendering and writing every document
// in the same layout, also a whole process) in the same run. Metrics:
//
//	floor-s                        the floor's wall time
//	cold-s, cold/floor, cold-MB    plansite build into an empty destination,
//	                               with an empty cache; its peak resident memory
//	same-s, same/floor             the build again, nothing changed (the
//	                               cache beside the destination, as by default)
//	edit-s, edit/floor             the build again after one document changed
//	cold/floor-cpu, …              the same ratios in CPU time (user and
//	                               system), steadier on a shared machine
//	ready-s, ready/cold, ready-MB  plansite serve until it listens; resident
//	                               memory then
//	edit-p50-ms, edit-p95-ms       serve: a document saved every 300 ms,
//	                               from each save to the first reload event
//	                               after which its page shows that save
//	                               (or a later one)
//	edits-MB                       serve's resident memory after the edits
//
// PLANSITE_BENCH_PROFILE=DIR writes a CPU profile of each plansite process
// there (PLANSITE_CPUPROFILE). Run it alone: under flock
// /tmp/plansite-heavy.lock on a shared machine.
//
//	go test ./cmd/plansite -run '^$' -bench CLI -benchtime 1x -timeout 60m
func BenchmarkCLI(b *testing.B) {
	corpus := testcorpus.MeatyMusic(b)
	bins := b.TempDir()
	plansite := goBuild(b, ".", filepath.Join(bins, "plansite"))
	floor := goBuild(b, "../../internal/floor", filepath.Join(bins, "floor"))
	profiles := os.Getenv("PLANSITE_BENCH_PROFILE")
	sizes := []int{1000, 10000}
	if v := os.Getenv("PLANSITE_BENCH_DOCS"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatalf("PLANSITE_BENCH_DOCS=%q: %v", v, err)
			}
			sizes = append(sizes, n)
		}
	}
	// Every tree the runs write is kept until the last run ended: on a
	// file system that reuses freed inodes late (ext4 without a journal
	// skips each inode freed in the last minute, one by one, when it
	// allocates one), a run measured after a big removal pays for it in
	// every mkdir and create, and a removal is the harness's doing, not
	// the builds'. b.TempDir would remove each round's trees between rounds.
	work, err := os.MkdirTemp("", "plansite-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(work)
	fresh := func() string {
		d, err := os.MkdirTemp(work, "")
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	for _, n := range sizes {
		src := fresh()
		testcorpus.Replicate(b, corpus, src, n)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			var m cliFigures
			for i := 0; i < b.N; i++ {
				m.add(measureCLI(b, plansite, floor, src, fresh, profiles, n, i))
			}
			m.report(b, b.N)
		})
	}
}

// cliFigures are one run's figures (or their sums over runs).
type cliFigures struct {
	floor, cold, same, edit, ready      time.Duration
	floorCPU, coldCPU, sameCPU, editCPU time.Duration
	coldRSS, readyRSS, editsRSS         int64
	editP50, editP95                    time.Duration
}

func (m *cliFigures) add(o cliFigures) {
	m.floor += o.floor
	m.cold += o.cold
	m.same += o.same
	m.edit += o.edit
	m.ready += o.ready
	m.floorCPU += o.floorCPU
	m.coldCPU += o.coldCPU
	m.sameCPU += o.sameCPU
	m.editCPU += o.editCPU
	m.coldRSS = max(m.coldRSS, o.coldRSS)
	m.readyRSS = max(m.readyRSS, o.readyRSS)
	m.editsRSS = max(m.editsRSS, o.editsRSS)
	m.editP50 += o.editP50
	m.editP95 += o.editP95
}

func (m *cliFigures) report(b *testing.B, runs int) {
	n := float64(runs)
	sec := func(d time.Duration) float64 { return d.Seconds() / n }
	b.ReportMetric(sec(m.floor), "floor-s")
	b.ReportMetric(sec(m.cold), "cold-s")
	b.ReportMetric(float64(m.cold)/float64(m.floor), "cold/floor")
	b.ReportMetric(float64(m.coldRSS)/(1<<20), "cold-MB")
	b.ReportMetric(sec(m.same), "same-s")
	b.ReportMetric(float64(m.same)/float64(m.floor), "same/floor")
	b.ReportMetric(sec(m.edit), "edit-s")
	b.ReportMetric(float64(m.edit)/float64(m.floor), "edit/floor")
	b.ReportMetric(float64(m.coldCPU)/float64(m.floorCPU), "cold/floor-cpu")
	b.ReportMetric(float64(m.sameCPU)/float64(m.floorCPU), "same/floor-cpu")
	b.ReportMetric(float64(m.editCPU)/float64(m.floorCPU), "edit/floor-cpu")
	b.ReportMetric(sec(m.ready), "ready-s")
	b.ReportMetric(float64(m.ready)/float64(m.cold), "ready/cold")
	b.ReportMetric(float64(m.readyRSS)/(1<<20), "ready-MB")
	b.ReportMetric(float64(m.editP50.Microseconds())/1000/n, "edit-p50-ms")
	b.ReportMetric(float64(m.editP95.Microseconds())/1000/n, "edit-p95-ms")
	b.ReportMetric(float64(m.editsRSS)/(1<<20), "edits-MB")
	b.ReportMetric(0, "ns/op") // the figures above are the result
}

// benchDoc is the document the benchmark edits, and a paragraph it has.
const (
	benchDoc  = "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation.md"
	benchPage = "/copy-0000/docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation/"
)

// editDoc rewrites the benchmark's document with a new paragraph near its
// top naming rev: its lines move, so its model changes, as when one writes.
func editDoc(b *testing.B, src string, orig []byte, rev int) {
	edited := strings.Replace(string(orig), "\n\n", fmt.Sprintf("\n\nEdited, rev %d.\n\n", rev), 1)
	if err := os.WriteFile(filepath.Join(src, filepath.FromSlash(benchDoc)), []byte(edited), 0o644); err != nil {
		b.Fatal(err)
	}
}

func measureCLI(b *testing.B, plansite, floor, src string, fresh func() string, profiles string, n, run int) cliFigures {
	var m cliFigures
	docPath := filepath.Join(src, filepath.FromSlash(benchDoc))
	orig, err := os.ReadFile(docPath)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(docPath, orig, 0o644)
	profile := func(name string) []string {
		if profiles == "" {
			return nil
		}
		return []string{"PLANSITE_CPUPROFILE=" + filepath.Join(profiles, fmt.Sprintf("%s-%d-%d.pprof", name, n, run))}
	}

	m.floor, _ = runProcess(b, nil, &m.floorCPU, floor, src, fresh())
	dest := filepath.Join(fresh(), "public")
	build := func(name string, cpu *time.Duration) (time.Duration, int64) {
		return runProcess(b, profile(name), cpu, plansite, "build", "--source", src, "--dest", dest)
	}
	m.cold, m.coldRSS = build("cold", &m.coldCPU)
	m.same, _ = build("same", &m.sameCPU)
	editDoc(b, src, orig, -1)
	m.edit, _ = build("edit", &m.editCPU)
	if err := os.WriteFile(docPath, orig, 0o644); err != nil {
		b.Fatal(err)
	}

	s := startServe(b, profile("serve"), plansite, src)
	defer s.stop(b)
	m.ready, m.readyRSS = s.ready, s.rss()
	lat := s.edits(b, src, orig, 20, 300*time.Millisecond)
	slices.Sort(lat)
	m.editP50, m.editP95 = lat[len(lat)/2], lat[(len(lat)*95+99)/100-1]
	m.editsRSS = s.rss()
	b.Logf("docs=%d run %d: CPU floor %.2fs, cold %.2fs, same %.2fs, edit %.2fs", n, run,
		m.floorCPU.Seconds(), m.coldCPU.Seconds(), m.sameCPU.Seconds(), m.editCPU.Seconds())
	b.Logf("docs=%d run %d: floor %.2fs, cold %.2fs (%.0f MB), same %.2fs, edit %.2fs, serve ready %.2fs (%.0f MB), edits p50 %s p95 %s, %.0f MB after",
		n, run, m.floor.Seconds(), m.cold.Seconds(), float64(m.coldRSS)/(1<<20), m.same.Seconds(), m.edit.Seconds(),
		m.ready.Seconds(), float64(m.readyRSS)/(1<<20), m.editP50, m.editP95, float64(m.editsRSS)/(1<<20))
	return m
}

// goBuild builds the main package in dir into out.
func goBuild(b *testing.B, dir, out string) string {
	b.Helper()
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", dir, err, msg)
	}
	return out
}

// runProcess runs a command to its end and returns its wall time and peak
// resident memory; cpu, when not nil, is raised by the CPU time it took
// (user and system): on a shared machine the steadier figure.
func runProcess(b *testing.B, env []string, cpu *time.Duration, name string, args ...string) (time.Duration, int64) {
	b.Helper()
	flushWrites()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(out.String()))
	}
	took := time.Since(start)
	if cpu != nil {
		*cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return took, procstat.MaxRSS(cmd.ProcessState)
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// served is a running plansite serve.
type served struct {
	cmd    *exec.Cmd
	url    string
	ready  time.Duration
	events chan time.Time // a reload event naming the benchmark's page
}

var servingRe = regexp.MustCompile(`serving .* at (http://\S+/)`)

func startServe(b *testing.B, env []string, plansite, src string) *served {
	b.Helper()
	flushWrites()
	cmd := exec.Command(plansite, "serve", "--source", src, "--port", "0")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &served{cmd: cmd, events: make(chan time.Time, 256)}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if m := servingRe.FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
			s.ready = time.Since(start)
			break
		}
	}
	if s.url == "" {
		cmd.Process.Kill()
		cmd.Wait()
		b.Fatal("plansite serve never said where it serves")
	}
	go io.Copy(io.Discard, out)
	resp, err := http.Get(s.url + "_plansite/events")
	if err != nil {
		s.stop(b)
		b.Fatal(err)
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		reload := false
		for sc.Scan() {
			l := sc.Text()
			switch {
			case l == "event: reload":
				reload = true
			case strings.HasPrefix(l, "data: ") && reload:
				if strings.Contains(l, benchPage) || strings.Contains(l, `"all"`) {
					s.events <- time.Now()
				}
				reload = false
			case l == "":
				reload = false
			}
		}
	}()
	return s
}

// rss is the server's resident memory now.
func (s *served) rss() int64 {
	return procstat.RSS(strconv.Itoa(s.cmd.Process.Pid))
}

var revRe = regexp.MustCompile(`Edited, rev (\d+)\.`)

// edits saves the benchmark's document count times, every interval, and
// returns for each save how long until a reload event after which the
// served page showed it or a later save.
func (s *served) edits(b *testing.B, src string, orig []byte, count int, interval time.Duration) []time.Duration {
	saved := make([]time.Time, count)
	var mu sync.Mutex
	go func() {
		t0 := time.Now()
		for i := range count {
			time.Sleep(time.Until(t0.Add(time.Duration(i) * interval)))
			mu.Lock()
			saved[i] = time.Now()
			mu.Unlock()
			editDoc(b, src, orig, i)
		}
	}()
	lat := make([]time.Duration, count)
	shown := -1
	deadline := time.After(10 * time.Minute)
	for shown < count-1 {
		select {
		case <-s.events:
			resp, err := http.Get(s.url + strings.TrimPrefix(benchPage, "/"))
			if err != nil {
				b.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			at := time.Now() // when the page was seen, a little after the event
			m := revRe.FindSubmatch(page)
			if m == nil {
				continue
			}
			rev, _ := strconv.Atoi(string(m[1]))
			mu.Lock()
			for i := shown + 1; i <= rev && i < count; i++ {
				lat[i] = at.Sub(saved[i])
			}
			mu.Unlock()
			shown = max(shown, rev)
		case <-deadline:
			b.Fatalf("the page showed save %d of %d after ten minutes", shown+1, count)
		}
	}
	return lat
}

func (s *served) stop(b *testing.B) {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
		b.Error("plansite serve did not stop on an interrupt")
	}
}
