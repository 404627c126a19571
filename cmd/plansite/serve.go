package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/plansite/plansite/site/serve"
)

// cmdServe builds the site in memory, serves it, and keeps it up to date as
// the sources change, reloading open pages.
func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("source", defaultSource(), "source `directory` of the plans")
	bind := fs.String("bind", "127.0.0.1", "`address` to listen on (anything but loopback exposes the plans)")
	port := fs.Int("port", 1313, "`port` to listen on; the next free one when it is busy")
	poll := fs.Bool("poll", false, "poll for changes, for filesystems without change events")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve.Run(ctx, serve.Options{Source: *src, Bind: *bind, Port: *port, Poll: *poll,
		Generator: "plansite " + version(), Log: stdout})
}
