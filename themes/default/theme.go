// Package theme is plansite's default theme: html/template layouts,
// TypeScript and CSS assets bundled by esbuild at build time, and static
// files copied as they are. It is embedded so an installed plansite needs no
// checkout; a site's own layouts/, assets/ and static/ override files of the
// same name.
package theme

import "embed"

// FS holds layouts/, assets/ and static/.
//
//go:embed layouts assets static
var FS embed.FS
