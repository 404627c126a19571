package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadToml(t *testing.T, body string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(dir)
}

func TestStatusAndKeyMappings(t *testing.T) {
	c, err := loadToml(t, "[status]\nexecuting = \"in-progress\"\n\"Ready for QA\" = \"in-progress\"\n\n[keys]\n\"状况\" = \"status\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status["executing"] != "in-progress" || c.Status["Ready for QA"] != "in-progress" || c.Keys["状况"] != "status" {
		t.Errorf("mappings: %v %v", c.Status, c.Keys)
	}
	_, err = loadToml(t, "[status]\nexecuting = \"ongoing\"\n")
	if err == nil || !strings.Contains(err.Error(), FileName) || !strings.Contains(err.Error(), `"ongoing"`) || !strings.Contains(err.Error(), "in-progress") {
		t.Errorf("a mapping to no status: %v", err)
	}
}
