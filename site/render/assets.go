package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// asset is one bundled or static file with its fingerprinted URL path.
type asset struct {
	URL  string // "/assets/main.1a2b3c4d.js"
	Data []byte
}

// bundleAssets builds main.js and main.css with esbuild from the theme's and
// the site's assets: every top-level .ts/.js and .css file is an entry,
// main first, and imports resolve in the same overlay. Code colours come from
// chroma, a light and a dark style.
func (s *Site) bundleAssets() error {
	s.assets = map[string]*asset{}
	names := s.files.list("assets")
	var js, css strings.Builder
	js.WriteString("import \"./main.ts\";\n")
	css.WriteString("@import \"./main.css\";\n")
	for _, n := range names {
		switch {
		case n == "main.ts" || n == "main.css" || !s.isSiteAsset(n):
			// The theme's own modules are imported by main; a site's extra
			// files join the bundle below.
		case strings.HasSuffix(n, ".ts") || strings.HasSuffix(n, ".js"):
			fmt.Fprintf(&js, "import %q;\n", "./"+n)
		case strings.HasSuffix(n, ".css"):
			fmt.Fprintf(&css, "@import %q;\n", "./"+n)
		}
	}
	css.WriteString(chromaCSS())
	for _, b := range []struct {
		name, entry string
		loader      api.Loader
	}{{"main.js", js.String(), api.LoaderTS}, {"main.css", css.String(), api.LoaderCSS}} {
		out, err := s.esbuild(b.entry, b.loader)
		if err != nil {
			return fmt.Errorf("bundling %s: %w", b.name, err)
		}
		s.addAsset(b.name, out)
	}
	// Other files in assets/ (images, fonts) are copied, fingerprinted.
	for _, n := range names {
		if ext := path.Ext(n); ext == ".ts" || ext == ".js" || ext == ".css" {
			continue
		}
		b, err := s.files.read("assets/" + n)
		if err != nil {
			return err
		}
		s.addAsset(n, b)
	}
	return nil
}

// isSiteAsset reports whether a site's assets/ holds n but the theme does not.
func (s *Site) isSiteAsset(n string) bool {
	if s.files.site == nil {
		return false
	}
	if _, err := fs.Stat(s.files.site, "assets/"+n); err != nil {
		return false
	}
	_, err := fs.Stat(s.files.theme, "assets/"+n)
	return err != nil
}

func (s *Site) addAsset(name string, data []byte) {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	url := "/assets/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	if s.Opts.StableAssets {
		url = "/assets/" + name
	}
	s.assets[name] = &asset{URL: url, Data: data}
}

// AssetURL is the fingerprinted URL of a bundled asset such as "main.css".
func (s *Site) AssetURL(name string) string {
	if a := s.assets[name]; a != nil {
		return s.URL(a.URL)
	}
	return s.URL("/assets/" + name)
}

// fixedWorkingDir is the root of the file system ("/", or the current
// drive's on Windows), where the embedded theme is resolved from.
var fixedWorkingDir, _ = filepath.Abs("/")

func (s *Site) esbuild(entry string, loader api.Loader) ([]byte, error) {
	min := s.Opts.Minify
	res := api.Build(api.BuildOptions{
		// Unminified output names its sources in comments relative to the
		// working directory: a fixed one keeps the assets, and so their
		// fingerprints, the same wherever plansite is run from.
		AbsWorkingDir:     fixedWorkingDir,
		Stdin:             &api.StdinOptions{Contents: entry, ResolveDir: "/", Loader: loader, Sourcefile: "entry"},
		Bundle:            true,
		Write:             false,
		Outdir:            "/out",
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsEndOfFile, // the vendored MiniSearch's licence notice
		MinifyWhitespace:  min,
		MinifyIdentifiers: min,
		MinifySyntax:      min,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{s.overlayPlugin()},
	})
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		if e.Location != nil {
			return nil, fmt.Errorf("%s:%d: %s", e.Location.File, e.Location.Line, e.Text)
		}
		return nil, fmt.Errorf("%s", e.Text)
	}
	for _, f := range res.OutputFiles {
		if !strings.HasSuffix(f.Path, ".map") {
			return f.Contents, nil
		}
	}
	return nil, fmt.Errorf("esbuild wrote nothing")
}

// overlayPlugin resolves every import inside the theme/site overlay, so
// bundling reads the embedded theme and never the disk around it.
func (s *Site) overlayPlugin() api.Plugin {
	return api.Plugin{Name: "plansite-theme", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			p := a.Path
			if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/") {
				return api.OnResolveResult{}, fmt.Errorf("import %q: only relative imports of theme assets are bundled", p)
			}
			dir := a.ResolveDir
			if a.Namespace != "theme" {
				dir = "/"
			}
			p = path.Join(dir, p)
			if path.Ext(p) == "" {
				for _, ext := range []string{".ts", ".js", ".css"} {
					if _, err := s.files.read("assets" + p + ext); err == nil {
						p += ext
						break
					}
				}
			}
			return api.OnResolveResult{Path: p, Namespace: "theme"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "theme"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			data, err := s.files.read("assets" + a.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			text := string(data)
			l := api.LoaderJS
			switch path.Ext(a.Path) {
			case ".ts":
				l = api.LoaderTS
			case ".css":
				l = api.LoaderCSS
			}
			return api.OnLoadResult{Contents: &text, Loader: l, ResolveDir: path.Dir(a.Path)}, nil
		})
	}}
}
