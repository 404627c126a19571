package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/serve"
)

func (a *app) serveCmd() *cobra.Command {
	var opts serve.Options
	var open bool
	cmd := &cobra.Command{
		Use:   "serve [DIR]",
		Short: "Preview the site with live reload",
		Long: `Builds the site in memory (nothing is written to disk), serves it at http://127.0.0.1:1313/
and keeps it up to date while you write: open pages reload by themselves on every save. When
the port is busy the next free one is used.`,
		Example: `  plansite serve                  # ./content (or .) at http://127.0.0.1:1313/
  plansite serve docs -p 8080 --open`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: dirArg,
		RunE: a.onSource(func(cmd *cobra.Command, src string) error {
			if _, err := config.LoadWith(src, a.config); err != nil {
				return unreadable(err)
			}
			opts.Source, opts.Generator, opts.Log = src, "plansite "+version(), a.stdout
			opts.LimitMemory, opts.Config = true, a.config
			if a.quiet {
				opts.Log = io.Discard
			}
			if open {
				opts.Ready = func(url string) {
					if err := a.openURL(url); err != nil {
						fmt.Fprintf(a.stderr, "plansite serve: could not open a browser: %v\n", err)
					}
				}
			}
			if build.Checkpoint != nil { // PLANSITE_MEMPROFILE: what serve holds once it serves
				ready := opts.Ready
				opts.Ready = func(url string) {
					build.Checkpoint(stageReady)
					if ready != nil {
						ready(url)
					}
				}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := serve.Run(ctx, opts); err != nil {
				return failed(err)
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&opts.Bind, "bind", "127.0.0.1", "`address` to listen on (anything but loopback exposes the plans)")
	f.IntVarP(&opts.Port, "port", "p", 1313, "`port` to listen on; the next free one when it is busy")
	f.BoolVar(&opts.Poll, "poll", false, "poll for changes, for filesystems without change events")
	f.BoolVarP(&open, "open", "O", false, "open the site in a browser once it is served")
	return cmd
}
