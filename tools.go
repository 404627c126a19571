//go:build tools

package plansite

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/alecthomas/chroma/v2"
	_ "github.com/chromedp/chromedp"
	_ "github.com/evanw/esbuild/pkg/api"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/tdewolff/minify/v2"
	_ "github.com/yuin/goldmark"
	_ "go.yaml.in/yaml/v3"
)
