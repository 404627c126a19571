// Package schema holds plan.schema.json, the JSON Schema of plan.json.
package schema

import _ "embed"

//go:embed plan.schema.json
var schemaJSON []byte

// JSON is plan.schema.json.
func JSON() []byte { return schemaJSON }
