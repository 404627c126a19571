package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/plansite/plansite/site/textout"
)

// Options of a server.
type Options struct {
	Source    string
	Bind      string // default 127.0.0.1
	Port      int    // 0: any free port
	Poll      bool   // poll instead of relying on filesystem events
	Generator string // "plansite <version>"
	Log       io.Writer
	// Ready, when set, is called with the site's URL once the server
	// listens (plansite serve --open opens it in a browser).
	Ready func(url string)
	// LimitMemory runs serve under a soft memory limit sized to the site
	// and returns the first build's garbage to the system before serving;
	// the CLI sets it (a process-wide setting).
	LimitMemory bool
	// Config is the configuration file to read (--config); "" finds it.
	Config string
}

// Server is plansite serve: the in-memory site, its watcher and HTTP.
type Server struct {
	Site    *Site
	Pages   *Pages
	Broker  *Broker
	Handler http.Handler
	opts    Options
	log     io.Writer
	// Applied, when set, is called after each rebuild (tests wait on it).
	Applied func(*Change)
}

// New loads the site.
func New(opts Options) (*Server, error) {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	b := NewBroker()
	pages := NewPages()
	script := scriptFor(b.ID)
	site, err := NewSite(opts.Source, opts.Generator, pages, func() string { return script })
	if err != nil {
		return nil, err
	}
	site.Notify = b.PagesChanged
	site.ConfigFile = opts.Config
	ch, err := site.Load()
	if err != nil {
		return nil, err
	}
	if opts.LimitMemory {
		limitMemory(len(site.docs))
		debug.FreeOSMemory()
	}
	fmt.Fprintf(opts.Log, "built %d %s, %d %s in %s; %d %s\n",
		len(site.docs), plural(len(site.docs), "document"), pages.Len(), plural(pages.Len(), "page"),
		ch.Elapsed.Round(time.Millisecond), ch.Problems, plural(ch.Problems, "problem"))
	for _, e := range ch.Errors {
		fmt.Fprintln(opts.Log, textout.Escape(e))
	}
	return &Server{Site: site, Pages: pages, Broker: b, Handler: &Handler{Pages: pages, Events: b, Bind: opts.Bind}, opts: opts, log: opts.Log}, nil
}

// portTries is how many ports after the asked one are tried when it is busy.
const portTries = 20

// Listen opens the port, moving on to the next free one when it is busy,
// and warns when the address is reachable from other machines.
func (s *Server) Listen() (net.Listener, error) {
	host := s.opts.Bind
	if !isLoopback(host) {
		fmt.Fprintf(s.log, "warning: --bind %s makes your plans readable by anyone who can reach this machine; "+
			"plansite serve is a preview server with no authentication\n", host)
	}
	port := s.opts.Port
	for i := 0; ; i++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port+i)))
		if err == nil {
			if i > 0 {
				fmt.Fprintf(s.log, "port %d is busy; serving on %d\n", port, port+i)
			}
			return ln, nil
		}
		if port == 0 || i >= portTries || !errors.Is(err, syscall.EADDRINUSE) {
			return nil, err
		}
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Watch starts watching the source tree and applying its changes until ctx
// ends.
func (s *Server) Watch(ctx context.Context) error {
	var w Watcher
	var err error
	if s.opts.Poll {
		w, err = Poll(s.Site.Root(), PollInterval)
	} else {
		var fw *FSWatcher
		fw, err = WatchFS(s.Site.Root())
		if fw != nil {
			fw.Errorf = func(f string, a ...any) { fmt.Fprintln(s.log, textout.Escape(fmt.Sprintf(f, a...))) }
			w = fw
		}
	}
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		w.Close()
	}()
	// Changes queue while a pass runs, and stop it: a newer save makes the
	// pass in flight pointless, and its page should not wait behind it.
	var mu sync.Mutex
	var queued []string
	wake := make(chan struct{}, 1)
	go func() {
		for batch := range w.Batches() {
			mu.Lock()
			queued = append(queued, batch...)
			mu.Unlock()
			s.Site.Supersede()
			select {
			case wake <- struct{}{}:
			default:
			}
		}
		close(wake)
	}()
	go func() {
		for range wake {
			mu.Lock()
			batch := slices.Compact(slices.Sorted(slices.Values(queued)))
			queued = nil
			mu.Unlock()
			s.Site.newer.Store(false)
			s.Apply(batch)
		}
	}()
	return nil
}

// Apply applies one batch of changed paths and prints one line about it.
func (s *Server) Apply(batch []string) *Change {
	ch, err := s.Site.Apply(batch)
	if s.Applied != nil {
		defer s.Applied(ch)
	}
	if err != nil {
		fmt.Fprintf(s.log, "rebuild failed: %s (still serving the last good site)\n", textout.Escape(err.Error()))
		return nil
	}
	if len(ch.Sources) == 0 && len(ch.Pages) == 0 && !ch.Full || ch.Superseded {
		return ch // a pass a newer change stopped is told with the next
	}
	fmt.Fprintln(s.log, Describe(ch, batch))
	return ch
}

// Describe is the terminal line of a rebuild; the paths and errors in it
// are escaped (textout), so it stays one line.
func Describe(ch *Change, batch []string) string {
	what := ch.Sources
	if ch.Full && len(what) == 0 {
		what = batch
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rebuilt in %s: ", ch.Elapsed.Round(100*time.Microsecond))
	switch {
	case len(what) == 0:
		b.WriteString("no document changed")
	default:
		b.WriteString("changed ")
		b.WriteString(listed(what))
	}
	n := len(ch.Pages)
	fmt.Fprintf(&b, " (%d %s)", n, plural(n, "page"))
	if len(ch.Errors) > 0 {
		fmt.Fprintf(&b, "; %s", textout.Escape(ch.Errors[0]))
		if len(ch.Errors) > 1 {
			fmt.Fprintf(&b, " (+%d more)", len(ch.Errors)-1)
		}
	}
	return b.String()
}

func listed(ps []string) string {
	const max = 3
	shown := make([]string, 0, max)
	for _, p := range ps[:min(len(ps), max)] {
		shown = append(shown, textout.Escape(p))
	}
	if len(ps) <= max {
		return strings.Join(shown, ", ")
	}
	return strings.Join(shown, ", ") + fmt.Sprintf(" and %d more", len(ps)-max)
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// Run is plansite serve: load, listen, watch, serve until ctx ends.
func Run(ctx context.Context, opts Options) error {
	s, err := New(opts)
	if err != nil {
		return err
	}
	ln, err := s.Listen()
	if err != nil {
		return err
	}
	if err := s.Watch(ctx); err != nil {
		ln.Close()
		return err
	}
	how := "watching for changes"
	if opts.Poll {
		how = "polling for changes every " + PollInterval.String()
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(s.log, "serving %s at %s (%s; Ctrl-C stops)\n", path.Clean(opts.Source), url, how)
	if opts.Ready != nil {
		opts.Ready(url)
	}
	srv := &http.Server{Handler: s.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		// Close, not Shutdown: event streams never go idle.
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
