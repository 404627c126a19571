package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/plansite/plansite/site/build"
)

// cmdServe builds the site into a temporary directory and serves it.
// (Live reload arrives with the serve issue.)
func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("source", defaultSource(), "source `directory` of the plans")
	bind := fs.String("bind", "127.0.0.1", "`address` to listen on")
	port := fs.Int("port", 1313, "`port` to listen on")
	_ = fs.Bool("poll", false, "poll for changes")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	dir, err := os.MkdirTemp("", "plansite-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := build.Build(build.Options{Source: *src, Dest: dir, Generator: "plansite " + version()}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving %s at http://%s/\n", *src, ln.Addr())
	return http.Serve(ln, http.FileServer(http.Dir(dir)))
}
