package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Event is what open pages are told.
type Event struct {
	Name string // "reload" or "css"
	Data string // JSON: {"paths":[…]} (URL paths) or {"all":true}
}

// Broker fans events out to the open pages.
type Broker struct {
	mu   sync.Mutex
	subs map[chan Event]struct{}
	ID   string // this server's instance: a page that sees another reloads
}

// NewBroker makes a broker with a fresh instance id.
func NewBroker() *Broker {
	return &Broker{subs: map[chan Event]struct{}{}, ID: fmt.Sprintf("%x", time.Now().UnixNano())}
}

// Subscribe returns a channel of events and a function that ends it.
func (b *Broker) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 64)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}

// Publish sends ev to every subscriber; one too slow to keep up misses it
// rather than holding up the others.
func (b *Broker) Publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

// maxListed is how many changed pages an event names before it says "all".
const maxListed = 200

// PagesChanged tells open pages that the pages at these output paths
// changed: a stylesheet swap when only CSS did, else a reload of the pages
// named.
func (b *Broker) PagesChanged(outs []string) {
	if len(outs) == 0 {
		return
	}
	css := true
	for _, o := range outs {
		if !strings.HasSuffix(o, ".css") {
			css = false
		}
	}
	if css {
		b.Publish(Event{Name: "css", Data: `{}`})
		return
	}
	var data []byte
	if len(outs) > maxListed {
		data = []byte(`{"all":true}`)
	} else {
		urls := make([]string, 0, len(outs))
		for _, o := range outs {
			urls = append(urls, URLPath(o))
		}
		data, _ = json.Marshal(map[string]any{"paths": urls})
	}
	b.Publish(Event{Name: "reload", Data: string(data)})
}

// URLPath is the URL path a page is served at: "a/index.html" → "/a/".
func URLPath(out string) string {
	p := "/" + strings.TrimSuffix(out, "index.html")
	return (&url.URL{Path: p}).EscapedPath()
}

// ServeHTTP is the event stream (server-sent events). EventSource
// reconnects by itself; the hello names the server instance, so a page
// reconnected to a restarted server knows to reload.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	ch, cancel := b.Subscribe()
	defer cancel()
	fmt.Fprintf(w, "retry: 500\nevent: hello\ndata: %s\n\n", b.ID)
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Name, ev.Data)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}
